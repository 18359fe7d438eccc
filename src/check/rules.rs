//! `when` rules: the inputs they use, the actions they take, the conditions
//! they take them under, and what each action may be given (a secret only
//! ever by reference).

use super::conflicts::{Write, WriteTarget};
use super::program::{
    ActionDef, ActionOp, Condition, FieldType, InputRef, InputType, Origin, RuleDef, ServiceDef,
    Target, TemplatePart, Value, ValueExpr,
};
use super::services::literal_value;
use super::{Checker, list_names};
use crate::catalogue::{ActionKind, AttrType, Format};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, ActionBody, ExprKind, LitKind, Literal, Operand, StrPart};
use std::rc::Rc;

/// What a rule body is checked against.
struct Scope<'s> {
    file: FileId,
    /// The service, when it is known.
    service: Option<&'s ServiceDef>,
    service_name: &'s str,
    /// The name the inputs are bound to.
    binding: Option<&'s ast::Name>,
}

/// The type of a value in a rule.
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    /// A customer input.
    Input(FieldType),
    /// A string (a literal, a template or an endpoint's host).
    Str,
    /// An integer (a literal or an endpoint's port).
    Int,
    /// A boolean literal.
    Bool,
    /// `null`.
    Null,
    /// A list literal.
    List,
}

impl Ty {
    /// The attribute type this value would write, when it has one.
    fn scalar(&self) -> Option<AttrType> {
        match self {
            Ty::Str => Some(AttrType::String),
            Ty::Int => Some(AttrType::Int),
            Ty::Bool => Some(AttrType::Bool),
            Ty::Input(ft) => match ft.alternatives.as_slice() {
                [InputType::String | InputType::Enum(_) | InputType::Endpoint { .. }] => {
                    Some(AttrType::String)
                }
                [InputType::Int { .. }] => Some(AttrType::Int),
                [InputType::Bool] => Some(AttrType::Bool),
                _ => None,
            },
            Ty::Null | Ty::List => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Ty::Input(ft) => format!("`{}`", ft.describe()),
            Ty::Str => "a string".into(),
            Ty::Int => "an integer".into(),
            Ty::Bool => "a boolean".into(),
            Ty::Null => "`null`".into(),
            Ty::List => "a list".into(),
        }
    }
}

/// The endpoint roles the matchers of one service declare.
#[derive(Debug, Default)]
pub(super) struct ServiceRoles {
    /// Each role: its name, where it is first declared, and the attribute
    /// type it carries when all its sources agree.
    pub list: Vec<(String, Origin, Option<AttrType>)>,
    /// Index into `list` by name.
    pub by_name: std::collections::HashMap<String, usize>,
}

impl ServiceRoles {
    /// The role with this name.
    pub fn get(&self, name: &str) -> Option<&(String, Origin, Option<AttrType>)> {
        self.by_name.get(name).and_then(|&at| self.list.get(at))
    }
}

/// What one rule recorded for the later whole-folder checks.
pub(super) struct RuleFacts {
    pub service: String,
    pub file: FileId,
    /// The `drop` actions, by span.
    pub drops: Vec<Span>,
    /// The roles the rule binds.
    pub bound_roles: Vec<String>,
    /// The inputs the rule reads.
    pub used_fields: std::collections::BTreeSet<String>,
    /// The bound name, and whether anything used it.
    pub binding: Option<(ast::Name, bool)>,
    /// Whether the rule names a field its service does not have.
    pub unknown_field: bool,
    /// The rule's `provided` keyword, which `as NAME` follows.
    pub provided: Span,
}

impl Checker<'_> {
    pub(super) fn rule(&mut self, file: FileId, r: &ast::Rule) {
        let service = self.program.services.get(&r.service.text).cloned();
        if service.is_none()
            && !self.service_decls.contains_key(&r.service.text)
            && !self.poisoned_services.contains(&r.service.text)
        {
            let matcher_service = self
                .matcher_decls
                .get(&r.service.text)
                .map(|(_, m)| m.service_name().text.clone());
            let help = match matcher_service {
                Some(s) if s != r.service.text => Some(format!(
                    "`{}` is a matcher; rules are written for services: `when {s} is provided`",
                    r.service.text
                )),
                _ => Some("declare the service with `service NAME { ... }`".into()),
            };
            let candidates: Vec<String> = self.service_decls.keys().cloned().collect();
            let name = &r.service.text;
            if let Some(meant) =
                crate::diagnostics::did_you_mean(name, candidates.iter().map(String::as_str))
            {
                self.suspected.insert(meant.to_string());
            }
            self.unknown(
                Code::UnknownService,
                file,
                &r.service,
                format!("unknown service `{}`", r.service.text),
                candidates.iter().map(String::as_str),
                help,
            );
        }
        self.services_with_rules
            .entry(r.service.text.clone())
            .or_default()
            .push((file, r.service.span));
        let scope = Scope {
            file,
            service: service.as_ref(),
            service_name: &r.service.text,
            binding: r.binding.as_ref(),
        };
        let mut facts = RuleFacts {
            service: r.service.text.clone(),
            file,
            drops: Vec::new(),
            bound_roles: Vec::new(),
            used_fields: Default::default(),
            binding: r.binding.clone().map(|b| (b, false)),
            unknown_field: false,
            provided: r.provided,
        };
        let service_formats = self.service_formats(&r.service.text);
        let mut def = RuleDef {
            service: r.service.text.clone(),
            actions: Vec::new(),
            origin: Origin { file, span: r.span },
        };
        for action in &r.actions {
            if let Some(a) = self.action(&scope, action, &service_formats, &mut facts) {
                def.actions.push(a);
            }
        }
        self.program.rules.push(def);
        self.rule_facts.push(facts);
    }

    /// The formats in which some matcher finds `service`, in a fixed order.
    fn service_formats(&self, service: &str) -> Vec<Format> {
        let mut formats: Vec<Format> = self
            .program
            .matchers
            .iter()
            .filter(|m| m.service == service)
            .flat_map(|m| m.arms.iter().map(|a| a.format))
            .collect();
        formats.sort();
        formats.dedup();
        formats
    }

    /// The roles the matchers of `service` declare, with where each is first
    /// declared and the attribute type it carries (when all sources agree).
    /// Computed once per service: all matchers are checked before any rule.
    pub(super) fn service_roles(&mut self, service: &str) -> Rc<ServiceRoles> {
        if let Some(known) = self.role_cache.get(service) {
            return Rc::clone(known);
        }
        let mut roles = ServiceRoles::default();
        let mut agreed: Vec<bool> = Vec::new();
        for m in self
            .program
            .matchers
            .iter()
            .filter(|m| m.service == service)
        {
            for arm in &m.arms {
                for role in &arm.roles {
                    let ty = role_type(arm, role);
                    match roles.by_name.get(&role.name) {
                        Some(&at) => {
                            if roles.list.get(at).is_some_and(|r| r.2 != ty)
                                && let Some(flag) = agreed.get_mut(at)
                            {
                                *flag = false;
                            }
                        }
                        None => {
                            roles.by_name.insert(role.name.clone(), roles.list.len());
                            roles.list.push((role.name.clone(), role.origin, ty));
                            agreed.push(true);
                        }
                    }
                }
            }
        }
        for (role, agreed) in roles.list.iter_mut().zip(agreed) {
            if !agreed {
                role.2 = None;
            }
        }
        let roles = Rc::new(roles);
        self.role_cache
            .insert(service.to_string(), Rc::clone(&roles));
        roles
    }

    fn action(
        &mut self,
        scope: &Scope<'_>,
        action: &ast::Action,
        service_formats: &[Format],
        facts: &mut RuleFacts,
    ) -> Option<ActionDef> {
        let file = scope.file;
        // Which formats the action applies in.
        let mut formats: Vec<Format> = service_formats.to_vec();
        if !action.on.is_empty() {
            let mut listed = Vec::new();
            for name in &action.on {
                match Format::from_keyword(&name.text) {
                    Some(f) => {
                        if !service_formats.contains(&f) && !service_formats.is_empty() {
                            self.report(
                                Diagnostic::new(
                                    Code::NeverMatches,
                                    file,
                                    name.span,
                                    format!("no matcher finds `{}` in {f}", scope.service_name),
                                )
                                .label(format!("never applies in {f}"))
                                .help(format!(
                                    "`{}` is matched in {}",
                                    scope.service_name,
                                    list_names(service_formats.iter().map(|f| f.keyword()))
                                )),
                            );
                        }
                        listed.push(f);
                    }
                    None => self.unknown(
                        Code::UnknownFormat,
                        file,
                        name,
                        format!("unknown stack format `{}`", name.text),
                        Format::ALL.iter().map(|f| f.keyword()),
                        Some(format!(
                            "the formats are {}",
                            list_names(Format::ALL.iter().map(|f| f.keyword()))
                        )),
                    ),
                }
            }
            formats.retain(|f| listed.contains(f));
            if service_formats.is_empty() {
                formats = listed;
            }
        }

        let condition = action.condition.as_ref().and_then(|c| {
            let cond = self.condition(scope, &c.expr, facts)?;
            Some(if c.negated {
                Condition::Not(Box::new(cond))
            } else {
                cond
            })
        });
        let (op, kind) = match &action.body {
            ActionBody::Drop { span } => {
                facts.drops.push(*span);
                (Some(ActionOp::Drop), ActionKind::Drop)
            }
            ActionBody::Alias { .. } => (Some(ActionOp::Alias), ActionKind::Alias),
            ActionBody::Bind { role, value } => {
                facts.bound_roles.push(role.text.clone());
                let op = self.bind(scope, role, value, facts);
                (op, ActionKind::Bind)
            }
            ActionBody::Inject { value, target } => {
                let kind = match target {
                    ast::Target::Env(_) => ActionKind::InjectEnv,
                    ast::Target::File(_) => ActionKind::InjectFile,
                };
                let input = self.credential(scope, value, facts);
                let target = self.target(file, target);
                let op = match (input, target) {
                    (Some(input), Some(target)) => Some(ActionOp::Inject { input, target }),
                    _ => None,
                };
                (op, kind)
            }
            ActionBody::Mount { value, target } => {
                let kind = match target {
                    ast::Target::Env(_) => ActionKind::MountEnv,
                    ast::Target::File(_) => ActionKind::MountFile,
                };
                let input = self.mountable(scope, value, facts);
                let target = self.target(file, target);
                let op = match (input, target) {
                    (Some(input), Some(target)) => Some(ActionOp::Mount { input, target }),
                    _ => None,
                };
                (op, kind)
            }
            ActionBody::Set { env, value } => {
                let name = self.env_name(file, env);
                let value = self.plain_value(scope, value, "set", facts);
                let op = match (name, value) {
                    (Some(name), Some((value, _))) => Some(ActionOp::SetEnv { name, value }),
                    _ => None,
                };
                (op, ActionKind::SetEnv)
            }
            ActionBody::Annotate { key, value } => {
                let key = match key.kind.plain_str() {
                    Some(k) if valid_annotation_key(&k) => Some(k),
                    _ => {
                        self.report(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                file,
                                key.span,
                                "an annotation key must be a constant `prefix/name`",
                            )
                            .label("not a valid annotation key")
                            .help("write a key such as `\"graft.dev/redis-auth\"`: letters, digits, `-`, `_`, `.`, one optional `/`"),
                        );
                        None
                    }
                };
                // An annotation may name a secret: it records the reference.
                let value = match self.value(scope, value, facts) {
                    Some((_, Ty::Input(ft)))
                        if matches!(ft.alternatives.as_slice(), [InputType::Certificate]) =>
                    {
                        self.report(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                file,
                                value.span(),
                                "`annotate` cannot record a certificate",
                            )
                            .label("a certificate file")
                            .help("annotate with a plain value or a secret's reference; mount certificates with `mount`"),
                        );
                        None
                    }
                    other => other.map(|(v, _)| v),
                };
                let op = match (key, value) {
                    (Some(key), Some(value)) => Some(ActionOp::Annotate { key, value }),
                    _ => None,
                };
                (op, ActionKind::Annotate)
            }
        };

        // Formats that cannot carry the action out.
        let unsupported: Vec<Format> = formats
            .iter()
            .copied()
            .filter(|f| !f.supports(kind))
            .collect();
        if !unsupported.is_empty() {
            let supported: Vec<&str> = formats
                .iter()
                .filter(|f| f.supports(kind))
                .map(|f| f.keyword())
                .collect();
            let help = if supported.is_empty() {
                format!(
                    "no format `{}` is matched in can carry this out; remove the action",
                    scope.service_name
                )
            } else {
                format!(
                    "restrict it to the formats that can: `on {}`",
                    supported.join(", ")
                )
            };
            self.report(
                Diagnostic::new(
                    Code::UnsupportedAction,
                    file,
                    action.span,
                    format!(
                        "{} cannot carry out `{}`",
                        list_names(unsupported.iter().map(|f| f.keyword())),
                        describe_kind(kind)
                    ),
                )
                .label(format!(
                    "`{}` is matched in {}",
                    scope.service_name,
                    list_names(unsupported.iter().map(|f| f.keyword()))
                ))
                .help(help),
            );
        }

        let op = op?;
        let origin = Origin {
            file,
            span: action.span,
        };
        if let Some(write) = write_of(&op) {
            self.writes.push(Write {
                target: write.0,
                value: write.1,
                condition: condition.clone(),
                formats: formats.clone(),
                service: scope.service_name.to_string(),
                origin,
            });
        }
        Some(ActionDef {
            op,
            formats,
            condition,
            origin,
        })
    }

    fn bind(
        &mut self,
        scope: &Scope<'_>,
        role: &ast::Name,
        value: &Operand,
        facts: &mut RuleFacts,
    ) -> Option<ActionOp> {
        let roles = self.service_roles(scope.service_name);
        let declared = roles.get(&role.text);
        if declared.is_none()
            && scope.service.is_some()
            && !self.poisoned_services.contains(scope.service_name)
        {
            let help = if roles.list.is_empty() {
                format!(
                    "no matcher for `{}` declares endpoint roles; declare one in a match arm: `{} = ATTRIBUTE`",
                    scope.service_name, role.text
                )
            } else {
                format!(
                    "the matchers of `{}` declare {}",
                    scope.service_name,
                    list_names(roles.list.iter().map(|(n, ..)| n.as_str()))
                )
            };
            self.unknown(
                Code::UnknownRole,
                scope.file,
                role,
                format!(
                    "no matched type of `{}` has an endpoint role `{}`",
                    scope.service_name, role.text
                ),
                roles.list.iter().map(|(n, ..)| n.as_str()),
                Some(help),
            );
        }
        let span = value.span();
        let (value, ty) = self.plain_value(scope, value, "bind", facts)?;
        if let (Some((_, origin, Some(role_ty))), Some(value_ty)) = (declared, ty.scalar()) {
            let compatible =
                value_ty == *role_ty || (*role_ty == AttrType::String && value_ty == AttrType::Int);
            if !compatible {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        scope.file,
                        span,
                        format!(
                            "role `{}` holds {}, but is bound to {}",
                            role.text,
                            role_ty.with_article(),
                            ty.describe()
                        ),
                    )
                    .label(format!("expected {}", role_ty.with_article()))
                    .with_label(origin.file, origin.span, "the role is declared here")
                    .help(format!("bind `{}` to a value of the same type", role.text)),
                );
            }
        }
        Some(ActionOp::Bind {
            role: role.text.clone(),
            value,
        })
    }

    /// A value that will be written into the stack: never a secret.
    fn plain_value(
        &mut self,
        scope: &Scope<'_>,
        value: &Operand,
        verb: &str,
        facts: &mut RuleFacts,
    ) -> Option<(ValueExpr, Ty)> {
        let (v, ty) = self.value(scope, value, facts)?;
        if let Ty::Input(ft) = &ty {
            if ft.may_be_secret() {
                self.report(
                    Diagnostic::new(
                        Code::SecretByValue,
                        scope.file,
                        value.span(),
                        format!("`{verb}` would write a secret as a plain value"),
                    )
                    .label(format!("`{}`", ft.describe()))
                    .help(format!(
                        "a secret can only be injected by reference: `inject {} as env NAME`",
                        operand_text(value)
                    )),
                );
                return None;
            }
            if matches!(ft.alternatives.as_slice(), [InputType::Certificate]) {
                self.report(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        scope.file,
                        value.span(),
                        format!("`{verb}` cannot write a certificate file as a value"),
                    )
                    .label("a certificate")
                    .help(format!(
                        "mount it instead: `mount {} as env NAME`",
                        operand_text(value)
                    )),
                );
                return None;
            }
        }
        Some((v, ty))
    }

    /// A credential to inject: a secret or IAM role input.
    fn credential(
        &mut self,
        scope: &Scope<'_>,
        value: &Operand,
        facts: &mut RuleFacts,
    ) -> Option<InputRef> {
        let (v, ty) = self.value(scope, value, facts)?;
        match (v, &ty) {
            (ValueExpr::Input(input), Ty::Input(ft))
                if input.member.is_none() && ft.is_credential() =>
            {
                Some(input)
            }
            _ => {
                let help = match value {
                    Operand::Literal(_) => "`inject` hands consumers a reference from the bindings file, never a value written in a rule; declare a `secret` input and inject that".to_string(),
                    Operand::Path(_) => format!("`inject` takes a `secret` or `iam_role` input; to write a plain value use `set env NAME = {}`", operand_text(value)),
                };
                self.report(
                    Diagnostic::new(
                        Code::NotInjectable,
                        scope.file,
                        value.span(),
                        format!(
                            "only a secret or IAM role can be injected, not {}",
                            ty.describe()
                        ),
                    )
                    .label("not a credential")
                    .help(help),
                );
                None
            }
        }
    }

    /// A file to mount: a certificate input.
    fn mountable(
        &mut self,
        scope: &Scope<'_>,
        value: &Operand,
        facts: &mut RuleFacts,
    ) -> Option<InputRef> {
        let (v, ty) = self.value(scope, value, facts)?;
        match (v, &ty) {
            (ValueExpr::Input(input), Ty::Input(ft))
                if input.member.is_none()
                    && matches!(ft.alternatives.as_slice(), [InputType::Certificate]) =>
            {
                Some(input)
            }
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::NotMountable,
                        scope.file,
                        value.span(),
                        format!("only a certificate can be mounted, not {}", ty.describe()),
                    )
                    .label("not a file")
                    .help("declare the input as `certificate`; to hand over a secret use `inject`, for a plain value `set env`"),
                );
                None
            }
        }
    }

    fn target(&mut self, file: FileId, target: &ast::Target) -> Option<Target> {
        match target {
            ast::Target::Env(env) => self.env_name(file, env).map(Target::Env),
            ast::Target::File(path) => {
                let text = path.kind.plain_str();
                match text {
                    Some(p) if p.starts_with('/') && !p.split('/').any(|s| s == "..") => {
                        Some(Target::File(p))
                    }
                    _ => {
                        self.report(
                            Diagnostic::new(Code::TypeMismatch, file, path.span, "a mount path must be a constant absolute path")
                                .label("not an absolute path")
                                .help("write a path such as `\"/etc/redis/ca.pem\"`, without `..` or `${...}`"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn env_name(&mut self, file: FileId, env: &ast::EnvName) -> Option<String> {
        let name = &env.name.text;
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if valid {
            Some(name.clone())
        } else {
            self.report(
                Diagnostic::new(
                    Code::InvalidEnvName,
                    file,
                    env.name.span,
                    format!("`{name}` is not a valid environment variable name"),
                )
                .label("invalid name")
                .help("use letters, digits, `_`, `.` and `-`, not starting with a digit, such as `REDIS_HOST`"),
            );
            None
        }
    }

    /// Resolves a value: a literal, a template string or an input path.
    fn value(
        &mut self,
        scope: &Scope<'_>,
        value: &Operand,
        facts: &mut RuleFacts,
    ) -> Option<(ValueExpr, Ty)> {
        match value {
            Operand::Path(p) => {
                let (input, ty) = self.input_path(scope, p, facts)?;
                Some((ValueExpr::Input(input), ty))
            }
            Operand::Literal(l) => match &l.kind {
                LitKind::Str(parts)
                    if parts.iter().any(|p| matches!(p, StrPart::Interpolation(_))) =>
                {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for part in parts {
                        match part {
                            StrPart::Text(t) => out.push(TemplatePart::Text(t.clone())),
                            StrPart::Interpolation(path) => {
                                match self.input_path(scope, path, facts) {
                                    Some((_, Ty::Input(ft))) if ft.may_be_secret() => {
                                        self.report(
                                        Diagnostic::new(
                                            Code::SecretByValue,
                                            scope.file,
                                            path.span,
                                            "a secret cannot be interpolated into a string",
                                        )
                                        .label(format!("`{}`", ft.describe()))
                                        .help(format!(
                                            "a secret can only be injected by reference: `inject {} as env NAME`",
                                            path.dotted()
                                        )),
                                    );
                                        ok = false;
                                    }
                                    Some((_, Ty::Input(ft)))
                                        if matches!(
                                            ft.alternatives.as_slice(),
                                            [InputType::Certificate]
                                        ) =>
                                    {
                                        self.report(
                                        Diagnostic::new(Code::TypeMismatch, scope.file, path.span, "a certificate cannot be interpolated into a string")
                                            .label("a certificate file")
                                            .help(format!("mount it instead: `mount {} as env NAME`", path.dotted())),
                                    );
                                        ok = false;
                                    }
                                    Some((input, _)) => out.push(TemplatePart::Input(input)),
                                    None => ok = false,
                                }
                            }
                        }
                    }
                    ok.then_some((ValueExpr::Template(out), Ty::Str))
                }
                _ => {
                    let v = literal_value(l)?;
                    let ty = match &v {
                        Value::Null => Ty::Null,
                        Value::Bool(_) => Ty::Bool,
                        Value::Int(_) => Ty::Int,
                        Value::Str(_) => Ty::Str,
                        Value::List(_) => Ty::List,
                    };
                    if matches!(l.kind, LitKind::Regex(_) | LitKind::List(_) | LitKind::Null) {
                        self.report(
                            Diagnostic::new(Code::TypeMismatch, scope.file, l.span, format!("an action cannot write {}", l.kind.describe()))
                                .label("expected a string, integer, boolean or input")
                                .help("write a constant such as `\"yes\"` or `1`, or an input such as `c.database`"),
                        );
                        return None;
                    }
                    Some((ValueExpr::Const(v), ty))
                }
            },
        }
    }

    /// Resolves `c.field` or `c.field.member`.
    fn input_path(
        &mut self,
        scope: &Scope<'_>,
        p: &ast::Path,
        facts: &mut RuleFacts,
    ) -> Option<(InputRef, Ty)> {
        let file = scope.file;
        let first = p.segments.first()?;
        match scope.binding {
            Some(b) if b.text == first.text => {
                if let Some((_, used)) = facts.binding.as_mut() {
                    *used = true;
                }
            }
            Some(b) => {
                self.unknown(
                    Code::UnknownVariable,
                    file,
                    first,
                    format!("unknown name `{}`", first.text),
                    [b.text.as_str()],
                    Some(format!(
                        "this rule's inputs are bound to `{}`: write `{}.FIELD`",
                        b.text, b.text
                    )),
                );
                return None;
            }
            None => {
                self.report(
                    Diagnostic::new(
                        Code::UnknownVariable,
                        file,
                        first.span,
                        format!("unknown name `{}`", first.text),
                    )
                    .label("nothing is bound to this name")
                    .help(format!(
                        "bind the customer's inputs to a name: `when {} is provided as {}`",
                        scope.service_name, first.text
                    )),
                );
                return None;
            }
        }
        let service = scope.service?;
        let Some(field_name) = p.segments.get(1) else {
            self.report(
                Diagnostic::new(
                    Code::UnknownField,
                    file,
                    p.span,
                    format!("`{}` is the whole set of inputs", first.text),
                )
                .label("expected one input")
                .help(format!(
                    "name one of its fields: {}",
                    list_names(service.fields.iter().map(|f| f.name.as_str()))
                )),
            );
            return None;
        };
        let Some(field) = service.field(&field_name.text) else {
            let poisoned = self
                .poisoned_fields
                .contains(&(service.name.clone(), field_name.text.clone()));
            if poisoned {
                return None;
            }
            facts.unknown_field = true;
            self.unknown(
                Code::UnknownField,
                file,
                field_name,
                format!(
                    "service `{}` has no field `{}`",
                    service.name, field_name.text
                ),
                service.fields.iter().map(|f| f.name.as_str()),
                Some(format!(
                    "its fields are {}",
                    list_names(service.fields.iter().map(|f| f.name.as_str()))
                )),
            );
            return None;
        };
        facts.used_fields.insert(field.name.clone());
        let mut input = InputRef {
            service: service.name.clone(),
            field: field.name.clone(),
            member: None,
        };
        let Some(member) = p.segments.get(2) else {
            return Some((input, Ty::Input(field.ty.clone())));
        };
        let is_endpoint = matches!(
            field.ty.alternatives.as_slice(),
            [InputType::Endpoint { .. }]
        );
        let ty = match member.text.as_str() {
            "host" if is_endpoint => Ty::Str,
            "port" if is_endpoint => Ty::Int,
            _ => {
                let (candidates, help): (&[&str], String) = if is_endpoint {
                    (
                        &["host", "port"],
                        format!("`{}` is an endpoint: it has `host` and `port`", field.name),
                    )
                } else {
                    (
                        &[],
                        format!(
                            "`{}` is `{}`, which has no parts",
                            field.name,
                            field.ty.describe()
                        ),
                    )
                };
                self.unknown(
                    Code::UnknownField,
                    file,
                    member,
                    format!("`{}` has no part `{}`", field.name, member.text),
                    candidates.iter().copied(),
                    Some(help),
                );
                return None;
            }
        };
        if let Some(extra) = p.segments.get(3) {
            self.report(
                Diagnostic::new(
                    Code::UnknownField,
                    file,
                    extra.span.to(p.span),
                    format!("`{}.{}` has no parts", field.name, member.text),
                )
                .label("nothing to reach here")
                .help(format!(
                    "end the path at `{}.{}.{}`",
                    first.text, field.name, member.text
                )),
            );
            return None;
        }
        input.member = Some(member.text.clone());
        Some((input, ty))
    }

    /// Checks and lowers a condition over the rule's inputs.
    fn condition(
        &mut self,
        scope: &Scope<'_>,
        e: &ast::Expr,
        facts: &mut RuleFacts,
    ) -> Option<Condition> {
        let file = scope.file;
        Some(match &e.kind {
            ExprKind::Or(parts) => Condition::Or(self.conditions(scope, parts, facts)?),
            ExprKind::And(parts) => Condition::And(self.conditions(scope, parts, facts)?),
            ExprKind::Not(inner) => Condition::Not(Box::new(self.condition(scope, inner, facts)?)),
            ExprKind::Paren(inner) => self.condition(scope, inner, facts)?,
            ExprKind::Has(path) => {
                let (input, ty) = self.input_path(scope, path, facts)?;
                if let Ty::Input(ft) = &ty
                    && !ft.optional
                {
                    self.report(
                        Diagnostic::new(
                            Code::AlwaysTrue,
                            file,
                            e.span,
                            format!("`{}` is always present", input.field),
                        )
                        .label("always true")
                        .help(format!(
                            "`has` tests optional inputs; `{}` is `{}`",
                            input.field,
                            ft.describe()
                        )),
                    );
                }
                Condition::Has(input)
            }
            ExprKind::Operand(Operand::Literal(Literal {
                kind: LitKind::Bool(b),
                ..
            })) => Condition::Const(*b),
            ExprKind::Operand(Operand::Path(path)) => {
                let (input, ty) = self.input_path(scope, path, facts)?;
                if ty.scalar() != Some(AttrType::Bool) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            file,
                            path.span,
                            format!("`{}` is {}, not a boolean", path.dotted(), ty.describe()),
                        )
                        .label("used as a condition")
                        .help(format!(
                            "compare it with a value, or test an optional input with `has {}`",
                            path.dotted()
                        )),
                    );
                    return None;
                }
                Condition::IsTrue(input)
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
                    .help("test an input, such as `c.cluster` or `c.database == 0`"),
                );
                return None;
            }
            ExprKind::Compare(a, op, b) => {
                let (path, lit, op) = match (a, b) {
                    (Operand::Path(p), Operand::Literal(l)) => (p, l, *op),
                    (Operand::Literal(l), Operand::Path(p)) => (p, l, op.flip()),
                    _ => {
                        self.report(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                file,
                                e.span,
                                "compare an input with a constant",
                            )
                            .label("expected one input and one constant")
                            .help("write a comparison such as `c.database == 0`"),
                        );
                        return None;
                    }
                };
                let (input, ty) = self.input_path(scope, path, facts)?;
                self.no_secret_reads(file, path, &ty)?;
                let value = self.input_constant(file, lit, &ty, op.is_ordering())?;
                Condition::Compare(input, op, value)
            }
            ExprKind::In(a, list) => {
                let path = self.input_operand(file, a, "c.database in [0, 1]")?;
                let (input, ty) = self.input_path(scope, path, facts)?;
                self.no_secret_reads(file, path, &ty)?;
                let LitKind::List(items) = &list.kind else {
                    return None;
                };
                let mut values = Vec::new();
                for item in items {
                    values.push(self.input_constant(file, item, &ty, false)?);
                }
                Condition::In(input, values)
            }
            ExprKind::Matches(a, re) => {
                let path =
                    self.input_operand(file, a, "c.hostname.host ~ r\"\\.amazonaws\\.com$\"")?;
                let (input, ty) = self.input_path(scope, path, facts)?;
                self.no_secret_reads(file, path, &ty)?;
                if ty.scalar() != Some(AttrType::String) {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            file,
                            path.span,
                            format!("`{}` is {}, not a string", path.dotted(), ty.describe()),
                        )
                        .label("`~` matches strings")
                        .help("compare it with `==` instead"),
                    );
                    return None;
                }
                let regex = self.regex(file, re)?;
                Condition::Matches(input, regex)
            }
            ExprKind::Is(a, ty_name) => {
                let path = self.input_operand(file, a, "c.auth is secret")?;
                let (input, ty) = self.input_path(scope, path, facts)?;
                let Ty::Input(ft) = &ty else {
                    self.report(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            file,
                            path.span,
                            "`is` tests inputs declared with a union type",
                        )
                        .label(ty.describe())
                        .help("use `is` on a field such as `auth: secret | iam_role`"),
                    );
                    return None;
                };
                if ft.alternatives.len() == 1 && ft.alternatives[0].keyword() == ty_name.text {
                    self.report(
                        Diagnostic::new(
                            Code::AlwaysTrue,
                            file,
                            e.span,
                            format!("`{}` is always a `{}`", input.field, ty_name.text),
                        )
                        .label("always true")
                        .help(format!(
                            "`is` tells the alternatives of a union apart; `{}` is `{}`: remove the condition",
                            input.field,
                            ft.describe()
                        )),
                    );
                }
                if !ft.alternatives.iter().any(|t| t.keyword() == ty_name.text) {
                    let known = super::services::INPUT_TYPES
                        .iter()
                        .any(|(t, _)| *t == ty_name.text);
                    if known {
                        self.report(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                file,
                                ty_name.span,
                                format!("`{}` is never a `{}`", input.field, ty_name.text),
                            )
                            .label(format!("`{}` is `{}`", input.field, ft.describe()))
                            .help(format!(
                                "test one of its alternatives: {}",
                                list_names(ft.alternatives.iter().map(|t| t.keyword()))
                            )),
                        );
                    } else {
                        self.unknown(
                            Code::UnknownType,
                            file,
                            ty_name,
                            format!("unknown type `{}`", ty_name.text),
                            ft.alternatives.iter().map(|t| t.keyword()),
                            Some(format!("`{}` is `{}`", input.field, ft.describe())),
                        );
                    }
                    return None;
                }
                Condition::Is(input, ty_name.text.clone())
            }
        })
    }

    /// The input path on the left of `in`, `~` or `is`; a constant there is
    /// reported, with `example` as the help.
    fn input_operand<'e>(
        &mut self,
        file: FileId,
        a: &'e Operand,
        example: &str,
    ) -> Option<&'e ast::Path> {
        match a {
            Operand::Path(path) => Some(path),
            Operand::Literal(_) => {
                self.report(
                    Diagnostic::new(Code::TypeMismatch, file, a.span(), "expected an input here")
                        .label("a constant")
                        .help(format!("write the input first, such as `{example}`")),
                );
                None
            }
        }
    }

    fn conditions(
        &mut self,
        scope: &Scope<'_>,
        parts: &[ast::Expr],
        facts: &mut RuleFacts,
    ) -> Option<Vec<Condition>> {
        let mut out = Vec::new();
        let mut ok = true;
        for p in parts {
            match self.condition(scope, p, facts) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Refuses a comparison that would read a secret's value.
    fn no_secret_reads(&mut self, file: FileId, path: &ast::Path, ty: &Ty) -> Option<()> {
        if let Ty::Input(ft) = ty
            && ft.may_be_secret()
        {
            self.report(
                    Diagnostic::new(Code::SecretByValue, file, path.span, "a condition cannot read a secret's value")
                        .label(format!("`{}`", ft.describe()))
                        .help(format!(
                            "graft never reads secrets; test which kind was given with `{} is secret`, or whether it was given with `has`",
                            path.dotted()
                        )),
                );
            return None;
        }
        Some(())
    }

    /// Checks a constant compared with an input of type `ty`.
    fn input_constant(
        &mut self,
        file: FileId,
        lit: &Literal,
        ty: &Ty,
        ordered: bool,
    ) -> Option<Value> {
        let value = literal_value(lit);
        let fits = match (&value, ty) {
            (None, _) => false,
            (Some(Value::Null), Ty::Input(ft)) => ft.optional && !ordered,
            (Some(Value::Int(_)), Ty::Int) => true,
            (Some(Value::Str(_)), Ty::Str) => !ordered,
            (Some(v), Ty::Input(ft)) => ft.alternatives.iter().any(|alt| match (alt, v) {
                (InputType::Int { .. }, Value::Int(_)) => true,
                (InputType::Bool, Value::Bool(_)) | (InputType::String, Value::Str(_)) => !ordered,
                (InputType::Enum(values), Value::Str(s)) => !ordered && values.contains(s),
                (InputType::Endpoint { .. }, Value::Str(_)) => !ordered,
                _ => false,
            }),
            _ => false,
        };
        if fits {
            return value;
        }
        let enum_values = match ty {
            Ty::Input(ft) => ft.alternatives.iter().find_map(|a| match a {
                InputType::Enum(v) => Some(v.clone()),
                _ => None,
            }),
            _ => None,
        };
        let help = match (enum_values, ordered) {
            (Some(values), false) => format!(
                "the allowed values are {}",
                list_names(values.iter().map(String::as_str))
            ),
            (_, true) => "`<`, `<=`, `>` and `>=` compare integers".into(),
            _ => format!("compare with a value of type {}", ty.describe()),
        };
        self.report(
            Diagnostic::new(
                Code::TypeMismatch,
                file,
                lit.span,
                format!(
                    "{} cannot be compared with {}",
                    lit.kind.describe(),
                    ty.describe()
                ),
            )
            .label("of the wrong type")
            .help(help),
        );
        None
    }
}

/// The attribute type a role carries on an arm, when its sources agree.
fn role_type(arm: &super::program::ArmDef, role: &super::program::RoleDef) -> Option<AttrType> {
    let mut ty: Option<AttrType> = None;
    for source in &role.sources {
        let t = match source {
            super::program::RoleSource::Const(Value::Int(_)) => AttrType::Int,
            super::program::RoleSource::Const(_) => AttrType::String,
            super::program::RoleSource::Attribute(path) => {
                let mut found = None;
                for rt in &arm.types {
                    if let crate::catalogue::AttrLookup::Found(t) = rt.attribute(path) {
                        if found.is_some_and(|f| f != t) {
                            return None;
                        }
                        found = Some(t);
                    } else {
                        return None;
                    }
                }
                found?
            }
        };
        if ty.is_some_and(|x| x != t) {
            return None;
        }
        ty = Some(t);
    }
    ty
}

fn describe_kind(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Drop => "drop",
        ActionKind::Alias => "alias",
        ActionKind::Bind => "bind",
        ActionKind::InjectEnv => "inject ... as env",
        ActionKind::InjectFile => "inject ... at a file",
        ActionKind::SetEnv => "set env",
        ActionKind::MountEnv => "mount ... as env",
        ActionKind::MountFile => "mount ... at a file",
        ActionKind::Annotate => "annotate",
    }
}

fn operand_text(o: &Operand) -> String {
    match o {
        Operand::Path(p) => p.dotted(),
        Operand::Literal(_) => "INPUT".into(),
    }
}

/// Whether `key` is a valid Kubernetes-style annotation key.
fn valid_annotation_key(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 253
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'))
    });
    name_ok && prefix_ok
}

/// What place an action writes, and with what value.
fn write_of(op: &ActionOp) -> Option<(WriteTarget, ValueExpr)> {
    Some(match op {
        ActionOp::Drop | ActionOp::Alias => return None,
        ActionOp::Bind { role, value } => (WriteTarget::Role(role.clone()), value.clone()),
        ActionOp::Inject { input, target } | ActionOp::Mount { input, target } => {
            let t = match target {
                Target::Env(n) => WriteTarget::Env(n.clone()),
                Target::File(p) => WriteTarget::File(p.clone()),
            };
            (t, ValueExpr::Input(input.clone()))
        }
        ActionOp::SetEnv { name, value } => (WriteTarget::Env(name.clone()), value.clone()),
        ActionOp::Annotate { key, value } => (WriteTarget::Annotation(key.clone()), value.clone()),
    })
}
