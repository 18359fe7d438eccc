//! The Kubernetes adapter: manifests (multi-document YAML, JSON, `List`
//! kinds) read into the stack model, with the references between objects:
//! Services and the pods they select, the DNS names a Service answers to
//! (bare, `:port`, inside URLs), `secretKeyRef`, `configMapKeyRef`,
//! `envFrom`, volumes, service accounts, the objects that exist for a
//! workload (PodDisruptionBudgets, NetworkPolicies, autoscalers), and the
//! routes to a Service (Ingress backends, Gateway API `backendRefs`).

use super::interpolate::Defaulted;
use super::yaml::{self, Node, ScalarKind};
use super::{
    NetForm, NetRef, ReadError, RefKind, Reference, Resource, ResourceId, Site, Stack, StackFile,
};
use crate::catalogue::Format;
use crate::source::Span;
use smol_str::SmolStr;
use std::collections::BTreeMap;
use std::sync::Arc;

mod names;
pub use names::{Named, Names, Role};

/// The kinds whose pods run containers, and where each keeps its pod
/// template (the node holding `metadata` and `spec`).
pub fn pod_template_path(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some(&["spec", "template"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template"]),
        "Pod" => Some(&[]),
        _ => None,
    }
}

/// Whether objects of this kind live outside namespaces.
fn cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "StorageClass"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "CustomResourceDefinition"
            | "PriorityClass"
            | "IngressClass"
            | "RuntimeClass"
            | "APIService"
            | "ValidatingWebhookConfiguration"
            | "MutatingWebhookConfiguration"
            | "CSIDriver"
            | "VolumeAttachment"
    )
}

/// Parses one manifest file.
pub fn parse_file(path: String, text: String) -> Result<StackFile, ReadError> {
    parse_keeping(path, text).map_err(|(e, _)| e)
}

/// [`parse_file`], giving the text back with the error.
fn parse_keeping(path: String, text: String) -> Result<StackFile, (ReadError, String)> {
    match yaml::parse(&text) {
        Ok(docs) => Ok(StackFile {
            path,
            text,
            format: Format::Kubernetes,
            docs,
            expressions: Vec::new(),
        }),
        Err(e) => Err((
            ReadError {
                path,
                span: Span::at(e.offset),
                message: format!("invalid YAML: {}", e.message),
                help: Some("fix the syntax; graft reads YAML 1.2 and JSON".into()),
            },
            text,
        )),
    }
}

/// Reads a set of manifest files (path, text) into a stack. Files are taken
/// in path order whatever order they come in. Each file is parsed and its
/// objects found on one core while its tree is fresh; then each file's
/// references, on every core.
pub fn read(mut files: Vec<(String, String)>) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    read_sorted(files.into_par_iter(), &|| {}).map_err(|f| f.errors)
}

/// Why a stack was not read: the errors, and the texts of the files they
/// are in (for the diagnostics' snippets, when the caller gave the texts
/// up to [`read_owned_until`]).
#[derive(Debug, Default)]
pub struct Unread {
    /// The errors.
    pub errors: Vec<ReadError>,
    /// Each file an error is in, with its text.
    pub texts: Vec<(String, String)>,
}

/// [`read_copies_until`], taking the files: each text moves into the stack
/// rather than being copied, which at a million objects is hundreds of
/// megabytes that were held twice. A caller that gives the texts up gets
/// back those of the files that did not read, with their errors.
pub fn read_owned_until(
    mut files: Vec<(String, String)>,
    stop: &std::sync::atomic::AtomicBool,
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Unread> {
    use rayon::prelude::*;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    read_sorted(
        files
            .into_par_iter()
            .map(|(path, text)| unless_stopped(stop, path, || text)),
        tick,
    )
}

/// A file to read, with its text (taken from `text`) unless `stop` is set:
/// then it is left empty, not read, and the caller drops the stack.
fn unless_stopped(
    stop: &std::sync::atomic::AtomicBool,
    path: String,
    text: impl FnOnce() -> String,
) -> (String, String) {
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        return (path, String::new());
    }
    (path, text())
}

/// [`read`], from files the caller keeps: each is copied on the core that
/// parses it, just before it does (rather than all at once beforehand).
pub fn read_copies(files: &[(String, String)]) -> Result<Stack, Vec<ReadError>> {
    read_copies_until(files, &std::sync::atomic::AtomicBool::new(false), &|| {})
}

/// [`read_copies`], given up (with an error) once `stop` is set: files not
/// begun by then are not parsed. The engine reads the stack while the rules
/// are checked, and stops reading if they have errors. `tick` is called as
/// each file is parsed (a progress display's step).
pub fn read_copies_until(
    files: &[(String, String)],
    stop: &std::sync::atomic::AtomicBool,
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    read_sorted(
        sorted
            .into_par_iter()
            .map(|(path, text)| unless_stopped(stop, path.clone(), || text.clone())),
        tick,
    )
    .map_err(|f| f.errors)
}

fn read_sorted(
    files: impl rayon::iter::IndexedParallelIterator<Item = (String, String)>,
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Unread> {
    use rayon::prelude::*;
    type Read = Result<(Arc<StackFile>, Arc<FileObjects>), (ReadError, String)>;
    let read: Vec<Read> = files
        .map(|(path, text)| {
            let file = parse_keeping(path, text);
            tick();
            let file = file?;
            let found = objects(&file);
            Ok((Arc::new(file), Arc::new(found)))
        })
        .collect();
    let mut unread = Unread::default();
    let (mut files, mut found) = (Vec::new(), Vec::new());
    for r in read {
        match r {
            Ok((f, o)) => {
                files.push(f);
                found.push(o);
            }
            Err((e, text)) => {
                unread.texts.push((e.path.clone(), text));
                unread.errors.push(e);
            }
        }
    }
    // The names move into the index: nothing reads them from the objects
    // after this (a session, which keeps them, builds its index with
    // [`Names::new`] from copies).
    let names = Names::owned(files.iter().zip(&mut found).map(|(f, o)| {
        let named = Arc::get_mut(o).map(|o| std::mem::take(&mut o.named));
        (f.path.as_str(), named.unwrap_or_default())
    }));
    let references: Vec<Arc<Vec<Reference>>> = files
        .par_iter()
        .zip(&found)
        .map(|(f, o)| Arc::new(file_references(f, o, &names)))
        .collect();
    // Kept to give back the texts of files with errors (a stack that
    // reads is the files' only holder once this goes).
    let read = files.clone();
    let errors = std::mem::take(&mut unread.errors);
    combine(files, found, references, errors).map_err(|errors| {
        let wrong: std::collections::HashSet<&str> =
            errors.iter().map(|e| e.path.as_str()).collect();
        for f in read.iter().filter(|f| wrong.contains(f.path.as_str())) {
            unread.texts.push((f.path.clone(), f.text.clone()));
        }
        unread.errors = errors;
        unread
    })
}

/// What one file holds, read from it alone: its objects (their `file` is
/// set when the stack is put together), what others can call each of them,
/// and the documents that are not objects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileObjects {
    /// The objects, in document order.
    pub resources: Vec<Resource>,
    /// What others can call each, in the same order.
    pub named: Vec<Named>,
    /// What is wrong with the file's documents.
    pub errors: Vec<ReadError>,
}

/// The objects of one file.
pub fn objects(file: &StackFile) -> FileObjects {
    let mut out = FileObjects::default();
    for (di, doc) in file.docs.iter().enumerate() {
        let root = &doc.root;
        if root.is_null() {
            continue;
        }
        if !root.is_map() {
            out.errors.push(ReadError {
                path: file.path.clone(),
                span: root.span(),
                message: "this document is not a Kubernetes object".into(),
                help: Some(
                    "every document of a manifest is a mapping with `apiVersion` and `kind`".into(),
                ),
            });
            continue;
        }
        let kind = root.str_at("kind").unwrap_or("");
        let items: Vec<(Option<usize>, &Node)> =
            if kind.ends_with("List") && root.get("items").is_some_and(Node::is_seq) {
                root.get("items")
                    .into_iter()
                    .flat_map(Node::items)
                    .enumerate()
                    .map(|(i, n)| (Some(i), n))
                    .collect()
            } else {
                vec![(None, root)]
            };
        for (item, node) in items {
            match object(file, di, item, node) {
                Ok(r) => {
                    out.named.push(Named::of(&r, node));
                    out.resources.push(r);
                }
                Err(e) => out.errors.push(e),
            }
        }
    }
    out
}

/// The references from one file's objects, seen through the names of the
/// whole stack.
pub fn file_references(file: &StackFile, objects: &FileObjects, names: &Names) -> Vec<Reference> {
    let Some((fi, first)) = names.file(&file.path) else {
        return Vec::new();
    };
    objects
        .resources
        .iter()
        .enumerate()
        .flat_map(|(i, r)| resource_references(file, fi, r, ResourceId(first + i as u32), names))
        .collect()
}

/// A stack from its files (in path order) and what was found in each
/// (taken over where nothing else holds it, copied where something does).
pub fn combine(
    files: Vec<Arc<StackFile>>,
    objects: Vec<Arc<FileObjects>>,
    references: Vec<Arc<Vec<Reference>>>,
    mut errors: Vec<ReadError>,
) -> Result<Stack, Vec<ReadError>> {
    let mut stack = Stack {
        files,
        ..Stack::default()
    };
    for (fi, o) in objects.into_iter().enumerate() {
        let (found, problems) = match Arc::try_unwrap(o) {
            Ok(o) => (o.resources, o.errors),
            Err(shared) => (shared.resources.clone(), shared.errors.clone()),
        };
        errors.extend(problems);
        stack.resources.extend(found.into_iter().map(|mut r| {
            r.file = fi;
            r
        }));
    }
    for (first, i) in duplicates(&stack.resources) {
        let (r, f) = (&stack.resources[i], &stack.resources[first]);
        errors.push(ReadError {
            path: stack.files[r.file].path.clone(),
            span: r.span,
            message: format!("`{}` is defined twice", r.address),
            help: Some(format!(
                "it is also defined in {}; an object may appear once in a stack",
                stack.files[f.file].path
            )),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    stack.set_references(references);
    Ok(stack)
}

/// Each resource whose address an earlier one has, with the first that has
/// it, in resource order: addresses hashed and sorted on every core rather
/// than put in one map on one.
fn duplicates(resources: &[Resource]) -> Vec<(usize, usize)> {
    use rayon::prelude::*;
    // The names index's hash (which folds case: addresses equal but for
    // case share a hash, and the comparison below tells them apart).
    let mut keys: Vec<(u64, u32)> = resources
        .par_iter()
        .enumerate()
        .map(|(i, r)| (names::Fnv::new().bytes(&r.address).0, i as u32))
        .collect();
    keys.par_sort_unstable();
    let mut out = Vec::new();
    for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        // Within one hash, each resource against the first before it with
        // the same address (a collision is told apart here).
        for (k, &(_, i)) in run.iter().enumerate() {
            let address = &resources[i as usize].address;
            if let Some(&(_, first)) = run[..k]
                .iter()
                .find(|(_, j)| resources[*j as usize].address == *address)
            {
                out.push((first as usize, i as usize));
            }
        }
    }
    out.sort_unstable_by_key(|&(_, i)| i);
    out
}

fn object(
    file: &StackFile,
    di: usize,
    item: Option<usize>,
    node: &Node,
) -> Result<Resource, ReadError> {
    let error = |span: Span, message: &str, help: &str| ReadError {
        path: file.path.clone(),
        span,
        message: message.into(),
        help: Some(help.into()),
    };
    // Absent, or present but not a string (`kind: [ConfigMap]`), each said
    // where it is.
    const AS_STRINGS: &str = "a Kubernetes object names its `apiVersion` and `kind` as strings, such as `apiVersion: v1` and `kind: ConfigMap`";
    let field = |key: &str| match node.get(key) {
        None => Err(error(
            node.span(),
            &format!("this object has no `{key}`"),
            "a Kubernetes object names its `apiVersion` and `kind`",
        )),
        Some(value) => value.as_str().ok_or_else(|| {
            error(
                value.span(),
                &format!("`{key}` must be a string"),
                AS_STRINGS,
            )
        }),
    };
    let kind = field("kind")?;
    let api = field("apiVersion")?;
    let meta = node.get("metadata");
    let name = meta
        .and_then(|m| m.str_at("name").or_else(|| m.str_at("generateName")))
        .unwrap_or("");
    if name.is_empty() {
        return Err(error(
            meta.map_or(node.span(), |m| m.span()),
            &format!("this {kind} has no `metadata.name`"),
            "give the object a name; graft addresses objects by kind, namespace and name",
        ));
    }
    let namespace = if cluster_scoped(kind) {
        String::new()
    } else {
        meta.and_then(|m| m.str_at("namespace"))
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_string()
    };
    let address = if namespace.is_empty() {
        format!("{api}/{kind}/{name}")
    } else {
        format!("{api}/{kind}/{namespace}/{name}")
    };
    Ok(Resource {
        format: Format::Kubernetes,
        kind: kind.into(),
        address: address.into(),
        name: name.into(),
        namespace: namespace.into(),
        file: 0,
        doc: di,
        item,
        span: node.span(),
    })
}

/// A scalar as the text a manifest holds (numbers and booleans too).
pub fn scalar_text(node: &Node) -> Option<SmolStr> {
    node.scalar()
        .filter(|s| s.kind != ScalarKind::Null)
        .map(|s| s.text.clone())
}

/// The pod template of a workload: the node with `metadata` and `spec`, and
/// the path to it.
pub fn pod_template<'a>(kind: &str, node: &'a Node) -> Option<(&'a Node, &'static str)> {
    let path = pod_template_path(kind)?;
    let template = node.path(path)?;
    let dotted = match path.len() {
        0 => "",
        2 => "spec.template",
        _ => "spec.jobTemplate.spec.template",
    };
    Some((template, dotted))
}

/// A container of a workload: its list (`containers` or `initContainers`),
/// its index there and its node.
#[derive(Clone, Copy, Debug)]
pub struct ContainerRef<'a> {
    /// `containers` or `initContainers`.
    pub list: &'static str,
    /// Index in that list.
    pub index: usize,
    /// The container.
    pub node: &'a Node,
}

/// Every container of a pod spec, app containers first.
pub fn containers(pod_spec: &Node) -> Vec<ContainerRef<'_>> {
    let mut out = Vec::new();
    for list in ["containers", "initContainers"] {
        for (index, node) in pod_spec.items_at(&[list]).iter().enumerate() {
            out.push(ContainerRef { list, index, node });
        }
    }
    out
}

/// The lists of words a container runs, with their paths in it: its
/// command and arguments, and the commands of its probes and lifecycle
/// hooks (`redis-cli -h redis ping` in a liveness probe), which
/// Kubernetes does not expand `$(VAR)` in.
pub const COMMAND_LISTS: [(&str, &[&str]); 7] = [
    ("command", &["command"]),
    ("args", &["args"]),
    (
        "livenessProbe.exec.command",
        &["livenessProbe", "exec", "command"],
    ),
    (
        "readinessProbe.exec.command",
        &["readinessProbe", "exec", "command"],
    ),
    (
        "startupProbe.exec.command",
        &["startupProbe", "exec", "command"],
    ),
    (
        "lifecycle.postStart.exec.command",
        &["lifecycle", "postStart", "exec", "command"],
    ),
    (
        "lifecycle.preStop.exec.command",
        &["lifecycle", "preStop", "exec", "command"],
    ),
];

/// The path in its container of the probe's or lifecycle hook's command
/// that a site (`path`) is in, if it is in one.
fn exec_hook(path: &str) -> Option<&'static [&'static str]> {
    COMMAND_LISTS[2..].iter().find_map(|&(list, at)| {
        let found = path.find(list)?;
        (path[..found].ends_with('.') && path[found + list.len()..].starts_with('[')).then_some(at)
    })
}

/// Whether the probe's or lifecycle hook's command that a site (`path`,
/// in `container`) is in runs through a shell (`["sh", "-c", "..."]`),
/// which expands `${VAR}` from the container's environment.
pub fn hook_runs_shell(container: &Node, path: &str) -> bool {
    let Some(list) = exec_hook(path) else {
        return false;
    };
    let words: Vec<&str> = container
        .items_at(list)
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let shell = words.first().and_then(|w| w.rsplit('/').next());
    matches!(shell, Some("sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"))
        && words[1..]
            .iter()
            .any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('c'))
}

/// Whether a site's path is in a probe's or a lifecycle hook's command,
/// where Kubernetes expands no `$(VAR)`: a shell running it expands
/// `${VAR}`.
pub fn in_exec_hook(path: &str) -> bool {
    exec_hook(path).is_some()
}

/// Every network reference to a known Service inside `text`, seen from
/// namespace `ns`. `key` names what holds the text (an environment variable
/// or a ConfigMap key), when something does.
///
/// A name with dots (`redis.cache`, `redis.cache.svc.cluster.local`) is a
/// host wherever it appears. A bare Service name is a common word
/// (`redis`), so it counts only where a host is meant: with a port, inside a
/// URL, as the whole value of a key that does not name a technology
/// (`REDIS_HOST: redis`, but not `CACHE_DRIVER: redis`), or after a host-like
/// key or flag on its line (`host: redis`, `--host=redis`, `-h redis`).
pub(crate) fn scan_network(
    text: &str,
    ns: &str,
    key: Option<&str>,
    lookup: &impl Fn(&str, &str) -> Option<ResourceId>,
) -> Vec<(ResourceId, NetRef)> {
    // One that requires its variable (`${REDIS_HOST:?set the host}`) names
    // nothing: its message is no address.
    if interpolation(text).is_some_and(|(_, op, _)| op.starts_with(":?") || op.starts_with('?')) {
        return Vec::new();
    }
    // A value that is one interpolation with a default names what its
    // default names, as the whole value under the variable's name.
    if let Some((s, e, name)) = interpolation_default(text) {
        let mut found = scan_network(&text[s..e], ns, key.or(Some(name)), lookup);
        for (_, net) in &mut found {
            net.start += s;
            net.end += s;
            net.host = (net.host.0 + s, net.host.1 + s);
        }
        return found;
    }
    // Several, or one inside another's default: what the defaults spell
    // together, each form found placed back where it is written.
    if let Some(view) = Defaulted::of(text) {
        return scan_network(&view.text, ns, key, lookup)
            .into_iter()
            .filter_map(|(to, net)| {
                let host = view.original_range(net.host.0, net.host.1)?;
                let (start, end) = (view.original_start(net.start), view.original_end(net.end));
                let split = end - start != net.end - net.start;
                Some((
                    to,
                    NetRef {
                        host,
                        start,
                        end,
                        split,
                        ..net
                    },
                ))
            })
            .collect();
    }
    let bytes = text.as_bytes();
    let is_host = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_host(bytes[i]) {
            i += 1;
            continue;
        }
        // No host name starts with a hyphen: `:-redis` (a default) names
        // `redis`.
        while i < bytes.len() && bytes[i] == b'-' {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && is_host(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let token = &text[start..end];
        // A run of dots alone (`...`) is no name.
        if !token
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        {
            continue;
        }
        let before = &text[..start];
        let after = &text[end..];
        // A path segment (`/data/redis`) or a path's head (`redis/x`) is not a host.
        let in_url = before.ends_with("//") || (before.ends_with('@') && before.contains("://"));
        if (before.ends_with('/') && !before.ends_with("//")) || (after.starts_with('/') && !in_url)
        {
            continue;
        }
        // A URL's scheme, and the user name before an `@`, are not hosts.
        if after.starts_with("://") || after.starts_with('@') {
            continue;
        }
        if before.ends_with("//") {
            let authority_end = after
                .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
                .unwrap_or(after.len());
            if after[..authority_end].contains('@') {
                continue;
            }
        }
        // Environment-variable references and option names are not hosts.
        if before.ends_with("$(") || before.ends_with("${") || before.ends_with('$') {
            continue;
        }
        let Some(target) = lookup(token, ns) else {
            continue;
        };
        let port_end = after
            .strip_prefix(':')
            .map(|p| p.bytes().take_while(u8::is_ascii_digit).count())
            .filter(|&n| n > 0)
            .map(|n| end + 1 + n);
        let url_start = url_start(before, start);
        let net = if let Some(us) = url_start {
            let mut e = port_end.unwrap_or(end);
            // A reference is part of the URL (`:$(REDIS_PORT)`,
            // `/$(REDIS_DB)`): its parenthesis closes nothing around it.
            let bytes = text.as_bytes();
            while e < bytes.len() {
                if bytes[e] == b'$'
                    && bytes.get(e + 1) == Some(&b'(')
                    && let Some(close) = text[e + 2..].find(')')
                    && text[e + 2..e + 2 + close]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    e += close + 3;
                    continue;
                }
                let c = text[e..].chars().next().unwrap_or(' ');
                if c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | ')' | '>' | '<') {
                    break;
                }
                e += c.len_utf8();
            }
            // A brace the URL did not open closes what it is in
            // (`${REDIS_URL:-redis://redis:6379/0}`).
            // Past the host: a stray brace before it (`redis://:${PW:-p}}@`)
            // ends nothing.
            let from = port_end.unwrap_or(end);
            let mut depth = 0usize;
            for (k, b) in text[from..e].bytes().enumerate() {
                match b {
                    b'{' => depth += 1,
                    b'}' if depth == 0 => {
                        e = from + k;
                        break;
                    }
                    b'}' => depth -= 1,
                    _ => {}
                }
            }
            NetRef {
                form: NetForm::Url,
                start: us,
                end: e,
                host: (start, end),
                split: false,
            }
        } else if let Some(pe) = port_end {
            NetRef {
                form: NetForm::HostPort,
                start,
                end: pe,
                host: (start, end),
                split: false,
            }
        } else {
            NetRef {
                form: NetForm::Host,
                start,
                end,
                host: (start, end),
                split: false,
            }
        };
        if !token.contains('.')
            && net.form == NetForm::Host
            && !bare_host_meant(text, start, end, key)
        {
            continue;
        }
        i = net.end.max(i);
        out.push((target, net));
    }
    out
}

/// Words in a key that say its value names a technology, not a host:
/// `CACHE_DRIVER=redis`, `SESSION_STORE=redis`.
const TECHNOLOGY_KEYS: &[&str] = &[
    "DRIVER",
    "CONNECTION",
    "MODE",
    "TYPE",
    "BACKEND",
    "PROVIDER",
    "ENGINE",
    "KIND",
    "ADAPTER",
    "STORE",
    "SCHEME",
    "PROTOCOL",
    "IMAGE",
];

/// Words in a key or flag that say its value is a host.
const HOST_KEYS: &[&str] = &[
    "HOST", "ADDR", "SERVER", "ENDPOINT", "URL", "URI", "NODE", "SENTINEL", "MASTER", "REPLICA",
    "SERVICE",
];

/// Whether a key (upper case) says its value is a user, a database or a
/// password, which may be spelled as a Service is (`DB_USER: postgres`
/// beside a Service `postgres`), and is then no host.
fn names_a_setting(key: &str) -> bool {
    let words: Vec<&str> = key
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let Some((&last, before)) = words.split_last() else {
        return false;
    };
    words.iter().any(|w| w.contains("PASSWORD"))
        || matches!(
            last,
            "USER" | "USERNAME" | "LOGIN" | "OWNER" | "DB" | "DATABASE" | "DBNAME" | "PASS" | "PWD"
        )
        || (last == "NAME" && matches!(before.last(), Some(&("DB" | "DATABASE"))))
}

/// The default of a value that is one interpolation with a default
/// (`${REDIS_HOST:-redis}`, `${REDIS_PORT-6379}`), as Compose and shells
/// write it: its range, and the variable's name.
pub(crate) fn interpolation_default(text: &str) -> Option<(usize, usize, &str)> {
    let (name, op, end) = interpolation(text)?;
    let len = if op.starts_with(":-") {
        2
    } else if op.starts_with('-') {
        1
    } else {
        return None;
    };
    let start = end - op.len() + len;
    (!name.is_empty() && !text[start..end].contains(['$', '{', '}'])).then_some((start, end, name))
}

/// A value that is one interpolation (`${NAME...}`, blanks around it): the
/// variable's name, what follows it inside the braces (`:-redis`, `:?msg`,
/// empty), and where that ends in `text`.
fn interpolation(text: &str) -> Option<(&str, &str, usize)> {
    let lead = text.len() - text.trim_start().len();
    let t = text.trim();
    let inner = t.strip_prefix("${")?.strip_suffix('}')?;
    let name = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    Some((&inner[..name], &inner[name..], lead + t.len() - 1))
}

/// Whether a bare Service name at `text[start..end]` is meant as a host.
fn bare_host_meant(text: &str, start: usize, end: usize, key: Option<&str>) -> bool {
    let upper = |s: &str| s.to_ascii_uppercase();
    // The whole value, or the host before a port the deployer gives
    // (`redis:${REDIS_PORT}`, `redis:$(REDIS_PORT)`).
    let rest = text[end..].trim_end();
    // A variable named for a port: `redis:${APP_ENV}` is a prefix.
    let port_variable = rest.strip_prefix(':').is_some_and(|p| {
        let close = match p.get(..2) {
            Some("${") => '}',
            Some("$(") => ')',
            _ => return false,
        };
        let name_end = p[2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(p.len(), |i| i + 2);
        p.find(close) == Some(p.len() - 1) && upper(&p[2..name_end]).contains("PORT")
    });
    if text[..start].trim_start().is_empty() && (rest.is_empty() || port_variable) {
        return key.is_none_or(|k| {
            let k = upper(k);
            HOST_KEYS.iter().any(|w| k.contains(w))
                || !(TECHNOLOGY_KEYS.iter().any(|w| k.contains(w)) || names_a_setting(&k))
        });
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..start].trim_end();
    // `-h redis`, `--host redis`, `--cache-host=redis`, `host: redis`, `REDIS_HOST=redis`
    let before = before.trim_end_matches(['"', '\'']).trim_end();
    // A key may be quoted too (`"host": "redis"`, JSON in a config file).
    let (lead, sep) = match before.strip_suffix(['=', ':']) {
        Some(b) => (b.trim_end().trim_end_matches(['"', '\'']), true),
        None => (before, false),
    };
    let word_start = lead
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '{' | ',' | '('))
        .map_or(0, |i| i + 1);
    let word = upper(lead[word_start..].trim_start_matches('-'));
    if word == "H" && !sep {
        return true;
    }
    !word.is_empty()
        && HOST_KEYS.iter().any(|w| word.contains(w))
        && !TECHNOLOGY_KEYS.iter().any(|w| word.ends_with(w))
}

/// Whether `text` holds white space outside interpolations and references
/// (`${REDIS_USER:?set the user}` holds none that ends a URL).
fn spaced(text: &str) -> bool {
    match crate::stack::interpolate::outside_interpolations(text, false, |b| {
        b.is_ascii_whitespace()
    }) {
        Ok(at) => at.is_some(),
        // An interpolation left open ends nothing: any white space counts.
        Err(()) => text.contains(char::is_whitespace),
    }
}

/// Where the URL whose host starts at `host_start` begins, if the host is
/// inside one (`scheme://[userinfo@]host`).
fn url_start(before: &str, host_start: usize) -> Option<usize> {
    let sep = before.rfind("://")?;
    let between = &before[sep + 3..];
    if !(between.is_empty() || (between.ends_with('@') && !spaced(between))) {
        return None;
    }
    // Past the last character that cannot be in a scheme (which may be
    // longer than a byte: `éredis://`).
    let scheme_start = before[..sep]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    // A scheme starts with a letter (`:-redis://`, a default, is `redis`),
    // and one of a default after a bare `-` (`${CACHE_URL-redis://`) past it.
    let mut scheme_start = scheme_start
        + before[scheme_start..sep]
            .bytes()
            .take_while(|b| !b.is_ascii_alphabetic())
            .count();
    let prefix = &before[..scheme_start];
    if let Some(open) = prefix.rfind("${")
        && prefix[open + 2..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && let Some(dash) = before[scheme_start..sep].find('-')
    {
        scheme_start += dash + 1;
    }
    (scheme_start < sep && host_start >= sep).then_some(scheme_start)
}

/// The name prefixes of host-holding variables and the port variables that
/// go with them: `REDIS_HOST` pairs with `REDIS_PORT`.
pub(crate) fn port_partner(host_var: &str) -> Option<&str> {
    let upper = host_var;
    for suffix in [
        "_SERVICE_HOST",
        "_HOSTNAME",
        "_HOST",
        "_SERVER",
        "_ADDRESS",
        "_ADDR",
        "_ENDPOINT",
    ] {
        if let Some(prefix) = upper.strip_suffix(suffix) {
            return Some(prefix);
        }
    }
    None
}

pub(crate) fn is_port_var(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| matches!(rest, "_PORT" | "_SERVICE_PORT"))
}

/// In a configuration file, the port that goes with a host named at
/// `host_at`: a `port` key (`port: 6379`, `redis.port=6379`) holding `port`,
/// within three lines of the host.
fn port_near(text: &str, host_at: usize, port: &str) -> Option<(usize, usize)> {
    let line_start = text[..host_at].rfind('\n').map_or(0, |i| i + 1);
    // A JSON object on the host's own line: `{"host": "redis", "port": 6379}`.
    // Its own object only: between the braces around the host, none
    // between (not a neighbour's port, nor a nested object's).
    let object_start = text[line_start..host_at]
        .rfind(['{', '}'])
        .map_or(line_start, |i| line_start + i + 1);
    let line_end = text[host_at..]
        .find('\n')
        .map_or(text.len(), |i| host_at + i);
    let object_end = text[host_at..line_end]
        .find(['{', '}'])
        .map_or(line_end, |i| host_at + i);
    let object = &text[object_start..object_end];
    for (k, _) in object.match_indices("\"port\"") {
        let after = &object[k + 6..];
        let value = after.trim_start().strip_prefix(':').map(str::trim_start);
        if let Some(value) = value
            && let Some(rest) = value.strip_prefix(port)
            && !rest.starts_with(|c: char| c.is_ascii_digit())
        {
            let offset = object_start + object.len() - value.len();
            return Some((offset, offset + port.len()));
        }
    }
    // The starts of up to three lines before the host's and three after.
    let mut starts = Vec::with_capacity(6);
    let mut at = line_start;
    for _ in 0..3 {
        if at == 0 {
            break;
        }
        at = text[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        starts.push(at);
    }
    let mut at = line_start;
    for _ in 0..3 {
        match text[at..].find('\n') {
            Some(i) if at + i + 1 < text.len() => {
                at += i + 1;
                starts.push(at);
            }
            _ => break,
        }
    }
    starts.sort_unstable();
    for ls in starts {
        let line_end = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line = &text[ls..line_end];
        let Some(sep) = line.find([':', '=']) else {
            continue;
        };
        let key = line[..sep].trim().trim_matches('"').to_ascii_lowercase();
        if !(key == "port" || key.ends_with(".port") || key.ends_with("_port")) {
            continue;
        }
        // A JSON member ends with a comma.
        let value = line[sep + 1..].trim().trim_end_matches(',').trim_end();
        let unquoted = value.trim_matches(['"', '\'']);
        if unquoted == port {
            let offset = ls + sep + 1 + line[sep + 1..].find(unquoted)?;
            return Some((offset, offset + port.len()));
        }
    }
    None
}

/// The words of a command line (a shell string or one argument), each as
/// where it starts and ends: split at blanks, `;` and quotes.
pub(crate) fn command_words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let blank = c.is_whitespace() || matches!(c, ';' | '"' | '\'');
        match (blank, start) {
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

/// The bounds of the shell command of `text` that byte `at` is in: between
/// the separators around it (`;`, `&`, `|`, a line break), so that a port
/// flag is read with its own command's host
/// (`redis-cli -h a -p 1; redis-cli -h b -p 2`).
pub(crate) fn shell_command_around(text: &str, at: usize) -> (usize, usize) {
    let separator = |c: char| matches!(c, ';' | '&' | '|' | '\n');
    let start = text[..at].rfind(separator).map_or(0, |i| i + 1);
    let end = text[at..].find(separator).map_or(text.len(), |i| at + i);
    (start, end)
}

/// Whether a command-line flag gives a port: `-p`, `--port`, or a long
/// flag ending in `-port` (`--redis-port`, `--cache-port`).
pub(crate) fn is_port_flag(flag: &str) -> bool {
    matches!(flag, "-p" | "--port") || (flag.starts_with("--") && flag.ends_with("-port"))
}

/// Where a port flag in a command-line string (`-p 6379`, `--port=6379`,
/// `--redis-port 6379`) gives a port that `is_port` says is the host's.
pub(crate) fn port_flag_in(text: &str, is_port: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
    let mut after_flag = false;
    for (at, end) in command_words(text) {
        let token = &text[at..end];
        if after_flag && is_port(token) {
            return Some((at, end));
        }
        if let Some((flag, value)) = token.split_once('=')
            && is_port_flag(flag)
            && is_port(value)
        {
            let s = at + flag.len() + 1;
            return Some((s, s + value.len()));
        }
        after_flag = is_port_flag(token);
    }
    None
}

/// The port of a Service its clients connect to: the first that is not,
/// by its name, a side port (`metrics` of an exporter beside the server,
/// `sentinel`, an admin or HTTP port); the first when all are.
pub fn service_port(node: &Node) -> Option<SmolStr> {
    let side = |p: &&Node| p.str_at("name").is_some_and(is_side_port);
    let ports = node
        .path(&["spec", "ports"])
        .map(Node::items)
        .unwrap_or_default();
    ports
        .iter()
        .find(|p| !side(p))
        .or_else(|| ports.first())
        .and_then(|p| p.get("port"))
        .and_then(scalar_text)
}

/// Whether a Service port's name says it is a side port: not the
/// server's own, but a metrics exporter's beside it, Sentinel's, an admin,
/// HTTP or health port.
pub fn is_side_port(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "metric",
        "exporter",
        "prometheus",
        "sentinel",
        "admin",
        "monitor",
        "http",
        "health",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// A Service's side ports, number and name, and whether it has no other:
/// every port but the one its clients connect to ([`service_port`]) and
/// another for TLS (named `tls` or `ssl`); all of them when every port's
/// name says it is a side port ([`is_side_port`]).
pub fn side_ports(node: &Node) -> (Vec<(SmolStr, SmolStr)>, bool) {
    let ports = node
        .path(&["spec", "ports"])
        .map(Node::items)
        .unwrap_or_default();
    let name = |p: &Node| p.str_at("name").unwrap_or("").to_string();
    let only = !ports.is_empty() && ports.iter().all(|p| is_side_port(&name(p)));
    let data = if only { None } else { service_port(node) };
    let side: Vec<(SmolStr, SmolStr)> = ports
        .iter()
        .filter_map(|p| {
            let port = p.get("port").and_then(scalar_text)?;
            let n = name(p).to_ascii_lowercase();
            let tls = !is_side_port(&n) && (n.contains("tls") || n.contains("ssl"));
            (Some(&port) != data.as_ref() && !tls).then(|| (port, SmolStr::new(name(p))))
        })
        .collect();
    (side, only)
}

fn resource_references(
    file: &StackFile,
    fi: usize,
    r: &Resource,
    id: ResourceId,
    names: &Names,
) -> Vec<Reference> {
    let node = file.node(r);
    let ns = r.namespace.as_str();
    let mut out = Vec::new();
    let site = |node: &Node,
                path: String,
                container: Option<(usize, SmolStr)>,
                env: Option<SmolStr>| Site {
        file: fi,
        span: node.span(),
        path,
        container,
        env,
        value: node.scalar().map(|s| SmolStr::new(s.text)),
        style: node.scalar().map_or(yaml::Style::Plain, |s| s.style),
    };
    let mut push = |to: ResourceId, kind: RefKind, site: Site| {
        if to != id {
            out.push(Reference {
                from: id,
                to,
                kind,
                site,
            });
        }
    };
    let dns = |host: &str, ns: &str| names.service(host, ns);
    // An operator's custom resource: the Secrets it reads its users'
    // credentials from (their password key), and what of its group exists
    // for another (a backup schedule naming its cluster).
    let operator = crate::catalogue::operator_kind(&r.kind);
    let api_version = if operator {
        node.str_at("apiVersion").unwrap_or("")
    } else {
        ""
    };
    if let Some(g) = operator
        .then(|| crate::catalogue::generated(&r.kind, api_version))
        .flatten()
    {
        // A Secret used for itself is read under no key a consumer reads.
        let paths = (g.reads_secrets.iter().map(|p| (p, "password")))
            .chain(g.uses_secrets.iter().map(|p| (p, "")));
        for (path, key) in paths {
            if let Some(n) = node.path(path)
                && let Some(to) = n.as_str().and_then(|name| names.get("Secret", ns, name))
            {
                push(
                    to,
                    RefKind::SecretKey(key.into()),
                    site(n, path.join("."), None, None),
                );
            }
        }
    }
    let group = api_version.split('/').next().unwrap_or("");
    for g in crate::catalogue::GENERATED
        .iter()
        .filter(|g| operator && g.group == group)
    {
        for (_, path) in g.attached.iter().filter(|(k, _)| *k == r.kind.as_str()) {
            if let Some(n) = node.path(path)
                && let Some(to) = n.as_str().and_then(|name| names.get(g.kind, ns, name))
            {
                push(to, RefKind::Attaches, site(n, path.join("."), None, None));
            }
        }
    }
    match r.kind.as_str() {
        "Service" => {
            // An alias of another Service (`type: ExternalName`, often
            // across namespaces): its `externalName` is a host.
            if let Some(target) = node.path(&["spec", "externalName"])
                && let Some(text) = target.as_str()
            {
                for (to, net) in scan_network(text, ns, Some("externalName"), &dns) {
                    push(
                        to,
                        RefKind::Network(net),
                        site(target, "spec.externalName".into(), None, None),
                    );
                }
            }
            if let Some(sel) = node
                .path(&["spec", "selector"])
                .filter(|s| !s.entries().is_empty())
            {
                for w in names.selected(ns, sel, false) {
                    push(
                        w,
                        RefKind::Attaches,
                        site(sel, "spec.selector".into(), None, None),
                    );
                }
            }
        }
        "PodDisruptionBudget" | "NetworkPolicy" => {
            let key = if r.kind == "NetworkPolicy" {
                "podSelector"
            } else {
                "selector"
            };
            if let Some(sel) = node.path(&["spec", key]) {
                for w in names.selected(ns, sel, false) {
                    push(
                        w,
                        RefKind::Attaches,
                        site(sel, format!("spec.{key}"), None, None),
                    );
                }
            }
        }
        "ServiceMonitor" => {
            if let Some(sel) = node.path(&["spec", "selector"]) {
                for svc in names.selected(ns, sel, true) {
                    push(
                        svc,
                        RefKind::Attaches,
                        site(sel, "spec.selector".into(), None, None),
                    );
                }
            }
        }
        "Ingress" => {
            // `networking.k8s.io/v1` names `backend.service.name`; the
            // older `v1beta1` names `backend.serviceName`.
            fn service_name(backend: &Node, path: String) -> Option<(&Node, String)> {
                match backend.path(&["service", "name"]) {
                    Some(n) => Some((n, format!("{path}.service.name"))),
                    None => Some((backend.get("serviceName")?, format!("{path}.serviceName"))),
                }
            }
            let mut backends: Vec<(&Node, String)> = Vec::new();
            for key in ["defaultBackend", "backend"] {
                if let Some(b) = node.path(&["spec", key]) {
                    backends.extend(service_name(b, format!("spec.{key}")));
                }
            }
            for (ri, rule) in node.items_at(&["spec", "rules"]).iter().enumerate() {
                for (pi, p) in rule.items_at(&["http", "paths"]).iter().enumerate() {
                    if let Some(b) = p.get("backend") {
                        let path = format!("spec.rules[{ri}].http.paths[{pi}].backend");
                        backends.extend(service_name(b, path));
                    }
                }
            }
            for (n, path) in backends {
                if let Some(to) = n.as_str().and_then(|name| names.get("Service", ns, name)) {
                    push(to, RefKind::Backend, site(n, path, None, None));
                }
            }
        }
        "HTTPRoute" | "GRPCRoute" | "TCPRoute" | "TLSRoute" | "UDPRoute" => {
            // Gateway API: `backendRefs` name a Service unless they say
            // another kind, in the route's namespace unless they say another.
            for (ri, rule) in node.items_at(&["spec", "rules"]).iter().enumerate() {
                for (bi, b) in rule.items_at(&["backendRefs"]).iter().enumerate() {
                    let is_service = b.str_at("kind").is_none_or(|k| k == "Service")
                        && b.str_at("group").is_none_or(str::is_empty);
                    let target_ns = b.str_at("namespace").unwrap_or(ns);
                    if let Some(n) = b.get("name")
                        && is_service
                        && let Some(to) = n
                            .as_str()
                            .and_then(|name| names.get("Service", target_ns, name))
                    {
                        let path = format!("spec.rules[{ri}].backendRefs[{bi}].name");
                        push(to, RefKind::Backend, site(n, path, None, None));
                    }
                }
            }
        }
        "HorizontalPodAutoscaler" => {
            if let Some(t) = node.path(&["spec", "scaleTargetRef"])
                && let (Some(k), Some(n)) = (t.str_at("kind"), t.str_at("name"))
                && let Some(to) = names.get(k, ns, n)
            {
                push(
                    to,
                    RefKind::Attaches,
                    site(t, "spec.scaleTargetRef".into(), None, None),
                );
            }
        }
        "ConfigMap" => {
            let data = node.get("data");
            let entries = data.map(Node::entries).unwrap_or_default();
            let mut hosts: Vec<(String, ResourceId)> = Vec::new();
            for (k, v) in entries {
                let (Some(key), Some(text)) = (k.as_str(), v.as_str()) else {
                    continue;
                };
                for (to, net) in scan_network(text, ns, Some(key), &dns) {
                    hosts.push((key.to_string(), to));
                    if net.form == NetForm::Host
                        && let Some(port) = names.port(to)
                        && let Some((ps, pe)) = port_near(text, net.start, port)
                    {
                        push(
                            to,
                            RefKind::Port(ps, pe),
                            site(v, format!("data.{key}"), None, Some(key.into())),
                        );
                    }
                    push(
                        to,
                        RefKind::Network(net),
                        site(v, format!("data.{key}"), None, Some(key.into())),
                    );
                }
            }
            for (k, v) in entries.iter().filter(|_| !hosts.is_empty()) {
                let (Some(key), Some(value)) = (k.as_str(), scalar_text(v)) else {
                    continue;
                };
                for (host_key, to) in &hosts {
                    if let Some(prefix) = port_partner(host_key)
                        && is_port_var(key, prefix)
                        && names.port(*to) == Some(value.as_str())
                    {
                        push(
                            *to,
                            RefKind::Port(0, value.len()),
                            site(v, format!("data.{key}"), None, Some(key.into())),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    if let Some((template, prefix)) = pod_template(&r.kind, node) {
        let pre = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}.")
        };
        let spec = template.get("spec");
        if let Some(spec) = spec {
            for key in ["serviceAccountName", "serviceAccount"] {
                if let Some(sa) = spec.get(key)
                    && let Some(to) = sa.as_str().and_then(|n| names.get("ServiceAccount", ns, n))
                {
                    push(
                        to,
                        RefKind::ServiceAccount,
                        site(sa, format!("{pre}spec.{key}"), None, None),
                    );
                }
            }
            for (vi, vol) in spec.items_at(&["volumes"]).iter().enumerate() {
                // What a volume names, and where (built only for a hit).
                let mut targets: Vec<(&str, &Node, std::borrow::Cow<'static, str>)> = Vec::new();
                if let Some(n) = vol.path(&["secret", "secretName"]) {
                    targets.push(("Secret", n, ".secret.secretName".into()));
                }
                if let Some(n) = vol.path(&["configMap", "name"]) {
                    targets.push(("ConfigMap", n, ".configMap.name".into()));
                }
                if let Some(n) = vol.path(&["persistentVolumeClaim", "claimName"]) {
                    targets.push((
                        "PersistentVolumeClaim",
                        n,
                        ".persistentVolumeClaim.claimName".into(),
                    ));
                }
                for (si, src) in vol.items_at(&["projected", "sources"]).iter().enumerate() {
                    if let Some(n) = src.path(&["secret", "name"]) {
                        targets.push((
                            "Secret",
                            n,
                            format!(".projected.sources[{si}].secret.name").into(),
                        ));
                    }
                    if let Some(n) = src.path(&["configMap", "name"]) {
                        targets.push((
                            "ConfigMap",
                            n,
                            format!(".projected.sources[{si}].configMap.name").into(),
                        ));
                    }
                }
                for (kind, n, suffix) in targets {
                    if let Some(to) = n.as_str().and_then(|name| names.get(kind, ns, name)) {
                        let p = format!("{pre}spec.volumes[{vi}]{suffix}");
                        push(to, RefKind::Volume, site(n, p, None, None));
                    }
                }
            }
            for (ci, c) in containers(spec).into_iter().enumerate() {
                let cname = SmolStr::new(c.node.str_at("name").unwrap_or(""));
                let cpath = format!("{pre}spec.{}[{}]", c.list, c.index);
                let container = Some((ci, cname.clone()));
                let mut hosts: Vec<(String, ResourceId)> = Vec::new();
                let env = c.node.items_at(&["env"]);
                for (ei, e) in env.iter().enumerate() {
                    let name = e.str_at("name").unwrap_or("");
                    if let Some(v) = e.get("value")
                        && let Some(text) = v.as_str()
                    {
                        for (to, net) in scan_network(text, ns, Some(name), &dns) {
                            hosts.push((name.to_string(), to));
                            push(
                                to,
                                RefKind::Network(net),
                                site(
                                    v,
                                    format!("{cpath}.env[{ei}].value"),
                                    container.clone(),
                                    Some(name.into()),
                                ),
                            );
                        }
                    }
                    if let Some(from) = e.get("valueFrom") {
                        for (kind, key) in
                            [("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")]
                        {
                            if let Some(kr) = from.get(key) {
                                let target = kr.str_at("name").and_then(|n| names.get(kind, ns, n));
                                if let Some(to) = target {
                                    let k = SmolStr::new(kr.str_at("key").unwrap_or(""));
                                    let kind = if kind == "Secret" {
                                        RefKind::SecretKey(k)
                                    } else {
                                        RefKind::ConfigMapKey(k)
                                    };
                                    push(
                                        to,
                                        kind,
                                        site(
                                            e,
                                            format!("{cpath}.env[{ei}].valueFrom.{key}"),
                                            container.clone(),
                                            Some(name.into()),
                                        ),
                                    );
                                }
                            }
                        }
                    }
                }
                for (ei, e) in env.iter().enumerate().filter(|_| !hosts.is_empty()) {
                    let name = e.str_at("name").unwrap_or("");
                    let Some(v) = e.get("value") else { continue };
                    let Some(value) = scalar_text(v) else {
                        continue;
                    };
                    for (host_var, to) in &hosts {
                        if let Some(prefix) = port_partner(host_var)
                            && is_port_var(name, prefix)
                            && names.port(*to) == Some(value.as_str())
                        {
                            push(
                                *to,
                                RefKind::Port(0, value.len()),
                                site(
                                    v,
                                    format!("{cpath}.env[{ei}].value"),
                                    container.clone(),
                                    Some(name.into()),
                                ),
                            );
                        }
                    }
                }
                for (fi, ef) in c.node.items_at(&["envFrom"]).iter().enumerate() {
                    for (kind, key) in [("Secret", "secretRef"), ("ConfigMap", "configMapRef")] {
                        if let Some(to) = ef
                            .path(&[key, "name"])
                            .and_then(Node::as_str)
                            .and_then(|n| names.get(kind, ns, n))
                        {
                            push(
                                to,
                                RefKind::EnvFrom,
                                site(
                                    ef,
                                    format!("{cpath}.envFrom[{fi}]"),
                                    container.clone(),
                                    None,
                                ),
                            );
                        }
                    }
                }
                for (list, path) in COMMAND_LISTS {
                    let items = c.node.items_at(path);
                    let mut host_seen: Option<ResourceId> = None;
                    for (ai, a) in items.iter().enumerate() {
                        let Some(text) = a.as_str() else { continue };
                        let found = scan_network(text, ns, None, &dns);
                        for (to, net) in found {
                            host_seen = Some(to);
                            // `sh -c "redis-cli -h redis -p 6379 ping"`:
                            // the port flag in the same command of the string.
                            let (cs, ce) = shell_command_around(text, net.start);
                            if net.form == NetForm::Host
                                && let Some(port) = names.port(to)
                                && let Some((ps, pe)) = port_flag_in(&text[cs..ce], |p| p == port)
                            {
                                let (ps, pe) = (cs + ps, cs + pe);
                                push(
                                    to,
                                    RefKind::Port(ps, pe),
                                    site(
                                        a,
                                        format!("{cpath}.{list}[{ai}]"),
                                        container.clone(),
                                        None,
                                    ),
                                );
                            }
                            push(
                                to,
                                RefKind::Network(net),
                                site(a, format!("{cpath}.{list}[{ai}]"), container.clone(), None),
                            );
                        }
                        if let (Some(to), Some(prev)) =
                            (host_seen, ai.checked_sub(1).and_then(|p| items[p].as_str()))
                            && is_port_flag(prev)
                            && names.port(to) == Some(text)
                        {
                            push(
                                to,
                                RefKind::Port(0, text.len()),
                                site(a, format!("{cpath}.{list}[{ai}]"), container.clone(), None),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// A value an attribute holds on a resource, as predicates see it.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    /// A scalar, as its text, with its kind.
    Scalar(SmolStr, ScalarKind),
    /// A mapping or sequence: present, not comparable.
    Collection,
}

/// The values of the attribute `path` on resource `id`: several for an
/// attribute under a list (`containers.image`), none when absent.
pub fn attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    let r = stack.resource(id);
    match local_attribute(r, stack.node(id), path) {
        Some(values) => values,
        None => derived_attribute(stack, id, path),
    }
}

/// Whether an attribute is worked out from other objects (the Service in
/// front of a workload), not read from the object alone.
pub fn is_derived(path: &str) -> bool {
    path.starts_with("service.")
}

/// The values of an attribute read from the object alone (`node` is its
/// root); `None` for a derived one.
pub fn local_attribute(r: &Resource, node: &Node, path: &str) -> Option<Vec<AttrValue>> {
    if is_derived(path) {
        return None;
    }
    let template = pod_template(&r.kind, node).map(|(t, _)| t);
    let pod_spec = template.and_then(|t| t.get("spec"));
    let scalar = |s: &str| vec![AttrValue::Scalar(SmolStr::new(s), ScalarKind::Str)];
    match path {
        "name" => return Some(scalar(&r.name)),
        "namespace" if !r.namespace.is_empty() => return Some(scalar(&r.namespace)),
        "replicas" if template.is_some() && r.kind != "Pod" => {
            let n = node
                .path(&["spec", "replicas"])
                .and_then(scalar_text)
                .unwrap_or_else(|| "1".into());
            let kind = yaml::plain_kind(&n);
            return Some(vec![AttrValue::Scalar(n, kind)]);
        }
        // What the pod runs: an init container (`wait-for-redis` on a
        // Redis image) runs before it and is done.
        "image" => {
            return Some(
                pod_spec
                    .map(containers)
                    .unwrap_or_default()
                    .iter()
                    .filter(|c| c.list == "containers")
                    .filter_map(|c| c.node.str_at("image"))
                    .flat_map(scalar)
                    .collect(),
            );
        }
        _ => {}
    }
    if template.is_some() {
        if let Some(rest) = path.strip_prefix("labels") {
            let labels = template.and_then(|t| t.path(&["metadata", "labels"]));
            let mut out = Vec::new();
            if let Some(l) = labels {
                collect(l, rest.trim_start_matches('.'), &mut out);
            }
            return Some(out);
        }
        if let Some(rest) = path.strip_prefix("containers") {
            let rest = rest.trim_start_matches('.');
            let mut out = Vec::new();
            for c in pod_spec.map(containers).unwrap_or_default() {
                // `command` and `args` are lists of words: each is a value.
                match c.node.get(rest).filter(|n| n.is_seq()) {
                    Some(words) if matches!(rest, "command" | "args") => {
                        for w in words.items() {
                            collect(w, "", &mut out);
                        }
                    }
                    _ => collect(c.node, rest, &mut out),
                }
            }
            return Some(out);
        }
    }
    let mut out = Vec::new();
    collect(node, path, &mut out);
    Some(out)
}

/// A derived attribute: what the Service in front of a workload answers to.
fn derived_attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    let scalar = |s: &str| vec![AttrValue::Scalar(SmolStr::new(s), ScalarKind::Str)];
    if let Some(rest) = path.strip_prefix("service.") {
        let Some(svc) = front_service(stack, id) else {
            return Vec::new();
        };
        let s = stack.resource(svc);
        let dns = format!("{}.{}.svc.cluster.local", s.name, s.namespace);
        let port = service_port(stack.node(svc));
        return match rest {
            "name" => scalar(&s.name),
            "dns" => scalar(&dns),
            "port" => port
                .map(|p| {
                    let k = yaml::plain_kind(&p);
                    vec![AttrValue::Scalar(p, k)]
                })
                .unwrap_or_default(),
            "endpoint" | "url" => port
                .map(|p| scalar(&format!("{dns}:{p}")))
                .unwrap_or_else(|| scalar(&dns)),
            _ => Vec::new(),
        };
    }
    Vec::new()
}

pub(crate) fn collect(node: &Node, path: &str, out: &mut Vec<AttrValue>) {
    if path.is_empty() {
        match node.scalar() {
            Some(s) if s.kind == ScalarKind::Null => {}
            Some(s) => out.push(AttrValue::Scalar(s.text.clone(), s.kind)),
            None => out.push(AttrValue::Collection),
        }
        return;
    }
    if node.is_seq() {
        for item in node.items() {
            collect(item, path, out);
        }
        return;
    }
    // A key may itself hold dots (`graft.dev/restart`): try the longest first.
    let mut cut = path.len();
    loop {
        let key = &path[..cut];
        if let Some(child) = node.get(key) {
            collect(child, path[cut..].trim_start_matches('.'), out);
            return;
        }
        match key.rfind('.') {
            Some(i) => cut = i,
            None => return,
        }
    }
}

/// The Service in front of a workload's pods: a Service with a cluster IP
/// before a headless one, then by name.
pub fn front_service(stack: &Stack, id: ResourceId) -> Option<ResourceId> {
    let mut services: Vec<ResourceId> = stack
        .references_to(id)
        .filter(|r| r.kind == RefKind::Attaches && stack.resource(r.from).kind == "Service")
        .map(|r| r.from)
        .collect();
    services.sort_by_key(|&s| {
        let headless = stack
            .node(s)
            .path(&["spec", "clusterIP"])
            .and_then(Node::as_str)
            == Some("None");
        (headless, stack.resource(s).name.clone())
    });
    services.first().copied()
}

/// The names of the Services selecting each workload, for reports.
pub fn services_of(stack: &Stack, id: ResourceId) -> BTreeMap<String, ResourceId> {
    stack
        .references_to(id)
        .filter(|r| r.kind == RefKind::Attaches && stack.resource(r.from).kind == "Service")
        .map(|r| (stack.resource(r.from).name.to_string(), r.from))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Found by a review: an exporter's port listed first was taken for
    /// the server's.
    #[test]
    fn a_services_port_is_its_first_that_is_no_side_port() {
        for (ports, want) in [
            (
                "[{name: metrics, port: 9121}, {name: redis, port: 6379}]",
                Some("6379"),
            ),
            (
                "[{name: tcp-sentinel, port: 26379}, {name: tcp-redis, port: 6379}]",
                Some("6379"),
            ),
            (
                "[{port: 6379}, {name: http-metrics, port: 9121}]",
                Some("6379"),
            ),
            ("[{name: http-metrics, port: 9121}]", Some("9121")),
            ("[]", None),
        ] {
            let text = format!("kind: Service\nspec:\n  ports: {ports}\n");
            let docs = yaml::parse(&text).unwrap();
            assert_eq!(service_port(&docs[0].root).as_deref(), want, "{ports}");
        }
    }

    /// A host in JSON (`"host": "redis"`) is meant as one, and so is one
    /// after a quoted key in YAML; a quoted key that says a technology is
    /// not.
    #[test]
    fn a_bare_host_after_a_quoted_key_is_meant() {
        for (text, host, meant) in [
            (
                r#"{"redis": {"host": "redis-master", "password": "x"}}"#,
                "redis-master",
                true,
            ),
            (
                "{\n  \"host\": \"redis-master\",\n  \"port\": 6379\n}",
                "redis-master",
                true,
            ),
            ("'server': 'redis-master'", "redis-master", true),
            (r#"{"driver": "redis-master"}"#, "redis-master", false),
            (r#"{"name": "redis-master"}"#, "redis-master", false),
        ] {
            let start = text.find(host).unwrap();
            assert_eq!(
                bare_host_meant(text, start, start + host.len(), Some("settings.json")),
                meant,
                "{text}"
            );
        }
    }

    #[test]
    fn probe_and_hook_commands_are_exec_hooks() {
        assert!(in_exec_hook(
            "spec.template.spec.containers[0].livenessProbe.exec.command[2]"
        ));
        assert!(in_exec_hook(
            "spec.containers[1].lifecycle.preStop.exec.command[0]"
        ));
        assert!(!in_exec_hook("spec.template.spec.containers[0].command[2]"));
        assert!(!in_exec_hook("spec.template.spec.containers[0].args[0]"));
    }

    #[test]
    fn a_command_of_a_script_is_cut_at_its_separators() {
        let text = "redis-cli -h a -p 1; redis-cli -h b -p 2 && x | y\nz";
        let around = |needle: &str| {
            let (s, e) = shell_command_around(text, text.find(needle).unwrap());
            &text[s..e]
        };
        assert_eq!(around("a -p"), "redis-cli -h a -p 1");
        assert_eq!(around("b -p"), " redis-cli -h b -p 2 ");
        assert_eq!(around("z"), "z");
    }

    #[test]
    fn a_port_flag_in_a_command_string_is_found() {
        fn at(text: &str) -> Option<(usize, &str)> {
            port_flag_in(text, |p| p == "6379").map(|(s, e)| (s, &text[s..e]))
        }
        let cases = [
            (
                "until redis-cli -h redis -p 6379 ping; do sleep 1; done",
                Some(28),
            ),
            ("serve --redis-host cache --redis-port 6379", Some(38)),
            ("serve --port=6379 --host cache", Some(13)),
            ("redis-cli -h redis -p 6380", None),
            ("curl http://x:6379 -v", None),
            ("-p", None),
        ];
        for (text, want) in cases {
            assert_eq!(at(text).map(|(s, _)| s), want, "{text}");
            if let Some((_, port)) = at(text) {
                assert_eq!(port, "6379");
            }
        }
    }

    /// Found by fuzzing a Compose file: dots alone are no host name.
    #[test]
    fn a_run_of_dots_is_no_host() {
        let lookup = |_: &str, _: &str| Some(ResourceId(0));
        for text in ["...", "a ... b", ".", "x=...:6379"] {
            let found = scan_network(text, "default", Some("REDIS_HOST"), &lookup);
            assert!(found.iter().all(|(_, n)| n.host.0 < n.host.1), "{text}");
        }
    }

    /// Found by fuzzing a Compose file: a URL's scheme starts after a
    /// character of more than one byte, not inside it.
    #[test]
    fn a_scheme_after_a_wide_character_starts_after_it() {
        let lookup = |_: &str, _: &str| Some(ResourceId(0));
        let text = "CACH é éédis://:vendor-default@cache:6379/0";
        let found = scan_network(text, "default", Some("REDIS_URL"), &lookup);
        let (_, url) = found.first().expect("the URL is found");
        assert_eq!(
            &text[url.start..url.end],
            "dis://:vendor-default@cache:6379/0"
        );
    }

    /// A URL or host given as an interpolation's default is found whole,
    /// and ends where the interpolation does (it used to take `-redis` for
    /// the scheme and the closing brace for its path).
    #[test]
    fn a_default_of_an_interpolation_is_found_whole() {
        let lookup = |name: &str, _: &str| (name == "redis").then_some(ResourceId(0));
        for (text, key, want, form) in [
            (
                "${REDIS_URL:-redis://redis:6379/0}",
                "REDIS_URL",
                "redis://redis:6379/0",
                NetForm::Url,
            ),
            (
                "${CACHE_URL-redis://redis:6379/1?x={a}}",
                "CACHE_URL",
                "redis://redis:6379/1?x={a}",
                NetForm::Url,
            ),
            ("${REDIS_HOST:-redis}", "REDIS_HOST", "redis", NetForm::Host),
            ("${REDIS_HOST-redis}", "HOST", "redis", NetForm::Host),
        ] {
            let found = scan_network(text, "default", Some(key), &lookup);
            let (_, net) = found.first().unwrap_or_else(|| panic!("{text}: not found"));
            assert_eq!(
                (&text[net.start..net.end], net.form),
                (want, form),
                "{text}"
            );
        }
        // A technology named as a default is no host.
        let found = scan_network(
            "${CACHE_DRIVER:-redis}",
            "default",
            Some("CACHE_DRIVER"),
            &lookup,
        );
        assert!(found.is_empty());
        assert_eq!(
            interpolation_default(" ${REDIS_PORT:-6379}"),
            Some((15, 19, "REDIS_PORT"))
        );
        assert_eq!(interpolation_default("${A:-${B}}"), None);
        // A required variable's message names nothing.
        let found = scan_network(
            "${REDIS_HOST:?redis host is required}",
            "default",
            Some("REDIS_HOST"),
            &lookup,
        );
        assert!(found.is_empty());
        assert_eq!(interpolation_default("${A}"), None);
    }

    #[test]
    fn an_address_defined_twice_is_an_error_at_each_later_definition() {
        let cm =
            |name: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n");
        let files = vec![
            ("c.yaml".to_string(), format!("{}---\n{}", cm("a"), cm("A"))),
            ("a.yaml".to_string(), cm("a")),
            ("b.yaml".to_string(), format!("{}---\n{}", cm("b"), cm("a"))),
        ];
        let Err(errors) = read(files) else {
            panic!("a duplicate address must not read");
        };
        // `a` thrice: the later two point at the first (in path order);
        // `A` differs in case only and is another object.
        let seen: Vec<(&str, &str, Option<&str>)> = errors
            .iter()
            .map(|e| (e.path.as_str(), e.message.as_str(), e.help.as_deref()))
            .collect();
        let help = "it is also defined in a.yaml; an object may appear once in a stack";
        assert_eq!(
            seen,
            [
                (
                    "b.yaml",
                    "`v1/ConfigMap/default/a` is defined twice",
                    Some(help)
                ),
                (
                    "c.yaml",
                    "`v1/ConfigMap/default/a` is defined twice",
                    Some(help)
                ),
            ]
        );
    }

    #[test]
    fn the_pod_template_path_is_written_as_it_is_walked() {
        let doc = "spec:\n  template: {spec: {}}\n  jobTemplate: {spec: {template: {spec: {}}}}\n";
        let root = &yaml::parse(doc).unwrap()[0].root;
        for kind in [
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "Job",
            "ReplicationController",
            "CronJob",
            "Pod",
        ] {
            let path = pod_template_path(kind).unwrap();
            let (_, dotted) = pod_template(kind, root).unwrap();
            assert_eq!(dotted, path.join("."), "{kind}");
        }
    }

    #[test]
    fn a_port_key_counts_within_three_lines_of_the_host() {
        fn port_of(text: &str) -> Option<&str> {
            port_near(text, text.rfind("redis").unwrap(), "6379").map(|(s, e)| &text[s..e])
        }
        assert_eq!(port_of("host: redis\nport: 6379"), Some("6379"));
        assert_eq!(port_of("port: \"6379\"\na\nb\nhost: redis\n"), Some("6379"));
        assert_eq!(port_of("redis.port=6379\nredis.host=redis\n"), Some("6379"));
        assert_eq!(port_of("host: redis\na\nb\nc\nport: 6379\n"), None);
        assert_eq!(port_of("port: 6379\na\nb\nc\nhost: redis"), None);
        assert_eq!(port_of("host: redis\nport: 6380\n"), None);
        assert_eq!(port_of("host: redis port: 6379"), None);
        assert_eq!(port_of(r#"{"host": "redis", "port": 6379}"#), Some("6379"));
        assert_eq!(port_of(r#"{"port":6379,"host":"redis"}"#), Some("6379"));
        assert_eq!(port_of(r#"{"host": "redis", "port": 63790}"#), None);
        assert_eq!(
            port_of(r#"[{"host": "db", "port": 6379}, {"host": "redis", "port": 6380}]"#),
            None
        );
        assert_eq!(
            port_of(r#"{"host": "redis", "sentinel": {"port": 6379}}"#),
            None
        );
    }

    fn hosts(text: &str, key: Option<&str>) -> Vec<(NetForm, String)> {
        let lookup = |h: &str, _: &str| {
            matches!(h, "redis" | "redis.cache" | "redis.cache.svc.cluster.local")
                .then_some(ResourceId(0))
        };
        scan_network(text, "app", key, &lookup)
            .into_iter()
            .map(|(_, n)| (n.form, text[n.start..n.end].to_string()))
            .collect()
    }

    #[test]
    fn bare_names_count_only_where_a_host_is_meant() {
        use NetForm::*;
        assert_eq!(
            hosts("redis", Some("REDIS_HOST")),
            vec![(Host, "redis".into())]
        );
        assert_eq!(hosts("redis", Some("CACHE")), vec![(Host, "redis".into())]);
        assert!(hosts("redis", Some("CACHE_DRIVER")).is_empty());
        assert!(hosts("redis", Some("QUEUE_CONNECTION")).is_empty());
        // A user, database or password spelled as the Service is (the
        // official images' default user is `postgres`).
        assert!(hosts("redis", Some("DB_USER")).is_empty());
        assert!(hosts("redis", Some("SPRING_DATASOURCE_USERNAME")).is_empty());
        assert!(hosts("redis", Some("DB_NAME")).is_empty());
        assert!(hosts("redis", Some("POSTGRES_DB")).is_empty());
        assert!(hosts("redis", Some("REDIS_PASSWORD")).is_empty());
        assert_eq!(
            hosts("redis", Some("DB_HOST")),
            vec![(Host, "redis".into())]
        );
        assert_eq!(
            hosts("redis", Some("REDIS_SERVICE_NAME")),
            vec![(Host, "redis".into())]
        );
        assert_eq!(
            hosts("redis:6379", Some("CACHE_DRIVER")),
            vec![(HostPort, "redis:6379".into())]
        );
        assert_eq!(
            hosts("redis://redis:6379/0", None),
            vec![(Url, "redis://redis:6379/0".into())]
        );
        assert!(hosts("# use redis for sessions\nmode: redis\n", Some("app.conf")).is_empty());
        assert_eq!(
            hosts("cache:\n  host: redis\n", Some("app.yaml")),
            vec![(Host, "redis".into())]
        );
        assert_eq!(
            hosts("redis-cli -h redis ping", None),
            vec![(Host, "redis".into())]
        );
        assert_eq!(
            hosts("--cache-host=redis", None),
            vec![(Host, "redis".into())]
        );
        assert_eq!(
            hosts("see redis.cache docs", None),
            vec![(Host, "redis.cache".into())]
        );
        assert!(hosts("/data/redis", None).is_empty());
        assert!(hosts("$(redis)", None).is_empty());
    }
}
