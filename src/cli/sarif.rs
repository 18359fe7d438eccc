//! `--format sarif`: diagnostics and plan problems as one SARIF 2.1.0 log,
//! for code-scanning services and editors that read it.
//!
//! One run, whose tool lists a rule per diagnostic code the log uses (with
//! the code's slug and its one-line meaning); a result per diagnostic, at
//! its primary span (1-based lines, columns in Unicode code points), with
//! the secondary labels as related locations, the help line after the
//! message, and a machine-applicable fix as a SARIF fix. Problems the plan
//! found in a stack are results at their stack location, with the rule
//! involved as a related location.

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::engine::plan::{Level, Location, Problem};
use crate::source::{FileId, Sources, Span};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// The schema a SARIF 2.1.0 log names.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF log being built: its results, and the rules (codes) they use.
#[derive(Default)]
pub struct Log {
    results: Vec<Json>,
    rules: BTreeMap<String, Json>,
}

impl Log {
    /// Adds rule-file (or bindings) diagnostics, placed through `sources`.
    pub fn diagnostics(&mut self, sources: &Sources, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            let region = |file: FileId, span: Span| location(sources, file, span);
            let related: Vec<Json> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut at = region(l.file, l.span);
                    at["id"] = json!(i);
                    at["message"] = json!({ "text": l.message });
                    at
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "level": level(d.severity == Severity::Error),
                "message": { "text": with_help(&d.message, d.help.as_deref()) },
                "locations": [region(d.primary.file, d.primary.span)],
            });
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = &d.fix {
                let mut by_file: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
                for e in &fix.edits {
                    let Some(f) = sources.get(e.file) else {
                        continue;
                    };
                    by_file.entry(f.name()).or_default().push(json!({
                        "deletedRegion": region_of(sources, e.file, e.span),
                        "insertedContent": { "text": e.replacement },
                    }));
                }
                result["fixes"] = json!([{
                    "description": { "text": fix.message },
                    "artifactChanges": by_file
                        .into_iter()
                        .map(|(uri, replacements)| json!({
                            "artifactLocation": { "uri": uri_of(uri) },
                            "replacements": replacements,
                        }))
                        .collect::<Vec<_>>(),
                }]);
            }
            self.rule(d.code);
            self.results.push(result);
        }
    }

    /// Adds the problems a plan found in a stack.
    pub fn problems(&mut self, problems: &[Problem]) {
        for p in problems {
            let mut result = json!({
                "level": level(p.level == Level::Error),
                "message": { "text": with_help(&p.message, p.help.as_deref()) },
            });
            if let Some(code) = &p.code {
                result["ruleId"] = json!(code);
                if let Some(c) = Code::ALL.iter().find(|c| c.as_str() == code) {
                    self.rule(*c);
                }
            }
            if let Some(at) = &p.at {
                result["locations"] = json!([point(at)]);
            }
            if let Some(rule) = &p.rule {
                let mut at = point(rule);
                at["id"] = json!(0);
                at["message"] = json!({ "text": "the rule involved" });
                result["relatedLocations"] = json!([at]);
            }
            self.results.push(result);
        }
    }

    fn rule(&mut self, code: Code) {
        self.rules
            .entry(code.as_str().to_string())
            .or_insert_with(|| {
                json!({
                    "id": code.as_str(),
                    "name": code.slug(),
                    "shortDescription": { "text": code.summary() },
                    "defaultConfiguration": { "level": level(code.severity() == Severity::Error) },
                    "help": { "text": format!(
                        "docs/diagnostics.md, {}: what it means, a failing example and the fix",
                        code.as_str()
                    )},
                })
            });
    }

    /// The log, as JSON.
    pub fn to_json(&self) -> Json {
        json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "graft",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": self.rules.values().collect::<Vec<_>>(),
                }},
                "columnKind": "unicodeCodePoints",
                "results": self.results,
            }],
        })
    }
}

fn level(error: bool) -> &'static str {
    if error { "error" } else { "warning" }
}

/// The message, with the help line after it.
fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_string(),
    }
}

/// A path as a URI: a relative reference for a relative path, a `file:`
/// URI for an absolute one (forward slashes; spaces and other reserved
/// characters escaped).
fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 7);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for ch in path.replace('\\', "/").chars() {
        match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(ch),
            _ => {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// The region of a span: 1-based lines, columns in code points, the end
/// exclusive.
fn region_of(sources: &Sources, file: FileId, span: Span) -> Json {
    let Some(f) = sources.get(file) else {
        return json!({ "startLine": 1 });
    };
    let (start, end) = (f.line_col(span.start), f.line_col(span.end));
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// A location of a span of a rule or bindings file.
fn location(sources: &Sources, file: FileId, span: Span) -> Json {
    let uri = sources.get(file).map_or("", |f| f.name());
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri_of(uri) },
        "region": region_of(sources, file, span),
    }})
}

/// A location given by line and column (a plan's).
fn point(at: &Location) -> Json {
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri_of(&at.file) },
        "region": { "startLine": at.line, "startColumn": at.column },
    }})
}
