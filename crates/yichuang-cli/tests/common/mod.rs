//! Shared set-up for the CLI tests: a real station provisioned through `yichuang init` in a
//! temp dir, under a keyring service of its own (its key is removed afterwards).
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tempfile::TempDir;
use yichuang_store::{KeyringStore, StationPaths};

pub const PASSPHRASE: &str = "白云区大厅 recovery 2026";

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real `yichuang` binary with `args`, feeding `stdin`.
pub fn yichuang(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yichuang"))
        .args(args)
        .env_remove("YICHUANG_DATA_DIR")
        .env_remove("YICHUANG_KEYRING_SERVICE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start yichuang");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for yichuang");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A station set up by the CLI's own `init`.
pub struct CliStation {
    _dir: TempDir,
    pub data: PathBuf,
    pub service: String,
}

impl CliStation {
    pub fn init(name: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = tempfile::tempdir().expect("temp dir");
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_nanos();
        let station = Self {
            data: dir.path().join("station"),
            _dir: dir,
            service: format!(
                "yichuang-cli-test-{name}-{}-{}-{nanos}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ),
        };
        let run = station.run_with_stdin(
            &[
                "init",
                "--station-code",
                "440111001",
                "--station-name",
                "白云区京溪街道政务服务中心",
                "--counter",
                "3",
                "--region-code",
                "440111",
                "--district-url",
                "http://127.0.0.1:9/",
                "--district-token",
                "token-for-tests",
                "--clerk",
                "zhangsan:张三:柜台密码-2026",
            ],
            &format!("{PASSPHRASE}\n"),
        );
        assert_eq!(run.code, Some(0), "init failed: {run:?}");
        station
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let data = self.data.to_str().expect("utf-8 temp path");
        let mut all = vec!["--data", data, "--keyring-service", &self.service];
        all.extend_from_slice(args);
        yichuang(&all, stdin)
    }

    fn paths(&self) -> StationPaths {
        StationPaths::new(self.data.clone())
    }

    /// A raw SQLCipher connection keyed with the key the CLI put in the keyring.
    pub fn raw_connection(&self) -> rusqlite::Connection {
        let paths = self.paths();
        let id = paths.database_id().expect("db id");
        let key = KeyringStore::new(&self.service)
            .get(&id)
            .expect("keyring")
            .expect("key present");
        let conn = rusqlite::Connection::open(paths.db_path()).expect("open raw");
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        conn.key(
            rusqlite::DEFAULT_NAME,
            format!("x'{hex}'").as_bytes(),
            false,
        )
        .expect("key");
        conn
    }
}

impl Drop for CliStation {
    fn drop(&mut self) {
        if let Ok(id) = self.paths().database_id() {
            let _ = KeyringStore::new(&self.service).delete(&id);
        }
    }
}

/// A fixture file of these tests.
pub fn fixture(name: &str) -> String {
    path_str(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

pub fn path_str(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_owned()
}
