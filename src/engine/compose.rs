//! Carrying out rules on a Docker Compose project: drop the matched services
//! and what exists only for them (named volumes, networks, secrets and
//! configs nothing else uses, another file's entries of the same service);
//! rewrite every host, port and URL that names them in the other services'
//! environment and command lines; take them out of `depends_on` and
//! `links`; give the consumers what the rules hand over (variables, the
//! credential as a `${VAR}` resolved when the project is deployed, or an
//! external Compose secret, the CA certificate as a bind-mounted file,
//! labels); name the services that may reach a dropped one by a name graft
//! cannot see; check that nothing still refers to what was dropped; and
//! write the edits as splices.

use super::kubernetes::Locator;
use super::kubernetes::Rewrite;
use super::kubernetes::consumers::{
    bound_url_scheme, carries_port, changed_lines, given_after_host, injected_env_name,
    rewrite_site, written_port,
};
use super::plan::{self, Change, ChangeKind, Problem};
use super::{Dropped, Drops, Instance, Outcome, OutputFile, Plan, active_actions, binds, eval};
use crate::bindings::{Bindings, Input, SecretRef};
use crate::catalogue::Format;
use crate::check::program::{ActionOp, Origin, Program, Target};
use crate::engine::connection::{names_a_database, origin_role, redact};
use crate::source::{Sources, Span};
use crate::stack::compose::{environment, unpack};
use crate::stack::edit::{self, Splices};
use crate::stack::yaml::Node;
use crate::stack::{RefKind, Reference, ResourceId, Stack};
use serde_json::{Value as Json, json};
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What one action gives every consumer: the value it sets or labels with
/// the inputs it read, and where the action is written.
type Given = (Option<(String, Vec<SmolStr>)>, Option<plan::Location>);

/// What one consumer service receives.
#[derive(Default)]
struct ServiceEdit {
    /// The references whose entries go (`depends_on`, `links`), by number.
    unlink: Vec<usize>,
    /// Variables set: name and value.
    env: Vec<(String, String)>,
    /// Labels set: key and value.
    labels: Vec<(String, String)>,
    /// Items added to its `secrets`.
    secrets: Vec<Json>,
    /// Bind mounts added to its `volumes` (short form).
    volumes: Vec<String>,
}

/// What the rules do to one run of a project's files: the plan (unsorted,
/// with the drop lines), and the edits that [`write`] makes.
struct Part {
    plan: Plan,
    /// Each service's consumers.
    served: BTreeMap<String, BTreeSet<ResourceId>>,
    dropped: Drops,
    rewrites: BTreeMap<usize, Vec<Rewrite>>,
    edits: BTreeMap<ResourceId, ServiceEdit>,
    /// Top-level secrets each file declares.
    declared: BTreeMap<usize, BTreeMap<String, Json>>,
    /// New files (certificates).
    created: BTreeMap<String, String>,
}

/// Applies the rules of the provided services to a Compose project.
///
/// The project's files fall into groups that share nothing (no reference,
/// no network: [`groups`]); runs of whole groups are worked on apart, on
/// every core, and put together. The plan and the output are the same
/// however they are cut.
pub fn apply(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
) -> Outcome {
    use rayon::prelude::*;
    let (run_of, runs) = super::runs(&groups(stack));
    let parts: Vec<Part> = (0..runs)
        .into_par_iter()
        .map(|k| {
            let mine: Vec<Instance<'_>> = instances
                .iter()
                .filter(|i| run_of[stack.resource(i.resource).file] == k)
                .cloned()
                .collect();
            let in_run = |file: usize| run_of[file] == k;
            apply_part(program, rules, bindings, stack, &mine, &in_run)
        })
        .collect();
    // Each service's summary, its matches and consumers in stack order,
    // however the runs were cut.
    let mut plan = Plan::default();
    for service in bindings.services.keys() {
        let address = |id: ResourceId| stack.resource(id).address.to_string();
        let mut consumers: BTreeSet<ResourceId> = BTreeSet::new();
        for part in &parts {
            consumers.extend(part.served.get(service).into_iter().flatten());
        }
        let summary = plan::ServiceSummary {
            name: service.clone(),
            matched: (instances.iter())
                .filter(|i| i.service == service)
                .map(|i| address(i.resource))
                .collect(),
            consumers: consumers.into_iter().map(address).collect(),
        };
        if summary.matched.is_empty() {
            super::nothing_matched(&mut plan, service);
        }
        plan.services.push(summary);
    }
    let mut dropped = Drops::new(stack.resources.len());
    let (mut rewrites, mut edits, mut declared, mut created) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    for mut part in parts {
        plan.changes.append(&mut part.plan.changes);
        plan.problems.append(&mut part.plan.problems);
        dropped.merge(part.dropped);
        rewrites.append(&mut part.rewrites);
        edits.append(&mut part.edits);
        declared.append(&mut part.declared);
        created.append(&mut part.created);
    }
    let files = if plan.has_errors() {
        Vec::new()
    } else {
        write(
            stack, &dropped, &rewrites, &edits, &declared, created, &mut plan,
        )
    };
    // The vendor's passwords: a warning where one is still written in the
    // output as a credential, in a form no rewrite read.
    // Each run's own, looked for in its own files.
    let mut passwords: Vec<BTreeSet<String>> = vec![BTreeSet::new(); runs];
    for i in instances {
        let run = run_of[stack.resource(i.resource).file];
        passwords[run].extend(origin_passwords(stack.node(i.resource)));
    }
    let file_of: HashMap<&str, usize> = (stack.files.iter().enumerate())
        .map(|(k, f)| (f.path.as_str(), k))
        .collect();
    let passwords: Vec<super::Passwords> =
        passwords.into_iter().map(super::Passwords::new).collect();
    let none = super::Passwords::default();
    super::leftover_passwords(&mut plan, &files, &|path| {
        file_of.get(path).map_or(&none, |&k| &passwords[run_of[k]])
    });
    plan.finish();
    let files = if plan.has_errors() { Vec::new() } else { files };
    Outcome { plan, files }
}

/// The passwords a dropped service (its node) was configured with, written
/// as values: after `--requirepass` or `--masterauth` on their command line,
/// after `-a` in their health check, and in variables whose names say a
/// password (`REDIS_PASSWORD`), a default read as the value
/// (`${REDIS_PASSWORD:-pw}`). Shorter than four characters, or a reference,
/// none is taken.
fn origin_passwords(node: &Node) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut note = |value: &str| {
        let value = value.trim_matches(['"', '\'']);
        let read = crate::stack::interpolate::Defaulted::of(value)
            .map_or_else(|| value.to_string(), |d| d.text);
        if read.len() >= 4 && !read.contains('$') {
            out.insert(read);
        }
    };
    for var in environment(node) {
        if origin_role(&var.name) == Some("password")
            && let Some(text) = var.node.as_str()
        {
            note(text.get(var.offset..).unwrap_or(""));
        }
    }
    for pair in command_words(node.get("command")).windows(2) {
        if matches!(pair[0], "--requirepass" | "--masterauth") {
            note(pair[1]);
        }
    }
    for pair in command_words(node.path(&["healthcheck", "test"])).windows(2) {
        if matches!(pair[0], "-a" | "--pass" | "--requirepass") {
            note(pair[1]);
        }
    }
    out
}

/// The words of a command line written as one string or as a list of them.
fn command_words(node: Option<&Node>) -> Vec<&str> {
    let Some(node) = node else { return Vec::new() };
    let texts: Vec<&str> = match node.as_str() {
        Some(t) => vec![t],
        None => node.items().iter().filter_map(Node::as_str).collect(),
    };
    texts.into_iter().flat_map(str::split_whitespace).collect()
}

/// The group of each file (a file of it): files whose services, volumes,
/// networks, secrets and configs refer to one another, through a reference
/// or the project's default network, are in one group.
fn groups(stack: &Stack) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..stack.files.len()).collect();
    fn root(parent: &mut [usize], mut f: usize) -> usize {
        while parent[f] != f {
            parent[f] = parent[parent[f]];
            f = parent[f];
        }
        f
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (a, b) = (root(parent, a), root(parent, b));
        parent[a.max(b)] = a.min(b);
    };
    for r in stack.references() {
        let from = stack.resource(r.from).file;
        join(&mut parent, from, stack.resource(r.to).file);
        join(&mut parent, from, r.site.file);
    }
    // The services on the default network can all reach one another.
    let mut default: Option<usize> = None;
    for id in stack.ids() {
        let r = stack.resource(id);
        if r.kind == "service" && on_default_network(stack.node(id)) {
            match default {
                Some(d) => join(&mut parent, d, r.file),
                None => default = Some(r.file),
            }
        }
    }
    (0..parent.len()).map(|f| root(&mut parent, f)).collect()
}

/// [`apply`] on the files `in_run` picks, given the instances in them.
fn apply_part(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
    in_run: &dyn Fn(usize) -> bool,
) -> Part {
    let mut plan = Plan::default();
    let mut loc = Locator::new(rules, stack);
    let mut dropped = Drops::new(stack.resources.len());
    let mut handled = vec![false; stack.reference_count()];
    let mut rewrites: BTreeMap<usize, Vec<Rewrite>> = BTreeMap::new();
    let mut edits: BTreeMap<ResourceId, ServiceEdit> = BTreeMap::new();
    // Variables given to each consumer, to catch two services' rules that
    // disagree (never last-writer-wins).
    let mut env_writes: HashMap<(ResourceId, String), (String, String)> = HashMap::new();
    let mut created: BTreeMap<String, String> = BTreeMap::new();
    let mut declared: BTreeMap<usize, BTreeMap<String, Json>> = BTreeMap::new();
    let mut served: BTreeMap<String, BTreeSet<ResourceId>> = BTreeMap::new();

    let members = Members {
        of: std::cell::OnceCell::new(),
        in_run,
    };
    for (service, provided) in &bindings.services {
        let mine: Vec<&Instance<'_>> = instances.iter().filter(|i| i.service == service).collect();
        if mine.is_empty() {
            continue;
        }
        let actions = active_actions(program, service, provided, Format::Compose);
        let bound = binds(&actions, provided);
        let drop_action = actions.iter().find(|a| a.op == ActionOp::Drop).copied();
        let injected = injected_env_name(&actions, provided)
            .map(|n| crate::engine::connection::reference_to(&n, Format::Compose));
        let matched: BTreeSet<ResourceId> = mine.iter().map(|i| i.resource).collect();
        if let Some(action) = drop_action {
            for i in &mine {
                dropped.add(
                    i.resource,
                    Dropped {
                        reason: format!("matched by `{}` (compose arm)", i.matcher.name),
                        origin: action.origin,
                        service: service.clone(),
                    },
                );
            }
            close_drops(stack, &mut dropped, action.origin, service);
        }
        // What the matched services are reached through: themselves and
        // their entries in other files (each to the service it is).
        let mut targets: BTreeMap<ResourceId, ResourceId> =
            matched.iter().map(|&m| (m, m)).collect();
        for &m in &matched {
            targets.extend(
                stack
                    .references_to(m)
                    .filter(|r| r.kind == RefKind::Attaches)
                    .map(|r| (r.from, m)),
            );
        }
        let outside =
            |r: &Reference| !targets.contains_key(&r.from) && !dropped.contains_key(&r.from);

        // Sites that name them: hosts, ports and URLs, rewritten.
        let mut consumers: BTreeSet<ResourceId> = BTreeSet::new();
        // The matched service each consumer named first.
        let mut named_by: BTreeMap<ResourceId, ResourceId> = BTreeMap::new();
        let mut port_known: BTreeSet<ResourceId> = BTreeSet::new();
        let mut by_site: BTreeMap<(usize, Span), Vec<(usize, &Reference)>> = BTreeMap::new();
        for &t in targets.keys() {
            for ri in stack.referrers(t) {
                let r = stack.reference(ri);
                if outside(r) && matches!(r.kind, RefKind::Network(_) | RefKind::Port(..)) {
                    by_site
                        .entry((r.site.file, r.site.span))
                        .or_default()
                        .push((ri, r));
                }
            }
        }
        let url_scheme = bound_url_scheme(&bound);
        let default = super::default_port(program, service);
        for refs in by_site.values_mut() {
            refs.sort_by_key(|(ri, r)| (r.to, *ri));
            let first = refs[0].1;
            let Some(original) = first.site.value.as_deref() else {
                continue;
            };
            for (ri, _) in refs.iter() {
                handled[*ri] = true;
            }
            // A Sentinel's address, or a port other than the one the
            // service listened on (RedisInsight's 8001 beside 6379), is not
            // the service's: the customer's offers none.
            let mut site: Vec<&Reference> = Vec::new();
            for &(_, r) in refs.iter() {
                let Some(port) = side_port(stack, r, original, url_scheme, default) else {
                    site.push(r);
                    continue;
                };
                plan.problems.push(
                    Problem::error(
                        "E0702",
                        format!(
                            "`{}` refers to {port} of `{}` ({}), not the dropped {service} itself: the customer's {service} offers no such port",
                            stack.resource(r.from).address,
                            stack.resource(r.to).name,
                            r.site.path
                        ),
                    )
                    .at(loc.stack(r.site.file, r.site.span.start))
                    .rule(drop_action.and_then(|a| loc.rule(a.origin)))
                    .help("take the reference out of the origin stack (a Sentinel address, a web console), or point it at what the customer offers instead"),
                );
            }
            if site.is_empty() {
                continue;
            }
            let (text, inputs, origin) = match rewrite_site(
                original,
                &site,
                &bound,
                injected.as_deref(),
                provided,
            ) {
                Ok(Some(done)) => done,
                Ok(None) => continue,
                Err(failed) => {
                    for (r, role) in failed {
                        plan.problems.push(
                                Problem::error(
                                    "E0702",
                                    format!(
                                        "`{}` refers to `{}` ({}), which is dropped, and no rule binds {role} to rewrite it",
                                        stack.resource(r.from).address,
                                        stack.resource(r.to).name,
                                        r.site.path
                                    ),
                                )
                                .at(loc.stack(r.site.file, r.site.span.start))
                                .rule(drop_action.and_then(|a| loc.rule(a.origin)))
                                .help(format!(
                                    "bind {role} in the rule for `{service}`, such as `bind host = c.hostname.host`"
                                )),
                            );
                    }
                    continue;
                }
            };
            // A part after the host the deployer gives
            // (`redis${REDIS_PATH}`): only the host was rewritten.
            for r in &site {
                let RefKind::Network(net) = &r.kind else {
                    continue;
                };
                let given = given_after_host(original, net);
                if given.is_empty() {
                    continue;
                }
                let customer =
                    crate::engine::connection::endpoint_note(&bound, &["url", "endpoint"]);
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` {} goes on after the host with `{}`, which the deployer gives: graft rewrote what is written, and what the deployer gives must agree with the customer's endpoint{customer}",
                        stack.resource(r.from).address,
                        r.site.path,
                        given.join("`, `"),
                    ))
                    .at(loc.stack(r.site.file, r.site.span.start))
                    .help("set those variables where the project is deployed (its `.env` file) to the customer's port, database or path, or write them out in the value"),
                );
            }
            let (old, new) = changed_lines(original, &text);
            // A site in a YAML anchor is every aliasing service's.
            for r in &site {
                consumers.insert(r.from);
                named_by.entry(r.from).or_insert(targets[&r.to]);
                if carries_port(&site) {
                    port_known.insert(r.from);
                }
            }
            plan.changes.push(
                Change::new(
                    ChangeKind::Rewire,
                    service,
                    stack.resource(first.from).address.clone(),
                    format!(
                        "named the service `{}`; now the customer's endpoint",
                        stack.resource(first.to).name
                    ),
                )
                .path(first.site.path.clone())
                .at(loc.stack(first.site.file, first.site.span.start))
                .values(Some(redact(&old).into()), Some(redact(&new).into()))
                .rule(origin.and_then(|o| loc.rule(o)))
                .inputs(inputs),
            );
            rewrites.entry(first.site.file).or_default().push(Rewrite {
                span: first.site.span,
                text,
                style: first.site.style,
            });
        }

        // `depends_on` and `links` entries on what is dropped go.
        for (&d, why) in &dropped {
            if why.service != *service {
                continue;
            }
            for ri in stack.referrers(d) {
                let r = stack.reference(ri);
                if dropped.contains_key(&r.from)
                    || !matches!(r.kind, RefKind::DependsOn | RefKind::Link)
                {
                    continue;
                }
                handled[ri] = true;
                edits.entry(r.from).or_default().unlink.push(ri);
                let what = if r.kind == RefKind::Link {
                    "linked to"
                } else {
                    "started after"
                };
                plan.changes.push(
                    Change::new(
                        ChangeKind::Remove,
                        service,
                        stack.resource(r.from).address.clone(),
                        format!("{what} `{}`, which is dropped", stack.resource(d).name),
                    )
                    .path(r.site.path.clone())
                    .at(loc.stack(r.site.file, r.site.span.start))
                    .values(r.site.value.clone(), None)
                    .rule(loc.rule(why.origin)),
                );
            }
        }

        // Services that may reach a dropped one by a name graft cannot see.
        if drop_action.is_some() {
            for &m in &matched {
                // Where something names the service, the others that used it
                // would too: sharing a network alone is then no sign.
                let named = stack.references_to(m).any(|r| {
                    matches!(r.kind, RefKind::Network(_) | RefKind::Port(..)) && outside(r)
                });
                silent(
                    stack, m, named, &members, &dropped, &consumers, &mut loc, &mut plan,
                );
            }
        }
        // A consumer given the host alone connects on the port it assumes:
        // say so when the customer's differs from the one the service used.
        if let Some((new_port, _, _)) = bound.get("port") {
            for (&c, &m) in &named_by {
                // The port the service listened on, in any of its entries.
                let listened = std::iter::once(m)
                    .chain(targets.iter().filter(|(_, p)| **p == m).map(|(t, _)| *t))
                    .find_map(|t| old_port(stack.node(t)));
                let Some(old) = listened.filter(|old| old != new_port) else {
                    continue;
                };
                if !port_known.contains(&c) {
                    plan.problems.push(
                        Problem::warning(format!(
                            "`{}` is given the customer's host but no port: it connects on the port it assumes (`{}` listened on {old}), and the customer's endpoint is on {new_port}",
                            stack.resource(c).address,
                            stack.resource(m).name
                        ))
                        .at(loc.resource(c))
                        .help("give it the port where it reads one (an environment variable, its command line), or ask the customer for an endpoint on the old port"),
                    );
                }
            }
        }
        for &c in &consumers {
            // `REDIS_PASSWORD_FILE` beside the injected `REDIS_PASSWORD`:
            // images read the file first, and it holds the vendor's.
            if let Some(var) = injected_env_name(&actions, provided)
                && let Some(file) = environment(stack.node(c))
                    .into_iter()
                    .find(|v| v.name == format!("{var}_FILE"))
            {
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` reads `{}` ({}), which images read before `{var}`: it keeps the vendor's password file, not the customer's credential graft gives as `{var}`",
                        stack.resource(c).address,
                        file.name,
                        file.value().unwrap_or_default()
                    ))
                    .at(loc.resource(c))
                    .help(format!("take `{}` (and the secret it names) out of the service, or mount the customer's credential there", file.name)),
                );
            }
            if let Some(files) = env_files(stack.node(c)) {
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` also reads variables from {files}, which graft does not read or rewrite: any that name the dropped `{service}` still do",
                        stack.resource(c).address
                    ))
                    .at(loc.resource(c))
                    .help("check those files, and give the customer's endpoint there by hand"),
                );
            }
        }

        // Consumers that repeat, as a value, the user, database or password
        // the dropped services were configured with.
        let origin = origin_settings(stack, &matched);
        if !origin.is_empty() {
            let set_by_rules = super::env_set_by(&actions);
            for &consumer in &consumers {
                let node = stack.node(consumer);
                for v in environment(node) {
                    let Some(value) = v.value() else { continue };
                    let Some(role) =
                        origin_role(&v.name).filter(|r| origin.get(*r).is_some_and(|o| o == value))
                    else {
                        continue;
                    };
                    if !names_a_database(&v.name, service) || set_by_rules.contains(v.name.as_str())
                    {
                        continue;
                    }
                    let address = stack.resource(consumer).address.clone();
                    let at = loc.stack(stack.resource(consumer).file, v.node.span().start);
                    let path = format!(
                        "{}s.{}.{}",
                        stack.resource(consumer).kind,
                        stack.resource(consumer).name,
                        v.path
                    );
                    let (new, why, shown, rule, inputs) = if role == "password" {
                        let (Some(reference), Some(action)) = (
                            injected.as_deref(),
                            actions.iter().find(|a| {
                                matches!(
                                    &a.op,
                                    ActionOp::Inject {
                                        target: Target::Env(_),
                                        ..
                                    }
                                )
                            }),
                        ) else {
                            plan.problems.push(
                                Problem::warning(format!(
                                    "`{}` of `{address}` holds the password of the dropped `{service}` as a value, and the rules hand over no variable to read in its place",
                                    v.name
                                ))
                                .at(at)
                                .help("remove it, or give it the customer's credential from the deploy environment"),
                            );
                            continue;
                        };
                        let why = format!(
                            "`{}` held the password of the dropped `{service}` as a value; now a reference to the customer's",
                            v.name
                        );
                        let inputs = match &action.op {
                            ActionOp::Inject { input, .. } => {
                                vec![format_smolstr!("{service}.{}", input.field)]
                            }
                            _ => Vec::new(),
                        };
                        (
                            reference.to_string(),
                            why,
                            "****".to_string(),
                            *action,
                            inputs,
                        )
                    } else {
                        let Some((new, inputs, action)) = bound.get(role).filter(|b| b.0 != value)
                        else {
                            continue;
                        };
                        let why = format!(
                            "`{}` repeated `{value}`, the {role} the dropped `{service}` was configured with; now the customer's",
                            v.name
                        );
                        (new.clone(), why, value.to_string(), *action, inputs.clone())
                    };
                    let rule = loc.rule(rule.origin);
                    if give_env(
                        &mut edits,
                        &mut env_writes,
                        (&mut plan, &mut loc, stack),
                        (consumer, &v.name),
                        &new,
                        (service, rule.clone()),
                    ) {
                        plan.changes.push(
                            Change::new(ChangeKind::Rewire, service, address, why)
                                .path(path)
                                .at(at)
                                .values(Some(shown.into()), Some(new.into()))
                                .rule(rule)
                                .inputs(inputs),
                        );
                    }
                }
            }
        }

        // What each action gives: the same for every consumer, so worked
        // out once (the value set or labelled with the inputs it read, and
        // where the action is written).
        let given: Vec<Given> = actions
            .iter()
            .map(|action| {
                let value = match &action.op {
                    ActionOp::SetEnv { value, .. } => eval(value, provided),
                    ActionOp::Annotate { value, .. } => {
                        super::annotation(value, provided, |s| s.describe())
                    }
                    _ => None,
                };
                (value, loc.rule(action.origin))
            })
            .collect();
        // What the consumers receive.
        for &consumer in &consumers {
            let r = stack.resource(consumer);
            let here = loc.resource(consumer);
            let address = r.address.clone();
            let change = |kind, why: SmolStr| {
                Change::new(kind, service, address.clone(), why).at(here.clone())
            };
            for (action, (value, rule)) in actions.iter().zip(&given) {
                let rule = rule.clone();
                // One variable for this consumer; `false` (with the error
                // recorded) when another service's rules gave it another value.
                macro_rules! give_env {
                    ($name:expr, $value:expr) => {
                        give_env(
                            &mut edits,
                            &mut env_writes,
                            (&mut plan, &mut loc, stack),
                            (consumer, $name),
                            $value,
                            (service, rule.clone()),
                        )
                    };
                }
                match &action.op {
                    ActionOp::Drop | ActionOp::Alias | ActionOp::Bind { .. } => {}
                    ActionOp::SetEnv { name, .. } => {
                        let Some((text, used)) = value.clone() else {
                            continue;
                        };
                        if give_env!(name, &text) {
                            plan.changes.push(
                                change(ChangeKind::Set, "set on the service".into())
                                    .path(format_smolstr!("environment.{name}"))
                                    .values(None, Some(text.into()))
                                    .rule(rule)
                                    .inputs(used),
                            );
                        }
                    }
                    ActionOp::Inject { input, target } => {
                        let field = format_smolstr!("{service}.{}", input.field);
                        match (provided.input(input), target) {
                            (Some(Input::Secret(secret)), Target::Env(name)) => {
                                let text = deploy_variable(name, secret);
                                if !give_env!(name, &text) {
                                    continue;
                                }
                                plan.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        format_smolstr!(
                                            "the credential, by reference: `{name}` is read from the deploy environment, where it holds {}",
                                            secret.describe()
                                        ),
                                    )
                                    .path(format_smolstr!("environment.{name}"))
                                    .values(None, Some(format_smolstr!("${{{name}}}")))
                                    .rule(rule)
                                    .inputs(vec![field]),
                                );
                            }
                            (Some(Input::Secret(secret)), Target::File(path)) => {
                                let key =
                                    format!("graft-{service}-{}", input.field).replace('_', "-");
                                declared
                                    .entry(r.file)
                                    .or_default()
                                    .insert(key.clone(), json!({"external": true}));
                                edits
                                    .entry(consumer)
                                    .or_default()
                                    .secrets
                                    .push(json!({"source": key, "target": path}));
                                plan.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        format_smolstr!(
                                            "the credential as a file, from the external secret `{key}` (create it from {})",
                                            secret.describe()
                                        ),
                                    )
                                    .path(path.clone())
                                    .values(None, Some(format_smolstr!("secret {key}")))
                                    .rule(rule)
                                    .inputs(vec![field]),
                                );
                            }
                            (Some(Input::IamRole { kind, id, user }), target) => {
                                if let Target::Env(name) = target
                                    && !give_env!(name, id)
                                {
                                    continue;
                                }
                                plan.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        super::identity_needs(*kind, "containers").into(),
                                    )
                                    .maybe_path(match target {
                                        Target::Env(n) => Some(format!("environment.{n}")),
                                        Target::File(p) => Some(p.clone()),
                                    })
                                    .values(
                                        None,
                                        Some(super::iam_role_text(*kind, id, user.as_deref())),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field]),
                                );
                            }
                            _ => {}
                        }
                    }
                    ActionOp::Mount { input, target } => {
                        let Some(Input::Certificate { pem, .. }) = provided.input(input) else {
                            continue;
                        };
                        let file_name = format!("{service}-{}.crt", input.field).replace('_', "-");
                        let folder = folder_of(&stack.files[r.file].path);
                        created.insert(join(folder, &format!("graft/{file_name}")), pem.clone());
                        let inside = match target {
                            Target::Env(_) => {
                                format!("/etc/graft/{service}/{}/ca.crt", input.field)
                            }
                            Target::File(p) => p.clone(),
                        };
                        edits
                            .entry(consumer)
                            .or_default()
                            .volumes
                            .push(format!("./graft/{file_name}:{inside}:ro"));
                        if let Target::Env(name) = target
                            && !give_env!(name, &inside)
                        {
                            continue;
                        }
                        plan.changes.push(
                            change(
                                ChangeKind::Mount,
                                match target {
                                    Target::Env(n) => format_smolstr!("`{n}` holds its path"),
                                    Target::File(_) => "mounted at this path".into(),
                                },
                            )
                            .path(inside.clone())
                            .values(None, Some(format_smolstr!("graft/{file_name}")))
                            .rule(rule)
                            .inputs(vec![format_smolstr!("{service}.{}", input.field)]),
                        );
                    }
                    ActionOp::Annotate { key, .. } => {
                        let Some((text, used)) = value.clone() else {
                            continue;
                        };
                        edits
                            .entry(consumer)
                            .or_default()
                            .labels
                            .push((key.clone(), text.clone()));
                        plan.changes.push(
                            change(ChangeKind::Annotate, "a label on the service".into())
                                .path(format!("labels.{key}"))
                                .values(None, Some(text.into()))
                                .rule(rule)
                                .inputs(used),
                        );
                    }
                }
            }
        }
        served.entry(service.clone()).or_default().extend(consumers);
    }

    // Nothing may still refer to what is dropped.
    for (&d, why) in &dropped {
        for ri in stack.referrers(d) {
            let r = stack.reference(ri);
            if dropped.contains_key(&r.from) || handled[ri] || r.kind == RefKind::Attaches {
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
                .rule(loc.rule(why.origin))
                .help(super::kubernetes::dangling_help(&r.kind)),
            );
        }
    }
    // An edit inside a YAML alias would change every service that shares
    // the anchor: refused, where it would be written.
    for (&id, e) in &edits {
        let r = stack.resource(id);
        let node = stack.node(id);
        let touched = [
            ("environment", !e.env.is_empty()),
            ("labels", !e.labels.is_empty()),
            ("depends_on", !e.unlink.is_empty()),
            ("links", !e.unlink.is_empty()),
            ("secrets", !e.secrets.is_empty()),
            ("volumes", !e.volumes.is_empty()),
        ];
        for (key, edited) in touched {
            let Some(n) = node.get(key).filter(|_| edited) else {
                continue;
            };
            let text = &stack.files[r.file].text;
            let alias = text
                .get(n.span().start..)
                .is_some_and(|t| t.starts_with('*'));
            if alias || n.span().start < r.span.start || n.span().end > r.span.end {
                plan.problems.push(
                    Problem::error(
                        "E0702",
                        format!(
                            "the `{key}` of `{}` is a YAML alias of settings other services may share: graft cannot change it for this service alone",
                            r.address
                        ),
                    )
                    .at(loc.stack(r.file, n.span().start))
                    .help(format!("write the service's own `{key}` out in place of the alias")),
                );
            }
        }
    }
    dropped.to_plan(stack, &mut loc, &mut plan);
    Part {
        plan,
        served,
        dropped,
        rewrites,
        edits,
        declared,
        created,
    }
}

/// Adds to `dropped`, until nothing changes, what exists only for what is
/// dropped: another file's entry of a dropped service, and the named
/// volumes, networks, secrets and configs that only dropped services use.
fn close_drops(stack: &Stack, dropped: &mut Drops, origin: Origin, service: &str) {
    let mut work: Vec<ResourceId> = dropped.keys().copied().collect();
    while let Some(d) = work.pop() {
        let mut candidates: Vec<ResourceId> = stack.references_to(d).map(|r| r.from).collect();
        candidates.extend(stack.references_from(d).map(|r| r.to));
        candidates.sort();
        candidates.dedup();
        for c in candidates {
            if dropped.contains_key(&c) {
                continue;
            }
            let attaches: Vec<ResourceId> = stack
                .references_from(c)
                .filter(|r| r.kind == RefKind::Attaches)
                .map(|r| r.to)
                .collect();
            let reason = if !attaches.is_empty() {
                if !attaches.iter().all(|t| dropped.contains_key(t)) {
                    continue;
                }
                format!(
                    "another file's settings of `{}`, which is dropped",
                    stack.resource(c).name
                )
            } else if stack.resource(c).kind != "service" {
                let users: Vec<ResourceId> = stack
                    .references_to(c)
                    .filter(|r| r.kind != RefKind::Attaches)
                    .map(|r| r.from)
                    .collect();
                if users.is_empty() || !users.iter().all(|u| dropped.contains_key(u)) {
                    continue;
                }
                let mut names: Vec<String> = users
                    .iter()
                    .map(|&u| format!("`{}`", stack.resource(u).name))
                    .collect();
                names.sort();
                names.dedup();
                format!("used only by {}", names.join(", "))
            } else {
                continue;
            };
            dropped.add(
                c,
                Dropped {
                    reason,
                    origin,
                    service: service.to_string(),
                },
            );
            work.push(c);
        }
    }
}

/// The services of a run of files on each network, worked out once, when
/// first asked.
struct Members<'r> {
    of: std::cell::OnceCell<HashMap<String, Vec<ResourceId>>>,
    in_run: &'r dyn Fn(usize) -> bool,
}

impl Members<'_> {
    /// The services on the network `name`.
    fn on(&self, stack: &Stack, name: &str) -> impl Iterator<Item = ResourceId> {
        let of = self.of.get_or_init(|| {
            let mut out: HashMap<String, Vec<ResourceId>> = HashMap::new();
            for c in stack.ids() {
                let r = stack.resource(c);
                if r.kind == "service" && (self.in_run)(r.file) {
                    for n in networks_of(stack.node(c)) {
                        match out.get_mut(n) {
                            Some(v) => v.push(c),
                            None => {
                                out.insert(n.to_string(), vec![c]);
                            }
                        }
                    }
                }
            }
            out
        });
        of.get(name).into_iter().flatten().copied()
    }
}

/// Warns about each service that may reach the dropped service `m` by a
/// name graft cannot see: one that starts after it or links to it, or,
/// when nothing in the project names it (`named` is false), shares a
/// network with it; and names it nowhere graft rewrote.
#[allow(clippy::too_many_arguments)]
fn silent(
    stack: &Stack,
    m: ResourceId,
    named: bool,
    members: &Members<'_>,
    dropped: &Drops,
    consumers: &BTreeSet<ResourceId>,
    loc: &mut Locator<'_>,
    plan: &mut Plan,
) {
    let gone = stack.resource(m);
    let mine = networks_of(stack.node(m));
    let mut candidates: Vec<ResourceId> = stack
        .references_to(m)
        .filter(|r| matches!(r.kind, RefKind::DependsOn | RefKind::Link))
        .map(|r| r.from)
        .collect();
    if !named {
        for n in &mine {
            candidates.extend(members.on(stack, n));
        }
    }
    candidates.sort();
    candidates.dedup();
    for c in candidates {
        let r = stack.resource(c);
        if r.kind != "service" || dropped.contains_key(&c) || consumers.contains(&c) {
            continue;
        }
        // Another file's entry of a service is the service.
        if stack
            .references_from(c)
            .any(|x| x.kind == RefKind::Attaches)
        {
            continue;
        }
        let mut why: Vec<String> = Vec::new();
        for x in stack.references_from(c).filter(|x| x.to == m) {
            match x.kind {
                RefKind::DependsOn => why.push(format!("it starts after `{}`", gone.name)),
                RefKind::Link => why.push(format!("it links to `{}`", gone.name)),
                _ => {}
            }
        }
        if why.is_empty() {
            let node = stack.node(c);
            if node.str_at("network_mode").is_some() {
                continue;
            }
            let theirs = networks_of(node);
            let Some(net) = mine.iter().find(|n| theirs.contains(n)) else {
                continue;
            };
            why.push(if *net == "default" {
                "it is on the project's default network with it".to_string()
            } else {
                format!("it shares the network `{net}` with it")
            });
        }
        let mut message = format!(
            "`{}` may reach the dropped `{}` by a name graft cannot see (written in its code or image): {}; graft did not rewire it",
            r.address,
            gone.name,
            why.join(", ")
        );
        if let Some(files) = env_files(stack.node(c)) {
            message.push_str(&format!(
                "; it also reads variables from {files}, which graft does not read or rewrite"
            ));
        }
        plan.problems.push(
            Problem::warning(message)
                .at(loc.resource(c))
                .help(format!(
                    "if it uses `{}`, give it the endpoint by environment (graft then rewires it), or configure it by hand",
                    gone.name
                )),
        );
    }
}

/// The networks a service joins: those it names, or the project's default
/// network.
fn networks_of(node: &Node) -> Vec<&str> {
    let mut out: Vec<&str> = named_networks(node).collect();
    if out.is_empty() {
        out.push("default");
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The networks a service names (list or map form of `networks`).
fn named_networks(node: &Node) -> impl Iterator<Item = &str> {
    let n = node.get("networks");
    let items = n
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(Node::as_str);
    let keys = (n.map_or(&[][..], Node::entries).iter()).filter_map(|(k, _)| k.as_str());
    items.chain(keys)
}

/// Whether a service is on the project's default network ([`networks_of`]
/// without its list).
fn on_default_network(node: &Node) -> bool {
    let mut names = named_networks(node).peekable();
    names.peek().is_none() || names.any(|name| name == "default")
}

/// What a reference `r` to a dropped service reaches that is not the
/// service itself, in words: the Sentinel a `redis-sentinel` image runs
/// (any reference to it, but a Sentinel URL of the service's family, which
/// the customer's URL replaces whole), or a port it writes that is not the
/// one the service listened on: the one it exposes or publishes, the one
/// its command line gives (`--port 6380`), or else the service's default
/// (`default`, 6379 for Redis).
fn side_port(
    stack: &Stack,
    r: &Reference,
    original: &str,
    url_scheme: Option<&str>,
    default: Option<u16>,
) -> Option<String> {
    let node = stack.node(r.to);
    let written = written_port(r, original, url_scheme)?;
    let image = node.str_at("image").unwrap_or("").to_ascii_lowercase();
    let name = image.rsplit('/').next().unwrap_or("");
    if name.contains("sentinel") {
        return Some(match written {
            Some(p) => format!("the Sentinel on port {p}"),
            None => "the Sentinel".to_string(),
        });
    }
    // Defined again in another file (an override), the service may listen
    // where that file says.
    let overridden = || {
        stack
            .references_to(r.to)
            .any(|o| matches!(o.kind, RefKind::Attaches))
    };
    let data = old_port(node).or_else(|| command_port(node, default).filter(|_| !overridden()))?;
    written
        .filter(|p| *p != data)
        .map(|p| format!("port {p} (it served on {data})"))
}

/// The port a service listened on: the first it exposes or publishes.
fn old_port(node: &Node) -> Option<String> {
    let text = |n: &Node| n.scalar().map(|s| s.text.to_string());
    if let Some(p) = node.items_at(&["expose"]).first().and_then(text) {
        return Some(p.split('/').next().unwrap_or("").to_string());
    }
    let p = node.items_at(&["ports"]).first()?;
    match p.get("target") {
        Some(t) => text(t),
        None => text(p).map(|s| {
            let s = s.split('/').next().unwrap_or("");
            s.rsplit(':').next().unwrap_or("").to_string()
        }),
    }
    .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The port a service that declares none listens on: the one its command
/// line gives (`redis-server --port 6380`), or the service's default
/// (`default`) where nothing says otherwise. `None` where something may
/// (a configuration file, a port from a variable or the environment, an
/// entrypoint, `extends`): a port graft cannot read is any port.
fn command_port(node: &Node, default: Option<u16>) -> Option<String> {
    let command: Vec<String> = match node.get("command") {
        None => Vec::new(),
        Some(c) => match c.as_str() {
            Some(line) => line.split_whitespace().map(str::to_string).collect(),
            None => c
                .items()
                .iter()
                .filter_map(|w| w.scalar().map(|s| s.text.to_string()))
                .collect(),
        },
    };
    // A variable that may set the port (bitnami's `REDIS_PORT_NUMBER`,
    // `PGPORT`).
    let environment_port = node.get("environment").is_some_and(|e| {
        let named = |t: &str| t.to_ascii_uppercase().contains("PORT");
        e.entries()
            .iter()
            .any(|(k, _)| k.as_str().is_some_and(named))
            || e.items().iter().any(|i| i.as_str().is_some_and(named))
    });
    if node.get("entrypoint").is_some() || node.get("extends").is_some() || environment_port {
        return None;
    }
    match command.iter().position(|w| w == "--port") {
        Some(at) => command
            .get(at + 1)
            .filter(|p| {
                p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0)
            })
            .cloned(),
        // A configuration file, a shell, another spelling of the port
        // (`--port=6380`, `-p 5433`): not read here.
        None if command.iter().any(|w| {
            w.contains(".conf") || w.contains("port") || w.starts_with("-p") || w.ends_with("sh")
        }) =>
        {
            None
        }
        None => default.map(|p| p.to_string()),
    }
}

/// The `env_file`s of a service, for a message: `` `a.env`, `b.env` ``.
fn env_files(node: &Node) -> Option<String> {
    let f = node.get("env_file")?;
    let mut names: Vec<String> = Vec::new();
    if let Some(s) = f.as_str() {
        names.push(format!("`{s}`"));
    }
    for item in f.items() {
        if let Some(s) = item.as_str().or_else(|| item.str_at("path")) {
            names.push(format!("`{s}`"));
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// The value that hands a consumer the credential: a variable of the
/// environment the project is deployed from, required there, whose message
/// says where the customer keeps it.
fn deploy_variable(name: &str, secret: &SecretRef) -> String {
    let place = secret.describe().replace(['}', '$'], "");
    format!("${{{name}:?set {name} to the customer's credential from {place}}}")
}

/// Records a variable for a consumer; `false`, with the error in the plan,
/// when another service's rules already gave it a different value (never
/// last-writer-wins).
fn give_env(
    edits: &mut BTreeMap<ResourceId, ServiceEdit>,
    writes: &mut HashMap<(ResourceId, String), (String, String)>,
    (plan, loc, stack): (&mut Plan, &mut Locator<'_>, &Stack),
    (consumer, name): (ResourceId, &str),
    value: &str,
    (service, rule): (&str, Option<plan::Location>),
) -> bool {
    let key = (consumer, name.to_string());
    match writes.get(&key) {
        None => {
            writes.insert(key, (value.to_string(), service.to_string()));
            edits
                .entry(consumer)
                .or_default()
                .env
                .push((name.to_string(), value.to_string()));
            true
        }
        Some((v, s)) if v == value && s == service => true,
        Some(_) => {
            plan.problems.push(
                Problem::error(
                    "E0401",
                    format!(
                        "`{}` gets `{name}` from the rules of two services (`{service}` and another), with different values",
                        stack.resource(consumer).address
                    ),
                )
                .at(loc.resource(consumer))
                .rule(rule)
                .help("give the variables different names in the two rule files"),
            );
            false
        }
    }
}

/// The user, database and password the matched services were configured
/// with, by role (`POSTGRES_USER=reader`), from their `environment`; a role
/// given two values, or a value that interpolates (`${...}`), is left out.
fn origin_settings(
    stack: &Stack,
    matched: &BTreeSet<ResourceId>,
) -> BTreeMap<&'static str, String> {
    let mut found: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for &m in matched {
        for v in environment(stack.node(m)) {
            if let (Some(role), Some(value)) = (origin_role(&v.name), v.value())
                && !value.is_empty()
                && !value.contains('$')
            {
                found.entry(role).or_default().insert(value.to_string());
            }
        }
    }
    super::one_value_each(found)
}

/// The folder of a path (`""` at the root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join(folder: &str, path: &str) -> String {
    if path.is_empty() {
        folder.to_string()
    } else if folder.is_empty() {
        path.to_string()
    } else {
        format!("{folder}/{path}")
    }
}

/// The output: every file, with its splices made; the new files after.
fn write(
    stack: &Stack,
    dropped: &Drops,
    rewrites: &BTreeMap<usize, Vec<Rewrite>>,
    edits: &BTreeMap<ResourceId, ServiceEdit>,
    declared: &BTreeMap<usize, BTreeMap<String, Json>>,
    created: BTreeMap<String, String>,
    plan: &mut Plan,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    // What goes and what changes, by file.
    let mut gone_in: BTreeMap<usize, BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
    for &id in dropped.keys() {
        let r = stack.resource(id);
        if let Some(item) = r.item {
            let (section, entry) = unpack(item);
            gone_in
                .entry(r.file)
                .or_default()
                .entry(section)
                .or_default()
                .push(entry);
        }
    }
    let mut edits_in: BTreeMap<usize, Vec<(ResourceId, &ServiceEdit)>> = BTreeMap::new();
    for (&id, e) in edits {
        edits_in
            .entry(stack.resource(id).file)
            .or_default()
            .push((id, e));
    }
    // Every file at once: each is its own splices.
    use rayon::prelude::*;
    let written: Vec<Result<(String, bool), usize>> = stack
        .files
        .par_iter()
        .enumerate()
        .map(|(fi, file)| {
            let text = &file.text;
            let mut s = Splices::new();
            if let Some(doc) = file.docs.first() {
                let root = &doc.root;
                // Dropped entries, a section at a time; a section left
                // empty goes whole, but for `services`: a file without it
                // is not a Compose file to older tools (`services: {}`).
                let mut whole: Vec<usize> = Vec::new();
                for (&section, entries) in gone_in.get(&fi).into_iter().flatten() {
                    let Some((key, map)) = root.entries().get(section) else {
                        continue;
                    };
                    let all = entries.len() == map.entries().len();
                    if all && key.as_str() == Some("services") {
                        let value = text[key.span().end..map.span().start]
                            .find(':')
                            .map_or(map.span().start, |c| key.span().end + c + 1);
                        s.replace(value, map.span().end, " {}");
                    } else if all {
                        whole.push(section);
                    } else {
                        edit::remove_entries(&mut s, text, map, entries);
                    }
                }
                edit::remove_entries(&mut s, text, root, &whole);
                // A variable the rules set is written whole: a rewrite
                // inside its old value gives way.
                let superseded: Vec<Span> = edits_in
                    .get(&fi)
                    .into_iter()
                    .flatten()
                    .flat_map(|&(id, e)| {
                        let vars = environment(stack.node(id));
                        e.env
                            .iter()
                            .filter_map(|(name, _)| {
                                vars.iter()
                                    .find(|v| v.name == name.as_str())
                                    .map(|v| v.node.span())
                            })
                            .collect::<Vec<Span>>()
                    })
                    .collect();
                for rw in rewrites.get(&fi).into_iter().flatten() {
                    if superseded
                        .iter()
                        .any(|v| v.start <= rw.span.start && rw.span.end <= v.end)
                    {
                        continue;
                    }
                    super::kubernetes::write::rewrite(&mut s, text, rw);
                }
                for &(id, e) in edits_in.get(&fi).into_iter().flatten() {
                    service_edit(&mut s, text, stack, stack.node(id), e);
                }
                if let Some(new) = declared.get(&fi) {
                    declare_secrets(&mut s, text, root, new);
                }
            }
            let changed = !s.is_empty();
            s.apply(text).map(|t| (t, changed)).map_err(|o| o.offset)
        })
        .collect();
    for (file, result) in stack.files.iter().zip(written) {
        let (new, changed) = match result {
            Ok(done) => done,
            Err(offset) => {
                plan.problems.push(Problem::error(
                    "E0702",
                    format!(
                        "graft's edits to {} overlap at byte {offset} (a bug in graft): nothing was written",
                        file.path
                    ),
                ));
                return Vec::new();
            }
        };
        plan.files.push(plan::FileSummary {
            path: file.path.clone(),
            status: if changed { "changed" } else { "unchanged" },
        });
        out.push(OutputFile {
            path: file.path.clone(),
            text: Some(new),
            changed,
        });
    }
    // Files that only what was dropped read (a dropped secret's or
    // config's `file`, a dropped service's bind mounts): not carried over.
    let written: std::collections::HashSet<String> = out.iter().map(|f| f.path.clone()).collect();
    for path in files_only_dropped_use(stack, dropped) {
        if written.contains(&path) || created.contains_key(&path) {
            continue;
        }
        plan.files.push(plan::FileSummary {
            path: path.clone(),
            status: "removed",
        });
        out.push(OutputFile {
            path,
            text: None,
            changed: true,
        });
    }
    for (path, text) in created {
        if let Some(existing) = out.iter_mut().find(|f| f.path == path) {
            let same = existing.text.as_deref() == Some(text.as_str());
            if !same {
                existing.text = Some(text);
                existing.changed = true;
            }
            continue;
        }
        plan.files.push(plan::FileSummary {
            path: path.clone(),
            status: "created",
        });
        out.push(OutputFile {
            path,
            text: Some(text),
            changed: true,
        });
    }
    out
}

/// The files and folders of the project (paths from its root) that only
/// dropped resources name: the `file` of a dropped secret or config, the
/// relative bind-mount sources of a dropped service that no other service
/// mounts.
fn files_only_dropped_use(stack: &Stack, dropped: &Drops) -> Vec<String> {
    // Each relative source path a resource names, from the project root.
    // A kept service's build context and env files count too: a folder a
    // dropped service mounted may hold them.
    let sources = |id: ResourceId, kept: bool| -> Vec<String> {
        let r = stack.resource(id);
        let node = stack.node(id);
        let folder = folder_of(&stack.files[r.file].path);
        let mut named: Vec<&str> = Vec::new();
        match r.kind.as_str() {
            "secret" | "config" => named.extend(node.str_at("file")),
            "service" => {
                for v in node.items_at(&["volumes"]) {
                    match v.as_str() {
                        // A bare name is a named volume, not a path.
                        Some(short) => named.extend(
                            short
                                .split(':')
                                .next()
                                .filter(|p| p.starts_with("./") || *p == "."),
                        ),
                        None if v.str_at("type") == Some("bind") => {
                            named.extend(v.str_at("source"))
                        }
                        None => {}
                    }
                }
                if kept {
                    named.extend(node.str_at("build"));
                    named.extend(node.get("build").and_then(|b| b.str_at("context")));
                    named.extend(node.str_at("env_file"));
                    for f in node.items_at(&["env_file"]) {
                        named.extend(f.as_str().or_else(|| f.str_at("path")));
                    }
                }
            }
            _ => {}
        }
        // Paths in the project (a kept `.`, the whole project, is the
        // empty path: it keeps everything).
        named
            .into_iter()
            .filter(|p| !p.starts_with(['/', '~']) && !p.contains("://"))
            .filter(|p| !p.split('/').any(|part| part == ".."))
            .map(|p| {
                let p = p.trim_start_matches("./").trim_end_matches('/');
                join(folder, if p == "." { "" } else { p })
            })
            .filter(|p| kept || !p.is_empty())
            .collect()
    };
    let mut out: Vec<String> = dropped.keys().flat_map(|&id| sources(id, false)).collect();
    if out.is_empty() {
        return out;
    }
    // Only resources that mount or read something are looked at again.
    use rayon::prelude::*;
    let kept: std::collections::HashSet<String> = (0..stack.resources.len())
        .into_par_iter()
        .map(|i| ResourceId(i as u32))
        .filter(|&id| !dropped.contains_key(&id))
        .filter(|&id| {
            let node = stack.node(id);
            ["file", "volumes", "build", "env_file"]
                .iter()
                .any(|k| node.get(k).is_some())
        })
        .flat_map_iter(|id| sources(id, true))
        .collect();
    // A path stays when a kept resource uses it, something in it (a file
    // of a folder the dropped one mounted), or the folder it is in.
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
    };
    out.retain(|p| {
        !kept.contains(p)
            && !kept
                .iter()
                .any(|k| within(k, p) || within(p, k) || k.is_empty())
    });
    out.sort();
    out.dedup();
    out
}

/// Declares the top-level secrets `new` in a file, beside those it has.
fn declare_secrets(s: &mut Splices, text: &str, root: &Node, new: &BTreeMap<String, Json>) {
    let entries: Vec<(String, Json)> = new.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    match root.get("secrets").filter(|n| n.is_map()) {
        Some(map) => {
            let missing: Vec<(String, Json)> = entries
                .into_iter()
                .filter(|(k, _)| map.get(k).is_none())
                .collect();
            edit::insert_entries(s, text, map, &missing);
        }
        None => edit::insert_entry(
            s,
            text,
            root,
            "secrets",
            &Json::Object(entries.into_iter().collect()),
        ),
    }
}

/// One consumer's edits as splices.
fn service_edit(s: &mut Splices, text: &str, stack: &Stack, node: &Node, e: &ServiceEdit) {
    // `depends_on` and `links` entries that go; a key left empty goes whole.
    let mut keys_gone: Vec<usize> = Vec::new();
    for key in ["depends_on", "links"] {
        let Some(i) = node
            .entries()
            .iter()
            .position(|(k, _)| k.as_str() == Some(key))
        else {
            continue;
        };
        let list = &node.entries()[i].1;
        let spans: BTreeSet<Span> = e
            .unlink
            .iter()
            .map(|&ri| stack.reference(ri).site.span)
            .collect();
        let items: Vec<usize> = list
            .items()
            .iter()
            .enumerate()
            .filter(|(_, n)| spans.contains(&n.span()))
            .map(|(j, _)| j)
            .collect();
        let entries: Vec<usize> = list
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, (k, _))| spans.contains(&k.span()))
            .map(|(j, _)| j)
            .collect();
        let total = list.items().len() + list.entries().len();
        if items.len() + entries.len() == total && total > 0 {
            keys_gone.push(i);
        } else {
            edit::remove_items(s, text, list, &items);
            edit::remove_entries(s, text, list, &entries);
        }
    }
    edit::remove_entries(s, text, node, &keys_gone);
    // Variables: a variable the service has is given its new value; the
    // others are added.
    let vars = environment(node);
    let mut added: Vec<(String, String)> = Vec::new();
    for (name, value) in &e.env {
        match vars.iter().find(|v| v.name == name.as_str()) {
            Some(v) if v.listed.is_some() => {
                if let Some(list) = node.get("environment") {
                    edit::replace_item(s, text, list, v.node, &json!(format!("{name}={value}")));
                }
            }
            Some(_) => {
                if let Some(map) = node.get("environment")
                    && let Some((k, old)) = map.entry(name)
                {
                    edit::replace_value(s, text, map, k, old, &json!(value));
                }
            }
            None => added.push((name.clone(), value.clone())),
        }
    }
    let mut new_keys: Vec<(String, Json)> = Vec::new();
    add_to(s, text, node, "environment", &added, &mut new_keys);
    add_to(s, text, node, "labels", &e.labels, &mut new_keys);
    for (key, items) in [
        ("secrets", e.secrets.clone()),
        (
            "volumes",
            e.volumes.iter().map(|v| json!(v)).collect::<Vec<Json>>(),
        ),
    ] {
        if items.is_empty() {
            continue;
        }
        match node.get(key).filter(|n| n.is_seq()) {
            Some(seq) => edit::push_items(s, text, seq, &items),
            None => new_keys.push((key.into(), Json::Array(items))),
        }
    }
    edit::insert_entries(s, text, node, &new_keys);
}

/// Adds `entries` to the service's `key` (`environment`, `labels`) in the
/// form it is written in: `NAME: value` or `- NAME=value`; a service
/// without it gets the key, in `new_keys`.
fn add_to(
    s: &mut Splices,
    text: &str,
    node: &Node,
    key: &str,
    entries: &[(String, String)],
    new_keys: &mut Vec<(String, Json)>,
) {
    if entries.is_empty() {
        return;
    }
    match node.get(key) {
        Some(list) if list.is_seq() => {
            let items: Vec<Json> = entries
                .iter()
                .map(|(k, v)| json!(format!("{k}={v}")))
                .collect();
            edit::push_items(s, text, list, &items);
        }
        Some(map) if map.is_map() => {
            let pairs: Vec<(String, Json)> =
                entries.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            edit::insert_entries(s, text, map, &pairs);
        }
        // `environment:` with nothing after it: the mapping goes there.
        Some(_) => edit::set_entry(
            s,
            text,
            node,
            key,
            &Json::Object(entries.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        ),
        None => new_keys.push((
            key.into(),
            Json::Object(entries.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        )),
    }
}
