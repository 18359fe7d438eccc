//! Carrying out rules on a Kubernetes stack: drop the matched workloads and
//! what exists only for them, rewrite every reference to their Services,
//! hand credentials to consumers as `secretKeyRef`s, set variables, mount
//! certificates from a ConfigMap the engine emits, annotate; then check that
//! nothing still refers to what was dropped, and write the edits as splices.

use super::connection::{
    connection_options, credentials, password_options, rebind_password_options, redact,
};
use super::plan::{Change, ChangeKind, Location, Problem};
use super::{Instance, OutputFile, Plan, active_actions, binds, eval};
use crate::bindings::{Bindings, Input, Provided, SecretRef};
use crate::catalogue::Format;
use crate::check::program::{ActionDef, ActionOp, Origin, Program, Target};
use crate::source::{LineCursor, Sources, Span};
use crate::stack::edit::{self, Splices, json_string};
use crate::stack::kubernetes::{containers, pod_template, pod_template_path};
use crate::stack::yaml::{Node, Style};
use crate::stack::{NetForm, NetRef, RefKind, Reference, ResourceId, Stack};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Where things are, for the plan.
pub(super) struct Locator<'a> {
    rules: &'a Sources,
    stack: &'a Stack,
    lines: HashMap<usize, LineCursor>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(rules: &'a Sources, stack: &'a Stack) -> Locator<'a> {
        Locator {
            rules,
            stack,
            lines: HashMap::new(),
        }
    }

    pub(super) fn rule(&self, origin: Origin) -> Option<Location> {
        let f = self.rules.get(origin.file)?;
        let lc = f.line_col(origin.span.start);
        Some(Location {
            file: f.name().to_string(),
            line: lc.line,
            column: lc.column,
        })
    }

    pub(super) fn stack(&mut self, file: usize, offset: usize) -> Option<Location> {
        let f = self.stack.files.get(file)?;
        let lc = self
            .lines
            .entry(file)
            .or_default()
            .line_col(&f.text, offset);
        Some(Location {
            file: f.path.clone(),
            line: lc.line,
            column: lc.column,
        })
    }

    fn resource(&mut self, stack: &Stack, id: ResourceId) -> Option<Location> {
        let r = stack.resource(id);
        self.stack(r.file, r.span.start)
    }
}

/// The changes to one container of a consumer.
#[derive(Default)]
struct ContainerEdit {
    /// Env items replaced whole, by index.
    replace: BTreeMap<usize, Json>,
    /// Env items removed.
    remove: BTreeSet<usize>,
    /// New env entries by name, with whether they must come before the
    /// entries that expand them with `$(NAME)`.
    add: Vec<(String, Json)>,
    /// New volume mounts.
    mounts: Vec<Json>,
}

/// The changes to one consumer workload.
#[derive(Default)]
struct WorkloadEdit {
    containers: BTreeMap<usize, ContainerEdit>,
    volumes: Vec<Json>,
    annotations: Vec<(String, String)>,
}

/// A scalar rewritten in place.
struct Rewrite {
    file: usize,
    span: Span,
    text: String,
    style: crate::stack::yaml::Style,
}

pub(super) fn apply(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
    plan: &mut Plan,
) -> Vec<OutputFile> {
    let mut loc = Locator::new(rules, stack);
    let mut dropped: BTreeMap<ResourceId, String> = BTreeMap::new();
    let mut drop_rule: HashMap<ResourceId, (Origin, String)> = HashMap::new();
    let mut handled: HashSet<usize> = HashSet::new();
    let mut rewrites: Vec<Rewrite> = Vec::new();
    let mut command_lines: BTreeSet<(ResourceId, Option<String>)> = BTreeSet::new();
    let mut edits: BTreeMap<ResourceId, WorkloadEdit> = BTreeMap::new();
    let mut sa_annotations: BTreeMap<ResourceId, Vec<(String, String, String)>> = BTreeMap::new();
    // New objects, with the file to put them in (`None`: the first dropped
    // resource's).
    let mut created: Vec<(Option<usize>, Json)> = Vec::new();
    let mut created_names: HashSet<String> = HashSet::new();
    let mut env_writes: HashMap<(ResourceId, usize, String), (String, String)> = HashMap::new();

    for (service, provided) in &bindings.services {
        let mine: Vec<&Instance<'_>> = instances
            .iter()
            .filter(|i| {
                i.service == service && stack.resource(i.resource).format == Format::Kubernetes
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        let actions = active_actions(program, service, provided, Format::Kubernetes);
        let bound = binds(&actions, provided);
        let drop_action = actions.iter().find(|a| a.op == ActionOp::Drop).copied();
        let alias_action = actions.iter().find(|a| a.op == ActionOp::Alias).copied();
        let matched: HashSet<ResourceId> = mine.iter().map(|i| i.resource).collect();

        // The objects through which the matched workloads are reached: the
        // workloads themselves and the Services that select them.
        let mut targets: BTreeSet<ResourceId> = matched.iter().copied().collect();
        for &w in &matched {
            for r in stack.references_to(w) {
                if r.kind == RefKind::Attaches && stack.resource(r.from).kind == "Service" {
                    targets.insert(r.from);
                }
            }
        }

        // Consumer sites: network and port references from outside.
        let injected_env = injected_env_name(&actions, provided);
        let mut consumers: BTreeMap<ResourceId, BTreeSet<usize>> = BTreeMap::new();
        let mut port_known: BTreeMap<ResourceId, bool> = BTreeMap::new();
        let mut by_site: BTreeMap<(usize, Span), Vec<(usize, &Reference)>> = BTreeMap::new();
        for &t in &targets {
            for &ri in stack.referrers.get(t.index()).into_iter().flatten() {
                let r = stack.reference(ri);
                if targets.contains(&r.from) || matched.contains(&r.from) {
                    continue;
                }
                if matches!(r.kind, RefKind::Network(_) | RefKind::Port(..)) {
                    by_site
                        .entry((r.site.file, r.site.span))
                        .or_default()
                        .push((ri, r));
                }
            }
        }
        for refs in by_site.values() {
            let first = refs[0].1;
            let Some(original) = first.site.value.clone() else {
                continue;
            };
            let mut pieces: Vec<(usize, usize, String, Vec<String>, Origin)> = Vec::new();
            let mut failed = false;
            for (ri, r) in refs {
                let target = r.to;
                let result = match &r.kind {
                    RefKind::Network(net) => {
                        rewrite_network(&original, net, &bound, injected_env.as_deref(), provided)
                    }
                    RefKind::Port(start, end) => bound
                        .get("port")
                        .map(|(p, used, a)| (*start, *end, p.clone(), used.clone(), a.origin))
                        .ok_or_else(|| "`port`".to_string()),
                    _ => continue,
                };
                match result {
                    Ok(piece) => {
                        pieces.push(piece);
                        handled.insert(*ri);
                    }
                    Err(role) => {
                        failed = true;
                        handled.insert(*ri);
                        let at = loc.stack(r.site.file, r.site.span.start);
                        plan.problems.push(Problem::error("E0702", format!(
                                "`{}` refers to `{}` ({}), which is dropped, and no rule binds {role} to rewrite it",
                                stack.resource(r.from).address,
                                stack.resource(target).name,
                                r.site.path
                            )).at(at).rule(drop_action.and_then(|a| loc.rule(a.origin))).help(format!("bind {role} in the rule for `{service}`, such as `bind host = c.hostname.host`")));
                    }
                }
            }
            if failed || pieces.is_empty() {
                continue;
            }
            pieces.sort_by_key(|p| p.0);
            let mut text = String::new();
            let mut cursor = 0;
            let mut inputs = Vec::new();
            let mut origin = None;
            for (s, e, new, used, o) in &pieces {
                if *s < cursor {
                    continue;
                }
                text.push_str(&original[cursor..*s]);
                text.push_str(new);
                cursor = *e;
                inputs.extend(used.iter().cloned());
                origin.get_or_insert(*o);
            }
            text.push_str(&original[cursor..]);
            // A password written as a connection-string option goes the way
            // of a URL's: a reference to the injected variable, or nothing.
            let text = rebind_password_options(&text, injected_env.as_deref());
            inputs.sort();
            inputs.dedup();
            if text == original {
                continue;
            }
            let (brief_old, brief_new) = changed_lines(&original, &text);
            let from = first.from;
            let mut these: BTreeMap<ResourceId, BTreeSet<usize>> = BTreeMap::new();
            consumers_of_site(stack, first, &mut these);
            // Which consumers now have a port in hand.
            let carries_port = refs.iter().any(|(_, r)| match &r.kind {
                RefKind::Port(..) => true,
                RefKind::Network(n) => n.form == NetForm::HostPort || n.form == NetForm::Url,
                _ => false,
            });
            for (c, cis) in these {
                *port_known.entry(c).or_insert(false) |= carries_port;
                consumers.entry(c).or_default().extend(cis);
            }
            let at = loc.stack(first.site.file, first.site.span.start);
            plan.changes.push(
                Change::new(
                    ChangeKind::Rewire,
                    service,
                    &stack.resource(from).address,
                    format!(
                        "named {} `{}`; now the customer's endpoint",
                        if stack.resource(first.to).kind == "Service" {
                            "the Service"
                        } else {
                            "the workload"
                        },
                        stack.resource(first.to).name
                    ),
                )
                .path(first.site.path.clone())
                .at(at.clone())
                .values(Some(redact(&brief_old)), Some(redact(&brief_new)))
                .rule(origin.and_then(|o| loc.rule(o)))
                .inputs(inputs),
            );
            // Options beside an endpoint (not inside a URL, whose query is
            // kept with it) are the client's to read: say they stayed.
            let options = connection_options(&original);
            let in_url = refs
                .iter()
                .all(|(_, r)| matches!(&r.kind, RefKind::Network(n) if n.form == NetForm::Url));
            if !options.is_empty() && !in_url {
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` ({}) passes connection options beside the endpoint ({}): graft rewrote the endpoint{}, but the options stay as they were",
                        stack.resource(from).address,
                        first.site.path,
                        options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "),
                        if password_options(&original).is_empty() { "" } else { " and the password" },
                    ))
                    .at(at)
                    .help("check them against the customer's settings (TLS, database), which the rules hand over as environment variables the client may not read"),
                );
            }
            if first.site.path.contains(".command[") || first.site.path.contains(".args[") {
                command_lines.insert((from, first.site.container.clone().map(|c| c.1)));
            }
            rewrites.push(Rewrite {
                file: first.site.file,
                span: first.site.span,
                text,
                style: first.site.style,
            });
        }

        // A program that takes the endpoint on its command line may not read
        // the settings the rules hand over as environment.
        let settings: Vec<String> = actions
            .iter()
            .filter_map(|a| match &a.op {
                ActionOp::SetEnv { name, .. } => Some(format!("`{name}`")),
                ActionOp::Mount {
                    target: Target::Env(name),
                    ..
                } => Some(format!("`{name}`")),
                _ => None,
            })
            .collect();
        for (workload, container) in std::mem::take(&mut command_lines) {
            if settings.is_empty() {
                continue;
            }
            let container = container
                .map(|c| format!(" (container `{c}`)"))
                .unwrap_or_default();
            plan.problems.push(
                Problem::warning(format!(
                    "`{}`{container} names the endpoint on its command line: graft rewrote the host and port there, but the program may not read {} from its environment",
                    stack.resource(workload).address,
                    settings.join(", ")
                ))
                .at(loc.resource(stack, workload))
                .help("check that the program reads them, or add its own flags for TLS, the CA file and the database to the command"),
            );
        }

        // Credential sites: consumers' secretKeyRefs to a Secret the matched
        // workloads use.
        let secret_inject = actions.iter().find_map(|a| match &a.op {
            ActionOp::Inject {
                input,
                target: Target::Env(_),
            } => match provided.input(input) {
                Some(Input::Secret(s)) => Some((s.clone(), *a, input.field.clone())),
                _ => None,
            },
            _ => None,
        });
        let iam = actions.iter().any(|a| {
            matches!(&a.op, ActionOp::Inject { input, .. } if matches!(provided.input(input), Some(Input::IamRole { .. })))
        });
        // The Secrets the matched workloads read, and which of their keys
        // (`None`: all of them, through `envFrom` or a volume).
        let mut their_secrets: BTreeMap<ResourceId, Option<BTreeSet<String>>> = BTreeMap::new();
        for &w in &matched {
            for r in stack.references_from(w) {
                if stack.resource(r.to).kind != "Secret" {
                    continue;
                }
                let keys = their_secrets
                    .entry(r.to)
                    .or_insert_with(|| Some(BTreeSet::new()));
                match (&r.kind, keys.as_mut()) {
                    (RefKind::SecretKey(k), Some(set)) => {
                        set.insert(k.clone());
                    }
                    (RefKind::SecretKey(_), None) => {}
                    _ => *keys = None,
                }
            }
        }
        for (&s, keys) in &their_secrets {
            for &ri in stack.referrers.get(s.index()).into_iter().flatten() {
                let r = stack.reference(ri);
                if matched.contains(&r.from) {
                    continue;
                }
                if matches!(r.kind, RefKind::EnvFrom | RefKind::Volume) {
                    // The whole Secret: it stays, and so do the vendor's values.
                    plan.problems.push(
                        Problem::warning(format!(
                            "`{}` reads all of the Secret `{}` ({}), which the dropped `{service}` used: the Secret is kept, and what it holds is the vendor's credential, not the customer's",
                            stack.resource(r.from).address,
                            stack.resource(s).name,
                            r.site.path
                        ))
                        .at(loc.stack(r.site.file, r.site.span.start))
                        .help("read the credential with `valueFrom.secretKeyRef` under the variable the rules inject, so that graft can rebind it"),
                    );
                    continue;
                }
                let RefKind::SecretKey(key) = &r.kind else {
                    continue;
                };
                // Another key of the same Secret is not the credential: the
                // Secret then stays, and this reference with it.
                if keys.as_ref().is_some_and(|k| !k.contains(key)) {
                    continue;
                }
                let Some((ci, _)) = &r.site.container else {
                    continue;
                };
                let var = r.site.env.clone().unwrap_or_default();
                let edit = edits
                    .entry(r.from)
                    .or_default()
                    .containers
                    .entry(*ci)
                    .or_default();
                let Some(env_index) = env_index(&r.site.path) else {
                    continue;
                };
                let at = loc.stack(r.site.file, r.site.span.start);
                let same_name = injected_env.as_deref() == Some(var.as_str());
                match &secret_inject {
                    Some((secret, _, _)) if secret.store == "kubernetes" && same_name => {
                        // The injection below replaces this entry.
                    }
                    Some((secret, action, field)) if secret.store == "kubernetes" => {
                        edit.replace.insert(env_index, secret_env(&var, secret));
                        plan.changes.push(Change::new(ChangeKind::Rewire, service, &stack.resource(r.from).address, format!("`{var}` read the credential of the dropped `{}`; now the customer's secret", stack.resource(s).name)).path(r.site.path.clone()).at(at).values(Some(format!("secretKeyRef {}", describe_key_ref(stack, r))), Some(format!("secretKeyRef {}", secret.describe()))).rule(loc.rule(action.origin)).inputs(vec![format!("{service}.{field}")]));
                    }
                    Some((secret, action, _)) if !iam => {
                        plan.problems.push(Problem::error("E0702", format!(
                                "`{var}` of `{}` reads the password of the dropped `{}`, and a Kubernetes pod cannot reference a secret kept in `{}`",
                                stack.resource(r.from).address,
                                stack.resource(s).name,
                                secret.store
                            )).at(at).rule(loc.rule(action.origin)).help("give the secret as `store: kubernetes` (sync it into the cluster with the External Secrets Operator or the Secrets Store CSI driver)"));
                        continue;
                    }
                    _ => {
                        edit.remove.insert(env_index);
                        plan.changes.push(Change::new(ChangeKind::Remove, service, &stack.resource(r.from).address, format!(
                                "`{var}` read the password of the dropped `{}`; {}",
                                stack.resource(s).name,
                                if iam {
                                    "the customer's endpoint authenticates with an IAM role instead"
                                } else {
                                    "the rules hand over no password"
                                }
                            )).path(r.site.path.clone()).at(at).values(Some(format!("secretKeyRef {}", describe_key_ref(stack, r))), None).rule(drop_action.and_then(|a| loc.rule(a.origin))));
                    }
                }
                handled.insert(ri);
                consumers.entry(r.from).or_default().insert(*ci);
            }
        }
        consumers.retain(|id, _| !matched.contains(id));

        // A consumer that was given the host alone connects on a port it
        // assumes: say so when the customer's differs from the old one.
        if let Some((new_port, _, _)) = bound.get("port") {
            for (&c, &known) in &port_known {
                if known {
                    continue;
                }
                let old_port = targets
                    .iter()
                    .filter(|&&t| stack.resource(t).kind == "Service")
                    .find_map(|&t| crate::stack::kubernetes::service_port(stack.node(t)));
                if let Some(old) = old_port.filter(|o| o != new_port) {
                    plan.problems.push(
                        Problem::warning(format!(
                            "`{}` is given the customer's host but no port: it connects on the port it assumes (the old Service listened on {old}), and the customer's endpoint is on {new_port}",
                            stack.resource(c).address
                        ))
                        .at(loc.resource(stack, c))
                        .help("give it the port where it reads one (an environment variable, its configuration), or ask the customer for an endpoint on the old port"),
                    );
                }
            }
        }
        if let Some(summary) = plan.services.iter_mut().find(|s| s.name == *service) {
            summary.consumers = consumers
                .keys()
                .map(|&c| stack.resource(c).address.clone())
                .collect();
        }

        // What the consumers receive.
        for (&consumer, cis) in &consumers {
            let namespace = stack.resource(consumer).namespace.clone();
            // Where the consumer is, and which of its containers change: the
            // same for every change to it.
            let here = loc.resource(stack, consumer);
            let on = container_names(stack, consumer, cis);
            for action in &actions {
                let rule = loc.rule(action.origin);
                // One variable of one container of this consumer, by this action.
                macro_rules! add_env {
                    ($ci:expr, $name:expr, $shown:expr, $entry:expr) => {
                        add_env(
                            &mut edits,
                            &mut env_writes,
                            plan,
                            &mut loc,
                            stack,
                            (consumer, $ci),
                            $name,
                            $shown,
                            $entry,
                            service,
                            action,
                        )
                    };
                }
                match &action.op {
                    ActionOp::Drop | ActionOp::Alias | ActionOp::Bind { .. } => {}
                    ActionOp::SetEnv { name, value } => {
                        let Some((text, used)) = eval(value, provided) else {
                            continue;
                        };
                        for &ci in cis {
                            add_env!(ci, name, &text, json!({"name": name, "value": text}));
                        }
                        plan.changes.push(
                            Change::new(
                                ChangeKind::Set,
                                service,
                                &stack.resource(consumer).address,
                                format!("set on {}", on),
                            )
                            .path(format!("env {name}"))
                            .at(here.clone())
                            .values(None, Some(text))
                            .rule(rule)
                            .inputs(used),
                        );
                    }
                    ActionOp::Inject { input, target } => {
                        let field = format!("{service}.{}", input.field);
                        match (provided.input(input), target) {
                            (Some(Input::Secret(secret)), Target::Env(name)) => {
                                if secret.store != "kubernetes" {
                                    plan.problems.push(Problem::error("E0702", format!("a Kubernetes pod cannot reference a secret kept in `{}`", secret.store)).at(here.clone()).rule(rule).help("give the secret as `store: kubernetes` (sync it into the cluster with the External Secrets Operator or the Secrets Store CSI driver)"));
                                    continue;
                                }
                                if let Some(ns) =
                                    secret.get("namespace").filter(|ns| *ns != namespace)
                                {
                                    plan.problems.push(Problem::error("E0702", format!("`{}` runs in namespace `{namespace}`, but the secret is in `{ns}`: a pod reads Secrets of its own namespace only", stack.resource(consumer).address)).at(here.clone()).rule(rule).help(format!("create the secret in `{namespace}`, or leave out `namespace`")));
                                    continue;
                                }
                                for &ci in cis {
                                    let desc = secret.describe();
                                    add_env!(ci, name, &desc, secret_env(name, secret));
                                }
                                plan.changes.push(
                                    Change::new(
                                        ChangeKind::Inject,
                                        service,
                                        &stack.resource(consumer).address,
                                        format!("the credential, by reference, on {}", on),
                                    )
                                    .path(format!("env {name}"))
                                    .at(here.clone())
                                    .values(
                                        None,
                                        Some(format!("secretKeyRef {}", secret.describe())),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field]),
                                );
                            }
                            (Some(Input::Secret(secret)), Target::File(path)) => {
                                if let Some(ns) =
                                    secret.get("namespace").filter(|ns| *ns != namespace)
                                {
                                    plan.problems.push(
                                        Problem::error("E0702", format!("`{}` runs in namespace `{namespace}`, but the secret is in `{ns}`: a pod reads Secrets of its own namespace only", stack.resource(consumer).address))
                                            .at(here.clone())
                                            .rule(rule)
                                            .help(format!("create the secret in `{namespace}`, or leave out `namespace`")),
                                    );
                                    continue;
                                }
                                if secret.store != "kubernetes" {
                                    plan.problems.push(
                                        Problem::error("E0702", format!("a Kubernetes pod cannot mount a secret kept in `{}`", secret.store))
                                            .at(here.clone())
                                            .rule(rule)
                                            .help("give the secret as `store: kubernetes` (sync it into the cluster with the External Secrets Operator or the Secrets Store CSI driver)"),
                                    );
                                    continue;
                                }
                                let (dir, file) = split_path(path);
                                let vol =
                                    format!("graft-{service}-{}", input.field).replace('_', "-");
                                let e = edits.entry(consumer).or_default();
                                e.volumes.push(json!({"name": vol, "secret": {"secretName": secret.get("name"), "items": [{"key": secret.get("key"), "path": file}]}}));
                                for &ci in cis {
                                    e.containers.entry(ci).or_default().mounts.push(
                                        json!({"name": vol, "mountPath": dir, "readOnly": true}),
                                    );
                                }
                                plan.changes.push(
                                    Change::new(
                                        ChangeKind::Inject,
                                        service,
                                        &stack.resource(consumer).address,
                                        "the credential as a file, by reference",
                                    )
                                    .path(path.clone())
                                    .at(here.clone())
                                    .values(
                                        None,
                                        Some(format!("secret volume {}", secret.describe())),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field]),
                                );
                            }
                            (Some(Input::IamRole { arn, user }), target) => {
                                if let Target::Env(name) = target {
                                    for &ci in cis {
                                        add_env!(
                                            ci,
                                            name,
                                            arn,
                                            json!({"name": name, "value": arn})
                                        );
                                    }
                                }
                                let sa = service_account(stack, consumer);
                                match sa {
                                    Some(sa) => {
                                        sa_annotations.entry(sa).or_default().push(("eks.amazonaws.com/role-arn".into(), arn.clone(), service.clone()));
                                    }
                                    None => plan.problems.push(Problem::warning(format!("`{}` runs as a ServiceAccount that is not in the stack, so graft cannot give it the IAM role", stack.resource(consumer).address)).at(here.clone()).rule(rule.clone()).help(format!("annotate its ServiceAccount with `eks.amazonaws.com/role-arn: {arn}` (IRSA)"))),
                                }
                                plan.changes.push(Change::new(ChangeKind::Inject, service, &stack.resource(consumer).address, "IAM authentication: the role goes on the pod's ServiceAccount (IRSA)").maybe_path(match target {
                                        Target::Env(n) => Some(format!("env {n}")),
                                        Target::File(p) => Some(p.clone()),
                                    }).at(here.clone()).values(None, Some(match user {
                                        Some(u) => format!("IAM role {arn} as user {u}"),
                                        None => format!("IAM role {arn}"),
                                    })).rule(rule).inputs(vec![field]));
                            }
                            _ => {}
                        }
                    }
                    ActionOp::Mount { input, target } => {
                        let Some(Input::Certificate { pem, .. }) = provided.input(input) else {
                            continue;
                        };
                        let cm = format!("graft-{service}-{}", input.field).replace('_', "-");
                        let key = "ca.crt";
                        let dir = format!("/etc/graft/{service}/{}", input.field);
                        let (mount_path, sub_path, env_value) = match target {
                            Target::Env(_) => (dir.clone(), None, format!("{dir}/{key}")),
                            Target::File(p) => (p.clone(), Some(key), p.clone()),
                        };
                        let cm_key = format!("{namespace}/{cm}");
                        if created_names.insert(cm_key) {
                            created.push((
                                None,
                                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": cm, "namespace": namespace, "labels": {"app.kubernetes.io/managed-by": "graft"}}, "data": {key: pem}}),
                            ));
                            plan.changes.push(Change::new(ChangeKind::Create, service, &format!("v1/ConfigMap/{namespace}/{cm}"), format!("holds the certificate `{}` (public) for the consumers to mount", input.field)).rule(rule.clone()).inputs(vec![format!("{service}.{}", input.field)]));
                        }
                        let e = edits.entry(consumer).or_default();
                        e.volumes
                            .push(json!({"name": cm, "configMap": {"name": cm}}));
                        for &ci in cis {
                            let mut m =
                                json!({"name": cm, "mountPath": mount_path, "readOnly": true});
                            if let (Some(sp), Some(obj)) = (sub_path, m.as_object_mut()) {
                                obj.insert("subPath".into(), json!(sp));
                            }
                            e.containers.entry(ci).or_default().mounts.push(m);
                        }
                        if let Target::Env(name) = target {
                            for &ci in cis {
                                add_env!(
                                    ci,
                                    name,
                                    &env_value,
                                    json!({"name": name, "value": env_value})
                                );
                            }
                        }
                        plan.changes.push(
                            Change::new(
                                ChangeKind::Mount,
                                service,
                                &stack.resource(consumer).address,
                                match target {
                                    Target::Env(n) => format!("`{n}` holds its path"),
                                    Target::File(_) => "mounted at this path".into(),
                                },
                            )
                            .path(env_value.clone())
                            .at(here.clone())
                            .values(None, Some(format!("ConfigMap {cm}")))
                            .rule(rule)
                            .inputs(vec![format!("{service}.{}", input.field)]),
                        );
                    }
                    ActionOp::Annotate { key, value } => {
                        let text = match value {
                            crate::check::program::ValueExpr::Input(i) => match provided.input(i) {
                                Some(Input::Secret(s)) => Some((
                                    secret_annotation(s),
                                    vec![format!("{service}.{}", i.field)],
                                )),
                                _ => eval(value, provided),
                            },
                            _ => eval(value, provided),
                        };
                        let Some((text, used)) = text else { continue };
                        edits
                            .entry(consumer)
                            .or_default()
                            .annotations
                            .push((key.clone(), text.clone()));
                        plan.changes.push(
                            Change::new(
                                ChangeKind::Annotate,
                                service,
                                &stack.resource(consumer).address,
                                "on the workload",
                            )
                            .path(format!("metadata.annotations.{key}"))
                            .at(here.clone())
                            .values(None, Some(text))
                            .rule(rule)
                            .inputs(used),
                        );
                    }
                }
            }
        }

        // Drops: the matched workloads, then what exists only for them.
        if let Some(action) = drop_action {
            for i in &mine {
                let reason = format!(
                    "matched by `{}` ({} arm){}",
                    i.matcher.name,
                    i.arm.format,
                    claim_templates(stack, i.resource)
                );
                dropped.insert(i.resource, reason);
                drop_rule.insert(i.resource, (action.origin, service.clone()));
            }
            close_drops(
                stack,
                &mut dropped,
                &mut drop_rule,
                &handled,
                (action.origin, service),
            );
        }

        // A workload whose Services nothing in the stack names may be reached
        // by a name built into an image.
        for &w in &matched {
            let services = crate::stack::kubernetes::services_of(stack, w);
            let named = services.values().any(|&t| {
                stack.references_to(t).any(|r| {
                    matches!(r.kind, RefKind::Network(_) | RefKind::Port(..))
                        && !targets.contains(&r.from)
                })
            });
            let Some(t) = crate::stack::kubernetes::front_service(stack, w) else {
                continue;
            };
            if named || !dropped.contains_key(&t) {
                continue;
            }
            let s = stack.resource(t);
            let silent: Vec<String> = stack
                .ids()
                .filter(|&w| {
                    let r = stack.resource(w);
                    r.namespace == s.namespace
                        && pod_template_path(&r.kind).is_some()
                        && !dropped.contains_key(&w)
                        && !consumers.contains_key(&w)
                })
                .map(|w| format!("`{}`", stack.resource(w).name))
                .collect();
            if silent.is_empty() {
                continue;
            }
            let why = format!(
                "nothing in the stack names the dropped Service `{}`, but {} in namespace `{}` may reach it by a name built into the image",
                s.name,
                silent.join(", "),
                s.namespace
            );
            let Some(alias) = alias_action else {
                plan.problems.push(
                    Problem::error("E0702", why)
                        .at(loc.resource(stack, t))
                        .rule(drop_action.and_then(|a| loc.rule(a.origin)))
                        .help("add `alias` to the rule to keep the name alive as an `ExternalName` Service pointing at the customer's host, or give those workloads the endpoint by environment"),
                );
                continue;
            };
            let Some((host, used, _)) = bound.get("host") else {
                plan.problems.push(
                    Problem::error(
                        "E0702",
                        format!("{why}; `alias` needs the role `host` bound to point the name at"),
                    )
                    .at(loc.resource(stack, t))
                    .rule(loc.rule(alias.origin))
                    .help("add `bind host = c.hostname.host` to the rule"),
                );
                continue;
            };
            for (name, &svc) in &services {
                let headless = stack
                    .node(svc)
                    .path(&["spec", "clusterIP"])
                    .and_then(Node::as_str)
                    == Some("None");
                if headless || !dropped.contains_key(&svc) {
                    continue;
                }
                let old = stack.resource(svc);
                let ports: Vec<Json> = stack
                    .node(svc)
                    .items_at(&["spec", "ports"])
                    .iter()
                    .filter_map(|p| {
                        let port = p
                            .get("port")
                            .and_then(crate::stack::kubernetes::scalar_text)?
                            .parse::<u16>()
                            .ok()?;
                        let mut j = json!({"port": port});
                        if let (Some(n), Some(o)) = (p.str_at("name"), j.as_object_mut()) {
                            o.insert("name".into(), json!(n));
                        }
                        Some(j)
                    })
                    .collect();
                let mut metadata =
                    json!({"name": name, "labels": {"app.kubernetes.io/managed-by": "graft"}});
                if let Some(ns) = stack
                    .node(svc)
                    .path(&["metadata", "namespace"])
                    .and_then(Node::as_str)
                    && let Some(m) = metadata.as_object_mut()
                {
                    m.insert("namespace".into(), json!(ns));
                }
                let mut spec =
                    json!({"type": "ExternalName", "externalName": host.trim_matches(['[', ']'])});
                if !ports.is_empty()
                    && let Some(sp) = spec.as_object_mut()
                {
                    sp.insert("ports".into(), Json::Array(ports));
                }
                created.push((Some(old.file), json!({"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec})));
                plan.changes.push(
                    Change::new(
                        ChangeKind::Create,
                        service,
                        &old.address,
                        format!("an `ExternalName` alias of the customer's host, in place of the dropped Service: {why}"),
                    )
                    .values(None, Some(host.clone()))
                    .rule(loc.rule(alias.origin))
                    .inputs(used.clone()),
                );
                let port = crate::stack::kubernetes::service_port(stack.node(svc));
                if let (Some(old_port), Some((new_port, _, _))) = (port, bound.get("port"))
                    && &old_port != new_port
                {
                    plan.problems.push(
                        Problem::warning(format!(
                            "clients that reach `{name}` by its name still connect to port {old_port}, but the customer's endpoint listens on {new_port}: an `ExternalName` Service cannot change ports"
                        ))
                        .at(loc.resource(stack, svc))
                        .rule(loc.rule(alias.origin))
                        .help("configure those workloads with the port, or ask the customer for an endpoint on the same port"),
                    );
                }
            }
        }
    }

    // Nothing may still refer to what is dropped.
    for &d in dropped.keys() {
        for &ri in stack.referrers.get(d.index()).into_iter().flatten() {
            let r = stack.reference(ri);
            if dropped.contains_key(&r.from) || handled.contains(&ri) || r.kind == RefKind::Attaches
            {
                continue;
            }
            plan.problems.push(
                Problem::error(
                    "E0702",
                    format!(
                        "`{}` still refers to `{}`, which is dropped ({})",
                        stack.resource(r.from).address,
                        stack.resource(d).address,
                        r.site.path
                    ),
                )
                .at(loc.stack(r.site.file, r.site.span.start))
                .rule(drop_rule.get(&d).and_then(|(o, _)| loc.rule(*o)))
                .help(dangling_help(&r.kind)),
            );
        }
    }

    for (&id, reason) in &dropped {
        plan.changes.push(
            Change::new(
                ChangeKind::Drop,
                drop_rule.get(&id).map_or("", |(_, s)| s.as_str()),
                &stack.resource(id).address,
                reason.clone(),
            )
            .at(loc.resource(stack, id))
            .rule(drop_rule.get(&id).and_then(|(o, _)| loc.rule(*o))),
        );
    }
    for (sa, notes) in &sa_annotations {
        for (key, value, service) in notes {
            edits
                .entry(*sa)
                .or_default()
                .annotations
                .push((key.clone(), value.clone()));
            plan.changes.push(
                Change::new(
                    ChangeKind::Annotate,
                    service,
                    &stack.resource(*sa).address,
                    "IRSA: pods running as this ServiceAccount assume the role",
                )
                .path(format!("metadata.annotations.{key}"))
                .at(loc.resource(stack, *sa))
                .values(None, Some(value.clone())),
            );
        }
    }
    if plan.has_errors() {
        return Vec::new();
    }
    write(stack, &dropped, &edits, rewrites, created, plan)
}

/// The environment variable a service's active rules inject its secret as.
fn injected_env_name(actions: &[&ActionDef], provided: &Provided) -> Option<String> {
    actions.iter().find_map(|a| match &a.op {
        ActionOp::Inject {
            input,
            target: Target::Env(name),
        } if matches!(provided.input(input), Some(Input::Secret(_))) => Some(name.clone()),
        _ => None,
    })
}

/// Adds an environment variable to a consumer's container, unless a rule
/// already did: with the same value that is a repeat; with a different one,
/// two rules disagree, which is an error (never last-writer-wins).
#[allow(clippy::too_many_arguments)]
fn add_env(
    edits: &mut BTreeMap<ResourceId, WorkloadEdit>,
    writes: &mut HashMap<(ResourceId, usize, String), (String, String)>,
    plan: &mut Plan,
    loc: &mut Locator<'_>,
    stack: &Stack,
    (consumer, container): (ResourceId, usize),
    name: &str,
    shown: &str,
    entry: Json,
    service: &str,
    action: &ActionDef,
) {
    let key = (consumer, container, name.to_string());
    match writes.get(&key) {
        None => {
            writes.insert(key, (shown.to_string(), service.to_string()));
            edits
                .entry(consumer)
                .or_default()
                .containers
                .entry(container)
                .or_default()
                .add
                .push((name.to_string(), entry));
        }
        Some((v, s)) if v == shown && s == service => {}
        Some((_, s)) => {
            let message = format!(
                "`{}` gets `{name}` from the rules of both `{s}` and `{service}`, with different values",
                stack.resource(consumer).address
            );
            plan.problems.push(
                Problem::error("E0401", message)
                    .at(loc.resource(stack, consumer))
                    .rule(loc.rule(action.origin))
                    .help("give the variables different names in the two rule files"),
            );
        }
    }
}

fn secret_env(name: &str, secret: &SecretRef) -> Json {
    json!({"name": name, "valueFrom": {"secretKeyRef": {"name": secret.get("name"), "key": secret.get("key")}}})
}

fn secret_annotation(s: &SecretRef) -> String {
    match s.store.as_str() {
        "kubernetes" => s.get("name").unwrap_or("").to_string(),
        _ => s.describe(),
    }
}

fn describe_key_ref(stack: &Stack, r: &Reference) -> String {
    match &r.kind {
        RefKind::SecretKey(k) => format!("{}/{k}", stack.resource(r.to).name),
        _ => stack.resource(r.to).name.clone(),
    }
}

/// The index of the env item a site path names (`...env[3]...`).
fn env_index(path: &str) -> Option<usize> {
    let i = path.rfind(".env[")?;
    let rest = &path[i + 5..];
    rest[..rest.find(']')?].parse().ok()
}

fn split_path(path: &str) -> (String, String) {
    match path.rsplit_once('/') {
        Some((dir, file)) if !dir.is_empty() => (dir.to_string(), file.to_string()),
        Some((_, file)) => ("/".into(), file.to_string()),
        None => ("/".into(), path.to_string()),
    }
}

fn container_names(stack: &Stack, id: ResourceId, cis: &BTreeSet<usize>) -> String {
    let node = stack.node(id);
    let names: Vec<String> = pod_template(&stack.resource(id).kind, node)
        .and_then(|(t, _)| t.get("spec"))
        .map(containers)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(i, _)| cis.contains(i))
        .map(|(_, c)| format!("`{}`", c.node.str_at("name").unwrap_or("?")))
        .collect();
    match names.len() {
        1 => format!("container {}", names[0]),
        _ => format!("containers {}", names.join(", ")),
    }
}

fn service_account(stack: &Stack, id: ResourceId) -> Option<ResourceId> {
    stack
        .references_from(id)
        .find(|r| r.kind == RefKind::ServiceAccount)
        .map(|r| r.to)
}

fn claim_templates(stack: &Stack, id: ResourceId) -> String {
    let names: Vec<String> = stack
        .node(id)
        .items_at(&["spec", "volumeClaimTemplates"])
        .iter()
        .filter_map(|t| t.path(&["metadata", "name"]).and_then(Node::as_str))
        .map(|n| format!("`{n}`"))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(
            "; its volume claim templates ({}) go with it, but claims a cluster already made from them are not in the stack and stay until deleted",
            names.join(", ")
        )
    }
}

fn dangling_help(kind: &RefKind) -> String {
    match kind {
        RefKind::Network(_) | RefKind::Port(..) => {
            "bind the endpoint roles (`host`, `port`, `endpoint`, `url`) in the rule, so that this reference is rewritten".into()
        }
        RefKind::SecretKey(_) | RefKind::EnvFrom => {
            "inject the customer's credential under this variable's name, or stop reading the dropped Secret".into()
        }
        RefKind::Backend => {
            "traffic routed here would find no Service: remove this backend (the customer's endpoint is outside the cluster), or do not drop the Service".into()
        }
        _ => "remove the reference, or do not drop what it names".into(),
    }
}

/// The workloads (and containers) a reference site serves: the workload it
/// is in, or the workloads that read the ConfigMap it is in.
fn consumers_of_site(
    stack: &Stack,
    r: &Reference,
    out: &mut BTreeMap<ResourceId, BTreeSet<usize>>,
) {
    let from = stack.resource(r.from);
    if pod_template_path(&from.kind).is_some() {
        let ci = r.site.container.as_ref().map_or(0, |c| c.0);
        out.entry(r.from).or_default().insert(ci);
        return;
    }
    if from.kind == "ConfigMap" {
        for reader in stack.references_to(r.from) {
            if pod_template_path(&stack.resource(reader.from).kind).is_none() {
                continue;
            }
            let cis: Vec<usize> = match &reader.site.container {
                Some((ci, _)) => vec![*ci],
                None => (0..container_count(stack, reader.from)).collect(),
            };
            out.entry(reader.from).or_default().extend(cis);
        }
    }
}

fn container_count(stack: &Stack, id: ResourceId) -> usize {
    pod_template(&stack.resource(id).kind, stack.node(id))
        .and_then(|(t, _)| t.get("spec"))
        .map_or(0, |s| containers(s).len())
}

/// The new text of a network reference: `Ok((start, end, text, inputs,
/// rule))`, or `Err(role)` naming the role that would be needed.
fn rewrite_network(
    original: &str,
    net: &NetRef,
    bound: &BTreeMap<String, super::Bound<'_>>,
    injected: Option<&str>,
    provided: &Provided,
) -> Result<(usize, usize, String, Vec<String>, Origin), String> {
    let get = |role: &str| bound.get(role);
    match net.form {
        NetForm::Host => {
            let (h, used, a) = get("host").ok_or("`host`")?;
            Ok((net.start, net.end, h.clone(), used.clone(), a.origin))
        }
        NetForm::HostPort => {
            if let Some((e, used, a)) = get("endpoint") {
                return Ok((net.start, net.end, e.clone(), used.clone(), a.origin));
            }
            let (h, hu, a) = get("host").ok_or("`endpoint` or `host`")?;
            let old_port = &original[net.host.1 + 1..net.end];
            let (p, pu) = get("port").map_or((old_port.to_string(), Vec::new()), |(p, u, _)| {
                (p.clone(), u.clone())
            });
            let mut used = hu.clone();
            used.extend(pu);
            Ok((
                net.start,
                net.end,
                format!("{}:{p}", bracket(h)),
                used,
                a.origin,
            ))
        }
        NetForm::Url => {
            let old = &original[net.start..net.end];
            let (scheme, rest) = old.split_once("://").unwrap_or(("", old));
            let userinfo_end = net.host.0 - net.start - scheme.len() - 3;
            let userinfo = &rest[..userinfo_end];
            let after_host = &original[net.host.1..net.end];
            let (old_port, old_tail) = match after_host.strip_prefix(':') {
                Some(p) => {
                    let n = p.bytes().take_while(u8::is_ascii_digit).count();
                    (Some(&p[..n]), &p[n..])
                }
                None => (None, after_host),
            };
            let (old_path, old_query) = match old_tail.find(['?', '#']) {
                Some(i) => (&old_tail[..i], &old_tail[i..]),
                None => (old_tail, ""),
            };
            let userinfo = credentials(userinfo, injected, provided);
            if let Some((u, used, a)) = get("url") {
                let (nscheme, nrest) = u.split_once("://").unwrap_or((scheme, u.as_str()));
                let cut = nrest.find(['/', '?', '#']).unwrap_or(nrest.len());
                let (hostport, npath) = nrest.split_at(cut);
                let hostport = hostport.rsplit_once('@').map_or(hostport, |(_, h)| h);
                let query = if npath.contains(['?', '#']) {
                    ""
                } else {
                    old_query
                };
                return Ok((
                    net.start,
                    net.end,
                    format!("{nscheme}://{userinfo}{hostport}{npath}{query}"),
                    used.clone(),
                    a.origin,
                ));
            }
            let (h, hu, a) = get("host").ok_or("`url` or `host`")?;
            let mut used = hu.clone();
            let port = match (get("port"), old_port) {
                (Some((p, pu, _)), _) => {
                    used.extend(pu.iter().cloned());
                    Some(p.clone())
                }
                (None, Some(p)) => Some(p.to_string()),
                (None, None) => None,
            };
            let hostport = match port {
                Some(p) => format!("{}:{p}", bracket(h)),
                None => bracket(h),
            };
            Ok((
                net.start,
                net.end,
                format!("{scheme}://{userinfo}{hostport}{old_path}{old_query}"),
                used,
                a.origin,
            ))
        }
    }
}

fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Adds to `dropped`, until nothing changes, every supporting object that
/// exists only for what is dropped: Services, PodDisruptionBudgets,
/// NetworkPolicies, autoscalers and monitors whose every target is dropped,
/// and ConfigMaps, Secrets, claims and service accounts that only dropped
/// resources (or rewritten sites) still use.
fn close_drops(
    stack: &Stack,
    dropped: &mut BTreeMap<ResourceId, String>,
    rules: &mut HashMap<ResourceId, (Origin, String)>,
    handled: &HashSet<usize>,
    (origin, service): (Origin, &str),
) {
    let supporting = |kind: &str| {
        matches!(
            kind,
            "Service"
                | "ConfigMap"
                | "Secret"
                | "PersistentVolumeClaim"
                | "ServiceAccount"
                | "PodDisruptionBudget"
                | "NetworkPolicy"
                | "HorizontalPodAutoscaler"
                | "ServiceMonitor"
        )
    };
    let mut work: Vec<ResourceId> = dropped.keys().copied().collect();
    while let Some(d) = work.pop() {
        let mut candidates: Vec<ResourceId> = stack.references_to(d).map(|r| r.from).collect();
        candidates.extend(stack.references_from(d).map(|r| r.to));
        candidates.sort();
        candidates.dedup();
        for c in candidates {
            if dropped.contains_key(&c) || !supporting(&stack.resource(c).kind) {
                continue;
            }
            let attaches: Vec<&Reference> = stack
                .references_from(c)
                .filter(|r| r.kind == RefKind::Attaches)
                .collect();
            let reason = if !attaches.is_empty() {
                if !attaches.iter().all(|r| dropped.contains_key(&r.to)) {
                    continue;
                }
                format!(
                    "exists only for {}",
                    names(stack, attaches.iter().map(|r| r.to))
                )
            } else {
                let users: Vec<(usize, &Reference)> = stack.referrers[c.index()]
                    .iter()
                    .map(|&i| (i, stack.reference(i)))
                    .collect();
                let by_dropped: Vec<ResourceId> = users
                    .iter()
                    .filter(|(_, r)| dropped.contains_key(&r.from))
                    .map(|(_, r)| r.from)
                    .collect();
                if by_dropped.is_empty()
                    || !users
                        .iter()
                        .all(|(i, r)| dropped.contains_key(&r.from) || handled.contains(i))
                {
                    continue;
                }
                format!("used only by {}", names(stack, by_dropped.into_iter()))
            };
            dropped.insert(c, reason);
            rules.insert(c, (origin, service.to_string()));
            work.push(c);
        }
    }
}

fn names(stack: &Stack, ids: impl Iterator<Item = ResourceId>) -> String {
    let mut v: Vec<String> = ids
        .map(|id| format!("`{}`", stack.resource(id).name))
        .collect();
    v.sort();
    v.dedup();
    v.join(", ")
}

/// Writes every edit as splices, file by file.
fn write(
    stack: &Stack,
    dropped: &BTreeMap<ResourceId, String>,
    edits: &BTreeMap<ResourceId, WorkloadEdit>,
    rewrites: Vec<Rewrite>,
    created: Vec<(Option<usize>, Json)>,
    plan: &mut Plan,
) -> Vec<OutputFile> {
    let mut splices: Vec<Splices> = stack.files.iter().map(|_| Splices::new()).collect();
    let mut covered: Vec<Vec<Span>> = stack.files.iter().map(|_| Vec::new()).collect();
    // Dropped resources: whole documents, or items of a List.
    let mut remaining: Vec<usize> = vec![0; stack.files.len()];
    for r in &stack.resources {
        remaining[r.file] += 1;
    }
    let totals = remaining.clone();
    let mut dropped_items: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for &id in dropped.keys() {
        let r = stack.resource(id);
        remaining[r.file] -= 1;
        match r.item {
            None => {
                let range = stack.files[r.file].docs[r.doc].range;
                splices[r.file].delete(range.start, range.end);
                covered[r.file].push(range);
            }
            Some(i) => dropped_items.entry((r.file, r.doc)).or_default().push(i),
        }
    }
    for ((file, doc), items) in dropped_items {
        let text = &stack.files[file].text;
        let root = &stack.files[file].docs[doc].root;
        let Some(list) = root.get("items") else {
            continue;
        };
        edit::remove_items(&mut splices[file], text, list, &items);
        for i in list.items() {
            if dropped
                .keys()
                .any(|&d| stack.resource(d).file == file && stack.resource(d).span == i.span)
            {
                covered[file].push(i.span);
            }
        }
    }
    // Consumer edits, then scalars rewritten in place (unless their env
    // item was replaced whole): each file's on one core, every file at once.
    type FileWork<'e> = (Vec<(ResourceId, &'e WorkloadEdit)>, Vec<Rewrite>);
    let mut per_file: Vec<FileWork<'_>> = stack.files.iter().map(|_| Default::default()).collect();
    for (&id, e) in edits {
        if !dropped.contains_key(&id) {
            per_file[stack.resource(id).file].0.push((id, e));
        }
    }
    for rw in rewrites {
        per_file[rw.file].1.push(rw);
    }
    {
        use rayon::prelude::*;
        splices
            .par_iter_mut()
            .zip(covered.par_iter_mut())
            .zip(per_file)
            .enumerate()
            .for_each(|(fi, ((s, covered), (edits, rewrites)))| {
                let text = &stack.files[fi].text;
                // Values as they will read once rewritten, by span: an env
                // entry that now expands `$(NAME)` needs `NAME` before it.
                let rewritten: HashMap<(usize, usize), &str> = rewrites
                    .iter()
                    .map(|rw| ((rw.span.start, rw.span.end), rw.text.as_str()))
                    .collect();
                for (id, e) in edits {
                    workload_edit(stack, s, covered, text, &rewritten, id, e);
                }
                for rw in rewrites {
                    if !covered
                        .iter()
                        .any(|c| c.start <= rw.span.start && rw.span.end <= c.end)
                    {
                        rewrite(s, text, rw);
                    }
                }
            });
    }
    // New objects go at the end of the file they replace something in, or
    // of the first dropped resource's file; never into a JSON file, which
    // holds one document: those go to a file of their own.
    let is_json = |fi: usize| {
        stack
            .files
            .get(fi)
            .is_some_and(|f| f.text.trim_start().starts_with(['{', '[']))
    };
    let home = dropped.keys().next().map_or(0, |&d| stack.resource(d).file);
    let mut extra: BTreeMap<usize, String> = BTreeMap::new();
    let mut own_file = String::new();
    for (file, obj) in &created {
        let fi = file.unwrap_or(home);
        let doc = if is_json(fi) || stack.files.is_empty() {
            &mut own_file
        } else {
            extra.entry(fi).or_default()
        };
        if !doc.is_empty() || !is_json(fi) {
            doc.push_str("---\n");
        }
        doc.push_str(&edit::document(obj));
    }
    // Each file's edits are applied on every core; the rest is in order.
    let applied: Vec<Result<String, edit::Overlap>> = {
        use rayon::prelude::*;
        stack
            .files
            .par_iter()
            .zip(splices)
            .map(|(file, s)| s.apply(&file.text))
            .collect()
    };
    let mut out = Vec::new();
    for (fi, (file, applied)) in stack.files.iter().zip(applied).enumerate() {
        let mut text = match applied {
            Ok(t) => t,
            Err(overlap) => {
                plan.problems.push(
                    Problem::error(
                        "",
                        format!(
                            "internal error: two edits overlap at byte {} of {}",
                            overlap.offset, file.path
                        ),
                    )
                    .help("please report this with the stack and rules"),
                );
                file.text.clone()
            }
        };
        let emptied = totals[fi] > 0 && remaining[fi] == 0;
        if let Some(more) = extra.get(&fi) {
            if emptied {
                text = more.clone();
            } else {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(more);
            }
        }
        let removed = emptied && !extra.contains_key(&fi);
        let changed = removed || text != file.text;
        plan.files.push(super::plan::FileSummary {
            path: file.path.clone(),
            status: if removed {
                "removed"
            } else if changed {
                "changed"
            } else {
                "unchanged"
            },
        });
        out.push(OutputFile {
            path: file.path.clone(),
            text: if removed { None } else { Some(text) },
            changed,
        });
    }
    if !own_file.is_empty() {
        let path = created_file_name(stack);
        plan.files.push(super::plan::FileSummary {
            path: path.clone(),
            status: "created",
        });
        out.push(OutputFile {
            path,
            text: Some(own_file),
            changed: true,
        });
    }
    out
}

/// One consumer's edits: its containers, volumes and annotations.
fn workload_edit(
    stack: &Stack,
    s: &mut Splices,
    covered: &mut Vec<Span>,
    text: &str,
    rewritten: &HashMap<(usize, usize), &str>,
    id: ResourceId,
    e: &WorkloadEdit,
) {
    let r = stack.resource(id);
    let node = stack.node(id);
    if let Some((template, _)) = pod_template(&r.kind, node)
        && let Some(spec) = template.get("spec")
    {
        let cs = containers(spec);
        for (&ci, ce) in &e.containers {
            let Some(c) = cs.get(ci) else { continue };
            container_edit(s, covered, text, rewritten, c.node, ce);
        }
        if !e.volumes.is_empty() {
            let mut vols: Vec<Json> = Vec::new();
            for v in &e.volumes {
                let exists = spec
                    .items_at(&["volumes"])
                    .iter()
                    .any(|n| n.str_at("name") == v.get("name").and_then(Json::as_str));
                if !exists && !vols.contains(v) {
                    vols.push(v.clone());
                }
            }
            match spec.get("volumes").filter(|v| v.is_seq()) {
                Some(list) => edit::push_items(s, text, list, &vols),
                None if !vols.is_empty() => {
                    edit::set_entry(s, text, spec, "volumes", &Json::Array(vols))
                }
                None => {}
            }
        }
    }
    if !e.annotations.is_empty() {
        annotate(s, text, node, &e.annotations);
    }
}

/// A scalar rewritten in place, in the style it was written in.
fn rewrite(s: &mut Splices, text: &str, rw: Rewrite) {
    let json_file = text.trim_start().starts_with(['{', '[']);
    let new = match rw.style {
        _ if json_file => json_string(&rw.text),
        Style::Block => edit::literal_block(text, rw.span.start, &rw.text)
            .unwrap_or_else(|| json_string(&rw.text)),
        Style::Quoted => json_string(&rw.text),
        Style::Plain => edit::scalar_str(&rw.text),
    };
    s.replace(rw.span.start, rw.span.end, new);
}

/// A name for the file of new objects that no input file can hold.
fn created_file_name(stack: &Stack) -> String {
    let mut name = "graft-created.yaml".to_string();
    let mut n = 1;
    while stack.files.iter().any(|f| f.path == name) {
        n += 1;
        name = format!("graft-created-{n}.yaml");
    }
    name
}

fn container_edit(
    s: &mut Splices,
    covered: &mut Vec<Span>,
    text: &str,
    rewritten: &HashMap<(usize, usize), &str>,
    container: &Node,
    ce: &ContainerEdit,
) {
    let env = container.get("env").filter(|e| e.is_seq());
    let items = env.map(Node::items).unwrap_or_default();
    let mut replace = ce.replace.clone();
    let mut remove = ce.remove.clone();
    let mut adds: Vec<(String, Json)> = Vec::new();
    for (name, entry) in &ce.add {
        match items.iter().position(|i| i.str_at("name") == Some(name)) {
            Some(idx) => {
                remove.remove(&idx);
                replace.insert(idx, entry.clone());
            }
            None => {
                if !adds.iter().any(|(n, _)| n == name) {
                    adds.push((name.clone(), entry.clone()));
                }
            }
        }
    }
    if let Some(env) = env {
        let all_removed = !remove.is_empty() && remove.len() == items.len();
        if all_removed && adds.is_empty() {
            s.replace(env.span.start, env.span.end, "[]");
            items.iter().for_each(|i| covered.push(i.span));
        } else if all_removed {
            // The first new entry takes the first item's place.
            let (_, first_add) = adds.remove(0);
            edit::replace_item(s, text, env, &items[0], &first_add);
            for idx in 1..items.len() {
                s.delete(items[idx - 1].span.end, items[idx].span.end);
            }
            items.iter().for_each(|i| covered.push(i.span));
            let rest: Vec<Json> = adds.iter().map(|(_, e)| e.clone()).collect();
            edit::push_items(s, text, env, &rest);
            adds.clear();
        } else {
            for (&idx, entry) in &replace {
                if let Some(item) = items.get(idx) {
                    edit::replace_item(s, text, env, item, entry);
                    covered.push(item.span);
                }
            }
            for &idx in &remove {
                if let Some(item) = items.get(idx) {
                    covered.push(item.span);
                }
            }
            let gone: Vec<usize> = remove.iter().copied().collect();
            edit::remove_items(s, text, env, &gone);
        }
        let mut at_end: Vec<Json> = Vec::new();
        for (name, entry) in &adds {
            let expands = format!("$({name})");
            let before = items.iter().enumerate().find(|(i, n)| {
                !remove.contains(i)
                    && n.get("value")
                        .and_then(|v| {
                            rewritten
                                .get(&(v.span.start, v.span.end))
                                .copied()
                                .or_else(|| v.as_str())
                        })
                        .is_some_and(|v| v.contains(&expands))
            });
            match before {
                Some((_, item)) => edit::insert_item_before(s, text, env, item, entry),
                None => at_end.push(entry.clone()),
            }
        }
        edit::push_items(s, text, env, &at_end);
    } else if !adds.is_empty() {
        let list: Vec<Json> = adds.iter().map(|(_, e)| e.clone()).collect();
        edit::set_entry(s, text, container, "env", &Json::Array(list));
    }
    if !ce.mounts.is_empty() {
        let existing = container.get("volumeMounts").filter(|m| m.is_seq());
        let mut mounts: Vec<&Json> = Vec::new();
        for m in &ce.mounts {
            let path = m.get("mountPath").and_then(Json::as_str);
            let exists = existing
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .any(|n| n.str_at("mountPath") == path);
            if !exists && !mounts.contains(&m) {
                mounts.push(m);
            }
        }
        let mounts: Vec<Json> = mounts.into_iter().cloned().collect();
        match existing {
            Some(list) => edit::push_items(s, text, list, &mounts),
            None if !mounts.is_empty() => {
                edit::set_entry(s, text, container, "volumeMounts", &Json::Array(mounts))
            }
            None => {}
        }
    }
}

fn annotate(s: &mut Splices, text: &str, node: &Node, annotations: &[(String, String)]) {
    let Some(meta) = node.get("metadata").filter(|m| m.is_map()) else {
        return;
    };
    let existing = meta.get("annotations").filter(|a| a.is_map());
    let mut new: Vec<(String, String)> = Vec::new();
    for (k, v) in annotations {
        if new.iter().any(|(nk, _)| nk == k) {
            continue;
        }
        match existing.and_then(|a| a.entry(k)) {
            Some((key, old)) => {
                if old.as_str() != Some(v.as_str())
                    && let Some(a) = existing
                {
                    edit::replace_value(s, text, a, key, old, &json!(v));
                }
            }
            None => new.push((k.clone(), v.clone())),
        }
    }
    if new.is_empty() {
        return;
    }
    match existing {
        Some(a) => {
            let entries: Vec<(String, Json)> =
                new.into_iter().map(|(k, v)| (k, Json::String(v))).collect();
            edit::insert_entries(s, text, a, &entries);
        }
        None => {
            let map: serde_json::Map<String, Json> =
                new.into_iter().map(|(k, v)| (k, Json::String(v))).collect();
            edit::set_entry(s, text, meta, "annotations", &Json::Object(map));
        }
    }
}

/// For a multi-line value (a configuration file), only the lines that
/// change, trimmed and joined with `; `.
fn changed_lines(old: &str, new: &str) -> (String, String) {
    if !old.contains('\n') && !new.contains('\n') {
        return (old.to_string(), new.to_string());
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (ol, nl): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    if ol.len() == nl.len() {
        for (o, n) in ol.iter().zip(&nl) {
            if o != n {
                a.push(o.trim());
                b.push(n.trim());
            }
        }
        return (a.join("; "), b.join("; "));
    }
    (ol.join("; "), nl.join("; "))
}
