//! Turns pest's errors into readable diagnostics: "expected a type, found `}`"
//! rather than a list of grammar rule names.

use super::Rule;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// The byte position (relative to the parsed text) an error points at.
pub fn position(e: &Error<Rule>) -> usize {
    match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// How a grammar rule is named to users; `None` for rules that are never
/// worth naming on their own.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::item | Rule::item_only | Rule::kw_service | Rule::kw_match | Rule::kw_when => {
            "`service`, `match` or `when`"
        }
        Rule::doc | Rule::docs => "a doc comment",
        Rule::ident => "a name",
        Rule::path => "a name or dotted path",
        Rule::literal => "a value",
        Rule::null => "`null`",
        Rule::boolean => "`true` or `false`",
        Rule::integer => "an integer",
        Rule::list => "a list",
        Rule::regex => "a regex (`r\"...\"`)",
        Rule::string => "a string",
        Rule::escape => "an escape (`\\\"`, `\\\\`, `\\n`, `\\t`, `\\r`, `\\$`, `\\u{...}`)",
        Rule::interpolation => "an interpolation (`${...}`)",
        Rule::field => "a field",
        Rule::owns => "`customer_owns`",
        Rule::kw_customer_owns => "`customer_owns`",
        Rule::type_expr | Rule::type_atom => "a type",
        Rule::optional => "`?`",
        Rule::type_arg | Rule::named_arg => "a type argument",
        Rule::range | Rule::range_op => "a range (`0..=15`)",
        Rule::arm => "a match arm (`FORMAT TYPE ...`)",
        Rule::type_list | Rule::type_name => "a resource type",
        Rule::roles => "`{`",
        Rule::role => "an endpoint role (`host = ...`)",
        Rule::role_value => "an attribute or value",
        Rule::action => "an action (`drop`, `alias`, `bind`, `inject`, `set`, `mount`, `annotate`)",
        Rule::drop | Rule::kw_drop => "`drop`",
        Rule::alias | Rule::kw_alias => "`alias`",
        Rule::bind | Rule::kw_bind => "`bind`",
        Rule::inject | Rule::kw_inject => "`inject`",
        Rule::set | Rule::kw_set => "`set`",
        Rule::mount | Rule::kw_mount => "`mount`",
        Rule::annotate | Rule::kw_annotate => "`annotate`",
        Rule::target => "`as env NAME` or `at \"PATH\"`",
        Rule::env_target => "`as env NAME`",
        Rule::file_target => "`at \"PATH\"`",
        Rule::env_name => "an environment variable name",
        Rule::value => "a value or input",
        Rule::on_formats | Rule::kw_on => "`on`",
        Rule::condition => "`if` or `unless`",
        Rule::kw_if => "`if`",
        Rule::kw_unless => "`unless`",
        Rule::kw_for => "`for`",
        Rule::kw_is => "`is`",
        Rule::kw_provided => "`provided`",
        Rule::kw_as => "`as`",
        Rule::kw_env => "`env`",
        Rule::kw_at => "`at`",
        Rule::kw_has => "`has`",
        Rule::kw_in => "`in`",
        Rule::expr | Rule::and_expr | Rule::unary | Rule::primary | Rule::paren => "an expression",
        Rule::has => "`has`",
        Rule::comparison | Rule::operand => "a value or attribute",
        Rule::compare_tail | Rule::cmp_op => "a comparison (`==`, `!=`, `in`, `~`, `is`)",
        Rule::or_op => "`||`",
        Rule::and_op => "`&&`",
        Rule::not_op => "`!`",
        Rule::match_op => "`~`",
        Rule::service => "a service",
        Rule::matcher => "a matcher",
        Rule::when_rule => "a rule",
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::colon => "`:`",
        Rule::assign => "`=`",
        Rule::pipe => "`|`",
        Rule::comma => "`,`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        _ => return None,
    })
}

/// The token at `at` in `text`, as shown in "found ..." messages.
fn found(text: &str, at: usize) -> (String, Span) {
    let Some(rest) = text.get(at..) else {
        return ("end of file".into(), Span::at(text.len()));
    };
    let Some(c) = rest.chars().next() else {
        return ("end of file".into(), Span::at(at));
    };
    let len = if c.is_ascii_alphanumeric() || c == '_' {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len())
    } else if rest.starts_with("///") {
        3
    } else if ["==", "!=", "<=", ">=", "&&", "||", "..", "/*", "${"]
        .iter()
        .any(|op| rest.starts_with(op))
    {
        2
    } else {
        c.len_utf8()
    };
    let token = rest.get(..len).unwrap_or("");
    let shown: String = token.chars().take(30).collect();
    (format!("`{shown}`"), Span::new(at, at + len))
}

fn next_token_start(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// A pest failure inside the item at `chunk` (absolute span in `text`).
pub fn to_diagnostic(file: FileId, text: &str, chunk: Span, e: &Error<Rule>) -> Diagnostic {
    let at = chunk.start + position(e);
    let token_at = next_token_start(text, at);
    let (found_text, mut span) = found(text, token_at);
    if token_at >= chunk.end {
        // The item ended early: point just after its last token rather than
        // at the next item.
        let item_text = text.get(chunk.start..chunk.end).unwrap_or("");
        let end = chunk.start + item_text.trim_end().len();
        span = Span::at(end);
    }
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_list(positives),
        ErrorVariant::CustomError { message } => {
            return Diagnostic::new(Code::SyntaxError, file, span, message.clone())
                .help("simplify this item");
        }
    };
    let message = match &expected {
        Some(list) => format!("expected {list}, found {found_text}"),
        None => format!("unexpected {found_text}"),
    };
    let mut d = Diagnostic::new(Code::SyntaxError, file, span, message);
    d = match &expected {
        Some(list) => d.label(format!("expected {list}")),
        None => d.label("not expected here"),
    };
    if let Some(help) = hint(text, token_at, expected.as_deref()) {
        d = d.help(help);
    }
    d
}

/// Text after an item that is neither blank, a comment nor another item.
pub fn junk_after_item(file: FileId, text: &str, at: usize) -> Diagnostic {
    let at = next_token_start(text, at);
    let (found_text, span) = found(text, at);
    let mut d = Diagnostic::new(
        Code::SyntaxError,
        file,
        span,
        format!("expected `service`, `match` or `when`, found {found_text}"),
    )
    .label("not part of any item");
    if let Some(help) = hint(text, at, None) {
        d = d.help(help);
    } else {
        d = d.help("is there one `}` too many above?");
    }
    d
}

fn expected_list(positives: &[Rule]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for &rule in positives {
        if let Some(name) = describe(rule)
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    match names.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        [init @ .., last] => Some(format!("{} or {}", init.join(", "), last)),
    }
}

fn hint(text: &str, at: usize, expected: Option<&str>) -> Option<String> {
    let rest = text.get(at..).unwrap_or("");
    if rest.starts_with("/*") {
        return Some("graft has line comments only: start each line with `//`".into());
    }
    if rest.starts_with("///") {
        return Some(
            "doc comments (`///`) document items, fields, match arms and roles; use `//` for a comment here"
                .into(),
        );
    }
    if rest.starts_with('\'') {
        return Some("strings are written in double quotes: `\"...\"`".into());
    }
    if rest.starts_with('=') && expected.is_some_and(|e| e.contains("comparison")) {
        return Some("compare with `==`".into());
    }
    if rest.starts_with(';')
        || rest.starts_with(',') && expected.is_some_and(|e| !e.contains("`,`"))
    {
        return Some("graft needs no separators between members: remove it".into());
    }
    if expected.is_some_and(|e| e.contains("`}`")) && (rest.is_empty() || starts_item(rest)) {
        return Some("is a closing `}` missing?".into());
    }
    None
}

fn starts_item(rest: &str) -> bool {
    ["service", "match", "when", "///"]
        .iter()
        .any(|k| rest.starts_with(k))
}
