//! `graft test`: the shipped rules library passes its own tests, a broken
//! expectation fails with a readable diff, `--update` writes expectations,
//! cases that cannot run say why, and the JUnit XML is valid against the
//! JUnit schema CI reporters read (Jenkins' `junit-10.xsd`), failing cases
//! included.
//!
//! The schema comes from PyPI (pytest's source distribution carries it for
//! its own JUnit tests), fetched once into the target folder; the check runs
//! Python's `xmlschema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{copy_tree, graft, stderr, stdout, timings_as};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const PYTEST_SDIST: &str = "pytest==8.3.4";
const SCHEMA_IN_SDIST: &str = "pytest-8.3.4/testing/example_scripts/junit-10.xsd";

/// A copy of the shipped rules (and their tests) in a fresh folder.
fn rules_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&common::root().join("rules"), &tmp.path().join("rules"));
    tmp
}

/// A minimal suite: one rule file and one Kubernetes case, without
/// expectations.
fn small_suite(dir: &Path) {
    let rules = dir.join("rules");
    std::fs::create_dir_all(rules.join("tests/web/stack")).unwrap();
    std::fs::write(
        rules.join("redis.graft"),
        r#"service redis {
  hostname: endpoint(default_port = 6379)
}
match redis {
  kubernetes Deployment if image ~ r"^redis(:|$)" {
    host = service.dns
    port = service.port
  }
}
when redis is provided as c {
  drop
  bind host = c.hostname.host
  bind port = c.hostname.port
}
"#,
    )
    .unwrap();
    std::fs::write(
        rules.join("tests/web/bindings.yaml"),
        "redis:\n  hostname: cache.example.com:6380\n",
    )
    .unwrap();
    std::fs::write(
        rules.join("tests/web/stack/app.yaml"),
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: "redis:7"}]
---
apiVersion: v1
kind: Service
metadata: {name: cache}
spec:
  selector: {app: cache}
  ports: [{port: 6379}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/web:1
          env:
            - name: CACHE_HOST
              value: cache
            - name: CACHE_PORT
              value: "6379"
"#,
    )
    .unwrap();
}

#[test]
fn the_shipped_rules_pass_their_tests() {
    let root = common::root();
    let out = graft(&root, &["test", "rules/"]);
    assert!(
        out.status.success(),
        "graft test rules/ failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("test result: ok."),
        "{}",
        stdout(&out)
    );
    let junit = graft(&root, &["test", "rules/", "--format", "junit"]);
    assert!(junit.status.success());
    assert_valid_junit(&stdout(&junit));
    let counts = junit_counts(&stdout(&junit));
    assert!(counts.0 >= 8, "too few cases: {counts:?}");
    assert_eq!((counts.1, counts.2), (0, 0));
}

#[test]
fn a_broken_expectation_fails_with_a_readable_diff() {
    let tmp = tempfile::tempdir().unwrap();
    small_suite(tmp.path());
    let first = graft(tmp.path(), &["test", "--update"]);
    assert!(first.status.success(), "{}", stdout(&first));
    assert!(stdout(&first).contains("case web ... updated"));
    let case = tmp.path().join("rules/tests/web");
    assert!(case.join("plan.txt").is_file());
    assert!(case.join("expected/app.yaml").is_file());
    assert!(case.join("expected/HANDOFF.md").is_file());
    let again = graft(tmp.path(), &["test"]);
    assert!(again.status.success(), "{}", stdout(&again));

    // The expected output says another host, and the plan another port.
    let file = case.join("expected/app.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("cache.example.com", "cache.example.org"),
    )
    .unwrap();
    let plan = case.join("plan.txt");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("->  6380", "->  6381")).unwrap();
    let failed = graft(tmp.path(), &["test"]);
    assert_eq!(failed.status.code(), Some(1));
    insta::assert_snapshot!("broken_expectation", timings_as(&stdout(&failed), "(TIME)"));

    // The failing case is well-formed JUnit, with its diff in it.
    let junit = graft(tmp.path(), &["test", "--format", "junit"]);
    assert_eq!(junit.status.code(), Some(1));
    let xml = stdout(&junit);
    assert_valid_junit(&xml);
    assert_eq!(junit_counts(&xml), (1, 1, 0));
    assert!(
        xml.contains("-              value: cache.example.org"),
        "{xml}"
    );

    let json = graft(tmp.path(), &["test", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["failed"], 1);
    let case = &v["suites"][0]["cases"][0];
    assert_eq!(case["status"], "failed");
    let kinds: Vec<&str> = case["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["plan", "differs"]);

    // --update accepts it again.
    let updated = graft(tmp.path(), &["test", "--update"]);
    assert!(updated.status.success());
    assert!(stdout(&updated).contains("case web ... updated"));
    assert!(graft(tmp.path(), &["test"]).status.success());
}

#[test]
fn missing_and_extra_files_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    small_suite(tmp.path());
    assert!(graft(tmp.path(), &["test", "--update"]).status.success());
    let case = tmp.path().join("rules/tests/web");
    std::fs::remove_file(case.join("expected/HANDOFF.md")).unwrap();
    std::fs::write(case.join("expected/other.yaml"), "kind: ConfigMap\n").unwrap();
    let out = graft(tmp.path(), &["test", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let failures: Vec<(String, String)> = v["suites"][0]["cases"][0]["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        failures,
        [
            ("missing".to_string(), "expected/other.yaml".to_string()),
            ("unexpected".to_string(), "expected/HANDOFF.md".to_string()),
        ]
    );
    // --update makes expected/ the output again, whole.
    assert!(graft(tmp.path(), &["test", "--update"]).status.success());
    assert!(!case.join("expected/other.yaml").exists());
    assert!(case.join("expected/HANDOFF.md").is_file());
}

#[test]
fn a_case_whose_plan_fails_expects_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    small_suite(tmp.path());
    let case = tmp.path().join("rules/tests/web");
    assert!(graft(tmp.path(), &["test", "--update"]).status.success());
    assert!(case.join("expected").is_dir());
    // A database the service does not declare: the bindings are wrong.
    std::fs::write(
        case.join("bindings.yaml"),
        "redis:\n  hostname: cache.example.com:6380\n  databse: 3\n",
    )
    .unwrap();
    let failed = graft(tmp.path(), &["test"]);
    assert_eq!(failed.status.code(), Some(1));
    let text = stdout(&failed);
    assert!(
        text.contains("expected/app.yaml: the case expects this file, but nothing was written"),
        "{text}"
    );
    assert!(graft(tmp.path(), &["test", "--update"]).status.success());
    assert!(
        !case.join("expected").exists(),
        "a failing plan writes nothing"
    );
    let plan = std::fs::read_to_string(case.join("plan.txt")).unwrap();
    assert!(plan.contains("databse"), "{plan}");
    assert!(
        plan.contains("bindings.yaml:3:3"),
        "named relative to the case: {plan}"
    );
    assert!(graft(tmp.path(), &["test"]).status.success());
}

#[test]
fn cases_that_cannot_run_say_why() {
    let tmp = tempfile::tempdir().unwrap();
    small_suite(tmp.path());
    std::fs::create_dir_all(tmp.path().join("rules/tests/lonely/stack")).unwrap();
    std::fs::write(
        tmp.path().join("rules/tests/lonely/stack/a.yaml"),
        "kind: ConfigMap\n",
    )
    .unwrap();
    let out = graft(tmp.path(), &["test", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert_valid_junit(&xml);
    assert_eq!(junit_counts(&xml), (2, 1, 1));
    assert!(xml.contains("the case has no bindings file"), "{xml}");

    // Rules with errors: no case runs, the diagnostics are shown once.
    std::fs::remove_dir_all(tmp.path().join("rules/tests/lonely")).unwrap();
    std::fs::write(tmp.path().join("rules/broken.graft"), "when nothing {\n").unwrap();
    let out = graft(tmp.path(), &["test"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("case web ... ERROR"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("the rules in `rules` have errors"));
    assert!(stderr(&out).contains("broken.graft"), "{}", stderr(&out));
}

#[test]
fn paths_name_rules_folders_tests_folders_cases_or_rule_files() {
    let tmp = tempfile::tempdir().unwrap();
    small_suite(tmp.path());
    assert!(graft(tmp.path(), &["test", "--update"]).status.success());
    for args in [
        vec!["test"],
        vec!["test", "rules"],
        vec!["test", "rules/tests"],
        vec!["test", "rules/tests/web"],
        vec!["test", "rules/redis.graft"],
        vec!["test", "rules", "rules/tests/web"],
    ] {
        let out = graft(tmp.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stdout(&out).contains("running 1 case of `"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    // From inside the case.
    let out = graft(&tmp.path().join("rules/tests/web"), &["test", "."]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    for (args, message) in [
        (vec!["test", "nowhere"], "`nowhere` does not exist"),
        (
            vec!["test", "rules/tests/web/bindings.yaml"],
            "is not a rule file or folder",
        ),
    ] {
        let out = graft(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("help:"), "{}", stderr(&out));
    }
    std::fs::remove_dir_all(tmp.path().join("rules/tests")).unwrap();
    let out = graft(tmp.path(), &["test"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no rule tests"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_library_copy_fails_when_a_rule_changes_behaviour() {
    // Change what the shipped Redis rules inject: the Kubernetes case of
    // the library must fail, naming the variable.
    let tmp = rules_copy();
    let file = tmp.path().join("rules/redis.graft");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("as env REDIS_PASSWORD"));
    std::fs::write(
        &file,
        text.replace("as env REDIS_PASSWORD", "as env REDIS_PASS"),
    )
    .unwrap();
    let out = graft(tmp.path(), &["test", "rules"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("+            - name: REDIS_PASS\n"), "{text}");
    assert!(text.contains("help: where the new output is right, accept it: graft test --update"));
}

/// (tests, failures, errors) of a JUnit document's root.
fn junit_counts(xml: &str) -> (usize, usize, usize) {
    let attr = |name: &str| -> usize {
        let re = regex::Regex::new(&format!(r#"<testsuites [^>]*\b{name}="(\d+)""#)).unwrap();
        re.captures(xml).unwrap()[1].parse().unwrap()
    };
    (attr("tests"), attr("failures"), attr("errors"))
}

/// Parses `xml` and validates it against the JUnit schema.
fn assert_valid_junit(xml: &str) {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xmlschema\n\
             schema = xmlschema.XMLSchema(sys.argv[1])\n\
             doc = sys.stdin.read()\n\
             errors = list(schema.iter_errors(doc))\n\
             for e in errors:\n\
             \x20   print(e.reason, e.path)\n\
             sys.exit(1 if errors else 0)\n",
        )
        .arg(schema())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 did not start ({e}): install Python 3"));
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("No module named 'xmlschema'"),
        "the JUnit test validates with Python's xmlschema: pip install xmlschema"
    );
    assert!(
        out.status.success(),
        "the JUnit output is not valid:\n{}{err}\n{xml}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Jenkins' JUnit schema, from pytest's source distribution on PyPI,
/// fetched on first use (once per test process; moved into place whole).
fn schema() -> PathBuf {
    static SCHEMA: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(fetch_schema).clone()
}

fn fetch_schema() -> PathBuf {
    common::unpacked("junit-schema", "junit-10.xsd", SCHEMA_IN_SDIST, |work| {
        let fetched = Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-binary",
                ":all:",
                PYTEST_SDIST,
                "-d",
            ])
            .arg(work)
            .output()
            .unwrap_or_else(|e| panic!("python3 did not start ({e}): install Python 3 and pip"));
        assert!(
            fetched.status.success(),
            "`pip download {PYTEST_SDIST}` failed (PyPI must be reachable):\n{}",
            String::from_utf8_lossy(&fetched.stderr)
        );
        work.join("pytest-8.3.4.tar.gz")
    })
}
