//! Roles are enforced in Rust, for every command: a plain clerk gets Forbidden from every
//! hall-manager method, and with nobody logged in (or the window locked) every clerk method
//! answers NotLoggedIn (or Locked) before it touches anything.

use crate::common;

use std::path::Path;
use std::time::Duration;

use common::{RESIDENCE_PERMIT, filled};
use uuid::Uuid;
use yichuang_core::{
    CaseQuery, HandoverForm, HandoverMethod, IntakeDecision, Paper, Role, SlipKind,
};
use yichuang_station::{
    AppError, ClerkPrefsForm, CourierHandover, DateRange, DeliveryFilter, ErrorKind,
    EvaluationCodes, EvaluationMoment, ExportFormat, ExportRequest, IntakeForm, LoginSettings,
    NewClerkForm, PrintHistoryQuery, Station, StationForm, WindowHandover,
};

fn kind<T>(result: Result<T, AppError>) -> Option<ErrorKind> {
    result.err().map(|e| e.kind)
}

fn clerk_form() -> NewClerkForm {
    NewClerkForm {
        login: "li".into(),
        display_name: "李四".into(),
        password: "li-password".into(),
        role: Role::Clerk,
    }
}

/// Every hall-manager-only method, each with the kind it answered.
fn manager_methods(s: &Station) -> Vec<(&'static str, Option<ErrorKind>)> {
    let login = LoginSettings {
        lockout_minutes: 15,
        idle_lock_minutes: 5,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    vec![
        ("accounts", kind(s.accounts())),
        ("add_local_clerk", kind(s.add_local_clerk(&clerk_form()))),
        ("set_clerk_active", kind(s.set_clerk_active("li", false))),
        (
            "reset_clerk_password",
            kind(s.reset_clerk_password("li", "another-pass")),
        ),
        ("set_login_settings", kind(s.set_login_settings(login))),
        (
            "set_district_url",
            kind(s.set_district_url("http://127.0.0.1:9")),
        ),
        (
            "enroll",
            kind(rt.block_on(s.enroll("http://127.0.0.1:9", "ABCD-1234", "窗口一"))),
        ),
        (
            "release_quarantined",
            kind(s.release_quarantined(&[Uuid::now_v7().to_string()], "已核实")),
        ),
        // the district's root CA from the settings window
        (
            "set_district_ca",
            kind(s.set_district_ca(Some(Path::new("/nonexistent/root.pem")))),
        ),
        ("set_district_ca(None)", kind(s.set_district_ca(None))),
        ("may_pick_district_ca", kind(s.may_pick_district_ca())),
        // hall manager's desk, settings (issue 8.6, 8.7)
        ("case_stats", kind(s.case_stats(&DateRange::default()))),
        (
            "evaluation_stats",
            kind(s.evaluation_stats(&DateRange::default())),
        ),
        (
            "export_file_name",
            kind(s.export_file_name(&DateRange::default(), ExportFormat::Csv)),
        ),
        (
            "export_cases",
            kind(s.export_cases(
                &ExportRequest {
                    range: DateRange::default(),
                    format: ExportFormat::Csv,
                    path: "/tmp/yichuang-roles-export.csv".into(),
                    full_ids: true,
                },
                &mut |_| {},
            )),
        ),
        (
            "set_station_settings",
            kind(s.set_station_settings(&StationForm {
                station_name: "改名".into(),
                counter: "9".into(),
                phone: String::new(),
                address: String::new(),
            })),
        ),
        ("evaluation_codes", kind(s.evaluation_codes())),
        (
            "set_evaluation_codes",
            kind(s.set_evaluation_codes(&EvaluationCodes {
                pad_channel: "x".into(),
                qr_channel: "y".into(),
            })),
        ),
        ("login_policy", kind(s.login_policy())),
        ("printer_settings", kind(s.printer_settings())),
        (
            "set_slip_printer",
            kind(s.set_slip_printer(SlipKind::AcceptanceNotice, "yichuang-pdf")),
        ),
        ("test_print", kind(s.test_print(SlipKind::AcceptanceNotice))),
        // refused handovers in the quarantine (issue 8.6)
        ("refused_handovers", kind(s.refused_handovers())),
        (
            "release_refused_handover",
            kind(s.release_refused_handover(&Uuid::now_v7().to_string(), "已核实")),
        ),
        // the scan folder is a station setting (issue 8 follow-up)
        ("set_scan_folder", kind(s.set_scan_folder("/tmp"))),
        ("may_pick_scan_folder", kind(s.may_pick_scan_folder())),
    ]
}

/// Every method any logged-in clerk may call, each with the kind it answered.
fn clerk_methods(s: &Station, form: &IntakeForm) -> Vec<(&'static str, Option<ErrorKind>)> {
    let id = Uuid::now_v7();
    let handover = HandoverForm {
        document_name: "居住证".into(),
        document_no: None,
        recipient_name: "王堃喆".into(),
        recipient_id_no: None,
        relation: "本人".into(),
        method: HandoverMethod::Window {
            place: "一号窗口".into(),
        },
    };
    let accept = IntakeDecision::Accept;
    let wait = Duration::from_millis(10);
    let intake = form.id.as_str();
    let mut all = manager_methods(s);
    all.extend([
        ("login_settings", kind(s.login_settings())),
        ("search_items", kind(s.search_items("居住证"))),
        ("item", kind(s.item(RESIDENCE_PERMIT))),
        ("start_intake", kind(s.start_intake(RESIDENCE_PERMIT))),
        ("save_draft", kind(s.save_draft(form))),
        ("drafts", kind(s.drafts())),
        ("discard_draft", kind(s.discard_draft(intake))),
        ("check_intake", kind(s.check_intake(form, &accept))),
        ("decide", kind(s.decide(form, &accept))),
        (
            "complete_correction",
            kind(s.complete_correction(form, &accept)),
        ),
        ("correction_form", kind(s.correction_form(&id.to_string()))),
        (
            "record_supplement",
            kind(s.record_supplement(&id.to_string())),
        ),
        (
            "returning_applicant",
            kind(s.returning_applicant(common::DEMO_ID)),
        ),
        ("search_cases", kind(s.search_cases(&CaseQuery::default()))),
        (
            "credit_check",
            kind(s.credit_check(intake, common::DEMO_ID)),
        ),
        ("ensure_credit_list", kind(s.ensure_credit_list())),
        (
            "acknowledge_black_list",
            kind(s.acknowledge_black_list(intake, common::DEMO_ID)),
        ),
        (
            "customer_view",
            kind(s.customer_view(id, EvaluationMoment::AfterAcceptance)),
        ),
        ("record_handover", kind(s.record_handover(id, id, handover))),
        ("handover", kind(s.handover(id))),
        ("home", kind(s.home())),
        ("deadlines", kind(s.deadlines(10, 0))),
        ("printers", kind(s.printers())),
        (
            "set_printer",
            kind(s.set_printer(Paper::A4, "yichuang-pdf")),
        ),
        ("print_options", kind(s.print_options(id))),
        (
            "preview_slip",
            kind(s.preview_slip(id, SlipKind::AcceptanceNotice)),
        ),
        (
            "render_slip",
            kind(s.render_slip(id, SlipKind::AcceptanceNotice, None)),
        ),
        (
            "print_history",
            kind(s.print_history(&PrintHistoryQuery::default())),
        ),
        (
            "print_slip_within",
            kind(s.print_slip_within(id, id, SlipKind::AcceptanceNotice, None, wait)),
        ),
        ("retry_print_within", kind(s.retry_print_within(id, wait))),
        ("cancel_print", kind(s.cancel_print(id))),
        (
            "attach_file",
            kind(s.attach_file(intake, "m1", Path::new("/nonexistent.jpg"))),
        ),
        (
            "attach_bytes",
            kind(s.attach_bytes(intake, "m1", "a.jpg", vec![1, 2, 3])),
        ),
        ("attach_scan", kind(s.attach_scan(intake, "m1", "a.jpg"))),
        ("pages", kind(s.pages(intake))),
        ("move_page", kind(s.move_page(1, 0))),
        ("remove_page", kind(s.remove_page(1))),
        ("page_image", kind(s.page_image(1))),
        ("reusable", kind(s.reusable(intake, "m1", common::DEMO_ID))),
        ("reuse", kind(s.reuse(intake, "m1", 1))),
        ("scan_folder", kind(s.scan_folder())),
        ("set_scan_folder", kind(s.set_scan_folder("/tmp"))),
        ("may_pick_scan_files", kind(s.may_pick_scan_files())),
        ("start_scan_watch", kind(s.start_scan_watch())),
        ("district", kind(s.district())),
        ("quarantined", kind(s.quarantined())),
        // queue, delivery, settings (issue 8.4, 8.5, 8.7)
        ("queue_filters", kind(s.queue_filters())),
        ("search_queue", kind(s.search_queue(&CaseQuery::default()))),
        ("case_scans", kind(s.case_scans(&id.to_string()))),
        (
            "case_page_image",
            kind(s.case_page_image(&id.to_string(), 1)),
        ),
        ("case_history", kind(s.case_history(&id.to_string()))),
        (
            "delivery_list",
            kind(s.delivery_list(&DeliveryFilter::default())),
        ),
        ("delivery_case", kind(s.delivery_case(id))),
        (
            "hand_over_at_window",
            kind(s.hand_over_at_window(id, id, &WindowHandover::default())),
        ),
        (
            "hand_over_by_courier",
            kind(s.hand_over_by_courier(id, id, &CourierHandover::default())),
        ),
        ("mark_receipt_signed", kind(s.mark_receipt_signed(id))),
        ("handed_row", kind(s.handed_row(id))),
        ("station_settings", kind(s.station_settings())),
        ("clerk_prefs", kind(s.clerk_prefs())),
        (
            "set_clerk_prefs",
            kind(s.set_clerk_prefs(&ClerkPrefsForm {
                large_text: true,
                locale: "zh".into(),
            })),
        ),
    ]);
    all
}

fn refused_all(answers: Vec<(&'static str, Option<ErrorKind>)>, expected: ErrorKind) {
    let wrong: Vec<_> = answers
        .iter()
        .filter(|(_, k)| *k != Some(expected))
        .collect();
    assert!(wrong.is_empty(), "expected {expected:?} from: {wrong:?}");
    assert!(answers.len() > 40, "{} methods checked", answers.len());
}

#[test]
fn a_plain_clerk_is_forbidden_every_hall_manager_method() {
    let f = common::station();
    f.station.add_local_clerk(&clerk_form()).unwrap();
    f.station.logout();
    f.station.login("li", "li-password").unwrap();
    let answers = manager_methods(&f.station);
    let wrong: Vec<_> = answers
        .iter()
        .filter(|(_, k)| *k != Some(ErrorKind::Forbidden))
        .collect();
    assert!(wrong.is_empty(), "not Forbidden for a clerk: {wrong:?}");
    // Nothing was changed: li is still active, the manager's settings are untouched.
    f.station.logout();
    assert_eq!(f.station.login("li", "li-password").unwrap().login, "li");
}

#[test]
fn with_nobody_logged_in_every_clerk_method_answers_not_logged_in() {
    let f = common::station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station.logout();
    refused_all(clerk_methods(&f.station, &form), ErrorKind::NotLoggedIn);
}

#[test]
fn on_a_locked_window_every_clerk_method_answers_locked() {
    let f = common::station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station.lock_session();
    refused_all(clerk_methods(&f.station, &form), ErrorKind::Locked);
    // Nothing ran: the draft is still there once the clerk unlocks.
    f.station.unlock("demo1234").unwrap();
    assert_eq!(f.station.drafts().unwrap().len(), 1);
}
