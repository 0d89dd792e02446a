//! Provisioning, opening and key recovery against real SQLCipher files and the real Secret Service.

use crate::common;

use common::{PASSPHRASE, TestStation, input};
use rusqlite::ErrorCode;
use yichuang_store::{DbKey, LATEST_VERSION, ProvisionInput, Store, StoreError, recover_key};

#[test]
fn provision_open_and_reopen_keep_settings() {
    let t = TestStation::new("reopen");
    let mut store = t.provision();
    let s = store.settings().unwrap();
    assert_eq!(s.station_code.as_str(), "440111001");
    assert_eq!(s.counter, 3);
    assert_eq!(
        store.device_token().unwrap().as_deref().map(String::as_str),
        Some("token-for-tests"),
        "the token given at set-up is in the keyring"
    );
    store
        .set_district("http://127.0.0.1:8080", Some("new-token"), "manager")
        .unwrap();
    drop(store);

    let store = t.open();
    let s = store.settings().unwrap();
    assert_eq!(s.district_url, "http://127.0.0.1:8080");
    assert_eq!(
        store.device_token().unwrap().as_deref().map(String::as_str),
        Some("new-token")
    );
    let raw: i64 = t
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM settings WHERE value LIKE '%token%' OR key LIKE '%token%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(raw, 0, "no token in the database");
    assert_eq!(store.catalogue().unwrap().version, "test-1");
    drop(store);
    let _again = t.open();
    assert_eq!(
        t.files(),
        [
            "station-key.recovery.json",
            "station.db",
            "station.db-shm",
            "station.db-wal"
        ]
    );
}

#[test]
fn opening_a_missing_station_is_not_provisioned_and_creates_nothing() {
    let t = TestStation::new("missing");
    let err = Store::open(&t.paths, &t.keyring).unwrap_err();
    assert!(matches!(err, StoreError::NotProvisioned { .. }), "{err}");
    assert!(!t.paths.data_dir.exists());
}

#[test]
fn provisioning_refuses_an_existing_station_and_a_short_passphrase() {
    let t = TestStation::new("twice");
    drop(t.provision());
    let before = std::fs::read(t.paths.db_path()).unwrap();
    let err = Store::provision(&t.paths, &t.keyring, input()).unwrap_err();
    assert!(
        matches!(err, StoreError::AlreadyProvisioned { .. }),
        "{err}"
    );
    assert_eq!(std::fs::read(t.paths.db_path()).unwrap(), before);

    let fresh = TestStation::new("short");
    let short = ProvisionInput {
        recovery_passphrase: "1234567".into(),
        ..input()
    };
    let err = Store::provision(&fresh.paths, &fresh.keyring, short).unwrap_err();
    assert!(err.to_string().contains("至少需要 8 个字符"), "{err}");
    assert!(fresh.files().is_empty());
}

#[test]
fn a_lost_keyring_entry_stops_without_touching_the_database_and_recovery_restores_it() {
    let t = TestStation::new("lost");
    let mut store = t.provision();
    store
        .audit("clerk1", "test.marker", "before-loss", "ok")
        .unwrap();
    drop(store);
    let id = t.paths.database_id().unwrap();
    let files = t.files();
    let bytes = std::fs::read(t.paths.db_path()).unwrap();
    assert!(t.keyring.delete(&id).unwrap());

    let err = Store::open(&t.paths, &t.keyring).unwrap_err();
    assert!(matches!(err, StoreError::KeyMissing), "{err}");
    assert!(err.to_string().contains("yichuang recover-key"));
    assert_eq!(
        std::fs::read(t.paths.db_path()).unwrap(),
        bytes,
        "same bytes"
    );
    assert_eq!(t.files(), files, "no new database or side file");
    assert!(matches!(
        Store::provision(&t.paths, &t.keyring, input()),
        Err(StoreError::AlreadyProvisioned { .. })
    ));

    let err = recover_key(&t.paths, &t.keyring, "not the passphrase").unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err}");
    assert!(t.keyring.get(&id).unwrap().is_none());
    assert_eq!(std::fs::read(t.paths.db_path()).unwrap(), bytes);

    recover_key(&t.paths, &t.keyring, PASSPHRASE).unwrap();
    let store = t.open();
    assert_eq!(
        store.settings().unwrap().station_name,
        "白云区京溪街道政务服务中心"
    );
    store.verify_audit_chain().unwrap();
}

#[test]
fn a_wrong_key_in_the_keyring_is_reported_and_changes_nothing() {
    let t = TestStation::new("wrongkey");
    drop(t.provision());
    let id = t.paths.database_id().unwrap();
    let bytes = std::fs::read(t.paths.db_path()).unwrap();
    t.keyring.set(&id, &DbKey::generate().unwrap()).unwrap();
    let err = Store::open(&t.paths, &t.keyring).unwrap_err();
    assert!(matches!(err, StoreError::WrongKey), "{err}");
    assert!(err.to_string().contains("file is not a database"));
    assert_eq!(std::fs::read(t.paths.db_path()).unwrap(), bytes);
    recover_key(&t.paths, &t.keyring, PASSPHRASE).unwrap();
    drop(t.open());
}

#[test]
fn the_file_is_really_encrypted() {
    let t = TestStation::new("encrypted");
    let store = t.provision();
    drop(store);
    let bytes = std::fs::read(t.paths.db_path()).unwrap();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
    let haystack = String::from_utf8_lossy(&bytes);
    for plain in ["440111001", "CREATE TABLE", "settings", "京溪"] {
        assert!(!haystack.contains(plain), "{plain} readable in the file");
    }
    let recovery = std::fs::read_to_string(t.paths.recovery_path()).unwrap();
    let key = t
        .keyring
        .get(&t.paths.database_id().unwrap())
        .unwrap()
        .unwrap();
    assert!(!recovery.contains(&common::hex_encode(key.as_bytes())));
    assert!(recovery.contains("argon2id") && recovery.contains("xchacha20-poly1305"));

    // Plain SQLite (no key) cannot read it.
    let plain = rusqlite::Connection::open(t.paths.db_path()).unwrap();
    let err = plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(ErrorCode::NotADatabase));
    drop(plain);
    // Nor can the system's sqlite3 shell, where installed.
    match std::process::Command::new("sqlite3")
        .arg(t.paths.db_path())
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()
    {
        Ok(out) => {
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stderr).contains("not a database"));
        }
        Err(e) => eprintln!("sqlite3 shell not available ({e}); checked with rusqlite only"),
    }
}

#[test]
fn a_plaintext_database_is_refused() {
    let t = TestStation::new("plaintext");
    std::fs::create_dir_all(&t.paths.data_dir).unwrap();
    let plain = rusqlite::Connection::open(t.paths.db_path()).unwrap();
    plain
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(plain);
    let err = Store::open(&t.paths, &t.keyring).unwrap_err();
    assert!(matches!(err, StoreError::PlaintextDatabase { .. }), "{err}");
}

#[test]
fn a_database_from_a_newer_version_is_refused_unchanged() {
    let t = TestStation::new("toonew");
    drop(t.provision());
    let raw = t.raw_connection();
    raw.pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    drop(raw);
    let bytes = std::fs::read(t.paths.db_path()).unwrap();
    let files = t.files();
    let err = Store::open(&t.paths, &t.keyring).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found, known } if found == LATEST_VERSION + 1 && known == LATEST_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("请安装更新版本"));
    assert_eq!(std::fs::read(t.paths.db_path()).unwrap(), bytes);
    assert_eq!(t.files(), files);
}
