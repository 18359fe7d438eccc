//! The Docker Compose adapter: Compose files (`compose.yaml`,
//! `docker-compose.yml`, their overrides) read into resources (each service,
//! and each top-level volume, network, secret and config) and the references
//! between them: service names used as hosts in `environment` (map and list
//! forms) and on command lines, the ports that go with them, `depends_on`
//! (short and long forms), `links`, the networks, named volumes, secrets and
//! configs a service uses, `volumes_from`, `network_mode: service:NAME` and
//! `extends`.
//!
//! A service defined in more than one file (a base file and its override)
//! is one service: its entry in the base file is the one others refer to,
//! and each other entry attaches to it ([`RefKind::Attaches`]), so that it
//! goes when the base entry does.
//!
//! Files of a Compose stack that are not Compose files (build contexts,
//! configuration, `.env`) are kept as they are, with nothing read from them.

use super::kubernetes::{self, AttrValue, collect, is_port_var, port_partner, scan_network};
use super::yaml::{self, Node, ScalarKind};
use super::{
    NetForm, NetRef, ReadError, RefKind, Reference, Resource, ResourceId, Site, Stack, StackFile,
};
use crate::catalogue::Format;
use crate::source::Span;
use rustc_hash::FxHashMap;
use smol_str::{SmolStr, format_smolstr};
use std::sync::Arc;

/// The top-level sections that hold resources, with their resource type.
pub const SECTIONS: [(&str, &str); 5] = [
    ("services", "service"),
    ("volumes", "volume"),
    ("networks", "network"),
    ("secrets", "secret"),
    ("configs", "config"),
];

/// The file names Compose looks for in a project folder, in its order.
const BASE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Whether a file name (the last part of a path) is a Compose file: one of
/// the names Compose looks for, or an override or variant of one
/// (`compose.override.yaml`, `docker-compose.prod.yml`).
pub fn is_compose_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("compose.")
        || stem.starts_with("docker-compose.")
}

/// Where a YAML file that is not a Compose file shows itself a Kubernetes
/// manifest (a line that starts with `apiVersion:`, with one that starts
/// with `kind:`), if it does.
pub fn manifest_at(path: &str, text: &str) -> Option<usize> {
    if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
        return None;
    }
    let line_start = |key: &str| {
        text.match_indices(key)
            .map(|(i, _)| i)
            .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
    };
    let at = line_start("apiVersion:")?;
    line_start("kind:").map(|_| at)
}

/// Whether files with these paths are a Compose project: one of them is a
/// Compose file.
pub fn is_stack<'a>(mut paths: impl Iterator<Item = &'a str>) -> bool {
    paths.any(is_compose_file)
}

/// Whether a Compose file is a base file (Compose reads it first) rather
/// than an override or variant.
fn is_base(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    BASE_NAMES.contains(&name)
}

/// A Compose entry's place, as [`Resource::item`] holds it: its section's
/// index among the file's top-level keys, and its index in the section.
pub fn pack(section: usize, entry: usize) -> usize {
    (section << 32) | entry
}

/// The section and entry a [`pack`]ed place names.
pub fn unpack(item: usize) -> (usize, usize) {
    (item >> 32, item & 0xffff_ffff)
}

/// Reads a Compose project (path, text) into a stack, files in path order.
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
    // Each file parsed and its entries listed, on every core.
    type Parsed = Result<(StackFile, Vec<Resource>, Vec<ReadError>), ReadError>;
    let parsed: Vec<Parsed> = sorted
        .into_par_iter()
        .enumerate()
        .map(|(fi, (path, text))| {
            let file = parse_file(path.clone(), text.clone());
            tick();
            let file = file?;
            let (mut found, mut errors) = (Vec::new(), Vec::new());
            entries(&file, fi, &mut found, &mut errors);
            Ok((file, found, errors))
        })
        .collect();
    let mut errors = Vec::new();
    let mut stack_files = Vec::with_capacity(parsed.len());
    let mut resources = Vec::with_capacity(
        parsed
            .iter()
            .map(|p| p.as_ref().map_or(0, |(_, found, _)| found.len()))
            .sum(),
    );
    for p in parsed {
        match p {
            Ok((f, mut found, mut wrong)) => {
                stack_files.push(f);
                resources.append(&mut found);
                errors.append(&mut wrong);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let names = Names::new(&stack_files, &mut resources);
    // Each file's resources are a run of the list (they are in file order).
    let mut firsts = vec![resources.len(); stack_files.len() + 1];
    for (i, r) in resources.iter().enumerate().rev() {
        firsts[r.file] = i;
    }
    for fi in (0..stack_files.len()).rev() {
        firsts[fi] = firsts[fi].min(firsts[fi + 1]);
    }
    // Each file's references, and the names its services use that nothing
    // defines, on every core.
    let per_file: Vec<(Arc<Vec<Reference>>, Vec<ReadError>)> = (0..stack_files.len())
        .into_par_iter()
        .map(|fi| {
            let (mut out, mut errors) = (Vec::new(), Vec::new());
            let file = &stack_files[fi];
            let run = &resources[firsts[fi]..firsts[fi + 1]];
            for (k, r) in run.iter().enumerate() {
                if r.kind == "service" {
                    undefined(file, file.node(r), &r.name, &names, &mut errors);
                }
                let id = ResourceId((firsts[fi] + k) as u32);
                references(file, r, id, &names, &mut out);
            }
            (Arc::new(out), errors)
        })
        .collect();
    let per_file: Vec<Arc<Vec<Reference>>> = per_file
        .into_iter()
        .map(|(refs, mut wrong)| {
            errors.append(&mut wrong);
            refs
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut stack = Stack {
        files: stack_files.into_iter().map(Arc::new).collect(),
        resources,
        ..Stack::default()
    };
    stack.set_references(per_file);
    Ok(stack)
}

/// Parses one file: a Compose file as YAML, with its shape checked; any
/// other file is kept as text.
fn parse_file(path: String, text: String) -> Result<StackFile, ReadError> {
    let mut file = StackFile {
        path,
        text,
        format: Format::Compose,
        docs: Vec::new(),
        expressions: Vec::new(),
    };
    if !is_compose_file(&file.path) {
        if let Some(at) = manifest_at(&file.path, &file.text) {
            return Err(ReadError {
                path: file.path.clone(),
                span: Span::at(at),
                message: "this Compose project also holds Kubernetes manifests; graft applies one stack format at a time".into(),
                help: Some("give the Compose files and the manifests as two stacks (the manifests' folder, or their files)".into()),
            });
        }
        return Ok(file);
    }
    let error = |span: Span, message: String, help: &str| ReadError {
        path: file.path.clone(),
        span,
        message,
        help: Some(help.into()),
    };
    let docs = yaml::parse(&file.text).map_err(|e| {
        error(
            Span::at(e.offset),
            format!("invalid YAML: {}", e.message),
            "fix the syntax; `docker compose config` shows it too",
        )
    })?;
    let real: Vec<&yaml::Document> = docs.iter().filter(|d| !d.root.is_null()).collect();
    if real.len() > 1 {
        return Err(error(
            real[1].root.span(),
            "a Compose file holds one YAML document".into(),
            "put the second document in a file of its own (an override such as `compose.override.yaml`)",
        ));
    }
    if let Some(doc) = real.first() {
        let root = &doc.root;
        if !root.is_map() {
            return Err(error(
                root.span(),
                "a Compose file is a mapping of top-level keys (`services`, `volumes`, ...)".into(),
                "start the file with `services:`",
            ));
        }
        // Version 1 files put the services at the top level.
        if root.get("services").is_none()
            && let Some((k, _)) = root
                .entries()
                .iter()
                .find(|(_, v)| v.get("image").is_some() || v.get("build").is_some())
        {
            return Err(error(
                k.span(),
                "this is a version 1 Compose file (services at the top level), which graft does not read".into(),
                "put the services under a top-level `services:` key (the format Compose has read since 2016)",
            ));
        }
        for (k, v) in root.entries() {
            let Some(key) = k.as_str() else { continue };
            if SECTIONS.iter().any(|(s, _)| *s == key) && !v.is_null() && !v.is_map() {
                return Err(error(
                    v.span(),
                    format!("`{key}` is a mapping of names to their settings"),
                    "write each entry as `name:` followed by its settings, indented below it",
                ));
            }
            let section = SECTIONS.iter().any(|(s, _)| *s == key);
            if let Some(merge) = v
                .entries()
                .iter()
                .filter(|_| section)
                .find_map(|(_, entry)| merge_key(entry))
            {
                return Err(error(
                    merge.span(),
                    "graft does not read YAML merge keys (`<<`) in a Compose file: the settings they bring in would be hidden from the rewrite".into(),
                    "write the settings out where they are used; `docker compose config` prints the file with every merge made",
                ));
            }
            if key == "services" {
                for (name, service) in v.entries() {
                    if !service.is_map() {
                        return Err(error(
                            service.span(),
                            format!(
                                "the service `{}` is not a mapping of its settings",
                                name.as_str().unwrap_or("?")
                            ),
                            "give the service its settings, such as `image: redis:7`",
                        ));
                    }
                }
            }
        }
    }
    file.docs = docs.into_iter().filter(|d| !d.root.is_null()).collect();
    Ok(file)
}

/// The first merge key (`<<`) at or below `node`.
fn merge_key(node: &Node) -> Option<&Node> {
    for (k, v) in node.entries() {
        if k.as_str() == Some("<<") {
            return Some(k);
        }
        if let Some(found) = merge_key(v) {
            return Some(found);
        }
    }
    node.items().iter().find_map(merge_key)
}

/// The resources of one file: each entry of each section.
fn entries(file: &StackFile, fi: usize, out: &mut Vec<Resource>, errors: &mut Vec<ReadError>) {
    let Some(doc) = file.docs.first() else {
        return;
    };
    for (si, (k, section)) in doc.root.entries().iter().enumerate() {
        let Some(kind) = k
            .as_str()
            .and_then(|k| SECTIONS.iter().find(|(s, _)| *s == k))
            .map(|(_, t)| *t)
        else {
            continue;
        };
        for (ei, (name, value)) in section.entries().iter().enumerate() {
            let Some(n) = name.as_str() else {
                errors.push(ReadError {
                    path: file.path.clone(),
                    span: name.span(),
                    message: format!("a {kind} name is a string"),
                    help: Some("name it with letters, digits, `-`, `_` or `.`".into()),
                });
                continue;
            };
            out.push(Resource {
                format: Format::Compose,
                kind: kind.into(),
                address: format_smolstr!("{kind}.{n}"),
                name: n.into(),
                namespace: SmolStr::default(),
                file: fi,
                doc: 0,
                item: Some(pack(si, ei)),
                span: Span::new(name.span().start, value.span().end.max(name.span().end)),
            });
        }
    }
}

/// What the services and top-level entries are called, across the files.
struct Names {
    /// Each host name a service answers to on the project's networks (its
    /// name, `container_name`, network aliases), folded to lower case.
    hosts: FxHashMap<SmolStr, ResourceId>,
    /// Each top-level entry (its primary one), by its section's place in
    /// [`SECTIONS`] and its name.
    entries: FxHashMap<(u8, SmolStr), ResourceId>,
    /// The container ports each service exposes (`expose`, `ports`).
    ports: FxHashMap<ResourceId, Vec<SmolStr>>,
}

/// A resource type's place in [`SECTIONS`].
fn kind_code(kind: &str) -> u8 {
    SECTIONS.iter().position(|(_, t)| *t == kind).unwrap_or(0) as u8
}

impl Names {
    /// The names, and each entry defined again in another file renamed
    /// (`service.redis@compose.override.yaml`) so that addresses stay apart.
    fn new(files: &[StackFile], resources: &mut [Resource]) -> Names {
        // The primary entry of each name: the one in a base file, then the
        // first by path (files are in path order).
        let rank = |r: &Resource| (!is_base(&files[r.file].path), r.file);
        let mut primary: FxHashMap<(u8, SmolStr), usize> =
            FxHashMap::with_capacity_and_hasher(resources.len(), Default::default());
        for (i, r) in resources.iter().enumerate() {
            let key = (kind_code(&r.kind), r.name.clone());
            match primary.get(&key) {
                Some(&j) if rank(&resources[j]) <= rank(r) => {}
                _ => {
                    primary.insert(key, i);
                }
            }
        }
        let mut ids = Vec::with_capacity(resources.len());
        for (i, r) in resources.iter_mut().enumerate() {
            let p = primary
                .get(&(kind_code(&r.kind), r.name.clone()))
                .copied()
                .unwrap_or(i);
            if p != i {
                r.address = format_smolstr!("{}@{}", r.address, files[r.file].path);
            }
            ids.push(ResourceId(p as u32));
        }
        let mut names = Names {
            hosts: FxHashMap::with_capacity_and_hasher(resources.len(), Default::default()),
            entries: primary
                .into_iter()
                .map(|(k, i)| (k, ResourceId(i as u32)))
                .collect(),
            ports: FxHashMap::default(),
        };
        // Names and ports, from every entry of each service (the primary's
        // name first).
        for (r, &id) in resources.iter().zip(&ids) {
            if r.kind == "service" && id.index() < resources.len() {
                names.hosts.entry(lower(&r.name)).or_insert(id);
            }
        }
        // Each service entry's aliases and ports, found on every core.
        use rayon::prelude::*;
        let found: Vec<(Vec<SmolStr>, Vec<SmolStr>)> = resources
            .par_iter()
            .map(|r| {
                if r.kind != "service" {
                    return Default::default();
                }
                let node = files[r.file].node(r);
                (service_aliases(node), service_ports(node))
            })
            .collect();
        for ((aliases, ports), &id) in found.into_iter().zip(&ids) {
            for a in aliases {
                names.hosts.entry(a).or_insert(id);
            }
            if !ports.is_empty() {
                names.ports.entry(id).or_default().extend(ports);
            }
        }
        names
    }

    fn host(&self, name: &str) -> Option<ResourceId> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.hosts.get(lower(name).as_str()).copied()
        } else {
            self.hosts.get(name).copied()
        }
    }

    fn entry(&self, kind: &str, name: &str) -> Option<ResourceId> {
        self.entries
            .get(&(kind_code(kind), SmolStr::new(name)))
            .copied()
    }

    /// The names of the entries of a type, for a did-you-mean.
    fn of_kind(&self, kind: &str) -> Vec<&str> {
        let code = kind_code(kind);
        let mut out: Vec<&str> = self
            .entries
            .keys()
            .filter(|(k, _)| *k == code)
            .map(|(_, n)| n.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether `value` may be the port of `service`: one it exposes, or any
    /// port number when it says none.
    fn is_port(&self, service: ResourceId, value: &str) -> bool {
        match self.ports.get(&service).filter(|p| !p.is_empty()) {
            Some(ports) => ports.iter().any(|p| p == value),
            None => {
                !value.is_empty() && value.len() <= 5 && value.bytes().all(|b| b.is_ascii_digit())
            }
        }
    }
}

/// The other names a service answers to (`container_name`, network
/// aliases), folded to lower case.
fn service_aliases(node: &Node) -> Vec<SmolStr> {
    let mut aliases: Vec<SmolStr> = node
        .str_at("container_name")
        .map(lower)
        .into_iter()
        .collect();
    for (_, net) in node.get("networks").map(Node::entries).unwrap_or_default() {
        aliases.extend(
            net.items_at(&["aliases"])
                .iter()
                .filter_map(Node::as_str)
                .map(lower),
        );
    }
    aliases
}

/// The container ports a service exposes or publishes.
fn service_ports(node: &Node) -> Vec<SmolStr> {
    let mut ports: Vec<SmolStr> = Vec::new();
    for e in node.items_at(&["expose"]) {
        if let Some(p) = scalar_text(e) {
            ports.push(SmolStr::new(p.split('/').next().unwrap_or("")));
        }
    }
    for p in node.items_at(&["ports"]) {
        let target = match p.get("target") {
            Some(t) => scalar_text(t),
            None => scalar_text(p).map(|s| {
                let s = s.split('/').next().unwrap_or("");
                SmolStr::new(s.rsplit(':').next().unwrap_or(""))
            }),
        };
        if let Some(t) = target.filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())) {
            ports.push(t);
        }
    }
    ports
}

/// A name folded to lower case.
fn lower(name: &str) -> SmolStr {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        SmolStr::new(name.to_ascii_lowercase())
    } else {
        SmolStr::new(name)
    }
}

/// The names a service uses that nothing defines: services it starts after,
/// links to or shares with, and the networks, named volumes, secrets and
/// configs it uses (Compose refuses to start with any of them).
fn undefined(
    file: &StackFile,
    node: &Node,
    service: &str,
    names: &Names,
    errors: &mut Vec<ReadError>,
) {
    let mut wanted: Vec<(&str, &str, &Node)> = Vec::new();
    if let Some(d) = node.get("depends_on") {
        wanted.extend(
            d.items()
                .iter()
                .filter_map(|n| Some(("service", n.as_str()?, n))),
        );
        wanted.extend(
            d.entries()
                .iter()
                .filter_map(|(k, _)| Some(("service", k.as_str()?, k))),
        );
    }
    for n in node.items_at(&["links"]) {
        if let Some(l) = n.as_str() {
            wanted.push(("service", l.split(':').next().unwrap_or(l), n));
        }
    }
    for n in node.items_at(&["volumes_from"]) {
        if let Some(v) = n.as_str().filter(|v| !v.starts_with("container:")) {
            wanted.push(("service", v.split(':').next().unwrap_or(v), n));
        }
    }
    if let Some(n) = node.get("networks") {
        wanted.extend(
            n.items()
                .iter()
                .filter_map(|x| Some(("network", x.as_str()?, x))),
        );
        wanted.extend(
            n.entries()
                .iter()
                .filter_map(|(k, _)| Some(("network", k.as_str()?, k))),
        );
    }
    for v in node.items_at(&["volumes"]) {
        let source = match v.as_str() {
            Some(short) if short.contains(':') => short.split(':').next(),
            Some(_) => None,
            None if v.str_at("type") == Some("volume") => v.str_at("source"),
            None => None,
        };
        if let Some(src) = source
            .filter(|s| !s.is_empty() && !s.starts_with(['.', '/', '~', '$']) && !s.contains('/'))
        {
            wanted.push(("volume", src, v));
        }
    }
    for (kind, key) in [("secret", "secrets"), ("config", "configs")] {
        for v in node.items_at(&[key]) {
            if let Some(src) = v.as_str().or_else(|| v.str_at("source")) {
                wanted.push((kind, src, v));
            }
        }
    }
    for (kind, name, at) in wanted {
        if names.entry(kind, name).is_some() || (kind == "network" && name == "default") {
            continue;
        }
        let known = names.of_kind(kind);
        let section = match kind {
            "service" => "services",
            "network" => "networks",
            "volume" => "volumes",
            "secret" => "secrets",
            _ => "configs",
        };
        errors.push(ReadError {
            path: file.path.clone(),
            span: at.span(),
            message: format!("the service `{service}` uses the {kind} `{name}`, which no Compose file of the project defines"),
            help: Some(crate::diagnostics::suggest(name, known.iter().copied(), |_| {
                format!("define it under the top-level `{section}`, or give its Compose file with the others")
            })),
        });
    }
}

/// A scalar's text, numbers included.
fn scalar_text(node: &Node) -> Option<SmolStr> {
    node.scalar()
        .filter(|s| s.kind != ScalarKind::Null)
        .map(|s| s.text.clone())
}

/// The environment of a service, in either form: for each variable, its
/// name, the node that holds it, the offset of the value in that node's
/// text (after `NAME=` in the list form) and the path.
pub fn environment(node: &Node) -> Vec<EnvVar<'_>> {
    let mut out = Vec::new();
    let Some(env) = node.get("environment") else {
        return out;
    };
    if env.is_map() {
        for (k, v) in env.entries() {
            if let Some(name) = k.as_str() {
                out.push(EnvVar {
                    name: name.into(),
                    node: v,
                    offset: 0,
                    path: format!("environment.{name}"),
                    listed: None,
                });
            }
        }
    } else {
        for (i, item) in env.items().iter().enumerate() {
            let Some(text) = item.as_str() else { continue };
            let (name, offset) = match text.split_once('=') {
                Some((n, _)) => (n, n.len() + 1),
                None => (text, text.len()),
            };
            out.push(EnvVar {
                name: name.into(),
                node: item,
                offset,
                path: format!("environment[{i}]"),
                listed: Some(i),
            });
        }
    }
    out
}

/// One environment variable of a service.
pub struct EnvVar<'a> {
    /// Its name.
    pub name: SmolStr,
    /// The node that holds it: the value (map form) or the `NAME=value`
    /// item (list form).
    pub node: &'a Node,
    /// Where the value starts in that node's text.
    pub offset: usize,
    /// Its path below the service.
    pub path: String,
    /// In the list form, its index.
    pub listed: Option<usize>,
}

impl EnvVar<'_> {
    /// The value's text, if it has one.
    pub fn value(&self) -> Option<&str> {
        let s = self.node.scalar().filter(|s| s.kind != ScalarKind::Null)?;
        s.text
            .get(self.offset..)
            .filter(|_| self.listed.is_none() || s.text.contains('='))
    }
}

/// The references from one resource.
fn references(
    file: &StackFile,
    r: &Resource,
    id: ResourceId,
    names: &Names,
    out: &mut Vec<Reference>,
) {
    let node = file.node(r);
    let fi = r.file;
    let base = format!("{}s.{}", r.kind, r.name);
    let site = |node: &Node, path: String, env: Option<SmolStr>| Site {
        file: fi,
        span: node.span(),
        path: format!("{base}.{path}"),
        container: None,
        env,
        value: node.scalar().map(|s| s.text.clone()),
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
    // Another file's entry of this name attaches to the primary one.
    if let Some(primary) = names.entry(&r.kind, &r.name)
        && primary != id
    {
        push(primary, RefKind::Attaches, site(node, String::new(), None));
    }
    if r.kind != "service" {
        return;
    }
    // A link's alias (`links: [cache:redis]`) is a host name in this
    // service alone.
    let aliases: Vec<(String, ResourceId)> = node
        .items_at(&["links"])
        .iter()
        .filter_map(Node::as_str)
        .filter_map(|l| {
            let (name, alias) = l.split_once(':')?;
            Some((alias.to_ascii_lowercase(), names.entry("service", name)?))
        })
        .collect();
    let lookup = |host: &str, _: &str| {
        let folded = host.to_ascii_lowercase();
        aliases
            .iter()
            .find(|(a, _)| *a == folded)
            .map(|(_, id)| *id)
            .or_else(|| names.host(host))
    };
    // Hosts in the environment, then the ports that go with them.
    let env = environment(node);
    let mut hosts: Vec<(SmolStr, ResourceId)> = Vec::new();
    for v in &env {
        let Some(value) = v.value() else { continue };
        for (to, mut net) in scan_network(value, "", Some(&v.name), &lookup) {
            hosts.push((v.name.clone(), to));
            net.start += v.offset;
            net.end += v.offset;
            net.host = (net.host.0 + v.offset, net.host.1 + v.offset);
            push(
                to,
                RefKind::Network(net),
                site(v.node, v.path.clone(), Some(v.name.clone())),
            );
        }
    }
    for v in env.iter().filter(|_| !hosts.is_empty()) {
        let Some(value) = v.value() else { continue };
        // `${REDIS_PORT:-6379}`: the default is the port.
        let (ps, pe) =
            kubernetes::interpolation_default(value).map_or((0, value.len()), |(s, e, _)| (s, e));
        for (host_var, to) in &hosts {
            if let Some(prefix) = port_partner(host_var)
                && is_port_var(&v.name, prefix)
                && names.is_port(*to, &value[ps..pe])
            {
                push(
                    *to,
                    RefKind::Port(v.offset + ps, v.offset + pe),
                    site(v.node, v.path.clone(), Some(v.name.clone())),
                );
            }
        }
    }
    // Command lines.
    for key in ["command", "entrypoint"] {
        let Some(cmd) = node.get(key) else { continue };
        // A host with its port flag in the same string: `sh -c "redis-cli
        // -h redis -p 6379 ping"`.
        let port_beside = |to: ResourceId, net: &NetRef, text: &str| {
            (net.form == NetForm::Host)
                .then(|| kubernetes::port_flag_in(text, |p| names.is_port(to, p)))
                .flatten()
        };
        if let Some(text) = cmd.as_str() {
            for (to, net) in scan_network(text, "", None, &lookup) {
                if let Some((ps, pe)) = port_beside(to, &net, text) {
                    push(to, RefKind::Port(ps, pe), site(cmd, key.into(), None));
                }
                push(to, RefKind::Network(net), site(cmd, key.into(), None));
            }
            continue;
        }
        let items = cmd.items();
        let mut seen: Option<ResourceId> = None;
        for (i, a) in items.iter().enumerate() {
            let Some(text) = a.as_str() else { continue };
            for (to, net) in scan_network(text, "", None, &lookup) {
                seen = Some(to);
                if let Some((ps, pe)) = port_beside(to, &net, text) {
                    push(
                        to,
                        RefKind::Port(ps, pe),
                        site(a, format!("{key}[{i}]"), None),
                    );
                }
                push(
                    to,
                    RefKind::Network(net),
                    site(a, format!("{key}[{i}]"), None),
                );
            }
            if let (Some(to), Some(prev)) = (seen, i.checked_sub(1).and_then(|p| items[p].as_str()))
                && kubernetes::is_port_flag(prev)
                && names.is_port(to, text)
            {
                push(
                    to,
                    RefKind::Port(0, text.len()),
                    site(a, format!("{key}[{i}]"), None),
                );
            }
        }
    }
    // Services it starts after or links to.
    if let Some(deps) = node.get("depends_on") {
        for (i, item) in deps.items().iter().enumerate() {
            if let Some(to) = item.as_str().and_then(|n| names.entry("service", n)) {
                push(
                    to,
                    RefKind::DependsOn,
                    site(item, format!("depends_on[{i}]"), None),
                );
            }
        }
        for (k, _) in deps.entries() {
            if let Some(n) = k.as_str()
                && let Some(to) = names.entry("service", n)
            {
                push(
                    to,
                    RefKind::DependsOn,
                    site(k, format!("depends_on.{n}"), None),
                );
            }
        }
    }
    for (i, item) in node.items_at(&["links"]).iter().enumerate() {
        let name = item.as_str().map(|l| l.split(':').next().unwrap_or(l));
        if let Some(to) = name.and_then(|n| names.entry("service", n)) {
            push(to, RefKind::Link, site(item, format!("links[{i}]"), None));
        }
    }
    // Top-level entries it uses.
    if let Some(nets) = node.get("networks") {
        for (i, item) in nets.items().iter().enumerate() {
            if let Some(to) = item.as_str().and_then(|n| names.entry("network", n)) {
                push(
                    to,
                    RefKind::Uses,
                    site(item, format!("networks[{i}]"), None),
                );
            }
        }
        for (k, _) in nets.entries() {
            if let Some(n) = k.as_str()
                && let Some(to) = names.entry("network", n)
            {
                push(to, RefKind::Uses, site(k, format!("networks.{n}"), None));
            }
        }
    }
    for (i, v) in node.items_at(&["volumes"]).iter().enumerate() {
        let source = match v.as_str() {
            Some(short) => short.split(':').next(),
            None if v.str_at("type").is_none_or(|t| t == "volume") => v.str_at("source"),
            None => None,
        };
        if let Some(to) = source.and_then(|s| names.entry("volume", s)) {
            push(to, RefKind::Volume, site(v, format!("volumes[{i}]"), None));
        }
    }
    for kind in ["secret", "config"] {
        let key = if kind == "secret" {
            "secrets"
        } else {
            "configs"
        };
        for (i, v) in node.items_at(&[key]).iter().enumerate() {
            let source = v.as_str().or_else(|| v.str_at("source"));
            if let Some(to) = source.and_then(|s| names.entry(kind, s)) {
                push(to, RefKind::Uses, site(v, format!("{key}[{i}]"), None));
            }
        }
    }
    for (i, v) in node.items_at(&["volumes_from"]).iter().enumerate() {
        let name = v.as_str().map(|s| s.split(':').next().unwrap_or(s));
        if let Some(to) = name.and_then(|n| names.entry("service", n)) {
            push(
                to,
                RefKind::Uses,
                site(v, format!("volumes_from[{i}]"), None),
            );
        }
    }
    if let Some(mode) = node.get("network_mode")
        && let Some(to) = mode
            .as_str()
            .and_then(|m| m.strip_prefix("service:"))
            .and_then(|n| names.entry("service", n))
    {
        push(to, RefKind::Uses, site(mode, "network_mode".into(), None));
    }
    if let Some(ext) = node.get("extends")
        && ext.get("file").is_none()
        && let Some(to) = ext
            .str_at("service")
            .and_then(|n| names.entry("service", n))
    {
        push(to, RefKind::Uses, site(ext, "extends".into(), None));
    }
}

/// Whether a network reference is a URL.
pub fn is_url(kind: &RefKind) -> bool {
    matches!(kind, RefKind::Network(n) if n.form == NetForm::Url)
}

/// The values of the attribute `path` on a Compose resource: `name` is its
/// key; a list-form `environment` reads as a map, a map-form `depends_on`
/// as a list of names.
pub fn attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    let r = stack.resource(id);
    local_attribute(r, stack.node(id), path)
}

/// [`attribute`], from the resource and its node.
pub fn local_attribute(r: &Resource, node: &Node, path: &str) -> Vec<AttrValue> {
    let scalar = |s: &str| AttrValue::Scalar(SmolStr::new(s), yaml::plain_kind(s));
    if path == "name" {
        return vec![AttrValue::Scalar(r.name.clone(), ScalarKind::Str)];
    }
    if r.kind == "service" {
        if path == "environment" {
            return if node.get("environment").is_some() {
                vec![AttrValue::Collection]
            } else {
                Vec::new()
            };
        }
        if let Some(var) = path.strip_prefix("environment.") {
            return environment(node)
                .iter()
                .filter(|v| v.name == var)
                .filter_map(|v| v.value().map(scalar))
                .collect();
        }
        if path == "depends_on" {
            let Some(d) = node.get("depends_on") else {
                return Vec::new();
            };
            return d
                .items()
                .iter()
                .filter_map(Node::as_str)
                .chain(d.entries().iter().filter_map(|(k, _)| k.as_str()))
                .map(scalar)
                .collect();
        }
    }
    let mut out = Vec::new();
    collect(node, path, &mut out);
    out
}
