//! Formatter tests: snapshots of the canonical layout, and the properties
//! every formatted file must have (idempotent, every comment kept, the same
//! tree) over every fixture and the shipped rules.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::source::FileId;
use graft::syntax::{self, format};

fn format_text(text: &str) -> String {
    let p = syntax::parse(FileId(0), text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    format::format(text, &p.module)
}

#[test]
fn fmt_fixtures() {
    insta::glob!("fmt/*.graft", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        insta::assert_snapshot!(format_text(&text));
    });
}

#[test]
fn an_already_formatted_file_is_unchanged() {
    let text = std::fs::read_to_string(common::root().join("tests/fmt/formatted.graft")).unwrap();
    assert_eq!(format_text(&text), text);
}

/// The comments of a file, in order, with surrounding blanks trimmed.
fn comments(text: &str) -> Vec<String> {
    let p = syntax::parse(FileId(0), text);
    p.module
        .comments
        .iter()
        .map(|c| text[c.span.start..c.span.end].trim().to_string())
        .collect()
}

/// The tree with spans erased, for comparing before and after.
fn shape(text: &str) -> String {
    let p = syntax::parse(FileId(0), text);
    let debug = format!("{:?}", p.module.items);
    // Spans differ after reformatting (every field that holds one: `span`,
    // a rule's `provided`); everything else must not.
    let span = regex::Regex::new(r"(\w+): (Some\()?Span \{ start: \d+, end: \d+ \}\)?").unwrap();
    span.replace_all(&debug, "$1: span").into_owned()
}

#[test]
fn fmt_is_idempotent_and_keeps_every_comment_and_the_tree() {
    let mut files = common::graft_files(&common::root().join("tests"));
    files.extend(common::graft_files(&common::root().join("rules")));
    let mut checked = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let p = syntax::parse(FileId(0), &text);
        if !p.diagnostics.is_empty() {
            continue;
        }
        let once = format::format(&text, &p.module);
        let twice = format_text(&once);
        assert_eq!(once, twice, "fmt is not idempotent on {}", path.display());
        assert_eq!(
            comments(&text),
            comments(&once),
            "fmt lost or reordered a comment in {}",
            path.display()
        );
        assert_eq!(
            shape(&text),
            shape(&once),
            "fmt changed the tree of {}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} files were formatted");
}
