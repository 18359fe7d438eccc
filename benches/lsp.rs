//! Edit to diagnostics in the language server, through its real wire
//! protocol in process: a 2,000-line rules folder on disk, one of its files
//! open, and each iteration a `didChange` (alternately breaking and fixing a
//! service name, so that the diagnostics differ every time) until the
//! server publishes that file's diagnostics. Target (issue 4): under 10 ms
//! per edit once warm. Then the real `graft lsp` process opens the same
//! folder, and its resident memory is printed.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use graft::lsp::peer::{Peer, uri};
use serde_json::json;
use std::time::{Duration, Instant};

#[path = "common/rules.rs"]
mod rules;

fn bench(c: &mut Criterion) {
    let sources = rules::folder(2_000);
    let dir = tempfile::tempdir().unwrap();
    let mut lines = 0;
    let mut files = Vec::new();
    for (_, f) in sources.iter() {
        let name = f.name().trim_start_matches("rules/");
        let path = dir.path().join(name);
        std::fs::write(&path, f.text()).unwrap();
        lines += f.text().lines().count();
        files.push((path, f.text().to_string()));
    }
    let (path, text) = files[0].clone();
    let broken = text.replacen("when cache0 is", "when cahce0 is", 1);
    assert_ne!(broken, text);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut peer = runtime.block_on(async {
        let mut peer = Peer::initialized(dir.path()).await;
        peer.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&path), "languageId": "graft", "version": 1, "text": text}}),
        )
        .await;
        let first = peer.diagnostics_of(&uri(&path)).await;
        assert_eq!(first, json!([]), "the folder must check clean");
        peer
    });
    let mut version = 1;
    c.bench_function(&format!("lsp edit to diagnostics ({lines} lines)"), |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    version += 1;
                    let now = if version % 2 == 0 { &broken } else { &text };
                    let start = Instant::now();
                    peer.notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri(&path), "version": version}, "contentChanges": [{"text": now}]}),
                    )
                    .await;
                    let found = peer.diagnostics_of(&uri(&path)).await;
                    total += start.elapsed();
                    assert_eq!(found.as_array().unwrap().is_empty(), version % 2 == 1);
                }
                total
            })
        })
    });
}

/// The real `graft lsp` process with the same folder open, once its
/// diagnostics are published: its resident memory (now and at its peak),
/// from `/proc`, printed beside the timing.
fn memory(c: &mut Criterion) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let _ = c;
    let sources = rules::folder(2_000);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (_, f) in sources.iter() {
        let path = dir.path().join(f.name().trim_start_matches("rules/"));
        std::fs::write(&path, f.text()).unwrap();
        files.push((path, f.text().to_string()));
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_graft"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let (path, text) = &files[0];
    let mut send = |message: serde_json::Value| {
        let body = message.to_string();
        write!(input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        input.flush().unwrap();
    };
    let mut next = || {
        let mut length = 0;
        loop {
            let mut line = String::new();
            output.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        output.read_exact(&mut body).unwrap();
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    };
    // Nothing but the initialize request goes before its answer (the
    // protocol's rule; the server drops what comes earlier).
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": uri(dir.path()), "capabilities": {}}}),
    );
    while next()["id"] != 1 {}
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri(path), "languageId": "graft", "version": 1, "text": text}}}),
    );
    // Messages until the file's diagnostics.
    while next()["method"] != "textDocument/publishDiagnostics" {}
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map_or("?".to_string(), |l| l[name.len()..].trim().to_string())
    };
    println!(
        "graft lsp with the folder open: resident {} (peak {})",
        field("VmRSS:"),
        field("VmHWM:")
    );
    drop(input);
    child.kill().ok();
    child.wait().ok();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, memory
}
criterion_main!(benches);
