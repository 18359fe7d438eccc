//! The plan: every change apply makes, each with the rule that caused it and
//! the inputs it read, the problems found, and what happens to each file.
//! It renders as readable text and as stable JSON (documented in
//! `docs/plan.md`).

use serde::Serialize;
use smol_str::SmolStr;
use std::fmt::Write as _;
use std::sync::Arc;

/// A place in a file: 1-based line and column (in characters); line 0
/// stands for the whole file (see [`Plan::rules_by_file`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The file, as given (rules) or relative to the stack root (stack).
    pub file: SmolStr,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// What a change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A resource is removed.
    Drop,
    /// A reference is rewritten to the customer's endpoint.
    Rewire,
    /// A credential is handed to a consumer by reference.
    Inject,
    /// An environment variable is set on a consumer.
    Set,
    /// A file is mounted into a consumer.
    Mount,
    /// An annotation is written on a consumer.
    Annotate,
    /// A resource is added (a CA ConfigMap, a DNS alias).
    Create,
    /// Something is taken out of a consumer (a credential it no longer needs).
    Remove,
}

impl ChangeKind {
    fn heading(self) -> &'static str {
        match self {
            ChangeKind::Drop => "Dropped",
            ChangeKind::Rewire => "Rewired",
            ChangeKind::Inject => "Injected",
            ChangeKind::Set => "Set",
            ChangeKind::Mount => "Mounted",
            ChangeKind::Annotate => "Annotated",
            ChangeKind::Create => "Created",
            ChangeKind::Remove => "Removed",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does.
    pub kind: ChangeKind,
    /// The service whose rules made it.
    pub service: SmolStr,
    /// The resource it changes.
    pub resource: SmolStr,
    /// Where in the resource (an attribute path), if not the whole resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<SmolStr>,
    /// Where in the stack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
    /// The value before, for a rewire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<SmolStr>,
    /// The value after (for an injection, the secret's reference; never a
    /// secret's value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<SmolStr>,
    /// Why, in words.
    pub reason: SmolStr,
    /// The rule action that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Location>,
    /// The customer inputs it read (`redis.hostname.host`).
    #[serde(skip_serializing_if = "<[SmolStr]>::is_empty")]
    pub inputs: Arc<[SmolStr]>,
}

impl Change {
    /// A change of `kind` by `service`'s rules to `resource`, for `reason`.
    pub fn new(
        kind: ChangeKind,
        service: impl Into<SmolStr>,
        resource: impl Into<SmolStr>,
        reason: impl Into<SmolStr>,
    ) -> Change {
        Change {
            kind,
            service: service.into(),
            resource: resource.into(),
            path: None,
            at: None,
            old: None,
            new: None,
            reason: reason.into(),
            rule: None,
            inputs: Arc::new([]),
        }
    }

    /// Where in the resource.
    pub fn path(self, path: impl Into<SmolStr>) -> Change {
        self.maybe_path(Some(path.into()))
    }

    /// Where in the resource, if anywhere in particular.
    pub fn maybe_path(mut self, path: Option<impl Into<SmolStr>>) -> Change {
        self.path = path.map(Into::into);
        self
    }

    /// Where in the stack.
    pub fn at(mut self, at: Option<Location>) -> Change {
        self.at = at;
        self
    }

    /// The values before and after.
    pub fn values(mut self, old: Option<SmolStr>, new: Option<SmolStr>) -> Change {
        self.old = old;
        self.new = new;
        self
    }

    /// The rule action that made it.
    pub fn rule(mut self, rule: Option<Location>) -> Change {
        self.rule = rule;
        self
    }

    /// The inputs it read.
    pub fn inputs(mut self, inputs: impl Into<Arc<[SmolStr]>>) -> Change {
        self.inputs = inputs.into();
        self
    }

    /// Whether `other` is the same change but for where in the stack it is.
    pub fn same_elsewhere(&self, other: &Change) -> bool {
        let Change {
            kind,
            service,
            resource,
            path,
            at: _,
            old,
            new,
            reason,
            rule,
            inputs,
        } = self;
        (
            kind, service, resource, path, old, new, reason, rule, inputs,
        ) == (
            &other.kind,
            &other.service,
            &other.resource,
            &other.path,
            &other.old,
            &other.new,
            &other.reason,
            &other.rule,
            &other.inputs,
        )
    }
}

impl Problem {
    /// An error with a diagnostic code (none when `code` is empty).
    pub fn error(code: &str, message: impl Into<String>) -> Problem {
        Problem {
            level: Level::Error,
            code: (!code.is_empty()).then(|| code.to_string()),
            message: message.into(),
            at: None,
            rule: None,
            help: None,
        }
    }

    /// A warning.
    pub fn warning(message: impl Into<String>) -> Problem {
        Problem {
            level: Level::Warning,
            ..Problem::error("", message)
        }
    }

    /// Where in the stack.
    pub fn at(mut self, at: Option<Location>) -> Problem {
        self.at = at;
        self
    }

    /// The rule involved.
    pub fn rule(mut self, rule: Option<Location>) -> Problem {
        self.rule = rule;
        self
    }

    /// What to do.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// The code of the warning that uses of several databases now share one.
const MERGED_DATABASES: &str = crate::diagnostics::Code::DatabasesMerged.as_str();

/// The database each URL in `text` names, in order: its path's first
/// segment (`redis://h:6379/1` names `1`, `postgres://h/orders` names
/// `orders`), `0` for a Redis URL with none, `None` for another with none.
fn url_databases(text: &str) -> Vec<Option<String>> {
    // `redis://${REDIS_HOST:-redis}:6379/${DB:-1}` names database 1.
    let view = crate::stack::interpolate::Defaulted::of(text);
    let text = view.as_ref().map_or(text, |v| v.text.as_str());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("://") {
        let sep = from + i;
        from = sep + 3;
        let scheme: String = text[..sep]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            .collect::<Vec<char>>()
            .into_iter()
            .rev()
            .collect();
        let ends = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '}' | ',' | ';');
        let rest = &text[from..];
        let rest = &rest[..rest.find(ends).unwrap_or(rest.len())];
        let path = rest
            .find(['/', '?', '#'])
            .filter(|&j| rest[j..].starts_with('/'))
            .map(|j| &rest[j + 1..]);
        let segment = path.map(|p| &p[..p.find(['/', '?', '#']).unwrap_or(p.len())]);
        let redis = scheme.to_ascii_lowercase().starts_with("redis")
            || scheme.to_ascii_lowercase().starts_with("valkey");
        out.push(match segment {
            // A Sentinel URL's path names the master first.
            _ if scheme.to_ascii_lowercase().contains("sentinel") => None,
            // A variable's database is not known.
            Some(s) if s.starts_with('$') => None,
            Some(s) if !s.is_empty() => Some(s.to_string()),
            _ if redis => Some("0".to_string()),
            _ => None,
        });
    }
    out
}

/// The order of a finished plan's changes: by kind, then where.
fn change_order(a: &Change, b: &Change) -> std::cmp::Ordering {
    (a.kind, &a.at, &a.resource, &a.path, &a.new).cmp(&(
        b.kind,
        &b.at,
        &b.resource,
        &b.path,
        &b.new,
    ))
}

/// `items` sorted by `order`, without repeats.
fn in_order<T: Clone + PartialEq>(items: &[T], order: fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort_by(order);
    v.dedup();
    v
}

/// The order of a finished plan's problems: errors first, then where.
fn problem_order(a: &Problem, b: &Problem) -> std::cmp::Ordering {
    (b.level, &a.at, &a.message).cmp(&(a.level, &b.at, &b.message))
}

fn rule_line(out: &mut String, c: &Change) {
    if let Some(rule) = &c.rule {
        let inputs = if c.inputs.is_empty() {
            String::new()
        } else {
            format!(", reading {}", c.inputs.join(", "))
        };
        let at = if rule.line == 0 {
            "a rule in"
        } else {
            "the rule at"
        };
        let _ = writeln!(out, "      by {at} {rule}{inputs}");
    }
}

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Apply goes on, but someone should look.
    Warning,
    /// Apply writes nothing.
    Error,
}

/// A problem found while planning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// How serious.
    pub level: Level,
    /// The diagnostic code, when there is one (`E0702`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What.
    pub message: String,
    /// Where in the stack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
    /// The rule involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Location>,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// One provided service and what its matchers found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceSummary {
    /// The service.
    pub name: String,
    /// The addresses of the resources its matchers selected.
    pub matched: Vec<String>,
    /// The addresses of the workloads that use it, now rewired.
    pub consumers: Vec<String>,
}

/// What happens to one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// Its path relative to the stack root.
    pub path: String,
    /// `unchanged`, `changed`, `removed` (every document dropped) or
    /// `created` (a file of new objects no input file could hold).
    pub status: &'static str,
}

/// The plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The provided services.
    pub services: Vec<ServiceSummary>,
    /// Every change, grouped by kind, then in stack order.
    pub changes: Vec<Change>,
    /// Problems: errors stop apply.
    pub problems: Vec<Problem>,
    /// What happens to each file.
    pub files: Vec<FileSummary>,
}

impl Drop for Plan {
    /// A large plan's changes are freed on every core (a plan of a big stack
    /// holds one change per edit, each with its own strings).
    fn drop(&mut self) {
        if self.changes.len() > 4096 {
            use rayon::prelude::*;
            std::mem::take(&mut self.changes)
                .into_par_iter()
                .with_min_len(1024)
                .for_each(drop);
        }
    }
}

impl Plan {
    /// Records a warning with no location.
    pub fn warn(&mut self, message: String) {
        self.problems.push(Problem::warning(message));
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.level == Level::Error)
    }

    /// Masks each of `secrets` (the vendor's passwords, found in the
    /// origin stack) wherever the plan shows a value or says one: a
    /// command line that repeats one is shown with `****`.
    pub fn mask<'a>(&mut self, secrets: impl Iterator<Item = &'a str>) {
        let secrets: Vec<&str> = secrets.collect();
        if secrets.is_empty() {
            return;
        }
        let hide = |text: &str| -> Option<String> {
            secrets.iter().any(|s| text.contains(s)).then(|| {
                secrets
                    .iter()
                    .fold(text.to_string(), |t, s| t.replace(s, "****"))
            })
        };
        for c in &mut self.changes {
            for value in [&mut c.old, &mut c.new].into_iter().flatten() {
                if let Some(masked) = hide(value) {
                    *value = masked.into();
                }
            }
        }
        for p in &mut self.problems {
            if let Some(masked) = hide(&p.message) {
                p.message = masked;
            }
        }
    }

    /// Puts the problems in the order [`Plan::finish`] gives them.
    pub(crate) fn order_problems(&mut self) {
        self.problems.sort_by(problem_order);
    }

    /// Puts changes and problems in their stable order.
    pub fn finish(&mut self) {
        use rayon::prelude::*;
        self.changes.par_sort_by(change_order);
        self.changes.dedup();
        self.warn_merged_databases();
        self.problems.sort_by(problem_order);
        self.problems.dedup();
    }

    /// Warns, per service, when the rewired URLs named several databases of
    /// the dropped server (`/0` for the cache, `/1` for the queues) and all
    /// now name the customer's one: their keys share one keyspace, and what
    /// was apart (a cache flushed beside queues) no longer is. Worked out
    /// again from the changes whenever they change.
    fn warn_merged_databases(&mut self) {
        use std::collections::BTreeMap;
        self.problems
            .retain(|p| p.code.as_deref() != Some(MERGED_DATABASES));
        // Per service: each old database, with the first consumer and site
        // that named it; and the databases they became.
        /// A service's old databases, with the first change that named
        /// each, and the databases they became.
        type Uses<'c> = (BTreeMap<String, &'c Change>, Vec<Option<String>>);
        let mut uses: BTreeMap<&str, Uses<'_>> = BTreeMap::new();
        for c in &self.changes {
            let (ChangeKind::Rewire, Some(old), Some(new)) = (c.kind, &c.old, &c.new) else {
                continue;
            };
            for (was, now) in url_databases(old).into_iter().zip(url_databases(new)) {
                let Some(was) = was else { continue };
                let (olds, news) = uses.entry(&c.service).or_default();
                olds.entry(was).or_insert(c);
                news.push(now);
            }
        }
        for (service, (olds, mut news)) in uses {
            news.sort();
            news.dedup();
            if olds.len() < 2 || news.len() != 1 {
                continue;
            }
            let now = match &news[0] {
                Some(db) => format!("the customer's database {db}"),
                None => "the customer's one keyspace".to_string(),
            };
            let listed: Vec<String> = olds
                .iter()
                .map(|(db, c)| format!("{db} (by `{}`)", c.resource))
                .collect();
            let at = olds.values().nth(1).and_then(|c| c.at.clone());
            self.problems.push(Problem {
                code: Some(MERGED_DATABASES.to_string()),
                ..Problem::warning(format!(
                    "the dropped `{service}` was used as {} databases: {}; every one now uses {now}, so their keys share one keyspace",
                    olds.len(),
                    listed.join(", ")
                ))
                .at(at)
                .help("if those uses must stay apart (a cache that is flushed beside queues or sessions), give each a key prefix in its settings, or have the customer provide one Redis per use")
            });
        }
    }

    /// Replaces what one stack file's own planning put in a finished plan
    /// (`old`: its changes and problems, each located in `file`) with what
    /// it puts there now (`new`), keeping the order [`Plan::finish`] gives;
    /// the plan's other changes located in `file` (made over the whole
    /// stack) are kept, located again by `relocate`. Says whether the
    /// file's changes differ other than in where they are; `None`, with the
    /// plan untouched, when a change or
    /// problem of either is located elsewhere, one cannot be located again,
    /// or the plan does not hold `old` where it would: then only planning
    /// the whole stack again will do.
    pub(crate) fn replace_file(
        &mut self,
        file: &str,
        old: (&[Change], &[Problem]),
        new: (&[Change], &[Problem]),
        mut relocate: impl FnMut(&Change) -> Option<Location>,
    ) -> Option<bool> {
        let located = |at: &Option<Location>| at.as_ref().is_some_and(|l| l.file == file);
        if !old.0.iter().chain(new.0).all(|c| located(&c.at))
            || !old.1.iter().chain(new.1).all(|p| located(&p.at))
        {
            return None;
        }
        let (old_changes, new_changes) =
            (in_order(old.0, change_order), in_order(new.0, change_order));
        let (old_problems, new_problems) = (
            in_order(old.1, problem_order),
            in_order(new.1, problem_order),
        );
        // The file's problems in the plan, which must be its own.
        let mine: Vec<usize> = (0..self.problems.len())
            .filter(|&i| located(&self.problems[i].at))
            .collect();
        if mine.len() != old_problems.len()
            || !mine
                .iter()
                .zip(&old_problems)
                .all(|(&i, p)| self.problems[i] == *p)
        {
            return None;
        }
        // Within each kind the changes located in the file are one run
        // (they sort by location, and a location starts with the file):
        // its own, and the rest, located again.
        fn key(c: &Change) -> (ChangeKind, Option<&str>) {
            (c.kind, c.at.as_ref().map(|l| l.file.as_str()))
        }
        let mut runs = Vec::new();
        let mut start = 0;
        while start < self.changes.len() {
            let kind = self.changes[start].kind;
            start += self.changes[start..].partition_point(|c| key(c) < (kind, Some(file)));
            let end =
                start + self.changes[start..].partition_point(|c| key(c) <= (kind, Some(file)));
            runs.push((kind, start..end));
            start = end + self.changes[end..].partition_point(|c| c.kind == kind);
        }
        // The file's changes of a kind the plan had none of.
        if new_changes
            .iter()
            .any(|c| !runs.iter().any(|(kind, _)| *kind == c.kind))
        {
            return None;
        }
        let mut replaced = Vec::new();
        for (kind, range) in runs {
            let was = &self.changes[range.clone()];
            let own: Vec<&Change> = old_changes.iter().filter(|c| c.kind == kind).collect();
            // The run less the file's own (both in order).
            let mut rest = Vec::new();
            let mut mine = own.iter().peekable();
            for c in was {
                if mine.peek().is_some_and(|m| **m == c) {
                    mine.next();
                } else {
                    let mut c = c.clone();
                    c.at = Some(relocate(&c)?);
                    rest.push(c);
                }
            }
            if mine.next().is_some() {
                return None;
            }
            let now: Vec<Change> = new_changes
                .iter()
                .filter(|c| c.kind == kind)
                .cloned()
                .chain(rest)
                .collect();
            let now = in_order(&now, change_order);
            if now.as_slice() != was {
                replaced.push((range, now));
            }
        }
        // What the hand-off reads: the changes, wherever they are.
        let differ = old_changes.len() != new_changes.len()
            || old_changes
                .iter()
                .zip(&new_changes)
                .any(|(a, b)| !a.same_elsewhere(b));
        // From the last run back, so that earlier ranges stay put.
        for (range, now) in replaced.into_iter().rev() {
            self.changes.splice(range, now);
        }
        if old_problems != new_problems {
            for &i in mine.iter().rev() {
                self.problems.remove(i);
            }
            self.problems.extend(new_problems);
        }
        self.warn_merged_databases();
        self.problems.sort_by(problem_order);
        self.problems.dedup();
        Some(differ)
    }

    /// Rewrites the file of every stack location (say, to show it from the
    /// working folder rather than the stack root).
    pub fn relocate(&mut self, f: impl Fn(&str) -> String) {
        let fix = |l: &mut Option<Location>| {
            if let Some(l) = l {
                l.file = f(&l.file).into();
            }
        };
        self.changes.iter_mut().for_each(|c| fix(&mut c.at));
        self.problems.iter_mut().for_each(|p| fix(&mut p.at));
    }

    /// Names each rule by its file alone, not its line: `graft test`'s
    /// expected plans, which must not change when an edit above a rule
    /// moves it.
    pub fn rules_by_file(&mut self) {
        let whole = |l: &mut Option<Location>| {
            if let Some(l) = l {
                l.line = 0;
                l.column = 0;
            }
        };
        self.changes.iter_mut().for_each(|c| whole(&mut c.rule));
        self.problems.iter_mut().for_each(|p| whole(&mut p.rule));
    }

    /// The changes of one kind.
    pub fn of(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// The plan as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("version".into(), serde_json::Value::from(1));
        }
        v
    }

    /// The plan as readable text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for s in &self.services {
            let _ = writeln!(
                out,
                "{}: the customer provides their own; {} matched",
                s.name,
                match s.matched.len() {
                    0 => "nothing".to_string(),
                    1 => "1 resource".to_string(),
                    n => format!("{n} resources"),
                }
            );
        }
        let kinds = [
            ChangeKind::Drop,
            ChangeKind::Rewire,
            ChangeKind::Inject,
            ChangeKind::Set,
            ChangeKind::Mount,
            ChangeKind::Annotate,
            ChangeKind::Create,
            ChangeKind::Remove,
        ];
        for kind in kinds {
            let changes: Vec<&Change> = self.of(kind).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{} ({})", kind.heading(), changes.len());
            match kind {
                ChangeKind::Drop | ChangeKind::Create => {
                    for c in changes {
                        let at =
                            c.at.as_ref()
                                .map(|l| format!("  ({l})"))
                                .unwrap_or_default();
                        let _ = writeln!(out, "  {}{at}", c.resource);
                        let _ = writeln!(out, "      {}", c.reason);
                        rule_line(&mut out, c);
                    }
                }
                ChangeKind::Rewire | ChangeKind::Remove => {
                    for c in changes {
                        let at =
                            c.at.as_ref()
                                .map(|l| format!("  ({l})"))
                                .unwrap_or_default();
                        let path = c
                            .path
                            .as_deref()
                            .map(|p| format!(" {p}"))
                            .unwrap_or_default();
                        let _ = writeln!(out, "  {}{path}{at}", c.resource);
                        match (&c.old, &c.new) {
                            (Some(old), Some(new)) => {
                                let _ = writeln!(out, "      {old}  ->  {new}");
                            }
                            (Some(old), None) => {
                                let _ = writeln!(out, "      {old}  ->  (removed)");
                            }
                            _ => {}
                        }
                        let _ = writeln!(out, "      {}", c.reason);
                        rule_line(&mut out, c);
                    }
                }
                _ => {
                    // One line per setting, naming every resource it lands on.
                    let mut groups: Vec<(&Change, Vec<&str>)> = Vec::new();
                    for c in changes {
                        match groups.iter_mut().find(|(g, _)| {
                            g.path == c.path
                                && g.new == c.new
                                && g.rule == c.rule
                                && g.service == c.service
                        }) {
                            Some((_, resources)) => resources.push(&c.resource),
                            None => groups.push((c, vec![&c.resource])),
                        }
                    }
                    for (c, resources) in groups {
                        let path = c.path.as_deref().unwrap_or("");
                        let new = c
                            .new
                            .as_deref()
                            .map(|n| format!(" = {n}"))
                            .unwrap_or_default();
                        let _ = writeln!(out, "  {path}{new}");
                        for r in resources {
                            let _ = writeln!(out, "      on {r}");
                        }
                        rule_line(&mut out, c);
                    }
                }
            }
        }
        let warnings: Vec<&Problem> = self
            .problems
            .iter()
            .filter(|p| p.level == Level::Warning)
            .collect();
        let errors: Vec<&Problem> = self
            .problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .collect();
        for (title, list) in [("Warnings", warnings), ("Errors", errors)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title} ({})", list.len());
            for p in list {
                let code = p
                    .code
                    .as_deref()
                    .map(|c| format!("[{c}] "))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {code}{}", p.message);
                if let Some(at) = &p.at {
                    let _ = writeln!(out, "      at {at}");
                }
                if let Some(rule) = &p.rule {
                    let at = if rule.line == 0 { "in" } else { "at" };
                    let _ = writeln!(out, "      rule {at} {rule}");
                }
                if let Some(help) = &p.help {
                    let _ = writeln!(out, "      help: {help}");
                }
            }
        }
        let changed = self
            .files
            .iter()
            .filter(|f| f.status != "unchanged")
            .count();
        if !self.files.is_empty() {
            let created: Vec<&str> = self
                .files
                .iter()
                .filter(|f| f.status == "created")
                .map(|f| f.path.as_str())
                .collect();
            let created = if created.is_empty() {
                String::new()
            } else {
                format!(", {} created ({})", created.len(), created.join(", "))
            };
            let _ = writeln!(
                out,
                "\nFiles: {} changed, {} removed, {} unchanged{created}",
                self.files.iter().filter(|f| f.status == "changed").count(),
                self.files.iter().filter(|f| f.status == "removed").count(),
                self.files.len() - changed
            );
        }
        out
    }
}
