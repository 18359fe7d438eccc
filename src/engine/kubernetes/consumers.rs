//! The work of one file: the references written in it to what a provided
//! service's rules drop, rewritten; the credentials its workloads read,
//! rebound; and what its consumers receive (injections, sets, mounts,
//! annotations). It reads the file and the [`Scope`] only, so that an
//! incremental session keeps it while neither changes, and every file's is
//! worked out at once.

use super::{Locator, Rewrite, Scope, ServiceScope, WorkloadEdit};
use crate::bindings::{Bindings, Input, Provided, SecretRef};
use crate::catalogue::Format;
use crate::check::program::{ActionDef, ActionOp, Origin, Program, Target};
use crate::engine::connection::{
    connection_options, credentials, is_password_flag, merge_query, names_a_database, origin_role,
    password_flags, password_options, rebind_password_options, redact, reference_to,
    replace_option, runs_cli, setting_role,
};
use crate::engine::plan::{Change, ChangeKind, Location, Problem};
use crate::engine::{Bound, active_actions, binds, eval};
use crate::source::Sources;
use crate::stack::interpolate::{Defaulted, balanced, place};
use crate::stack::kubernetes::{ContainerRef, containers, pod_template, pod_template_path};
use crate::stack::yaml::Node;
use crate::stack::{FileView, NetForm, NetRef, RefKind, Reference, ResourceId};
use serde_json::{Value as Json, json};
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// What one file contributes to the plan and the output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilePlan {
    /// Its changes.
    pub(super) changes: Vec<Change>,
    /// Its problems.
    pub(super) problems: Vec<Problem>,
    /// Its scalars rewritten in place.
    pub(super) rewrites: Vec<Rewrite>,
    /// Its consumers' edits.
    pub(super) edits: BTreeMap<ResourceId, WorkloadEdit>,
    /// The references written in it (by their index in the file) that were
    /// rewritten or rebound, or reported as impossible to.
    pub(super) handled: Vec<usize>,
    /// Its consumers, by service.
    pub(super) consumers: BTreeMap<String, BTreeSet<ResourceId>>,
    /// IRSA annotations its consumers need on their ServiceAccount (which
    /// may be in another file): the account, key, value and service.
    pub(super) irsa: Vec<(ResourceId, String, String, String)>,
    /// Objects its consumers need, by `namespace/name`: the certificate
    /// ConfigMaps.
    pub(super) created: Vec<(String, Json)>,
}

/// Container `ci` of workload `w` in `view`, with the dotted path of the
/// workload's pod template (`spec.template`, empty for a Pod).
fn container_of(
    view: FileView<'_>,
    w: ResourceId,
    ci: usize,
) -> Option<(crate::stack::kubernetes::ContainerRef<'_>, &'static str)> {
    let from = view.get(w)?;
    let (template, dotted) = pod_template(&from.kind, view.node(from))?;
    let c = containers(template.get("spec")?).get(ci).copied()?;
    Some((c, dotted))
}

/// The scheme of the bound `url` (`rediss`), empty when it writes none.
pub(in crate::engine) fn bound_url_scheme<'b>(
    bound: &'b BTreeMap<String, Bound<'_>>,
) -> Option<&'b str> {
    bound
        .get("url")
        .map(|(u, ..)| u.split_once("://").map_or("", |(s, _)| s))
}

impl FilePlan {
    /// The edits to container `ci` of consumer `w`.
    fn container_edit(&mut self, w: ResourceId, ci: usize) -> &mut super::ContainerEdit {
        self.edits
            .entry(w)
            .or_default()
            .containers
            .entry(ci)
            .or_default()
    }
}

/// Works out what file `view` contributes: see the module's docs.
pub fn file_plan(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    scope: &Scope,
    view: FileView<'_>,
) -> FilePlan {
    let mut out = FilePlan::default();
    let mut loc = Locator::one(rules, view);
    let mut env_writes: HashMap<(ResourceId, usize, String), (String, String)> = HashMap::new();
    let mut created_names: HashSet<String> = HashSet::new();
    for s in &scope.services {
        let Some(provided) = bindings.services.get(&s.service) else {
            continue;
        };
        // Most files name nothing of any service: they cost one pass.
        if !view.references.iter().any(|r| s.concerns(r.to)) {
            continue;
        }
        let service = &s.service;
        let actions = active_actions(program, service, provided, Format::Kubernetes);
        let bound = binds(&actions, provided);
        let drop_action = actions.iter().find(|a| a.op == ActionOp::Drop).copied();
        let injected_env = injected_env_name(&actions, provided);
        let injected_ref = injected_env
            .as_deref()
            .map(|n| reference_to(n, Format::Kubernetes));
        let outside =
            |r: &Reference| !s.targets.contains_key(&r.from) && !s.matched.contains(&r.from);

        // Consumer sites: network and port references from outside.
        let mut consumers: BTreeMap<ResourceId, BTreeSet<usize>> = BTreeMap::new();
        let mut port_known: BTreeMap<ResourceId, bool> = BTreeMap::new();
        let mut command_lines: BTreeSet<(ResourceId, Option<String>)> = BTreeSet::new();
        let mut by_site: BTreeMap<crate::source::Span, Vec<(usize, &Reference)>> = BTreeMap::new();
        // The env entries of each consumer container whose value was
        // rewired: a URL built from them (`$(REDIS_HOST)`) follows.
        let mut rewired_env: BTreeMap<(ResourceId, usize), BTreeSet<usize>> = BTreeMap::new();
        for (ri, r) in view.references.iter().enumerate() {
            if s.targets.contains_key(&r.to)
                && outside(r)
                && matches!(r.kind, RefKind::Network(_) | RefKind::Port(..))
            {
                by_site.entry(r.site.span).or_default().push((ri, r));
            }
        }
        for refs in by_site.values_mut() {
            // In target order, as the stack's index gives them.
            refs.sort_by_key(|(ri, r)| (r.to, *ri));
            let first = refs[0].1;
            let Some(original) = first.site.value.as_deref() else {
                continue;
            };
            out.handled.extend(refs.iter().map(|(ri, _)| *ri));
            // A side port of a target (a metrics exporter's, Sentinel's) is
            // not the service's: the customer's offers none.
            let url_scheme = bound_url_scheme(&bound);
            let mut site: Vec<&Reference> = Vec::new();
            for &(_, r) in refs.iter() {
                let Some((port, name)) = side_port(s, r, original, url_scheme)
                    .or_else(|| side_port_beside(s, r, original, view))
                else {
                    site.push(r);
                    continue;
                };
                out.problems.push(
                    Problem::error(
                        "E0702",
                        format!(
                            "`{}` refers to port {port}{} of `{}` ({}), a side port of the dropped {service}, not the service itself: the customer's {service} offers no such port",
                            view.resource(r.from).address,
                            if name.is_empty() { String::new() } else { format!(" (`{name}`)") },
                            s.target_name(r.to),
                            r.site.path
                        ),
                    )
                    .at(loc.stack(view.index, r.site.span.start))
                    .rule(drop_action.and_then(|a| loc.rule(a.origin)))
                    .help("take the reference out of the origin stack (a metrics scrape of the dropped server, a Sentinel address), or point it at what the customer offers instead"),
                );
            }
            if site.is_empty() {
                continue;
            }
            // A Service an operator makes names the role of its attribute:
            // a client of a read-only Service gets the reader endpoint.
            let reader = operator_service_role(program, s, first, original)
                .filter(|role| role != "host")
                .and_then(|role| bound.get(&role).cloned())
                .map(|b| {
                    let mut b2 = bound.clone();
                    b2.insert("host".into(), b);
                    b2
                });
            // A probe's or hook's command gets no `$(VAR)` expanded: the
            // shell that runs it reads `${VAR}`; without one, nothing.
            let hook = crate::stack::kubernetes::in_exec_hook(&first.site.path);
            let shell = hook
                && site_container(view, first).is_some_and(|c| {
                    crate::stack::kubernetes::hook_runs_shell(c, &first.site.path)
                });
            // Nor in a ConfigMap's data, read as files or through `envFrom`.
            let config_map = view.resource(first.from).kind == "ConfigMap";
            let injected_here = match (hook, shell) {
                _ if config_map => None,
                (false, _) => injected_ref.clone(),
                (true, true) => injected_env
                    .as_deref()
                    .map(|n| reference_to(n, Format::Compose)),
                (true, false) => None,
            };
            let bound_here = reader.as_ref().unwrap_or(&bound);
            if (config_map || (hook && !shell))
                && injected_env.is_some()
                && let Ok(Some((t, ..))) =
                    rewrite_site(original, &site, bound_here, Some("\u{1}"), provided)
                && t.contains('\u{1}')
            {
                out.problems.push(
                    Problem::warning(format!(
                        "`{}` ({}) gives the password of the dropped `{service}` {}, where no variable is expanded: graft took it out, and what reads it cannot read the customer's",
                        view.resource(first.from).address,
                        first.site.path,
                        if config_map { "in a ConfigMap" } else { "on a command that runs without a shell" },
                    ))
                    .at(loc.stack(view.index, first.site.span.start))
                    .help(if config_map {
                        "have the program read the password from its environment (the rules' injected variable), or put the connection string in the workload's `env`, where `$(VAR)` is expanded"
                    } else {
                        "run the command through a shell (`sh -c \"... ${REDIS_PASSWORD} ...\"`), or let the client read the password from its environment"
                    }),
                );
            }
            let (text, inputs, origin) = match rewrite_site(
                original,
                &site,
                bound_here,
                injected_here.as_deref(),
                provided,
            ) {
                Ok(Some(done)) => done,
                Ok(None) => continue,
                Err(failed) => {
                    for (r, role) in failed {
                        let at = loc.stack(view.index, r.site.span.start);
                        out.problems.push(Problem::error("E0702", format!(
                                "`{}` refers to `{}` ({}), which is dropped, and no rule binds {role} to rewrite it",
                                view.resource(r.from).address,
                                s.target_name(r.to),
                                r.site.path
                            )).at(at).rule(drop_action.and_then(|a| loc.rule(a.origin))).help(format!("bind {role} in the rule for `{service}`, such as `bind host = c.hostname.host`")));
                    }
                    continue;
                }
            };
            // In a shell's single quotes, `${VAR}` is text: the quotes close
            // around it.
            let text = match injected_here.as_deref().filter(|_| shell) {
                Some(r) => unquote_references(&text, r),
                None => text,
            };
            let (brief_old, brief_new) = changed_lines(original, &text);
            let from = first.from;
            // The workload the site is in is a consumer; the readers of a
            // ConfigMap are found below, through the scope.
            if pod_template_path(&view.resource(from).kind).is_some() {
                let ci = first.site.container.as_ref().map_or(0, |c| c.0);
                consumers.entry(from).or_default().insert(ci);
                *port_known.entry(from).or_insert(false) |= carries_port(&site);
                if let Some(j) = env_index(&first.site.path) {
                    rewired_env.entry((from, ci)).or_default().insert(j);
                }
            }
            let at = loc.stack(view.index, first.site.span.start);
            out.changes.push(
                Change::new(
                    ChangeKind::Rewire,
                    service,
                    view.resource(from).address.clone(),
                    format!(
                        "named {} `{}`; now the customer's endpoint",
                        if s.is_service(first.to) {
                            "the Service"
                        } else if s.generated.contains_key(&first.to) {
                            "a Service the operator makes for"
                        } else {
                            "the workload"
                        },
                        s.target_name(first.to)
                    ),
                )
                .path(first.site.path.clone())
                .at(at.clone())
                .values(
                    Some(redact(&brief_old).into()),
                    Some(redact(&brief_new).into()),
                )
                .rule(origin.and_then(|o| loc.rule(o)))
                .inputs(inputs),
            );
            // Options beside an endpoint (not inside a URL, whose query is
            // kept with it) are the client's to read: say they stayed.
            let options = connection_options(original);
            let in_url = site
                .iter()
                .all(|r| matches!(&r.kind, RefKind::Network(n) if n.form == NetForm::Url));
            if !options.is_empty() && !in_url {
                out.problems.push(
                    Problem::warning(format!(
                        "`{}` ({}) passes connection options beside the endpoint ({}): graft rewrote the endpoint{}, but the options stay as they were",
                        view.resource(from).address,
                        first.site.path,
                        options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "),
                        if password_options(original).is_empty() { "" } else { " and the password" },
                    ))
                    .at(at.clone())
                    .help("check them against the customer's settings (TLS, database), which the rules hand over as environment variables the client may not read"),
                );
            }
            if first.site.path.contains("command[") || first.site.path.contains(".args[") {
                command_lines
                    .insert((from, first.site.container.as_ref().map(|c| c.1.to_string())));
                // The host alone on a command line whose words give no
                // port: the program connects on the port it assumes.
                let list = &first.site.path[..first.site.path.rfind('[').unwrap_or(0)];
                let ported = view.references.iter().any(|r| {
                    r.from == from
                        && s.concerns(r.to)
                        && r.site.path.starts_with(list)
                        && r.site.path[list.len()..].starts_with('[')
                        && carries_port(&[r])
                });
                if !ported
                    && let (Some((new_port, _, _)), Some(old)) = (bound.get("port"), &s.old_port)
                    && old != new_port
                {
                    out.problems.push(
                        Problem::warning(format!(
                            "`{}` ({}) is given the customer's host on a command line that names no port: it connects on the port it assumes (the old Service listened on {old}), and the customer's endpoint is on {new_port}",
                            view.resource(from).address,
                            first.site.path
                        ))
                        .at(at)
                        .help(format!("add the port to the command (`-p {new_port}` for redis-cli)")),
                    );
                }
            }
            out.rewrites.push(Rewrite {
                span: first.site.span,
                text,
                style: first.site.style,
            });
        }

        // Workloads that read a ConfigMap whose endpoint was rewritten.
        for r in view.references {
            let Some(&port) = s.via.get(&r.to) else {
                continue;
            };
            let reader = view.resource(r.from);
            if pod_template_path(&reader.kind).is_none() {
                continue;
            }
            let cis: Vec<usize> = match &r.site.container {
                Some((ci, _)) => vec![*ci],
                None => (0..container_count(view, r.from)).collect(),
            };
            consumers.entry(r.from).or_default().extend(cis);
            *port_known.entry(r.from).or_insert(false) |= port;
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
        for (workload, container) in command_lines {
            if settings.is_empty() {
                continue;
            }
            let container = container
                .map(|c| format!(" (container `{c}`)"))
                .unwrap_or_default();
            out.problems.push(
                Problem::warning(format!(
                    "`{}`{container} names the endpoint on its command line: graft rewrote the host and port there, but the program may not read {} from its environment",
                    view.resource(workload).address,
                    settings.join(", ")
                ))
                .at(loc.resource(workload))
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
        for (ri, r) in view.references.iter().enumerate() {
            let Some((secret_name, keys)) = s.secrets.get(&r.to) else {
                continue;
            };
            if s.matched.contains(&r.from) {
                continue;
            }
            let from = view.resource(r.from);
            // The Secret as the consumer names it: an operator's cluster
            // makes several (`NAME-app`, `NAME-superuser`), all of them
            // indexed under the cluster, whose one name `secret_name` is.
            let written = at_path(view.node(from), &r.site.path)
                .and_then(|n| n.str_at("name"))
                .unwrap_or(secret_name.as_str())
                .to_string();
            if matches!(r.kind, RefKind::EnvFrom | RefKind::Volume) {
                // The whole Secret: it stays, and so do the vendor's values.
                out.problems.push(
                    Problem::warning(format!(
                        "`{}` reads all of the Secret `{written}` ({}), which the dropped `{service}` used: the Secret is kept, and what it holds is the vendor's credential, not the customer's",
                        from.address,
                        r.site.path
                    ))
                    .at(loc.stack(view.index, r.site.span.start))
                    .help("read the credential with `valueFrom.secretKeyRef` under the variable the rules inject, so that graft can rebind it"),
                );
                continue;
            }
            let RefKind::SecretKey(key) = &r.kind else {
                continue;
            };
            let Some((ci, _)) = &r.site.container else {
                continue;
            };
            // Another key of the same Secret is not the credential: the
            // Secret then stays, and this reference with it. But a key of a
            // Secret an operator made for the dropped resource holds one of
            // its values (`host`, `dbname`, `uri`): the rules' value takes
            // its place.
            if keys.as_ref().is_some_and(|k| !k.contains(key.as_str())) {
                // Of a Secret whose keys are not the application's (the
                // superuser's), only the password is known: the rest stays,
                // and dangles.
                let entry = view
                    .file
                    .text
                    .get(r.site.span.start..r.site.span.end)
                    .unwrap_or("");
                let made = s
                    .generated
                    .get(&r.to)
                    .and_then(|&i| crate::catalogue::GENERATED.get(i))
                    .filter(|g| {
                        let name = s.target_name(r.to);
                        !g.secrets.iter().any(|(suffix, keys)| {
                            !keys && entry.contains(&format!("{name}{suffix}"))
                        })
                    });
                let Some((value, inputs, origin)) = made.and_then(|g| {
                    generated_key(program, service, g, key, &bound, injected_ref.as_deref())
                }) else {
                    continue;
                };
                let Some(env_index) = env_index(&r.site.path) else {
                    continue;
                };
                let var = r.site.env.clone().unwrap_or_default();
                let why = format!(
                    "`{var}` read `{key}` of `{written}`, a credential of the dropped `{service}`; now the customer's"
                );
                let change = Change::new(ChangeKind::Rewire, service, from.address.clone(), why)
                    .at(loc.stack(view.index, r.site.span.start))
                    .rule(loc.rule(origin))
                    .inputs(inputs);
                key_as_value(
                    &mut out,
                    r,
                    (*ci, env_index),
                    (&written, key),
                    value,
                    change,
                );
                out.handled.push(ri);
                consumers.entry(r.from).or_default().insert(*ci);
                continue;
            }
            // A key that holds a setting of the dropped service beside its
            // password (`POSTGRES_USER`, `POSTGRES_DB`, `REDIS_HOST`) is not
            // the credential: the customer's value of that setting takes
            // its place, never the password.
            if let Some(role) = setting_role(key) {
                let Some(env_index) = env_index(&r.site.path) else {
                    continue;
                };
                let var = r.site.env.clone().unwrap_or_default();
                let at = loc.stack(view.index, r.site.span.start);
                out.handled.push(ri);
                let Some((value, inputs, action)) = bound.get(role) else {
                    out.problems.push(
                        Problem::error(
                            "E0702",
                            format!(
                                "`{var}` of `{}` reads `{key}` of `{written}`, which the dropped `{service}` used: a setting, not the credential, and no rule binds `{role}` to give the customer's",
                                from.address
                            ),
                        )
                        .at(at)
                        .rule(drop_action.and_then(|a| loc.rule(a.origin)))
                        .help(format!(
                            "bind `{role}` in the rule that drops `{service}`, or give `{var}` its value where the customer keeps it"
                        )),
                    );
                    continue;
                };
                let value = if role == "url" {
                    with_password(value, injected_ref.as_deref(), provided)
                } else {
                    value.clone()
                };
                let why = format!(
                    "`{var}` read `{key}` of `{written}`, the {role} of the dropped `{service}`; now the customer's"
                );
                let change = Change::new(ChangeKind::Rewire, service, from.address.clone(), why)
                    .at(at)
                    .rule(loc.rule(action.origin))
                    .inputs(inputs.clone());
                key_as_value(
                    &mut out,
                    r,
                    (*ci, env_index),
                    (&written, key),
                    value,
                    change,
                );
                consumers.entry(r.from).or_default().insert(*ci);
                continue;
            }
            let var = r.site.env.clone().unwrap_or_default();
            let edit = out
                .edits
                .entry(r.from)
                .or_default()
                .containers
                .entry(*ci)
                .or_default();
            let Some(env_index) = env_index(&r.site.path) else {
                continue;
            };
            let at = loc.stack(view.index, r.site.span.start);
            let same_name = injected_env.as_deref() == Some(var.as_str());
            let old = format!("secretKeyRef {written}/{key}");
            match &secret_inject {
                Some((secret, _, _)) if secret.store == "kubernetes" && same_name => {
                    // The injection below replaces this entry.
                }
                Some((secret, action, field)) if secret.store == "kubernetes" => {
                    edit.replace.insert(env_index, secret_env(&var, secret));
                    out.changes.push(Change::new(ChangeKind::Rewire, service, from.address.clone(), format!("`{var}` read the credential of the dropped `{written}`; now the customer's secret")).path(r.site.path.clone()).at(at).values(Some(old.into()), Some(format_smolstr!("secretKeyRef {}", secret.describe()))).rule(loc.rule(action.origin)).inputs(vec![format_smolstr!("{service}.{field}")]));
                }
                Some((secret, action, _)) if !iam => {
                    out.problems.push(Problem::error("E0702", format!(
                            "`{var}` of `{}` reads the password of the dropped `{written}`, and a Kubernetes pod cannot reference a secret kept in `{}`",
                            from.address,
                            secret.store
                        )).at(at).rule(loc.rule(action.origin)).help("give the secret as `store: kubernetes` (sync it into the cluster with the External Secrets Operator or the Secrets Store CSI driver)"));
                    continue;
                }
                _ => {
                    out.changes.push(
                        Change::new(
                            ChangeKind::Remove,
                            service,
                            from.address.clone(),
                            format!(
                                "`{var}` read the password of the dropped `{written}`; {}",
                                if iam {
                                    "the customer's endpoint authenticates with an IAM role instead"
                                } else {
                                    "the rules hand over no password"
                                }
                            ),
                        )
                        .path(r.site.path.clone())
                        .at(at)
                        .values(Some(old.into()), None)
                        .rule(drop_action.and_then(|a| loc.rule(a.origin))),
                    );
                    edit.remove.insert(env_index);
                }
            }
            out.handled.push(ri);
            consumers.entry(r.from).or_default().insert(*ci);
        }
        consumers.retain(|id, _| !s.matched.contains(id));
        let secret = secret_inject
            .as_ref()
            .filter(|(secret, _, _)| secret.store == "kubernetes");
        repeated_settings(
            &mut out,
            view,
            s,
            &consumers,
            (&actions, &bound, secret),
            &mut loc,
        );
        command_passwords(
            &mut out,
            view,
            s,
            &consumers,
            (injected_env.as_deref(), secret_inject.as_ref()),
            &mut loc,
        );
        url_templates(
            &mut out,
            view,
            s,
            &rewired_env,
            (&bound, injected_ref.as_deref(), provided),
            &mut loc,
        );

        // A consumer that was given the host alone connects on a port it
        // assumes: say so when the customer's differs from the old one.
        if let (Some((new_port, _, _)), Some(old)) = (bound.get("port"), &s.old_port)
            && old != new_port
        {
            for (&c, &known) in &port_known {
                if known || s.matched.contains(&c) {
                    continue;
                }
                out.problems.push(
                    Problem::warning(format!(
                        "`{}` is given the customer's host but no port: it connects on the port it assumes (the old Service listened on {old}), and the customer's endpoint is on {new_port}",
                        view.resource(c).address
                    ))
                    .at(loc.resource(c))
                    .help("give it the port where it reads one (an environment variable, its configuration), or ask the customer for an endpoint on the old port"),
                );
            }
        }
        if !consumers.is_empty() {
            out.consumers
                .entry(service.clone())
                .or_default()
                .extend(consumers.keys().copied());
        }

        // What each action gives: the same for every consumer, so worked
        // out once (the value set or annotated, the inputs it read, where
        // the action is written).
        let given: Vec<Given> = actions
            .iter()
            .map(|action| {
                let value = match &action.op {
                    ActionOp::SetEnv { value, .. } => eval(value, provided),
                    ActionOp::Annotate { value, .. } => {
                        super::super::annotation(value, provided, secret_annotation)
                    }
                    _ => None,
                };
                (
                    value.map(|(text, used)| (text, used.into())),
                    loc.rule(action.origin),
                )
            })
            .collect();
        // What the consumers receive.
        for (&consumer, cis) in &consumers {
            let namespace = view.resource(consumer).namespace.clone();
            // Where the consumer is, and which of its containers change: the
            // same for every change to it.
            let here = loc.resource(consumer);
            let on = container_names(view, consumer, cis);
            let address = view.resource(consumer).address.clone();
            // A change to this consumer, placed where it is.
            let change = |kind, why: SmolStr| {
                Change::new(kind, service, address.clone(), why).at(here.clone())
            };
            for (action, (value, rule)) in actions.iter().zip(&given) {
                let rule = rule.clone();
                // One variable of one container of this consumer, by this action.
                macro_rules! add_env {
                    ($ci:expr, $name:expr, $shown:expr, $entry:expr) => {
                        add_env(
                            &mut out.edits,
                            &mut env_writes,
                            &mut out.problems,
                            &mut loc,
                            view,
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
                    ActionOp::SetEnv { name, .. } => {
                        let Some((text, used)) = value else {
                            continue;
                        };
                        for &ci in cis {
                            add_env!(ci, name, &text, json!({"name": name, "value": text}));
                        }
                        out.changes.push(
                            change(ChangeKind::Set, format_smolstr!("set on {}", on))
                                .path(format_smolstr!("env {name}"))
                                .values(None, Some(text.into()))
                                .rule(rule)
                                .inputs(used.clone()),
                        );
                    }
                    ActionOp::Inject { input, target } => {
                        let field = format!("{service}.{}", input.field);
                        match (provided.input(input), target) {
                            (Some(Input::Secret(secret)), Target::Env(name)) => {
                                let unusable = outside_store(secret, "reference")
                                    .or_else(|| other_namespace(secret, &namespace, &address));
                                if let Some(problem) = unusable {
                                    out.problems.push(problem.at(here.clone()).rule(rule));
                                    continue;
                                }
                                for &ci in cis {
                                    let desc = secret.describe();
                                    add_env!(ci, name, &desc, secret_env(name, secret));
                                }
                                out.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        format_smolstr!("the credential, by reference, on {}", on),
                                    )
                                    .path(format_smolstr!("env {name}"))
                                    .values(
                                        None,
                                        Some(format_smolstr!("secretKeyRef {}", secret.describe())),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field.into()]),
                                );
                            }
                            (Some(Input::Secret(secret)), Target::File(path)) => {
                                let unusable = other_namespace(secret, &namespace, &address)
                                    .or_else(|| outside_store(secret, "mount"));
                                if let Some(problem) = unusable {
                                    out.problems.push(problem.at(here.clone()).rule(rule));
                                    continue;
                                }
                                let (dir, file) = split_path(path);
                                let vol =
                                    format!("graft-{service}-{}", input.field).replace('_', "-");
                                let e = out.edits.entry(consumer).or_default();
                                e.volumes.push(json!({"name": vol, "secret": {"secretName": secret.get("name"), "items": [{"key": secret.get("key"), "path": file}]}}));
                                for &ci in cis {
                                    e.containers.entry(ci).or_default().mounts.push(
                                        json!({"name": vol, "mountPath": dir, "readOnly": true}),
                                    );
                                }
                                out.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        "the credential as a file, by reference".into(),
                                    )
                                    .path(path.clone())
                                    .values(
                                        None,
                                        Some(format_smolstr!(
                                            "secret volume {}",
                                            secret.describe()
                                        )),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field.into()]),
                                );
                            }
                            (Some(Input::IamRole { kind, id, user }), target) => {
                                if let Target::Env(name) = target {
                                    for &ci in cis {
                                        add_env!(ci, name, id, json!({"name": name, "value": id}));
                                    }
                                }
                                // Azure workload identity acts on pods that
                                // carry its label.
                                if *kind == crate::bindings::Identity::AzureManagedIdentity {
                                    out.edits.entry(consumer).or_default().pod_labels.push((
                                        "azure.workload.identity/use".into(),
                                        "true".into(),
                                    ));
                                }
                                let annotation = kind.service_account_annotation();
                                let sa = service_account(view, consumer);
                                // Azure workload identity takes the client id,
                                // not the resource id.
                                let by_resource_id = *kind
                                    == crate::bindings::Identity::AzureManagedIdentity
                                    && !crate::bindings::read::is_guid(id);
                                match sa {
                                    Some(_) if by_resource_id => out.problems.push(Problem::warning(format!("`{}` needs the managed identity's client id on its ServiceAccount (`{annotation}`), and the bindings give its resource id", address)).at(here.clone()).rule(rule.clone()).help("give the managed identity by its client id (a GUID) in the bindings")),
                                    Some(sa) => {
                                        out.irsa.push((sa, annotation.into(), id.clone(), service.clone()));
                                    }
                                    None => out.problems.push(Problem::warning(format!("`{}` runs as a ServiceAccount that is not in the stack, so graft cannot give it the {}", address, kind.noun())).at(here.clone()).rule(rule.clone()).help(format!("annotate its ServiceAccount with `{annotation}: {id}`"))),
                                }
                                out.changes.push(
                                    change(
                                        ChangeKind::Inject,
                                        crate::engine::identity_needs(*kind, "pods").into(),
                                    )
                                    .maybe_path(match target {
                                        Target::Env(n) => Some(format!("env {n}")),
                                        Target::File(p) => Some(p.clone()),
                                    })
                                    .values(
                                        None,
                                        Some(crate::engine::iam_role_text(
                                            *kind,
                                            id,
                                            user.as_deref(),
                                        )),
                                    )
                                    .rule(rule)
                                    .inputs(vec![field.into()]),
                                );
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
                        if created_names.insert(cm_key.clone()) {
                            out.created.push((
                                cm_key,
                                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": cm, "namespace": namespace, "labels": {"app.kubernetes.io/managed-by": "graft"}}, "data": {key: pem}}),
                            ));
                            out.changes.push(Change::new(ChangeKind::Create, service, format!("v1/ConfigMap/{namespace}/{cm}"), format!("holds the certificate `{}` (public) for the consumers to mount", input.field)).rule(rule.clone()).inputs(vec![format_smolstr!("{service}.{}", input.field)]));
                        }
                        let e = out.edits.entry(consumer).or_default();
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
                        out.changes.push(
                            change(
                                ChangeKind::Mount,
                                match target {
                                    Target::Env(n) => format_smolstr!("`{n}` holds its path"),
                                    Target::File(_) => "mounted at this path".into(),
                                },
                            )
                            .path(env_value.clone())
                            .values(None, Some(format_smolstr!("ConfigMap {cm}")))
                            .rule(rule)
                            .inputs(vec![format_smolstr!("{service}.{}", input.field)]),
                        );
                    }
                    ActionOp::Annotate { key, .. } => {
                        let Some((text, used)) = value else { continue };
                        out.edits
                            .entry(consumer)
                            .or_default()
                            .annotations
                            .push((key.clone(), text.clone()));
                        out.changes.push(
                            change(ChangeKind::Annotate, "on the workload".into())
                                .path(format!("metadata.annotations.{key}"))
                                .values(None, Some(text.into()))
                                .rule(rule)
                                .inputs(used.clone()),
                        );
                    }
                }
            }
        }
    }
    out
}

/// What one action gives every consumer: the value it sets or annotates
/// with the inputs it read, and where the action is written.
type Given = (Option<(String, Arc<[SmolStr]>)>, Option<Location>);

/// A site's new text (a password in it bound to `injected`, the reference
/// to the injected variable), the inputs it read and the rule that bound it; `None`
/// when nothing changes; `Err` with each reference that no rule binds a role
/// for, and that role.
#[allow(clippy::type_complexity)]
pub(in crate::engine) fn rewrite_site<'r>(
    original: &str,
    refs: &[&'r Reference],
    bound: &BTreeMap<String, Bound<'_>>,
    injected: Option<&str>,
    provided: &Provided,
) -> Result<Option<(String, Vec<SmolStr>, Option<Origin>)>, Vec<(&'r Reference, String)>> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut failed = Vec::new();
    // The further hosts of a URL that lists several
    // (`redis://redis-0.h:6379,redis-1.h:6379/0`): the customer's URL,
    // which replaces the first, stands for them all.
    let listed = listed_hosts(original, refs, bound);
    for (i, &r) in refs.iter().enumerate() {
        if let Some(&(start, end)) = listed.get(&i) {
            if let Some((_, used, a)) = bound.get("url") {
                pieces.push((start, end, String::new(), used.clone(), a.origin));
            }
            continue;
        }
        let result = match &r.kind {
            RefKind::Network(net) if net.split => {
                match rewrite_split(original, net, bound, injected, provided) {
                    Ok(placed) => pieces.extend(placed),
                    Err(role) => failed.push((r, role)),
                }
                continue;
            }
            RefKind::Network(net)
                if !net.split && opaque_after_host(original, net.host.1, net.end) =>
            {
                match host_only(original, net.start, net.host, bound, injected, provided) {
                    Ok(placed) => pieces.extend(placed),
                    Err(role) => failed.push((r, role)),
                }
                continue;
            }
            RefKind::Network(net) => rewrite_network(original, net, bound, injected, provided),
            RefKind::Port(start, end) => bound
                .get("port")
                .map(|(p, used, a)| (*start, *end, p.clone(), used.clone(), a.origin))
                .ok_or_else(|| "`port`".to_string()),
            _ => continue,
        };
        match result {
            Ok(piece) => pieces.push(piece),
            Err(role) => failed.push((r, role)),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
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
    // A password written as a connection-string option goes the way of a
    // URL's: a reference to the injected variable, or nothing.
    let text = rebind_password_options(&text, injected);
    // And so does one on a command line (`redis-cli -a VALUE`).
    let text = password_flags(&text, injected);
    inputs.sort();
    inputs.dedup();
    if pieces.is_empty() || text == original {
        return Ok(None);
    }
    Ok(Some((text, inputs, origin)))
}

/// The hosts after the first of a URL that lists several, each with the
/// text it takes (from the comma before it to its end, and the URL's path
/// and options after the last), when the bound `url` replaces the URL:
/// keyed by their index in `refs`.
fn listed_hosts(
    original: &str,
    refs: &[&Reference],
    bound: &BTreeMap<String, Bound<'_>>,
) -> HashMap<usize, (usize, usize)> {
    let mut out = HashMap::new();
    let Some(scheme) = bound_url_scheme(bound).filter(|s| !s.is_empty()) else {
        return out;
    };
    let mut nets: Vec<(usize, &NetRef)> = refs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.kind {
            RefKind::Network(n) => Some((i, n)),
            _ => None,
        })
        .collect();
    nets.sort_by_key(|(_, n)| n.start);
    let mut list_end: Option<usize> = None;
    for (i, n) in nets {
        match list_end {
            Some(end) if n.form != NetForm::Url && original.get(end..n.start) == Some(",") => {
                let rest = &original[n.end..];
                let tail = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';'))
                    .unwrap_or(rest.len());
                out.insert(i, (end, n.end + tail));
                list_end = Some(n.end);
            }
            _ => {
                let url = original.get(n.start..n.end).unwrap_or("");
                list_end = (n.form == NetForm::Url
                    && url
                        .split_once("://")
                        .is_some_and(|(s, _)| same_family(s, scheme)))
                .then_some(n.end);
            }
        }
    }
    out
}

/// A network form spelled across interpolations' defaults
/// ([`NetRef::split`]) rewritten in what the defaults spell, and the new
/// text placed part by part where each part is written, so that the
/// deployer's variables stay; where a part that changes is spelled across
/// them, the form is replaced whole.
fn rewrite_split(
    original: &str,
    net: &NetRef,
    bound: &BTreeMap<String, Bound<'_>>,
    injected: Option<&str>,
    provided: &Provided,
) -> Result<Vec<Piece>, String> {
    let Some((view, vnet)) = in_view(original, net) else {
        let whole = NetRef {
            split: false,
            ..net.clone()
        };
        return rewrite_network(original, &whole, bound, injected, provided).map(|p| vec![p]);
    };
    if opaque_after_host(&view.text, vnet.host.1, vnet.end) {
        // Worked out in the view, each piece placed back where it is
        // written (a scheme spelled across interpolations is left).
        return Ok(
            host_only(&view.text, vnet.start, vnet.host, bound, injected, provided)?
                .into_iter()
                .filter_map(|(s, e, t, u, o)| {
                    let (s, e, t) = view.replace(original, (s, e), &t)?;
                    Some((s, e, t, u, o))
                })
                .collect(),
        );
    }
    let (_, _, new, used, origin) = rewrite_network(&view.text, &vnet, bound, injected, provided)?;
    let piece = |(s, e, t): (usize, usize, String)| (s, e, t, used.clone(), origin);
    match place(&view, original, net.form, (vnet.start, vnet.end), &new) {
        Some(edits) if !edits.is_empty() => Ok(edits.into_iter().map(piece).collect()),
        Some(_) => Ok(Vec::new()),
        None if balanced(original, net.start, net.end) => {
            Ok(vec![piece((net.start, net.end, new.clone()))])
        }
        // Begun in one default and ended past it: the whole value as its
        // defaults spell it, the deployer's variables lost.
        None => {
            let mut text = view.text.clone();
            text.replace_range(vnet.start..vnet.end, &new);
            Ok(vec![piece((0, original.len(), text))])
        }
    }
}

/// The text of `original` with its defaults read ([`Defaulted`]), and the
/// network form `net` in it; `None` when `original` has no default or the
/// form is not written in it.
fn in_view(original: &str, net: &NetRef) -> Option<(Defaulted, NetRef)> {
    let view = Defaulted::of(original)?;
    let at = |o| view.view_at(o);
    let vnet = NetRef {
        start: at(net.start)?,
        end: at(net.end)?,
        host: (at(net.host.0)?, at(net.host.1)?),
        split: false,
        form: net.form,
    };
    Some((view, vnet))
}

/// What follows the host of the network form `net` in `original`, where it
/// holds an interpolation the deployer gives (`redis${REDIS_PATH}`,
/// `:${REDIS_PORT:?set the port}`): only the host is rewritten there, and
/// the deployer's value must name the customer's port and database.
/// Gives those interpolations, whole, as written.
pub(in crate::engine) fn given_after_host<'t>(original: &'t str, net: &NetRef) -> Vec<&'t str> {
    let opaque = match in_view(original, net) {
        Some((view, vnet)) if net.split => opaque_after_host(&view.text, vnet.host.1, vnet.end),
        _ => opaque_after_host(original, net.host.1, net.end),
    };
    let mut out = Vec::new();
    let mut at = net.host.1;
    // Up to the query: an option's value (`?auth=${PW:+pw}`) is no part of
    // the endpoint.
    let end = net
        .end
        .min(net.host.1 + query_start(original.get(net.host.1..net.end).unwrap_or("")));
    while opaque && let Some(k) = original.get(at..end).and_then(|t| t.find("${")) {
        let open = at + k;
        let Some(close) = original[open + 2..].find('}').map(|c| open + 2 + c) else {
            break;
        };
        // `$${` writes `${`: no interpolation.
        if !original[..open].ends_with('$') {
            // A default may hold braces: the interpolation ends at the
            // brace that closes it.
            let end = crate::stack::interpolate::closing_brace(original.as_bytes(), open + 2)
                .unwrap_or(close);
            out.push(&original[open..=end]);
            at = end + 1;
        } else {
            at = open + 2;
        }
    }
    out
}

/// Where the query or fragment of `text` (what follows a URL's host)
/// starts, outside interpolations; its length without one.
fn query_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                match crate::stack::interpolate::closing_brace(bytes, i + 2) {
                    Some(close) => i = close,
                    None => return bytes.len(),
                }
            }
            b'?' | b'#' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Whether what follows a form's host (`text[host_end..end]`) holds an
/// interpolation graft cannot read (`:${REDIS_PORT:?set the port}`,
/// `/${DB}`): the deployer gives that part, so only the host is rewritten,
/// and the interpolation's `?` or `/` is never taken for the URL's.
fn opaque_after_host(text: &str, host_end: usize, end: usize) -> bool {
    let Some(t) = text.get(host_end..end) else {
        return false;
    };
    let bytes = t.as_bytes();
    let (mut depth, mut query) = (0usize, false);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // `$$` writes a `$`: no interpolation.
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                if depth == 0 {
                    let inner = &t[i + 2..];
                    let name = inner
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count();
                    let op = &inner[name..];
                    // A required or alternative value's message or text, or
                    // a variable that is the port or the path.
                    if [":?", "?", ":+", "+"].iter().any(|o| op.starts_with(o))
                        || (op.starts_with('}') && !query)
                    {
                        return true;
                    }
                }
                depth += 1;
                i += 1;
            }
            b'{' if depth > 0 => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'?' if depth == 0 => query = true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// The bound host in place of the host at `host` of the form `text[start..]`,
/// and the scheme of a URL the customer's where it is written out before
/// it (`redis://` turning `rediss://`, Predis' `tcp://` turning `tls://`).
fn host_only(
    text: &str,
    start: usize,
    host: (usize, usize),
    bound: &BTreeMap<String, Bound<'_>>,
    injected: Option<&str>,
    provided: &Provided,
) -> Result<Vec<Piece>, String> {
    let (h, used, a) = bound.get("host").ok_or("`host`")?;
    let mut out = vec![(host.0, host.1, bracket(h), used.clone(), a.origin)];
    // The scheme and the user information, where written before the host.
    let authority = text.get(start..host.0).and_then(|t| t.split_once("://"));
    // The vendor's password in the user information goes the way of a
    // whole URL's: a reference to the injected variable, or nothing.
    if let Some((scheme, info)) = authority
        && !info.is_empty()
    {
        let new = credentials(info, None, injected, provided);
        if new != info {
            let at = start + scheme.len() + 3;
            out.push((at, host.0, new, used.clone(), a.origin));
        }
    }
    // A port written out after the host (`redis://${H:-redis}:6379${SUFFIX}`)
    // is the customer's too.
    let port = text.get(host.1..).and_then(|t| t.strip_prefix(':'));
    let digits = port.map_or(0, |p| p.bytes().take_while(u8::is_ascii_digit).count());
    if digits > 0
        && let Some((p, used, a)) = bound.get("port")
    {
        out.push((
            host.1 + 1,
            host.1 + 1 + digits,
            p.clone(),
            used.clone(),
            a.origin,
        ));
    }
    let scheme = authority
        .map(|(s, _)| s)
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+'));
    if let (Some(old), Some(bound_scheme)) = (scheme, bound_url_scheme(bound)) {
        let new = match predis_scheme(old, bound_scheme) {
            Some(p) => Some(p.to_string()),
            None => scheme_in_family(old, bound_scheme),
        };
        if let Some(new) = new.filter(|n| n != old)
            && let Some((_, u, a)) = bound.get("url")
        {
            out.push((start, start + old.len(), new, u.clone(), a.origin));
        }
    }
    Ok(out)
}

/// Whether a site hands its consumer a port along with the host.
pub(in crate::engine) fn carries_port(refs: &[&Reference]) -> bool {
    refs.iter().any(|r| match &r.kind {
        RefKind::Port(..) => true,
        RefKind::Network(n) => n.form == NetForm::HostPort || n.form == NetForm::Url,
        _ => false,
    })
}

/// The environment variable a service's active rules inject its secret as.
pub(in crate::engine) fn injected_env_name(
    actions: &[&ActionDef],
    provided: &Provided,
) -> Option<String> {
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
    problems: &mut Vec<Problem>,
    loc: &mut Locator<'_>,
    view: FileView<'_>,
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
                view.resource(consumer).address
            );
            problems.push(
                Problem::error("E0401", message)
                    .at(loc.resource(consumer))
                    .rule(loc.rule(action.origin))
                    .help("give the variables different names in the two rule files"),
            );
        }
    }
}

/// The error for a secret a pod cannot `verb` (reference, mount) because
/// it is not kept in Kubernetes.
/// The role that names the Service an operator makes which the network
/// reference `r` names (`catalog-db-ro` for the role whose source is
/// `service.ro`), if it names one.
fn operator_service_role(
    program: &Program,
    s: &super::ServiceScope,
    r: &Reference,
    original: &str,
) -> Option<String> {
    let RefKind::Network(net) = &r.kind else {
        return None;
    };
    let g = crate::catalogue::GENERATED.get(*s.generated.get(&r.to)?)?;
    let host = original.get(net.host.0..net.host.1)?;
    let first = host.split('.').next()?;
    let name = s.target_name(r.to);
    let (_, attr) = g
        .services
        .iter()
        .find(|(suffix, _)| first.eq_ignore_ascii_case(&format!("{name}{suffix}")))?;
    role_of_attribute(program, &s.service, attr)
}

/// The role of `service`'s Kubernetes arms whose source is `attr`.
fn role_of_attribute(program: &Program, service: &str, attr: &str) -> Option<String> {
    program
        .matchers
        .iter()
        .filter(|m| m.service == service)
        .flat_map(|m| &m.arms)
        .filter(|a| a.format == Format::Kubernetes)
        .find_map(|a| a.role_reading(attr))
        .map(str::to_string)
}

/// The new value of `key` of a Secret an operator makes (`g`): the value
/// the rules bind to the role whose source is the attribute that key holds
/// (in JDBC form where the key holds a JDBC URL), with the inputs it read
/// and the action. `None` for a key it does not describe, or a role no rule
/// binds.
fn generated_key(
    program: &Program,
    service: &str,
    g: &crate::catalogue::Generated,
    key: &str,
    bound: &BTreeMap<String, crate::engine::Bound<'_>>,
    password: Option<&str>,
) -> Option<(String, Vec<SmolStr>, Origin)> {
    let &(_, attr, jdbc) = g.keys.iter().find(|(k, _, _)| *k == key)?;
    let role = role_of_attribute(program, service, attr)?;
    let (value, used, action) = bound.get(&role)?;
    let value = if jdbc {
        jdbc_url(value, password)
    } else {
        value.clone()
    };
    Some((value, used.clone(), action.origin))
}

/// A consumer's `secretKeyRef` entry (`at`: its container and index in
/// `env`) to `key` of the Secret `written`, replaced by `value`; `change`
/// says so in the plan, the value masked.
fn key_as_value(
    out: &mut FilePlan,
    r: &Reference,
    (container, index): (usize, usize),
    (written, key): (&str, &str),
    value: String,
    change: Change,
) {
    let var = r.site.env.clone().unwrap_or_default();
    out.changes.push(change.path(r.site.path.clone()).values(
        Some(format_smolstr!("secretKeyRef {written}/{key}")),
        Some(redact(&value).into()),
    ));
    out.edits
        .entry(r.from)
        .or_default()
        .containers
        .entry(container)
        .or_default()
        .replace
        .insert(index, json!({"name": var, "value": value}));
}

/// The injection of the customer's secret as an environment variable: the
/// secret, the action and the input's field.
type SecretInjection<'a> = (SecretRef, &'a ActionDef, String);

/// A workload of the file, with the path of its pod template
/// (`spec.template`, empty for a Pod) and its pod's containers (see
/// [`containers`]).
fn pod_containers<'v>(
    view: FileView<'v>,
    workload: ResourceId,
) -> Option<(
    &'v crate::stack::Resource,
    &'static str,
    Vec<ContainerRef<'v>>,
)> {
    let from = view.get(workload)?;
    let (template, dotted) = pod_template(&from.kind, view.node(from))?;
    Some((from, dotted, containers(template.get("spec")?)))
}

/// The container a site is in, when it is in one.
fn site_container<'v>(view: FileView<'v>, r: &Reference) -> Option<&'v Node> {
    let (ci, _) = r.site.container.as_ref()?;
    Some(pod_containers(view, r.from)?.2.get(*ci)?.node)
}

/// A shell script with each `reference` (`${VAR}`) written inside single
/// quotes, where the shell would not expand it, taken out of them
/// (`'a${VAR}b'` becomes `'a'"${VAR}"'b'`).
fn unquote_references(script: &str, reference: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let (mut single, mut double) = (false, false);
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if single && rest.starts_with(reference) {
            out.push_str(&format!("'\"{reference}\"'"));
            rest = &rest[reference.len()..];
            continue;
        }
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '\\' if !single => {
                // An escaped character is itself.
                out.push(c);
                rest = &rest[1..];
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The containers of the consumers that the rules act on (`consumers`:
/// each workload's container indexes), with the workload, its resource,
/// the path of its pod template (`spec.template`, empty for a Pod) and the
/// container's index among the pod's (see [`containers`]).
fn consumer_containers<'v>(
    view: FileView<'v>,
    consumers: &'v BTreeMap<ResourceId, BTreeSet<usize>>,
) -> impl Iterator<
    Item = (
        ResourceId,
        &'v crate::stack::Resource,
        &'static str,
        usize,
        ContainerRef<'v>,
    ),
> + 'v {
    consumers.iter().flat_map(move |(&w, cis)| {
        let picked: Vec<_> = pod_containers(view, w)
            .map(|(from, dotted, cs)| {
                cis.iter()
                    .filter_map(|&ci| Some((w, from, dotted, ci, *cs.get(ci)?)))
                    .collect()
            })
            .unwrap_or_default();
        picked
    })
}

/// A consumer's variables that repeat, as a literal, the user, database or
/// password the dropped workloads were configured with
/// (`SPRING_DATASOURCE_USERNAME: orders` beside their `POSTGRES_USER:
/// orders`): a user or database takes the value the rules bind to that
/// role; a password, a reference to the customer's Kubernetes Secret
/// (`secret`, the injection's), or it stays and the plan warns. Only a
/// variable whose name says both the role and a database (`DB_USER`,
/// `SPRING_DATASOURCE_USERNAME`, `PGDATABASE`, `DB_PASSWORD`) and that no
/// action of the rules sets, and only with the same value.
fn repeated_settings(
    out: &mut FilePlan,
    view: FileView<'_>,
    s: &ServiceScope,
    consumers: &BTreeMap<ResourceId, BTreeSet<usize>>,
    (actions, bound, secret): (
        &[&ActionDef],
        &BTreeMap<String, Bound<'_>>,
        Option<&SecretInjection<'_>>,
    ),
    loc: &mut Locator<'_>,
) {
    if s.settings.is_empty() {
        return;
    }
    let given = crate::engine::env_set_by(actions);
    let service = &s.service;
    for (w, from, dotted, ci, c) in consumer_containers(view, consumers) {
        for (index, item) in c.node.items_at(&["env"]).iter().enumerate() {
            let (Some(name), Some(value)) = (item.str_at("name"), item.str_at("value")) else {
                continue;
            };
            let Some(role) =
                origin_role(name).filter(|r| s.settings.get(*r).is_some_and(|v| v == value))
            else {
                continue;
            };
            let edit = out.container_edit(w, ci);
            if !names_a_database(name, service)
                || given.contains(name)
                || edit.replace.contains_key(&index)
                || edit.remove.contains(&index)
            {
                continue;
            }
            let at = loc.stack(
                view.index,
                item.get("value").map_or(item.span(), Node::span).start,
            );
            let path = format!("{dotted}.spec.{}[{}].env[{index}].value", c.list, c.index)
                .trim_start_matches('.')
                .to_string();
            let change = |why: String| {
                Change::new(ChangeKind::Rewire, service, from.address.clone(), why)
                    .path(path.clone())
                    .at(at.clone())
            };
            if role == "password" {
                let Some((secret, action, field)) = secret else {
                    out.problems.push(
                        Problem::warning(format!(
                            "`{name}` of `{}` holds the password of the dropped `{service}` as a value, and the rules hand over no Kubernetes Secret to read in its place",
                            from.address
                        ))
                        .at(at)
                        .help("remove it, or read the customer's credential there with `valueFrom.secretKeyRef`"),
                    );
                    continue;
                };
                edit.replace.insert(index, secret_env(name, secret));
                out.changes.push(
                    change(format!("`{name}` held the password of the dropped `{service}` as a value; now the customer's secret, by reference"))
                        .values(
                            Some("****".into()),
                            Some(format_smolstr!("secretKeyRef {}", secret.describe())),
                        )
                        .rule(loc.rule(action.origin))
                        .inputs(vec![format_smolstr!("{service}.{field}")]),
                );
                continue;
            }
            let Some((new, inputs, action)) = bound.get(role).filter(|b| b.0 != value) else {
                continue;
            };
            edit.replace
                .insert(index, json!({"name": name, "value": new}));
            out.changes.push(
                change(format!("`{name}` repeated `{value}`, the {role} the dropped `{service}` was configured with; now the customer's"))
                    .values(Some(value.into()), Some(new.as_str().into()))
                    .rule(loc.rule(action.origin))
                    .inputs(inputs.clone()),
            );
        }
    }
}

/// The vendor's password given to a consumer on its command line as a
/// word of its own, after a password flag (`args: ["--redis-password",
/// "pw"]`, `["redis-cli", "-a", "pw", "ping"]` in a probe): a reference to
/// the injected variable in its place, `$(VAR)` where Kubernetes expands it
/// (command and arguments); a warning where nothing would (a probe's or
/// hook's command run without a shell), or where the rules inject none.
fn command_passwords(
    out: &mut FilePlan,
    view: FileView<'_>,
    s: &ServiceScope,
    consumers: &BTreeMap<ResourceId, BTreeSet<usize>>,
    (injected, secret): (Option<&str>, Option<&SecretInjection<'_>>),
    loc: &mut Locator<'_>,
) {
    if s.passwords.is_empty() {
        return;
    }
    let service = &s.service;
    for (_, from, dotted, _, c) in consumer_containers(view, consumers) {
        for (list, path) in crate::stack::kubernetes::COMMAND_LISTS {
            let items = c.node.items_at(path);
            let cli = items.iter().filter_map(Node::as_str).any(runs_cli);
            for (i, item) in items.iter().enumerate().skip(1) {
                let (Some(flag), Some(value)) = (items[i - 1].as_str(), item.scalar()) else {
                    continue;
                };
                if !is_password_flag(flag, cli) || !s.passwords.contains(value.text.as_str()) {
                    continue;
                }
                let path = format!("{dotted}.spec.{}[{}].{list}[{i}]", c.list, c.index)
                    .trim_start_matches('.')
                    .to_string();
                let at = loc.stack(view.index, item.span().start);
                let hook = crate::stack::kubernetes::in_exec_hook(&path);
                let (Some(name), Some((_, action, field)), false) = (injected, secret, hook) else {
                    out.problems.push(
                        Problem::warning(format!(
                            "`{}` ({path}) gives the password of the dropped `{service}` after `{flag}`, where {}",
                            from.address,
                            if hook {
                                "no variable is expanded: the command runs without a shell"
                            } else {
                                "the rules inject no variable to read in its place"
                            }
                        ))
                        .at(at)
                        .help(if hook {
                            "run the command through a shell (`sh -c \"... $REDIS_PASSWORD ...\"`), or take the password out and let the client read it from its environment"
                        } else {
                            "inject the customer's credential as a variable in the rule (`inject env ...`), and read it there"
                        }),
                    );
                    continue;
                };
                let new = reference_to(name, Format::Kubernetes);
                out.rewrites.push(Rewrite {
                    span: item.span(),
                    text: new.clone(),
                    style: value.style,
                });
                out.changes.push(
                    Change::new(
                        ChangeKind::Rewire,
                        service,
                        from.address.clone(),
                        format!("the password of the dropped `{service}` after `{flag}`; now the customer's secret, by reference"),
                    )
                    .path(path)
                    .at(at)
                    .values(Some("****".into()), Some(new.into()))
                    .rule(loc.rule(action.origin))
                    .inputs(vec![format_smolstr!("{service}.{field}")]),
                );
            }
        }
    }
}

/// What follows a URL's `scheme://`, in parts: the user before an `@`
/// (without its password), the host and port, and the rest (path, query,
/// fragment).
fn authority_parts(rest: &str) -> (Option<&str>, &str, &str) {
    let cut = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(cut);
    match authority.rsplit_once('@') {
        Some((info, host)) => (info.split(':').next().filter(|u| !u.is_empty()), host, tail),
        None => (None, authority, tail),
    }
}

/// The bound URL `url` with the injected password (`reference`, as the
/// format writes a reference to it) in its user information, as a client
/// that reads one URL needs it; without one when none is injected.
fn with_password(url: &str, reference: Option<&str>, provided: &Provided) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (user, host, tail) = authority_parts(rest);
    // As if a password had been written (`:x@`): the reference takes its
    // place, or it goes.
    let userinfo = credentials(":@", user, reference, provided);
    format!("{scheme}://{userinfo}{host}{tail}")
}

/// A URL in JDBC form: `jdbc:` before it, and its user, and the password
/// as a reference to the injected variable, as options (JDBC drivers name
/// none before the host, and read no password from the environment).
fn jdbc_url(url: &str, password: Option<&str>) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (rest, fragment) = rest
        .split_once('#')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    // The fragment is split off above: the rest has no `#`.
    let (user, host, tail) = authority_parts(rest);
    let mut out = format!("jdbc:{scheme}://{host}{tail}");
    let options = user
        .map(|u| format!("user={u}"))
        .into_iter()
        .chain(password.map(|p| format!("password={p}")));
    for o in options {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&o);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn outside_store(secret: &SecretRef, verb: &str) -> Option<Problem> {
    (secret.store != "kubernetes").then(|| {
        Problem::error(
            "E0702",
            format!("a Kubernetes pod cannot {verb} a secret kept in `{}`", secret.store),
        )
        .help("give the secret as `store: kubernetes` (sync it into the cluster with the External Secrets Operator or the Secrets Store CSI driver)")
    })
}

/// The error for a secret in another namespace than the consumer's.
fn other_namespace(secret: &SecretRef, namespace: &str, consumer: &str) -> Option<Problem> {
    let ns = secret.get("namespace").filter(|ns| *ns != namespace)?;
    Some(
        Problem::error(
            "E0702",
            format!("`{consumer}` runs in namespace `{namespace}`, but the secret is in `{ns}`: a pod reads Secrets of its own namespace only"),
        )
        .help(format!("create the secret in `{namespace}`, or leave out `namespace`")),
    )
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

/// Rewrites the URLs a consumer container builds from variables whose
/// values were rewired (`redis://$(REDIS_HOST):$(REDIS_PORT)/0` beside
/// `REDIS_HOST: redis`): the host now comes in through the variable, and
/// the scheme, credentials and database become the customer's, as the
/// bound `url` gives them. Only a URL of the bound one's kind, whose host is
/// such a variable.
fn url_templates(
    out: &mut FilePlan,
    view: FileView<'_>,
    s: &ServiceScope,
    rewired_env: &BTreeMap<(ResourceId, usize), BTreeSet<usize>>,
    (bound, injected, provided): (&BTreeMap<String, Bound<'_>>, Option<&str>, &Provided),
    loc: &mut Locator<'_>,
) {
    let Some((url, used, action)) = bound.get("url") else {
        return;
    };
    let Some((nscheme, nrest)) = url.split_once("://") else {
        return;
    };
    let (nuser, _, ntail) = authority_parts(nrest);
    let npath = &ntail[..ntail.find(['?', '#']).unwrap_or(ntail.len())];
    let service = &s.service;
    for (&(w, ci), rewired) in rewired_env {
        let Some((c, dotted)) = container_of(view, w, ci) else {
            continue;
        };
        let from = view.resource(w);
        let env = c.node.items_at(&["env"]);
        let hosts: Vec<String> = rewired
            .iter()
            .filter_map(|&j| env.get(j)?.str_at("name"))
            .map(|n| format!("$({n})"))
            .collect();
        for (index, item) in env.iter().enumerate() {
            let (Some(name), Some(value)) = (item.str_at("name"), item.str_at("value")) else {
                continue;
            };
            let Some((scheme, rest)) = value.split_once("://") else {
                continue;
            };
            let (_, authority, tail) = authority_parts(rest);
            let userinfo = &rest[..rest.len() - authority.len() - tail.len()];
            let Some(written) = scheme_in_family(scheme, nscheme) else {
                continue;
            };
            if !hosts.iter().any(|h| authority.starts_with(h.as_str()))
                || scheme.contains(char::is_whitespace)
            {
                continue;
            }
            let (_, query) = tail.split_at(tail.find(['?', '#']).unwrap_or(tail.len()));
            let userinfo = credentials(userinfo, nuser, injected, provided);
            let new = format!("{written}://{userinfo}{authority}{npath}{query}");
            let edit = out.container_edit(w, ci);
            if new == value || edit.replace.contains_key(&index) || edit.remove.contains(&index) {
                continue;
            }
            edit.replace
                .insert(index, json!({"name": name, "value": new}));
            let path = format!("{dotted}.spec.{}[{}].env[{index}].value", c.list, c.index)
                .trim_start_matches('.')
                .to_string();
            let at = loc.stack(
                view.index,
                item.get("value").map_or(item.span(), Node::span).start,
            );
            out.changes.push(
                Change::new(
                    ChangeKind::Rewire,
                    service,
                    from.address.clone(),
                    format!("built the URL of the dropped `{service}` from a rewired variable; the scheme, credentials and database are now the customer's"),
                )
                .path(path)
                .at(at)
                .values(Some(redact(value).into()), Some(redact(&new).into()))
                .rule(loc.rule(action.origin))
                .inputs(used.clone()),
            );
        }
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

fn container_names(view: FileView<'_>, id: ResourceId, cis: &BTreeSet<usize>) -> String {
    let r = view.resource(id);
    let names: Vec<String> = pod_template(&r.kind, view.node(r))
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

fn service_account(view: FileView<'_>, id: ResourceId) -> Option<ResourceId> {
    view.references_from(id)
        .find(|r| r.kind == RefKind::ServiceAccount)
        .map(|r| r.to)
}

fn container_count(view: FileView<'_>, id: ResourceId) -> usize {
    let r = view.resource(id);
    pod_template(&r.kind, view.node(r))
        .and_then(|(t, _)| t.get("spec"))
        .map_or(0, |s| containers(s).len())
}

/// A range of a site's text, its new text, the inputs that read and the
/// rule.
type Piece = (usize, usize, String, Vec<SmolStr>, Origin);

/// The new text of a network reference: `Ok((start, end, text, inputs,
/// rule))`, or `Err(role)` naming the role that would be needed.
pub(in crate::engine) fn rewrite_network(
    original: &str,
    net: &NetRef,
    bound: &BTreeMap<String, Bound<'_>>,
    injected: Option<&str>,
    provided: &Provided,
) -> Result<Piece, String> {
    let get = |role: &str| bound.get(role);
    match net.form {
        NetForm::Host => {
            let (h, used, a) = get("host").ok_or("`host`")?;
            // Before a port (`redis:${REDIS_PORT}`), an IPv6 address is
            // bracketed.
            let h = if original.get(net.end..).is_some_and(|t| t.starts_with(':')) {
                bracket(h)
            } else {
                h.clone()
            };
            Ok((net.start, net.end, h, used.clone(), a.origin))
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
            let userinfo = (net.host.0 - net.start)
                .checked_sub(scheme.len() + 3)
                .and_then(|end| rest.get(..end))
                .ok_or("`url` or `host`")?;
            let after_host = original.get(net.host.1..net.end).ok_or("`url` or `host`")?;
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
            // A JDBC URL (`jdbc:postgresql://...`) names no user before its
            // host: the user is an option, if anywhere.
            let jdbc = original[..net.start].ends_with("jdbc:");
            // The bound URL replaces one of its own kind only: a `tcp://` or
            // `http://` URL naming the host is not the service's URL, and
            // keeps its scheme (a `tcp://` one turns `tls://` when the
            // service's URL is a TLS one, as Predis reads them).
            let bound_scheme = bound_url_scheme(bound);
            let url = get("url").and_then(|b| {
                let written = if jdbc {
                    scheme.to_string()
                } else {
                    scheme_in_family(scheme, bound_scheme.unwrap_or(""))?
                };
                Some((b, written))
            });
            // Without the bound URL, a TLS scheme follows the customer's.
            let scheme = bound_scheme
                .and_then(|b| predis_scheme(scheme, b))
                .unwrap_or(scheme);
            if let Some(((u, used, a), nscheme)) = url {
                let (_, nrest) = u.split_once("://").unwrap_or((scheme, u.as_str()));
                let (nuser, hostport, ntail) = authority_parts(nrest);
                let (npath, nquery) = match ntail.find(['?', '#']) {
                    Some(i) => ntail.split_at(i),
                    None => (ntail, ""),
                };
                let mut query = merge_query(old_query, nquery);
                let userinfo = if jdbc {
                    if let Some(user) = nuser {
                        query = replace_option(&query, "user", user);
                    }
                    String::new()
                } else {
                    credentials(userinfo, nuser, injected, provided)
                };
                return Ok((
                    net.start,
                    net.end,
                    // A JDBC URL keeps the driver it names.
                    format!("{nscheme}://{userinfo}{hostport}{npath}{query}"),
                    used.clone(),
                    a.origin,
                ));
            }
            let userinfo = credentials(userinfo, None, injected, provided);
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
            // A database given as an option (phpredis' `?database=0`) is
            // the customer's, as the bound URL's path names it.
            let mut query = old_query.to_string();
            if let Some((u, du, _)) = get("url") {
                let (_, _, tail) =
                    authority_parts(u.split_once("://").map_or(u.as_str(), |(_, r)| r));
                let db = tail
                    .strip_prefix('/')
                    .map(|p| &p[..p.find(['/', '?', '#']).unwrap_or(p.len())])
                    .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if let Some(db) = db {
                    let before = query.clone();
                    query = replace_option(&replace_option(&query, "database", db), "db", db);
                    if query != before {
                        used.extend(du.iter().cloned());
                    }
                }
            }
            Ok((
                net.start,
                net.end,
                format!("{scheme}://{userinfo}{hostport}{old_path}{query}"),
                used,
                a.origin,
            ))
        }
    }
}

/// The port a network or port reference writes (`redis:26379`, a URL's, a
/// `REDIS_PORT` value), `Some(None)` when it writes none; `None` when it is
/// a Sentinel URL of the bound URL's family (`redis+sentinel://`), which
/// the customer's URL replaces whole, or no such reference.
pub(in crate::engine) fn written_port<'t>(
    r: &Reference,
    original: &'t str,
    url_scheme: Option<&str>,
) -> Option<Option<&'t str>> {
    match &r.kind {
        RefKind::Port(start, end) => Some(original.get(*start..*end)),
        RefKind::Network(net) => {
            let form = original.get(net.start..net.end)?;
            if net.form == NetForm::Url {
                let scheme = form.split_once("://").map_or("", |(s, _)| s);
                if url_scheme.is_some_and(|u| same_family(scheme, u))
                    && scheme.to_ascii_lowercase().contains("sentinel")
                {
                    return None;
                }
            }
            fn port_after(text: &str, from: usize, to: usize) -> Option<std::ops::Range<usize>> {
                let p = text.get(from..to)?.strip_prefix(':')?;
                let n = p.bytes().take_while(u8::is_ascii_digit).count();
                (n > 0).then_some(from + 1..from + 1 + n)
            }
            if !net.split {
                return Some(port_after(original, net.host.1, net.end).map(|r| &original[r]));
            }
            // `${REDIS_HOST:-redis}:${REDIS_PORT:-26379}`: the port its
            // defaults spell, where it is written.
            let view = Defaulted::of(original)?;
            let (from, to) = (view.view_at(net.host.1)?, view.view_at(net.end)?);
            Some(
                port_after(&view.text, from, to)
                    .and_then(|r| view.original_range(r.start, r.end))
                    .map(|(s, e)| &original[s..e]),
            )
        }
        _ => None,
    }
}

/// The side port (number and name) of a target Service that `r` reaches:
/// one it names with its port (`redis-metrics:9121`, `redis:26379`, an
/// `http://` URL), or any of a Service that has only side ports
/// ([`written_port`] says which references count).
fn side_port<'s>(
    s: &'s ServiceScope,
    r: &Reference,
    original: &str,
    url_scheme: Option<&str>,
) -> Option<(&'s str, &'s str)> {
    let (ports, only) = s.side_ports.get(&r.to)?;
    let written = written_port(r, original, url_scheme)?;
    match written {
        Some(p) => ports
            .iter()
            .find(|(port, _)| port == p)
            .map(|(port, name)| (port.as_str(), name.as_str())),
        None if *only => ports
            .first()
            .map(|(port, name)| (port.as_str(), name.as_str())),
        None => None,
    }
}

/// The scheme a URL written with `old` takes when the service's URL is
/// written with `new`, if `old` is of its family: equal but for a TLS `s`
/// or PostgreSQL's `ql` (`redis` for `rediss`, `postgres` for
/// `postgresql`; Valkey's for Redis's), with the driver or transport
/// around it kept (`postgresql+asyncpg`, Celery's `db+postgresql`) and a
/// Sentinel variant dropped (`redis+sentinel`, Lettuce's `redis-sentinel`:
/// the customer's is reached directly). `None` for another scheme
/// (`tcp`, `http`).
pub(in crate::engine) fn scheme_in_family(old: &str, new: &str) -> Option<String> {
    let base = |s: &str| {
        let s = s.split('-').next().unwrap_or(s).to_ascii_lowercase();
        let s = s.strip_suffix("ql").map(str::to_string).unwrap_or(s);
        let s = s.strip_suffix('s').map(str::to_string).unwrap_or(s);
        match s.as_str() {
            "valkey" | "redi" | "redis" => "redis".to_string(),
            _ => s,
        }
    };
    let family = base(new);
    let parts: Vec<&str> = old.split('+').collect();
    let at = parts.iter().position(|p| base(p) == family)?;
    let sentinel = |p: &str| p.to_ascii_lowercase().contains("sentinel");
    let mut out: Vec<&str> = parts[..at].to_vec();
    out.push(new);
    out.extend(parts[at + 1..].iter().filter(|p| !sentinel(p)));
    Some(out.join("+"))
}

/// The side port that goes with a host reference `r` to a target Service
/// although the reference does not write it: its variable's partner in the
/// same container (`REDIS_SENTINEL_PORT: "26379"` beside
/// `REDIS_SENTINEL_HOST: redis`), or a port flag in the same command
/// string (`redis-cli -h redis -p 26379`).
fn side_port_beside<'s>(
    s: &'s ServiceScope,
    r: &Reference,
    original: &str,
    view: FileView<'_>,
) -> Option<(&'s str, &'s str)> {
    let (ports, _) = s.side_ports.get(&r.to)?;
    let RefKind::Network(net) = &r.kind else {
        return None;
    };
    if net.form != NetForm::Host {
        return None;
    }
    let side = |p: &str| ports.iter().find(|(port, _)| port == p);
    let written = match r.site.env.as_deref() {
        Some(var) => {
            let prefix = crate::stack::kubernetes::port_partner(var)?;
            let (ci, _) = r.site.container.as_ref()?;
            let (c, _) = container_of(view, r.from, *ci)?;
            let partner = c.node.items_at(&["env"]).iter().find(|e| {
                e.str_at("name")
                    .is_some_and(|n| crate::stack::kubernetes::is_port_var(n, prefix))
            })?;
            partner.str_at("value")?.to_string()
        }
        None => {
            let (ps, pe) = crate::stack::kubernetes::port_flag_in(original, |p| side(p).is_some())?;
            original[ps..pe].to_string()
        }
    };
    side(&written).map(|(port, name)| (port.as_str(), name.as_str()))
}

/// Whether two URL schemes are one service's ([`scheme_in_family`]).
/// The scheme a Predis URL (`tcp://`, `tls://`) takes for the customer's
/// endpoint, whose bound URL has the scheme `bound`: `tls` for a TLS one
/// (`rediss`, `valkeys`), `tcp` for a plain one; `None` when `old` is not
/// the other of the two.
pub(in crate::engine) fn predis_scheme(old: &str, bound: &str) -> Option<&'static str> {
    match bound {
        "rediss" | "valkeys" if old.eq_ignore_ascii_case("tcp") => Some("tls"),
        "redis" | "valkey" if old.eq_ignore_ascii_case("tls") => Some("tcp"),
        _ => None,
    }
}

pub(in crate::engine) fn same_family(a: &str, b: &str) -> bool {
    scheme_in_family(a, b).is_some()
}

pub(in crate::engine) fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// For a multi-line value (a configuration file), only the lines that
/// change, trimmed and joined with `; `.
pub(in crate::engine) fn changed_lines(old: &str, new: &str) -> (String, String) {
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

/// The node at a site's path (`spec.template.spec.containers[0].env[2]`)
/// under `root`; keys with dots in them are not followed.
fn at_path<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    for part in path.split('.') {
        let (key, indices) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            node = node
                .items()
                .get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::{jdbc_url, same_family, scheme_in_family, with_password};
    use crate::bindings::Provided;

    #[test]
    fn a_url_given_whole_carries_the_injected_password_as_a_reference() {
        let provided = Provided {
            name: "postgresql".into(),
            span: Default::default(),
            inputs: Default::default(),
        };
        assert_eq!(
            with_password(
                "postgresql://app@db.example.com:5432/shop?sslmode=require",
                Some("$(PGPASSWORD)"),
                &provided
            ),
            "postgresql://app:$(PGPASSWORD)@db.example.com:5432/shop?sslmode=require"
        );
        assert_eq!(
            with_password(
                "rediss://cache.example.com:6380/2",
                Some("$(REDIS_PASSWORD)"),
                &provided
            ),
            "rediss://:$(REDIS_PASSWORD)@cache.example.com:6380/2"
        );
        // No password handed over: none in the URL.
        assert_eq!(
            with_password("postgresql://app@db.example.com/shop", None, &provided),
            "postgresql://app@db.example.com/shop"
        );
        assert_eq!(
            with_password("not a url", Some("$(X)"), &provided),
            "not a url"
        );
    }

    #[test]
    fn a_scheme_of_the_family_keeps_its_driver_and_drops_sentinel() {
        for (old, new, want) in [
            ("redis", "rediss", Some("rediss")),
            ("redis+sentinel", "rediss", Some("rediss")),
            ("redis-sentinel", "rediss", Some("rediss")),
            (
                "postgresql+asyncpg",
                "postgresql",
                Some("postgresql+asyncpg"),
            ),
            ("db+postgresql", "postgresql", Some("db+postgresql")),
            ("tcp", "rediss", None),
        ] {
            assert_eq!(scheme_in_family(old, new).as_deref(), want, "{old}");
        }
    }

    #[test]
    fn url_schemes_of_one_service_are_one_family() {
        for (a, b) in [
            ("redis", "rediss"),
            ("redis+sentinel", "rediss"),
            ("valkey", "redis"),
            ("postgres", "postgresql"),
            ("REDIS", "redis"),
        ] {
            assert!(same_family(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("tcp", "rediss"),
            ("http", "redis"),
            ("mysql", "postgresql"),
        ] {
            assert!(!same_family(a, b), "{a} {b}");
        }
    }

    #[test]
    fn jdbc_urls_name_the_user_and_password_as_options() {
        assert_eq!(
            jdbc_url(
                "postgresql://app@db.example.com:5432/shop?sslmode=require",
                Some("$(PGPASSWORD)")
            ),
            "jdbc:postgresql://db.example.com:5432/shop?sslmode=require&user=app&password=$(PGPASSWORD)"
        );
        assert_eq!(
            jdbc_url("postgresql://db.example.com/shop#x", None),
            "jdbc:postgresql://db.example.com/shop#x"
        );
        assert_eq!(
            jdbc_url("postgresql://u@h/d#x", None),
            "jdbc:postgresql://h/d?user=u#x"
        );
        assert_eq!(jdbc_url("not a url", None), "not a url");
    }

    #[test]
    fn a_site_path_leads_to_its_node() {
        let docs = crate::stack::yaml::parse(
            "spec:\n  containers:\n    - env:\n        - {name: A}\n        - {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}\n",
        )
        .unwrap();
        let root = &docs[0].root;
        let at = |p: &str| super::at_path(root, p).and_then(|n| n.str_at("name"));
        assert_eq!(
            at("spec.containers[0].env[1].valueFrom.secretKeyRef"),
            Some("s")
        );
        assert_eq!(at("spec.containers[0].env[0]"), Some("A"));
        assert_eq!(at("spec.containers[1].env[0]"), None);
        assert_eq!(at("spec.containers[x]"), None);
    }
}
