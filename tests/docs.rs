//! The documentation is tested: every diagnostic code is documented, every
//! complete example in the language reference checks clean, and the
//! catalogue reference is generated from the catalogue itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::diagnostics::Code;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced blocks of a Markdown text whose info string is `lang`.
fn blocks(markdown: &str, lang: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```")
                && line.trim_start()[3..].trim() == lang =>
            {
                current = Some((n + 1, String::new()));
            }
            Some((_, text)) if line.trim_start().starts_with("```") => {
                let block = std::mem::take(text);
                out.push((current.take().unwrap().0, block));
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_diagnostic_code_is_documented() {
    let doc = read("docs/diagnostics.md");
    for code in Code::ALL {
        let heading = format!("## {} {}", code.as_str(), code.slug());
        assert!(
            doc.contains(&heading),
            "docs/diagnostics.md has no section `{heading}`"
        );
    }
}

#[test]
fn every_example_in_the_language_reference_checks_clean() {
    let doc = read("docs/language.md");
    let examples = blocks(&doc, "graft");
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for (line, text) in examples {
        let name = format!("docs/language.md:{line}");
        let (sources, diagnostics) = common::check_text(&name, &text);
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        assert!(errors.is_empty(), "{}", common::rendered(&sources, &errors));
    }
    for (line, text) in blocks(&doc, "graft-fragment") {
        // Fragments are not whole files, but they must still be real syntax
        // inside some item; at least they must not be empty.
        assert!(
            !text.trim().is_empty(),
            "empty fragment at docs/language.md:{line}"
        );
    }
}

#[test]
fn the_readme_example_checks_clean() {
    let readme = read("README.md");
    let examples = blocks(&readme, "graft");
    assert_eq!(examples.len(), 1);
    for (line, text) in examples {
        let (sources, diagnostics) = common::check_text(&format!("README.md:{line}"), &text);
        assert!(
            diagnostics.is_empty(),
            "{}",
            common::rendered(&sources, &diagnostics)
        );
    }
}

#[test]
fn the_catalogue_reference_is_generated_from_the_catalogue() {
    generated_doc("docs/catalogue.md", &graft::catalogue::markdown());
}

/// Checks that a generated document is current; `GRAFT_UPDATE_DOCS=1`
/// rewrites it.
fn generated_doc(path: &str, generated: &str) {
    let file = common::root().join(path);
    if std::env::var_os("GRAFT_UPDATE_DOCS").is_some() {
        std::fs::write(&file, generated).unwrap();
    }
    let current = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        current == generated,
        "{path} is out of date: run `GRAFT_UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn the_command_line_reference_is_generated_from_the_argument_definitions() {
    generated_doc("docs/cli.md", &graft::cli::reference_markdown());
}
