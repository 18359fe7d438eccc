//! Diagnostics as users see them: source snippets with labels (through
//! codespan-reporting), or JSON with stable, documented fields.

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{FileId, LineCol, SourceFile, Sources, Span};
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
        let emitted = match shortened(sources, &converted) {
            Some((few, converted)) => {
                term::emit_to_write_style(&mut buffer, &config, &few, &converted)
            }
            None => term::emit_to_write_style(&mut buffer, &config, &files, &converted),
        };
        if emitted.is_err() {
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

/// Lines longer than this are shown in part, around what is labelled.
const LONG_LINE: usize = 240;
/// How much of a long line is shown before and after a label's start.
const BEFORE: usize = 60;
const AFTER: usize = 120;

/// The diagnostic over copies of its files in which each labelled line
/// longer than [`LONG_LINE`] is cut to a window around its first label
/// (a minified manifest, or a 100 MB line, is not printed whole), with
/// the labels moved to match, and control characters in labelled lines
/// shown as `?`; `None` when no labelled line is long or has one. Lines
/// keep their numbers.
fn shortened<'s>(
    sources: &'s Sources,
    d: &cs::Diagnostic<usize>,
) -> Option<(Cutted<'s>, cs::Diagnostic<usize>)> {
    let mut ids: Vec<usize> = d.labels.iter().map(|l| l.file_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut files = SimpleFiles::new();
    let mut cuts: Vec<Vec<Cut>> = Vec::new();
    let mut originals = Vec::new();
    let mut any = false;
    for &id in &ids {
        let file = sources.get(FileId(u32::try_from(id).ok()?))?;
        let text = file.text();
        // Each long labelled line, with the first labelled offset in it.
        let mut lines: Vec<(usize, usize, usize)> = Vec::new();
        for l in d.labels.iter().filter(|l| l.file_id == id) {
            for at in [l.range.start, l.range.end] {
                let (ls, le) = line_around(text, at);
                if le - ls > LONG_LINE || text.as_bytes()[ls..le].iter().any(|&b| unprintable(b)) {
                    match lines.iter_mut().find(|(s, _, _)| *s == ls) {
                        Some(line) => line.2 = line.2.min(at),
                        None => lines.push((ls, le, at)),
                    }
                }
            }
        }
        lines.sort_unstable();
        any |= !lines.is_empty();
        let (shown, file_cuts) = cut_lines(text, &lines);
        files.add(file.name().to_string(), shown);
        cuts.push(file_cuts);
        originals.push(file);
    }
    if !any {
        return None;
    }
    let mut d = d.clone();
    for l in &mut d.labels {
        let i = ids.binary_search(&l.file_id).ok()?;
        let start = moved(&cuts[i], l.range.start);
        l.range = start..moved(&cuts[i], l.range.end).max(start);
        l.file_id = i;
    }
    Some((
        Cutted {
            files,
            cuts,
            originals,
        },
        d,
    ))
}

/// Files with long lines cut ([`shortened`]), which give the columns of
/// the text as it was.
struct Cutted<'s> {
    files: SimpleFiles<String, String>,
    cuts: Vec<Vec<Cut>>,
    originals: Vec<&'s SourceFile>,
}

impl<'a> codespan_reporting::files::Files<'a> for Cutted<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, codespan_reporting::files::Error> {
        Ok(self.files.get(id)?.name().clone())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.files.get(id)?.source().as_str())
    }

    fn line_index(
        &'a self,
        id: usize,
        at: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.files.line_index(id, at)
    }

    fn line_range(
        &'a self,
        id: usize,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.files.line_range(id, line)
    }

    fn column_number(
        &'a self,
        id: usize,
        _line: usize,
        at: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let (Some(cuts), Some(original)) = (self.cuts.get(id), self.originals.get(id)) else {
            return Err(codespan_reporting::files::Error::FileMissing);
        };
        let at = original.floor_char_boundary(back(cuts, at));
        let (start, _) = line_around(original.text(), at);
        Ok(original.text()[start..at].chars().count() + 1)
    }
}

/// Where `at` of the cut text was in the original (the inverse of
/// [`moved`]; a `…` maps to the edge of what it stands for).
fn back(cuts: &[Cut], at: usize) -> usize {
    let mut shift = 0isize;
    for c in cuts {
        let line_now = (c.line.0 as isize + shift).max(0) as usize;
        if at < line_now {
            break;
        }
        let kept_end = c.now + (c.kept.1 - c.kept.0);
        let line_end_now = (c.line.1 as isize + c.shift_after).max(0) as usize;
        if at <= line_end_now {
            return if at < c.now {
                c.kept.0
            } else if at <= kept_end {
                c.kept.0 + (at - c.now)
            } else {
                c.line.1
            };
        }
        shift = c.shift_after;
    }
    (at as isize - shift).max(0) as usize
}

/// The start and end (before its line break) of the line holding `at`.
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
    (start, end)
}

/// One cut line: where it was, the part kept, and where that is now.
struct Cut {
    line: (usize, usize),
    kept: (usize, usize),
    now: usize,
    shift_after: isize,
}

/// `text` with each of `lines` (start, end, offset to show) cut to a
/// window around its offset, marked `…` where text was left out.
fn cut_lines(text: &str, lines: &[(usize, usize, usize)]) -> (String, Vec<Cut>) {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut from = 0usize;
    let mut cuts = Vec::new();
    for &(ls, le, at) in lines {
        out.push_str(&text[from..ls]);
        let (ks, ke) = if le - ls > LONG_LINE {
            let ks = floor(at.saturating_sub(BEFORE).max(ls));
            (ks, floor((at + AFTER).min(le)).max(ks))
        } else {
            (ls, le)
        };
        if ks > ls {
            out.push('…');
        }
        let now = out.len();
        out.push_str(&printable(&text[ks..ke]));
        if ke < le {
            out.push('…');
        }
        cuts.push(Cut {
            line: (ls, le),
            kept: (ks, ke),
            now,
            shift_after: out.len() as isize - le as isize,
        });
        from = le;
    }
    out.push_str(&text[from..]);
    (out, cuts)
}

/// A control character other than a tab or a carriage return: shown as
/// `?`, so that a stack file cannot write to the terminal (an escape
/// sequence) through a message about it.
fn unprintable(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\r') || b == 0x7f
}

/// `text` with each [`unprintable`] character as `?` (the same length).
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(unprintable) {
        text.chars()
            .map(|c| {
                if c.is_ascii() && unprintable(c as u8) {
                    '?'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Where `at` of the original text is in the cut one.
fn moved(cuts: &[Cut], at: usize) -> usize {
    let mut shift = 0isize;
    for c in cuts {
        if at < c.line.0 {
            break;
        }
        if at <= c.line.1 {
            return c.now + at.clamp(c.kept.0, c.kept.1) - c.kept.0;
        }
        shift = c.shift_after;
    }
    (at as isize + shift).max(0) as usize
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
        .with_message(printable(&primary.message).into_owned()),
    ];
    for l in &d.labels {
        labels.push(
            cs::Label::secondary(l.file.0 as usize, clamp(sources.get(l.file), l.span))
                .with_message(printable(&l.message).into_owned()),
        );
    }
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {}", printable(help)));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(printable(&d.message).into_owned())
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
