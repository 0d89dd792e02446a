//! A district served over HTTPS from a library call, as the workspace's tests start one.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use yichuang_district::{DistrictConfig, DistrictServer, TlsIdentity};
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord, RecordResult,
};
use yichuang_sync::protocol::v2::{HEALTH_PATH, Health};

use super::certs::{TestPki, pinned_client};

const STATION: &str = "440111001";
const TOKEN: &str = "demo-token";

/// A district on 127.0.0.1:0 over HTTPS with `pki`'s identity, the demo station's token
/// registered.
async fn start(pki: &TestPki) -> (DistrictServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = DistrictConfig {
        db_path: dir.path().join("district.sqlite3"),
        region_code: "440111".into(),
        station_tokens: vec![(STATION.into(), TOKEN.into())],
        faults: None,
    };
    let tls =
        TlsIdentity::from_pem(pki.chain_pem.as_bytes(), pki.key_pem.as_bytes()).expect("identity");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let server = DistrictServer::start_tls(listener, config, tls)
        .await
        .expect("start district");
    (server, dir)
}

async fn health(http: &reqwest::Client, base: &str) -> Result<Health, reqwest::Error> {
    http.get(format!("{base}{HEALTH_PATH}"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

#[tokio::test]
async fn a_station_pinning_the_districts_ca_is_served() {
    let pki = TestPki::new("测试根证书");
    let (server, _dir) = start(&pki).await;
    let url = server.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let http = pinned_client(&pki.ca_pem);
    assert_eq!(health(&http, &url).await.unwrap().region_code, "440111");
    // By name too: the certificate is for `localhost` as well.
    let by_name = format!("https://localhost:{}", server.local_addr().port());
    assert_eq!(health(&http, &by_name).await.unwrap().status, "ok");

    // An authenticated request with a body, as a station's sync round sends.
    let record = CaseRecord {
        submission: yichuang_sync::testing::sample_submission(STATION, 1),
        revision: 1,
        clock_offset_ms: None,
        materials: vec![],
    };
    let answer: BatchAnswer = http
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth(TOKEN)
        .json(&CaseBatch {
            records: vec![record],
        })
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    match &answer.results[..] {
        [
            RecordResult::Stored {
                official_case_no, ..
            },
        ] => assert!(
            official_case_no.starts_with("440111-"),
            "{official_case_no}"
        ),
        other => panic!("not stored: {other:?}"),
    }
    assert_eq!(server.store().count_cases(STATION).await.unwrap(), 1);
    let wrong = http
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth("not-the-token")
        .json(&CaseBatch { records: vec![] })
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), reqwest::StatusCode::UNAUTHORIZED);

    server.shutdown().await.unwrap();
    assert!(
        health(&http, &url).await.is_err(),
        "still answering after shutdown"
    );
}

#[tokio::test]
async fn a_client_trusting_another_ca_is_refused_and_the_server_goes_on() {
    let pki = TestPki::new("测试根证书");
    let (server, _dir) = start(&pki).await;
    let url = server.url();
    let stranger = pinned_client(&TestPki::new("别处的根证书").ca_pem);
    for _ in 0..3 {
        let err = health(&stranger, &url).await.unwrap_err();
        assert!(err.is_connect(), "{err:?}");
        assert!(format!("{err:?}").contains("UnknownIssuer"), "{err:?}");
    }
    let http = pinned_client(&pki.ca_pem);
    assert_eq!(health(&http, &url).await.unwrap().status, "ok");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn plain_http_to_the_tls_port_gets_no_http_answer() {
    let pki = TestPki::new("测试根证书");
    let (server, _dir) = start(&pki).await;
    let mut tcp = TcpStream::connect(server.local_addr()).await.unwrap();
    tcp.write_all(b"GET /api/v2/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    // The server closes the connection (a reset counts too) instead of leaving it open.
    let read = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut got))
        .await
        .expect("connection left open");
    if let Err(e) = read {
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}");
    }
    assert!(
        !got.starts_with(b"HTTP/"),
        "{}",
        String::from_utf8_lossy(&got)
    );

    let plain = reqwest::Client::new();
    let http_url = format!("http://{}{HEALTH_PATH}", server.local_addr());
    assert!(plain.get(&http_url).send().await.is_err());

    let http = pinned_client(&pki.ca_pem);
    assert_eq!(health(&http, &server.url()).await.unwrap().status, "ok");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_stalled_handshake_holds_up_no_one() {
    let pki = TestPki::new("测试根证书");
    let (server, _dir) = start(&pki).await;
    // Connected, saying nothing: its handshake waits on its own task.
    let _silent = TcpStream::connect(server.local_addr()).await.unwrap();
    let _half = {
        let mut tcp = TcpStream::connect(server.local_addr()).await.unwrap();
        tcp.write_all(&[0x16, 0x03, 0x01]).await.unwrap();
        tcp
    };
    let http = pinned_client(&pki.ca_pem);
    let answered = tokio::time::timeout(Duration::from_secs(3), health(&http, &server.url()))
        .await
        .expect("held up by a stalled handshake");
    assert_eq!(answered.unwrap().status, "ok");
    server.shutdown().await.unwrap();
}
