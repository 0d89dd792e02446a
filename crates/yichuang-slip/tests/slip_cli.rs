//! The whole-process tool as the benchmark runs it: a case as JSON in, the 受理通知书 out as a
//! PDF with every field and a subset font, or as HTML with the same fields and both QR codes.

use std::path::{Path, PathBuf};
use std::process::Command;

use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
use yichuang_core::{
    Applicant, CalendarBasis, Case, CaseOutcome, CaseState, Catalogue, ContactInfo, DeliveryMethod,
    IdType, IntakeDraft, MaterialForm, ReceivedMaterial, SyncState,
};

const CASE_NO: &str = "L440111001-01-20261127-0007";

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

fn font() -> PathBuf {
    assets().join(yichuang_print::BUNDLED_FONT)
}

/// A saved acceptance of 王堃喆 for the first demo item, as `yichuang-slip` reads it.
fn write_input(dir: &Path) -> PathBuf {
    let catalogue = std::fs::read_to_string(assets().join("demo/catalogue.json")).unwrap();
    let item = Catalogue::from_json(&catalogue).unwrap().items[0].clone();
    let case = Case {
        id: "01936d2e-6a3b-7c4d-8e5f-000000000007".parse().unwrap(),
        case_no: CASE_NO.into(),
        official_case_no: None,
        station_code: "440111001".into(),
        item_name: item.name.clone(),
        intake: IntakeDraft {
            item_code: item.item_code.clone(),
            applicant: Applicant::NaturalPerson {
                name: "王堃喆".into(),
                id_type: IdType::ResidentIdCard,
                id_no: "11010519491231002X".into(),
                address: "广州市白云区京溪街道云景路 18 号 3 栋 502 房".into(),
            },
            contact: ContactInfo {
                name: "王堃喆".into(),
                phone: "13800138000".into(),
            },
            materials: ["M01", "M02", "M03"]
                .map(|code| ReceivedMaterial {
                    code: code.into(),
                    form: MaterialForm::Original,
                    count: 1,
                })
                .to_vec(),
            delivery: DeliveryMethod::Window,
            agent: None,
        },
        clerk: "李晓芸".into(),
        state: CaseState::Accepted,
        outcome: CaseOutcome::Accepted,
        accepted_at: "2026-11-27T01:05:00Z".parse().unwrap(),
        due_date: Some("2026-12-11".parse().unwrap()),
        deadline_basis: Some(CalendarBasis::Calendar {
            version: "default-2026.1".into(),
        }),
        sync_state: SyncState::Pending,
    };
    let payload = EvaluationQr {
        station_code: "440111001".into(),
        case_no: CASE_NO.into(),
        item_code: item.item_code.clone(),
        region_code: "440111".into(),
        channel: "qr".into(),
    }
    .to_payload("http://127.0.0.1:9/hcp", &QrSigningKey::generate().unwrap());
    let input = serde_json::json!({
        "case": case,
        "item": item,
        "station_name": "白云区京溪街道政务服务中心",
        "evaluation_payload": payload,
    });
    let path = dir.join("slip.json");
    std::fs::write(&path, serde_json::to_vec(&input).unwrap()).unwrap();
    path
}

fn slip(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yichuang-slip"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout_of(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(out.status.success(), "{program} {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn render_writes_the_notice_with_every_field_and_a_subset_font() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let pdf = dir.path().join("slip.pdf");
    let out = slip(&[
        "render".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        pdf.as_os_str(),
        "--font".as_ref(),
        font().as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = pdf.to_str().unwrap();
    let text = stdout_of("pdftotext", &["-layout", pdf, "-"]);
    for expected in [
        "受理通知书",
        CASE_NO,
        "王堃喆",
        "110105********002X",
        "138****8000",
        "李晓芸",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert!(
        !text.contains("11010519491231002X"),
        "the ID must be masked"
    );
    let fonts = stdout_of("pdffonts", &[pdf]);
    let font_line = fonts.lines().nth(2).expect("one embedded font");
    assert!(font_line.contains("CID Type 0C"), "{fonts}");
    assert!(
        font_line.contains("yes yes yes"),
        "embedded, subset, ToUnicode: {fonts}"
    );
    assert!(std::fs::metadata(pdf).unwrap().len() < 200_000);
}

#[test]
fn html_has_the_same_fields_both_codes_and_the_font_by_file_url() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_input(dir.path());
    let html_path = dir.path().join("slip.html");
    let out = slip(&[
        "html".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        html_path.as_os_str(),
        "--font".as_ref(),
        font().as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    for expected in [
        "受理通知书",
        CASE_NO,
        "王堃喆",
        "110105********002X",
        "扫码评价",
        "扫码查询",
    ] {
        assert!(html.contains(expected), "{expected} missing");
    }
    assert!(
        !html.contains("11010519491231002X"),
        "the ID must be masked"
    );
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "evaluation and progress codes"
    );
    let url = format!("file://{}", std::path::absolute(font()).unwrap().display());
    assert!(html.contains(&url), "font by {url}");
}

#[test]
fn unreadable_input_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.json");
    std::fs::write(&input, "{\"case\": 1}").unwrap();
    let out = slip(&[
        "render".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        dir.path().join("x.pdf").as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("不是有效的回执数据"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.path().join("x.pdf").exists());
}
