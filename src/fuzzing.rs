//! The bodies of the fuzz targets (`fuzz/`, cargo-fuzz), kept in the
//! library so that the regression tests (`tests/fuzz_regressions.rs`) run
//! the very same checks on stable Rust over every saved input. Each panics
//! when a guarantee breaks, which is what a fuzzer reports:
//!
//! - rules: parsing never fails, and formatting reaches a fixed point that
//!   parses, keeps every item and comment, and says the same to the checker;
//! - a stack file of each format: reading, planning and rendering never
//!   panic, and what is written reads back without an error;
//! - bindings: reading never panics, and no error shows a secret-shaped
//!   value of the file;
//! - the language server: any sequence of messages leaves it answering.
//!
//! Not part of graft's API.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use crate::api::{Done, Job, run};
use crate::source::{FileId, Sources};
use crate::syntax;
use std::path::Path;

/// The rules and bindings a stack target applies: read from a checkout.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The shipped rules library.
    pub rules: Vec<(String, String)>,
    /// Bindings for every shipped service.
    pub bindings: (String, String),
}

impl Fixture {
    /// The shipped rules and a bindings file for every service, from the
    /// repository at `root`.
    pub fn shipped(root: &Path) -> Fixture {
        let mut rules = Vec::new();
        let mut paths: Vec<_> = std::fs::read_dir(root.join("rules"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "graft"))
            .collect();
        paths.sort();
        for p in paths {
            rules.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
        let fixture = Fixture {
            rules,
            bindings: ("bindings.yaml".into(), BINDINGS.into()),
        };
        // A fixture whose rules or bindings fail would make every stack
        // target stop before the engine.
        let done = run(&Job {
            rules: fixture.rules.clone(),
            bindings: fixture.bindings.clone(),
            stack: vec![("app.yaml".into(), STACK.into())],
            certificates: Default::default(),
        });
        assert!(
            done.outcome.is_some() && done.errors() == 0,
            "the fuzz fixture does not apply: {:?}",
            done.diagnostics
        );
        fixture
    }
}

/// Bindings for the shipped services, with no certificate to read.
const BINDINGS: &str = "redis:
  hostname: cache.example.com:6380
  auth:
    secret: { store: kubernetes, name: redis-auth, key: password }
  database: 2
  tls: true
valkey:
  hostname: valkey.example.com:6379
  auth:
    secret: { store: kubernetes, name: valkey-auth, key: password }
postgresql:
  hostname: db.example.com:5432
  database: app
  username: app
  auth: { secret: { store: kubernetes, name: db-auth, key: password } }
  sslmode: require
";

/// A rule file: parsed, checked, rendered and formatted.
pub fn rules(data: &[u8]) {
    let parse = syntax::parse_bytes(FileId(0), data);
    let Ok(text) = std::str::from_utf8(data) else {
        assert!(!parse.diagnostics.is_empty(), "invalid UTF-8 is reported");
        return;
    };
    let mut sources = Sources::new();
    sources.add("fuzz.graft", text);
    let analysis = crate::analysis::analyze(&sources);
    let _ = crate::cli::render::text(&sources, &analysis.diagnostics, false);
    let parse = syntax::parse(FileId(0), text);
    if !parse.diagnostics.is_empty() {
        return;
    }
    let once = syntax::format::format(text, &parse.module);
    let again = syntax::parse(FileId(0), &once);
    assert!(
        again.diagnostics.is_empty(),
        "the formatted text does not parse:\n{once}"
    );
    assert_eq!(
        again.module.items.len(),
        parse.module.items.len(),
        "items lost"
    );
    assert_eq!(
        again.module.comments.len(),
        parse.module.comments.len(),
        "comments lost:\n{once}"
    );
    let twice = syntax::format::format(&once, &again.module);
    assert_eq!(once, twice, "formatting is not idempotent");
    let codes = |text: &str| {
        let mut s = Sources::new();
        s.add("fuzz.graft", text);
        let mut codes: Vec<&str> = crate::analysis::analyze(&s)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        codes(text),
        codes(&once),
        "formatting changed the diagnostics"
    );
}

/// The files a run wrote.
fn written(done: &Done) -> Vec<(String, String)> {
    done.outcome.as_ref().map_or_else(Vec::new, |o| {
        o.files
            .iter()
            .filter_map(|f| f.text.clone().map(|t| (f.path.clone(), t)))
            .collect()
    })
}

/// A stack of one file, `path` (its name picks the format), holding
/// `data`: applied, rendered, and what is written applied again, which must
/// read without an error.
pub fn stack(fixture: &Fixture, path: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let job = Job {
        rules: fixture.rules.clone(),
        bindings: fixture.bindings.clone(),
        stack: vec![(path.to_string(), text.to_string())],
        certificates: Default::default(),
    };
    let done = run(&job);
    let _ = crate::cli::render::text(&done.sources, &done.diagnostics, false);
    let Some(outcome) = &done.outcome else {
        return;
    };
    let _ = outcome.plan.to_text();
    let _ = outcome.plan.to_json();
    if done.errors() > 0 {
        return;
    }
    let out = written(&done);
    if out.is_empty() {
        return;
    }
    let again = run(&Job {
        stack: out.clone(),
        ..job
    });
    let read_errors: Vec<String> = again
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code.as_str().starts_with("E07"))
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    assert!(
        read_errors.is_empty(),
        "what was written does not read back: {read_errors:?}\n{out:?}"
    );
}

/// A bindings file named `name` (its extension picks the syntax), holding
/// `data`, applied to a small Kubernetes stack: no panic, and no
/// diagnostic shows a secret-shaped value of the file.
pub fn bindings(fixture: &Fixture, name: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let job = Job {
        rules: fixture.rules.clone(),
        bindings: (name.to_string(), text.to_string()),
        stack: vec![("app.yaml".into(), STACK.into())],
        certificates: Default::default(),
    };
    let done = run(&job);
    let shown = crate::cli::render::text(&done.sources, &done.diagnostics, false);
    let spans = crate::bindings::read::secret_shaped(text);
    // The file with every secret-shaped value blanked: a value that is also
    // written there (`hostname = "x.example.com"` holds `e = "x.example.com"`,
    // secret-shaped after `secret = ` on another line) may be shown from
    // that place.
    let mut elsewhere = text.to_string();
    for span in &spans {
        if elsewhere.get(span.start..span.end).is_some() {
            elsewhere.replace_range(span.start..span.end, &"\0".repeat(span.end - span.start));
        }
    }
    for span in spans {
        let secret = text[span.start..span.end].trim();
        if secret.len() >= 6
            && !STACK.contains(secret)
            && !fixture_text(fixture).contains(secret)
            && !elsewhere.contains(secret)
        {
            assert!(
                !shown.contains(secret),
                "an error shows the secret-shaped `{secret}`:\n{shown}"
            );
        }
    }
}

fn fixture_text(fixture: &Fixture) -> String {
    fixture.rules.iter().map(|(_, t)| t.as_str()).collect()
}

const STACK: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7
---
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  selector:
    app: redis
  ports:
    - port: 6379
";

/// Messages to the language server: `data` split at NUL bytes into
/// bodies, each sent framed (an `exit` notification left out); the server
/// must then still answer `shutdown`.
pub fn lsp_messages(data: &[u8]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // An empty workspace of its own.
        let dir = std::env::temp_dir().join(format!("graft-fuzz-lsp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut peer = crate::lsp::peer::Peer::initialized(&dir).await;
        for body in data.split(|&b| b == 0).filter(|b| !b.is_empty()) {
            if body.windows(4).any(|w| w == b"exit") {
                continue;
            }
            peer.send_raw(body).await;
        }
        let answer = peer.request("shutdown", serde_json::Value::Null).await;
        assert!(
            answer.get("result").is_some() || answer.get("error").is_some(),
            "{answer}"
        );
    });
}
