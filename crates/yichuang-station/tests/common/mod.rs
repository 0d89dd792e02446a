//! The one station fixture of the station tests: a real station provisioned in a temp dir
//! (SQLCipher file, key in the real OS keyring under its own service, shipped catalogue and
//! demo credit list), clerk demo logged in; run under crates/yichuang-store/with-keyring.sh.
#![allow(dead_code)]

mod cases;

pub use cases::*;
use yichuang_station::{IntakeForm, ProvisionForm, Station, StationConfig};

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub config: StationConfig,
    pub station: Station,
}

/// The station's encrypted file opened beside the station with its own key from the keyring,
/// as someone with the key could: for reading (or tampering with) rows directly.
pub fn raw_db(config: &StationConfig) -> rusqlite::Connection {
    let paths = yichuang_store::StationPaths::new(config.data_dir.clone());
    let keyring = yichuang_store::KeyringStore::new(&config.keyring_service);
    let key = keyring
        .get(&paths.database_id().unwrap())
        .unwrap()
        .expect("key in the keyring");
    let raw = rusqlite::Connection::open(paths.db_path()).unwrap();
    let literal = format!("x'{}'", hex::encode(key.as_bytes()));
    raw.key(rusqlite::DEFAULT_NAME, literal.as_bytes(), false)
        .unwrap();
    raw
}

pub fn station() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = StationConfig {
        data_dir: dir.path().join("station"),
        keyring_service: format!("yichuang-station-test-{}", uuid::Uuid::now_v7()),
    };
    let form = ProvisionForm {
        station_code: "440111001".into(),
        station_name: "白云区测试便民服务站".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9".into(),
        district_token: "t".into(),
        recovery_passphrase: "test-recovery-passphrase".into(),
        clerk_login: "demo".into(),
        clerk_name: "测试窗口人员".into(),
        clerk_password: "demo1234".into(),
    };
    let station = Station::provision(&config, form).expect("provision (under with-keyring.sh?)");
    station.login("demo", "demo1234").expect("login");
    Fixture {
        dir,
        config,
        station,
    }
}

/// [`filled_form`] of 王堃喆 (document `id_no`) for `item_code`, saved as the clerk's draft.
pub fn filled_for(station: &Station, item_code: &str, id_no: &str) -> IntakeForm {
    let form = filled_form(station, item_code, id_no);
    station.save_draft(&form).unwrap();
    form
}

/// [`filled_for`] the demo applicant.
pub fn filled(station: &Station, item_code: &str) -> IntakeForm {
    filled_for(station, item_code, DEMO_ID)
}
