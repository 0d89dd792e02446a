//! The binary's `--tls-cert` and `--tls-key`: HTTPS with good files, a refusal naming the
//! file otherwise, and both or neither.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use yichuang_sync::protocol::v2::HEALTH_PATH;

use super::certs::{TestPki, pinned_client};

const BIN: &str = env!("CARGO_BIN_EXE_yichuang-district");

fn serve_args<'a>(data: &'a Path, extra: &[&'a str]) -> Vec<String> {
    let mut args = vec![
        "serve".to_string(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data".into(),
        data.to_str().expect("utf-8 path").into(),
        "--station".into(),
        "440111001:demo-token".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn refused(data: &Path, extra: &[&str]) -> String {
    let out: Output = Command::new(BIN)
        .args(serve_args(data, extra))
        .stdin(Stdio::null())
        .output()
        .expect("run yichuang-district");
    assert!(!out.status.success(), "started: {out:?}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn serve_with_tls_files_answers_https() {
    let pki = TestPki::new("测试根证书");
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("chain.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, &pki.chain_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let data = dir.path().join("data");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let mut child = Command::new(BIN)
        .args(serve_args(&data, &["--tls-cert", cert, "--tls-key", key]))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_string);
    let answer = match &url {
        Some(url) => pinned_client(&pki.ca_pem)
            .get(format!("{url}{HEALTH_PATH}"))
            .send()
            .await
            .map(|r| r.status()),
        None => panic!("no address line: {line:?}"),
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let url = url.unwrap_or_default();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert_eq!(answer.unwrap(), reqwest::StatusCode::OK);
}

#[test]
fn a_missing_or_wrong_file_is_named() {
    let pki = TestPki::new("测试根证书");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = dir.path().join("key.pem");
    let text = dir.path().join("notes.txt");
    std::fs::write(&key, &pki.key_pem).unwrap();
    std::fs::write(&text, "这不是证书").unwrap();
    let missing = dir.path().join("no-such-chain.pem");
    let (key, text, missing) = (
        key.to_str().unwrap(),
        text.to_str().unwrap(),
        missing.to_str().unwrap(),
    );

    let err = refused(&data, &["--tls-cert", missing, "--tls-key", key]);
    assert!(err.contains("无法读取") && err.contains(missing), "{err}");
    let err = refused(&data, &["--tls-cert", text, "--tls-key", key]);
    assert!(
        err.contains(text) && err.contains("BEGIN CERTIFICATE"),
        "{err}"
    );
}

#[test]
fn cert_and_key_go_together() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let err = refused(&data, &["--tls-cert", "chain.pem"]);
    assert!(err.contains("--tls-key"), "{err}");
    let err = refused(&data, &["--tls-key", "key.pem"]);
    assert!(err.contains("--tls-cert"), "{err}");
}
