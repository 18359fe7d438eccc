//! What the end-to-end tests against real servers share: finding tools,
//! running commands with a deadline, free ports, random passwords, and a
//! private CA with a server certificate for `localhost` made with `openssl`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long any one external command may take.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Where `name` is on PATH, if it is.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs a command to its end, with no input, failing the test if it takes
/// longer than `COMMAND_TIMEOUT`.
pub fn run(cmd: &mut Command) -> Output {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "timed out after {COMMAND_TIMEOUT:?}: {shown}\n{}",
                text(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Standard output then standard error, as one string.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `openssl` with `args` in `dir`, which must succeed.
pub fn openssl(openssl: &Path, dir: &Path, args: &[&str]) {
    let out = run(Command::new(openssl).current_dir(dir).args(args));
    assert!(
        out.status.success(),
        "openssl {} failed:\n{}",
        args.join(" "),
        text(&out)
    );
}

/// A random password: 32 hex digits, safe in a URL as it is.
pub fn random_password() -> String {
    (0..2)
        .map(|i| {
            let mut h = RandomState::new().build_hasher();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            h.write_u128(now.map_or(0, |d| d.as_nanos()));
            h.write_u32(std::process::id());
            h.write_u8(i);
            format!("{:016x}", h.finish())
        })
        .collect()
}

/// A TCP port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The files `make_certs` writes, in the temporary folder.
pub struct Certs {
    /// The private CA's certificate: what the customer hands over as `tls_ca`.
    pub ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    /// The certificate of a second CA, unrelated to the server's.
    pub wrong_ca: PathBuf,
}

/// A CA key and self-signed certificate named `name` (`name.key`, `name.pem`).
fn make_ca(tools: &Path, dir: &Path, name: &str, cn: &str) -> PathBuf {
    let config = dir.join(format!("{name}.cnf"));
    std::fs::write(
        &config,
        format!(
            "[req]\nprompt = no\ndistinguished_name = dn\nx509_extensions = v3_ca\n\
             [dn]\nCN = {cn}\n\
             [v3_ca]\nbasicConstraints = critical, CA:TRUE\n\
             keyUsage = critical, keyCertSign, cRLSign\n\
             subjectKeyIdentifier = hash\n"
        ),
    )
    .unwrap();
    openssl(
        tools,
        dir,
        &[
            "req",
            "-x509",
            "-config",
            &format!("{name}.cnf"),
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "2",
        ],
    );
    dir.join(format!("{name}.pem"))
}

/// A private CA, an unrelated second CA, and a server certificate for
/// `localhost` and `127.0.0.1` signed by the first, under `dir`; `tools` is
/// the `openssl` binary.
pub fn make_certs(tools: &Path, dir: &Path) -> Certs {
    let ca = make_ca(tools, dir, "ca", "graft e2e private CA");
    let wrong_ca = make_ca(tools, dir, "wrong-ca", "graft e2e unrelated CA");
    std::fs::write(
        dir.join("server.cnf"),
        "[req]\nprompt = no\ndistinguished_name = dn\n[dn]\nCN = localhost\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("server-ext.cnf"),
        "basicConstraints = critical, CA:FALSE\n\
         keyUsage = critical, digitalSignature, keyEncipherment\n\
         extendedKeyUsage = serverAuth\n\
         subjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .unwrap();
    openssl(
        tools,
        dir,
        &[
            "req",
            "-new",
            "-config",
            "server.cnf",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    openssl(
        tools,
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "2",
            "-days",
            "2",
            "-extfile",
            "server-ext.cnf",
            "-out",
            "server.pem",
        ],
    );
    Certs {
        ca,
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server.key"),
        wrong_ca,
    }
}

/// The programs `names`, found by `find`, in order; or a failure that names
/// the missing ones and says how to install them (`test` names the test).
pub fn required(
    test: &str,
    names: &[&str],
    find: impl Fn(&str) -> Option<PathBuf>,
    install: &str,
) -> Vec<PathBuf> {
    let found: Vec<Option<PathBuf>> = names.iter().map(|n| find(n)).collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&found)
        .filter(|(_, p)| p.is_none())
        .map(|(n, _)| *n)
        .collect();
    assert!(
        missing.is_empty(),
        "the {test} needs {}; missing: {}. {install}",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
        missing.join(", ")
    );
    found.into_iter().flatten().collect()
}
