//! tauri-driver (in front of WebKitWebDriver) on a free loopback port, and a WebDriver session on the app.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder};

pub struct Driver {
    child: Child,
    pub port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free loopback port")
}

impl Driver {
    /// Starts tauri-driver with the given environment for the app it will launch.
    pub fn start(display: &str, env: &[(&str, String)]) -> Driver {
        let port = free_port();
        let native_port = free_port();
        let home = std::env::var("HOME").unwrap_or_default();
        let driver =
            which("tauri-driver").unwrap_or_else(|| format!("{home}/.cargo/bin/tauri-driver"));
        let mut cmd = Command::new(&driver);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {driver} ({e}): run `bash .ci/setup --test-tools`")
        });
        let mut driver = Driver { child, port };
        // tauri-driver listens at once but starts WebKitWebDriver behind it: wait for both.
        driver.wait_listening(port);
        driver.wait_listening(native_port);
        driver
    }

    fn wait_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("tauri-driver exited early: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "nothing listened on port {port} (tauri-driver / WebKitWebDriver) within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A WebDriver session that launches `app` in a real window.
    pub async fn session(&self, app: &Path) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        // A driver still starting drops the connection; other errors are real and fail at once.
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut attempt = 1;
        loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => return client,
                Err(
                    e @ (NewSessionError::Failed(_)
                    | NewSessionError::FailedC(_)
                    | NewSessionError::Lost(_)),
                ) if attempt < 5 => {
                    eprintln!("WebDriver not ready yet (attempt {attempt}): {e}");
                }
                Err(e) => panic!("WebDriver session on the app: {e:?}"),
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
        }
    }
}

fn which(name: &str) -> Option<String> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
            .map(|p| p.display().to_string())
    })
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The desktop app as `cargo build --bins` left it.
pub fn app_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/yichuang-desk");
    assert!(
        bin.is_file(),
        "{} is missing: build it first with `cargo build --bins`",
        bin.display()
    );
    bin
}
