//! Generated rules folders, shared by the benchmarks.
#![allow(dead_code)]

use graft::source::Sources;

/// One service with its matcher and rule, in the shape of `rules/redis.graft`.
pub fn family(n: usize) -> String {
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
pub fn folder(lines: usize) -> Sources {
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
