//! Finding and reading rule files, and writing them back atomically.

use super::CliError;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Sources};
use crate::syntax;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Rule files larger than this are refused rather than read.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Folders nested deeper than this are not searched.
const MAX_DEPTH: usize = 64;

/// Expands files and folders into the rule files they name, sorted within
/// each folder. A folder contributes its `*.graft` files, recursively.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CliError::new(
                    format!("`{}` does not exist", path.display()),
                    "name rule files (`*.graft`) or folders that hold them",
                )
            } else {
                CliError::io(path, &e)
            }
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(path, 0, &mut out, &mut seen)?;
            if out.len() == before {
                return Err(CliError::new(
                    format!("no `.graft` files in `{}`", path.display()),
                    "rule files end in `.graft`; name a folder that holds some, or the files themselves",
                ));
            }
        } else if seen.insert(canonical(path)) {
            out.push(path.clone());
        }
    }
    Ok(out)
}

pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), CliError> {
    // A folder reached twice (through a link loop) is read once.
    if depth > MAX_DEPTH || !seen.insert(canonical(dir)) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| CliError::io(dir, &e))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| CliError::io(dir, &e))?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n == "target");
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, depth + 1, out, seen)?;
        } else if path.extension().is_some_and(|e| e == "graft") && seen.insert(canonical(&path)) {
            out.push(path);
        }
    }
    Ok(())
}

/// Rule files read into memory.
pub struct Loaded {
    /// Every file (with lossy text where it was not UTF-8, for display).
    pub sources: Sources,
    /// The files that can be parsed.
    pub readable: Vec<FileId>,
    /// Problems found while reading (invalid UTF-8).
    pub diagnostics: Vec<Diagnostic>,
    /// Where each file came from, indexed like the sources.
    pub paths: Vec<PathBuf>,
}

/// Reads rule files.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, CliError> {
    let mut loaded = Loaded {
        sources: Sources::new(),
        readable: Vec::new(),
        diagnostics: Vec::new(),
        paths: Vec::new(),
    };
    for path in paths {
        let bytes = read(path)?;
        let name = path.display().to_string();
        match String::from_utf8(bytes) {
            Ok(text) => {
                let id = loaded.sources.add(name, text);
                loaded.readable.push(id);
            }
            Err(e) => {
                let bytes = e.into_bytes();
                let id = loaded
                    .sources
                    .add(name, String::from_utf8_lossy(&bytes).into_owned());
                loaded
                    .diagnostics
                    .extend(syntax::parse_bytes(id, &bytes).diagnostics);
            }
        }
        loaded.paths.push(path.clone());
    }
    Ok(loaded)
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    read_bounded(
        path,
        MAX_FILE_BYTES,
        "a rule file",
        "split the rules into several files",
    )
}

/// Reads a file a user named: an ordinary file (not a folder, device, pipe
/// or socket, which could hang a read) of at most `max` bytes. `what` names
/// it in errors ("a rule file"); `smaller` says how to make it smaller.
pub fn read_bounded(path: &Path, max: u64, what: &str, smaller: &str) -> Result<Vec<u8>, CliError> {
    let meta = std::fs::metadata(path).map_err(|e| CliError::io(path, &e))?;
    if meta.len() > max {
        return Err(CliError::new(
            format!(
                "`{}` is {} MiB, larger than the {} MiB {what} may be",
                path.display(),
                meta.len() / (1024 * 1024),
                max / (1024 * 1024)
            ),
            smaller,
        ));
    }
    if meta.is_dir() {
        return Err(CliError::new(
            format!("`{}` is a folder", path.display()),
            format!("name {what}"),
        ));
    }
    if !meta.is_file() {
        return Err(CliError::new(
            format!("`{}` is not a regular file", path.display()),
            format!("{what} is an ordinary file; a device, pipe or socket cannot be one"),
        ));
    }
    std::fs::read(path).map_err(|e| CliError::io(path, &e))
}

/// [`read_bounded`], for a file that must be UTF-8 text.
pub fn read_text(path: &Path, max: u64, what: &str, smaller: &str) -> Result<String, CliError> {
    let bytes = read_bounded(path, max, what, smaller)?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::new(
            format!(
                "`{}` is not UTF-8 (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
            format!("save {what} as UTF-8"),
        )
    })
}

/// Replaces `path`'s contents atomically: the new text is written to a
/// temporary file beside it, then renamed over it, so that a failure never
/// leaves a half-written file.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("rules.graft");
    let tmp = dir.join(format!(".{name}.graft-fmt-{}", std::process::id()));
    let result = std::fs::write(&tmp, text).and_then(|()| {
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::io(path, &e));
    }
    Ok(())
}

/// A rules folder read and checked: what `check`, `schema` and (later)
/// `apply` all start from.
pub struct CheckedRules {
    /// The files, for rendering.
    pub sources: Sources,
    /// The parses and the checked program.
    pub analysis: crate::analysis::Analysis,
    /// Every diagnostic, reading and checking alike, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckedRules {
    /// How many of the diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The diagnostics as source snippets, with a closing count.
    pub fn render(&self, color: bool) -> String {
        let errors = self.error_count();
        let mut out = super::render::text(&self.sources, &self.diagnostics, color);
        out.push_str(&super::render::summary(
            errors,
            self.diagnostics.len() - errors,
            self.sources.len(),
        ));
        out.push('\n');
        out
    }
}

/// Reads the rule files and folders `paths` and checks them as one folder.
pub fn check_rules(paths: &[PathBuf]) -> Result<CheckedRules, CliError> {
    let loaded = load(&collect(paths)?)?;
    let analysis = crate::analysis::analyze_files(&loaded.sources, &loaded.readable);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(analysis.diagnostics.iter().cloned());
    crate::diagnostics::sort(&mut diagnostics);
    Ok(CheckedRules {
        sources: loaded.sources,
        analysis,
        diagnostics,
    })
}
