//! The language server under random editing: 10,000 seeded sequences of
//! edits to a rule file (insertions of rule fragments, deletions, text with
//! surrogate pairs and CRLF, emptied files, pastes of tens of kilobytes),
//! each with requests at random positions (past the ends of lines and of the
//! file, inside surrogate pairs). The server must answer every request and
//! keep serving, and after each sequence the diagnostics it publishes for the
//! last version must be what `graft check` finds in the final text.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use graft::lsp::peer::{Peer, uri};
use graft::lsp::{Encoding, LineIndex};
use serde_json::{Value, json};

const SEQUENCES: usize = 10_000;

/// A small deterministic generator (xorshift64*), so that a failure names
/// its seed and sequence and can be run again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FRAGMENTS: &[&str] = &[
    "service cache {\n  host: endpoint(default_port = 6379)\n}\n",
    "match memcached {\n  kubernetes Deployment if image ~ r\"^memcached\" {\n    host = service.dns\n  }\n}\n",
    "when memcached is provided as c {\n  drop\n  bind host = c.servers.host\n}\n",
    "bind endpoint = \"${c.servers.host}:${c.servers.port}\"\n",
    "inject secret = c.auth\n",
    "drop\n",
    "/// A doc comment with 𝄞 and 😀.\n",
    "// café ☕\r\n",
    "{",
    "}",
    "(",
    ")",
    "\"",
    "r\"",
    "~",
    " == ",
    " if ",
    "\n",
    "\r\n",
    "\t",
    "𝄞",
    "😀😀",
    "é",
    "c.",
    "service.",
    "kubernetes StatefulSet | Deployment",
    "terraform aws_elasticache_replication_group",
    "port = service.port\n",
    "set database = c.database\n",
    "\u{0}",
];

const REQUESTS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentSymbol",
    "textDocument/formatting",
    "textDocument/codeAction",
    "textDocument/semanticTokens/full",
    "textDocument/rename",
    "textDocument/prepareRename",
    "textDocument/codeLens",
];

/// A char boundary of `text` at random.
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn edit(rng: &mut Rng, text: &mut String, paste: &str) {
    match rng.below(100) {
        0 => text.clear(),
        1 => {
            let at = boundary(rng, text);
            text.insert_str(at, paste);
        }
        2..=39 => {
            let (a, b) = (boundary(rng, text), boundary(rng, text));
            text.replace_range(a.min(b)..a.max(b), "");
        }
        40..=49 => {
            // A short run of random characters, some outside the BMP.
            let at = boundary(rng, text);
            let s: String = (0..1 + rng.below(6))
                .map(|_| *rng.pick(&['a', 'Z', '_', '.', ' ', '\n', '"', '{', 'é', '𝄞']))
                .collect();
            text.insert_str(at, &s);
        }
        _ => {
            let at = boundary(rng, text);
            let fragment = *rng.pick(FRAGMENTS);
            text.insert_str(at, fragment);
        }
    }
}

/// A position anywhere near the text: lines and characters past the ends
/// included, and characters inside surrogate pairs.
fn position(rng: &mut Rng, text: &str) -> Value {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = rng.below(lines.len() + 3);
    let width = lines
        .get(line)
        .map_or(0, |l| l.chars().map(char::len_utf16).sum::<usize>());
    json!({"line": line, "character": rng.below(width + 6)})
}

fn request_params(rng: &mut Rng, method: &str, document: &Value, text: &str) -> Value {
    let at = position(rng, text);
    match method {
        "textDocument/documentSymbol"
        | "textDocument/semanticTokens/full"
        | "textDocument/codeLens" => json!({"textDocument": document}),
        "textDocument/formatting" => {
            json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}})
        }
        "textDocument/codeAction" => json!({
            "textDocument": document,
            "range": {"start": at, "end": position(rng, text)},
            "context": {"diagnostics": []}
        }),
        "textDocument/references" => json!({
            "textDocument": document, "position": at, "context": {"includeDeclaration": true}
        }),
        "textDocument/rename" => {
            json!({"textDocument": document, "position": at, "newName": "renamed"})
        }
        _ => json!({"textDocument": document, "position": at}),
    }
}

/// What `graft check` finds in `text`, as the server would publish it:
/// code, range (UTF-16) and message, sorted.
fn checked(name: &str, text: &str) -> Vec<(String, Value, String)> {
    let (_, diagnostics) = common::check_text(name, text);
    let index = LineIndex::new(text, Encoding::Utf16);
    let mut out: Vec<(String, Value, String)> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if !d.primary.message.is_empty() {
                message.push_str(": ");
                message.push_str(&d.primary.message);
            }
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let range = index.range(d.primary.span.start, d.primary.span.end);
            (
                d.code.as_str().to_string(),
                serde_json::to_value(range).unwrap(),
                message,
            )
        })
        .collect();
    out.sort_by(|a, b| (a.1.to_string(), &a.0, &a.2).cmp(&(b.1.to_string(), &b.0, &b.2)));
    out
}

fn published(diagnostics: &Value) -> Vec<(String, Value, String)> {
    let mut out: Vec<(String, Value, String)> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"].clone(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort_by(|a, b| (a.1.to_string(), &a.0, &a.2).cmp(&(b.1.to_string(), &b.0, &b.2)));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_edit_sequences_never_break_the_server_and_end_in_checks_diagnostics() {
    let seed: u64 = std::env::var("GRAFT_LSP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x005E_ED0F_6AF7);
    let sequences: usize = std::env::var("GRAFT_LSP_SEQUENCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEQUENCES);
    let mut rng = Rng(seed | 1);
    let start =
        std::fs::read_to_string(common::root().join("examples/tutorial/rules/memcached.graft"))
            .unwrap();
    let paste = FRAGMENTS[..4].concat().repeat(150);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.graft");
    std::fs::write(&path, &start).unwrap();
    let document = json!({"uri": uri(&path)});
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&path), "languageId": "graft", "version": 1, "text": start}}),
    )
    .await;
    let (mut text, mut version) = (start.clone(), 1);
    let (mut with_errors, mut requests) = (0, 0);
    for sequence in 0..sequences {
        // Now and then, start again from the real file, so that the text
        // stays near rules rather than drifting into noise; and after a
        // paste, so that most sequences edit a file of ordinary size.
        if rng.below(20) == 0 || text.len() > 8 * 1024 {
            text = start.clone();
        }
        for _ in 0..1 + rng.below(4) {
            edit(&mut rng, &mut text, &paste);
            version += 1;
            peer.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri(&path), "version": version}, "contentChanges": [{"text": text}]}),
            )
            .await;
            if rng.below(3) == 0 {
                let method = *rng.pick(REQUESTS);
                let params = request_params(&mut rng, method, &document, &text);
                let answer = peer.request(method, params.clone()).await;
                requests += 1;
                assert!(
                    answer.get("result").is_some() || answer.get("error").is_some(),
                    "seed {seed}, sequence {sequence}: {method} {params} got {answer}"
                );
            }
        }
        let want = version;
        let diagnostics = peer
            .notification("textDocument/publishDiagnostics", |p| {
                p["uri"] == document["uri"] && p["version"] == json!(want)
            })
            .await;
        with_errors += usize::from(diagnostics["diagnostics"] != json!([]));
        assert_eq!(
            published(&diagnostics["diagnostics"]),
            checked(&path.display().to_string(), &text),
            "seed {seed}, sequence {sequence}: the diagnostics differ from graft check's on\n{text}"
        );
    }
    // Not a vacuous run: many sequences end in diagnostics, and many
    // requests were asked.
    assert!(
        with_errors > sequences / 10,
        "{with_errors} of {sequences} sequences ended with diagnostics"
    );
    assert!(
        requests > sequences / 2,
        "{requests} requests in {sequences} sequences"
    );
    let shutdown = peer.request("shutdown", json!(null)).await;
    assert_eq!(shutdown["result"], json!(null), "{shutdown}");
}
