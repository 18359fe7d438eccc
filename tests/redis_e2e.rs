#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! End to end against a real Redis: `graft apply` rewires the shop example
//! onto a customer's Redis, and the consumers' settings, resolved the way
//! Kubernetes resolves them, must really connect to it.
//!
//! The test makes a private CA and a server certificate for `localhost` with
//! `openssl`, starts `redis-server` on loopback with TLS only and a password,
//! applies the shipped rules to a copy of `examples/shop/stack` with bindings
//! that name that server, then reads the output stack: each consumer's
//! environment (`secretKeyRef` against a test Secret, `envFrom` ConfigMaps,
//! `$(VAR)` expansion) and the CA file its volume mount holds (written to the
//! temporary folder from the ConfigMap graft created). `redis-cli` connects
//! with exactly those settings, writes a key into database 2 and reads it back
//! through every consumer; a wrong password, a wrong CA and plain TCP are
//! refused.
//!
//! `redis-server`, `redis-cli` and `openssl` must be on PATH: the test fails,
//! not skips, without them (`apt-get install redis-server redis-tools
//! openssl`; `.ci/run` installs them).

mod common;

use common::e2e::{Certs, free_port, make_certs, on_path, random_password, run, text};

use graft::stack::yaml::{self, Node};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long the server may take to answer its first PING.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);
/// The Secret the bindings name, as the test cluster holds it.
const SECRET_NAME: &str = "redis-auth";
const SECRET_KEY: &str = "password";

// ---------------------------------------------------------------------------
// Tools and processes

/// The three tools, or a failure that says how to install them.
struct Tools {
    redis_server: PathBuf,
    redis_cli: PathBuf,
    openssl: PathBuf,
}

fn tools() -> Tools {
    let mut found = common::e2e::required(
        "Redis end-to-end test",
        &["redis-server", "redis-cli", "openssl"],
        on_path,
        "Install them, on Debian or Ubuntu: `apt-get install redis-server redis-tools openssl` \
         (as root); on macOS: `brew install redis openssl`",
    )
    .into_iter();
    Tools {
        redis_server: found.next().unwrap(),
        redis_cli: found.next().unwrap(),
        openssl: found.next().unwrap(),
    }
}

/// The running `redis-server`: killed when dropped, also when a test fails.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// Certificates

// ---------------------------------------------------------------------------
// The fixture: server up, stack applied, output read

struct Fixture {
    // Held for its Drop, which runs first: the server dies before its
    // folder goes.
    _server: Server,
    tools: Tools,
    port: u16,
    password: String,
    certs: Certs,
    /// Every document of the output stack, with the file it came from.
    docs: Vec<(String, Node)>,
    dir: tempfile::TempDir,
}

fn start_server(tools: &Tools, dir: &Path, certs: &Certs, password: &str) -> (Server, u16) {
    let port = free_port();
    let log = dir.join("redis-server.log");
    let child = Command::new(&tools.redis_server)
        .args(["--port", "0", "--tls-port", &port.to_string()])
        .arg("--tls-cert-file")
        .arg(&certs.server_cert)
        .arg("--tls-key-file")
        .arg(&certs.server_key)
        .arg("--tls-ca-cert-file")
        .arg(&certs.ca)
        .args(["--tls-auth-clients", "no"])
        .args(["--requirepass", password])
        .args(["--save", "", "--appendonly", "no"])
        .args(["--bind", "127.0.0.1"])
        .arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start redis-server: {e}"));
    let mut server = Server { child, log };

    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "redis-server exited ({status}) before answering:\n{}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        let out = run(Command::new(&tools.redis_cli)
            .args([
                "--no-auth-warning",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .args(["-a", password, "--tls", "--cacert"])
            .arg(&certs.ca)
            .arg("PING"));
        if String::from_utf8_lossy(&out.stdout).trim() == "PONG" {
            return (server, port);
        }
        if Instant::now() > deadline {
            panic!(
                "redis-server on 127.0.0.1:{port} did not answer PING within {STARTUP_TIMEOUT:?}; \
                 last answer:\n{}\nserver log:\n{}",
                text(&out),
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// Every document of every YAML file below `dir`.
fn read_stack(dir: &Path) -> Vec<(String, Node)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&file).unwrap();
        let parsed = yaml::parse(&source)
            .unwrap_or_else(|e| panic!("graft wrote bad YAML in {name}: {e:?}"));
        docs.extend(
            parsed
                .into_iter()
                .filter(|d| d.root.is_map())
                .map(|d| (name.clone(), d.root)),
        );
    }
    docs
}

fn setup() -> Fixture {
    let tools = tools();
    let dir = tempfile::tempdir().unwrap();
    let certs = make_certs(&tools.openssl, dir.path());
    let password = random_password();
    let (server, port) = start_server(&tools, dir.path(), &certs, &password);

    // The customer's side: the stack, their bindings, their CA next to them.
    let stack = dir.path().join("stack");
    copy_dir(&common::root().join("examples/shop/stack"), &stack);
    let customer = dir.path().join("customer");
    std::fs::create_dir_all(&customer).unwrap();
    std::fs::copy(&certs.ca, customer.join("ca.pem")).unwrap();
    let bindings = customer.join("bindings.yaml");
    std::fs::write(
        &bindings,
        format!(
            "redis:\n  hostname: \"localhost:{port}\"\n  auth:\n    secret: {{ store: kubernetes, \
             name: {SECRET_NAME}, key: {SECRET_KEY} }}\n  database: 2\n  tls: true\n  \
             tls_ca: ca.pem\n  cluster: false\n"
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");

    // Run from the repository root, so that `tls_ca: ca.pem` only resolves
    // if graft reads it relative to the bindings file.
    let out = run(Command::new(env!("CARGO_BIN_EXE_graft"))
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .arg("apply")
        .arg("--rules")
        .arg(common::root().join("rules"))
        .arg("--bindings")
        .arg(&bindings)
        .arg("--out")
        .arg(&out_dir)
        .arg(&stack));
    assert!(
        out.status.success(),
        "graft apply failed ({}):\n{}",
        out.status,
        text(&out)
    );
    let docs = read_stack(&out_dir);
    assert!(!docs.is_empty(), "graft apply wrote no manifests");

    Fixture {
        _server: server,
        tools,
        port,
        password,
        certs,
        docs,
        dir,
    }
}

// ---------------------------------------------------------------------------
// Reading the output the way Kubernetes does

fn namespace(resource: &Node) -> &str {
    resource
        .path(&["metadata", "namespace"])
        .and_then(Node::as_str)
        .unwrap_or("default")
}

impl Fixture {
    /// The one resource of `kind` named `name`.
    fn resource(&self, kind: &str, name: &str) -> &Node {
        let found: Vec<&Node> = self
            .docs
            .iter()
            .map(|(_, d)| d)
            .filter(|d| {
                d.str_at("kind") == Some(kind)
                    && d.path(&["metadata", "name"]).and_then(Node::as_str) == Some(name)
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one {kind} `{name}` in the output, found {}",
            found.len()
        );
        found[0]
    }

    /// A ConfigMap's `data`, as the cluster would serve it to a pod in `ns`.
    fn config_map(&self, ns: &str, name: &str) -> HashMap<String, String> {
        let cm = self
            .docs
            .iter()
            .map(|(_, d)| d)
            .find(|d| {
                d.str_at("kind") == Some("ConfigMap")
                    && namespace(d) == ns
                    && d.path(&["metadata", "name"]).and_then(Node::as_str) == Some(name)
            })
            .unwrap_or_else(|| panic!("no ConfigMap `{name}` in namespace `{ns}` in the output"));
        cm.get("data")
            .map(|data| {
                data.entries()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().unwrap().to_string(),
                            v.as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The Secrets of the test cluster: the customer's, holding the password.
    fn secret(&self, name: &str, key: &str) -> Option<String> {
        (name == SECRET_NAME && key == SECRET_KEY).then(|| self.password.clone())
    }

    /// A workload's pod spec and its first container.
    fn pod(&self, kind: &str, name: &str) -> (&Node, &Node) {
        let resource = self.resource(kind, name);
        let spec_path: &[&str] = match kind {
            "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => &["spec", "template", "spec"],
        };
        let spec = resource
            .path(spec_path)
            .unwrap_or_else(|| panic!("{kind} `{name}` has no pod spec"));
        let container = spec
            .get("containers")
            .and_then(|c| c.items().first())
            .unwrap_or_else(|| panic!("{kind} `{name}` has no container"));
        (spec, container)
    }

    /// The container's environment as the kubelet builds it: `envFrom` first,
    /// then `env` in order, `valueFrom` resolved against the test cluster and
    /// `$(VAR)` expanded from what is defined before.
    fn env(&self, kind: &str, name: &str) -> HashMap<String, String> {
        let ns = namespace(self.resource(kind, name)).to_string();
        let (_, container) = self.pod(kind, name);
        let mut env: HashMap<String, String> = HashMap::new();
        for source in container.get("envFrom").map_or(&[][..], Node::items) {
            let prefix = source.str_at("prefix").unwrap_or("");
            if let Some(cm) = source
                .path(&["configMapRef", "name"])
                .and_then(Node::as_str)
            {
                for (k, v) in self.config_map(&ns, cm) {
                    env.insert(format!("{prefix}{k}"), v);
                }
            } else {
                panic!("{kind} `{name}`: unsupported envFrom source {source:?}");
            }
        }
        for var in container.get("env").map_or(&[][..], Node::items) {
            let var_name = var.str_at("name").unwrap().to_string();
            let value = if let Some(value) = var.get("value") {
                expand(value.as_str().unwrap_or(""), &env)
            } else if let Some(r) = var.path(&["valueFrom", "secretKeyRef"]) {
                let (secret, key) = (r.str_at("name").unwrap(), r.str_at("key").unwrap());
                self.secret(secret, key).unwrap_or_else(|| {
                    panic!(
                        "{kind} `{name}`: env {var_name} reads Secret `{secret}` key `{key}`, \
                         which the customer's cluster does not have (only `{SECRET_NAME}`/`{SECRET_KEY}`)"
                    )
                })
            } else if let Some(r) = var.path(&["valueFrom", "configMapKeyRef"]) {
                let (cm, key) = (r.str_at("name").unwrap(), r.str_at("key").unwrap());
                self.config_map(&ns, cm)
                    .remove(key)
                    .unwrap_or_else(|| panic!("ConfigMap `{cm}` has no key `{key}`"))
            } else if var.get("valueFrom").is_some() {
                panic!("{kind} `{name}`: unsupported valueFrom in env {var_name}");
            } else {
                String::new()
            };
            env.insert(var_name, value);
        }
        env
    }

    /// The file at `path` in the container, as its volume mounts would hold
    /// it: written below the temporary folder, whose copy is returned.
    fn mounted_file(&self, kind: &str, name: &str, path: &str) -> PathBuf {
        let ns = namespace(self.resource(kind, name)).to_string();
        let (spec, container) = self.pod(kind, name);
        for mount in container.get("volumeMounts").map_or(&[][..], Node::items) {
            let mount_path = mount.str_at("mountPath").unwrap().trim_end_matches('/');
            let rel = match mount.str_at("subPath") {
                Some(sub) if path == mount_path => sub.to_string(),
                Some(_) => continue,
                None => match path
                    .strip_prefix(mount_path)
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(rel) => rel.to_string(),
                    None => continue,
                },
            };
            let volume_name = mount.str_at("name").unwrap();
            let volume = spec
                .get("volumes")
                .map_or(&[][..], Node::items)
                .iter()
                .find(|v| v.str_at("name") == Some(volume_name))
                .unwrap_or_else(|| {
                    panic!(
                        "{kind} `{name}` mounts volume `{volume_name}`, which it does not declare"
                    )
                });
            let cm_name = volume
                .path(&["configMap", "name"])
                .and_then(Node::as_str)
                .unwrap_or_else(|| panic!("volume `{volume_name}` is not a ConfigMap volume"));
            // With `items`, only the listed keys appear, each at its path.
            let items = volume.path(&["configMap", "items"]);
            let key = match items {
                Some(items) => items
                    .items()
                    .iter()
                    .find(|i| i.str_at("path") == Some(&rel))
                    .and_then(|i| i.str_at("key"))
                    .unwrap_or_else(|| panic!("volume `{volume_name}` has no item at `{rel}`"))
                    .to_string(),
                None => rel,
            };
            let content = self
                .config_map(&ns, cm_name)
                .remove(&key)
                .unwrap_or_else(|| {
                    panic!("ConfigMap `{cm_name}` has no key `{key}`, so `{path}` does not exist")
                });
            let file = self
                .dir
                .path()
                .join("mounts")
                .join(name)
                .join(path.trim_start_matches('/'));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, content).unwrap();
            return file;
        }
        panic!("{kind} `{name}`: no volume mount holds `{path}`");
    }

    /// `redis-cli` with `args`.
    fn cli(&self, args: &[&str]) -> Output {
        run(Command::new(&self.tools.redis_cli)
            .arg("--no-auth-warning")
            .args(args))
    }
}

/// Kubernetes' `$(VAR)` expansion: a defined variable is replaced, an
/// undefined reference is left as written, `$$` is a `$`.
fn expand(value: &str, env: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
        {
            let name = &inner[..end];
            match env.get(name) {
                Some(v) => out.push_str(v),
                None => out.push_str(&rest[i..i + 3 + end]),
            }
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// Splits `host:port`.
fn host_port(addr: &str) -> (&str, &str) {
    addr.rsplit_once(':')
        .unwrap_or_else(|| panic!("`{addr}` is not host:port"))
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn consumers_reach_a_real_tls_redis_with_the_rewired_settings() {
    let f = setup();
    let port = f.port.to_string();
    let ca_pem = std::fs::read_to_string(&f.certs.ca).unwrap();
    let key = "graft:e2e:order-lock";
    let value = format!("locked-{}", &f.password[..8]);

    // checkout: one connection URL, the password expanded into it.
    let env = f.env("Deployment", "checkout");
    let url = env.get("REDIS_URL").expect("checkout has no REDIS_URL");
    assert_eq!(
        url,
        &format!("rediss://:{}@localhost:{port}/2", f.password),
        "checkout's REDIS_URL after $(VAR) expansion"
    );
    assert_eq!(env.get("REDIS_TLS").map(String::as_str), Some("true"));
    assert_eq!(env.get("REDIS_DB").map(String::as_str), Some("2"));
    let ca_path = env
        .get("REDIS_TLS_CA_FILE")
        .expect("checkout has no REDIS_TLS_CA_FILE");
    let ca = f.mounted_file("Deployment", "checkout", ca_path);
    assert_eq!(
        std::fs::read_to_string(&ca).unwrap().trim_end(),
        ca_pem.trim_end(),
        "the mounted CA file is not the customer's CA certificate"
    );
    let ca = ca.to_str().unwrap();

    // redis-cli 6.2 and later send `AUTH "" <password>` for a URL with an
    // empty user (`:password@`), which Redis refuses (redis/redis#12746; fixed
    // by redis/redis#15255). Client libraries (redis-py, go-redis, ioredis,
    // Lettuce) take an empty user as `default`; `--user default` makes
    // redis-cli do the same. Host, port, password, database and TLS still
    // come from the URL.
    let via_url = |args: &[&str]| {
        let mut all = vec!["-u", url, "--user", "default", "--tls", "--cacert", ca];
        all.extend_from_slice(args);
        f.cli(&all)
    };
    let out = via_url(&["SET", key, &value]);
    assert_eq!(
        stdout(&out),
        "OK",
        "SET through checkout's REDIS_URL:\n{}",
        text(&out)
    );
    let out = via_url(&["GET", key]);
    assert_eq!(
        stdout(&out),
        value,
        "GET through checkout's REDIS_URL:\n{}",
        text(&out)
    );

    // The key is in database 2, not 0.
    let direct = |db: &str, args: &[&str]| {
        let mut all = vec!["-h", "localhost", "-p", &port, "-a", &f.password, "-n", db];
        all.extend_from_slice(&["--tls", "--cacert", ca]);
        all.extend_from_slice(args);
        f.cli(&all)
    };
    let out = direct("2", &["GET", key]);
    assert_eq!(stdout(&out), value, "GET in database 2:\n{}", text(&out));
    let out = direct("2", &["EXISTS", key]);
    assert_eq!(stdout(&out), "1", "EXISTS in database 2:\n{}", text(&out));
    let out = direct("0", &["EXISTS", key]);
    assert_eq!(
        stdout(&out),
        "0",
        "the key is in database 0:\n{}",
        text(&out)
    );

    // cart: host:port, password, database and CA file, each on its own.
    let env = f.env("Deployment", "cart");
    let addr = env.get("REDIS_ADDR").expect("cart has no REDIS_ADDR");
    assert_eq!(addr, &format!("localhost:{port}"), "cart's REDIS_ADDR");
    let (host, cart_port) = host_port(addr);
    assert_eq!(env.get("REDIS_TLS").map(String::as_str), Some("true"));
    let cart_ca = f.mounted_file("Deployment", "cart", &env["REDIS_TLS_CA_FILE"]);
    let cart = |password: &str, cacert: &Path, args: &[&str]| {
        let mut all = vec!["-h", host, "-p", cart_port, "-a", password];
        all.extend_from_slice(&["-n", &env["REDIS_DB"], "--tls", "--cacert"]);
        all.push(cacert.to_str().unwrap());
        all.extend_from_slice(args);
        f.cli(&all)
    };
    let out = cart(&env["REDIS_PASSWORD"], &cart_ca, &["GET", key]);
    assert_eq!(
        stdout(&out),
        value,
        "GET with cart's settings:\n{}",
        text(&out)
    );

    // sessions: REDIS_HOST and REDIS_PORT come from a ConfigMap (envFrom).
    let s = f.env("Deployment", "sessions");
    assert_eq!(s.get("REDIS_HOST").map(String::as_str), Some("localhost"));
    assert_eq!(s.get("REDIS_PORT"), Some(&port));
    let sessions_ca = f.mounted_file("Deployment", "sessions", &s["REDIS_TLS_CA_FILE"]);
    let out = f.cli(&[
        "-h",
        &s["REDIS_HOST"],
        "-p",
        &s["REDIS_PORT"],
        "-a",
        &s["REDIS_PASSWORD"],
        "-n",
        &s["REDIS_DB"],
        "--tls",
        "--cacert",
        sessions_ca.to_str().unwrap(),
        "GET",
        key,
    ]);
    assert_eq!(
        stdout(&out),
        value,
        "GET with sessions' settings:\n{}",
        text(&out)
    );

    // A wrong password is refused, with cart's settings and in the URL.
    let out = cart("not-the-password", &cart_ca, &["GET", key]);
    let said = text(&out);
    assert!(
        (said.contains("WRONGPASS") || said.contains("NOAUTH")) && !said.contains(&value),
        "a wrong password was not refused:\n{said}"
    );
    let wrong_url = url.replace(&f.password, "not-the-password");
    let out = f.cli(&[
        "-u", &wrong_url, "--user", "default", "--tls", "--cacert", ca, "GET", key,
    ]);
    let said = text(&out);
    assert!(
        (said.contains("WRONGPASS") || said.contains("NOAUTH")) && !said.contains(&value),
        "a wrong password in the URL was not refused:\n{said}"
    );

    // A CA that did not sign the server's certificate fails the handshake.
    let out = cart(&env["REDIS_PASSWORD"], &f.certs.wrong_ca, &["GET", key]);
    let said = text(&out);
    assert!(
        !out.status.success()
            && (said.contains("certificate verify failed") || said.contains("SSL"))
            && !said.contains(&value),
        "a client trusting the wrong CA was not refused ({}):\n{said}",
        out.status
    );

    // Without TLS the server does not talk at all.
    let out = f.cli(&[
        "-h",
        host,
        "-p",
        cart_port,
        "-a",
        &f.password,
        "-n",
        "2",
        "GET",
        key,
    ]);
    let said = text(&out);
    assert!(
        !said.contains(&value),
        "a plain-TCP client read the key:\n{said}"
    );
}

/// The `cleanup` CronJob runs `redis-cli -h HOST -p PORT --scan`: graft
/// rewires host and port, but redis-cli reads neither `REDIS_TLS`, `REDIS_DB`
/// nor `REDIS_TLS_CA_FILE`, and graft cannot know each program's flags. The
/// plan must say so, naming the CronJob, rather than pass it over.
#[test]
fn the_plan_warns_about_a_command_line_that_may_miss_the_tls_settings() {
    let out = Command::new(env!("CARGO_BIN_EXE_graft"))
        .current_dir(common::root())
        .args(["plan", "examples/shop", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warned = plan["problems"].as_array().unwrap().iter().any(|p| {
        p["level"] == "warning"
            && p["message"].as_str().is_some_and(|m| {
                m.contains("batch/v1/CronJob/shop/cleanup")
                    && m.contains("command line")
                    && m.contains("REDIS_TLS")
            })
    });
    assert!(warned, "no warning about cleanup's command line:\n{plan:#}");
}
