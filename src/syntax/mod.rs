//! Text to syntax tree. Parsing never fails: [`parse`] returns the items that
//! parsed plus a diagnostic for each one that did not.
//!
//! The grammar lives in `grammar/graft.pest`. A linear pre-pass ([`scan`])
//! splits the file at item boundaries, so a broken item costs one diagnostic
//! and the items around it still parse; pest then parses each item on its own.
//!
//! Architecture invariant: `syntax` knows nothing of names, types, the
//! catalogue or stacks; it depends only on `source` and `diagnostics`.

pub mod ast;
pub mod format;
mod lower;
mod pest_error;
pub mod scan;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use ast::{Comment, Module};
use pest::Parser as _;

mod grammar {
    #![allow(missing_docs)]
    /// The pest parser generated from `grammar/graft.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/graft.pest"]
    pub struct GraftParser;
}

pub(crate) use grammar::{GraftParser, Rule};

/// A parsed file: the tree, and what went wrong while reading it.
#[derive(Clone, Debug, Default)]
pub struct Parse {
    /// The items that parsed, and every comment.
    pub module: Module,
    /// One diagnostic per problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Bounds the work pest may do on one item, so that no input can make the
/// parser run for long: far above what any real item needs.
const CALL_LIMIT: usize = 50_000_000;

/// Parses rule-file bytes, which need not be valid UTF-8.
pub fn parse_bytes(file: FileId, bytes: &[u8]) -> Parse {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(file, text),
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(1);
            Parse {
                module: Module::default(),
                diagnostics: vec![
                    Diagnostic::new(
                        Code::InvalidUtf8,
                        file,
                        Span::new(at, at + len),
                        "this file is not valid UTF-8",
                    )
                    .label("invalid byte sequence here")
                    .help("rule files are UTF-8 text; re-save the file as UTF-8"),
                ],
            }
        }
    }
}

/// Parses one rule file.
pub fn parse(file: FileId, text: &str) -> Parse {
    let scanned = scan::scan(text);
    let mut parse = Parse::default();
    parse.module.comments = scanned
        .comments
        .iter()
        .map(|&span| Comment { span })
        .collect();
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));

    for chunk in &scanned.chunks {
        if let Some(problem) = chunk.problem {
            parse.diagnostics.push(scan_problem(file, problem));
            parse.module.broken.extend(broken_header(text, chunk.span));
            continue;
        }
        let Some(chunk_text) = text.get(chunk.span.start..chunk.span.end) else {
            continue;
        };
        let offset = chunk.span.start;
        match GraftParser::parse(Rule::item, chunk_text) {
            Ok(mut pairs) => {
                let Some(pair) = pairs.next() else { continue };
                let consumed = pair.as_span().end();
                let mut lower = lower::Lower::new(file, offset);
                if let Some(item) = lower.item(pair) {
                    parse.module.items.push(item);
                }
                parse.diagnostics.append(&mut lower.diagnostics);
                // Anything after the item other than blanks and comments.
                let rest = chunk_text.get(consumed..).unwrap_or("");
                if let Err(e) = GraftParser::parse(Rule::blank, rest) {
                    let at = offset + consumed + pest_error::position(&e);
                    parse
                        .diagnostics
                        .push(pest_error::junk_after_item(file, text, at));
                }
            }
            Err(e) => {
                parse
                    .diagnostics
                    .push(pest_error::to_diagnostic(file, text, chunk.span, &e));
                parse.module.broken.extend(broken_header(text, chunk.span));
            }
        }
    }
    parse
}

/// Reads the keyword and names at the head of an item that did not parse:
/// `service NAME`, `match NAME [for NAME]`, `when NAME`.
fn broken_header(text: &str, span: Span) -> Option<ast::BrokenItem> {
    let chunk = text.get(span.start..span.end)?;
    let mut words = chunk
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty());
    let keyword = words.next()?;
    if !matches!(keyword, "service" | "match" | "when") {
        return None;
    }
    let mut names: Vec<String> = words.next().map(str::to_string).into_iter().collect();
    if keyword == "match" {
        let mut rest = words;
        if rest.next() == Some("for") {
            names.extend(rest.next().map(str::to_string));
        }
    }
    Some(ast::BrokenItem {
        keyword: keyword.to_string(),
        names,
        span,
    })
}

fn scan_problem(file: FileId, problem: scan::Problem) -> Diagnostic {
    match problem {
        scan::Problem::Unterminated(span) => {
            Diagnostic::new(Code::UnterminatedString, file, span, "unterminated string")
                .label("this string is not closed on its line")
                .help("add the closing `\"`; strings cannot span lines (use `\\n` for a newline)")
        }
        scan::Problem::TooDeep(span) => Diagnostic::new(
            Code::NestingTooDeep,
            file,
            span,
            format!(
                "parentheses, brackets and `!` nest deeper than {} levels",
                scan::MAX_NESTING
            ),
        )
        .label("too deep from here")
        .help("split the expression, or remove redundant parentheses"),
    }
}
