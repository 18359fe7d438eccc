//! `graft lsp` in a real editor: a headless Neovim (Debian's `neovim`, 0.7
//! or newer) with the shipped `editors/neovim` setup runs the scripts in
//! `tests/nvim/` against the built binary.
//! The script's exit status is the test's result.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERVICE: &str = "service redis {\n  hostname: endpoint(default_port = 6379)\n}\n";
const RULE: &str = "// café ☕: a rule\nmatch redis {\n  kubernetes StatefulSet if image ~ r\"^redis(:|$)\" {\n    host = service.dns\n  }\n}\n\nwhen rediss is provided as c {\n  drop\n  bind host = c.hostname.host\n}\n";

#[test]
fn neovim_shows_a_typo_and_clears_it_when_fixed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.graft"), SERVICE).unwrap();
    let rule = dir.path().join("b.graft");
    std::fs::write(&rule, RULE).unwrap();
    run_script("diagnostics.lua", dir.path(), &rule);
}

/// The check, on the shipped rules: in `redis.graft` (with the rest
/// of `rules/` beside it), a typed typo shows its did-you-mean at once, and
/// undoing it clears it.
#[test]
fn neovim_on_the_shipped_rules_a_typo_shows_at_once_and_undo_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "graft") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let output = run_script("typo_undo.lua", dir.path(), &dir.path().join("redis.graft"));
    println!("{output}");
}

/// Runs `tests/nvim/SCRIPT` in a headless Neovim on `file`, in `dir`; its
/// standard output, once it exits with success.
fn run_script(script: &str, dir: &Path, file: &Path) -> String {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "this test runs Neovim as a real LSP client: install it (`apt-get install neovim`) and run it again"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/nvim")
        .join(script);
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("GRAFT_BIN", env!("CARGO_BIN_EXE_graft"))
        .env("GRAFT_RULE_FILE", file)
        .env(
            "GRAFT_NVIM_PLUGIN",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/neovim"),
        )
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("Neovim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    assert!(
        status.success(),
        "Neovim failed ({status}):\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
