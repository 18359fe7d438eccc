//! `graft check [PATHS...]`: parse and check rule files as one folder.

use super::{
    CheckArgs, CliError, OutputFormat, files, paths_or_default, print_stderr, print_stdout, render,
};
use crate::analysis;
use crate::diagnostics;
use std::process::ExitCode;

/// Runs `graft check`.
pub fn run(args: &CheckArgs, color: bool) -> Result<ExitCode, CliError> {
    let paths = files::collect(&paths_or_default(&args.paths)?)?;
    let loaded = files::load(&paths)?;
    let analysis = analysis::analyze_files(&loaded.sources, &loaded.readable);
    let mut all = loaded.diagnostics;
    all.extend(analysis.diagnostics);
    diagnostics::sort(&mut all);
    let errors = all.iter().filter(|d| d.is_error()).count();
    match args.format {
        OutputFormat::Text => {
            if !all.is_empty() {
                let mut out = render::text(&loaded.sources, &all, color);
                out.push_str(&render::summary(
                    errors,
                    all.len() - errors,
                    loaded.sources.len(),
                ));
                out.push('\n');
                print_stderr(&out);
            }
        }
        OutputFormat::Json => {
            let report = render::json(&loaded.sources, &all);
            let text = serde_json::to_string_pretty(&report).map_err(|e| {
                CliError::new(format!("cannot write JSON: {e}"), "report this as a bug")
            })?;
            print_stdout(&text);
            print_stdout("\n");
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
