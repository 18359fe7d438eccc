//! Carrying out rules on CloudFormation templates: drop the matched
//! resources and what exists only for them (subnet and parameter groups,
//! security groups and their rules, alarms, the backup machinery of custom
//! resources, Lambda functions, roles and permissions, and the parameters,
//! conditions and mappings nothing else uses); take them out of `DependsOn`;
//! rewire every `Fn::GetAtt` and `Fn::Sub` that read their endpoint to a new
//! template parameter whose default is the customer's value (a CloudFormation
//! author's way to take a value from outside); rebind or remove the outputs
//! that named them; give the consumers (ECS task definitions, Lambda
//! functions) what the rules hand over, the credential by reference only
//! (ECS `Secrets` with `ValueFrom`, a Lambda's `{{resolve:secretsmanager:...}}`
//! dynamic reference); check that nothing still refers to what was
//! dropped; and write the edits as splices, every intrinsic in the form it
//! came in.

use super::connection::{options_kept, url_start};
use super::kubernetes::Locator;
use super::plan::{self, Change, ChangeKind, Problem};
use super::{
    Bound, Dropped, Drops, Instance, Outcome, OutputFile, Plan, active_actions, binds, eval,
};
use crate::bindings::{Bindings, Input, SecretRef};
use crate::catalogue::{Format, TypeKind};
use crate::check::program::{ActionOp, ArmDef, Origin, Program, Target};
use crate::source::{Sources, Span};
use crate::stack::cloudformation::{Form, Kind, section};
use crate::stack::compose::unpack;
use crate::stack::edit::{self, Splices};
use crate::stack::yaml::Node;
use crate::stack::{RefKind, Reference, ResourceId, Stack};
use serde_json::{Value as Json, json};
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, BTreeSet};

/// A template parameter graft adds to hold a customer's value.
struct NewParameter {
    /// Its logical id (`RedisHost`).
    name: String,
    /// Its default: the customer's value.
    value: String,
    /// The role it holds and the service.
    role: String,
    service: String,
}

/// What the consumers of one service are given.
#[derive(Default)]
struct Gifts {
    /// Variables: name, value, the rule and the inputs read.
    env: Vec<(String, String, Origin, Vec<SmolStr>)>,
    /// Credentials: variable name, the secret, the rule and the input.
    secrets: Vec<(String, SecretRef, Origin, SmolStr)>,
}

/// Everything written into one file.
#[derive(Default)]
struct FileEdits {
    /// Text replaced: a rewired intrinsic or `${}`.
    replace: Vec<(Span, String)>,
    /// `DependsOn` items removed, per resource.
    depends: BTreeMap<ResourceId, Vec<usize>>,
    /// Outputs removed.
    outputs: BTreeSet<ResourceId>,
    /// Parameters added.
    parameters: Vec<NewParameter>,
    /// Per consumer, its gifts and the containers they go to (`None`: a
    /// Lambda function).
    gifts: Vec<(ResourceId, Option<Vec<usize>>, usize)>,
    /// Outputs whose `Condition` goes (the condition went with the cache,
    /// and the customer's endpoint they now give out is always there).
    unconditioned: BTreeSet<ResourceId>,
    /// Items of a kept security group's inline rules removed (their peer
    /// group is dropped), per group and list.
    rules: BTreeMap<(ResourceId, &'static str), Vec<usize>>,
    /// References to something dropped inside a variable the rules give
    /// anew: the value that holds one is replaced whole, function or not.
    superseded: Vec<Span>,
}

/// A warning that some actions are not carried out yet: the service, what,
/// the items, the rule, and the consumers it concerns.
type NotYet = (String, &'static str, Vec<String>, Origin, Vec<String>);

/// One run of the rules over some of the templates.
struct Part {
    plan: Plan,
    files: Vec<OutputFile>,
    not_yet: Vec<NotYet>,
}

/// Applies the rules of the provided services to CloudFormation templates.
///
/// No reference crosses templates (each is its own namespace), so runs of
/// templates are worked on apart, on every core, and put together: the
/// plan is the same however they are cut.
pub fn apply(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
) -> Outcome {
    use rayon::prelude::*;
    let n = stack.files.len();
    let size = super::run_size(n);
    let ranges: Vec<std::ops::Range<usize>> = (0..n.max(1))
        .step_by(size)
        .map(|start| start..(start + size).min(n))
        .collect();
    let parts: Vec<Part> = ranges
        .into_par_iter()
        .map(|files| apply_part(program, rules, bindings, stack, instances, files))
        .collect();
    let mut plan = Plan::default();
    let mut files = Vec::new();
    let loc = Locator::new(rules, stack);
    super::merge_summaries(
        &mut plan,
        bindings,
        &parts.iter().map(|p| &p.plan).collect::<Vec<_>>(),
    );
    let mut not_yet: BTreeMap<(String, &str, Vec<String>, Origin), Vec<String>> = BTreeMap::new();
    for mut part in parts {
        plan.changes.append(&mut part.plan.changes);
        plan.problems.append(&mut part.plan.problems);
        plan.files.append(&mut part.plan.files);
        files.extend(part.files);
        for (service, what, items, origin, names) in part.not_yet {
            not_yet
                .entry((service, what, items, origin))
                .or_default()
                .extend(names);
        }
    }
    for ((_, what, items, origin), names) in not_yet {
        super::not_yet(
            &mut plan,
            (what, &items),
            "CloudFormation",
            &names,
            loc.rule(origin),
        );
    }
    plan.finish();
    let files = if plan.has_errors() { Vec::new() } else { files };
    Outcome { plan, files }
}

/// The rules' work on the templates `range` (files of the stack): their
/// plan, unsorted, and their output files.
fn apply_part(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    instances: &[Instance<'_>],
    range: std::ops::Range<usize>,
) -> Part {
    let mut plan = Plan::default();
    let mut loc = Locator::new(rules, stack);
    let mut dropped = Drops::new(stack.resources.len());
    let mut handled = vec![false; stack.reference_count()];
    let mut files: BTreeMap<usize, FileEdits> = BTreeMap::new();
    let mut all_gifts: Vec<Gifts> = Vec::new();
    // The variables the rules give each consumer.
    let mut given: std::collections::HashSet<(ResourceId, &'static str, String)> =
        Default::default();
    let mut not_yet: Vec<NotYet> = Vec::new();

    for (service, provided) in &bindings.services {
        let mine: Vec<&Instance<'_>> = instances
            .iter()
            .filter(|i| i.service == service && range.contains(&stack.resource(i.resource).file))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut summary = plan::ServiceSummary {
            name: service.clone(),
            matched: mine
                .iter()
                .map(|i| stack.resource(i.resource).address.to_string())
                .collect(),
            consumers: Vec::new(),
        };
        let actions = active_actions(program, service, provided, Format::CloudFormation);
        let bound = binds(&actions, provided);
        let drop_action = actions.iter().find(|a| a.op == ActionOp::Drop).copied();
        let arms: BTreeMap<ResourceId, &ArmDef> =
            mine.iter().map(|i| (i.resource, i.arm)).collect();
        if let Some(action) = drop_action {
            for i in &mine {
                dropped.add(
                    i.resource,
                    Dropped {
                        reason: format!("matched by `{}` (cloudformation arm)", i.matcher.name),
                        origin: action.origin,
                        service: service.clone(),
                    },
                );
            }
            close_drops(stack, &mut dropped, &arms, action.origin, service);
        }

        // Reads of the endpoint, rewired to a parameter holding the
        // customer's value; `${}` URLs to the customer's URL.
        let mut consumers: BTreeMap<ResourceId, Vec<Span>> = BTreeMap::new();
        let mut by_string: BTreeMap<(usize, Span), Vec<usize>> = BTreeMap::new();
        let mut joins: BTreeSet<(usize, Span)> = BTreeSet::new();
        for &m in arms.keys() {
            for ri in stack.referrers(m) {
                let r = stack.reference(ri);
                if dropped.contains_key(&r.from) {
                    continue;
                }
                let RefKind::Intrinsic(i) = &r.kind else {
                    continue;
                };
                match i.kind {
                    Kind::GetAtt => {
                        let Some(role) = role_of(arms[&m], i.attribute.as_deref()) else {
                            continue;
                        };
                        // A URL put together with `Fn::Join` is the
                        // customer's URL, whole.
                        if let Some((join, form)) = bound
                            .get("url")
                            .and_then(|_| url_join(stack, r.from, i.whole))
                        {
                            handled[ri] = true;
                            if !joins.insert((r.site.file, join)) {
                                continue;
                            }
                            let Some(param) =
                                parameter(stack, &mut files, &bound, service, r.site.file, "url")
                            else {
                                continue;
                            };
                            let text = stack.files[r.site.file].text.as_str();
                            let new = ref_text(text, join.start, form, &param);
                            files
                                .entry(r.site.file)
                                .or_default()
                                .replace
                                .push((join, new.clone()));
                            rewired(&mut plan, &mut loc, stack, r, service, "url", &bound, &new);
                            consumers.entry(r.from).or_default().push(r.site.span);
                            continue;
                        }
                        let Some(param) =
                            parameter(stack, &mut files, &bound, service, r.site.file, &role)
                        else {
                            continue;
                        };
                        let text = stack.files[r.site.file].text.as_str();
                        let new = ref_text(text, i.whole.start, i.form, &param);
                        handled[ri] = true;
                        files
                            .entry(r.site.file)
                            .or_default()
                            .replace
                            .push((i.whole, new.clone()));
                        rewired(&mut plan, &mut loc, stack, r, service, &role, &bound, &new);
                        consumers.entry(r.from).or_default().push(r.site.span);
                    }
                    Kind::Sub => {
                        if let Some(s) = i.string {
                            by_string.entry((r.site.file, s)).or_default().push(ri);
                        }
                    }
                    _ => {}
                }
            }
        }
        for ((file, string), refs) in by_string {
            let text = stack.files[file].text.as_str();
            let mut done: Vec<(Span, String, usize, String)> = Vec::new();
            let mut refs: Vec<(Span, usize, String)> = refs
                .into_iter()
                .filter_map(|ri| {
                    let r = stack.reference(ri);
                    let RefKind::Intrinsic(i) = &r.kind else {
                        return None;
                    };
                    let role = role_of(arms.get(&r.to)?, i.attribute.as_deref())?;
                    Some((i.interpolation?, ri, role))
                })
                .collect();
            refs.sort_by_key(|(at, ..)| at.start);
            let mut k = 0;
            while k < refs.len() {
                let (at, ri, role) = refs[k].clone();
                k += 1;
                // `redis://${Host}:${Port}/0`, `postgresql://${User}@${Host}/db?sslmode=x`:
                // the whole URL, when a rule binds one; the options the
                // bound URL does not set stay after it.
                if role == "host"
                    && let Some(url) = bound.get("url")
                    && let Some(start) = url_start(&text[string.start..at.start])
                {
                    let (path_end, end) = url_end(text, at.end, string.end);
                    let span = Span::new(string.start + start, end);
                    if let Some(param) = parameter(stack, &mut files, &bound, service, file, "url")
                    {
                        // The port's `${}` inside goes with it.
                        while k < refs.len() && refs[k].0.start < end {
                            handled[refs[k].1] = true;
                            k += 1;
                        }
                        let kept = options_kept(&text[path_end..end], &url.0);
                        done.push((span, format!("${{{param}}}{kept}"), ri, "url".into()));
                        continue;
                    }
                }
                // `${Host}:6379`: the port written after the host is the
                // customer's too.
                let written_port = (role == "host")
                    .then(|| literal_port(text, at.end, string.end))
                    .flatten();
                if let Some(end) = written_port {
                    if bound.contains_key("endpoint") {
                        if let Some(param) =
                            parameter(stack, &mut files, &bound, service, file, "endpoint")
                        {
                            let span = Span::new(at.start, end);
                            done.push((span, format!("${{{param}}}"), ri, "endpoint".into()));
                            continue;
                        }
                    } else if let Some(param) =
                        parameter(stack, &mut files, &bound, service, file, "port")
                    {
                        let span = Span::new(at.end + 1, end);
                        done.push((span, format!("${{{param}}}"), ri, "port".into()));
                    }
                }
                if let Some(param) = parameter(stack, &mut files, &bound, service, file, &role) {
                    done.push((at, format!("${{{param}}}"), ri, role));
                }
            }
            for (span, new, ri, role) in done {
                handled[ri] = true;
                let r = stack.reference(ri);
                files
                    .entry(file)
                    .or_default()
                    .replace
                    .push((span, new.clone()));
                rewired(&mut plan, &mut loc, stack, r, service, &role, &bound, &new);
                consumers.entry(r.from).or_default().push(span);
            }
        }

        // A parameter, condition or mapping that dropped resources and the
        // rewritten values alone read goes too (`DatabaseUser`, once the
        // URL it was put into is the customer's, whole).
        // The variables the rules give the customer's credential: a
        // consumer's old entry of that name (`ValueFrom: !Ref
        // VendorSecret`) is written anew, so what it read is read no more.
        let credential_names: Vec<&str> = actions
            .iter()
            .filter_map(|a| match &a.op {
                ActionOp::Inject {
                    input,
                    target: Target::Env(name),
                } if matches!(provided.input(input), Some(Input::Secret(_))) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let anew = |r: &Reference| {
            consumers.contains_key(&r.from)
                && variable_at(stack, r)
                    .is_some_and(|(_, name)| credential_names.contains(&name.as_str()))
        };
        if let Some(action) = drop_action
            && drop_unread_values(
                stack,
                &mut dropped,
                &mut handled,
                (&files, &anew),
                service,
                action.origin,
            )
        {
            close_drops(stack, &mut dropped, &arms, action.origin, service);
        }

        // `DependsOn` items naming what is dropped go, and outputs that
        // named it (and were not rewired) go.
        for (&d, why) in &dropped {
            if why.service != *service {
                continue;
            }
            for ri in stack.referrers(d) {
                let r = stack.reference(ri);
                if dropped.contains_key(&r.from) || handled[ri] {
                    continue;
                }
                let RefKind::Intrinsic(i) = &r.kind else {
                    continue;
                };
                let from = stack.resource(r.from);
                if i.kind == Kind::DependsOn {
                    handled[ri] = true;
                    let index = r
                        .site
                        .path
                        .strip_prefix("DependsOn[")
                        .and_then(|p| p.strip_suffix(']'))
                        .and_then(|p| p.parse().ok())
                        .unwrap_or(usize::MAX);
                    files
                        .entry(r.site.file)
                        .or_default()
                        .depends
                        .entry(r.from)
                        .or_default()
                        .push(index);
                    plan.changes.push(
                        Change::new(
                            ChangeKind::Remove,
                            service,
                            from.address.clone(),
                            format!("waited for `{}`, which is dropped", stack.resource(d).name),
                        )
                        .path(r.site.path.clone())
                        .at(loc.stack(r.site.file, r.site.span.start))
                        .values(Some(stack.resource(d).name.clone()), None)
                        .rule(loc.rule(why.origin)),
                    );
                } else if from.kind == "Output"
                    && i.kind == Kind::Condition
                    && stack.referents(r.from).all(|n| {
                        n == ri || handled[n] || !dropped.contains_key(&stack.reference(n).to)
                    })
                {
                    // The output now gives out the customer's endpoint,
                    // which is always there.
                    handled[ri] = true;
                    files
                        .entry(r.site.file)
                        .or_default()
                        .unconditioned
                        .insert(r.from);
                    plan.changes.push(
                        Change::new(
                            ChangeKind::Remove,
                            service,
                            from.address.clone(),
                            format!(
                                "its condition `{}` is dropped, and the customer's endpoint it gives out is always there",
                                stack.resource(d).name
                            ),
                        )
                        .path("Condition")
                        .at(loc.stack(r.site.file, r.site.span.start))
                        .values(Some(stack.resource(d).name.clone()), None)
                        .rule(loc.rule(why.origin)),
                    );
                } else if let Some((list, index)) = inline_rule(&r.site.path) {
                    // An inline rule of a kept group that lets the dropped
                    // group's traffic in or out.
                    handled[ri] = true;
                    let items = files
                        .entry(r.site.file)
                        .or_default()
                        .rules
                        .entry((r.from, list))
                        .or_default();
                    if !items.contains(&index) {
                        items.push(index);
                        plan.changes.push(
                            Change::new(
                                ChangeKind::Remove,
                                service,
                                from.address.clone(),
                                format!(
                                    "the rule let traffic of `{}` through, which is dropped",
                                    stack.resource(d).name
                                ),
                            )
                            .path(format!("Properties.{list}[{index}]"))
                            .at(loc.stack(r.site.file, r.site.span.start))
                            .rule(loc.rule(why.origin)),
                        );
                    }
                } else if from.kind == "Output" {
                    handled[ri] = true;
                    if files.entry(r.site.file).or_default().outputs.insert(r.from) {
                        plan.changes.push(
                            Change::new(
                                ChangeKind::Drop,
                                service,
                                from.address.clone(),
                                format!(
                                    "it gave out `{}`, which is dropped, and not as an endpoint the customer's replaces",
                                    stack.resource(d).address
                                ),
                            )
                            .at(loc.resource(r.from))
                            .rule(loc.rule(why.origin)),
                        );
                    }
                }
            }
        }

        // What the consumers receive.
        let mut gifts = Gifts::default();
        let mut todo: BTreeMap<&str, (Vec<String>, Origin)> = BTreeMap::new();
        for a in &actions {
            match &a.op {
                ActionOp::SetEnv { name, value } => {
                    if let Some((text, used)) = eval(value, provided) {
                        gifts.env.push((name.clone(), text, a.origin, used));
                    }
                }
                ActionOp::Inject {
                    input,
                    target: Target::Env(name),
                } => match provided.input(input) {
                    Some(Input::Secret(s)) => gifts.secrets.push((
                        name.clone(),
                        s.clone(),
                        a.origin,
                        format_smolstr!("{service}.{}", input.field),
                    )),
                    Some(Input::IamRole { id, .. }) => gifts.env.push((
                        name.clone(),
                        id.clone(),
                        a.origin,
                        vec![format_smolstr!("{service}.{}", input.field)],
                    )),
                    _ => {}
                },
                ActionOp::Inject { target, .. } | ActionOp::Mount { target, .. } => {
                    let (what, item) = match (&a.op, target) {
                        (ActionOp::Inject { .. }, Target::File(p)) => ("inject a file at", p),
                        (_, Target::Env(n)) | (_, Target::File(n)) => ("mount", n),
                    };
                    todo.entry(what)
                        .or_insert_with(|| (Vec::new(), a.origin))
                        .0
                        .push(format!("`{item}`"));
                }
                _ => {}
            }
        }
        let index = all_gifts.len();
        let mut workloads = Vec::new();
        for (&c, sites) in &consumers {
            let r = stack.resource(c);
            // Which containers get the gifts (`None`: a function's
            // environment), and whether what they are written into is
            // written out; else why not and what to do.
            let (containers, written_out, why, help) = match r.kind.as_str() {
                "AWS::ECS::TaskDefinition" => {
                    let node = stack.node(c);
                    let doc = &stack.files[r.file].docs[r.doc];
                    let list = node
                        .get("Properties")
                        .and_then(|p| p.get("ContainerDefinitions"));
                    let containers: &[Node] = list.map_or(&[], Node::items);
                    let mut which: Vec<usize> = containers
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| {
                            sites
                                .iter()
                                .any(|s| n.span().start <= s.start && s.end <= n.span().end)
                        })
                        .map(|(i, _)| i)
                        .collect();
                    if which.is_empty() {
                        which = (0..containers.len()).collect();
                    }
                    // Only lists and mappings written out are edited.
                    let written_out = list.is_some_and(|l| plain(doc, l, true))
                        && which.iter().all(|&i| {
                            plain(doc, &containers[i], false)
                                && ["Environment", "Secrets"].iter().all(|k| {
                                    containers[i].get(k).is_none_or(|n| plain(doc, n, true))
                                })
                        });
                    (
                        Some(which),
                        written_out,
                        "its containers' `Environment` or `Secrets` are not written out as lists (a function builds them)",
                        "give its containers the rules' variables and the credential (by reference) by hand",
                    )
                }
                "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
                    let doc = &stack.files[r.file].docs[r.doc];
                    let env = stack
                        .node(c)
                        .get("Properties")
                        .and_then(|p| p.get("Environment"));
                    let written_out = env.is_none_or(|e| {
                        plain(doc, e, false)
                            && e.get("Variables").is_none_or(|v| plain(doc, v, false))
                    });
                    (
                        None,
                        written_out,
                        "its `Environment` is not written out as a mapping (a function builds it)",
                        "give it the rules' variables and the credential (by reference) by hand",
                    )
                }
                "Output" => continue,
                kind if Format::CloudFormation
                    .resource_type(kind)
                    .is_some_and(|t| t.kind == TypeKind::Workload) =>
                {
                    plan.problems.push(
                        Problem::warning(format!(
                            "`{}` gets the customer's endpoint in its user data, but graft cannot give an instance the rules' variables or the credential",
                            r.address
                        ))
                        .at(loc.resource(c))
                        .help("have the instance's start-up script set them, reading the credential from the customer's secret store"),
                    );
                    continue;
                }
                _ => continue,
            };
            if !written_out {
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` reads the customer's endpoint, but {why}: graft gives it nothing else",
                        r.address
                    ))
                    .at(loc.resource(c))
                    .help(help),
                );
                continue;
            }
            if containers.is_some()
                && !gifts.secrets.is_empty()
                && stack
                    .node(c)
                    .get("Properties")
                    .and_then(|p| p.get("ExecutionRoleArn"))
                    .is_none()
            {
                plan.problems.push(
                    Problem::warning(format!(
                        "`{}` has no `ExecutionRoleArn`: ECS reads a container's `Secrets` with the task's execution role, and will not register the task definition without one",
                        r.address
                    ))
                    .at(loc.resource(c))
                    .help("give the task definition an execution role that may read the customer's secret"),
                );
            }
            workloads.push(c);
            files
                .entry(r.file)
                .or_default()
                .gifts
                .push((c, containers, index));
        }
        // A credential a consumer cannot read by reference is an error.
        for (name, secret, origin, _) in &gifts.secrets {
            for &c in &workloads {
                let lambda = is_function(&stack.resource(c).kind);
                if secret_text(secret, lambda).is_some() {
                    continue;
                }
                let (why, help) = match (secret.store.as_str(), lambda) {
                    ("aws-ssm", true) => (
                        "CloudFormation resolves an SSM SecureString (`{{resolve:ssm-secure:...}}`) only in a few resources' properties, not in a Lambda function's environment".to_string(),
                        "keep the credential in AWS Secrets Manager (`store: aws-secretsmanager`), or have the function read the parameter itself",
                    ),
                    (store, _) => (
                        format!("ECS and Lambda read secrets from AWS Secrets Manager or SSM Parameter Store, and the customer's is in `{store}`"),
                        "bind a secret kept in AWS Secrets Manager (`store: aws-secretsmanager`) or SSM (`store: aws-ssm`)",
                    ),
                };
                plan.problems.push(
                    Problem::error(
                        "E0702",
                        format!(
                            "`{}` cannot be given `{name}` by reference: {why}",
                            stack.resource(c).address
                        ),
                    )
                    .at(loc.resource(c))
                    .rule(loc.rule(*origin))
                    .help(help),
                );
            }
        }
        if !workloads.is_empty() {
            let names: Vec<String> = workloads
                .iter()
                .map(|&c| format!("`{}`", stack.resource(c).address))
                .collect();
            for (what, (items, origin)) in todo {
                not_yet.push((service.clone(), what, items, origin, names.clone()));
            }
        }
        for &c in &workloads {
            let r = stack.resource(c);
            // Where each variable goes: a container's `Environment` or
            // `Secrets`, a function's `Variables`.
            let (env_list, secret_list) = if is_function(&r.kind) {
                ("Variables", "Variables")
            } else {
                ("Environment", "Secrets")
            };
            given.extend(gifts.env.iter().map(|g| (c, env_list, g.0.clone())));
            given.extend(gifts.secrets.iter().map(|g| (c, secret_list, g.0.clone())));
            for (name, text, origin, used) in &gifts.env {
                plan.changes.push(
                    Change::new(
                        ChangeKind::Set,
                        service.as_str(),
                        r.address.clone(),
                        format!("`{name}` as the rules set it"),
                    )
                    .path(format!("{}.{name}", env_path(&r.kind)))
                    .at(loc.resource(c))
                    .values(None, Some(text.into()))
                    .rule(loc.rule(*origin))
                    .inputs(used.clone()),
                );
            }
            for (name, secret, origin, field) in &gifts.secrets {
                let (path, how) = if is_function(&r.kind) {
                    (
                        format!("Environment.Variables.{name}"),
                        "a dynamic reference CloudFormation resolves when it deploys",
                    )
                } else {
                    (
                        format!("ContainerDefinitions.Secrets.{name}"),
                        "`ValueFrom`, read by ECS when the task starts",
                    )
                };
                plan.changes.push(
                    Change::new(
                        ChangeKind::Inject,
                        service.as_str(),
                        r.address.clone(),
                        format!("`{name}` from the customer's secret, by reference: {how}"),
                    )
                    .path(path)
                    .at(loc.resource(c))
                    .values(None, Some(secret.describe().into()))
                    .rule(loc.rule(*origin))
                    .inputs(vec![field.clone()]),
                );
            }
        }
        all_gifts.push(gifts);
        summary.consumers = consumers
            .keys()
            .filter(|&&c| stack.resource(c).kind != "Output")
            .map(|&c| stack.resource(c).address.to_string())
            .collect();
        plan.services.push(summary);
    }

    // Nothing may still refer to what is dropped, but for a variable the
    // rules give anew, whose old entry goes whole (a `Secrets` entry that
    // read the dropped database's own secret, say).
    for (&d, why) in &dropped {
        for ri in stack.referrers(d) {
            let r = stack.reference(ri);
            if dropped.contains_key(&r.from) || handled[ri] {
                continue;
            }
            if variable_at(stack, r)
                .is_some_and(|(list, name)| given.contains(&(r.from, list, name)))
            {
                files
                    .entry(r.site.file)
                    .or_default()
                    .superseded
                    .push(r.site.span);
                continue;
            }
            let what = match &r.kind {
                RefKind::Intrinsic(i) => match (i.kind, &i.attribute) {
                    (Kind::GetAtt | Kind::Sub, Some(a)) => format!("its `{a}`"),
                    (Kind::Condition, _) => "it as a condition".into(),
                    _ => "its id".into(),
                },
                _ => "it".into(),
            };
            plan.problems.push(
                Problem::error(
                    "E0702",
                    format!(
                        "`{}` reads {what} ({}), but `{}` is dropped",
                        stack.resource(r.from).address,
                        r.site.path,
                        stack.resource(d).address,
                    ),
                )
                .at(loc.stack(r.site.file, r.site.span.start))
                .rule(loc.rule(why.origin))
                .help(match &r.kind {
                    RefKind::Intrinsic(i) if i.kind == Kind::Condition => {
                        "keep the condition in the template, or take it off this resource".to_string()
                    }
                    _ => format!(
                        "this names the dropped `{}` itself, not an endpoint a rule binds: take the reference out, or point it at the customer's resource by hand",
                        stack.resource(d).name
                    ),
                }),
            );
        }
    }
    dropped.to_plan(stack, &mut loc, &mut plan);
    for (fi, e) in &files {
        for p in &e.parameters {
            plan.changes.push(
                Change::new(
                    ChangeKind::Create,
                    p.service.as_str(),
                    format_smolstr!("Parameters.{}", p.name),
                    format!(
                        "a template parameter for the customer's {}, defaulting to the bound value",
                        p.role
                    ),
                )
                .at(loc.stack(*fi, 0))
                .values(None, Some(p.value.clone().into())),
            );
        }
    }
    let out = if plan.has_errors() {
        Vec::new()
    } else {
        write(stack, &dropped, &files, &all_gifts, &mut plan, range)
    };
    Part {
        plan,
        files: out,
        not_yet,
    }
}

/// The inline security group rule a reference is the peer of
/// (`Properties.SecurityGroupIngress[2].SourceSecurityGroupId`): the list
/// and the item.
fn inline_rule(path: &str) -> Option<(&'static str, usize)> {
    let rest = path.strip_prefix("Properties.")?;
    for (list, peers) in [
        (
            "SecurityGroupIngress",
            &["SourceSecurityGroupId", "SourceSecurityGroupName"][..],
        ),
        ("SecurityGroupEgress", &["DestinationSecurityGroupId"][..]),
    ] {
        let Some(item) = rest.strip_prefix(list).and_then(|r| r.strip_prefix('[')) else {
            continue;
        };
        let (index, field) = item.split_once("].")?;
        if peers.contains(&field) {
            return Some((list, index.parse().ok()?));
        }
    }
    None
}

/// Whether `node` is a list (`seq`) or mapping written out: not a function
/// (`!If [...]`, `{"Fn::If": ...}`), not empty.
fn plain(doc: &crate::stack::yaml::Document, node: &Node, seq: bool) -> bool {
    doc.tag_of(node).is_none()
        && if seq {
            node.is_seq()
        } else {
            node.is_map() && !crate::stack::cloudformation::is_call(node)
        }
}

/// The role a read of `attribute` is, by the matcher arm.
fn role_of(arm: &ArmDef, attribute: Option<&str>) -> Option<String> {
    arm.role_reading(attribute?).map(str::to_string)
}

/// The `Fn::Join` in resource `id` that puts a connection URL together around
/// the intrinsic at `inner` (`!Join ["", ["redis://", !GetAtt ..., ":", ...]]`):
/// its whole span and its form.
fn url_join(stack: &Stack, id: ResourceId, inner: Span) -> Option<(Span, Form)> {
    let r = stack.resource(id);
    let doc = &stack.files[r.file].docs[r.doc];
    fn find(doc: &crate::stack::yaml::Document, node: &Node, inner: Span) -> Option<(Span, Form)> {
        if node.span().start > inner.start || node.span().end < inner.end {
            return None;
        }
        let call = match (doc.tag_of(node), node.entries()) {
            (Some(t), _) if t.tag == "!Join" => {
                Some((node, Form::Short, Span::new(t.at.start, node.span().end)))
            }
            (None, [(k, v)]) if k.as_str() == Some("Fn::Join") => {
                Some((v, Form::Long, node.span()))
            }
            _ => None,
        };
        if let Some((arg, form, whole)) = call
            && let [delimiter, list] = arg.items()
            && delimiter.as_str() == Some("")
            && list.span().start <= inner.start
            && inner.end <= list.span().end
            && list
                .items()
                .first()
                .and_then(Node::as_str)
                .and_then(|s| s.split_once("://"))
                .is_some_and(|(scheme, _)| super::connection::is_connection_scheme(scheme))
        {
            return Some((whole, form));
        }
        node.entries()
            .iter()
            .map(|(_, v)| v)
            .chain(node.items())
            .find_map(|n| find(doc, n, inner))
    }
    find(doc, stack.node(id), inner)
}

/// The variable whose entry a reference is in: the `Name` of the item of a
/// container's `Environment` or `Secrets` list that holds its site
/// (`Properties.ContainerDefinitions[0].Secrets[1].ValueFrom`), or the key
/// of a function's `Environment.Variables`.
fn variable_at(stack: &Stack, r: &Reference) -> Option<(&'static str, String)> {
    let path = r.site.path.strip_prefix("Properties.")?;
    if let Some(rest) = path.strip_prefix("Environment.Variables.") {
        return rest
            .split(['.', '['])
            .next()
            .map(|n| ("Variables", n.to_string()));
    }
    let rest = path.strip_prefix("ContainerDefinitions[")?;
    let (container, rest) = rest.split_once(']')?;
    let rest = rest.strip_prefix('.')?;
    let (list, rest) = rest.split_once('[')?;
    let list = match list {
        "Environment" => "Environment",
        "Secrets" => "Secrets",
        _ => return None,
    };
    let (item, _) = rest.split_once(']')?;
    let node = stack.node(r.from).get("Properties")?;
    let c = node
        .get("ContainerDefinitions")?
        .items()
        .get(container.parse::<usize>().ok()?)?;
    c.get(list)?
        .items()
        .get(item.parse::<usize>().ok()?)?
        .str_at("Name")
        .map(|n| (list, n.to_string()))
}

/// Where a port written after a host at `at` ends: `:6379`, up to `limit`.
fn literal_port(text: &str, at: usize, limit: usize) -> Option<usize> {
    let digits = text.get(at..limit)?.strip_prefix(':')?;
    let n = digits.len()
        - digits
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    (1..=5).contains(&n).then_some(at + 1 + n)
}

/// Where a URL whose host ends at `at` ends, up to `limit`: an optional
/// `:port` (digits or a `${}`), then an optional path (which may hold
/// `${}`); that end, then the end of the query after it (`?a=1&b=2`).
fn url_end(text: &str, mut at: usize, limit: usize) -> (usize, usize) {
    let rest = |at: usize| text.get(at..limit).unwrap_or("");
    if let Some(r) = rest(at).strip_prefix(':') {
        if r.starts_with("${") {
            if let Some(close) = r.find('}') {
                at += 1 + close + 1;
            }
        } else {
            let n = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if n > 0 {
                at += 1 + n;
            }
        }
    }
    // A path, then a query: up to a space, a quote or the string's end.
    let stop = |r: &str, also: &[char]| {
        let mut depth = 0usize;
        for (i, c) in r.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                c if depth == 0
                    && (c.is_whitespace() || matches!(c, '"' | '\'') || also.contains(&c)) =>
                {
                    return i;
                }
                _ => {}
            }
        }
        r.len()
    };
    if rest(at).starts_with('/') {
        at += stop(rest(at), &['?', '#']);
    }
    let path_end = at;
    if rest(at).starts_with('?') {
        at += stop(rest(at), &[]);
    }
    (path_end, at)
}

/// The parameter of file `file` that holds the customer's value for
/// `role`, added on first use; `None` when no rule binds the role.
fn parameter(
    stack: &Stack,
    files: &mut BTreeMap<usize, FileEdits>,
    bound: &BTreeMap<String, Bound<'_>>,
    service: &str,
    file: usize,
    role: &str,
) -> Option<String> {
    let (value, ..) = bound.get(role)?;
    let e = files.entry(file).or_default();
    if let Some(p) = e
        .parameters
        .iter()
        .find(|p| p.role == role && p.service == service)
    {
        return Some(p.name.clone());
    }
    let base = format!("{}{}", pascal(service), pascal(role));
    let view = stack.view(file);
    let taken = |name: &str| {
        view.resources.iter().any(|r| r.name == name) || e.parameters.iter().any(|p| p.name == name)
    };
    let name = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}{n}")))
        .find(|n| !taken(n))
        .unwrap_or(base);
    e.parameters.push(NewParameter {
        name: name.clone(),
        value: value.clone(),
        role: role.to_string(),
        service: service.to_string(),
    });
    Some(name)
}

/// `reader_host` as `ReaderHost`.
fn pascal(s: &str) -> String {
    s.split(['_', '-', '.'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A `Ref` to `param`, written as the intrinsic at `at` was.
fn ref_text(text: &str, at: usize, form: Form, param: &str) -> String {
    match form {
        Form::Short => format!("!Ref {param}"),
        _ if text[at..].starts_with('{') => format!("{{\"Ref\": \"{param}\"}}"),
        _ => format!("Ref: {param}"),
    }
}

/// The plan line of one rewired read.
#[allow(clippy::too_many_arguments)]
fn rewired(
    plan: &mut Plan,
    loc: &mut Locator<'_>,
    stack: &Stack,
    r: &Reference,
    service: &str,
    role: &str,
    bound: &BTreeMap<String, Bound<'_>>,
    new: &str,
) {
    let (value, inputs, action) = &bound[role];
    let read = match &r.kind {
        RefKind::Intrinsic(i) => i.attribute.clone().unwrap_or_default(),
        _ => SmolStr::default(),
    };
    plan.changes.push(
        Change::new(
            ChangeKind::Rewire,
            service,
            stack.resource(r.from).address.clone(),
            format!(
                "read `{}.{read}`; now the customer's {role} ({value}), as a template parameter",
                stack.resource(r.to).name
            ),
        )
        .path(r.site.path.clone())
        .at(loc.stack(r.site.file, r.site.span.start))
        .values(
            Some(format_smolstr!("{}.{read}", stack.resource(r.to).name)),
            Some(new.into()),
        )
        .rule(loc.rule(action.origin))
        .inputs(inputs.clone()),
    );
}

/// Whether a type is a function whose environment is a mapping of
/// variables (Lambda's, or SAM's).
fn is_function(kind: &str) -> bool {
    matches!(kind, "AWS::Lambda::Function" | "AWS::Serverless::Function")
}

/// Where a consumer's variables are written, for the plan.
fn env_path(kind: &str) -> &'static str {
    if is_function(kind) {
        "Environment.Variables"
    } else {
        "ContainerDefinitions.Environment"
    }
}

/// Where a security group rule names its peer: the group it lets traffic
/// in from or out to (not the group it belongs to).
const PEERS: &[&str] = &[
    "SourceSecurityGroupId",
    "SourceSecurityGroupName",
    "DestinationSecurityGroupId",
];

/// Whether a resource is a template's parameter, condition or mapping.
fn is_value(stack: &Stack, id: ResourceId) -> bool {
    matches!(
        stack.resource(id).kind.as_str(),
        "Parameter" | "Condition" | "Mapping"
    )
}

/// Whether a reference is at a consumer's entry the rules write anew.
type Anew<'a> = &'a dyn Fn(&Reference) -> bool;

/// Drops the parameters, conditions and mappings (and the secrets, see
/// [`SECRET_STORES`]) that the dropped resources of `service` read and
/// nothing else reads but values replaced whole (in `files`) and entries
/// the rules write anew (`anew`): their reads there are handled. Says
/// whether it dropped any.
fn drop_unread_values(
    stack: &Stack,
    dropped: &mut Drops,
    handled: &mut [bool],
    (files, anew): (&BTreeMap<usize, FileEdits>, Anew<'_>),
    service: &str,
    origin: Origin,
) -> bool {
    let replaced = |file: usize, at: Span| {
        files.get(&file).is_some_and(|e| {
            e.replace
                .iter()
                .any(|(s, _)| s.start <= at.start && at.end <= s.end)
        })
    };
    let read: BTreeSet<ResourceId> = (&*dropped)
        .into_iter()
        .filter(|(_, why)| why.service == service)
        .flat_map(|(&d, _)| stack.references_from(d).map(|x| x.to))
        .filter(|&t| {
            (is_value(stack, t) || SECRET_STORES.contains(&stack.resource(t).kind.as_str()))
                && !dropped.contains_key(&t)
        })
        .collect();
    let mut more = Vec::new();
    for id in read {
        let mut inside = Vec::new();
        let only_replaced = stack.referrers(id).all(|ri| {
            let r = stack.reference(ri);
            if dropped.contains_key(&r.from) {
                return true;
            }
            let at = match &r.kind {
                RefKind::Intrinsic(i) => i.interpolation.unwrap_or(i.whole),
                _ => r.site.span,
            };
            let gone = replaced(r.site.file, at) || anew(r);
            if gone {
                inside.push(ri);
            }
            gone
        });
        if only_replaced && !inside.is_empty() {
            for ri in inside {
                handled[ri] = true;
            }
            let owner = stack
                .referrers(id)
                .map(|ri| stack.reference(ri).from)
                .find(|f| dropped.contains_key(f))
                .map_or("", |f| stack.resource(f).address.as_str());
            more.push((
                id,
                format!("only the dropped `{owner}` and values now the customer's read it"),
            ));
        }
    }
    dropped.add_round(more, origin, service)
}

/// Resources that hold a secret: one the dropped cache read its password
/// from, and that only credentials the rules give anew read besides, goes.
const SECRET_STORES: &[&str] = &["AWS::SecretsManager::Secret", "AWS::SSM::Parameter"];

/// Where an alarm names the topics it notifies: they serve it, and do not
/// exist for it.
const NOTIFIES: &[&str] = &["AlarmActions", "OKActions", "InsufficientDataActions"];

/// Adds to `dropped`, until nothing changes, what exists only for what is
/// dropped: resources, parameters, conditions and mappings that only
/// dropped resources refer to (a `DependsOn` or an output aside); and
/// resources nothing refers to that refer to something dropped and are no
/// application (an alarm on it, an ingress rule of its security group, a
/// custom resource that acts on it).
fn close_drops(
    stack: &Stack,
    dropped: &mut Drops,
    arms: &BTreeMap<ResourceId, &ArmDef>,
    origin: Origin,
    service: &str,
) {
    let is_value = |id: ResourceId| is_value(stack, id);
    // A `DependsOn`, and a security group rule's peer (the group it lets
    // in or out, not the group it belongs to), make nothing exist for the
    // one that names it.
    let weak = |r: &Reference| {
        matches!(&r.kind, RefKind::Intrinsic(i) if i.kind == Kind::DependsOn)
            || PEERS.iter().any(|p| r.site.path.ends_with(p))
            || r.site
                .path
                .strip_prefix("Properties.")
                .is_some_and(|rest| NOTIFIES.iter().any(|p| rest.starts_with(p)))
    };
    // What a custom resource acts through rather than for: the function
    // that handles it (which exists for it, but does not keep it).
    let through = |r: &Reference| r.site.path == "Properties.ServiceToken";
    let is_workload = |id: ResourceId| {
        Format::CloudFormation
            .resource_type(&stack.resource(id).kind)
            .is_some_and(|t| t.kind == TypeKind::Workload)
    };
    // A leaf: nothing but outputs and `DependsOn` refer to it, it is no
    // application, and what it refers to is `target`, dropped, or values.
    let attached_to = |leaf: ResourceId, target: ResourceId, dropped: &Drops| {
        !is_value(leaf)
            && stack.resource(leaf).kind != "Output"
            && !is_workload(leaf)
            && stack
                .references_to(leaf)
                .all(|x| weak(x) || stack.resource(x.from).kind == "Output")
            && stack.references_from(leaf).filter(|x| !weak(x)).all(|x| {
                if through(x) {
                    // A custom resource's function exists for it.
                    x.to != target
                } else {
                    x.to == target || dropped.contains_key(&x.to) || is_value(x.to)
                }
            })
    };
    // A read of a matched resource's endpoint makes a consumer, not an
    // attachment.
    let reads_endpoint = |id: ResourceId| {
        stack
            .references_from(id)
            .any(|x| match (&x.kind, arms.get(&x.to)) {
                (RefKind::Intrinsic(i), Some(arm)) => {
                    role_of(arm, i.attribute.as_deref()).is_some()
                }
                _ => false,
            })
    };
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
            if dropped.contains_key(&id) || stack.resource(id).kind == "Output" {
                continue;
            }
            let live: Vec<ResourceId> = stack
                .references_to(id)
                .filter(|x| !weak(x))
                .map(|x| x.from)
                .filter(|&f| {
                    stack.resource(f).kind != "Output"
                        && (is_value(id) || !attached_to(f, id, dropped))
                })
                .collect();
            let owners: Vec<ResourceId> = live
                .iter()
                .copied()
                .filter(|f| dropped.contains_key(f))
                .collect();
            if !owners.is_empty() && owners.len() == live.len() {
                more.push((
                    id,
                    format!(
                        "it exists only for the dropped `{}`",
                        stack.resource(owners[0]).address
                    ),
                ));
                continue;
            }
            // Attached: nothing refers to it, it is no application, and
            // all it is for is dropped (what it acts through aside); or it
            // is a security group rule whose peer group is dropped.
            let own: Vec<ResourceId> = stack
                .references_from(id)
                .filter(|x| !weak(x) && !through(x))
                .map(|x| x.to)
                .collect();
            let for_dropped = own
                .iter()
                .all(|t| dropped.contains_key(t) || is_value(*t))
                .then(|| {
                    own.iter()
                        .copied()
                        .find(|t| dropped.contains_key(t) && !is_value(*t))
                })
                .flatten();
            let peer_dropped = || {
                matches!(
                    stack.resource(id).kind.as_str(),
                    "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress"
                )
                .then(|| {
                    stack
                        .references_from(id)
                        .filter(|x| PEERS.iter().any(|p| x.site.path.ends_with(p)))
                        .map(|x| x.to)
                        .find(|t| dropped.contains_key(t))
                })
                .flatten()
            };
            if live.is_empty()
                && !is_value(id)
                && !is_workload(id)
                && !reads_endpoint(id)
                && let Some(target) = for_dropped.or_else(peer_dropped)
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

/// The ECS `ValueFrom` or Lambda dynamic reference of a secret.
fn secret_text(secret: &SecretRef, lambda: bool) -> Option<String> {
    match (secret.store.as_str(), lambda) {
        ("aws-secretsmanager", false) => Some(match secret.get("key") {
            Some(k) => format!("{}:{k}::", secret.get("arn")?),
            None => secret.get("arn")?.to_string(),
        }),
        ("aws-secretsmanager", true) => Some(match secret.get("key") {
            Some(k) => format!(
                "{{{{resolve:secretsmanager:{}:SecretString:{k}}}}}",
                secret.get("arn")?
            ),
            None => format!("{{{{resolve:secretsmanager:{}}}}}", secret.get("arn")?),
        }),
        ("aws-ssm", false) => secret.get("name").map(str::to_string),
        // `ssm-secure` resolves only in a few resources' properties.
        ("aws-ssm", true) => None,
        _ => None,
    }
}

/// Gives `items` (a `Name`/`Value` list of an ECS container) each named
/// value: replaced where the name is there, added where not.
fn named_items(
    s: &mut Splices,
    text: &str,
    doc: &crate::stack::yaml::Document,
    container: &Node,
    (list, value_key): (&str, &str),
    wanted: &[(String, String)],
    (superseded, credential): (&[Span], bool),
) {
    if wanted.is_empty() {
        return;
    }
    let stale = |old: &Node| {
        superseded
            .iter()
            .any(|r| old.span().start <= r.start && r.end <= old.span().end)
    };
    let Some(items) = container.get(list).filter(|l| l.is_seq()) else {
        let new: Vec<Json> = wanted
            .iter()
            .map(|(n, v)| json!({"Name": n, value_key: v}))
            .collect();
        edit::insert_entry(s, text, container, list, &Json::Array(new));
        return;
    };
    let mut add = Vec::new();
    for (name, value) in wanted {
        let there = items
            .items()
            .iter()
            .find(|i| i.get("Name").and_then(Node::as_str) == Some(name));
        match there.and_then(|i| i.get(value_key).map(|v| (i, v))) {
            // A value a function builds (rewired, or the vendor's own) is
            // left as it is, unless it reads what is dropped; a credential
            // never is (`ValueFrom: !Ref VendorSecret` would keep the
            // vendor's password).
            Some((item, old))
                if old.as_str() != Some(value)
                    && (credential
                        || (old.scalar().is_some() && doc.tag_of(old).is_none())
                        || stale(old)) =>
            {
                if let Some((k, _)) = item.entry(value_key) {
                    edit::replace_value(s, text, item, k, old, &json!(value));
                }
            }
            Some(_) => {}
            None => add.push(json!({"Name": name, value_key: value})),
        }
    }
    edit::push_items(s, text, items, &add);
}

/// Writes the output files of `range`: every template with its edits,
/// untouched ones as they were.
fn write(
    stack: &Stack,
    dropped: &Drops,
    files: &BTreeMap<usize, FileEdits>,
    gifts: &[Gifts],
    plan: &mut Plan,
    range: std::ops::Range<usize>,
) -> Vec<OutputFile> {
    let empty = FileEdits::default();
    let written: Vec<Result<(Option<String>, bool), String>> = range
        .clone()
        .map(|fi| write_file(stack, dropped, files.get(&fi).unwrap_or(&empty), gifts, fi))
        .collect();
    let mut out = Vec::new();
    for (file, w) in stack.files[range].iter().zip(written) {
        match w {
            Ok((text, changed)) => emit(plan, &mut out, &file.path, text, changed),
            Err(message) => plan.problems.push(Problem::error("", message)),
        }
    }
    out
}

/// One file's output text (`None`: every resource went) and whether it
/// changed; an internal error when two edits overlap.
fn write_file(
    stack: &Stack,
    dropped: &Drops,
    e: &FileEdits,
    gifts: &[Gifts],
    fi: usize,
) -> Result<(Option<String>, bool), String> {
    let file = &stack.files[fi];
    {
        let view = stack.view(fi);
        let gone: Vec<&crate::stack::Resource> = view
            .resources
            .iter()
            .enumerate()
            .filter(|(k, _)| {
                let id = ResourceId(view.first + *k as u32);
                dropped.contains_key(&id) || e.outputs.contains(&id)
            })
            .map(|(_, r)| r)
            .collect();
        if gone.is_empty()
            && e.replace.is_empty()
            && e.depends.is_empty()
            && e.parameters.is_empty()
            && e.gifts.is_empty()
            && e.unconditioned.is_empty()
            && e.rules.is_empty()
        {
            return Ok((Some(file.text.clone()), false));
        }
        let text = file.text.as_str();
        let root = &file.docs[0].root;
        // Every resource of the template goes: so does the file.
        let resources = view
            .resources
            .iter()
            .filter(|r| section(file, r) == "Resources")
            .count();
        if gone
            .iter()
            .filter(|r| section(file, r) == "Resources")
            .count()
            == resources
        {
            return Ok((None, true));
        }
        let mut s = Splices::new();
        // An edit inside what goes is moot: a resource one service drops
        // that another's rules edited, an output removed that was rewired.
        let kept = |id: &ResourceId| !dropped.contains_key(id) && !e.outputs.contains(id);
        let removed: Vec<Span> = gone.iter().map(|r| r.span).collect();
        let inside_removed = |at: Span| {
            removed
                .iter()
                .any(|r| r.start <= at.start && at.end <= r.end)
        };
        // Entries removed, per section; a section left empty goes.
        let mut by_section: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for r in &gone {
            let (si, ei) = unpack(r.item.unwrap_or(0));
            by_section.entry(si).or_default().push(ei);
        }
        let mut new_params: serde_json::Map<String, Json> = serde_json::Map::new();
        for p in &e.parameters {
            new_params.insert(
                p.name.clone(),
                json!({
                    "Type": if p.role == "port" { "Number" } else { "String" },
                    "Default": p.value,
                    "Description": format!("The customer's {} {} (set by graft from the bindings)", p.service, p.role.replace('_', " ")),
                }),
            );
        }
        let params_at = root
            .entries()
            .iter()
            .position(|(k, _)| k.as_str() == Some("Parameters"));
        let mut emptied = Vec::new();
        for (&si, entries) in &by_section {
            let (key, section_node) = &root.entries()[si];
            if entries.len() == section_node.entries().len() {
                if Some(si) == params_at && !new_params.is_empty() {
                    edit::replace_value(
                        &mut s,
                        text,
                        root,
                        key,
                        section_node,
                        &Json::Object(std::mem::take(&mut new_params)),
                    );
                } else {
                    emptied.push(si);
                }
            } else {
                edit::remove_entries(&mut s, text, section_node, entries);
            }
        }
        if !emptied.is_empty() {
            edit::remove_entries(&mut s, text, root, &emptied);
        }
        if !new_params.is_empty() {
            match params_at.map(|i| &root.entries()[i].1) {
                Some(p) if p.is_map() => {
                    let entries: Vec<(String, Json)> = new_params.into_iter().collect();
                    edit::insert_entries(&mut s, text, p, &entries);
                }
                Some(p) if p.is_null() => {
                    let (key, value) = &root.entries()[params_at.unwrap_or(0)];
                    edit::replace_value(&mut s, text, root, key, value, &Json::Object(new_params));
                }
                _ => {
                    // A new section, before `Resources` in a block
                    // template, at the end of a JSON one.
                    let resources = root.entry("Resources").map(|(k, _)| k.span().start);
                    match resources.filter(|_| !root.is_flow()) {
                        Some(at) if edit::column(text, at) == 0 => {
                            let block = edit::document(&json!({ "Parameters": new_params }));
                            s.insert(at, format!("{block}\n"));
                        }
                        _ => edit::insert_entry(
                            &mut s,
                            text,
                            root,
                            "Parameters",
                            &Json::Object(new_params),
                        ),
                    }
                }
            }
        }
        // Outermost first: an edit inside another one's span (a `Sub`
        // inside a `Join` that became the customer's URL) is moot.
        let mut replaced: Vec<&(Span, String)> = e
            .replace
            .iter()
            .filter(|(at, _)| !inside_removed(*at))
            .collect();
        replaced.sort_by_key(|(at, _)| (at.start, std::cmp::Reverse(at.end)));
        let mut covered = 0;
        for (span, new) in replaced {
            if span.start < covered {
                continue;
            }
            covered = span.end;
            s.replace(span.start, span.end, new.clone());
        }
        for &id in e.unconditioned.iter().filter(|id| kept(id)) {
            let node = stack.node(id);
            if let Some(at) = node
                .entries()
                .iter()
                .position(|(k, _)| k.as_str() == Some("Condition"))
            {
                edit::remove_entry(&mut s, text, node, at);
            }
        }
        for (&(id, list), indices) in e.rules.iter().filter(|((id, _), _)| kept(id)) {
            let Some(props) = stack.node(id).get("Properties") else {
                continue;
            };
            let Some(at) = props
                .entries()
                .iter()
                .position(|(k, _)| k.as_str() == Some(list))
            else {
                continue;
            };
            let items = &props.entries()[at].1;
            if indices.len() == items.items().len() {
                edit::remove_entry(&mut s, text, props, at);
            } else {
                edit::remove_items(&mut s, text, items, indices);
            }
        }
        for (&id, indices) in e.depends.iter().filter(|(id, _)| kept(id)) {
            let node = stack.node(id);
            let Some(((k, v), at)) = node
                .entries()
                .iter()
                .position(|(k, _)| k.as_str() == Some("DependsOn"))
                .map(|i| (&node.entries()[i], i))
            else {
                continue;
            };
            let _ = k;
            if !v.is_seq() || indices.len() == v.items().len() {
                edit::remove_entry(&mut s, text, node, at);
            } else {
                edit::remove_items(&mut s, text, v, indices);
            }
        }
        for &(c, ref containers, gi) in e.gifts.iter().filter(|(c, ..)| kept(c)) {
            let g = &gifts[gi];
            let node = stack.node(c);
            let Some(props) = node.get("Properties") else {
                continue;
            };
            match containers {
                Some(which) => {
                    let env: Vec<(String, String)> = g
                        .env
                        .iter()
                        .map(|(n, v, ..)| (n.clone(), v.clone()))
                        .collect();
                    let secrets: Vec<(String, String)> = g
                        .secrets
                        .iter()
                        .filter_map(|(n, sec, ..)| Some((n.clone(), secret_text(sec, false)?)))
                        .collect();
                    let list = props.items_at(&["ContainerDefinitions"]);
                    for &i in which {
                        let Some(container) = list.get(i) else {
                            continue;
                        };
                        let doc = &file.docs[0];
                        let gone = &e.superseded;
                        // A credential goes in `Secrets`, and ECS refuses a
                        // name in both lists: a plain variable of its name
                        // (the vendor's password, `!Ref` a parameter) goes.
                        if let Some(vars) = container.get("Environment").filter(|l| l.is_seq()) {
                            let twins: Vec<usize> = vars
                                .items()
                                .iter()
                                .enumerate()
                                .filter(|(_, v)| {
                                    v.str_at("Name")
                                        .is_some_and(|n| secrets.iter().any(|(s, _)| s == n))
                                })
                                .map(|(i, _)| i)
                                .collect();
                            if !twins.is_empty() {
                                edit::remove_items(&mut s, text, vars, &twins);
                            }
                        }
                        named_items(
                            &mut s,
                            text,
                            doc,
                            container,
                            ("Environment", "Value"),
                            &env,
                            (gone, false),
                        );
                        named_items(
                            &mut s,
                            text,
                            doc,
                            container,
                            ("Secrets", "ValueFrom"),
                            &secrets,
                            (gone, true),
                        );
                    }
                }
                None => {
                    let mut vars: Vec<(String, Json)> = g
                        .env
                        .iter()
                        .map(|(n, v, ..)| (n.clone(), json!(v)))
                        .collect();
                    vars.extend(g.secrets.iter().filter_map(|(n, sec, ..)| {
                        Some((n.clone(), json!(secret_text(sec, true)?)))
                    }));
                    let credential = |n: &str| g.secrets.iter().any(|(s, ..)| s == n);
                    match props.get("Environment") {
                        Some(env) => match env.get("Variables") {
                            Some(v) if v.is_map() => {
                                let mut add = Vec::new();
                                for (n, val) in vars {
                                    let stale = |old: &Node| {
                                        e.superseded.iter().any(|r| {
                                            old.span().start <= r.start && r.end <= old.span().end
                                        })
                                    };
                                    match v.entry(&n) {
                                        Some((k, old))
                                            if credential(&n)
                                                || (old.scalar().is_some()
                                                    && file.docs[0].tag_of(old).is_none())
                                                || stale(old) =>
                                        {
                                            if old.as_str() != val.as_str() {
                                                edit::replace_value(&mut s, text, v, k, old, &val)
                                            }
                                        }
                                        Some(_) => {}
                                        None => add.push((n, val)),
                                    }
                                }
                                edit::insert_entries(&mut s, text, v, &add);
                            }
                            _ => edit::insert_entry(
                                &mut s,
                                text,
                                env,
                                "Variables",
                                &Json::Object(vars.into_iter().collect()),
                            ),
                        },
                        None => edit::insert_entry(
                            &mut s,
                            text,
                            props,
                            "Environment",
                            &json!({ "Variables": Json::Object(vars.into_iter().collect()) }),
                        ),
                    }
                }
            }
        }
        match s.apply(text) {
            Ok(new) => {
                let changed = new != *text;
                Ok((Some(new), changed))
            }
            Err(o) => Err(format!(
                "internal error: two edits overlap at byte {} of {}",
                o.offset, file.path
            )),
        }
    }
}

/// One output file, with its line in the plan.
fn emit(
    plan: &mut Plan,
    out: &mut Vec<OutputFile>,
    path: &str,
    text: Option<String>,
    changed: bool,
) {
    plan.files.push(plan::FileSummary {
        path: path.to_string(),
        status: match (&text, changed) {
            (None, _) => "removed",
            (Some(_), true) => "changed",
            (Some(_), false) => "unchanged",
        },
    });
    out.push(OutputFile {
        path: path.to_string(),
        text,
        changed,
    });
}
