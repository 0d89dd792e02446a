//! A private PostgreSQL server for one test: `initdb` into a temp dir, optionally `ssl = on`
//! with a certificate from a test CA, listening on a free port of 127.0.0.1 only, stopped
//! (`pg_ctl stop -m fast`) when dropped. Nothing on the machine changes. As root (CI) the
//! server runs as the `postgres` user, since PostgreSQL refuses to run as root.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::Command;

use yichuang_district::testing_pki::TestPki;

/// The superuser the tests connect as, and its password.
pub const USER: &str = "district";
pub const PASSWORD: &str = "district-test-pw";

pub struct PrivatePg {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

/// The newest installed server's `bin` directory, `None` when PostgreSQL is not installed.
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    // The effective uid without libc: /proc/self/status's "Uid:" line, second field.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl PrivatePg {
    /// Starts a server, with TLS under `pki`'s certificate when given. `None` (with a line
    /// saying so) when PostgreSQL is not installed outside CI.
    pub fn start(pki: Option<&TestPki>) -> Option<PrivatePg> {
        let Some(bin) = server_bin() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "no /usr/lib/postgresql/*/bin/initdb: CI must test PostgreSQL over TLS"
            );
            let _ = std::io::stderr()
                .write_all(b"skipped: PostgreSQL is not installed (PostgreSQL TLS test)\n");
            return None;
        };
        let server = PrivatePg {
            bin,
            dir: tempfile::tempdir().unwrap(),
            port: free_port(),
        };
        let pwfile = server.dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        server.give_to_server_user();
        server.run(
            "initdb",
            &[
                "-D".as_ref(),
                server.data().as_os_str(),
                "-U".as_ref(),
                USER.as_ref(),
                "--pwfile".as_ref(),
                pwfile.as_os_str(),
                "--auth-local=trust".as_ref(),
                "--auth-host=scram-sha-256".as_ref(),
                "--locale=C".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        let mut conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n",
            server.port,
            server.dir.path().display()
        );
        if let Some(pki) = pki {
            std::fs::write(server.data().join("server.crt"), &pki.chain_pem).unwrap();
            // PostgreSQL refuses a key others may read: 0600, owned by the server's user.
            std::fs::OpenOptions::new()
                .create_new(true)
                .write(true)
                .mode(0o600)
                .open(server.data().join("server.key"))
                .unwrap()
                .write_all(pki.key_pem.as_bytes())
                .unwrap();
            conf.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        }
        let mut postgresql_conf = std::fs::OpenOptions::new()
            .append(true)
            .open(server.data().join("postgresql.conf"))
            .unwrap();
        postgresql_conf.write_all(conf.as_bytes()).unwrap();
        // TLS or not, as the client asks: both kinds of host line for the test user.
        std::fs::write(
            server.data().join("pg_hba.conf"),
            format!(
                "local all all trust\n\
                 hostssl all {USER} 127.0.0.1/32 scram-sha-256\n\
                 host all {USER} 127.0.0.1/32 scram-sha-256\n"
            ),
        )
        .unwrap();
        server.give_to_server_user();
        let log = server.dir.path().join("server.log");
        server.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                server.data().as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "start".as_ref(),
            ],
        );
        Some(server)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The address of database `db` with `sslmode`.
    pub fn url(&self, db: &str, sslmode: &str) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{db}?sslmode={sslmode}",
            self.port
        )
    }

    /// As root, everything under the temp dir to the `postgres` user the server runs as.
    fn give_to_server_user(&self) {
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(self.dir.path())
                .status()
                .unwrap();
            assert!(status.success(), "chown to postgres failed");
        }
    }

    /// Runs `tool` of the server's bin directory (as `postgres` when root), in the temp dir
    /// so that it never needs to read the test's own directory; panics on failure.
    fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) {
        let output = self.command(tool).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{tool} failed: {}{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command.current_dir(self.dir.path());
        command
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let stopped = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "-w", "stop"])
            .output();
        if !stopped.is_ok_and(|o| o.status.success()) {
            let _ = std::io::stderr().write_all(b"private PostgreSQL server did not stop\n");
        }
    }
}
