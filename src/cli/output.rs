//! Writing an output folder whole: the new tree is written beside it and
//! swapped in, under a lock, so that a failure leaves the folder as it was
//! and two runs into the same folder cannot interleave; and the checks that
//! keep `apply` from replacing anything it did not write.

use super::CliError;
use std::fs::File;
use std::path::{Path, PathBuf};

/// What an output file holds: text graft wrote, or a file of the stack
/// copied as it is.
pub(super) enum Content {
    Text(String),
    Copy(PathBuf),
}

/// The file graft writes at the top of every output folder: an existing
/// folder without it was not written by graft, and is not replaced.
pub(super) const HANDOFF: &str = "HANDOFF.md";

/// Refuses an output folder that `apply` must not replace: a file, a
/// folder that holds one of the inputs (`inputs`: what was read, named
/// for the message), or a folder with other contents than an earlier
/// output of graft's (one with a hand-off at its top).
pub(super) fn check_target(out: &Path, inputs: &[(&str, &Path)]) -> Result<(), CliError> {
    if let Ok(meta) = std::fs::symlink_metadata(out)
        && !meta.is_dir()
    {
        return Err(CliError::new(
            format!(
                "the output folder `{}` is a {}, not a folder",
                out.display(),
                if meta.is_symlink() { "link" } else { "file" }
            ),
            "name a new folder (or one graft wrote before) with `--out DIR`: graft replaces it whole",
        ));
    }
    let target = absolute(out);
    for (what, input) in inputs {
        let input = absolute(input);
        if input.starts_with(&target) {
            return Err(CliError::new(
                format!(
                    "the output folder `{}` holds {what} (`{}`): writing the output would replace it",
                    out.display(),
                    input.display()
                ),
                "write the output to a folder of its own, outside the inputs (`--out out`)",
            ));
        }
    }
    if let Ok(mut entries) = std::fs::read_dir(out)
        && entries.next().is_some()
        && !out.join(HANDOFF).is_file()
    {
        return Err(CliError::new(
            format!(
                "the output folder `{}` is not empty, and graft did not write it (it has no {HANDOFF})",
                out.display()
            ),
            "graft replaces its output folder whole: name a new or empty folder, or remove this one first",
        ));
    }
    Ok(())
}

/// `path` made absolute with its links resolved, as far as it exists: the
/// part that does not exist yet is joined on as written.
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(real) = std::fs::canonicalize(&at) {
            return missing.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (at.file_name(), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                at = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Where `out`'s new and old trees, and its lock, are kept while it is
/// replaced: hidden files beside it.
struct Beside {
    parent: PathBuf,
    name: String,
}

impl Beside {
    fn of(out: &Path) -> Beside {
        Beside {
            parent: out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
            name: out
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "out".into()),
        }
    }

    fn path(&self, what: &str) -> PathBuf {
        self.parent.join(format!(".{}.graft-{what}", self.name))
    }
}

/// The lock on an output folder, held while it is replaced: an advisory
/// lock (`flock`) on a file beside it, which the system releases when the
/// process ends, however it ends. The file is removed when the lock is let
/// go.
pub(super) struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock on `out`, or says that another run holds it.
    fn take(out: &Path, beside: &Beside) -> Result<Lock, CliError> {
        let path = beside.path("lock");
        // A run that lets the lock go removes its file: one that opened
        // the file before then holds a lock on a file no longer there,
        // and must take it again on the file that is.
        for _ in 0..16 {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| CliError::io(&path, &e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(CliError::new(
                        format!(
                            "another graft run is writing `{}` (it holds `{}`)",
                            out.display(),
                            path.display()
                        ),
                        "wait for it to finish, or write to another folder; the lock goes when that run ends",
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(CliError::io(&path, &e)),
            }
            if same_file(&file, &path) {
                return Ok(Lock { file, path });
            }
        }
        Err(CliError::new(
            format!("cannot take the lock `{}`", path.display()),
            "other graft runs keep writing the same folder; run one at a time",
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so that no run takes a lock on a file
        // about to go; the lock itself goes with the file handle.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Writes the whole output tree beside `out` first, then swaps it in, under
/// `out`'s lock, so that a failure leaves `out` as it was and two runs
/// cannot interleave. What a run that was killed part way left beside `out`
/// is cleared first: a half-written new tree is removed, and the old tree
/// is put back if it never was.
pub(super) fn write_tree(out: &Path, files: &[(PathBuf, Content)]) -> Result<(), CliError> {
    let lock = lock(out)?;
    write_locked(out, files, &lock)
}

/// Takes `out`'s lock (creating its parent folder): a run holds it from
/// before it reads anything until it has written, so that a second run
/// into the same folder stops at once.
pub(super) fn lock(out: &Path) -> Result<Lock, CliError> {
    let beside = Beside::of(out);
    std::fs::create_dir_all(&beside.parent).map_err(|e| CliError::io(&beside.parent, &e))?;
    Lock::take(out, &beside)
}

/// [`write_tree`], under a lock already taken.
pub(super) fn write_locked(
    out: &Path,
    files: &[(PathBuf, Content)],
    _lock: &Lock,
) -> Result<(), CliError> {
    let beside = Beside::of(out);
    recover(out, &beside);
    let tmp = beside.path("new");
    let old = beside.path("old");
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(&tmp)?;
        for (rel, content) in files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            match content {
                Content::Text(text) => std::fs::write(&path, text)?,
                Content::Copy(from) => {
                    std::fs::copy(from, &path)?;
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(CliError::io(out, &e));
    }
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            CliError::io(out, &e)
        })?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(CliError::io(out, &e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Clears what a killed run left beside `out` (called under the lock).
fn recover(out: &Path, beside: &Beside) {
    let (tmp, old) = (beside.path("new"), beside.path("old"));
    let _ = std::fs::remove_dir_all(&tmp);
    if old.exists() {
        if out.exists() {
            let _ = std::fs::remove_dir_all(&old);
        } else {
            let _ = std::fs::rename(&old, out);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn text(s: &str) -> Content {
        Content::Text(s.to_string())
    }

    #[test]
    fn a_second_run_into_a_locked_folder_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_tree(&out, &[(PathBuf::from("HANDOFF.md"), text("first"))]).unwrap();
        let beside = Beside::of(&out);
        let held = Lock::take(&out, &beside).unwrap();
        let err = write_tree(&out, &[(PathBuf::from("HANDOFF.md"), text("second"))])
            .err()
            .unwrap();
        assert!(
            err.message.contains("another graft run is writing"),
            "{}",
            err.message
        );
        assert_eq!(
            std::fs::read_to_string(out.join("HANDOFF.md")).unwrap(),
            "first"
        );
        drop(held);
        assert!(
            !beside.path("lock").exists(),
            "the lock file goes with the lock"
        );
        write_tree(&out, &[(PathBuf::from("HANDOFF.md"), text("second"))]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("HANDOFF.md")).unwrap(),
            "second"
        );
    }

    #[test]
    fn what_a_killed_run_left_is_cleared_or_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let beside = Beside::of(&out);
        // Killed between moving the old tree aside and moving the new in.
        std::fs::create_dir_all(beside.path("old")).unwrap();
        std::fs::write(beside.path("old").join("HANDOFF.md"), "kept").unwrap();
        std::fs::create_dir_all(beside.path("new")).unwrap();
        std::fs::write(beside.path("new").join("half"), "").unwrap();
        recover(&out, &beside);
        assert_eq!(
            std::fs::read_to_string(out.join("HANDOFF.md")).unwrap(),
            "kept"
        );
        assert!(!beside.path("new").exists() && !beside.path("old").exists());
    }

    #[test]
    fn a_file_a_folder_of_inputs_or_a_folder_graft_did_not_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "mine").unwrap();
        let err = check_target(&file, &[]).err().unwrap();
        assert!(
            err.message.contains("is a file, not a folder"),
            "{}",
            err.message
        );

        let stack = dir.path().join("project/stack");
        std::fs::create_dir_all(&stack).unwrap();
        let err = check_target(&dir.path().join("project"), &[("the stack", &stack)])
            .err()
            .unwrap();
        assert!(err.message.contains("holds the stack"), "{}", err.message);
        let err = check_target(&stack, &[("the stack", &stack)])
            .err()
            .unwrap();
        assert!(err.message.contains("holds the stack"), "{}", err.message);
        // Through a path that is not the same text.
        let dotted = dir.path().join("project/stack/../../project");
        assert!(check_target(&dotted, &[("the stack", &stack)]).is_err());

        let other = dir.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        check_target(&other, &[("the stack", &stack)]).unwrap();
        std::fs::write(other.join("notes.txt"), "mine").unwrap();
        let err = check_target(&other, &[]).err().unwrap();
        assert!(
            err.message.contains("graft did not write it"),
            "{}",
            err.message
        );
        std::fs::write(other.join(HANDOFF), "").unwrap();
        check_target(&other, &[]).unwrap();
        check_target(&dir.path().join("new/deeper"), &[("the stack", &stack)]).unwrap();
    }
}
