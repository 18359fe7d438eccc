#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! `api::run_taking` (what `graft apply` calls: the stack's texts move into
//! the read) gives what `api::run` gives over the same job: the same output,
//! plan and hand-off, and on a stack that does not read, the same located
//! errors with the same snippets.

mod common;

use graft::api::{Done, Job, run, run_taking};
use graft::stack::generate::{self, Shape};

fn job(stack: Vec<(String, String)>) -> Job {
    let rules = ["redis.graft", "valkey.graft"]
        .iter()
        .map(|f| {
            let path = common::root().join("rules").join(f);
            (f.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect();
    Job {
        rules,
        bindings: ("bindings.yaml".into(), generate::bindings(true).into()),
        stack,
        certificates: Default::default(),
    }
}

fn taking(job: &Job) -> Done {
    let certificate = |path: &str| {
        job.certificates
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file was given".to_string())
    };
    run_taking(job.clone(), &certificate, &())
}

#[test]
fn taking_the_job_gives_what_borrowing_it_gives() {
    let job = job(generate::kubernetes(Shape {
        objects: 2000,
        ..Shape::default()
    }));
    let (borrowed, taken) = (run(&job), taking(&job));
    assert_eq!(borrowed.errors(), 0, "{:?}", borrowed.diagnostics);
    assert_eq!(borrowed.diagnostics, taken.diagnostics);
    let (a, b) = (borrowed.outcome.unwrap(), taken.outcome.unwrap());
    assert!(!a.plan.changes.is_empty());
    assert_eq!(a.plan, b.plan);
    assert_eq!(a.files, b.files);
    assert_eq!(borrowed.handoff, taken.handoff);
}

#[test]
fn a_stack_that_does_not_read_gives_the_same_errors_and_snippets() {
    let mut stack = generate::kubernetes(Shape {
        objects: 200,
        ..Shape::default()
    });
    // A syntax error in one file, an object without a kind in another, and
    // an object defined in two files.
    stack[0].1.push_str("---\nmetadata: {name: [broken\n");
    stack[1]
        .1
        .push_str("---\napiVersion: v1\nmetadata: {name: nameless}\n");
    let twice = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\n";
    stack[2].1.push_str(twice);
    stack[3].1.push_str(twice);
    let job = job(stack);
    let (borrowed, taken) = (run(&job), taking(&job));
    assert!(borrowed.outcome.is_none() && taken.outcome.is_none());
    assert_eq!(borrowed.diagnostics.len(), 3, "{:?}", borrowed.diagnostics);
    assert_eq!(borrowed.diagnostics, taken.diagnostics);
    // What the user sees: each error's snippet, read from the file's text.
    let shown = |d: &Done| graft::cli::render::text(&d.sources, &d.diagnostics, false);
    let (a, b) = (shown(&borrowed), shown(&taken));
    assert!(a.contains("metadata: {name: nameless}"), "{a}");
    assert_eq!(a, b);
}
