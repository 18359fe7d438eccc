//! What a Terraform workload receives besides its rewired endpoint: the
//! credential, by reference, and the variables the rules set.
//!
//! - **ECS task definitions** whose `container_definitions` is a
//!   `jsonencode(...)` of container objects: variables go in a container's
//!   `environment` (a variable of the same name is given its new value), a
//!   credential in its `secrets` as `valueFrom` (a Secrets Manager ARN, with
//!   `:key::` for a key of a JSON secret, or an SSM parameter name): ECS
//!   reads it when the task starts; the task definition never holds it.
//! - **Lambda functions**: variables in `environment.variables`; a Lambda
//!   has no native secret reference, so the credential is read by a data
//!   source graft adds to the module (`aws_secretsmanager_secret_version` or
//!   `aws_ssm_parameter`, named `graft_<service>_<field>`) and the variable
//!   is set from it: the configuration names the secret, never its value.
//!
//! - **The Kubernetes provider's workloads** (`kubernetes_deployment` and the
//!   others, `_v1` too) and **`kubernetes_manifest`** objects of workloads:
//!   variables as `env` entries of each container, the credential as a
//!   `secret_key_ref` (`valueFrom.secretKeyRef`) when it is a Kubernetes
//!   Secret (a pod reads no other store by itself).
//!
//! Only the containers that use the rewired endpoint receive it (all of them
//! when none can be told apart). What cannot be written (a task definition
//! read from a file, a secret store that AWS cannot read) is returned as a
//! reason, for the plan to say.

use super::{Edit, indentation};
use crate::bindings::SecretRef;
use crate::source::Span;
use crate::stack::yaml::Style;
use crate::stack::{ResourceId, Stack};
use hcl_edit::Span as _;
use hcl_edit::expr::{Array, Expression, Object, ObjectKey};
use std::collections::BTreeSet;

/// What the rules give a consumer.
#[derive(Default)]
pub(super) struct Gifts {
    /// Variables to set: name, value.
    pub env: Vec<(String, String)>,
    /// Credentials to hand over: variable name, reference, the input's
    /// field (for naming a data source).
    pub secrets: Vec<(String, SecretRef, String)>,
    /// The customer's password, when the rules hand one over.
    pub password: Option<SecretRef>,
    /// Per ECS task definition, where its containers' variables read the
    /// origin's password, and what they read: those variables move to
    /// `secrets`.
    pub moved: std::collections::BTreeMap<ResourceId, Vec<(Span, String)>>,
    /// Certificates (public) to mount: the variable that names the file
    /// or the path it is mounted at, the input's field, the PEM text.
    pub mounts: Vec<(crate::check::program::Target, String, String)>,
}

/// A data source a consumer reads (its folder and name), and the edit that
/// adds it to the consumer's file.
pub(super) struct DataBlock {
    /// The module's folder and the block's name, for adding it once.
    pub key: (String, String),
    /// The edit that adds it.
    pub edit: Edit,
    /// For a ConfigMap graft adds, the certificate field it holds.
    pub certificate: Option<String>,
}

/// What was written into one consumer, for the plan: (kind, path, variable,
/// value shown).
pub(super) type Written = Vec<(GiftKind, String, String, String)>;

/// Which gift a plan line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GiftKind {
    Env,
    Secret,
    /// A variable that held the origin's password, now in `secrets`.
    Moved,
    /// An annotation (a tag, on an AWS resource).
    Annotation,
    /// A certificate mounted from a ConfigMap graft adds (the variable is
    /// the path the file is mounted at).
    Mount,
}

/// Writes the gifts into `consumer`, a workload. `carriers` are what hold
/// the rewired endpoint (the dropped resources and the locals, variables
/// and outputs it passes through), to tell which containers use it.
/// A data source the consumer needs is put in `blocks`, by folder and name
/// (the caller adds each once per module).
pub(super) fn give(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    service: &str,
    gifts: &Gifts,
    blocks: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    if stack.files[r.file].path.ends_with(".json") {
        return match r.kind.as_str() {
            "aws_lambda_function" => lambda_json(stack, consumer, service, gifts, blocks, edits),
            "aws_ecs_task_definition" => ecs_json(stack, consumer, carriers, gifts, edits),
            kind if pod_spec_path(kind).is_some() => {
                kubernetes_json(stack, consumer, carriers, gifts, edits)
            }
            "kubernetes_manifest" => manifest_json(stack, consumer, carriers, gifts, edits),
            "helm_release" => Err(HELM.into()),
            other => Err(format!(
                "graft does not write variables or credentials into `{other}` yet"
            )),
        };
    }
    match r.kind.as_str() {
        "aws_ecs_task_definition" => ecs(stack, consumer, carriers, gifts, edits),
        "aws_lambda_function" => lambda(stack, consumer, service, gifts, blocks, edits),
        kind if pod_spec_path(kind).is_some() => {
            kubernetes(stack, consumer, (service, gifts), blocks, edits)
        }
        "kubernetes_manifest" => manifest(stack, consumer, (service, gifts), blocks, edits),
        "helm_release" => Err(HELM.into()),
        other => Err(format!(
            "graft does not write variables or credentials into `{other}` yet"
        )),
    }
}

/// Writes the rules' annotations (key, value) into `consumer`'s own
/// metadata: a Kubernetes provider workload's `metadata` block and a
/// `kubernetes_manifest`'s `manifest.metadata` get them in `annotations`;
/// an ECS task definition or a Lambda function, which have no annotations,
/// in the resource's `tags`. A value that is not a map written out
/// (`tags = var.tags`) is extended with `merge(...)`. What cannot be
/// written is returned as a reason, for the plan to say.
pub(super) fn annotate(
    stack: &Stack,
    consumer: ResourceId,
    annotations: &[(String, String)],
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let json = file.path.ends_with(".json");
    let root = file.node(r);
    // A block of a `.tf.json` file may be a list of one object.
    let one = |n: &'_ crate::stack::yaml::Node| -> Option<crate::stack::yaml::Node> {
        match n.items() {
            [only] if n.is_seq() => Some(only.clone()),
            _ if n.is_map() => Some(n.clone()),
            _ => None,
        }
    };
    let (owner, key, path, block) = match r.kind.as_str() {
        "aws_ecs_task_definition" | "aws_lambda_function" => (root.clone(), "tags", "tags", true),
        kind if pod_spec_path(kind).is_some() => {
            let metadata = root
                .get("metadata")
                .and_then(one)
                .ok_or("it has no `metadata` block")?;
            (metadata, "annotations", "metadata.annotations", true)
        }
        "kubernetes_manifest" => {
            let metadata = root
                .get("manifest")
                .and_then(|m| m.get("metadata"))
                .filter(|m| m.is_map())
                .ok_or("its `manifest` has no `metadata` object written in the configuration")?;
            (
                metadata.clone(),
                "annotations",
                "manifest.metadata.annotations",
                false,
            )
        }
        "helm_release" => {
            return Err("a Helm chart names its settings its own way, so graft cannot tell where an annotation goes in its values".into());
        }
        other => return Err(format!("graft does not annotate `{other}` yet")),
    };
    let text = file.text.as_str();
    let entry = |k: &str, v: &str| {
        if json {
            format!(
                "{}: {}",
                crate::stack::edit::json_string(k),
                crate::stack::edit::json_string(v)
            )
        } else {
            format!("{} = {}", quoted(k), quoted(v))
        }
    };
    let entries: Vec<String> = annotations.iter().map(|(k, v)| entry(k, v)).collect();
    match owner.get(key) {
        Some(map) if map.is_map() => {
            let mut missing = Vec::new();
            for (k, v) in annotations {
                match map.entry(k) {
                    Some((_, old)) if json => edits.push(Edit::Replace(
                        old.span(),
                        crate::stack::edit::json_string(v),
                    )),
                    Some((_, old)) => edits.push(Edit::Replace(old.span(), quoted(v))),
                    None => missing.push(entry(k, v)),
                }
            }
            if !missing.is_empty() {
                edits.push(add_entries(text, map, &missing, json));
            }
        }
        Some(_) if json => {
            return Err(format!("its `{key}` is not written as an object"));
        }
        Some(other) => {
            // `tags = var.tags`, `merge(local.tags, {...})`: the value
            // goes on, with the annotations laid over it.
            let old = text.get(other.span().start..other.span().end).unwrap_or("");
            let more = format!("{{ {} }}", entries.join(", "));
            let merged = match hcl_edit::parser::parse_expr(old) {
                Ok(Expression::FuncCall(call)) if call.name.name.as_str() == "merge" => Some(call),
                _ => None,
            };
            match merged.as_ref().map(|c| (c, c.args.iter().last())) {
                // A `merge(...)` whose last argument is an object written
                // out: the entries go there.
                Some((_, Some(Expression::Object(last)))) => {
                    let base = other.span().start;
                    for (k, v) in annotations {
                        match object_value(last, k).and_then(|e| e.span()) {
                            Some(at) => edits.push(Edit::Replace(
                                Span::new(base + at.start, base + at.end),
                                quoted(v),
                            )),
                            None => add_key(text, base, last, &quoted(k), &quoted(v), edits),
                        }
                    }
                }
                // One more argument of a `merge(...)` already there.
                Some((_, last)) if old.ends_with(')') => {
                    let sep = if last.is_some() { ", " } else { "" };
                    edits.push(Edit::insert(other.span().end - 1, format!("{sep}{more}")));
                }
                _ => edits.push(Edit::Replace(other.span(), format!("merge({old}, {more})"))),
            }
        }
        None if json || !block => {
            let new = if json {
                format!(
                    "{}: {{{}}}",
                    crate::stack::edit::json_string(key),
                    entries.join(", ")
                )
            } else {
                format!("{key} = {{ {} }}", entries.join(", "))
            };
            edits.push(add_entries(text, &owner, &[new], json));
        }
        None => {
            // A new map before the block's closing brace, on lines of its
            // own.
            let close = owner.span().end.saturating_sub(1);
            let indent = indentation(text, owner.span().start);
            let mut lines = format!("{indent}  {key} = {{\n");
            for e in &entries {
                lines.push_str(&format!("{indent}    {e}\n"));
            }
            lines.push_str(&format!("{indent}  }}\n"));
            let whole = text.get(owner.span().start..owner.span().end).unwrap_or("");
            match whole.find('{') {
                _ if whole.contains('\n') => edits.push(Edit::insert(
                    crate::stack::edit::line_start(text, close),
                    lines,
                )),
                // `metadata { name = "web" }`: the block goes on lines of
                // its own, its attribute first.
                Some(open) if whole.ends_with('}') => {
                    let inner = whole[open + 1..whole.len() - 1].trim();
                    let first = if inner.is_empty() {
                        String::new()
                    } else {
                        format!("{indent}  {inner}\n")
                    };
                    edits.push(Edit::Replace(
                        Span::new(owner.span().start + open, owner.span().end),
                        format!("{{\n{first}{lines}{indent}}}"),
                    ));
                }
                _ => return Err(format!("its `{key}` could not be placed in its block")),
            }
        }
    }
    Ok(annotations
        .iter()
        .map(|(k, v)| (GiftKind::Annotation, path.to_string(), k.clone(), v.clone()))
        .collect())
}

/// Why a Helm release gets nothing but its rewired endpoint.
const HELM: &str = "a Helm chart names its settings its own way, so graft cannot tell where the rules' variables and credential go in its values (a password the release already passed on is rewired where it is)";

fn ecs(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let (file, node) = container_definitions(stack, consumer)?;
    let source = file
        .text
        .get(node.span().start..node.span().end)
        .unwrap_or("");
    // The containers that read the endpoint.
    let using: BTreeSet<usize> = stack
        .references_from(consumer)
        .filter(|x| carriers.contains(&x.to))
        .filter_map(|x| {
            let rest = x.site.path.strip_prefix("container_definitions[")?;
            rest.split(']').next()?.parse().ok()
        })
        .collect();
    let sites = gifts.moved.get(&consumer).map_or(&[][..], Vec::as_slice);
    let reads: Reads<'_> = (&|_| using.clone(), &|span| holds_any(span, sites));
    // Kept from the reader's parse of the file (spans are the file's), or
    // parsed again.
    match file.expression_at(node.span().start) {
        Some(expr) => ecs_parsed(&file.text, 0, expr, reads, gifts, edits),
        None => ecs_expr(&file.text, node.span().start, source, reads, gifts, edits),
    }
}

/// Whether `span` holds one of the `sites` that read the origin's password.
fn holds_any(span: Span, sites: &[(Span, String)]) -> bool {
    sites
        .iter()
        .any(|(s, _)| span.start <= s.start && s.end <= span.end)
}

/// Whether a value is one traversal and nothing else (`var.x`,
/// `"${var.x}"`).
fn only_a_traversal(value: &Expression) -> bool {
    match value {
        Expression::Traversal(_) | Expression::Variable(_) => true,
        Expression::StringTemplate(t) => {
            let mut parts = t.iter();
            matches!(
                (parts.next(), parts.next()),
                (Some(hcl_edit::template::Element::Interpolation(i)), None)
                    if matches!(i.expr, Expression::Traversal(_) | Expression::Variable(_))
            )
        }
        _ => false,
    }
}

/// A task definition's file and its `container_definitions`.
fn container_definitions(
    stack: &Stack,
    consumer: ResourceId,
) -> Result<(&crate::stack::StackFile, &crate::stack::yaml::Node), String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let node = file
        .node(r)
        .get("container_definitions")
        .ok_or("it has no `container_definitions`")?;
    Ok((file, node))
}

/// Which of a workload's containers (given their spans) read the endpoint;
/// none when that cannot be told, and then all of them receive the gifts.
type Using<'a> = &'a dyn Fn(&[Span]) -> BTreeSet<usize>;

/// Which containers read the endpoint, and whether a value (its span in
/// the text) holds a read of the origin's password.
type Reads<'a> = (Using<'a>, &'a dyn Fn(Span) -> bool);

/// [`ecs`] on the expression `source`, written in `text` from `base`.
fn ecs_expr(
    text: &str,
    base: usize,
    source: &str,
    (using, moved): Reads<'_>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let expr = hcl_edit::parser::parse_expr(source)
        .map_err(|_| "its `container_definitions` does not read as an expression")?;
    ecs_parsed(text, base, &expr, (using, moved), gifts, edits)
}

/// [`ecs_expr`] on the parsed expression, whose spans are from `base` in
/// `text`.
fn ecs_parsed(
    text: &str,
    base: usize,
    expr: &Expression,
    (using, moved): Reads<'_>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let Expression::FuncCall(call) = expr else {
        return Err("its `container_definitions` is not written in the configuration (`jsonencode([...])`), so graft cannot add to it".into());
    };
    let (Some(Expression::Array(containers)), "jsonencode") =
        (call.args.iter().next(), call.name.name.as_str())
    else {
        return Err("its `container_definitions` is not `jsonencode([...])` of containers".into());
    };
    let spans: Vec<Span> = containers
        .iter()
        .map(|c| {
            c.span()
                .map_or(Span::new(0, 0), |s| Span::new(base + s.start, base + s.end))
        })
        .collect();
    let mut using = using(&spans);
    if using.is_empty() {
        using = (0..containers.len()).collect();
    }
    let mut written = Written::new();
    for (i, c) in containers.iter().enumerate() {
        if !using.contains(&i) {
            continue;
        }
        let Expression::Object(object) = c else {
            continue;
        };
        let name = object_str(object, "name").unwrap_or_else(|| format!("[{i}]"));
        let path = format!("container_definitions[{i}]");
        let mut secrets = ecs_secrets(gifts, &name)?;
        // Variables that held the origin's password leave `environment`
        // for `secrets`, where the customer's goes by reference.
        let mut removed = Vec::new();
        let environment = object.iter().find_map(|(k, v)| match (k, v.expr()) {
            (ObjectKey::Ident(i), Expression::Array(a)) if i.as_str() == "environment" => Some(a),
            _ => None,
        });
        for item in environment.into_iter().flat_map(|a| a.iter()) {
            let (Expression::Object(o), Some(span)) = (item, item.span()) else {
                continue;
            };
            let value = o.iter().find_map(|(k, v)| match k {
                ObjectKey::Ident(i) if i.as_str() == "value" => Some(v.expr()),
                _ => None,
            });
            let (Some(var), Some(value)) = (object_str(o, "name"), value) else {
                continue;
            };
            let at = value
                .span()
                .map(|v| Span::new(base + v.start, base + v.end));
            if !only_a_traversal(value) || !at.is_some_and(moved) {
                continue;
            }
            let item = Span::new(base + span.start, base + span.end);
            let moving = (&mut removed, &mut secrets, &mut written);
            move_password(gifts, &name, &path, var, item, moving)?;
        }
        let lists = [
            (
                "environment",
                "value",
                &gifts.env,
                GiftKind::Env,
                &removed[..],
            ),
            ("secrets", "valueFrom", &secrets, GiftKind::Secret, &[][..]),
        ];
        for (key, value_key, pairs, kind, removed) in lists {
            if pairs.is_empty() && removed.is_empty() {
                continue;
            }
            let items: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| {
                    let item = format!("{{ name = {}, {value_key} = {} }}", quoted(k), quoted(v));
                    (k.clone(), item)
                })
                .collect();
            let list = NamedList {
                key,
                value_key,
                values: pairs,
                items: &items,
                removed,
            };
            named_items(text, base, object, &list, edits);
            record(&mut written, kind, &path, key, pairs);
        }
    }
    Ok(written)
}

/// What [`named_items`] puts in a list of named items.
struct NamedList<'a> {
    /// The list's key (`environment`, `secrets`, `env`).
    key: &'a str,
    /// The key of an item's value (`value`, `valueFrom`).
    value_key: &'a str,
    /// Each name and its value.
    values: &'a [(String, String)],
    /// Each name and its whole item (HCL), for a name not there.
    items: &'a [(String, String)],
    /// Items (their spans) that go.
    removed: &'a [Span],
}

/// The `secrets` of an ECS container: variable name, `valueFrom`.
fn ecs_secrets(gifts: &Gifts, container: &str) -> Result<Vec<(String, String)>, String> {
    gifts
        .secrets
        .iter()
        .map(|(k, s, _)| {
            let from = ecs_value_from(s).ok_or_else(|| {
                format!(
                    "ECS reads secrets from AWS Secrets Manager or SSM, not from `{}`: container `{container}`",
                    s.store
                )
            })?;
            Ok((k.clone(), from))
        })
        .collect()
}

/// An ECS container variable `var` (its item at `item`) that held the
/// origin's password: the item goes from `environment` (`removed`), and
/// `secrets` gets the customer's under that name.
fn move_password(
    gifts: &Gifts,
    container: &str,
    path: &str,
    var: String,
    item: Span,
    (removed, secrets, written): (&mut Vec<Span>, &mut Vec<(String, String)>, &mut Written),
) -> Result<(), String> {
    let (from, shown) = password_value_from(gifts, container)?;
    removed.push(item);
    written.push((
        GiftKind::Moved,
        format!("{path}.secrets"),
        var.clone(),
        shown,
    ));
    if !secrets.iter().any(|(k, _)| *k == var) {
        secrets.push((var, from));
    }
    Ok(())
}

/// Records what an ECS container's list `key` got (a secret already
/// recorded as moved there is not recorded twice).
fn record(
    written: &mut Written,
    kind: GiftKind,
    path: &str,
    key: &str,
    pairs: &[(String, String)],
) {
    for (k, v) in pairs {
        let moved = written.iter().any(|w| w.0 == GiftKind::Moved && w.2 == *k);
        if !(kind == GiftKind::Secret && moved) {
            written.push((kind, format!("{path}.{key}"), k.clone(), v.clone()));
        }
    }
}

/// The customer's password as an ECS container's `valueFrom`, and as the
/// plan shows it.
fn password_value_from(gifts: &Gifts, container: &str) -> Result<(String, String), String> {
    let password = gifts
        .password
        .as_ref()
        .ok_or("the customer's password is not a secret")?;
    let from = ecs_value_from(password).ok_or_else(|| {
        format!(
            "ECS reads secrets from AWS Secrets Manager or SSM, not from `{}`: container `{container}`",
            password.store
        )
    })?;
    Ok((from, password.describe()))
}

/// `valueFrom` for an ECS secret.
fn ecs_value_from(s: &SecretRef) -> Option<String> {
    match s.store.as_str() {
        "aws-secretsmanager" => Some(match s.get("key") {
            Some(k) => format!("{}:{k}::", s.get("arn")?),
            None => s.get("arn")?.to_string(),
        }),
        "aws-ssm" => s.get("name").map(str::to_string),
        _ => None,
    }
}

/// In the list under `key` of `object` (`environment`, `secrets`), gives
/// each named item its value (`value_key` of an item whose `name` is the
/// name), adds the items not there, and takes out the `removed` ones; adds
/// the list when there is none.
fn named_items(text: &str, base: usize, object: &Object, l: &NamedList<'_>, edits: &mut Vec<Edit>) {
    let list = object.iter().find_map(|(k, v)| match (k, v.expr()) {
        (ObjectKey::Ident(i), Expression::Array(a)) if i.as_str() == l.key => Some(a),
        _ => None,
    });
    let Some(list) = list else {
        let all: Vec<&str> = l.items.iter().map(|(_, i)| i.as_str()).collect();
        // Written as another expression (`secrets = var.secrets`): the
        // items are added to it with `concat`.
        let other = object.iter().find_map(|(k, v)| match k {
            ObjectKey::Ident(i) if i.as_str() == l.key => v.expr().span(),
            _ => None,
        });
        if let Some(v) = other {
            let v = Span::new(base + v.start, base + v.end);
            edits.push(Edit::Replace(
                v,
                format!("concat({}, [{}])", &text[v.start..v.end], all.join(", ")),
            ));
            return;
        }
        add_key(
            text,
            base,
            object,
            l.key,
            &format!("[{}]", all.join(", ")),
            edits,
        );
        return;
    };
    let at = |s: std::ops::Range<usize>| Span::new(base + s.start, base + s.end);
    // The value of an existing item of that name, if it has one.
    let value_of = |e: &Expression, name: &str| match e {
        Expression::Object(o) if object_str(o, "name").as_deref() == Some(name) => {
            o.iter().find_map(|(k, v)| match k {
                ObjectKey::Ident(i) if i.as_str() == l.value_key => v.expr().span(),
                _ => None,
            })
        }
        _ => None,
    };
    let spans: Vec<Span> = list.iter().filter_map(|e| e.span().map(at)).collect();
    let Some(whole) = list.span().map(at) else {
        return;
    };
    if !l.removed.is_empty() && spans.iter().all(|s| l.removed.contains(s)) {
        // Every item goes: the list holds the new ones alone.
        let items: Vec<&str> = l.items.iter().map(|(_, i)| i.as_str()).collect();
        edits.push(Edit::Replace(whole, super::list_text(text, whole, &items)));
        return;
    }
    for gone in removals(&spans, l.removed) {
        edits.push(Edit::Replace(gone, String::new()));
    }
    let mut missing = Vec::new();
    for ((name, value), (_, item)) in l.values.iter().zip(l.items) {
        let kept = list
            .iter()
            .filter(|e| e.span().map(at).is_none_or(|s| !l.removed.contains(&s)));
        match kept.filter_map(|e| value_of(e, name)).next() {
            Some(span) => edits.push(Edit::Replace(at(span), quoted(value))),
            None => missing.push(item.as_str()),
        }
    }
    append_items(text, base, list, &missing, edits);
}

/// What to delete for the items of a list (their spans, in order) that go
/// (`removed`, not all of them): each run of them with the separator after
/// it, or before it for a run at the end.
fn removals(spans: &[Span], removed: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < spans.len() {
        if !removed.contains(&spans[k]) {
            k += 1;
            continue;
        }
        let first = k;
        while k < spans.len() && removed.contains(&spans[k]) {
            k += 1;
        }
        match (
            spans.get(k),
            first.checked_sub(1).and_then(|p| spans.get(p)),
        ) {
            (Some(next), _) => out.push(Span::new(spans[first].start, next.start)),
            (None, Some(before)) => out.push(Span::new(before.end, spans[k - 1].end)),
            (None, None) => {}
        }
    }
    out
}

/// The text of a string attribute of an object.
fn object_str(object: &Object, key: &str) -> Option<String> {
    object.iter().find_map(|(k, v)| match (k, v.expr()) {
        (ObjectKey::Ident(i), Expression::String(s)) if i.as_str() == key => {
            Some(s.value().to_string())
        }
        _ => None,
    })
}

/// The value of `key` in an object, its key written as a name or a string.
fn object_value<'o>(object: &'o Object, key: &str) -> Option<&'o Expression> {
    object.iter().find_map(|(k, v)| match k {
        ObjectKey::Ident(i) if i.as_str() == key => Some(v.expr()),
        ObjectKey::Expression(Expression::String(s)) if s.value() == key => Some(v.expr()),
        _ => None,
    })
}

/// Adds items at the end of a list, in its layout.
fn append_items(text: &str, base: usize, list: &Array, items: &[&str], edits: &mut Vec<Edit>) {
    let Some(span) = list.span() else { return };
    if items.is_empty() {
        return;
    }
    let (start, end) = (base + span.start, base + span.end);
    let last = list.iter().last().and_then(|e| e.span());
    let Some(last) = last else {
        edits.push(Edit::Replace(
            Span::new(start, end),
            format!("[{}]", items.join(", ")),
        ));
        return;
    };
    let last_end = base + last.end;
    let after = &text[last_end..end.saturating_sub(1)];
    let comma = after.trim_start().starts_with(',');
    if text[start..end].contains('\n') {
        let indent = indentation(text, base + last.start);
        let close = crate::stack::edit::line_start(text, end - 1);
        if !comma {
            edits.push(Edit::insert(last_end, ","));
        }
        let lines: String = items.iter().map(|i| format!("{indent}{i},\n")).collect();
        edits.push(Edit::insert(close, lines));
    } else {
        let more: String = items.iter().map(|i| format!(", {i}")).collect();
        edits.push(Edit::insert(last_end, more));
    }
}

/// Adds `items` (HCL) to the list `key` of `object`, or the list with them
/// when there is none.
fn put_items(
    text: &str,
    base: usize,
    object: &Object,
    key: &str,
    items: &[String],
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    if items.is_empty() {
        return Ok(());
    }
    match object_value(object, key) {
        Some(Expression::Array(a)) => {
            let items: Vec<&str> = items.iter().map(String::as_str).collect();
            append_items(text, base, a, &items, edits);
        }
        Some(_) => return Err(format!("its `{key}` is not written as a list")),
        None => add_key(
            text,
            base,
            object,
            key,
            &format!("[{}]", items.join(", ")),
            edits,
        ),
    }
    Ok(())
}

/// Adds `key = value` to an object, in its layout.
fn add_key(
    text: &str,
    base: usize,
    object: &Object,
    key: &str,
    value: &str,
    edits: &mut Vec<Edit>,
) {
    let Some(span) = object.span() else { return };
    let (start, end) = (base + span.start, base + span.end);
    let last = object.iter().last().and_then(|(_, v)| v.expr().span());
    let Some(last) = last else {
        edits.push(Edit::Replace(
            Span::new(start, end),
            format!("{{ {key} = {value} }}"),
        ));
        return;
    };
    let at = base + last.end;
    if text[start..end].contains('\n') {
        let indent = indentation(text, object_key_start(object, base).unwrap_or(at));
        edits.push(Edit::insert(at, format!("\n{indent}{key} = {value}")));
    } else {
        edits.push(Edit::insert(at, format!(", {key} = {value}")));
    }
}

fn object_key_start(object: &Object, base: usize) -> Option<usize> {
    object
        .iter()
        .last()
        .and_then(|(k, _)| k.span())
        .map(|s| base + s.start)
}

fn lambda(
    stack: &Stack,
    consumer: ResourceId,
    service: &str,
    gifts: &Gifts,
    blocks: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let text = file.text.as_str();
    let root = file.node(r);
    let mut values: Vec<(String, String, GiftKind, String)> = gifts
        .env
        .iter()
        .map(|(k, v)| (k.clone(), quoted(v), GiftKind::Env, v.clone()))
        .collect();
    for (k, s, field) in &gifts.secrets {
        let (read, block) = secret_read(stack, consumer, service, s, field)?;
        blocks.push(block);
        values.push((k.clone(), read, GiftKind::Secret, s.describe()));
    }
    let mut written = Written::new();
    let variables = root.get("environment").and_then(|e| e.get("variables"));
    match variables {
        Some(map) if map.is_map() => {
            let mut missing = Vec::new();
            for (k, v, kind, shown) in &values {
                written.push((
                    *kind,
                    "environment.variables".into(),
                    k.clone(),
                    shown.clone(),
                ));
                match map.entry(k) {
                    Some((_, old)) => edits.push(Edit::Replace(old.span(), v.clone())),
                    None => missing.push(format!("{k} = {v}")),
                }
            }
            if !missing.is_empty() {
                edits.push(add_entries(text, map, &missing, false));
            }
        }
        Some(_) => return Err("its `environment.variables` is not written as a map".into()),
        None if root.get("environment").is_some() => {
            return Err("its `environment` block has no `variables` map".into());
        }
        None => {
            // A new `environment` block, before the resource's closing brace.
            let close = root.span().end.saturating_sub(1);
            let indent = indentation(text, r.span.start);
            let mut block = format!("\n{indent}  environment {{\n{indent}    variables = {{\n");
            for (k, v, kind, shown) in &values {
                block.push_str(&format!("{indent}      {k} = {v}\n"));
                written.push((
                    *kind,
                    "environment.variables".into(),
                    k.clone(),
                    shown.clone(),
                ));
            }
            block.push_str(&format!("{indent}    }}\n{indent}  }}\n"));
            let line = crate::stack::edit::line_start(text, close);
            edits.push(Edit::insert(
                line,
                block.trim_start_matches('\n').to_string(),
            ));
        }
    }
    Ok(written)
}

/// The expression that reads the customer's secret `s` (the input `field`
/// of `service`) in `consumer`'s module, and the data source it reads:
/// added at the end of the consumer's file (under its `data` object in a
/// `.tf.json` file). The configuration names the secret, never its value.
pub(super) fn secret_read(
    stack: &Stack,
    consumer: ResourceId,
    service: &str,
    s: &SecretRef,
    field: &str,
) -> Result<(String, DataBlock), String> {
    use crate::stack::edit::json_string;
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let text = file.text.as_str();
    let name = data_source_name(service, field);
    let (ty, args, read) = secret_source(s, &name)?;
    let key = (r.namespace.to_string(), name.clone());
    if !file.path.ends_with(".json") {
        let block = format!("data \"{ty}\" \"{name}\" {{\n{}}}\n", hcl_args(&args, "  "));
        let sep = if text.ends_with('\n') { "\n" } else { "\n\n" };
        let edit = Edit::insert(text.len(), format!("{sep}{block}"));
        return Ok((
            read,
            DataBlock {
                key,
                edit,
                certificate: None,
            },
        ));
    }
    let body = json_args(&args);
    // Under the file's `data` object, or a new one.
    let top = yaml_root(text).ok_or("the file is not one JSON object")?;
    let (name_json, ty_json) = (json_string(&name), json_string(ty));
    let edit = match top.get("data").filter(|d| d.is_map()) {
        Some(data) => match data.get(ty).filter(|t| t.is_map()) {
            Some(typed) => add_entries(text, typed, &[format!("{name_json}: {body}")], true),
            None => add_entries(
                text,
                data,
                &[format!("{ty_json}: {{{name_json}: {body}}}")],
                true,
            ),
        },
        None => add_entries(
            text,
            &top,
            &[format!("\"data\": {{{ty_json}: {{{name_json}: {body}}}}}")],
            true,
        ),
    };
    let block = DataBlock {
        key,
        edit,
        certificate: None,
    };
    Ok((format!("${{{read}}}"), block))
}

/// Where the Kubernetes provider's workload types keep their pod spec.
fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    let kind = kind.trim_end_matches("_v1");
    Some(match kind {
        "kubernetes_deployment"
        | "kubernetes_stateful_set"
        | "kubernetes_daemonset"
        | "kubernetes_daemon_set"
        | "kubernetes_job"
        | "kubernetes_replication_controller" => &["spec", "template", "spec"],
        "kubernetes_cron_job" => &["spec", "job_template", "spec", "template", "spec"],
        "kubernetes_pod" => &["spec"],
        _ => return None,
    })
}

/// The Kubernetes provider's workloads: each container's `env` blocks get
/// the variables (a variable of the same name its new value), and the
/// credential as `value_from { secret_key_ref { ... } }` when it is a
/// Kubernetes Secret (a pod reads no other store by itself).
fn kubernetes(
    stack: &Stack,
    consumer: ResourceId,
    (service, gifts): (&str, &Gifts),
    created: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let text = file.text.as_str();
    let path = pod_spec_path(&r.kind).ok_or("it is not a workload")?;
    let spec = file.node(r).path(path).ok_or("it has no pod spec")?;
    let containers = repeated(spec.get("container"));
    if containers.is_empty() {
        return Err("its pod spec has no `container` block".into());
    }
    let mut blocks: Vec<(String, String, GiftKind, String)> = Vec::new();
    for (k, v) in &gifts.env {
        blocks.push((
            k.clone(),
            format!("value = {}", quoted(v)),
            GiftKind::Env,
            v.clone(),
        ));
    }
    let mounts = certificate_mounts(stack, consumer, service, gifts, created, edits)?;
    // Each variable's value, the mounted files' paths included.
    let mut values: Vec<(String, String)> = gifts.env.clone();
    for m in &mounts {
        if let Some(var) = &m.variable {
            blocks.push((
                var.clone(),
                format!("value = {}", quoted(&m.file)),
                GiftKind::Mount,
                format!("ConfigMap {}", m.volume),
            ));
            values.push((var.clone(), m.file.clone()));
        }
    }
    for (k, s, _) in &gifts.secrets {
        if s.store != "kubernetes" {
            return Err(format!(
                "a pod reads Kubernetes Secrets, not `{}`: sync the secret into one (External Secrets, the CSI driver) and bind that",
                s.store
            ));
        }
        let (name, key) = (s.get("name").unwrap_or(""), s.get("key").unwrap_or(""));
        blocks.push((
            k.clone(),
            format!(
                "value_from {{\n\u{1}    secret_key_ref {{\n\u{1}      name = {}\n\u{1}      key  = {}\n\u{1}    }}\n\u{1}  }}",
                quoted(name),
                quoted(key)
            ),
            GiftKind::Secret,
            s.describe(),
        ));
    }
    let mut written = Written::new();
    for (ci, container) in containers.iter().enumerate() {
        let envs = repeated(container.get("env"));
        let mut missing = String::new();
        let last_env = envs.last().map(|e| e.span());
        // New blocks are spaced as the last two are.
        let spaced = match envs.as_slice() {
            [.., a, b] => text[a.span().end..b.span().start].contains("\n\n"),
            _ => false,
        };
        let gap = if spaced { "\n" } else { "" };
        let indent = match last_env {
            Some(span) => indentation(text, span.start),
            None => format!("{}  ", indentation(text, container.span().start)),
        };
        for (name, body, kind, shown) in &blocks {
            written.push((
                *kind,
                format!("{}.container[{ci}].env", path.join(".")),
                name.clone(),
                shown.clone(),
            ));
            let existing = envs
                .iter()
                .find(|e| e.str_at("name") == Some(name.as_str()));
            match (existing, kind) {
                (Some(e), GiftKind::Env | GiftKind::Mount) if e.get("value").is_some() => {
                    if let (Some(old), Some((_, v))) =
                        (e.get("value"), values.iter().find(|(k, _)| k == name))
                    {
                        edits.push(Edit::Replace(old.span(), quoted(v)));
                    }
                }
                (Some(e), _) => {
                    // Written another way (`value_from`): the block is
                    // replaced whole.
                    edits.push(Edit::Replace(
                        e.span(),
                        format!(
                            "env {{\n{indent}  name = {}\n{indent}  {}\n{indent}}}",
                            quoted(name),
                            body.replace('\u{1}', &indent)
                        ),
                    ));
                }
                (None, _) => {
                    missing.push_str(&format!(
                        "\n{gap}{indent}env {{\n{indent}  name = {}\n{indent}  {}\n{indent}}}",
                        quoted(name),
                        body.replace('\u{1}', &indent)
                    ));
                }
            }
        }
        // The certificates' mounts, before the container's closing brace.
        let mut mounted = String::new();
        let inner = format!("{}  ", indentation(text, container.span().start));
        let volume_mounts = repeated(container.get("volume_mount"));
        for m in &mounts {
            if volume_mounts
                .iter()
                .any(|v| v.str_at("mount_path") == Some(m.at.as_str()))
            {
                continue;
            }
            let sub = m
                .sub_path
                .map(|p| format!("{inner}  sub_path   = {}\n", quoted(p)))
                .unwrap_or_default();
            mounted.push_str(&format!(
                "{inner}volume_mount {{\n{inner}  name       = {}\n{inner}  mount_path = {}\n{sub}{inner}  read_only  = true\n{inner}}}\n",
                quoted(&m.volume),
                quoted(&m.at)
            ));
            if m.variable.is_none() {
                written.push((
                    GiftKind::Mount,
                    format!("{}.container[{ci}].volume_mount", path.join(".")),
                    m.at.clone(),
                    format!("ConfigMap {}", m.volume),
                ));
            }
        }
        let close = container.span().end.saturating_sub(1);
        let line = crate::stack::edit::line_start(text, close);
        match last_env {
            _ if missing.is_empty() && mounted.is_empty() => {}
            Some(span) => {
                if !missing.is_empty() {
                    edits.push(Edit::insert(span.end, missing));
                }
                if !mounted.is_empty() {
                    edits.push(Edit::insert(line, mounted));
                }
            }
            None => {
                // Before the container's closing brace, on lines of their
                // own.
                let env = if missing.is_empty() {
                    String::new()
                } else {
                    format!("{}\n", missing.trim_start_matches('\n'))
                };
                edits.push(Edit::insert(line, format!("{env}{mounted}")));
            }
        }
    }
    Ok(written)
}

/// The blocks of one type in a body: a block type written more than once
/// reads as a sequence, once as the block itself.
fn repeated(node: Option<&crate::stack::yaml::Node>) -> Vec<&crate::stack::yaml::Node> {
    match node {
        Some(n) if n.is_seq() => n.items().iter().collect(),
        Some(n) => vec![n],
        None => Vec::new(),
    }
}

/// A certificate mounted into a pod: the volume, where it is mounted (and
/// the key, when it is mounted as one file), the file's path, and the
/// variable that names it.
struct CertificateMount {
    volume: String,
    at: String,
    sub_path: Option<&'static str>,
    file: String,
    variable: Option<String>,
}

/// The certificates of `gifts` for a Kubernetes provider workload: each in
/// a ConfigMap graft adds (see [`config_maps`]), and a `volume` of it in
/// the pod spec (in `edits`); the mounts are for the containers.
fn certificate_mounts(
    stack: &Stack,
    consumer: ResourceId,
    service: &str,
    gifts: &Gifts,
    created: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Vec<CertificateMount>, String> {
    if gifts.mounts.is_empty() {
        return Ok(Vec::new());
    }
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let text = file.text.as_str();
    let root = file.node(r);
    let path = pod_spec_path(&r.kind).ok_or("it is not a workload")?;
    let spec = root.path(path).ok_or("it has no pod spec")?;
    if !text
        .get(spec.span().start..spec.span().end)
        .is_some_and(|t| t.contains('\n'))
    {
        return Err("its pod spec is written on one line".into());
    }
    let mounts = config_maps(
        stack,
        consumer,
        service,
        gifts,
        root.get("metadata"),
        created,
    )?;
    let volumes = repeated(spec.get("volume"));
    let indent = format!("{}  ", indentation(text, spec.span().start));
    let mut new_volumes = String::new();
    let mut out = Vec::new();
    for (m, address) in mounts {
        if !volumes
            .iter()
            .any(|v| v.str_at("name") == Some(m.volume.as_str()))
            && !new_volumes.contains(&quoted(&m.volume))
        {
            new_volumes.push_str(&format!(
                "{indent}volume {{\n{indent}  name = {}\n{indent}  config_map {{\n{indent}    name = {address}.metadata[0].name\n{indent}  }}\n{indent}}}\n",
                quoted(&m.volume)
            ));
        }
        out.push(m);
    }
    if !new_volumes.is_empty() {
        let close = spec.span().end.saturating_sub(1);
        edits.push(Edit::insert(
            crate::stack::edit::line_start(text, close),
            new_volumes,
        ));
    }
    Ok(out)
}

/// Each certificate of `gifts` in a ConfigMap graft adds to `consumer`'s
/// module (put in `created`, once per module and namespace:
/// `kubernetes_config_map_v1.graft_SERVICE_FIELD`, the namespace appended
/// when there is one), and where a container mounts it; with each, the
/// ConfigMap's address. The ConfigMap goes in the workload's namespace (in
/// `metadata`), written as the workload writes it.
fn config_maps(
    stack: &Stack,
    consumer: ResourceId,
    service: &str,
    gifts: &Gifts,
    metadata: Option<&crate::stack::yaml::Node>,
    created: &mut Vec<DataBlock>,
) -> Result<Vec<(CertificateMount, String)>, String> {
    use crate::check::program::Target;
    let r = stack.resource(consumer);
    let text = stack.files[r.file].text.as_str();
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(|n| text.get(n.span().start..n.span().end));
    // The `_v1` form (the provider's since 2.7), whatever form the
    // workloads are written in: one ConfigMap per namespace.
    let ty = "kubernetes_config_map_v1";
    let mut out = Vec::new();
    for (target, field, pem) in &gifts.mounts {
        if pem.lines().any(|l| l.trim() == "EOT") {
            return Err("its certificate has a line `EOT`, which would end the heredoc".into());
        }
        let volume = format!("graft-{service}-{field}").replace('_', "-");
        let mut name = format!("graft_{service}_{field}");
        if let Some(ns) = namespace {
            let tail: String = ns
                .trim_matches('"')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            if tail != "default" {
                name = format!("{name}_{tail}");
            }
        }
        let address = format!("{ty}.{name}");
        let ns_line = namespace
            .map(|n| format!("    namespace = {n}\n"))
            .unwrap_or_default();
        let pem_lines: String = pem
            .trim_end()
            .lines()
            .map(|l| format!("      {l}\n"))
            .collect();
        let block = format!(
            "resource \"{ty}\" \"{name}\" {{\n  metadata {{\n    name      = {}\n{ns_line}    labels = {{\n      \"app.kubernetes.io/managed-by\" = \"graft\"\n    }}\n  }}\n  data = {{\n    \"ca.crt\" = <<-EOT\n{pem_lines}    EOT\n  }}\n}}\n",
            quoted(&volume)
        );
        let sep = if text.ends_with('\n') { "\n" } else { "\n\n" };
        created.push(DataBlock {
            key: (r.namespace.to_string(), address.clone()),
            edit: Edit::insert(text.len(), format!("{sep}{block}")),
            certificate: Some(field.clone()),
        });
        let dir = format!("/etc/graft/{service}/{field}");
        let mount = match target {
            Target::Env(var) => CertificateMount {
                volume,
                at: dir.clone(),
                sub_path: None,
                file: format!("{dir}/ca.crt"),
                variable: Some(var.clone()),
            },
            Target::File(p) => CertificateMount {
                volume,
                at: p.clone(),
                sub_path: Some("ca.crt"),
                file: p.clone(),
                variable: None,
            },
        };
        out.push((mount, address));
    }
    Ok(out)
}

/// A `kubernetes_manifest` whose `manifest` is an HCL object of a workload:
/// each container's `env` list gets the variables (`{ name, value }`) and
/// the credential as `valueFrom.secretKeyRef` when it is a Kubernetes
/// Secret.
fn manifest(
    stack: &Stack,
    consumer: ResourceId,
    (service, gifts): (&str, &Gifts),
    created: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let node = file.node(r).get("manifest").ok_or("it has no `manifest`")?;
    let text = file.text.as_str();
    let base = node.span().start;
    let source = text.get(node.span().start..node.span().end).unwrap_or("");
    let Ok(Expression::Object(root)) = hcl_edit::parser::parse_expr(source) else {
        return Err("its `manifest` is not written as an object in the configuration".into());
    };
    let get = |o: &Object, key: &str| object_value(o, key).cloned();
    let kind = match get(&root, "kind") {
        Some(Expression::String(s)) => s.value().to_string(),
        _ => return Err("its manifest has no literal `kind`".into()),
    };
    let path = manifest_pod_path(&kind)?;
    let mut at = Expression::Object(root.clone());
    for key in path {
        let Expression::Object(o) = &at else {
            return Err("its manifest's pod spec is not written as objects".into());
        };
        at = get(o, key).ok_or("its manifest has no pod spec")?;
    }
    let Expression::Object(spec) = &at else {
        return Err("its manifest's pod spec is not an object".into());
    };
    let Some(Expression::Array(containers)) = get(spec, "containers") else {
        return Err("its manifest's pod spec has no `containers` list".into());
    };
    // The certificates: a ConfigMap each, a volume of it in the pod spec,
    // a mount in each container and the variable that names the file.
    let mounts = if gifts.mounts.is_empty() {
        Vec::new()
    } else {
        config_maps(
            stack,
            consumer,
            service,
            gifts,
            node.get("metadata"),
            created,
        )?
    };
    let named = |list: Option<Expression>, key: &str| -> Vec<String> {
        match list {
            Some(Expression::Array(a)) => a
                .iter()
                .filter_map(|e| match e {
                    Expression::Object(o) => object_str(o, key),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let have = named(get(spec, "volumes"), "name");
    let mut volumes: Vec<String> = Vec::new();
    for (m, address) in &mounts {
        let item = format!(
            "{{ name = {}, configMap = {{ name = {address}.metadata[0].name }} }}",
            quoted(&m.volume)
        );
        if !have.contains(&m.volume) && !volumes.contains(&item) {
            volumes.push(item);
        }
    }
    put_items(text, base, spec, "volumes", &volumes, edits)?;
    let mut pairs: Vec<(String, String)> = gifts.env.clone();
    for (m, _) in &mounts {
        if let Some(var) = &m.variable {
            pairs.push((var.clone(), m.file.clone()));
        }
    }
    let items: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                format!("{{ name = {}, value = {} }}", quoted(k), quoted(v)),
            )
        })
        .collect();
    let mut secrets = Vec::new();
    for (k, s, _) in &gifts.secrets {
        if s.store != "kubernetes" {
            return Err(format!(
                "a pod reads Kubernetes Secrets, not `{}`: sync the secret into one (External Secrets, the CSI driver) and bind that",
                s.store
            ));
        }
        secrets.push((
            k.clone(),
            format!(
                "{{ name = {}, valueFrom = {{ secretKeyRef = {{ name = {}, key = {} }} }} }}",
                quoted(k),
                quoted(s.get("name").unwrap_or("")),
                quoted(s.get("key").unwrap_or(""))
            ),
            s.describe(),
        ));
    }
    let mut written = Written::new();
    for (ci, c) in containers.iter().enumerate() {
        let Expression::Object(container) = c else {
            continue;
        };
        let at = format!("manifest.{}.containers[{ci}].env", path.join("."));
        // Secrets: added when missing (one of the same name is left).
        let existing: Vec<String> = match get(container, "env") {
            Some(Expression::Array(a)) => a
                .iter()
                .filter_map(|e| match e {
                    Expression::Object(o) => object_str(o, "name"),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut all_pairs = pairs.clone();
        let mut all_items = items.clone();
        for (k, item, shown) in &secrets {
            if !existing.contains(k) {
                all_pairs.push((k.clone(), String::new()));
                all_items.push((k.clone(), item.clone()));
            }
            written.push((GiftKind::Secret, at.clone(), k.clone(), shown.clone()));
        }
        let list = NamedList {
            key: "env",
            value_key: "value",
            values: &all_pairs,
            items: &all_items,
            removed: &[],
        };
        named_items(text, base, container, &list, edits);
        for (k, v) in &gifts.env {
            written.push((GiftKind::Env, at.clone(), k.clone(), v.clone()));
        }
        let mounted = named(get(container, "volumeMounts"), "mountPath");
        let mut new_mounts = Vec::new();
        for (m, _) in &mounts {
            let shown = format!("ConfigMap {}", m.volume);
            match &m.variable {
                Some(var) => written.push((GiftKind::Mount, at.clone(), var.clone(), shown)),
                None => written.push((
                    GiftKind::Mount,
                    format!("manifest.{}.containers[{ci}].volumeMounts", path.join(".")),
                    m.at.clone(),
                    shown,
                )),
            }
            if mounted.contains(&m.at) {
                continue;
            }
            let sub = m
                .sub_path
                .map(|p| format!(", subPath = {}", quoted(p)))
                .unwrap_or_default();
            new_mounts.push(format!(
                "{{ name = {}, mountPath = {}{sub}, readOnly = true }}",
                quoted(&m.volume),
                quoted(&m.at)
            ));
        }
        put_items(text, base, container, "volumeMounts", &new_mounts, edits)?;
    }
    Ok(written)
}

/// A Lambda function in a `.tf.json` file (as CDK for Terraform writes
/// them): its `environment.variables` object gets the variables, and the
/// credential through a data source added under the file's `data` object
/// (made when there is none), read with a `${...}` expression.
fn lambda_json(
    stack: &Stack,
    consumer: ResourceId,
    service: &str,
    gifts: &Gifts,
    blocks: &mut Vec<DataBlock>,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    use crate::stack::edit::json_string;
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let text = file.text.as_str();
    let variables = file
        .node(r)
        .get("environment")
        .and_then(|e| {
            if e.is_seq() {
                e.items().first()
            } else {
                Some(e)
            }
        })
        .and_then(|e| e.get("variables"))
        .filter(|v| v.is_map())
        .ok_or("it has no `environment.variables` object to add to")?;
    let mut values: Vec<(String, String, GiftKind, String)> = gifts
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.replace("${", "$${"), GiftKind::Env, v.clone()))
        .collect();
    for (k, s, field) in &gifts.secrets {
        let (read, block) = secret_read(stack, consumer, service, s, field)?;
        blocks.push(block);
        values.push((k.clone(), read, GiftKind::Secret, s.describe()));
    }
    let mut written = Written::new();
    let mut missing = Vec::new();
    for (k, v, kind, shown) in &values {
        written.push((
            *kind,
            "environment.variables".into(),
            k.clone(),
            shown.clone(),
        ));
        match variables.entry(k) {
            Some((_, old)) => edits.push(Edit::Replace(old.span(), json_string(v))),
            None => missing.push(format!("{}: {}", json_string(k), json_string(v))),
        }
    }
    if !missing.is_empty() {
        edits.push(add_entries(text, variables, &missing, true));
    }
    Ok(written)
}

/// An ECS task definition in a `.tf.json` file: its `container_definitions`
/// string holds either `${jsonencode([...])}` (HCL inside the string) or a
/// JSON list of containers (as CDK for Terraform writes it). The gifts are
/// written into the string's content as they would be outside it, then
/// escaped into the string.
fn ecs_json(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let (file, node) = container_definitions(stack, consumer)?;
    let not_a_string = "its `container_definitions` is not a string";
    if node.scalar().is_none_or(|s| s.style != Style::Quoted) {
        return Err(not_a_string.into());
    }
    let base = node.span().start + 1;
    let (content, at) = file
        .text
        .get(base..node.span().end.saturating_sub(1))
        .and_then(crate::stack::edit::unescape_json)
        .ok_or(not_a_string)?;
    // Content offsets to where they are written.
    let to_file = |sp: Span| {
        let at = |i: usize| base + at.get(i).copied().unwrap_or(0);
        Span::new(at(sp.start), at(sp.end))
    };
    let sites = using_sites(stack, consumer, carriers);
    let using = |spans: &[Span]| containing(&sites, spans.iter().map(|&s| to_file(s)));
    let password_sites = gifts.moved.get(&consumer).map_or(&[][..], Vec::as_slice);
    let moved = |span: Span| holds_any(to_file(span), password_sites);
    let mut inside = Vec::new();
    let written = match content.strip_prefix("${").and_then(|c| c.strip_suffix('}')) {
        Some(expr) => ecs_expr(&content, 2, expr, (&using, &moved), gifts, &mut inside)?,
        None => ecs_document(&content, (&using, &moved), gifts, &mut inside)?,
    };
    for edit in inside {
        if let Edit::Replace(span, new) = edit {
            let json = crate::stack::edit::json_string(&new);
            let escaped = json.get(1..json.len() - 1).unwrap_or("").to_string();
            edits.push(Edit::Replace(to_file(span), escaped));
        }
    }
    Ok(written)
}

/// [`ecs_json`] on a JSON list of containers (`text`, itself a template).
fn ecs_document(
    text: &str,
    (using, moved): Reads<'_>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let root = yaml_value(text)
        .filter(crate::stack::yaml::Node::is_seq)
        .ok_or("its `container_definitions` is neither `${jsonencode([...])}` nor a JSON list of containers")?;
    let style = JsonStyle::of(text);
    let containers = root.items();
    let spans: Vec<Span> = containers.iter().map(|c| c.span()).collect();
    let mut using = using(&spans);
    if using.is_empty() {
        using = (0..containers.len()).collect();
    }
    let mut written = Written::new();
    for (i, c) in containers.iter().enumerate() {
        if !using.contains(&i) || !c.is_map() {
            continue;
        }
        let name = c
            .str_at("name")
            .map_or_else(|| format!("[{i}]"), str::to_string);
        let path = format!("container_definitions[{i}]");
        let mut secrets = ecs_secrets(gifts, &name)?;
        // Variables whose whole value read the origin's password move to
        // `secrets` (as in [`ecs_parsed`]).
        let mut removed = Vec::new();
        for item in c.items_at(&["environment"]) {
            let (Some(var), Some(value)) = (item.str_at("name"), item.get("value")) else {
                continue;
            };
            let whole = value.as_str().is_some_and(|v| {
                v.starts_with("${") && v.ends_with('}') && v.matches("${").count() == 1
            });
            if !whole || !moved(value.span()) {
                continue;
            }
            let moving = (&mut removed, &mut secrets, &mut written);
            move_password(gifts, &name, &path, var.to_string(), item.span(), moving)?;
        }
        let lists = [
            (
                "environment",
                "value",
                &gifts.env,
                GiftKind::Env,
                &removed[..],
            ),
            ("secrets", "valueFrom", &secrets, GiftKind::Secret, &[][..]),
        ];
        for (key, value_key, pairs, kind, removed) in lists {
            let named: Vec<Named> = pairs
                .iter()
                .map(|(k, v)| {
                    let value = serde_json::Value::String(escape_template(v));
                    Named {
                        name: k.clone(),
                        value: Some(value.to_string()),
                        item: style.write(&serde_json::json!({"name": k, value_key: value})),
                    }
                })
                .collect();
            if named.is_empty() && removed.is_empty() {
                continue;
            }
            json_named_items(text, c, key, value_key, &named, removed, style, edits);
            record(&mut written, kind, &path, key, pairs);
        }
    }
    Ok(written)
}

/// The Kubernetes provider's workloads in a `.tf.json` file: as
/// [`kubernetes`], with `env` blocks written as JSON objects.
fn kubernetes_json(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let path = pod_spec_path(&r.kind).ok_or("it is not a workload")?;
    // A block is an object, or a list of them (the first is taken).
    let block = |n: &crate::stack::yaml::Node| -> Option<crate::stack::yaml::Node> {
        if n.is_seq() {
            n.items().first().cloned()
        } else {
            Some(n.clone())
        }
    };
    let mut spec = file.node(r).clone();
    for key in path {
        spec = spec.get(key).and_then(block).ok_or("it has no pod spec")?;
    }
    let named = pod_env(gifts, "value_from", "secret_key_ref")?;
    pod_containers(
        stack,
        consumer,
        carriers,
        &spec,
        "container",
        path.join("."),
        &named,
        edits,
    )
}

/// A `kubernetes_manifest` in a `.tf.json` file whose `manifest` is a JSON
/// object of a workload: as [`manifest`].
fn manifest_json(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    gifts: &Gifts,
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let r = stack.resource(consumer);
    let file = &stack.files[r.file];
    let manifest = file
        .node(r)
        .get("manifest")
        .filter(|m| m.is_map())
        .ok_or("its `manifest` is not written as an object in the configuration")?;
    let kind = manifest
        .str_at("kind")
        .ok_or("its manifest has no literal `kind`")?;
    let path = manifest_pod_path(kind)?;
    let spec = manifest
        .path(path)
        .filter(|s| s.is_map())
        .ok_or("its manifest has no pod spec")?;
    let named = pod_env(gifts, "valueFrom", "secretKeyRef")?;
    let at = format!("manifest.{}", path.join("."));
    pod_containers(
        stack,
        consumer,
        carriers,
        spec,
        "containers",
        at,
        &named,
        edits,
    )
}

/// Where a manifest of `kind` keeps its pod spec.
fn manifest_pod_path(kind: &str) -> Result<&'static [&'static str], String> {
    Ok(match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            &["spec", "template", "spec"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "Pod" => &["spec"],
        other => {
            return Err(format!(
                "a `{other}` manifest runs no containers graft knows"
            ));
        }
    })
}

/// The `env` items a pod's containers receive, in JSON: each variable,
/// then the credential as a reference to a Kubernetes Secret (`from` and
/// `secret_ref` name the keys: `value_from`/`secret_key_ref` in the
/// provider's blocks, `valueFrom`/`secretKeyRef` in a manifest).
fn pod_env(
    gifts: &Gifts,
    from: &str,
    secret_ref: &str,
) -> Result<Vec<(Named, GiftKind, String)>, String> {
    let mut named = Vec::new();
    for (k, v) in &gifts.env {
        let value = serde_json::Value::String(escape_template(v));
        let item = serde_json::json!({"name": k, "value": value});
        named.push((
            Named {
                name: k.clone(),
                value: Some(value.to_string()),
                item: item.to_string(),
            },
            GiftKind::Env,
            v.clone(),
        ));
    }
    for (k, s, _) in &gifts.secrets {
        if s.store != "kubernetes" {
            return Err(format!(
                "a pod reads Kubernetes Secrets, not `{}`: sync the secret into one (External Secrets, the CSI driver) and bind that",
                s.store
            ));
        }
        let reference = serde_json::json!({
            "name": escape_template(s.get("name").unwrap_or("")),
            "key": escape_template(s.get("key").unwrap_or("")),
        });
        let item = serde_json::json!({"name": k, from: {secret_ref: reference}});
        named.push((
            Named {
                name: k.clone(),
                value: None,
                item: item.to_string(),
            },
            GiftKind::Secret,
            s.describe(),
        ));
    }
    Ok(named)
}

/// Gives each container under `key` of a JSON pod spec (a list, or one
/// object) that reads the endpoint the `env` items.
#[allow(clippy::too_many_arguments)]
fn pod_containers(
    stack: &Stack,
    consumer: ResourceId,
    carriers: &BTreeSet<ResourceId>,
    spec: &crate::stack::yaml::Node,
    key: &str,
    path: String,
    named: &[(Named, GiftKind, String)],
    edits: &mut Vec<Edit>,
) -> Result<Written, String> {
    let text = stack.files[stack.resource(consumer).file].text.as_str();
    let containers: Vec<&crate::stack::yaml::Node> = match spec.get(key) {
        Some(c) if c.is_seq() => c.items().iter().filter(|c| c.is_map()).collect(),
        Some(c) if c.is_map() => vec![c],
        _ => return Err(format!("its pod spec has no `{key}`")),
    };
    let sites = using_sites(stack, consumer, carriers);
    let mut using = containing(&sites, containers.iter().map(|c| c.span()));
    if using.is_empty() {
        using = (0..containers.len()).collect();
    }
    let style = JsonStyle::of(text);
    let items: Vec<Named> = named
        .iter()
        .map(|(n, _, _)| Named {
            item: style.reformat(&n.item),
            ..n.clone()
        })
        .collect();
    let mut written = Written::new();
    for (ci, container) in containers.iter().enumerate() {
        if !using.contains(&ci) {
            continue;
        }
        json_named_items(text, container, "env", "value", &items, &[], style, edits);
        for (n, kind, shown) in named {
            written.push((
                *kind,
                format!("{path}.{key}[{ci}].env"),
                n.name.clone(),
                shown.clone(),
            ));
        }
    }
    Ok(written)
}

/// Where a consumer reads what carries the endpoint.
fn using_sites(stack: &Stack, consumer: ResourceId, carriers: &BTreeSet<ResourceId>) -> Vec<Span> {
    stack
        .references_from(consumer)
        .filter(|x| carriers.contains(&x.to))
        .map(|x| x.site.span)
        .collect()
}

/// The indexes of the spans that contain one of `sites`.
fn containing(sites: &[Span], spans: impl Iterator<Item = Span>) -> BTreeSet<usize> {
    spans
        .enumerate()
        .filter(|(_, s)| sites.iter().any(|x| s.start <= x.start && x.end <= s.end))
        .map(|(i, _)| i)
        .collect()
}

/// An item to have in a JSON list of named items (`{"name": ..., ...}`).
#[derive(Clone)]
struct Named {
    name: String,
    /// The value for the `value` key of an item of this name that has one
    /// (JSON); `None`: such an item is replaced whole.
    value: Option<String>,
    /// The whole item (JSON).
    item: String,
}

/// How a JSON text is spaced: `{"a": 1, "b": 2}` or `{"a":1,"b":2}`.
#[derive(Clone, Copy)]
struct JsonStyle {
    compact: bool,
}

impl JsonStyle {
    fn of(text: &str) -> JsonStyle {
        JsonStyle {
            compact: !text.contains(": ") && !text.contains(", "),
        }
    }

    fn separator(self) -> &'static str {
        if self.compact { "," } else { ", " }
    }

    /// A value, on one line, in this style.
    fn write(self, value: &serde_json::Value) -> String {
        if self.compact {
            return value.to_string();
        }
        match value {
            serde_json::Value::Object(o) => {
                let entries: Vec<String> = o
                    .iter()
                    .map(|(k, v)| {
                        format!("{}: {}", serde_json::Value::from(k.as_str()), self.write(v))
                    })
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            serde_json::Value::Array(a) => {
                let items: Vec<String> = a.iter().map(|v| self.write(v)).collect();
                format!("[{}]", items.join(", "))
            }
            other => other.to_string(),
        }
    }

    /// Compact JSON written again in this style.
    fn reformat(self, json: &str) -> String {
        serde_json::from_str(json).map_or_else(|_| json.to_string(), |v| self.write(&v))
    }
}

/// In the JSON list under `key` of `object` (`env`, `environment`): gives
/// each named item its value, replaces an item of that name written
/// another way, and adds the items not there; adds the list when there is
/// none, and makes one object a list.
#[allow(clippy::too_many_arguments)]
fn json_named_items(
    text: &str,
    object: &crate::stack::yaml::Node,
    key: &str,
    value_key: &str,
    named: &[Named],
    removed: &[Span],
    style: JsonStyle,
    edits: &mut Vec<Edit>,
) {
    let list = object.get(key);
    let mut items: Vec<&crate::stack::yaml::Node> = match list {
        Some(l) if l.is_seq() => l.items().iter().collect(),
        Some(l) if l.is_map() => vec![l],
        _ => Vec::new(),
    };
    if let Some(l) = list.filter(|l| l.is_seq() && !removed.is_empty()) {
        let spans: Vec<Span> = items.iter().map(|i| i.span()).collect();
        if spans.iter().all(|s| removed.contains(s)) {
            // Every item goes: the list holds the new ones alone.
            let new: Vec<&str> = named.iter().map(|n| n.item.as_str()).collect();
            edits.push(Edit::Replace(
                l.span(),
                format!("[{}]", new.join(style.separator())),
            ));
            return;
        }
        for gone in removals(&spans, removed) {
            edits.push(Edit::Replace(gone, String::new()));
        }
        items.retain(|i| !removed.contains(&i.span()));
    }
    let mut missing = Vec::new();
    for n in named {
        match items
            .iter()
            .find(|i| i.str_at("name") == Some(n.name.as_str()))
        {
            Some(existing) => match (existing.get(value_key), &n.value) {
                (Some(old), Some(value)) => edits.push(Edit::Replace(old.span(), value.clone())),
                _ => edits.push(Edit::Replace(existing.span(), n.item.clone())),
            },
            None => missing.push(n.item.as_str()),
        }
    }
    if missing.is_empty() {
        return;
    }
    let sep = style.separator();
    match list {
        Some(l) if l.is_seq() => match l.items().last() {
            Some(last) if text[l.span().start..l.span().end].contains('\n') => {
                let indent = indentation(text, last.span().start);
                let lines: String = missing.iter().map(|i| format!(",\n{indent}{i}")).collect();
                edits.push(Edit::insert(last.span().end, lines));
            }
            Some(last) => {
                let more: String = missing.iter().map(|i| format!("{sep}{i}")).collect();
                edits.push(Edit::insert(last.span().end, more));
            }
            None => edits.push(Edit::Replace(l.span(), format!("[{}]", missing.join(sep)))),
        },
        Some(l) if l.is_map() => {
            // One block written as an object: a list of it and the rest.
            edits.push(Edit::insert(l.span().start, "["));
            let more: String = missing.iter().map(|i| format!("{sep}{i}")).collect();
            edits.push(Edit::insert(l.span().end, format!("{more}]")));
        }
        _ => {
            let key = crate::stack::edit::json_string(key);
            let list = missing.join(sep);
            match object.entries().last() {
                Some((_, last)) if style.compact => {
                    edits.push(Edit::insert(last.span().end, format!(",{key}:[{list}]")));
                }
                _ => edits.push(add_entries(
                    text,
                    object,
                    &[format!("{key}: [{list}]")],
                    true,
                )),
            }
        }
    }
}

/// Text as a Terraform template's literal part: `${` and `%{` doubled.
fn escape_template(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

/// The one value of a JSON (or YAML) text.
fn yaml_value(text: &str) -> Option<crate::stack::yaml::Node> {
    let mut docs = crate::stack::yaml::parse(text).ok()?;
    Some(docs.pop()?.root)
}

/// The name of the data source graft adds to read a service's credential:
/// `graft_redis_auth`.
fn data_source_name(service: &str, field: &str) -> String {
    format!("graft_{service}_{field}").replace('-', "_")
}

/// An argument of a data source graft adds.
enum Arg {
    Str(String),
    Bool(bool),
    /// A nested block (`metadata { ... }`).
    Block(Vec<(&'static str, Arg)>),
}

/// Arguments as the lines of an HCL body, `indent` deep, `=` aligned.
fn hcl_args(args: &[(&str, Arg)], indent: &str) -> String {
    let width = args
        .iter()
        .filter(|(_, v)| !matches!(v, Arg::Block(_)))
        .map(|(a, _)| a.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (arg, value) in args {
        match value {
            Arg::Str(v) => out.push_str(&format!("{indent}{arg:width$} = {}\n", quoted(v))),
            Arg::Bool(b) => out.push_str(&format!("{indent}{arg:width$} = {b}\n")),
            Arg::Block(inner) => {
                out.push_str(&format!("{indent}{arg} {{\n"));
                out.push_str(&hcl_args(inner, &format!("{indent}  ")));
                out.push_str(&format!("{indent}}}\n"));
            }
        }
    }
    out
}

/// Arguments as a JSON object (strings are templates in `.tf.json`).
fn json_args(args: &[(&str, Arg)]) -> String {
    use crate::stack::edit::json_string;
    let fields: Vec<String> = args
        .iter()
        .map(|(arg, value)| {
            let value = match value {
                Arg::Str(v) => json_string(&escape_template(v)),
                Arg::Bool(b) => b.to_string(),
                Arg::Block(inner) => json_args(inner),
            };
            format!("\"{arg}\": {value}")
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// A data source to add: its type, its arguments, and the expression that
/// reads the value.
type Source = (&'static str, Vec<(&'static str, Arg)>, String);

/// The data source that reads a credential where nothing native can (a
/// Lambda's environment, a Helm value): its type, its arguments, and the
/// expression that reads the value (a key of a JSON secret through
/// `jsondecode`; a key of a Kubernetes Secret's `data`, which the provider
/// gives decoded).
fn secret_source(s: &SecretRef, name: &str) -> Result<Source, String> {
    match s.store.as_str() {
        "aws-secretsmanager" => {
            let arn = s.get("arn").ok_or("the secret has no `arn`")?;
            let whole = format!("data.aws_secretsmanager_secret_version.{name}.secret_string");
            let read = match s.get("key") {
                Some(key) => format!("jsondecode({whole})[{}]", quoted(key)),
                None => whole,
            };
            Ok((
                "aws_secretsmanager_secret_version",
                vec![("secret_id", Arg::Str(arn.into()))],
                read,
            ))
        }
        "aws-ssm" => {
            let param = s.get("name").ok_or("the parameter has no `name`")?;
            Ok((
                "aws_ssm_parameter",
                vec![
                    ("name", Arg::Str(param.into())),
                    ("with_decryption", Arg::Bool(true)),
                ],
                format!("data.aws_ssm_parameter.{name}.value"),
            ))
        }
        "kubernetes" => {
            let secret = s.get("name").ok_or("the secret has no `name`")?;
            let key = s.get("key").ok_or("the secret has no `key`")?;
            let mut metadata = vec![("name", Arg::Str(secret.into()))];
            if let Some(ns) = s.get("namespace") {
                metadata.push(("namespace", Arg::Str(ns.into())));
            }
            Ok((
                "kubernetes_secret_v1",
                vec![("metadata", Arg::Block(metadata))],
                format!("data.kubernetes_secret_v1.{name}.data[{}]", quoted(key)),
            ))
        }
        other => Err(format!(
            "Terraform reads a secret kept in AWS Secrets Manager, SSM or a Kubernetes Secret through a data source, not one kept in `{other}`"
        )),
    }
}

/// The top-level object of a JSON file.
fn yaml_root(text: &str) -> Option<crate::stack::yaml::Node> {
    let mut docs = crate::stack::yaml::parse(text).ok()?;
    let root = docs.pop()?.root;
    root.is_map().then_some(root)
}

/// Adds entries (written already: `k = v` in HCL, `"k": v` in JSON) to a
/// map node, after its last entry: each on a line of its own at its
/// indentation when the map spans lines, else inline; an empty map is
/// written again with them.
fn add_entries(text: &str, map: &crate::stack::yaml::Node, entries: &[String], json: bool) -> Edit {
    let Some((key, value)) = map.entries().last() else {
        let inner = entries.join(", ");
        return Edit::Replace(
            map.span(),
            if json {
                format!("{{{inner}}}")
            } else {
                format!("{{ {inner} }}")
            },
        );
    };
    if text[map.span().start..map.span().end].contains('\n') {
        let indent = indentation(text, key.span().start);
        let comma = if json { "," } else { "" };
        let lines: String = entries
            .iter()
            .map(|e| format!("{comma}\n{indent}{e}"))
            .collect();
        Edit::insert(value.span().end, lines)
    } else {
        Edit::insert(value.span().end, format!(", {}", entries.join(", ")))
    }
}

/// A value as an HCL string literal.
fn quoted(value: &str) -> String {
    super::quoted(value)
}
