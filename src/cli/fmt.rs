//! `graft fmt [--check] [PATHS...]`: rewrite rule files in the canonical
//! layout, keeping every comment.

use super::{CliError, FmtArgs, files, paths_or_default, print_stderr, print_stdout, render};
use crate::source::{FileId, Sources};
use crate::syntax::format;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// Runs `graft fmt`.
pub fn run(args: &FmtArgs, color: bool) -> Result<ExitCode, CliError> {
    if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        return stdin(args, color);
    }
    let paths = files::collect(&paths_or_default(&args.paths)?)?;
    let loaded = files::load(&paths)?;
    let mut failed = false;
    let mut would_change = Vec::new();
    let mut report = Vec::new();
    report.extend(loaded.diagnostics.iter().cloned());
    if !loaded.diagnostics.is_empty() {
        failed = true;
    }
    for &id in &loaded.readable {
        let Some(file) = loaded.sources.get(id) else {
            continue;
        };
        match formatted(id, file.text()) {
            Ok(text) => {
                if text != file.text() {
                    let path = &loaded.paths[id.0 as usize];
                    if args.check {
                        would_change.push(path.display().to_string());
                    } else {
                        files::write_atomically(path, &text)?;
                    }
                }
            }
            Err(diagnostics) => {
                failed = true;
                report.extend(diagnostics);
            }
        }
    }
    if !report.is_empty() {
        let mut out = render::text(&loaded.sources, &report, color);
        out.push_str("graft fmt leaves files with syntax errors unchanged\n");
        print_stderr(&out);
    }
    for name in &would_change {
        print_stdout(&format!("would reformat {name}\n"));
    }
    Ok(if failed || !would_change.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Formats standard input to standard output.
fn stdin(args: &FmtArgs, color: bool) -> Result<ExitCode, CliError> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| {
        CliError::new(
            format!("cannot read standard input: {e}"),
            "pipe UTF-8 rule text into `graft fmt -`",
        )
    })?;
    let mut sources = Sources::new();
    let id = sources.add("<stdin>", text.clone());
    match formatted(id, &text) {
        Ok(out) => {
            if !args.check {
                print_stdout(&out);
            }
            Ok(if args.check && out != text {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(diagnostics) => {
            print_stderr(&render::text(&sources, &diagnostics, color));
            Ok(ExitCode::from(1))
        }
    }
}

/// Formats one file, or returns its syntax errors.
fn formatted(id: FileId, text: &str) -> Result<String, Vec<crate::diagnostics::Diagnostic>> {
    format::checked(id, text)
}
