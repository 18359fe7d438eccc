//! `graft lsp`: the language server, on standard input and output.
//!
//! It runs the same analysis as `graft check` (no second checker): a rule
//! file is checked together with every other `.graft` file of its folder
//! (the folder's own files, not its subfolders'),
//! open documents taking the place of what is on disk, and every file of the
//! folder gets its diagnostics, so that an edit in one file updates the
//! cross-file errors of the others. Formatting is `graft fmt`'s.
//!
//! Document state changes in order. The transport runs handlers
//! concurrently, so each notification changes the documents before it first
//! waits on anything (handlers start in the order the messages came), and a
//! change that carries an older version than the document's is dropped.
//! Diagnostics are worked out from a snapshot and published one run at a
//! time; a run that finds the documents changed since its snapshot publishes
//! nothing, because the run for the newer change will.
//!
//! Like `cli`, this module reads files; nothing below it does.

mod explain;
mod navigate;
pub mod peer;
mod position;
mod preview;
mod symbol;

pub use position::{Encoding, LineIndex};

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{FileId, Sources};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::{
    self as lsp, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentFormattingParams, InitializeParams, InitializeResult,
    InitializedParams, MessageType, PositionEncodingKind, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// Serves the protocol on standard input and output until the client exits.
pub fn serve_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Reading standard input blocks a thread that only ends when the client
    // closes it; after `exit`, do not wait for that.
    runtime.shutdown_background();
    Ok(())
}

/// The largest message read; a larger one is skipped, and said.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Serves the protocol on `input` and `output` until the client exits or
/// closes `input`.
///
/// The transport stops reading at the first message it cannot decode, so
/// messages pass through a relay first: one that is not a JSON-RPC message
/// (not JSON, not an object with `jsonrpc`, headers without a length, too
/// large) is replaced by a `graft/malformed` notification, which the server
/// logs, and the server reads on.
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (relayed, server_input) = tokio::io::duplex(1 << 20);
    let relay = tokio::spawn(relay(input, relayed));
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("graft/malformed", Backend::malformed)
        .finish();
    Server::new(server_input, output, socket)
        .serve(service)
        .await;
    relay.abort();
}

/// Copies framed messages from `input` to `output`, replacing each one the
/// transport could not decode with a `graft/malformed` notification.
async fn relay<I>(input: I, mut output: tokio::io::DuplexStream)
where
    I: tokio::io::AsyncRead + Unpin,
{
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let mut input = tokio::io::BufReader::new(input);
    loop {
        // Headers, up to a blank line.
        let mut length: Option<usize> = None;
        let mut bad_header = None;
        loop {
            let mut line = Vec::new();
            match (&mut input).take(8192).read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            match line.split_once(':') {
                Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                    match value.trim().parse::<usize>() {
                        Ok(n) => length = Some(n),
                        Err(_) => {
                            bad_header = Some(format!(
                                "a Content-Length that is not a number: `{}`",
                                value.trim()
                            ))
                        }
                    }
                }
                Some(_) => {}
                None => bad_header = Some("a header line without `:`".to_string()),
            }
        }
        let reason = match (length, bad_header) {
            (Some(n), Some(why)) => {
                // The length is known: its body is skipped, so that the
                // next message is read from its start.
                let skipped =
                    tokio::io::copy(&mut (&mut input).take(n as u64), &mut tokio::io::sink()).await;
                if skipped.is_err() {
                    return;
                }
                Some(why)
            }
            (None, Some(why)) => Some(why),
            (None, None) => Some("a message without a Content-Length header".to_string()),
            (Some(n), None) if n > MAX_MESSAGE => {
                // Skip its bytes without keeping them.
                let skipped =
                    tokio::io::copy(&mut (&mut input).take(n as u64), &mut tokio::io::sink()).await;
                if skipped.is_err() {
                    return;
                }
                Some(format!(
                    "a message of {n} bytes, more than the {MAX_MESSAGE} graft reads"
                ))
            }
            (Some(_), None) => None,
        };
        let body = match (reason, length) {
            (Some(why), _) => malformed(&why),
            (None, Some(n)) => {
                let mut body = vec![0; n];
                if input.read_exact(&mut body).await.is_err() {
                    return;
                }
                match decodable(&body) {
                    Ok(()) => body,
                    Err(why) => malformed(&why),
                }
            }
            (None, None) => continue,
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
        {
            return;
        }
    }
}

/// Whether a body is a JSON-RPC message the transport can decode.
fn decodable(body: &[u8]) -> Result<(), String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("a message that is not JSON ({e})"))?;
    let Some(object) = value.as_object() else {
        return Err("a message that is not a JSON object".to_string());
    };
    if object.get("jsonrpc").and_then(serde_json::Value::as_str) != Some("2.0") {
        return Err("a message without `\"jsonrpc\": \"2.0\"`".to_string());
    }
    let method = object.get("method");
    let id = object.get("id");
    let id_ok = id.is_none_or(|i| i.is_string() || i.is_i64() || i.is_u64() || i.is_null());
    let ok = match method {
        Some(m) => {
            m.is_string()
                && id_ok
                && object
                    .get("params")
                    .is_none_or(|p| p.is_object() || p.is_array() || p.is_null())
        }
        None => {
            id.is_some() && id_ok && (object.contains_key("result") || object.contains_key("error"))
        }
    };
    if !ok {
        return Err(
            "a JSON object that is neither a request, a notification nor a response".to_string(),
        );
    }
    // What passes the looser reading above must also decode as the
    // transport's own types: they refuse, for one, a key given twice (a
    // second `method`), where `serde_json::Value` keeps the last.
    let decoded = if method.is_some() {
        serde_json::from_slice::<tower_lsp_server::jsonrpc::Request>(body).map(drop)
    } else {
        serde_json::from_slice::<tower_lsp_server::jsonrpc::Response>(body).map(drop)
    };
    decoded.map_err(|e| format!("a message the transport cannot decode ({e})"))
}

/// The notification that stands for a message the transport could not read.
fn malformed(why: &str) -> Vec<u8> {
    serde_json::json!({"jsonrpc": "2.0", "method": "graft/malformed", "params": {"reason": why}})
        .to_string()
        .into_bytes()
}

/// One open document.
#[derive(Clone, Debug)]
struct Document {
    text: String,
    version: i32,
}

/// What the server knows: the open documents, and which files it has told
/// the client about.
#[derive(Default)]
struct State {
    encoding: Option<Encoding>,
    documents: BTreeMap<PathBuf, Document>,
    /// Bumped, for a folder, on every change to its documents: a check
    /// that started before the latest change of its folder is stale.
    generations: BTreeMap<PathBuf, u64>,
    /// Files with diagnostics published, by folder: they are cleared when a
    /// later run finds none.
    published: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// The workspace folders, where a `graft.toml` for the preview is looked for.
    roots: Vec<PathBuf>,
    /// Whether the client re-asks for code lenses when told to.
    lens_refresh: bool,
}

impl State {
    /// The generation of `folder`'s documents.
    fn generation(&self, folder: &Path) -> u64 {
        self.generations.get(folder).copied().unwrap_or(0)
    }

    /// A change to `folder`'s documents: its new generation.
    fn bump(&mut self, folder: &Path) -> u64 {
        let g = self.generations.entry(folder.to_path_buf()).or_default();
        *g += 1;
        *g
    }
}

/// The language server.
pub struct Backend {
    client: Client,
    state: Mutex<State>,
    /// Held while diagnostics are worked out and published, one run at a time.
    publishing: tokio::sync::Mutex<()>,
    /// The overlap analysis's answers, kept from one edit to the next.
    memo: std::sync::Arc<crate::check::OverlapMemo>,
    /// Each file's last parse, with the id and text it was made from.
    parses: std::sync::Arc<Mutex<ParseCache>>,
    /// The last live preview, with the key of its inputs.
    preview: Mutex<Option<(u64, std::sync::Arc<preview::Preview>)>>,
    /// The incremental session the last preview ran in, with its project.
    session: Mutex<preview::Kept>,
    /// The project found for each rules folder, checked again on each use
    /// rather than looked for through the workspace.
    projects: Mutex<BTreeMap<PathBuf, PathBuf>>,
    /// When each rules folder was last looked for in vain.
    misses: Mutex<BTreeMap<PathBuf, std::time::Instant>>,
}

/// Parses kept from one check to the next, by file.
type ParseCache = BTreeMap<PathBuf, (FileId, String, crate::syntax::Parse)>;

impl Backend {
    /// A server that talks to `client`.
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Mutex::new(State::default()),
            publishing: tokio::sync::Mutex::new(()),
            memo: std::sync::Arc::default(),
            parses: std::sync::Arc::default(),
            preview: Mutex::new(None),
            session: Mutex::new(None),
            projects: Mutex::new(BTreeMap::new()),
            misses: Mutex::new(BTreeMap::new()),
        }
    }

    /// The live preview of the rules folder `folder`, when a `graft.toml`
    /// in the workspace names it: worked out again only when the rules'
    /// text, the bindings or the stack changed.
    fn preview(&self, folder: &Path) -> Option<Result<std::sync::Arc<preview::Preview>, String>> {
        let (documents, roots) = {
            let state = self.state();
            (state.documents.clone(), state.roots.clone())
        };
        let mut projects = lock(&self.projects);
        let known = projects
            .get(folder)
            .and_then(|dir| Some((dir.clone(), preview::project_in(dir, folder)?)));
        // A folder no project names is looked for again only after a while:
        // a lens request must not walk the workspace on every edit.
        let mut misses = lock(&self.misses);
        let recent = misses
            .get(folder)
            .is_some_and(|at| at.elapsed() < std::time::Duration::from_secs(10));
        if known.is_none() && recent {
            return None;
        }
        let Some((project, sample)) = known.or_else(|| preview::find_project(&roots, folder))
        else {
            misses.insert(folder.to_path_buf(), std::time::Instant::now());
            return None;
        };
        misses.remove(folder);
        drop(misses);
        projects.insert(folder.to_path_buf(), project.clone());
        drop(projects);
        let rules: Vec<(String, String)> = folder_texts(folder, &documents)
            .into_iter()
            .map(|(p, t)| (p.display().to_string(), t))
            .collect();
        let key = preview::key(&project, &sample, &rules);
        let mut kept = lock(&self.preview);
        if let Some((k, p)) = kept.as_ref()
            && *k == key
        {
            return Some(Ok(p.clone()));
        }
        Some(
            preview::run(&project, &sample, rules, &mut lock(&self.session)).map(|p| {
                let p = std::sync::Arc::new(p);
                *kept = Some((key, p.clone()));
                p
            }),
        )
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn encoding(&self) -> Encoding {
        self.state().encoding.unwrap_or(Encoding::Utf16)
    }

    /// Works out the diagnostics of `folder` after the change that made its
    /// generation `wanted`, and publishes them. Stale work is skipped: when
    /// the folder changed again before this run's turn came, or while it
    /// ran, the later change's run is the one that counts.
    async fn refresh(&self, folder: PathBuf, wanted: u64) {
        let turn = self.publishing.lock().await;
        let (documents, encoding, before) = {
            let state = self.state();
            if state.generation(&folder) != wanted {
                return;
            }
            (
                state.documents.clone(),
                state.encoding.unwrap_or(Encoding::Utf16),
                state.published.get(&folder).cloned().unwrap_or_default(),
            )
        };
        // The check runs off the protocol's task: requests (hover,
        // completion) and changes keep being read and answered meanwhile,
        // and a change that comes in makes this run's result stale.
        let (memo, parses, at) = (self.memo.clone(), self.parses.clone(), folder.clone());
        let checked = tokio::task::spawn_blocking(move || {
            let found = check_folder(&at, &documents, encoding, &memo, &mut lock(&parses));
            (found, documents)
        })
        .await;
        let Ok((found, documents)) = checked else {
            self.log("a diagnostics run failed".into()).await;
            return;
        };
        let mut messages: Vec<(PathBuf, Vec<lsp::Diagnostic>, Option<i32>)> = Vec::new();
        let mut now = BTreeSet::new();
        for (path, diagnostics) in &found {
            if !diagnostics.is_empty() {
                now.insert(path.clone());
            }
            let version = documents.get(path).map(|d| d.version);
            messages.push((path.clone(), diagnostics.clone(), version));
        }
        // Files that had diagnostics and are no longer in the folder.
        for path in before.difference(&now) {
            if !found.contains_key(path) {
                messages.push((path.clone(), Vec::new(), None));
            }
        }
        {
            let mut state = self.state();
            if state.generation(&folder) != wanted {
                return;
            }
            state.published.insert(folder, now);
        }
        for (path, diagnostics, version) in messages {
            if let Some(uri) = Uri::from_file_path(&path) {
                self.client
                    .publish_diagnostics(uri, diagnostics, version)
                    .await;
            }
        }
        // The next run may start while the client answers.
        drop(turn);
        // The preview's lenses follow the edit: a client that can be told
        // to ask for them again is (and not waited on for long).
        if self.state().lens_refresh {
            let asked = self.client.code_lens_refresh();
            if tokio::time::timeout(std::time::Duration::from_secs(2), asked)
                .await
                .is_err()
            {
                self.log("the client did not answer a code lens refresh".into())
                    .await;
            }
        }
    }

    async fn log(&self, message: String) {
        self.client.log_message(MessageType::WARNING, message).await;
    }

    /// The parsed files of the folder of `uri`, and the index of its own.
    fn parsed_folder(&self, uri: &Uri) -> Option<(Vec<navigate::Parsed>, usize)> {
        let path = path_of(uri)?;
        let documents = self.state().documents.clone();
        documents.get(&path)?;
        // A file whose text the last check parsed is not parsed again
        // (unless a check is running and holds the parses: then the request
        // parses for itself rather than wait).
        let kept = self.parses.try_lock().ok();
        let parsed: Vec<navigate::Parsed> = folder_texts(&folder_of(&path), &documents)
            .into_iter()
            .map(
                |(path, text)| match kept.as_ref().and_then(|k| k.get(&path)) {
                    Some((_, old, parse)) if *old == text => navigate::Parsed {
                        module: parse.module.clone(),
                        path,
                        text,
                    },
                    _ => navigate::Parsed::new(path, text),
                },
            )
            .collect();
        drop(kept);
        let own = parsed.iter().position(|p| p.path == path)?;
        Some((parsed, own))
    }

    /// The parsed files of the folder of a position's document, the index of
    /// its own, and the position as a byte offset.
    fn at(
        &self,
        at: &lsp::TextDocumentPositionParams,
    ) -> Option<(Vec<navigate::Parsed>, usize, usize)> {
        let (folder, own) = self.parsed_folder(&at.text_document.uri)?;
        let offset = LineIndex::new(&folder[own].text, self.encoding()).offset(at.position);
        Some((folder, own, offset))
    }

    /// The parse of one open document.
    fn parsed_document(&self, uri: &Uri) -> Option<navigate::Parsed> {
        let path = path_of(uri)?;
        let text = self.state().documents.get(&path)?.text.clone();
        Some(navigate::Parsed::new(path, text))
    }

    /// A message the relay could not pass on: said in the client's log.
    async fn malformed(&self, params: serde_json::Value) {
        let why = params
            .get("reason")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("an unreadable message");
        self.log(format!("graft ignored {why}")).await;
    }
}

/// A lock's guard; a panic while it was held (which a handler cannot
/// cause on purpose) leaves the data usable, so the guard is taken anyway.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The `.graft` files of `folder` and the open documents in it, each with
/// its text: an open document's, or the file's.
fn folder_texts(folder: &Path, documents: &BTreeMap<PathBuf, Document>) -> Vec<(PathBuf, String)> {
    folder_files(folder, documents)
        .into_iter()
        .filter_map(|(path, text)| Some((path, text.ok()?)))
        .collect()
}

/// [`folder_texts`], with the bytes of each file on disk that is not UTF-8
/// (to be reported, as `graft check` does, rather than left out).
fn folder_files(
    folder: &Path,
    documents: &BTreeMap<PathBuf, Document>,
) -> Vec<(PathBuf, Result<String, Vec<u8>>)> {
    // The folder's own files, not its subfolders': a rule file opened in a
    // large folder (a home directory) must not make every edit walk a tree.
    let mut paths: BTreeSet<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "graft") && p.is_file())
        .collect();
    paths.extend(
        documents
            .keys()
            .filter(|p| p.parent() == Some(folder))
            .cloned(),
    );
    paths
        .into_iter()
        .filter_map(|path| {
            let text = match documents.get(&path) {
                Some(d) => Ok(d.text.clone()),
                None => {
                    let bytes = crate::cli::files::read_bounded(
                        &path,
                        64 * 1024 * 1024,
                        "a rule file",
                        "split the rules into several files",
                    )
                    .ok()?;
                    String::from_utf8(bytes).map_err(|e| e.into_bytes())
                }
            };
            Some((path, text))
        })
        .collect()
}

/// Checks the `.graft` files of `folder` as `graft check` would, with the
/// open documents in place of their files: the diagnostics by file, every
/// file of the folder present (with none where it has none).
fn check_folder(
    folder: &Path,
    documents: &BTreeMap<PathBuf, Document>,
    encoding: Encoding,
    memo: &crate::check::OverlapMemo,
    cache: &mut ParseCache,
) -> BTreeMap<PathBuf, Vec<lsp::Diagnostic>> {
    let mut sources = Sources::new();
    let mut files: Vec<(FileId, PathBuf)> = Vec::new();
    let mut readable = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut not_utf8: BTreeMap<FileId, Vec<u8>> = BTreeMap::new();
    for (path, text) in folder_files(folder, documents) {
        let id = match text {
            Ok(text) => sources.add(path.display().to_string(), text),
            Err(bytes) => {
                let id = sources.add(
                    path.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
                not_utf8.insert(id, bytes);
                id
            }
        };
        files.push((id, path));
        readable.push(id);
    }
    // Files the edit did not touch keep their parse; a file that is not
    // UTF-8 is reported where its first bad byte is, and declares nothing.
    let kept = |id: FileId, text: &str| {
        if let Some(bytes) = not_utf8.get(&id) {
            return Some(crate::syntax::parse_bytes(id, bytes));
        }
        let (_, path) = files.iter().find(|(f, _)| *f == id)?;
        let (was, old, parse) = cache.get(path)?;
        (*was == id && old == text).then(|| parse.clone())
    };
    let mut analysis = crate::analysis::analyze_parsed(&sources, &readable, &kept, Some(memo));
    cache.retain(|p, _| p.parent() != Some(folder));
    for (id, parse) in std::mem::take(&mut analysis.parses) {
        if let (Some((_, path)), Some(f)) = (files.iter().find(|(f, _)| *f == id), sources.get(id))
        {
            cache.insert(path.clone(), (id, f.text().to_string(), parse));
        }
    }
    diagnostics.extend(analysis.diagnostics);
    let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> =
        files.iter().map(|(_, p)| (p.clone(), Vec::new())).collect();
    let path_of = |id: FileId| files.iter().find(|(f, _)| *f == id).map(|(_, p)| p);
    for d in &diagnostics {
        let Some(path) = path_of(d.primary.file) else {
            continue;
        };
        let version_of = |p: &Path| documents.get(p).map(|d| d.version);
        let converted = to_lsp(d, &sources, &path_of, &version_of, encoding);
        by_file.entry(path.clone()).or_default().push(converted);
    }
    by_file
}

/// A diagnostic in the protocol's terms: the primary label's range, the
/// other labels as related information, the help after the message.
fn to_lsp<'p>(
    d: &Diagnostic,
    sources: &Sources,
    path_of: &dyn Fn(FileId) -> Option<&'p PathBuf>,
    version_of: &dyn Fn(&Path) -> Option<i32>,
    encoding: Encoding,
) -> lsp::Diagnostic {
    let range = |file: FileId, span: crate::source::Span| {
        sources.get(file).map_or_else(lsp::Range::default, |f| {
            LineIndex::of(f, encoding).range(span.start, span.end)
        })
    };
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(": ");
        message.push_str(&d.primary.message);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|l| {
            let uri = Uri::from_file_path(path_of(l.file)?)?;
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri, range(l.file, l.span)),
                message: if l.message.is_empty() {
                    "here".to_string()
                } else {
                    l.message.clone()
                },
            })
        })
        .collect();
    // The fix travels with the diagnostic, and comes back in a code action
    // request: as a title and the edits, by file.
    let data = d.fix.as_ref().map(|fix| {
        let edits: Vec<serde_json::Value> = fix
            .edits
            .iter()
            .filter_map(|e| {
                let path = path_of(e.file)?;
                let uri = Uri::from_file_path(path)?;
                // The version of the open document the range is in: a code
                // action for text that changed since is not offered.
                Some(serde_json::json!({
                    "uri": uri.as_str(),
                    "range": range(e.file, e.span),
                    "newText": e.replacement,
                    "version": version_of(path),
                }))
            })
            .collect();
        serde_json::json!({"title": fix.message, "edits": edits})
    });
    lsp::Diagnostic {
        range: range(d.primary.file, d.primary.span),
        data,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("graft".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

/// The file a document URI names, when it is a local file.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The rules folder a file belongs to: its own folder.
fn folder_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        // UTF-8 when the client offers it, UTF-16 (the default) otherwise.
        let offered = params
            .capabilities
            .general
            .and_then(|g| g.position_encodings)
            .unwrap_or_default();
        let encoding = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        #[allow(deprecated)]
        let roots: Vec<PathBuf> = match &params.workspace_folders {
            Some(folders) if !folders.is_empty() => {
                folders.iter().filter_map(|f| path_of(&f.uri)).collect()
            }
            _ => params
                .root_uri
                .as_ref()
                .and_then(path_of)
                .into_iter()
                .collect(),
        };
        let lens_refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        {
            let mut state = self.state();
            state.encoding = Some(encoding);
            state.roots = roots;
            state.lens_refresh = lens_refresh;
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::FULL,
                )),
                document_formatting_provider: Some(lsp::OneOf::Left(true)),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                completion_provider: Some(lsp::CompletionOptions {
                    trigger_characters: Some(vec![".".to_string(), "|".to_string()]),
                    ..lsp::CompletionOptions::default()
                }),
                definition_provider: Some(lsp::OneOf::Left(true)),
                references_provider: Some(lsp::OneOf::Left(true)),
                rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: lsp::WorkDoneProgressOptions::default(),
                })),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(
                    lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                        lsp::SemanticTokensOptions {
                            legend: lsp::SemanticTokensLegend {
                                token_types: navigate::TOKEN_TYPES.to_vec(),
                                token_modifiers: navigate::TOKEN_MODIFIERS.to_vec(),
                            },
                            full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                            ..lsp::SemanticTokensOptions::default()
                        },
                    ),
                ),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                        ..lsp::CodeActionOptions::default()
                    },
                )),
                code_lens_provider: Some(lsp::CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(lsp::ExecuteCommandOptions {
                    commands: vec![preview::SHOW_PLAN.to_string()],
                    ..lsp::ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "graft".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {}

    async fn shutdown(&self) -> RpcResult<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = path_of(&doc.uri) else {
            self.log(format!(
                "graft reads local files only: {}",
                doc.uri.as_str()
            ))
            .await;
            return;
        };
        let folder = folder_of(&path);
        let wanted = {
            let mut state = self.state();
            state.documents.insert(
                path,
                Document {
                    text: doc.text,
                    version: doc.version,
                },
            );
            state.bump(&folder)
        };
        self.refresh(folder, wanted).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let version = params.text_document.version;
        let folder = folder_of(&path);
        let applied = {
            let mut state = self.state();
            match state.documents.get_mut(&path) {
                None => Err("a document that was never opened"),
                Some(d) if version <= d.version => Err("an older version of a document"),
                Some(d) => {
                    // Full sync: the last change holds the whole text.
                    match params.content_changes.into_iter().last() {
                        Some(change) if change.range.is_none() => {
                            d.text = change.text;
                            d.version = version;
                            Ok(Some(state.bump(&folder)))
                        }
                        Some(_) => Err("a ranged change (graft asks for whole documents)"),
                        None => Ok(None),
                    }
                }
            }
        };
        match applied {
            Ok(Some(wanted)) => self.refresh(folder, wanted).await,
            Ok(None) => {}
            Err(what) => {
                self.log(format!(
                    "ignored a change to {what}: {}",
                    params.text_document.uri.as_str()
                ))
                .await
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else {
            return;
        };
        let folder = folder_of(&path);
        let wanted = {
            let mut state = self.state();
            if state.documents.remove(&path).is_none() {
                return;
            }
            state.bump(&folder)
        };
        // The file on disk (if any) is what counts again.
        self.refresh(folder, wanted).await;
    }

    async fn formatting(
        &self,
        params: DocumentFormattingParams,
    ) -> RpcResult<Option<Vec<TextEdit>>> {
        let Some(path) = path_of(&params.text_document.uri) else {
            return Ok(None);
        };
        let Some(text) = self.state().documents.get(&path).map(|d| d.text.clone()) else {
            return Ok(None);
        };
        // The formatter refuses text with syntax errors: nothing to do then.
        let Ok(formatted) = crate::syntax::format::checked(FileId(0), &text) else {
            return Ok(None);
        };
        if formatted == text {
            return Ok(Some(Vec::new()));
        }
        let index = LineIndex::new(&text, self.encoding());
        Ok(Some(vec![TextEdit::new(
            index.range(0, text.len()),
            formatted,
        )]))
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        let Some((folder, own, offset)) = self.at(&at) else {
            return Ok(None);
        };
        Ok(navigate::hover(&folder, own, offset, self.encoding()))
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> RpcResult<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        let Some((folder, own, offset)) = self.at(&at) else {
            return Ok(None);
        };
        let file = &folder[own];
        Ok(Some(lsp::CompletionResponse::Array(navigate::completions(
            &folder, file, offset,
        ))))
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> RpcResult<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some((folder, own, offset)) = self.at(&at) else {
            return Ok(None);
        };
        Ok(navigate::definition(&folder, own, offset, self.encoding())
            .map(lsp::GotoDefinitionResponse::Scalar))
    }

    async fn references(
        &self,
        params: lsp::ReferenceParams,
    ) -> RpcResult<Option<Vec<lsp::Location>>> {
        let Some((folder, own, offset)) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        Ok(Some(navigate::references(
            &folder,
            own,
            offset,
            params.context.include_declaration,
            self.encoding(),
        )))
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> RpcResult<Option<lsp::PrepareRenameResponse>> {
        let Some((folder, own, offset)) = self.at(&params) else {
            return Ok(None);
        };
        Ok(
            navigate::prepare_rename(&folder, own, offset, self.encoding())
                .map(lsp::PrepareRenameResponse::Range),
        )
    }

    async fn rename(&self, params: lsp::RenameParams) -> RpcResult<Option<lsp::WorkspaceEdit>> {
        let Some((folder, own, offset)) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let renamed = navigate::rename(&folder, own, offset, &params.new_name, self.encoding())
            .map_err(tower_lsp_server::jsonrpc::Error::invalid_params)?;
        let Some((edit, note)) = renamed else {
            return Ok(None);
        };
        if let Some(note) = note {
            self.client.show_message(MessageType::INFO, note).await;
        }
        Ok(Some(edit))
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> RpcResult<Option<lsp::DocumentSymbolResponse>> {
        Ok(self
            .parsed_document(&params.text_document.uri)
            .map(|f| lsp::DocumentSymbolResponse::Nested(navigate::symbols(&f, self.encoding()))))
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> RpcResult<Option<lsp::SemanticTokensResult>> {
        Ok(self.parsed_document(&params.text_document.uri).map(|f| {
            lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
                result_id: None,
                data: navigate::semantic_tokens(&f, self.encoding()),
            })
        }))
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> RpcResult<Option<Vec<lsp::FoldingRange>>> {
        Ok(self
            .parsed_document(&params.text_document.uri)
            .map(|f| navigate::folding(&f, self.encoding())))
    }

    async fn code_lens(
        &self,
        params: lsp::CodeLensParams,
    ) -> RpcResult<Option<Vec<lsp::CodeLens>>> {
        let Some(doc) = self.parsed_document(&params.text_document.uri) else {
            return Ok(None);
        };
        let folder = folder_of(&doc.path);
        let Some(preview) = self.preview(&folder) else {
            return Ok(None);
        };
        let lines = LineIndex::new(&doc.text, self.encoding());
        let command = |title: String| lsp::Command {
            title,
            command: preview::SHOW_PLAN.to_string(),
            arguments: Some(vec![serde_json::Value::String(
                folder.display().to_string(),
            )]),
        };
        let lens = |span: crate::source::Span, title: String| lsp::CodeLens {
            range: lines.range(span.start, span.end),
            command: Some(command(title)),
            data: None,
        };
        let preview = match preview {
            Ok(p) => p,
            Err(why) => {
                // Say why on the first item, once.
                return Ok(Some(
                    doc.module
                        .items
                        .first()
                        .map(|i| {
                            let span = i.span();
                            lens(
                                crate::source::Span::new(span.start, span.start),
                                format!("preview: {why}"),
                            )
                        })
                        .into_iter()
                        .collect(),
                ));
            }
        };
        let sample = preview.project.file_name().map_or_else(
            || preview.project.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        let mut lenses = Vec::new();
        for item in &doc.module.items {
            match item {
                crate::syntax::ast::Item::Matcher(m) => {
                    let title = match preview.matches.get(&m.name.text) {
                        Some(1) => format!("matches 1 resource in {sample}"),
                        Some(n) => format!("matches {n} resources in {sample}"),
                        None => format!("its service is not bound in {sample}"),
                    };
                    lenses.push(lens(m.name.span, title));
                }
                crate::syntax::ast::Item::Rule(r) => {
                    let title = match preview.services.get(&r.service.text) {
                        _ if preview.errors > 0 => format!(
                            "{} error{} in {sample}: show the plan",
                            preview.errors,
                            if preview.errors == 1 { "" } else { "s" }
                        ),
                        Some((dropped, consumers, changes)) => format!(
                            "{dropped} dropped, {consumers} consumer{} rewired, {changes} change{} in {sample}",
                            if *consumers == 1 { "" } else { "s" },
                            if *changes == 1 { "" } else { "s" }
                        ),
                        None => format!("`{}` is not bound in {sample}", r.service.text),
                    };
                    lenses.push(lens(r.service.span, title));
                }
                crate::syntax::ast::Item::Service(_) => {}
            }
        }
        Ok(Some(lenses))
    }

    async fn execute_command(
        &self,
        params: lsp::ExecuteCommandParams,
    ) -> RpcResult<Option<serde_json::Value>> {
        if params.command != preview::SHOW_PLAN {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "graft has no command `{}`",
                params.command
            )));
        }
        let folder = params
            .arguments
            .first()
            .and_then(serde_json::Value::as_str)
            .map(|a| match a.parse::<Uri>().ok().and_then(|u| path_of(&u)) {
                Some(p) if a.starts_with("file:") => p,
                _ => PathBuf::from(a),
            });
        let Some(folder) = folder else {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(
                "graft.showPlan takes the rules folder (a path or file URI)",
            ));
        };
        match self.preview(&folder) {
            None => Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "no graft.toml in the workspace names `{}` as its rules folder",
                folder.display()
            ))),
            Some(Err(why)) => Err(tower_lsp_server::jsonrpc::Error::invalid_params(why)),
            Some(Ok(p)) => Ok(Some(serde_json::json!({
                "project": p.project.display().to_string(),
                "errors": p.errors,
                "plan": p.plan,
                "diff": p.diff,
            }))),
        }
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> RpcResult<Option<lsp::CodeActionResponse>> {
        let mut actions = Vec::new();
        for d in params.context.diagnostics {
            let Some(data) = &d.data else { continue };
            let Some(title) = data.get("title").and_then(serde_json::Value::as_str) else {
                continue;
            };
            let mut changes: std::collections::HashMap<Uri, Vec<TextEdit>> =
                std::collections::HashMap::new();
            let mut stale = false;
            for e in data
                .get("edits")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
            {
                let uri = e
                    .get("uri")
                    .and_then(serde_json::Value::as_str)
                    .and_then(|u| u.parse::<Uri>().ok());
                let range = e
                    .get("range")
                    .and_then(|r| serde_json::from_value::<lsp::Range>(r.clone()).ok());
                let text = e.get("newText").and_then(serde_json::Value::as_str);
                if let (Some(uri), Some(made_at)) =
                    (&uri, e.get("version").and_then(serde_json::Value::as_i64))
                {
                    let now = path_of(uri)
                        .and_then(|p| self.state().documents.get(&p).map(|d| i64::from(d.version)));
                    stale |= now != Some(made_at);
                }
                if let (Some(uri), Some(range), Some(text)) = (uri, range, text) {
                    changes
                        .entry(uri)
                        .or_default()
                        .push(TextEdit::new(range, text.to_string()));
                }
            }
            if changes.is_empty() || stale {
                continue;
            }
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: title.to_string(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..lsp::WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..lsp::CodeAction::default()
            }));
        }
        Ok(Some(actions))
    }
}
