//! The Terraform adapter: a configuration's files (`.tf` in HCL, `.tf.json`,
//! and the auto-loaded `.tfvars`) read into the stack model.
//!
//! - **Modules are folders.** The root module is the files at the top of the
//!   stack; a `module` block whose `source` is local (`./x`, `../../`) calls
//!   the folder it names, which is read as a module too (every resource in it
//!   addressed under the call: `module.cache.aws_elasticache_replication_group.this`).
//!   A folder called by several blocks is read once, under the first call.
//!   Remote sources (registry, git, ...) are left alone: the call stays a
//!   resource, and [`remote_modules`] lists them.
//! - **Every top-level block is a document**: the bytes it owns run from its
//!   first line (with the comment lines directly above it) to the end of its
//!   last line, so a block can be dropped whole. Its body becomes an
//!   attribute tree ([`yaml::Node`]): attributes by name, nested blocks by
//!   type (and label), literals typed, every other expression kept as its
//!   source text ([`yaml::Style::Expr`]).
//! - **Resources** are `resource` (type and name), `data` (type `data.T`),
//!   `module` (`module`), `variable`, `output`, and each local (`local`).
//! - **References** are the traversals in every expression, templates,
//!   heredocs, function arguments (the body of `jsonencode`), conditionals
//!   and `for` expressions included: `aws_x.y.attr`, `data.x.y.attr`,
//!   `module.m[0].out`, `var.v`, `local.l`, each with the span of the
//!   traversal, what it reads after the target, and the `${...}` it fills
//!   alone in a template. A module call also refers to each variable it sets
//!   ([`RefKind::ModuleInput`]) and each output it exposes
//!   ([`RefKind::ModuleOutput`]), so data flows through modules.
//!
//! Undeclared variables, locals and modules, module sources that name no
//! folder of the stack, modules that call themselves, and blocks without
//! their labels are read errors, each at its span.

use super::kubernetes::AttrValue;
use super::yaml::{self, Document, Node, ScalarKind, Style, Value};
use super::{ExprRef, ReadError, RefKind, Reference, Resource, ResourceId, Site, Stack, StackFile};
use crate::catalogue::Format;
use crate::source::Span;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use rustc_hash::FxHashMap;
use smol_str::{SmolStr, format_smolstr};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Whether graft reads a file of this name as Terraform configuration (the
/// other files of a Terraform stack are carried over unchanged).
pub fn is_configuration(path: &str) -> bool {
    kind_of(path).is_some()
}

/// What a configuration file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    /// `.tf`: HCL.
    Hcl,
    /// `.tf.json`.
    Json,
    /// `.tfvars`: variable values, HCL.
    Vars,
    /// `.tfvars.json`.
    VarsJson,
}

fn kind_of(path: &str) -> Option<FileKind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".tf.json") {
        Some(FileKind::Json)
    } else if name.ends_with(".tf") {
        Some(FileKind::Hcl)
    } else if name.ends_with(".tfvars.json") {
        Some(FileKind::VarsJson)
    } else if name.ends_with(".tfvars") {
        Some(FileKind::Vars)
    } else {
        None
    }
}

/// Whether a stack of these paths is a Terraform configuration: it has a
/// `.tf` or `.tf.json` file.
pub fn is_stack<'a>(mut paths: impl Iterator<Item = &'a str>) -> bool {
    paths.any(|p| matches!(kind_of(p), Some(FileKind::Hcl | FileKind::Json)))
}

/// Whether Terraform loads this variables file on its own
/// (`terraform.tfvars`, `*.auto.tfvars`, and their JSON forms).
pub fn is_auto_vars(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// The folder a stack path is in (`""` at the top).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `folder` joined with a relative module source, `.` and `..` resolved
/// (`..` past the top stays: `../modules/x`).
pub fn join(folder: &str, source: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Whether a module source is a local path.
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The folders, outside the stack's own (their paths start with `..`), that
/// the local module calls of these `.tf` files name: what a caller reading
/// the stack from disk must add to it (and then ask again, for their own
/// calls). Files that do not parse are skipped here; reading reports them.
pub fn outside_module_folders<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for (path, text) in files {
        // A folder outside is named by a source with `..`, or by any local
        // source of a file already outside: other files are not parsed.
        if kind_of(path) != Some(FileKind::Hcl) || !(path.starts_with("..") || text.contains(".."))
        {
            continue;
        }
        let Ok(body) = hcl_edit::parser::parse_body(text) else {
            continue;
        };
        for block in body.iter().filter_map(Structure::as_block) {
            if block.ident.as_str() != "module" {
                continue;
            }
            if let Some(Expression::String(source)) =
                block.body.get_attribute("source").map(|a| &a.value)
                && is_local_source(source.value())
            {
                let target = join(folder_of(path), source.value());
                if target == ".." || target.starts_with("../") {
                    out.insert(target);
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Reads a Terraform configuration: every file of the stack (path relative
/// to the stack root, text). Files are taken in path order whatever order
/// they come in.
pub fn read(mut files: Vec<(String, String)>) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    read_sorted(files.into_par_iter(), &|| {})
}

/// [`read`], from files the caller keeps: each is copied on the core that
/// parses it.
pub fn read_copies(files: &[(String, String)]) -> Result<Stack, Vec<ReadError>> {
    read_observed(files, &|| {})
}

/// [`read_copies`], calling `tick` as each file is parsed (a progress
/// display's step).
pub fn read_observed(
    files: &[(String, String)],
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    read_sorted(
        sorted.into_par_iter().map(|(p, t)| (p.clone(), t.clone())),
        tick,
    )
}

fn read_sorted(
    files: impl rayon::iter::IndexedParallelIterator<Item = (String, String)>,
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    let mut errors = Vec::new();
    let read: Vec<Result<Parsed, ReadError>> = files
        .map(|(path, text)| {
            let parsed = parse_file(path, text);
            tick();
            parsed
        })
        .collect();
    let mut parsed: Vec<Parsed> = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(p) => parsed.push(p),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let modules = resolve_modules(&parsed, &mut errors);
    // Resources, with the prefix of the folder's module: each file's on
    // every core (a file outside every module's folder has none), numbered
    // in file order.
    let built: Vec<(Vec<Resource>, Vec<String>)> = parsed
        .par_iter()
        .enumerate()
        .map(|(fi, p)| {
            let folder = folder_of(&p.file.path);
            let Some(prefix) = modules.prefix.get(folder) else {
                return Default::default();
            };
            p.items
                .iter()
                .map(|item| {
                    let local = item.local_address();
                    let resource = Resource {
                        format: Format::Terraform,
                        kind: item.kind.clone(),
                        address: format_smolstr!("{prefix}{local}"),
                        name: item.name.clone(),
                        namespace: folder.into(),
                        file: fi,
                        doc: item.doc,
                        item: item.local,
                        span: item.span,
                    };
                    (resource, local)
                })
                .unzip()
        })
        .collect();
    // Each folder's names, the first of each kept (in file order).
    let mut per_file: Vec<Vec<Resource>> = Vec::with_capacity(parsed.len());
    let mut symbols: Symbols = FxHashMap::default();
    let mut next = 0u32;
    // Each file's first resource number (its items are numbered in order).
    let mut firsts: Vec<u32> = Vec::with_capacity(parsed.len());
    for (p, (resources, locals)) in parsed.iter().zip(built) {
        let folder = folder_of(&p.file.path);
        firsts.push(next);
        if modules.prefix.contains_key(folder) && !symbols.contains_key(folder) {
            symbols.insert(folder.to_string(), FxHashMap::default());
        }
        if let Some(table) = symbols.get_mut(folder) {
            for local in locals {
                table.entry(local).or_insert(ResourceId(next));
                next += 1;
            }
        }
        per_file.push(resources);
    }
    // References, file by file, on every core.
    let walked: Vec<(Vec<Reference>, Vec<ReadError>)> = parsed
        .par_iter()
        .enumerate()
        .map(|(fi, p)| {
            let folder = folder_of(&p.file.path);
            let mut file_errors = Vec::new();
            if !modules.prefix.contains_key(folder) {
                return (Vec::new(), file_errors);
            }
            let ids: Vec<ResourceId> = (0..per_file[fi].len() as u32)
                .map(|k| ResourceId(firsts[fi] + k))
                .collect();
            let refs = resolve(p, fi, &ids, &symbols, &modules, &mut file_errors);
            (refs, file_errors)
        })
        .collect();
    let mut references: Vec<Arc<Vec<Reference>>> = Vec::with_capacity(walked.len());
    for (refs, errs) in walked {
        references.push(Arc::new(refs));
        errors.extend(errs);
    }
    let all: Vec<&Resource> = per_file.iter().flatten().collect();
    errors.extend(local_cycles(&all, &references, &parsed));
    // The syntax trees are freed on every core.
    let files: Vec<Arc<StackFile>> = parsed.into_par_iter().map(|p| Arc::new(p.file)).collect();
    let objects = per_file
        .into_iter()
        .map(|resources| {
            Arc::new(super::kubernetes::FileObjects {
                resources,
                ..Default::default()
            })
        })
        .collect();
    super::kubernetes::combine(files, objects, references, errors)
}

/// The module calls a stack leaves as they are, because their source is
/// not a folder of the stack (a registry address, a git or HTTP URL): each
/// call's resource and its source.
pub fn remote_modules(stack: &Stack) -> Vec<(ResourceId, &str)> {
    stack
        .ids()
        .filter(|&id| stack.resource(id).kind == "module")
        .filter_map(|id| {
            let source = stack.node(id).get("source")?.as_str()?;
            (!is_local_source(source)).then_some((id, source))
        })
        .collect()
}

/// Locals that depend on themselves (`a = local.b`, `b = local.a`):
/// Terraform cannot work them out. One error per cycle, at the reference
/// that closes it.
fn local_cycles(
    resources: &[&Resource],
    references: &[Arc<Vec<Reference>>],
    parsed: &[Parsed],
) -> Vec<ReadError> {
    let is_local = |id: ResourceId| resources.get(id.index()).is_some_and(|r| r.kind == "local");
    let mut edges: HashMap<ResourceId, Vec<&Reference>> = HashMap::new();
    for r in references.iter().flat_map(|f| f.iter()) {
        if is_local(r.from) && is_local(r.to) {
            edges.entry(r.from).or_default().push(r);
        }
    }
    // Depth first, in resource order: 1 on the path, 2 done.
    let mut state: HashMap<ResourceId, u8> = HashMap::new();
    let mut errors = Vec::new();
    let mut starts: Vec<ResourceId> = edges.keys().copied().collect();
    starts.sort();
    for start in starts {
        if state.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(ResourceId, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((node, next)) = path.pop() {
            let out = edges.get(&node).map_or(&[][..], Vec::as_slice);
            let Some(r) = out.get(next) else {
                state.insert(node, 2);
                continue;
            };
            path.push((node, next + 1));
            match state.get(&r.to) {
                Some(1) => {
                    let name = |id: ResourceId| resources[id.index()].name.clone();
                    errors.push(ReadError {
                        path: parsed[r.site.file].file.path.clone(),
                        span: r.site.span,
                        message: format!(
                            "`local.{}` depends on itself through `local.{}`",
                            name(r.to),
                            name(node)
                        ),
                        help: Some(
                            "a local cannot be worked out from its own value; break the cycle"
                                .into(),
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    state.insert(r.to, 1);
                    path.push((r.to, 0));
                }
            }
        }
    }
    errors
}

/// A resource's address within its module (without the module's prefix).
fn local_address(kind: &str, name: &str) -> String {
    match kind {
        "module" => format!("module.{name}"),
        "variable" => format!("var.{name}"),
        "local" => format!("local.{name}"),
        "output" => format!("output.{name}"),
        kind => format!("{kind}.{name}"),
    }
}

/// One file, parsed, with the items that become resources.
struct Parsed {
    file: StackFile,
    /// The references its blocks make, as found in the file alone.
    raw: Vec<Raw>,
    items: Vec<Item>,
    /// Module calls: name, source (and its span), the block's document.
    calls: Vec<Call>,
}

struct Item {
    kind: SmolStr,
    name: SmolStr,
    doc: usize,
    local: Option<usize>,
    span: Span,
}

impl Item {
    fn local_address(&self) -> String {
        local_address(&self.kind, &self.name)
    }
}

#[derive(Clone)]
struct Call {
    name: SmolStr,
    source: Option<(String, Span)>,
    doc: usize,
}

fn parse_file(path: String, text: String) -> Result<Parsed, ReadError> {
    let mut parsed = Parsed {
        file: StackFile {
            path,
            text,
            format: Format::Terraform,
            docs: Vec::new(),
            expressions: Vec::new(),
        },
        raw: Vec::new(),
        items: Vec::new(),
        calls: Vec::new(),
    };
    if let Err(e) = yaml::too_long(&parsed.file.text) {
        return Err(ReadError {
            path: parsed.file.path,
            span: Span::at(e.offset),
            message: e.message,
            help: Some("split the configuration into files under 4 GiB".into()),
        });
    }
    match kind_of(&parsed.file.path) {
        None => {}
        Some(FileKind::Hcl) => {
            let body = parse_hcl(&parsed.file)?;
            blocks(&mut parsed, &body)?;
            // The references, while the tree is at hand; the tree is freed
            // here, on the core that built it, but for what the writer
            // edits inside.
            parsed.raw = walk(&parsed, Some(&body));
            parsed.file.expressions = kept_expressions(body);
        }
        Some(FileKind::Vars) => {
            let body = parse_hcl(&parsed.file)?;
            let text = &parsed.file.text;
            let root = body_node(text, &body, span_of(body.span(), text.len()));
            parsed.file.docs.push(Document {
                range: Span::new(0, text.len()),
                root,
                tags: Vec::new(),
            });
        }
        Some(FileKind::Json | FileKind::VarsJson) => {
            let kind = kind_of(&parsed.file.path);
            let mut docs = yaml::parse(&parsed.file.text).map_err(|e| ReadError {
                path: parsed.file.path.clone(),
                span: Span::at(e.offset),
                message: format!("invalid JSON: {}", e.message),
                help: Some("a `.tf.json` file is one JSON object".into()),
            })?;
            let root = docs.pop().map(|d| d.root);
            match root {
                Some(root) if root.is_map() => {
                    if kind == Some(FileKind::Json) {
                        json_blocks(&mut parsed, root)?;
                        parsed.raw = walk(&parsed, None);
                    } else {
                        parsed.file.docs.push(Document {
                            range: Span::new(0, parsed.file.text.len()),
                            root,
                            tags: Vec::new(),
                        });
                    }
                }
                Some(root) if root.is_null() => {}
                other => {
                    return Err(ReadError {
                        path: parsed.file.path.clone(),
                        span: other.map_or(Span::at(0), |n| n.span()),
                        message: "this is not a JSON object".into(),
                        help: Some("a `.tf.json` file is one JSON object of block types".into()),
                    });
                }
            }
        }
    }
    Ok(parsed)
}

/// The expressions of a parsed file that the writer edits inside: each
/// ECS task definition's `container_definitions`, by offset.
fn kept_expressions(body: Body) -> Vec<(usize, Expression)> {
    let mut kept = Vec::new();
    for structure in body {
        let Structure::Block(block) = structure else {
            continue;
        };
        let is_ecs = block.ident.as_str() == "resource"
            && block
                .labels
                .first()
                .is_some_and(|l| l.as_str() == "aws_ecs_task_definition");
        if !is_ecs {
            continue;
        }
        for inner in block.body {
            if let Structure::Attribute(attr) = inner
                && attr.key.as_str() == "container_definitions"
                && let Some(at) = attr.value.span().map(|s| s.start)
            {
                kept.push((at, attr.value));
            }
        }
    }
    kept.sort_by_key(|(at, _)| *at);
    kept
}

fn parse_hcl(file: &StackFile) -> Result<Body, ReadError> {
    // A file saved with a byte order mark (Windows editors do), which
    // Terraform reads: parsed with blanks of the same length in its place,
    // so that every offset is the file's.
    let text = match file.text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(format!("   {rest}")),
        None => std::borrow::Cow::Borrowed(file.text.as_str()),
    };
    hcl_edit::parser::parse_body(&text).map_err(|e| {
        let offset = e.location().offset().min(file.text.len());
        ReadError {
            path: file.path.clone(),
            span: Span::new(offset, (offset + 1).min(file.text.len()).max(offset)),
            message: format!("invalid HCL: {}", e.message()),
            help: Some(
                "fix the syntax; `terraform fmt` or `terraform validate` shows it too".into(),
            ),
        }
    })
}

fn span_of(range: Option<std::ops::Range<usize>>, len: usize) -> Span {
    match range {
        Some(r) => Span::new(r.start.min(len), r.end.min(len).max(r.start.min(len))),
        None => Span::at(0),
    }
}

/// The bytes a block owns: from the first of the comment lines directly
/// above it (no blank line between) to the end of its last line.
fn owned(text: &str, span: Span) -> Span {
    use super::edit::line_start;
    let bytes = text.as_bytes();
    let mut start = line_start(text, span.start);
    while start > 0 {
        let prev = line_start(text, start - 1);
        let line = text[prev..start].trim();
        if line.starts_with('#') || line.starts_with("//") {
            start = prev;
        } else {
            break;
        }
    }
    let mut end = span.end;
    while end < bytes.len() && bytes[end] != b'\n' {
        end += 1;
    }
    if end < bytes.len() {
        end += 1;
    }
    Span::new(start, end)
}

/// The top-level blocks of a `.tf` file: documents, items and module calls.
fn blocks(parsed: &mut Parsed, body: &Body) -> Result<(), ReadError> {
    // The text is lent out while the documents are added (and put back).
    let text = std::mem::take(&mut parsed.file.text);
    let result = blocks_of(parsed, body, &text);
    parsed.file.text = text;
    result
}

fn blocks_of(parsed: &mut Parsed, body: &Body, text: &str) -> Result<(), ReadError> {
    let path = parsed.file.path.clone();
    for structure in body.iter() {
        let block = match structure {
            Structure::Block(b) => b,
            Structure::Attribute(a) => {
                return Err(ReadError {
                    path,
                    span: span_of(a.span(), text.len()),
                    message: format!(
                        "an argument (`{}`) at the top level of a configuration file",
                        a.key.as_str()
                    ),
                    help: Some(
                        "a `.tf` file holds blocks (`resource`, `variable`, `locals`, ...); values for variables go in a `.tfvars` file".into(),
                    ),
                });
            }
        };
        let span = span_of(block.span(), text.len());
        let doc = parsed.file.docs.len();
        let root = body_node(text, &block.body, span);
        let ident = block.ident.as_str();
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let want = match ident {
            "resource" | "data" => Some(2),
            "module" | "variable" | "output" => Some(1),
            _ => None,
        };
        if let Some(n) = want
            && labels.len() != n
        {
            return Err(ReadError {
                path,
                span: span_of(block.ident.span(), text.len()),
                message: format!(
                    "a `{ident}` block has {n} label{}, this one has {}",
                    if n == 1 { "" } else { "s" },
                    labels.len()
                ),
                help: Some(match ident {
                    "resource" => "write `resource \"TYPE\" \"NAME\" { ... }`".into(),
                    "data" => "write `data \"TYPE\" \"NAME\" { ... }`".into(),
                    other => format!("write `{other} \"NAME\" {{ ... }}`"),
                }),
            });
        }
        match ident {
            "resource" => parsed.items.push(Item {
                kind: labels[0].into(),
                name: labels[1].into(),
                doc,
                local: None,
                span,
            }),
            "data" => parsed.items.push(Item {
                kind: format!("data.{}", labels[0]).into(),
                name: labels[1].into(),
                doc,
                local: None,
                span,
            }),
            "module" | "variable" | "output" => {
                parsed.items.push(Item {
                    kind: ident.into(),
                    name: labels[0].into(),
                    doc,
                    local: None,
                    span,
                });
                if ident == "module" {
                    let source = block
                        .body
                        .get_attribute("source")
                        .and_then(|a| match &a.value {
                            Expression::String(s) => {
                                Some((s.value().to_string(), span_of(a.value.span(), text.len())))
                            }
                            _ => None,
                        });
                    parsed.calls.push(Call {
                        name: labels[0].into(),
                        source,
                        doc,
                    });
                }
            }
            "locals" => {
                for (i, s) in block.body.iter().enumerate() {
                    if let Structure::Attribute(a) = s {
                        parsed.items.push(Item {
                            kind: "local".into(),
                            name: a.key.as_str().into(),
                            doc,
                            local: Some(i),
                            span: span_of(a.span(), text.len()),
                        });
                    }
                }
            }
            "terraform" | "provider" | "moved" | "import" | "check" | "removed" | "ephemeral" => {}
            other => {
                let known = [
                    "resource",
                    "data",
                    "module",
                    "variable",
                    "output",
                    "locals",
                    "terraform",
                    "provider",
                    "moved",
                    "import",
                    "check",
                    "removed",
                    "ephemeral",
                ];
                return Err(ReadError {
                    path,
                    span: span_of(block.ident.span(), text.len()),
                    message: format!("`{other}` is not a Terraform block type"),
                    help: Some(crate::diagnostics::suggest(other, known, |_| {
                        "a configuration file holds `resource`, `data`, `module`, `variable`, `output`, `locals`, `terraform` and `provider` blocks (and `moved`, `import`, `check`, `removed`)".into()
                    })),
                });
            }
        }
        parsed.file.docs.push(Document {
            range: owned(text, span),
            root,
            tags: Vec::new(),
        });
    }
    Ok(())
}

/// The blocks of a `.tf.json` file: `{"resource": {"T": {"N": {...}}}}`,
/// `{"variable": {"V": {...}}}`, `{"locals": {...}}`, ...: each resource,
/// variable, output, module and `locals` object is a document.
fn json_blocks(parsed: &mut Parsed, root: Node) -> Result<(), ReadError> {
    let Value::Map { entries, .. } = root.value else {
        return Ok(());
    };
    for (key, value) in entries {
        let ident = key.as_str().unwrap_or("").to_string();
        let nested = match ident.as_str() {
            "resource" | "data" => 2,
            "module" | "variable" | "output" => 1,
            "locals" => 0,
            _ => {
                parsed.file.docs.push(Document {
                    range: value.span(),
                    root: value,
                    tags: Vec::new(),
                });
                continue;
            }
        };
        // Each label level is an object of names; some files write a list
        // of such objects.
        let mut found: Vec<(Vec<SmolStr>, usize, Node)> = Vec::new();
        flatten(value, nested, key.span().start, &mut Vec::new(), &mut found);
        for (labels, entry, body) in found {
            let doc = parsed.file.docs.len();
            let span = body.span();
            match ident.as_str() {
                "locals" => {
                    for (i, (k, v)) in body.entries().iter().enumerate() {
                        parsed.items.push(Item {
                            kind: "local".into(),
                            name: k.as_str().unwrap_or("").into(),
                            doc,
                            local: Some(i),
                            span: Span::new(k.span().start, v.span().end),
                        });
                    }
                }
                "resource" => parsed.items.push(Item {
                    kind: labels[0].clone(),
                    name: labels[1].clone(),
                    doc,
                    local: None,
                    span,
                }),
                "data" => parsed.items.push(Item {
                    kind: format!("data.{}", labels[0]).into(),
                    name: labels[1].clone(),
                    doc,
                    local: None,
                    span,
                }),
                kind => {
                    parsed.items.push(Item {
                        kind: kind.into(),
                        name: labels[0].clone(),
                        doc,
                        local: None,
                        span,
                    });
                    if kind == "module" {
                        let source = body
                            .get("source")
                            .filter(|s| s.scalar().is_some_and(|s| s.style == Style::Quoted))
                            .and_then(|s| Some((s.as_str()?.to_string(), s.span())));
                        parsed.calls.push(Call {
                            name: labels[0].clone(),
                            source,
                            doc,
                        });
                    }
                }
            }
            // The bytes it owns: its whole entry, key included.
            parsed.file.docs.push(Document {
                range: Span::new(entry, span.end),
                root: body,
                tags: Vec::new(),
            });
        }
    }
    Ok(())
}

/// The objects `levels` label levels down, with their labels and where
/// their entry starts (the last label's key, or the item of a list).
fn flatten(
    node: Node,
    levels: usize,
    start: usize,
    labels: &mut Vec<SmolStr>,
    out: &mut Vec<(Vec<SmolStr>, usize, Node)>,
) {
    if levels == 0 {
        match node.value {
            Value::Seq { items, .. } => {
                for item in items {
                    out.push((labels.clone(), item.span().start, item));
                }
            }
            _ => out.push((labels.clone(), start, node)),
        }
        return;
    }
    match node.value {
        Value::Map { entries, .. } => {
            for (k, v) in entries {
                labels.push(k.as_str().unwrap_or("").into());
                flatten(v, levels - 1, k.span().start, labels, out);
                labels.pop();
            }
        }
        Value::Seq { items, .. } => {
            for item in items {
                let start = item.span().start;
                flatten(item, levels, start, labels, out);
            }
        }
        Value::Scalar { .. } => {}
    }
}

/// A block body as an attribute tree: attributes by name, nested blocks by
/// type and then label; a block type written more than once is a sequence.
fn body_node(text: &str, body: &Body, span: Span) -> Node {
    let mut entries: Vec<(Node, Node)> = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => {
                let key = key_node(a.key.as_str(), span_of(a.key.span(), text.len()));
                entries.push((key, expr_node(text, &a.value)));
            }
            Structure::Block(b) => {
                let bspan = span_of(b.span(), text.len());
                let mut value = body_node(text, &b.body, bspan);
                for label in b.labels.iter().rev() {
                    let key = key_node(label.as_str(), span_of(label.span(), text.len()));
                    value = Node::new(
                        bspan,
                        Value::Map {
                            entries: vec![(key, value)],
                            flow: false,
                        },
                    );
                }
                let ident = b.ident.as_str();
                match entries.iter_mut().find(|(k, _)| k.as_str() == Some(ident)) {
                    Some((_, existing)) => {
                        if let Value::Seq { items, .. } = &mut existing.value {
                            items.push(value);
                        } else {
                            let empty = Value::Seq {
                                items: Vec::new(),
                                flow: false,
                            };
                            let first = std::mem::replace(existing, Node::new(bspan, empty));
                            *existing = Node::new(
                                Span::new(first.span().start, bspan.end),
                                Value::Seq {
                                    items: vec![first, value],
                                    flow: false,
                                },
                            );
                        }
                    }
                    None => {
                        let key = key_node(ident, span_of(b.ident.span(), text.len()));
                        entries.push((key, value));
                    }
                }
            }
        }
    }
    Node::new(
        span,
        Value::Map {
            entries,
            flow: false,
        },
    )
}

fn key_node(key: &str, span: Span) -> Node {
    Node::new(
        span,
        Value::Scalar {
            text: key.into(),
            kind: ScalarKind::Str,
            style: Style::Plain,
        },
    )
}

fn scalar(span: Span, text: impl Into<SmolStr>, kind: ScalarKind, style: Style) -> Node {
    Node::new(
        span,
        Value::Scalar {
            text: text.into(),
            kind,
            style,
        },
    )
}

/// An expression as a node: literals typed, collections as collections,
/// anything else as its source text.
fn expr_node(text: &str, expr: &Expression) -> Node {
    let span = span_of(expr.span(), text.len());
    match expr {
        Expression::Null(_) => scalar(span, "null", ScalarKind::Null, Style::Plain),
        Expression::Bool(b) => scalar(
            span,
            if *b.value() { "true" } else { "false" },
            ScalarKind::Bool(*b.value()),
            Style::Plain,
        ),
        Expression::Number(n) => {
            let kind = if n.value().is_f64() {
                ScalarKind::Float
            } else {
                ScalarKind::Int
            };
            scalar(span, n.value().to_string(), kind, Style::Plain)
        }
        Expression::String(s) => scalar(span, s.value().as_str(), ScalarKind::Str, Style::Quoted),
        Expression::Array(a) => Node::new(
            span,
            Value::Seq {
                items: a.iter().map(|e| expr_node(text, e)).collect(),
                flow: true,
            },
        ),
        Expression::Object(o) => Node::new(
            span,
            Value::Map {
                entries: o
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(i) => {
                                key_node(i.as_str(), span_of(i.span(), text.len()))
                            }
                            ObjectKey::Expression(Expression::String(s)) => {
                                key_node(s.value().as_str(), span_of(s.span(), text.len()))
                            }
                            ObjectKey::Expression(e) => expr_node(text, e),
                        };
                        (key, expr_node(text, v.expr()))
                    })
                    .collect(),
                flow: true,
            },
        ),
        Expression::Parenthesis(p) => expr_node(text, p.inner()),
        _ => scalar(
            span,
            text.get(span.start..span.end).unwrap_or(""),
            ScalarKind::Str,
            Style::Expr,
        ),
    }
}

/// The modules of a configuration: which folders are read, under which
/// prefix, called by whom.
struct Modules {
    /// Each folder read as a module, with the prefix of its resources'
    /// addresses (`""` for the root, `module.cache.` for a called folder).
    prefix: HashMap<String, String>,
    /// Each local call's folder, by the call's folder and name.
    callee: HashMap<(String, SmolStr), String>,
}

fn resolve_modules(parsed: &[Parsed], errors: &mut Vec<ReadError>) -> Modules {
    let mut by_folder: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if kind_of(&p.file.path).is_some_and(|k| matches!(k, FileKind::Hcl | FileKind::Json)) {
            by_folder
                .entry(folder_of(&p.file.path))
                .or_default()
                .push(i);
        }
    }
    let mut modules = Modules {
        prefix: HashMap::new(),
        callee: HashMap::new(),
    };
    modules.prefix.insert(String::new(), String::new());
    // Depth first from the root, in file order, with the chain of folders
    // being read (a folder that calls one on its chain is a cycle).
    fn visit(
        folder: &str,
        chain: &mut Vec<String>,
        parsed: &[Parsed],
        by_folder: &BTreeMap<&str, Vec<usize>>,
        modules: &mut Modules,
        errors: &mut Vec<ReadError>,
    ) {
        let prefix = modules.prefix.get(folder).cloned().unwrap_or_default();
        chain.push(folder.to_string());
        for &fi in by_folder.get(folder).into_iter().flatten() {
            let p = &parsed[fi];
            for call in &p.calls {
                let Some((source, span)) = &call.source else {
                    errors.push(ReadError {
                        path: p.file.path.clone(),
                        span: p.file.docs[call.doc].root.span(),
                        message: format!("module `{}` has no `source` string", call.name),
                        help: Some("give it `source = \"./modules/NAME\"` (a folder of the stack) or a registry address".into()),
                    });
                    continue;
                };
                if !is_local_source(source) {
                    // Left as it is ([`remote_modules`] lists it).
                    continue;
                }
                let target = join(folder, source);
                if !by_folder.contains_key(target.as_str()) {
                    errors.push(ReadError {
                        path: p.file.path.clone(),
                        span: *span,
                        message: format!(
                            "module `{}` calls `{source}`, but the stack has no Terraform files in `{}`",
                            call.name,
                            if target.is_empty() { "." } else { &target }
                        ),
                        help: Some("give graft the module's folder with the stack (a local module is read with the configuration that calls it), or correct the path".into()),
                    });
                    continue;
                }
                if chain.contains(&target) {
                    errors.push(ReadError {
                        path: p.file.path.clone(),
                        span: *span,
                        message: format!(
                            "module `{}` calls `{source}`, a folder that is already calling it: modules cannot call themselves",
                            call.name
                        ),
                        help: Some("a module's source must be another folder, outside the chain of calls that reaches it".into()),
                    });
                    continue;
                }
                modules
                    .callee
                    .insert((folder.to_string(), call.name.clone()), target.clone());
                if !modules.prefix.contains_key(&target) {
                    let under = format!("{prefix}module.{}.", call.name);
                    modules.prefix.insert(target.clone(), under);
                    visit(&target, chain, parsed, by_folder, modules, errors);
                }
            }
        }
        chain.pop();
    }
    visit(
        "",
        &mut Vec::new(),
        parsed,
        &by_folder,
        &mut modules,
        errors,
    );
    modules
}

/// The references one file's blocks make (`body`: its HCL tree; none for
/// `.tf.json`, whose documents are walked).
fn walk(p: &Parsed, body: Option<&Body>) -> Vec<Raw> {
    let mut walker = Walker {
        text: &p.file.text,
        out: Vec::new(),
        from: 0,
        bound: Vec::new(),
        path: String::new(),
    };
    walker.file_references(p, body);
    walker.out
}

/// Resolves one file's references against the stack's names: `ids` are
/// its items' resources.
fn resolve(
    p: &Parsed,
    file: usize,
    ids: &[ResourceId],
    symbols: &Symbols,
    modules: &Modules,
    errors: &mut Vec<ReadError>,
) -> Vec<Reference> {
    let folder = folder_of(&p.file.path);
    let symbol = |folder: &str, local: &str| symbols.get(folder)?.get(local).copied();
    let site = |span: Span, path: String, value: Option<SmolStr>| Site {
        file,
        span,
        path,
        container: None,
        env: None,
        value,
        style: Style::Expr,
    };
    let error = |span: Span, message: String, help: String| ReadError {
        path: p.file.path.clone(),
        span,
        message,
        help: Some(help),
    };
    let mut out = Vec::new();
    for raw in &p.raw {
        match raw {
            Raw::Ref {
                from,
                target,
                root,
                kind_word,
                expr,
                span,
                path,
                value,
            } => {
                let Some(to) = symbol(folder, target) else {
                    if !kind_word.is_empty() {
                        let kind_prefix = format!("{root}.");
                        let declared: Vec<&str> = symbols
                            .get(folder)
                            .into_iter()
                            .flat_map(|m| m.keys())
                            .filter(|a| a.starts_with(&kind_prefix))
                            .map(String::as_str)
                            .collect();
                        let help =
                            crate::diagnostics::suggest(target, declared.iter().copied(), |_| {
                                format!(
                                    "declare the {kind_word} in this module, or correct the name"
                                )
                            });
                        errors.push(error(
                            *span,
                            format!("`{target}` is not declared in this module"),
                            help,
                        ));
                    }
                    continue;
                };
                // `module.m.out` must name an output of a module the stack holds.
                let call = target.trim_start_matches("module.");
                if root == "module"
                    && let Some(callee) = modules.callee.get(&(folder.to_string(), call.into()))
                    && let Some(output) = &expr.attribute
                    && symbol(callee, &format!("output.{output}")).is_none()
                {
                    errors.push(error(
                        *span,
                        format!("module `{call}` has no output `{output}`"),
                        format!("the outputs are declared in `{callee}`; add the output there, or correct the name"),
                    ));
                    continue;
                }
                out.push(Reference {
                    from: ids[*from],
                    to,
                    kind: RefKind::Expr(expr.clone()),
                    site: site(*span, path.clone(), Some(value.clone())),
                });
            }
            Raw::Call {
                from,
                name,
                args,
                label,
            } => {
                let Some(callee) = modules.callee.get(&(folder.to_string(), name.clone())) else {
                    continue;
                };
                for (arg, span, key) in args {
                    match symbol(callee, &format!("var.{arg}")) {
                        Some(to) => out.push(Reference {
                            from: ids[*from],
                            to,
                            kind: RefKind::ModuleInput,
                            site: site(*span, arg.clone(), None),
                        }),
                        None => {
                            let declared: Vec<&str> = symbols
                                .get(callee.as_str())
                                .into_iter()
                                .flat_map(|m| m.keys())
                                .filter_map(|a| a.strip_prefix("var."))
                                .collect();
                            let help = crate::diagnostics::suggest(
                                arg,
                                declared.iter().copied(),
                                |_| {
                                    format!(
                                        "the module in `{callee}` declares no variable `{arg}`; declare it there, or remove the argument"
                                    )
                                },
                            );
                            errors.push(error(
                                *key,
                                format!("module `{name}` has no variable `{arg}`"),
                                help,
                            ));
                        }
                    }
                }
                let mut outputs: Vec<(&String, ResourceId)> = symbols
                    .get(callee.as_str())
                    .into_iter()
                    .flat_map(|m| m.iter())
                    .filter(|(a, _)| a.starts_with("output."))
                    .map(|(a, id)| (a, *id))
                    .collect();
                outputs.sort();
                for (address, to) in outputs {
                    out.push(Reference {
                        from: ids[*from],
                        to,
                        kind: RefKind::ModuleOutput,
                        site: site(
                            *label,
                            address.trim_start_matches("output.").to_string(),
                            Some(name.clone()),
                        ),
                    });
                }
            }
        }
    }
    out
}

/// Finds the references of one file.
struct Walker<'a> {
    text: &'a str,
    out: Vec<Raw>,
    /// The item (of the file's) whose block is being read.
    from: usize,
    /// Names bound by enclosing `for` expressions, template `for`
    /// directives and `dynamic` blocks.
    bound: Vec<String>,
    /// The attribute path being read.
    path: String,
}

/// A reference as one file's walk finds it, before the stack's names are
/// known: resolved once every file is read.
enum Raw {
    /// A traversal.
    Ref {
        /// The item (of the file's) that refers.
        from: usize,
        /// What it names, within its module (`var.x`, `aws_x.y`, `module.m`).
        target: String,
        /// Its first word (`var`, `module`, a resource type).
        root: SmolStr,
        /// What kind of name it is, for an error when it is undeclared
        /// (empty for a resource, which may be a `for` variable's field).
        kind_word: &'static str,
        expr: ExprRef,
        span: Span,
        path: String,
        value: SmolStr,
    },
    /// A module call: its arguments (name, the argument's span, the key's
    /// span) and its name label.
    Call {
        from: usize,
        name: SmolStr,
        args: Vec<(String, Span, Span)>,
        label: Span,
    },
}

/// What an expression is part of, for the references in it.
#[derive(Clone, Copy, Default)]
struct Context {
    /// Whether the expression is the whole value of its attribute.
    whole: bool,
    /// Whether it is an item of `depends_on`.
    depends_on: bool,
    /// The `${...}` it fills alone.
    interpolation: Option<Span>,
    /// The string template it is in.
    template: Option<Span>,
}

impl Walker<'_> {
    fn file_references(&mut self, p: &Parsed, body: Option<&Body>) {
        // Each item's document, and for locals its attribute.
        let mut by_doc: HashMap<usize, Vec<(Option<usize>, usize)>> = HashMap::new();
        for (id, item) in p.items.iter().enumerate() {
            by_doc.entry(item.doc).or_default().push((item.local, id));
        }
        if let Some(body) = body {
            let mut doc = 0;
            for structure in body.iter() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                let owners = by_doc.get(&doc).cloned().unwrap_or_default();
                doc += 1;
                match owners.as_slice() {
                    [] => {
                        // A `terraform` or `provider` block: its references
                        // (a provider's region from a variable) count for
                        // nothing here.
                    }
                    [(None, id)] => {
                        self.from = *id;
                        self.path.clear();
                        self.body(&block.body);
                        if block.ident.as_str() == "module" {
                            self.module_links(block, *id);
                        }
                    }
                    locals => {
                        for &(i, id) in locals {
                            let Some(Structure::Attribute(a)) = i.and_then(|i| block.body.get(i))
                            else {
                                continue;
                            };
                            self.from = id;
                            self.path = a.key.as_str().to_string();
                            self.expr(
                                &a.value,
                                Context {
                                    whole: true,
                                    ..Context::default()
                                },
                            );
                        }
                    }
                }
            }
        } else {
            // `.tf.json`: every string may be a template.
            for (id, item) in p.items.iter().enumerate() {
                self.from = id;
                let root = &p.file.docs[item.doc].root;
                let node = match item.local {
                    Some(i) => root.entries().get(i).map(|(_, v)| v),
                    None => Some(root),
                };
                self.path = match item.local {
                    Some(_) => item.name.to_string(),
                    None => String::new(),
                };
                if let Some(node) = node {
                    self.json_node(node);
                }
                if item.kind == "module" {
                    self.json_module_links(p, item, id);
                }
            }
        }
    }

    fn push_path(&mut self, key: &str) -> usize {
        let len = self.path.len();
        if !self.path.is_empty() {
            self.path.push('.');
        }
        self.path.push_str(key);
        len
    }

    fn body(&mut self, body: &Body) {
        for structure in body.iter() {
            match structure {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    let len = self.push_path(key);
                    let top = !self.path.contains('.');
                    if key == "depends_on" && top {
                        if let Expression::Array(items) = &a.value {
                            for (i, item) in items.iter().enumerate() {
                                let len = self.path.len();
                                self.path.push_str(&format!("[{i}]"));
                                self.expr(
                                    item,
                                    Context {
                                        whole: true,
                                        depends_on: true,
                                        ..Context::default()
                                    },
                                );
                                self.path.truncate(len);
                            }
                        }
                    } else {
                        self.expr(
                            &a.value,
                            Context {
                                whole: true,
                                ..Context::default()
                            },
                        );
                    }
                    self.path.truncate(len);
                }
                Structure::Block(b) => {
                    let len = self.push_path(b.ident.as_str());
                    // `dynamic "x" { for_each = ..., iterator = y, content { ... } }`
                    // binds `x` (or `y`) in its content.
                    let bound = if b.ident.as_str() == "dynamic" {
                        let name = b
                            .body
                            .get_attribute("iterator")
                            .and_then(|a| match &a.value {
                                Expression::Variable(v) => Some(v.as_str().to_string()),
                                _ => None,
                            })
                            .or_else(|| b.labels.first().map(|l| l.as_str().to_string()));
                        name.map(|n| self.bound.push(n)).is_some()
                    } else {
                        false
                    };
                    for label in &b.labels {
                        self.path.push('.');
                        self.path.push_str(label.as_str());
                    }
                    self.body(&b.body);
                    if bound {
                        self.bound.pop();
                    }
                    self.path.truncate(len);
                }
            }
        }
    }

    fn expr(&mut self, expr: &Expression, cx: Context) {
        let inner = Context::default();
        // An item of an array or a value of an object is the whole value at
        // its path.
        let whole = Context {
            whole: true,
            ..Context::default()
        };
        match expr {
            Expression::Traversal(t) => {
                if !self.traversal(expr, t, cx) {
                    self.expr(&t.expr, inner);
                }
                for op in &t.operators {
                    if let TraversalOperator::Index(i) = op.value() {
                        self.expr(i, inner);
                    }
                }
            }
            Expression::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let len = self.path.len();
                    self.path.push_str(&format!("[{i}]"));
                    self.expr(item, whole);
                    self.path.truncate(len);
                }
            }
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        ObjectKey::Expression(e) => {
                            self.expr(e, inner);
                            "*".to_string()
                        }
                    };
                    let len = self.push_path(&key);
                    self.expr(v.expr(), whole);
                    self.path.truncate(len);
                }
            }
            Expression::StringTemplate(t) => {
                let template = Some(span_of(t.span(), self.text.len()));
                self.template_elements(t.iter(), template);
            }
            Expression::HeredocTemplate(h) => self.template(&h.template, None),
            Expression::Parenthesis(p) => self.expr(p.inner(), cx),
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr, inner);
                self.expr(
                    &c.true_expr,
                    Context {
                        interpolation: None,
                        ..cx
                    },
                );
                self.expr(
                    &c.false_expr,
                    Context {
                        interpolation: None,
                        ..cx
                    },
                );
            }
            Expression::FuncCall(f) => {
                // `format("redis://%s:%d", ...)` builds a string as a
                // template does: its arguments are in that string.
                let template = (f.name.name.as_str() == "format"
                    && f.name.namespace.is_empty()
                    && matches!(f.args.iter().next(), Some(Expression::String(_))))
                .then(|| span_of(expr.span(), self.text.len()));
                for arg in f.args.iter() {
                    self.expr(arg, Context { template, ..inner });
                }
            }
            Expression::UnaryOp(u) => self.expr(&u.expr, inner),
            Expression::BinaryOp(b) => {
                self.expr(&b.lhs_expr, inner);
                self.expr(&b.rhs_expr, inner);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr, inner);
                let n = self.bound.len();
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.as_str().to_string());
                }
                self.bound.push(f.intro.value_var.as_str().to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k, inner);
                }
                self.expr(&f.value_expr, inner);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr, inner);
                }
                self.bound.truncate(n);
            }
            Expression::Variable(_)
            | Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
        }
    }

    fn template(&mut self, t: &Template, template: Option<Span>) {
        self.template_elements(t.iter(), template);
    }

    fn template_elements<'e>(
        &mut self,
        elements: impl Iterator<Item = &'e Element>,
        template: Option<Span>,
    ) {
        for element in elements {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(i) => {
                    let cx = Context {
                        interpolation: Some(span_of(i.span(), self.text.len())),
                        template,
                        ..Context::default()
                    };
                    self.expr(&i.expr, cx);
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        self.expr(&d.if_expr.cond_expr, Context::default());
                        self.template(&d.if_expr.template, None);
                        if let Some(e) = &d.else_expr {
                            self.template(&e.template, None);
                        }
                    }
                    Directive::For(d) => {
                        self.expr(&d.for_expr.collection_expr, Context::default());
                        let n = self.bound.len();
                        if let Some(k) = &d.for_expr.key_var {
                            self.bound.push(k.as_str().to_string());
                        }
                        self.bound.push(d.for_expr.value_var.as_str().to_string());
                        self.template(&d.for_expr.template, None);
                        self.bound.truncate(n);
                    }
                },
            }
        }
    }

    /// Records the reference a traversal makes, if it names something of
    /// the stack; whether it did.
    fn traversal(
        &mut self,
        whole_expr: &Expression,
        t: &hcl_edit::expr::Traversal,
        cx: Context,
    ) -> bool {
        let Expression::Variable(root) = &t.expr else {
            return false;
        };
        let root = root.as_str();
        if self.bound.iter().any(|b| b == root) {
            return false;
        }
        let attr = |i: usize| match t.operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let (local, used, kind_word) = match root {
            "var" => match attr(0) {
                Some(v) => (format!("var.{v}"), 1, "variable"),
                None => return false,
            },
            "local" => match attr(0) {
                Some(l) => (format!("local.{l}"), 1, "local value"),
                None => return false,
            },
            "module" => match attr(0) {
                Some(m) => (format!("module.{m}"), 1, "module"),
                None => return false,
            },
            "data" => match (attr(0), attr(1)) {
                (Some(ty), Some(n)) => (format!("data.{ty}.{n}"), 2, "data source"),
                _ => return false,
            },
            "count" | "each" | "self" | "path" | "terraform" => return false,
            ty => match attr(0) {
                Some(n) => (format!("{ty}.{n}"), 1, ""),
                None => return false,
            },
        };
        let span = span_of(whole_expr.span(), self.text.len());
        let rest_start = t
            .operators
            .get(used - 1)
            .and_then(|o| o.span())
            .map_or(span.end, |r| r.end);
        let rest = self.text.get(rest_start..span.end).unwrap_or("");
        let attribute = t.operators[used..].iter().find_map(|o| match o.value() {
            TraversalOperator::GetAttr(a) => Some(SmolStr::from(a.as_str())),
            _ => None,
        });
        let interpolation = cx.interpolation.filter(|i| {
            // The `${...}` holds this traversal alone.
            self.text.get(i.start..i.end).is_some_and(|s| {
                s.trim_start_matches("${")
                    .trim_start_matches('~')
                    .trim_end_matches('}')
                    .trim_end_matches('~')
                    .trim()
                    == &self.text[span.start..span.end]
            })
        });
        self.out.push(Raw::Ref {
            from: self.from,
            target: local,
            root: root.into(),
            kind_word,
            expr: ExprRef {
                rest: rest.into(),
                attribute,
                interpolation,
                template: cx.template,
                whole: cx.whole,
                depends_on: cx.depends_on,
                escaped: false,
            },
            value: self.text.get(span.start..span.end).unwrap_or("").into(),
            span,
            path: self.path.clone(),
        });
        true
    }

    /// A module call's arguments (each sets a variable of the folder it
    /// calls) and its name label (where its outputs are exposed).
    fn module_links(&mut self, block: &hcl_edit::structure::Block, call: usize) {
        let name = block.labels.first().map_or("", |l| l.as_str());
        let mut args = Vec::new();
        for s in block.body.iter() {
            let Structure::Attribute(a) = s else { continue };
            let arg = a.key.as_str();
            if !META_ARGUMENTS.contains(&arg) {
                args.push((
                    arg.to_string(),
                    span_of(a.span(), self.text.len()),
                    span_of(a.key.span(), self.text.len()),
                ));
            }
        }
        let label = block.labels.first().and_then(|l| l.span());
        self.out.push(Raw::Call {
            from: call,
            name: name.into(),
            args,
            label: span_of(label, self.text.len()),
        });
    }

    fn json_module_links(&mut self, p: &Parsed, item: &Item, call: usize) {
        let root = &p.file.docs[item.doc].root;
        let args = root
            .entries()
            .iter()
            .filter_map(|(k, v)| {
                let arg = k.as_str()?;
                (!META_ARGUMENTS.contains(&arg)).then(|| {
                    (
                        arg.to_string(),
                        Span::new(k.span().start, v.span().end),
                        k.span(),
                    )
                })
            })
            .collect();
        self.out.push(Raw::Call {
            from: call,
            name: item.name.clone(),
            args,
            label: root.span(),
        });
    }

    /// The references in a `.tf.json` value: its strings are templates.
    fn json_node(&mut self, node: &Node) {
        match &node.value {
            Value::Map { entries, .. } => {
                for (k, v) in entries {
                    let len = self.push_path(k.as_str().unwrap_or("*"));
                    self.json_node(v);
                    self.path.truncate(len);
                }
            }
            Value::Seq { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    let len = self.path.len();
                    self.path.push_str(&format!("[{i}]"));
                    self.json_node(item);
                    self.path.truncate(len);
                }
            }
            Value::Scalar {
                text: quoted,
                style: Style::Quoted,
                ..
            } if quoted.contains("${") => {
                // Offsets inside the string are the template's, through
                // its escapes, plus the opening quote.
                let Some((_, at)) = self
                    .text
                    .get(node.span().start + 1..node.span().end.saturating_sub(1))
                    .and_then(crate::stack::edit::unescape_json)
                    .filter(|(text, _)| *text == *quoted)
                else {
                    return;
                };
                let escaped = at.iter().enumerate().any(|(i, &a)| a != i);
                let Ok(template) = hcl_edit::parser::parse_template(quoted) else {
                    return;
                };
                let mut inner = Walker {
                    text: quoted,
                    out: Vec::new(),
                    from: self.from,
                    bound: self.bound.clone(),
                    path: self.path.clone(),
                };
                inner.template(&template, None);
                let whole = quoted.starts_with("${") && quoted.ends_with('}');
                let base = node.span().start + 1;
                let shift = |sp: Span| {
                    let at = |i: usize| base + at.get(i).copied().unwrap_or(sp.end);
                    Span::new(at(sp.start), at(sp.end))
                };
                for mut r in inner.out {
                    if let Raw::Ref { expr, span, .. } = &mut r {
                        *span = shift(*span);
                        expr.whole = whole
                            && expr
                                .interpolation
                                .is_some_and(|i| i.end - i.start == quoted.len());
                        expr.interpolation = expr.interpolation.map(shift);
                        // A string inside the expression (a `jsonencode`
                        // argument's) is the template; else the whole.
                        expr.template = Some(expr.template.map_or(node.span(), shift));
                        expr.escaped = escaped;
                    }
                    self.out.push(r);
                }
            }
            Value::Scalar { .. } => {}
        }
    }
}

/// The arguments of a module call that are not the module's variables.
const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Each module folder's resources by their address within the module.
type Symbols = FxHashMap<String, FxHashMap<String, ResourceId>>;

/// The values of the attribute `path` (dotted) on resource `id`, as
/// predicates see them: literals as written; a variable's value from the
/// module call that sets it, the auto-loaded `.tfvars` (root module) or its
/// default; a local's value; both branches of a conditional. Anything else
/// is present but unknown ([`AttrValue::Collection`]); `null` is absent.
pub fn attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    let r = stack.resource(id);
    let node = stack.files[r.file].node(r);
    // A module call's arguments are `inputs.NAME`; its outputs are known
    // only once applied.
    let path = match (r.kind.as_str(), path.split_once('.')) {
        ("module", Some(("inputs", rest))) => rest,
        ("module", Some(("outputs", _))) => return vec![AttrValue::Collection],
        _ => path,
    };
    let keys: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    let mut found = Vec::new();
    at_path(node, &keys, &mut found);
    for n in found {
        node_values(stack, id, n, 0, &mut out);
    }
    out
}

fn at_path<'n>(node: &'n Node, keys: &[&str], out: &mut Vec<&'n Node>) {
    match (keys.split_first(), &node.value) {
        (None, _) => out.push(node),
        (Some(_), Value::Seq { items, .. }) => {
            for item in items {
                at_path(item, keys, out);
            }
        }
        (Some((key, rest)), Value::Map { .. }) => {
            if let Some(v) = node.get(key) {
                at_path(v, rest, out);
            }
        }
        (Some(_), Value::Scalar { .. }) => {}
    }
}

/// How deep a value is followed through variables and locals.
const MAX_FLOW: usize = 16;

/// The values a node of `owner`'s block may have.
fn node_values(
    stack: &Stack,
    owner: ResourceId,
    node: &Node,
    depth: usize,
    out: &mut Vec<AttrValue>,
) {
    match &node.value {
        Value::Scalar {
            text,
            style: Style::Expr,
            ..
        } => match hcl_edit::parser::parse_expr(text) {
            Ok(expr) if depth < MAX_FLOW => {
                expr_values(stack, owner, node.span().start, text, &expr, depth, out);
            }
            _ => out.push(AttrValue::Collection),
        },
        Value::Scalar {
            kind: ScalarKind::Null,
            ..
        } => {}
        Value::Scalar { text, kind, .. } => out.push(AttrValue::Scalar(text.clone(), *kind)),
        _ => out.push(AttrValue::Collection),
    }
}

fn expr_values(
    stack: &Stack,
    owner: ResourceId,
    base: usize,
    text: &str,
    expr: &Expression,
    depth: usize,
    out: &mut Vec<AttrValue>,
) {
    match expr {
        Expression::Null(_) => {}
        Expression::Bool(b) => out.push(AttrValue::Scalar(
            if *b.value() { "true" } else { "false" }.into(),
            ScalarKind::Bool(*b.value()),
        )),
        Expression::Number(n) => out.push(AttrValue::Scalar(
            n.value().to_string().into(),
            if n.value().is_f64() {
                ScalarKind::Float
            } else {
                ScalarKind::Int
            },
        )),
        Expression::String(s) => out.push(AttrValue::Scalar(
            s.value().as_str().into(),
            ScalarKind::Str,
        )),
        Expression::Parenthesis(p) => expr_values(stack, owner, base, text, p.inner(), depth, out),
        Expression::Conditional(c) => {
            expr_values(stack, owner, base, text, &c.true_expr, depth, out);
            expr_values(stack, owner, base, text, &c.false_expr, depth, out);
        }
        Expression::Traversal(t) if t.operators.len() == 1 => {
            let span = span_of(expr.span(), text.len());
            let span = Span::new(span.start + base, span.end + base);
            // The variable or local this traversal names: the reference
            // the reader found at this place.
            let target = stack
                .references_from(owner)
                .find(|r| r.site.span == span && matches!(r.kind, RefKind::Expr(_)))
                .map(|r| r.to);
            let Some(target) = target else {
                out.push(AttrValue::Collection);
                return;
            };
            let t = stack.resource(target);
            match t.kind.as_str() {
                "local" => node_values(stack, target, stack.files[t.file].node(t), depth + 1, out),
                "variable" => variable_values(stack, target, depth + 1, out),
                _ => out.push(AttrValue::Collection),
            }
        }
        _ => out.push(AttrValue::Collection),
    }
}

/// The values a variable may have: what each call of its module gives it,
/// or the auto-loaded `.tfvars` of the root module, or its default.
fn variable_values(stack: &Stack, var: ResourceId, depth: usize, out: &mut Vec<AttrValue>) {
    let v = stack.resource(var);
    let mut given = false;
    for r in stack.references_to(var) {
        if r.kind != RefKind::ModuleInput {
            continue;
        }
        let call = stack.resource(r.from);
        if let Some(arg) = stack.files[call.file].node(call).get(&r.site.path) {
            given = true;
            node_values(stack, r.from, arg, depth, out);
        }
    }
    if given {
        return;
    }
    if v.namespace.is_empty() {
        // Terraform reads `terraform.tfvars` (then its JSON form), then the
        // `*.auto.tfvars` files in name order: the last to set it wins.
        let set = stack
            .files
            .iter()
            .filter(|f| folder_of(&f.path).is_empty() && is_auto_vars(&f.path))
            .filter_map(|f| {
                Some((
                    f.path.contains(".auto."),
                    &f.path,
                    f.docs.first()?.root.get(&v.name)?,
                ))
            })
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
            .map(|(_, _, value)| value);
        if let Some(value) = set {
            // A value from a `.tfvars` file is a literal.
            node_values(stack, var, value, MAX_FLOW, out);
            return;
        }
    }
    if let Some(default) = stack.files[v.file].node(v).get("default") {
        node_values(stack, var, default, depth, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(files: &[(&str, &str)]) -> Stack {
        match read(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        ) {
            Ok(s) => s,
            Err(e) => panic!("read failed: {e:#?}"),
        }
    }

    fn errors(files: &[(&str, &str)]) -> Vec<String> {
        match read(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        ) {
            Ok(_) => panic!("read succeeded"),
            Err(e) => e
                .iter()
                .map(|e| {
                    let text = files.iter().find(|f| f.0 == e.path).map_or("", |f| f.1);
                    format!(
                        "{}: `{}`: {}",
                        e.path,
                        text.get(e.span.start..e.span.end).unwrap_or("?"),
                        e.message
                    )
                })
                .collect(),
        }
    }

    /// Every reference as `from -> to kind (path) [text]`.
    fn references(s: &Stack) -> Vec<String> {
        s.references()
            .map(|r| {
                let text = &s.files[r.site.file].text;
                let how = match &r.kind {
                    RefKind::Expr(e) => format!(
                        "expr{}{}{}{}",
                        if e.rest.is_empty() {
                            String::new()
                        } else {
                            format!(" rest={}", e.rest)
                        },
                        e.interpolation
                            .map_or(String::new(), |i| format!(" in={}", &text[i.start..i.end])),
                        if e.whole { " whole" } else { "" },
                        if e.depends_on { " depends_on" } else { "" },
                    ),
                    RefKind::ModuleInput => "input".into(),
                    RefKind::ModuleOutput => "output".into(),
                    other => format!("{other:?}"),
                };
                format!(
                    "{} -> {} {how} ({}) [{}]",
                    s.resource(r.from).address,
                    s.resource(r.to).address,
                    r.site.path,
                    &text[r.site.span.start..r.site.span.end]
                )
            })
            .collect()
    }

    const ROOT: &str = r#"# The cache.
# Two lines of comment.
resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "shop"
  engine               = var.engine
  subnet_group_name    = aws_elasticache_subnet_group.redis.name
}

resource "aws_elasticache_subnet_group" "redis" {
  name       = "shop"
  subnet_ids = data.aws_subnets.private.ids
}

data "aws_subnets" "private" {}

variable "engine" {
  default = "redis"
}

locals {
  host = aws_elasticache_replication_group.redis.primary_endpoint_address
  url  = "rediss://${local.host}:${aws_elasticache_replication_group.redis.port}/0"
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name = "app"
    environment = [
      { name = "REDIS_URL", value = local.url },
      { name = "REDIS_HOST", value = try(aws_elasticache_replication_group.redis.primary_endpoint_address, "") },
    ]
  }])
  depends_on = [aws_elasticache_replication_group.redis]
}

module "worker" {
  source     = "./modules/worker"
  count      = 1
  redis_host = local.host
}

output "worker_url" {
  value = module.worker[0].redis_url
}
"#;

    const WORKER: &str = r#"variable "redis_host" {
  type = string
}

locals {
  names = [for n in ["a", "b"] : n.upper]
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  environment {
    variables = {
      REDIS_HOST = var.redis_host
      REDIS_ALL  = join(",", aws_lambda_function.worker[*].arn)
    }
  }
  dynamic "tag" {
    for_each = local.names
    content {
      key = tag.value
    }
  }
}

output "redis_url" {
  value = <<-EOT
    redis://${var.redis_host}:6379
  EOT
}
"#;

    #[test]
    fn resources_are_addressed_by_module() {
        let s = stack(&[("main.tf", ROOT), ("modules/worker/main.tf", WORKER)]);
        let addresses: Vec<&str> = s.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "aws_elasticache_replication_group.redis",
                "aws_elasticache_subnet_group.redis",
                "data.aws_subnets.private",
                "var.engine",
                "local.host",
                "local.url",
                "aws_ecs_task_definition.app",
                "module.worker",
                "output.worker_url",
                "module.worker.var.redis_host",
                "module.worker.local.names",
                "module.worker.aws_lambda_function.worker",
                "module.worker.output.redis_url",
            ]
        );
        let redis = &s.resources[0];
        assert_eq!(redis.kind, "aws_elasticache_replication_group");
        assert_eq!(redis.name, "redis");
        assert_eq!(redis.namespace, "");
        assert_eq!(s.resources[9].namespace, "modules/worker");
        // A block owns its comment lines and its last line's end.
        let file = &s.files[0];
        let owned = file.docs[redis.doc].range;
        assert!(file.text[owned.start..owned.end].starts_with("# The cache.\n"));
        assert!(file.text[owned.start..owned.end].ends_with("}\n"));
        // Attributes: literals typed, expressions kept as text.
        let node = file.node(redis);
        assert_eq!(node.str_at("replication_group_id"), Some("shop"));
        let engine = node.get("engine").and_then(Node::scalar);
        assert_eq!(
            engine.map(|e| (e.text.as_str(), e.style)),
            Some(("var.engine", Style::Expr))
        );
        // A local's node is its value.
        let host = &s.resources[4];
        assert_eq!(
            s.files[host.file].node(host).as_str(),
            Some("aws_elasticache_replication_group.redis.primary_endpoint_address")
        );
    }

    /// Found by a review: a file saved with a byte order mark was refused.
    #[test]
    fn a_file_with_a_byte_order_mark_reads_with_the_files_offsets() {
        let text = format!("\u{feff}{ROOT}");
        let s = stack(&[
            ("main.tf", text.as_str()),
            ("modules/worker/main.tf", WORKER),
        ]);
        let redis = &s.resources[0];
        assert_eq!(redis.address, "aws_elasticache_replication_group.redis");
        let file = &s.files[0];
        let at = file.node(redis).get("replication_group_id").unwrap().span();
        assert_eq!(&file.text[at.start..at.end], "\"shop\"");
    }

    #[test]
    fn every_reference_shape() {
        let s = stack(&[("main.tf", ROOT), ("modules/worker/main.tf", WORKER)]);
        insta::assert_snapshot!(references(&s).join("\n"), @r#"
        aws_elasticache_replication_group.redis -> var.engine expr whole (engine) [var.engine]
        aws_elasticache_replication_group.redis -> aws_elasticache_subnet_group.redis expr rest=.name whole (subnet_group_name) [aws_elasticache_subnet_group.redis.name]
        aws_elasticache_subnet_group.redis -> data.aws_subnets.private expr rest=.ids whole (subnet_ids) [data.aws_subnets.private.ids]
        local.host -> aws_elasticache_replication_group.redis expr rest=.primary_endpoint_address whole (host) [aws_elasticache_replication_group.redis.primary_endpoint_address]
        local.url -> local.host expr in=${local.host} (url) [local.host]
        local.url -> aws_elasticache_replication_group.redis expr rest=.port in=${aws_elasticache_replication_group.redis.port} (url) [aws_elasticache_replication_group.redis.port]
        aws_ecs_task_definition.app -> local.url expr whole (container_definitions[0].environment[0].value) [local.url]
        aws_ecs_task_definition.app -> aws_elasticache_replication_group.redis expr rest=.primary_endpoint_address (container_definitions[0].environment[1].value) [aws_elasticache_replication_group.redis.primary_endpoint_address]
        aws_ecs_task_definition.app -> aws_elasticache_replication_group.redis expr whole depends_on (depends_on[0]) [aws_elasticache_replication_group.redis]
        module.worker -> local.host expr whole (redis_host) [local.host]
        module.worker -> module.worker.var.redis_host input (redis_host) [redis_host = local.host]
        module.worker -> module.worker.output.redis_url output (redis_url) ["worker"]
        output.worker_url -> module.worker expr rest=[0].redis_url whole (value) [module.worker[0].redis_url]
        module.worker.aws_lambda_function.worker -> module.worker.var.redis_host expr whole (environment.variables.REDIS_HOST) [var.redis_host]
        module.worker.aws_lambda_function.worker -> module.worker.aws_lambda_function.worker expr rest=[*].arn (environment.variables.REDIS_ALL) [aws_lambda_function.worker[*].arn]
        module.worker.aws_lambda_function.worker -> module.worker.local.names expr whole (dynamic.tag.for_each) [local.names]
        module.worker.output.redis_url -> module.worker.var.redis_host expr in=${var.redis_host} (value) [var.redis_host]
        "#);
    }

    #[test]
    fn bad_configurations_are_located_errors() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[(
                    "main.tf",
                    "resource \"aws_x\" \"y\" {\n  a = var.nope\n}\nvariable \"note\" {}\n",
                )],
                "main.tf: `var.nope`: `var.nope` is not declared in this module",
            ),
            (
                &[("main.tf", "output \"o\" {\n  value = local.missing\n}\n")],
                "main.tf: `local.missing`: `local.missing` is not declared in this module",
            ),
            (
                &[("main.tf", "module \"m\" {\n  source = \"./modules/m\"\n}\n")],
                "main.tf: `\"./modules/m\"`: module `m` calls `./modules/m`, but the stack has no Terraform files in `modules/m`",
            ),
            (
                &[
                    ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
                    ("m/main.tf", "module \"back\" {\n  source = \"../\"\n}\n"),
                ],
                "m/main.tf: `\"../\"`: module `back` calls `../`, a folder that is already calling it: modules cannot call themselves",
            ),
            (
                &[
                    (
                        "main.tf",
                        "module \"m\" {\n  source = \"./m\"\n  colour = 1\n}\n",
                    ),
                    ("m/main.tf", "variable \"color\" {}\n"),
                ],
                "main.tf: `colour`: module `m` has no variable `colour`",
            ),
            (
                &[
                    (
                        "main.tf",
                        "module \"m\" {\n  source = \"./m\"\n}\noutput \"x\" {\n  value = module.m.nope\n}\n",
                    ),
                    ("m/main.tf", "output \"yes\" {\n  value = 1\n}\n"),
                ],
                "main.tf: `module.m.nope`: module `m` has no output `nope`",
            ),
            (
                &[("main.tf", "resource \"aws_x\" {\n}\n")],
                "main.tf: `resource`: a `resource` block has 2 labels, this one has 1",
            ),
            (
                &[("main.tf", "region = \"eu-west-1\"\n")],
                "main.tf: `region = \"eu-west-1\"`: an argument (`region`) at the top level of a configuration file",
            ),
            (
                &[("main.tf.json", "{\"resource\": [}")],
                "main.tf.json: ``: invalid JSON: while parsing a node, did not find expected node content",
            ),
            (
                &[("main.tf.json", "[1, 2]")],
                "main.tf.json: `[1, 2]`: this is not a JSON object",
            ),
            (
                &[("main.tf", "resourse \"aws_x\" \"y\" {}\n")],
                "main.tf: `resourse`: `resourse` is not a Terraform block type",
            ),
            (
                &[(
                    "main.tf",
                    "locals {\n  a = local.b\n  b = \"x-${local.c}\"\n  c = local.a\n}\n",
                )],
                "main.tf: `local.a`: `local.a` depends on itself through `local.c`",
            ),
        ];
        for (files, want) in cases {
            let got = errors(files);
            assert_eq!(got.first().map(String::as_str), Some(*want), "{got:#?}");
        }
        // A syntax error, at its place.
        let got = errors(&[("main.tf", "resource \"a\" \"b\" {\n  x = = 1\n}\n")]);
        assert!(got[0].starts_with("main.tf: `"), "{got:?}");
        assert!(got[0].contains("invalid HCL"), "{got:?}");
        // A did-you-mean for a near miss.
        let files = [(
            "main.tf",
            "variable \"engine\" {}\noutput \"o\" {\n  value = var.engnie\n}\n",
        )];
        let e = read(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        )
        .unwrap_err();
        assert_eq!(e[0].help.as_deref(), Some("did you mean `var.engine`?"));
    }

    #[test]
    fn remote_modules_and_other_files_are_kept_apart() {
        let files = vec![
            ("main.tf".to_string(), "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"~> 5.0\"\n}\noutput \"id\" {\n  value = module.vpc.vpc_id\n}\n".to_string()),
            ("README.md".to_string(), "# not configuration\n".to_string()),
            ("unused/main.tf".to_string(), "resource \"aws_x\" \"y\" {}\n".to_string()),
        ];
        let s = read(files).unwrap();
        let remote = remote_modules(&s);
        assert_eq!(remote.len(), 1);
        assert_eq!(s.resource(remote[0].0).address, "module.vpc");
        assert_eq!(remote[0].1, "terraform-aws-modules/vpc/aws");
        // The README is a file of the stack with no documents; the folder
        // that nothing calls is read for syntax but holds no resources.
        let paths: Vec<&str> = s.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["README.md", "main.tf", "unused/main.tf"]);
        let addresses: Vec<&str> = s.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, ["module.vpc", "output.id"]);
        assert_eq!(
            references(&s),
            ["output.id -> module.vpc expr rest=.vpc_id whole (value) [module.vpc.vpc_id]"]
        );
    }

    #[test]
    fn json_configurations_and_variables_files() {
        let json = r#"{
  "resource": {
    "aws_elasticache_replication_group": {
      "redis": { "engine": "${var.engine}", "port": 6379 }
    },
    "aws_lambda_function": {
      "app": { "environment": { "variables": { "REDIS_URL": "redis://${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379" } } }
    }
  },
  "variable": { "engine": { "default": "redis" } },
  "locals": { "a": "${var.engine}" }
}"#;
        let s = stack(&[
            ("main.tf.json", json),
            ("terraform.tfvars", "engine = \"valkey\"\n"),
        ]);
        let addresses: Vec<&str> = s.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "aws_elasticache_replication_group.redis",
                "aws_lambda_function.app",
                "var.engine",
                "local.a"
            ]
        );
        insta::assert_snapshot!(references(&s).join("\n"), @r#"
        aws_elasticache_replication_group.redis -> var.engine expr in=${var.engine} whole (engine) [var.engine]
        aws_lambda_function.app -> aws_elasticache_replication_group.redis expr rest=.primary_endpoint_address in=${aws_elasticache_replication_group.redis.primary_endpoint_address} (environment.variables.REDIS_URL) [aws_elasticache_replication_group.redis.primary_endpoint_address]
        local.a -> var.engine expr in=${var.engine} whole (a) [var.engine]
        "#);
        // The variables file is a document of values.
        let vars = &s.files[1];
        assert_eq!(vars.docs[0].root.str_at("engine"), Some("valkey"));
        assert!(is_auto_vars("terraform.tfvars") && is_auto_vars("x.auto.tfvars.json"));
        assert!(!is_auto_vars("prod.tfvars"));
    }

    #[test]
    fn module_sources_join_folders() {
        assert_eq!(join("", "./modules/x"), "modules/x");
        assert_eq!(join("examples/a", "../../"), "");
        assert_eq!(join("examples/a", "../../modules/x"), "modules/x");
        assert_eq!(join("", "../shared"), "../shared");
        assert_eq!(join("a", "./b/../c"), "a/c");
        assert!(
            is_local_source("./x") && is_local_source("../x") && !is_local_source("git::https://x")
        );
    }
}
