//! `graft test`: rule tests as fixture folders beside the rules.
//!
//! A rules folder's tests are the folders under its `tests/` that hold a
//! `stack/` folder: each such case is a stack, a bindings file
//! (`bindings.yaml`, `.yml`, `.json` or `.toml`), and what applying the
//! folder's rules must give: `plan.txt` (the plan as `graft plan` prints it,
//! diagnostics first) and `expected/` (the output stack and `HANDOFF.md`,
//! as `graft apply` writes them; no `expected/` when the plan has errors).
//! Every case is also applied again to its own output, which must change
//! nothing. `--update` writes what the rules give as the expectation.
//!
//! The plan names each rule by its file, not its line, so that editing a
//! rule file above a rule does not break every case.

use super::apply::{self, file_name, relative, sorted_entries};
use super::files::canonical;
use super::output::{Content, write_tree};
use super::{CliError, TestArgs, TestFormat, files, print_stderr, print_stdout};
use crate::api::{self, Done, Job};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The bindings file names a case may have, in the order they are looked
/// for.
const BINDINGS: [&str; 4] = [
    "bindings.yaml",
    "bindings.yml",
    "bindings.json",
    "bindings.toml",
];
/// The largest expected output file read.
const MAX_EXPECTED_FILE: u64 = 256 * 1024 * 1024;
/// Folders under `tests/` nested deeper than this are not searched.
const MAX_DEPTH: usize = 32;

/// A rules folder and the cases of its `tests/` folder that were asked for.
struct Suite {
    /// The rules folder.
    rules: PathBuf,
    /// Its `tests/` folder.
    tests: PathBuf,
    /// The cases: (name relative to `tests`, folder).
    cases: Vec<(String, PathBuf)>,
    /// How long its cases took, all told (they run at once: less than the
    /// sum of theirs).
    time: Duration,
}

/// What one case gave.
struct Report {
    /// The case's name: its folder relative to `tests/`.
    name: String,
    /// Its folder.
    path: PathBuf,
    status: Status,
    failures: Vec<Failure>,
    time: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    /// The rules give what the case expects.
    Passed,
    /// `--update` wrote a new expectation.
    Updated,
    /// The rules do not give what the case expects.
    Failed,
    /// The case could not run (no bindings file, an unreadable stack, rules
    /// with errors).
    Error,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Updated => "updated",
            Status::Failed => "failed",
            Status::Error => "error",
        }
    }
}

/// What kind of difference a failure is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// `plan.txt` is not the plan.
    Plan,
    /// An expected file is not the output file.
    Differs,
    /// An expected file is not in the output.
    Missing,
    /// An output file is not in `expected/`.
    Unexpected,
    /// Applying again to the output changed it.
    NotIdempotent,
    /// The case has no `plan.txt` yet.
    NoExpectation,
    /// The case could not run.
    Error,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Differs => "differs",
            Kind::Missing => "missing",
            Kind::Unexpected => "unexpected",
            Kind::NotIdempotent => "not-idempotent",
            Kind::NoExpectation => "no-expectation",
            Kind::Error => "error",
        }
    }

    /// Whether `--update` settles it.
    fn accepted_by_update(self) -> bool {
        matches!(
            self,
            Kind::Plan | Kind::Differs | Kind::Missing | Kind::Unexpected | Kind::NoExpectation
        )
    }
}

/// One way a case did not pass.
struct Failure {
    kind: Kind,
    /// The case's file it is about (`plan.txt`, `expected/app.yaml`).
    file: Option<String>,
    /// One line: what is wrong.
    message: String,
    /// A unified diff, expected then actual (or the output before and after
    /// applying again), or the diagnostics of a run that failed.
    detail: Option<String>,
}

impl Failure {
    fn new(kind: Kind, file: Option<String>, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            file,
            message: message.into(),
            detail: None,
        }
    }

    fn detail(mut self, detail: String) -> Failure {
        self.detail = Some(detail);
        self
    }

    /// `file: message`, or the message alone.
    fn heading(&self) -> String {
        match &self.file {
            Some(file) => format!("{file}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Runs `graft test`.
pub fn run(args: &TestArgs, color: bool) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let paths = super::paths_or_default(&args.paths)?;
    let suites = suites(&paths)?;
    let mut results: Vec<(Suite, Option<String>, Vec<Report>)> = Vec::new();
    for mut suite in suites {
        let started = Instant::now();
        let (rules_shown, reports) = run_suite(&suite, args.update, color)?;
        suite.time = started.elapsed();
        results.push((suite, rules_shown, reports));
    }
    let elapsed = started.elapsed();
    match args.format {
        TestFormat::Text => {
            for (_, shown, _) in &results {
                if let Some(shown) = shown {
                    print_stderr(shown);
                }
            }
            print_stdout(&text(&results, elapsed, color));
        }
        TestFormat::Json => super::print_json(&json(&results, elapsed)),
        TestFormat::Junit => print_stdout(&junit(&results, elapsed)),
    }
    let failed = results
        .iter()
        .flat_map(|(_, _, r)| r)
        .any(|r| matches!(r.status, Status::Failed | Status::Error));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Finds the suites the paths name: a rules folder (its `tests/`), its
/// `tests/` folder or a folder inside it, or a case folder; a rule file
/// stands for its folder.
fn suites(paths: &[PathBuf]) -> Result<Vec<Suite>, CliError> {
    let mut suites: Vec<Suite> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CliError::new(
                    format!("`{}` does not exist", path.display()),
                    "name a rules folder, its `tests/` folder, or case folders under it",
                )
            } else {
                CliError::io(path, &e)
            }
        })?;
        let path = if meta.is_file() {
            if path.extension().is_none_or(|e| e != "graft") {
                return Err(CliError::new(
                    format!("`{}` is not a rule file or folder", path.display()),
                    "name a rules folder, its `tests/` folder, or case folders under it",
                ));
            }
            match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        } else {
            path.clone()
        };
        let (rules, tests) = placed(&path)?;
        // A rules folder's cases are under its `tests/` alone.
        let scope = if tests.starts_with(&path) && tests != path {
            tests.clone()
        } else {
            path.clone()
        };
        let mut cases = Vec::new();
        find_cases(&tests, &scope, 0, &mut cases)?;
        if cases.is_empty() {
            return Err(CliError::new(
                format!("no rule tests in `{}`", path.display()),
                format!(
                    "a case is a folder under `{}` holding `stack/` and a bindings file; `graft test --update` writes its expectations (see docs/testing.md)",
                    tests.display()
                ),
            ));
        }
        let key = canonical(&rules);
        match suites.iter_mut().find(|s| canonical(&s.rules) == key) {
            Some(s) => {
                // A case named twice (by two paths) runs once.
                for case in cases {
                    let at = canonical(&case.1);
                    if !s.cases.iter().any(|(_, p)| canonical(p) == at) {
                        s.cases.push(case);
                    }
                }
                s.cases.sort();
            }
            None => suites.push(Suite {
                rules,
                tests,
                cases,
                time: Duration::ZERO,
            }),
        }
    }
    Ok(suites)
}

/// The rules folder and `tests/` folder `path` is or lies in.
fn placed(path: &Path) -> Result<(PathBuf, PathBuf), CliError> {
    if path.join("tests").is_dir() && !path.join("stack").is_dir() {
        return Ok((path.to_path_buf(), path.join("tests")));
    }
    // The nearest folder named `tests` at or above `path`, lexically, then
    // through the real path (`graft test .` inside a case).
    let lexical = path.to_path_buf();
    // The `tests` folder must have rules beside it.
    for p in [lexical, canonical(path)] {
        let found = p
            .ancestors()
            .filter(|a| a.file_name().is_some_and(|n| n == "tests"))
            .map(|tests| {
                let rules = match tests.parent() {
                    Some(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                (rules, tests.to_path_buf())
            })
            .find(|(rules, _)| files::collect(std::slice::from_ref(rules)).is_ok());
        if let Some(found) = found {
            return Ok(found);
        }
    }
    Err(CliError::new(
        format!("`{}` has no rule tests", path.display()),
        "rule tests are folders under `tests/` beside the rules (`rules/tests/NAME/` with `stack/` and `bindings.yaml`); see docs/testing.md",
    ))
}

/// The case folders at or under `dir` (a folder holding `stack/` is a case,
/// and is not searched further), named relative to `tests`.
fn find_cases(
    tests: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), CliError> {
    if dir.join("stack").is_dir() {
        // `.` or `../x` is named from the real paths.
        let (root, at) = if dir.starts_with(tests) {
            (tests.to_path_buf(), dir.to_path_buf())
        } else {
            (canonical(tests), canonical(dir))
        };
        let name = Some(relative(&root, &at))
            .filter(|n| !n.is_empty() && at.starts_with(&root))
            .unwrap_or_else(|| dir.display().to_string());
        out.push((name, dir.to_path_buf()));
        return Ok(());
    }
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for e in sorted_entries(dir)? {
        if e.is_dir() && !file_name(&e).starts_with('.') {
            find_cases(tests, &e, depth + 1, out)?;
        }
    }
    Ok(())
}

/// Runs a suite's cases (in parallel). The rules are read and checked once:
/// when they have errors no case runs, and the diagnostics come back
/// rendered (so do warnings, which no case's plan repeats).
fn run_suite(
    suite: &Suite,
    update: bool,
    color: bool,
) -> Result<(Option<String>, Vec<Report>), CliError> {
    let checked = files::check_rules(std::slice::from_ref(&suite.rules))?;
    let shown = (!checked.diagnostics.is_empty()).then(|| checked.render(color));
    // Named relative to the rules folder, the same from any working folder.
    let rules: Vec<(String, String)> = checked
        .sources
        .iter()
        .map(|(_, f)| {
            let name = relative(&suite.rules, Path::new(f.name()));
            (name, f.text().to_string())
        })
        .collect();
    if checked.error_count() > 0 {
        let reports = suite
            .cases
            .iter()
            .map(|(name, path)| Report {
                name: name.clone(),
                path: path.clone(),
                status: Status::Error,
                failures: vec![
                    Failure::new(
                        Kind::Error,
                        None,
                        format!("the rules in `{}` have errors", suite.rules.display()),
                    )
                    .detail(checked.render(false)),
                ],
                time: Duration::ZERO,
            })
            .collect();
        return Ok((shown, reports));
    }
    let reports = suite
        .cases
        .par_iter()
        .map(|(name, path)| {
            let started = Instant::now();
            let mut failures = run_case(&rules, path, update);
            let status = if failures.iter().any(|f| f.kind == Kind::Error) {
                Status::Error
            } else if failures.is_empty() {
                Status::Passed
            } else if update && failures.iter().all(|f| f.kind.accepted_by_update()) {
                failures.clear();
                Status::Updated
            } else {
                Status::Failed
            };
            Report {
                name: name.clone(),
                path: path.clone(),
                status,
                failures,
                time: started.elapsed(),
            }
        })
        .collect();
    Ok((shown, reports))
}

/// What a run gave, as the case stores it.
struct Actual {
    /// The diagnostics (not the rules': they are shown once) and the plan.
    plan: String,
    /// The output stack files and `HANDOFF.md`: none when the plan has
    /// errors, as apply writes nothing then.
    files: BTreeMap<String, String>,
}

/// Runs one case; with `update`, writes what differs as the new
/// expectation. Returns what did not pass (before updating).
fn run_case(rules: &[(String, String)], case: &Path, update: bool) -> Vec<Failure> {
    let found: Vec<PathBuf> = BINDINGS
        .iter()
        .map(|n| case.join(n))
        .filter(|p| p.is_file())
        .collect();
    let bindings = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return vec![Failure::new(
                Kind::Error,
                None,
                "the case has no bindings file (add `bindings.yaml`, `.json` or `.toml` beside `stack/`)",
            )];
        }
        _ => {
            return vec![Failure::new(
                Kind::Error,
                None,
                "the case has more than one bindings file; keep one",
            )];
        }
    };
    let (mut job, base) =
        match apply::stack_job(&[case.join("stack")], &bindings, None, rules.to_vec()) {
            Ok(read) => read,
            Err(e) => return vec![Failure::new(Kind::Error, None, e.describe())],
        };
    job.bindings.0 = file_name(&bindings);
    let done = api::run_with(&job, &|path: &str| apply::certificate(&base, path));
    let actual = match actual_of(&job, &done) {
        Ok(a) => a,
        Err(f) => return vec![f],
    };
    let mut failures = compare(case, &actual);
    if done.errors() == 0 {
        failures.extend(applies_again(&job, &base, &actual));
    }
    // A case that is not idempotent is not accepted: it stays as it was.
    if update
        && !failures.is_empty()
        && failures.iter().all(|f| f.kind.accepted_by_update())
        && let Err(e) = write_expectation(case, &actual)
    {
        return vec![Failure::new(Kind::Error, None, e.describe())];
    }
    failures
}

/// The plan text and output files of a run.
fn actual_of(job: &Job, done: &Done) -> Result<Actual, Failure> {
    let mut plan = String::new();
    let rules = job.rules.len();
    let shown: Vec<_> = done
        .diagnostics
        .iter()
        .filter(|d| d.primary.file.0 as usize >= rules)
        .cloned()
        .collect();
    if !shown.is_empty() {
        plan.push_str(&super::render::text(&done.sources, &shown, false));
    }
    let mut files = BTreeMap::new();
    if let Some(outcome) = &done.outcome {
        let mut p = outcome.plan.clone();
        p.rules_by_file();
        plan.push_str(&p.to_text());
        if done.errors() == 0 {
            for f in &outcome.files {
                if let Some(text) = &f.text {
                    if f.path.starts_with("../") {
                        return Err(Failure::new(
                            Kind::Error,
                            None,
                            format!(
                                "the stack reaches `{}`, outside `stack/`; keep a case's modules inside its stack folder",
                                f.path
                            ),
                        ));
                    }
                    files.insert(f.path.clone(), text.clone());
                }
            }
            if let Some(h) = &done.handoff {
                files.insert("HANDOFF.md".into(), h.clone());
            }
        }
    }
    Ok(Actual { plan, files })
}

/// How `actual` differs from what `case` expects.
fn compare(case: &Path, actual: &Actual) -> Vec<Failure> {
    let plan_file = case.join("plan.txt");
    let expected_dir = case.join("expected");
    if !plan_file.exists() && !expected_dir.exists() {
        return vec![Failure::new(
            Kind::NoExpectation,
            None,
            "the case has no expectation yet (no `plan.txt`, no `expected/`)",
        )];
    }
    let mut failures = Vec::new();
    match files::read_bounded(
        &plan_file,
        MAX_EXPECTED_FILE,
        "an expected plan",
        "keep a case's stack small",
    ) {
        Ok(bytes) => {
            let expected = String::from_utf8_lossy(&bytes);
            if expected != actual.plan {
                failures.push(
                    Failure::new(
                        Kind::Plan,
                        Some("plan.txt".into()),
                        "the plan is not the one `plan.txt` expects",
                    )
                    .detail(diff(
                        &expected,
                        &actual.plan,
                        "plan.txt (expected)",
                        "plan (actual)",
                    )),
                );
            }
        }
        Err(_) if !plan_file.exists() => failures.push(Failure::new(
            Kind::Plan,
            Some("plan.txt".into()),
            "the case has no `plan.txt`",
        )),
        Err(e) => return vec![Failure::new(Kind::Error, None, e.describe())],
    }
    let mut expected = BTreeMap::new();
    if expected_dir.is_dir()
        && let Err(e) = read_tree(&expected_dir, &expected_dir, 0, &mut expected)
    {
        return vec![Failure::new(Kind::Error, None, e.describe())];
    }
    for (path, want) in &expected {
        let shown = format!("expected/{path}");
        match actual.files.get(path) {
            None => failures.push(Failure::new(
                Kind::Missing,
                Some(shown),
                if actual.files.is_empty() {
                    "the case expects this file, but nothing was written (the plan has errors)"
                } else {
                    "the case expects this file, but the output has none"
                },
            )),
            Some(got) if got != want => failures.push(
                Failure::new(
                    Kind::Differs,
                    Some(shown.clone()),
                    "the output file is not the one the case expects",
                )
                .detail(diff(want, got, &shown, &format!("actual/{path}"))),
            ),
            Some(_) => {}
        }
    }
    for (path, got) in &actual.files {
        if !expected.contains_key(path) {
            failures.push(
                Failure::new(
                    Kind::Unexpected,
                    Some(format!("expected/{path}")),
                    "the output has this file, but the case does not expect it",
                )
                .detail(diff("", got, "/dev/null", &format!("actual/{path}"))),
            );
        }
    }
    failures
}

/// Applies the rules again to the output: nothing may change.
fn applies_again(job: &Job, base: &Path, actual: &Actual) -> Vec<Failure> {
    let mut again = job.clone();
    again.stack = actual
        .files
        .iter()
        .filter(|(p, _)| *p != "HANDOFF.md")
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    let second = api::run_with(&again, &|path: &str| apply::certificate(base, path));
    let shown = actual_of(&again, &second)
        .ok()
        .map(|a| a.plan)
        .unwrap_or_default();
    if second.errors() > 0 {
        return vec![
            Failure::new(
                Kind::NotIdempotent,
                None,
                "applying the rules again to the output fails",
            )
            .detail(shown),
        ];
    }
    let Some(outcome) = &second.outcome else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for f in outcome.files.iter().filter(|f| f.changed) {
        let before = actual.files.get(&f.path).map_or("", String::as_str);
        let after = f.text.as_deref().unwrap_or("");
        failures.push(
            Failure::new(
                Kind::NotIdempotent,
                Some(format!("expected/{}", f.path)),
                "applying the rules again to the output changes this file",
            )
            .detail(format!(
                "{}\nthe second plan:\n{shown}",
                diff(
                    before,
                    after,
                    &format!("actual/{}", f.path),
                    &format!("applied again/{}", f.path)
                )
            )),
        );
    }
    failures
}

/// A unified diff of `old` and `new` with headers, or a note that they
/// differ only in something a line diff does not show.
fn diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    if text.trim().is_empty() {
        return format!("--- {old_name}\n+++ {new_name}\n(they differ in line ends only)\n");
    }
    text
}

/// Reads every file under `dir`, named relative to `root` with `/`.
fn read_tree(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut BTreeMap<String, String>,
) -> Result<(), CliError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for path in sorted_entries(dir)? {
        let meta = std::fs::symlink_metadata(&path).map_err(|e| CliError::io(&path, &e))?;
        if meta.is_dir() {
            read_tree(root, &path, depth + 1, out)?;
        } else if meta.is_file() {
            let bytes = files::read_bounded(
                &path,
                MAX_EXPECTED_FILE,
                "an expected file",
                "keep a case's stack small",
            )?;
            let rel = relative(root, &path);
            out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

/// Writes `actual` as `case`'s expectation: `plan.txt`, and `expected/`
/// replaced whole (removed when nothing is written).
fn write_expectation(case: &Path, actual: &Actual) -> Result<(), CliError> {
    // `expected/` first: a failure there leaves `plan.txt` as it was, so the
    // case still fails rather than half agreeing.
    let expected = case.join("expected");
    if actual.files.is_empty() {
        if expected.exists() {
            std::fs::remove_dir_all(&expected).map_err(|e| CliError::io(&expected, &e))?;
        }
    } else {
        let tree: Vec<(PathBuf, Content)> = actual
            .files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), Content::Text(t.clone())))
            .collect();
        write_tree(&expected, &tree)?;
    }
    files::write_atomically(&case.join("plan.txt"), &actual.plan)
}

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The results for people: a line per case, then each failure with its
/// diff, then the count.
fn text(
    results: &[(Suite, Option<String>, Vec<Report>)],
    elapsed: Duration,
    color: bool,
) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut counts = [0usize; 4];
    let mut failed_paths = Vec::new();
    for (suite, _, reports) in results {
        let _ = writeln!(
            out,
            "running {} {} of `{}` (rules: `{}`)",
            reports.len(),
            if reports.len() == 1 { "case" } else { "cases" },
            suite.tests.display(),
            suite.rules.display()
        );
        for r in reports {
            let word = match r.status {
                Status::Passed => paint(GREEN, "ok"),
                Status::Updated => paint(GREEN, "updated"),
                Status::Failed => paint(RED, "FAILED"),
                Status::Error => paint(RED, "ERROR"),
            };
            let _ = writeln!(out, "case {} ... {word}", r.name);
        }
        out.push('\n');
    }
    for (_, _, reports) in results {
        for r in reports {
            counts[r.status as usize] += 1;
            if r.failures.is_empty() {
                continue;
            }
            if r.status == Status::Failed {
                failed_paths.push(r.path.display().to_string());
            }
            let _ = writeln!(
                out,
                "{}",
                paint(
                    BOLD,
                    &format!("---- {} ({}) ----", r.name, r.path.display())
                )
            );
            for f in &r.failures {
                let _ = writeln!(out, "{}", f.heading());
                if let Some(detail) = &f.detail {
                    for line in detail.lines() {
                        let line = if !color || line.starts_with("+++") || line.starts_with("---") {
                            line.to_string()
                        } else if line.starts_with('+') {
                            paint(GREEN, line)
                        } else if line.starts_with('-') {
                            paint(RED, line)
                        } else {
                            line.to_string()
                        };
                        let _ = writeln!(out, "{line}");
                    }
                }
                out.push('\n');
            }
        }
    }
    let [passed, updated, failed, errors] = counts;
    let verdict = if failed + errors > 0 {
        paint(RED, "FAILED")
    } else {
        paint(GREEN, "ok")
    };
    let mut parts = vec![format!("{passed} passed"), format!("{failed} failed")];
    if updated > 0 {
        parts.push(format!("{updated} updated"));
    }
    if errors > 0 {
        parts.push(format!("{errors} could not run"));
    }
    let _ = writeln!(
        out,
        "test result: {verdict}. {} ({:.2} s)",
        parts.join(", "),
        elapsed.as_secs_f64()
    );
    if !failed_paths.is_empty() {
        let _ = writeln!(
            out,
            "help: where the new output is right, accept it: graft test --update {}",
            failed_paths.join(" ")
        );
    }
    out
}

/// The results as one JSON document (`docs/reports.md`).
fn json(results: &[(Suite, Option<String>, Vec<Report>)], elapsed: Duration) -> serde_json::Value {
    use serde_json::{Value, json};
    let mut counts = [0usize; 4];
    let suites: Vec<Value> = results
        .iter()
        .map(|(suite, _, reports)| {
            let cases: Vec<Value> = reports
                .iter()
                .map(|r| {
                    counts[r.status as usize] += 1;
                    json!({
                        "name": r.name,
                        "path": r.path.display().to_string(),
                        "status": r.status.word(),
                        "seconds": round(r.time),
                        "failures": r.failures.iter().map(|f| json!({
                            "kind": f.kind.word(),
                            "file": f.file,
                            "message": f.message,
                            "detail": f.detail,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "rules": suite.rules.display().to_string(),
                "tests": suite.tests.display().to_string(),
                "cases": cases,
            })
        })
        .collect();
    let [passed, updated, failed, errors] = counts;
    json!({
        "version": 1,
        "suites": suites,
        "passed": passed,
        "updated": updated,
        "failed": failed,
        "errors": errors,
        "seconds": round(elapsed),
    })
}

/// Seconds, to the millisecond.
fn round(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// The results as JUnit XML (the schema Jenkins, GitLab and GitHub's test
/// reporters read): a `testsuite` per rules folder, a `testcase` per case, a
/// `failure` (or `error`) holding every difference with its diff.
fn junit(results: &[(Suite, Option<String>, Vec<Report>)], elapsed: Duration) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let all: Vec<&Report> = results.iter().flat_map(|(_, _, r)| r).collect();
    let count = |s: Status| all.iter().filter(|r| r.status == s).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"graft test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">",
        all.len(),
        count(Status::Failed),
        count(Status::Error),
        elapsed.as_secs_f64()
    );
    for (suite, _, reports) in results {
        let of = |s: Status| reports.iter().filter(|r| r.status == s).count();
        let time = suite.time;
        let suite_name = suite.tests.display().to_string();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3}\">",
            xml(&suite_name),
            reports.len(),
            of(Status::Failed),
            of(Status::Error),
            time.as_secs_f64()
        );
        for r in reports {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                xml(&r.name),
                xml(&suite_name),
                r.time.as_secs_f64()
            );
            if r.failures.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            let element = if r.status == Status::Error {
                "error"
            } else {
                "failure"
            };
            let message = match r.failures.as_slice() {
                [one] => one.heading(),
                many => format!(
                    "{} differences: {}",
                    many.len(),
                    many.iter()
                        .map(|f| f.file.clone().unwrap_or_else(|| f.kind.word().to_string()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let mut body = String::new();
            for f in &r.failures {
                let _ = writeln!(body, "{}", f.heading());
                if let Some(d) = &f.detail {
                    body.push_str(d);
                    if !d.ends_with('\n') {
                        body.push('\n');
                    }
                }
                body.push('\n');
            }
            let _ = writeln!(
                out,
                ">\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>",
                r.failures[0].kind.word(),
                xml(&message),
                xml_text(&body)
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `s` as an XML attribute value: markup characters and line ends (which an
/// attribute value would lose) as references, and the characters XML 1.0
/// cannot hold at all as visible `\u{..}` escapes.
fn xml(s: &str) -> String {
    escape(s, true)
}

/// `s` as XML character data: as [`xml`], but with line ends and tabs kept.
fn xml_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser reads a bare CR as a line feed.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Actual, Kind, applies_again, xml, xml_text};
    use crate::api::Job;

    /// A stack the rules still change when applied "again": the check that
    /// every case is idempotent reports each file that changes, with a diff.
    #[test]
    fn output_that_changes_when_applied_again_is_reported() {
        let rules = r#"
service redis {
  hostname: endpoint(default_port = 6379)
}
match redis {
  compose service if image ~ r"^redis(:|$)" {
    host = name
    port = 6379
  }
}
when redis is provided as c {
  drop
  bind host = c.hostname.host
}
"#;
        let stack = "services:\n  cache:\n    image: redis:7\n  web:\n    image: example/web\n    environment:\n      CACHE_HOST: cache\n";
        let job = Job {
            rules: vec![("redis.graft".into(), rules.into())],
            bindings: (
                "bindings.yaml".into(),
                "redis:\n  hostname: cache.example.com\n".into(),
            ),
            stack: vec![("compose.yaml".into(), stack.into())],
            certificates: Default::default(),
        };
        // As if the first run had written its input unchanged.
        let actual = Actual {
            plan: String::new(),
            files: [("compose.yaml".to_string(), stack.to_string())].into(),
        };
        let failures = applies_again(&job, std::path::Path::new("."), &actual);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].kind, Kind::NotIdempotent);
        assert_eq!(failures[0].file.as_deref(), Some("expected/compose.yaml"));
        let detail = failures[0].detail.as_deref().unwrap_or("");
        assert!(detail.contains("-      CACHE_HOST: cache\n"), "{detail}");
        assert!(
            detail.contains("+      CACHE_HOST: cache.example.com\n"),
            "{detail}"
        );
        assert!(detail.contains("the second plan:"), "{detail}");
    }

    #[test]
    fn xml_escapes_markup_line_ends_and_forbidden_characters() {
        let s = "a<b>&\"c'\n\r\t\u{1}\u{fffe}é";
        assert_eq!(
            xml(s),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#13;&#9;\\u{1}\\u{fffe}é"
        );
        assert_eq!(
            xml_text(s),
            "a&lt;b&gt;&amp;&quot;c&apos;\n&#13;\t\\u{1}\\u{fffe}é"
        );
    }
}
