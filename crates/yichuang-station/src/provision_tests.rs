//! A provisioning that fails after the database exists leaves nothing behind.

use yichuang_store::{KeyringStore, StationPaths};

use crate::{AppError, ErrorKind, ProvisionForm, Station, StationConfig};

fn form() -> ProvisionForm {
    ProvisionForm {
        station_code: "440111001".into(),
        station_name: "白云区测试便民服务站".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9".into(),
        district_token: "device-token".into(),
        recovery_passphrase: "test-recovery-passphrase".into(),
        clerk_login: "boss".into(),
        clerk_name: "王经理".into(),
        clerk_password: "boss-password".into(),
    }
}

#[test]
fn a_late_failure_removes_the_file_and_the_keyring_entries_and_a_second_attempt_works() {
    let dir = tempfile::tempdir().unwrap();
    let config = StationConfig {
        data_dir: dir.path().join("station"),
        keyring_service: format!("yichuang-provision-unit-{}", uuid::Uuid::now_v7()),
    };
    let keyring = KeyringStore::new(&config.keyring_service);
    let mut db_id = String::new();
    let failed = Station::provision_then(&config, form(), |store| {
        db_id = store.database_id().to_string();
        assert!(keyring.get(&db_id).unwrap().is_some(), "the key was filed");
        Err(AppError::new(ErrorKind::Store, "磁盘已满"))
    });
    assert_eq!(failed.err().map(|e| e.message).as_deref(), Some("磁盘已满"));
    let left: Vec<_> = std::fs::read_dir(&config.data_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(keyring.get(&db_id).unwrap().is_none(), "key removed");
    assert!(
        keyring.device_token(&db_id).unwrap().is_none(),
        "token removed"
    );
    assert!(!StationPaths::new(&config.data_dir).db_path().exists());

    let station = Station::provision(&config, form()).expect("second attempt");
    assert!(
        station
            .login("boss", "boss-password")
            .unwrap()
            .role
            .is_manager()
    );
}
