//! `--format sarif`: the logs `graft check` and `graft plan` print are valid
//! SARIF 2.1.0 (checked against the OASIS schema with the reference JSON
//! Schema implementation), and say what the text output says.
//!
//! The schema comes from the npm registry (`@microsoft/jest-sarif` ships
//! it), fetched once into the target folder; the check runs Python's
//! `jsonschema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::graft;

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SCHEMA_PACKAGE: &str = "@microsoft/jest-sarif@1.0.0-beta.0";
const SCHEMA_IN_PACKAGE: &str = "package/lib/schemas/sarif-2.1.0-rtm.5.json";

/// The SARIF 2.1.0 schema, fetched from the npm registry on first use (once
/// per test process; unpacked beside its place and moved in, so that test
/// processes running at once never read half a file).
fn schema() -> PathBuf {
    static SCHEMA: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(fetch_schema).clone()
}

fn fetch_schema() -> PathBuf {
    common::unpacked(
        "sarif-schema",
        "sarif-2.1.0-rtm.5.json",
        SCHEMA_IN_PACKAGE,
        |work| {
            let packed = Command::new("npm")
                .args(["pack", "--silent", SCHEMA_PACKAGE, "--pack-destination"])
                .arg(work)
                .output()
                .unwrap_or_else(|e| {
                    panic!("the SARIF tests fetch the SARIF schema with npm, which did not start ({e}): install Node.js and npm (`apt-get install nodejs npm`)")
                });
            assert!(
                packed.status.success(),
                "`npm pack {SCHEMA_PACKAGE}` failed (the npm registry must be reachable):\n{}",
                String::from_utf8_lossy(&packed.stderr)
            );
            work.join(String::from_utf8_lossy(&packed.stdout).trim())
        },
    )
}

/// The schema's complaints about `log` (none when it is valid).
fn schema_errors(log: &str) -> String {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             log = json.load(sys.stdin)\n\
             v = jsonschema.Draft4Validator(schema)\n\
             for e in sorted(v.iter_errors(log), key=str):\n\
             \x20   print(list(e.absolute_path), e.message)\n",
        )
        .arg(schema())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the SARIF tests need Python 3 with jsonschema: python3 -m pip install jsonschema");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(log.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the schema check did not run (python3 -m pip install jsonschema):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs graft for a SARIF log: checks it against the schema and returns it.
fn sarif_of(dir: &Path, args: &[&str], code: i32) -> Json {
    let out = graft(dir, args);
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "graft {args:?}:\n{log}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors = schema_errors(&log);
    assert!(
        errors.is_empty(),
        "graft {args:?} printed invalid SARIF:\n{errors}\n{log}"
    );
    serde_json::from_str(&log).unwrap()
}

/// `graft plan --format sarif` of a stack with the shipped rules, from the
/// repository's root; the plan or the bindings have an error.
fn plan_sarif(bindings: &str, stack: &str) -> Json {
    let args = [
        "plan",
        "--format",
        "sarif",
        "--rules",
        "rules",
        "--bindings",
        bindings,
        stack,
    ];
    sarif_of(&common::root(), &args, 1)
}

fn results(log: &Json) -> &Vec<Json> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn check_prints_valid_sarif_with_every_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    // Errors with secondary labels and did-you-mean, a warning with a fix.
    let text = "service redis {\n  hostname: endpoint(default_port = 6379)\n  database: int(0..=15) = 16\n}\n\nservice spare {\n  hostname: string\n}\n\nmatch redis {\n  kubernetes Deploymnt if image ~ r\"redis\"\n}\n\nwhen redis is provided as c {\n  drop\n  bind host = c.hostnme.host\n}\n";
    std::fs::write(dir.path().join("broken.graft"), text).unwrap();
    let log = sarif_of(
        dir.path(),
        &["check", "--format", "sarif", "broken.graft"],
        1,
    );
    // The same diagnostics as the JSON report, in the same order.
    let json = graft(dir.path(), &["check", "--format", "json", "broken.graft"]);
    let json: Json = serde_json::from_slice(&json.stdout).unwrap();
    let codes = |v: &Vec<Json>, key: &str| -> Vec<String> {
        v.iter()
            .map(|d| d[key].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        codes(results(&log), "ruleId"),
        codes(json["diagnostics"].as_array().unwrap(), "code")
    );
    insta::assert_json_snapshot!("check", log);
}

#[test]
fn check_of_clean_rules_prints_a_log_with_no_results() {
    let log = sarif_of(&common::root(), &["check", "--format", "sarif", "rules"], 0);
    assert!(results(&log).is_empty(), "{log:#}");
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "graft");
}

#[test]
fn plan_prints_the_plans_problems_as_valid_sarif() {
    // A Compose project where a service still needs the dropped one's
    // network namespace: an error at its place in the stack.
    let fixture = "tests/apply/compose-dangling-network-mode";
    let log = plan_sarif(
        &format!("{fixture}/bindings.yaml"),
        &format!("{fixture}/stack"),
    );
    let levels: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"error"), "{log:#}");
    insta::assert_json_snapshot!("plan", log);
}

#[test]
fn plan_with_bad_bindings_prints_their_diagnostics_as_valid_sarif() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bindings.yaml"),
        "redis:\n  hostname: cache.example.com:6379\n  database: 16\n  pasword: hunter2\n",
    )
    .unwrap();
    let bindings = dir.path().join("bindings.yaml");
    let log = plan_sarif(bindings.to_str().unwrap(), "examples/shop/stack");
    let ids: Vec<&str> = results(&log)
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert!(ids.iter().any(|id| id.starts_with("E06")), "{log:#}");
    // The bindings file is named by an absolute path: a file URI.
    let uri = results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
}
