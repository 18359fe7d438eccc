//! Whole-folder warnings: items never used, rules and arms that can never
//! match, and drops that leave an endpoint role unbound.

use super::{Checker, list_names};
use crate::diagnostics::{Code, Diagnostic};
use std::collections::BTreeSet;

impl Checker<'_> {
    pub(super) fn usage(&mut self) {
        let mut found = Vec::new();

        // Services without rules, and their matchers.
        for (name, (file, s)) in &self.service_decls {
            if !self.services_with_rules.contains_key(name) && !self.suspected.contains(name) {
                found.push(
                    Diagnostic::new(Code::Unused, *file, s.name.span, format!("service `{name}` is never used"))
                        .label("no rule is written for it")
                        .help(format!("write a rule for it: `when {name} is provided as c {{ ... }}`, or remove it")),
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
                        .help(format!("write a rule: `when {service} is provided as c {{ ... }}`, or remove the matcher")),
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
            for field in &service.fields {
                if !used.contains(field.name.as_str()) {
                    found.push(
                        Diagnostic::new(
                            Code::Unused,
                            field.origin.file,
                            field.origin.span,
                            format!("input `{}` of `{name}` is never used", field.name),
                        )
                        .label("no rule reads it")
                        .help("use it in a rule (`set env NAME = c.FIELD`), or remove it from the service"),
                    );
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
                    .fix(
                        format!("remove `as {}`", binding.text),
                        crate::source::Span::new(facts.service_span.end, binding.span.end),
                        "",
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
                found.push(
                    Diagnostic::new(
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
                    )),
                );
            }
        }
        self.rule_facts = rule_facts;
        self.diagnostics.extend(found);
    }
}
