//! Reading a bindings file (YAML, JSON or TOML) against the service
//! declarations, with every error at its place: an unknown field with a
//! did-you-mean, a value of the wrong type, an integer out of range, a
//! plaintext password (refused, and never echoed), a missing required field,
//! a certificate that is not one.

use super::{Bindings, Input, Provided, SecretRef};
use crate::check::program::{
    CompareOp, Condition, FieldDef, FieldType, InputRef, InputType, Program, ServiceDef, Value,
};
use crate::diagnostics::{Code, Diagnostic, suggest};
use crate::source::{FileId, Span};
use crate::stack::yaml::{self, Node, Scalar, ScalarKind, Style};
use std::collections::BTreeMap;

/// The syntax a bindings file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// YAML (the default).
    Yaml,
    /// JSON.
    Json,
    /// TOML.
    Toml,
}

impl Syntax {
    /// The syntax a file name's extension says, YAML when it says nothing.
    pub fn from_path(path: &str) -> Syntax {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Syntax::Toml
        } else if lower.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// What reading a bindings file gave.
#[derive(Debug, Default)]
pub struct ReadBindings {
    /// The bindings, when there was no error.
    pub bindings: Option<Bindings>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Spans of the file that hold secret values: whoever shows the file's
    /// text (a diagnostic snippet) must mask them.
    pub redact: Vec<Span>,
}

/// Reads the bindings in `text` (the file `file`) against `program`'s
/// services. `certificate` loads the PEM text of a certificate path as
/// written in the file (the command line reads it relative to the bindings
/// file; a library caller may hand it from memory).
pub fn read(
    program: &Program,
    file: FileId,
    text: &str,
    syntax: Syntax,
    certificate: &dyn Fn(&str) -> Result<String, String>,
) -> ReadBindings {
    let mut out = ReadBindings {
        redact: secret_shaped(text),
        ..ReadBindings::default()
    };
    let root = match syntax {
        Syntax::Yaml | Syntax::Json => match yaml::parse(text) {
            Ok(docs) => {
                if docs.len() > 1 {
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::BindingsSyntax,
                            file,
                            docs[1].range,
                            "a bindings file holds one document",
                        )
                        .label("a second document starts here")
                        .help("put every service in one mapping"),
                    );
                    return out;
                }
                docs.into_iter().next().map(|d| d.root)
            }
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::BindingsSyntax,
                        file,
                        Span::at(e.offset),
                        format!(
                            "invalid {}: {}",
                            if syntax == Syntax::Json {
                                "JSON"
                            } else {
                                "YAML"
                            },
                            e.message
                        ),
                    )
                    .label("here")
                    .help("a bindings file is a mapping with one section per service"),
                );
                return out;
            }
        },
        Syntax::Toml => match toml_tree(text) {
            Ok(node) => Some(node),
            Err((span, message)) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::BindingsSyntax,
                        file,
                        span,
                        format!("invalid TOML: {message}"),
                    )
                    .label("here")
                    .help("a bindings file has one table per service, such as `[redis]`"),
                );
                return out;
            }
        },
    };
    let mut reader = Reader {
        file,
        diagnostics: Vec::new(),
        redact: Vec::new(),
        certificate,
    };
    let mut bindings = Bindings {
        file,
        services: BTreeMap::new(),
    };
    // Nothing but blanks and comments: a file left empty by mistake (or
    // the wrong file) must not give a run that replaces nothing. A customer
    // who provides nothing says so with `{}` (YAML or JSON).
    let empty = match &root {
        None => true,
        Some(root) => root.is_null() || (syntax == Syntax::Toml && root.entries().is_empty()),
    };
    match root {
        _ if empty => {
            reader.error(
                Code::BindingsSyntax,
                Span::at(0),
                "the bindings file is empty: it binds no service",
                if syntax == Syntax::Toml {
                    "write `[SERVICE]` and, under it, one `FIELD = VALUE` per input"
                } else {
                    "write `SERVICE:` and, under it, one `FIELD: VALUE` per input (`{}` says that the customer provides nothing)"
                },
            );
        }
        None => {}
        Some(root) if !root.is_map() => {
            reader.error(
                Code::BindingsSyntax,
                root.span(),
                "a bindings file is a mapping of service names to their inputs",
                "write `SERVICE:` and, under it, one `FIELD: VALUE` per input",
            );
        }
        Some(root) => {
            for (key, value) in root.entries() {
                let Some(name) = key.as_str() else {
                    reader.error(
                        Code::UnknownBinding,
                        key.span(),
                        "a service name is a string",
                        "name a service the rules declare",
                    );
                    continue;
                };
                let Some(service) = program.services.get(name) else {
                    let names: Vec<&str> = program.services.keys().map(String::as_str).collect();
                    let help = suggest(name, names.iter().copied(), |all| {
                        format!("the rules declare {all}")
                    });
                    reader.error(
                        Code::UnknownBinding,
                        key.span(),
                        &format!("no service is named `{name}`"),
                        &help,
                    );
                    continue;
                };
                if let Some(p) = reader.service(service, key, value) {
                    bindings.services.insert(name.to_string(), p);
                }
            }
        }
    }
    if !reader.diagnostics.iter().any(Diagnostic::is_error) {
        reader.unused(program, &bindings);
    }
    crate::diagnostics::sort(&mut reader.diagnostics);
    out.redact.extend(reader.redact);
    if !reader.diagnostics.iter().any(Diagnostic::is_error) {
        out.bindings = Some(bindings);
    }
    out.diagnostics = reader.diagnostics;
    out
}

struct Reader<'a> {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
    redact: Vec<Span>,
    certificate: &'a dyn Fn(&str) -> Result<String, String>,
}

impl Reader<'_> {
    fn error(&mut self, code: Code, span: Span, message: &str, help: &str) {
        self.diagnostics.push(
            Diagnostic::new(code, self.file, span, message)
                .label("")
                .help(help),
        );
    }

    fn service(&mut self, service: &ServiceDef, key: &Node, value: &Node) -> Option<Provided> {
        let mut inputs = BTreeMap::new();
        let entries: &[(Node, Node)] = if value.is_null() {
            &[]
        } else if value.is_map() {
            value.entries()
        } else {
            self.error(
                Code::BindingType,
                value.span(),
                &format!("the `{}` section is a mapping of its inputs", service.name),
                &format!(
                    "write one `FIELD: VALUE` per input under `{}:`",
                    service.name
                ),
            );
            return None;
        };
        let before = self.diagnostics.len();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.error(
                    Code::UnknownBinding,
                    k.span(),
                    "a field name is a string",
                    "name a field of the service",
                );
                continue;
            };
            let Some(field) = service.field(name) else {
                let names = service.fields.iter().map(|f| f.name.as_str());
                let help = suggest(name, names, |all| format!("`{}` has {all}", service.name));
                self.error(
                    Code::UnknownBinding,
                    k.span(),
                    &format!("`{}` has no field `{name}`", service.name),
                    &help,
                );
                continue;
            };
            if seen.contains(&name) {
                self.error(
                    Code::UnknownBinding,
                    k.span(),
                    &format!("`{name}` is given twice"),
                    "give each field once",
                );
                continue;
            }
            seen.push(name);
            if let Some(input) = self.field(service, field, v) {
                inputs.insert(name.to_string(), (input, v.span(), true));
            }
        }
        for field in &service.fields {
            if inputs.contains_key(&field.name) || seen.contains(&field.name.as_str()) {
                continue;
            }
            match &field.default {
                Some(d) => {
                    inputs.insert(
                        field.name.clone(),
                        (default_input(d), Span::default(), false),
                    );
                }
                None if field.ty.optional => {
                    inputs.insert(field.name.clone(), (Input::Null, Span::default(), false));
                }
                None => {
                    let doc = field.docs.replace('\n', " ");
                    let doc = doc.trim();
                    let help = if doc.is_empty() {
                        format!("add `{}: ...` ({})", field.name, field.ty.describe())
                    } else {
                        format!("add `{}: ...` ({}): {doc}", field.name, field.ty.describe())
                    };
                    self.error(
                        Code::MissingBinding,
                        key.span(),
                        &format!("`{}` needs `{}`", service.name, field.name),
                        &help,
                    );
                }
            }
        }
        if self.diagnostics[before..].iter().any(Diagnostic::is_error) {
            return None;
        }
        Some(Provided {
            name: service.name.clone(),
            span: key.span(),
            inputs,
        })
    }

    fn field(&mut self, service: &ServiceDef, field: &FieldDef, v: &Node) -> Option<Input> {
        let ty = &field.ty;
        if v.is_null() {
            if ty.optional {
                return Some(Input::Null);
            }
            self.error(
                Code::MissingBinding,
                v.span(),
                &format!("`{}.{}` is required", service.name, field.name),
                &format!("give a value of type {}", ty.describe()),
            );
            return None;
        }
        // A credential map picks its alternative by its key.
        if v.is_map() {
            if v.get("secret").is_some() && ty.alternatives.contains(&InputType::Secret) {
                return self.secret(v);
            }
            if ["iam_role", "managed_identity", "service_account"]
                .iter()
                .any(|k| v.get(k).is_some())
                && ty.alternatives.contains(&InputType::IamRole)
            {
                return self.iam_role(v);
            }
        }
        if ty.may_be_secret()
            && v.scalar().is_some()
            && !ty.alternatives.iter().any(|t| {
                matches!(
                    t,
                    InputType::String
                        | InputType::Enum(_)
                        | InputType::Endpoint { .. }
                        | InputType::Certificate
                )
            })
        {
            self.redact.push(v.span());
            self.error(
                Code::PlaintextSecret,
                v.span(),
                &format!("`{}.{}` holds a secret's value; a bindings file holds only references", service.name, field.name),
                "name where the secret is kept instead, such as `{ secret: { store: kubernetes, name: redis-auth, key: password } }`; the value must never be written here",
            );
            return None;
        }
        let mut last_error = None;
        for alt in &ty.alternatives {
            match self.typed(alt, field, v) {
                Ok(input) => return Some(input),
                Err(e) => last_error = Some(e),
            }
        }
        if let Some((code, message, help)) = last_error {
            self.error(code, v.span(), &message, &help);
        }
        None
    }

    fn typed(
        &mut self,
        ty: &InputType,
        field: &FieldDef,
        v: &Node,
    ) -> Result<Input, (Code, String, String)> {
        let name = &field.name;
        let mismatch = |what: &str| {
            (
                Code::BindingType,
                format!("`{name}` is {}, not {}", ty.describe_with_article(), what),
                format!("give {}", ty.describe_with_article()),
            )
        };
        let scalar = v.scalar();
        let what = describe_node(v);
        match ty {
            InputType::Bool => match scalar.map(|s| s.kind) {
                Some(ScalarKind::Bool(b)) => Ok(Input::Bool(b)),
                _ => Err(mismatch(&what)),
            },
            InputType::Int { min, max } => match scalar.and_then(Scalar::int) {
                Some(i) => {
                    if min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m) {
                        Err((
                            Code::BindingOutOfRange,
                            format!("`{name}` is {i}, outside {}", ty.describe()),
                            format!("give an integer in {}", ty.describe().trim_start_matches("int")),
                        ))
                    } else {
                        Ok(Input::Int(i))
                    }
                }
                _ => Err(mismatch(&what)),
            },
            InputType::String => match scalar {
                Some(s) if !matches!(s.kind, ScalarKind::Null) => Ok(Input::Str(s.text.to_string())),
                _ => Err(mismatch(&what)),
            },
            InputType::Enum(values) => match scalar.filter(|s| s.kind == ScalarKind::Str) {
                Some(s) if values.iter().any(|v| v == s.text) => Ok(Input::Str(s.text.to_string())),
                Some(s) => {
                    let help = suggest(s.text, values.iter().map(String::as_str), |all| {
                        format!("give one of {all}")
                    });
                    Err((Code::BindingOutOfRange, format!("`{name}` is not one of its values"), help))
                }
                None => Err(mismatch(&what)),
            },
            InputType::Endpoint { default_port } => {
                let Some(s) = scalar.filter(|s| s.kind == ScalarKind::Str) else {
                    return Err(mismatch(&what));
                };
                parse_endpoint(s.text)
                    .map(|(host, port)| Input::Endpoint {
                        host,
                        port: port.or(*default_port),
                    })
                    .map_err(|(m, h)| (Code::BindingType, format!("`{name}`: {m}"), h))
            }
            InputType::Secret => Err((
                Code::BindingType,
                format!("`{name}` is a secret reference, not {what}"),
                "write `{ secret: { store: kubernetes, name: NAME, key: KEY } }` or another store's reference".into(),
            )),
            InputType::IamRole => Err((
                Code::BindingType,
                format!("`{name}` is a cloud identity, not {what}"),
                "write `{ iam_role: arn:aws:iam::ACCOUNT:role/NAME, user: USER }`, `{ managed_identity: CLIENT_ID }` or `{ service_account: NAME@PROJECT.iam.gserviceaccount.com }`".into(),
            )),
            InputType::Certificate => {
                let Some(s) = scalar.filter(|s| s.kind == ScalarKind::Str) else {
                    return Err(mismatch(&what));
                };
                if s.text.contains("-----BEGIN") {
                    self.redact.push(v.span());
                    return Err((
                        Code::BadCertificate,
                        format!("`{name}` is the path of a PEM file, not its contents"),
                        "save the certificate to a file and give its path, relative to the bindings file".into(),
                    ));
                }
                let pem = (self.certificate)(s.text).map_err(|e| {
                    (Code::BadCertificate, format!("cannot read the certificate `{}`: {e}", s.text), "give the path of a PEM certificate, relative to the bindings file".to_string())
                })?;
                check_pem(&pem).map_err(|m| (Code::BadCertificate, format!("`{}` {m}", s.text), "give the CA certificate (`-----BEGIN CERTIFICATE-----`); a private key must never be handed over".to_string()))?;
                Ok(Input::Certificate {
                    path: s.text.to_string(),
                    pem,
                })
            }
        }
    }

    fn secret(&mut self, v: &Node) -> Option<Input> {
        let (_, inner) = v.entry("secret")?;
        for (k, _) in v.entries() {
            if k.as_str() != Some("secret") {
                self.error(
                    Code::UnknownBinding,
                    k.span(),
                    &format!(
                        "`{}` is not a field of a secret reference",
                        k.as_str().unwrap_or("?")
                    ),
                    "a secret reference is `{ secret: { store: ..., ... } }`",
                );
                return None;
            }
        }
        if !inner.is_map() {
            if inner.scalar().is_some() {
                self.redact.push(inner.span());
            }
            self.error(
                Code::PlaintextSecret,
                inner.span(),
                "`secret:` takes a reference to where the secret is kept, not a value",
                "write `secret: { store: kubernetes, name: NAME, key: KEY }`",
            );
            return None;
        }
        let stores: &[(&str, &[&str], &[&str])] = &[
            ("kubernetes", &["name", "key"], &["namespace"]),
            ("aws-secretsmanager", &["arn"], &["key"]),
            ("aws-ssm", &["name"], &[]),
            ("gcp-secretmanager", &["name"], &["version"]),
            ("azure-keyvault", &["vault", "name"], &["version"]),
        ];
        let Some(store_node) = inner.get("store") else {
            self.error(Code::MissingBinding, inner.span(), "a secret reference names its `store`", "add `store:` (kubernetes, aws-secretsmanager, aws-ssm, gcp-secretmanager or azure-keyvault)");
            return None;
        };
        let store = store_node.as_str().unwrap_or("");
        let Some((_, required, optional)) = stores.iter().find(|(s, _, _)| *s == store) else {
            let help = suggest(store, stores.iter().map(|s| s.0), |_| {
                "the stores are kubernetes, aws-secretsmanager, aws-ssm, gcp-secretmanager and azure-keyvault".into()
            });
            self.error(
                Code::BindingOutOfRange,
                store_node.span(),
                &format!("no secret store is named `{store}`"),
                &help,
            );
            return None;
        };
        let mut fields = BTreeMap::new();
        let mut ok = true;
        for (k, val) in inner.entries() {
            let key = k.as_str().unwrap_or("");
            if key == "store" {
                continue;
            }
            if key == "value" || key == "password" {
                self.redact.push(val.span());
                self.error(
                    Code::PlaintextSecret,
                    k.span(),
                    "a secret reference holds no value",
                    "name where the secret is kept; the value must never be written here",
                );
                ok = false;
                continue;
            }
            if !required.contains(&key) && !optional.contains(&key) {
                let all: Vec<&str> = required.iter().chain(optional.iter()).copied().collect();
                let help = suggest(key, all.iter().copied(), |all| {
                    format!("a `{store}` reference has {all}")
                });
                self.error(
                    Code::UnknownBinding,
                    k.span(),
                    &format!("`{key}` is not a field of a `{store}` secret reference"),
                    &help,
                );
                ok = false;
                continue;
            }
            match val.as_str().filter(|s| !s.is_empty()) {
                Some(s) => {
                    fields.insert(key.to_string(), s.to_string());
                }
                None => {
                    self.error(
                        Code::BindingType,
                        val.span(),
                        &format!("`{key}` is a non-empty string"),
                        "give the name as a string",
                    );
                    ok = false;
                }
            }
        }
        for r in *required {
            if !fields.contains_key(*r) && ok {
                self.error(
                    Code::MissingBinding,
                    inner.span(),
                    &format!("a `{store}` secret reference needs `{r}`"),
                    &format!("add `{r}: ...`"),
                );
                ok = false;
            }
        }
        if store == "aws-secretsmanager"
            && fields.get("arn").is_some_and(|a| !a.starts_with("arn:aws"))
        {
            let span = inner.get("arn").map_or(inner.span(), |n| n.span());
            self.error(
                Code::BindingType,
                span,
                "`arn` is a Secrets Manager ARN",
                "write `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME`",
            );
            ok = false;
        }
        if store == "gcp-secretmanager"
            && fields
                .get("name")
                .is_some_and(|n| !(n.starts_with("projects/") && n.contains("/secrets/")))
        {
            let span = inner.get("name").map_or(inner.span(), |n| n.span());
            self.error(
                Code::BindingType,
                span,
                "`name` is a full Secret Manager name",
                "write `projects/PROJECT/secrets/NAME`",
            );
            ok = false;
        }
        ok.then(|| {
            Input::Secret(SecretRef {
                store: store.to_string(),
                fields,
            })
        })
    }

    /// A cloud identity: `{ iam_role: ARN }`, `{ managed_identity: ID }` or
    /// `{ service_account: EMAIL }`, each with an optional `user`.
    fn iam_role(&mut self, v: &Node) -> Option<Input> {
        use super::Identity;
        const KEYS: [&str; 4] = ["iam_role", "managed_identity", "service_account", "user"];
        let mut identity: Option<(Identity, &Node)> = None;
        let mut user = None;
        for (k, val) in v.entries() {
            let kind = match k.as_str() {
                Some("iam_role") => Identity::AwsRole,
                Some("managed_identity") => Identity::AzureManagedIdentity,
                Some("service_account") => Identity::GcpServiceAccount,
                Some("user") => {
                    user = val.as_str().map(str::to_string);
                    continue;
                }
                other => {
                    let other = other.unwrap_or("?");
                    let help = suggest(other, KEYS, |all| format!("an identity binding has {all}"));
                    self.error(
                        Code::UnknownBinding,
                        k.span(),
                        &format!("an identity binding has no `{other}`"),
                        &help,
                    );
                    return None;
                }
            };
            if let Some((first, _)) = identity {
                self.error(
                    Code::BindingType,
                    k.span(),
                    &format!(
                        "an identity binding names one identity, and this one also has `{}`",
                        first.key()
                    ),
                    "keep the one the workloads run as",
                );
                return None;
            }
            identity = Some((kind, val));
        }
        let (kind, node) = identity?;
        let text = node.as_str().unwrap_or("");
        let (valid, form) = match kind {
            Identity::AwsRole => (
                text.starts_with("arn:aws") && text.contains(":iam::") && text.contains(":role/"),
                "`iam_role` is an IAM role ARN: `arn:aws:iam::ACCOUNT:role/NAME`",
            ),
            Identity::AzureManagedIdentity => (
                is_guid(text) || is_identity_resource_id(text),
                "`managed_identity` is a user-assigned managed identity: its client id (a GUID) or its resource id (`/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME`)",
            ),
            Identity::GcpServiceAccount => (
                text.split_once('@').is_some_and(|(name, domain)| {
                    !name.is_empty()
                        && !domain.contains('@')
                        && domain
                            .strip_suffix(".gserviceaccount.com")
                            .is_some_and(|project| !project.is_empty() && !project.starts_with('.'))
                }),
                "`service_account` is a GCP service account's email: `NAME@PROJECT.iam.gserviceaccount.com`",
            ),
        };
        if !valid {
            let (what, how) = form.split_once(": ").unwrap_or((form, ""));
            self.error(
                Code::BindingType,
                node.span(),
                what,
                &format!("write {how}"),
            );
            return None;
        }
        Some(Input::IamRole {
            kind,
            id: text.to_string(),
            user,
        })
    }

    /// Warns about given inputs that no applicable action reads, such as a
    /// database number on a clustered endpoint.
    fn unused(&mut self, program: &Program, bindings: &Bindings) {
        for (name, provided) in &bindings.services {
            let rules: Vec<_> = program
                .rules
                .iter()
                .filter(|r| &r.service == name)
                .collect();
            for (field, (input, span, given)) in &provided.inputs {
                if !given || matches!(input, Input::Null) {
                    continue;
                }
                let mut read_by_any = false;
                let mut applies = false;
                let mut blocking = None;
                for rule in &rules {
                    for action in &rule.actions {
                        if !action_reads(&action.op, field) {
                            continue;
                        }
                        read_by_any = true;
                        match &action.condition {
                            Some(c) if !provided.holds(c) => blocking.get_or_insert(action.origin),
                            _ => {
                                applies = true;
                                continue;
                            }
                        };
                    }
                }
                if read_by_any && !applies {
                    let mut d = Diagnostic::new(
                        Code::IgnoredBinding,
                        self.file,
                        *span,
                        format!("`{name}.{field}` is ignored with these bindings"),
                    )
                    .label("no rule uses this value");
                    if let Some(origin) = blocking {
                        d = d.with_label(
                            origin.file,
                            origin.span,
                            "its only uses are conditional on other inputs",
                        );
                    }
                    self.diagnostics.push(d.help(
                        "leave it out, or change the other inputs that the rules' conditions test",
                    ));
                }
            }
        }
    }
}

fn action_reads(op: &crate::check::program::ActionOp, field: &str) -> bool {
    use crate::check::program::{ActionOp, TemplatePart, ValueExpr};
    let value_reads = |v: &ValueExpr| match v {
        ValueExpr::Input(i) => i.field == field,
        ValueExpr::Template(parts) => parts
            .iter()
            .any(|p| matches!(p, TemplatePart::Input(i) if i.field == field)),
        ValueExpr::Const(_) => false,
    };
    match op {
        ActionOp::Drop | ActionOp::Alias => false,
        ActionOp::Bind { value, .. }
        | ActionOp::SetEnv { value, .. }
        | ActionOp::Annotate { value, .. } => value_reads(value),
        ActionOp::Inject { input, .. } | ActionOp::Mount { input, .. } => input.field == field,
    }
}

fn default_input(v: &Value) -> Input {
    match v {
        Value::Null => Input::Null,
        Value::Bool(b) => Input::Bool(*b),
        Value::Int(i) => Input::Int(*i),
        Value::Str(s) => Input::Str(s.clone()),
        Value::List(_) => Input::Null,
    }
}

fn describe_node(v: &Node) -> String {
    match &v.value {
        yaml::Value::Map { .. } => "a mapping".into(),
        yaml::Value::Seq { .. } => "a list".into(),
        yaml::Value::Scalar { kind, .. } => match kind {
            ScalarKind::Null => "null".into(),
            ScalarKind::Bool(_) => "a boolean".into(),
            ScalarKind::Int => "an integer".into(),
            ScalarKind::Float => "a number".into(),
            ScalarKind::Str => "a string".into(),
        },
    }
}

/// Splits `host[:port]` (IPv6 hosts in brackets).
pub fn parse_endpoint(text: &str) -> Result<(String, Option<u16>), (String, String)> {
    let t = text.trim();
    if t.contains("://") {
        return Err((
            "an endpoint is `host` or `host:port`, not a URL".into(),
            "drop the scheme and any path: `master.example.cache.amazonaws.com:6379`".into(),
        ));
    }
    let (host, port) = if let Some(rest) = t.strip_prefix('[') {
        let Some((h, after)) = rest.split_once(']') else {
            return Err((
                "an IPv6 host is closed with `]`".into(),
                "write `[2001:db8::1]:6379`".into(),
            ));
        };
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if after.is_empty() => (h, None),
            None => {
                return Err((
                    "unexpected text after the IPv6 host".into(),
                    "write `[ADDRESS]:PORT`".into(),
                ));
            }
        }
    } else {
        match t.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(p)),
            Some(_) => {
                return Err((
                    "an IPv6 host is written in brackets".into(),
                    "write `[2001:db8::1]:6379`".into(),
                ));
            }
            None => (t, None),
        }
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/') {
        return Err((
            "the host is empty or malformed".into(),
            "write `host` or `host:port`".into(),
        ));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err((
                    format!("`{p}` is not a port (1 to 65535)"),
                    "write `host:port`".into(),
                ));
            }
        },
    };
    Ok((host.to_string(), port))
}

/// Checks that `pem` is a PEM certificate and holds no private key.
pub fn check_pem(pem: &str) -> Result<(), String> {
    if pem.contains("PRIVATE KEY-----") {
        return Err(
            "holds a private key, which must never be handed over; give the CA certificate instead"
                .into(),
        );
    }
    let begin = pem.find("-----BEGIN CERTIFICATE-----");
    let end = pem.find("-----END CERTIFICATE-----");
    match (begin, end) {
        (Some(b), Some(e)) if b < e => Ok(()),
        _ => Err("is not a PEM certificate (no `-----BEGIN CERTIFICATE-----` block)".into()),
    }
}

impl Provided {
    /// Whether a condition over this service's inputs holds.
    pub fn holds(&self, c: &Condition) -> bool {
        match c {
            Condition::And(cs) => cs.iter().all(|c| self.holds(c)),
            Condition::Or(cs) => cs.iter().any(|c| self.holds(c)),
            Condition::Not(c) => !self.holds(c),
            Condition::Const(b) => *b,
            Condition::Has(i) => !matches!(self.input(i), None | Some(Input::Null)),
            Condition::IsTrue(i) => matches!(self.input(i), Some(Input::Bool(true))),
            Condition::Is(i, keyword) => self.input(i).is_some_and(|v| v.keyword() == keyword),
            Condition::Compare(i, op, v) => {
                let Some(have) = self.input(i).and_then(|x| x.as_value(i.member.as_deref())) else {
                    return matches!(op, CompareOp::Ne) != matches!(v, Value::Null);
                };
                compare(&have, *op, v)
            }
            Condition::In(i, vs) => self
                .input(i)
                .and_then(|x| x.as_value(i.member.as_deref()))
                .is_some_and(|have| vs.iter().any(|v| compare(&have, CompareOp::Eq, v))),
            Condition::Matches(i, p) => self
                .input(i)
                .and_then(|x| x.as_value(i.member.as_deref()))
                .is_some_and(|have| matches!(have, Value::Str(s) if p.is_match(&s))),
        }
    }

    /// The input a reference names.
    pub fn input(&self, i: &InputRef) -> Option<&Input> {
        self.inputs.get(&i.field).map(|(v, _, _)| v)
    }
}

fn compare(have: &Value, op: CompareOp, want: &Value) -> bool {
    use std::cmp::Ordering;
    let ord = match (have, want) {
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        (CompareOp::Eq, o) => o == Some(Ordering::Equal),
        (CompareOp::Ne, o) => o != Some(Ordering::Equal),
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

/// A TOML document as the same tree YAML gives, spans included.
fn toml_tree(text: &str) -> Result<Node, (Span, String)> {
    use toml::de::{DeTable, DeValue};
    yaml::too_long(text).map_err(|e| (Span::at(e.offset), e.message))?;
    let table = DeTable::parse(text).map_err(|e| {
        let span = e.span().map_or(Span::at(0), |r| Span::new(r.start, r.end));
        (span, e.message().to_string())
    })?;
    fn scalar(span: Span, text: String, kind: ScalarKind) -> Node {
        Node::new(
            span,
            yaml::Value::Scalar {
                text: text.into(),
                kind,
                style: Style::Quoted,
            },
        )
    }
    fn value(v: &toml::Spanned<DeValue<'_>>) -> Node {
        let r = v.span();
        let span = Span::new(r.start, r.end);
        match v.get_ref() {
            DeValue::String(s) => scalar(span, s.to_string(), ScalarKind::Str),
            DeValue::Integer(i) => {
                let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
                let digits = digits
                    .trim_start_matches("0x")
                    .trim_start_matches("0o")
                    .trim_start_matches("0b");
                let kind = i64::from_str_radix(digits, i.radix())
                    .map_or(ScalarKind::Float, |_| ScalarKind::Int);
                scalar(span, i.as_str().to_string(), kind)
            }
            DeValue::Float(f) => scalar(span, f.as_str().to_string(), ScalarKind::Float),
            DeValue::Boolean(b) => scalar(span, b.to_string(), ScalarKind::Bool(*b)),
            DeValue::Datetime(d) => scalar(span, d.to_string(), ScalarKind::Str),
            DeValue::Array(items) => Node::new(
                span,
                yaml::Value::Seq {
                    items: items.iter().map(value).collect(),
                    flow: true,
                },
            ),
            DeValue::Table(t) => table_node(span, t),
        }
    }
    fn table_node(span: Span, t: &DeTable<'_>) -> Node {
        let mut entries: Vec<(Node, Node)> = t
            .iter()
            .map(|(k, v)| {
                let r = k.span();
                (
                    scalar(
                        Span::new(r.start, r.end),
                        k.get_ref().to_string(),
                        ScalarKind::Str,
                    ),
                    value(v),
                )
            })
            .collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        Node::new(
            span,
            yaml::Value::Map {
                entries,
                flow: false,
            },
        )
    }
    let r = table.span();
    Ok(table_node(Span::new(r.start, r.end), table.get_ref()))
}

impl FieldType {
    /// Whether the type is exactly one alternative of this kind.
    pub fn is_only(&self, ty: &InputType) -> bool {
        self.alternatives.len() == 1 && self.alternatives[0] == *ty
    }
}

/// Whether `text` is a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `text` is the resource id of a user-assigned managed identity.
fn is_identity_resource_id(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    matches!(
        parts.as_slice(),
        ["", s, sub, r, group, p, m, u, name]
            if s.eq_ignore_ascii_case("subscriptions")
                && r.eq_ignore_ascii_case("resourceGroups")
                && p.eq_ignore_ascii_case("providers")
                && m.eq_ignore_ascii_case("Microsoft.ManagedIdentity")
                && u.eq_ignore_ascii_case("userAssignedIdentities")
                && ![*sub, *group, *name].iter().any(|p| p.is_empty())
    )
}

/// What in a bindings file's text looks like a secret's value, found in
/// the text alone (so also in a file that does not parse): the value of a
/// key named like a credential (`password`, `token`, `auth`, `api_key`,
/// `private_key`...) written on the key's line, the password of a URL
/// (`redis://user:PASSWORD@host`), and a PEM private key. These are masked
/// wherever the file is shown, so that no error message echoes them.
pub fn secret_shaped(text: &str) -> Vec<Span> {
    static PATTERNS: std::sync::LazyLock<Option<[regex::Regex; 3]>> = std::sync::LazyLock::new(
        || {
            Some([
                regex::Regex::new(
                    r#"(?im)(?:^|[\s{,])["']?[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api_?key|private_?key|credential|access_?key|auth)(?:["']?[ \t]*=|["'][ \t]*:|:[ \t])[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,}\]#{\[&*|>!][^,}\]\n#]*)"#,
                )
                .ok()?,
                regex::Regex::new(r#"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@"']*:([^\s@/"']+)@"#).ok()?,
                regex::Regex::new(r"(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)")
                    .ok()?,
            ])
        },
    );
    let Some([keyed, url, pem]) = PATTERNS.as_ref() else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    for re in [keyed, url] {
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(1) {
                let value = m.as_str().trim_end();
                if !value.is_empty() {
                    spans.push(Span::new(m.start(), m.start() + value.len()));
                }
            }
        }
    }
    spans.extend(pem.find_iter(text).map(|m| Span::new(m.start(), m.end())));
    spans
}

#[cfg(test)]
mod secret_tests {
    use super::secret_shaped;

    fn masked(text: &str) -> String {
        let mut out = text.to_string();
        for s in secret_shaped(text) {
            out.replace_range(s.start..s.end, &"*".repeat(s.end - s.start));
        }
        out
    }

    #[test]
    fn values_of_credential_keys_urls_and_private_keys_are_found() {
        let text = "redis:\n  arn: arn:aws:secretsmanager:eu-west-1:1:secret:redis\n  hostname: \"redis://app:hunter2@h:6379/0\"\n  auth:\n    password: hunter2 # old\n  token = 'abc'\n  {\"api_key\": \"k-1\", \"host\": \"h\"}\n  auth:\n    secret: { store: kubernetes, name: redis-auth, key: password }\n";
        let shown = masked(text);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            !shown.contains("'abc'") && !shown.contains("k-1"),
            "{shown}"
        );
        // References, hosts and key names stay readable.
        assert!(
            shown.contains("name: redis-auth, key: password }"),
            "{shown}"
        );
        assert!(
            shown.contains("@h:6379/0") && shown.contains("\"host\": \"h\""),
            "{shown}"
        );
        assert_eq!(shown.len(), text.len());

        let pem =
            "ca: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\n";
        assert!(!masked(pem).contains("MIIEow"));
    }
}
