//! The VS Code extension in `editors/vscode`: its TypeScript compiles, its
//! TextMate grammar passes its tests (`vscode-tmgrammar-test`), and it
//! packages as a `.vsix` that holds the client and the grammar. Runs npm
//! (Node.js 18 or newer, with the npm registry reachable).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

fn npm(dir: &Path, args: &[&str]) {
    let output = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("this test builds the VS Code extension with npm, which did not start ({e}): install Node.js and npm (`apt-get install nodejs npm`) and run it again")
        });
    assert!(
        output.status.success(),
        "`npm {}` failed in {}:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_vscode_extension_builds_passes_its_grammar_tests_and_packages() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    // A copy, so that the build leaves the repository as it was.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if ["node_modules", "out"].contains(&name.to_str().unwrap_or("")) {
            continue;
        }
        copy(&entry.path(), &dir.path().join(&name));
    }
    let dir = dir.path();
    npm(dir, &["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    npm(dir, &["run", "compile"]);
    npm(dir, &["run", "test:grammar"]);
    npm(dir, &["run", "package"]);
    let vsix = dir.join("graft.vsix");
    let listing = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(&vsix)
        .output()
        .expect("python3 lists the .vsix (a zip)");
    assert!(listing.status.success(), "the .vsix is not a zip");
    let names = String::from_utf8_lossy(&listing.stdout);
    for wanted in [
        "extension/package.json",
        "extension/out/extension.js",
        "extension/syntaxes/graft.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(
            names.lines().any(|n| n == wanted),
            "{wanted} is not in the .vsix:\n{names}"
        );
    }
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}
