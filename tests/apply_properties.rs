#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Properties of apply over generated Kubernetes stacks, Terraform
//! configurations and Compose projects (DESIGN.md section 5),
//! with the shipped rules and generated bindings:
//!
//! - idempotence: applying to the output changes nothing;
//! - determinism and order independence: shuffled files give byte-identical
//!   output and the same plan;
//! - preservation: every document no rule touches comes out byte for byte;
//! - no dangling reference: the output names no dropped Service and matches
//!   nothing any more;
//! - secrets: the vendor's credential is gone from the output, and no
//!   output, plan or hand-off holds a secret value.

mod common;

use graft::api::{Done, Job, run};
use graft::stack::generate::{Shape, kubernetes};
use proptest::prelude::*;

fn rules() -> Vec<(String, String)> {
    ["rules/redis.graft", "rules/valkey.graft"]
        .iter()
        .map(|p| {
            (
                p.to_string(),
                std::fs::read_to_string(common::root().join(p)).unwrap(),
            )
        })
        .collect()
}

/// The base64 of the generated vendor password (`canary-generated`).
const VENDOR_SECRET: &str = "Y2FuYXJ5LWdlbmVyYXRlZA==";

#[derive(Debug, Clone)]
struct Bindings {
    port: Option<u16>,
    database: u8,
    tls: bool,
    cluster: bool,
    iam: bool,
}

impl Bindings {
    fn yaml(&self) -> String {
        let host = match self.port {
            Some(p) => format!("cache.customer.example:{p}"),
            None => "cache.customer.example".into(),
        };
        let auth = if self.iam {
            "{ iam_role: \"arn:aws:iam::123456789012:role/app\", user: app }".to_string()
        } else {
            "{ secret: { store: kubernetes, name: redis-auth, key: password } }".to_string()
        };
        let database = if self.cluster {
            String::new()
        } else {
            format!("  database: {}\n", self.database)
        };
        format!(
            "redis:\n  hostname: {host}\n  auth: {auth}\n{database}  tls: {}\n  cluster: {}\n",
            self.tls, self.cluster
        )
    }
}

fn bindings() -> impl Strategy<Value = Bindings> {
    (
        proptest::option::of(1024u16..65535),
        0u8..16,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(port, database, tls, cluster, iam)| Bindings {
            port,
            database,
            tls,
            cluster,
            iam,
        })
}

fn shape() -> impl Strategy<Value = Shape> {
    (20usize..250, 1usize..5, 1usize..30, any::<u64>()).prop_map(
        |(objects, redis_every, per_file, seed)| Shape {
            objects,
            redis_every,
            per_file,
            seed,
        },
    )
}

fn applied(stack: Vec<(String, String)>, b: &Bindings) -> (Job, Done) {
    let job = Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), b.yaml()),
        stack,
        certificates: Default::default(),
    };
    let done = run(&job);
    (job, done)
}

/// The files in an order drawn from `seed` (xorshift, Fisher-Yates).
fn shuffled(stack: &[(String, String)], seed: u64) -> Vec<(String, String)> {
    let mut out = stack.to_vec();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

fn output(done: &Done) -> Vec<(String, String)> {
    done.outcome
        .as_ref()
        .unwrap()
        .files
        .iter()
        .filter_map(|f| f.text.clone().map(|t| (f.path.clone(), t)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn apply_keeps_the_guarantees(shape in shape(), b in bindings(), shuffle in any::<u64>()) {
        let stack = kubernetes(shape);
        let (job, done) = applied(stack.clone(), &b);
        prop_assert_eq!(done.errors(), 0, "{:?}", done.outcome.as_ref().map(|o| o.plan.to_text()));
        let out = output(&done);
        let plan = &done.outcome.as_ref().unwrap().plan;

        // Idempotence.
        let (_, again) = applied(out.clone(), &b);
        prop_assert_eq!(again.errors(), 0);
        for f in &again.outcome.as_ref().unwrap().files {
            prop_assert!(!f.changed, "applying again changed {}", f.path);
        }

        // Order independence and determinism.
        let shuffled = shuffled(&stack, shuffle);
        let (_, other) = applied(shuffled, &b);
        prop_assert_eq!(&output(&other), &out);
        prop_assert_eq!(&other.outcome.as_ref().unwrap().plan, plan);

        // Preservation: a document that names nothing of Redis is untouched.
        for (path, text) in &job.stack {
            let written = out.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str());
            for doc in text.split("---\n") {
                if !doc.to_ascii_lowercase().contains("redis") {
                    prop_assert!(
                        written.is_some_and(|w| w.contains(doc)),
                        "{path}: an untouched document changed:\n{doc}"
                    );
                }
            }
        }

        // No dangling reference, and nothing left to replace.
        let all: String = out.iter().map(|(_, t)| t.as_str()).collect();
        prop_assert!(!all.contains("redis-master"), "a reference to the dropped Service is left");
        prop_assert!(!all.contains("bitnami/redis"), "the default Redis is still there");
        let reread = graft::stack::kubernetes::read(out.clone());
        prop_assert!(reread.is_ok(), "the output does not read back");
        common::expansions_come_after_their_variables(&out);

        // Secrets: the vendor's is gone; no value anywhere.
        prop_assert!(!all.contains(VENDOR_SECRET));
        prop_assert!(!plan.to_text().contains(VENDOR_SECRET));
        prop_assert!(!done.handoff.as_deref().unwrap_or("").contains(VENDOR_SECRET));
    }
}

/// The bindings for a Terraform stack: the credential in AWS Secrets
/// Manager or SSM (what ECS and Lambda read), or an IAM role.
fn terraform_bindings(b: &Bindings) -> String {
    let auth = match (b.iam, b.database % 2) {
        (true, _) => "{ iam_role: \"arn:aws:iam::123456789012:role/app\", user: app }".to_string(),
        (false, 0) => "{ secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:cache\", key: password } }".to_string(),
        (false, _) => "{ secret: { store: aws-ssm, name: /customer/cache/password } }".to_string(),
    };
    let host = match b.port {
        Some(p) => format!("cache.customer.example:{p}"),
        None => "cache.customer.example".into(),
    };
    format!(
        "redis:\n  hostname: {host}\n  auth: {auth}\n  database: {}\n  tls: {}\n  cluster: {}\n",
        b.database, b.tls, b.cluster
    )
}

fn applied_terraform(stack: Vec<(String, String)>, b: &Bindings) -> Done {
    run(&Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), terraform_bindings(b)),
        stack,
        certificates: Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The same guarantees over generated Terraform configurations.
    #[test]
    fn terraform_apply_keeps_the_guarantees(shape in shape(), b in bindings(), shuffle in any::<u64>()) {
        let stack = graft::stack::generate::terraform(shape);
        let done = applied_terraform(stack.clone(), &b);
        prop_assert_eq!(done.errors(), 0, "{:?}", done.outcome.as_ref().map(|o| o.plan.to_text()));
        let out = output(&done);
        let plan = &done.outcome.as_ref().unwrap().plan;

        // Idempotence.
        let again = applied_terraform(out.clone(), &b);
        prop_assert_eq!(again.errors(), 0);
        for f in &again.outcome.as_ref().unwrap().files {
            prop_assert!(!f.changed, "applying again changed {}", f.path);
        }

        // Order independence and determinism.
        let shuffled = shuffled(&stack, shuffle);
        let other = applied_terraform(shuffled, &b);
        prop_assert_eq!(&output(&other), &out);
        prop_assert_eq!(&other.outcome.as_ref().unwrap().plan, plan);

        // Preservation: a team's file that names no cache is untouched (the
        // shared module's Lambda receives the cache's settings).
        for (path, text) in &stack {
            if path.starts_with("team-") && !text.contains("elasticache") && !text.contains("cache_host") {
                let written = out.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str());
                prop_assert_eq!(written, Some(text.as_str()), "{} changed", path);
            }
        }

        // No dangling reference, nothing left to replace, and it reads back.
        let all: String = out.iter().map(|(_, t)| t.as_str()).collect();
        prop_assert!(!all.contains("aws_elasticache_replication_group"), "a cache or a reference to one is left");
        prop_assert!(!all.contains("random_password"), "the vendor's auth token is left");
        prop_assert!(graft::stack::terraform::read(out.clone()).is_ok(), "the output does not read back");

        // Secrets: referred to, never held.
        prop_assert!(!all.contains("auth_token"));
    }
}

/// One edit to one file of a generated stack.
fn edit(text: &str, kind: u8, pick: usize) -> String {
    match kind % 6 {
        // Lines added above everything (every location in the file moves).
        4 => format!("# edited\n{text}"),
        // A line added between two documents (the later ones move).
        5 => {
            let docs: Vec<&str> = text.split("---\n").collect();
            let at = pick % docs.len();
            docs.iter()
                .enumerate()
                .map(|(i, d)| {
                    if i == at {
                        format!("# note\n{d}")
                    } else {
                        d.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("---\n")
        }
        // Drop one document.
        0 => {
            let docs: Vec<&str> = text.split("---\n").collect();
            if docs.len() < 2 {
                return text.replace("value: info", "value: debug");
            }
            let gone = pick % docs.len();
            docs.iter()
                .enumerate()
                .filter(|(i, _)| *i != gone)
                .map(|(_, d)| *d)
                .collect::<Vec<_>>()
                .join("---\n")
        }
        1 => text.replace("replicas: 1\n", "replicas: 5\n"),
        2 => text.replace("value: info", "value: debug"),
        // Point a consumer at a port the Service does not have.
        _ => text.replacen("redis-master:6379", "redis-master:7000", 1),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_after_single_file_edits(
        shape in shape(),
        b in bindings(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..6),
    ) {
        let mut stack = kubernetes(shape);
        let job = Job {
            rules: rules(),
            bindings: ("bindings.yaml".into(), b.yaml()),
            stack: stack.clone(),
            certificates: Default::default(),
        };
        let mut session = graft::session::Session::new(&job);
        let first = session.run();
        prop_assert_eq!(output(&first), output(&run(&job)));
        for (file, kind, pick) in edits {
            let i = file % stack.len();
            let text = edit(&stack[i].1, kind, pick);
            stack[i].1 = text.clone();
            session.set_file(&stack[i].0, &text);
            let incremental = session.run();
            let mut full_job = job.clone();
            full_job.stack = stack.clone();
            let full = run(&full_job);
            prop_assert_eq!(incremental.errors(), full.errors());
            prop_assert_eq!(
                incremental.outcome.as_ref().map(|o| (&o.plan, &o.files)),
                full.outcome.as_ref().map(|o| (&o.plan, &o.files))
            );
            prop_assert_eq!(&incremental.handoff, &full.handoff);
        }
    }
}

/// After an edit the rest of the stack cannot see, a session patches its
/// last result (the edited file's changes, problems and output) instead of
/// putting the stack together; the result equals a full run's, and an edit
/// that others can see (a document gone) puts it together again.
#[test]
fn an_edit_others_cannot_see_patches_the_last_result() {
    let (mut stack, job, mut session) = session_over(1000);
    assert_eq!(session.run().errors(), 0);
    let check = |session: &mut graft::session::Session, stack: &[(String, String)]| {
        let incremental = session.run();
        let mut full = job.clone();
        full.stack = stack.to_vec();
        let full = run(&full);
        assert_eq!(incremental.errors(), 0);
        assert_eq!(
            incremental.outcome.as_ref().map(|o| (&o.plan, &o.files)),
            full.outcome.as_ref().map(|o| (&o.plan, &o.files))
        );
        assert_eq!(incremental.handoff, full.handoff);
    };
    // A value in a consumer.
    let i = stack.len() / 2;
    assert!(stack[i].1.contains("value: info"));
    stack[i].1 = stack[i].1.replace("value: info", "value: debug");
    session.set_file(&stack[i].0, &stack[i].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 1);
    // A line above a dropped Redis: the drops in the file are located
    // again, and the file is written with them.
    let r = stack
        .iter()
        .position(|(_, t)| t.contains("kind: StatefulSet"))
        .expect("the generated stack has a Redis");
    stack[r].1 = format!("# moved\n{}", stack[r].1);
    session.set_file(&stack[r].0, &stack[r].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 2);
    // Two files at once, one of them a consumer's endpoint (the hand-off
    // is written again).
    let c = stack
        .iter()
        .position(|(_, t)| t.contains("redis-master:6379"))
        .expect("the generated stack has a consumer with host:port");
    stack[c].1 = stack[c]
        .1
        .replacen("redis-master:6379", "redis-master:7000", 1);
    stack[i].1 = stack[i].1.replace("value: debug", "value: info");
    session.set_file(&stack[c].0, &stack[c].1);
    session.set_file(&stack[i].0, &stack[i].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 3);
    // The Redis itself edited: the whole stack is put together again.
    stack[r].1 = stack[r].1.replace("storage: 8Gi", "storage: 9Gi");
    session.set_file(&stack[r].0, &stack[r].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 3);
    // A document gone renames: so is it.
    let docs: Vec<&str> = stack[i].1.split("---\n").collect();
    stack[i].1 = docs[1..].join("---\n");
    session.set_file(&stack[i].0, &stack[i].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 3);
    // A result the caller still holds is not changed under it.
    let held = session.run();
    stack[i].1 = stack[i].1.replacen("value: info", "value: warn", 1);
    session.set_file(&stack[i].0, &stack[i].1);
    check(&mut session, &stack);
    assert_eq!(session.patched(), 5);
    assert!(held.outcome.as_ref().is_some_and(|o| {
        o.files
            .iter()
            .all(|f| f.text.as_deref().is_none_or(|t| !t.contains("value: warn")))
    }));
}

/// A job over `stack` with `rules` and TLS bindings, for the session tests.
fn session_job(rules: Vec<(String, String)>, stack: &[(String, String)]) -> Job {
    Job {
        rules,
        bindings: (
            "bindings.yaml".into(),
            Bindings {
                port: None,
                database: 1,
                tls: true,
                cluster: false,
                iam: false,
            }
            .yaml(),
        ),
        stack: stack.to_vec(),
        certificates: Default::default(),
    }
}

/// A generated stack of `objects` objects, its job with the shipped rules,
/// and a session over it that has not run yet.
fn session_over(objects: usize) -> (Vec<(String, String)>, Job, graft::session::Session) {
    let stack = kubernetes(Shape {
        objects,
        ..Shape::default()
    });
    let job = session_job(rules(), &stack);
    let session = graft::session::Session::new(&job);
    (stack, job, session)
}

/// Runs `f` on a pool of one thread: how much a session works out again is
/// a property of what depends on what, which these tests count exactly. On
/// several cores, a few runs in a hundred under load worked out one
/// file's plan once more (its references and place were equal before and
/// after), a cost of the concurrent validation, not a wrong result: the
/// parallel engine's output is checked against the sequential one in
/// `tests/parallel.rs`.
fn on_one_thread(f: impl FnOnce() + Send) {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread")
        .install(f);
}

/// An edit reparses its file only; it works out that file's references and
/// its part of the plan again, and every file's references only when it
/// renames something others can name.
#[test]
fn an_edit_reparses_only_its_file() {
    on_one_thread(an_edit_reparses_only_its_file_counted);
}

fn an_edit_reparses_only_its_file_counted() {
    let (stack, job, mut session) = session_over(400);
    let files = stack.len();
    assert_eq!(session.run().errors(), 0);
    assert_eq!(session.parses(), files);
    assert_eq!(session.linked(), files);
    assert_eq!(session.matched(), files);
    assert_eq!(session.planned(), files);
    let (path, text) = &stack[3];
    assert!(text.contains("value: info"));
    session.set_file(path, &text.replace("value: info", "value: debug"));
    assert_eq!(session.run().errors(), 0);
    assert_eq!(
        session.parses(),
        files + 1,
        "an edit to one file reparsed others"
    );
    assert_eq!(
        session.linked(),
        files + 1,
        "an edit that renames nothing worked out other files' references again"
    );
    assert_eq!(
        session.matched(),
        files + 1,
        "an edit rematched other files"
    );
    assert_eq!(
        session.planned(),
        files + 1,
        "an edit worked out other files' part of the plan again"
    );
    // Nothing changed: nothing is parsed, linked, matched or planned.
    session.run();
    assert_eq!(session.parses(), files + 1);
    assert_eq!(session.linked(), files + 1);
    assert_eq!(session.matched(), files + 1);
    assert_eq!(session.planned(), files + 1);
    // New bindings: every file is matched and planned again, none parsed or
    // linked.
    // The same bindings again are no change at all.
    session.set_bindings("bindings.yaml", &job.bindings.1);
    session.run();
    assert_eq!(session.matched(), files + 1);
    session.set_bindings("bindings.yaml", &format!("{}# rotated\n", job.bindings.1));
    assert_eq!(session.run().errors(), 0);
    assert_eq!(session.matched(), 2 * files + 1);
    assert_eq!(session.planned(), 2 * files + 1);
    assert_eq!(session.parses(), files + 1);
    assert_eq!(session.linked(), files + 1);
    // A new Service is a new name: every file is linked again.
    session.set_file(
        "zz-new.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: extra, namespace: team-0}\nspec: {ports: [{port: 80}]}\n",
    );
    assert_eq!(session.run().errors(), 0);
    assert_eq!(session.parses(), files + 2);
    assert_eq!(session.linked(), 2 * files + 2);
    // ... but the references come out the same, and so do the scope and
    // every other file's part of the plan.
    assert_eq!(session.planned(), 2 * files + 2);
}

/// Editing a consumer's endpoint works out that file's part of the plan
/// again, and the plan follows the edit.
#[test]
fn an_edit_to_a_consumer_replans_only_its_file() {
    on_one_thread(an_edit_to_a_consumer_replans_only_its_file_counted);
}

fn an_edit_to_a_consumer_replans_only_its_file_counted() {
    let (stack, job, mut session) = session_over(400);
    let files = stack.len();
    let before = session.run();
    assert_eq!(before.errors(), 0, "{:?}", before.diagnostics);
    let i = stack
        .iter()
        .position(|(_, t)| t.contains("redis-master:6379"))
        .expect("the generated stack has a consumer with host:port");
    let (path, text) = &stack[i];
    let edited = text.replacen("redis-master:6379", "redis-master:7000", 1);
    session.set_file(path, &edited);
    let after = session.run();
    assert_eq!(session.planned(), files + 1);
    let mut full = job.clone();
    full.stack[i].1 = edited;
    let full = run(&full);
    assert_eq!(
        after.outcome.as_ref().map(|o| (&o.plan, &o.files)),
        full.outcome.as_ref().map(|o| (&o.plan, &o.files))
    );
    assert_ne!(
        after.outcome.as_ref().map(|o| &o.plan),
        before.outcome.as_ref().map(|o| &o.plan)
    );
}

/// A matcher that reads a derived attribute (the Service in front of a
/// workload) cannot match one file alone: the session matches the whole
/// stack, and still gives what a full run gives.
#[test]
fn a_matcher_on_a_derived_attribute_matches_the_whole_stack_in_a_session() {
    let stack = kubernetes(Shape {
        objects: 200,
        ..Shape::default()
    });
    let rules = rules()
        .into_iter()
        .map(|(name, text)| {
            let text = text.replace(
                "kubernetes StatefulSet | Deployment | Pod if image ~",
                "kubernetes StatefulSet | Deployment | Pod if service.port == 6379 && image ~",
            );
            (name, text)
        })
        .collect::<Vec<_>>();
    assert!(
        rules
            .iter()
            .any(|(_, t)| t.contains("service.port == 6379"))
    );
    let job = session_job(rules, &stack);
    let mut session = graft::session::Session::new(&job);
    let (path, text) = &stack[2];
    session.set_file(path, &text.replace("value: info", "value: debug"));
    let incremental = session.run();
    let mut edited = job.clone();
    edited.stack[2].1 = text.replace("value: info", "value: debug");
    let full = run(&edited);
    assert_eq!(incremental.errors(), 0, "{:?}", incremental.diagnostics);
    assert_eq!(
        incremental.outcome.as_ref().map(|o| (&o.plan, &o.files)),
        full.outcome.as_ref().map(|o| (&o.plan, &o.files))
    );
    assert!(
        full.outcome
            .as_ref()
            .is_some_and(|o| !o.plan.changes.is_empty())
    );
}

#[test]
fn a_session_shows_where_a_stack_file_is_wrong_and_keeps_checked_rules() {
    let job = Job {
        rules: rules(),
        bindings: (
            "bindings.yaml".into(),
            "redis:\n  hostname: h.example.com\n  auth: { secret: { store: kubernetes, name: a, key: b } }\n"
                .into(),
        ),
        stack: vec![(
            "bad.yaml".into(),
            "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n".into(),
        )],
        certificates: Default::default(),
    };
    let mut session = graft::session::Session::new(&job);
    let done = session.run();
    let shown = graft::cli::render::text(&done.sources, &done.diagnostics, false);
    assert!(
        shown.contains("E0701") && shown.contains("kind: ConfigMap"),
        "{shown}"
    );
    session.set_file(
        "bad.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {a: b}\n",
    );
    let done = session.run();
    assert_eq!(done.errors(), 0);
    // New bindings are read again.
    session.set_bindings("bindings.yaml", "redis:\n  hostname: h\n  databse: 1\n");
    let done = session.run();
    assert!(done.diagnostics.iter().any(|d| d.code.as_str() == "E0602"));
}

/// The bindings for a Compose project: the credential in a store the
/// deployer reads into the environment, or an IAM role.
fn compose_bindings(b: &Bindings) -> String {
    let auth = match (b.iam, b.database % 2) {
        (true, _) => "{ iam_role: \"arn:aws:iam::123456789012:role/app\", user: app }".to_string(),
        (false, 0) => "{ secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:cache\" } }".to_string(),
        (false, _) => "{ secret: { store: azure-keyvault, vault: team-kv, name: cache-password } }".to_string(),
    };
    let host = match b.port {
        Some(p) => format!("cache.customer.example:{p}"),
        None => "cache.customer.example".into(),
    };
    format!(
        "redis:\n  hostname: {host}\n  auth: {auth}\n  database: {}\n  tls: {}\n  cluster: {}\n",
        b.database, b.tls, b.cluster
    )
}

fn applied_compose(stack: Vec<(String, String)>, b: &Bindings) -> Done {
    run(&Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), compose_bindings(b)),
        stack,
        certificates: Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The same guarantees over generated Compose projects.
    #[test]
    fn compose_apply_keeps_the_guarantees(shape in shape(), b in bindings(), shuffle in any::<u64>()) {
        let stack = graft::stack::generate::compose(shape);
        let done = applied_compose(stack.clone(), &b);
        prop_assert_eq!(done.errors(), 0, "{:?}", done.outcome.as_ref().map(|o| o.plan.to_text()));
        let out = output(&done);
        let plan = &done.outcome.as_ref().unwrap().plan;

        // Idempotence.
        let again = applied_compose(out.clone(), &b);
        prop_assert_eq!(again.errors(), 0);
        for f in &again.outcome.as_ref().unwrap().files {
            prop_assert!(!f.changed, "applying again changed {}", f.path);
        }

        // Order independence and determinism.
        let other = applied_compose(shuffled(&stack, shuffle), &b);
        prop_assert_eq!(&output(&other), &out);
        prop_assert_eq!(&other.outcome.as_ref().unwrap().plan, plan);

        // The project's files are worked on in runs of groups that share
        // nothing, on every core: on one core (one run, uncut), the same.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let alone = one.install(|| applied_compose(stack.clone(), &b));
        prop_assert_eq!(&output(&alone), &out);
        prop_assert_eq!(&alone.outcome.as_ref().unwrap().plan, plan);

        // Preservation: a team's file without a cache is untouched.
        for (path, text) in &stack {
            if !text.contains("-cache") {
                let written = out.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str());
                prop_assert_eq!(written, Some(text.as_str()), "{} changed", path);
            }
        }

        // No dangling reference, nothing left to replace, and it reads back.
        let all: String = out.iter().map(|(_, t)| t.as_str()).collect();
        let named = all
            .match_indices("-cache")
            .any(|(i, _)| all.as_bytes()[..i].last().is_some_and(u8::is_ascii_digit));
        prop_assert!(!named, "a cache (`tN-cache`) or a reference to one is left");
        prop_assert!(!all.contains("bitnami/redis"), "the default Redis is still there");
        prop_assert!(graft::stack::compose::read_copies(&out).is_ok(), "the output does not read back");

        // Secrets: the vendor's is gone; none is held.
        prop_assert!(!all.contains("canary-generated"));
        prop_assert!(!plan.to_text().contains("canary-generated"));
        prop_assert!(!done.handoff.as_deref().unwrap_or("").contains("canary-generated"));
    }
}

/// A session over a Terraform configuration (the language server's preview
/// of a Terraform sample) gives what a one-shot run gives, after an edit too.
#[test]
fn a_session_over_terraform_equals_a_run() {
    let stack = graft::stack::generate::terraform(Shape {
        objects: 120,
        ..Shape::default()
    });
    let b = Bindings {
        port: Some(6380),
        database: 2,
        tls: true,
        cluster: false,
        iam: false,
    };
    let job = Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), terraform_bindings(&b)),
        stack: stack.clone(),
        certificates: Default::default(),
    };
    let mut session = graft::session::Session::new(&job);
    let first = session.run();
    assert_eq!(first.errors(), 0);
    assert_eq!(output(&first), output(&run(&job)));
    let (path, text) = stack
        .iter()
        .find(|(p, _)| p.starts_with("team-"))
        .unwrap()
        .clone();
    let edited = text.replace("\"info\"", "\"debug\"");
    session.set_file(&path, &edited);
    let mut after = job.clone();
    for f in &mut after.stack {
        if f.0 == path {
            f.1 = edited.clone();
        }
    }
    assert_eq!(output(&session.run()), output(&run(&after)));
}

/// A session over a Compose project (the language server's preview of a
/// Compose sample) gives what a one-shot run gives, after an edit too.
#[test]
fn a_session_over_compose_equals_a_run() {
    let stack = graft::stack::generate::compose(Shape {
        objects: 120,
        ..Shape::default()
    });
    let b = Bindings {
        port: Some(6380),
        database: 2,
        tls: true,
        cluster: false,
        iam: false,
    };
    let job = Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), compose_bindings(&b)),
        stack: stack.clone(),
        certificates: Default::default(),
    };
    let mut session = graft::session::Session::new(&job);
    let first = session.run();
    assert_eq!(first.errors(), 0);
    assert_eq!(output(&first), output(&run(&job)));
    let (path, text) = stack
        .iter()
        .find(|(_, t)| t.contains("-cache:"))
        .unwrap()
        .clone();
    let edited = text.replace("LOG_LEVEL: info", "LOG_LEVEL: debug");
    assert_ne!(edited, text);
    session.set_file(&path, &edited);
    let mut after = job.clone();
    for f in &mut after.stack {
        if f.0 == path {
            f.1 = edited.clone();
        }
    }
    assert_eq!(output(&session.run()), output(&run(&after)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever a Terraform file is edited into, graft reads, plans and
    /// renders its diagnostics without a panic.
    #[test]
    fn mutated_terraform_never_panics(
        edits in proptest::collection::vec((0usize..100_000, 0usize..12, "([ -~\n]|é|ß|\\$\\{|%\\{|\\}|\"){0,6}"), 1..8)
    ) {
        let dir = common::root().join("rules/tests/redis-terraform");
        let mut text = std::fs::read_to_string(dir.join("stack/main.tf")).unwrap();
        common::mutate(&mut text, &edits);
        let job = Job {
            rules: rules(),
            bindings: (
                "bindings.yaml".into(),
                std::fs::read_to_string(dir.join("bindings.yaml")).unwrap(),
            ),
            stack: vec![
                ("main.tf".into(), text),
                (
                    "variables.tf".into(),
                    std::fs::read_to_string(dir.join("stack/variables.tf")).unwrap(),
                ),
            ],
            certificates: Default::default(),
        };
        let done = run(&job);
        let _ = graft::cli::render::text(&done.sources, &done.diagnostics, false);
        if let Some(outcome) = &done.outcome {
            let _ = outcome.plan.to_text();
            // What is written reads back.
            if !outcome.plan.has_errors() {
                let out = output(&done);
                prop_assert!(graft::stack::terraform::read(out).is_ok(), "the output does not read back");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever a Compose file is edited into, graft reads, plans and renders
    /// its diagnostics without a panic, and what it writes reads back.
    #[test]
    fn mutated_compose_never_panics(
        edits in proptest::collection::vec((0usize..100_000, 0usize..12, "([ -~\n]|é|ß|\\$\\{|&a|\\*a|<<|- |: ){0,6}"), 1..8)
    ) {
        let dir = common::root().join("tests/apply/compose-every-reference");
        let mut text = std::fs::read_to_string(dir.join("stack/compose.yaml")).unwrap();
        common::mutate(&mut text, &edits);
        let job = Job {
            rules: rules(),
            bindings: (
                "bindings.yaml".into(),
                std::fs::read_to_string(dir.join("bindings.yaml")).unwrap(),
            ),
            stack: vec![
                ("compose.yaml".into(), text),
                (
                    "compose.override.yaml".into(),
                    std::fs::read_to_string(dir.join("stack/compose.override.yaml")).unwrap(),
                ),
            ],
            certificates: Default::default(),
        };
        let done = run(&job);
        let _ = graft::cli::render::text(&done.sources, &done.diagnostics, false);
        if let Some(outcome) = &done.outcome {
            let _ = outcome.plan.to_text();
            if !outcome.plan.has_errors() {
                let out = output(&done);
                prop_assert!(graft::stack::compose::read_copies(&out).is_ok(), "the output does not read back");
            }
        }
    }
}

/// The bindings for CloudFormation: Terraform's, with the credential in
/// Secrets Manager (a Lambda function cannot be given an SSM SecureString).
fn cloudformation_bindings(b: &Bindings) -> String {
    terraform_bindings(b).replace(
        "{ store: aws-ssm, name: /customer/cache/password }",
        "{ store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:cache\" }",
    )
}

fn applied_cloudformation(stack: Vec<(String, String)>, b: &Bindings) -> Done {
    run(&Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), cloudformation_bindings(b)),
        stack,
        certificates: Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The same guarantees over generated CloudFormation templates.
    #[test]
    fn cloudformation_apply_keeps_the_guarantees(shape in shape(), b in bindings(), shuffle in any::<u64>()) {
        let stack = graft::stack::generate::cloudformation(shape);
        let done = applied_cloudformation(stack.clone(), &b);
        prop_assert_eq!(done.errors(), 0, "{:?}", done.outcome.as_ref().map(|o| o.plan.to_text()));
        let out = output(&done);
        let plan = &done.outcome.as_ref().unwrap().plan;

        // Idempotence.
        let again = applied_cloudformation(out.clone(), &b);
        prop_assert_eq!(again.errors(), 0);
        for f in &again.outcome.as_ref().unwrap().files {
            prop_assert!(!f.changed, "applying again changed {}", f.path);
        }

        // Order independence and determinism.
        let other = applied_cloudformation(shuffled(&stack, shuffle), &b);
        prop_assert_eq!(&output(&other), &out);
        prop_assert_eq!(&other.outcome.as_ref().unwrap().plan, plan);

        // The templates are worked on in runs, on every core: on one core
        // (one run, uncut), the same.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let alone = one.install(|| applied_cloudformation(stack.clone(), &b));
        prop_assert_eq!(&output(&alone), &out);
        prop_assert_eq!(&alone.outcome.as_ref().unwrap().plan, plan);

        // Preservation: a team's template without a cache is untouched.
        for (path, text) in &stack {
            if !text.contains("Cache") {
                let written = out.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str());
                prop_assert_eq!(written, Some(text.as_str()), "{} changed", path);
            }
        }

        // No dangling reference, nothing left to replace, and it reads back.
        let all: String = out.iter().map(|(_, t)| t.as_str()).collect();
        prop_assert!(!all.contains("Cache\""), "a cache or a reference to one is left");
        prop_assert!(!all.contains("CacheSg"), "the cache's security group is left");
        prop_assert!(!all.contains("AWS::ElastiCache"), "the default Redis is still there");
        prop_assert!(graft::stack::cloudformation::read_copies(&out).is_ok(), "the output does not read back");

        // Secrets: the vendor's is gone; none is held.
        prop_assert!(!all.contains("canary-generated"));
        prop_assert!(!plan.to_text().contains("canary-generated"));
        prop_assert!(!done.handoff.as_deref().unwrap_or("").contains("canary-generated"));
    }
}

/// A session over CloudFormation templates (the language server's preview
/// of a CloudFormation sample) gives what a one-shot run gives, after an
/// edit too.
#[test]
fn a_session_over_cloudformation_equals_a_run() {
    let stack = graft::stack::generate::cloudformation(Shape {
        objects: 120,
        ..Shape::default()
    });
    let b = Bindings {
        port: Some(6380),
        database: 2,
        tls: true,
        cluster: false,
        iam: false,
    };
    let job = Job {
        rules: rules(),
        bindings: ("bindings.yaml".into(), cloudformation_bindings(&b)),
        stack: stack.clone(),
        certificates: Default::default(),
    };
    let mut session = graft::session::Session::new(&job);
    let first = session.run();
    assert_eq!(first.errors(), 0);
    assert_eq!(output(&first), output(&run(&job)));
    let (path, text) = stack
        .iter()
        .find(|(_, t)| t.contains("AWS::ElastiCache::ReplicationGroup"))
        .unwrap()
        .clone();
    let edited = text.replace("Value: info", "Value: debug");
    assert_ne!(edited, text);
    session.set_file(&path, &edited);
    let mut after = job.clone();
    for f in &mut after.stack {
        if f.0 == path {
            f.1 = edited.clone();
        }
    }
    assert_eq!(output(&session.run()), output(&run(&after)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever a template is edited into, graft reads, plans and renders
    /// its diagnostics without a panic, and what it writes reads back.
    #[test]
    fn mutated_cloudformation_never_panics(
        edits in proptest::collection::vec((0usize..100_000, 0usize..12, "([ -~\n]|é|ß|\\$\\{|!Ref |!GetAtt |!Sub |Fn::|- |: |\\{|\\}|\\[|\\]){0,6}"), 1..8)
    ) {
        let dir = common::root().join("rules/tests/redis-cloudformation");
        let mut text = std::fs::read_to_string(dir.join("stack/template.yaml")).unwrap();
        common::mutate(&mut text, &edits);
        let json = std::fs::read_to_string(
            common::root().join("tests/apply/cloudformation-consumers-json/stack/template.json"),
        )
        .unwrap();
        let mut json_text = json.clone();
        common::mutate(&mut json_text, &edits);
        for stack in [vec![("template.yaml".to_string(), text.clone())], vec![("template.json".to_string(), json_text.clone())]] {
            let job = Job {
                rules: rules(),
                bindings: (
                    "bindings.yaml".into(),
                    std::fs::read_to_string(dir.join("bindings.yaml")).unwrap(),
                ),
                stack,
                certificates: Default::default(),
            };
            let done = run(&job);
            let _ = graft::cli::render::text(&done.sources, &done.diagnostics, false);
            if let Some(outcome) = &done.outcome {
                let _ = outcome.plan.to_text();
                if !outcome.plan.has_errors() {
                    let out = output(&done);
                    if !out.is_empty() && graft::stack::cloudformation::is_stack(out.iter().map(|(p, t)| (p.as_str(), t.as_str()))) {
                        prop_assert!(graft::stack::cloudformation::read_copies(&out).is_ok(), "the output does not read back");
                    }
                }
            }
        }
    }
}
