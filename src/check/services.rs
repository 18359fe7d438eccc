//! Service declarations: field types, defaults and what the customer owns.

use super::program::{FieldDef, FieldType, InputType, Origin, ServiceDef, Value};
use super::{Checker, list_names};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, LitKind, Literal, Member, TypeArg};
use std::collections::HashMap;

/// The input types, with what each holds.
pub const INPUT_TYPES: &[(&str, &str)] = &[
    ("string", "any string"),
    ("bool", "`true` or `false`"),
    ("int", "an integer; `int(0..=15)` bounds it"),
    (
        "enum",
        "one of a fixed set of strings: `enum(\"a\", \"b\")`",
    ),
    (
        "endpoint",
        "`host` or `host:port`; `endpoint(default_port = 6379)` sets the port when none is given",
    ),
    (
        "secret",
        "a reference to a secret in a secret store (Kubernetes, AWS Secrets Manager or SSM, GCP Secret Manager, Azure Key Vault); never its value",
    ),
    ("iam_role", "an IAM role ARN used instead of a password"),
    (
        "certificate",
        "a PEM certificate file, such as a private CA",
    ),
];

/// What a customer can take on when they bring their own service, with the
/// hand-off line for each.
pub const RESPONSIBILITIES: &[(&str, &str)] = &[
    (
        "provisioning",
        "creating the instance and keeping it running",
    ),
    (
        "sizing",
        "choosing node types, memory and storage for the load",
    ),
    ("scaling", "adding capacity as the load grows"),
    (
        "backups",
        "snapshots, their retention and restoring from them",
    ),
    ("patching", "applying engine and OS patches"),
    (
        "version_compatibility",
        "running an engine version the application supports",
    ),
    (
        "high_availability",
        "replicas, failover and multi-zone placement",
    ),
    ("disaster_recovery", "recovery across regions or accounts"),
    ("eviction_policy", "the memory limit and eviction policy"),
    ("monitoring", "metrics, alarms and logs"),
    ("encryption", "encryption at rest and in transit"),
    (
        "access_control",
        "users, passwords, ACLs and their rotation",
    ),
    (
        "networking",
        "reachability from the application: VPCs, peering, firewalls",
    ),
];

impl Checker<'_> {
    pub(super) fn service(&mut self, file: FileId, s: &ast::Service) {
        // Only the first declaration of a name is checked into the program.
        let is_first = self
            .service_decls
            .get(&s.name.text)
            .is_some_and(|&(f, first)| f == file && first.span == s.span);
        let mut def = ServiceDef {
            name: s.name.text.clone(),
            docs: s.docs.text(),
            fields: Vec::new(),
            customer_owns: Vec::new(),
            origin: Origin { file, span: s.span },
        };
        let mut owns_seen: HashMap<&str, Span> = HashMap::new();
        let mut fields_seen: HashMap<&str, Span> = HashMap::new();
        for member in &s.members {
            match member {
                Member::Field(f) => {
                    if let Some(&first_span) = fields_seen.get(f.name.text.as_str()) {
                        self.duplicate("field", &f.name, file, file, first_span);
                        continue;
                    }
                    fields_seen.insert(&f.name.text, f.name.span);
                    let Some(ty) = self.field_type(file, &f.ty) else {
                        self.poisoned_fields
                            .insert((s.name.text.clone(), f.name.text.clone()));
                        continue;
                    };
                    let default = match &f.default {
                        Some(lit) => self.default_value(file, f, &ty, lit),
                        None => None,
                    };
                    def.fields.push(FieldDef {
                        name: f.name.text.clone(),
                        docs: f.docs.text(),
                        ty,
                        default,
                        origin: Origin {
                            file,
                            span: f.name.span,
                        },
                    });
                }
                Member::Owns(o) => {
                    for item in &o.items {
                        if let Some(&first_span) = owns_seen.get(item.text.as_str()) {
                            self.duplicate("responsibility", item, file, file, first_span);
                            continue;
                        }
                        owns_seen.insert(&item.text, item.span);
                        if RESPONSIBILITIES.iter().any(|(r, _)| *r == item.text) {
                            def.customer_owns.push(item.text.clone());
                        } else {
                            self.unknown(
                                Code::UnknownResponsibility,
                                file,
                                item,
                                format!("unknown responsibility `{}`", item.text),
                                RESPONSIBILITIES.iter().map(|(r, _)| *r),
                                Some(format!(
                                    "a customer can own {}",
                                    list_names(RESPONSIBILITIES.iter().map(|(r, _)| *r))
                                )),
                            );
                        }
                    }
                }
            }
        }
        if is_first {
            self.program.services.insert(def.name.clone(), def);
        }
    }

    /// Resolves a written type; `None` when it is unusable.
    fn field_type(&mut self, file: FileId, t: &ast::TypeExpr) -> Option<FieldType> {
        let mut alternatives: Vec<InputType> = Vec::new();
        let mut ok = true;
        for atom in &t.alternatives {
            match self.input_type(file, atom) {
                Some(ty) => {
                    if alternatives.iter().any(|a| a.keyword() == ty.keyword()) {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidTypeArguments,
                                file,
                                atom.span,
                                format!("`{}` appears twice in this union", ty.keyword()),
                            )
                            .label("repeated here")
                            .help("each alternative of a union must be a different type"),
                        );
                        ok = false;
                    }
                    alternatives.push(ty);
                }
                None => ok = false,
            }
        }
        ok.then_some(FieldType {
            alternatives,
            optional: t.optional,
        })
    }

    fn input_type(&mut self, file: FileId, atom: &ast::TypeAtom) -> Option<InputType> {
        let name = atom.name.text.as_str();
        let args = atom.args.as_deref().unwrap_or(&[]);
        let bad_args = |this: &mut Self, span: Span, message: String, help: &str| {
            this.report(
                Diagnostic::new(Code::InvalidTypeArguments, file, span, message)
                    .label("not accepted here")
                    .help(help.to_string()),
            );
        };
        match name {
            "string" | "bool" | "secret" | "iam_role" | "certificate" => {
                if atom.args.is_some() {
                    let span = args.first().map_or(atom.span, |a| a.span().to(atom.span));
                    bad_args(
                        self,
                        span,
                        format!("`{name}` takes no arguments"),
                        &format!("write `{name}` alone"),
                    );
                    return None;
                }
                Some(match name {
                    "string" => InputType::String,
                    "bool" => InputType::Bool,
                    "secret" => InputType::Secret,
                    "iam_role" => InputType::IamRole,
                    _ => InputType::Certificate,
                })
            }
            "int" => match args {
                [] => Some(InputType::Int {
                    min: None,
                    max: None,
                }),
                [TypeArg::Range(r)] => {
                    let lo = r.lo.as_ref().and_then(int_of);
                    let hi = r.hi.as_ref().and_then(int_of);
                    let max = match hi {
                        Some(h) if !r.inclusive => match h.checked_sub(1) {
                            Some(m) => Some(m),
                            None => {
                                bad_args(
                                    self,
                                    r.span,
                                    format!("the range `{}` is empty", range_text(r)),
                                    "no integer lies below the smallest one",
                                );
                                return None;
                            }
                        },
                        other => other,
                    };
                    if r.hi.is_none() && r.inclusive {
                        bad_args(
                            self,
                            r.span,
                            "`..=` needs an upper bound".into(),
                            "write `0..=15`, or `0..` for no upper bound",
                        );
                        return None;
                    }
                    if let (Some(lo), Some(max)) = (lo, max)
                        && lo > max
                    {
                        bad_args(
                            self,
                            r.span,
                            format!("the range `{}` is empty", range_text(r)),
                            "the lower bound must not exceed the upper bound",
                        );
                        return None;
                    }
                    Some(InputType::Int { min: lo, max })
                }
                _ => {
                    let span = args.first().map_or(atom.span, |a| a.span());
                    bad_args(
                        self,
                        span,
                        "`int` takes one range, such as `int(0..=15)`".into(),
                        "bound it with a range: `int(0..=15)`, `int(1..)` or `int(..100)`",
                    );
                    None
                }
            },
            "enum" => {
                let mut values: Vec<String> = Vec::new();
                for arg in args {
                    let text = match arg {
                        TypeArg::Positional(l) => l.kind.plain_str(),
                        _ => None,
                    };
                    match text {
                        Some(v) if values.contains(&v) => {
                            bad_args(
                                self,
                                arg.span(),
                                format!("`{v}` appears twice in this enum"),
                                "list each value once",
                            );
                            return None;
                        }
                        Some(v) => values.push(v),
                        None => {
                            bad_args(
                                self,
                                arg.span(),
                                "`enum` takes strings".into(),
                                "list the allowed values as strings: `enum(\"standalone\", \"sentinel\")`",
                            );
                            return None;
                        }
                    }
                }
                if values.is_empty() {
                    bad_args(
                        self,
                        atom.span,
                        "`enum` needs at least one value".into(),
                        "list the allowed values: `enum(\"standalone\", \"sentinel\")`",
                    );
                    return None;
                }
                Some(InputType::Enum(values))
            }
            "endpoint" => match args {
                [] => Some(InputType::Endpoint { default_port: None }),
                [TypeArg::Named(n, l)] if n.text == "default_port" => {
                    match int_of(l)
                        .and_then(|p| u16::try_from(p).ok())
                        .filter(|&p| p > 0)
                    {
                        Some(port) => Some(InputType::Endpoint {
                            default_port: Some(port),
                        }),
                        None => {
                            bad_args(
                                self,
                                l.span,
                                "`default_port` must be a port number from 1 to 65535".into(),
                                "write `endpoint(default_port = 6379)`",
                            );
                            None
                        }
                    }
                }
                _ => {
                    let span = args.first().map_or(atom.span, |a| a.span());
                    bad_args(
                        self,
                        span,
                        "`endpoint` takes only `default_port`".into(),
                        "write `endpoint` or `endpoint(default_port = 6379)`",
                    );
                    None
                }
            },
            _ => {
                self.unknown(
                    Code::UnknownType,
                    file,
                    &atom.name,
                    format!("unknown type `{name}`"),
                    INPUT_TYPES.iter().map(|(t, _)| *t),
                    Some(format!(
                        "the input types are {}",
                        list_names(INPUT_TYPES.iter().map(|(t, _)| *t))
                    )),
                );
                None
            }
        }
    }

    /// Checks a field's default against its type.
    fn default_value(
        &mut self,
        file: FileId,
        f: &ast::Field,
        ty: &FieldType,
        lit: &Literal,
    ) -> Option<Value> {
        let mismatch = |this: &mut Self, message: String, help: String| {
            this.report(
                Diagnostic::new(Code::TypeMismatch, file, lit.span, message)
                    .label(format!("expected {}", ty.describe()))
                    .with_label(file, f.ty.span, "the field's type")
                    .help(help),
            );
            None
        };
        if ty.alternatives.iter().any(|t| {
            matches!(
                t,
                InputType::Secret | InputType::IamRole | InputType::Certificate
            )
        }) {
            return mismatch(
                self,
                format!("`{}` cannot have a default", f.name.text),
                "secrets, IAM roles and certificates come from the customer's bindings file; remove the default (add `?` if the input is optional)".into(),
            );
        }
        let value = match literal_value(lit) {
            Some(v) => v,
            None if matches!(lit.kind, LitKind::Regex(_)) => {
                return mismatch(
                    self,
                    "a regex cannot be a default".into(),
                    "write the default as a string: `\"...\"`".into(),
                );
            }
            None => {
                return mismatch(
                    self,
                    "a default must be a constant".into(),
                    "remove the `${...}` interpolation".into(),
                );
            }
        };
        if value == Value::Null {
            if ty.optional {
                return Some(Value::Null);
            }
            return mismatch(
                self,
                format!("`null` is not a {}", ty.describe()),
                format!(
                    "make the field optional (`{}?`) or give a real default",
                    ty.describe()
                ),
            );
        }
        // The default must fit one alternative; report the closest miss.
        let mut out_of_range: Option<String> = None;
        for alt in &ty.alternatives {
            match (alt, &value) {
                (InputType::Bool, Value::Bool(_)) | (InputType::String, Value::Str(_)) => {
                    return Some(value);
                }
                (InputType::Int { min, max }, Value::Int(v)) => {
                    if min.is_none_or(|m| *v >= m) && max.is_none_or(|m| *v <= m) {
                        return Some(value);
                    }
                    out_of_range = Some(format!(
                        "`{v}` is outside `{}`; allowed: {}",
                        alt.describe(),
                        describe_bounds(*min, *max)
                    ));
                }
                (InputType::Enum(values), Value::Str(s)) => {
                    if values.contains(s) {
                        return Some(value);
                    }
                    out_of_range = Some(format!(
                        "`{s}` is not one of {}",
                        list_names(values.iter().map(String::as_str))
                    ));
                }
                (InputType::Endpoint { .. }, Value::Str(s)) => {
                    if crate::check::services::valid_endpoint(s) {
                        return Some(value);
                    }
                    out_of_range = Some(format!("`{s}` is not `host` or `host:port`"));
                }
                _ => {}
            }
        }
        match out_of_range {
            Some(why) => {
                self.report(
                    Diagnostic::new(
                        Code::DefaultOutOfRange,
                        file,
                        lit.span,
                        format!("default for `{}` is out of range", f.name.text),
                    )
                    .label(why)
                    .with_label(file, f.ty.span, "the allowed values")
                    .help("pick a default inside the type's range, or widen the range"),
                );
                None
            }
            None => mismatch(
                self,
                format!(
                    "default for `{}` is {}, but the field is `{}`",
                    f.name.text,
                    lit.kind.describe(),
                    ty.describe()
                ),
                format!("give a default of type `{}`", ty.describe()),
            ),
        }
    }
}

/// Whether `s` is a plausible `host` or `host:port`.
pub(crate) fn valid_endpoint(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') || h.starts_with('[') => (h, Some(p)),
        _ => (s, None),
    };
    !host.is_empty()
        && !host.contains(char::is_whitespace)
        && !host.contains('/')
        && port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0))
}

fn int_of(l: &Literal) -> Option<i64> {
    match l.kind {
        LitKind::Int(v) => Some(v),
        _ => None,
    }
}

fn range_text(r: &ast::RangeArg) -> String {
    format!(
        "{}{}{}",
        r.lo.as_ref()
            .and_then(int_of)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        if r.inclusive { "..=" } else { ".." },
        r.hi.as_ref()
            .and_then(int_of)
            .map(|v| v.to_string())
            .unwrap_or_default()
    )
}

fn describe_bounds(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("{a} or more"),
        (None, Some(b)) => format!("{b} or less"),
        (None, None) => "any integer".into(),
    }
}

/// The constant a literal denotes; `None` for a string with interpolations.
pub(crate) fn literal_value(l: &Literal) -> Option<Value> {
    Some(match &l.kind {
        LitKind::Null => Value::Null,
        LitKind::Bool(b) => Value::Bool(*b),
        LitKind::Int(i) => Value::Int(*i),
        LitKind::Str(_) => Value::Str(l.kind.plain_str()?),
        LitKind::Regex(_) => return None,
        LitKind::List(items) => {
            Value::List(items.iter().map(literal_value).collect::<Option<_>>()?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::valid_endpoint;

    #[test]
    fn endpoints() {
        assert!(valid_endpoint("redis.example.com"));
        assert!(valid_endpoint("redis.example.com:6380"));
        assert!(valid_endpoint("[::1]:6379"));
        assert!(!valid_endpoint("redis.example.com:0"));
        assert!(!valid_endpoint("redis://x"));
        assert!(!valid_endpoint(""));
    }
}
