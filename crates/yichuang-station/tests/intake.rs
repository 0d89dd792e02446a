//! The station service driven as the window drives it, on a real station (SQLCipher file,
//! key in the real OS keyring, shipped catalogue): run under crates/yichuang-store/with-keyring.sh.

use crate::common;
use yichuang_core::{Applicant, CaseQuery, CaseState, IdType, IntakeDecision, MaterialDefect};

use common::{RESIDENCE_PERMIT, filled, station};
use yichuang_station::{ErrorKind, Station};

#[test]
fn items_are_found_by_pinyin_initials_with_labels() {
    let f = station();
    let hits = f.station.search_items("jzz").unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.item.name.contains("居住证")));
    let first = &hits[0];
    assert!(first.limits_label.contains("工作日") || first.limits_label.contains("即办"));
    assert!(first.materials.iter().all(|m| m.form_label.contains('份')));
}

#[test]
fn accepting_twice_returns_the_first_case_and_its_slip() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let first = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(!first.already_saved);
    assert_eq!(first.case.id.to_string(), form.id);
    assert_eq!(first.case.state, CaseState::Accepted);
    assert!(
        first
            .papers
            .contains(&yichuang_core::SlipKind::AcceptanceNotice),
        "the acceptance notice is offered for printing"
    );

    let second = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(second.already_saved);
    assert_eq!(second.case.case_no, first.case.case_no);
    let all = f.station.search_cases(&CaseQuery::default()).unwrap();
    assert_eq!(all.len(), 1, "one case, not two");
    assert!(
        f.station.drafts().unwrap().is_empty(),
        "the draft became the case"
    );
}

#[test]
fn a_draft_survives_reopening_the_station() {
    let f = station();
    let mut form = filled(&f.station, RESIDENCE_PERMIT);
    form.draft.contact.phone = "1380013".into(); // half typed
    assert!(f.station.save_draft(&form).unwrap());
    drop(f.station);
    let reopened = Station::open(&f.config).unwrap();
    reopened.login("demo", "demo1234").unwrap();
    let drafts = reopened.drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].form, form);
    assert_eq!(drafts[0].applicant_name, "王堃喆");
}

#[test]
fn unprintable_names_are_refused_before_anything_is_saved() {
    let f = station();
    let mut form = filled(&f.station, RESIDENCE_PERMIT);
    // U+E000 is a private-use character: no font prints it.
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王\u{E000}".into(),
        id_type: IdType::ResidentIdCard,
        id_no: "11010519491231002X".into(),
        address: String::new(),
    };
    let err = f
        .station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unprintable);
    assert_eq!(err.issues[0].field, "applicant.name");
    assert!(
        f.station
            .search_cases(&CaseQuery::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn correction_then_completion_and_search_by_name_and_id_tail() {
    let f = station();
    let mut form = filled(&f.station, RESIDENCE_PERMIT);
    let complete = form.draft.materials.clone();
    form.draft.materials.truncate(1);
    let notice = IntakeDecision::RequestCorrection {
        defects: vec![MaterialDefect {
            code: complete[0].code.clone(),
            problem: "复印件不清晰".into(),
        }],
    };
    let waiting = f.station.decide(&form, &notice).unwrap();
    assert_eq!(waiting.state_label, "待补正");
    assert_eq!(
        waiting.papers,
        vec![yichuang_core::SlipKind::CorrectionNotice],
        "a 补正 case prints its 一次性告知书, no acceptance slip"
    );

    form.draft.materials = complete;
    let done = f
        .station
        .complete_correction(&form, &IntakeDecision::Accept)
        .unwrap();
    assert_eq!(done.case.state, CaseState::Accepted);
    assert!(
        done.papers
            .contains(&yichuang_core::SlipKind::AcceptanceNotice)
    );

    for text in [
        "堃喆",
        "王",
        "002X",
        "11010519491231002x",
        &done.case.case_no,
    ] {
        let rows = f
            .station
            .search_cases(&CaseQuery {
                text: text.into(),
                ..CaseQuery::default()
            })
            .unwrap();
        assert_eq!(rows.len(), 1, "search {text}");
        assert_eq!(rows[0].state_label, "已受理");
    }
    let returning = f.station.returning_applicant("11010519491231002x").unwrap();
    assert_eq!(returning.unwrap().applicant.name(), "王堃喆");
    assert!(
        f.station
            .returning_applicant("440524188001010014")
            .unwrap()
            .is_none()
    );
}

#[test]
fn rejection_needs_reasons_and_is_filtered_by_state() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let err = f
        .station
        .decide(
            &form,
            &IntakeDecision::Reject {
                reasons: " ".into(),
                referral: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    let rejected = f
        .station
        .decide(
            &form,
            &IntakeDecision::Reject {
                reasons: "申请人不符合本地居住证申领条件".into(),
                referral: None,
            },
        )
        .unwrap();
    assert_eq!(rejected.case.state, CaseState::Rejected);
    let only_rejected = f
        .station
        .search_cases(&CaseQuery {
            state: Some(CaseState::Rejected),
            ..CaseQuery::default()
        })
        .unwrap();
    assert_eq!(only_rejected.len(), 1);
    let accepted = f
        .station
        .search_cases(&CaseQuery {
            state: Some(CaseState::Accepted),
            ..CaseQuery::default()
        })
        .unwrap();
    assert!(accepted.is_empty());
}

#[test]
fn nothing_works_without_a_login() {
    let f = station();
    f.station.logout();
    let err = f.station.search_items("jzz").unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotLoggedIn);
}

#[test]
fn a_tampered_audit_log_is_reported_at_start_and_work_goes_on() {
    let f = station();
    assert!(f.station.info().audit_warning.is_none());
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    drop(f.station);

    // Someone edits an audit row in the encrypted file with the station's own key.
    let raw = common::raw_db(&f.config);
    raw.execute("UPDATE audit_log SET result = 'refused' WHERE id = 2", [])
        .unwrap();
    drop(raw);

    let reopened = Station::open(&f.config).unwrap();
    // The check runs beside the opened station; it reports within seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let warning = loop {
        if let Some(w) = reopened.info().audit_warning {
            break w;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "broken chain never reported"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(warning.contains("第 2 条"), "{warning}");
    reopened.login("demo", "demo1234").unwrap();
    assert_eq!(
        reopened.search_cases(&CaseQuery::default()).unwrap().len(),
        1
    );
}

/// Waits (up to 20 s) for the station's search indexer to have written every case's keys.
fn keys_written(station: &Station) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let pending = station
            .store()
            .lock()
            .unwrap()
            .search_keys_pending()
            .unwrap();
        if pending == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{pending} cases still without search keys"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn found(station: &Station, text: &str) -> usize {
    station
        .search_cases(&CaseQuery {
            text: text.into(),
            ..CaseQuery::default()
        })
        .unwrap()
        .len()
}

#[test]
fn search_keys_are_written_after_a_decision_and_after_a_restart() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert_eq!(
        found(&f.station, "堃喆"),
        1,
        "found at once, keys written or not"
    );
    keys_written(&f.station);
    assert_eq!(
        found(&f.station, "堃喆"),
        1,
        "and once its keys are written"
    );

    // A case saved by another process on the same station (the CLI, or a crash before the
    // indexer ran): no nudge; the next start writes its keys.
    let other = filled(&f.station, RESIDENCE_PERMIT);
    f.station
        .store()
        .lock()
        .unwrap()
        .decide_case(
            other.id.parse().unwrap(),
            &other.draft,
            &IntakeDecision::Accept,
            "demo",
            jiff::Timestamp::now(),
        )
        .unwrap();
    assert_eq!(found(&f.station, "堃喆"), 2);
    drop(f.station);
    let reopened = Station::open(&f.config).unwrap();
    reopened.login("demo", "demo1234").unwrap();
    keys_written(&reopened);
    assert_eq!(found(&reopened, "堃喆"), 2);
    assert_eq!(found(&reopened, "002X"), 2);
}
