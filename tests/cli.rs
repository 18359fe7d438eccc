//! End-to-end tests of the `graft` binary: exit codes, what it prints, and
//! bad input of every kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{stderr, stdout};

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn graft(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graft"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

const BROKEN: &str = r#"service redis {
  hostname: endpoint(default_port = 6379)
  auth: secret
  database: int(0..=15) = 16
}

match redis {
  kubernetes Deploymnt if image ~ r"redis"
}

when redis is provided as c {
  drop
  set env REDIS_PASSWORD = c.auth
  bind host = c.hostnme.host
}
"#;

#[test]
fn check_of_the_shipped_rules_exits_0_and_prints_nothing() {
    let o = graft(&common::root(), &["check", "rules/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "");
    // With no paths, `rules/` is checked.
    let o = graft(&common::root(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn every_independent_error_is_reported_with_its_span_and_help() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.graft"), BROKEN).unwrap();
    let o = graft(dir.path(), &["--color", "never", "check", "broken.graft"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for code in ["E0202", "E0106", "E0301", "E0103"] {
        assert!(
            err.contains(&format!("error[{code}]")),
            "{code} missing from:\n{err}"
        );
    }
    assert!(err.contains("broken.graft:4:27"), "{err}");
    assert!(err.matches("= help:").count() >= 4, "{err}");
    assert!(err.trim_end().ends_with("4 errors in 1 file"), "{err}");
    assert!(!err.contains('\u{1b}'), "colour with --color never");
}

#[test]
fn json_output_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.graft"), BROKEN).unwrap();
    let o = graft(dir.path(), &["check", "--format", "json", "broken.graft"]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(report["summary"]["errors"], 4);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(diagnostics.len(), 4);
    assert_eq!(report["summary"]["files"], 1);
    let d = diagnostics.iter().find(|d| d["code"] == "E0202").unwrap();
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "broken.graft");
    assert_eq!(d["message"], "default for `database` is out of range");
    assert_eq!(d["start"]["line"], 4);
    assert_eq!(d["start"]["column"], 27);
    assert_eq!(d["end"]["column"], 29);
    let start = d["range"]["start"].as_u64().unwrap() as usize;
    let end = d["range"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&BROKEN[start..end], "16");
    assert!(d["labels"].as_array().unwrap()[0]["message"].is_string());
    assert!(d["help"].is_string());
    let typo = diagnostics.iter().find(|d| d["code"] == "E0106").unwrap();
    assert_eq!(typo["fix"]["edits"][0]["replacement"], "Deployment");
    assert_eq!(stderr(&o), "");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.graft"), BROKEN).unwrap();
    let o = graft(dir.path(), &["--color", "always", "check", "broken.graft"]);
    assert!(stderr(&o).contains('\u{1b}'));
    // Not a terminal: no colour by default.
    let o = graft(dir.path(), &["check", "broken.graft"]);
    assert!(!stderr(&o).contains('\u{1b}'));
}

#[test]
fn paths_that_do_not_exist_or_hold_no_rules_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let o = graft(dir.path(), &["check", "nowhere/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`nowhere/` does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("help:"));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    std::fs::write(dir.path().join("empty/notes.txt"), "no rules here").unwrap();
    let o = graft(dir.path(), &["check", "empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no `.graft` files in `empty`"),
        "{}",
        stderr(&o)
    );
    // No paths and no rules/ folder.
    let o = graft(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no `rules/` folder"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(graft(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        graft(dir.path(), &["check", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(graft(dir.path(), &[]).status.code(), Some(2));
    assert_eq!(graft(dir.path(), &["--help"]).status.code(), Some(0));
    assert_eq!(graft(dir.path(), &["--version"]).status.code(), Some(0));
}

#[test]
fn empty_garbage_and_invalid_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("empty.graft"), "").unwrap();
    let o = graft(p, &["check", "empty.graft"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 9) as u8)
        .collect();
    std::fs::write(p.join("garbage.graft"), &garbage).unwrap();
    let o = graft(p, &["check", "garbage.graft"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0002"), "{}", stderr(&o));
    std::fs::write(
        p.join("deep.graft"),
        format!("when a is provided {{ drop if {}x }}", "(".repeat(10_000)),
    )
    .unwrap();
    let o = graft(p, &["check", "deep.graft"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0004"), "{}", stderr(&o));
    std::fs::write(
        p.join("open.graft"),
        "service a {\n  x: string = \"never closed\n",
    )
    .unwrap();
    let o = graft(p, &["check", "open.graft"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0003"), "{}", stderr(&o));
    std::fs::write(p.join("comment.graft"), "/* never closed\n").unwrap();
    let o = graft(p, &["check", "comment.graft"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line comments"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_rules_folder_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(
        common::root().join("rules/redis.graft"),
        rules.join("redis.graft"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&rules, rules.join("loop")).unwrap();
    let o = graft(dir.path(), &["check", "rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn fmt_check_names_the_files_that_would_change() {
    let o = graft(&common::root(), &["fmt", "--check", "rules/"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let messy = "service a{x:int}\n";
    std::fs::write(dir.path().join("messy.graft"), messy).unwrap();
    std::fs::write(dir.path().join("tidy.graft"), "service b {\n  x: int\n}\n").unwrap();
    let o = graft(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "would reformat ./messy.graft\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("messy.graft")).unwrap(),
        messy
    );
    // Without --check the file is rewritten, and then it is tidy.
    let o = graft(dir.path(), &["fmt", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("messy.graft")).unwrap(),
        "service a {\n  x: int\n}\n"
    );
    assert_eq!(
        graft(dir.path(), &["fmt", "--check", "."]).status.code(),
        Some(0)
    );
}

#[test]
fn fmt_leaves_a_file_with_syntax_errors_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = "service a {\n  x int\n}\n";
    std::fs::write(dir.path().join("bad.graft"), text).unwrap();
    let o = graft(dir.path(), &["fmt", "bad.graft"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0001"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bad.graft")).unwrap(),
        text
    );
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn fmt_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graft"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"service a{x:int // why\n}")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "service a {\n  x: int // why\n}\n");
}

#[test]
fn schema_prints_the_bindings_schema() {
    let o = graft(&common::root(), &["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(schema["properties"]["redis"]["properties"]["database"]["maximum"] == 15);
    let o = graft(&common::root(), &["schema", "valkey"]);
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(schema["properties"].as_object().unwrap().len(), 1);
    let o = graft(&common::root(), &["schema", "rediss"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `redis`?"),
        "{}",
        stderr(&o)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/broken.graft"), BROKEN).unwrap();
    let o = graft(dir.path(), &["schema"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no schema to print"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[cfg(unix)]
#[test]
fn a_device_named_like_a_rule_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.graft")).unwrap();
    let o = graft(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a regular file"),
        "{}",
        stderr(&o)
    );
}

/// A copy of the shipped example in a temporary folder, to break.
fn example_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for sub in ["stack", "certs"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(root.join("examples/shop").join(sub)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(
        root.join("examples/shop/bindings.yaml"),
        dir.path().join("bindings.yaml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::copy(
        root.join("rules/redis.graft"),
        dir.path().join("rules/redis.graft"),
    )
    .unwrap();
    dir
}

fn apply_args(bindings: &str) -> Vec<&str> {
    vec![
        "apply",
        "stack",
        "--rules",
        "rules",
        "--bindings",
        bindings,
        "--out",
        "out",
    ]
}

#[test]
fn apply_runs_on_a_copy_of_the_example() {
    let dir = example_copy();
    let o = graft(dir.path(), &apply_args("bindings.yaml"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("out/HANDOFF.md").is_file());
}

#[cfg(unix)]
#[test]
fn apply_refuses_a_device_as_bindings_and_writes_nothing() {
    let dir = example_copy();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();
    let o = graft(dir.path(), &apply_args("zero.yaml"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a regular file") && stderr(&o).contains("a bindings file"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn apply_refuses_a_folder_as_bindings_and_a_manifest_that_is_not_utf8() {
    let dir = example_copy();
    let o = graft(dir.path(), &apply_args("stack"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));

    std::fs::write(dir.path().join("stack/latin1.yaml"), b"name: caf\xe9\n").unwrap();
    let o = graft(dir.path(), &apply_args("bindings.yaml"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("latin1.yaml` is not UTF-8 (invalid byte at offset 9)")
            && stderr(&o).contains("save a manifest as UTF-8"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn apply_says_when_a_stack_folder_holds_no_stack_files() {
    let dir = example_copy();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let mut args = apply_args("bindings.yaml");
    args[1] = "empty";
    let o = graft(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no stack files in"), "{}", stderr(&o));
}

/// A folder with the shipped Redis rules (`rules/`), `files` (path, text)
/// and a bindings file of a customer with an SSM password and `hostname`.
fn terraform_project(files: &[(&str, &str)], hostname: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("rules")).unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/redis.graft");
    std::fs::copy(rules, root.join("rules/redis.graft")).unwrap();
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        root.join("bindings.yaml"),
        format!("redis:\n  hostname: {hostname}\n  auth: {{ secret: {{ store: aws-ssm, name: /shop/redis }} }}\n"),
    )
    .unwrap();
    dir
}

/// The other files of a Terraform stack folder (a script read by `file()`,
/// the lock file, an archive) come along into the output as they are; the
/// provider cache, state files and a dropped module's folder do not, and
/// neither does the output folder itself when it is inside the stack.
#[test]
fn apply_carries_a_terraform_stacks_other_files() {
    let main = "module \"cache\" {\n  source = \"./modules/cache\"\n}\n\nresource \"aws_instance\" \"app\" {\n  ami       = \"ami-123\"\n  user_data = templatefile(\"${path.module}/scripts/init.sh\", { redis = module.cache.host })\n}\n";
    let cache = "resource \"aws_elasticache_replication_group\" \"this\" {\n  replication_group_id = \"shop\"\n  description          = \"shop\"\n  engine               = \"redis\"\n}\n\noutput \"host\" {\n  value = aws_elasticache_replication_group.this.primary_endpoint_address\n}\n";
    let dir = terraform_project(
        &[
            ("stack/main.tf", main),
            ("stack/modules/cache/main.tf", cache),
            ("stack/modules/cache/README.md", "the cache\n"),
            ("stack/scripts/init.sh", "#!/bin/sh\necho ${redis}\n"),
            ("stack/.terraform.lock.hcl", "# lock\n"),
            ("stack/.terraform/providers/x", "cache\n"),
            ("stack/terraform.tfstate", "{}\n"),
        ],
        "cache.customer.example:6380",
    );
    let root = dir.path();
    std::fs::write(
        root.join("stack/lambda.zip"),
        [0x50, 0x4b, 0x03, 0x04, 0xff, 0x00],
    )
    .unwrap();
    let args = [
        "apply",
        "stack",
        "--rules",
        "rules",
        "--bindings",
        "bindings.yaml",
        "--out",
        "stack/out",
    ];
    let o = graft(root, &args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = root.join("stack/out");
    let read = |p: &str| std::fs::read(out.join(p)).ok();
    assert_eq!(
        read("scripts/init.sh").as_deref(),
        Some(&b"#!/bin/sh\necho ${redis}\n"[..])
    );
    assert_eq!(
        read(".terraform.lock.hcl").as_deref(),
        Some(&b"# lock\n"[..])
    );
    assert_eq!(
        read("lambda.zip").as_deref(),
        Some(&[0x50, 0x4b, 0x03, 0x04, 0xff, 0x00][..])
    );
    for absent in [
        ".terraform/providers/x",
        "terraform.tfstate",
        "modules/cache/README.md",
        "modules/cache/main.tf",
        "out/main.tf",
    ] {
        assert!(
            read(absent).is_none(),
            "{absent} should not be in the output"
        );
    }
    // Run again with the output inside the stack: it is not read or carried.
    let again = graft(root, &args);
    assert!(
        again.status.success(),
        "{}{}",
        stdout(&again),
        stderr(&again)
    );
    assert!(read("out/scripts/init.sh").is_none());
}

/// A Compose project: only its Compose files are read (a `package.json` in a
/// build context is not a stack file); its other files come along (the
/// build context, `.env`, an env file of another name, `.dockerignore`,
/// other hidden files), but not the password file that only the dropped
/// Redis read, and not `.git/`.
#[test]
fn apply_carries_a_compose_projects_other_files() {
    let compose = "services:\n  redis:\n    image: redis:7\n    secrets:\n      - redis-password\n  web:\n    build: ./web\n    environment:\n      REDIS_URL: redis://redis:6379/0\n    env_file:\n      - .env\n      - .env.production\n    depends_on:\n      - redis\n\nsecrets:\n  redis-password:\n    file: ./secrets/redis-password.txt\n";
    let dir = terraform_project(
        &[
            ("stack/compose.yaml", compose),
            ("stack/web/Dockerfile", "FROM node:22\n"),
            ("stack/web/package.json", "{ \"name\": \"web\" }\n"),
            ("stack/.env", "LOG_LEVEL=info\n"),
            ("stack/.env.production", "WORKERS=4\n"),
            ("stack/.dockerignore", "node_modules\n"),
            ("stack/.gitignore", "*.log\n"),
            ("stack/.docker/daemon.json", "{}\n"),
            ("stack/.git/HEAD", "ref: refs/heads/main\n"),
            ("stack/secrets/redis-password.txt", "not-a-real-password\n"),
        ],
        "cache.customer.example:6380",
    );
    let root = dir.path();
    let args = [
        "apply",
        "stack",
        "--rules",
        "rules",
        "--bindings",
        "bindings.yaml",
        "--out",
        "out",
    ];
    let o = graft(root, &args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = root.join("out");
    let read = |p: &str| std::fs::read_to_string(out.join(p)).ok();
    let written = read("compose.yaml").unwrap();
    assert!(
        written.contains("rediss://cache.customer.example:6380/0") && !written.contains("redis:7"),
        "{written}"
    );
    assert_eq!(
        read("web/package.json").as_deref(),
        Some("{ \"name\": \"web\" }\n")
    );
    assert_eq!(read("web/Dockerfile").as_deref(), Some("FROM node:22\n"));
    assert_eq!(read(".env").as_deref(), Some("LOG_LEVEL=info\n"));
    assert_eq!(read(".env.production").as_deref(), Some("WORKERS=4\n"));
    assert_eq!(read(".dockerignore").as_deref(), Some("node_modules\n"));
    assert_eq!(read(".gitignore").as_deref(), Some("*.log\n"));
    assert_eq!(read(".docker/daemon.json").as_deref(), Some("{}\n"));
    for absent in [".git/HEAD", "secrets/redis-password.txt"] {
        assert!(
            read(absent).is_none(),
            "{absent} should not be in the output"
        );
    }
    // The plan names the env file the web service reads.
    assert!(stdout(&o).contains("`.env`"), "{}", stdout(&o));
}

/// A folder with a Compose project and Kubernetes manifests is refused, by
/// name, rather than read as one of them with the other passed over.
#[test]
fn apply_refuses_a_compose_project_beside_kubernetes_manifests() {
    let dir = terraform_project(
        &[
            (
                "stack/compose.yaml",
                "services:\n  redis:\n    image: redis:7\n",
            ),
            (
                "stack/k8s/web.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
            ),
        ],
        "cache.customer.example:6380",
    );
    let o = graft(
        dir.path(),
        &[
            "apply",
            "stack",
            "--rules",
            "rules",
            "--bindings",
            "bindings.yaml",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("`k8s/web.yaml`"), "{}", stderr(&o));
    assert!(!dir.path().join("out").exists());
}

/// A folder of CloudFormation templates: the templates are applied, the
/// other files (a parameters file, code the template embeds) come along, and
/// a Kubernetes manifest beside them is refused by name.
#[test]
fn apply_carries_a_cloudformation_stacks_other_files() {
    let template = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: redis\n      CacheNodeType: cache.t4g.small\n      NumCacheNodes: 1\n  Worker:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/worker\n      Code:\n        ZipFile: !Rain::Embed worker.py\n      Environment:\n        Variables:\n          REDIS_HOST: !GetAtt Cache.RedisEndpoint.Address\n";
    let files = [
        ("stack/template.yaml", template),
        (
            "stack/worker.py",
            "def handler(event, context):\n    return 'ok'\n",
        ),
        (
            "stack/parameters.json",
            "[{\"ParameterKey\": \"Stage\", \"ParameterValue\": \"prod\"}]\n",
        ),
    ];
    let dir = terraform_project(&files, "cache.customer.example:6380");
    let root = dir.path();
    // A Lambda function is given a Secrets Manager secret (CloudFormation
    // cannot put an SSM SecureString in its environment).
    std::fs::write(
        root.join("bindings.yaml"),
        "redis:\n  hostname: cache.customer.example:6380\n  auth: { secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:shop\" } }\n",
    )
    .unwrap();
    let args = [
        "apply",
        "stack",
        "--rules",
        "rules",
        "--bindings",
        "bindings.yaml",
        "--out",
        "out",
    ];
    let o = graft(root, &args);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let read = |p: &str| std::fs::read_to_string(root.join("out").join(p)).ok();
    let written = read("template.yaml").unwrap();
    assert!(
        written.contains("REDIS_HOST: !Ref RedisHost")
            && written.contains("Default: cache.customer.example")
            && !written.contains("AWS::ElastiCache"),
        "{written}"
    );
    assert_eq!(read("worker.py").as_deref(), Some(files[1].1));
    assert_eq!(read("parameters.json").as_deref(), Some(files[2].1));

    // A manifest beside the templates: refused, and nothing written.
    let dir = terraform_project(
        &[
            files[0],
            (
                "stack/k8s/web.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
            ),
        ],
        "cache.customer.example:6380",
    );
    let o = graft(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("CloudFormation templates and Kubernetes manifests (`k8s/web.yaml`)"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out").exists());
}

/// A Terraform stack whose module lives outside its folder (`../modules/app`):
/// the command line reads the module with it, and writes both so that the
/// relative source still resolves: the stack under its own folder name,
/// the module beside it.
#[test]
fn apply_reads_and_writes_terraform_modules_outside_the_stack_folder() {
    let main = "resource \"aws_elasticache_replication_group\" \"cache\" {\n  replication_group_id = \"shop\"\n  description          = \"shop\"\n  engine               = \"redis\"\n}\n\nmodule \"app\" {\n  source     = \"../modules/app\"\n  redis_host = aws_elasticache_replication_group.cache.primary_endpoint_address\n}\n";
    let module = "variable \"redis_host\" {\n  type = string\n}\n\nresource \"aws_lambda_function\" \"app\" {\n  function_name = \"app\"\n  role          = \"arn:aws:iam::123456789012:role/app\"\n  handler       = \"index.handler\"\n  runtime       = \"nodejs20.x\"\n  filename      = \"app.zip\"\n\n  environment {\n    variables = {\n      REDIS_HOST = var.redis_host\n    }\n  }\n}\n";
    let dir = terraform_project(
        &[
            ("infra/shop/main.tf", main),
            ("infra/modules/app/main.tf", module),
        ],
        "cache.customer.example:6380",
    );
    let root = dir.path();
    let o = graft(
        root,
        &[
            "apply",
            "infra/shop",
            "--rules",
            "rules",
            "--bindings",
            "bindings.yaml",
            "--out",
            "out",
        ],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let main = std::fs::read_to_string(root.join("out/shop/main.tf")).unwrap();
    assert!(
        !main.contains("aws_elasticache_replication_group"),
        "{main}"
    );
    assert!(
        main.contains("redis_host = \"cache.customer.example\""),
        "{main}"
    );
    let app = std::fs::read_to_string(root.join("out/modules/app/main.tf")).unwrap();
    assert!(
        app.contains("data \"aws_ssm_parameter\" \"graft_redis_auth\""),
        "{app}"
    );
    assert!(
        app.contains("REDIS_PASSWORD = data.aws_ssm_parameter.graft_redis_auth.value"),
        "{app}"
    );
    assert!(stdout(&o).contains("the stack is at"), "{}", stdout(&o));
    // Applying again to the output changes nothing.
    let again = graft(
        root,
        &[
            "plan",
            "out/shop",
            "--rules",
            "rules",
            "--bindings",
            "bindings.yaml",
        ],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("0 changed"), "{}", stdout(&again));
}

/// A Terraform stack that does not read: a located error, exit code 1, and
/// no output folder.
#[test]
fn apply_refuses_a_terraform_stack_that_does_not_read() {
    let dir = terraform_project(
        &[(
            "stack/main.tf",
            "resource \"aws_elasticache_replication_group\" \"cache\" {\n  engine = var.engnie\n}\n\nvariable \"engine\" {}\n",
        )],
        "cache.customer.example",
    );
    let root = dir.path();
    let args = [
        "apply",
        "stack",
        "--rules",
        "rules",
        "--bindings",
        "bindings.yaml",
        "--out",
        "out",
        "--color",
        "never",
    ];
    let o = graft(root, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`var.engnie` is not declared in this module"),
        "{err}"
    );
    assert!(err.contains("main.tf:2:12"), "{err}");
    assert!(err.contains("did you mean `var.engine`?"), "{err}");
    assert!(!root.join("out").exists());
}

/// Runs a shell's command line; fails with an install hint when the shell
/// is missing.
fn shell(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .env("PATH", {
            let bin = Path::new(env!("CARGO_BIN_EXE_graft")).parent().unwrap();
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut all = vec![bin.to_path_buf()];
            all.extend(std::env::split_paths(&path));
            std::env::join_paths(all).unwrap()
        })
        .output()
        .unwrap_or_else(|e| {
            panic!("the completions test runs {name}, which did not start ({e}): apt-get install bash zsh fish")
        });
    assert!(
        out.status.success(),
        "{name} {args:?} failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

#[test]
fn completions_load_in_bash_zsh_and_fish_and_complete_subcommands_and_values() {
    let dir = tempfile::tempdir().unwrap();
    for (sh, file) in [
        ("bash", "graft.bash"),
        ("zsh", "_graft"),
        ("fish", "graft.fish"),
    ] {
        let o = graft(dir.path(), &["completions", sh]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::write(dir.path().join(file), &o.stdout).unwrap();
    }
    let at = |f: &str| dir.path().join(f).display().to_string();

    // Bash: the function completes a subcommand and an option's values.
    let bash = shell(
        "bash",
        &[
            "-c",
            &format!(
                "source {}; COMP_WORDS=(graft ch); COMP_CWORD=1; _graft graft ch graft; echo \"${{COMPREPLY[@]}}\"; \
                 COMP_WORDS=(graft plan --format ''); COMP_CWORD=3; _graft graft '' --format; echo \"${{COMPREPLY[@]}}\"",
                at("graft.bash")
            ),
        ],
    );
    assert_eq!(bash, "check\ntext json sarif\n");

    // Zsh: compinit finds `_graft` on the function path and registers it.
    let zsh = shell(
        "zsh",
        &[
            "-fc",
            &format!(
                "fpath=({} $fpath); autoload -U compinit; compinit -u -D; print -r -- $_comps[graft]",
                dir.path().display()
            ),
        ],
    );
    assert_eq!(zsh, "_graft\n");

    // Fish: completes subcommands with their descriptions.
    let fish = shell(
        "fish",
        &[
            "-c",
            &format!(
                "source {}; complete -C 'graft ch'; complete -C 'graft check --format '",
                at("graft.fish")
            ),
        ],
    );
    assert!(fish.starts_with("check\tCheck rule files"), "{fish}");
    for format in ["json", "sarif", "text"] {
        assert!(fish.contains(&format!("\n{format}\t")), "{fish}");
    }

    // An unknown shell is a usage error.
    let o = graft(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("possible values: bash, zsh, fish"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_shows_the_arms_the_actions_the_changes_and_the_references() {
    let root = common::root();
    let instance = graft(
        &root,
        &[
            "explain",
            "--resource",
            "apps/v1/StatefulSet/shop/redis-master",
            "examples/shop",
        ],
    );
    assert_eq!(instance.status.code(), Some(0), "{}", stderr(&instance));
    insta::assert_snapshot!("explain_instance", stdout(&instance));

    let consumer = graft(
        &root,
        &[
            "explain",
            "--resource",
            "apps/v1/Deployment/shop/cart",
            "examples/shop",
        ],
    );
    assert_eq!(consumer.status.code(), Some(0), "{}", stderr(&consumer));
    insta::assert_snapshot!("explain_consumer", stdout(&consumer));
    // docs/plan.md shows it as it is.
    let docs = std::fs::read_to_string(root.join("docs/plan.md")).unwrap();
    assert!(
        docs.contains(stdout(&consumer).trim_end()),
        "docs/plan.md's `graft explain` example is out of date"
    );

    // A Terraform module call: a predicate of parts, each with what it saw.
    let module = graft(
        &root,
        &[
            "explain",
            "--resource",
            "module.cache",
            "examples/shop-terraform",
        ],
    );
    assert_eq!(module.status.code(), Some(0), "{}", stderr(&module));
    insta::assert_snapshot!("explain_terraform_module", stdout(&module));

    // JSON: every arm, each predicate with what it saw.
    let json = graft(
        &root,
        &[
            "explain",
            "--format",
            "json",
            "--resource",
            "apps/v1/StatefulSet/shop/redis-master",
            "examples/shop",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["selected"]["service"], "redis");
    let arms = v["arms"].as_array().unwrap();
    let selecting: Vec<&serde_json::Value> = arms
        .iter()
        .filter(|a| a["outcome"] == "selects it")
        .collect();
    assert_eq!(selecting.len(), 1);
    assert!(
        selecting[0]["predicate"]["saw"][0]
            .as_str()
            .unwrap()
            .contains("bitnami/redis"),
        "{v:#}"
    );
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "drop")
    );
    assert!(!v["consumers"].as_array().unwrap().is_empty());
}

#[test]
fn explain_names_the_closest_address_when_none_matches() {
    let o = graft(
        &common::root(),
        &[
            "explain",
            "--resource",
            "apps/v1/Deployment/shop/crat",
            "examples/shop",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `apps/v1/Deployment/shop/cart`?"),
        "{}",
        stderr(&o)
    );
    let o = graft(
        &common::root(),
        &[
            "explain",
            "--format",
            "sarif",
            "--resource",
            "x",
            "examples/shop",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_prints_the_diagnostics_as_json_when_the_inputs_are_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let bindings = tmp.path().join("bindings.yaml");
    std::fs::write(
        &bindings,
        "redis:\n  hostname: cache.example.com\n  databse: 2\n",
    )
    .unwrap();
    let o = graft(
        &common::root(),
        &[
            "explain",
            "--format",
            "json",
            "--resource",
            "apps/v1/StatefulSet/shop/redis-master",
            "--rules",
            "rules",
            "--bindings",
            bindings.to_str().unwrap(),
            "examples/shop/stack",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"E0602"), "{codes:?}");
}

/// Runs `graft ARGS` in `dir` on a real terminal (util-linux's `script`),
/// its stdout to a file: what the terminal showed (stderr) and the stdout.
fn on_a_terminal(dir: &Path, args: &str) -> (String, String) {
    let script = common::e2e::required(
        "progress display test",
        &["script"],
        common::e2e::on_path,
        "Install util-linux's `script` (Debian: apt-get install bsdutils).",
    );
    let command = format!(
        "{} {args} > stdout.txt",
        Path::new(env!("CARGO_BIN_EXE_graft")).display()
    );
    let o = Command::new(&script[0])
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    (
        shown,
        std::fs::read_to_string(dir.join("stdout.txt")).unwrap(),
    )
}

#[test]
fn progress_is_drawn_on_a_terminal_unless_quiet_and_never_elsewhere() {
    let dir = example_copy();
    let args = "plan stack --rules rules --bindings bindings.yaml";
    let (shown, plan) = on_a_terminal(dir.path(), args);
    assert!(shown.contains("loading the stack"), "{shown:?}");
    assert!(
        shown.trim_end().ends_with("\x1b[2K"),
        "the display is not cleared: {shown:?}"
    );
    // The plan is the same with the display and without it.
    let piped = graft(dir.path(), &args.split(' ').collect::<Vec<_>>());
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert_eq!(plan, stdout(&piped));
    assert!(!stderr(&piped).contains("loading"), "{}", stderr(&piped));

    let (shown, _) = on_a_terminal(dir.path(), &format!("{args} --quiet"));
    assert_eq!(shown.trim(), "", "--quiet still drew: {shown:?}");
    let (shown, _) = on_a_terminal(
        dir.path(),
        "apply stack --rules rules --bindings bindings.yaml --out out -q",
    );
    assert_eq!(shown.trim(), "", "-q still drew: {shown:?}");
    assert!(dir.path().join("out/HANDOFF.md").is_file());
}
