//! The district's store reaches PostgreSQL over TLS, on a private server each test starts:
//! with `sslmode=require` it connects only to a server whose certificate a pinned CA signed
//! (and every session is encrypted), another CA or a server without TLS is refused in words
//! the operator can act on, and `sslmode=disable` still connects in clear.

mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use tokio_postgres::NoTls;
use yichuang_district::DistrictError;
use yichuang_district::store::{
    DistrictStore, PgOptions, PgStore, PreparedRecord, StoreOutcome, create_database,
    create_database_with, parse_url,
};
use yichuang_district::testing_pki::TestPki;
use yichuang_sync::protocol::canonical_json;
use yichuang_sync::testing::sample_submission;

use server::PrivatePg;

const BIN: &str = env!("CARGO_BIN_EXE_yichuang-district");
const STATION: &str = "440111001";

fn pinned(ca: &Path) -> PgOptions {
    PgOptions {
        ca_file: Some(ca.to_path_buf()),
        ..PgOptions::default()
    }
}

/// `pem` written to `name` in `dir`.
fn write(dir: &tempfile::TempDir, name: &str, pem: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, pem).unwrap();
    path
}

/// Stores one sample case and reads it back by its id: the district's number both times.
async fn round_trip(store: &PgStore) {
    let sub = sample_submission(STATION, 1);
    let record = PreparedRecord {
        hash: sub.content_hash().unwrap(),
        body: canonical_json(&sub).unwrap(),
        submission: sub.clone(),
        revision: 1,
        clock_offset_ms: None,
        materials: vec![],
        protocol: 2,
    };
    let now: Timestamp = "2026-06-01T02:00:00Z".parse().unwrap();
    let ack = match store
        .store_cases("440111", vec![record], now)
        .await
        .unwrap()
        .remove(0)
    {
        StoreOutcome::Created(ack) => ack,
        other => panic!("{other:?}"),
    };
    assert_eq!(ack.official_case_no, "440111-2026-000001");
    let found = store.find_case(STATION, sub.id).await.unwrap().unwrap();
    assert_eq!(found.official_case_no, ack.official_case_no);
}

/// Sessions on database `db` and how many of them are encrypted, seen by the server.
async fn sessions(pg: &PrivatePg, db: &str) -> (i64, i64) {
    let (client, connection) = tokio_postgres::connect(&pg.url("postgres", "disable"), NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE s.ssl)
             FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = $1",
            &[&db],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

fn assert_untrusted(err: DistrictError) {
    assert!(matches!(err, DistrictError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("不受信任"), "{err}");
    assert!(err.to_string().contains("--pg-ca"), "{err}");
    assert!(std::error::Error::source(&err).is_some(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn require_trusts_only_the_pinned_ca_and_disable_stays_plain() {
    let pki = TestPki::new("测试 PostgreSQL 根证书");
    let Some(pg) = PrivatePg::start(Some(&pki)) else {
        return;
    };
    let certs = tempfile::tempdir().unwrap();
    let ca = write(&certs, "ca.pem", &pki.ca_pem);
    let other_ca = write(&certs, "other-ca.pem", &TestPki::new("另一个根证书").ca_pem);

    // (a) The pinned CA: the database is created and the store round-trips a case, with
    // every one of its sessions encrypted.
    let admin = parse_url(&pg.url("postgres", "require")).unwrap();
    let config = create_database_with(&admin, "yc_tls", Some(&ca))
        .await
        .unwrap();
    let store = PgStore::connect_with(config.clone(), pinned(&ca))
        .await
        .unwrap();
    round_trip(&store).await;
    let (all, encrypted) = sessions(&pg, "yc_tls").await;
    assert!(all >= 1, "the store keeps a connection");
    assert_eq!(encrypted, all, "every session of the store is TLS");
    // libpq's verifying modes mean the same to the district.
    let verify_full = parse_url(&pg.url("yc_tls", "verify-full")).unwrap();
    PgStore::connect_with(verify_full, pinned(&ca))
        .await
        .unwrap();

    // (b) Another CA, or the platform's roots (which never signed the test CA): refused.
    assert_untrusted(
        PgStore::connect_with(config.clone(), pinned(&other_ca))
            .await
            .unwrap_err(),
    );
    assert_untrusted(
        PgStore::connect_with(config.clone(), PgOptions::default())
            .await
            .unwrap_err(),
    );
    assert_untrusted(
        create_database_with(&admin, "yc_other", Some(&other_ca))
            .await
            .unwrap_err(),
    );

    // (c) sslmode=disable still connects, in clear, and sees the same case.
    let plain = PgStore::connect_with(
        parse_url(&pg.url("yc_tls", "disable")).unwrap(),
        PgOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(plain.count_cases(STATION).await.unwrap(), 1);
    let (all_now, encrypted_now) = sessions(&pg, "yc_tls").await;
    assert!(
        all_now > encrypted_now,
        "the plain store's session is not TLS"
    );

    // The binary: --pg-ca (or its environment variable) pins the CA for the officer's tools.
    let url = pg.url("yc_tls", "require");
    let ok = Command::new(BIN)
        .args(["stations", "--postgres", &url, "--pg-ca"])
        .arg(&ca)
        .env_remove("YICHUANG_DISTRICT_PG_CA")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let refused = Command::new(BIN)
        .args(["stations", "--postgres", &url])
        .env("YICHUANG_DISTRICT_PG_CA", &other_ca)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("不受信任"), "{stderr}");
    assert!(!stderr.contains(server::PASSWORD), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn require_against_a_server_without_tls_is_refused_clearly() {
    let Some(pg) = PrivatePg::start(None) else {
        return;
    };
    let certs = tempfile::tempdir().unwrap();
    let ca = write(&certs, "ca.pem", &TestPki::new("测试根证书").ca_pem);

    let err = PgStore::connect_with(
        parse_url(&pg.url("postgres", "require")).unwrap(),
        pinned(&ca),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DistrictError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("不接受加密连接"), "{err}");
    assert!(err.to_string().contains("sslmode=disable"), "{err}");

    // In clear, as the address says, the same server serves the district.
    let admin = parse_url(&pg.url("postgres", "disable")).unwrap();
    let config = create_database(&admin, "yc_plain").await.unwrap();
    let store = PgStore::connect_with(config, PgOptions::default())
        .await
        .unwrap();
    round_trip(&store).await;
    assert_eq!(sessions(&pg, "yc_plain").await.1, 0);
}
