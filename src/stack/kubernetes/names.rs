//! The names index: what one object can call another by (kind, namespace
//! and name; a Service's DNS names; the labels a selector matches), built
//! from each file alone and merged.
//!
//! It owns its data and compares equal when no name, label or Service port
//! changed, so that an incremental run that edits a value somewhere keeps
//! every other file's references: they depend on this index, not on the
//! other files. Its indexes are sorted `(hash, id)` pairs with a directory
//! by the hashes' top bits: no allocation per key, a lookup reads a cache
//! line or two (a binary search over a large stack's index read a dozen),
//! and candidates are checked against the entry itself, so a hash
//! collision costs a comparison, never a wrong answer.

use super::{pod_template, scalar_text, service_port};
use crate::stack::yaml::Node;
use crate::stack::{Resource, ResourceId};
use smol_str::SmolStr;

/// What a selector looks for in an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A Service: selected by its own labels (ServiceMonitors).
    Service,
    /// A workload: selected by its pod template's labels.
    Workload,
    /// Anything else: named only by kind and name.
    Other,
}

/// What other objects can call one object by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// Its kind.
    pub kind: SmolStr,
    /// Its namespace (defaulted).
    pub namespace: SmolStr,
    /// Its name.
    pub name: SmolStr,
    /// What selectors look for in it.
    pub role: Role,
    /// The labels selectors match: a Service's own, a workload's pod
    /// template's.
    pub labels: Vec<(SmolStr, SmolStr)>,
    /// A Service's first port (or the port of the Services an operator
    /// makes for it).
    pub port: Option<SmolStr>,
    /// The objects an operator makes for it, which others call by their
    /// names but the stack does not hold (kind, name): a CloudNativePG
    /// cluster's `NAME-rw` Service and `NAME-app` Secret.
    pub generated: Vec<(SmolStr, SmolStr)>,
}

impl Named {
    /// What others can call `resource`, whose root is `node`.
    pub fn of(resource: &Resource, node: &Node) -> Named {
        let (role, labels) = if resource.kind == "Service" {
            (Role::Service, node.path(&["metadata", "labels"]))
        } else if let Some((t, _)) = pod_template(&resource.kind, node) {
            (Role::Workload, t.path(&["metadata", "labels"]))
        } else {
            (Role::Other, None)
        };
        let labels = labels
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((SmolStr::new(k.as_str()?), SmolStr::new(v.as_str()?))))
            .collect();
        let made = crate::catalogue::operator_kind(&resource.kind)
            .then(|| {
                crate::catalogue::generated(&resource.kind, node.str_at("apiVersion").unwrap_or(""))
            })
            .flatten();
        let generated = made
            .map(|g| {
                let named = |kind: &str, suffix: &str| {
                    (
                        SmolStr::new(kind),
                        SmolStr::new(format!("{}{suffix}", resource.name)),
                    )
                };
                g.services
                    .iter()
                    .map(|(s, _)| named("Service", s))
                    .chain(g.secrets.iter().map(|(s, _)| named("Secret", s)))
                    .collect()
            })
            .unwrap_or_default();
        Named {
            kind: resource.kind.clone(),
            namespace: resource.namespace.clone(),
            name: resource.name.clone(),
            role,
            labels,
            port: match made {
                Some(g) => Some(SmolStr::new(g.port)),
                None => (role == Role::Service)
                    .then(|| service_port(node))
                    .flatten(),
            },
            generated,
        }
    }

    /// Whether it is, or its operator makes, the object `kind` `name`.
    fn is(&self, kind: &str, name: &str) -> bool {
        (self.kind == kind && self.name == name)
            || self.generated.iter().any(|(k, n)| k == kind && n == name)
    }

    fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this Service answers to `host` (lowercase) from namespace
    /// `ns`: its bare name from its own namespace, `name.ns`,
    /// `name.ns.svc` and `name.ns.svc.cluster.local` from anywhere.
    fn answers(&self, host: &str, ns: &str) -> bool {
        if self.role == Role::Service {
            return self.answers_as(&self.name, host, ns);
        }
        self.generated
            .iter()
            .any(|(k, n)| k == "Service" && self.answers_as(n, host, ns))
    }

    /// Whether a Service called `name` in this namespace answers to `host`.
    fn answers_as(&self, name: &str, host: &str, ns: &str) -> bool {
        let Some(rest) = strip_prefix_ignore_case(host, name) else {
            return false;
        };
        if rest.is_empty() {
            return self.namespace == ns;
        }
        let Some(rest) = rest
            .strip_prefix('.')
            .and_then(|r| strip_prefix_ignore_case(r, &self.namespace))
        else {
            return false;
        };
        rest.is_empty()
            || rest.eq_ignore_ascii_case(".svc")
            || rest.eq_ignore_ascii_case(".svc.cluster.local")
    }
}

/// Whether a host's first label names a StatefulSet's pod (`redis-0`).
fn ordinal(label: &str) -> bool {
    label.rsplit_once('-').is_some_and(|(name, n)| {
        !name.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// The names of a whole stack.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// The files, in path order, each with the id of its first object.
    files: Vec<(String, u32)>,
    /// One entry per object, in stack order: entry `i` is `ResourceId(i)`.
    entries: Vec<Named>,
    /// `hash(kind, namespace, name)`.
    by_name: Index,
    /// `hash(role, namespace, label key, label value)`.
    by_label: Index,
    /// `hash(role, namespace)`.
    by_namespace: Index,
    /// `hash(name, namespace)` of Services: the bare name, visible from
    /// its own namespace only.
    bare: Index,
    /// `hash(DNS name)` of the qualified names, lowercase.
    dns: Index,
}

/// One index: `(key, id)` pairs sorted by key, with a directory of where
/// each run of keys with the same top bits starts, so that a lookup reads
/// one or two cache lines rather than searching the whole list.
#[derive(Clone, Debug, Default)]
struct Index {
    pairs: Vec<(u64, u32)>,
    /// `dir[b]` is the first pair whose key's top bits are `b` or more.
    dir: Vec<u32>,
    /// 64 less the number of top bits the directory is indexed by.
    shift: u32,
}

impl Index {
    fn new(mut pairs: Vec<(u64, u32)>) -> Index {
        use rayon::prelude::*;
        // Small lists sort faster on the core that has them.
        if pairs.len() < 1 << 16 {
            pairs.sort_unstable();
        } else {
            pairs.par_sort_unstable();
        }
        // About one key per slot, at most 2^20 slots.
        let bits = (usize::BITS - pairs.len().leading_zeros()).clamp(4, 20);
        let shift = 64 - bits;
        let mut dir = vec![0u32; (1 << bits) + 1];
        let mut at = 0usize;
        for (slot, start) in dir.iter_mut().enumerate() {
            while at < pairs.len() && ((pairs[at].0 >> shift) as usize) < slot {
                at += 1;
            }
            *start = at as u32;
        }
        Index { pairs, dir, shift }
    }

    fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let slot = (key >> self.shift) as usize;
        let (start, end) = match (self.dir.get(slot), self.dir.get(slot + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        self.pairs[start..end]
            .iter()
            .filter(move |&&(k, _)| k == key)
            .map(|&(_, id)| id)
    }
}

/// A key's bits mixed, so that its top bits (the directory's) depend on
/// all of them.
fn mix(key: u64) -> u64 {
    let k = (key ^ (key >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^ (k >> 33)
}

/// The indexes are derived from the files and entries.
impl PartialEq for Names {
    fn eq(&self, other: &Names) -> bool {
        self.files == other.files && self.entries == other.entries
    }
}

impl Eq for Names {}

/// FNV-1a over pieces, each followed by a separator, with ASCII case
/// folded: the same for a string whole or in parts.
#[derive(Clone, Copy)]
pub(super) struct Fnv(pub(super) u64);

impl Fnv {
    pub(super) fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(super) fn bytes(mut self, s: &str) -> Fnv {
        for b in s.bytes() {
            self.0 = (self.0 ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    fn piece(self, s: &str) -> Fnv {
        let mut h = self.bytes(s);
        h.0 = (h.0 ^ 0xff).wrapping_mul(0x0100_0000_01b3);
        h
    }
}

fn role_tag(role: Role) -> &'static str {
    match role {
        Role::Service => "s",
        Role::Workload => "w",
        Role::Other => "o",
    }
}

impl Names {
    /// The names of the objects of `files` (path, and each object's names,
    /// in order), the files in path order.
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a [Named])>) -> Names {
        Names::owned(files.into_iter().map(|(p, n)| (p, n.to_vec())))
    }

    /// [`Names::new`], taking each file's names rather than copying them.
    pub fn owned<'a>(files: impl IntoIterator<Item = (&'a str, Vec<Named>)>) -> Names {
        use rayon::prelude::*;
        let mut names = Names::default();
        for (path, named) in files {
            names
                .files
                .push((path.to_string(), names.entries.len() as u32));
            if names.entries.is_empty() {
                names.entries = named;
            } else {
                names.entries.extend(named);
            }
        }
        // Each core's keys in one vector: no allocation per object.
        let keys: Vec<Vec<(u8, u64, u32)>> = names
            .entries
            .par_iter()
            .enumerate()
            .fold(Vec::new, |mut keys, (i, e)| {
                let i = i as u32;
                keys.push((
                    0,
                    Fnv::new()
                        .piece(&e.kind)
                        .piece(&e.namespace)
                        .piece(&e.name)
                        .0,
                    i,
                ));
                if e.role != Role::Other {
                    let ns = Fnv::new().piece(role_tag(e.role)).piece(&e.namespace);
                    keys.push((2, ns.0, i));
                    for (k, v) in &e.labels {
                        keys.push((1, ns.piece(k).piece(v).0, i));
                    }
                }
                let service = |name: &str, keys: &mut Vec<(u8, u64, u32)>| {
                    keys.push((4, Fnv::new().piece(name).piece(&e.namespace).0, i));
                    let with_ns = Fnv::new().bytes(name).bytes(".").bytes(&e.namespace);
                    let svc = with_ns.bytes(".svc");
                    for h in [with_ns, svc, svc.bytes(".cluster.local")] {
                        keys.push((3, h.0, i));
                    }
                };
                if e.role == Role::Service {
                    service(&e.name, &mut keys);
                }
                for (kind, name) in &e.generated {
                    keys.push((
                        0,
                        Fnv::new().piece(kind).piece(&e.namespace).piece(name).0,
                        i,
                    ));
                    if kind == "Service" {
                        service(name, &mut keys);
                    }
                }
                keys
            })
            .collect();
        let mut lists: [Vec<(u64, u32)>; 5] = Default::default();
        for (index, key, id) in keys.into_iter().flatten() {
            lists[usize::from(index)].push((mix(key), id));
        }
        // The five indexes are built at once, each on a core of its own.
        let mut built = Vec::from(lists)
            .into_par_iter()
            .map(Index::new)
            .collect::<Vec<Index>>()
            .into_iter();
        let mut next = || built.next().unwrap_or_default();
        names.by_name = next();
        names.by_label = next();
        names.by_namespace = next();
        names.dns = next();
        names.bare = next();
        names
    }

    /// The objects in all.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index of the file at `path` and the id of its first object.
    pub fn file(&self, path: &str) -> Option<(usize, u32)> {
        let i = self
            .files
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()?;
        Some((i, self.files[i].1))
    }

    /// A Service's first port.
    pub fn port(&self, id: ResourceId) -> Option<&str> {
        self.entries.get(id.index())?.port.as_deref()
    }

    fn candidates(index: &Index, key: u64) -> impl Iterator<Item = u32> + '_ {
        index.get(mix(key))
    }

    /// The object of `kind` called `name` in `ns`.
    pub fn get(&self, kind: &str, ns: &str, name: &str) -> Option<ResourceId> {
        let key = Fnv::new().piece(kind).piece(ns).piece(name).0;
        // An object of the stack before one an operator would make.
        let mut made = None;
        for i in Names::candidates(&self.by_name, key) {
            let e = &self.entries[i as usize];
            if e.namespace != ns {
                continue;
            }
            if e.kind == kind && e.name == name {
                return Some(ResourceId(i));
            }
            if made.is_none() && e.is(kind, name) {
                made = Some(ResourceId(i));
            }
        }
        made
    }

    /// The Service a host name names, seen from namespace `ns`.
    pub fn service(&self, host: &str, ns: &str) -> Option<ResourceId> {
        let host = host.trim_end_matches('.');
        let found = |h: &str| {
            let bare = Fnv::new().piece(h).piece(ns).0;
            Names::candidates(&self.bare, bare)
                .chain(Names::candidates(&self.dns, Fnv::new().bytes(h).0))
                .find(|&i| self.entries[i as usize].answers(h, ns))
                .map(ResourceId)
        };
        // A pod of a headless Service: `pod-0.svc.ns.svc.cluster.local`,
        // or, from its own namespace, a StatefulSet's `pod-0.svc` (the
        // ordinal says it is a pod, not a word before a dot).
        found(host).or_else(|| {
            host.split_once('.')
                .filter(|(pod, rest)| rest.contains('.') || ordinal(pod))
                .and_then(|(_, rest)| found(rest))
        })
    }

    /// The workloads (or, with `services`, the Services) in `ns` that a
    /// label selector selects, in stack order.
    pub fn selected(&self, ns: &str, sel: &Node, services: bool) -> Vec<ResourceId> {
        let role = if services {
            Role::Service
        } else {
            Role::Workload
        };
        let plain = sel.get("matchLabels").is_none() && sel.get("matchExpressions").is_none();
        let pairs = if plain {
            Some(sel)
        } else {
            sel.get("matchLabels")
        };
        let first = pairs
            .and_then(|p| p.entries().first())
            .and_then(|(k, v)| Some((k.as_str()?, v.as_str()?)));
        let scope = Fnv::new().piece(role_tag(role)).piece(ns);
        let mut found: Vec<u32> = match first {
            Some((k, v)) => Names::candidates(&self.by_label, scope.piece(k).piece(v).0).collect(),
            None => Names::candidates(&self.by_namespace, scope.0).collect(),
        };
        found.retain(|&i| {
            let e = &self.entries[i as usize];
            e.role == role && e.namespace == ns && selects(sel, e)
        });
        found.into_iter().map(ResourceId).collect()
    }
}

/// Whether an object's labels satisfy a label selector (`matchLabels` and
/// `matchExpressions`, or a plain map as a Service's selector is).
fn selects(selector: &Node, named: &Named) -> bool {
    let plain = selector.get("matchLabels").is_none() && selector.get("matchExpressions").is_none();
    let match_labels = if plain {
        Some(selector)
    } else {
        selector.get("matchLabels")
    };
    for (k, v) in match_labels.map(Node::entries).unwrap_or_default() {
        let (Some(k), Some(v)) = (k.as_str(), scalar_text(v)) else {
            return false;
        };
        if named.label(k) != Some(v.as_str()) {
            return false;
        }
    }
    for expr in selector.items_at(&["matchExpressions"]) {
        let key = expr.str_at("key").unwrap_or("");
        let values: Vec<&str> = expr
            .items_at(&["values"])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let have = named.label(key);
        let ok = match expr.str_at("operator").unwrap_or("") {
            "In" => have.is_some_and(|h| values.contains(&h)),
            "NotIn" => !have.is_some_and(|h| values.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn service(name: &str, namespace: &str) -> Named {
        Named {
            kind: "Service".into(),
            namespace: namespace.into(),
            name: name.into(),
            role: Role::Service,
            labels: vec![("app".into(), name.into())],
            port: Some("6379".into()),
            generated: Vec::new(),
        }
    }

    /// Found by a review: a StatefulSet pod's short name (`redis-0.redis`,
    /// bitnami's `*_NODES`) and an upper-case DNS suffix were not found.
    #[test]
    fn pods_by_their_short_name_and_names_in_any_case_are_found() {
        let names = Names::new([("a.yaml", &[service("redis-headless", "cache")][..])]);
        let svc = Some(ResourceId(0));
        assert_eq!(names.service("redis-0.redis-headless", "cache"), svc);
        assert_eq!(names.service("redis-12.redis-headless", "cache"), svc);
        assert_eq!(names.service("redis-0.redis-headless", "web"), None);
        assert_eq!(names.service("config.redis-headless", "cache"), None);
        assert_eq!(
            names.service("REDIS-HEADLESS.CACHE.SVC.CLUSTER.LOCAL", "web"),
            svc
        );
        assert_eq!(names.service("redis-headless.Cache.Svc", "web"), svc);
    }

    #[test]
    fn an_operators_objects_are_named_as_the_resource_that_has_them() {
        let cluster = Named {
            kind: "Cluster".into(),
            namespace: "db".into(),
            name: "pg".into(),
            role: Role::Other,
            labels: Vec::new(),
            port: Some("5432".into()),
            generated: vec![
                ("Service".into(), "pg-rw".into()),
                ("Secret".into(), "pg-app".into()),
            ],
        };
        let names = Names::new([("a.yaml", &[service("cache", "db"), cluster][..])]);
        assert_eq!(names.service("pg-rw", "db"), Some(ResourceId(1)));
        assert_eq!(
            names.service("pg-rw.db.svc.cluster.local", "web"),
            Some(ResourceId(1))
        );
        assert_eq!(names.service("pg-rw", "web"), None);
        assert_eq!(names.service("pg", "db"), None);
        assert_eq!(names.get("Secret", "db", "pg-app"), Some(ResourceId(1)));
        assert_eq!(names.get("Cluster", "db", "pg"), Some(ResourceId(1)));
        assert_eq!(names.get("Secret", "db", "pg-rw"), None);
        assert_eq!(names.service("cache", "db"), Some(ResourceId(0)));
    }

    #[test]
    fn the_directory_index_finds_every_id_of_a_key_and_nothing_else() {
        for n in [0u64, 1, 7, 300, 5000] {
            // Each key twice (ids i and i + n), keys spread over all bits.
            let pairs: Vec<(u64, u32)> =
                (0..2 * n).map(|i| (mix(i % n.max(1)), i as u32)).collect();
            let index = Index::new(pairs);
            for k in 0..n {
                let found: Vec<u32> = index.get(mix(k)).collect();
                assert_eq!(found, vec![k as u32, (k + n) as u32], "n={n} key={k}");
            }
            // Keys that are not there (mix is one to one).
            for absent in [n + 1, u64::MAX, u64::MAX / 3] {
                assert_eq!(index.get(mix(absent)).count(), 0, "n={n} {absent}");
            }
        }
    }

    #[test]
    fn a_service_answers_to_its_dns_names_from_where_they_are_visible() {
        let named: Vec<Named> = (0..50)
            .map(|i| service("redis", &format!("team-{i}")))
            .chain([service("cache", "shop")])
            .collect();
        let names = Names::new([("a.yaml", named.as_slice())]);
        let at = |host: &str, ns: &str| names.service(host, ns).map(|id| id.0);
        // The bare name, from each namespace, is that namespace's Service.
        assert_eq!(at("redis", "team-7"), Some(7));
        assert_eq!(at("REDIS", "team-49"), Some(49));
        assert_eq!(at("redis", "shop"), None);
        // Qualified names are visible from anywhere.
        assert_eq!(at("redis.team-3", "shop"), Some(3));
        assert_eq!(at("redis.team-3.svc", "shop"), Some(3));
        assert_eq!(at("redis.team-3.svc.cluster.local.", "shop"), Some(3));
        assert_eq!(at("cache.shop.svc.cluster.local", "team-1"), Some(50));
        // A pod of a headless Service.
        assert_eq!(at("redis-0.redis.team-9.svc.cluster.local", "x"), Some(9));
        // Not a name: a longer one, another suffix, a prefix of one.
        assert_eq!(at("redis.team-3.svc.example.com", "shop"), None);
        assert_eq!(at("redis.team", "shop"), None);
        assert_eq!(at("redi", "team-3"), None);
        assert_eq!(names.get("Service", "team-4", "redis"), Some(ResourceId(4)));
        assert_eq!(names.get("Service", "team-4", "cache"), None);
        assert_eq!(names.port(ResourceId(4)), Some("6379"));
    }
}
