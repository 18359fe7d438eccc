#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Bindings fixtures: each file under `tests/bindings/` is read against the
//! shipped rules, and what users see (the diagnostics, rendered) is a
//! snapshot. A file named after a code (`E0604.yaml`, `E0604.toml`) must
//! give that code; `ok.*` must give nothing. A secret value written by
//! mistake must never be shown.

mod common;

use graft::bindings::read::{self, Syntax};
use graft::source::Sources;
use std::path::PathBuf;

fn program() -> (Sources, graft::check::program::Program) {
    let mut sources = Sources::new();
    for f in [
        "rules/redis.graft",
        "rules/valkey.graft",
        "rules/postgresql.graft",
    ] {
        sources.add(f, std::fs::read_to_string(common::root().join(f)).unwrap());
    }
    let ids: Vec<_> = sources.iter().map(|(id, _)| id).collect();
    let analysis = graft::analysis::analyze_files(&sources, &ids);
    assert_eq!(analysis.error_count(), 0);
    (sources, analysis.program)
}

#[test]
fn bindings_fixtures() {
    let dir = common::root().join("tests/bindings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let (base, program) = program();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sources = base.clone();
        let file = graft::source::FileId(sources.len() as u32);
        let certificate = |p: &str| -> Result<String, String> {
            std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string())
        };
        let result = read::read(
            &program,
            file,
            &text,
            Syntax::from_path(&name),
            &certificate,
        );
        let mut shown = text.clone();
        for span in &result.redact {
            let stars = "*".repeat(span.end - span.start);
            shown.replace_range(span.start..span.end, &stars);
        }
        sources.add(common::display_name(&path), shown);
        let rendered = graft::cli::render::text(&sources, &result.diagnostics, false);
        assert!(
            !rendered.contains("canary"),
            "{name}: a secret value is shown:\n{rendered}"
        );
        let stem = name.split(['.', '-']).next().unwrap();
        if stem == "ok" {
            assert!(result.diagnostics.is_empty(), "{name}:\n{rendered}");
            assert!(result.bindings.is_some());
        } else {
            assert!(
                result.diagnostics.iter().any(|d| d.code.as_str() == stem),
                "{name} does not give {stem}:\n{rendered}"
            );
            if stem.starts_with('E') {
                assert!(
                    result.bindings.is_none(),
                    "{name}: an error still gave bindings"
                );
            }
        }
        insta::assert_snapshot!(format!("bindings__{name}"), rendered);
    }
}

#[test]
fn a_private_key_in_place_of_a_certificate_is_refused_unseen() {
    let (_, program) = program();
    let text = "redis:\n  hostname: h\n  auth: { secret: { store: kubernetes, name: a, key: b } }\n  tls_ca: ca.pem\n";
    let key = "-----BEGIN PRIVATE KEY-----\ncanary-key-material\n-----END PRIVATE KEY-----\n";
    let result = read::read(
        &program,
        graft::source::FileId(0),
        text,
        Syntax::Yaml,
        &|_| Ok(key.to_string()),
    );
    let d = result
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "E0607")
        .unwrap();
    assert!(d.message.contains("private key"));
    assert!(!format!("{d:?}").contains("canary"));
}
