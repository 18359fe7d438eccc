//! Check fixtures: every file under `tests/check/` is checked on its own and
//! every folder there as one rules folder; the rendered diagnostics are
//! snapshots. Each diagnostic code has a case that triggers it (`CODE.graft`)
//! and a near miss that must come out clean (`CODE-near-miss.graft`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::diagnostics::Code;
use std::path::PathBuf;

#[test]
fn check_fixture_files() {
    insta::glob!("check/*.graft", |path| {
        let (sources, diagnostics) = common::check_paths(&[path.to_path_buf()]);
        insta::assert_snapshot!(common::rendered(&sources, &diagnostics));
    });
}

#[test]
fn check_fixture_folders() {
    let dir = common::root().join("tests/check");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    for folder in folders {
        let files = common::graft_files(&folder);
        let (sources, diagnostics) = common::check_paths(&files);
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(
            format!("folder_{name}"),
            common::rendered(&sources, &diagnostics)
        );
    }
}

#[test]
fn every_code_has_a_trigger_and_a_clean_near_miss() {
    let dir = common::root().join("tests/check");
    for code in Code::ALL.iter().filter(|c| c.is_rule_code()) {
        let trigger = dir.join(format!("{code}.graft"));
        let near_miss = dir.join(format!("{code}-near-miss.graft"));
        assert!(
            trigger.exists(),
            "no fixture triggers {code}: add {}",
            trigger.display()
        );
        assert!(
            near_miss.exists(),
            "no near miss for {code}: add {}",
            near_miss.display()
        );
        let (_, found) = common::check_paths(std::slice::from_ref(&trigger));
        assert!(
            found.iter().any(|d| d.code == *code),
            "{} does not trigger {code}; it gives {:?}",
            trigger.display(),
            found.iter().map(|d| d.code.as_str()).collect::<Vec<_>>()
        );
        let (sources, found) = common::check_paths(std::slice::from_ref(&near_miss));
        assert!(
            found.is_empty(),
            "the near miss {} is not clean:\n{}",
            near_miss.display(),
            common::rendered(&sources, &found)
        );
    }
}

#[test]
fn the_shipped_rules_check_clean() {
    let files = common::graft_files(&common::root().join("rules"));
    assert!(files.len() >= 2);
    let (sources, diagnostics) = common::check_paths(&files);
    assert!(
        diagnostics.is_empty(),
        "{}",
        common::rendered(&sources, &diagnostics)
    );
}

#[test]
fn diagnostics_do_not_depend_on_file_order() {
    let mut files = common::graft_files(&common::root().join("tests/check/multi-file"));
    let (_, forward) = common::check_paths(&files);
    files.reverse();
    let (_, backward) = common::check_paths(&files);
    let key = |ds: &[graft::diagnostics::Diagnostic]| {
        let mut v: Vec<String> = ds
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&forward), key(&backward));
}

/// A rules file whose body is `body`, for a service with one input.
fn one_rule(body: &str, predicate: &str) -> String {
    format!(
        "service s {{\n  x: int = 0\n}}\n\nmatch s {{\n  kubernetes Deployment if {predicate} {{\n    host = service.dns\n  }}\n}}\n\nwhen s is provided as c {{\n  bind host = \"h\"\n  set env X = c.x\n{body}}}\n"
    )
}

#[test]
fn thousands_of_clashing_writes_cost_one_diagnostic_each() {
    let body: String = (0..5_000)
        .map(|i| format!("  set env CLASH = \"{i}\"\n"))
        .collect();
    let (_, found) = common::check_text("clash.graft", &one_rule(&body, "image ~ r\"x\""));
    let clashes = found
        .iter()
        .filter(|d| d.code == Code::ConflictingWrites)
        .count();
    assert_eq!(clashes, 4_999);
}

#[test]
fn an_enormous_predicate_is_checked_in_bounded_time() {
    let conjunction: Vec<String> = (0..5_000).map(|i| format!("image != \"i{i}\"")).collect();
    let (sources, found) =
        common::check_text("wide.graft", &one_rule("", &conjunction.join(" && ")));
    assert!(found.is_empty(), "{}", common::rendered(&sources, &found));
    let disjunction: Vec<String> = (0..5_000).map(|i| format!("image == \"i{i}\"")).collect();
    let (sources, found) =
        common::check_text("wide.graft", &one_rule("", &disjunction.join(" || ")));
    assert!(found.is_empty(), "{}", common::rendered(&sources, &found));
}

#[test]
fn thousands_of_identical_items_are_checked_in_linear_time() {
    let fields: String = (0..20_000).map(|i| format!("  f{i}: int = 0\n")).collect();
    let roles: String = (0..20_000)
        .map(|i| format!("    r{i} = service.dns\n"))
        .collect();
    let binds: String = (0..20_000)
        .map(|i| format!("  bind r{} = \"h\"\n", i % 20_000))
        .collect();
    let sets: String = (0..20_000)
        .map(|_| "  set env SAME = c.f0\n".to_string())
        .collect();
    let text = format!(
        "service s {{\n{fields}}}\n\nmatch s {{\n  kubernetes Deployment {{\n{roles}  }}\n}}\n\nwhen s is provided as c {{\n  drop\n{binds}{sets}}}\n"
    );
    // Quadratic work on 20,000 items would take many minutes here.
    let (_, found) = common::check_text("many.graft", &text);
    // Every field but `f0` is unused; nothing else is wrong.
    assert_eq!(found.len(), 19_999);
    assert!(found.iter().all(|d| d.code == Code::Unused));
}

/// The overlap answers the language server keeps from one check to the next
/// never change a result: every fixture (files, then folders, twice over),
/// checked with one memo shared by all of them, gives what a fresh check
/// gives.
#[test]
fn a_shared_overlap_memo_changes_no_result() {
    let dir = common::root().join("tests/check");
    let mut cases: Vec<Vec<PathBuf>> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            cases.push(common::graft_files(&path));
        } else if path.extension().is_some_and(|e| e == "graft") {
            cases.push(vec![path]);
        }
    }
    let memo = graft::check::OverlapMemo::default();
    for _ in 0..2 {
        for files in &cases {
            let mut sources = graft::source::Sources::new();
            let ids: Vec<_> = files
                .iter()
                .filter_map(|p| {
                    let text = String::from_utf8(std::fs::read(p).unwrap()).ok()?;
                    Some(sources.add(p.display().to_string(), text))
                })
                .collect();
            let fresh = graft::analysis::analyze_files(&sources, &ids).diagnostics;
            let kept = graft::analysis::analyze_files_with(&sources, &ids, Some(&memo)).diagnostics;
            assert_eq!(fresh, kept, "{files:?}");
        }
    }
}

/// The text of `name` in `sources` with the edits of `fix` made.
fn applied(sources: &graft::source::Sources, fix: &graft::diagnostics::Fix) -> (String, String) {
    let file = fix.edits[0].file;
    assert!(
        fix.edits.iter().all(|e| e.file == file),
        "a fix across files: {fix:?}"
    );
    let source = sources.get(file).unwrap();
    let mut text = source.text().to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    for e in &edits {
        text.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    (source.name().to_string(), text)
}

/// Every quick fix a fixture offers, made: the diagnostic it fixes is gone,
/// and it adds no error. The fixed texts are snapshots.
#[test]
fn every_fix_clears_what_it_fixes_and_adds_no_error() {
    let mut shown = String::new();
    let mut files = common::graft_files(&common::root().join("tests/check"));
    files.retain(|f| f.parent() == Some(&common::root().join("tests/check")));
    let mut fixes = 0;
    for path in files {
        let (sources, found) = common::check_paths(std::slice::from_ref(&path));
        let errors = found.iter().filter(|d| d.is_error()).count();
        for d in found.iter().filter(|d| d.fix.is_some()) {
            let Some(fix) = &d.fix else { continue };
            let (name, text) = applied(&sources, fix);
            let (after, again) = common::check_text(&name, &text);
            assert!(
                !again
                    .iter()
                    .any(|a| a.code == d.code && a.message == d.message),
                "`{}` in {name} did not clear `{}`:\n{text}\n{}",
                fix.message,
                d.message,
                common::rendered(&after, &again)
            );
            assert!(
                again.iter().filter(|d| d.is_error()).count() <= errors,
                "`{}` in {name} added an error:\n{}",
                fix.message,
                common::rendered(&after, &again)
            );
            fixes += 1;
            if matches!(d.code, Code::Unused | Code::UnboundRole) {
                shown.push_str(&format!("== {name}: {}\n{text}\n", fix.message));
            }
        }
    }
    assert!(fixes >= 5, "only {fixes} fixes were tried");
    insta::assert_snapshot!(shown);
}
