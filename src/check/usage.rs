//! Whole-folder warnings: items never used, rules and arms that can never
//! match, and drops that leave an endpoint role unbound.

use super::program::{InputType, ServiceDef};
use super::{Checker, list_names};
use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::source::Span;
use crate::syntax::ast;
use std::collections::BTreeSet;

impl Checker<'_> {
    pub(super) fn usage(&mut self) {
        let mut found = Vec::new();

        // Services without rules, and their matchers.
        for (name, (file, s)) in &self.service_decls {
            if !self.services_with_rules.contains_key(name) && !self.suspected.contains(name) {
                // Removed with its matchers, which would name nothing.
                let mut gone = vec![Edit::remove_lines(*file, s.span)];
                gone.extend(
                    self.matcher_decls
                        .values()
                        .filter(|(_, m)| m.service_name().text == *name)
                        .map(|(f, m)| Edit::remove_lines(*f, m.span)),
                );
                let what = if gone.len() > 1 {
                    " and its matchers"
                } else {
                    ""
                };
                found.push(
                    Diagnostic::new(Code::Unused, *file, s.name.span, format!("service `{name}` is never used"))
                        .label("no rule is written for it")
                        .help(format!("write a rule for it: `when {name} is provided as c {{ ... }}`, or remove it"))
                        .fix_with(format!("remove service `{name}`{what}"), gone),
                );
            }
        }
        for (name, (file, m)) in &self.matcher_decls {
            let service = &m.service_name().text;
            if self.service_decls.contains_key(service)
                && !self.services_with_rules.contains_key(service)
                && !self.suspected.contains(service)
            {
                found.push(
                    Diagnostic::new(Code::Unused, *file, m.name.span, format!("matcher `{name}` is never used"))
                        .label(format!("no rule is written for `{service}`"))
                        .help(format!("write a rule: `when {service} is provided as c {{ ... }}`, or remove the matcher"))
                        .fix_with(format!("remove matcher `{name}`"), vec![Edit::remove_lines(*file, m.span)]),
                );
            }
        }

        // Inputs no rule reads. A service whose rules name a field it does
        // not have is skipped: the misspelt field is likely the unused one.
        for (name, service) in &self.program.services {
            if !self.services_with_rules.contains_key(name) {
                continue;
            }
            let misspelt = self
                .rule_facts
                .iter()
                .any(|f| f.service == *name && f.unknown_field);
            if misspelt {
                continue;
            }
            let used: BTreeSet<&str> = self
                .rule_facts
                .iter()
                .filter(|f| f.service == *name)
                .flat_map(|f| f.used_fields.iter().map(String::as_str))
                .collect();
            let declared = self.service_decls.get(name).map(|(_, s)| &s.members);
            for field in &service.fields {
                if !used.contains(field.name.as_str()) {
                    let mut d = Diagnostic::new(
                        Code::Unused,
                        field.origin.file,
                        field.origin.span,
                        format!("input `{}` of `{name}` is never used", field.name),
                    )
                    .label("no rule reads it")
                    .help("use it in a rule (`set env NAME = c.FIELD`), or remove it from the service");
                    let member = declared.into_iter().flatten().find_map(|m| match m {
                        ast::Member::Field(f) if f.name.span == field.origin.span => Some(f),
                        _ => None,
                    });
                    if let Some(f) = member {
                        d = d.fix_with(
                            format!("remove input `{}`", field.name),
                            vec![Edit::remove_lines(field.origin.file, f.span)],
                        );
                    }
                    found.push(d);
                }
            }
        }

        // Bound names never used.
        for facts in &self.rule_facts {
            if let Some((binding, false)) = &facts.binding {
                found.push(
                    Diagnostic::new(
                        Code::Unused,
                        facts.file,
                        binding.span,
                        format!("`{}` is never used", binding.text),
                    )
                    .label("bound here")
                    .help("remove `as NAME`, or use the inputs in an action")
                    .fix_with(
                        format!("remove `as {}`", binding.text),
                        vec![Edit::new(
                            facts.file,
                            Span::new(facts.provided.end, binding.span.end),
                            "",
                        )],
                    ),
                );
            }
        }

        // Rules for services no matcher finds.
        for (service, places) in &self.services_with_rules {
            if !self.service_decls.contains_key(service) {
                continue;
            }
            if !self.program.matchers.iter().any(|m| m.service == *service)
                && !self.poisoned_services.contains(service)
            {
                for (file, span) in places {
                    found.push(
                        Diagnostic::new(Code::NeverMatches, *file, *span, "this rule can never match")
                            .label(format!("no matcher finds `{service}`"))
                            .help(format!("say what counts as a default-shipped `{service}`: `match {service} {{ ... }}`")),
                    );
                }
            }
        }

        // Arms whose predicate nothing satisfies.
        let mut overlap = std::mem::take(&mut self.overlap);
        // Where errors are, sorted, to ask "is there one inside this arm?"
        // without scanning them all for every arm.
        let mut errors: Vec<(crate::source::FileId, usize)> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.primary.file, d.primary.span.start))
            .collect();
        errors.sort_unstable();
        for m in &self.program.matchers {
            for arm in &m.arms {
                let Some(p) = &arm.predicate else { continue };
                let span = arm.origin.span;
                let first = errors.partition_point(|e| *e < (arm.origin.file, span.start));
                let had_error = errors
                    .get(first)
                    .is_some_and(|&(file, at)| file == arm.origin.file && at <= span.end);
                if !had_error && !overlap.satisfiable(p) {
                    found.push(
                        Diagnostic::new(
                            Code::NeverMatches,
                            arm.origin.file,
                            arm.origin.span,
                            "this arm can never match",
                        )
                        .label("no resource satisfies its predicate")
                        .help("the predicate contradicts itself; check `&&` and `||`"),
                    );
                }
            }
        }
        self.overlap = overlap;

        // Drops that leave roles unbound.
        let rule_facts = std::mem::take(&mut self.rule_facts);
        let mut bound: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
        for facts in &rule_facts {
            bound
                .entry(facts.service.as_str())
                .or_default()
                .extend(facts.bound_roles.iter().map(String::as_str));
        }
        for facts in &rule_facts {
            let Some(&drop) = facts.drops.first() else {
                continue;
            };
            if self.poisoned_services.contains(&facts.service) {
                continue;
            }
            let roles = self.service_roles(&facts.service);
            let unbound: Vec<_> = roles
                .list
                .iter()
                .filter(|(name, ..)| {
                    !bound
                        .get(facts.service.as_str())
                        .is_some_and(|b| b.contains(name.as_str()))
                })
                .collect();
            for (name, origin, _) in unbound {
                // The fix binds the role to the input that obviously gives
                // it (naming `c` first where the rule binds no name).
                let binding = facts.binding.as_ref().map_or("c", |(b, _)| b.text.as_str());
                let fix = self
                    .program
                    .services
                    .get(&facts.service)
                    .and_then(|s| bind_value(s, name, binding))
                    .map(|value| {
                        let mut edits = Vec::new();
                        if facts.binding.is_none() {
                            edits.push(Edit::new(
                                facts.file,
                                Span::at(facts.provided.end),
                                " as c",
                            ));
                        }
                        edits.push(Edit::line_after(
                            facts.file,
                            drop,
                            format!("bind {name} = {value}"),
                        ));
                        (format!("add `bind {name} = {value}`"), edits)
                    });
                let mut d = Diagnostic::new(
                    Code::UnboundRole,
                    facts.file,
                    drop,
                    format!("`drop` leaves endpoint role `{name}` unbound"),
                )
                .label(format!("consumers that use `{name}` would dangle"))
                .with_label(origin.file, origin.span, "the role is declared here")
                .help(format!(
                    "bind it to the customer's value: `bind {name} = ...`; the roles bound are {}",
                    list_names(
                        bound
                            .get(facts.service.as_str())
                            .into_iter()
                            .flatten()
                            .copied()
                            .filter(|b| roles.get(b).is_some())
                    )
                ));
                if let Some((title, edits)) = fix {
                    d = d.fix_with(title, edits);
                }
                found.push(d);
            }
        }
        self.rule_facts = rule_facts;
        self.diagnostics.extend(found);
    }
}

/// What to bind endpoint role `role` to, from the service's inputs read
/// through `binding`: the host or port of its endpoint input for a host or
/// port role, both for an endpoint, or an input named like the role. `None`
/// where nothing obviously fits (a URL's scheme and path are the rule
/// author's to write).
fn bind_value(service: &ServiceDef, role: &str, binding: &str) -> Option<String> {
    if let Some(f) = service.field(role) {
        return Some(format!("{binding}.{}", f.name));
    }
    let endpoint = service
        .fields
        .iter()
        .find(|f| matches!(f.ty.alternatives.as_slice(), [InputType::Endpoint { .. }]))?;
    let e = format!("{binding}.{}", endpoint.name);
    let role = role.to_ascii_lowercase();
    if role == "port" || role.ends_with("_port") {
        Some(format!("{e}.port"))
    } else if role == "host" || role.ends_with("_host") || role.ends_with("hostname") {
        Some(format!("{e}.host"))
    } else if ["endpoint", "address", "addr"]
        .iter()
        .any(|w| role == *w || role.ends_with(&format!("_{w}")))
    {
        Some(format!("\"${{{e}.host}}:${{{e}.port}}\""))
    } else {
        None
    }
}
