//! `Station::render_slip` on a real station: every paper a case may print, rendered from what
//! the store holds (outcome, handover, district status), with both QR codes decoded from
//! pixels and verified with the station's own public key; a reprint marked 补打; a paper the
//! case does not call for refused with a message. Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::process::Command;

use common::{PENSION, RESIDENCE_PERMIT, district_reports, filled, station, status_change};
use uuid::Uuid;
use yichuang_core::evaluation_qr::EvaluationQr;
use yichuang_core::{
    DateField, DistrictStatus, HandoverForm, HandoverMethod, IntakeDecision, SlipKind, StatusChange,
};
use yichuang_station::slips::Reprint;
use yichuang_station::{ErrorKind, Station};

fn run(program: &str, args: &[&str]) -> String {
    let package = match program {
        "zbarimg" => "zbar-tools",
        _ => "poppler-utils",
    };
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} 无法运行（{e}）：请安装 Debian 软件包 {package}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The paper's text without whitespace, after checking both QR codes on its first page.
fn read_paper(
    station: &Station,
    case_id: Uuid,
    kind: SlipKind,
    reprint: Option<&Reprint>,
) -> String {
    let rendered = station.render_slip(case_id, kind, reprint).unwrap();
    assert_eq!(rendered.kind, kind);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join(&rendered.file_name);
    std::fs::write(&pdf, &rendered.pdf).unwrap();
    let pdf = pdf.to_str().unwrap();
    let png = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            pdf,
            png.to_str().unwrap(),
        ],
    );
    let decoded = run(
        "zbarimg",
        &[
            "--raw",
            "-q",
            "-Sdisable",
            "-Sqrcode.enable",
            dir.path().join("page.png").to_str().unwrap(),
        ],
    );
    let public = station
        .store()
        .lock()
        .unwrap()
        .qr_signing_key("test")
        .unwrap()
        .public_key();
    let mut bases: Vec<&str> = decoded
        .lines()
        .map(|code| {
            let read = EvaluationQr::verify(code, |_, _| Some(public)).expect("signature verifies");
            assert_eq!(read.station_code, "440111001");
            code.split_once('?').unwrap().0
        })
        .collect();
    bases.sort();
    assert_eq!(
        bases,
        ["http://127.0.0.1:9/hcp", "http://127.0.0.1:9/progress"],
        "{kind:?}"
    );
    run("pdftotext", &["-raw", pdf, "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn contains_all(text: &str, needles: &[&str]) {
    for n in needles {
        let n: String = n.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&n), "{n:?} missing in:\n{text}");
    }
}

fn ready_for_pickup(station: &Station, case_id: Uuid) {
    let change = StatusChange {
        note: Some("准予，核发广东省居住证".into()),
        ..status_change(case_id, 1, DistrictStatus::ReadyForPickup)
    };
    district_reports(station, &[change]);
}

#[test]
fn accepted_case_prints_notice_handover_and_completion_papers() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let case = f
        .station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap()
        .case;
    let text = read_paper(&f.station, case.id, SlipKind::AcceptanceNotice, None);
    contains_all(
        &text,
        &[
            "白云区测试便民服务站",
            "受理通知书",
            &case.case_no,
            "110105********002X",
            "138****8000",
            "广东省居住证申领",
            "扫码查询办理进度",
        ],
    );
    assert!(!text.contains("11010519491231002X") && !text.contains("13800138000"));

    let not_yet = f
        .station
        .render_slip(case.id, SlipKind::CompletionReceipt, None)
        .unwrap_err();
    assert_eq!(not_yet.kind, ErrorKind::Print);
    assert!(not_yet.message.contains("尚未办结"), "{}", not_yet.message);
    let no_handover = f
        .station
        .render_slip(case.id, SlipKind::ServiceReceipt, None)
        .unwrap_err();
    assert!(
        no_handover.message.contains("尚未登记送达"),
        "{}",
        no_handover.message
    );

    ready_for_pickup(&f.station, case.id);
    let text = read_paper(&f.station, case.id, SlipKind::CompletionReceipt, None);
    contains_all(
        &text,
        &[
            "办结领取回执",
            "已办结：准予，核发广东省居住证",
            "2026-11-3010:00",
            "440111-2026-000001",
        ],
    );

    let handover = HandoverForm {
        document_name: "广东省居住证".into(),
        document_no: Some("粤穗白 004417".into()),
        recipient_name: "王堃喆".into(),
        recipient_id_no: Some("11010519491231002X".into()),
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "白云区测试便民服务站 1 号窗口".into(),
        },
    };
    f.station
        .record_handover(case.id, Uuid::now_v7(), handover)
        .unwrap();
    let text = read_paper(&f.station, case.id, SlipKind::ServiceReceipt, None);
    contains_all(
        &text,
        &[
            "送达回证",
            "粤穗白004417",
            "白云区测试便民服务站1号窗口",
            "直接送达（窗口领取）",
            "送达人：demo",
            "受送达人（签名）",
        ],
    );
    let courier = f
        .station
        .render_slip(case.id, SlipKind::CourierServiceReceipt, None)
        .unwrap_err();
    assert!(courier.message.contains("窗口领取"), "{}", courier.message);

    let reprint = Reprint {
        copy_no: 2,
        reason: "打印机卡纸".into(),
    };
    let text = read_paper(
        &f.station,
        case.id,
        SlipKind::AcceptanceNotice,
        Some(&reprint),
    );
    contains_all(&text, &["补打第2份", "补打原因：打印机卡纸"]);

    let receipt = f
        .station
        .render_slip(case.id, SlipKind::AcceptanceReceipt, None)
        .unwrap();
    assert!(receipt.pdf.starts_with(b"%PDF"));
}

#[test]
fn each_outcome_prints_its_own_notice() {
    let f = station();
    let mut form = filled(&f.station, RESIDENCE_PERMIT);
    let item = f.station.item(RESIDENCE_PERMIT).unwrap();
    let kept = form.draft.materials.remove(0);
    let missing = item
        .materials
        .iter()
        .find(|m| m.material.code == kept.code)
        .unwrap()
        .material
        .name
        .clone();
    let waiting = f
        .station
        .decide(
            &form,
            &IntakeDecision::RequestCorrection { defects: vec![] },
        )
        .unwrap()
        .case;
    let text = read_paper(&f.station, waiting.id, SlipKind::CorrectionNotice, None);
    contains_all(
        &text,
        &[
            "一次性告知书",
            &missing,
            "五日内一次告知",
            "经办人：测试窗口人员",
            "申请人（签收）",
        ],
    );
    let wrong = f
        .station
        .render_slip(waiting.id, SlipKind::RejectionNotice, None)
        .unwrap_err();
    assert!(
        wrong.message.contains("不予受理通知书"),
        "{}",
        wrong.message
    );

    let form = filled(&f.station, RESIDENCE_PERMIT);
    let reject = IntakeDecision::Reject {
        reasons: "申请人不符合本地居住证申领条件".into(),
        referral: Some("广州市白云区人力资源和社会保障局".into()),
    };
    let rejected = f.station.decide(&form, &reject).unwrap().case;
    let text = read_paper(&f.station, rejected.id, SlipKind::RejectionNotice, None);
    contains_all(
        &text,
        &[
            "不予受理通知书",
            "申请人不符合本地居住证申领条件",
            "请向广州市白云区人力资源和社会保障局提出申请",
            "六十日内",
            "六个月内",
        ],
    );

    let mut form = filled(&f.station, PENSION);
    let pension = f.station.item(PENSION).unwrap();
    let tolerable = pension
        .materials
        .iter()
        .find(|m| m.material.tolerable && !m.material.key)
        .unwrap()
        .material
        .clone();
    form.draft.materials.retain(|m| m.code != tolerable.code);
    let today = yichuang_core::time::local_date(jiff::Timestamp::now());
    let by = today.saturating_add(jiff::Span::new().days(7));
    let decision = IntakeDecision::AcceptTolerant {
        supplement_by: DateField(Some(by)),
    };
    let tolerant = f.station.decide(&form, &decision).unwrap().case;
    let text = read_paper(&f.station, tolerant.id, SlipKind::TolerantNotice, None);
    contains_all(
        &text,
        &[
            "容缺受理通知书",
            &tolerable.name,
            &yichuang_core::time::format_date_zh(by),
            "申请人（承诺人）签名",
        ],
    );
}
