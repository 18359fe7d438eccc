//! The engine: matchers select resources, the reference index finds their
//! consumers, rules produce a [`Plan`] (drops, rewires, injections, sets,
//! mounts, annotations, each with the rule and inputs that caused it), and
//! the format adapter writes the edits.
//!
//! Nothing here knows a backing service: which resources are Redis, which
//! roles they expose and what to do with their consumers all come from the
//! rules. What the engine knows is formats: how a consumer carries an
//! environment variable, a secret reference, a mounted file.
//!
//! Architecture invariant: no I/O. Stacks, rules and bindings come in as
//! values; the plan and the output files go out as values.

mod cloudformation;
mod compose;
mod connection;
pub mod explain;
pub mod handoff;
mod kubernetes;
pub mod plan;
pub mod terraform;

use crate::bindings::{Bindings, Input, Provided};
use crate::catalogue::Format;
use crate::check::program::{
    ActionDef, ActionOp, ArmDef, CompareOp, InputRef, MatcherDef, Origin, Predicate, Program,
    RoleSource, Target, TemplatePart, Value, ValueExpr,
};
use crate::source::Sources;
use crate::stack::kubernetes::AttrValue;
use crate::stack::yaml::ScalarKind;
use crate::stack::{ResourceId, Stack};
pub use kubernetes::{FilePlan, Pins, Scope, file_plan, patch_file};
pub use plan::{Change, ChangeKind, Plan, Problem};
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One resource a matcher arm selected for a provided service.
#[derive(Clone, Debug)]
pub struct Instance<'p> {
    /// The resource.
    pub resource: ResourceId,
    /// The service.
    pub service: &'p str,
    /// The matcher.
    pub matcher: &'p MatcherDef,
    /// The arm.
    pub arm: &'p ArmDef,
}

/// A file of the output stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path, relative to the stack root (the same as its input's).
    pub path: String,
    /// Its text; `None` when every document in it was dropped.
    pub text: Option<String>,
    /// Whether it differs from its input.
    pub changed: bool,
}

/// What applying rules to a stack gives.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// What changes, and why.
    pub plan: Plan,
    /// Every file of the output stack, in input order; empty when the plan
    /// has errors.
    pub files: Vec<OutputFile>,
}

/// The dropped resources (of a Terraform or Compose stack), in order, with
/// a mask for the many lookups of the closure and the rewires.
pub(super) struct Drops {
    map: BTreeMap<ResourceId, Dropped>,
    mask: Vec<bool>,
}

impl Drops {
    pub(super) fn new(resources: usize) -> Drops {
        Drops {
            map: BTreeMap::new(),
            mask: vec![false; resources],
        }
    }

    pub(super) fn contains_key(&self, id: &ResourceId) -> bool {
        self.mask.get(id.index()).copied().unwrap_or(false)
    }

    /// Drops `id` for this reason, unless it is already dropped.
    pub(super) fn add(&mut self, id: ResourceId, why: Dropped) {
        if let Some(m) = self.mask.get_mut(id.index())
            && !*m
        {
            *m = true;
            self.map.insert(id, why);
        }
    }

    /// Drops each of `more` for its reason, by `origin`'s rule for
    /// `service` (a round of a closure), and says whether there were any.
    pub(super) fn add_round(
        &mut self,
        more: Vec<(ResourceId, String)>,
        origin: Origin,
        service: &str,
    ) -> bool {
        let any = !more.is_empty();
        for (id, reason) in more {
            self.add(
                id,
                Dropped {
                    reason,
                    origin,
                    service: service.to_string(),
                },
            );
        }
        any
    }

    /// A plan line per dropped resource, with its reason and rule.
    pub(in crate::engine) fn to_plan(
        &self,
        stack: &Stack,
        loc: &mut kubernetes::Locator<'_>,
        plan: &mut Plan,
    ) {
        for (&id, why) in &self.map {
            plan.changes.push(
                plan::Change::new(
                    plan::ChangeKind::Drop,
                    why.service.as_str(),
                    stack.resource(id).address.clone(),
                    why.reason.clone(),
                )
                .at(loc.resource(id))
                .rule(loc.rule(why.origin)),
            );
        }
    }

    /// Adds another part's drops (of other resources).
    pub(super) fn merge(&mut self, other: Drops) {
        for (id, why) in other.map {
            self.add(id, why);
        }
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &ResourceId> {
        self.map.keys()
    }
}

impl std::ops::Index<&ResourceId> for Drops {
    type Output = Dropped;
    fn index(&self, id: &ResourceId) -> &Dropped {
        &self.map[id]
    }
}

impl<'a> IntoIterator for &'a Drops {
    type Item = (&'a ResourceId, &'a Dropped);
    type IntoIter = std::collections::btree_map::Iter<'a, ResourceId, Dropped>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

/// How many files a run holds, when a stack's `files` are cut into runs to
/// work on apart: a quarter of each core's share, so that the cores stay
/// busy; on one core, all of them (a run costs a little).
pub(super) fn run_size(files: usize) -> usize {
    match rayon::current_num_threads() {
        1 => files.max(1),
        threads => files.div_ceil(threads * 4).max(1),
    }
}

/// The variables the actions give consumers (`set env`, `inject ... as
/// env`): a variable a consumer already has under one of these names is
/// the rules' to write.
pub(super) fn env_set_by<'a>(actions: &[&'a ActionDef]) -> BTreeSet<&'a str> {
    actions
        .iter()
        .filter_map(|a| match &a.op {
            ActionOp::SetEnv { name, .. }
            | ActionOp::Inject {
                target: Target::Env(name),
                ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// Each role found with one value, and that value: a role found with two
/// is left out, since which one a consumer repeats is not known.
pub(super) fn one_value_each(
    found: BTreeMap<&'static str, BTreeSet<String>>,
) -> BTreeMap<&'static str, String> {
    found
        .into_iter()
        .filter(|(_, values)| values.len() == 1)
        .filter_map(|(role, values)| Some((role, values.into_iter().next()?)))
        .collect()
}

/// Cuts a stack's files into runs of whole groups of about [`run_size`]
/// files (`group[f]` is a file of file f's group): the run of each file,
/// and how many runs there are.
pub(super) fn runs(group: &[usize]) -> (Vec<usize>, usize) {
    let n = group.len();
    let size = run_size(n);
    let mut sizes = vec![0usize; n];
    for &g in group {
        sizes[g] += 1;
    }
    let mut run_of_group = vec![usize::MAX; n];
    let (mut run, mut filled) = (0, 0);
    for &g in group {
        if run_of_group[g] == usize::MAX {
            if filled >= size {
                run += 1;
                filled = 0;
            }
            run_of_group[g] = run;
            filled += sizes[g];
        }
    }
    let runs = if n == 0 { 0 } else { run + 1 };
    (group.iter().map(|&g| run_of_group[g]).collect(), runs)
}

/// Warns that graft does not yet carry out `what` (`items`: actions or
/// inputs) in `format`'s resources `names`, by the rule at `rule`.
pub(super) fn not_yet(
    plan: &mut Plan,
    (what, items): (&str, &[String]),
    format: &str,
    names: &[String],
    rule: Option<plan::Location>,
) {
    plan.problems.push(
        plan::Problem::warning(format!(
            "graft does not yet {what} {} in {format} resources: do it by hand for {}",
            items.join(", "),
            names.join(", ")
        ))
        .rule(rule),
    );
}

/// Warns that nothing in the stack matches `service`'s matchers.
pub(super) fn nothing_matched(plan: &mut Plan, service: &str) {
    plan.warn(format!(
        "`{service}` is provided, but nothing in the stack matches its matchers: there is nothing to replace"
    ));
}

/// The services' summaries of a stack worked on in parts: each service's
/// matches and consumers from every part, in the bindings' order, with the
/// warning for a service that nothing matched anywhere.
pub(super) fn merge_summaries(plan: &mut Plan, bindings: &Bindings, parts: &[&Plan]) {
    for service in bindings.services.keys() {
        let mut summary = plan::ServiceSummary {
            name: service.clone(),
            matched: Vec::new(),
            consumers: Vec::new(),
        };
        for part in parts {
            for s in part.services.iter().filter(|s| s.name == *service) {
                summary.matched.extend(s.matched.iter().cloned());
                summary.consumers.extend(s.consumers.iter().cloned());
            }
        }
        if summary.matched.is_empty() {
            nothing_matched(plan, service);
        }
        plan.services.push(summary);
    }
}

/// Why a resource is dropped, by which rule, for which service.
pub(super) struct Dropped {
    pub(super) reason: String,
    pub(super) origin: Origin,
    pub(super) service: String,
}

/// Applies `program`'s rules for the services `bindings` provides to `stack`.
///
/// `rules` holds the rule files `program` was checked from, so that the plan
/// can say where each rule is.
pub fn apply(program: &Program, rules: &Sources, bindings: &Bindings, stack: &Stack) -> Outcome {
    apply_matched(program, rules, bindings, stack, None)
}

/// [`apply`], with the matches already found (in resource order, as an
/// incremental session keeps them per file); `None` finds them.
pub fn apply_matched(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    matches: Option<Vec<Match>>,
) -> Outcome {
    use rayon::prelude::*;
    if stack.format() == Format::Terraform {
        let instances: Vec<Instance<'_>> = match matches {
            Some(found) => found.into_iter().map(|m| m.instance(program)).collect(),
            None => match_all(program, bindings, stack),
        };
        return terraform::apply(program, rules, bindings, stack, &instances);
    }
    if matches!(stack.format(), Format::Compose | Format::CloudFormation) {
        let instances: Vec<Instance<'_>> = match matches {
            Some(found) => found.into_iter().map(|m| m.instance(program)).collect(),
            None => match_all(program, bindings, stack),
        };
        return if stack.format() == Format::Compose {
            compose::apply(program, rules, bindings, stack, &instances)
        } else {
            cloudformation::apply(program, rules, bindings, stack, &instances)
        };
    }
    let prepared = prepare(program, bindings, stack, matches);
    let plans: Vec<Arc<FilePlan>> = (0..stack.files.len())
        .into_par_iter()
        .map(|fi| {
            let view = stack.view(fi);
            Arc::new(file_plan(program, rules, bindings, &prepared.scope, view))
        })
        .collect();
    conclude(program, rules, bindings, stack, prepared, plans).0
}

/// What the files' work starts from: the matched instances, and the
/// [`Scope`] worked out from them over the whole stack.
pub struct Prepared<'p> {
    instances: Vec<Instance<'p>>,
    /// What the rules act on: the same from run to run while no match, and
    /// nothing around what matched, changes.
    pub scope: Scope,
}

/// Finds the instances (or takes them from `matches`, in resource order)
/// and works out their scope.
pub fn prepare<'p>(
    program: &'p Program,
    bindings: &Bindings,
    stack: &Stack,
    matches: Option<Vec<Match>>,
) -> Prepared<'p> {
    let instances = match matches {
        Some(found) => found.into_iter().map(|m| m.instance(program)).collect(),
        None => match_all(program, bindings, stack),
    };
    let scope = kubernetes::scope(program, bindings, stack, &instances);
    Prepared { instances, scope }
}

/// Puts the files' work (`plans`, one per stack file, in order) together
/// into the plan and the output stack; with, per file, what the conclusion
/// read of it and wrote into it beyond its own plan, with which an
/// incremental session patches the outcome after an edit of the file
/// ([`patch_file`]). Empty when the plan has errors.
pub fn conclude(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    prepared: Prepared<'_>,
    plans: Vec<Arc<FilePlan>>,
) -> (Outcome, Vec<Pins>) {
    let Prepared { instances, scope } = prepared;
    let mut plan = Plan::default();
    for name in bindings.services.keys() {
        let matched: Vec<String> = instances
            .iter()
            .filter(|i| i.service == name)
            .map(|i| stack.resource(i.resource).address.to_string())
            .collect();
        if matched.is_empty() {
            nothing_matched(&mut plan, name);
        }
        plan.services.push(plan::ServiceSummary {
            name: name.clone(),
            matched,
            consumers: Vec::new(),
        });
    }
    let (files, pinned) = kubernetes::conclude(
        program, rules, bindings, stack, &instances, &scope, plans, &mut plan,
    );
    let passwords = Passwords::new(scope.origin_passwords().map(str::to_string));
    leftover_passwords(&mut plan, &files, &|_| &passwords);
    plan.mask(scope.origin_passwords());
    plan.finish();
    let files = if plan.has_errors() { Vec::new() } else { files };
    (Outcome { plan, files }, pinned)
}

/// The passwords the dropped services were configured with (the vendor's,
/// found in the origin stack), to look for in the output: many are found
/// in one pass over a text.
#[derive(Default)]
pub struct Passwords {
    list: Vec<String>,
    /// All of them at once, when there are more than a few.
    many: Option<aho_corasick::AhoCorasick>,
}

impl Passwords {
    /// The passwords to look for.
    pub fn new(passwords: impl IntoIterator<Item = String>) -> Passwords {
        let list: Vec<String> = passwords.into_iter().collect();
        let many = (list.len() > 4)
            .then(|| aho_corasick::AhoCorasick::new(&list).ok())
            .flatten();
        Passwords { list, many }
    }

    /// Where each of them is written in `text`: (start, length).
    fn found<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        match &self.many {
            Some(ac) => Box::new(ac.find_overlapping_iter(text).map(|m| (m.start(), m.len()))),
            None => Box::new(self.list.iter().flat_map(move |p| {
                memchr::memmem::find_iter(text.as_bytes(), p.as_bytes()).map(|k| (k, p.len()))
            })),
        }
    }
}

/// A warning (W0702) for each changed output file that still writes one of
/// the passwords `passwords_of` gives for it (the vendor's, found in the
/// origin stack, that may reach that file), naming the lines that do: a
/// form of connection string, configuration file or command line no
/// rewrite read. The password is never printed.
pub(crate) fn leftover_passwords<'p>(
    plan: &mut Plan,
    files: &[OutputFile],
    passwords_of: &(dyn Fn(&str) -> &'p Passwords + Sync),
) {
    use rayon::prelude::*;
    let found: Vec<Problem> = files
        .par_iter()
        .filter_map(|f| leftover_password(f, passwords_of(&f.path)))
        .collect();
    plan.problems.extend(found);
}

/// [`leftover_passwords`] for one output file, again after it was written
/// anew (an incremental session's patch): its warning replaces the one the
/// plan had for it. The plan's problems stay in order.
pub(crate) fn relook_leftover_password(plan: &mut Plan, file: &OutputFile, passwords: &Passwords) {
    let before = plan.problems.len();
    let about = format!("`{}` ", file.path);
    plan.problems.retain(|p| {
        !(p.code.as_deref() == Some(LEFTOVER_PASSWORD) && p.message.starts_with(&about))
    });
    let found = leftover_password(file, passwords);
    if found.is_none() && plan.problems.len() == before {
        return;
    }
    plan.problems.extend(found);
    plan.order_problems();
}

/// The code of [`leftover_passwords`]' warning.
const LEFTOVER_PASSWORD: &str = crate::diagnostics::Code::VendorPasswordLeft.as_str();

/// The warning of [`leftover_passwords`] on one file, if it needs one.
fn leftover_password(file: &OutputFile, passwords: &Passwords) -> Option<Problem> {
    if !file.changed || passwords.list.is_empty() {
        return None;
    }
    let lines = password_lines(file.text.as_deref()?, passwords);
    let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
    let where_ = match lines.len() {
        0 => return None,
        1 => format!("line {}", shown[0]),
        n if n <= 5 => format!("lines {}", shown.join(", ")),
        n => format!("lines {} and {} more", shown.join(", "), n - 5),
    };
    let mut problem = plan::Problem::warning(format!(
        "`{}` still writes a password the dropped service was configured with ({where_} of the output): a form graft did not read, which keeps the vendor's password",
        file.path
    ))
    .help("take the password out by hand, and give what reads it the customer's credential by reference (the rules' injected variable)");
    problem.code = Some(LEFTOVER_PASSWORD.to_string());
    Some(problem)
}

/// The lines of `text` (numbered from 1, in order) that write one of
/// `passwords` as a credential, outside a Kubernetes Secret (one the rules
/// kept, for the keys others read, holds the vendor's password as its
/// data: no consumer reads it).
fn password_lines(text: &str, passwords: &Passwords) -> Vec<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    // Written as a credential: a URL's password (`:pw@`), the value of a
    // password variable or option (`REDIS_PASSWORD=pw`, `auth = pw`,
    // `"password": "pw"`, an env entry named for one), or the word after a
    // password flag (`--requirepass pw`, `-a pw`, the item after one in a
    // list); a whole word, not a name that happens to be spelled the same,
    // nor a longer one (`pw-old`, a file `pw.txt`).
    let credential = |at: usize, len: usize| {
        let (before, after) = (&text[..at], &text[at + len..]);
        let longer = after.starts_with(['.', '-']) && word(after[1..].chars().next());
        if word(before.chars().next_back()) || word(after.chars().next()) || longer {
            return false;
        }
        if before.ends_with(':') && after.starts_with('@') {
            return true;
        }
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let lead = before[line_start..].trim_end_matches(['"', '\'', ' ', '\t', '\\']);
        // The line before, for a value or list item written under its name.
        let previous = before[..line_start.saturating_sub(1)]
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim();
        if let Some(key) = lead.strip_suffix(['=', ':']) {
            let key = key.trim_end().trim_end_matches(['"', '\'', '\\']);
            let key = &key[key
                .rfind([' ', '\t', '&', '?', '"', '\'', '{', ',', '['])
                .map_or(0, |n| n + 1)..];
            if names_password(key.trim_start_matches('-')) {
                return true;
            }
            // An env entry's value, under its name or beside it
            // (`{name: REDIS_PASS, value: pw}`).
            let beside = before[line_start..]
                .split_once("name:")
                .map(|(_, n)| n.split([',', '}']).next().unwrap_or(""));
            let name = beside.or_else(|| previous.trim_start_matches("- ").strip_prefix("name:"));
            if key == "value"
                && let Some(name) = name
                && names_password(name.trim().trim_matches(['"', '\'']))
            {
                return true;
            }
        }
        let is_flag = |w: &str| {
            connection::is_password_flag(
                w.trim_end_matches(',').trim_matches(['"', '\'', '[']),
                true,
            )
        };
        // A word of a list (`["--requirepass", "pw"]`), or an item under
        // its flag's (`- --password` then `- pw`).
        // And a Redis `AUTH` command (`redis-cli <<< 'AUTH pw'`).
        let last = lead.rsplit([' ', '\t']).next().unwrap_or("");
        is_flag(last)
            || (last.trim_start_matches(['\'', '"'])).eq_ignore_ascii_case("auth")
            || (lead.trim() == "-" && is_flag(previous.trim_start_matches("- ")))
    };
    let mut at: Vec<usize> = passwords
        .found(text)
        .filter(|&(k, len)| {
            text.is_char_boundary(k)
                && text.is_char_boundary(k + len)
                && credential(k, len)
                && !in_secret_document(text, k)
        })
        .map(|(k, _)| k)
        .collect();
    at.sort_unstable();
    let mut lines: Vec<usize> = Vec::with_capacity(at.len());
    let (mut line, mut counted) = (1, 0);
    for k in at {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted..k]).count();
        counted = k;
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    lines
}

/// Whether a key or variable names a password: its last word (split at
/// `_`, `.`, `-` and lower-to-upper case) is `password`, `pass`, `passwd`,
/// `pwd`, `auth` or a Redis option for one (`REDIS_PASSWORD`,
/// `spring.redis.password`, `redisPass`; not `bypass`, `author`,
/// `password_hint`, `AUTH_STORE`).
fn names_password(key: &str) -> bool {
    let mut last = String::new();
    let mut lower_before = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && lower_before) {
            last.clear();
        }
        if c.is_ascii_alphanumeric() {
            last.push(c.to_ascii_lowercase());
        }
        lower_before = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    matches!(
        last.as_str(),
        "password" | "pass" | "passwd" | "pwd" | "auth" | "requirepass" | "masterauth"
    )
}

/// Whether the YAML document of `text` around byte `at` is a Kubernetes
/// Secret (`kind: Secret` on a line of its own, or `"kind": "Secret"`).
fn in_secret_document(text: &str, at: usize) -> bool {
    let start = text[..at].rfind("\n---").map_or(0, |k| k + 4);
    let end = text[at..].find("\n---").map_or(text.len(), |k| at + k);
    let document = &text[start..end];
    // At the top level of the document, not in a value's text.
    document.lines().any(|l| l.trim_end() == "kind: Secret")
        || (document.trim_start().starts_with('{')
            && (document.contains("\"kind\":\"Secret\"")
                || document.contains("\"kind\": \"Secret\"")))
}

/// Every resource a provided service's matchers select, in resource order.
/// A resource that two services' matchers select goes to the first service
/// by name.
pub fn match_all<'p>(
    program: &'p Program,
    bindings: &Bindings,
    stack: &Stack,
) -> Vec<Instance<'p>> {
    match_stack(program, bindings, stack)
        .into_iter()
        .map(|m| m.instance(program))
        .collect()
}

/// [`match_all`], as indexes (resources numbered in the stack): what
/// [`apply_matched`] takes, so that a caller who looks at the matches first
/// does not match twice.
pub fn match_stack(program: &Program, bindings: &Bindings, stack: &Stack) -> Vec<Match> {
    use rayon::prelude::*;
    let matchers = provided_matchers(program, bindings);
    let found: Vec<Option<Match>> = stack
        .resources
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let id = ResourceId(i as u32);
            best_match(&matchers, r, &mut |p| predicate(p, stack, id)).map(|(m, a)| Match {
                resource: i as u32,
                matcher: m,
                arm: a,
            })
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// A resource a matcher arm selected, by index: what matching one file
/// gives, and what an incremental session keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// The resource: its index in its file (from [`match_file`]) or in the
    /// stack.
    pub resource: u32,
    /// The matcher's index in [`Program::matchers`].
    pub matcher: u32,
    /// The arm's index in that matcher.
    pub arm: u32,
}

impl Match {
    /// The instance this match is (its resource numbered in the stack).
    pub fn instance(self, program: &Program) -> Instance<'_> {
        let matcher = &program.matchers[self.matcher as usize];
        Instance {
            resource: ResourceId(self.resource),
            service: &matcher.service,
            matcher,
            arm: &matcher.arms[self.arm as usize],
        }
    }
}

/// Matches one file's objects alone, in order; `None` when a provided
/// service's matcher reads a derived attribute (one worked out from other
/// objects, such as `service.dns`), which only [`match_all`] can do.
pub fn match_file(
    program: &Program,
    bindings: &Bindings,
    file: &crate::stack::StackFile,
    resources: &[crate::stack::Resource],
) -> Option<Vec<Match>> {
    let matchers = provided_matchers(program, bindings);
    let derived = matchers.iter().flat_map(|(_, m)| &m.arms).any(|a| {
        a.predicate
            .as_ref()
            .is_some_and(|p| reads(p, &crate::stack::kubernetes::is_derived))
    });
    if derived {
        return None;
    }
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let node = file.node(r);
        let mut attribute = |path: &str| {
            crate::stack::kubernetes::local_attribute(r, node, path).unwrap_or_default()
        };
        if let Some((m, a)) = best_match(&matchers, r, &mut |p| holds(p, &mut attribute)) {
            out.push(Match {
                resource: i as u32,
                matcher: m,
                arm: a,
            });
        }
    }
    Some(out)
}

/// The matchers of the services `bindings` provides, with their indices.
fn provided_matchers<'p>(program: &'p Program, bindings: &Bindings) -> Vec<(u32, &'p MatcherDef)> {
    program
        .matchers
        .iter()
        .enumerate()
        .filter(|(_, m)| bindings.services.contains_key(&m.service))
        .map(|(i, m)| (i as u32, m))
        .collect()
}

/// The matcher and arm that select `r`: the first arm that holds, of the
/// first service by name.
fn best_match(
    matchers: &[(u32, &MatcherDef)],
    r: &crate::stack::Resource,
    holds: &mut dyn FnMut(&Predicate) -> bool,
) -> Option<(u32, u32)> {
    let mut best: Option<(&str, u32, u32)> = None;
    for &(mi, m) in matchers {
        for (ai, arm) in m.arms.iter().enumerate() {
            if arm.format != r.format || !arm.types.iter().any(|t| t.name == r.kind) {
                continue;
            }
            if best.is_some_and(|(service, _, _)| service <= m.service.as_str()) {
                continue;
            }
            if arm.predicate.as_ref().is_none_or(&mut *holds) {
                best = Some((&m.service, mi, ai as u32));
            }
        }
    }
    best.map(|(_, m, a)| (m, a))
}

/// Whether a predicate reads an attribute that `which` picks.
fn reads(p: &Predicate, which: &dyn Fn(&str) -> bool) -> bool {
    match p {
        Predicate::And(ps) | Predicate::Or(ps) => ps.iter().any(|p| reads(p, which)),
        Predicate::Not(p) => reads(p, which),
        Predicate::Const(_) => false,
        Predicate::Has(path)
        | Predicate::IsTrue(path)
        | Predicate::Compare(path, ..)
        | Predicate::In(path, _)
        | Predicate::Matches(path, _) => which(path),
    }
}

/// The values an attribute has on a resource, in its format's terms.
pub fn attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    match stack.resource(id).format {
        Format::Kubernetes => crate::stack::kubernetes::attribute(stack, id, path),
        Format::Terraform => crate::stack::terraform::attribute(stack, id, path),
        Format::Compose => crate::stack::compose::attribute(stack, id, path),
        Format::CloudFormation => crate::stack::cloudformation::attribute(stack, id, path),
    }
}

/// Whether a predicate holds on a resource. An attribute with several values
/// (one per container, say) satisfies a comparison when any value does; `!=`
/// holds when none is equal.
pub fn predicate(p: &Predicate, stack: &Stack, id: ResourceId) -> bool {
    holds(p, &mut |path| attribute(stack, id, path))
}

/// Whether a predicate holds on a resource whose pod ran only the container
/// `image`: which of a workload's containers are what its matcher looks for.
pub fn predicate_for_image(p: &Predicate, stack: &Stack, id: ResourceId, image: &str) -> bool {
    holds(p, &mut |path| match path {
        "image" | "containers.image" => {
            vec![AttrValue::Scalar(SmolStr::new(image), ScalarKind::Str)]
        }
        _ => attribute(stack, id, path),
    })
}

/// Whether a predicate holds of the resource whose attributes `attribute`
/// gives.
fn holds(p: &Predicate, attribute: &mut dyn FnMut(&str) -> Vec<AttrValue>) -> bool {
    match p {
        Predicate::And(ps) => ps.iter().all(|p| holds(p, attribute)),
        Predicate::Or(ps) => ps.iter().any(|p| holds(p, attribute)),
        Predicate::Not(p) => !holds(p, attribute),
        Predicate::Const(b) => *b,
        Predicate::Has(path) => !attribute(path).is_empty(),
        Predicate::IsTrue(path) => attribute(path)
            .iter()
            .any(|v| matches!(v, AttrValue::Scalar(_, ScalarKind::Bool(true)))),
        Predicate::Compare(path, op, value) => {
            let values = attribute(path);
            if matches!(value, Value::Null) {
                return match op {
                    CompareOp::Eq => values.is_empty(),
                    CompareOp::Ne => !values.is_empty(),
                    _ => false,
                };
            }
            match op {
                CompareOp::Ne => !values.iter().any(|v| equals(v, value)),
                CompareOp::Eq => values.iter().any(|v| equals(v, value)),
                _ => values.iter().any(|v| ordered(v, *op, value)),
            }
        }
        Predicate::In(path, list) => {
            let values = attribute(path);
            list.iter().any(|want| match want {
                Value::Null => values.is_empty(),
                w => values.iter().any(|v| equals(v, w)),
            })
        }
        Predicate::Matches(path, pattern) => attribute(path)
            .iter()
            .any(|v| matches!(v, AttrValue::Scalar(s, _) if pattern.is_match(s))),
    }
}

/// Values compare as the text a stack holds: `port == "6379"` and
/// `port == 6379` agree.
fn equals(have: &AttrValue, want: &Value) -> bool {
    let AttrValue::Scalar(text, _) = have else {
        return false;
    };
    match want {
        Value::Str(s) => text == s,
        Value::Int(i) => text.parse::<i64>().ok() == Some(*i),
        Value::Bool(b) => text.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Null | Value::List(_) => false,
    }
}

fn ordered(have: &AttrValue, op: CompareOp, want: &Value) -> bool {
    let (AttrValue::Scalar(text, _), Value::Int(w)) = (have, want) else {
        return false;
    };
    let Ok(h) = text.parse::<i64>() else {
        return false;
    };
    match op {
        CompareOp::Lt => h < *w,
        CompareOp::Le => h <= *w,
        CompareOp::Gt => h > *w,
        CompareOp::Ge => h >= *w,
        CompareOp::Eq => h == *w,
        CompareOp::Ne => h != *w,
    }
}

/// The current value of an endpoint role on a matched resource: its first
/// source that is present.
pub fn role_value(stack: &Stack, id: ResourceId, sources: &[RoleSource]) -> Option<String> {
    sources.iter().find_map(|s| match s {
        RoleSource::Const(v) => value_text(v),
        RoleSource::Attribute(path) => {
            attribute(stack, id, path)
                .into_iter()
                .find_map(|v| match v {
                    AttrValue::Scalar(s, _) => Some(s.to_string()),
                    AttrValue::Collection => None,
                })
        }
    })
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::List(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Str(s) => Some(s.clone()),
    }
}

/// The text an `annotate` action writes, and the inputs it read: a secret
/// input as `name` shows it (its reference, never its value), anything else
/// as [`eval`] gives it.
pub fn annotation(
    value: &ValueExpr,
    inputs: &Provided,
    name: impl Fn(&crate::bindings::SecretRef) -> String,
) -> Option<(String, Vec<SmolStr>)> {
    if let ValueExpr::Input(i) = value
        && let Some(Input::Secret(s)) = inputs.input(i)
    {
        return Some((name(s), vec![format_smolstr!("{}.{}", i.service, i.field)]));
    }
    eval(value, inputs)
}

/// The text a value expression gives with these inputs, and the inputs it
/// read; `None` when it reads an optional input that was not given (the
/// action then does not apply).
pub fn eval(expr: &ValueExpr, inputs: &Provided) -> Option<(String, Vec<SmolStr>)> {
    let input = |i: &InputRef| -> Option<String> {
        inputs
            .input(i)
            .and_then(|v| v.as_value(i.member.as_deref()))
            .and_then(|v| value_text(&v))
    };
    let name = |i: &InputRef| match &i.member {
        Some(m) => format_smolstr!("{}.{}.{m}", i.service, i.field),
        None => format_smolstr!("{}.{}", i.service, i.field),
    };
    match expr {
        ValueExpr::Const(v) => value_text(v).map(|t| (t, Vec::new())),
        ValueExpr::Input(i) => input(i).map(|t| (t, vec![name(i)])),
        ValueExpr::Template(parts) => {
            let mut out = String::new();
            let mut used = Vec::new();
            for p in parts {
                match p {
                    TemplatePart::Text(t) => out.push_str(t),
                    TemplatePart::Input(i) => {
                        let text = input(i)?;
                        // Inside a larger string (`host:port`, a URL), an
                        // IPv6 host is written in brackets.
                        if i.member.as_deref() == Some("host") && text.contains(':') {
                            out.push('[');
                            out.push_str(&text);
                            out.push(']');
                        } else {
                            out.push_str(&text);
                        }
                        used.push(name(i));
                    }
                }
            }
            Some((out, used))
        }
    }
}

/// The actions of the rules for a provided service that apply with these
/// inputs in this format.
pub fn active_actions<'p>(
    program: &'p Program,
    service: &str,
    inputs: &Provided,
    format: Format,
) -> Vec<&'p ActionDef> {
    program
        .rules
        .iter()
        .filter(|r| r.service == service)
        .flat_map(|r| r.actions.iter())
        .filter(|a| a.formats.contains(&format))
        .filter(|a| a.condition.as_ref().is_none_or(|c| inputs.holds(c)))
        .filter(|a| match &a.op {
            ActionOp::Inject { input, .. } | ActionOp::Mount { input, .. } => {
                !matches!(inputs.input(input), None | Some(Input::Null))
            }
            _ => true,
        })
        .collect()
}

/// How the plan shows an IAM role the consumers are given.
fn iam_role_text(kind: crate::bindings::Identity, id: &str, user: Option<&str>) -> SmolStr {
    let noun = kind.noun();
    match user {
        Some(u) => format_smolstr!("{noun} {id} as user {u}"),
        None => format_smolstr!("{noun} {id}"),
    }
}

/// What a consumer needs to authenticate as a cloud identity (`who`: its
/// pods, its containers), for the plan.
fn identity_needs(kind: crate::bindings::Identity, who: &str) -> String {
    use crate::bindings::Identity;
    match kind {
        Identity::AwsRole => format!(
            "IAM authentication: the {who} need AWS credentials that may assume the role (on Kubernetes, the role goes on the pod's ServiceAccount: IRSA)"
        ),
        Identity::AzureManagedIdentity => format!(
            "Microsoft Entra authentication: the {who} must run as the managed identity (on Kubernetes, Azure workload identity: the client id goes on the pod's ServiceAccount, and the pods get the label `azure.workload.identity/use`)"
        ),
        Identity::GcpServiceAccount => format!(
            "IAM authentication: the {who} must run as the service account (on Kubernetes, GKE workload identity: it goes on the pod's ServiceAccount)"
        ),
    }
}

/// A role's new value: the text, the inputs it read, and the action.
pub type Bound<'p> = (String, Vec<SmolStr>, &'p ActionDef);

/// The binds among a service's active actions, by role.
pub fn binds<'p>(actions: &[&'p ActionDef], inputs: &Provided) -> BTreeMap<String, Bound<'p>> {
    let mut out = BTreeMap::new();
    for a in actions {
        if let ActionOp::Bind { role, value } = &a.op
            && let Some((text, used)) = eval(value, inputs)
        {
            out.entry(role.clone()).or_insert((text, used, *a));
        }
    }
    out
}

/// The port a service's endpoint field says its server listens on by
/// default (`endpoint(default_port = 6379)`), if it says one.
pub(crate) fn default_port(program: &Program, service: &str) -> Option<u16> {
    use crate::check::program::InputType;
    program.services.get(service).and_then(|s| {
        s.fields
            .iter()
            .flat_map(|f| &f.ty.alternatives)
            .find_map(|t| match t {
                InputType::Endpoint { default_port } => *default_port,
                _ => None,
            })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every line that writes a vendor's password as a credential, once
    /// each; not a Secret's data, nor a name spelled like a password.
    #[test]
    fn the_lines_that_keep_a_vendors_password() {
        let text = "kind: ConfigMap\ndata:\n  app.properties: |\n    redis.password=hunter22\n    url=redis://:hunter22@h:6379 auth=hunter22\n  note: hunter22 and hunter22x\n---\nkind: Secret\nstringData:\n  password: hunter22\n---\nkind: Pod\nargs: [\"--requirepass\", \"s3cret-pw\"]\n";
        for n in [1, 6] {
            // One password and two, and six (found in one pass).
            let mut list = vec!["hunter22".to_string(), "s3cret-pw".to_string()];
            list.extend((0..n).map(|k| format!("other-{k}")));
            let passwords = Passwords::new(list);
            assert_eq!(password_lines(text, &passwords), vec![4, 5, 13], "{n}");
        }
        let forms = [
            ("password = hunter22", true),
            ("a.json: \"{\\\"password\\\": \\\"hunter22\\\"}\"", true),
            ("args: [\"--redis-password\", \"hunter22\"]", true),
            ("spring.redis.password=hunter22", true),
            ("redisPass: hunter22", true),
            ("bypass: hunter22", false),
            ("author: hunter22", false),
            ("password_hint=hunter22", false),
            ("AUTH_STORE: hunter22", false),
            ("password=hunter22.txt", false),
            ("note: hunter22", false),
            ("password: hunter22-old", false),
            ("- {name: SESSION_PASS, value: hunter22}", true),
            ("script: redis-cli <<< 'AUTH hunter22'", true),
        ];
        let passwords = Passwords::new(["hunter22".to_string()]);
        for (line, flagged) in forms {
            let text = format!("kind: ConfigMap\ndata:\n  {line}\n");
            assert_eq!(
                password_lines(&text, &passwords) == vec![3],
                flagged,
                "{line}"
            );
        }
        // Under its name or flag, on the line before.
        let text = "env:\n  - name: SESSION_REDIS_AUTH\n    value: \"hunter22\"\nargs:\n  - --password\n  - hunter22\n  - --name\n  - hunter22\n";
        assert_eq!(password_lines(text, &passwords), vec![3, 6]);
        // A line `kind: Secret` in a value's text is no Secret.
        let text = "kind: ConfigMap\ndata:\n  a: |\n    kind: Secret\n    password: hunter22\n";
        assert_eq!(password_lines(text, &passwords), vec![5]);
        let flagged = "kind: Pod\ncommand: redis-server --requirepass s3cret-pw\n";
        let passwords = Passwords::new(["s3cret-pw".to_string()]);
        assert_eq!(password_lines(flagged, &passwords), vec![2]);
        assert!(password_lines("", &passwords).is_empty());
    }

    #[test]
    fn a_secret_document_is_told_apart() {
        let text =
            "kind: ConfigMap\ndata: {a: b}\n---\napiVersion: v1\nkind: Secret\ndata: {a: b}\n";
        assert!(!in_secret_document(text, 5));
        assert!(in_secret_document(text, text.len() - 3));
        let json = r#"{"apiVersion": "v1", "kind":"Secret", "data": {}}"#;
        assert!(in_secret_document(json, 10));
    }
}
