//! Station set-up: every field the store would refuse is reported beside its field before
//! anything is created; a fixed form then sets the station and its first hall manager up.

use yichuang_station::{ErrorKind, ProvisionForm, Station, StationConfig};

fn config(dir: &std::path::Path) -> StationConfig {
    StationConfig {
        data_dir: dir.join("station"),
        keyring_service: format!("yichuang-provision-test-{}", uuid::Uuid::now_v7()),
    }
}

fn good() -> ProvisionForm {
    ProvisionForm {
        station_code: "440111001".into(),
        station_name: "白云区测试便民服务站".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9".into(),
        district_token: "t".into(),
        recovery_passphrase: "test-recovery-passphrase".into(),
        clerk_login: "boss".into(),
        clerk_name: "王经理".into(),
        clerk_password: "boss-password".into(),
    }
}

#[test]
fn every_refused_field_is_named_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let form = ProvisionForm {
        station_code: "44-01".into(),
        station_name: "站".repeat(101),
        counter: 0,
        region_code: "4401".into(),
        district_url: "district.example".into(),
        district_token: String::new(),
        recovery_passphrase: "short".into(),
        clerk_login: "wang boss".into(),
        clerk_name: String::new(),
        clerk_password: "1234".into(),
    };
    let e = Station::provision(&config, form).err().expect("refused");
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    let fields: Vec<_> = e.issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "station_code",
            "station_name",
            "counter",
            "region_code",
            "district_url",
            "recovery_passphrase",
            "clerk_login",
            "clerk_name",
            "clerk_password"
        ]
    );
    assert!(e.issues.iter().all(|i| !i.message.is_empty()));
    assert!(!config.data_dir.join("station.db").exists());
    assert!(
        std::fs::read_dir(&config.data_dir).is_err(),
        "not even the folder"
    );
}

#[test]
fn a_refused_login_leaves_no_station_and_the_fixed_form_makes_one_with_its_manager() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let refused = ProvisionForm {
        clerk_login: "王 经理".into(),
        ..good()
    };
    let e = Station::provision(&config, refused).err().expect("refused");
    assert_eq!(e.issues.len(), 1);
    assert_eq!(e.issues[0].field, "clerk_login");
    assert!(matches!(
        Station::open(&config).err().map(|e| e.kind),
        Some(ErrorKind::NotProvisioned)
    ));

    let station = Station::provision(&config, good()).expect("second attempt");
    let boss = station.login("boss", "boss-password").unwrap();
    assert!(boss.role.is_manager());
}
