//! The stack model: every format is read into **resources** (a format, a
//! type, an address, an attribute tree, the file and span they came from) and
//! **references** between them (the site that refers, the target, and how:
//! by DNS name, inside a URL, by secret or config map key, by selector, ...).
//! Rules see only this model; format adapters read files into it and write
//! edits back out.
//!
//! The [`Stack`] keeps an index from each resource to the references that
//! point at it, so "who refers to this" costs one lookup plus the hits.
//!
//! Architecture invariant: no I/O. Files come in as text and go out as text.

pub mod cloudformation;
pub mod compose;
pub mod edit;
pub mod generate;
pub(crate) mod interpolate;
pub mod kubernetes;
pub mod terraform;
pub mod yaml;

use crate::catalogue::Format;
use crate::source::Span;
use smol_str::SmolStr;
use yaml::{Document, Node};

/// Identifies a resource within a [`Stack`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

impl ResourceId {
    /// The index into [`Stack::resources`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One file of the stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackFile {
    /// Its path relative to the stack root, with `/` separators.
    pub path: String,
    /// Its text.
    pub text: String,
    /// Its format.
    pub format: Format,
    /// Its documents.
    pub docs: Vec<Document>,
    /// Expressions kept from a Terraform file's parse for the writer, by
    /// the offset where each is written: the `container_definitions` of
    /// its ECS task definitions, which are edited inside (parsing them
    /// again was most of the engine's time).
    pub expressions: Vec<(usize, hcl_edit::expr::Expression)>,
}

impl StackFile {
    /// The expression kept from the parse that is written at `at`.
    pub fn expression_at(&self, at: usize) -> Option<&hcl_edit::expr::Expression> {
        self.expressions
            .binary_search_by_key(&at, |(offset, _)| *offset)
            .ok()
            .map(|i| &self.expressions[i].1)
    }

    /// The root node of `resource`, one of this file's.
    pub fn node(&self, resource: &Resource) -> &Node {
        let root = &self.docs[resource.doc].root;
        match resource.item {
            // A Terraform local: one entry of its `locals` block.
            Some(i) if self.format == Format::Terraform => {
                root.entries().get(i).map_or(root, |(_, value)| value)
            }
            // A Compose or CloudFormation entry: its section's place among
            // the top-level keys, and its own place in the section.
            Some(i) if matches!(self.format, Format::Compose | Format::CloudFormation) => {
                let (section, entry) = compose::unpack(i);
                root.entries()
                    .get(section)
                    .and_then(|(_, s)| s.entries().get(entry))
                    .map_or(root, |(_, value)| value)
            }
            Some(i) => root
                .get("items")
                .and_then(|items| items.items().get(i))
                .unwrap_or(root),
            None => root,
        }
    }
}

/// One resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// Its format.
    pub format: Format,
    /// Its type, as rules name it (`StatefulSet`).
    pub kind: SmolStr,
    /// Its address: `apps/v1/StatefulSet/shop/redis-master`.
    pub address: SmolStr,
    /// Its name.
    pub name: SmolStr,
    /// Its namespace, defaulted (`default`) where the format has them.
    pub namespace: SmolStr,
    /// The index of its file in [`Stack::files`].
    pub file: usize,
    /// The index of its document in that file.
    pub doc: usize,
    /// For an item of a Kubernetes `List`, its index in `items`; for a
    /// Terraform local, its index in its `locals` block.
    pub item: Option<usize>,
    /// Where it is in its file.
    pub span: Span,
}

/// How a reference is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// A network address naming the target (a Kubernetes Service) inside a
    /// string: `text[start..end]` of the site's scalar is the whole form
    /// (bare host, `host:port`, or URL).
    Network(NetRef),
    /// A port number that goes with a host reference (`REDIS_PORT` beside
    /// `REDIS_HOST`, `-p` beside `-h`, `port: 6379` below `host: redis` in a
    /// configuration file): `text[start..end]` of the site's scalar.
    Port(usize, usize),
    /// A key of a Secret (`secretKeyRef`).
    SecretKey(SmolStr),
    /// A key of a ConfigMap (`configMapKeyRef`).
    ConfigMapKey(SmolStr),
    /// All of a Secret or ConfigMap as environment (`envFrom`).
    EnvFrom,
    /// A volume of a Secret, ConfigMap or PersistentVolumeClaim.
    Volume,
    /// The ServiceAccount a pod runs as.
    ServiceAccount,
    /// The target's pods are selected by the site's resource (a Service,
    /// a PodDisruptionBudget, a NetworkPolicy, a ServiceMonitor) or it is
    /// the target of a HorizontalPodAutoscaler: the referrer exists for the
    /// target.
    Attaches,
    /// The site routes traffic to the target Service: an Ingress backend,
    /// or a Gateway API route's `backendRefs`.
    Backend,
    /// A Terraform expression names the target (`aws_x.y.attr`,
    /// `module.m[0].out`, `var.v`, `local.l`, `data.x.y.attr`): the site is
    /// the traversal.
    Expr(ExprRef),
    /// A module call gives the target, a variable of the called module, a
    /// value: the site is the call's argument.
    ModuleInput,
    /// A module call exposes the target, an output of the called module,
    /// as `module.NAME.OUTPUT`: the site is the call's name label.
    ModuleOutput,
    /// A Compose service starts after the target service (`depends_on`, in
    /// either form): the site is the list item or the map key.
    DependsOn,
    /// A Compose service links to the target service (`links`, `redis` or
    /// `redis:alias`): the site is the list item.
    Link,
    /// A Compose service uses the target by name: a network it joins, a
    /// secret or config it mounts, a service whose volumes or network it
    /// shares (`volumes_from`, `network_mode: service:NAME`) or extends.
    Uses,
    /// A CloudFormation template names the target: an intrinsic function
    /// (`Ref`, `Fn::GetAtt`, a `${}` of `Fn::Sub`, `Fn::FindInMap`,
    /// `Fn::If`), a `DependsOn` item or a `Condition`.
    Intrinsic(cloudformation::Intrinsic),
}

/// How a Terraform expression names its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprRef {
    /// What the traversal reads of the target after its address, as
    /// written: `.primary_endpoint_address`, `[0].out`, `` (the whole).
    pub rest: SmolStr,
    /// The first attribute it reads (`primary_endpoint_address`; for a
    /// module, the output), if any.
    pub attribute: Option<SmolStr>,
    /// The `${...}` the traversal fills on its own, when it is inside a
    /// string template: replacing that span with text rewrites the string.
    pub interpolation: Option<Span>,
    /// The string template the traversal is in (quotes included), if any.
    pub template: Option<Span>,
    /// Whether the traversal is the whole value of its attribute.
    pub whole: bool,
    /// Whether the traversal is an item of `depends_on`.
    pub depends_on: bool,
    /// Whether it sits in a `.tf.json` string written with escapes (a
    /// `jsonencode(...)` or a JSON document inside the string): its spans
    /// are where the text is written, and text put there is escaped as a
    /// JSON string's content.
    pub escaped: bool,
}

/// A network reference inside a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetRef {
    /// The form.
    pub form: NetForm,
    /// Byte range of the whole form in the scalar's text.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Byte range of the host name alone.
    pub host: (usize, usize),
    /// Whether the form is spelled across interpolations' defaults
    /// (`${REDIS_HOST:-redis}:${REDIS_PORT:-6379}`): `start..end` then holds
    /// their syntax too, and the form is what its defaults spell
    /// ([`interpolate`]).
    pub split: bool,
}

/// The form of a network reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetForm {
    /// A bare host name.
    Host,
    /// `host:port`.
    HostPort,
    /// A URL: `scheme://[user[:pass]@]host[:port][/path]`.
    Url,
}

/// The place a reference is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The index of the file.
    pub file: usize,
    /// The span of the scalar (or collection) that refers.
    pub span: Span,
    /// A readable path to it: `spec.template.spec.containers[0].env[1].value`.
    pub path: String,
    /// For a site in a workload's container, that container's index and name.
    pub container: Option<(usize, SmolStr)>,
    /// For an environment variable, its name.
    pub env: Option<SmolStr>,
    /// For a scalar site, its text (after unquoting).
    pub value: Option<SmolStr>,
    /// How that scalar was written, so that a rewrite keeps its style.
    pub style: yaml::Style,
}

/// A reference from one resource to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The resource that refers.
    pub from: ResourceId,
    /// The resource referred to.
    pub to: ResourceId,
    /// How.
    pub kind: RefKind,
    /// Where.
    pub site: Site,
}

/// One file of a stack, with its resources and the references written in
/// it: what the engine's per-file work reads, so that an incremental session
/// can hand it one file without putting the stack together.
#[derive(Clone, Copy, Debug)]
pub struct FileView<'a> {
    /// The file's index in the stack.
    pub index: usize,
    /// The file.
    pub file: &'a StackFile,
    /// The number of its first resource in the stack.
    pub first: u32,
    /// Its resources, in order (their [`Resource::file`] is not read).
    pub resources: &'a [Resource],
    /// The references written in it, in order: every reference from one of
    /// its resources.
    pub references: &'a [Reference],
}

impl<'a> FileView<'a> {
    /// The resource with this id, when it is one of this file's.
    pub fn get(&self, id: ResourceId) -> Option<&'a Resource> {
        self.resources.get(id.0.checked_sub(self.first)? as usize)
    }

    /// The root node of one of this file's resources.
    pub fn node(&self, resource: &Resource) -> &'a Node {
        self.file.node(resource)
    }

    /// One of this file's resources.
    pub fn resource(&self, id: ResourceId) -> &'a Resource {
        &self.resources[(id.0 - self.first) as usize]
    }

    /// The references from `id`, one of this file's resources.
    pub fn references_from(&self, id: ResourceId) -> impl Iterator<Item = &'a Reference> {
        self.references.iter().filter(move |r| r.from == id)
    }
}

/// A whole stack: its files, resources and references.
#[derive(Clone, Debug, Default)]
pub struct Stack {
    /// The files, in path order (shared: an incremental run reuses the
    /// files that did not change).
    pub files: Vec<std::sync::Arc<StackFile>>,
    /// The resources, in file and document order.
    pub resources: Vec<Resource>,
    /// The references, each file's apart (shared: a session keeps the
    /// files' it did not recompute), numbered across the files in order.
    references: Vec<std::sync::Arc<Vec<Reference>>>,
    /// The number of each file's first reference.
    reference_starts: Vec<usize>,
    /// For each resource, the numbers of the references to it.
    referrers: Adjacency,
    /// For each resource, the numbers of the references from it.
    referents: Adjacency,
}

/// For each resource, a list of reference numbers, all in two flat arrays:
/// resource `i`'s are `items[starts[i]..starts[i + 1]]`, in order.
#[derive(Clone, Debug, Default)]
struct Adjacency {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Adjacency {
    /// The lists of `n` resources, where reference `i` belongs to the
    /// resource `keys` gives as its `i`th item.
    fn new(n: usize, keys: impl Iterator<Item = usize> + Clone) -> Adjacency {
        let mut starts = vec![0u32; n + 1];
        for k in keys.clone() {
            starts[k + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[n] as usize];
        for (i, k) in keys.enumerate() {
            items[next[k] as usize] = i as u32;
            next[k] += 1;
        }
        Adjacency { starts, items }
    }

    fn of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let range = match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        self.items[range].iter().map(|&n| n as usize)
    }
}

impl Stack {
    /// The stack's format (Kubernetes for an empty stack).
    pub fn format(&self) -> Format {
        self.files.first().map_or(Format::Kubernetes, |f| f.format)
    }

    /// The resource with this id.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.index()]
    }

    /// Every resource id.
    pub fn ids(&self) -> impl Iterator<Item = ResourceId> + use<> {
        (0..self.resources.len() as u32).map(ResourceId)
    }

    /// The references to `id`.
    pub fn references_to(&self, id: ResourceId) -> impl Iterator<Item = &Reference> {
        self.referrers(id).map(|i| self.reference(i))
    }

    /// The numbers of the references to `id` (see [`Stack::reference`]).
    pub fn referrers(&self, id: ResourceId) -> impl Iterator<Item = usize> + '_ {
        self.referrers.of(id.index())
    }

    /// The reference numbered `i`: the references are numbered across the
    /// files, in order.
    pub fn reference(&self, i: usize) -> &Reference {
        let file = self.reference_starts.partition_point(|&s| s <= i) - 1;
        &self.references[file][i - self.reference_starts[file]]
    }

    /// The number (as [`Stack::reference`] numbers them) of file `file`'s
    /// reference `i`.
    pub fn reference_number(&self, file: usize, i: usize) -> usize {
        self.reference_starts.get(file).map_or(i, |s| s + i)
    }

    /// How many references there are.
    pub fn reference_count(&self) -> usize {
        self.references.iter().map(|r| r.len()).sum()
    }

    /// Every reference, in file order.
    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.references.iter().flat_map(|r| r.iter())
    }

    /// File `index` with its resources and references.
    pub fn view(&self, index: usize) -> FileView<'_> {
        let start = self.resources.partition_point(|r| r.file < index);
        let end = self.resources.partition_point(|r| r.file <= index);
        FileView {
            index,
            file: &self.files[index],
            first: start as u32,
            resources: &self.resources[start..end],
            references: self.references.get(index).map_or(&[], |r| r.as_slice()),
        }
    }

    /// The references from `id`.
    pub fn references_from(&self, id: ResourceId) -> impl Iterator<Item = &Reference> {
        self.referents.of(id.index()).map(|i| self.reference(i))
    }

    /// The numbers of the references from `id`, in order.
    pub fn referents(&self, id: ResourceId) -> impl Iterator<Item = usize> + '_ {
        self.referents.of(id.index())
    }

    /// The root node of a resource.
    pub fn node(&self, id: ResourceId) -> &Node {
        let r = self.resource(id);
        self.files[r.file].node(r)
    }

    /// The resource with this address.
    pub fn find(&self, address: &str) -> Option<ResourceId> {
        self.resources
            .iter()
            .position(|r| r.address == address)
            .map(|i| ResourceId(i as u32))
    }

    /// Frees the stack on every core: a large stack is millions of small
    /// allocations, and freeing them one by one is a good part of a run.
    pub fn discard(self) {
        use rayon::prelude::*;
        let Stack {
            files,
            resources,
            references,
            reference_starts: _,
            referrers,
            referents,
        } = self;
        rayon::join(
            || files.into_par_iter().for_each(drop),
            || {
                references.into_par_iter().for_each(drop);
                drop((resources, referrers, referents));
            },
        );
    }

    /// Sets the references, each file's apart, and indexes them.
    pub(crate) fn set_references(&mut self, per_file: Vec<std::sync::Arc<Vec<Reference>>>) {
        self.reference_starts = per_file
            .iter()
            .scan(0, |n, r| {
                let start = *n;
                *n += r.len();
                Some(start)
            })
            .collect();
        self.references = per_file;
        self.index_references();
    }

    /// Builds the reference index.
    fn index_references(&mut self) {
        use rayon::prelude::*;
        // Each reference's ends, read once (on every core) into one compact
        // list that both indexes walk.
        let ends: Vec<(u32, u32)> = self
            .references
            .par_iter()
            .flat_map_iter(|refs| refs.iter().map(|r| (r.from.0, r.to.0)))
            .collect();
        let n = self.resources.len();
        let (referrers, referents) = rayon::join(
            || Adjacency::new(n, ends.iter().map(|&(_, to)| to as usize)),
            || Adjacency::new(n, ends.iter().map(|&(from, _)| from as usize)),
        );
        self.referrers = referrers;
        self.referents = referents;
    }
}

/// Reads a whole stack of one format (path, text), calling the second
/// argument once for each file read (a progress display's step; `&|| {}`
/// when nobody is watching).
pub type Reader = fn(&[(String, String)], &(dyn Fn() + Sync)) -> Result<Stack, Vec<ReadError>>;

/// The reader of a stack that is read and applied whole (a Terraform
/// configuration, a Compose project, CloudFormation templates: their
/// references cross files, or their files are few); `None` for Kubernetes
/// manifests, which are read file by file.
pub fn whole_reader<'a>(files: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Option<Reader> {
    let paths = files.clone().map(|(p, _)| p);
    whole_reader_by(paths, || cloudformation::is_stack(files))
}

/// [`whole_reader`], given the paths and whether any file is a
/// CloudFormation template (asked only when the paths do not decide: a
/// caller that keeps that answer per file need not search every text).
pub fn whole_reader_by<'a>(
    paths: impl Iterator<Item = &'a str> + Clone,
    any_template: impl FnOnce() -> bool,
) -> Option<Reader> {
    if terraform::is_stack(paths.clone()) {
        Some(terraform::read_observed)
    } else if compose::is_stack(paths) {
        Some(compose::read_observed)
    } else if any_template() {
        Some(cloudformation::read_observed)
    } else {
        None
    }
}

/// A problem reading a stack file, at a byte offset in it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadError {
    /// The file's path.
    pub path: String,
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}
