//! Parse and check a generated 10,000-line rules folder (170 services, each
//! with a four-format matcher and a rule), and the shipped rules library: the
//! work the language server repeats on every edit. Target: under 20 ms on the
//! 2-core reference machine.

#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use graft::analysis;
use graft::source::Sources;
use std::hint::black_box;

/// One service with its matcher and rule, in the shape of `rules/redis.graft`.
fn family(n: usize) -> String {
    format!(
        r#"/// Service {n}: a cache family.
service cache{n} {{
  /// `host` or `host:port`.
  hostname: endpoint(default_port = 6379)
  /// The credential.
  auth: secret | iam_role
  database: int(0..=15) = 0
  tls: bool = true
  tls_ca: certificate?
  cluster: bool = false
  mode: enum("standalone", "sentinel", "cluster") = "standalone"
  customer_owns: provisioning, backups, patching, monitoring
}}

/// Where cache {n} ships by default.
match cache{n} {{
  terraform aws_elasticache_replication_group if engine == "cache{n}" {{
    host = primary_endpoint_address | configuration_endpoint_address
    reader_host = reader_endpoint_address
    port = port
  }}
  cloudformation "AWS::ElastiCache::ReplicationGroup" if Engine == "cache{n}" {{
    host = PrimaryEndPoint.Address | ConfigurationEndPoint.Address
    reader_host = ReaderEndPoint.Address
    port = PrimaryEndPoint.Port | ConfigurationEndPoint.Port
  }}
  kubernetes StatefulSet | Deployment if image ~ r"^([^/]+/)*cache{n}([:@][^/]*)?$" && metadata.namespace != "kube-system" {{
    host = service.dns
    reader_host = service.dns
    port = service.port
  }}
  compose service if image ~ r"^([^/]+/)*cache{n}([:@][^/]*)?$" {{
    host = name
    reader_host = name
    port = 6379
  }}
}}

// Rewire the consumers.
when cache{n} is provided as c {{
  drop
  bind host = c.hostname.host
  bind reader_host = c.hostname.host
  bind port = c.hostname.port
  inject c.auth as env CACHE{n}_PASSWORD if c.auth is secret
  inject c.auth as env CACHE{n}_IAM_ROLE if c.auth is iam_role
  set env CACHE{n}_DB = c.database unless c.cluster
  set env CACHE{n}_TLS = c.tls
  set env CACHE{n}_CLUSTER = c.cluster
  set env CACHE{n}_MODE = c.mode
  set env CACHE{n}_URL = "redis://${{c.hostname.host}}:${{c.hostname.port}}/${{c.database}}" unless c.cluster
  mount c.tls_ca as env CACHE{n}_CA_FILE
  annotate "graft.dev/cache{n}-auth" = c.auth on terraform, kubernetes, compose
}}

"#
    )
}

/// A rules folder of at least `lines` lines, in files of ten families each.
fn folder(lines: usize) -> Sources {
    let mut sources = Sources::new();
    let mut total = 0;
    let mut n = 0;
    while total < lines {
        let text: String = (n..n + 10).map(family).collect();
        total += text.lines().count();
        sources.add(format!("rules/generated{:03}.graft", n / 10), text);
        n += 10;
    }
    sources
}

/// The shipped rules library, read from `rules/`.
fn shipped_rules() -> Sources {
    let mut sources = Sources::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        sources.add(
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        );
    }
    sources
}

fn bench(c: &mut Criterion) {
    let shipped = shipped_rules();
    c.bench_function("parse+check rules/ (shipped library)", |b| {
        b.iter(|| analysis::analyze(black_box(&shipped)))
    });

    let sources = folder(10_000);
    // The folder must check clean, or the benchmark measures error paths.
    let analysis = analysis::analyze(&sources);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics.first()
    );
    let lines: usize = sources.iter().map(|(_, f)| f.text().lines().count()).sum();
    c.bench_function(&format!("parse+check {lines} lines"), |b| {
        b.iter(|| analysis::analyze(black_box(&sources)))
    });
    c.bench_function(&format!("parse {lines} lines"), |b| {
        b.iter(|| {
            for (id, f) in sources.iter() {
                black_box(graft::syntax::parse(id, f.text()));
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
