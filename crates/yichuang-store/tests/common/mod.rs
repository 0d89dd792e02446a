//! Shared set-up for the store's tests: a temp station dir, a keyring service of its own
//! per test (removed afterwards), and valid intakes against a small test catalogue.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use jiff::Timestamp;
use tempfile::TempDir;
use yichuang_core::{
    Applicant, Catalogue, ContactInfo, DeliveryMethod, HolidayCalendar, IdType, IntakeDraft,
    ReceivedMaterial, StationCode, ValidIntake,
};
use yichuang_store::{KeyringStore, ProvisionInput, StationPaths, Store};

pub const PASSPHRASE: &str = "白云区大厅 recovery 2026";
pub const PROMISED: &str = "TEST-PROMISED-3";
pub const IMMEDIATE: &str = "TEST-IMMEDIATE-0";
/// A promised item whose photo (非关键、可容缺) may be handed in later.
pub const TOLERANT: &str = "TEST-TOLERANT-5";

/// One test's station: temp dir, keyring service, and cleanup of the keyring entry.
pub struct TestStation {
    pub dir: TempDir,
    pub paths: StationPaths,
    pub keyring: KeyringStore,
}

impl TestStation {
    pub fn new(name: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = StationPaths::new(dir.path().join("station"));
        let service = format!(
            "yichuang-store-test-{name}-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            Timestamp::now().as_nanosecond()
        );
        Self {
            dir,
            paths,
            keyring: KeyringStore::new(service),
        }
    }

    pub fn provision(&self) -> Store {
        let mut store = Store::provision(&self.paths, &self.keyring, input()).expect("provision");
        store.import_catalogue(&catalogue()).expect("catalogue");
        store.import_calendar(&calendar()).expect("calendar");
        store
    }

    pub fn open(&self) -> Store {
        Store::open(&self.paths, &self.keyring).expect("open")
    }

    /// Files in the station directory, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.paths.data_dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// A raw rusqlite connection keyed with the key from the keyring.
    pub fn raw_connection(&self) -> rusqlite::Connection {
        let id = self.paths.database_id().expect("db id");
        let key = self
            .keyring
            .get(&id)
            .expect("keyring")
            .expect("key present");
        let conn = rusqlite::Connection::open(self.paths.db_path()).expect("open raw");
        let literal = format!("x'{}'", hex_encode(key.as_bytes()));
        conn.key(rusqlite::DEFAULT_NAME, literal.as_bytes(), false)
            .expect("key");
        conn
    }
}

impl Drop for TestStation {
    fn drop(&mut self) {
        if let Ok(id) = self.paths.database_id() {
            let _ = self.keyring.delete(&id);
        }
    }
}

pub fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn input() -> ProvisionInput {
    ProvisionInput {
        station_code: StationCode::try_from("440111001".to_string()).expect("code"),
        station_name: "白云区京溪街道政务服务中心".into(),
        counter: 3,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9/".into(),
        district_token: "token-for-tests".into(),
        evaluation_base_url: "http://127.0.0.1:9/hcp".into(),
        recovery_passphrase: PASSPHRASE.into(),
    }
}

pub fn catalogue() -> Catalogue {
    Catalogue::from_json(
        r#"{"version":"test-1","region_code":"440111","items":[
        {"item_code":"TEST-PROMISED-3","name":"居住证申领（测试）","department":"公安分局",
         "kind":"promised","statutory_limit_days":15,"promised_limit_days":3,
         "materials":[{"code":"M01","name":"居民身份证","form":"original","copies":1,"required":true}]},
        {"item_code":"TEST-IMMEDIATE-0","name":"证明开具（测试）","department":"街道办",
         "kind":"immediate","statutory_limit_days":0,"promised_limit_days":0,
         "materials":[{"code":"M01","name":"居民身份证","form":"original","copies":1,"required":true}]},
        {"item_code":"TEST-TOLERANT-5","name":"残疾人证办理（测试）","department":"残联",
         "kind":"promised","statutory_limit_days":20,"promised_limit_days":5,
         "materials":[{"code":"M01","name":"居民身份证","form":"original","copies":1,"required":true,"key":true},
                      {"code":"M02","name":"近期免冠照片","form":"original","copies":2,"required":true,"standard":"白底","tolerable":true}]}
        ]}"#,
    )
    .expect("test catalogue")
}

pub fn calendar() -> HolidayCalendar {
    HolidayCalendar::from_json(include_str!("../../../../assets/calendar/holidays.json"))
        .expect("calendar")
}

pub fn intake(item_code: &str) -> ValidIntake {
    let cat = catalogue();
    let item = cat.item(item_code).expect("item");
    draft(item_code).validate(item).expect("valid intake")
}

/// The form as a clerk fills it for `item_code`: 王堃喆, the ID card (M01) received.
pub fn draft(item_code: &str) -> IntakeDraft {
    IntakeDraft {
        item_code: item_code.into(),
        applicant: Applicant::NaturalPerson {
            name: "王堃喆".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "11010519491231002X".into(),
            address: "广州市白云区".into(),
        },
        contact: ContactInfo {
            name: "王堃喆".into(),
            phone: "13800138000".into(),
        },
        materials: vec![ReceivedMaterial {
            code: "M01".into(),
            form: yichuang_core::MaterialForm::Original,
            count: 1,
        }],
        delivery: DeliveryMethod::Window,
        agent: None,
    }
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}
