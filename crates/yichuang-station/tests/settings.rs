//! The settings screen's engine on a real station: the station's phone printed on the next
//! paper (pdftotext), per-field problems, the counter in the next case number, a printer per
//! slip kind in the print dialog, the evaluation codes, each clerk's own preferences, and a
//! plain clerk refused every station setting. Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::process::Command;

use common::{RESIDENCE_PERMIT, filled, station};
use yichuang_core::{IntakeDecision, SlipKind};
use yichuang_station::{
    ClerkPrefsForm, ErrorKind, EvaluationCodes, LoginSettings, Station, StationForm,
    StationSettingsView,
};

fn pdf_text(station: &Station, case_id: uuid::Uuid, kind: SlipKind) -> String {
    let rendered = station.render_slip(case_id, kind, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("paper.pdf");
    std::fs::write(&pdf, &rendered.pdf).unwrap();
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect()
}

fn form(view: &StationSettingsView) -> StationForm {
    StationForm {
        station_name: view.station_name.clone(),
        counter: view.counter.to_string(),
        phone: view.phone.clone(),
        address: view.address.clone(),
    }
}

fn accept(station: &Station) -> yichuang_core::Case {
    let f = filled(station, RESIDENCE_PERMIT);
    station.decide(&f, &IntakeDecision::Accept).unwrap().case
}

#[test]
fn the_station_phone_is_printed_on_the_next_paper_and_the_counter_numbers_the_next_case() {
    let f = station();
    let before = f.station.station_settings().unwrap();
    assert!(before.editable, "demo is the hall manager");
    assert_eq!(before.station_code, "440111001");
    assert!(before.printed_phone.starts_with("12345"));
    let first = accept(&f.station);
    assert!(pdf_text(&f.station, first.id, SlipKind::AcceptanceNotice).contains("拨打12345"));

    let mut changed = form(&before);
    changed.station_name = "白云区京溪街道便民服务站".into();
    changed.counter = "7".into();
    changed.phone = "020-8666 1234".into();
    changed.address = "广州市白云区京溪路 1 号".into();
    let after = f.station.set_station_settings(&changed).unwrap();
    assert_eq!(after.printed_phone, "020-8666 1234");
    assert_eq!(after.counter, 7);
    assert_eq!(f.station.info().station_name, "白云区京溪街道便民服务站");

    // The paper of a case accepted before the change prints the new phone too: papers read
    // the settings when they are printed.
    let text = pdf_text(&f.station, first.id, SlipKind::AcceptanceNotice);
    assert!(text.contains("020-86661234"), "{text}");
    assert!(text.contains("白云区京溪街道便民服务站"), "{text}");
    assert!(!text.contains("拨打12345"), "{text}");
    let receipt = pdf_text(&f.station, first.id, SlipKind::AcceptanceReceipt);
    assert!(receipt.contains("020-86661234"), "{receipt}");

    let second = accept(&f.station);
    assert!(
        first.case_no.starts_with("L440111001-01-"),
        "{}",
        first.case_no
    );
    assert!(
        second.case_no.starts_with("L440111001-07-"),
        "counter 7 in {}",
        second.case_no
    );

    // Back to no phone: the national hotline again.
    changed.phone = String::new();
    let back = f.station.set_station_settings(&changed).unwrap();
    assert!(back.printed_phone.starts_with("12345"));
}

#[test]
fn every_bad_field_is_named_and_nothing_is_saved() {
    let f = station();
    let before = f.station.station_settings().unwrap();
    let bad = StationForm {
        station_name: "  ".into(),
        counter: "100".into(),
        phone: "请拨 8888".into(),
        address: "地址\u{E000}".into(),
    };
    let err = f.station.set_station_settings(&bad).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    let fields: Vec<&str> = err.issues.iter().map(|i| i.field.as_str()).collect();
    for field in ["station_name", "counter", "phone", "address"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let unprintable = err.issues.iter().find(|i| i.field == "address").unwrap();
    assert_eq!(unprintable.code, "unprintable");
    let short = StationForm {
        phone: "12".into(),
        counter: "x".into(),
        ..form(&before)
    };
    let err = f.station.set_station_settings(&short).unwrap_err();
    assert_eq!(err.issues.len(), 2, "{:?}", err.issues);
    let now = f.station.station_settings().unwrap();
    assert_eq!(now.station_name, before.station_name);
    assert_eq!(now.counter, before.counter);
    assert_eq!(now.phone, "");
}

#[test]
fn a_printer_set_for_one_kind_is_preselected_for_that_kind_only() {
    let f = station();
    let case = accept(&f.station);
    f.station
        .set_slip_printer(SlipKind::AcceptanceNotice, "hall-a4-left")
        .unwrap();
    let options = f.station.print_options(case.id).unwrap();
    let printer_of = |kind| {
        options
            .papers
            .iter()
            .find(|p| p.kind == kind)
            .unwrap()
            .printer
            .clone()
    };
    assert_eq!(
        printer_of(SlipKind::AcceptanceNotice).as_deref(),
        Some("hall-a4-left")
    );
    assert_ne!(
        printer_of(SlipKind::AcceptanceReceipt).as_deref(),
        Some("hall-a4-left")
    );
    let view = f.station.printer_settings().unwrap();
    let row = view
        .kinds
        .iter()
        .find(|k| k.kind == SlipKind::AcceptanceNotice)
        .unwrap();
    assert_eq!(row.printer.as_deref(), Some("hall-a4-left"));
    assert_eq!(row.effective_label, "hall-a4-left");
    assert_eq!(view.kinds.len(), SlipKind::ALL.len());
    let refused = f
        .station
        .set_slip_printer(SlipKind::AcceptanceNotice, "two words")
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    // The print dialog's choice for that paper replaces its own printer; for a paper with
    // none it is the paper size's.
    f.station
        .set_dialog_printer(SlipKind::AcceptanceNotice, "hall-a4-right")
        .unwrap();
    f.station
        .set_dialog_printer(SlipKind::AcceptanceReceipt, "counter-receipt")
        .unwrap();
    let options = f.station.print_options(case.id).unwrap();
    let chosen = |kind| {
        options
            .papers
            .iter()
            .find(|p| p.kind == kind)
            .and_then(|p| p.printer.clone())
    };
    assert_eq!(
        chosen(SlipKind::AcceptanceNotice).as_deref(),
        Some("hall-a4-right")
    );
    assert_eq!(
        chosen(SlipKind::AcceptanceReceipt).as_deref(),
        Some("counter-receipt")
    );
    let store = f.station.store();
    assert_eq!(
        store
            .lock()
            .unwrap()
            .printer_for(yichuang_core::Paper::Receipt80)
            .unwrap()
            .as_deref(),
        Some("counter-receipt")
    );
    drop(store);
    // Empty: the kind follows its paper's printer again.
    f.station
        .set_slip_printer(SlipKind::AcceptanceNotice, "")
        .unwrap();
    let options = f.station.print_options(case.id).unwrap();
    let notice = options
        .papers
        .iter()
        .find(|p| p.kind == SlipKind::AcceptanceNotice)
        .unwrap();
    assert_ne!(notice.printer.as_deref(), Some("hall-a4-left"));
}

#[test]
fn evaluation_codes_are_kept_and_checked() {
    let f = station();
    let codes = f.station.evaluation_codes().unwrap();
    assert_eq!(
        (codes.pad_channel.as_str(), codes.qr_channel.as_str()),
        ("pad", "qr")
    );
    let saved = f
        .station
        .set_evaluation_codes(&EvaluationCodes {
            pad_channel: "6".into(),
            qr_channel: "3".into(),
        })
        .unwrap();
    assert_eq!(
        (saved.pad_channel.as_str(), saved.qr_channel.as_str()),
        ("6", "3")
    );
    assert_eq!(
        f.station.store().lock().unwrap().pad_channel().unwrap(),
        "6"
    );
    let err = f
        .station
        .set_evaluation_codes(&EvaluationCodes {
            pad_channel: "大厅 评价器".into(),
            qr_channel: "3".into(),
        })
        .unwrap_err();
    assert_eq!(err.issues[0].field, "pad_channel");
    let cleared = f
        .station
        .set_evaluation_codes(&EvaluationCodes {
            pad_channel: String::new(),
            qr_channel: String::new(),
        })
        .unwrap();
    assert_eq!(
        (cleared.pad_channel.as_str(), cleared.qr_channel.as_str()),
        ("pad", "qr")
    );
}

#[test]
fn a_clerk_sets_only_their_own_preferences_and_no_station_setting() {
    let f = station();
    f.station
        .set_clerk_prefs(&ClerkPrefsForm {
            large_text: true,
            locale: "en".into(),
        })
        .unwrap();
    f.station
        .store()
        .lock()
        .unwrap()
        .add_clerk("clerk2", "窗口二", "clerk2pass")
        .unwrap();
    f.station.logout();
    f.station.login("clerk2", "clerk2pass").unwrap();

    let prefs = f.station.clerk_prefs().unwrap();
    assert!(!prefs.large_text, "demo's choice is demo's");
    assert_eq!(prefs.locale, "zh");
    let mine = f
        .station
        .set_clerk_prefs(&ClerkPrefsForm {
            large_text: true,
            locale: "zh".into(),
        })
        .unwrap();
    assert!(mine.large_text);
    let err = f
        .station
        .set_clerk_prefs(&ClerkPrefsForm {
            large_text: false,
            locale: "fr".into(),
        })
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);

    let view = f.station.station_settings().unwrap();
    assert!(!view.editable);
    let forbidden = [
        f.station.set_station_settings(&form(&view)).map(|_| ()),
        f.station.printer_settings().map(|_| ()),
        f.station
            .set_slip_printer(SlipKind::AcceptanceNotice, "x")
            .map(|_| ()),
        f.station.test_print(SlipKind::AcceptanceNotice).map(|_| ()),
        f.station.evaluation_codes().map(|_| ()),
        f.station.login_policy().map(|_| ()),
        f.station
            .set_evaluation_codes(&EvaluationCodes {
                pad_channel: "1".into(),
                qr_channel: "2".into(),
            })
            .map(|_| ()),
    ];
    for result in forbidden {
        assert_eq!(result.unwrap_err().kind, ErrorKind::Forbidden);
    }

    f.station.logout();
    f.station.login("demo", "demo1234").unwrap();
    let demo = f.station.clerk_prefs().unwrap();
    assert!(demo.large_text);
    assert_eq!(demo.locale, "en");
    f.station.logout();
    assert_eq!(
        f.station.clerk_prefs().unwrap_err().kind,
        ErrorKind::NotLoggedIn
    );
}

#[test]
fn the_manager_reads_and_sets_the_lockout_and_idle_minutes() {
    let f = station();
    let now = f.station.login_policy().unwrap();
    assert_eq!((now.idle_lock_minutes, now.lockout_minutes), (5, 15));
    let err = f
        .station
        .set_login_settings(LoginSettings {
            idle_lock_minutes: 0,
            lockout_minutes: 15,
        })
        .unwrap_err();
    assert_eq!(err.issues[0].field, "idle_lock_minutes");
    f.station
        .set_login_settings(LoginSettings {
            idle_lock_minutes: 10,
            lockout_minutes: 30,
        })
        .unwrap();
    let saved = f.station.login_policy().unwrap();
    assert_eq!((saved.idle_lock_minutes, saved.lockout_minutes), (10, 30));
}
