//! Carrying out rules on a Kubernetes stack: drop the matched workloads and
//! what exists only for them, rewrite every reference to their Services,
//! hand credentials to consumers as `secretKeyRef`s, set variables, mount
//! certificates from a ConfigMap the engine emits, annotate; then check that
//! nothing still refers to what was dropped, and write the edits as splices.
//!
//! The work comes in three parts. The [`Scope`], over the whole stack, is
//! small: per service, the matched workloads, the Services that select them,
//! the Secrets they read and the ConfigMaps that name them. Each file's
//! [`FilePlan`] reads that file and the scope only, so that the files are
//! worked out at once, and an incremental session keeps a file's while
//! neither changes. [`conclude`] puts them together: the drops and what
//! exists only for them, the names nothing in the stack spells out, the
//! dangling check, and the output.

pub(in crate::engine) mod consumers;
pub(in crate::engine) mod write;

pub use consumers::{FilePlan, file_plan};

use super::plan::{Change, ChangeKind, Location, Problem};
use super::{Instance, OutputFile, Plan, active_actions, binds};
use crate::bindings::Bindings;
use crate::catalogue::Format;
use crate::check::program::{ActionOp, Origin, Program};
use crate::source::{LineCursor, Sources, Span};
use crate::stack::kubernetes::pod_template_path;
use crate::stack::yaml::Node;
use crate::stack::{FileView, RefKind, Reference, ResourceId, Stack, StackFile};
use serde_json::{Value as Json, json};
use smol_str::SmolStr;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The files a [`Locator`] can point into.
#[derive(Clone, Copy)]
enum Files<'a> {
    Stack(&'a Stack),
    One(FileView<'a>),
}

/// Where things are, for the plan.
pub(super) struct Locator<'a> {
    rules: &'a Sources,
    files: Files<'a>,
    lines: HashMap<usize, LineCursor>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(rules: &'a Sources, stack: &'a Stack) -> Locator<'a> {
        Locator {
            rules,
            files: Files::Stack(stack),
            lines: HashMap::new(),
        }
    }

    /// A locator for one file's work.
    fn one(rules: &'a Sources, view: FileView<'a>) -> Locator<'a> {
        Locator {
            rules,
            files: Files::One(view),
            lines: HashMap::new(),
        }
    }

    pub(super) fn rule(&self, origin: Origin) -> Option<Location> {
        let f = self.rules.get(origin.file)?;
        let lc = f.line_col(origin.span.start);
        Some(Location {
            file: f.name().into(),
            line: lc.line,
            column: lc.column,
        })
    }

    pub(super) fn stack(&mut self, file: usize, offset: usize) -> Option<Location> {
        let f: &StackFile = match self.files {
            Files::Stack(stack) => stack.files.get(file)?,
            Files::One(view) if view.index == file => view.file,
            Files::One(_) => return None,
        };
        let lc = self
            .lines
            .entry(file)
            .or_default()
            .line_col(&f.text, offset);
        Some(Location {
            file: f.path.as_str().into(),
            line: lc.line,
            column: lc.column,
        })
    }

    pub(super) fn resource(&mut self, id: ResourceId) -> Option<Location> {
        let (file, offset) = match self.files {
            Files::Stack(stack) => {
                let r = stack.resource(id);
                (r.file, r.span.start)
            }
            Files::One(view) => (view.index, view.get(id)?.span.start),
        };
        self.stack(file, offset)
    }
}

/// The changes to one container of a consumer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ContainerEdit {
    /// Env items replaced whole, by index.
    replace: BTreeMap<usize, Json>,
    /// Env items removed.
    remove: BTreeSet<usize>,
    /// New env entries, by name.
    add: Vec<(String, Json)>,
    /// New volume mounts.
    mounts: Vec<Json>,
}

/// The changes to one consumer workload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct WorkloadEdit {
    containers: BTreeMap<usize, ContainerEdit>,
    volumes: Vec<Json>,
    annotations: Vec<(String, String)>,
    /// Labels of the pod template (Azure workload identity's
    /// `azure.workload.identity/use`).
    pod_labels: Vec<(String, String)>,
}

/// A scalar of a file rewritten in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(in crate::engine) struct Rewrite {
    pub(in crate::engine) span: Span,
    pub(in crate::engine) text: String,
    pub(in crate::engine) style: crate::stack::yaml::Style,
}

/// What the provided services' rules act on, worked out over the whole
/// stack: small, and equal from run to run unless a match, a Service that
/// selects a matched workload, a Secret one reads, or a ConfigMap that names
/// one changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    services: Vec<ServiceScope>,
}

/// One service's part of the [`Scope`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct ServiceScope {
    service: String,
    /// The resources its matchers select.
    matched: BTreeSet<ResourceId>,
    /// The objects through which they are reached (themselves and the
    /// Services that select them): whether each is a Service, and its name.
    targets: BTreeMap<ResourceId, (bool, String)>,
    /// The Secrets they read: the name, and which keys (`None`: all, through
    /// `envFrom` or a volume).
    secrets: BTreeMap<ResourceId, (String, Option<BTreeSet<String>>)>,
    /// ConfigMaps outside them whose endpoint is rewritten (their readers
    /// are consumers), with whether they hand over a port too.
    via: BTreeMap<ResourceId, bool>,
    /// The port the first of the target Services listens on.
    old_port: Option<SmolStr>,
    /// The target Services' side ports (a metrics exporter's, Sentinel's),
    /// number and name, and whether a Service has no other: the
    /// customer's service offers none of them.
    side_ports: BTreeMap<ResourceId, (Vec<(SmolStr, SmolStr)>, bool)>,
    /// The matched resources an operator makes objects for, with the
    /// index of what it makes in [`crate::catalogue::GENERATED`].
    generated: BTreeMap<ResourceId, usize>,
    /// The user, database and password the matched workloads were
    /// configured with (`POSTGRES_USER: orders`), by role, where they say
    /// one: a consumer that repeats one as a literal gets the customer's.
    settings: BTreeMap<&'static str, String>,
    /// Every password the matched workloads were configured with (their
    /// environment, their Secrets, `--requirepass` on their command line):
    /// masked wherever the plan would show one.
    passwords: BTreeSet<String>,
}

impl ServiceScope {
    /// Every object it names.
    fn objects(&self) -> impl Iterator<Item = ResourceId> + '_ {
        self.matched
            .iter()
            .chain(self.targets.keys())
            .chain(self.secrets.keys())
            .chain(self.via.keys())
            .chain(self.generated.keys())
            .copied()
    }

    /// Whether a reference to `id` is this service's business.
    fn concerns(&self, id: ResourceId) -> bool {
        self.targets.contains_key(&id)
            || self.secrets.contains_key(&id)
            || self.via.contains_key(&id)
    }

    fn target_name(&self, id: ResourceId) -> &str {
        self.targets.get(&id).map_or("", |(_, n)| n.as_str())
    }

    fn is_service(&self, id: ResourceId) -> bool {
        self.targets.get(&id).is_some_and(|(s, _)| *s)
    }
}

/// The instances of provided services in a Kubernetes stack, by service
/// (in the bindings' order).
fn by_service<'b, 'i, 'p>(
    bindings: &'b Bindings,
    stack: &Stack,
    instances: &'i [Instance<'p>],
) -> Vec<(&'b String, Vec<&'i Instance<'p>>)> {
    bindings
        .services
        .keys()
        .filter_map(|service| {
            let mine: Vec<&Instance<'_>> = instances
                .iter()
                .filter(|i| {
                    i.service == service && stack.resource(i.resource).format == Format::Kubernetes
                })
                .collect();
            (!mine.is_empty()).then_some((service, mine))
        })
        .collect()
}

/// Works out the [`Scope`] of the instances the matchers found.
pub fn scope(
    program: &Program,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
) -> Scope {
    let mut out = Scope::default();
    for (service, mine) in by_service(bindings, stack, instances) {
        let provided = &bindings.services[service];
        let actions = active_actions(program, service, provided, Format::Kubernetes);
        let bound = binds(&actions, provided);
        let injected = consumers::injected_env_name(&actions, provided)
            .map(|n| crate::engine::connection::reference_to(&n, Format::Kubernetes));
        let matched: BTreeSet<ResourceId> = mine.iter().map(|i| i.resource).collect();
        let described = |id: ResourceId| {
            let r = stack.resource(id);
            (r.kind == "Service", r.name.to_string())
        };
        // The objects through which the matched workloads are reached: the
        // workloads themselves and the Services that select them.
        let mut targets: BTreeMap<ResourceId, (bool, String)> =
            matched.iter().map(|&w| (w, described(w))).collect();
        for &w in &matched {
            for r in stack.references_to(w) {
                if r.kind == RefKind::Attaches && stack.resource(r.from).kind == "Service" {
                    targets.insert(r.from, described(r.from));
                }
            }
        }
        // The Secrets the matched workloads read, and which of their keys.
        let mut secrets: BTreeMap<ResourceId, (String, Option<BTreeSet<String>>)> = BTreeMap::new();
        for &w in &matched {
            for r in stack.references_from(w) {
                let to = stack.resource(r.to);
                if to.kind != "Secret" {
                    continue;
                }
                let (_, keys) = secrets
                    .entry(r.to)
                    .or_insert_with(|| (to.name.to_string(), Some(BTreeSet::new())));
                match (&r.kind, keys.as_mut()) {
                    (RefKind::SecretKey(k), Some(set)) => {
                        set.insert(k.to_string());
                    }
                    (RefKind::SecretKey(_), None) => {}
                    _ => *keys = None,
                }
            }
        }
        // The Secrets an operator makes for a matched resource (a
        // CloudNativePG cluster's `NAME-app`) are named as the resource
        // itself; their password key is the credential.
        let mut generated: BTreeMap<ResourceId, usize> = BTreeMap::new();
        for &w in &matched {
            let r = stack.resource(w);
            let api = stack.node(w).str_at("apiVersion").unwrap_or("");
            let Some(i) = crate::catalogue::generated_at(&r.kind, api) else {
                continue;
            };
            let g = &crate::catalogue::GENERATED[i];
            generated.insert(w, i);
            // The Secrets it reads its users' credentials from hold the
            // same keys as those it makes (`username`, `password`).
            for x in stack.references_from(w) {
                if matches!(&x.kind, RefKind::SecretKey(k) if k == "password")
                    && stack.resource(x.to).kind == "Secret"
                {
                    generated.insert(x.to, i);
                }
            }
            if let Some((suffix, _)) = g.secrets.first() {
                let password: BTreeSet<String> = g
                    .keys
                    .iter()
                    .filter(|(_, attr, _)| attr.is_empty())
                    .map(|(k, _, _)| k.to_string())
                    .collect();
                secrets.insert(w, (format!("{}{suffix}", r.name), Some(password)));
            }
        }
        // ConfigMaps outside whose endpoint is rewritten: whoever reads them
        // is a consumer.
        let mut sites: BTreeMap<(usize, Span), Vec<&Reference>> = BTreeMap::new();
        for &t in targets.keys() {
            for r in stack.references_to(t) {
                if !targets.contains_key(&r.from)
                    && !matched.contains(&r.from)
                    && matches!(r.kind, RefKind::Network(_) | RefKind::Port(..))
                    && (stack.resource(r.from).kind == "ConfigMap"
                        // An alias (`type: ExternalName`) of a target: what
                        // names the alias is a consumer too.
                        || r.site.path == "spec.externalName")
                {
                    sites.entry((r.site.file, r.site.span)).or_default().push(r);
                }
            }
        }
        let mut via: BTreeMap<ResourceId, bool> = BTreeMap::new();
        for refs in sites.values() {
            let Some(original) = refs[0].site.value.as_deref() else {
                continue;
            };
            let rewritten =
                consumers::rewrite_site(original, refs, &bound, injected.as_deref(), provided);
            if let Ok(Some(_)) = rewritten {
                *via.entry(refs[0].from).or_insert(false) |= consumers::carries_port(refs);
            }
        }
        let old_port = targets
            .iter()
            .filter(|(_, (is_service, _))| *is_service)
            .find_map(|(&t, _)| crate::stack::kubernetes::service_port(stack.node(t)));
        let side_ports = targets
            .iter()
            .filter(|(_, (is_service, _))| *is_service)
            .map(|(&t, _)| (t, crate::stack::kubernetes::side_ports(stack.node(t))))
            .filter(|(_, (ports, _))| !ports.is_empty())
            .collect();
        let (settings, passwords) = origin_settings(stack, &matched);
        out.services.push(ServiceScope {
            service: service.clone(),
            matched,
            targets,
            secrets,
            via,
            old_port,
            side_ports,
            generated,
            settings,
            passwords,
        });
    }
    out
}

/// The user, database and password the matched workloads were configured
/// with, by role: their containers' variables whose names say one
/// (`POSTGRES_USER`, `POSTGRESQL_DATABASE`, `REDIS_PASSWORD`), written as values or read
/// from a Secret or ConfigMap of the stack (one key, or all of it through
/// `envFrom`). A role given two different values is left out: which one a
/// consumer repeats is then not known.
fn origin_settings(
    stack: &Stack,
    matched: &BTreeSet<ResourceId>,
) -> (BTreeMap<&'static str, String>, BTreeSet<String>) {
    let mut found: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut note = |name: &str, value: Option<String>| {
        if let (Some(role), Some(v)) = (super::connection::origin_role(name), value)
            && !v.is_empty()
        {
            found.entry(role).or_default().insert(v);
        }
    };
    for &w in matched {
        let r = stack.resource(w);
        let node = stack.node(w);
        if let Some((template, _)) = crate::stack::kubernetes::pod_template(&r.kind, node)
            && let Some(spec) = template.get("spec")
        {
            for c in crate::stack::kubernetes::containers(spec) {
                for item in c.node.items_at(&["env"]) {
                    if let (Some(name), Some(value)) = (item.str_at("name"), item.str_at("value")) {
                        note(name, Some(value.to_string()));
                    }
                }
                // `redis-server --requirepass VALUE`, `args: ["--requirepass",
                // VALUE]`: the flag gives the password.
                let words: Vec<&str> = ["command", "args"]
                    .iter()
                    .flat_map(|k| c.node.items_at(&[k]))
                    .filter_map(Node::as_str)
                    .flat_map(str::split_whitespace)
                    .collect();
                for pair in words.windows(2) {
                    if matches!(pair[0], "--requirepass" | "--masterauth") {
                        note(
                            "password",
                            Some(pair[1].trim_matches(['"', '\'']).to_string()),
                        );
                    }
                }
            }
        }
        for x in stack.references_from(w) {
            let to = stack.resource(x.to);
            if !matches!(to.kind.as_str(), "Secret" | "ConfigMap") {
                continue;
            }
            let held = stack.node(x.to);
            match &x.kind {
                RefKind::SecretKey(key) | RefKind::ConfigMapKey(key) => {
                    note(x.site.env.as_deref().unwrap_or(""), data_value(held, key));
                }
                RefKind::EnvFrom => {
                    for section in ["stringData", "data"] {
                        for (k, _) in held.get(section).map(Node::entries).unwrap_or_default() {
                            if let Some(key) = k.as_str() {
                                note(key, data_value(held, key));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let passwords = found
        .get("password")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !p.starts_with("$(") && p.len() >= 4)
        .collect();
    (super::one_value_each(found), passwords)
}

impl Scope {
    /// The passwords the dropped services were configured with, for the
    /// plan to mask.
    pub fn origin_passwords(&self) -> impl Iterator<Item = &str> {
        self.services
            .iter()
            .flat_map(|s| s.passwords.iter().map(String::as_str))
    }
}

/// The value of `key` in a Secret or ConfigMap: as written in `stringData`
/// (or a ConfigMap's `data`), or decoded from a Secret's base64 `data`.
fn data_value(object: &Node, key: &str) -> Option<String> {
    if let Some(v) = object.path(&["stringData", key]).and_then(Node::as_str) {
        return Some(v.to_string());
    }
    let v = object.path(&["data", key]).and_then(Node::as_str)?;
    if object.str_at("kind") == Some("Secret") {
        String::from_utf8(base64_decode(v)?).ok()
    } else {
        Some(v.to_string())
    }
}

/// Standard base64 (`=` padding optional, whitespace ignored), as a
/// Secret's `data` holds its values; `None` if it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Puts the files' work together (`plans`, one per file in order): their
/// changes and problems; the drops and what exists only for them; names that
/// nothing in the stack spells out; the dangling check; the output.
#[allow(clippy::too_many_arguments)]
pub fn conclude(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
    scope: &Scope,
    mut plans: Vec<Arc<FilePlan>>,
    plan: &mut Plan,
) -> (Vec<OutputFile>, Vec<Pins>) {
    let mut loc = Locator::new(rules, stack);
    let mut dropped: BTreeMap<ResourceId, String> = BTreeMap::new();
    let mut drop_rule: HashMap<ResourceId, (Origin, String)> = HashMap::new();
    // The references the files' plans rewrote, by number.
    let mut handled = vec![false; stack.reference_count()];
    for (fi, p) in plans.iter().enumerate() {
        for &i in &p.handled {
            if let Some(h) = handled.get_mut(stack.reference_number(fi, i)) {
                *h = true;
            }
        }
    }
    // New objects, with the file to put them in (`None`: the first dropped
    // resource's).
    let mut created: Vec<(Option<usize>, Json)> = Vec::new();
    let mut created_names: HashSet<&str> = HashSet::new();
    let mut sa_annotations: BTreeMap<ResourceId, Vec<(String, String, String)>> = BTreeMap::new();
    for p in &mut plans {
        // A plan made for this run alone gives its changes up; a session's
        // keeps them for the next.
        match Arc::get_mut(p) {
            Some(own) => {
                plan.changes.append(&mut own.changes);
                plan.problems.append(&mut own.problems);
            }
            None => {
                plan.changes.extend(p.changes.iter().cloned());
                plan.problems.extend(p.problems.iter().cloned());
            }
        }
    }
    for p in &plans {
        for (key, object) in &p.created {
            if created_names.insert(key) {
                created.push((None, object.clone()));
            }
        }
        for (sa, key, value, service) in &p.irsa {
            let notes = sa_annotations.entry(*sa).or_default();
            notes.push((key.clone(), value.clone(), service.clone()));
        }
    }
    // The first service by name has its say, as the rules run.
    sa_annotations
        .values_mut()
        .for_each(|notes| notes.sort_by(|a, b| a.2.cmp(&b.2)));
    let mut more: BTreeMap<ResourceId, WorkloadEdit> = BTreeMap::new();
    // NetworkPolicies that select a consumer, read for their egress.
    let mut policies: BTreeSet<ResourceId> = BTreeSet::new();

    for (service, mine) in by_service(bindings, stack, instances) {
        let Some(s) = scope.services.iter().find(|s| &s.service == service) else {
            continue;
        };
        let provided = &bindings.services[service];
        let actions = active_actions(program, service, provided, Format::Kubernetes);
        let bound = binds(&actions, provided);
        let drop_action = actions.iter().find(|a| a.op == ActionOp::Drop).copied();
        let alias_action = actions.iter().find(|a| a.op == ActionOp::Alias).copied();
        let consumers: BTreeSet<ResourceId> = plans
            .iter()
            .filter_map(|p| p.consumers.get(service))
            .flatten()
            .copied()
            .collect();
        if let Some(summary) = plan.services.iter_mut().find(|x| &x.name == service) {
            summary.consumers = consumers
                .iter()
                .map(|&c| stack.resource(c).address.to_string())
                .collect();
        }

        // Drops: the matched workloads, then what exists only for them.
        if let Some(action) = drop_action {
            for i in &mine {
                let apps = apps_beside(stack, i);
                if !apps.is_empty() {
                    let r = stack.resource(i.resource);
                    plan.problems.push(
                        Problem::error(
                            "E0703",
                            format!(
                                "`{}` runs {} as a sidecar of {}: dropping the workload would drop {} too",
                                r.address,
                                service,
                                apps.join(", "),
                                if apps.len() == 1 { "it" } else { "them" }
                            ),
                        )
                        .at(loc.resource(i.resource))
                        .rule(loc.rule(action.origin))
                        .help(format!(
                            "graft takes a whole workload out, not one container of a pod: move the {service} container into a workload of its own in the origin stack, with a Service the app reaches it by (graft then drops both and rewires the app), or take it out of the pod by hand"
                        )),
                    );
                }
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

        // A NetworkPolicy that limits a consumer's egress may block the
        // customer's endpoint, which is outside the cluster.
        let endpoint = bound
            .get("endpoint")
            .or_else(|| bound.get("host"))
            .map(|(v, ..)| v.clone());
        for &c in &consumers {
            for r in stack.references_to(c) {
                let policy = stack.resource(r.from);
                if r.kind != RefKind::Attaches
                    || policy.kind != "NetworkPolicy"
                    || dropped.contains_key(&r.from)
                {
                    continue;
                }
                policies.insert(r.from);
                let node = stack.node(r.from);
                let egress = node.get("spec").is_some_and(|spec| {
                    spec.items_at(&["policyTypes"])
                        .iter()
                        .any(|t| t.as_str() == Some("Egress"))
                        || spec.get("egress").is_some()
                });
                if !egress {
                    continue;
                }
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` limits the egress of `{}`, which now connects to the customer's {service}{} outside the cluster: the policy may block it",
                        policy.address,
                        stack.resource(c).address,
                        endpoint.as_deref().map(|e| format!(" at `{e}`")).unwrap_or_default(),
                    ))
                    .at(loc.resource(r.from))
                    .help("allow that traffic in the policy (an `ipBlock` for the endpoint's addresses, or the egress gateway the cluster uses), and drop a rule that only let it reach the dropped pods"),
                );
            }
        }

        // A workload whose Services nothing in the stack names may be reached
        // by a name built into an image.
        for &w in &s.matched {
            let services = crate::stack::kubernetes::services_of(stack, w);
            let named = services.values().any(|&t| {
                stack.references_to(t).any(|r| {
                    matches!(r.kind, RefKind::Network(_) | RefKind::Port(..))
                        && !s.targets.contains_key(&r.from)
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
                        && !consumers.contains(&w)
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
                        .at(loc.resource(t))
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
                    .at(loc.resource(t))
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
                        old.address.clone(),
                        format!("an `ExternalName` alias of the customer's host, in place of the dropped Service: {why}"),
                    )
                    .values(None, Some(host.as_str().into()))
                    .rule(loc.rule(alias.origin))
                    .inputs(used.clone()),
                );
                let port = crate::stack::kubernetes::service_port(stack.node(svc));
                if let (Some(old_port), Some((new_port, _, _))) = (port, bound.get("port"))
                    && old_port != new_port
                {
                    plan.problems.push(
                        Problem::warning(format!(
                            "clients that reach `{name}` by its name still connect to port {old_port}, but the customer's endpoint listens on {new_port}: an `ExternalName` Service cannot change ports"
                        ))
                        .at(loc.resource(svc))
                        .rule(loc.rule(alias.origin))
                        .help("configure those workloads with the port, or ask the customer for an endpoint on the same port"),
                    );
                }
            }
        }
    }

    // Nothing may still refer to what is dropped.
    for &d in dropped.keys() {
        for ri in stack.referrers(d) {
            let r = stack.reference(ri);
            if dropped.contains_key(&r.from)
                || handled.get(ri) == Some(&true)
                || r.kind == RefKind::Attaches
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
                stack.resource(id).address.clone(),
                reason.clone(),
            )
            .at(loc.resource(id))
            .rule(drop_rule.get(&id).and_then(|(o, _)| loc.rule(*o))),
        );
    }
    for (sa, notes) in &sa_annotations {
        for (key, value, service) in notes {
            more.entry(*sa)
                .or_default()
                .annotations
                .push((key.clone(), value.clone()));
            plan.changes.push(
                Change::new(
                    ChangeKind::Annotate,
                    service,
                    stack.resource(*sa).address.clone(),
                    "pods running as this ServiceAccount act as the customer's cloud identity (EKS IRSA, Azure or GKE workload identity)",
                )
                .path(format!("metadata.annotations.{key}"))
                .at(loc.resource(*sa))
                .values(None, Some(value.as_str().into())),
            );
        }
    }
    if plan.has_errors() {
        return (Vec::new(), Vec::new());
    }
    // What the conclusion read of each file, and wrote into it.
    let mut read: Vec<Vec<(ResourceId, Span)>> = vec![Vec::new(); stack.files.len()];
    let ids = scope
        .services
        .iter()
        .flat_map(ServiceScope::objects)
        .chain(dropped.keys().copied())
        .chain(more.keys().copied())
        .chain(policies.iter().copied());
    for id in ids {
        let r = stack.resource(id);
        read[r.file].push((id, r.span));
    }
    let (out, extras) = write::write(stack, &dropped, &plans, &more, created, plan);
    // Freed on every core, as the stack is.
    {
        use rayon::prelude::*;
        plans.into_par_iter().for_each(drop);
    }
    let pins = read
        .into_iter()
        .zip(extras)
        .map(|(mut read, extras)| {
            read.sort_unstable_by_key(|(id, _)| *id);
            read.dedup();
            Pins { read, extras }
        })
        .collect();
    (out, pins)
}

/// What the conclusion of the whole stack did with one file beyond the
/// file's own plan: the objects of it that it read (the scope's, dropped
/// ones, ServiceAccounts it annotates), with their spans, and what it wrote
/// into it. An incremental session keeps them to patch the result after an
/// edit of the file ([`patch_file`]).
#[derive(Clone, Debug, Default)]
pub struct Pins {
    read: Vec<(ResourceId, Span)>,
    extras: write::Extras,
}

/// Patches a finished `outcome` of the whole stack after one file (`view`)
/// was edited in a way the rest of the stack cannot see. The caller has
/// checked that what others can call the file's objects and what it
/// matches are the same; this checks the rest: its references (`was`, in
/// the file as it was, `before`) are the same as far as the scope and the
/// conclusion read them, the objects the conclusion read in it (`pins`)
/// are written exactly as before, and its plan (`old`, now `new`) reaches
/// no further than it did (the same consumers, handled references,
/// ServiceAccount annotations and new objects, and no error). Then the
/// drops, the dangling check and every other file's output stay as they
/// were: the file's own changes and problems are replaced, the
/// conclusion's changes located in it are located again, and the file is
/// written again with what the conclusion adds to it. Says whether the
/// changes differ (the hand-off reads them); `None`, with `outcome`
/// untouched, when the whole stack must be concluded again.
#[allow(clippy::too_many_arguments)]
pub fn patch_file(
    outcome: &mut super::Outcome,
    rules: &Sources,
    view: FileView<'_>,
    (before, was): (&StackFile, &[Reference]),
    pins: &mut Pins,
    old: &FilePlan,
    new: &FilePlan,
    passwords: &super::Passwords,
) -> Option<bool> {
    let unmoved = pins.read.iter().all(|&(id, span)| {
        view.get(id).is_some_and(|r| {
            before.text.get(span.start..span.end) == view.file.text.get(r.span.start..r.span.end)
        })
    });
    if !unmoved
        || was.len() != view.references.len()
        || !was
            .iter()
            .zip(view.references)
            .all(|(a, b)| same_to_the_stack(view, a, b))
        || old.handled != new.handled
        || old.consumers != new.consumers
        || old.irsa != new.irsa
        || old.created != new.created
        || new
            .problems
            .iter()
            .any(|p| p.level == super::plan::Level::Error)
        || new.edits.keys().any(|&id| view.get(id).is_none())
        || outcome.files.get(view.index)?.path != view.file.path
    {
        return None;
    }
    let (text, changed) = write::write_file(view, new, &pins.extras).ok()?;
    // The conclusion locates its changes at a resource's start.
    let mut loc = Locator::one(rules, view);
    let relocate = |c: &Change| {
        let i = view
            .resources
            .iter()
            .position(|r| r.address == c.resource)?;
        loc.resource(ResourceId(view.first + i as u32))
    };
    let differ = outcome.plan.replace_file(
        &view.file.path,
        (&old.changes, &old.problems),
        (&new.changes, &new.problems),
        relocate,
    )?;
    if let Some(summary) = outcome.plan.files.get_mut(view.index) {
        summary.status = write::status(&text, changed);
    }
    outcome.files[view.index] = OutputFile {
        path: view.file.path.clone(),
        text,
        changed,
    };
    super::relook_leftover_password(&mut outcome.plan, &outcome.files[view.index], passwords);
    // Where the objects read are now.
    for (id, span) in &mut pins.read {
        if let Some(r) = view.get(*id) {
            *span = r.span;
        }
    }
    Some(differ)
}

/// Whether two references written in the same file (before and after an
/// edit of it) are the same to the scope and the conclusion, which read a
/// reference's ends and kind, and, for one from a ConfigMap (which may hand
/// the endpoint on), its value too. Where it is written (the span) is the
/// file's own business.
fn same_to_the_stack(view: FileView<'_>, a: &Reference, b: &Reference) -> bool {
    if a.from != b.from || a.to != b.to {
        return false;
    }
    let from_config_map = view.get(b.from).is_some_and(|r| r.kind == "ConfigMap");
    if from_config_map {
        let (mut x, mut y) = (a.site.clone(), b.site.clone());
        (x.span, y.span) = (Span::default(), Span::default());
        return a.kind == b.kind && x == y;
    }
    match (&a.kind, &b.kind) {
        (RefKind::Network(_), RefKind::Network(_)) | (RefKind::Port(..), RefKind::Port(..)) => true,
        (x, y) => x == y,
    }
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

pub(super) fn dangling_help(kind: &RefKind) -> String {
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

/// Adds to `dropped`, until nothing changes, every supporting object that
/// exists only for what is dropped: Services, PodDisruptionBudgets,
/// NetworkPolicies, autoscalers and monitors whose every target is dropped,
/// and ConfigMaps, Secrets, claims and service accounts that only dropped
/// resources (or rewritten sites) still use.
fn close_drops(
    stack: &Stack,
    dropped: &mut BTreeMap<ResourceId, String>,
    rules: &mut HashMap<ResourceId, (Origin, String)>,
    handled: &[bool],
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
        ) || crate::catalogue::GENERATED
            .iter()
            .any(|g| g.attached.iter().any(|(k, _)| *k == kind))
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
                let users: Vec<(usize, &Reference)> = stack
                    .referrers(c)
                    .map(|i| (i, stack.reference(i)))
                    .collect();
                let by_dropped: Vec<ResourceId> = users
                    .iter()
                    .filter(|(_, r)| dropped.contains_key(&r.from))
                    .map(|(_, r)| r.from)
                    .collect();
                if by_dropped.is_empty()
                    || !users.iter().all(|(i, r)| {
                        dropped.contains_key(&r.from) || handled.get(*i) == Some(&true)
                    })
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

/// The containers of a matched workload's pod that are not what its
/// matcher looks for, nor there for it: an app with the service as its
/// sidecar (`web` beside `redis:7`), by name and image. A companion is
/// kept out: an exporter or Sentinel named after the service's image
/// (`redis-exporter`, `redis_exporter` beside `redis`), or a known proxy,
/// log or metrics shipper or TLS tunnel, by its image's name (`envoy`,
/// `fluent-bit`, `stunnel`) or its publisher (`linkerd/proxy`,
/// `istio/proxyv2`). Anything else, even named after the service
/// (`redis-commander`, `acme/redis-session-api`), is an app.
fn apps_beside(stack: &Stack, i: &Instance<'_>) -> Vec<String> {
    const SERVING: &[&str] = &[
        "envoy",
        "proxyv2",
        "fluent-bit",
        "fluentd",
        "promtail",
        "vector",
        "alloy",
        "filebeat",
        "opentelemetry-collector",
        "opentelemetry-collector-contrib",
        "vault",
        "stunnel",
        "ghostunnel",
        "kube-rbac-proxy",
        "consul-dataplane",
        "busybox",
    ];
    const PUBLISHERS: &[&str] = &["linkerd", "istio", "envoyproxy", "datadoghq"];
    const BESIDE: &[&str] = &["exporter", "sentinel", "metrics"];
    let Some(predicate) = i.arm.predicate.as_ref() else {
        return Vec::new();
    };
    let r = stack.resource(i.resource);
    let Some(spec) = crate::stack::kubernetes::pod_template(&r.kind, stack.node(i.resource))
        .and_then(|(t, _)| t.get("spec"))
    else {
        return Vec::new();
    };
    let containers: Vec<(&str, &str)> = crate::stack::kubernetes::containers(spec)
        .into_iter()
        .filter(|c| c.list == "containers")
        .map(|c| {
            (
                c.node.str_at("name").unwrap_or(""),
                c.node.str_at("image").unwrap_or(""),
            )
        })
        .collect();
    if containers.len() < 2 {
        return Vec::new();
    }
    // An image's path (registry and publisher) and name, without its tag
    // or digest, lower case.
    let parts = |image: &str| -> (Vec<String>, String) {
        let image = image.to_ascii_lowercase();
        let image = image.split('@').next().unwrap_or("").to_string();
        let mut path: Vec<String> = image.split('/').map(str::to_string).collect();
        let last = path.pop().unwrap_or_default();
        (path, last.split(':').next().unwrap_or("").to_string())
    };
    let words = |name: &str| -> Vec<String> {
        name.split(['-', '_', '.'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (theirs, others): (Vec<_>, Vec<_>) = containers.iter().partition(|(_, image)| {
        crate::engine::predicate_for_image(predicate, stack, i.resource, image)
    });
    let families: BTreeSet<String> = theirs
        .iter()
        .filter_map(|(_, image)| words(&parts(image).1).into_iter().next())
        .collect();
    others
        .into_iter()
        .filter(|(_, image)| {
            let (path, name) = parts(image);
            let w = words(&name);
            let beside = w.iter().any(|w| families.contains(w))
                && w.iter().any(|w| BESIDE.contains(&w.as_str()));
            !(beside
                || SERVING.contains(&name.as_str())
                || path.iter().any(|p| PUBLISHERS.contains(&p.as_str())))
        })
        .map(|(name, image)| format!("`{name}` ({image})"))
        .collect()
}

fn names(stack: &Stack, ids: impl Iterator<Item = ResourceId>) -> String {
    let mut v: Vec<String> = ids
        .map(|id| format!("`{}`", stack.resource(id).name))
        .collect();
    v.sort();
    v.dedup();
    v.join(", ")
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn a_secret_value_is_decoded_from_base64() {
        for (text, want) in [
            ("b3JkZXJz", "orders"),
            ("b3JkZXJzX3N2Yw==", "orders_svc"),
            ("b3JkZXJzX3N2Yw", "orders_svc"),
            ("b3Jk\nZXJz", "orders"),
            ("", ""),
        ] {
            assert_eq!(
                base64_decode(text).as_deref(),
                Some(want.as_bytes()),
                "{text}"
            );
        }
        assert_eq!(base64_decode("not base64!"), None);
    }
}
