//! Each Art. 32 outcome decided for real drafts against a real catalogue item.

use jiff::civil::date;

use super::*;
use crate::{Applicant, Catalogue, ContactInfo, DeliveryMethod, IdType, ReceivedMaterial};

fn item(kind: ItemKind) -> ServiceItem {
    let mut item = Catalogue::from_json(
        r#"{"version":"t","region_code":"440111","items":[{"item_code":"I1","name":"居住证申领",
        "department":"公安","kind":"promised","statutory_limit_days":15,"promised_limit_days":10,
        "materials":[
         {"code":"ID","name":"居民身份证","form":"original","copies":1,"required":true,"standard":"有效期内","key":true},
         {"code":"PH","name":"照片","form":"original","copies":2,"required":true,"standard":"白底","tolerable":true},
         {"code":"LEASE","name":"租赁合同","form":"copy","copies":1,"required":true,"standard":"已备案"}]}]}"#,
    )
    .unwrap()
    .items
    .remove(0);
    item.kind = kind;
    item
}

fn draft(codes: &[&str]) -> IntakeDraft {
    IntakeDraft {
        item_code: "I1".into(),
        applicant: Applicant::NaturalPerson {
            name: "王堃喆".into(),
            id_type: IdType::ResidentIdCard,
            id_no: "11010519491231002X".into(),
            address: String::new(),
        },
        contact: ContactInfo {
            name: "王堃喆".into(),
            phone: "13800138000".into(),
        },
        materials: codes
            .iter()
            .map(|c| ReceivedMaterial {
                code: (*c).into(),
                form: MaterialForm::Original,
                count: 1,
            })
            .collect(),
        delivery: DeliveryMethod::Window,
        agent: None,
    }
}

const TODAY: Date = date(2026, 11, 30);

fn now() -> Timestamp {
    "2026-11-30T02:00:00Z".parse().unwrap()
}

fn run(
    d: &IntakeDraft,
    item: &ServiceItem,
    decision: IntakeDecision,
) -> Result<Decided, Vec<Issue>> {
    decide(d, item, &decision, TODAY, now())
}

fn codes(issues: &[Issue]) -> Vec<&str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

#[test]
fn accept_needs_every_required_material() {
    let item = item(ItemKind::Promised);
    assert_eq!(
        run(
            &draft(&["ID", "PH", "LEASE"]),
            &item,
            IntakeDecision::Accept
        )
        .unwrap()
        .outcome,
        CaseOutcome::Accepted
    );
    let issues = run(&draft(&["ID"]), &item, IntakeDecision::Accept).unwrap_err();
    assert_eq!(codes(&issues), ["materials_missing"]);
}

#[test]
fn tolerant_accept_only_for_tolerable_non_key_materials() {
    let item = item(ItemKind::Promised);
    let by = date(2026, 12, 7);
    let ok = run(
        &draft(&["ID", "LEASE"]),
        &item,
        IntakeDecision::AcceptTolerant {
            supplement_by: by.into(),
        },
    )
    .unwrap();
    match &ok.outcome {
        CaseOutcome::AcceptedTolerant {
            missing,
            supplement_by,
            ..
        } => {
            assert_eq!(missing.len(), 1);
            assert_eq!(missing[0].name, "照片");
            assert_eq!(*supplement_by, by);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ok.outcome.state(), CaseState::AcceptedTolerant);
    assert!(!ok.outcome.supplement_overdue(by));
    assert!(ok.outcome.supplement_overdue(date(2026, 12, 8)));

    // The lease is neither key nor tolerable; the ID card is key.
    let issues = run(
        &draft(&["ID", "PH"]),
        &item,
        IntakeDecision::AcceptTolerant {
            supplement_by: by.into(),
        },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["not_tolerable"]);
    assert!(issues[0].message.contains("租赁合同"));
    let issues = run(
        &draft(&["PH", "LEASE"]),
        &item,
        IntakeDecision::AcceptTolerant {
            supplement_by: by.into(),
        },
    )
    .unwrap_err();
    assert!(issues[0].message.contains("居民身份证"));
}

#[test]
fn tolerant_accept_needs_a_near_future_promise_and_something_missing() {
    let item = item(ItemKind::Promised);
    for bad in [TODAY, date(2027, 1, 30)] {
        let issues = run(
            &draft(&["ID", "LEASE"]),
            &item,
            IntakeDecision::AcceptTolerant {
                supplement_by: bad.into(),
            },
        )
        .unwrap_err();
        assert_eq!(codes(&issues), ["supplement_date"]);
    }
    let issues = run(
        &draft(&["ID", "PH", "LEASE"]),
        &item,
        IntakeDecision::AcceptTolerant {
            supplement_by: date(2026, 12, 7).into(),
        },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["nothing_missing"]);
}

#[test]
fn correction_lists_everything_missing_and_defective_once() {
    let item = item(ItemKind::Promised);
    let decision = IntakeDecision::RequestCorrection {
        defects: vec![
            MaterialDefect {
                code: "ID".into(),
                problem: "证件已过期".into(),
            },
            MaterialDefect {
                code: "PH".into(),
                problem: "不是本人".into(),
            },
        ],
    };
    let decided = run(&draft(&["ID"]), &item, decision).unwrap();
    let CaseOutcome::CorrectionRequested { items, notified_at } = &decided.outcome else {
        panic!("{:?}", decided.outcome)
    };
    let listed: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i.code.as_str(), i.problem.as_str()))
        .collect();
    // PH is missing (listed once, as missing), LEASE missing, ID defective.
    assert_eq!(listed, [("PH", ""), ("LEASE", ""), ("ID", "证件已过期")]);
    assert!(items.iter().all(|i| !i.standard.is_empty()));
    assert_eq!(*notified_at, now());
    assert_eq!(decided.outcome.state(), CaseState::AwaitingCorrection);
    assert!(!decided.outcome.starts_the_clock());
}

#[test]
fn correction_needs_something_to_correct_with_a_reason() {
    let item = item(ItemKind::Promised);
    let all = draft(&["ID", "PH", "LEASE"]);
    let issues = run(
        &all,
        &item,
        IntakeDecision::RequestCorrection { defects: vec![] },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["nothing_to_correct"]);
    let blank = IntakeDecision::RequestCorrection {
        defects: vec![MaterialDefect {
            code: "ID".into(),
            problem: " ".into(),
        }],
    };
    assert!(codes(&run(&all, &item, blank).unwrap_err()).contains(&"problem_required"));
}

#[test]
fn rejection_records_reasons_and_referral() {
    let item = item(ItemKind::Promised);
    let decided = run(
        &draft(&[]),
        &item,
        IntakeDecision::Reject {
            reasons: " 不属于本机关职权范围 ".into(),
            referral: Some("白云区市场监督管理局".into()),
        },
    )
    .unwrap();
    assert_eq!(
        decided.outcome,
        CaseOutcome::Rejected {
            reasons: "不属于本机关职权范围".into(),
            referral: Some("白云区市场监督管理局".into())
        }
    );
    let issues = run(
        &draft(&[]),
        &item,
        IntakeDecision::Reject {
            reasons: "".into(),
            referral: None,
        },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["required"]);
    assert!(APPEAL_RIGHTS.contains("行政复议") && APPEAL_RIGHTS.contains("行政诉讼"));
}

#[test]
fn only_immediate_items_complete_on_the_spot() {
    let all = draft(&["ID", "PH", "LEASE"]);
    let decided = run(
        &all,
        &item(ItemKind::Immediate),
        IntakeDecision::CompleteOnSpot { result: "".into() },
    )
    .unwrap();
    assert_eq!(
        decided.outcome,
        CaseOutcome::CompletedOnSpot {
            result: "当场办结".into()
        }
    );
    let issues = run(
        &all,
        &item(ItemKind::Promised),
        IntakeDecision::CompleteOnSpot { result: "".into() },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["not_immediate"]);
}

#[test]
fn form_errors_and_decision_errors_come_together() {
    let mut d = draft(&["ID", "LEASE"]);
    d.contact.phone = "123".into();
    let issues = run(
        &d,
        &item(ItemKind::Promised),
        IntakeDecision::AcceptTolerant {
            supplement_by: TODAY.into(),
        },
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["phone", "supplement_date"]);
}

#[test]
fn an_empty_supplement_date_from_the_window_is_asked_for() {
    let decision: IntakeDecision =
        serde_json::from_str(r#"{"kind":"accept_tolerant","supplement_by":""}"#).unwrap();
    assert_eq!(
        decision,
        IntakeDecision::AcceptTolerant {
            supplement_by: DateField(None)
        }
    );
    let issues = run(
        &draft(&["ID", "LEASE"]),
        &item(ItemKind::Promised),
        decision,
    )
    .unwrap_err();
    assert_eq!(codes(&issues), ["required"]);
    assert_eq!(issues[0].field, "decision.supplement_by");
}
