//! Helpers shared by the integration tests: read fixtures the way the CLI
//! does, and render what users would see.

#![allow(dead_code)]

pub mod e2e;

use graft::analysis;
use graft::cli::render;
use graft::diagnostics::{self, Diagnostic};
use graft::source::Sources;
use graft::syntax;
use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path as shown in snapshots: relative to the crate root, with
/// forward slashes.
pub fn display_name(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Reads files as `graft check` does (invalid UTF-8 becomes a diagnostic)
/// and checks them as one folder.
pub fn check_paths(paths: &[PathBuf]) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    let mut readable = Vec::new();
    let mut all = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).unwrap();
        match String::from_utf8(bytes) {
            Ok(text) => readable.push(sources.add(display_name(path), text)),
            Err(e) => {
                let bytes = e.into_bytes();
                let id = sources.add(
                    display_name(path),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
                all.extend(syntax::parse_bytes(id, &bytes).diagnostics);
            }
        }
    }
    let analysis = analysis::analyze_files(&sources, &readable);
    all.extend(analysis.diagnostics);
    diagnostics::sort(&mut all);
    (sources, all)
}

/// Checks one in-memory file.
pub fn check_text(name: &str, text: &str) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::new();
    sources.add(name, text);
    let analysis = analysis::analyze(&sources);
    (sources, analysis.diagnostics)
}

/// The diagnostics rendered without colour, as `graft check` prints them.
pub fn rendered(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    render::text(sources, diagnostics, false)
}

/// Every `.graft` file below `dir`, sorted.
pub fn graft_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "graft") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// In every container of the output, an env value that expands `$(NAME)`
/// of a variable the container defines comes after that definition:
/// Kubernetes expands only what was defined before.
pub fn expansions_come_after_their_variables(files: &[(String, String)]) {
    let Ok(stack) = graft::stack::kubernetes::read(files.to_vec()) else {
        return;
    };
    for id in stack.ids() {
        let r = stack.resource(id);
        let Some((template, _)) = graft::stack::kubernetes::pod_template(&r.kind, stack.node(id))
        else {
            continue;
        };
        let Some(spec) = template.get("spec") else {
            continue;
        };
        for c in graft::stack::kubernetes::containers(spec) {
            let env = c.node.get("env").map(|e| e.items()).unwrap_or_default();
            let names: Vec<&str> = env.iter().filter_map(|e| e.str_at("name")).collect();
            for (i, e) in env.iter().enumerate() {
                let Some(value) = e.str_at("value") else {
                    continue;
                };
                for (j, name) in names.iter().enumerate() {
                    if value.contains(&format!("$({name})")) {
                        assert!(
                            j < i,
                            "{}: env `{}` expands `$({name})`, defined after it",
                            r.address,
                            names[i]
                        );
                    }
                }
            }
        }
    }
}

/// Applies random edits to a text: each replaces up to `cut` bytes at
/// `at` (wrapped to the text, moved to a character boundary) with `insert`.
pub fn mutate(text: &mut String, edits: &[(usize, usize, String)]) {
    for (at, cut, insert) in edits {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(at..end, insert);
    }
}

/// A folder of the shared corpus of real-world stacks (`kubernetes`,
/// `terraform`): from `GRAFT_CORPUS`, or `../shared/corpus` beside the
/// checkout, or the workplace's copy; a test that needs it fails, saying
/// where it looked, when it is nowhere.
pub fn corpus(format: &str) -> PathBuf {
    let candidates: Vec<PathBuf> = std::env::var_os("GRAFT_CORPUS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root().join("../shared/corpus"),
            PathBuf::from("/work/shared/corpus"),
        ])
        .collect();
    match candidates.iter().find(|p| p.join(format).is_dir()) {
        Some(found) => found.join(format),
        None => panic!(
            "the shared corpus of real-world stacks is missing: looked for `{format}` in {candidates:?}; set GRAFT_CORPUS to its folder"
        ),
    }
}

/// A command's standard output, as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A command's standard error, as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies a folder's tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// A file from a package archive, fetched on first use into the target
/// folder (`cache/name`): `download` puts the archive into the folder it is
/// given and returns its path; `member` is the file's path in the archive.
/// It is unpacked beside its place and moved in, so that test processes
/// running at once never read half a file.
pub fn unpacked(
    cache: &str,
    name: &str,
    member: &str,
    download: impl FnOnce(&Path) -> PathBuf,
) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(cache);
    let file = dir.join(name);
    if file.is_file() {
        return file;
    }
    let work = dir.join(format!("fetch-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let archive = download(&work);
    let status = std::process::Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&work)
        .arg(member)
        .status()
        .unwrap();
    let unpacked = work.join(member);
    assert!(
        status.success() && unpacked.is_file(),
        "{} holds no {member}",
        archive.display()
    );
    std::fs::rename(&unpacked, &file).unwrap();
    let _ = std::fs::remove_dir_all(&work);
    file
}

/// The `graft` binary run in `dir` with `args`, without colour and with no
/// input.
pub fn graft(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_graft"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// `text` with each run's time (`(0.38 s)`) written as `shown`.
pub fn timings_as(text: &str, shown: &str) -> String {
    let re = regex::Regex::new(r"\(\d+\.\d+ s\)").unwrap();
    re.replace_all(text, shown).into_owned()
}
