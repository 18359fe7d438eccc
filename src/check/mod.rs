//! Names, types and conflicts: syntax trees of a rules folder in, a checked
//! [`Program`] and diagnostics out.
//!
//! A rules folder is checked as a whole: a rule in one file may use a service
//! declared in another. Every independent problem is reported, not only the
//! first: a broken item is skipped and the rest are still checked.
//!
//! Architecture invariant: `check` reads syntax trees and the catalogue and
//! does no I/O; it never looks at a stack. The same [`check`] function serves
//! `graft check`, the engine and the language server.

mod conflicts;
mod matchers;
mod overlap;
pub mod program;
mod rules;
pub mod services;
mod usage;

use crate::diagnostics::{self, Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Item, Module};
pub use overlap::Memo as OverlapMemo;
pub use program::Program;
use std::collections::BTreeMap;

pub use services::RESPONSIBILITIES;

/// Checks the parsed files of one rules folder.
///
/// Files should be given in a stable order (graft sorts them by path); the
/// diagnostics come back sorted by file and position whatever the order.
pub fn check(files: &[(FileId, &Module)]) -> (Program, Vec<Diagnostic>) {
    check_with(files, None)
}

/// [`check`], keeping the answers of the overlap analysis in `memo` from
/// one check to the next (the language server checks on every edit).
pub fn check_with(
    files: &[(FileId, &Module)],
    memo: Option<&OverlapMemo>,
) -> (Program, Vec<Diagnostic>) {
    let mut cx = Checker {
        memo,
        ..Checker::default()
    };
    cx.collect(files);
    for &(file, module) in files {
        for item in &module.items {
            if let Item::Service(s) = item {
                cx.service(file, s);
            }
        }
    }
    for &(file, module) in files {
        for item in &module.items {
            if let Item::Matcher(m) = item {
                cx.matcher(file, m);
            }
        }
    }
    for &(file, module) in files {
        for item in &module.items {
            if let Item::Rule(r) = item {
                cx.rule(file, r);
            }
        }
    }
    cx.conflicts();
    cx.usage();
    let mut diagnostics = cx.diagnostics;
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    (cx.program, diagnostics)
}

/// The state of one check.
#[derive(Default)]
struct Checker<'a> {
    /// The first declaration of each service name.
    service_decls: BTreeMap<String, (FileId, &'a ast::Service)>,
    /// The first declaration of each matcher name.
    matcher_decls: BTreeMap<String, (FileId, &'a ast::Matcher)>,
    /// Services that some rule is written for.
    services_with_rules: BTreeMap<String, Vec<(FileId, Span)>>,
    /// What each rule writes, for the conflict check.
    writes: Vec<conflicts::Write>,
    /// What each rule drops, binds and reads, for the usage checks.
    rule_facts: Vec<rules::RuleFacts>,
    /// Services with an item or arm that failed to parse or check: errors
    /// that would only follow from that failure are not reported for them.
    poisoned_services: std::collections::BTreeSet<String>,
    /// The overlap analysis, with the automata it has built.
    overlap: overlap::Overlap,
    /// Overlap answers kept across checks, when the caller keeps them.
    memo: Option<&'a OverlapMemo>,
    /// Services that an unknown name was probably meant to be (did-you-mean
    /// targets): they are not reported as unused, since the typo is.
    suspected: std::collections::BTreeSet<String>,
    /// The endpoint roles of each service, computed on first use.
    role_cache: std::collections::HashMap<String, std::rc::Rc<rules::ServiceRoles>>,
    /// Fields whose type failed to check, by service and field.
    poisoned_fields: std::collections::BTreeSet<(String, String)>,
    program: Program,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records every service and matcher name, reporting duplicates.
    fn collect(&mut self, files: &[(FileId, &'a Module)]) {
        for &(_, module) in files {
            for broken in &module.broken {
                // A rule that failed to parse still says its service is used.
                if broken.keyword == "when"
                    && let Some(name) = broken.names.first()
                {
                    self.suspected.insert(name.clone());
                }
                let service = match broken.keyword.as_str() {
                    "service" => broken.names.first(),
                    "match" => broken.names.last(),
                    _ => None,
                };
                if let Some(name) = service {
                    self.poisoned_services.insert(name.clone());
                }
            }
        }
        for &(file, module) in files {
            for item in &module.items {
                match item {
                    Item::Service(s) => {
                        if let Some(&(first_file, first)) = self.service_decls.get(&s.name.text) {
                            self.duplicate("service", &s.name, file, first_file, first.name.span);
                        } else {
                            self.service_decls.insert(s.name.text.clone(), (file, s));
                        }
                    }
                    Item::Matcher(m) => {
                        if let Some(&(first_file, first)) = self.matcher_decls.get(&m.name.text) {
                            self.duplicate("matcher", &m.name, file, first_file, first.name.span);
                        } else {
                            self.matcher_decls.insert(m.name.text.clone(), (file, m));
                        }
                    }
                    Item::Rule(_) => {}
                }
            }
        }
    }

    /// Reports `name` (in `file`) as a second definition of a `what`.
    fn duplicate(
        &mut self,
        what: &str,
        name: &ast::Name,
        file: FileId,
        first_file: FileId,
        first: Span,
    ) {
        self.report(
            Diagnostic::new(
                Code::DuplicateDefinition,
                file,
                name.span,
                format!("{what} `{}` is defined more than once", name.text),
            )
            .label("defined again here")
            .with_label(first_file, first, "first defined here")
            .help(format!("rename one of them, or remove the second {what}")),
        );
    }

    /// Reports an unknown name, with a did-you-mean when one is close.
    #[allow(clippy::too_many_arguments)]
    fn unknown<'c>(
        &mut self,
        code: Code,
        file: FileId,
        name: &ast::Name,
        message: String,
        candidates: impl IntoIterator<Item = &'c str>,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::new(code, file, name.span, message);
        match diagnostics::did_you_mean(&name.text, candidates) {
            Some(suggestion) => {
                let suggestion = suggestion.to_string();
                d = d.label(format!("did you mean `{suggestion}`?")).fix(
                    format!("replace with `{suggestion}`"),
                    name.span,
                    suggestion,
                );
            }
            None => d = d.label("not known"),
        }
        if let Some(help) = help {
            d = d.help(help);
        }
        self.report(d);
    }
}

/// Lists names in backticks for a help line: "`a`, `b` and `c`".
/// Names in backticks, joined with commas and `and`.
pub fn list_names<'s>(names: impl IntoIterator<Item = &'s str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}
