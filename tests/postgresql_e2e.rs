#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! End to end against a real PostgreSQL: `graft apply` with the shipped
//! rules rewires a Compose stack's PostgreSQL clients (a `DATABASE_URL`
//! with `sslmode=disable`, and a worker configured by `PG*` variables) onto
//! a customer's server, and each client's settings, resolved as Compose
//! resolves them at deploy time, must really connect to it.
//!
//! The test makes a private CA and a server certificate for `localhost`
//! with `openssl`, starts `postgres` on loopback accepting TLS connections
//! only (`hostssl` lines alone in `pg_hba.conf`, SCRAM passwords), creates
//! the customer's database and user, and applies the rules to the stack of
//! `rules/tests/postgresql-compose` with bindings that name that server.
//! Then `psql` connects with exactly each service's environment: the
//! customer's user, database and a verified TLS session
//! (`sslmode=verify-full` against the CA graft mounted). The vendor's
//! `sslmode=disable` is refused by the server, and so is an unrelated CA.
//!
//! `postgres`, `initdb`, `psql` and `openssl` must be installed (the server
//! programs are found on PATH or under `/usr/lib/postgresql/*/bin`): the
//! test fails, not skips, without them (`apt-get install postgresql
//! openssl`; `.ci/run` installs them). As root it runs the server as the
//! `postgres` account, which PostgreSQL requires.

mod common;

use common::e2e::{free_port, make_certs, on_path, random_password, run, text};
use graft::stack::yaml::{self, Node};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the server may take to accept its first connection.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
const DATABASE: &str = "feeds";
const USER: &str = "feeds_app";

struct Tools {
    initdb: PathBuf,
    postgres: PathBuf,
    psql: PathBuf,
    openssl: PathBuf,
}

/// A PostgreSQL program: on PATH, or in the newest
/// `/usr/lib/postgresql/VERSION/bin` (where Debian keeps the server's).
fn pg_program(name: &str) -> Option<PathBuf> {
    on_path(name).or_else(|| {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
            .filter(|p| p.is_file())
            .collect();
        dirs.sort_by_key(|p| {
            p.components()
                .nth(4)
                .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
                .unwrap_or(0)
        });
        dirs.pop()
    })
}

fn tools() -> Tools {
    let mut found = common::e2e::required(
        "PostgreSQL end-to-end test",
        &["initdb", "postgres", "psql", "openssl"],
        pg_program,
        "Install them, on Debian or Ubuntu: `apt-get install postgresql openssl` (as root); \
         on macOS: `brew install postgresql openssl`",
    )
    .into_iter();
    Tools {
        initdb: found.next().unwrap(),
        postgres: found.next().unwrap(),
        psql: found.next().unwrap(),
        openssl: found.next().unwrap(),
    }
}

/// Whether the test runs as root (PostgreSQL will not).
fn is_root() -> bool {
    run(Command::new("id").arg("-u")).stdout.starts_with(b"0\n")
}

/// A command that runs `program` as a user PostgreSQL accepts: the
/// `postgres` account when the test is root (`setpriv` replaces itself with
/// the program, so the child is the server itself).
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            "--reset-env",
        ])
        .arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// Gives `path` (recursively) to the `postgres` account, when root.
fn give_to_server_user(path: &Path) {
    if is_root() {
        let out = run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(path));
        assert!(out.status.success(), "chown failed: {}", text(&out));
    }
}

/// The running server: stopped when dropped, also when a test fails.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        // A fast shutdown (SIGINT), then SIGKILL if it lingers.
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Fixture {
    _server: Server,
    tools: Tools,
    port: u16,
    password: String,
    wrong_ca: PathBuf,
    out: PathBuf,
    // Held for its Drop: the folder goes after the server.
    _dir: tempfile::TempDir,
}

fn setup() -> Fixture {
    let tools = tools();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The server's account must reach its files inside.
    let out = run(Command::new("chmod").arg("755").arg(root));
    assert!(out.status.success());
    let certs = make_certs(&tools.openssl, root);

    // The server's own folder: its data, its socket, its key.
    let pg = root.join("pg");
    std::fs::create_dir_all(&pg).unwrap();
    std::fs::copy(&certs.server_cert, pg.join("server.pem")).unwrap();
    std::fs::copy(&certs.server_key, pg.join("server.key")).unwrap();
    let out = run(Command::new("chmod").arg("600").arg(pg.join("server.key")));
    assert!(out.status.success());
    let admin_password = random_password();
    std::fs::write(pg.join("admin-password"), &admin_password).unwrap();
    give_to_server_user(&pg);
    let data = pg.join("data");
    let out = run(as_server_user(&tools.initdb)
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "-A", "scram-sha-256", "-E", "UTF8"])
        .arg(format!("--pwfile={}", pg.join("admin-password").display())));
    assert!(out.status.success(), "initdb failed:\n{}", text(&out));
    // TLS only from the network; the test's own set-up through the socket.
    std::fs::write(
        data.join("pg_hba.conf"),
        "local   all  postgres                 trust\n\
         hostssl all  all       127.0.0.1/32   scram-sha-256\n\
         hostssl all  all       ::1/128        scram-sha-256\n",
    )
    .unwrap();
    give_to_server_user(&data.join("pg_hba.conf"));

    let port = free_port();
    let log = std::fs::File::create(root.join("postgres.log")).unwrap();
    let child = as_server_user(&tools.postgres)
        .arg("-D")
        .arg(&data)
        .args(["-p", &port.to_string(), "-c", "listen_addresses=localhost"])
        .arg("-k")
        .arg(&pg)
        .args(["-c", "ssl=on"])
        .arg("-c")
        .arg(format!("ssl_cert_file={}", pg.join("server.pem").display()))
        .arg("-c")
        .arg(format!("ssl_key_file={}", pg.join("server.key").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let server = Server { child };
    // Ready when the socket takes a query.
    let admin = |sql: &str| {
        run(Command::new(&tools.psql)
            .arg("-h")
            .arg(&pg)
            .args(["-p", &port.to_string(), "-U", "postgres", "-d", "postgres"])
            .args(["-v", "ON_ERROR_STOP=1", "-Atc", sql])
            .env("PGPASSFILE", "/dev/null"))
    };
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        let out = admin("select 1");
        if out.status.success() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "postgres did not start:\n{}\n{}",
            text(&out),
            std::fs::read_to_string(root.join("postgres.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The customer's database and user.
    let password = random_password();
    for sql in [
        format!("CREATE ROLE {USER} LOGIN PASSWORD '{password}'"),
        format!("CREATE DATABASE {DATABASE} OWNER {USER}"),
    ] {
        let out = admin(&sql);
        assert!(out.status.success(), "{sql}: {}", text(&out));
    }

    // The customer's bindings: this server, its CA; the password is a
    // secret reference, resolved by the deployer.
    let stack = root.join("stack");
    common::copy_tree(
        &common::root().join("rules/tests/postgresql-compose/stack"),
        &stack,
    );
    // The CA is `ca.pem` beside the bindings already.
    assert_eq!(certs.ca, root.join("ca.pem"));
    let bindings = root.join("bindings.yaml");
    std::fs::write(
        &bindings,
        format!(
            "postgresql:\n  hostname: localhost:{port}\n  database: {DATABASE}\n  username: {USER}\n  \
             auth: {{ secret: {{ store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:feeds-db\" }} }}\n  \
             tls_ca: ca.pem\n"
        ),
    )
    .unwrap();
    let out_dir = root.join("out");
    let applied = run(Command::new(env!("CARGO_BIN_EXE_graft"))
        .arg("apply")
        .arg("--rules")
        .arg(common::root().join("rules"))
        .arg("--bindings")
        .arg(&bindings)
        .arg("--out")
        .arg(&out_dir)
        .arg(&stack));
    assert!(
        applied.status.success(),
        "graft apply failed:\n{}",
        text(&applied)
    );
    Fixture {
        _server: server,
        tools,
        port,
        password,
        wrong_ca: certs.wrong_ca,
        out: out_dir,
        _dir: dir,
    }
}

/// A service's environment as Compose resolves it when the project is
/// deployed with `PGPASSWORD` set (the customer's password, from their
/// secret store): `${NAME}` and `${NAME:?message}` are filled in, and a
/// path a volume mounts from the project (`./x:/in/container`) is the
/// project file's.
fn environment(f: &Fixture, service: &Node) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    if let Some(e) = service.get("environment") {
        for item in e.items() {
            let (k, v) = item.as_str().unwrap().split_once('=').unwrap();
            env.insert(k.to_string(), v.to_string());
        }
        for (k, v) in e.entries() {
            env.insert(
                k.as_str().unwrap().to_string(),
                v.as_str().unwrap().to_string(),
            );
        }
    }
    let mounts: Vec<(String, PathBuf)> = service
        .items_at(&["volumes"])
        .iter()
        .filter_map(|v| {
            let mut parts = v.as_str()?.split(':');
            let from = parts.next()?;
            let to = parts.next()?;
            Some((to.to_string(), f.out.join(from.trim_start_matches("./"))))
        })
        .collect();
    for value in env.values_mut() {
        while let Some(start) = value.find("${PGPASSWORD") {
            let end = start + value[start..].find('}').unwrap() + 1;
            value.replace_range(start..end, &f.password);
        }
        if let Some((_, local)) = mounts.iter().find(|(to, _)| to == value) {
            *value = local.display().to_string();
        }
    }
    env
}

/// The output's services, by name.
fn services(f: &Fixture) -> BTreeMap<String, Node> {
    let source = std::fs::read_to_string(f.out.join("compose.yaml")).unwrap();
    let doc = yaml::parse(&source).unwrap().into_iter().next().unwrap();
    doc.root
        .get("services")
        .unwrap()
        .entries()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v.clone()))
        .collect()
}

/// `psql` run with exactly `env` (and `conninfo`, if any), asking who and
/// where it is and whether the session is encrypted.
fn whoami(f: &Fixture, env: &BTreeMap<String, String>, conninfo: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(&f.tools.psql);
    cmd.env_clear()
        .env("PGPASSFILE", "/dev/null")
        .env("PGCONNECT_TIMEOUT", "5")
        .envs(env);
    if let Some(c) = conninfo {
        cmd.arg(c);
    }
    cmd.args([
        "-v",
        "ON_ERROR_STOP=1",
        "-Atc",
        "select current_user || '|' || current_database() || '|' || ssl from pg_stat_ssl where pid = pg_backend_pid()",
    ]);
    let out = run(&mut cmd);
    (out.status.success(), text(&out).trim().to_string())
}

#[test]
fn clients_reach_a_real_tls_postgresql_with_the_rewired_settings() {
    let f = setup();
    let services = services(&f);
    assert!(
        !services.contains_key("db"),
        "the vendor's PostgreSQL is dropped"
    );
    let expected = format!("{USER}|{DATABASE}|true");

    // The reader: its DATABASE_URL names the customer's server, user and
    // database with `sslmode=verify-full`, keeps its other option, and
    // takes the password from the deploy environment.
    let reader = environment(&f, &services["reader"]);
    let url = reader["DATABASE_URL"].clone();
    assert!(
        url.starts_with(&format!("postgresql://{USER}:"))
            && url.ends_with(&format!(
                "@localhost:{}/{DATABASE}?sslmode=verify-full&connect_timeout=10",
                f.port
            )),
        "{url}"
    );
    assert_eq!(reader["PGSSLMODE"], "verify-full");
    assert_eq!(
        whoami(&f, &reader, Some(&url)),
        (true, expected.clone()),
        "the reader's DATABASE_URL does not reach the customer's server"
    );

    // The worker: configured by `PG*` variables alone.
    let worker = environment(&f, &services["worker"]);
    assert_eq!(worker["PGHOST"], "localhost");
    assert_eq!(
        whoami(&f, &worker, None),
        (true, expected),
        "the worker's PG* variables do not reach the customer's server"
    );
    assert_eq!(
        worker["JDBC_URL"],
        format!(
            "jdbc:postgresql://localhost:{}/{DATABASE}?sslmode=verify-full",
            f.port
        )
    );

    // What the vendor's stack said would not have done: the server takes
    // no unencrypted session.
    let mut plain = reader.clone();
    plain.remove("PGSSLMODE");
    let vendor_mode = url.replace("sslmode=verify-full", "sslmode=disable");
    let (ok, said) = whoami(&f, &plain, Some(&vendor_mode));
    assert!(!ok && said.contains("no encryption"), "{said}");

    // And the CA matters: an unrelated one fails verification.
    let mut wrong = reader.clone();
    wrong.insert("PGSSLROOTCERT".into(), f.wrong_ca.display().to_string());
    let (ok, said) = whoami(&f, &wrong, Some(&url));
    assert!(!ok && said.contains("certificate verify failed"), "{said}");
}
