//! Carrying out rules on a Terraform configuration: drop the matched
//! resources and what exists only for them (or, when a module only wraps
//! them, the module call), rewrite every expression that read their
//! endpoint to the customer's value, at the place it is read (a local, an
//! output, a module argument, a template: one edit where the value enters,
//! not one per leaf), then check that nothing still refers to what was
//! dropped, and write the edits as splices of the original text.
//!
//! What an endpoint role is, is the rules' business: a traversal that reads
//! an attribute a matcher arm names as a role's source (`host =
//! primary_endpoint_address`) gets the value the rules bind to that role.
//! A `redis://` or `rediss://` URL built as a template around the host is
//! rewritten whole, to the bound `url`, so that its scheme, port, database
//! and credential come from the customer's settings rather than the
//! vendor's.

mod workload;

use super::kubernetes::Locator;
use super::kubernetes::consumers::{bracket, predis_scheme};
use super::plan::{self, Change, ChangeKind, Problem};
use super::{
    Dropped, Drops, Instance, Outcome, OutputFile, Plan, active_actions, binds, nothing_matched,
};
use crate::bindings::{Bindings, Input};
use crate::catalogue::Format;
use crate::check::program::{ActionOp, Origin, Program, Target};
use crate::source::{Sources, Span};
use crate::stack::edit::Splices;
use crate::stack::{ExprRef, RefKind, Reference, ResourceId, Stack};
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Kinds that are not infrastructure of their own: they carry values.
const VALUES: &[&str] = &["variable", "output", "local"];

/// Resource types that run an application: a reference from one of them is
/// a consumer's, never something that exists for what it names.
const WORKLOADS: &[&str] = &[
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_lambda_function",
    "aws_instance",
    "aws_launch_template",
    "aws_autoscaling_group",
    "aws_apprunner_service",
    "aws_batch_job_definition",
    "aws_elastic_beanstalk_environment",
    "kubernetes_deployment",
    "kubernetes_deployment_v1",
    "kubernetes_stateful_set",
    "kubernetes_stateful_set_v1",
    "kubernetes_daemonset",
    "kubernetes_daemon_set_v1",
    "kubernetes_job",
    "kubernetes_job_v1",
    "kubernetes_cron_job",
    "kubernetes_cron_job_v1",
    "kubernetes_pod",
    "kubernetes_pod_v1",
    "kubernetes_manifest",
    "kubernetes_config_map",
    "kubernetes_config_map_v1",
    "kubernetes_secret",
    "kubernetes_secret_v1",
    "helm_release",
    "google_cloud_run_service",
    "google_cloud_run_v2_service",
    "google_cloudfunctions_function",
    "google_cloudfunctions2_function",
    "google_compute_instance",
    "azurerm_container_app",
    "azurerm_container_group",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_function_app",
    "azurerm_linux_virtual_machine",
];

/// Whether resources of this Terraform type run an application.
pub fn is_workload(kind: &str) -> bool {
    WORKLOADS.contains(&kind)
}

/// Applies the rules to a Terraform stack, given the matched instances.
pub fn apply(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
) -> Outcome {
    let mut plan = Plan::default();
    let mut loc = Locator::new(rules, stack);
    let mut dropped = Drops::new(stack.resources.len());
    // Folders whose every file goes (a module that only wrapped what was
    // dropped, and that nothing else calls).
    let mut gone_folders: BTreeSet<String> = BTreeSet::new();
    let mut rewired: BTreeMap<usize, Vec<Edit>> = BTreeMap::new();
    // The annotations each consumer gets, from every service.
    let mut notes: BTreeMap<ResourceId, Vec<Note>> = BTreeMap::new();
    let mut handled = vec![false; stack.reference_count()];
    let mut consumers: BTreeMap<String, BTreeSet<ResourceId>> = BTreeMap::new();
    // Data sources added for credentials, by folder and name.
    let mut declared: BTreeSet<(String, String)> = BTreeSet::new();

    // Addresses, for finding the module call of a matched resource inside a
    // module (only then).
    let by_address: HashMap<&str, ResourceId> = if instances
        .iter()
        .any(|i| !stack.resource(i.resource).namespace.is_empty())
    {
        stack
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.address.as_str(), ResourceId(i as u32)))
            .collect()
    } else {
        HashMap::new()
    };

    for (name, provided) in &bindings.services {
        let mine: Vec<&Instance<'_>> = instances.iter().filter(|i| i.service == name).collect();
        plan.services.push(plan::ServiceSummary {
            name: name.clone(),
            matched: mine
                .iter()
                .map(|i| stack.resource(i.resource).address.to_string())
                .collect(),
            consumers: Vec::new(),
        });
        if mine.is_empty() {
            nothing_matched(&mut plan, name);
            continue;
        }
        let actions = active_actions(program, name, provided, Format::Terraform);
        let bound = binds(&actions, provided);
        let bound_scheme = super::kubernetes::consumers::bound_url_scheme(&bound);
        let Some(drop_action) = actions.iter().find(|a| a.op == ActionOp::Drop) else {
            continue;
        };
        let origin = drop_action.origin;
        // The matched resources, or the module calls that only wrap them
        // (every call of such a module: the folder goes with them).
        let mut seeds: Vec<(ResourceId, String)> = Vec::new();
        for i in &mine {
            let r = stack.resource(i.resource);
            let why = format!("matched by `{}` ({} arm)", i.matcher.name, i.arm.format);
            match wrapper_call(stack, &by_address, instances, i.resource) {
                Some(first) => {
                    for call in calls_of(stack, r.namespace.as_str(), first) {
                        seeds.push((
                            call,
                            format!("the module only wraps `{}`, {why}", r.address),
                        ));
                    }
                    gone_folders.insert(r.namespace.to_string());
                }
                None => seeds.push((i.resource, why)),
            }
        }
        for (id, reason) in seeds {
            dropped.add(
                id,
                Dropped {
                    reason,
                    origin,
                    service: name.clone(),
                },
            );
        }
        // Resources in a folder that goes, go with it.
        for (i, r) in stack.resources.iter().enumerate() {
            if gone_folders.contains(r.namespace.as_str()) {
                dropped.add(
                    ResourceId(i as u32),
                    Dropped {
                        reason: format!("in `{}`, a module that goes with its call", r.namespace),
                        origin,
                        service: name.clone(),
                    },
                );
            }
        }
        // What exists only for the dropped, then the rewires; a rewire can
        // leave more with nothing but dropped referrers (a password read
        // only by the dropped cache and a URL now rewritten whole).
        let roles = RoleIndex::new(&mine);
        let mut templates: BTreeSet<(usize, usize)> = BTreeSet::new();
        // The arguments of module calls that were rewired.
        let mut arguments: BTreeMap<ResourceId, BTreeSet<SmolStr>> = BTreeMap::new();
        // Per ECS task definition, the sites that read the origin's
        // password in a container variable, and what they read.
        let mut moved: BTreeMap<ResourceId, Vec<(Span, String)>> = BTreeMap::new();
        // The customer's credential, when the rules hand one over.
        let credential = actions.iter().find_map(|a| match &a.op {
            ActionOp::Inject { input, .. } => match provided.input(input) {
                Some(Input::Secret(s)) => Some((
                    s,
                    input.field.as_str(),
                    a.origin,
                    vec![format_smolstr!("{name}.{}", input.field)],
                )),
                _ => None,
            },
            _ => None,
        });
        // A Kubernetes Secret that held the origin's password, dropped: its
        // readers' `secret_key_ref`s, rebound to the customer's Secret
        // unless the rules give the same variable anew (per reader: its
        // variable, the file, the edits, the plan line).
        let mut rebinds: Vec<Rebind> = Vec::new();
        for _round in 0..2 {
            close_drops(stack, &mut dropped, &handled, &roles, origin, name);
            // What carried the origin's password into what is dropped
            // (`auth_token = random_password.redis.result`): whatever else
            // reads it reads that password.
            let passwords: HashSet<(ResourceId, &str)> = dropped
                .keys()
                .filter(|&&d| {
                    crate::catalogue::CREDENTIALS
                        .iter()
                        .any(|(kind, _)| *kind == stack.resource(d).kind)
                })
                .flat_map(|&d| stack.references_from(d))
                .filter(|o| {
                    crate::catalogue::is_credential(&stack.resource(o.from).kind, &o.site.path)
                })
                .filter_map(|o| match &o.kind {
                    RefKind::Expr(x) => Some((o.to, x.rest.as_str())),
                    _ => None,
                })
                .collect();
            // Those that also serve something else: only their readers
            // that connect to the dropped service take its password.
            let shared = shared_passwords(stack, &dropped, &passwords, name);
            for (n, r) in stack.references().enumerate() {
                let RefKind::Expr(e) = &r.kind else { continue };
                let password = !handled[n]
                    && !dropped.contains_key(&r.from)
                    && match dropped.contains_key(&r.to).then(|| &dropped[&r.to]) {
                        Some(d) => {
                            d.service == *name
                                && e.attribute.as_deref().is_some_and(|a| {
                                    crate::catalogue::is_credential(&stack.resource(r.to).kind, a)
                                })
                        }
                        None if shared.contains(&(r.to, e.rest.as_str())) => {
                            match other_use(stack, r, e, &dropped, name) {
                                Some(why) => {
                                    if _round == 0 {
                                        plan.problems.push(
                                            Problem::warning(format!(
                                                "`{}` {} reads `{}{}`, which also gave the dropped {name} its password; it is left as it is: {why}",
                                                stack.resource(r.from).address,
                                                r.site.path,
                                                stack.resource(r.to).address,
                                                e.rest
                                            ))
                                            .at(loc.stack(r.site.file, r.site.span.start))
                                            .help(format!(
                                                "graft gives the customer's password only to what connects to {name}; if this does, give it the credential by hand (by reference)"
                                            )),
                                        );
                                    }
                                    false
                                }
                                None => true,
                            }
                        }
                        None => passwords.contains(&(r.to, e.rest.as_str())),
                    }
                    // A password inside a Redis URL goes with the URL, which
                    // is rewritten whole below.
                    && !e.template.is_some_and(|t| {
                        bound.contains_key("url")
                            && is_url_template(&written(
                                &stack.files[r.site.file].text,
                                t,
                                e.escaped,
                            ))
                    });
                if password {
                    handled[n] = true;
                    // A root output that handed the password out of the
                    // stack goes: the customer's is never handed out.
                    let from = stack.resource(r.from);
                    if from.kind == "output" && from.namespace.is_empty() {
                        dropped.add(
                            r.from,
                            Dropped {
                                reason: format!(
                                    "it handed out the password of the dropped {name} (`{}{}`)",
                                    stack.resource(r.to).address,
                                    e.rest
                                ),
                                origin,
                                service: name.clone(),
                            },
                        );
                        continue;
                    }
                    // An ECS container's variable moves to `secrets`,
                    // where the customer's goes (with the rules' gifts).
                    if credential.is_some()
                        && stack.resource(r.from).kind == "aws_ecs_task_definition"
                    {
                        let read = format!("{}{}", stack.resource(r.to).address, e.rest);
                        moved.entry(r.from).or_default().push((r.site.span, read));
                        consumers.entry(name.clone()).or_default().insert(r.from);
                        continue;
                    }
                    if let Some(c) = &credential
                        && let Some(found) =
                            secret_readers(stack, r, (c.0, c.2, &c.3), &dropped, &handled)
                    {
                        let (secret, readers) = found;
                        let customer = c.0.get("name").unwrap_or("");
                        dropped.add(
                            secret,
                            Dropped {
                                reason: format!(
                                    "it held the password of the dropped {name}; what read it reads the customer's Secret `{customer}`"
                                ),
                                origin,
                                service: name.clone(),
                            },
                        );
                        for (n2, rebind) in readers {
                            handled[n2] = true;
                            rebinds.push(rebind);
                        }
                        continue;
                    }
                    give_password(
                        stack,
                        r,
                        e,
                        name,
                        credential.as_ref(),
                        &mut loc,
                        (&mut rewired, &mut declared, &mut consumers),
                        &mut plan,
                    );
                    continue;
                }
                if handled[n] {
                    continue;
                }
                // A value that carries the endpoint (a local, variable or
                // output rewired where it enters) inside a Redis URL
                // template: the URL is rewritten whole too, so that its
                // scheme, port, database and credential are the customer's.
                let carried = !dropped.contains_key(&r.to)
                    && e.template.is_some()
                    && matches!(
                        stack.resource(r.to).kind.as_str(),
                        "local" | "variable" | "output"
                    )
                    && roles.role_at(stack, r.to, &e.rest, 0).is_some();
                if dropped.contains_key(&r.from) || !(dropped.contains_key(&r.to) || carried) {
                    continue;
                }
                if !carried && dropped[&r.to].service != *name {
                    continue;
                }
                if e.depends_on && !carried {
                    let from = stack.resource(r.from);
                    let Some(list) = stack.files[from.file].node(from).get("depends_on") else {
                        continue;
                    };
                    rewired
                        .entry(r.site.file)
                        .or_default()
                        .push(Edit::RemoveItem(list.span(), r.site.span));
                    plan.changes.push(
                        Change::new(
                            ChangeKind::Remove,
                            name.as_str(),
                            stack.resource(r.from).address.as_str(),
                            format!(
                                "`{}` is dropped: nothing to wait for",
                                stack.resource(r.to).address
                            ),
                        )
                        .path(r.site.path.as_str())
                        .at(loc.stack(r.site.file, r.site.span.start))
                        .values(r.site.value.clone(), None)
                        .rule(loc.rule(origin)),
                    );
                    handled[n] = true;
                    continue;
                }
                let Some(role) = roles.role_of(stack, r, e) else {
                    continue;
                };
                let text = &stack.files[r.site.file].text;
                // A connection URL built around the endpoint: the whole
                // string; else the traversal, or the `${...}` it fills.
                // Only a URL of the bound URL's family is replaced by it: a
                // `tcp://` (Predis) or `http://` one keeps its scheme.
                let url = e
                    .template
                    .filter(|t| {
                        let written = written(text, *t, e.escaped);
                        let tail = after_url(&written);
                        is_url_template(&written)
                            && bound_scheme.is_none_or(|b| in_family(&written, b))
                            && !tail.contains("${")
                            && !tail.contains("%{")
                            && !tail.contains('\\')
                    })
                    .zip(bound.get("url"));
                // The URL as written, where it is not the bound one as it is.
                let mut shown: Option<String> = None;
                // The host's bind with the port's inputs, where both are
                // rewritten.
                let both: crate::engine::Bound<'_>;
                let (span, new, at, old, reason, (value, used, action)) = match url {
                    Some((t, url)) => {
                        for i in stack.referents(r.from) {
                            let o = stack.reference(i);
                            if o.site.file == r.site.file
                                && matches!(&o.kind, RefKind::Expr(x) if x.template == Some(t))
                            {
                                handled[i] = true;
                            }
                        }
                        if !templates.insert((r.site.file, t.start)) {
                            continue;
                        }
                        let target = &stack.resource(r.to).address;
                        let reason = if carried {
                            format!(
                                "the connection URL built on `{target}`, which carried the dropped endpoint"
                            )
                        } else {
                            format!("the connection URL to the dropped `{target}`")
                        };
                        let written_url = written(text, t, e.escaped);
                        let whole = url_in_place_of(&written_url, &url.0);
                        // A URL that carried the vendor's password (`:${random_password...}@`)
                        // becomes the customer's without one: a workload is
                        // given the credential by the rules, but what an
                        // SSM parameter or a secret holds for others is not.
                        if userinfo_password(&written_url)
                            && !userinfo_password(&whole)
                            && matches!(
                                stack.resource(r.from).kind.as_str(),
                                "aws_ssm_parameter" | "aws_secretsmanager_secret_version"
                            )
                        {
                            plan.problems.push(
                                Problem::warning(format!(
                                    "`{}` {} held a password in its URL; the customer's URL has none, so what reads it gets no credential from it",
                                    stack.resource(r.from).address,
                                    r.site.path
                                ))
                                .at(loc.stack(r.site.file, t.start))
                                .help("give what reads it the customer's credential by reference (a `secrets` entry, or the rules' injected variable)"),
                            );
                        }
                        let new = escaped_in(text, t, quoted(&whole), e.escaped);
                        shown = Some(whole);
                        let old = Some(SmolStr::from(written_url));
                        (t, new, t.start, old, reason, url)
                    }
                    None if carried => continue,
                    None => {
                        let Some(b) = bound.get(role.as_str()) else {
                            continue;
                        };
                        handled[n] = true;
                        // A port written after the host, in a template or
                        // a `format()` string (`"%s:6379"`).
                        let written_port = match e.interpolation {
                            Some(i) => literal_port(text, i.end).map(|end| (i.end + 1, end)),
                            None => e
                                .template
                                .filter(|_| !e.escaped)
                                .and_then(|t| format_call(text, t, r.site.span))
                                .and_then(|(_, _, at)| {
                                    literal_port(text, at).map(|end| (at + 1, end))
                                }),
                        }
                        .filter(|_| role.ends_with("host"));
                        // A port the dropped did not serve its data on
                        // (`"${...}:9121"`, an exporter's) is not the
                        // customer's port.
                        if let Some((ps, pe)) = written_port
                            && let Some(served) =
                                data_ports(stack, program, name, roles.arms.get(&r.to), r.to)
                            && !served.iter().any(|p| *p == text[ps..pe])
                        {
                            plan.problems.push(
                                Problem::error(
                                    "E0702",
                                    format!(
                                        "`{}` refers to port {} of `{}` ({}), which served its data on {}: the customer's {name} offers no such port",
                                        stack.resource(r.from).address,
                                        &text[ps..pe],
                                        stack.resource(r.to).address,
                                        r.site.path,
                                        served.join(" or ")
                                    ),
                                )
                                .at(loc.stack(r.site.file, ps))
                                .rule(loc.rule(origin))
                                .help("take the reference out of the origin stack (an exporter's metrics, a Sentinel), or point it at what the customer offers instead"),
                            );
                            continue;
                        }
                        // A `tcp://` URL (Predis) to a TLS endpoint is a
                        // `tls://` one, and the other way round.
                        // The vendor's password in its user information
                        // (`tcp://app:pw@${...}`) goes.
                        let scheme = e.interpolation.and_then(|i| {
                            let (lo, _) = literal_bounds(text, e.template, i)?;
                            let before = text.get(lo..i.start)?;
                            let sep = before.rfind("://")?;
                            let info = &before[sep + 3..];
                            if !(info.is_empty() || info.ends_with('@')) {
                                return None;
                            }
                            let plain = |t: &str| !t.contains(['$', '%', '\\', '"']);
                            let old = &before[before[..sep]
                                .char_indices()
                                .rev()
                                .find(|&(_, c)| !c.is_ascii_alphanumeric())
                                .map_or(0, |(k, c)| k + c.len_utf8())
                                ..sep];
                            // Predis' scheme, or one of the bound URL's
                            // family (`redis` turning `rediss`).
                            let new = bound_scheme
                                .and_then(|b| {
                                    predis_scheme(old, b).map(str::to_string).or_else(|| {
                                        super::kubernetes::consumers::scheme_in_family(old, b)
                                    })
                                })
                                .unwrap_or_else(|| old.to_string());
                            // A user an interpolation writes stays before
                            // no password (`${var.user}:pw@` is `${var.user}@`).
                            let new_info = if plain(info) {
                                super::connection::credentials(info, None, None, provided)
                            } else {
                                match info
                                    .strip_suffix('@')
                                    .and_then(crate::stack::interpolate::split_userinfo)
                                {
                                    Some((user, pw)) if !pw.is_empty() && plain(pw) => {
                                        format!("{user}@")
                                    }
                                    _ => return None,
                                }
                            };
                            if new == old && new_info == info {
                                return None;
                            }
                            // A scheme an interpolation or a directive
                            // writes stays; the password goes.
                            let start = i.start - info.len() - 3 - old.len();
                            Some((start, format!("{new}://{new_info}")))
                        });
                        // A scheme an interpolation writes
                        // (`"${var.scheme}://${...}"`) cannot be given the
                        // customer's, nor can the path its database.
                        if let Some(i) = e.interpolation
                            && let Some(bound_scheme) = bound_scheme
                            && let Some((lo, _)) = literal_bounds(text, e.template, i)
                            && let Some(sep) = text[lo..i.start].rfind("://")
                            && text[lo..lo + sep].ends_with('}')
                        {
                            plan.problems.push(
                                Problem::warning(format!(
                                    "`{}` {} writes the scheme of its URL to the dropped `{}` with an interpolation: graft rewrites the host, but cannot give it the customer's scheme (`{bound_scheme}`) or database",
                                    stack.resource(r.from).address,
                                    r.site.path,
                                    stack.resource(r.to).address,
                                ))
                                .at(loc.stack(r.site.file, lo + sep))
                                .help(format!(
                                    "write the scheme out (`{bound_scheme}://`), or make sure what the interpolation gives is the customer's scheme and that the path names their database"
                                )),
                            );
                        }
                        let mut b = b;
                        // A URL of another family that writes a user, a
                        // password or options around the host
                        // (`tcp://user:pw@${...}:6379?auth=pw`): rewritten
                        // whole, as on Kubernetes, so that no vendor
                        // password stays in it.
                        let other_url = role
                            .ends_with("host")
                            .then(|| {
                                let host = e.interpolation.ok_or(r.site.span);
                                let served = || {
                                    data_ports(stack, program, name, roles.arms.get(&r.to), r.to)
                                };
                                if !e.escaped {
                                    return other_family_url(
                                        text, e.template, host, served, &bound, provided,
                                    );
                                }
                                // A `format()` call in a `.tf.json` string
                                // written with escapes is read as it reads.
                                let (Err(arg), Some(t)) = (host, e.template) else {
                                    return None;
                                };
                                let call = written(text, t, true);
                                let arg_text = written(text, arg, true);
                                let at = call.rfind(arg_text.as_ref())?;
                                let (_, new, used) = other_family_url(
                                    &call,
                                    Some(Span::new(0, call.len())),
                                    Err(Span::new(at, at + arg_text.len())),
                                    served,
                                    &bound,
                                    provided,
                                )?;
                                Some((t, new, used))
                            })
                            .flatten();
                        // Where it is not rewritten whole, password options
                        // written after the host (`?auth=pw`) go on their own.
                        if other_url.is_none()
                            && role.ends_with("host")
                            && let Some(i) = e.interpolation
                            && !e.escaped
                            && let Some((_, hi)) = literal_bounds(text, e.template, i)
                            && let Some(tail) = text.get(i.end..hi)
                        {
                            match tail_without_passwords(tail) {
                                Ok(None) => {}
                                Ok(Some((from, to, new))) => rewired
                                    .entry(r.site.file)
                                    .or_default()
                                    .push(Edit::Replace(Span::new(i.end + from, i.end + to), new)),
                                Err(()) => plan.problems.push(
                                    uncut_password(stack, r, "a password option")
                                        .at(loc.stack(r.site.file, i.end)),
                                ),
                            }
                        }
                        // A URL whose port or path an interpolation writes
                        // (`"redis://${...}:6379/${var.db}"`): the host is
                        // rewritten, and the rest is the deployer's.
                        if other_url.is_none()
                            && role.ends_with("host")
                            && let Some(i) = e.interpolation
                            && let Some((lo, hi)) = literal_bounds(text, e.template, i)
                            && text[lo..i.start].contains("://")
                        {
                            // What reads the dropped itself (its port) is
                            // rewritten too.
                            let dropped_at = format!("{}.", stack.resource(r.to).address);
                            let mut given = given_after(&text[i.end..hi]);
                            given.retain(|g| !g.contains(&dropped_at));
                            if !given.is_empty() {
                                let customer = super::connection::endpoint_note(&bound, &["url"]);
                                plan.problems.push(
                                    Problem::warning(format!(
                                        "`{}` {} goes on after the host of the dropped `{}` with `{}`: graft rewrote the host, and those values must agree with the customer's endpoint{customer}",
                                        stack.resource(r.from).address,
                                        r.site.path,
                                        stack.resource(r.to).address,
                                        given.join("`, `"),
                                    ))
                                    .at(loc.stack(r.site.file, i.end))
                                    .help("give them the customer's port, database or path, or write those out in the string"),
                                );
                            }
                        }
                        // A `format()` call it is one argument of among
                        // others (`format("tcp://u:pw@%s:%d", host, 6379)`):
                        // the vendor's password goes from the format string,
                        // and the rest is a warning.
                        let call = e.template.map(|t| (t, written(text, t, e.escaped)));
                        if other_url.is_none()
                            && role.ends_with("host")
                            && e.interpolation.is_none()
                            && let Some((t, call)) = &call
                            && let Some(fmt) = format_string(call, Span::new(0, call.len()))
                            && templates.insert((r.site.file, t.start + fmt.start))
                        {
                            let written = &call[fmt.start..fmt.end];
                            match format_without_passwords(written) {
                                Some(new) if new == written => {}
                                // In HCL, where the call is written as it reads.
                                Some(new) if !e.escaped => {
                                    rewired.entry(r.site.file).or_default().push(Edit::Replace(
                                        Span::new(t.start + fmt.start, t.start + fmt.end),
                                        new,
                                    ))
                                }
                                _ => plan.problems.push(
                                    uncut_password(stack, r, "a password in a format() string")
                                        .at(loc.stack(r.site.file, t.start)),
                                ),
                            }
                            // Values written out beside the host (`6379`,
                            // `"tcp"`); references the rules rewrite too are not.
                            let literal = call
                                .get(fmt.end + 1..call.len().saturating_sub(1))
                                .unwrap_or("")
                                .split(',')
                                .map(str::trim)
                                .any(|a| a.starts_with(|c: char| c.is_ascii_digit() || c == '"'));
                            let t = *t;
                            if written.matches('%').count() > 1 && literal {
                                plan.problems.push(
                                    Problem::warning(format!(
                                        "`{}` {} builds the address of the dropped `{}` with format() from more values than its host: graft rewrote the host, and the other values (a port, a scheme, a database) are as written",
                                        stack.resource(r.from).address,
                                        r.site.path,
                                        stack.resource(r.to).address,
                                    ))
                                    .at(loc.stack(r.site.file, t.start))
                                    .help("write the customer's values into the call, or build the string from the host alone (`format(\"rediss://%s:6380/0\", ...)`), which graft rewrites whole"),
                                );
                            }
                        }
                        let (span, new) = match e.interpolation {
                            _ if other_url.is_some() => {
                                let (span, new, used) = other_url.unwrap_or_default();
                                both = (b.0.clone(), used, b.2);
                                b = &both;
                                (span, new)
                            }
                            // A host followed by a written port
                            // (`"${...}:6379"`): the customer's port too.
                            Some(i) => {
                                let url_form = scheme.is_some();
                                let (start, lead) = scheme.unwrap_or((i.start, String::new()));
                                match written_port.zip(bound.get("port")) {
                                    Some(((_, end), port)) => {
                                        // The lead as written: a user an
                                        // interpolation writes stays one.
                                        let new = lead.clone()
                                            + &template_text(
                                                text,
                                                i.start,
                                                &format!("{}:{}", bracket(&b.0), port.0),
                                            );
                                        both = (b.0.clone(), [&b.1[..], &port.1[..]].concat(), b.2);
                                        b = &both;
                                        (Span::new(start, end), new)
                                    }
                                    None => {
                                        // Before a port, an IPv6 address is bracketed;
                                        // a URL that writes none (Predis' default,
                                        // 6379) is given the customer's.
                                        let host = match bound.get("port") {
                                            _ if text[i.end..].starts_with(':') => bracket(&b.0),
                                            // Not before a part a directive
                                            // or an interpolation writes.
                                            Some(port)
                                                if url_form
                                                    && !text[i.end..].starts_with("%{")
                                                    && !text[i.end..].starts_with("${") =>
                                            {
                                                both = (
                                                    b.0.clone(),
                                                    [&b.1[..], &port.1[..]].concat(),
                                                    b.2,
                                                );
                                                b = &both;
                                                format!("{}:{}", bracket(&b.0), port.0)
                                            }
                                            _ => b.0.clone(),
                                        };
                                        (
                                            Span::new(start, i.end),
                                            lead + &template_text(text, i.start, &host),
                                        )
                                    }
                                }
                            }
                            // A port stays a number where the origin's was
                            // one (`from_port = aws_x.y.port`).
                            None if role == "port" && b.0.parse::<u16>().is_ok() => {
                                (r.site.span, b.0.to_string())
                            }
                            None => (r.site.span, quoted(&b.0)),
                        };
                        // A port or scheme rewritten too: shown as written.
                        let wider = match e.interpolation {
                            Some(i) => span.start < i.start || span.end > i.end,
                            None => span != r.site.span,
                        };
                        let old = if wider {
                            shown = Some(new.trim_matches('"').replace("$${", "${"));
                            Some(SmolStr::from(written(text, span, e.escaped)))
                        } else {
                            r.site.value.clone()
                        };
                        let new = escaped_in(text, span, new, e.escaped);
                        let reason =
                            format!("`{role}` of the dropped `{}`", stack.resource(r.to).address);
                        (span, new, r.site.span.start, old, reason, b)
                    }
                };
                rewired
                    .entry(r.site.file)
                    .or_default()
                    .push(Edit::Replace(span, new));
                consumers.entry(name.clone()).or_default().insert(r.from);
                if stack.resource(r.from).kind == "module" {
                    // Only that argument's variable carries it on.
                    let arg = r.site.path.split(['.', '[']).next().unwrap_or("");
                    arguments.entry(r.from).or_default().insert(arg.into());
                }
                plan.changes.push(
                    Change::new(
                        ChangeKind::Rewire,
                        name.as_str(),
                        stack.resource(r.from).address.as_str(),
                        reason,
                    )
                    .path(r.site.path.as_str())
                    .at(loc.stack(r.site.file, at))
                    .values(
                        old.map(|o| super::connection::redact(&o).into()),
                        Some(shown.as_deref().unwrap_or(value).into()),
                    )
                    .rule(loc.rule(action.origin))
                    .inputs(used.clone()),
                );
            }
        }
        // What the consumers receive besides the endpoint.
        let (reached, carriers) = consumers_of(
            stack,
            consumers.get(name).into_iter().flatten().copied(),
            &arguments,
        );
        let mut carriers = carriers;
        carriers.extend(dropped.keys().copied());
        // A folder called by several blocks is read, and written, once:
        // what it does with an argument one call rewired, every call gets.
        for (call, var, other) in shared_module_arguments(stack, &arguments, &carriers) {
            let v = stack.resource(var);
            plan.problems.push(
                Problem::error(
                    "E0702",
                    format!(
                        "`{}` passes the dropped {name}'s endpoint as `{}` into `{}`, which `{}` calls too with a value of its own: graft would change the folder for both",
                        stack.resource(call).address,
                        v.name,
                        v.namespace,
                        stack.resource(other.from).address
                    ),
                )
                .at(loc.stack(other.site.file, other.site.span.start))
                .rule(loc.rule(origin))
                .help(format!(
                    "give `{}` a folder of its own (a copy of `{}`), so that only it is changed",
                    stack.resource(call).address,
                    v.namespace
                )),
            );
        }
        consumers.insert(name.clone(), reached.clone());
        let mut gifts = workload::Gifts {
            password: credential.as_ref().map(|c| c.0.clone()),
            moved,
            ..workload::Gifts::default()
        };
        // Each variable's rule and the inputs it read.
        let mut why: BTreeMap<String, (Origin, Vec<SmolStr>)> = BTreeMap::new();
        let mut todo: BTreeMap<&str, (Vec<String>, Origin)> = BTreeMap::new();
        // The variables that carry a cloud identity: what the consumer
        // needs, and the identity as the plan shows it.
        let mut identities: BTreeMap<String, (String, SmolStr)> = BTreeMap::new();
        // The annotations (key, value): tags, on AWS resources.
        let mut annotations: Vec<(String, String)> = Vec::new();
        // Each certificate's rule (the first that mounts it), and the
        // consumers that could not mount the certificates.
        let mut mount_rules: BTreeMap<String, Origin> = BTreeMap::new();
        let mut unmounted: Vec<String> = Vec::new();
        // The variables each consumer was given the customer's secret in.
        let mut gifted: BTreeSet<(ResourceId, String)> = BTreeSet::new();
        for a in &actions {
            match &a.op {
                ActionOp::SetEnv { name: var, value } => {
                    if let Some((text, used)) = super::eval(value, provided) {
                        gifts.env.push((var.clone(), text));
                        why.insert(var.clone(), (a.origin, used));
                    }
                }
                ActionOp::Inject {
                    input,
                    target: Target::Env(var),
                } if matches!(provided.input(input), Some(Input::Secret(_))) => {
                    if let Some(Input::Secret(secret)) = provided.input(input) {
                        gifts
                            .secrets
                            .push((var.clone(), secret.clone(), input.field.clone()));
                        why.insert(
                            var.clone(),
                            (a.origin, vec![format_smolstr!("{name}.{}", input.field)]),
                        );
                    }
                }
                ActionOp::Inject {
                    input,
                    target: Target::Env(var),
                } if matches!(provided.input(input), Some(Input::IamRole { .. })) => {
                    // A cloud identity is no secret: its id goes in the
                    // variable, and the plan says what the consumer needs
                    // to run as it.
                    if let Some(Input::IamRole { kind, id, user }) = provided.input(input) {
                        gifts.env.push((var.clone(), id.clone()));
                        why.insert(
                            var.clone(),
                            (a.origin, vec![format_smolstr!("{name}.{}", input.field)]),
                        );
                        identities.insert(
                            var.clone(),
                            (
                                super::identity_needs(*kind, "containers"),
                                super::iam_role_text(*kind, id, user.as_deref()),
                            ),
                        );
                    }
                }
                ActionOp::Mount { input, target }
                    if matches!(provided.input(input), Some(Input::Certificate { .. })) =>
                {
                    if let Some(Input::Certificate { pem, .. }) = provided.input(input) {
                        mount_rules.entry(input.field.clone()).or_insert(a.origin);
                        gifts
                            .mounts
                            .push((target.clone(), input.field.clone(), pem.clone()));
                        why.insert(
                            match target {
                                Target::Env(v) | Target::File(v) => v.clone(),
                            },
                            (a.origin, vec![format_smolstr!("{name}.{}", input.field)]),
                        );
                    }
                }
                ActionOp::Inject { target, .. } | ActionOp::Mount { target, .. } => {
                    let (what, item) = match (&a.op, target) {
                        (ActionOp::Inject { .. }, Target::Env(n)) => ("inject", n),
                        (ActionOp::Inject { .. }, Target::File(p)) => ("inject a file at", p),
                        (_, Target::Env(n)) | (_, Target::File(n)) => ("mount", n),
                    };
                    todo.entry(what)
                        .or_insert_with(|| (Vec::new(), a.origin))
                        .0
                        .push(format!("`{item}`"));
                }
                ActionOp::Annotate { key, value } => {
                    // A secret is named (its reference), never read.
                    if let Some((text, used)) = super::annotation(value, provided, |s| s.describe())
                    {
                        annotations.push((key.clone(), text));
                        why.insert(key.clone(), (a.origin, used));
                    }
                }
                _ => {}
            }
        }
        let runs: Vec<ResourceId> = reached
            .iter()
            .copied()
            .filter(|&c| {
                let kind = &stack.resource(c).kind;
                is_workload(kind) && !holds_data(kind)
            })
            .collect();
        // Each consumer's part is worked out on every core, then taken in
        // order (a data source once per module).
        let given: Vec<_> = {
            use rayon::prelude::*;
            runs.par_iter()
                .map(|&c| {
                    let (mut edits, mut blocks) = (Vec::new(), Vec::new());
                    let result =
                        workload::give(stack, c, &carriers, name, &gifts, &mut blocks, &mut edits);
                    (c, result, edits, blocks)
                })
                .collect()
        };
        for (c, result, edits, blocks) in given {
            let r = stack.resource(c);
            // Annotated once every service has had its say: two services'
            // tags on one function are one `tags` map.
            for (key, value) in &annotations {
                let (origin, used) = why.get(key).cloned().unwrap_or((origin, Vec::new()));
                notes.entry(c).or_default().push(Note {
                    key: key.clone(),
                    value: value.clone(),
                    service: name.clone(),
                    origin,
                    used,
                });
            }
            // A variable that read the origin's password and did not move
            // would keep reading it: an error.
            let kept = match (&result, gifts.moved.get(&c)) {
                (_, None) => None,
                (Ok(w), Some(sites)) => (w
                    .iter()
                    .filter(|x| x.0 == workload::GiftKind::Moved)
                    .count()
                    < sites.len())
                .then(|| "it is not a variable whose whole value is the password".to_string()),
                (Err(why), Some(_)) => Some(why.clone()),
            };
            if let Some(why) = kept {
                for (site, read) in &gifts.moved[&c] {
                    plan.problems.push(
                        Problem::error(
                            "E0702",
                            format!(
                                "`{}` reads `{read}`, the password of the {name} that is dropped, and graft cannot move it to the container's `secrets`: {why}",
                                r.address
                            ),
                        )
                        .at(loc.stack(r.file, site.start))
                        .help("give the container the customer's password in `secrets` by hand, or change it so that it does not need the origin's"),
                    );
                }
            }
            match result {
                Ok(written) => {
                    if !gifts.mounts.is_empty()
                        && !written.iter().any(|x| x.0 == workload::GiftKind::Mount)
                    {
                        unmounted.push(format!("`{}`", r.address));
                    }
                    let file = rewired.entry(r.file).or_default();
                    file.extend(edits);
                    for block in blocks {
                        if !declared.insert(block.key.clone()) {
                            continue;
                        }
                        // A ConfigMap graft adds for a certificate.
                        if let Some(field) = &block.certificate {
                            // The consumer's module, as its address says.
                            let module = r
                                .address
                                .rfind(&format!("{}.", r.kind))
                                .map_or("", |i| &r.address[..i]);
                            let rule = mount_rules.get(field).copied().unwrap_or(origin);
                            plan.changes.push(
                                Change::new(
                                    ChangeKind::Create,
                                    name.as_str(),
                                    format!("{module}{}", block.key.1),
                                    format!("holds the certificate `{field}` (public) for the consumers to mount"),
                                )
                                .rule(loc.rule(rule))
                                .inputs(vec![format_smolstr!("{name}.{field}")]),
                            );
                        }
                        file.push(block.edit);
                    }
                    for (kind, path, var, shown) in written {
                        if kind == workload::GiftKind::Secret {
                            gifted.insert((c, var.clone()));
                        }
                        let (origin, used) = match (kind, &credential) {
                            (workload::GiftKind::Moved, Some(c)) => (c.2, c.3.clone()),
                            _ => why.get(&var).cloned().unwrap_or((origin, Vec::new())),
                        };
                        let identity = match kind {
                            workload::GiftKind::Env => identities.get(&var),
                            _ => None,
                        };
                        let shown = match identity {
                            Some((_, text)) => text.clone(),
                            None => shown.into(),
                        };
                        let (kind, reason) = match (kind, identity) {
                            (_, Some((needs, _))) => (ChangeKind::Inject, needs.clone()),
                            (workload::GiftKind::Env, None) => {
                                (ChangeKind::Set, format!("`{var}` as the rules set it"))
                            }
                            (workload::GiftKind::Secret, None) => (
                                ChangeKind::Inject,
                                format!("`{var}` from the customer's secret, by reference"),
                            ),
                            (workload::GiftKind::Mount, None) => (
                                ChangeKind::Mount,
                                if path.ends_with(".volume_mount") {
                                    "the certificate, mounted at this path".to_string()
                                } else {
                                    format!("`{var}` holds the certificate's path")
                                },
                            ),
                            (workload::GiftKind::Annotation, None) => {
                                (ChangeKind::Annotate, format!("`{var}` as the rules set it"))
                            }
                            (workload::GiftKind::Moved, None) => (
                                ChangeKind::Inject,
                                format!(
                                    "`{var}` held the password of the dropped {name}: moved from `environment` to `secrets`, the customer's by reference"
                                ),
                            ),
                        };
                        plan.changes.push(
                            Change::new(kind, name.as_str(), r.address.as_str(), reason)
                                .path(format!("{path}.{var}"))
                                .at(loc.resource(c))
                                .values(None, Some(shown))
                                .rule(loc.rule(origin))
                                .inputs(used),
                        );
                    }
                }
                Err(reason) => plan.problems.push(
                    Problem::warning(format!(
                        "`{}` uses `{name}` but gets nothing else from graft: {reason}",
                        r.address
                    ))
                    .at(loc.resource(c))
                    .help("give it the rules' variables and the credential (by reference) by hand"),
                ),
            }
        }
        for rb in rebinds {
            if rb
                .variable
                .as_ref()
                .is_some_and(|v| gifted.contains(&(rb.reader, v.clone())))
            {
                continue;
            }
            let r = stack.resource(rb.reader);
            rewired.entry(r.file).or_default().extend(rb.edits);
            plan.changes.push(
                Change::new(
                    ChangeKind::Inject,
                    name.as_str(),
                    r.address.as_str(),
                    format!(
                        "read the password from `{}`, which is dropped: now the customer's Secret, by reference",
                        stack.resource(rb.secret).address
                    ),
                )
                .path(rb.path.as_str())
                .at(loc.stack(r.file, rb.at))
                .values(
                    Some(stack.resource(rb.secret).address.clone()),
                    credential.as_ref().map(|c| c.0.describe().into()),
                )
                .rule(loc.rule(rb.origin))
                .inputs(rb.used),
            );
        }
        if !unmounted.is_empty() {
            let items: Vec<String> = gifts
                .mounts
                .iter()
                .map(|(t, ..)| match t {
                    Target::Env(v) | Target::File(v) => format!("`{v}`"),
                })
                .collect();
            super::not_yet(
                &mut plan,
                ("mount", &items),
                "Terraform",
                &unmounted,
                loc.rule(
                    gifts
                        .mounts
                        .first()
                        .and_then(|(_, field, _)| mount_rules.get(field))
                        .copied()
                        .unwrap_or(origin),
                ),
            );
        }
        if !runs.is_empty() {
            let names: Vec<String> = runs
                .iter()
                .map(|&c| format!("`{}`", stack.resource(c).address))
                .collect();
            for (what, (items, origin)) in todo {
                super::not_yet(
                    &mut plan,
                    (what, &items),
                    "Terraform",
                    &names,
                    loc.rule(origin),
                );
            }
        }
    }

    annotate_all(stack, notes, &mut loc, &mut rewired, &mut plan);

    // Remote modules: left as they are, and said.
    let remote: Vec<String> = crate::stack::terraform::remote_modules(stack)
        .into_iter()
        .filter(|(id, _)| !dropped.contains_key(id))
        .map(|(id, source)| format!("`{}` ({source})", stack.resource(id).address))
        .collect();
    if !remote.is_empty() {
        plan.problems.push(Problem::warning(format!(
            "graft leaves remote modules as they are and does not look inside them: {}",
            remote.join(", ")
        )));
    }

    // Outputs that read only what was dropped go too.
    let mut changed = true;
    while changed {
        changed = false;
        for (i, r) in stack.resources.iter().enumerate() {
            let id = ResourceId(i as u32);
            if r.kind != "output" || dropped.contains_key(&id) {
                continue;
            }
            let open: Vec<(usize, &Reference)> = stack
                .referents(id)
                .filter(|&n| !handled[n])
                .map(|n| (n, stack.reference(n)))
                .collect();
            if !open.is_empty() && open.iter().all(|(_, x)| dropped.contains_key(&x.to)) {
                let first = &dropped[&open[0].1.to];
                let (origin, service) = (first.origin, first.service.clone());
                dropped.add(
                    id,
                    Dropped {
                        reason: format!(
                            "it reads only the dropped `{}`",
                            stack.resource(open[0].1.to).address
                        ),
                        origin,
                        service,
                    },
                );
                changed = true;
            }
        }
    }

    // Nothing may still refer to what was dropped.
    for (n, r) in stack.references().enumerate() {
        if handled[n] || dropped.contains_key(&r.from) || !dropped.contains_key(&r.to) {
            continue;
        }
        if matches!(r.kind, RefKind::ModuleInput | RefKind::ModuleOutput) {
            continue;
        }
        let d = &dropped[&r.to];
        plan.problems.push(
            Problem::error(
                "E0702",
                format!(
                    "`{}` reads `{}{}`, which is dropped, and no rule says what it becomes",
                    stack.resource(r.from).address,
                    stack.resource(r.to).address,
                    match &r.kind {
                        RefKind::Expr(e) => e.rest.as_str(),
                        _ => "",
                    }
                ),
            )
            .at(loc.stack(r.site.file, r.site.span.start))
            .rule(loc.rule(d.origin))
            .help("bind the role this attribute stands for in the rule (and name the attribute as its source in the matcher), or change the consumer so that it does not need it"),
        );
    }

    for s in &mut plan.services {
        s.consumers = consumers
            .get(&s.name)
            .into_iter()
            .flatten()
            .map(|&c| stack.resource(c).address.to_string())
            .collect();
    }
    for (&id, d) in &dropped {
        let r = stack.resource(id);
        if gone_folders.contains(r.namespace.as_str()) && r.kind != "module" {
            continue;
        }
        plan.changes.push(
            Change::new(
                ChangeKind::Drop,
                d.service.as_str(),
                r.address.as_str(),
                d.reason.as_str(),
            )
            .at(loc.resource(id))
            .rule(loc.rule(d.origin)),
        );
    }
    let files = write(stack, &dropped, &gone_folders, rewired, &mut plan);
    plan.finish();
    let files = if plan.has_errors() { Vec::new() } else { files };
    Outcome { plan, files }
}

/// The module call to drop instead of `id`, when `id` is in a module that
/// does nothing but provide it: every resource of the module is matched or
/// tied to a matched one (through references among the module's own
/// resources and locals), none of them runs an application or reads a
/// matched resource's endpoint, and it calls no module of its own.
fn wrapper_call(
    stack: &Stack,
    by_address: &HashMap<&str, ResourceId>,
    instances: &[Instance<'_>],
    id: ResourceId,
) -> Option<ResourceId> {
    let r = stack.resource(id);
    if r.namespace.is_empty() {
        return None;
    }
    let folder = r.namespace.as_str();
    let local = format!("{}.{}", r.kind, r.name);
    let call_address = r.address.strip_suffix(&local)?.strip_suffix('.')?;
    let call = *by_address.get(call_address)?;
    let members: Vec<ResourceId> = stack
        .ids()
        .filter(|&m| stack.resource(m).namespace == folder)
        .collect();
    let matched: BTreeSet<ResourceId> = instances
        .iter()
        .map(|i| i.resource)
        .filter(|m| stack.resource(*m).namespace == folder)
        .collect();
    for &m in &members {
        let k = stack.resource(m).kind.as_str();
        if k == "module" || is_workload(k) {
            return None;
        }
    }
    // Tied: connected to a matched resource through references that stay
    // among the module's resources and locals.
    let tie = |m: ResourceId| {
        let k = stack.resource(m).kind.as_str();
        k != "variable" && k != "output"
    };
    let mut seen: BTreeSet<ResourceId> = matched.clone();
    let mut queue: Vec<ResourceId> = matched.iter().copied().collect();
    while let Some(m) = queue.pop() {
        let near = stack
            .references_from(m)
            .map(|x| x.to)
            .chain(stack.referrers(m).map(|n| stack.reference(n).from));
        for o in near {
            if stack.resource(o).namespace == folder && tie(o) && seen.insert(o) {
                queue.push(o);
            }
        }
    }
    let all_tied = members.iter().all(|&m| !tie(m) || seen.contains(&m));
    all_tied.then_some(call)
}

/// The variables of called folders that carry the endpoint (`carriers`:
/// an argument rewired, in `arguments`, or one that reads a carrier) whose
/// folder another call gives a value that carries nothing of it: the call
/// that carries it, the variable, and the other call's argument.
fn shared_module_arguments<'s>(
    stack: &'s Stack,
    arguments: &BTreeMap<ResourceId, BTreeSet<SmolStr>>,
    carriers: &BTreeSet<ResourceId>,
) -> Vec<(ResourceId, ResourceId, &'s Reference)> {
    // Whether a call's argument for `var` carries the endpoint.
    let carries = |call: ResourceId, var: &str| {
        arguments.get(&call).is_some_and(|a| a.contains(var))
            || stack.references_from(call).any(|x| {
                x.kind != RefKind::ModuleInput
                    && x.site.path.split(['.', '[']).next() == Some(var)
                    && carriers.contains(&x.to)
            })
    };
    let mut out = Vec::new();
    for &v in carriers {
        let r = stack.resource(v);
        if r.kind != "variable" || r.namespace.is_empty() {
            continue;
        }
        let calls: Vec<&Reference> = stack
            .referrers(v)
            .map(|n| stack.reference(n))
            .filter(|x| x.kind == RefKind::ModuleInput)
            .collect();
        let Some(carrying) = calls.iter().find(|x| carries(x.from, &r.name)) else {
            continue;
        };
        for other in calls.iter().filter(|x| !carries(x.from, &r.name)) {
            out.push((carrying.from, v, *other));
        }
    }
    out
}

/// The resources that use what was rewired at `sites` (resources, locals,
/// variables, outputs): a local, variable or module output passes it on to
/// whatever reads it; a root output hands it out of the stack.
fn consumers_of(
    stack: &Stack,
    sites: impl Iterator<Item = ResourceId>,
    arguments: &BTreeMap<ResourceId, BTreeSet<SmolStr>>,
) -> (BTreeSet<ResourceId>, BTreeSet<ResourceId>) {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut queue: Vec<ResourceId> = sites.collect();
    while let Some(id) = queue.pop() {
        if !seen.insert(id) {
            continue;
        }
        let r = stack.resource(id);
        match r.kind.as_str() {
            "local" | "variable" => {
                queue.extend(stack.referrers(id).map(|n| stack.reference(n).from));
            }
            // A module call hands it to the module's variables (a remote
            // module, whose insides graft does not see, is the consumer).
            "module" => {
                // The variables of the rewired arguments, when known.
                let args = arguments.get(&id);
                let vars: Vec<ResourceId> = stack
                    .references_from(id)
                    .filter(|x| x.kind == RefKind::ModuleInput)
                    .map(|x| x.to)
                    .filter(|&v| args.is_none_or(|a| a.contains(&stack.resource(v).name)))
                    .collect();
                if vars.is_empty() {
                    out.insert(id);
                }
                queue.extend(vars);
            }
            "output" => {
                // Read as `module.m.NAME` by the callers of its module.
                for call in stack.referrers(id).map(|n| stack.reference(n)) {
                    if call.kind != RefKind::ModuleOutput {
                        continue;
                    }
                    queue.extend(stack.referrers(call.from).filter_map(|n| {
                        let x = stack.reference(n);
                        matches!(&x.kind, RefKind::Expr(e) if e.attribute.as_deref() == Some(r.name.as_str()))
                            .then_some(x.from)
                    }));
                }
            }
            // A ConfigMap or Secret holds it for the pods that read it
            // (`env_from`, `config_map_key_ref`, a volume): they use it too.
            kind if holds_data(kind) => {
                out.insert(id);
                queue.extend(stack.referrers(id).map(|n| stack.reference(n).from));
            }
            _ => {
                out.insert(id);
            }
        }
    }
    (out, seen)
}

/// Whether resources of this Terraform type hold data for the pods that
/// read them (a Kubernetes ConfigMap or Secret): what they hold is
/// rewritten, and the rules' variables go to the pods, not to them.
fn holds_data(kind: &str) -> bool {
    matches!(
        kind.trim_end_matches("_v1"),
        "kubernetes_config_map" | "kubernetes_secret"
    )
}

/// Every module call of `folder`: the one its resources are read under,
/// and every other that sets its variables or reads its outputs.
fn calls_of(stack: &Stack, folder: &str, first: ResourceId) -> BTreeSet<ResourceId> {
    let mut calls: BTreeSet<ResourceId> = BTreeSet::from([first]);
    for r in stack.references() {
        if matches!(r.kind, RefKind::ModuleInput | RefKind::ModuleOutput)
            && stack.resource(r.to).namespace == folder
        {
            calls.insert(r.from);
        }
    }
    calls
}

/// Where a security group rule names its peer: the group it lets traffic
/// in from or out to (`aws_vpc_security_group_ingress_rule`,
/// `aws_security_group_rule`).
const PEERS: &[&str] = &["referenced_security_group_id", "source_security_group_id"];

/// Where an alarm names the topics it notifies: they serve it, and do not
/// exist for it.
const NOTIFIES: &[&str] = &["alarm_actions", "ok_actions", "insufficient_data_actions"];

/// Adds what exists only for the dropped resources: resources, data
/// sources and locals that something dropped refers to and nothing else
/// does (outputs aside: they are dealt with after); and resources that refer
/// to something dropped, that nothing refers to, and that are not
/// applications (alarms on it, security group rules of its group).
fn close_drops(
    stack: &Stack,
    dropped: &mut Drops,
    handled: &[bool],
    roles: &RoleIndex<'_>,
    origin: Origin,
    service: &str,
) {
    // A security group rule's peer (the group it lets traffic in from or
    // out to, not the group it belongs to) and an alarm's notification
    // topics do not tie the one that names them to them.
    let weak = |x: &Reference| {
        let attr = x.site.path.split(['.', '[']).next().unwrap_or("");
        PEERS.contains(&attr)
            || NOTIFIES.contains(&attr)
            // An inline rule's peers: `ingress { security_groups = [...] }`.
            || (matches!(attr, "ingress" | "egress") && x.site.path.contains("security_groups"))
    };
    // A leaf (nothing refers to it, not an application) whose references
    // to resources all name `target` or what is dropped (peers and topics
    // aside): it is attached to `target` and goes with it.
    let attached_to = |leaf: ResourceId, target: ResourceId, dropped: &Drops| {
        let l = stack.resource(leaf);
        !VALUES.contains(&l.kind.as_str())
            && l.kind != "module"
            && !is_workload(&l.kind)
            && stack.referrers(leaf).all(|n| {
                let x = stack.reference(n);
                stack.resource(x.from).kind == "output"
                    || matches!(&x.kind, RefKind::Expr(e) if e.depends_on)
            })
            && stack.references_from(leaf).all(|x| {
                x.to == target
                    || weak(x)
                    || dropped.contains_key(&x.to)
                    || VALUES.contains(&stack.resource(x.to).kind.as_str())
                    || stack.resource(x.to).kind.starts_with("data.")
            })
    };
    // Only what is next to something dropped can change: each round looks
    // at the neighbours of the last round's drops.
    let neighbours = |id: ResourceId| {
        stack
            .references_from(id)
            .map(|x| x.to)
            .chain(stack.referrers(id).map(|n| stack.reference(n).from))
            .collect::<Vec<_>>()
    };
    let mut candidates: BTreeSet<ResourceId> =
        dropped.keys().flat_map(|&d| neighbours(d)).collect();
    loop {
        let mut more: Vec<(ResourceId, String)> = Vec::new();
        for id in std::mem::take(&mut candidates) {
            if dropped.contains_key(&id) {
                continue;
            }
            let r = stack.resource(id);
            if r.kind == "variable" || r.kind == "output" || r.kind == "module" {
                continue;
            }
            let live_referrers: Vec<ResourceId> = stack
                .referrers(id)
                .filter(|&n| !handled[n])
                .map(|n| stack.reference(n))
                .filter(|x| !matches!(&x.kind, RefKind::Expr(e) if e.depends_on) && !weak(x))
                .map(|x| x.from)
                .filter(|&f| stack.resource(f).kind != "output" && !attached_to(f, id, dropped))
                .collect();
            let owners: Vec<ResourceId> = live_referrers
                .iter()
                .copied()
                .filter(|f| dropped.contains_key(f))
                .collect();
            if !owners.is_empty() && owners.len() == live_referrers.len() {
                more.push((
                    id,
                    format!(
                        "it exists only for the dropped `{}`",
                        stack.resource(owners[0]).address
                    ),
                ));
                continue;
            }
            // Attached: refers to something dropped, nothing refers to it.
            // A resource that reads an endpoint (a DNS record of the cache's
            // address) is a consumer, to rewire, not an attachment.
            let reads_endpoint = || {
                stack.references_from(id).any(|x| match &x.kind {
                    RefKind::Expr(e) => {
                        dropped.contains_key(&x.to)
                            && roles.role_at(stack, x.to, &e.rest, 0).is_some()
                    }
                    _ => false,
                })
            };
            // What was given something anew (a secret version whose
            // `secret_string` now reads the customer's secret) is kept.
            let given_anew = || stack.referents(id).any(|n| handled[n]);
            if live_referrers.is_empty()
                && !VALUES.contains(&r.kind.as_str())
                && !is_workload(&r.kind)
                && !reads_endpoint()
                && !given_anew()
                && let Some(target) = stack.references_from(id).map(|x| x.to).find(|t| {
                    dropped.contains_key(t) && !VALUES.contains(&stack.resource(*t).kind.as_str())
                })
            {
                more.push((
                    id,
                    format!(
                        "it is attached to the dropped `{}`",
                        stack.resource(target).address
                    ),
                ));
            }
        }
        for (id, _) in &more {
            candidates.extend(neighbours(*id));
        }
        if !dropped.add_round(more, origin, service) {
            return;
        }
    }
}

/// Which endpoint role an expression reads, by the matcher arms of the
/// matched resources (and through module outputs, to what they read).
struct RoleIndex<'a> {
    arms: HashMap<ResourceId, &'a crate::check::program::ArmDef>,
}

impl<'a> RoleIndex<'a> {
    fn new(mine: &[&Instance<'a>]) -> RoleIndex<'a> {
        RoleIndex {
            arms: mine.iter().map(|i| (i.resource, i.arm)).collect(),
        }
    }

    /// The role a reference reads: the arm's role whose source is the
    /// attribute read (indexes and splats aside); through a module call,
    /// the role its output reads.
    fn role_of(&self, stack: &Stack, r: &Reference, e: &ExprRef) -> Option<String> {
        self.role_at(stack, r.to, &e.rest, 0)
    }

    fn role_at(
        &self,
        stack: &Stack,
        target: ResourceId,
        rest: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > 8 {
            return None;
        }
        let t = stack.resource(target);
        if let Some(arm) = self.arms.get(&target) {
            let attr = attribute_path(rest);
            // A matched module call: what is read is one of its outputs.
            let attr = if t.kind == "module" {
                format!("outputs.{}", attr.split('.').next().unwrap_or(""))
            } else {
                attr
            };
            return arm.role_reading(&attr).map(str::to_string);
        }
        match t.kind.as_str() {
            // `module.m.out`: the output `out` of the module, and what it
            // reads.
            "module" => {
                let out = attribute_path(rest);
                let out = out.split('.').next()?;
                let output = stack
                    .references_from(target)
                    .find(|x| x.kind == RefKind::ModuleOutput && x.site.path == out)?
                    .to;
                self.role_at(stack, output, "", depth + 1)
            }
            // A variable: what the calls of its module give it.
            "variable" => {
                let mut found: Option<String> = None;
                for n in stack.referrers(target) {
                    let input = stack.reference(n);
                    if input.kind != RefKind::ModuleInput {
                        continue;
                    }
                    for x in stack.references_from(input.from) {
                        let RefKind::Expr(e) = &x.kind else { continue };
                        if x.site.path != input.site.path
                            && !x.site.path.starts_with(&format!("{}.", input.site.path))
                        {
                            continue;
                        }
                        let role = self.role_at(stack, x.to, &e.rest, depth + 1)?;
                        if found.as_ref().is_some_and(|f| *f != role) {
                            return None;
                        }
                        found = Some(role);
                    }
                }
                found
            }
            // An output or a local: the one role all its references read.
            // A value built of several (`"${host}:${port}"`, a Redis URL) is
            // the role such a value is: `endpoint`, `url`.
            "output" | "local" => {
                let mut roles: Vec<String> = Vec::new();
                for x in stack.references_from(target) {
                    let RefKind::Expr(e) = &x.kind else { continue };
                    roles.push(self.role_at(stack, x.to, &e.rest, depth + 1)?);
                }
                roles.dedup();
                match roles.as_slice() {
                    [] => None,
                    [one] => Some(one.clone()),
                    _ => {
                        let file = &stack.files[t.file];
                        let node = file.node(t);
                        let value = if t.kind == "output" {
                            node.get("value")?
                        } else {
                            node
                        };
                        let text = file.text.get(value.span().start..value.span().end)?;
                        built_role(text, &roles)
                    }
                }
            }
            _ => None,
        }
    }
}

/// The role of a value built from others: a connection URL template is `url`;
/// `"${H}:${P}"` of a host and a port is `endpoint`.
fn built_role(text: &str, roles: &[String]) -> Option<String> {
    if is_url_template(text) {
        return Some("url".into());
    }
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let (host, port) = inner.split_once("}:${")?;
    let simple = |s: &str| !s.contains(['$', '{', '}', '"']);
    let host = host.strip_prefix("${")?;
    let port = port.strip_suffix('}')?;
    (simple(host) && simple(port) && roles == ["host", "port"]).then(|| "endpoint".into())
}

/// What a traversal reads after its target, as a dotted attribute path:
/// `[0].cache_nodes[0].address` is `cache_nodes.address`.
fn attribute_path(rest: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(word);
            word.clear();
        }
    };
    for c in rest.chars() {
        match c {
            '[' => {
                flush(&mut word, &mut out);
                depth += 1;
            }
            ']' => depth -= 1,
            '.' if depth == 0 => flush(&mut word, &mut out),
            c if depth == 0 && !c.is_whitespace() => word.push(c),
            _ => {}
        }
    }
    flush(&mut word, &mut out);
    out
}

/// An annotation a service's rules give a consumer.
struct Note {
    key: String,
    value: String,
    service: String,
    origin: Origin,
    used: Vec<SmolStr>,
}

/// Writes every consumer's annotations, all services' at once (a new
/// `tags` map holds them all), with a plan line per annotation, or a
/// warning where they cannot be written.
fn annotate_all(
    stack: &Stack,
    notes: BTreeMap<ResourceId, Vec<Note>>,
    loc: &mut Locator<'_>,
    rewired: &mut BTreeMap<usize, Vec<Edit>>,
    plan: &mut Plan,
) {
    use rayon::prelude::*;
    let notes: Vec<(ResourceId, Vec<Note>)> = notes.into_iter().collect();
    let written: Vec<_> = notes
        .par_iter()
        .map(|(c, notes)| {
            let pairs: Vec<(String, String)> = notes
                .iter()
                .map(|n| (n.key.clone(), n.value.clone()))
                .collect();
            let mut edits = Vec::new();
            let result = workload::annotate(stack, *c, &pairs, &mut edits);
            (result, edits)
        })
        .collect();
    for ((c, notes), (result, edits)) in notes.iter().zip(written) {
        let r = stack.resource(*c);
        match result {
            Ok(written) => {
                rewired.entry(r.file).or_default().extend(edits);
                for (_, path, key, shown) in written {
                    let Some(note) = notes.iter().find(|n| n.key == key) else {
                        continue;
                    };
                    let what = if path == "tags" {
                        "a tag on the resource (AWS resources have tags, not annotations)"
                    } else {
                        "an annotation on the workload"
                    };
                    plan.changes.push(
                        Change::new(
                            ChangeKind::Annotate,
                            note.service.as_str(),
                            r.address.as_str(),
                            what,
                        )
                        .path(format!("{path}.{key}"))
                        .at(loc.resource(*c))
                        .values(None, Some(shown.into()))
                        .rule(loc.rule(note.origin))
                        .inputs(note.used.clone()),
                    );
                }
            }
            Err(reason) => {
                let keys: Vec<String> = notes.iter().map(|n| format!("`{}`", n.key)).collect();
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` is not annotated with {}: {reason}",
                        r.address,
                        keys.join(", ")
                    ))
                    .at(loc.resource(*c))
                    .help("add the annotation by hand, where the workload keeps its metadata"),
                );
            }
        }
    }
}

/// Whether a URL's authority carries a password (`scheme://user:pass@host`,
/// `scheme://:pass@host`).
fn userinfo_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .is_some_and(|(user, _)| user.split_once(':').is_some_and(|(_, p)| !p.is_empty()))
}

/// The sources of the dropped service's password (`passwords`: what fed
/// its `auth_token`) that also serve something else: another resource's
/// password (an RDS master password from the same variable), a reader named
/// for another service (`PGPASSWORD`), or a value derived from it (a
/// `sha256(...)` signing key). Their other readers are not given the
/// customer's password.
fn shared_passwords<'s>(
    stack: &'s Stack,
    dropped: &Drops,
    passwords: &HashSet<(ResourceId, &'s str)>,
    service: &str,
) -> HashSet<(ResourceId, &'s str)> {
    let mut shared = HashSet::new();
    if passwords.is_empty() {
        return shared;
    }
    for r in stack.references() {
        let RefKind::Expr(e) = &r.kind else { continue };
        let Some(&key) = passwords.get(&(r.to, e.rest.as_str())) else {
            continue;
        };
        if dropped.contains_key(&r.from) {
            continue;
        }
        if serves_another(stack, r, service).is_some() {
            shared.insert(key);
        }
    }
    shared
}

/// Why a reader of a shared password source (see [`shared_passwords`]) is
/// not one that connects to the dropped `service`; `None` when it is: its
/// name says the service, or it reads the whole value beside the dropped
/// resource itself (a workload that also reads its endpoint).
fn other_use(
    stack: &Stack,
    r: &Reference,
    e: &ExprRef,
    dropped: &Drops,
    service: &str,
) -> Option<&'static str> {
    if let Some(why) = serves_another(stack, r, service) {
        return Some(why);
    }
    if names_the_service(reader_name(&r.site.path), service) {
        return None;
    }
    let beside = stack
        .references_from(r.from)
        .any(|o| dropped.contains_key(&o.to) && dropped[&o.to].service == service);
    if (e.whole || e.template.is_some()) && beside {
        return None;
    }
    Some("nothing says it connects to the dropped service")
}

/// How a reader of the dropped service's password source shows that it
/// serves something else, if it does: it is another resource's own
/// password, a value is derived from it, or its name says another service
/// (and not this one).
fn serves_another(stack: &Stack, r: &Reference, service: &str) -> Option<&'static str> {
    let name = reader_name(&r.site.path);
    if crate::catalogue::is_credential(&stack.resource(r.from).kind, name) {
        Some("it is another resource's own password")
    } else if derived(stack, r) {
        Some("a value is derived from it")
    } else if names_another_service(name, service) && !names_the_service(name, service) {
        Some("its name says another service")
    } else {
        None
    }
}

/// The name a reference's site is under: the last key of its path
/// (`environment.variables.PGPASSWORD`: `PGPASSWORD`).
fn reader_name(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// Whether the site hashes or signs with the value (`sha256(...)`): a key
/// derived from a password is no connection to the service.
fn derived(stack: &Stack, r: &Reference) -> bool {
    let text = &stack.files[r.site.file].text;
    let before = text
        .get(..r.site.span.start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t']);
    [
        "sha1(",
        "sha256(",
        "sha512(",
        "md5(",
        "bcrypt(",
        "base64sha256(",
        "base64sha512(",
        "uuidv5(",
    ]
    .iter()
    .any(|f| before.ends_with(f))
}

/// Whether a name says `service` (by its own name, or, for a key-value
/// store, by the names its clients give it).
fn names_the_service(name: &str, service: &str) -> bool {
    words(name).any(|w| service_prefixes(service).iter().any(|p| w.starts_with(p)))
}

/// Whether a name says a service other than `service`.
fn names_another_service(name: &str, service: &str) -> bool {
    const SERVICES: &[&str] = &[
        "redis",
        "valkey",
        "postgresql",
        "mysql",
        "mongodb",
        "amqp",
        "smtp",
        "ldap",
    ];
    let mine = service_prefixes(service);
    SERVICES
        .iter()
        .filter(|s| **s != service)
        .flat_map(|s| service_prefixes(s))
        .filter(|p| !mine.contains(p))
        .any(|p| words(name).any(|w| w.starts_with(p)))
}

/// The words of a variable name, lowercase.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(['_', '-', '.', '/'])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// How names start that say `service`.
fn service_prefixes(service: &str) -> Vec<&str> {
    match service {
        "redis" | "valkey" => vec!["redis", "valkey", "cache", "elasticache", "memorydb"],
        "postgresql" => vec![
            "pg",
            "postgres",
            "database",
            "db",
            "sql",
            "jdbc",
            "datasource",
        ],
        "mysql" => vec!["mysql", "mariadb"],
        "mongodb" => vec!["mongo"],
        "amqp" => vec!["amqp", "rabbit"],
        "smtp" => vec!["smtp", "mail"],
        "ldap" => vec!["ldap"],
        other => vec![other],
    }
}

/// The spans that lie inside another of `spans` (which are distinct).
fn enclosed(spans: impl Iterator<Item = Span>) -> std::collections::HashSet<Span> {
    let mut sorted: Vec<Span> = spans.collect();
    // By start, the longest first: every span before one starts no later,
    // so one of them holds it if the furthest end reaches its end.
    sorted.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = std::collections::HashSet::new();
    let mut furthest: Option<usize> = None;
    for s in sorted {
        match furthest {
            Some(end) if end >= s.end => {
                out.insert(s);
            }
            _ => furthest = Some(s.end),
        }
    }
    out
}

/// The text of a string template (quotes included) or of a `format()`
/// call's format string, from its start; and whether it is built around
/// values (interpolations, or the call's arguments).
fn template_text_of(template: &str) -> (&str, bool) {
    match template.strip_prefix("format(") {
        Some(call) => (call.trim_start().trim_start_matches('"'), true),
        None => {
            let inner = template.trim_matches('"');
            (inner, inner.contains("${"))
        }
    }
}

/// Whether a string template (quotes included) is a connection URL: a
/// scheme (`redis`, `rediss`, `postgresql`, `jdbc:postgresql`...) then
/// `://`, built around interpolations. Web URLs (`http`, `https`, `ws`,
/// `wss`) are not: a service's page is no connection to it.
fn is_url_template(template: &str) -> bool {
    let (inner, built) = template_text_of(template);
    let Some((scheme, _)) = inner.split_once("://") else {
        return false;
    };
    let is_scheme =
        |s: &str| super::connection::is_connection_scheme(s.strip_prefix("jdbc:").unwrap_or(s));
    built
        && (is_scheme(scheme)
            || directive_words(scheme)
                .is_some_and(|w| !w.is_empty() && w.into_iter().all(is_scheme)))
}

/// The literal words of a text written with template directives, which
/// choose between them (`%{ if var.tls }rediss%{ else }redis%{ endif }`);
/// `None` where it writes no directive, or an interpolation.
fn directive_words(text: &str) -> Option<Vec<&str>> {
    if !text.contains("%{") || text.contains("${") {
        return None;
    }
    let mut words = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("%{") {
        words.extend(rest[..open].split_whitespace());
        let close = rest[open..].find('}')?;
        rest = &rest[open + close + 1..];
    }
    words.extend(rest.split_whitespace());
    Some(words)
}

/// The bound URL `bound` in place of the connection URL `old` (a template,
/// its interpolations as written): a JDBC URL stays one (and names its
/// user only as an option), and the options `old` writes as plain text
/// stay unless `bound` sets them.
fn url_in_place_of(old: &str, bound: &str) -> String {
    let (inner, _) = template_text_of(old);
    // Text after the URL (`" --timeout 5"`) stays after the customer's.
    let tail = after_url(old);
    let inner = inner.strip_suffix(tail).unwrap_or(inner);
    let jdbc = inner.starts_with("jdbc:");
    // A JDBC URL keeps the driver it names (`jdbc:postgresql`).
    let written_scheme = inner
        .split_once("://")
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['$', '{', '%']));
    let old_query = inner
        .rfind('?')
        .map(|i| &inner[i..])
        .filter(|q| !q.contains(['$', '{', '}', '%', '"']))
        .unwrap_or("");
    let cut = bound.find(['?', '#']).unwrap_or(bound.len());
    let (base, bound_query) = bound.split_at(cut);
    // A password written as an option is the vendor's: it goes.
    let old_query = super::connection::rebind_password_options(old_query, None);
    let mut query = super::connection::merge_query(&old_query, bound_query);
    if !jdbc {
        return format!("{base}{query}{tail}");
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    let slash = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(slash);
    let host = match authority.rsplit_once('@') {
        Some((info, host)) => {
            if let Some(user) = info.split(':').next().filter(|u| !u.is_empty()) {
                query = super::connection::replace_option(&query, "user", user);
            }
            host
        }
        None => authority,
    };
    let scheme = match written_scheme {
        Some(w) => w.to_string(),
        None if scheme.starts_with("jdbc:") => scheme.to_string(),
        None => format!("jdbc:{scheme}"),
    };
    format!("{scheme}://{host}{path}{query}{tail}")
}

/// What follows the connection URL a quoted template starts with: from the
/// first space outside interpolations and directives
/// (`"redis://${...}:6379/0 --timeout 5"`); empty where the URL is the whole
/// template, or the template is a `format()` call.
fn after_url(template: &str) -> &str {
    if template.starts_with("format(") {
        return "";
    }
    let inner = template
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(template);
    let bytes = inner.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' | b'%' if bytes.get(i + 1) == Some(&bytes[i]) => i += 1,
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'{' if depth > 0 => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            c if depth == 0 && (c.is_ascii_whitespace() || matches!(c, b',' | b';' | b'\\')) => {
                return &inner[i..];
            }
            _ => {}
        }
        i += 1;
    }
    ""
}

/// Where the literal text around the interpolation `i` is read: the
/// inside of the quoted template `template`, or, where the interpolation is
/// in no quoted template (a heredoc's line, a directive's body), the line it
/// is on.
fn literal_bounds(text: &str, template: Option<Span>, i: Span) -> Option<(usize, usize)> {
    let (lo, hi) = match template {
        Some(t) => {
            if !text.get(t.start..t.end)?.starts_with('"') {
                return None;
            }
            (t.start + 1, t.end.checked_sub(1)?)
        }
        None => (
            crate::stack::edit::line_start(text, i.start),
            text.get(i.end..)?
                .find('\n')
                .map_or(text.len(), |n| i.end + n),
        ),
    };
    (lo <= i.start && i.end <= hi).then_some((lo, hi))
}

/// The connection URL written around the host that the whole-template
/// rewrite did not take: one of another family than the bound URL's
/// (Predis' `tcp://` and `tls://`) that writes more than the host that must
/// change (a user, a password or options as plain text, or no port:
/// `"tcp://${...}"`, Predis' default port); a URL of any connection scheme
/// in a heredoc's line, a directive's body or after other text
/// (`"Redis at redis://:pw@${...}:6379/0"`); or a `format()` call whose one
/// argument is the host (`format("tcp://%s:6379", ...)`). The host is the
/// interpolation `Ok(span)` (in the quoted template `template`, if any), or
/// the traversal `Err(span)`, a `format()` argument. The URL runs from its
/// scheme to the first space, quote or character that is not ASCII, and is
/// taken only where it holds no other interpolation, directive, escape or
/// quote. Gives the span to replace, its text with the customer's scheme,
/// host and port and without the vendor's password (in the user
/// information or an `auth=` option), and the inputs read; `None` for any
/// other template.
fn other_family_url(
    text: &str,
    template: Option<Span>,
    host: Result<Span, Span>,
    served: impl FnOnce() -> Option<Vec<String>>,
    bound: &BTreeMap<String, super::Bound<'_>>,
    provided: &crate::bindings::Provided,
) -> Option<(Span, String, Vec<SmolStr>)> {
    // The text before the host from the URL's scheme, the text after it to
    // the URL's end, where the URL starts, and whether it is a format string.
    let (before, after, start, format) = match host {
        Ok(i) => {
            let (lo, hi) = literal_bounds(text, template, i)?;
            let lead = text.get(lo..i.start)?;
            let from = super::connection::url_start(lead)?;
            let rest = text.get(i.end..hi)?;
            // A URL in quotes ends at the closing one; any ends at a space or
            // at what no URL holds (`(redis://...)`, `[a, b]`, `url=...;x`).
            let quote = lead[..from].ends_with('\'');
            let end = rest
                .find(|c: char| {
                    c.is_ascii_whitespace()
                        || !c.is_ascii()
                        || matches!(c, '"' | '<' | '>' | ')' | ']' | '}' | ',' | ';' | '\\')
                        || (quote && c == '\'')
                })
                .unwrap_or(rest.len());
            // A directive after the URL ends it where it closes a body
            // (`...:6379/0%{ endif }`); one inside it (`${...}%{ if x }:6379%{ endif }`)
            // is a part graft does not write.
            let end = match rest[..end].find("%{") {
                Some(d) => {
                    let keyword = rest[d + 2..].trim_start_matches(['~', ' ']);
                    if !["endif", "else", "endfor"]
                        .iter()
                        .any(|k| keyword.starts_with(k))
                    {
                        return None;
                    }
                    d
                }
                None => end,
            };
            (&lead[from..], &rest[..end], lo + from, false)
        }
        Err(arg) => {
            let t = template?;
            let (before, after, _) = format_call(text, t, arg)?;
            (before, after, t.start, true)
        }
    };
    // `format("%s:6379", host)`: the customer's host and port.
    if format && !before.contains("://") {
        let digits = after.strip_prefix(':')?;
        let n = digits.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || served().is_some_and(|s| !s.iter().any(|d| d == &digits[..n])) {
            return None;
        }
        let ((h, hu, _), (p, pu, _)) = (bound.get("host")?, bound.get("port")?);
        let new = format!("{before}{}:{p}{}", bracket(h), &digits[n..]);
        return Some((template?, quoted(&new), [&hu[..], &pu[..]].concat()));
    }
    let (scheme, userinfo) = before.split_once("://")?;
    // No interpolation, escape or quote: the options' ends are read as
    // written.
    let plain = |t: &str| !t.contains("${") && !t.contains("%{") && !t.contains(['\\', '\'', '"']);
    let predis = scheme.eq_ignore_ascii_case("tcp") || scheme.eq_ignore_ascii_case("tls");
    // Predis' schemes, or any connection scheme where the URL is not the
    // whole quoted template: text before it, or after it that the
    // whole-string rewrite leaves (`"redis://${...}:6379/0 ${var.flags}"`).
    // A web URL (`http://%s:9121/metrics`) is no connection to the service.
    let alone = |t: Span| {
        text[t.start + 1..start].is_empty() && host.is_ok_and(|i| i.end + after.len() + 1 >= t.end)
    };
    let connection = !format
        && template.is_none_or(|t| !alone(t))
        && super::connection::is_connection_scheme(scheme);
    // A user an interpolation writes (`${var.user}:pw@`) goes through the
    // rewrite as a stand-in, and is put back after it.
    const USER: &str = "\u{1}user\u{1}";
    let (userinfo, user) = match userinfo.strip_suffix('@') {
        Some(info) if !format && !plain(info) => {
            let (user, password) = match crate::stack::interpolate::split_userinfo(info) {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            let one = user.starts_with("${")
                && crate::stack::interpolate::closing_brace(user.as_bytes(), 2)
                    == Some(user.len() - 1);
            if !one || !password.is_none_or(plain) {
                return None;
            }
            let info = match password {
                Some(p) => format!("{USER}:{p}@"),
                None => format!("{USER}@"),
            };
            (std::borrow::Cow::Owned(info), Some(user))
        }
        _ => (std::borrow::Cow::Borrowed(userinfo), None),
    };
    let userinfo = userinfo.as_ref();
    if !(predis || connection)
        || !(userinfo.is_empty() || userinfo.ends_with('@'))
        || !plain(userinfo)
        || !plain(after)
    {
        return None;
    }
    // Nothing but a Predis URL's host and port to change: the plain rewrite
    // does it.
    let nothing_more = predis
        && !format
        && userinfo.is_empty()
        && after.starts_with(':')
        && super::connection::password_options(after).is_empty()
        && !after.contains("database=")
        && !after.contains("db=");
    if nothing_more {
        return None;
    }
    // A written port that is not the data port (an exporter's) is left to
    // the check of side ports.
    let port = after.strip_prefix(':').map(|p| {
        let n = p.bytes().take_while(u8::is_ascii_digit).count();
        &p[..n]
    });
    if let Some(p) = port.filter(|p| !p.is_empty())
        && served().is_some_and(|s| !s.iter().any(|d| d == p))
    {
        return None;
    }
    // The URL with a stand-in for the host, which the rewrite replaces.
    let before = format!("{scheme}://{userinfo}");
    let url = format!("{before}-{after}");
    let at = before.len();
    let net = crate::stack::NetRef {
        form: crate::stack::NetForm::Url,
        start: 0,
        end: url.len(),
        host: (at, at + 1),
        split: false,
    };
    let (_, _, new, used, _) =
        super::kubernetes::consumers::rewrite_network(&url, &net, bound, None, provided).ok()?;
    let new = super::connection::rebind_password_options(&new, None);
    Some(match host {
        Ok(i) => {
            let span = Span::new(start, i.end + after.len());
            let new = template_text(text, start, &new);
            let new = match user {
                Some(user) => new.replacen(USER, user, 1),
                None => new,
            };
            (span, new, used)
        }
        Err(_) => (template?, quoted(&new), used),
    })
}

/// The warning that `r`'s site writes `what` (a password option, a password
/// in a format() string) that graft cannot take out where it is written.
fn uncut_password(stack: &Stack, r: &Reference, what: &str) -> Problem {
    Problem::warning(format!(
        "`{}` {} writes {what} graft cannot take out where it is written; the vendor's password may stay in it",
        stack.resource(r.from).address,
        r.site.path
    ))
    .help("take the password out of the string by hand: the customer's credential reaches the workload by reference")
}

/// The interpolations that write the port or path of a URL, in `tail`, the
/// text after its host: up to its query, or where the URL ends.
fn given_after(tail: &str) -> Vec<&str> {
    let bytes = tail.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' | b'%' if bytes.get(i + 1) == Some(&bytes[i]) => i += 1,
            // An interpolation, or a directive that writes a part
            // (`%{ if var.tls }:6380%{ endif }`).
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                let Some(close) = crate::stack::interpolate::closing_brace(bytes, i + 2) else {
                    break;
                };
                out.push(&tail[i..=close]);
                i = close;
            }
            b'?' | b'#' | b'"' | b'\'' | b'%' | b')' | b']' | b'}' | b',' | b';' | b'\\' => {
                break;
            }
            b if b.is_ascii_whitespace() => break,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The span of the format string of the `format()` call `t`, its quotes
/// left out.
fn format_string(text: &str, t: Span) -> Option<Span> {
    let written = text.get(t.start..t.end)?;
    let call = written.strip_prefix("format(")?.trim_start();
    let close = call.strip_prefix('"')?.find('"')? + 1;
    let start = t.start + (written.len() - call.len()) + 1;
    Some(Span::new(start, start + close - 1))
}

/// A format string (`tcp://u:pw@%s:%d?auth=pw`) without the vendor's
/// password: in the user information before its host, or as an option.
/// One written through an escape is left.
fn format_without_passwords(fmt: &str) -> Option<String> {
    let mut out = fmt.to_string();
    if let Some(sep) = out.find("://") {
        let authority = &out[sep + 3..];
        let end = authority.find(['/', '?', '#']).unwrap_or(authority.len());
        if let Some(at) = authority[..end].rfind('@')
            && let Some(colon) = authority[..at].find(':')
        {
            // A password an argument gives (`%s`) is no value written here;
            // one written among verbs or escapes is not cut where it is.
            let password = &authority[colon + 1..at];
            let verb = password.len() == 2 && password.starts_with('%') && password != "%%";
            if !verb && (password.replace("%%", "").contains('%') || password.contains(['\\', '$']))
            {
                return None;
            }
            if !verb {
                let (from, to) = (sep + 3 + colon, sep + 3 + at);
                out.replace_range(from..to, "");
            }
        }
    }
    let options = super::connection::rebind_password_options(&out, None);
    if options != out && out.contains(['\\', '$']) {
        return None;
    }
    Some(options)
}

/// A `format()` call (the template `t`) whose one argument is `arg` and
/// whose format string has one verb, `%s`: the format string's text before
/// and after it, and where the text after it starts in `text`.
fn format_call(text: &str, t: Span, arg: Span) -> Option<(&str, &str, usize)> {
    let fmt = format_string(text, t)?;
    let args = text
        .get(fmt.end + 1..t.end)?
        .trim_start()
        .strip_prefix(',')?;
    let args = args.trim_end().strip_suffix(')')?.trim_end();
    let args = args.strip_suffix(',').unwrap_or(args).trim();
    if args != text.get(arg.start..arg.end)? {
        return None;
    }
    let (before, after) = text[fmt.start..fmt.end].split_once("%s")?;
    if after.contains('%') || before.contains('%') {
        return None;
    }
    Some((before, after, fmt.start + before.len() + 2))
}

/// The edit that takes the vendor's password options (`auth=pw`) out of
/// the text after a URL's host in a template: `Ok(None)` when it writes
/// none, `Ok(Some((from, to, text)))` for the one stretch that changes, and
/// `Err(())` when they cannot be taken out where they are written (among
/// interpolations, or through an escape or a quote: `pa\"ss`, whose end is
/// not read there).
fn tail_without_passwords(tail: &str) -> Result<Option<(usize, usize, String)>, ()> {
    let new = super::connection::rebind_password_options(tail, None);
    if new == tail {
        return Ok(None);
    }
    let same = tail
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let end_same = tail[same..]
        .bytes()
        .rev()
        .zip(new[same..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (from, to) = (same, tail.len() - end_same);
    match tail.get(from..to).zip(new.get(from..new.len() - end_same)) {
        Some((old_mid, new_mid))
            if !old_mid.contains(['$', '%']) && !tail.contains(['\\', '\'', '"']) =>
        {
            Ok(Some((from, to, new_mid.to_string())))
        }
        _ => Err(()),
    }
}

/// A value as an HCL string literal.
fn quoted(value: &str) -> String {
    format!("\"{}\"", escape(value, true))
}

/// The customer's credential, as the rules hand it over: the secret, the
/// input's field, the action, the inputs read.
type Credential<'a> = (
    &'a crate::bindings::SecretRef,
    &'a str,
    Origin,
    Vec<SmolStr>,
);

/// Where the output's edits and the consumers go.
type Sinks<'a> = (
    &'a mut BTreeMap<usize, Vec<Edit>>,
    &'a mut BTreeSet<(String, String)>,
    &'a mut BTreeMap<String, BTreeSet<ResourceId>>,
);

/// A reference `r` that reads the origin's password (the dropped cache's
/// `auth_token`, or the `random_password` that fed it) now reads the
/// customer's secret through a data source, by reference; with no secret
/// to give, it is an error. (An ECS container's variable moves to its
/// `secrets` instead: see [`workload`].)
#[allow(clippy::too_many_arguments)]
fn give_password(
    stack: &Stack,
    r: &crate::stack::Reference,
    e: &crate::stack::ExprRef,
    service: &str,
    credential: Option<&Credential<'_>>,
    loc: &mut Locator<'_>,
    (rewired, declared, consumers): Sinks<'_>,
    plan: &mut Plan,
) {
    let from = stack.resource(r.from);
    let read = format!("{}{}", stack.resource(r.to).address, e.rest);
    let at = loc.stack(r.site.file, r.site.span.start);
    let fail = |why: String| {
        Problem::error(
            "E0702",
            format!(
                "`{}` reads `{read}`, the password of the {service} that is dropped, and {why}",
                from.address
            ),
        )
        .at(at.clone())
    };
    let Some((secret, field, origin, used)) = credential else {
        plan.problems.push(fail("the customer's has no secret to give it".into()).help(
            "bind the customer's password as a secret reference (`auth: { secret: ... }`), or change the consumer so that it does not need it",
        ));
        return;
    };
    match workload::secret_read(stack, r.from, service, secret, field) {
        Ok((value, block)) => {
            let text = &stack.files[r.site.file].text;
            let edits = rewired.entry(r.site.file).or_default();
            edits.push(Edit::Replace(
                r.site.span,
                escaped_in(text, r.site.span, value, e.escaped),
            ));
            if declared.insert(block.key) {
                edits.push(block.edit);
            }
            consumers
                .entry(service.to_string())
                .or_default()
                .insert(r.from);
            plan.changes.push(
                Change::new(
                    ChangeKind::Inject,
                    service,
                    from.address.as_str(),
                    format!("`{read}` was the password of the dropped {service}: now the customer's secret, by reference"),
                )
                .path(r.site.path.as_str())
                .at(at.clone())
                .values(r.site.value.clone(), Some(secret.describe().into()))
                .rule(loc.rule(*origin))
                .inputs(used.clone()),
            );
        }
        Err(reason) => plan.problems.push(
            fail(format!("graft cannot give it the customer's: {reason}"))
                .rule(loc.rule(*origin))
                .help("keep the password in AWS Secrets Manager or SSM, or change the consumer so that it does not need it"),
        ),
    }
}

/// Whether the connection URL template `template` (quotes included) is of
/// the family of the bound URL's scheme `bound` (`redis` of `rediss`), or
/// its scheme is not written out.
fn in_family(template: &str, bound: &str) -> bool {
    let (inner, _) = template_text_of(template);
    let scheme = inner.split_once("://").map_or("", |(s, _)| s);
    let scheme = scheme.strip_prefix("jdbc:").unwrap_or(scheme);
    scheme.contains(['$', '{', '%']) || super::kubernetes::consumers::same_family(scheme, bound)
}

/// The ports the dropped `target` served its data on, as a consumer writes
/// one after its host: the values its arm reads its port from where the
/// resource writes them (`port = 6379`), the arm's constant ports, and the
/// service's default port; `None` when the resource's port is a value
/// graft does not know (`port = var.port`, a port the provider works out),
/// which any port may be.
fn data_ports(
    stack: &Stack,
    program: &Program,
    service: &str,
    arm: Option<&&crate::check::program::ArmDef>,
    target: ResourceId,
) -> Option<Vec<String>> {
    use crate::check::program::RoleSource;
    let node = stack.node(target);
    let mut out: Vec<String> = Vec::new();
    for role in arm
        .into_iter()
        .flat_map(|a| &a.roles)
        .filter(|r| r.name == "port")
    {
        let attributes = role
            .sources
            .iter()
            .filter(|s| matches!(s, RoleSource::Attribute(_)))
            .count();
        for source in &role.sources {
            match source {
                RoleSource::Attribute(a) => match node.path(&a.split('.').collect::<Vec<_>>()) {
                    Some(v) => {
                        let text = v.as_str()?;
                        if !text.bytes().all(|b| b.is_ascii_digit()) {
                            return None;
                        }
                        out.push(text.to_string());
                    }
                    // A port the provider works out (`endpoint.port`, or
                    // Azure's `ssl_port` beside `port`): not known here.
                    None if a.contains('.') || attributes > 1 => return None,
                    None => {}
                },
                RoleSource::Const(crate::check::program::Value::Int(p)) => out.push(p.to_string()),
                RoleSource::Const(_) => {}
            }
        }
    }
    out.extend(super::default_port(program, service).map(|p| p.to_string()));
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

/// Where a port written after a host ends: `:6379` at `at`, then no more
/// digits.
fn literal_port(text: &str, at: usize) -> Option<usize> {
    let digits = text.get(at..)?.strip_prefix(':')?;
    let n = digits.len()
        - digits
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    (1..=5).contains(&n).then_some(at + 1 + n)
}

/// The text of `span` as it reads: through the escapes of the `.tf.json`
/// string it is in when `escaped`.
fn written(text: &str, span: Span, escaped: bool) -> std::borrow::Cow<'_, str> {
    let raw = text.get(span.start..span.end).unwrap_or("");
    match escaped
        .then(|| crate::stack::edit::unescape_json(raw))
        .flatten()
    {
        Some((read, _)) => read.into(),
        None => raw.into(),
    }
}

/// `new`, to be written in place of `span`: escaped as a JSON string's
/// content when the span is inside a `.tf.json` string written with escapes
/// (not when it is that whole string, quotes included).
fn escaped_in(text: &str, span: Span, new: String, escaped: bool) -> String {
    if !escaped || text.get(span.start..).is_some_and(|t| t.starts_with('"')) {
        return new;
    }
    let json = crate::stack::edit::json_string(&new);
    json.get(1..json.len() - 1).unwrap_or("").to_string()
}

/// A value in place of a `${...}` in a template at `at`: escaped as a
/// quoted string's content, or (in a heredoc) only where it would start an
/// interpolation.
fn template_text(text: &str, at: usize, value: &str) -> String {
    let line = &text[crate::stack::edit::line_start(text, at)..at];
    escape(value, line.contains('"'))
}

fn escape(value: &str, quoted: bool) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => out.push_str("\\\""),
            '\\' if quoted => out.push_str("\\\\"),
            '\n' if quoted => out.push_str("\\n"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

impl Edit {
    /// Text put in at `at`.
    fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::Replace(Span::new(at, at), text.into())
    }
}

/// One edit of a file.
enum Edit {
    /// Replace a span with text.
    Replace(Span, String),
    /// Remove an item (the second span) of a list (the first: `depends_on`).
    RemoveItem(Span, Span),
}

/// The output: each file with its dropped blocks and locals removed and
/// its rewires written; a folder that goes, gone.
fn write(
    stack: &Stack,
    dropped: &Drops,
    gone_folders: &BTreeSet<String>,
    mut rewired: BTreeMap<usize, Vec<Edit>>,
    plan: &mut Plan,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    // Locals dropped, by file and block: a block whose every local goes
    // goes whole.
    let mut locals: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut docs: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &id in dropped.keys() {
        let r = stack.resource(id);
        match r.item {
            Some(i) => locals.entry((r.file, r.doc)).or_default().push(i),
            None => {
                docs.entry(r.file).or_default().insert(r.doc);
            }
        }
    }
    let mut splices: BTreeMap<usize, Splices> = BTreeMap::new();
    for ((file, doc), items) in locals {
        let f = &stack.files[file];
        let root = &f.docs[doc].root;
        if items.len() == root.entries().len() {
            docs.entry(file).or_default().insert(doc);
            continue;
        }
        let s = splices.entry(file).or_default();
        let json = f.path.ends_with(".json");
        for i in items {
            if let Some((k, v)) = root.entries().get(i) {
                if json {
                    let (start, end) = json_entry(&f.text, Span::new(k.span().start, v.span().end));
                    s.delete(start, end);
                    continue;
                }
                let start = crate::stack::edit::line_start(&f.text, k.span().start);
                let end = f.text[v.span().end..]
                    .find('\n')
                    .map_or(f.text.len(), |n| v.span().end + n + 1);
                s.delete(start, end);
            }
        }
    }
    for (file, ds) in &docs {
        let f = &stack.files[*file];
        let s = splices.entry(*file).or_default();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        if f.path.ends_with(".json") {
            let gone: Vec<Span> = ds.iter().map(|&d| f.docs[d].range).collect();
            for range in json_deletions(&f.text, &gone) {
                ranges.push(json_entry(&f.text, range));
            }
        }
        for &d in ds {
            let range = f.docs[d].range;
            if f.path.ends_with(".json") {
                continue;
            }
            // A blank line left between two blocks goes with the block (the
            // one before it, for the last block of the file).
            let (mut start, mut end) = (range.start, range.end);
            if f.text[end..].starts_with('\n') && (start == 0 || f.text[..start].ends_with("\n\n"))
            {
                end += 1;
            } else if end == f.text.len() && f.text[..start].ends_with("\n\n") {
                start -= 1;
            }
            ranges.push((start, end));
        }
        // Neighbours' ranges can share a blank line: one deletion each run.
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        for (start, end) in merged {
            s.delete(start, end);
        }
    }
    for (file, edits) in std::mem::take(&mut rewired) {
        let f = &stack.files[file];
        let s = splices.entry(file).or_default();
        let inside_dropped = |at: usize| {
            docs.get(&file).is_some_and(|ds| {
                ds.iter()
                    .any(|&d| f.docs[d].range.start <= at && at < f.docs[d].range.end)
            })
        };
        // A variable the rules set is written whole: a rewrite inside its
        // old value gives way (of two edits of one span, the later wins).
        let last: HashMap<Span, usize> = edits
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Edit::Replace(span, _) if span.start < span.end => Some((*span, i)),
                _ => None,
            })
            .collect();
        let inside = enclosed(last.keys().copied());
        let mut lists: BTreeMap<(usize, usize), Vec<Span>> = BTreeMap::new();
        for (i, e) in edits.into_iter().enumerate() {
            match e {
                Edit::Replace(span, _)
                    if inside.contains(&span) || last.get(&span).is_some_and(|&l| l != i) => {}
                Edit::Replace(span, text) if !inside_dropped(span.start) => {
                    s.replace(span.start, span.end, text);
                }
                Edit::RemoveItem(list, item) if !inside_dropped(item.start) => {
                    lists.entry((list.start, list.end)).or_default().push(item);
                }
                _ => {}
            }
        }
        for ((start, end), items) in lists {
            let rest = without_items(&f.text, Span::new(start, end), &items);
            if rest == "[]" {
                // `depends_on` with nothing left: the whole line goes.
                let line = crate::stack::edit::line_start(&f.text, start);
                let stop = f.text[end..]
                    .find('\n')
                    .map_or(f.text.len(), |n| end + n + 1);
                s.delete(line, stop);
            } else {
                s.replace(start, end, rest);
            }
        }
    }
    // Each file's edits are applied on every core; the rest is in order.
    let applied: Vec<Option<Result<(String, bool), crate::stack::edit::Overlap>>> = {
        use rayon::prelude::*;
        let mut per_file: Vec<Option<Splices>> = (0..stack.files.len()).map(|_| None).collect();
        for (fi, s) in splices {
            per_file[fi] = Some(s);
        }
        stack
            .files
            .par_iter()
            .zip(per_file)
            .map(|(file, s)| {
                if gone_folders.contains(crate::stack::terraform::folder_of(&file.path)) {
                    return None;
                }
                Some(match s {
                    Some(s) => s.apply(&file.text).map(|t| {
                        let changed = t != file.text;
                        (t, changed)
                    }),
                    None => Ok((file.text.clone(), false)),
                })
            })
            .collect()
    };
    for (file, applied) in stack.files.iter().zip(applied) {
        let (text, changed) = match applied {
            None => {
                plan.files.push(plan::FileSummary {
                    path: file.path.clone(),
                    status: "removed",
                });
                out.push(OutputFile {
                    path: file.path.clone(),
                    text: None,
                    changed: true,
                });
                continue;
            }
            Some(Ok(done)) => done,
            Some(Err(overlap)) => {
                plan.problems.push(Problem::error(
                    "",
                    format!(
                        "internal error: two edits overlap at byte {} of {}",
                        overlap.offset, file.path
                    ),
                ));
                (file.text.clone(), false)
            }
        };
        plan.files.push(plan::FileSummary {
            path: file.path.clone(),
            status: if changed { "changed" } else { "unchanged" },
        });
        out.push(OutputFile {
            path: file.path.clone(),
            text: Some(text),
            changed,
        });
    }
    out
}

/// The entries to delete from a `.tf.json` file for its dropped blocks
/// (`gone`, each an entry `"name": {...}`): an object that would be left
/// empty (`"aws_elasticache_cluster": {}`) goes too, with its own entry, up
/// to the block type (`"resource"`).
fn json_deletions(text: &str, gone: &[Span]) -> Vec<Span> {
    use crate::stack::yaml::Node;
    let Some(root) = crate::stack::yaml::parse(text)
        .ok()
        .and_then(|mut docs| docs.pop())
        .map(|d| d.root)
    else {
        return gone.to_vec();
    };
    let gone: HashSet<(usize, usize)> = gone.iter().map(|s| (s.start, s.end)).collect();
    // Whether the entry `k: v` goes whole; the deletions inside it go to
    // `out` when it does not.
    fn visit(k: &Node, v: &Node, gone: &HashSet<(usize, usize)>, out: &mut Vec<Span>) -> bool {
        if gone.contains(&(k.span().start, v.span().end)) {
            return true;
        }
        let objects: Vec<&Node> = if v.is_map() {
            vec![v]
        } else {
            v.items().iter().filter(|i| i.is_map()).collect()
        };
        let mut emptied = Vec::new();
        let mut kept = false;
        for o in &objects {
            for (ck, cv) in o.entries() {
                if visit(ck, cv, gone, out) {
                    emptied.push(Span::new(ck.span().start, cv.span().end));
                } else {
                    kept = true;
                }
            }
        }
        if v.is_map() && !kept && !emptied.is_empty() {
            return true;
        }
        out.extend(emptied);
        false
    }
    let mut out = Vec::new();
    for (k, v) in root.entries() {
        if visit(k, v, &gone, &mut out) {
            out.push(Span::new(k.span().start, v.span().end));
        }
    }
    out
}

/// The bytes to delete to take an entry (`"key": value`, or an item of a
/// list) out of a JSON object: with the comma after it and its line when it
/// has one to itself, or with the comma before it when it is the last.
fn json_entry(text: &str, entry: Span) -> (usize, usize) {
    let after = &text[entry.end..];
    let gap = after.len() - after.trim_start().len();
    if after[gap..].starts_with(',') {
        let mut end = entry.end + gap + 1;
        let line = crate::stack::edit::line_start(text, entry.start);
        if text[line..entry.start].trim().is_empty() {
            // Its own line(s): up to the next entry's line.
            let rest = &text[end..];
            let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[blank..].starts_with('\n') {
                end += blank + 1;
                return (line, end);
            }
        }
        let rest = &text[end..];
        end += rest.len() - rest.trim_start_matches(' ').len();
        return (entry.start, end);
    }
    // The last entry: from the comma before it.
    let before = text[..entry.start].trim_end();
    match before.strip_suffix(',') {
        Some(b) => (b.len(), entry.end),
        None => {
            // The only entry: leave `{}` (or `[]`).
            (before.len(), entry.end + gap)
        }
    }
}

/// The blanks before the first character of `at`'s line.
/// A reader of a dropped Kubernetes Secret, rebound to the customer's.
struct Rebind {
    /// The workload that reads it, and the dropped Secret.
    reader: ResourceId,
    secret: ResourceId,
    /// The variable it reads it into, when the `secret_key_ref` is an
    /// `env` entry's.
    variable: Option<String>,
    /// The `name` and `key` written anew.
    edits: Vec<Edit>,
    /// For the plan: the site's path and offset, the rule and its inputs.
    path: String,
    at: usize,
    origin: Origin,
    used: Vec<SmolStr>,
}

/// When `password` (a read of the origin's password) is a Kubernetes
/// Secret's `data` entry, and the customer's secret is a Kubernetes Secret
/// its pods can read: the Secret, and each of its readers (a reference
/// index and its rebinding), when it has readers and every one is a
/// `secret_key_ref` to that key. The Secret can then go: the customer's holds the password,
/// and Terraform never reads it.
fn secret_readers(
    stack: &Stack,
    password: &Reference,
    (customer, origin, used): (&crate::bindings::SecretRef, Origin, &[SmolStr]),
    dropped: &Drops,
    handled: &[bool],
) -> Option<(ResourceId, Vec<(usize, Rebind)>)> {
    let secret = password.from;
    let s = stack.resource(secret);
    if !holds_data(&s.kind) || !s.kind.starts_with("kubernetes_secret") {
        return None;
    }
    if customer.store != "kubernetes" {
        return None;
    }
    let key = password.site.path.strip_prefix("data.")?;
    let file = &stack.files[s.file];
    // Pods read a Secret of their own namespace.
    let namespace = file
        .node(s)
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(|n| n.as_str());
    if let Some(wanted) = customer.get("namespace")
        && namespace.unwrap_or("default") != wanted
    {
        return None;
    }
    let (name, new_key) = (customer.get("name")?, customer.get("key")?);
    let mut out = Vec::new();
    for n in stack.referrers(secret) {
        let r = stack.reference(n);
        if dropped.contains_key(&r.from) || handled[n] {
            continue;
        }
        let reader = stack.resource(r.from);
        let (variable, reference) =
            secret_key_ref_at(stack.files[reader.file].node(reader), r.site.span)?;
        if reference.str_at("key") != Some(key) {
            return None;
        }
        let (old_name, old_key) = (reference.get("name")?, reference.get("key")?);
        // Written as the file writes strings.
        let json = stack.files[reader.file].path.ends_with(".json");
        let lit = |v: &str| {
            if json {
                crate::stack::edit::json_string(v)
            } else {
                quoted(v)
            }
        };
        out.push((
            n,
            Rebind {
                reader: r.from,
                secret,
                variable: variable.map(str::to_string),
                edits: vec![
                    Edit::Replace(old_name.span(), lit(name)),
                    Edit::Replace(old_key.span(), lit(new_key)),
                ],
                path: r.site.path.clone(),
                at: r.site.span.start,
                origin,
                used: used.to_vec(),
            },
        ));
    }
    // A Secret nothing in the configuration reads is read from outside it
    // (a chart, a manifest applied apart), by name: it stays.
    if out.is_empty() {
        return None;
    }
    Some((secret, out))
}

/// The `secret_key_ref` (or `secretKeyRef`) whose `name` holds `at` in a
/// resource's tree, with the name of the `env` entry it is in, if any.
fn secret_key_ref_at(
    node: &crate::stack::yaml::Node,
    at: Span,
) -> Option<(Option<&str>, &crate::stack::yaml::Node)> {
    let holds = |n: &crate::stack::yaml::Node| {
        n.get("name")
            .is_some_and(|v| v.span().start <= at.start && at.end <= v.span().end)
    };
    let children = node.entries().iter().map(|(_, v)| v).chain(node.items());
    for child in children {
        let from = child.get("value_from").or_else(|| child.get("valueFrom"));
        let reference =
            from.and_then(|f| f.get("secret_key_ref").or_else(|| f.get("secretKeyRef")));
        if let Some(reference) = reference.filter(|r| holds(r)) {
            return Some((child.str_at("name"), reference));
        }
        if let Some(found) = secret_key_ref_at(child, at) {
            return Some(found);
        }
    }
    None
}

fn indentation(text: &str, at: usize) -> String {
    let line = crate::stack::edit::line_start(text, at);
    text[line..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// A list (`[a, b, c]`, its span in `text`) written again without some of
/// its items (their spans): on one line if it was, else one item a line at
/// the indentation of the list's line, two spaces in.
fn without_items(text: &str, list: Span, remove: &[Span]) -> String {
    use hcl_edit::Span as _;
    let original = &text[list.start..list.end];
    let Ok(hcl_edit::expr::Expression::Array(array)) = hcl_edit::parser::parse_expr(original)
    else {
        return original.to_string();
    };
    let kept: Vec<&str> = array
        .iter()
        .filter_map(|item| {
            let r = item.span()?;
            let span = Span::new(list.start + r.start, list.start + r.end);
            (!remove.contains(&span)).then(|| &text[span.start..span.end])
        })
        .collect();
    list_text(text, list, &kept)
}

/// A list (in place of `list`, a span of `text`) of `items`: on one line
/// if it was, else one item a line at the list's indentation plus two.
fn list_text<S: AsRef<str>>(text: &str, list: Span, items: &[S]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    if !text[list.start..list.end].contains('\n') {
        return format!("[{}]", items.join(", "));
    }
    let outer = indentation(text, list.start);
    let mut out = String::from("[\n");
    for k in items {
        out.push_str(&outer);
        out.push_str("  ");
        out.push_str(k);
        out.push_str(",\n");
    }
    out.push_str(&outer);
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_paths_drop_indexes() {
        assert_eq!(
            attribute_path(".primary_endpoint_address"),
            "primary_endpoint_address"
        );
        assert_eq!(
            attribute_path("[0].cache_nodes[0].address"),
            "cache_nodes.address"
        );
        assert_eq!(attribute_path("[\"a.b\"].x"), "x");
        assert_eq!(attribute_path(""), "");
    }

    #[test]
    fn built_values_have_roles() {
        let hp = ["host".to_string(), "port".to_string()];
        assert_eq!(
            built_role("\"${a.b}:${a.c}\"", &hp).as_deref(),
            Some("endpoint")
        );
        assert_eq!(
            built_role("\"redis://${a.b}:${a.c}\"", &hp).as_deref(),
            Some("url")
        );
        assert_eq!(built_role("\"${a.b}/${a.c}\"", &hp), None);
        let ph = ["port".to_string(), "host".to_string()];
        assert_eq!(built_role("\"${a.c}:${a.b}\"", &ph), None);
    }

    #[test]
    fn edits_inside_others_are_found() {
        let spans = [
            Span::new(10, 40),
            Span::new(15, 20),
            Span::new(10, 12),
            Span::new(45, 50),
            Span::new(38, 47),
        ];
        let inside = enclosed(spans.into_iter());
        let mut found: Vec<(usize, usize)> = inside.iter().map(|s| (s.start, s.end)).collect();
        found.sort();
        assert_eq!(found, [(10, 12), (15, 20)]);
    }

    #[test]
    fn connection_urls_are_recognised() {
        assert!(is_url_template("\"rediss://${local.h}:6379/0\""));
        assert!(is_url_template("format(\"redis://%s:%d\", a.b, c.d)"));
        assert!(!is_url_template("\"https://${local.h}\""));
        assert!(!is_url_template("format(\"%s:%d\", a.b, c.d)"));
        assert!(!is_url_template("\"redis://fixed:6379\""));
        assert!(is_url_template(
            "\"postgres://${local.u}@${aws_db_instance.db.endpoint}/app?sslmode=require\""
        ));
        assert!(is_url_template("\"jdbc:postgresql://${local.h}:5432/app\""));
        assert!(!is_url_template("\"${local.h}://x\""));
    }

    #[test]
    fn bound_urls_keep_the_written_options_and_jdbc() {
        let bound = "postgresql://app@db.example.com:5432/shop?sslmode=verify-full";
        assert_eq!(
            url_in_place_of(
                "\"postgres://${local.u}:${random_password.p.result}@${aws_db_instance.d.endpoint}/x?sslmode=disable&connect_timeout=5\"",
                bound
            ),
            "postgresql://app@db.example.com:5432/shop?sslmode=verify-full&connect_timeout=5"
        );
        assert_eq!(
            url_in_place_of(
                "\"jdbc:postgresql://${local.h}:5432/x?user=old&ssl=true\"",
                bound
            ),
            "jdbc:postgresql://db.example.com:5432/shop?user=app&ssl=true&sslmode=verify-full"
        );
        assert_eq!(
            url_in_place_of("format(\"jdbc:postgresql://%s:5432/x\", local.h)", bound),
            "jdbc:postgresql://db.example.com:5432/shop?sslmode=verify-full"
        );
        assert_eq!(
            url_in_place_of(
                "\"jdbc:postgresql://${local.h}/x\"",
                "postgres://db.example.com/shop"
            ),
            "jdbc:postgresql://db.example.com/shop"
        );
        assert_eq!(
            url_in_place_of(
                "\"redis://${local.h}:6379/${local.db}\"",
                "rediss://h:6380/2"
            ),
            "rediss://h:6380/2"
        );
    }

    #[test]
    fn values_are_escaped_for_hcl() {
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quoted("${x}"), "\"$${x}\"");
        assert_eq!(template_text("  x = <<EOT\n", 12, "a\"%{b"), "a\"%%{b");
        assert_eq!(template_text("  x = \"a${", 10, "q\""), "q\\\"");
    }

    #[test]
    fn json_entries_go_with_their_comma() {
        let t = "{\n  \"a\": {\"x\": 1},\n  \"b\": 2\n}";
        let a = Span::new(4, 17);
        assert_eq!(&t[a.start..a.end], "\"a\": {\"x\": 1}");
        let (s, e) = json_entry(t, a);
        assert_eq!(format!("{}{}", &t[..s], &t[e..]), "{\n  \"b\": 2\n}");
        let b = Span::new(21, 27);
        assert_eq!(&t[b.start..b.end], "\"b\": 2");
        let (s, e) = json_entry(t, b);
        assert_eq!(
            format!("{}{}", &t[..s], &t[e..]),
            "{\n  \"a\": {\"x\": 1}\n}"
        );
        let t = "{\"only\": {}}";
        let (s, e) = json_entry(t, Span::new(1, 11));
        assert_eq!(format!("{}{}", &t[..s], &t[e..]), "{}");
    }

    #[test]
    fn lists_lose_items() {
        let t = "depends_on = [a.b, c.d, e.f]";
        let list = Span::new(13, 28);
        assert_eq!(
            without_items(t, list, &[Span::new(14, 17), Span::new(24, 27)]),
            "[c.d]"
        );
        let all = [Span::new(14, 17), Span::new(19, 22), Span::new(24, 27)];
        assert_eq!(without_items(t, list, &all), "[]");
        let t = "  x = [\n    a.b,\n    c.d,\n  ]";
        let list = Span::new(6, t.len());
        assert_eq!(
            without_items(t, list, &[Span::new(12, 15)]),
            "[\n    c.d,\n  ]"
        );
    }
}
