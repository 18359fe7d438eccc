//! Live preview: the rules being edited, run on the sample stack and
//! bindings a `graft.toml` names, through the same engine `graft plan`
//! runs. It gives each matcher's match count and each rule's changes (code
//! lenses) and the plan with the rewrite diff (the `graft.showPlan`
//! command); both are worked out from the documents' current text.

use crate::cli::apply::{Sample, certificate, sample, sample_job};
use crate::engine::plan::ChangeKind;
use crate::session::Session;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The command a code lens runs, and that a client may run itself with the
/// rules folder as its argument.
pub const SHOW_PLAN: &str = "graft.showPlan";

/// What the rules do to the sample.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preview {
    /// The project folder (where `graft.toml` is).
    pub project: PathBuf,
    /// How many resources each matcher selects, by matcher name (matchers
    /// of services the bindings provide).
    pub matches: BTreeMap<String, usize>,
    /// Each provided service's changes: dropped, consumers, all changes.
    pub services: BTreeMap<String, (usize, usize, usize)>,
    /// Errors of the rules, bindings, stack or plan.
    pub errors: usize,
    /// The plan as `graft plan` prints it (or the errors that stop it).
    pub plan: String,
    /// The rewrite: a unified diff of every file that changes.
    pub diff: String,
}

/// The project whose `graft.toml` names `rules` (a folder) as its rules
/// folder: looked for in the folder and its parents, then in the workspace
/// `roots` and their subfolders (three levels down, hidden folders,
/// `target` and `node_modules` skipped).
pub fn find_project(roots: &[PathBuf], rules: &Path) -> Option<(PathBuf, Sample)> {
    let mut candidates: Vec<PathBuf> = rules.ancestors().map(Path::to_path_buf).collect();
    for root in roots {
        walk(root, 0, &mut candidates);
    }
    candidates
        .into_iter()
        .find_map(|dir| project_in(&dir, rules).map(|s| (dir, s)))
}

/// The sample of the project in `dir`, when its `graft.toml` names `rules`
/// as its rules folder (how a project found before is checked again).
pub fn project_in(dir: &Path, rules: &Path) -> Option<Sample> {
    if !dir.join("graft.toml").is_file() {
        return None;
    }
    let s = sample(dir).ok()?;
    (std::fs::canonicalize(&s.rules).ok()? == std::fs::canonicalize(rules).ok()?).then_some(s)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if dir.join("graft.toml").is_file() {
        out.push(dir.to_path_buf());
    }
    if depth == 3 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subfolders: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.') && n != "target" && n != "node_modules")
        })
        .collect();
    subfolders.sort();
    for sub in subfolders {
        walk(&sub, depth + 1, out);
    }
}

/// The incremental session a project's preview runs in, kept from one run
/// to the next: an edit of the rules rematches and replans the sample but
/// parses none of it again, and an edit of one sample file reparses that
/// file alone.
pub type Kept = Option<(PathBuf, Session)>;

/// Runs `rules` (path, text) on the project's sample, in the session `kept`
/// holds for that project (a new one for another project).
pub fn run(
    project: &Path,
    sample: &Sample,
    rules: Vec<(String, String)>,
    kept: &mut Kept,
) -> Result<Preview, String> {
    let (job, base) = sample_job(sample, rules).map_err(|e| e.describe())?;
    let cert = |path: &str| certificate(&base, path);
    let mut preview = Preview {
        project: project.to_path_buf(),
        ..Preview::default()
    };
    let session = match kept {
        Some((p, session)) if p == project => {
            session.set_rules(job.rules.clone());
            session.set_bindings(&job.bindings.0, &job.bindings.1);
            session.set_stack(&job.stack);
            session
        }
        _ => &mut kept.insert((project.to_path_buf(), Session::new(&job))).1,
    };
    // Each matcher's count, from the matches the plan starts from.
    let matches = &mut preview.matches;
    let done = session.run_observed(&cert, &mut |program, bindings, found| {
        for m in &program.matchers {
            if bindings.services.contains_key(m.service.as_str()) {
                matches.entry(m.name.clone()).or_default();
            }
        }
        for m in found {
            if let Some(def) = program.matchers.get(m.matcher as usize) {
                *matches.entry(def.name.clone()).or_default() += 1;
            }
        }
    });
    preview.errors = done.errors();
    let mut report = String::new();
    if !done.diagnostics.is_empty() {
        report.push_str(&crate::cli::render::text(
            &done.sources,
            &done.diagnostics,
            false,
        ));
    }
    if let Some(outcome) = &done.outcome {
        let mut plan = outcome.plan.clone();
        plan.relocate(|f| sample.stack.join(f).display().to_string());
        report.push_str(&plan.to_text());
        for service in &outcome.plan.services {
            let changes = outcome
                .plan
                .changes
                .iter()
                .filter(|c| c.service == service.name.as_str());
            let dropped = changes
                .clone()
                .filter(|c| c.kind == ChangeKind::Drop)
                .count();
            preview.services.insert(
                service.name.clone(),
                (dropped, service.consumers.len(), changes.count()),
            );
        }
        let before: BTreeMap<&str, &str> = job
            .stack
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        for f in outcome.files.iter().filter(|f| f.changed) {
            let old = before.get(f.path.as_str()).copied().unwrap_or("");
            let new = f.text.as_deref().unwrap_or("");
            let shown = sample.stack.join(&f.path).display().to_string();
            preview.diff.push_str(
                &similar::TextDiff::from_lines(old, new)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
                    .to_string(),
            );
        }
    }
    preview.plan = report;
    Ok(preview)
}

/// A key that changes when any input of a preview does: the rules' text,
/// the bindings' and the stack's (read again, they are small samples).
pub fn key(project: &Path, sample: &Sample, rules: &[(String, String)]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    project.hash(&mut h);
    rules.hash(&mut h);
    for path in [&sample.bindings, &sample.stack] {
        stamp(path, &mut h);
    }
    h.finish()
}

/// A file's or folder tree's modification times and sizes.
fn stamp(path: &Path, h: &mut impl Hasher) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    meta.len().hash(h);
    meta.modified().ok().hash(h);
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            p.hash(h);
            stamp(&p, h);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn shop() -> (PathBuf, Sample, Vec<(String, String)>) {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shop");
        let sample = sample(&project).unwrap();
        let mut rules: Vec<(String, String)> = std::fs::read_dir(&sample.rules)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "graft"))
            .map(|p| {
                (
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        rules.sort();
        (project, sample, rules)
    }

    /// The preview runs in a kept session: an edit of the rules parses none
    /// of the sample again, and gives what a fresh run gives.
    #[test]
    fn an_edit_of_the_rules_reparses_nothing_of_the_sample() {
        let (project, sample, rules) = shop();
        let mut kept: Kept = None;
        let first = run(&project, &sample, rules.clone(), &mut kept).unwrap();
        let files = std::fs::read_dir(&sample.stack).unwrap().count();
        let parses = |kept: &Kept| kept.as_ref().map(|(_, s)| s.parses());
        assert_eq!(first.errors, 0, "{}", first.plan);
        assert_eq!(parses(&kept), Some(files));

        // An edit that changes what the rules do: the customer's endpoint
        // bound to another port.
        let mut edited = rules.clone();
        let redis = edited
            .iter_mut()
            .find(|(p, _)| p.ends_with("redis.graft"))
            .unwrap();
        redis.1 = redis
            .1
            .replace("bind port = c.hostname.port", "bind port = 6390");
        let again = run(&project, &sample, edited.clone(), &mut kept).unwrap();
        assert_eq!(parses(&kept), Some(files), "the sample was parsed again");
        let fresh = run(&project, &sample, edited, &mut None).unwrap();
        assert_eq!(again, fresh);
        assert_eq!(again.matches, first.matches);
        assert_ne!(again.plan, first.plan);
        assert!(again.plan.contains("6390"), "{}", again.plan);
    }
}
