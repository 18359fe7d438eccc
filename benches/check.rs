//! Parse and check a generated 10,000-line rules folder (170 services, each
//! with a four-format matcher and a rule), and the shipped rules library: the
//! work the language server repeats on every edit. Target: under 20 ms on the
//! 2-core reference machine. Whether two regexes intersect is answered once
//! per process (`check::overlap`), so after the first iteration these are
//! warm checks, as the language server's and `graft test`'s are.

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use graft::analysis;
use graft::source::Sources;
use std::hint::black_box;

#[path = "common/rules.rs"]
mod rules;
use rules::folder;

/// The shipped rules library, read from `rules/`.
fn shipped_rules() -> Sources {
    let mut sources = Sources::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "graft"))
        .collect();
    paths.sort();
    for path in paths {
        sources.add(
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        );
    }
    sources
}

fn bench(c: &mut Criterion) {
    let shipped = shipped_rules();
    c.bench_function("parse+check rules/ (shipped library)", |b| {
        b.iter(|| analysis::analyze(black_box(&shipped)))
    });

    let sources = folder(10_000);
    // The folder must check clean, or the benchmark measures error paths.
    let analysis = analysis::analyze(&sources);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics.first()
    );
    let lines: usize = sources.iter().map(|(_, f)| f.text().lines().count()).sum();
    c.bench_function(&format!("parse+check {lines} lines"), |b| {
        b.iter(|| analysis::analyze(black_box(&sources)))
    });
    c.bench_function(&format!("parse {lines} lines"), |b| {
        b.iter(|| {
            for (id, f) in sources.iter() {
                black_box(graft::syntax::parse(id, f.text()));
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
