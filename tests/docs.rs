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

/// The fenced block that follows `marker` in `markdown`, without its fences.
fn block_after<'a>(markdown: &'a str, marker: &str) -> &'a str {
    let at = markdown
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in the page"));
    let open = at + markdown[at..].find("```").unwrap();
    let start = open + markdown[open..].find('\n').unwrap() + 1;
    let end = start + markdown[start..].find("```").unwrap();
    &markdown[start..end]
}

/// `graft` run in `dir` without colour: standard output and error.
fn graft_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::graft(dir, args);
    (
        out.status.code(),
        format!("{}{}", common::stdout(&out), common::stderr(&out)),
    )
}

/// docs/tutorial.md shows the files of `examples/tutorial/` as they are,
/// and what graft says about each step as it says it; the tutorial's own
/// test passes.
#[test]
fn the_tutorial_is_what_graft_does() {
    let page = read("docs/tutorial.md");
    let rules = read("examples/tutorial/rules/memcached.graft");
    assert_eq!(
        block_after(
            &page,
            "The whole file, `examples/tutorial/rules/memcached.graft`:"
        ),
        rules,
        "the tutorial's rule file is not examples/tutorial/rules/memcached.graft"
    );
    assert_eq!(
        block_after(
            &page,
            "Read them: they are now what the rule must keep doing."
        ),
        read("examples/tutorial/rules/tests/kubernetes/plan.txt"),
        "the tutorial's plan.txt is not the example's"
    );
    let (code, _) = graft_in(&common::root(), &["test", "examples/tutorial/rules"]);
    assert_eq!(code, Some(0), "the tutorial's own test fails");

    // Each step, in a folder of its own named as the page names it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    let file = dir.join("rules/memcached.graft");
    let step = |text: &str, marker: &str| {
        std::fs::write(&file, text).unwrap();
        let (_, said) = graft_in(dir, &["check", "rules/"]);
        let shown = block_after(&page, marker);
        assert_eq!(
            shown.strip_prefix("$ graft check rules/\n").unwrap(),
            said,
            "the tutorial's output after `{marker}` is out of date"
        );
    };
    let first: String = rules.lines().take(10).map(|l| format!("{l}\n")).collect();
    assert_eq!(
        block_after(&page, "Make a rules folder and a file in it:"),
        first
    );
    step(&first, "Check it:");
    step(
        &rules
            .replace("port = service.port", "port = service.prot")
            .lines()
            .filter(|l| !l.contains("bind endpoint"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
        "says so before anything runs:",
    );

    // The mistake of step 6 fails the case with the diff the page shows.
    common::copy_tree(
        &common::root().join("examples/tutorial/rules"),
        &dir.join("rules"),
    );
    std::fs::write(
        &file,
        rules.replace("default_port = 11211", "default_port = 11212"),
    )
    .unwrap();
    let (code, said) = graft_in(dir, &["test"]);
    assert_eq!(code, Some(1));
    let said = common::timings_as(&said, "(0.01 s)");
    let shown = block_after(&page, "Now make a mistake");
    let tail = &shown[shown.find("expected/api.yaml").unwrap()..];
    assert!(
        said.contains(tail),
        "the tutorial's failing test is out of date:\n{said}"
    );
}
