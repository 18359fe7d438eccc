//! Diagnostics as users see them: source snippets with labels (through
//! codespan-reporting), or JSON with stable, documented fields.

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{LineCol, SourceFile, Sources, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

/// Renders diagnostics as annotated source snippets, with ANSI colours when
/// `color` is set.
pub fn text(sources: &Sources, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut files = SimpleFiles::new();
    for (_, f) in sources.iter() {
        files.add(f.name(), f.text());
    }
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let converted = to_codespan(sources, d);
        if term::emit_to_write_style(&mut buffer, &config, &files, &converted).is_err() {
            // A span that codespan cannot place: fall back to a plain line.
            let name = sources.get(d.primary.file).map_or("?", |f| f.name());
            buffer_line(
                &mut buffer,
                &format!(
                    "{}[{}]: {} ({name})",
                    severity_word(d.severity),
                    d.code,
                    d.message
                ),
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_line(buffer: &mut termcolor::Buffer, line: &str) {
    use std::io::Write;
    let _ = writeln!(buffer, "{line}");
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Clamps a span into the file and onto character boundaries.
fn clamp(file: Option<&SourceFile>, span: Span) -> std::ops::Range<usize> {
    match file {
        Some(f) => {
            let start = f.floor_char_boundary(span.start);
            let end = f.floor_char_boundary(span.end.max(start));
            start..end
        }
        None => 0..0,
    }
}

fn to_codespan(sources: &Sources, d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let primary = &d.primary;
    let mut labels = vec![
        cs::Label::primary(
            primary.file.0 as usize,
            clamp(sources.get(primary.file), primary.span),
        )
        .with_message(primary.message.clone()),
    ];
    for l in &d.labels {
        labels.push(
            cs::Label::secondary(l.file.0 as usize, clamp(sources.get(l.file), l.span))
                .with_message(l.message.clone()),
        );
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// One line of counts, such as `2 errors and 1 warning in 3 files`.
pub fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    if parts.is_empty() {
        parts.push("no problems".into());
    }
    format!("{} in {}", parts.join(" and "), plural(files, "file"))
}

/// The JSON document `--format json` prints.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    /// Every diagnostic.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Counts.
    pub summary: JsonSummary,
}

/// Counts for the JSON report.
#[derive(Serialize)]
pub struct JsonSummary {
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
    /// Files read.
    pub files: usize,
}

/// One diagnostic in JSON.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    /// Stable code, such as `E0102`.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The message.
    pub message: &'a str,
    /// The file's path.
    pub file: &'a str,
    /// Byte range in the file.
    pub range: Span,
    /// 1-based line and column (in characters) of the start.
    pub start: LineCol,
    /// 1-based line and column of the end.
    pub end: LineCol,
    /// The primary label's message.
    pub label: &'a str,
    /// Secondary labels.
    pub labels: Vec<JsonLabel<'a>>,
    /// The help line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// A machine-applicable fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

/// A secondary label in JSON.
#[derive(Serialize)]
pub struct JsonLabel<'a> {
    /// The file's path.
    pub file: &'a str,
    /// Byte range.
    pub range: Span,
    /// Start position.
    pub start: LineCol,
    /// End position.
    pub end: LineCol,
    /// What it says.
    pub message: &'a str,
}

/// A fix in JSON.
#[derive(Serialize)]
pub struct JsonFix<'a> {
    /// What the fix does.
    pub message: &'a str,
    /// The edits.
    pub edits: Vec<JsonEdit<'a>>,
}

/// One edit of a fix in JSON.
#[derive(Serialize)]
pub struct JsonEdit<'a> {
    /// The file's path.
    pub file: &'a str,
    /// The bytes to replace.
    pub range: Span,
    /// The replacement text.
    pub replacement: &'a str,
}

/// Builds the JSON report.
pub fn json<'a>(sources: &'a Sources, diagnostics: &'a [Diagnostic]) -> JsonReport<'a> {
    let place = |file: crate::source::FileId, span: Span| {
        let f = sources.get(file);
        let name = f.map_or("", |f| f.name());
        let start = f.map_or(LineCol { line: 1, column: 1 }, |f| f.line_col(span.start));
        let end = f.map_or(LineCol { line: 1, column: 1 }, |f| f.line_col(span.end));
        (name, start, end)
    };
    let out = diagnostics
        .iter()
        .map(|d| {
            let (file, start, end) = place(d.primary.file, d.primary.span);
            JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity,
                message: &d.message,
                file,
                range: d.primary.span,
                start,
                end,
                label: &d.primary.message,
                labels: d
                    .labels
                    .iter()
                    .map(|l| {
                        let (file, start, end) = place(l.file, l.span);
                        JsonLabel {
                            file,
                            range: l.span,
                            start,
                            end,
                            message: &l.message,
                        }
                    })
                    .collect(),
                help: d.help.as_deref(),
                fix: d.fix.as_ref().map(|fix| JsonFix {
                    message: &fix.message,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            file: sources.get(e.file).map_or("", |f| f.name()),
                            range: e.span,
                            replacement: &e.replacement,
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    JsonReport {
        diagnostics: out,
        summary: JsonSummary {
            errors,
            warnings: diagnostics.len() - errors,
            files: sources.len(),
        },
    }
}
