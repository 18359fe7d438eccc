//! `graft check [PATHS...]`: parse and check rule files as one folder.

use super::{
    CheckArgs, CliError, OutputFormat, files, paths_or_default, print_json, print_stderr,
    print_stdout, render, sarif,
};
use std::process::ExitCode;

/// Runs `graft check`.
pub fn run(args: &CheckArgs, color: bool) -> Result<ExitCode, CliError> {
    let checked = files::check_rules(&paths_or_default(&args.paths)?)?;
    let errors = checked.error_count();
    match args.format {
        OutputFormat::Text => {
            if !checked.diagnostics.is_empty() {
                print_stderr(&checked.render(color));
            }
        }
        OutputFormat::Json => {
            let report = render::json(&checked.sources, &checked.diagnostics);
            let text = serde_json::to_string_pretty(&report).map_err(|e| {
                CliError::new(format!("cannot write JSON: {e}"), "report this as a bug")
            })?;
            print_stdout(&text);
            print_stdout("\n");
        }
        OutputFormat::Sarif => {
            let mut log = sarif::Log::default();
            log.diagnostics(&checked.sources, &checked.diagnostics);
            print_json(&log.to_json());
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
