//! What the keyboard-run intake relies on, on a real station: a repeated F9 after a print
//! error returns the first case (never a second one) and the print retries the same job; the
//! customer-screen rule and each item's decisions come from Rust with the result and the item;
//! the item search answers well within a keystroke. Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::time::{Duration, Instant};

use common::{PENSION, RESIDENCE_PERMIT, filled, station};
use uuid::Uuid;
use yichuang_core::{CaseState, IntakeDecision, Paper, SlipKind};
use yichuang_station::{EvaluationMoment, PrintHistoryQuery, PrintStatus};

#[test]
fn a_repeated_decision_after_a_print_error_returns_the_first_case_and_retries_the_same_job() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let first = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert_eq!(first.case.state, CaseState::Accepted);
    assert_eq!(
        first.papers.first(),
        Some(&SlipKind::AcceptanceNotice),
        "the print dialog opens on the acceptance notice"
    );
    assert!(first.show_on_customer_screen);
    assert_eq!(first.evaluation_moment, EvaluationMoment::AfterAcceptance);

    // The printer is missing: the print fails.
    let missing = format!("yichuang-missing-{}", std::process::id());
    f.station.set_printer(Paper::A4, &missing).unwrap();
    let job = Uuid::now_v7();
    let failed = f
        .station
        .print_slip(job, first.case.id, SlipKind::AcceptanceNotice, None)
        .unwrap();
    assert_ne!(failed.status, PrintStatus::Done, "{}", failed.message);

    // The clerk presses F9 again (the decision is sent again with the same form).
    let again = f.station.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(again.already_saved);
    assert_eq!(again.case.case_no, first.case.case_no);
    assert!(
        !again.show_on_customer_screen,
        "a repeat does not put the evaluation on the customer screen again by itself"
    );
    let cases = f.station.search_cases(&Default::default()).unwrap();
    assert_eq!(cases.len(), 1, "one case, not two");

    // And the retry of the print is the same job: one record, still not a second copy.
    let retried = f.station.retry_print(job).unwrap();
    assert_eq!(retried.record.job_id, failed.record.job_id);
    assert_eq!(retried.record.copy_no, 1);
    let history = f
        .station
        .print_history(&PrintHistoryQuery {
            case_id: Some(first.case.id.to_string()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(history.len(), 1, "one print record for the case");
}

#[test]
fn only_rated_outcomes_go_to_the_customer_screen_by_themselves() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    let rejected = f
        .station
        .decide(
            &form,
            &IntakeDecision::Reject {
                reasons: "不属于本站受理范围".into(),
                referral: None,
            },
        )
        .unwrap();
    assert_eq!(rejected.case.state, CaseState::Rejected);
    assert!(!rejected.show_on_customer_screen);
    assert_eq!(rejected.papers.first(), Some(&SlipKind::RejectionNotice));

    assert_eq!(
        EvaluationMoment::after_decision(CaseState::CompletedOnSpot),
        Some(EvaluationMoment::AfterDelivery)
    );
    assert_eq!(
        EvaluationMoment::after_decision(CaseState::AcceptedTolerant),
        Some(EvaluationMoment::AfterAcceptance)
    );
    assert_eq!(
        EvaluationMoment::after_decision(CaseState::AwaitingCorrection),
        None
    );
}

#[test]
fn each_item_offers_its_own_decisions_and_the_default_document() {
    let f = station();
    let values = |code: &str| -> Vec<String> {
        let view = f.station.item(code).unwrap();
        view.decisions.into_iter().map(|c| c.value).collect()
    };
    for code in [RESIDENCE_PERMIT, PENSION] {
        let view = f.station.item(code).unwrap();
        let offered = values(code);
        assert_eq!(offered[0], "accept");
        assert_eq!(
            offered.contains(&"complete_on_spot".to_string()),
            view.immediate,
            "当场办结 only for an 即办件 ({code})"
        );
    }
    let options = yichuang_station::FormOptions::new();
    let default = serde_json::to_value(options.default_id_type).unwrap();
    assert!(
        options
            .person_id_types
            .iter()
            .any(|c| serde_json::Value::String(c.value.clone()) == default),
        "the default document is one of the offered ones"
    );
}

/// Keystroke to result: the Rust side of the item search, per query as typed one letter at a
/// time (the window adds one IPC round trip). Measured and printed; the bound is generous.
#[test]
fn the_item_search_answers_each_keystroke_quickly() {
    let f = station();
    f.station.search_items("").unwrap(); // builds the index once, as the screen's first list
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    let typed = [
        "j",
        "jz",
        "jzz",
        "居",
        "居住",
        "居住证",
        "养",
        "养老",
        "1144",
    ];
    for q in typed {
        let start = Instant::now();
        let hits = f.station.search_items(q).unwrap();
        let took = start.elapsed();
        worst = worst.max(took);
        total += took;
        assert!(!hits.is_empty(), "{q} finds items");
    }
    eprintln!(
        "item search: worst {worst:?}, mean {:?} over {} keystrokes",
        total / typed.len() as u32,
        typed.len()
    );
    assert!(worst < Duration::from_millis(25), "worst {worst:?}");
}
