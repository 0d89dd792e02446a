//! Sample submissions for tests of this crate, the district server and the end-to-end suite.

use jiff::{Timestamp, civil::Date};
use uuid::Uuid;
use yichuang_core::{
    Applicant, Case, CaseState, Catalogue, ContactInfo, DeliveryMethod, IdType, IntakeDraft,
    MaterialForm, ReceivedMaterial, StationCode, SyncState, ValidIntake,
};

use crate::protocol::CaseSubmission;

/// A valid submission from `station` with a fresh UUIDv7; `serial` shows in the provisional number.
pub fn sample_submission(station: &str, serial: u32) -> CaseSubmission {
    let station_code = match StationCode::try_from(station.to_string()) {
        Ok(code) => code,
        Err(e) => panic!("sample station code {station}: {e}"),
    };
    CaseSubmission {
        id: Uuid::now_v7(),
        station_code,
        case_no: format!("L{station}-01-20261127-{serial:04}"),
        item_code: "114401110075061234200011000101".into(),
        item_name: "广东省居住证申领".into(),
        intake: IntakeDraft {
            item_code: "114401110075061234200011000101".into(),
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
                form: MaterialForm::Original,
                count: 1,
            }],
            delivery: DeliveryMethod::Window,
            agent: None,
        },
        clerk: "演示窗口人员".into(),
        accepted_at: Timestamp::from_millisecond(1_795_000_000_123)
            .unwrap_or(Timestamp::UNIX_EPOCH),
        due_date: Date::new(2026, 12, 11).ok(),
        outcome: None,
    }
}

/// The station-side case behind [`sample_submission`], pending in the outbox.
pub fn sample_case(station: &str, serial: u32) -> Case {
    let sub = sample_submission(station, serial);
    Case {
        id: sub.id,
        case_no: sub.case_no,
        official_case_no: None,
        station_code: station.to_string(),
        item_name: sub.item_name,
        intake: sub.intake,
        clerk: sub.clerk,
        state: CaseState::Accepted,
        outcome: yichuang_core::CaseOutcome::Accepted,
        accepted_at: sub.accepted_at,
        due_date: sub.due_date,
        deadline_basis: None,
        sync_state: SyncState::Pending,
    }
}

/// The demo catalogue shipped in assets/, as stations import it.
pub fn demo_catalogue() -> Catalogue {
    match Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json")) {
        Ok(catalogue) => catalogue,
        Err(e) => panic!("demo catalogue: {e}"),
    }
}

/// A valid intake for the first demo item; `n` varies the applicant's address.
pub fn demo_intake(n: u32) -> ValidIntake {
    let catalogue = demo_catalogue();
    let item = &catalogue.items[0];
    let draft = IntakeDraft {
        item_code: item.item_code.clone(),
        applicant: Applicant::NaturalPerson {
            name: "王堃喆".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "11010519491231002X".into(),
            address: format!("广州市白云区测试路 {n} 号"),
        },
        contact: ContactInfo {
            name: "王堃喆".into(),
            phone: "13800138000".into(),
        },
        materials: item
            .materials
            .iter()
            .filter(|m| m.required)
            .map(|m| ReceivedMaterial {
                code: m.code.clone(),
                form: m.form,
                count: m.copies.max(1),
            })
            .collect(),
        delivery: DeliveryMethod::Window,
        agent: None,
    };
    match draft.validate(item) {
        Ok(valid) => valid,
        Err(issues) => panic!("demo intake invalid: {issues:?}"),
    }
}

/// Provisions the test station `station` at `paths` against `district_url` with `token`,
/// with the demo catalogue and the shipped holiday calendar. The caller owns the temp dir
/// and removes the keyring entry.
#[cfg(feature = "store")]
pub fn provision_test_station(
    paths: &yichuang_store::StationPaths,
    keyring: &yichuang_store::KeyringStore,
    station: &str,
    district_url: &str,
    token: &str,
) -> yichuang_store::Store {
    let station_code = match StationCode::try_from(station.to_string()) {
        Ok(code) => code,
        Err(e) => panic!("test station code {station}: {e}"),
    };
    let input = yichuang_store::ProvisionInput {
        station_code,
        station_name: "白云区同步测试便民服务站".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: district_url.into(),
        district_token: token.into(),
        evaluation_base_url: format!("{district_url}/hcp"),
        recovery_passphrase: "sync-test-recovery-passphrase".into(),
    };
    let mut store = yichuang_store::Store::provision(paths, keyring, input).expect(
        "provision a station (no Secret Service? run under crates/yichuang-store/with-keyring.sh)",
    );
    store
        .import_catalogue(&demo_catalogue())
        .expect("catalogue");
    let calendar = yichuang_core::HolidayCalendar::from_json(include_str!(
        "../../../assets/calendar/holidays.json"
    ))
    .expect("calendar");
    store.import_calendar(&calendar).expect("calendar");
    store
}

/// A self-signed test root CA (tests/fixtures/district-ca.pem), for pinning a district CA.
pub const SAMPLE_DISTRICT_CA_PEM: &str = include_str!("../tests/fixtures/district-ca.pem");

/// Its SHA-256 fingerprint as `openssl x509 -noout -fingerprint -sha256` printed it.
pub const SAMPLE_DISTRICT_CA_SHA256: &str = "7D:84:54:4C:32:B1:91:55:21:F9:3B:17:FA:7F:3D:E8:8F:8D:B1:3A:AD:96:D2:37:D2:3F:D4:CF:5B:C6:71:A6";
