//! Parser tests: files that must parse cleanly, files whose errors are
//! snapshots, recovery at item boundaries, and pathological input that must
//! give a diagnostic in bounded time rather than a panic or a hang.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::diagnostics::Code;
use graft::source::{FileId, Sources};
use graft::syntax::{self, format};

fn parse(text: &str) -> syntax::Parse {
    syntax::parse(FileId(0), text)
}

fn render(name: &str, text: &str, parse: &syntax::Parse) -> String {
    let mut sources = Sources::new();
    sources.add(name, text);
    common::rendered(&sources, &parse.diagnostics)
}

#[test]
fn ok_files_parse_cleanly() {
    insta::glob!("parse/ok/*.graft", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let p = parse(&text);
        assert!(
            p.diagnostics.is_empty(),
            "{}",
            render(&common::display_name(path), &text, &p)
        );
        // The formatted tree shows every construct was read.
        insta::assert_snapshot!(format::format(&text, &p.module));
    });
}

#[test]
fn err_files_report_readable_errors() {
    insta::glob!("parse/err/*.graft", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let p = parse(&text);
        assert!(
            !p.diagnostics.is_empty(),
            "{} parsed without errors",
            path.display()
        );
        insta::assert_snapshot!(render(&common::display_name(path), &text, &p));
    });
}

#[test]
fn five_broken_items_among_twenty_cost_five_errors() {
    let mut text = String::new();
    for i in 0..20 {
        if i % 4 == 1 {
            // Broken in a different way each time.
            let broken = [
                "service broken0 {\n  x: \n}\n",
                "service broken1 {\n  x int\n}\n",
                "match broken2 {\n  kubernetes Deployment if image ~ \n}\n",
                "when broken3 is provided as c {\n  drop drop(\n}\n",
                "service broken4 {\n  x: int = \"unterminated\n}\n",
            ];
            text.push_str(broken[i / 4]);
        } else {
            text.push_str(&format!(
                "/// Item {i}.\nservice s{i} {{\n  x: int(0..=15) = 0\n}}\n\n"
            ));
        }
    }
    let p = parse(&text);
    assert_eq!(
        p.diagnostics.len(),
        5,
        "{}",
        render("recovery.graft", &text, &p)
    );
    assert_eq!(p.module.items.len(), 15);
    assert_eq!(p.module.broken.len(), 5);
}

#[test]
fn an_empty_file_is_empty() {
    for text in ["", "\n\n", "// only a comment\n", "\u{feff}"] {
        let p = parse(text);
        assert!(
            p.diagnostics.is_empty() && p.module.items.is_empty(),
            "{text:?}"
        );
    }
}

#[test]
fn binary_garbage_is_invalid_utf8() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let p = syntax::parse_bytes(FileId(0), &bytes);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].code, Code::InvalidUtf8);
}

#[test]
fn printable_garbage_gives_diagnostics_not_panics() {
    // A deterministic stream of printable ASCII and newlines.
    let mut state = 0x2545_f491_u32;
    let text: String = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let c = (state % 96) as u8;
            if c == 95 { '\n' } else { (b' ' + c) as char }
        })
        .collect();
    let p = parse(&text);
    assert!(!p.diagnostics.is_empty());
    let mut sources = Sources::new();
    sources.add("garbage.graft", text);
    let analysis = graft::analysis::analyze(&sources);
    assert!(analysis.error_count() > 0);
}

#[test]
fn ten_thousand_nested_parentheses() {
    let text = format!(
        "match m {{\n  kubernetes Deployment if {}image ~ r\"x\"{}\n}}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let p = parse(&text);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].code, Code::NestingTooDeep);
    let nots = format!(
        "when m is provided as c {{\n  drop if {}c.x\n}}\n",
        "!".repeat(10_000)
    );
    assert_eq!(parse(&nots).diagnostics[0].code, Code::NestingTooDeep);
}

#[test]
fn megabyte_lines() {
    let long = "a".repeat(1 << 20);
    let text = format!("service s {{\n  x: string = \"{long}\"\n}}\n// {long}\n");
    let p = parse(&text);
    assert!(p.diagnostics.is_empty());
    assert_eq!(p.module.items.len(), 1);
    assert_eq!(p.module.comments.len(), 1);
    let broken = format!("service s {{\n  x: string = {long}\n}}\n");
    assert_eq!(parse(&broken).diagnostics.len(), 1);
}

#[test]
fn unterminated_strings_and_comments() {
    let p = parse("service s {\n  x: string = \"abc");
    assert_eq!(p.diagnostics[0].code, Code::UnterminatedString);
    let p = parse("match m {\n  kubernetes Deployment if image ~ r\"abc\n}\n");
    assert_eq!(p.diagnostics[0].code, Code::UnterminatedString);
    let p = parse("/* never closed\nservice s {}\n");
    assert_eq!(p.diagnostics.len(), 1);
    assert!(
        p.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("line comments")
    );
    assert_eq!(
        p.module.items.len(),
        1,
        "the item after the junk still parses"
    );
}

#[test]
fn a_ten_megabyte_file() {
    let item = "/// A service.\nservice s {\n  // A comment.\n  x: int(0..=15) = 0\n  y: endpoint(default_port = 6379)\n}\n\n";
    let count = 10 * 1024 * 1024 / item.len();
    let text = item.repeat(count);
    let p = parse(&text);
    assert!(p.diagnostics.is_empty());
    assert_eq!(p.module.items.len(), count);
}

#[test]
fn every_prefix_of_a_real_file_parses_and_checks_without_panicking() {
    let text = std::fs::read_to_string(common::root().join("rules/redis.graft")).unwrap();
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let prefix = &text[..cut];
            let mut sources = Sources::new();
            sources.add("prefix.graft", prefix);
            let analysis = graft::analysis::analyze(&sources);
            for (_, p) in &analysis.parses {
                let _ = format::format(prefix, &p.module);
            }
        }
        cut += 13;
    }
}

#[test]
fn a_megabyte_name_is_reported_without_a_costly_suggestion() {
    let name = "x".repeat(1 << 20);
    let text =
        format!("service s {{\n  field: {name}\n}}\n\nwhen {name} is provided {{\n  drop\n}}\n");
    let mut sources = Sources::new();
    sources.add("long.graft", text);
    let analysis = graft::analysis::analyze(&sources);
    let codes: Vec<_> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::UnknownType), "{codes:?}");
    assert!(codes.contains(&Code::UnknownService), "{codes:?}");
}

#[test]
fn a_chain_of_not_is_bounded_through_comments_and_byte_order_marks() {
    for sep in ["//\n", "\u{feff}", " // why\n  "] {
        let text = format!(
            "when a is provided as c {{\n  set env X = \"1\" if {}c.x\n}}\n",
            format!("!{sep}").repeat(1_000)
        );
        let p = parse(&text);
        assert_eq!(p.diagnostics.len(), 1, "{sep:?}");
        assert_eq!(p.diagnostics[0].code, Code::NestingTooDeep);
    }
}
