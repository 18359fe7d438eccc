//! Matchers: formats, resource types, predicates over attributes, and the
//! endpoint roles each arm declares.

use super::program::{ArmDef, MatcherDef, Origin, Pattern, Predicate, RoleDef, RoleSource, Value};
use super::services::literal_value;
use super::{Checker, list_names};
use crate::catalogue::{AttrLookup, AttrType, Format, ResourceType};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, CmpOp, ExprKind, LitKind, Literal, Operand};

/// How deeply a regex may nest groups and repetitions.
const REGEX_NEST_LIMIT: u32 = 64;
/// Regexes whose estimated size passes this are compiled at check time, to
/// report the ones past [`Pattern::SIZE_LIMIT`].
const COMPILE_CHECK_ABOVE: u64 = 20_000;

/// A rough upper estimate of a regex's compiled size: counted repetitions
/// multiply, Unicode classes weigh by their ranges.
fn estimated_size(hir: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len() as u64,
        HirKind::Class(Class::Unicode(c)) => c.ranges().len() as u64 * 4,
        HirKind::Class(Class::Bytes(c)) => c.ranges().len() as u64,
        HirKind::Repetition(r) => {
            let times = u64::from(r.max.unwrap_or(r.min).max(r.min).max(1));
            estimated_size(&r.sub).saturating_mul(times)
        }
        HirKind::Capture(c) => estimated_size(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .map(estimated_size)
            .fold(0, u64::saturating_add),
    }
}

impl Checker<'_> {
    pub(super) fn matcher(&mut self, file: FileId, m: &ast::Matcher) {
        let service = m.service_name();
        if !self.service_decls.contains_key(&service.text)
            && !self.poisoned_services.contains(&service.text)
        {
            let help = if m.service.is_none() {
                Some(format!(
                    "a matcher finds the service it is named after; write `match {} for SERVICE` to name another",
                    m.name.text
                ))
            } else {
                Some("declare the service with `service NAME { ... }`".into())
            };
            let candidates: Vec<String> = self.service_decls.keys().cloned().collect();
            let name = &service.text;
            if let Some(meant) =
                crate::diagnostics::did_you_mean(name, candidates.iter().map(String::as_str))
            {
                self.suspected.insert(meant.to_string());
            }
            self.unknown(
                Code::UnknownService,
                file,
                service,
                format!("unknown service `{}`", service.text),
                candidates.iter().map(String::as_str),
                help,
            );
        }
        let mut def = MatcherDef {
            name: m.name.text.clone(),
            service: service.text.clone(),
            arms: Vec::new(),
            origin: Origin { file, span: m.span },
        };
        for arm in &m.arms {
            match self.arm(file, arm) {
                Some(a) => def.arms.push(a),
                None => {
                    self.poisoned_services.insert(service.text.clone());
                }
            }
        }
        let is_first = self
            .matcher_decls
            .get(&m.name.text)
            .is_some_and(|&(f, first)| f == file && first.span == m.span);
        if is_first {
            self.program.matchers.push(def);
        }
    }

    fn arm(&mut self, file: FileId, arm: &ast::Arm) -> Option<ArmDef> {
        let Some(format) = Format::from_keyword(&arm.format.text) else {
            self.unknown(
                Code::UnknownFormat,
                file,
                &arm.format,
                format!("unknown stack format `{}`", arm.format.text),
                Format::ALL.iter().map(|f| f.keyword()),
                Some(format!(
                    "the formats are {}",
                    list_names(Format::ALL.iter().map(|f| f.keyword()))
                )),
            );
            return None;
        };
        let mut types: Vec<&'static ResourceType> = Vec::new();
        let mut all_known = true;
        for t in &arm.types {
            match format.resource_type(&t.name.text) {
                Some(rt) => {
                    if !types.iter().any(|k| std::ptr::eq(*k, rt)) {
                        types.push(rt);
                    }
                }
                None => {
                    all_known = false;
                    self.unknown_type(file, format, t);
                }
            }
        }
        if !all_known {
            return None;
        }
        let predicate = arm
            .predicate
            .as_ref()
            .map(|p| self.predicate(file, p, &types));
        let mut roles: Vec<RoleDef> = Vec::new();
        let mut seen: std::collections::HashMap<&str, Span> = Default::default();
        for role in arm.roles.iter().flatten() {
            if let Some(&first_span) = seen.get(role.name.text.as_str()) {
                self.duplicate("endpoint role", &role.name, file, file, first_span);
                continue;
            }
            seen.insert(&role.name.text, role.name.span);
            let mut sources = Vec::new();
            for v in &role.values {
                match v {
                    Operand::Path(p) => {
                        if self.attribute(file, p, &types).is_some() {
                            sources.push(RoleSource::Attribute(p.dotted()));
                        }
                    }
                    Operand::Literal(l) => match literal_value(l) {
                        Some(value @ (Value::Str(_) | Value::Int(_))) => {
                            sources.push(RoleSource::Const(value))
                        }
                        _ => self.report(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                file,
                                l.span,
                                format!("an endpoint role cannot be {}", l.kind.describe()),
                            )
                            .label("expected an attribute, a string or an integer")
                            .help("name the attribute that holds the role's value, or give a constant such as `6379`"),
                        ),
                    },
                }
            }
            roles.push(RoleDef {
                name: role.name.text.clone(),
                sources,
                origin: Origin {
                    file,
                    span: role.name.span,
                },
            });
        }
        Some(ArmDef {
            format,
            types,
            predicate,
            roles,
            // The header (format, types and predicate) stands for the arm in
            // diagnostics; the roles block would only add noise.
            origin: Origin {
                file,
                span: arm_header(arm),
            },
        })
    }

    fn unknown_type(&mut self, file: FileId, format: Format, t: &ast::TypeName) {
        let elsewhere = Format::ALL
            .iter()
            .find(|f| **f != format && f.resource_type(&t.name.text).is_some());
        let fallback = match elsewhere {
            Some(f) => format!("`{}` is a {} type; put it in a `{}` arm", t.name.text, f, f),
            None => format!(
                "the {format} catalogue has no such type; see `docs/catalogue.md` for the types graft knows"
            ),
        };
        self.unknown(
            Code::UnknownResourceType,
            file,
            &t.name,
            format!("unknown {format} resource type `{}`", t.name.text),
            format.types().iter().map(|rt| rt.name),
            Some(fallback),
        );
    }

    /// Resolves an attribute path on every type of an arm. Returns the
    /// attribute's type when all agree (`Some(None)` when it is free-form),
    /// or `None` after reporting a type that lacks it.
    fn attribute(
        &mut self,
        file: FileId,
        path: &ast::Path,
        types: &[&'static ResourceType],
    ) -> Option<Option<AttrType>> {
        let dotted = path.dotted();
        let mut found: Option<AttrType> = None;
        let mut agreed = true;
        for rt in types {
            match rt.attribute(&dotted) {
                AttrLookup::Found(ty) => {
                    if found.is_some_and(|f| f != ty) {
                        agreed = false;
                    }
                    found = Some(ty);
                }
                AttrLookup::InMap => agreed = false,
                AttrLookup::Missing => {
                    let name = ast::Name {
                        text: dotted.clone(),
                        span: path.span,
                    };
                    self.unknown(
                        Code::UnknownAttribute,
                        file,
                        &name,
                        format!("`{}` has no attribute `{dotted}`", rt.name),
                        rt.attributes().map(|a| a.path),
                        Some(format!(
                            "hover the type or see `docs/catalogue.md` for the attributes of `{}`",
                            rt.name
                        )),
                    );
                    return None;
                }
            }
        }
        Some(if agreed { found } else { None })
    }

    /// Checks and lowers a predicate over a resource's attributes.
    fn predicate(
        &mut self,
        file: FileId,
        e: &ast::Expr,
        types: &[&'static ResourceType],
    ) -> Predicate {
        match &e.kind {
            ExprKind::Or(parts) => Predicate::Or(
                parts
                    .iter()
                    .map(|p| self.predicate(file, p, types))
                    .collect(),
            ),
            ExprKind::And(parts) => Predicate::And(
                parts
                    .iter()
                    .map(|p| self.predicate(file, p, types))
                    .collect(),
            ),
            ExprKind::Not(inner) => Predicate::Not(Box::new(self.predicate(file, inner, types))),
            ExprKind::Paren(inner) => self.predicate(file, inner, types),
            ExprKind::Has(path) => {
                self.attribute(file, path, types);
                Predicate::Has(path.dotted())
            }
            ExprKind::Operand(Operand::Literal(Literal {
                kind: LitKind::Bool(b),
                ..
            })) => Predicate::Const(*b),
            ExprKind::Operand(Operand::Path(path)) => {
                if let Some(Some(ty)) = self.attribute(file, path, types)
                    && ty != AttrType::Bool
                {
                    self.not_boolean(file, path.span, &path.dotted(), ty);
                }
                Predicate::IsTrue(path.dotted())
            }
            ExprKind::Operand(Operand::Literal(l)) => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        file,
                        l.span,
                        format!("a condition cannot be {}", l.kind.describe()),
                    )
                    .label("expected a boolean")
                    .help("compare an attribute with it, such as `engine == \"redis\"`"),
                );
                Predicate::Const(false)
            }
            ExprKind::Compare(a, op, b) => {
                let Some((path, lit, op)) = self.attribute_vs_constant(file, e.span, a, *op, b)
                else {
                    return Predicate::Const(false);
                };
                let ty = self.attribute(file, path, types).flatten();
                let value = self.constant(file, lit, &path.dotted(), ty, op);
                match value {
                    Some(v) => Predicate::Compare(path.dotted(), op, v),
                    None => Predicate::Const(false),
                }
            }
            ExprKind::In(a, list) => {
                let Operand::Path(path) = a else {
                    self.constant_on_left(file, a.span());
                    return Predicate::Const(false);
                };
                let ty = self.attribute(file, path, types).flatten();
                let LitKind::List(items) = &list.kind else {
                    return Predicate::Const(false);
                };
                let values: Vec<Value> = items
                    .iter()
                    .filter_map(|item| self.constant(file, item, &path.dotted(), ty, CmpOp::Eq))
                    .collect();
                Predicate::In(path.dotted(), values)
            }
            ExprKind::Matches(a, re) => {
                let Operand::Path(path) = a else {
                    self.constant_on_left(file, a.span());
                    return Predicate::Const(false);
                };
                let ty = self.attribute(file, path, types).flatten();
                if let Some(ty) = ty.filter(|t| *t != AttrType::String) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            file,
                            path.span,
                            format!("`{}` is {}, not a string", path.dotted(), ty.with_article()),
                        )
                        .label("`~` matches strings")
                        .help("compare it with `==` instead"),
                    );
                }
                match self.regex(file, re) {
                    Some(r) => Predicate::Matches(path.dotted(), r),
                    None => Predicate::Const(false),
                }
            }
            ExprKind::Is(..) => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        file,
                        e.span,
                        "`is` tests which type an input holds; it does not apply to attributes",
                    )
                    .label("not allowed in a match predicate")
                    .help(
                        "compare the attribute with a value instead, such as `engine == \"redis\"`",
                    ),
                );
                Predicate::Const(false)
            }
        }
    }

    /// Splits `a op b` into attribute, constant and the operator as seen
    /// from the attribute.
    fn attribute_vs_constant<'e>(
        &mut self,
        file: FileId,
        span: Span,
        a: &'e Operand,
        op: CmpOp,
        b: &'e Operand,
    ) -> Option<(&'e ast::Path, &'e Literal, CmpOp)> {
        match (a, b) {
            (Operand::Path(p), Operand::Literal(l)) => Some((p, l, op)),
            (Operand::Literal(l), Operand::Path(p)) => Some((p, l, op.flip())),
            (Operand::Path(_), Operand::Path(_)) => {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        file,
                        span,
                        "two attributes are compared",
                    )
                    .label("one side must be a constant")
                    .help("compare an attribute with a constant, such as `engine == \"redis\"`"),
                );
                None
            }
            (Operand::Literal(_), Operand::Literal(_)) => {
                self.report(
                    Diagnostic::new(Code::TypeMismatch, file, span, "two constants are compared")
                        .label("this never depends on the resource")
                        .help(
                            "compare an attribute with a constant, such as `engine == \"redis\"`",
                        ),
                );
                None
            }
        }
    }

    fn constant_on_left(&mut self, file: FileId, span: Span) {
        self.report(
            Diagnostic::new(Code::TypeMismatch, file, span, "expected an attribute here")
                .label("a constant")
                .help("write the attribute first, such as `engine in [\"redis\", \"valkey\"]`"),
        );
    }

    fn not_boolean(&mut self, file: FileId, span: Span, path: &str, ty: AttrType) {
        self.report(
            Diagnostic::new(
                Code::TypeMismatch,
                file,
                span,
                format!("`{path}` is {}, not a boolean", ty.with_article()),
            )
            .label("used as a condition")
            .help(format!(
                "compare it with a value, or test its presence with `has {path}`"
            )),
        );
    }

    /// Checks a constant compared with an attribute of type `ty`.
    fn constant(
        &mut self,
        file: FileId,
        lit: &Literal,
        attr: &str,
        ty: Option<AttrType>,
        op: CmpOp,
    ) -> Option<Value> {
        let mismatch = |this: &mut Self, message: String, help: &str| {
            this.report(
                Diagnostic::new(Code::TypeMismatch, file, lit.span, message)
                    .label("of the wrong type")
                    .help(help.to_string()),
            );
            None
        };
        let value = match &lit.kind {
            LitKind::Regex(_) => {
                return mismatch(
                    self,
                    "a regex is compared with `==`".into(),
                    "match a regex with `~`: `image ~ r\"redis\"`",
                );
            }
            LitKind::List(_) => {
                return mismatch(
                    self,
                    "a list is compared with `==`".into(),
                    "test membership with `in`: `engine in [\"redis\", \"valkey\"]`",
                );
            }
            _ => match literal_value(lit) {
                Some(v) => v,
                None => {
                    return mismatch(
                        self,
                        "a predicate cannot interpolate inputs".into(),
                        "match predicates see only the resource; remove the `${...}`",
                    );
                }
            },
        };
        let ordered = op.is_ordering();
        if ordered && !matches!(value, Value::Int(_)) {
            return mismatch(
                self,
                format!("`{}` compares integers", op.as_str()),
                "compare with an integer",
            );
        }
        let Some(ty) = ty else { return Some(value) };
        let fits = match (&value, ty) {
            (Value::Null, _) => !ordered,
            (Value::Str(_), AttrType::String)
            | (Value::Int(_), AttrType::Int)
            | (Value::Bool(_), AttrType::Bool) => true,
            // Stacks often quote numbers and booleans.
            (Value::Str(_), AttrType::Int | AttrType::Bool) => !ordered,
            _ => false,
        };
        if fits {
            Some(value)
        } else {
            let what = match &value {
                Value::Str(_) => "a string",
                Value::Int(_) => "an integer",
                Value::Bool(_) => "a boolean",
                _ => "a list",
            };
            mismatch(
                self,
                format!(
                    "`{attr}` is {}, but is compared with {what}",
                    ty.with_article()
                ),
                &format!("compare it with {}", ty.with_article()),
            )
        }
    }

    /// Checks a regex literal's syntax, reporting it when invalid. The
    /// regex itself is compiled the first time the engine uses it.
    pub(super) fn regex(&mut self, file: FileId, lit: &Literal) -> Option<Pattern> {
        let pattern = match &lit.kind {
            LitKind::Regex(p) => p.clone(),
            _ => return None,
        };
        let parsed = regex_syntax::ParserBuilder::new()
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .parse(&pattern);
        match parsed {
            // Most patterns are small; only those that might be large are
            // compiled now, to refuse the ones past the size limit.
            Ok(hir) if estimated_size(&hir) <= COMPILE_CHECK_ABOVE => Some(Pattern::new(pattern)),
            Ok(_) => {
                let compiled = Pattern::new(pattern);
                if compiled.regex().is_some() {
                    return Some(compiled);
                }
                self.report(
                    Diagnostic::new(
                        Code::InvalidRegex,
                        file,
                        lit.span,
                        format!(
                            "this regex compiles to more than {} KiB",
                            Pattern::SIZE_LIMIT / 1024
                        ),
                    )
                    .label("too large")
                    .help("use fewer or smaller counted repetitions (`{n}`), or ASCII classes (`[0-9A-Za-z_]` rather than `\\w`)"),
                );
                None
            }
            Err(e) => {
                let detail = e
                    .to_string()
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error:"))
                    .map(|l| l.trim_start_matches("error:").trim().to_string())
                    .unwrap_or_else(|| e.to_string());
                self.report(
                    Diagnostic::new(
                        Code::InvalidRegex,
                        file,
                        lit.span,
                        format!("invalid regex: {detail}"),
                    )
                    .label("this regex")
                    .help("graft uses Rust regex syntax (no look-around or backreferences); escape special characters with `\\`"),
                );
                None
            }
        }
    }
}

/// The span of an arm's header: format, types and predicate.
fn arm_header(arm: &ast::Arm) -> Span {
    let end = match (&arm.predicate, arm.types.last()) {
        (Some(p), _) => p.span,
        (None, Some(t)) => t.name.span,
        (None, None) => arm.format.span,
    };
    arm.format.span.to(end)
}
