//! `graft schema [SERVICE] [--rules DIR]`: the JSON Schema of the bindings
//! file that the service declarations imply.

use super::{CliError, SchemaArgs, files, print_stderr, print_stdout};
use crate::bindings::schema::bindings_schema;
use crate::diagnostics::suggest;
use std::process::ExitCode;

/// Runs `graft schema`.
pub fn run(args: &SchemaArgs, color: bool) -> Result<ExitCode, CliError> {
    let rules = match &args.rules {
        Some(dir) => vec![dir.clone()],
        None => super::paths_or_default(&[])?,
    };
    let checked = files::check_rules(&rules)?;
    if checked.error_count() > 0 {
        let mut out = checked.render(color);
        out.push_str("the rules have errors, so there is no schema to print\n");
        print_stderr(&out);
        return Ok(ExitCode::from(1));
    }
    let analysis = &checked.analysis;
    if let Some(service) = &args.service
        && !analysis.program.services.contains_key(service)
    {
        let names: Vec<&str> = analysis
            .program
            .services
            .keys()
            .map(String::as_str)
            .collect();
        let hint = suggest(service, names.iter().copied(), |all| {
            format!("the rules declare {all}")
        });
        return Err(CliError::new(
            format!("no service `{service}` in the rules"),
            hint,
        ));
    }
    let schema = bindings_schema(&analysis.program, args.service.as_deref());
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| CliError::new(format!("cannot write JSON: {e}"), "report this as a bug"))?;
    print_stdout(&text);
    print_stdout("\n");
    Ok(ExitCode::SUCCESS)
}
