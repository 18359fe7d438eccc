//! The fuzz targets' checks (`graft::fuzzing`, run by cargo-fuzz from
//! `fuzz/`) on stable Rust, over every input a fuzzer found a problem with
//! (`fuzz/regressions/TARGET/`) and over the repository's own fixtures of
//! each kind, which are also the fuzzers' seeds (`fuzz/seed.sh`). This is
//! the fuzzers' smoke in CI: a target whose check breaks on a fixture, or
//! a fixed crash that comes back, fails here.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use graft::fuzzing::{self, Fixture};
use std::path::{Path, PathBuf};

/// Files under `dir` (recursively) whose names end in one of `endings`.
fn files(dir: &Path, endings: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(files(&p, endings));
        } else if endings.is_empty()
            || endings
                .iter()
                .any(|e| p.file_name().unwrap().to_string_lossy().ends_with(e))
        {
            out.push(p);
        }
    }
    out
}

/// The stack files of the fixtures under `dir` (not their expectations).
fn stacks(dir: &Path, endings: &[&str]) -> Vec<PathBuf> {
    files(dir, endings)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("/stack/"))
        .collect()
}

/// The saved inputs of `target`.
fn regressions(target: &str) -> Vec<PathBuf> {
    files(&common::root().join("fuzz/regressions").join(target), &[])
}

fn each(inputs: &[PathBuf], at_least: usize, check: impl Fn(&[u8])) {
    assert!(
        inputs.len() >= at_least,
        "only {} inputs: {inputs:?}",
        inputs.len()
    );
    for p in inputs {
        let data = std::fs::read(p).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
        assert!(outcome.is_ok(), "the check fails on {}", p.display());
    }
}

#[test]
fn rules() {
    let root = common::root();
    let mut inputs = files(&root.join("rules"), &[".graft"]);
    inputs.extend(files(&root.join("tests/check"), &[".graft"]));
    inputs.extend(files(&root.join("tests/fmt"), &[".graft"]));
    inputs.extend(regressions("rules"));
    each(&inputs, 50, fuzzing::rules);
}

#[test]
fn kubernetes() {
    let root = common::root();
    let fixture = Fixture::shipped(&root);
    let mut inputs = files(&root.join("examples/shop/stack"), &[".yaml"]);
    inputs.extend(
        stacks(&root.join("tests/apply"), &[".yaml", ".json"])
            .into_iter()
            .filter(|p| {
                !p.to_string_lossy().contains("/apply/compose-")
                    && !p.to_string_lossy().contains("/apply/cloudformation-")
            }),
    );
    inputs.extend(files(
        &root.join("rules/tests/redis-kubernetes/stack"),
        &[".yaml"],
    ));
    inputs.extend(regressions("kubernetes"));
    each(&inputs, 5, |d| fuzzing::stack(&fixture, "stack.yaml", d));
}

#[test]
fn terraform() {
    let root = common::root();
    let fixture = Fixture::shipped(&root);
    let mut inputs = files(&root.join("rules/tests"), &["main.tf"]);
    inputs.extend(stacks(&root.join("tests/apply"), &[".tf"]));
    inputs.extend(regressions("terraform"));
    each(&inputs, 3, |d| fuzzing::stack(&fixture, "main.tf", d));
}

#[test]
fn compose() {
    let root = common::root();
    let fixture = Fixture::shipped(&root);
    let mut inputs = files(&root.join("rules/tests"), &["compose.yaml"]);
    inputs.extend(stacks(
        &root.join("tests/apply"),
        &["compose.yaml", "compose.yml"],
    ));
    inputs.extend(regressions("compose"));
    each(&inputs, 3, |d| fuzzing::stack(&fixture, "compose.yaml", d));
}

#[test]
fn cloudformation() {
    let root = common::root();
    let fixture = Fixture::shipped(&root);
    let mut inputs: Vec<PathBuf> = files(&root.join("rules/tests"), &[".yaml", ".json"])
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("cloudformation/stack"))
        .collect();
    inputs.extend(
        stacks(&root.join("tests/apply"), &[".yaml", ".json"])
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("/cloudformation-")),
    );
    inputs.extend(regressions("cloudformation"));
    each(&inputs, 3, |d| fuzzing::stack(&fixture, "template.yaml", d));
}

#[test]
fn bindings() {
    let root = common::root();
    let fixture = Fixture::shipped(&root);
    let mut inputs = files(&root.join("tests/bindings"), &[".yaml", ".json", ".toml"]);
    inputs.extend(files(&root.join("rules/tests"), &["bindings.yaml"]));
    inputs.extend(regressions("bindings"));
    each(&inputs, 10, |d| {
        // As the fuzz target does: the first byte picks the syntax.
        let (syntax, body) = d.split_first().map_or((0, d), |(s, b)| (*s, b));
        let name = ["b.yaml", "b.json", "b.toml"][usize::from(syntax % 3)];
        fuzzing::bindings(&fixture, name, body);
        // And the file as it is, named as it is.
        fuzzing::bindings(&fixture, "b.yaml", d);
    });
}

#[test]
fn lsp_messages() {
    let mut inputs = regressions("lsp");
    inputs.extend(files(&common::root().join("fuzz/seeds/lsp"), &[]));
    each(&inputs, 1, fuzzing::lsp_messages);
}
