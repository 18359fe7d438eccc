//! No secret value leaks: a canary value written into the bindings in every
//! place a careless or confused customer might put one (a reference's
//! `value`, a plain `auth`, a `password` field, a URL's password, an
//! identity's field, a line with a syntax error; YAML, JSON and TOML) never
//! appears in anything graft prints or writes for a stack of any format:
//! the diagnostics as text and JSON, the plan as text and JSON, the
//! hand-off, and the output files.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use graft::api::{Job, run};
use proptest::prelude::*;

/// The bindings file (name, text) with the canary at `place`.
fn bindings(place: usize, canary: &str) -> (String, String) {
    let reference = "{ secret: { store: kubernetes, name: redis-auth, key: password } }";
    let yaml = |body: String| ("bindings.yaml".to_string(), format!("redis:\n{body}"));
    match place {
        0 => yaml(format!(
            "  hostname: h:6379\n  auth: {{ secret: {{ store: kubernetes, name: redis-auth, key: password, value: {canary} }} }}\n"
        )),
        1 => yaml(format!("  hostname: h:6379\n  auth: {canary}\n")),
        2 => yaml(format!(
            "  hostname: h:6379\n  auth: {reference}\n  password: {canary}\n"
        )),
        3 => yaml(format!(
            "  hostname: \"redis://default:{canary}@h:6379/0\"\n  auth: {reference}\n"
        )),
        4 => yaml(format!(
            "  hostname: h:6379\n  auth:\n    password: {canary}\n"
        )),
        5 => yaml(format!(
            "  hostname: h:6379\n  auth: {reference}\n  token: \"{canary}\"\n  database: [\n"
        )),
        6 => (
            "bindings.json".into(),
            format!(
                "{{\"redis\": {{\"hostname\": \"h:6379\", \"auth\": {{\"secret\": {{\"store\": \"kubernetes\", \"name\": \"redis-auth\", \"key\": \"password\", \"password\": \"{canary}\"}}}}}}}}\n"
            ),
        ),
        7 => (
            "bindings.toml".into(),
            format!("[redis]\nhostname = \"h:6379\"\nauth = \"{canary}\"\n"),
        ),
        8 => yaml(format!(
            "  hostname: h:6379\n  auth: {{ iam_role: \"arn:aws:iam::1:role/r\", user: app, password: {canary} }}\n"
        )),
        _ => yaml(format!(
            "  hostname: h:6379\n  auth: {{ secret: {{ store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:1:secret:r\" }} }}\n  api_key: {canary}\n"
        )),
    }
}

const PLACES: usize = 10;

/// The stacks of the rules library's Redis cases, one per format.
fn stacks() -> Vec<Vec<(String, String)>> {
    let root = common::root().join("rules/tests");
    [
        "redis-kubernetes",
        "redis-terraform",
        "redis-compose",
        "redis-cloudformation",
    ]
    .iter()
    .map(|case| {
        let dir = root.join(case).join("stack");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    })
    .collect()
}

fn rules() -> Vec<(String, String)> {
    common::graft_files(&common::root().join("rules"))
        .into_iter()
        .map(|p| {
            (
                common::display_name(&p),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// Everything graft shows or writes for the job.
fn everything(job: &Job) -> String {
    let done = run(job);
    let mut all = graft::cli::render::text(&done.sources, &done.diagnostics, false);
    all.push_str(
        &serde_json::to_string(&graft::cli::render::json(&done.sources, &done.diagnostics))
            .unwrap(),
    );
    if let Some(outcome) = &done.outcome {
        all.push_str(&outcome.plan.to_text());
        all.push_str(&outcome.plan.to_json().to_string());
        for f in &outcome.files {
            all.push_str(f.text.as_deref().unwrap_or(""));
        }
    }
    all.push_str(done.handoff.as_deref().unwrap_or(""));
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_canary_in_the_bindings_appears_in_nothing_graft_shows_or_writes(
        place in 0..PLACES,
        stack in 0usize..4,
        canary in "Canary-[A-Za-z0-9]{12}",
    ) {
        let job = Job {
            rules: rules(),
            bindings: bindings(place, &canary),
            stack: stacks().swap_remove(stack),
            certificates: Default::default(),
        };
        let shown = everything(&job);
        prop_assert!(!shown.contains(&canary), "place {place}, stack {stack}: the canary shows in\n{shown}");
    }
}

/// Every place is tried on every stack at least once, whatever proptest
/// draws, and a run that fails shows its errors (not a vacuous pass).
#[test]
fn every_place_on_every_stack() {
    let stacks = stacks();
    for place in 0..PLACES {
        for (i, stack) in stacks.iter().enumerate() {
            let canary = format!("Canary-{place}x{i}Q7w9");
            let job = Job {
                rules: rules(),
                bindings: bindings(place, &canary),
                stack: stack.clone(),
                certificates: Default::default(),
            };
            let shown = everything(&job);
            assert!(
                !shown.contains(&canary),
                "place {place}, stack {i}: the canary shows in\n{shown}"
            );
            assert!(
                shown.contains("error"),
                "place {place}, stack {i}: no error\n{shown}"
            );
        }
    }
}
