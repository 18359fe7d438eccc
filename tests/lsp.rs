//! The language server over its real wire protocol (Content-Length framed
//! JSON-RPC), in process: a test client on one end of a pipe, `graft lsp`'s
//! server on the other.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use graft::lsp::peer::{Peer, uri};
use serde_json::{Value, json};
use std::path::Path;
use tokio::io::AsyncWriteExt;

const SERVICE: &str = "service redis {\n  hostname: endpoint(default_port = 6379)\n}\n";
const RULE: &str = "// café ☕: a rule\nmatch redis {\n  kubernetes StatefulSet if image ~ r\"^redis(:|$)\" {\n    host = service.dns\n  }\n}\n\nwhen rediss is provided as c {\n  drop\n  bind host = c.hostname.host\n}\n";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.graft"), SERVICE).unwrap();
    std::fs::write(dir.path().join("b.graft"), RULE).unwrap();
    dir
}

/// The diagnostics as the snapshots show them: the temporary folder named.
fn shown(diagnostics: &Value, dir: &Path) -> Value {
    let text = diagnostics.to_string().replace(&uri(dir), "file://<rules>");
    serde_json::from_str(&text).unwrap()
}

fn open(path: &Path, text: &str) -> Value {
    json!({"textDocument": {"uri": uri(path), "languageId": "graft", "version": 1, "text": text}})
}

fn change(path: &Path, version: i32, text: &str) -> Value {
    json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]})
}

#[tokio::test]
async fn diagnostics_follow_edits_in_the_file_and_in_the_rest_of_its_folder() {
    let dir = folder();
    let (a, b) = (dir.path().join("a.graft"), dir.path().join("b.graft"));
    let mut peer = Peer::initialized(dir.path()).await;

    // The typo is reported where it is, with the did-you-mean.
    peer.notify("textDocument/didOpen", open(&b, RULE)).await;
    let found = peer.diagnostics_of(&uri(&b)).await;
    insta::assert_json_snapshot!("typo", shown(&found, dir.path()));

    // Fixed in the editor: the diagnostic clears.
    let fixed = RULE.replace("rediss", "redis");
    peer.notify("textDocument/didChange", change(&b, 2, &fixed))
        .await;
    assert_eq!(peer.diagnostics_of(&uri(&b)).await, json!([]));

    // An edit in the other file of the folder (still unsaved) breaks this
    // one: its diagnostics follow.
    peer.notify("textDocument/didOpen", open(&a, SERVICE)).await;
    assert_eq!(peer.diagnostics_of(&uri(&b)).await, json!([]));
    peer.notify(
        "textDocument/didChange",
        change(&a, 2, &SERVICE.replace("redis", "cache")),
    )
    .await;
    let broken = peer.diagnostics_of(&uri(&b)).await;
    let codes: Vec<&str> = broken
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"E0102"), "{broken}");

    // Closing the edited file puts the disk's version back.
    peer.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&a)}}),
    )
    .await;
    assert_eq!(peer.diagnostics_of(&uri(&b)).await, json!([]));
}

#[tokio::test]
async fn formatting_is_graft_fmt() {
    let dir = folder();
    let b = dir.path().join("b.graft");
    let messy = RULE.replace("  drop\n", "      drop\n");
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&b, &messy)).await;
    let response = peer
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri(&b)}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    let edits = response["result"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let expected = graft::syntax::format::checked(graft::source::FileId(0), &messy).unwrap();
    assert_eq!(edits[0]["newText"], expected.as_str());
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": messy.lines().count(), "character": 0})
    );
}

#[tokio::test]
async fn bad_messages_are_answered_or_ignored_and_the_server_keeps_serving() {
    let dir = folder();
    let b = dir.path().join("b.graft");
    let mut peer = Peer::initialized(dir.path()).await;

    // Not JSON, not JSON-RPC, no length, too long a length: each is
    // ignored and said, and the server reads on.
    for (bytes, said) in [
        (&b"{this is not json"[..], "not JSON"),
        (&b"[1, 2]"[..], "not a JSON object"),
        (&b"{\"id\": 1, \"method\": \"initialize\"}"[..], "jsonrpc"),
        (&b"{\"jsonrpc\": \"2.0\", \"method\": 7}"[..], "neither"),
        // A key given twice: JSON readers that keep the last accept it, the
        // transport's own types refuse it (it stopped the server, found by
        // the `lsp` fuzz target).
        (
            &br#"{"jsonrpc": "2.0", "method": "x", "params": {}, "id": 1, "method": "textDocument/hover"}"#[..],
            "duplicate field",
        ),
    ] {
        peer.send_raw(bytes).await;
        peer.notification("window/logMessage", |p| {
            p["message"].as_str().is_some_and(|m| m.contains(said))
        })
        .await;
    }
    peer.write
        .write_all(b"X-Nothing: here\r\n\r\n")
        .await
        .unwrap();
    peer.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("without a Content-Length"))
    })
    .await;

    // A bad header line beside a good length: the body is skipped with
    // it, and the next message is read whole.
    let body = br#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#;
    let framed = format!("Content-Length: {}\r\nbroken header\r\n\r\n", body.len());
    peer.write.write_all(framed.as_bytes()).await.unwrap();
    peer.write.write_all(body).await.unwrap();
    peer.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("without `:`"))
    })
    .await;

    // An unknown method: "method not found".
    let unknown = peer.request("graft/noSuchThing", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    // A change to a document that was never opened: ignored, and said.
    peer.notify("textDocument/didChange", change(&b, 5, "garbage"))
        .await;
    let said = peer
        .notification("window/logMessage", |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("never opened"))
        })
        .await;
    assert!(said["message"].as_str().unwrap().contains("b.graft"));

    // An older version than the document's: dropped.
    peer.notify("textDocument/didOpen", open(&b, RULE)).await;
    peer.diagnostics_of(&uri(&b)).await;
    peer.notify("textDocument/didChange", change(&b, 1, "garbage"))
        .await;
    peer.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("older version"))
    })
    .await;

    // Still serving, on the text it had.
    let response = peer
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri(&b)}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(response["result"], json!([]), "{response}");
    let shutdown = peer.request("shutdown", Value::Null).await;
    assert_eq!(shutdown["result"], Value::Null);
}

fn at(path: &Path, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}})
}

/// The folder with the typo fixed, and b.graft open in a server that has
/// published its (empty) diagnostics.
async fn fixed_folder_open() -> (tempfile::TempDir, Peer) {
    let dir = folder();
    let b = dir.path().join("b.graft");
    let mut peer = Peer::initialized(dir.path()).await;
    let fixed = RULE.replace("rediss", "redis");
    peer.notify("textDocument/didOpen", open(&b, &fixed)).await;
    assert_eq!(peer.diagnostics_of(&uri(&b)).await, json!([]));
    (dir, peer)
}

#[tokio::test]
async fn navigation_answers_from_the_whole_folder() {
    let (dir, mut peer) = fixed_folder_open().await;
    let (a, b) = (dir.path().join("a.graft"), dir.path().join("b.graft"));

    // `when redis` (line 7) names the service declared in a.graft.
    let definition = peer.request("textDocument/definition", at(&b, 7, 6)).await;
    assert_eq!(definition["result"]["uri"], uri(&a).as_str());
    assert_eq!(
        definition["result"]["range"],
        json!({"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 13}})
    );

    let hover = peer.request("textDocument/hover", at(&b, 1, 7)).await;
    insta::assert_snapshot!(
        "hover",
        hover["result"]["contents"]["value"].as_str().unwrap()
    );

    let symbols = peer
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri(&b)}}),
        )
        .await;
    insta::assert_json_snapshot!("symbols", symbols["result"]);

    let folds = peer
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": uri(&b)}}),
        )
        .await;
    assert_eq!(
        folds["result"],
        json!([
            {"startLine": 1, "endLine": 5, "kind": "region"},
            {"startLine": 7, "endLine": 10, "kind": "region"}
        ])
    );

    // Off any name, and past the end of the file: nothing, and no error.
    let nothing = peer.request("textDocument/hover", at(&b, 99, 99)).await;
    assert_eq!(nothing["result"], Value::Null, "{nothing}");
}

#[tokio::test]
async fn a_did_you_mean_is_a_quick_fix() {
    let dir = folder();
    let b = dir.path().join("b.graft");
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&b, RULE)).await;
    let found = peer.diagnostics_of(&uri(&b)).await;
    let actions = quick_fixes(&mut peer, &b, &found).await;
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "replace with `redis`", "{action}");
    let edits = &action["edit"]["changes"][uri(&b)];
    assert_eq!(
        edits,
        &json!([{"range": found[0]["range"], "newText": "redis"}])
    );

    // The text changes before the fix is asked for again: the fix, made
    // for the text as it was, is no longer offered.
    peer.notify(
        "textDocument/didChange",
        change(&b, 2, &format!("\n\n{RULE}")),
    )
    .await;
    peer.diagnostics_of(&uri(&b)).await;
    let stale = quick_fixes(&mut peer, &b, &found).await;
    assert_eq!(stale["result"], json!([]), "{stale}");
}

/// The code actions for the first of `found`, the diagnostics of `file`.
async fn quick_fixes(peer: &mut Peer, file: &Path, found: &Value) -> Value {
    peer.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri(file)},
            "range": found[0]["range"],
            "context": {"diagnostics": found},
        }),
    )
    .await
}

#[tokio::test]
async fn completion_offers_what_fits_where_the_cursor_is() {
    let dir = folder();
    let c = dir.path().join("c.graft");
    // Half-written, as a file is while one types.
    let text = "when redis is provided as c {\n  set env X = c.\n}\nmatch redis {\n  kubernetes Stat\n  kubernetes StatefulSet if ima\n}\n";
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&c, text)).await;
    peer.diagnostics_of(&uri(&c)).await;
    let mut labels = async |line: u32, character: u32| -> Vec<String> {
        let response = peer
            .request("textDocument/completion", at(&c, line, character))
            .await;
        response["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{response}"))
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // After `c.`: the inputs of the service the rule binds to `c`, from a.graft.
    assert_eq!(labels(1, 16).await, ["hostname"]);
    // After a format: its resource types.
    let types = labels(4, 17).await;
    assert!(types.iter().any(|t| t == "StatefulSet"), "{types:?}");
    assert!(!types.iter().any(|t| t == "when"), "{types:?}");
    // In an arm's predicate: its types' attributes.
    let attributes = labels(5, 31).await;
    assert!(attributes.iter().any(|a| a == "image"), "{attributes:?}");
    // Elsewhere: keywords, formats and the folder's services.
    let anything = labels(3, 0).await;
    for want in ["when", "service", "kubernetes", "redis"] {
        assert!(anything.iter().any(|a| a == want), "{want} in {anything:?}");
    }
}

/// The real binary on standard input and output: after `shutdown` and
/// `exit` it ends at once, even with its input still open (reading standard
/// input holds a thread that only the client's closing would end).
#[test]
fn graft_lsp_exits_on_exit_with_its_input_still_open() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_graft"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    for message in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        json!({"jsonrpc": "2.0", "method": "exit"}),
    ] {
        let body = message.to_string();
        write!(input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    input.flush().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("graft lsp did not exit after `exit`");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    drop(input);
}

#[tokio::test]
async fn references_and_rename_cover_the_whole_folder() {
    let (dir, mut peer) = fixed_folder_open().await;
    let (a, b) = (dir.path().join("a.graft"), dir.path().join("b.graft"));

    let mut place = at(&b, 7, 6);
    place["context"] = json!({"includeDeclaration": true});
    let all = peer.request("textDocument/references", place.clone()).await;
    let found: Vec<(String, u64)> = all["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("a.graft".into(), 0),
            ("b.graft".into(), 1),
            ("b.graft".into(), 7)
        ]
    );
    place["context"] = json!({"includeDeclaration": false});
    let uses = peer.request("textDocument/references", place).await;
    assert_eq!(uses["result"].as_array().unwrap().len(), 2);

    let prepared = peer
        .request("textDocument/prepareRename", at(&b, 7, 6))
        .await;
    assert_eq!(
        prepared["result"],
        json!({"start": {"line": 7, "character": 5}, "end": {"line": 7, "character": 10}})
    );
    let mut rename = at(&b, 7, 6);
    rename["newName"] = json!("cache");
    let edit = peer.request("textDocument/rename", rename.clone()).await;
    let changes = &edit["result"]["changes"];
    assert_eq!(changes[uri(&a)].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(changes[uri(&b)].as_array().unwrap().len(), 2, "{edit}");
    // Customers' bindings name the service too: the user is told.
    peer.notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("customers' bindings need `cache`"))
    })
    .await;
    // A name that is not one, or a keyword, is refused with the reason.
    for (bad, why) in [("9lives", "not a name"), ("when", "keyword")] {
        rename["newName"] = json!(bad);
        let refused = peer.request("textDocument/rename", rename.clone()).await;
        assert_eq!(refused["error"]["code"], -32602, "{refused}");
        assert!(
            refused["error"]["message"].as_str().unwrap().contains(why),
            "{refused}"
        );
    }
}

#[tokio::test]
async fn semantic_tokens_tell_names_apart() {
    let (dir, mut peer) = fixed_folder_open().await;
    let b = dir.path().join("b.graft");
    let text = RULE.replace("rediss", "redis");
    let response = peer
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri(&b)}}),
        )
        .await;
    let types = [
        "keyword",
        "comment",
        "string",
        "regexp",
        "number",
        "type",
        "function",
        "property",
        "parameter",
    ];
    let data: Vec<u64> = response["result"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let lines: Vec<Vec<u16>> = text
        .split('\n')
        .map(|l| l.encode_utf16().collect())
        .collect();
    let (mut line, mut col) = (0usize, 0usize);
    let mut shown = Vec::new();
    for t in data.chunks(5) {
        let (dl, ds, len, ty, mods) = (t[0] as usize, t[1] as usize, t[2] as usize, t[3], t[4]);
        col = if dl == 0 { col + ds } else { ds };
        line += dl;
        let word = String::from_utf16_lossy(&lines[line][col..col + len]);
        shown.push(format!(
            "{line}:{col} {} {mods} `{word}`",
            types[ty as usize]
        ));
    }
    insta::assert_snapshot!("semantic_tokens", shown.join("\n"));
}

/// A workspace with the shipped rules in `rules/` and the shop example as a
/// project in `shop/` whose graft.toml names them.
fn preview_workspace() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    };
    copy(&root.join("rules"), &dir.path().join("rules"));
    for sub in ["stack", "certs"] {
        copy(
            &root.join("examples/shop").join(sub),
            &dir.path().join("shop").join(sub),
        );
    }
    std::fs::copy(
        root.join("examples/shop/bindings.yaml"),
        dir.path().join("shop/bindings.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("shop/graft.toml"),
        "stack = \"stack\"\nrules = \"../rules\"\nbindings = \"bindings.yaml\"\n",
    )
    .unwrap();
    dir
}

/// The code lenses of a document, as (line, title).
async fn lenses(peer: &mut Peer, path: &Path) -> Vec<(u64, String)> {
    let response = peer
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri(path)}}),
        )
        .await;
    response["result"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_live_preview_counts_matches_and_shows_the_plan_as_the_rules_are_edited() {
    let dir = preview_workspace();
    let rules = dir.path().join("rules/redis.graft");
    let text = std::fs::read_to_string(&rules).unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&rules, &text))
        .await;
    peer.diagnostics_of(&uri(&rules)).await;

    // The matcher's lens counts what it selects in the sample stack; the
    // rule's says what it does there.
    let seen = lenses(&mut peer, &rules).await;
    let at = |line: u64| {
        seen.iter()
            .find(|(l, _)| *l == line)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let matcher = text
        .lines()
        .position(|l| l.starts_with("match redis"))
        .unwrap() as u64;
    let rule = text
        .lines()
        .position(|l| l.starts_with("when redis"))
        .unwrap() as u64;
    assert_eq!(at(matcher), "matches 1 resource in shop", "{seen:?}");
    assert_eq!(
        at(rule),
        "9 dropped, 4 consumers rewired, 40 changes in shop",
        "{seen:?}"
    );

    // The command shows the plan and the rewrite, as `graft plan` would.
    let folder = dir.path().join("rules");
    let shown = peer
        .request(
            "workspace/executeCommand",
            json!({"command": "graft.showPlan", "arguments": [folder.display().to_string()]}),
        )
        .await;
    let plan = shown["result"]["plan"].as_str().unwrap();
    let diff = shown["result"]["diff"].as_str().unwrap();
    assert!(
        plan.starts_with("redis: the customer provides their own; 1 resource matched"),
        "{plan}"
    );
    assert!(plan.contains("Dropped (9)"), "{plan}");
    assert!(
        diff.contains("--- a/") && diff.contains("shop/stack/redis.yaml"),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains("master.shop-cache.abc123")),
        "{diff}"
    );

    // An edit that is not saved: without `drop`, nothing is dropped, and
    // dangling references are errors the lens and the plan report.
    let edited = text.replacen(
        "when redis is provided as c {\n  drop\n",
        "when redis is provided as c {\n",
        1,
    );
    assert_ne!(edited, text);
    peer.notify("textDocument/didChange", change(&rules, 2, &edited))
        .await;
    peer.diagnostics_of(&uri(&rules)).await;
    let seen = lenses(&mut peer, &rules).await;
    let title = seen
        .iter()
        .find(|(l, _)| *l == rule)
        .map(|(_, t)| t.clone())
        .unwrap();
    assert!(
        title.starts_with("0 dropped") || title.contains("error"),
        "{seen:?}"
    );
    let shown = peer
        .request(
            "workspace/executeCommand",
            json!({"command": "graft.showPlan", "arguments": [uri(&folder)]}),
        )
        .await;
    assert!(
        !shown["result"]["plan"]
            .as_str()
            .unwrap()
            .contains("Dropped (9)")
    );

    // A folder no graft.toml names has no preview; an unknown command is refused.
    let other = peer
        .request(
            "workspace/executeCommand",
            json!({"command": "graft.showPlan", "arguments": [dir.path().join("shop").display().to_string()]}),
        )
        .await;
    assert!(
        other["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no graft.toml"),
        "{other}"
    );
    let unknown = peer
        .request(
            "workspace/executeCommand",
            json!({"command": "graft.nothing", "arguments": []}),
        )
        .await;
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no command"),
        "{unknown}"
    );
}

const NAMED: &str = "service cache {\n  /// Where the customer's cache is.\n  hostname: endpoint(default_port = 6379)\n  tls: bool = true\n}\n\nmatch primary for cache {\n  kubernetes StatefulSet if image ~ r\"^redis(:|$)\" {\n    host = service.dns\n    port = service.port\n  }\n}\n\nwhen cache is provided as c {\n  drop\n  bind host = c.hostname.host\n  bind port = c.hostname.port\n  set env CACHE_URL = \"redis://${c.hostname.host}:${c.hostname.port}\" if !c.tls\n}\n";

/// The range a definition request answers with.
async fn defined_at(peer: &mut Peer, place: Value) -> Value {
    peer.request("textDocument/definition", place).await["result"]["range"].clone()
}

/// Why a rename was refused (the test fails if it was not).
async fn refusal(peer: &mut Peer, rename: Value) -> String {
    let response = peer.request("textDocument/rename", rename).await;
    match response["error"]["message"].as_str() {
        Some(why) => why.to_string(),
        None => panic!("not refused: {response}"),
    }
}

/// The lines (and first columns) of the locations a request answered.
fn lines_of(response: &Value) -> Vec<(u64, u64)> {
    let list = match &response["result"] {
        Value::Array(list) => list.clone(),
        Value::Object(changes) => changes
            .get("changes")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|c| c.values())
            .flat_map(|edits| edits.as_array().cloned().unwrap_or_default())
            .collect(),
        other => panic!("{other}"),
    };
    let mut out: Vec<(u64, u64)> = list
        .iter()
        .map(|l| {
            let start = &l["range"]["start"];
            (
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn inputs_matchers_and_bound_names_navigate_and_rename() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("cache.graft");
    std::fs::write(&c, NAMED).unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&c, NAMED)).await;
    assert_eq!(peer.diagnostics_of(&uri(&c)).await, json!([]));
    let with_declaration = |line: u32, character: u32, include: bool| {
        let mut place = at(&c, line, character);
        place["context"] = json!({"includeDeclaration": include});
        place
    };
    let renamed = |line: u32, character: u32, name: &str| {
        let mut place = at(&c, line, character);
        place["newName"] = json!(name);
        place
    };

    // An input: `c.hostname` (line 15) is declared on line 2, read in both
    // binds and twice inside the interpolated string.
    assert_eq!(
        defined_at(&mut peer, at(&c, 15, 18)).await,
        json!({"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 10}})
    );
    let all = peer
        .request("textDocument/references", with_declaration(2, 4, true))
        .await;
    assert_eq!(
        lines_of(&all),
        [(2, 2), (15, 16), (16, 16), (17, 35), (17, 54)]
    );
    let hover = peer.request("textDocument/hover", at(&c, 17, 36)).await;
    insta::assert_snapshot!(
        "hover_input",
        hover["result"]["contents"]["value"].as_str().unwrap()
    );
    let edit = peer
        .request("textDocument/rename", renamed(15, 18, "address"))
        .await;
    assert_eq!(lines_of(&edit), lines_of(&all), "{edit}");
    let why = refusal(&mut peer, renamed(2, 4, "tls")).await;
    assert!(
        why.contains("`cache` already has an input named `tls`"),
        "{why}"
    );

    // The bound name: declared by `as c`, read at every `c.` of its rule.
    assert_eq!(
        defined_at(&mut peer, at(&c, 17, 74)).await,
        json!({"start": {"line": 13, "character": 26}, "end": {"line": 13, "character": 27}})
    );
    let uses = peer
        .request("textDocument/references", with_declaration(13, 26, false))
        .await;
    assert_eq!(
        lines_of(&uses),
        [(15, 14), (16, 14), (17, 33), (17, 52), (17, 74)]
    );
    let edit = peer
        .request("textDocument/rename", renamed(13, 26, "cfg"))
        .await;
    assert_eq!(lines_of(&edit).len(), 6, "{edit}");

    // A service may not take a matcher's name.
    let why = refusal(&mut peer, renamed(0, 9, "primary")).await;
    assert!(why.contains("a matcher named `primary`"), "{why}");

    // A matcher named apart from its service: renamed alone; the name of a
    // service is refused.
    let edit = peer
        .request("textDocument/rename", renamed(6, 8, "primary_redis"))
        .await;
    assert_eq!(lines_of(&edit), [(6, 6)], "{edit}");
    let why = refusal(&mut peer, renamed(6, 8, "cache")).await;
    assert!(
        why.contains("already names a matcher or a service"),
        "{why}"
    );
}

#[tokio::test]
async fn unused_inputs_and_unbound_roles_have_quick_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("cache.graft");
    // `tls` is read by no rule, and `port` is dropped without a bind.
    let text = NAMED
        .replace("  bind port = c.hostname.port\n", "")
        .replace(" if !c.tls", "");
    std::fs::write(&c, &text).unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&c, &text)).await;
    let found = peer.diagnostics_of(&uri(&c)).await;
    let actions = peer
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri(&c)},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}},
                "context": {"diagnostics": found},
            }),
        )
        .await;
    let fixes: Vec<(String, Value)> = actions["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{actions}"))
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap().to_string(),
                a["edit"]["changes"][uri(&c)].clone(),
            )
        })
        .collect();
    let titles: Vec<&str> = fixes.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        ["remove input `tls`", "add `bind port = c.hostname.port`"],
        "{found}"
    );
    // The input's whole line goes; the bind is a new line after `drop`,
    // indented as it is.
    assert_eq!(
        fixes[0].1,
        json!([{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 0}}, "newText": ""}])
    );
    assert_eq!(
        fixes[1].1,
        json!([{"range": {"start": {"line": 15, "character": 0}, "end": {"line": 15, "character": 0}}, "newText": "  bind port = c.hostname.port\n"}])
    );
}

/// A burst of edits (as fast typing sends them): every change is applied in
/// order, the diagnostics that reach the client are for ever newer versions
/// and end with the last one, and checks the burst made stale are skipped
/// rather than run and thrown away.
#[tokio::test]
async fn a_burst_of_edits_checks_the_latest_text_and_skips_stale_checks() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("redis.graft");
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/redis.graft"),
    )
    .unwrap();
    std::fs::write(&r, &shipped).unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&r, &shipped))
        .await;
    peer.diagnostics_of(&uri(&r)).await;
    let last = 41;
    for version in 2..=last {
        // Every other version has a typo; the last one has none.
        let text = if version % 2 == 0 {
            shipped.replacen("c.hostname.host", "c.hostnam.host", 1)
        } else {
            format!("{shipped}// edit {version}\n")
        };
        peer.notify("textDocument/didChange", change(&r, version, &text))
            .await;
    }
    let mut versions = Vec::new();
    loop {
        let p = peer
            .notification("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri(&r).as_str()
            })
            .await;
        let version = p["version"].as_i64().unwrap();
        versions.push(version);
        if version == i64::from(last) {
            assert_eq!(p["diagnostics"], json!([]), "{p}");
            break;
        }
    }
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(
        versions.len() < (last - 1) as usize,
        "every one of {} edits was checked: {versions:?}",
        last - 1
    );
}

#[tokio::test]
async fn hover_explains_formats_types_attributes_roles_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("cache.graft");
    std::fs::write(&c, NAMED).unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&c, NAMED)).await;
    peer.diagnostics_of(&uri(&c)).await;
    let mut shown = String::new();
    // The format, the type and the attribute of an arm; a role and the
    // derived attribute it reads; `drop`; `bind` and the role it binds.
    for (line, character) in [
        (7, 3),
        (7, 14),
        (7, 28),
        (8, 5),
        (8, 13),
        (14, 3),
        (15, 3),
        (15, 8),
    ] {
        let hover = peer
            .request("textDocument/hover", at(&c, line, character))
            .await;
        let range = &hover["result"]["range"];
        shown.push_str(&format!(
            "== {line}:{character} -> {}:{}-{}\n{}\n\n",
            range["start"]["line"],
            range["start"]["character"],
            range["end"]["character"],
            hover["result"]["contents"]["value"]
                .as_str()
                .unwrap_or_else(|| panic!("{hover}"))
        ));
    }
    insta::assert_snapshot!(shown);
}

#[tokio::test]
async fn completion_after_bind_offers_the_roles_of_the_rules_service() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("cache.graft");
    let text = NAMED.replace("  drop\n", "  drop\n  bind \n");
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&c, &text)).await;
    peer.diagnostics_of(&uri(&c)).await;
    let response = peer.request("textDocument/completion", at(&c, 15, 7)).await;
    let labels: Vec<&str> = response["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["host", "port"], "{response}");
}

#[tokio::test]
async fn a_rule_file_that_is_not_utf8_is_reported_not_left_out() {
    let dir = folder();
    let b = dir.path().join("b.graft");
    let bad = dir.path().join("c.graft");
    std::fs::write(&bad, b"service cache {\n  host: endpoint\n}\n// caf\xe9\n").unwrap();
    let mut peer = Peer::initialized(dir.path()).await;
    peer.notify("textDocument/didOpen", open(&b, RULE)).await;
    let found = peer.diagnostics_of(&uri(&bad)).await;
    assert_eq!(found[0]["code"], "E0002", "{found}");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 3, "character": 6})
    );
}
