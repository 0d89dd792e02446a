//! The one station fixture of the station tests: a real station provisioned in a temp dir
//! (SQLCipher file, key in the real OS keyring under its own service, shipped catalogue and
//! demo credit list), clerk demo logged in; run under crates/yichuang-store/with-keyring.sh.
#![allow(dead_code)]

use yichuang_core::{Applicant, IdType, ReceivedMaterial};
use yichuang_station::{IntakeForm, ProvisionForm, Station, StationConfig};

/// 广东省居住证申领 in the demo catalogue.
pub const RESIDENCE_PERMIT: &str = "114401110075061234200011000101";
/// 城乡居民基本养老保险参保登记 in the demo catalogue.
pub const PENSION: &str = "114401110075061234200021000202";
/// The demo applicant 王堃喆: on no credit list.
pub const DEMO_ID: &str = "11010519491231002X";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub config: StationConfig,
    pub station: Station,
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

/// A started intake of 王堃喆 (document `id_no`) for `item_code`, every required material
/// ticked, saved as the clerk's draft.
pub fn filled_for(station: &Station, item_code: &str, id_no: &str) -> IntakeForm {
    let mut form = station.start_intake(item_code).unwrap();
    let item = station.item(item_code).unwrap();
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: id_no.into(),
        address: "广州市白云区太和镇".into(),
    };
    form.draft.contact.name = "王堃喆".into();
    form.draft.contact.phone = "13800138000".into();
    form.draft.materials = item
        .materials
        .iter()
        .filter(|m| m.material.required)
        .map(|m| ReceivedMaterial {
            code: m.material.code.clone(),
            form: m.material.form,
            count: m.material.copies,
        })
        .collect();
    station.save_draft(&form).unwrap();
    form
}

/// [`filled_for`] the demo applicant.
pub fn filled(station: &Station, item_code: &str) -> IntakeForm {
    filled_for(station, item_code, DEMO_ID)
}
