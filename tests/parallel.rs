#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! The parallel engine gives what a sequential run gives (issue 8): files
//! are parsed, matched and planned on every core, and a stack of every format
//! applied on four threads must give byte-identical output, the same plan and
//! the same hand-off as on one.

mod common;

use graft::api::{Done, Job, run};
use graft::stack::generate::{self, Shape};

fn rules() -> Vec<(String, String)> {
    ["redis.graft", "valkey.graft", "postgresql.graft"]
        .iter()
        .map(|f| {
            let path = common::root().join("rules").join(f);
            (f.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect()
}

/// The job applied on a pool of `threads` threads.
fn on(threads: usize, job: &Job) -> Done {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| run(job))
}

fn same_on_one_thread_and_on_four(generate: fn(Shape) -> Vec<(String, String)>, kubernetes: bool) {
    let job = Job {
        rules: rules(),
        bindings: (
            "bindings.yaml".into(),
            generate::bindings(kubernetes).into(),
        ),
        stack: generate(Shape {
            objects: 3000,
            ..Shape::default()
        }),
        certificates: Default::default(),
    };
    let (one, four) = (on(1, &job), on(4, &job));
    assert_eq!(one.errors(), 0, "{:?}", one.diagnostics);
    let (a, b) = (one.outcome.unwrap(), four.outcome.unwrap());
    assert!(
        !a.plan.changes.is_empty(),
        "the stack gives the rules nothing to do"
    );
    assert_eq!(a.plan, b.plan);
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.path, y.path);
        assert!(x.text == y.text, "{} differs", x.path);
    }
    assert_eq!(one.handoff, four.handoff);
}

#[test]
fn kubernetes_in_parallel_is_kubernetes_in_sequence() {
    same_on_one_thread_and_on_four(generate::kubernetes, true);
}

#[test]
fn terraform_in_parallel_is_terraform_in_sequence() {
    same_on_one_thread_and_on_four(generate::terraform, false);
}

#[test]
fn compose_in_parallel_is_compose_in_sequence() {
    same_on_one_thread_and_on_four(generate::compose, false);
}

#[test]
fn cloudformation_in_parallel_is_cloudformation_in_sequence() {
    same_on_one_thread_and_on_four(generate::cloudformation, false);
}
