#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! The hostile input corpus: each folder under `tests/hostile/` is one case,
//! run as the `graft` binary in a copy of the folder. A case holds:
//!
//! - `args`: the command line, one line; `{rules}` is the shipped rules
//!   folder, `{shop}` the shipped example's stack;
//! - `setup` (optional): inputs made when the case runs, one per line, for
//!   what is too large, too odd or too dangerous to keep in git:
//!   `nest FILE DEPTH` (a flow collection nested DEPTH deep),
//!   `binary FILE MIB` (bytes that are not UTF-8), `sparse FILE MIB` (a
//!   file of zeros with no blocks on disk), `manifests FILE COUNT`
//!   (ConfigMaps), `rules FILE COUNT` (services and matchers),
//!   `symlink LINK TARGET`, `fifo FILE`, `lock OUT` (another run holds the
//!   output folder's lock while this one runs), `copy FROM TO` (from the
//!   repository);
//! - `before/` (optional): the output folder as it is before the run;
//! - `secrets` (optional): files whose lines must appear in nothing graft
//!   prints or writes (a private key given as a CA, a canary value);
//! - the inputs.
//!
//! Every case must end within a minute under a 4 GiB address-space limit,
//! with exit code 0, 1 or 2 and no panic; leave nothing beside its output
//! folder; and, when it fails, leave the output folder exactly as it was.
//! The snapshot holds what users see: the exit code, standard output and
//! standard error, and what the output folder holds afterwards.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);
const ADDRESS_SPACE_KIB: u64 = 4 * 1024 * 1024;

fn setup(dir: &Path, line: &str) -> Option<std::fs::File> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let path = |i: usize| dir.join(words[i]);
    let number = |i: usize| words[i].parse::<usize>().unwrap();
    let parent = |p: &Path| std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    match words.as_slice() {
        [] => {}
        ["nest", _, _] => {
            let depth = number(2);
            parent(&path(1));
            let text = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
            std::fs::write(path(1), text).unwrap();
        }
        ["nestparens", _, _] => {
            let depth = number(2);
            parent(&path(1));
            let text = format!(
                "locals {{\n  x = {}1{}\n}}\n",
                "(".repeat(depth),
                ")".repeat(depth)
            );
            std::fs::write(path(1), text).unwrap();
        }
        ["nestrules", _, _] => {
            let depth = number(2);
            parent(&path(1));
            let text = format!(
                "service s {{\n  host: endpoint(default_port = 1)\n}}\n\nmatch s {{\n  kubernetes Deployment if {}image ~ r\"x\"{} {{\n    host = service.dns\n  }}\n}}\n",
                "(".repeat(depth),
                ")".repeat(depth)
            );
            std::fs::write(path(1), text).unwrap();
        }
        ["longline", _, _] => {
            parent(&path(1));
            let data: Vec<String> = (0..number(2) * 16)
                .map(|i| format!("\"key-{i:05}\": \"{}\"", "v".repeat(48)))
                .collect();
            let text = format!(
                "{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"minified\"}}, \"data\": {{{}, \"last\" \"value\"}}}}\n",
                data.join(", ")
            );
            std::fs::write(path(1), text).unwrap();
        }
        ["longimage", _, _] => {
            parent(&path(1));
            let text = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {}b\n",
                "a".repeat(number(2))
            );
            std::fs::write(path(1), text).unwrap();
        }
        ["binary", _, _] => {
            parent(&path(1));
            let mut f = std::fs::File::create(path(1)).unwrap();
            let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i % 7) as u8 | 0x80).collect();
            for _ in 0..number(2) {
                f.write_all(&chunk).unwrap();
            }
        }
        ["sparse", _, _] => {
            parent(&path(1));
            let f = std::fs::File::create(path(1)).unwrap();
            f.set_len(number(2) as u64 * 1024 * 1024).unwrap();
        }
        ["manifests", _, _] => {
            parent(&path(1));
            let mut text = String::new();
            for i in 0..number(2) {
                text.push_str(&format!(
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-{i}\ndata:\n  key: value-{i}\n"
                ));
            }
            std::fs::write(path(1), text).unwrap();
        }
        ["rules", _, _] => {
            parent(&path(1));
            let mut text = String::new();
            for i in 0..number(2) {
                text.push_str(&format!(
                    "/// Service {i}.\nservice s{i} {{\n  host: endpoint(default_port = {})\n}}\n\nmatch s{i} {{\n  kubernetes Deployment if image ~ r\"^s{i}(:|$)\" {{\n    host = service.dns\n  }}\n}}\n\nwhen s{i} is provided as c {{\n  drop\n  bind host = c.host.host\n}}\n\n",
                    1000 + i % 60000
                ));
            }
            std::fs::write(path(1), text).unwrap();
        }
        ["symlink", _, target] => {
            parent(&path(1));
            std::os::unix::fs::symlink(target, path(1)).unwrap();
        }
        ["fifo", _] => {
            parent(&path(1));
            let ok = Command::new("mkfifo").arg(path(1)).status().unwrap();
            assert!(ok.success(), "mkfifo failed");
        }
        ["lock", out] => {
            let lock = dir.join(format!(".{out}.graft-lock"));
            let file = std::fs::File::create(lock).unwrap();
            file.try_lock().unwrap();
            return Some(file);
        }
        ["copy", from, _] => {
            let from = common::root().join(from);
            if from.is_dir() {
                common::copy_tree(&from, &path(2));
            } else {
                parent(&path(2));
                std::fs::copy(from, path(2)).unwrap();
            }
        }
        _ => panic!("unknown setup line `{line}`"),
    }
    None
}

/// Every path under `dir` (files, folders, links), relative, with a file's
/// bytes.
fn listing(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().to_string();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(&p, root, out);
            } else if meta.is_file() && meta.len() < 16 * 1024 * 1024 {
                out.insert(rel, Some(std::fs::read(&p).unwrap()));
            } else {
                out.insert(rel, None);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What the output folder holds, for the snapshot: each file, with its
/// size and whether it starts with a byte-order mark or has CRLF line ends.
fn describe_out(out: &Path) -> String {
    if !out.exists() {
        return "(no output folder)\n".into();
    }
    let mut text = String::new();
    for (path, bytes) in listing(out) {
        match bytes {
            None => text.push_str(&format!("{path}\n")),
            Some(b) => {
                let mut marks = Vec::new();
                if b.starts_with(b"\xEF\xBB\xBF") {
                    marks.push("BOM");
                }
                if b.windows(2).any(|w| w == b"\r\n") {
                    marks.push("CRLF");
                }
                let marks = if marks.is_empty() {
                    String::new()
                } else {
                    format!(", {}", marks.join(", "))
                };
                text.push_str(&format!("{path} ({} bytes{marks})\n", b.len()));
            }
        }
    }
    text
}

fn run_case(case: &Path) -> Result<String, String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(&name);
    common::copy_tree(case, &dir);
    let mut held = Vec::new();
    if let Ok(lines) = std::fs::read_to_string(dir.join("setup")) {
        for line in lines.lines() {
            held.extend(setup(&dir, line));
        }
    }
    let out = dir.join("out");
    if dir.join("before").is_dir() {
        common::copy_tree(&dir.join("before"), &out);
    }
    let before_out = out.exists().then(|| listing(&out));
    let before_dir: Vec<String> = listing(&dir)
        .into_keys()
        .filter(|p| !p.starts_with("out/"))
        .collect();
    let root = common::root();
    let args = std::fs::read_to_string(dir.join("args")).map_err(|e| format!("no args: {e}"))?;
    let args: Vec<String> = args
        .split_whitespace()
        .map(|a| {
            a.replace("{rules}", &root.join("rules").display().to_string())
                .replace(
                    "{shop}",
                    &root.join("examples/shop/stack").display().to_string(),
                )
        })
        .collect();
    // Under a limit on the address space, so that a run that would take
    // all the memory fails instead.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_graft"))
        .args(&args)
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut so, mut se) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut buf).unwrap();
        buf
    });
    let ereader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut buf).unwrap();
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not end within {} s", LIMIT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&ereader.join().unwrap()).into_owned();
    drop(held);
    let code = status.code();
    if !matches!(code, Some(0..=2)) {
        return Err(format!(
            "ended with {status} (exit 0, 1 or 2 expected)\n{stderr}"
        ));
    }
    if stderr.contains("panicked") {
        return Err(format!("panicked:\n{stderr}"));
    }
    let after_dir: Vec<String> = listing(&dir)
        .into_keys()
        .filter(|p| !p.starts_with("out/") && !p.starts_with(".out.graft-lock"))
        .collect();
    let left: Vec<&String> = after_dir
        .iter()
        .filter(|p| !before_dir.contains(p) && p.as_str() != "out/")
        .collect();
    if !left.is_empty() {
        return Err(format!("left behind: {left:?}"));
    }
    if code != Some(0) && out.exists().then(|| listing(&out)) != before_out {
        return Err("failed, and the output folder is not as it was".into());
    }
    let shown = describe_out(&out);
    if let Ok(list) = std::fs::read_to_string(dir.join("secrets")) {
        let written: String = listing(&out)
            .into_values()
            .flatten()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        for file in list.lines().filter(|l| !l.trim().is_empty()) {
            let secret = std::fs::read_to_string(dir.join(file.trim())).unwrap();
            for line in secret.lines().map(str::trim) {
                if line.len() < 8 || line.starts_with("-----") {
                    continue;
                }
                for (what, text) in [
                    ("standard output", &stdout),
                    ("standard error", &stderr),
                    ("the output", &written),
                ] {
                    if text.contains(line) {
                        return Err(format!("{what} shows a line of the secret {file}"));
                    }
                }
            }
        }
    }
    let clean = |s: &str| {
        s.replace(&dir.display().to_string(), "[case]")
            .replace(&root.display().to_string(), "[repo]")
    };
    Ok(format!(
        "exit: {}\n--- stdout\n{}\n--- stderr\n{}\n--- out\n{}",
        code.unwrap_or(-1),
        clean(&stdout),
        clean(&stderr),
        shown
    ))
}

#[test]
fn hostile_inputs_get_clear_errors_and_change_nothing() {
    let corpus = common::root().join("tests/hostile");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 50, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        match run_case(case) {
            Ok(report) => {
                let settings = insta::Settings::clone_current();
                settings.bind(|| {
                    if let Err(e) = std::panic::catch_unwind(|| {
                        insta::assert_snapshot!(name.clone(), report);
                    }) {
                        failures.push(format!("{name}: snapshot differs ({e:?})"));
                    }
                });
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
