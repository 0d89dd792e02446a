//! `yichuang district enroll` against the real district on 127.0.0.1:0: the one-time code
//! is traded for a device token that lands in the OS keyring (never printed), a spent code
//! is refused, and `yichuang sync` lists and releases quarantine.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::sync::Arc;

use common::CliStation;
use tokio::net::TcpListener;
use yichuang_district::{DistrictServer, Settings, SqliteStore, officer};
use yichuang_store::{KeyringStore, StationPaths};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_enrolls_with_a_one_time_code_and_keeps_the_token_in_the_keyring() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Arc::new(SqliteStore::open(&dir.path().join("district.sqlite3")).expect("store"));
    let district_store = Arc::clone(&store);
    let (code, _) =
        officer::issue_enroll_code(&*store, "440111001", "白云区京溪街道政务服务中心", 1)
            .await
            .expect("code");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let district = DistrictServer::start_with(
        listener,
        Settings::new("440111", dir.path().join("materials")),
        store,
    )
    .await
    .expect("district");
    let url = district.url();

    let station = tokio::task::spawn_blocking(|| CliStation::init("enroll"))
        .await
        .expect("init");
    let run = |args: Vec<String>| {
        let station = &station;
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        station.run(&refs)
    };
    let enroll = |code: &str| {
        run(vec![
            "district".into(),
            "enroll".into(),
            "--url".into(),
            url.clone(),
            "--code".into(),
            code.into(),
            "--device-name".into(),
            "3 号窗口".into(),
        ])
    };
    let first = tokio::task::block_in_place(|| enroll(&code));
    assert_eq!(first.code, Some(0), "{first:?}");
    assert!(first.stdout.contains("已登记"), "{first:?}");

    let paths = StationPaths::new(station.data.clone());
    let token = KeyringStore::new(&station.service)
        .device_token(&paths.database_id().expect("db id"))
        .expect("keyring")
        .expect("token filed");
    assert_ne!(
        token.as_str(),
        "token-for-tests",
        "the district's token replaced it"
    );
    assert!(!first.stdout.contains(token.as_str()) && !first.stderr.contains(token.as_str()));
    // The station's evaluation-QR public key went with the enrollment (issue 7 point 3).
    use yichuang_district::DistrictStore;
    let keys = district_store
        .qr_public_keys("440111001")
        .await
        .expect("keys");
    assert_eq!(keys.len(), 1, "{keys:?}");

    let again = tokio::task::block_in_place(|| enroll(&code));
    assert_eq!(again.code, Some(1), "a spent code is refused: {again:?}");
    assert!(again.stderr.contains("登记未成功"), "{again:?}");

    let show = tokio::task::block_in_place(|| run(vec!["district".into(), "show".into()]));
    assert!(
        show.stdout.contains(&url) && show.stdout.contains("已登记"),
        "{show:?}"
    );

    let list = tokio::task::block_in_place(|| run(vec!["sync".into(), "quarantined".into()]));
    assert!(list.stdout.contains("没有被隔离的办件"), "{list:?}");
    let release = tokio::task::block_in_place(|| {
        run(vec![
            "sync".into(),
            "release".into(),
            "--reason".into(),
            "测试".into(),
            "--by".into(),
            "manager".into(),
        ])
    });
    assert_eq!(release.code, Some(1), "no ids and no --all: {release:?}");
    district.shutdown().await.expect("stop");
}

#[test]
fn a_file_that_is_not_a_ca_certificate_is_refused_and_the_system_roots_come_back() {
    let station = CliStation::init("set-ca");
    let bad = station.data.parent().expect("dir").join("not-a-ca.pem");
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
    )
    .expect("write");
    let run = station.run(&["district", "set-ca", bad.to_str().expect("utf-8")]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("根证书"), "{run:?}");
    let run = station.run(&["district", "set-ca", "--system"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("系统的根证书"), "{run:?}");
}
