//! Property tests: generated rule files and mutations of real ones.
//!
//! - Whatever the input, parsing, checking and formatting never panic.
//! - A file that parses cleanly formats to a file that parses cleanly, with
//!   the same tree and the same comments, and formatting that again changes
//!   nothing.
//! - Layout does not matter: the same items with other blanks and comments
//!   check to the same diagnostics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::source::{FileId, Sources};
use graft::syntax::{self, format};
use proptest::prelude::*;

/// The pieces a generated file is made of; each is a complete item.
const ITEMS: &[&str] = &[
    "service redis {\n hostname: endpoint(default_port = 6379)\n auth: secret | iam_role\n database: int(0..=15) = 0\n tls_ca: certificate?\n customer_owns: provisioning, backups\n}",
    "/// Docs.\nservice valkey { hostname: endpoint auth: secret cluster: bool = false }",
    "match redis {\n kubernetes Deployment | StatefulSet if image ~ r\"^redis\" && !(has metadata.labels.skip) { host = service.dns port = service.port }\n compose service if image ~ r\"redis\" { host = name port = 6379 }\n}",
    "match valkey { terraform aws_elasticache_replication_group if engine == \"valkey\" { host = primary_endpoint_address port = port } }",
    "when redis is provided as c {\n drop\n bind host = c.hostname.host\n bind port = c.hostname.port\n inject c.auth as env REDIS_PASSWORD if c.auth is secret\n set env REDIS_DB = c.database unless c.database == 0\n mount c.tls_ca at \"/etc/ca.pem\"\n}",
    "when valkey is provided as v { drop bind host = v.hostname.host bind port = v.hostname.port inject v.auth as env VALKEY_PASSWORD set env VALKEY_CLUSTER = v.cluster }",
];

/// Blanks and comments that may stand between tokens.
fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("  \t".to_string()),
        Just(" // a comment\n".to_string()),
        Just("\n// own line\n".to_string()),
        Just("\r\n".to_string()),
    ]
}

/// Re-spaces an item: every run of blanks becomes a generated gap.
fn respace(item: &str, gaps: &[String]) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut in_string = false;
    let mut prev_blank = false;
    for c in item.chars() {
        if c == '"' {
            in_string = !in_string;
        }
        // A `///` doc line is copied as it is, up to its line break.
        if last_line_is_doc(&out) && !out.ends_with('\n') {
            out.push(c);
            prev_blank = c == '\n';
            continue;
        }
        if !in_string && (c == ' ' || c == '\n') {
            if !prev_blank {
                out.push_str(&gaps[n % gaps.len()]);
                n += 1;
            }
            prev_blank = true;
        } else {
            out.push(c);
            prev_blank = false;
        }
    }
    out
}

fn last_line_is_doc(s: &str) -> bool {
    s.rsplit('\n')
        .next()
        .is_some_and(|l| l.trim_start().starts_with("///"))
}

fn file() -> impl Strategy<Value = String> {
    (
        proptest::sample::subsequence((0..ITEMS.len()).collect::<Vec<_>>(), 1..=ITEMS.len()),
        proptest::collection::vec(gap(), 1..20),
    )
        .prop_map(|(picked, gaps)| {
            picked
                .iter()
                .map(|&i| respace(ITEMS[i], &gaps))
                .collect::<Vec<_>>()
                .join("\n\n")
        })
}

fn codes(text: &str) -> Vec<String> {
    let (_, diagnostics) = common::check_text("p.graft", text);
    let mut v: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_format_to_a_fixed_point(text in file()) {
        let p = syntax::parse(FileId(0), &text);
        prop_assert!(p.diagnostics.is_empty(), "{:?}\n{}", p.diagnostics, text);
        let once = format::format(&text, &p.module);
        let again = syntax::parse(FileId(0), &once);
        prop_assert!(again.diagnostics.is_empty(), "formatted output does not parse:\n{}", once);
        prop_assert_eq!(again.module.items.len(), p.module.items.len());
        prop_assert_eq!(again.module.comments.len(), p.module.comments.len());
        let twice = format::format(&once, &again.module);
        prop_assert_eq!(&once, &twice);
        // Layout never changes what the checker says.
        prop_assert_eq!(codes(&text), codes(&once));
    }

    #[test]
    fn mutated_real_files_never_panic(
        edits in proptest::collection::vec((0usize..100_000, 0usize..8, "[ -~\n]{0,6}"), 1..8)
    ) {
        let mut text = std::fs::read_to_string(common::root().join("rules/redis.graft")).unwrap();
        common::mutate(&mut text, &edits);
        let mut sources = Sources::new();
        sources.add("mutated.graft", text.clone());
        let analysis = graft::analysis::analyze(&sources);
        let _ = graft::cli::render::text(&sources, &analysis.diagnostics, false);
        for (_, p) in &analysis.parses {
            if p.diagnostics.is_empty() {
                let once = format::format(&text, &p.module);
                let again = syntax::parse(FileId(0), &once);
                prop_assert!(again.diagnostics.is_empty(), "formatted output does not parse:\n{}", once);
                prop_assert_eq!(format::format(&once, &again.module), once);
            }
        }
    }
}

#[test]
fn crlf_files_parse_and_format_to_lf() {
    let text = std::fs::read_to_string(common::root().join("rules/redis.graft"))
        .unwrap()
        .replace('\n', "\r\n");
    let p = syntax::parse(FileId(0), &text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let formatted = format::format(&text, &p.module);
    assert!(!formatted.contains('\r'));
    assert_eq!(
        formatted,
        std::fs::read_to_string(common::root().join("rules/redis.graft")).unwrap()
    );
}
