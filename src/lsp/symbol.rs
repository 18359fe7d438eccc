//! The names of a rules folder as symbols: services, their inputs (fields),
//! matchers and a rule's bound name. Go to definition, find references,
//! rename and hover all start from [`symbol_at`] and walk [`occurrences`],
//! so that they always agree on what a name refers to.

use super::navigate::Parsed;
use crate::source::Span;
use crate::syntax::ast::{
    ActionBody, Expr, ExprKind, Item, LitKind, Literal, Member, Name, Operand, Path, Rule, StrPart,
    Target,
};

/// What a name in a rules folder refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    /// A service: its declaration, matchers for it, rules for it.
    Service(String),
    /// An input of a service: its declaration, and `c.FIELD` in the rules
    /// for that service.
    Field {
        /// The service.
        service: String,
        /// The input.
        field: String,
    },
    /// A matcher declared with `for SERVICE` (one without `for` is named
    /// after its service, and is that service's symbol).
    Matcher(String),
    /// The name a rule binds its service's inputs to (`as c`), which only
    /// that rule sees.
    Binding {
        /// The file of the rule, as an index into the folder.
        file: usize,
        /// Where the rule is.
        rule: Span,
    },
}

impl Symbol {
    /// What the symbol is, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Symbol::Service(_) => "service",
            Symbol::Field { .. } => "input",
            Symbol::Matcher(_) => "matcher",
            Symbol::Binding { .. } => "bound name",
        }
    }
}

/// One place a symbol is named: the file (an index into the folder), the
/// name's span, and whether it is the declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The file, as an index into the folder.
    pub file: usize,
    /// The name.
    pub span: Span,
    /// Whether this is where the symbol is declared.
    pub declaration: bool,
}

/// The symbol named at `offset` of the folder's file `file`, with the span
/// of that name.
pub fn symbol_at(folder: &[Parsed], file: usize, offset: usize) -> Option<(Symbol, Span)> {
    let module = &folder.get(file)?.module;
    let hit = |n: &Name| n.span.start <= offset && offset <= n.span.end;
    for item in &module.items {
        if !(item.span().start <= offset && offset <= item.span().end) {
            continue;
        }
        match item {
            Item::Service(s) => {
                if hit(&s.name) {
                    return Some((Symbol::Service(s.name.text.clone()), s.name.span));
                }
                for m in &s.members {
                    if let Member::Field(f) = m
                        && hit(&f.name)
                    {
                        let symbol = Symbol::Field {
                            service: s.name.text.clone(),
                            field: f.name.text.clone(),
                        };
                        return Some((symbol, f.name.span));
                    }
                }
            }
            Item::Matcher(m) => {
                if let Some(s) = m.service.as_ref().filter(|s| hit(s)) {
                    return Some((Symbol::Service(s.text.clone()), s.span));
                }
                if hit(&m.name) {
                    let symbol = match m.service {
                        None => Symbol::Service(m.name.text.clone()),
                        Some(_) => Symbol::Matcher(m.name.text.clone()),
                    };
                    return Some((symbol, m.name.span));
                }
            }
            Item::Rule(r) => {
                if hit(&r.service) {
                    return Some((Symbol::Service(r.service.text.clone()), r.service.span));
                }
                let binding = Symbol::Binding { file, rule: r.span };
                if let Some(b) = r.binding.as_ref().filter(|b| hit(b)) {
                    return Some((binding, b.span));
                }
                let b = r.binding.as_ref()?;
                for path in rule_paths(r) {
                    let (Some(first), second) = (path.segments.first(), path.segments.get(1))
                    else {
                        continue;
                    };
                    if first.text != b.text {
                        continue;
                    }
                    if hit(first) {
                        return Some((binding, first.span));
                    }
                    if let Some(second) = second.filter(|s| hit(s)) {
                        let symbol = Symbol::Field {
                            service: r.service.text.clone(),
                            field: second.text.clone(),
                        };
                        return Some((symbol, second.span));
                    }
                }
            }
        }
    }
    None
}

/// Every place in the folder that names `symbol`, declarations first, then
/// in file and position order.
pub fn occurrences(folder: &[Parsed], symbol: &Symbol) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut push = |file: usize, n: &Name, declaration: bool| {
        out.push(Occurrence {
            file,
            span: n.span,
            declaration,
        })
    };
    for (fi, p) in folder.iter().enumerate() {
        for item in &p.module.items {
            match (symbol, item) {
                (Symbol::Service(name), Item::Service(s)) if &s.name.text == name => {
                    push(fi, &s.name, true)
                }
                (Symbol::Service(name), Item::Matcher(m)) if &m.service_name().text == name => {
                    push(fi, m.service_name(), false)
                }
                (Symbol::Service(name), Item::Rule(r)) if &r.service.text == name => {
                    push(fi, &r.service, false)
                }
                (Symbol::Matcher(name), Item::Matcher(m))
                    if m.service.is_some() && &m.name.text == name =>
                {
                    push(fi, &m.name, true)
                }
                (Symbol::Field { service, field }, Item::Service(s)) if &s.name.text == service => {
                    for m in &s.members {
                        if let Member::Field(f) = m
                            && &f.name.text == field
                        {
                            push(fi, &f.name, true);
                        }
                    }
                }
                (Symbol::Field { service, field }, Item::Rule(r)) if &r.service.text == service => {
                    let Some(b) = &r.binding else { continue };
                    for path in rule_paths(r) {
                        if let [first, second, ..] = path.segments.as_slice()
                            && first.text == b.text
                            && &second.text == field
                        {
                            push(fi, second, false);
                        }
                    }
                }
                (Symbol::Binding { file, rule }, Item::Rule(r))
                    if *file == fi && r.span == *rule =>
                {
                    let Some(b) = &r.binding else { continue };
                    push(fi, b, true);
                    for path in rule_paths(r) {
                        if let Some(first) = path.segments.first()
                            && first.text == b.text
                        {
                            push(fi, first, false);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|o| (!o.declaration, o.file, o.span.start));
    out.dedup();
    out
}

/// Why `new_name` cannot be the new name of `symbol`, if it cannot.
pub fn refuse_rename(folder: &[Parsed], symbol: &Symbol, new_name: &str) -> Option<String> {
    let is_ident = new_name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && new_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    let what = symbol.describe();
    if !is_ident {
        return Some(format!(
            "`{new_name}` is not a name: a {what} name is a letter or `_`, then letters, digits or `_`"
        ));
    }
    if super::navigate::KEYWORDS.contains(&new_name)
        || crate::catalogue::Format::from_keyword(new_name).is_some()
    {
        return Some(format!("`{new_name}` is a keyword of the language"));
    }
    let items = || folder.iter().flat_map(|p| &p.module.items);
    match symbol {
        Symbol::Service(old) if old != new_name => {
            let taken = items().any(|i| matches!(i, Item::Service(s) if s.name.text == new_name));
            // A matcher named after the service (`match redis`) is renamed
            // with it, and may not take another matcher's name.
            let matcher = items().any(|i| matches!(i, Item::Matcher(m) if m.name.text == new_name));
            if taken {
                Some(format!(
                    "a service named `{new_name}` is already declared in this folder"
                ))
            } else {
                matcher.then(|| {
                    format!("a matcher named `{new_name}` is already declared in this folder")
                })
            }
        }
        Symbol::Matcher(old) if old != new_name => {
            let taken = items().any(|i| match i {
                Item::Matcher(m) => m.name.text == new_name,
                Item::Service(s) => s.name.text == new_name,
                Item::Rule(_) => false,
            });
            taken.then(|| {
                format!("`{new_name}` already names a matcher or a service in this folder")
            })
        }
        Symbol::Field { service, field } if field != new_name => {
            let taken = items().any(|i| match i {
                Item::Service(s) if &s.name.text == service => s
                    .members
                    .iter()
                    .any(|m| matches!(m, Member::Field(f) if f.name.text == new_name)),
                _ => false,
            });
            taken.then(|| format!("`{service}` already has an input named `{new_name}`"))
        }
        Symbol::Binding { file, rule } => {
            // The new name must not be read as something else inside the
            // rule: the rule's paths that do not start with the old name.
            let r = rule_of(folder, *file, *rule)?;
            let old = &r.binding.as_ref()?.text;
            let clash = old != new_name
                && rule_paths(r).iter().any(|p| {
                    p.segments
                        .first()
                        .is_some_and(|s| s.text == new_name && s.text != *old)
                });
            clash.then(|| format!("`{new_name}` is already used in this rule for something else"))
        }
        _ => None,
    }
}

/// The rule of `file` at `span`.
fn rule_of(folder: &[Parsed], file: usize, span: Span) -> Option<&Rule> {
    folder.get(file)?.module.items.iter().find_map(|i| match i {
        Item::Rule(r) if r.span == span => Some(r),
        _ => None,
    })
}

/// Every path a rule's actions and conditions name, interpolations in
/// strings included, in source order.
pub fn rule_paths(rule: &Rule) -> Vec<&Path> {
    let mut out = Vec::new();
    for action in &rule.actions {
        match &action.body {
            ActionBody::Drop { .. } | ActionBody::Alias { .. } => {}
            ActionBody::Bind { value, .. } | ActionBody::Set { value, .. } => {
                operand_paths(value, &mut out)
            }
            ActionBody::Inject { value, target } | ActionBody::Mount { value, target } => {
                operand_paths(value, &mut out);
                if let Target::File(l) = target {
                    literal_paths(l, &mut out);
                }
            }
            ActionBody::Annotate { key, value } => {
                literal_paths(key, &mut out);
                operand_paths(value, &mut out);
            }
        }
        if let Some(c) = &action.condition {
            expr_paths(&c.expr, &mut out);
        }
    }
    out.sort_by_key(|p| p.span.start);
    out
}

fn operand_paths<'a>(o: &'a Operand, out: &mut Vec<&'a Path>) {
    match o {
        Operand::Path(p) => out.push(p),
        Operand::Literal(l) => literal_paths(l, out),
    }
}

fn literal_paths<'a>(l: &'a Literal, out: &mut Vec<&'a Path>) {
    match &l.kind {
        LitKind::Str(parts) => out.extend(parts.iter().filter_map(|p| match p {
            StrPart::Interpolation(path) => Some(path),
            StrPart::Text(_) => None,
        })),
        LitKind::List(items) => items.iter().for_each(|i| literal_paths(i, out)),
        _ => {}
    }
}

/// Every path an expression names, interpolations in its strings included.
pub(super) fn expr_paths<'a>(e: &'a Expr, out: &mut Vec<&'a Path>) {
    match &e.kind {
        ExprKind::Or(es) | ExprKind::And(es) => es.iter().for_each(|e| expr_paths(e, out)),
        ExprKind::Not(e) | ExprKind::Paren(e) => expr_paths(e, out),
        ExprKind::Has(p) => out.push(p),
        ExprKind::Compare(a, _, b) => {
            operand_paths(a, out);
            operand_paths(b, out);
        }
        ExprKind::In(a, l) | ExprKind::Matches(a, l) => {
            operand_paths(a, out);
            literal_paths(l, out);
        }
        ExprKind::Is(a, _) | ExprKind::Operand(a) => operand_paths(a, out),
    }
}
