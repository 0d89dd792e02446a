//! Shared fixtures for the slip tests: the bundled font, a realistic case, and the poppler /
//! qpdf / zbar command-line tools the checks run.

#![allow(dead_code)]

pub mod papers;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
use yichuang_core::{
    Applicant, Case, CaseState, Catalogue, ContactInfo, DeliveryMethod, HolidayCalendar, IdType,
    IntakeDraft, MaterialForm, ReceivedMaterial, ServiceItem, SyncState,
};
use yichuang_print::{AcceptanceSlip, SlipFont};

pub const FULL_ID: &str = "11010519491231002X";
pub const MASKED_ID: &str = "110105********002X";
pub const PHONE: &str = "13800138000";
pub const CASE_NO: &str = "L440111001-01-20261127-0007";

pub fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// The bundled font set (Noto and the fallback, as the station loads it), once per test binary.
pub fn font() -> &'static SlipFont {
    static FONT: OnceLock<SlipFont> = OnceLock::new();
    FONT.get_or_init(|| SlipFont::from_assets(assets()).expect("bundled fonts"))
}

/// 广东省居住证申领 from the demo catalogue (promised 10, statutory 15 working days).
pub fn item() -> ServiceItem {
    let json = std::fs::read_to_string(assets().join("demo/catalogue.json")).unwrap();
    let cat = Catalogue::from_json(&json).unwrap();
    cat.items
        .into_iter()
        .find(|i| i.name == "广东省居住证申领")
        .unwrap()
}

pub fn person(name: &str) -> Applicant {
    Applicant::NaturalPerson {
        name: name.into(),
        id_type: IdType::ResidentIdCard,
        id_no: FULL_ID.into(),
        address: "广州市白云区京溪街道云景路 18 号 3 栋 502 房".into(),
    }
}

/// An accepted case: 王堃喆, three materials, accepted 2026-11-27 09:05 China time.
pub fn case_with(item: &ServiceItem, applicant: Applicant) -> Case {
    let accepted_at: jiff::Timestamp = "2026-11-27T01:05:00Z".parse().unwrap();
    let json = std::fs::read_to_string(assets().join("calendar/holidays.json")).unwrap();
    let deadline = HolidayCalendar::from_json(&json).unwrap().add_working_days(
        yichuang_core::time::local_date(accepted_at),
        item.promised_limit_days,
    );
    let received = |code: &str, form, count| ReceivedMaterial {
        code: code.into(),
        form,
        count,
    };
    Case {
        id: "01936d2e-6a3b-7c4d-8e5f-000000000007".parse().unwrap(),
        case_no: CASE_NO.into(),
        official_case_no: None,
        station_code: "440111001".into(),
        item_name: item.name.clone(),
        intake: IntakeDraft {
            item_code: item.item_code.clone(),
            applicant,
            contact: ContactInfo {
                name: "王堃喆".into(),
                phone: PHONE.into(),
            },
            materials: vec![
                received("M01", MaterialForm::Original, 1),
                received("M02", MaterialForm::Original, 2),
                received("M03", MaterialForm::OriginalAndCopy, 1),
            ],
            delivery: DeliveryMethod::Window,
            agent: None,
        },
        clerk: "李晓芸".into(),
        state: CaseState::Accepted,
        outcome: yichuang_core::CaseOutcome::Accepted,
        accepted_at,
        due_date: Some(deadline.due),
        deadline_basis: Some(deadline.basis),
        sync_state: SyncState::Pending,
    }
}

/// The test station's evaluation-QR key (a fixed seed, so slips are reproducible).
pub fn qr_key() -> QrSigningKey {
    QrSigningKey::from_hex(&"5a".repeat(32)).expect("key")
}

pub fn payload(case: &Case) -> String {
    EvaluationQr {
        station_code: case.station_code.clone(),
        case_no: case.case_no.clone(),
        item_code: case.intake.item_code.clone(),
        region_code: "440111".into(),
        channel: "qr".into(),
    }
    .to_payload("https://hcp.example.invalid/e", &qr_key())
}

pub fn slip_for(applicant: Applicant) -> AcceptanceSlip {
    let item = item();
    let case = case_with(&item, applicant);
    AcceptanceSlip::from_case(&case, &item, "白云区京溪街道政务服务中心", payload(&case))
}

/// The Debian package that ships `program`.
pub fn package(program: &str) -> &'static str {
    match program {
        "qpdf" => "qpdf",
        "zbarimg" => "zbar-tools",
        _ => "poppler-utils",
    }
}

/// Runs a tool and returns its stdout; fails the test with its stderr if it fails.
pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{program} 无法运行（{e}）：请安装 Debian 软件包 {}",
                package(program)
            )
        });
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 tool output")
}

/// Writes `pdf` into `dir` and returns its path as a string for the tools.
pub fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path.to_str().unwrap().to_string()
}
