//! `graft apply` and `graft plan`: read the project (`graft.toml`), the
//! rules, the bindings and the stack; print the plan; for `apply`, write the
//! output stack and the hand-off atomically under the output folder.

use super::output::{self, Content, HANDOFF, check_target};
use super::{ApplyArgs, CliError, OutputFormat, files, print_stderr, print_stdout};
use crate::api::{self, Job};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Stack files larger than this are refused rather than read.
const MAX_STACK_FILE: u64 = 256 * 1024 * 1024;
/// The largest bindings, project or certificate file read.
const MAX_SMALL_FILE: u64 = 1024 * 1024;

/// `graft.toml`: where a stack's rules, bindings and output are.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct Project {
    /// The stack folder, relative to `graft.toml` (default: its folder).
    stack: Option<PathBuf>,
    /// The rules folder.
    rules: Option<PathBuf>,
    /// The bindings file.
    bindings: Option<PathBuf>,
    /// The output folder.
    out: Option<PathBuf>,
}

pub(super) struct Resolved {
    pub(super) stack: Vec<PathBuf>,
    pub(super) rules: PathBuf,
    pub(super) bindings: PathBuf,
    out: Option<PathBuf>,
}

fn read_project(dir: &Path) -> Result<Project, CliError> {
    let toml = dir.join("graft.toml");
    let text = files::read_text(
        &toml,
        MAX_SMALL_FILE,
        "a project file",
        "keep graft.toml to its four paths",
    )?;
    toml::from_str(&text).map_err(|e| {
        CliError::new(
            format!(
                "`{}` is not a valid project file: {}",
                toml.display(),
                e.message()
            ),
            "graft.toml takes `stack`, `rules`, `bindings` and `out`, each a path relative to it",
        )
    })
}

/// A project folder's sample: what the language server's live preview runs
/// the rules being edited on.
pub(crate) struct Sample {
    /// The rules folder `graft.toml` names (default: `rules` beside it).
    pub rules: PathBuf,
    /// The stack folder.
    pub stack: PathBuf,
    /// The bindings file.
    pub bindings: PathBuf,
    /// The output folder, which is not part of the stack.
    pub out: Option<PathBuf>,
}

/// The sample `dir/graft.toml` names.
pub(crate) fn sample(dir: &Path) -> Result<Sample, CliError> {
    let project = read_project(dir)?;
    let at = |p: &Option<PathBuf>, default: &str| {
        clean(&dir.join(p.clone().unwrap_or_else(|| PathBuf::from(default))))
    };
    Ok(Sample {
        rules: at(&project.rules, "rules"),
        stack: at(&project.stack, "."),
        bindings: project
            .bindings
            .as_ref()
            .map(|b| clean(&dir.join(b)))
            .ok_or_else(|| {
                CliError::new(
                    format!("`{}` names no bindings", dir.join("graft.toml").display()),
                    "add `bindings = \"FILE\"` to graft.toml for the preview to run the rules on",
                )
            })?,
        out: project.out.as_ref().map(|o| clean(&dir.join(o))),
    })
}

/// A job over `sample`'s bindings and stack with the given rules, and the
/// folder certificates are read relative to (the bindings').
pub(crate) fn sample_job(
    sample: &Sample,
    rules: Vec<(String, String)>,
) -> Result<(Job, PathBuf), CliError> {
    stack_job(
        std::slice::from_ref(&sample.stack),
        &sample.bindings,
        sample.out.as_deref(),
        rules,
    )
}

/// A job over the stack at `stack` (the output folder `out` and the
/// bindings file left out of it), the bindings file and `rules`, and the
/// folder certificates are read relative to (the bindings').
pub(super) fn stack_job(
    stack: &[PathBuf],
    bindings: &Path,
    out: Option<&Path>,
    rules: Vec<(String, String)>,
) -> Result<(Job, PathBuf), CliError> {
    let text = files::read_text(
        bindings,
        MAX_SMALL_FILE,
        "a bindings file",
        "bind each service once, in one file",
    )?;
    let skip = skipped(bindings, out);
    let job = Job {
        rules,
        bindings: (bindings.display().to_string(), text),
        stack: read_stack(stack, &skip)?,
        certificates: Default::default(),
    };
    let base = bindings.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((job, base))
}

/// What reading a stack folder passes over: the bindings file and the
/// output folder, when they are inside it (canonical paths).
fn skipped(bindings: &Path, out: Option<&Path>) -> Vec<PathBuf> {
    [Some(bindings), out]
        .into_iter()
        .flatten()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
        .collect()
}

/// Reads a certificate the bindings name, relative to them. The error is
/// what went wrong, for "cannot read the certificate `PATH`: ..." (an I/O
/// error's own "cannot read or write `PATH`" would say it twice).
pub(crate) fn certificate(base: &Path, path: &str) -> Result<String, String> {
    let full = base.join(path);
    files::read_text(
        &full,
        MAX_SMALL_FILE,
        "a certificate file",
        "give the CA certificate alone",
    )
    .map_err(|e| {
        let io = format!("cannot read or write `{}`: ", full.display());
        match e.message.strip_prefix(&io) {
            Some(reason) => reason.to_string(),
            None => e.message,
        }
    })
}

pub(super) fn resolve(args: &ApplyArgs) -> Result<Resolved, CliError> {
    let mut project = Project::default();
    let mut base = PathBuf::new();
    let mut stack = args.stack.clone();
    if let [dir] = args.stack.as_slice()
        && dir.is_dir()
        && dir.join("graft.toml").is_file()
    {
        project = read_project(dir)?;
        base = dir.clone();
        stack = vec![clean(
            &dir.join(project.stack.clone().unwrap_or_else(|| PathBuf::from("."))),
        )];
    }
    if stack.is_empty() {
        return Err(CliError::new(
            "no stack given",
            "name the stack's files or folder, or a folder with a graft.toml",
        ));
    }
    let from_project = |p: &Option<PathBuf>| p.as_ref().map(|p| clean(&base.join(p)));
    let rules = args
        .rules
        .clone()
        .or_else(|| from_project(&project.rules))
        .or_else(|| Path::new("rules").is_dir().then(|| PathBuf::from("rules")))
        .ok_or_else(|| {
            CliError::new(
                "no rules folder",
                "give `--rules DIR`, or name it in graft.toml",
            )
        })?;
    let bindings = args
        .bindings
        .clone()
        .or_else(|| from_project(&project.bindings))
        .ok_or_else(|| {
            CliError::new(
                "no bindings file",
                "give `--bindings FILE`, or name it in graft.toml",
            )
        })?;
    let out = args.out.clone().or_else(|| from_project(&project.out));
    Ok(Resolved {
        stack,
        rules,
        bindings,
        out,
    })
}

/// Runs `graft apply` (`write` true) or `graft plan`.
pub fn run(args: &ApplyArgs, write: bool, color: bool) -> Result<ExitCode, CliError> {
    let r = resolve(args)?;
    let out_dir = match (&r.out, write) {
        (Some(o), _) => Some(o.clone()),
        (None, true) => {
            return Err(CliError::new(
                "no output folder",
                "give `--out DIR`, or name it as `out` in graft.toml",
            ));
        }
        (None, false) => None,
    };
    if let (Some(out), true) = (&out_dir, write) {
        let mut inputs: Vec<(&str, &Path)> =
            r.stack.iter().map(|s| ("the stack", s.as_path())).collect();
        inputs.push(("the rules", &r.rules));
        inputs.push(("the bindings", &r.bindings));
        check_target(out, &inputs)?;
    }
    let lock = match (&out_dir, write) {
        (Some(out), true) => Some(output::lock(out)?),
        _ => None,
    };
    let display = super::progress::Display::new(args.quiet, "loading the stack");
    let rule_paths = files::collect(std::slice::from_ref(&r.rules))?;
    let loaded = files::load(&rule_paths)?;
    let rules = loaded
        .sources
        .iter()
        .map(|(_, f)| (f.name().to_string(), f.text().to_string()))
        .collect();
    let (job, base) = stack_job(&r.stack, &r.bindings, out_dir.as_deref(), rules)?;
    let done = api::run_taking(job, &|path: &str| certificate(&base, path), &display);
    display.clear();
    if args.format == OutputFormat::Sarif {
        // One log: the rules' and bindings' diagnostics, then the plan's.
        let mut all = loaded.diagnostics.clone();
        all.extend(done.diagnostics.iter().cloned());
        crate::diagnostics::sort(&mut all);
        let mut log = super::sarif::Log::default();
        log.diagnostics(&done.sources, &all);
        if let Some(outcome) = &done.outcome {
            log.problems(&outcome.plan.problems);
        }
        super::print_json(&log.to_json());
    } else if !loaded.diagnostics.is_empty() || !done.diagnostics.is_empty() {
        let mut all = loaded.diagnostics.clone();
        all.extend(done.diagnostics.iter().cloned());
        crate::diagnostics::sort(&mut all);
        if args.format == OutputFormat::Json && done.outcome.is_none() {
            let report = super::render::json(&done.sources, &all);
            print_stdout(&serde_json::to_string_pretty(&report).unwrap_or_default());
            print_stdout("\n");
        } else {
            print_stderr(&super::render::text(&done.sources, &all, color));
        }
    }
    let Some(outcome) = &done.outcome else {
        return Ok(ExitCode::from(1));
    };
    match args.format {
        OutputFormat::Sarif => {}
        OutputFormat::Json => {
            let mut v = outcome.plan.to_json();
            if let (Some(obj), Some(h)) = (v.as_object_mut(), &done.handoff) {
                obj.insert("handoff".into(), serde_json::Value::String(h.clone()));
            }
            super::print_json(&v);
        }
        OutputFormat::Text => {
            // Shown from here, not from the stack root.
            let mut plan = outcome.plan.clone();
            if let [root] = r.stack.as_slice()
                && root.is_dir()
            {
                plan.relocate(|f| root.join(f).display().to_string());
            }
            print_stdout(&plan.to_text());
        }
    }
    if done.errors() > 0 {
        print_stderr(if write {
            "apply stopped: the plan has errors, so nothing was written\n"
        } else {
            "the plan has errors: apply would stop and write nothing\n"
        });
        return Ok(ExitCode::from(1));
    }
    if let (true, Some(out)) = (write, out_dir) {
        let kept: Vec<(&str, &String)> = outcome
            .files
            .iter()
            .filter_map(|f| f.text.as_ref().map(|t| (f.path.as_str(), t)))
            .collect();
        let root = match r.stack.as_slice() {
            [root] if root.is_dir() => Some(root.as_path()),
            _ => None,
        };
        let mut paths: Vec<String> = kept.iter().map(|(p, _)| p.to_string()).collect();
        // A Terraform configuration reads other files of its folders
        // (`file()`, `templatefile()`, archives, the lock file), and a
        // Compose project its build contexts, `.env` and mounted files:
        // they come along, but not from a module folder that went.
        let others = match root {
            Some(root)
                if crate::stack::terraform::is_stack(paths.iter().map(String::as_str))
                    || crate::stack::compose::is_stack(paths.iter().map(String::as_str))
                    || crate::stack::cloudformation::is_stack(
                        kept.iter().map(|(p, t)| (*p, t.as_str())),
                    ) =>
            {
                carried_files(root, &outcome.files, &skipped(&r.bindings, Some(&out)))?
            }
            _ => Vec::new(),
        };
        let texts = paths.len();
        paths.extend(others.iter().map(|(rel, _)| rel.clone()));
        let (placed, home) = output_layout(root, &paths);
        let mut files: Vec<(PathBuf, Content)> = placed
            .iter()
            .zip(kept)
            .map(|(p, (_, t))| (p.clone(), Content::Text(t.clone())))
            .collect();
        files.extend(
            placed[texts..]
                .iter()
                .zip(&others)
                .map(|(p, (_, from))| (p.clone(), Content::Copy(from.clone()))),
        );
        if let Some(h) = &done.handoff {
            files.push((PathBuf::from(HANDOFF), Content::Text(h.clone())));
        }
        let display = super::progress::Display::new(
            args.quiet,
            &format!(
                "writing {} files",
                indicatif::HumanCount(files.len() as u64)
            ),
        );
        match &lock {
            Some(lock) => output::write_locked(&out, &files, lock)?,
            None => output::write_tree(&out, &files)?,
        }
        display.clear();
        if args.format == OutputFormat::Text {
            let place = if home.as_os_str().is_empty() {
                String::new()
            } else {
                format!(
                    "; the stack is at {}, beside the modules it calls from outside its folder",
                    out.join(&home).display()
                )
            };
            print_stdout(&format!(
                "\nWrote {} files to {} (hand-off: {}{place})\n",
                files.len(),
                out.display(),
                out.join("HANDOFF.md").display()
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the stack: files given, or the manifest (`.yaml`, `.yml`,
/// `.json`) and Terraform (`.tf`, `.tf.json`, `.tfvars`) files of folders
/// (recursively, hidden folders and `skip` excepted), with paths relative
/// to their folder.
fn read_stack(paths: &[PathBuf], skip: &[PathBuf]) -> Result<Vec<(String, String)>, CliError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| CliError::io(p, &e))?;
        if meta.is_dir() {
            let mut paths = Vec::new();
            walk(p, p, 0, skip, &mut paths)?;
            // A Compose project is its Compose files: its other YAML and
            // JSON (configuration, `package.json`) is carried as it is.
            if crate::stack::compose::is_stack(paths.iter().map(|(rel, _)| rel.as_str())) {
                // Kubernetes manifests beside a Compose project are not
                // passed over in silence.
                for (rel, path) in paths
                    .iter()
                    .filter(|(rel, _)| !crate::stack::compose::is_compose_file(rel))
                    .filter(|(rel, _)| rel.ends_with(".yaml") || rel.ends_with(".yml"))
                {
                    if crate::stack::compose::manifest_at(rel, &read_manifest(path)?).is_some() {
                        return Err(CliError::new(
                            format!(
                                "`{}` holds a Compose project and Kubernetes manifests (`{rel}`); graft applies one stack format at a time",
                                p.display()
                            ),
                            "give the Compose files and the manifests as two stacks (the manifests' folder, or their files)",
                        ));
                    }
                }
                paths.retain(|(rel, _)| crate::stack::compose::is_compose_file(rel));
            }
            let mut found = Vec::with_capacity(paths.len());
            for (rel, path) in paths {
                found.push((rel, read_manifest(&path)?));
            }
            cloudformation_templates(p, &mut found)?;
            outside_modules(p, &mut found)?;
            if found.is_empty() {
                return Err(CliError::new(
                    format!("no stack files in `{}`", p.display()),
                    "a stack folder holds Kubernetes manifests (`.yaml`, `.yml`, `.json`) or a Terraform configuration (`.tf`, `.tf.json`)",
                ));
            }
            out.extend(found);
        } else {
            out.push((file_name(p), read_manifest(p)?));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    for w in out.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(CliError::new(
                format!("two stack files have the path `{}`", w[0].0),
                "give one folder, or files with different names",
            ));
        }
    }
    Ok(out)
}

/// A folder of CloudFormation templates is its templates: its other YAML
/// and JSON (parameter files, `buildspec.yml`) is carried as it is, but
/// Kubernetes manifests beside them are not passed over in silence.
fn cloudformation_templates(
    root: &Path,
    found: &mut Vec<(String, String)>,
) -> Result<(), CliError> {
    use crate::stack::cloudformation::{is_stack, is_template};
    if !is_stack(found.iter().map(|(p, t)| (p.as_str(), t.as_str()))) {
        return Ok(());
    }
    if let Some((rel, _)) = found.iter().find(|(rel, text)| {
        !is_template(rel, text) && crate::stack::compose::manifest_at(rel, text).is_some()
    }) {
        return Err(CliError::new(
            format!(
                "`{}` holds CloudFormation templates and Kubernetes manifests (`{rel}`); graft applies one stack format at a time",
                root.display()
            ),
            "give the templates and the manifests as two stacks (the manifests' folder, or their files)",
        ));
    }
    found.retain(|(rel, text)| is_template(rel, text));
    Ok(())
}

/// For a Terraform stack, the local modules its calls name outside its
/// folder (`source = "../modules/x"`), read with paths that start with
/// `..`, and theirs in turn.
fn outside_modules(root: &Path, found: &mut Vec<(String, String)>) -> Result<(), CliError> {
    use crate::stack::terraform;
    if !terraform::is_stack(found.iter().map(|(p, _)| p.as_str())) {
        return Ok(());
    }
    let mut read: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Each round looks only at the files the last one added.
    let mut scanned = 0;
    loop {
        let new = &found[scanned..];
        scanned = found.len();
        let wanted: Vec<String> =
            terraform::outside_module_folders(new.iter().map(|(p, t)| (p.as_str(), t.as_str())))
                .into_iter()
                .filter(|f| !read.contains(f))
                .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        for folder in wanted {
            read.insert(folder.clone());
            let dir = root.join(&folder);
            // A folder that is not there is reported by the reader, at the
            // call.
            let Ok(names) = sorted_entries(&dir) else {
                continue;
            };
            for path in names {
                let name = file_name(&path);
                if path.is_file() && terraform::is_configuration(&name) {
                    let rel = format!("{folder}/{name}");
                    if !found.iter().any(|(p, _)| *p == rel) {
                        found.push((rel, read_manifest(&path)?));
                    }
                }
            }
        }
    }
}

/// Where each output file goes under the output folder: its path, or, when
/// the stack reaches modules outside its folder (`../..`), under as many of
/// the stack folder's own names as it climbs, so that every relative module
/// source still resolves. Also the stack's place in the output folder.
fn output_layout(stack_root: Option<&Path>, paths: &[String]) -> (Vec<PathBuf>, PathBuf) {
    let climb = paths
        .iter()
        .map(|p| p.split('/').take_while(|s| *s == "..").count())
        .max()
        .unwrap_or(0);
    if climb == 0 {
        return (paths.iter().map(PathBuf::from).collect(), PathBuf::new());
    }
    let canonical = stack_root
        .and_then(|r| std::fs::canonicalize(r).ok())
        .unwrap_or_default();
    let names: Vec<String> = canonical
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(n.to_string_lossy().to_string()),
            _ => None,
        })
        .collect();
    let tail = names[names.len().saturating_sub(climb)..].join("/");
    let placed = paths
        .iter()
        .map(|p| PathBuf::from(crate::stack::terraform::join(&tail, p)))
        .collect();
    (placed, PathBuf::from(tail))
}

/// The stack files under `dir` (relative path, path), in name order.
fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    skip: &[PathBuf],
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), CliError> {
    if depth > 32 {
        return Ok(());
    }
    for path in sorted_entries(dir)? {
        let name = file_name(&path);
        if name.starts_with('.') {
            continue;
        }
        let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if skip.iter().any(|s| canon.starts_with(s)) {
            continue;
        }
        let meta = std::fs::symlink_metadata(&path).map_err(|e| CliError::io(&path, &e))?;
        let stack_file = name.ends_with(".yaml")
            || name.ends_with(".yml")
            || name.ends_with(".json")
            || crate::stack::terraform::is_configuration(&name);
        if meta.is_dir() {
            walk(root, &path, depth + 1, skip, out)?;
        } else if stack_file {
            // A link is followed to a file (links to folders are not
            // followed: they could loop); a pipe, device or socket named
            // like a manifest is refused, since reading it could hang.
            let target = std::fs::metadata(&path).ok();
            if meta.is_file() || target.as_ref().is_some_and(std::fs::Metadata::is_file) {
                out.push((relative(root, &path), path));
            } else if target.as_ref().is_none_or(|t| !t.is_dir()) {
                return Err(CliError::new(
                    format!(
                        "`{}` is not a regular file{}",
                        path.display(),
                        if meta.is_symlink() {
                            if target.is_some() {
                                " (it links to a device, pipe or socket)"
                            } else {
                                " (it is a broken link)"
                            }
                        } else {
                            ""
                        }
                    ),
                    "a stack folder holds ordinary files: remove it, or rename it so that it does not end in .yaml, .yml, .json or .tf",
                ));
            }
        }
    }
    Ok(())
}

/// A folder's entries, in name order.
pub(super) fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CliError::io(dir, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// `path` relative to `root`, with `/` separators.
pub(super) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// A name in a stack folder that is never copied into the output: version
/// control's folders and tools' caches (the provider cache `.terraform/`,
/// Terragrunt's), which are no part of the configuration.
fn not_carried(name: &str) -> bool {
    matches!(
        name,
        ".git" | ".hg" | ".svn" | ".terraform" | ".terragrunt-cache"
    )
}

fn read_manifest(p: &Path) -> Result<String, CliError> {
    files::read_text(
        p,
        MAX_STACK_FILE,
        "a manifest",
        "split the stack into smaller files",
    )
}

/// The files of a Terraform or Compose stack folder that graft did not
/// read, to be copied into the output as they are (relative path, source):
/// scripts, templates, archives, `.terraform.lock.hcl`; build contexts,
/// env files (`.env`, `.env.production`: a service's `env_file` must come
/// along), `.dockerignore`, other hidden files. Not version control's and
/// tools' folders ([`not_carried`]), state files, what reading the stack
/// passed over (`skip`: the output folder, the bindings), or anything in a
/// folder whose configuration files all went.
fn carried_files(
    root: &Path,
    outcome: &[crate::engine::OutputFile],
    skip: &[PathBuf],
) -> Result<Vec<(String, PathBuf)>, CliError> {
    let folder = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let read: std::collections::BTreeSet<&str> = outcome.iter().map(|f| f.path.as_str()).collect();
    let kept: std::collections::BTreeSet<String> = outcome
        .iter()
        .filter(|f| f.text.is_some())
        .map(|f| folder(&f.path))
        .collect();
    let removed: Vec<&str> = outcome
        .iter()
        .filter(|f| f.text.is_none())
        .map(|f| f.path.as_str())
        .collect();
    let gone: Vec<String> = outcome
        .iter()
        .filter(|f| f.text.is_none())
        .map(|f| folder(&f.path))
        .filter(|d| !kept.contains(d))
        .collect();
    // Whether `path` is `under` or inside it.
    let within = |path: &str, under: &str| {
        path.strip_prefix(under)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    // The walk follows no symbolic link, so a path's canonical form is the
    // root's with the relative path after it: one `canonicalize` in all,
    // not one per file (the stack's files are most of what is walked).
    let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for path in sorted_entries(&dir)? {
            let name = file_name(&path);
            if not_carried(&name) {
                continue;
            }
            let rel = relative(root, &path);
            // A stack file is written, or not, as the engine says.
            if read.contains(rel.as_str()) {
                continue;
            }
            let canon = canon_root.join(&rel);
            if skip.iter().any(|s| canon.starts_with(s)) {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).map_err(|e| CliError::io(&path, &e))?;
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            if !meta.is_file() || name.contains(".tfstate") {
                continue;
            }
            let dir = folder(&rel);
            let in_gone = gone.iter().any(|g| within(&dir, g));
            // A path the engine removed (a file only dropped resources
            // read) stays out, and so does all under a removed folder.
            let removed = removed
                .iter()
                .any(|r| within(&rel, r) && rel.len() > r.len());
            if in_gone || removed {
                continue;
            }
            found.push((rel, path));
        }
    }
    found.sort();
    Ok(found)
}

/// `a/b/../c` as `a/c`: `..` cancels the name before it, lexically.
fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}
