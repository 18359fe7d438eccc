#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Apply fixtures: each folder under `tests/apply/` is a stack (`stack/`), a
//! bindings file (`bindings.yaml`, `.json` or `.toml`) and, optionally, rules
//! of its own (`rules/`, read together with the shipped `rules/` unless it
//! holds a `ONLY` file). The snapshot holds what users see: the plan, and a
//! unified diff of every file that changed. Every case is also applied again
//! to its own output (nothing may change), applied with its files in reverse
//! order (the output must be byte-identical), and its output re-read.
//!
//! Cases are Kubernetes manifests, Terraform configurations (`terraform-*`),
//! whose output is read back with python-hcl2, or Compose projects
//! (`compose-*`), whose output must pass `docker-compose config` where the
//! input does. The real-world stacks of
//! `../shared/corpus/kubernetes` and `../shared/corpus/terraform` are cases
//! too, and so are the rules library's own cases (`rules/tests/`), whose
//! expectations `graft test` checks.

mod common;

use common::copy_tree;

use graft::api::{Done, Job, run};
use graft::engine::plan::Level;
use std::path::{Path, PathBuf};

fn read_tree(dir: &Path, prefix: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_tree(&p, prefix, out);
        } else {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".yaml")
                || name.ends_with(".yml")
                || name.ends_with(".json")
                || graft::stack::terraform::is_configuration(&name)
            {
                let rel = p
                    .strip_prefix(prefix)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
}

fn rules_of(case: &Path) -> Vec<(String, String)> {
    let mut rules = Vec::new();
    let own = case.join("rules");
    let only = own.join("ONLY").exists();
    let mut dirs = vec![];
    if !only {
        dirs.push(common::root().join("rules"));
    }
    if own.is_dir() {
        dirs.push(own);
    }
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "graft"))
            .collect();
        files.sort();
        for f in files {
            rules.push((
                common::display_name(&f),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    }
    rules
}

fn job(case: &Path, stack_dir: &Path) -> Job {
    let mut stack = Vec::new();
    read_tree(stack_dir, stack_dir, &mut stack);
    let bindings = ["bindings.yaml", "bindings.json", "bindings.toml"]
        .iter()
        .map(|n| case.join(n))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{} has no bindings file", case.display()));
    let mut certificates = std::collections::BTreeMap::new();
    let mut pending = vec![case.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "stack" && n != "out") {
                pending.push(p);
            } else if p.extension().is_some_and(|e| e == "pem") {
                let rel = p
                    .strip_prefix(case)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                certificates.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    Job {
        rules: rules_of(case),
        bindings: (
            common::display_name(&bindings),
            std::fs::read_to_string(&bindings).unwrap(),
        ),
        stack,
        certificates,
    }
}

fn rendered(done: &Done) -> String {
    let mut out = String::new();
    if !done.diagnostics.is_empty() {
        out.push_str(&graft::cli::render::text(
            &done.sources,
            &done.diagnostics,
            false,
        ));
    }
    let Some(outcome) = &done.outcome else {
        return out;
    };
    out.push_str(&outcome.plan.to_text());
    out
}

fn diffs(job: &Job, done: &Done) -> String {
    let mut out = String::new();
    let Some(outcome) = &done.outcome else {
        return out;
    };
    for f in &outcome.files {
        let Some((_, before)) = job.stack.iter().find(|(p, _)| *p == f.path) else {
            match &f.text {
                Some(text) => out.push_str(&format!("\n=== {} (created)\n{text}", f.path)),
                None => out.push_str(&format!("\n=== {} (not carried over)\n", f.path)),
            }
            continue;
        };
        match &f.text {
            None => out.push_str(&format!("\n=== {} (removed)\n", f.path)),
            Some(after) if after != before => {
                let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
                out.push_str(&format!("\n=== {}\n", f.path));
                out.push_str(&diff.unified_diff().context_radius(2).to_string());
            }
            Some(_) => {}
        }
    }
    out
}

/// Applies `job`'s rules again to `outcome`'s files and checks that nothing
/// changes (`what` names the case in a failure).
fn applies_again_unchanged(job: &Job, outcome: &graft::engine::Outcome, what: &str) {
    let mut again = job.clone();
    again.stack = outcome
        .files
        .iter()
        .filter_map(|f| f.text.clone().map(|t| (f.path.clone(), t)))
        .collect();
    let second = run(&again);
    assert_eq!(
        second.errors(),
        0,
        "re-applying {what} failed:\n{}",
        rendered(&second)
    );
    let second = second.outcome.unwrap();
    for f in &second.files {
        assert!(
            !f.changed,
            "applying {what} again changed {}:\n{}",
            f.path,
            second.plan.to_text()
        );
    }
}

/// Runs one case and returns its snapshot text, after checking idempotence,
/// order independence and that the output reads back.
fn case(case: &Path, stack_dir: &Path) -> String {
    let job = job(case, stack_dir);
    let done = run(&job);
    let mut snapshot = rendered(&done);
    snapshot.push_str(&diffs(&job, &done));
    let Some(outcome) = &done.outcome else {
        return snapshot;
    };
    if outcome.plan.has_errors() {
        assert!(outcome.files.is_empty(), "a failed plan writes nothing");
        return snapshot;
    }
    // Untouched files come out byte for byte.
    for f in &outcome.files {
        if !f.changed {
            let before = &job.stack.iter().find(|(p, _)| *p == f.path).unwrap().1;
            assert_eq!(
                f.text.as_ref(),
                Some(before),
                "{} changed but says it did not",
                f.path
            );
        }
    }
    // A file with CRLF line ends keeps them, new lines included.
    for f in &outcome.files {
        let before = job.stack.iter().find(|(p, _)| *p == f.path).map(|(_, t)| t);
        if let (Some(before), Some(after)) = (before, &f.text)
            && before.contains("\r\n")
        {
            let lone = after
                .match_indices('\n')
                .any(|(i, _)| i == 0 || after.as_bytes()[i - 1] != b'\r');
            assert!(!lone, "{} mixes line ends after apply", f.path);
        }
    }
    // Kubernetes expands `$(NAME)` from the variables defined before it.
    let written: Vec<(String, String)> = outcome
        .files
        .iter()
        .filter_map(|f| f.text.clone().map(|t| (f.path.clone(), t)))
        .collect();
    common::expansions_come_after_their_variables(&written);
    // Applying again to the output changes nothing.
    applies_again_unchanged(&job, outcome, "the case");
    // The order of files and rules does not matter.
    let mut reversed = job.clone();
    reversed.stack.reverse();
    reversed.rules.reverse();
    let third = run(&reversed).outcome.unwrap();
    assert_eq!(
        third.files, outcome.files,
        "the output depends on the order of the inputs"
    );
    assert_eq!(
        third.plan, outcome.plan,
        "the plan depends on the order of the inputs"
    );
    // No secret value, in the output or the plan.
    let canary = "canary-";
    for f in &outcome.files {
        if let Some(t) = &f.text {
            assert!(
                !t.contains(canary),
                "{} holds a canary secret value",
                f.path
            );
        }
    }
    assert!(
        !outcome.plan.to_text().contains(canary),
        "the plan holds a canary secret value"
    );
    assert!(
        !done.handoff.as_deref().unwrap_or("").contains(canary),
        "the hand-off holds a canary secret value"
    );
    snapshot
}

/// The case folders (each holding `stack/`) directly under `dir`, sorted.
fn case_folders(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("stack").is_dir())
        .collect();
    cases.sort();
    cases
}

/// Runs `docker-compose config` on the Compose files of `dir` (base files
/// first, as Compose reads them), with every variable the files require
/// (`${NAME:?...}`) set, as a deployer would; the error text on failure.
fn compose_config(dir: &Path) -> Result<(), String> {
    let mut files: Vec<String> = Vec::new();
    let mut required: Vec<String> = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if graft::stack::compose::is_compose_file(&name) {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            // A file whose every entry was dropped is `services: {}`, which
            // Compose v2 reads and docker-compose 1.x (the validator here,
            // end of life) takes for a version 1 file: checked by hand.
            let body: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .collect();
            if body == ["services: {}"] {
                continue;
            }
            for part in text.split("${").skip(1) {
                if let Some((var, _)) = part.split_once(":?") {
                    required.push(var.to_string());
                }
            }
            files.push(name);
        }
    }
    let base = |n: &String| {
        !matches!(
            n.as_str(),
            "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
        )
    };
    files.sort_by(|a, b| (base(a), a).cmp(&(base(b), b)));
    let mut cmd = std::process::Command::new("docker-compose");
    cmd.current_dir(dir);
    for f in &files {
        cmd.arg("-f").arg(f);
    }
    for var in required {
        cmd.env(var, "from-the-deploy-environment");
    }
    let out =
        cmd.arg("config").arg("-q").output().expect(
            "docker-compose is needed for the Compose tests: apt-get install docker-compose",
        );
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).to_string())
    }
}

/// Checks that the output of a Compose case passes `docker-compose config`
/// wherever its input does: the stack folder copied, the output written
/// over it.
fn compose_output_is_valid(stack_dir: &Path, outcome: &graft::engine::Outcome, what: &str) {
    let work = tempfile::tempdir().unwrap();
    let (before, after) = (work.path().join("before"), work.path().join("after"));
    copy_tree(stack_dir, &before);
    copy_tree(stack_dir, &after);
    for f in &outcome.files {
        let path = after.join(&f.path);
        match &f.text {
            Some(t) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, t).unwrap();
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    // Build contexts a copied stack does not hold (the corpus keeps only
    // the Compose file) are made empty: `config` only checks they exist.
    for dir in [&before, &after] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !graft::stack::compose::is_compose_file(&name) {
                continue;
            }
            for line in std::fs::read_to_string(&p).unwrap().lines() {
                let line = line.trim();
                if let Some(ctx) = line
                    .strip_prefix("build:")
                    .or_else(|| line.strip_prefix("context:"))
                    .map(|c| c.trim().trim_matches(['"', '\'']))
                    && ctx.starts_with('.')
                {
                    std::fs::create_dir_all(dir.join(ctx)).unwrap();
                }
            }
        }
    }
    if let Err(e) = compose_config(&before) {
        panic!("the input of {what} does not pass `docker-compose config`:\n{e}");
    }
    if let Err(e) = compose_config(&after) {
        panic!("the output of {what} does not pass `docker-compose config`:\n{e}");
    }
}

/// The errors `cfn-lint` finds in the templates of `dir`, as (rule, message).
fn cfn_lint_errors(dir: &Path) -> std::collections::BTreeSet<(String, String)> {
    let mut templates: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            std::fs::read_to_string(p)
                .is_ok_and(|t| graft::stack::cloudformation::is_template(&name, &t))
        })
        .collect();
    templates.sort();
    if templates.is_empty() {
        return Default::default();
    }
    let out = std::process::Command::new("cfn-lint")
        .args(["--format", "json"])
        .args(&templates)
        .output()
        .expect("cfn-lint is needed for the CloudFormation tests: python3 -m pip install cfn-lint==1.58.0");
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cfn-lint printed no JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    found
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["Level"] == "Error")
        .map(|m| {
            (
                m["Rule"]["Id"].as_str().unwrap_or("").to_string(),
                m["Message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Checks that the output of a CloudFormation case has no `cfn-lint` error
/// its input did not have.
fn cfn_lint_output_is_valid(stack_dir: &Path, outcome: &graft::engine::Outcome, what: &str) {
    let work = tempfile::tempdir().unwrap();
    let after = work.path().join("after");
    std::fs::create_dir_all(&after).unwrap();
    for f in &outcome.files {
        if let Some(t) = &f.text {
            std::fs::write(after.join(f.path.replace('/', "_")), t).unwrap();
        }
    }
    let before = cfn_lint_errors(stack_dir);
    let new: Vec<_> = cfn_lint_errors(&after)
        .into_iter()
        .filter(|e| !before.contains(e))
        .collect();
    assert!(
        new.is_empty(),
        "the output of {what} has cfn-lint errors its input did not have: {new:#?}"
    );
}

#[test]
fn apply_fixtures() {
    let mut cases = case_folders(&common::root().join("tests/apply"));
    assert!(cases.len() >= 8, "only {} cases", cases.len());
    // The rules library's own cases (`graft test rules/` checks their
    // expectations): here they get every other check.
    let library = case_folders(&common::root().join("rules/tests"));
    assert!(library.len() >= 8, "only {} library cases", library.len());
    cases.extend(library.iter().cloned());
    let outputs = tempfile::tempdir().unwrap();
    for c in cases {
        let name = c.file_name().unwrap().to_string_lossy().to_string();
        let text = case(&c, &c.join("stack"));
        if !library.contains(&c) {
            insta::assert_snapshot!(format!("apply__{name}"), text);
        }
        let job = job(&c, &c.join("stack"));
        let paths = || job.stack.iter().map(|(p, _)| p.as_str());
        let compose = graft::stack::compose::is_stack(paths());
        let cloudformation = graft::stack::cloudformation::is_stack(
            job.stack.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        );
        if let Some(outcome) = run(&job).outcome {
            if compose && !outcome.plan.has_errors() {
                compose_output_is_valid(&c.join("stack"), &outcome, &name);
            }
            if cloudformation && !outcome.plan.has_errors() {
                cfn_lint_output_is_valid(&c.join("stack"), &outcome, &name);
            }
            for f in outcome.files {
                if let Some(t) = f.text {
                    let path = outputs.path().join(&name).join(&f.path);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(path, t).unwrap();
                }
            }
        }
    }
    // Every output reads with an independent parser: manifests with PyYAML,
    // Terraform with python-hcl2.
    let check = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, json, yaml, hcl2, pathlib\n\
             class L(yaml.SafeLoader): pass\n\
             L.add_multi_constructor('!', lambda loader, suffix, node: None)\n\
             for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):\n\
             \tif p.is_file() and p.name.endswith(('.tf', '.tfvars')):\n\
             \t\thcl2.loads(p.read_text())\n\
             \telif p.is_file() and p.name.endswith('.tf.json'):\n\
             \t\tjson.loads(p.read_text())\n\
             \telif p.is_file():\n\
             \t\tlist(yaml.load_all(p.read_text(), Loader=L))\n",
        )
        .arg(outputs.path())
        .output()
        .expect("python3 is needed for this test: apt-get install python3; pip install pyyaml python-hcl2");
    assert!(
        check.status.success(),
        "an output does not read with an independent parser (pip install pyyaml python-hcl2):\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_shipped_example() {
    let example = common::root().join("examples/shop");
    let done = run(&job(&example, &example.join("stack")));
    assert_eq!(done.errors(), 0, "{}", rendered(&done));
    let text = case(&example, &example.join("stack"));
    insta::assert_snapshot!("apply__example_shop", text);
    let handoff = done.handoff.unwrap();
    insta::assert_snapshot!("handoff__example_shop", handoff);
}

/// The real-world stacks in `../shared/corpus`, with the rules an expert
/// would add for each (in `tests/corpus/NAME/rules`).
#[test]
fn the_kubernetes_corpus() {
    let corpus = common::corpus("kubernetes");
    for name in ["azure-vote", "guestbook"] {
        let case_dir = common::root().join("tests/corpus").join(name);
        let text = case(&case_dir, &corpus.join(name));
        insta::assert_snapshot!(format!("corpus__{name}"), text);
    }
}

/// The Compose projects of `../shared/corpus/compose`, with the bindings
/// (and the rules an expert would add) in `tests/corpus/compose-NAME`.
#[test]
fn the_compose_corpus() {
    let corpus = common::corpus("compose");
    for name in ["azure-vote", "nextcloud-redis-mariadb"] {
        let case_dir = common::root()
            .join("tests/corpus")
            .join(format!("compose-{name}"));
        let text = case(&case_dir, &corpus.join(name));
        insta::assert_snapshot!(format!("compose_corpus__{name}"), text);
        let outcome = run(&job(&case_dir, &corpus.join(name))).outcome.unwrap();
        compose_output_is_valid(&corpus.join(name), &outcome, name);
    }
}

/// The corpus template reads the same in YAML (short forms) and JSON (long
/// forms): the same resources, the same references from the same places.
#[test]
fn the_cloudformation_corpus_reads_the_same_in_yaml_and_json() {
    use graft::stack::cloudformation::read_copies;
    use graft::stack::{RefKind, Stack};
    let dir = common::corpus("cloudformation").join("elasticache-snapshot");
    let read = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        read_copies(&[(name.to_string(), text)]).unwrap()
    };
    let (yaml, json) = (read("template.yaml"), read("template.json"));
    let names = |s: &Stack| {
        s.resources
            .iter()
            .map(|r| format!("{} {}", r.address, r.kind))
            .collect::<Vec<_>>()
    };
    let edges = |s: &Stack| {
        s.references()
            .map(|r| {
                let RefKind::Intrinsic(i) = &r.kind else {
                    panic!("not an intrinsic")
                };
                format!(
                    "{} -> {} ({:?} at {})",
                    s.resource(r.from).name,
                    s.resource(r.to).name,
                    i.kind,
                    r.site.path
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&yaml), names(&json));
    assert_eq!(edges(&yaml), edges(&json));
    let e = edges(&yaml);
    for want in [
        "RedisReplicationGroup -> RedisParameterGroup (Ref at Properties.CacheParameterGroupName)",
        "EnableShapshotTrigger -> RedisReplicationGroup (DependsOn at DependsOn[2])",
        "EnableShapshot -> EnableBackups (Condition at Condition)",
        "LambdaExecutePermission -> EnableShapshot (GetAtt at Properties.FunctionName)",
        "EnableBackups -> EnableSnapshotting (Ref at Fn::Equals[0])",
        "PublicSubnetA -> AWSRegion2AZ (FindInMap at Properties.AvailabilityZone)",
    ] {
        assert!(e.iter().any(|x| x == want), "{want} not in {e:#?}");
    }
    let cache = yaml.find("RedisReplicationGroup").unwrap();
    let value = |path: &str| {
        format!(
            "{:?}",
            graft::stack::cloudformation::attribute(&yaml, cache, path)
        )
    };
    assert_eq!(value("Engine"), r#"[Scalar("redis", Str)]"#);
    // A `Ref` to a parameter reads as its default.
    assert_eq!(
        value("CacheNodeType"),
        r#"[Scalar("cache.m3.medium", Str)]"#
    );
}

/// The CloudFormation template of `../shared/corpus/cloudformation`, in
/// YAML and in JSON: the ElastiCache and its snapshot machinery go, and
/// the output has no `cfn-lint` error the input did not have.
#[test]
fn the_cloudformation_corpus() {
    let corpus = common::corpus("cloudformation").join("elasticache-snapshot");
    let case_dir = common::root().join("tests/corpus/cloudformation-elasticache-snapshot");
    for file in ["template.yaml", "template.json"] {
        let work = tempfile::tempdir().unwrap();
        std::fs::copy(corpus.join(file), work.path().join(file)).unwrap();
        let text = case(&case_dir, work.path());
        insta::assert_snapshot!(format!("cloudformation_corpus__{file}"), text);
        let outcome = run(&job(&case_dir, work.path())).outcome.unwrap();
        assert_eq!(
            outcome
                .plan
                .of(graft::engine::plan::ChangeKind::Drop)
                .count(),
            13,
            "{}",
            outcome.plan.to_text()
        );
        cfn_lint_output_is_valid(work.path(), &outcome, file);
    }
}

/// The Terraform examples of `../shared/corpus/terraform`: each root module
/// calls the community ElastiCache module as `../../`, which is where the
/// corpus's `elasticache-module` is put (its paths start with `../../`).
/// The examples whose other local modules the corpus does not hold are read
/// too: their missing folders must be located errors.
#[test]
fn the_shipped_terraform_example() {
    let example = common::root().join("examples/shop-terraform");
    let done = run(&job(&example, &example.join("stack")));
    assert_eq!(done.errors(), 0, "{}", rendered(&done));
    let text = case(&example, &example.join("stack"));
    insta::assert_snapshot!("apply__example_shop_terraform", text);
}

#[test]
fn the_terraform_corpus() {
    let corpus = common::corpus("terraform");
    let module = corpus.join("elasticache-module");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(corpus.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    examples.sort();
    for example in examples {
        let name = example.file_name().unwrap().to_string_lossy().to_string();
        let mut stack = Vec::new();
        read_tree(&example, &example, &mut stack);
        let mut inner = Vec::new();
        read_tree(&module, &module, &mut inner);
        stack.extend(inner.into_iter().map(|(p, t)| (format!("../../{p}"), t)));
        let bindings = "redis:\n  hostname: master.customer.abc123.euw1.cache.amazonaws.com:6380\n  auth: { secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-auth\" } }\n  database: 1\n";
        let job = Job {
            rules: rules_of(&example),
            bindings: ("bindings.yaml".into(), bindings.into()),
            stack,
            certificates: Default::default(),
        };
        let done = run(&job);
        let mut snapshot = rendered(&done);
        snapshot.push_str(&diffs(&job, &done));
        insta::assert_snapshot!(format!("terraform_corpus__{name}"), snapshot);
        // Applying again changes nothing.
        if let Some(outcome) = done.outcome.filter(|o| !o.plan.has_errors()) {
            applies_again_unchanged(&job, &outcome, &name);
        }
    }
}

#[test]
fn the_plan_json_is_stable_and_names_every_change() {
    let example = common::root().join("examples/shop");
    let done = run(&job(&example, &example.join("stack")));
    let plan = done.outcome.unwrap().plan;
    let json = plan.to_json();
    assert_eq!(json["version"], 1);
    let changes = json["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .all(|c| c["kind"].is_string() && c["resource"].is_string())
    );
    assert!(plan.problems.iter().all(|p| p.level == Level::Warning));
    insta::assert_json_snapshot!("plan_json__example_shop", json);
}

/// Rules with an error stop the run before the stack counts: the stack,
/// read while the rules were checked, is dropped, and its own errors are
/// not reported (nor is anything planned).
#[test]
fn rules_with_errors_stop_the_run_before_the_stack_counts() {
    let job = Job {
        rules: vec![(
            "r.graft".into(),
            "when nosuch is provided as c {\n  drop\n}\n".into(),
        )],
        bindings: ("b.yaml".into(), "{}".into()),
        stack: (0..200)
            .map(|i| (format!("f{i:03}.yaml"), "key: [unclosed\n".to_string()))
            .collect(),
        certificates: Default::default(),
    };
    let done = graft::api::run(&job);
    assert!(done.errors() > 0);
    assert!(done.outcome.is_none());
    assert!(
        done.diagnostics
            .iter()
            .all(|d| d.code != graft::diagnostics::Code::InvalidStack),
        "{}",
        rendered(&done)
    );
}
