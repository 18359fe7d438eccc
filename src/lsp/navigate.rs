//! What the server answers from the syntax trees of a rules folder: the
//! symbols and folding ranges of a file, the declaration a service name
//! refers to, and hover text for it.

use super::LineIndex;
use super::symbol::{Symbol, occurrences, refuse_rename, symbol_at};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Item, Member, Module};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tower_lsp_server::ls_types::{self as lsp, DocumentSymbol, SymbolKind};

/// One parsed file of a folder.
pub struct Parsed {
    /// Where it is.
    pub path: PathBuf,
    /// Its text (an open buffer's, or the file's).
    pub text: String,
    /// Its items.
    pub module: Module,
}

impl Parsed {
    /// Parses `text`.
    pub fn new(path: PathBuf, text: String) -> Parsed {
        let module = crate::syntax::parse(FileId(0), &text).module;
        Parsed { path, text, module }
    }
}

/// The declaration of service `name` in the folder, with its file.
fn service_declaration<'p>(
    folder: &'p [Parsed],
    name: &str,
) -> Option<(&'p Parsed, &'p crate::syntax::ast::Service)> {
    folder.iter().find_map(|p| {
        p.module.items.iter().find_map(|i| match i {
            Item::Service(s) if s.name.text == name => Some((p, s)),
            _ => None,
        })
    })
}

/// Where the symbol named at `offset` of the folder's file `own` is
/// declared: a service, an input, a matcher or a bound name.
pub fn definition(
    folder: &[Parsed],
    own: usize,
    offset: usize,
    encoding: super::Encoding,
) -> Option<lsp::Location> {
    let (symbol, _) = symbol_at(folder, own, offset)?;
    let declared = occurrences(folder, &symbol)
        .into_iter()
        .find(|o| o.declaration)?;
    location(folder, declared.file, declared.span, encoding)
}

/// Hover text for what is at `offset`: a service's doc comment and inputs,
/// an input's type and doc comment, a matcher's service, the inputs a bound
/// name holds; or, from the catalogue and the language, a stack format, a
/// resource type, an attribute, an endpoint role or an action.
pub fn hover(
    folder: &[Parsed],
    own: usize,
    offset: usize,
    encoding: super::Encoding,
) -> Option<lsp::Hover> {
    let file = folder.get(own)?;
    let index = LineIndex::new(&file.text, encoding);
    let Some((symbol, span)) = symbol_at(folder, own, offset) else {
        // Not a name of the folder: what the language or the catalogue
        // defines (a format, a resource type, an attribute, a role, an
        // action).
        let (span, text) = super::explain::at(&file.module, offset)?;
        return Some(hover_of(text, Some(index.range(span.start, span.end))));
    };
    let range = Some(index.range(span.start, span.end));
    let name = slice(&file.text, span);
    let text = match &symbol {
        Symbol::Service(service) => {
            let mut text = format!("```graft\nservice {service}\n```");
            let Some((at, declared)) = service_declaration(folder, service) else {
                text.push_str("\n\nnot declared in this folder");
                return Some(hover_of(text, range));
            };
            if !declared.docs.lines.is_empty() {
                text.push_str("\n\n");
                text.push_str(&declared.docs.text());
            }
            let fields: Vec<String> = declared
                .members
                .iter()
                .filter_map(|m| match m {
                    Member::Field(f) => Some(format!("- `{}`", field_line(at, f))),
                    Member::Owns(_) => None,
                })
                .collect();
            if !fields.is_empty() {
                text.push_str("\n\ninputs:\n");
                text.push_str(&fields.join("\n"));
            }
            text
        }
        Symbol::Matcher(matcher) => {
            let service = folder
                .iter()
                .flat_map(|p| &p.module.items)
                .find_map(|i| match i {
                    Item::Matcher(m) if m.name.text == *matcher => m.service.as_ref(),
                    _ => None,
                });
            match service {
                Some(s) => format!(
                    "```graft\nmatch {matcher} for {}\n```\n\nsays what counts as a default-shipped `{}`",
                    s.text, s.text
                ),
                None => format!("```graft\nmatch {matcher}\n```"),
            }
        }
        Symbol::Field { service, field } => {
            let declared = service_declaration(folder, service).and_then(|(at, s)| {
                s.members.iter().find_map(|m| match m {
                    Member::Field(f) if f.name.text == *field => Some((at, f)),
                    _ => None,
                })
            });
            let Some((at, f)) = declared else {
                return Some(hover_of(
                    format!("```graft\n{name}\n```\n\n`{service}` has no input `{field}`"),
                    range,
                ));
            };
            let mut text = format!(
                "```graft\n{}\n```\n\nan input of `{service}`",
                field_line(at, f)
            );
            if !f.docs.lines.is_empty() {
                text.push_str("\n\n");
                text.push_str(&f.docs.text());
            }
            text
        }
        Symbol::Binding { .. } => {
            let service = folder
                .get(own)
                .into_iter()
                .flat_map(|p| &p.module.items)
                .find_map(|i| match i {
                    Item::Rule(r) if r.span.start <= offset && offset <= r.span.end => {
                        Some(r.service.text.as_str())
                    }
                    _ => None,
                })
                .unwrap_or("");
            format!(
                "```graft\n{name}\n```\n\nthe inputs of `{service}` as the customer provides them: `{name}.FIELD`"
            )
        }
    };
    Some(hover_of(text, range))
}

/// A field's declaration on one line, as written: `database: int(0..=15) = 0`.
fn field_line<'p>(at: &'p Parsed, f: &crate::syntax::ast::Field) -> &'p str {
    slice(&at.text, Span::new(f.name.span.start, f.span.end))
        .lines()
        .next()
        .unwrap_or("")
}

fn hover_of(markdown: String, range: Option<lsp::Range>) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: markdown,
        }),
        range,
    }
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end.min(text.len())).unwrap_or("")
}

/// The file's outline: services with their inputs, matchers with their
/// arms, rules.
#[allow(deprecated)]
pub fn symbols(file: &Parsed, encoding: super::Encoding) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(&file.text, encoding);
    let range = |s: Span| index.range(s.start, s.end);
    let symbol = |name: String, detail: Option<String>, kind, whole: Span, at: Span, children| {
        DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: range(whole),
            selection_range: range(at),
            children,
        }
    };
    file.module
        .items
        .iter()
        .map(|item| match item {
            Item::Service(s) => {
                let fields = s
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        Member::Field(f) => Some(symbol(
                            f.name.text.clone(),
                            Some(slice(&file.text, f.ty.span).to_string()),
                            SymbolKind::FIELD,
                            f.span,
                            f.name.span,
                            None,
                        )),
                        Member::Owns(_) => None,
                    })
                    .collect();
                symbol(
                    s.name.text.clone(),
                    Some("service".into()),
                    SymbolKind::INTERFACE,
                    s.span,
                    s.name.span,
                    Some(fields),
                )
            }
            Item::Matcher(m) => {
                let arms = m
                    .arms
                    .iter()
                    .map(|a| {
                        let types: Vec<&str> =
                            a.types.iter().map(|t| t.name.text.as_str()).collect();
                        symbol(
                            format!("{} {}", a.format.text, types.join(" | ")),
                            None,
                            SymbolKind::CLASS,
                            a.span,
                            a.format.span,
                            None,
                        )
                    })
                    .collect();
                symbol(
                    m.name.text.clone(),
                    Some(format!("match for {}", m.service_name().text)),
                    SymbolKind::CLASS,
                    m.span,
                    m.name.span,
                    Some(arms),
                )
            }
            Item::Rule(r) => symbol(
                format!("when {} is provided", r.service.text),
                Some("rule".into()),
                SymbolKind::FUNCTION,
                r.span,
                r.service.span,
                None,
            ),
        })
        .collect()
}

/// Folding ranges: each item, and each doc comment block.
pub fn folding(file: &Parsed, encoding: super::Encoding) -> Vec<lsp::FoldingRange> {
    let index = LineIndex::new(&file.text, encoding);
    let mut out = Vec::new();
    let mut fold = |span: Span, kind: Option<lsp::FoldingRangeKind>| {
        let (start, end) = (index.position(span.start), index.position(span.end));
        if end.line > start.line {
            out.push(lsp::FoldingRange {
                start_line: start.line,
                end_line: end.line,
                kind,
                ..lsp::FoldingRange::default()
            });
        }
    };
    for item in &file.module.items {
        let docs = match item {
            Item::Service(s) => &s.docs,
            Item::Matcher(m) => &m.docs,
            Item::Rule(r) => &r.docs,
        };
        if let Some(d) = docs.span {
            fold(d, Some(lsp::FoldingRangeKind::Comment));
        }
        let body_start = docs.span.map_or(item.span().start, |d| d.end);
        fold(
            Span::new(body_start, item.span().end),
            Some(lsp::FoldingRangeKind::Region),
        );
    }
    out
}

/// The words the language reserves, offered where nothing more specific is.
pub(super) const KEYWORDS: &[&str] = &[
    "service",
    "match",
    "when",
    "is",
    "provided",
    "as",
    "for",
    "drop",
    "bind",
    "inject",
    "set",
    "env",
    "mount",
    "annotate",
    "alias",
    "if",
    "unless",
    "on",
    "at",
    "has",
    "in",
    "customer_owns",
    "true",
    "false",
    "null",
];

/// Completions at `offset` of `file`, from the text before the cursor (so
/// that they work in a half-written item): a service's inputs after the
/// name a rule binds them to (`c.`), a format's resource types after the
/// format, the attributes of an arm's types in its predicate, and otherwise
/// keywords, formats and the folder's services.
pub fn completions(folder: &[Parsed], file: &Parsed, offset: usize) -> Vec<lsp::CompletionItem> {
    use lsp::{CompletionItem, CompletionItemKind};
    let mut offset = offset.min(file.text.len());
    while !file.text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &file.text[..offset];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let item = |label: &str, kind, detail: Option<String>, doc: &str| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        documentation: (!doc.is_empty()).then(|| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: doc.to_string(),
            })
        }),
        ..CompletionItem::default()
    };
    // `c.` in a rule: the inputs of the service the rule binds to `c`.
    if let Some(caps) = regex_at(&patterns::INPUT, line) {
        let bound = &caps[0];
        let rule = patterns::RULE.as_ref().and_then(|re| {
            re.captures_iter(before)
                .filter(|c| &c[2] == bound)
                .last()
                .map(|c| c[1].to_string())
        });
        let Some(service) = rule else {
            return Vec::new();
        };
        let Some((at, decl)) = service_declaration(folder, &service) else {
            return Vec::new();
        };
        return decl
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Field(f) => Some(item(
                    &f.name.text,
                    CompletionItemKind::FIELD,
                    Some(slice(&at.text, f.ty.span).to_string()),
                    &f.docs.text(),
                )),
                Member::Owns(_) => None,
            })
            .collect();
    }
    // `bind ` in a rule: the endpoint roles its service's matchers declare.
    if regex_at(&patterns::BIND, line).is_some() {
        let service = patterns::RULE
            .as_ref()
            .and_then(|re| re.captures_iter(before).last().map(|c| c[1].to_string()));
        let Some(service) = service else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for p in folder {
            for i in &p.module.items {
                let Item::Matcher(m) = i else { continue };
                if m.service_name().text != service {
                    continue;
                }
                for arm in &m.arms {
                    for role in arm.roles.iter().flatten() {
                        if seen.insert(role.name.text.clone()) {
                            out.push(item(
                                &role.name.text,
                                CompletionItemKind::VALUE,
                                Some(format!("endpoint role of `{service}`")),
                                &role.docs.text(),
                            ));
                        }
                    }
                }
            }
        }
        return out;
    }
    // An arm's types: after its format, and after each `|`.
    if let Some(caps) = regex_at(&patterns::TYPES, line) {
        let Some(format) = crate::catalogue::Format::from_keyword(&caps[0]) else {
            return Vec::new();
        };
        return format
            .types()
            .iter()
            .map(|t| item(t.name, CompletionItemKind::CLASS, None, t.doc))
            .collect();
    }
    // An arm's predicate: the attributes its types have.
    if let Some(caps) = regex_at(&patterns::PREDICATE, line) {
        let Some(format) = crate::catalogue::Format::from_keyword(&caps[0]) else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for name in caps[1].split('|').map(|t| t.trim().trim_matches('"')) {
            let Some(ty) = format.resource_type(name) else {
                continue;
            };
            for a in ty.attributes() {
                if seen.insert(a.path) {
                    out.push(item(
                        a.path,
                        CompletionItemKind::PROPERTY,
                        Some(format!("{:?}", a.ty).to_lowercase()),
                        a.doc,
                    ));
                }
            }
        }
        return out;
    }
    let mut out: Vec<CompletionItem> = KEYWORDS
        .iter()
        .map(|k| item(k, CompletionItemKind::KEYWORD, None, ""))
        .collect();
    out.extend(crate::catalogue::Format::ALL.iter().map(|f| {
        item(
            f.keyword(),
            CompletionItemKind::ENUM_MEMBER,
            Some("stack format".into()),
            "",
        )
    }));
    let mut services = BTreeSet::new();
    for p in folder {
        for i in &p.module.items {
            if let Item::Service(s) = i
                && services.insert(s.name.text.clone())
            {
                out.push(item(
                    &s.name.text,
                    CompletionItemKind::INTERFACE,
                    Some("service".into()),
                    &s.docs.text(),
                ));
            }
        }
    }
    out
}

/// What completion looks for in the text before the cursor, compiled once.
mod patterns {
    use regex::Regex;
    use std::sync::LazyLock;

    type Pattern = LazyLock<Option<Regex>>;

    /// `NAME.` (and what follows it): a rule's binding, used.
    pub static INPUT: Pattern =
        LazyLock::new(|| Regex::new(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_]*)$").ok());
    /// `bind ` and the role being written.
    pub static BIND: Pattern =
        LazyLock::new(|| Regex::new(r"^\s*bind\s+([A-Za-z_][A-Za-z0-9_]*)?$").ok());
    /// A rule's header: its service and binding.
    pub static RULE: Pattern = LazyLock::new(|| {
        Regex::new(
            r"when\s+([A-Za-z_][A-Za-z0-9_]*)\s+is\s+provided\s+as\s+([A-Za-z_][A-Za-z0-9_]*)",
        )
        .ok()
    });
    /// An arm's format and types, the last one being written.
    pub static TYPES: Pattern = LazyLock::new(|| {
        Regex::new(r#"^\s*(kubernetes|terraform|cloudformation|compose)\s+(?:"?[A-Za-z0-9_:]+"?\s*\|\s*)*"?[A-Za-z0-9_:]*$"#)
            .ok()
    });
    /// An arm's predicate being written, after its format and types.
    pub static PREDICATE: Pattern = LazyLock::new(|| {
        Regex::new(r#"^\s*(kubernetes|terraform|cloudformation|compose)\s+((?:"?[A-Za-z0-9_:]+"?\s*\|?\s*)+)\s+if\b[^{]*$"#)
            .ok()
    });
}

/// The capture groups (after the whole match) of `pattern` on `text`.
fn regex_at(pattern: &Option<regex::Regex>, text: &str) -> Option<Vec<String>> {
    let caps = pattern.as_ref()?.captures(text)?;
    Some(
        caps.iter()
            .skip(1)
            .map(|m| m.map_or(String::new(), |m| m.as_str().to_string()))
            .collect(),
    )
}

/// The range of the name at `offset` that can be renamed (a service, an
/// input, a matcher or a bound name).
pub fn prepare_rename(
    folder: &[Parsed],
    own: usize,
    offset: usize,
    encoding: super::Encoding,
) -> Option<lsp::Range> {
    let (_, span) = symbol_at(folder, own, offset)?;
    let index = LineIndex::new(&folder.get(own)?.text, encoding);
    Some(index.range(span.start, span.end))
}

fn location(
    folder: &[Parsed],
    file: usize,
    span: Span,
    encoding: super::Encoding,
) -> Option<lsp::Location> {
    let p = folder.get(file)?;
    let uri = lsp::Uri::from_file_path(&p.path)?;
    let index = LineIndex::new(&p.text, encoding);
    Some(lsp::Location::new(uri, index.range(span.start, span.end)))
}

/// Every place that names the symbol at `offset` (its declaration too when
/// `declaration`).
pub fn references(
    folder: &[Parsed],
    own: usize,
    offset: usize,
    declaration: bool,
    encoding: super::Encoding,
) -> Vec<lsp::Location> {
    let Some((symbol, _)) = symbol_at(folder, own, offset) else {
        return Vec::new();
    };
    occurrences(folder, &symbol)
        .into_iter()
        .filter(|o| declaration || !o.declaration)
        .filter_map(|o| location(folder, o.file, o.span, encoding))
        .collect()
}

/// Renames the symbol at `offset` everywhere it is named in the folder,
/// with a note for the user when names outside it (in customers' bindings)
/// must follow; `Err` says why the new name is refused.
pub fn rename(
    folder: &[Parsed],
    own: usize,
    offset: usize,
    new_name: &str,
    encoding: super::Encoding,
) -> Result<Option<(lsp::WorkspaceEdit, Option<String>)>, String> {
    let Some((symbol, _)) = symbol_at(folder, own, offset) else {
        return Ok(None);
    };
    if let Some(why) = refuse_rename(folder, &symbol, new_name) {
        return Err(why);
    }
    let mut changes: std::collections::HashMap<lsp::Uri, Vec<lsp::TextEdit>> =
        std::collections::HashMap::new();
    for o in occurrences(folder, &symbol) {
        if let Some(l) = location(folder, o.file, o.span, encoding) {
            changes
                .entry(l.uri)
                .or_default()
                .push(lsp::TextEdit::new(l.range, new_name.to_string()));
        }
    }
    let note = match &symbol {
        Symbol::Service(old) if old != new_name => Some(format!(
            "bindings files name the service `{old}` as their top-level key: customers' bindings need `{new_name}` instead"
        )),
        Symbol::Field { service, field } if field != new_name => Some(format!(
            "bindings files name the input `{field}` under `{service}`: customers' bindings need `{new_name}` instead"
        )),
        _ => None,
    };
    let edit = lsp::WorkspaceEdit {
        changes: Some(changes),
        ..lsp::WorkspaceEdit::default()
    };
    Ok(Some((edit, note)))
}

/// The semantic token types the server reports, in legend order.
pub const TOKEN_TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::REGEXP,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::TYPE,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::PROPERTY,
    lsp::SemanticTokenType::PARAMETER,
];

/// The token modifiers, in legend order.
pub const TOKEN_MODIFIERS: &[lsp::SemanticTokenModifier] = &[
    lsp::SemanticTokenModifier::DECLARATION,
    lsp::SemanticTokenModifier::DOCUMENTATION,
];

/// Semantic tokens of a file: a scan of its text for comments, strings,
/// regexes, numbers and keywords, with the names the syntax tree knows
/// (services, matchers, inputs, a rule's binding) told apart. Works on a
/// file with syntax errors: what parsed is named, the rest is lexical.
pub fn semantic_tokens(file: &Parsed, encoding: super::Encoding) -> Vec<lsp::SemanticToken> {
    // Names from the tree, by start offset: (type, modifiers).
    let mut names: std::collections::HashMap<usize, (u32, u32)> = Default::default();
    let mut bindings: BTreeSet<String> = BTreeSet::new();
    for item in &file.module.items {
        match item {
            Item::Service(s) => {
                names.insert(s.name.span.start, (5, 1));
                for m in &s.members {
                    if let Member::Field(f) = m {
                        names.insert(f.name.span.start, (7, 1));
                    }
                }
            }
            Item::Matcher(m) => {
                names.insert(m.name.span.start, (6, 1));
                if let Some(s) = &m.service {
                    names.insert(s.span.start, (5, 0));
                }
            }
            Item::Rule(r) => {
                names.insert(r.service.span.start, (5, 0));
                if let Some(b) = &r.binding {
                    names.insert(b.span.start, (8, 1));
                    bindings.insert(b.text.clone());
                }
            }
        }
    }
    let text = file.text.as_str();
    let bytes = text.as_bytes();
    let index = LineIndex::new(text, encoding);
    let mut raw: Vec<(usize, usize, u32, u32)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let line_end = || memchr::memchr(b'\n', &bytes[i..]).map_or(text.len(), |n| i + n);
        if text[i..].starts_with("//") {
            let doc = text[i..].starts_with("///") && !text[i..].starts_with("////");
            let end = line_end();
            raw.push((i, end, 1, if doc { 2 } else { 0 }));
            i = end;
        } else if text[i..].starts_with("r\"") || c == b'"' {
            let regex = c == b'r';
            let line_end = line_end();
            let mut j = i + if regex { 2 } else { 1 };
            while j < line_end && bytes[j] != b'"' {
                j += if !regex && bytes[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(line_end);
            raw.push((i, end, if regex { 3 } else { 2 }, 0));
            i = end.max(i + 1);
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            raw.push((i, j, 4, 0));
            i = j;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            let word = &text[i..j];
            let after_dot = i > 0 && bytes[i - 1] == b'.';
            if let Some(&(ty, modifiers)) = names.get(&i) {
                raw.push((i, j, ty, modifiers));
            } else if !after_dot
                && bytes.get(j) != Some(&b'.')
                && (KEYWORDS.contains(&word)
                    || crate::catalogue::Format::from_keyword(word).is_some())
            {
                raw.push((i, j, 0, 0));
            } else if !after_dot && bindings.contains(word) && bytes.get(j) == Some(&b'.') {
                raw.push((i, j, 8, 0));
            }
            i = j;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    // Relative encoding: each token from the previous one's start.
    let mut out = Vec::new();
    let (mut line, mut col) = (0, 0);
    for (start, end, ty, modifiers) in raw {
        let (s, e) = (index.position(start), index.position(end));
        if e.line != s.line || e.character <= s.character {
            continue;
        }
        out.push(lsp::SemanticToken {
            delta_line: s.line - line,
            delta_start: if s.line == line {
                s.character - col
            } else {
                s.character
            },
            length: e.character - s.character,
            token_type: ty,
            token_modifiers_bitset: modifiers,
        });
        (line, col) = (s.line, s.character);
    }
    out
}
