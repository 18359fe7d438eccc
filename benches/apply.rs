//! Apply over generated Kubernetes stacks of 1k, 10k and 100k objects, dense
//! and sparse in Redis, beside the floor: a bare read of the same files
//! through the same YAML reader, a write of their text, and the trees freed. The target (issue 3): apply within 1.5x of the
//! floor. Run with `cargo bench --bench apply`; compare the two lines of each
//! size from the same run, as ratios. Terraform configurations of 1k and 10k
//! resources are applied beside hcl-edit's parse and print of the same files
//! (issue 5: within 1.5x), and Compose projects of 1k and 10k beside the
//! same bare read and write as Kubernetes (issue 6: within 1.5x), and so are
//! CloudFormation templates.
//!
//! Stacks are made when a benchmark first needs them, so that a filtered
//! run (`cargo bench --bench apply -- terraform/`) measures in a process
//! that never held the 100k stacks: their fragmented heap slows every
//! later allocation-heavy run (apply more than its floor). The figures in
//! the notes are from one filtered run per group.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

// The allocator the `graft` binary ships with, under both lines of every
// group: apply and its floor alike.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
use graft::api::{Job, run};
use graft::stack::generate::{self, Shape, kubernetes};
use std::hint::black_box;
use std::path::Path;

/// The sizes to measure: all of them under `cargo bench`, and only the
/// smallest in criterion's test mode (`cargo test --benches`, which CI runs
/// so that no benchmark rots, in a debug build where 100,000 objects take
/// minutes and test nothing the smallest does not).
fn sizes(all: &'static [usize]) -> &'static [usize] {
    if std::env::args().any(|a| a == "--bench") {
        all
    } else {
        &all[..1]
    }
}

fn rules() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "graft") {
            out.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn apply(c: &mut Criterion) {
    // Dense: a Redis in one namespace in four, about 0.65 changes per object
    // (the engine's worst case). Sparse: one in a hundred, nearer a vendor
    // stack with one cache and many consumers.
    for (name, redis_every) in [("kubernetes", 4), ("kubernetes-sparse", 100)] {
        group(c, name, redis_every);
    }
}

fn group(c: &mut Criterion, name: &str, redis_every: usize) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for &objects in sizes(&[1_000, 10_000, 100_000]) {
        // Made on first use: a run filtered to other benchmarks neither
        // waits for these stacks nor measures on a heap they fragmented.
        let stack = std::cell::OnceCell::new();
        let stack = || {
            stack.get_or_init(|| {
                kubernetes(Shape {
                    objects,
                    redis_every,
                    ..Shape::default()
                })
            })
        };
        group.bench_function(BenchmarkId::new("read+write floor", objects), |b| {
            let stack = stack();
            b.iter(|| yaml_floor(stack))
        });
        let job = std::cell::OnceCell::new();
        let job = || {
            job.get_or_init(|| Job {
                rules: rules(),
                bindings: ("bindings.yaml".into(), generate::bindings(true).into()),
                stack: stack().clone(),
                certificates: Default::default(),
            })
        };
        // Re-apply after one file changes, in a session that keeps the
        // other files' parses, references and matches.
        reapply(
            &mut group,
            "one edited file",
            objects,
            &job,
            &|s, job, flip| {
                let (path, text) = &job.stack[job.stack.len() / 2];
                let edited = text.replace("value: info", "value: debug");
                s.set_file(path, if flip { &edited } else { text });
            },
        );
        // After a rule file is edited (a comment: checked and matched
        // again, the parses and references kept).
        reapply(
            &mut group,
            "one edited rule",
            objects,
            &job,
            &|s, job, flip| {
                let mut rules = job.rules.clone();
                if flip {
                    rules[0].1.push_str("\n// edited\n");
                }
                s.set_rules(rules);
            },
        );
        // After the customer's bindings change (another database number).
        reapply(
            &mut group,
            "new bindings",
            objects,
            &job,
            &|s, job, flip| {
                let (name, text) = &job.bindings;
                let text = if flip {
                    text.replace("database: 2", "database: 3")
                } else {
                    text.clone()
                };
                s.set_bindings(name, &text);
            },
        );
        bench_apply(&mut group, objects, &job);
        // What `graft apply` runs: the job given up, its texts moved into
        // the read rather than copied (the copy of the job is made outside
        // the measured time, as the command line reads the files).
        group.bench_function(BenchmarkId::new("apply, texts taken", objects), |b| {
            let job = job();
            let certificate = |_: &str| Err("no certificates".to_string());
            b.iter_batched(
                || job.clone(),
                |job| {
                    let done = graft::api::run_taking(job, &certificate, &());
                    assert_eq!(done.errors(), 0);
                    done
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// Terraform: apply beside hcl-edit's own parse and print of the same files
/// (every file on every core, as apply reads them). The target (issue 5):
/// within 1.5x.
fn terraform(c: &mut Criterion) {
    let mut group = c.benchmark_group("terraform");
    group.sample_size(10);
    for &objects in sizes(&[1_000, 10_000]) {
        let stack = std::cell::OnceCell::new();
        let stack = || {
            stack.get_or_init(|| {
                graft::stack::generate::terraform(Shape {
                    objects,
                    redis_every: 4,
                    ..Shape::default()
                })
            })
        };
        group.bench_function(BenchmarkId::new("hcl-edit parse+print", objects), |b| {
            let stack = stack();
            b.iter(|| {
                use rayon::prelude::*;
                stack
                    .par_iter()
                    .map(|(path, text)| {
                        let body = hcl_edit::parser::parse_body(black_box(text)).unwrap();
                        (path.clone(), body.to_string())
                    })
                    .collect::<Vec<_>>()
            })
        });
        let job = std::cell::OnceCell::new();
        let job = || {
            job.get_or_init(|| Job {
                rules: rules(),
                bindings: ("bindings.yaml".into(), generate::bindings(false).into()),
                stack: stack().clone(),
                certificates: Default::default(),
            })
        };
        bench_apply(&mut group, objects, &job);
    }
    group.finish();
}

/// Compose: apply beside a bare read of the same files through the same
/// YAML reader and a write of their text (every file on every core). The
/// target (issue 6): within 1.5x.
fn compose(c: &mut Criterion) {
    yaml_stacks(c, "compose", graft::stack::generate::compose);
}

/// CloudFormation: the same, over generated templates (one per team, YAML
/// with short forms and JSON). The target (issue 6): within 1.5x.
fn cloudformation(c: &mut Criterion) {
    yaml_stacks(c, "cloudformation", graft::stack::generate::cloudformation);
}

/// A group of a YAML stack format: apply beside [`yaml_floor`], at 1k and
/// 10k objects of `generate`'s stacks.
fn yaml_stacks(c: &mut Criterion, name: &str, generate: fn(Shape) -> Vec<(String, String)>) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    for &objects in sizes(&[1_000, 10_000]) {
        let stack = std::cell::OnceCell::new();
        let stack = || {
            stack.get_or_init(|| {
                generate(Shape {
                    objects,
                    redis_every: 4,
                    ..Shape::default()
                })
            })
        };
        group.bench_function(BenchmarkId::new("read+write floor", objects), |b| {
            let stack = stack();
            b.iter(|| yaml_floor(stack))
        });
        let job = std::cell::OnceCell::new();
        let job = || {
            job.get_or_init(|| Job {
                rules: rules(),
                bindings: ("bindings.yaml".into(), generate::bindings(false).into()),
                stack: stack().clone(),
                certificates: Default::default(),
            })
        };
        bench_apply(&mut group, objects, &job);
    }
    group.finish();
}

/// The floor of a YAML stack: read the whole stack (every file on every
/// core, as apply reads them, each kept until written), then write it and
/// free the trees (on every core, as apply does).
fn yaml_floor(stack: &[(String, String)]) -> Vec<(String, String, usize)> {
    use rayon::prelude::*;
    let read: Vec<_> = stack
        .par_iter()
        .map(|(path, text)| {
            (
                path,
                text,
                graft::stack::yaml::parse(black_box(text)).unwrap(),
            )
        })
        .collect();
    read.into_par_iter()
        .map(|(path, text, docs)| (path.clone(), text.clone(), docs.len()))
        .collect()
}

/// A re-apply in an incremental session over the job, after `edit` (given
/// the session, the job and whether to edit or to undo the edit).
fn reapply<'j>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    what: &str,
    objects: usize,
    job: &dyn Fn() -> &'j Job,
    edit: &dyn Fn(&mut graft::session::Session, &Job, bool),
) {
    let mut session = None;
    let mut flip = false;
    group.bench_function(
        BenchmarkId::new(format!("reapply after {what}"), objects),
        |b| {
            let job = job();
            let session = session.get_or_insert_with(|| graft::session::Session::new(job));
            b.iter(|| {
                flip = !flip;
                edit(session, job, flip);
                let done = session.run();
                assert_eq!(done.errors(), 0);
                done
            })
        },
    );
}

/// The `apply` line of a group: the whole job, as `api::run` does it.
fn bench_apply<'j>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    objects: usize,
    job: &dyn Fn() -> &'j Job,
) {
    group.bench_function(BenchmarkId::new("apply", objects), |b| {
        let job = job();
        b.iter(|| {
            let done = run(black_box(job));
            assert_eq!(done.errors(), 0);
            done
        })
    });
}

criterion_group!(benches, apply, terraform, compose, cloudformation);
criterion_main!(benches);
