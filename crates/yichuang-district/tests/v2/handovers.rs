//! `POST handovers/batch`: a result per record, one handover per case, only of the
//! station's own decided cases; a stored one adds 已送达 to the status changes the station
//! pulls; a repeat is a duplicate and adds nothing.

use jiff::Timestamp;
use reqwest::StatusCode;
use uuid::Uuid;
use yichuang_core::{DistrictStatus, HandoverForm, HandoverMethod};
use yichuang_district::officer;
use yichuang_sync::protocol::v2::downloads::{STATUS_CHANGES_PATH, StatusChanges};
use yichuang_sync::protocol::v2::handovers::{
    HANDOVERS_BATCH_PATH, HandoverAnswer, HandoverBatch, HandoverRecord, HandoverResult,
};

use super::cases::{record, send};
use super::harness::{Backend, District, OTHER_STATION, STATION};

fn handover(case_id: Uuid, method: HandoverMethod) -> HandoverRecord {
    HandoverRecord {
        id: Uuid::now_v7(),
        case_id,
        form: HandoverForm {
            document_name: "准予行政许可决定书".into(),
            document_no: Some("穗白审〔2026〕12号".into()),
            recipient_name: "王堃喆".into(),
            recipient_id_no: Some("11010519491231002X".into()),
            relation: "本人".into(),
            method,
        },
        clerk: "窗口人员".into(),
        handed_at: Timestamp::from_second(1_795_000_000).unwrap(),
    }
}

fn window() -> HandoverMethod {
    HandoverMethod::Window {
        place: "白云区政务服务中心 3 号窗口".into(),
    }
}

async fn hand_over(d: &District, token: &str, records: Vec<HandoverRecord>) -> HandoverAnswer {
    let resp = d
        .post(HANDOVERS_BATCH_PATH, token, &HandoverBatch { records })
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

async fn decide(d: &District, case_id: Uuid, status: DistrictStatus) {
    officer::set_case_status(&*d.store, case_id, status, None, None, None)
        .await
        .unwrap();
}

async fn statuses(d: &District, token: &str) -> StatusChanges {
    let resp = d
        .get(STATUS_CHANGES_PATH, token)
        .query(&[("after", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

fn invalid_saying(result: &HandoverResult, words: &str) -> bool {
    matches!(result, HandoverResult::Invalid { message, .. } if message.contains(words))
}

pub async fn handovers_are_stored_once_per_decided_case(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let other_token = d.enroll(OTHER_STATION).await;
    let (a, b, c) = (record(1), record(2), record(3));
    let (a_id, b_id, c_id) = (a.submission.id, b.submission.id, c.submission.id);
    send(&d, &token, vec![a, b, c]).await;
    decide(&d, a_id, DistrictStatus::Approved).await;
    decide(&d, a_id, DistrictStatus::ReadyForPickup).await;
    decide(&d, b_id, DistrictStatus::Reviewing).await;

    let first = handover(a_id, window());
    let reviewing = handover(b_id, window());
    let undecided = handover(c_id, window());
    let unknown = handover(Uuid::now_v7(), window());
    let mut blank = handover(a_id, window());
    blank.form.relation = "  ".into();
    let answer = hand_over(
        &d,
        &token,
        vec![first.clone(), reviewing, undecided, unknown, blank],
    )
    .await;
    let r = &answer.results;
    assert_eq!(
        r[0],
        HandoverResult::Stored {
            id: first.id,
            duplicate: false
        }
    );
    assert!(
        invalid_saying(&r[1], "尚未作出办理决定（当前：审批中）"),
        "{:?}",
        r[1]
    );
    assert!(invalid_saying(&r[2], "尚未作出办理决定"), "{:?}", r[2]);
    assert!(invalid_saying(&r[3], "先同步办件"), "{:?}", r[3]);
    assert!(invalid_saying(&r[4], "领取人与申请人的关系"), "{:?}", r[4]);
    assert_eq!(d.store.count_handovers(STATION).await.unwrap(), 1);

    // The station's pull shows the case 已送达, after its 待领取.
    let pulled = statuses(&d, &token).await;
    let of_a: Vec<_> = pulled
        .changes
        .iter()
        .filter(|c| c.case_id == a_id)
        .collect();
    let last = of_a.last().expect("status changes of the case");
    assert_eq!(last.status, DistrictStatus::Delivered);
    assert_eq!(last.status.label(), "已送达");
    assert_eq!(last.note.as_deref(), Some("直接送达（窗口领取）"));
    assert_eq!(last.changed_at, first.handed_at);
    let seen = pulled.changes.len();

    // The same record again is a duplicate and adds no status; another handover of the same
    // case, or the same id with other content, is a conflict; another station's token may
    // not hand over this station's case.
    let mut changed = first.clone();
    changed.form.recipient_name = "李四".into();
    let second = handover(a_id, window());
    let answer = hand_over(&d, &token, vec![first.clone(), second, changed]).await;
    assert_eq!(
        answer.results[0],
        HandoverResult::Stored {
            id: first.id,
            duplicate: true
        }
    );
    assert!(
        matches!(&answer.results[1], HandoverResult::Conflict { message, .. } if message.contains("已登记送达")),
        "{:?}",
        answer.results[1]
    );
    assert!(
        matches!(&answer.results[2], HandoverResult::Conflict { message, .. } if message.contains("送达标识")),
        "{:?}",
        answer.results[2]
    );
    let foreign = hand_over(&d, &other_token, vec![handover(b_id, window())]).await;
    assert!(invalid_saying(&foreign.results[0], "先同步办件"));
    assert_eq!(statuses(&d, &token).await.changes.len(), seen);
    assert_eq!(d.store.count_handovers(STATION).await.unwrap(), 1);
}

pub async fn a_courier_handover_of_a_mailed_case_carries_its_tracking_number(
    backend: &dyn Backend,
) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let a = record(1);
    let a_id = a.submission.id;
    send(&d, &token, vec![a]).await;
    decide(&d, a_id, DistrictStatus::Denied).await;
    let posted = handover(
        a_id,
        HandoverMethod::Courier {
            address: "广州市白云区某路 1 号".into(),
            courier: "中国邮政 EMS".into(),
            tracking_no: "EA123456789CN".into(),
        },
    );
    let answer = hand_over(&d, &token, vec![posted.clone()]).await;
    assert_eq!(
        answer.results[0],
        HandoverResult::Stored {
            id: posted.id,
            duplicate: false
        }
    );
    let pulled = statuses(&d, &token).await;
    let last = pulled.changes.last().unwrap();
    assert_eq!(
        (last.case_id, last.status),
        (a_id, DistrictStatus::Delivered)
    );
    assert_eq!(last.courier.as_deref(), Some("中国邮政 EMS"));
    assert_eq!(last.tracking_no.as_deref(), Some("EA123456789CN"));
    // Nothing follows 已送达: an officer's late 已寄出 is refused.
    let late = officer::set_case_status(
        &*d.store,
        a_id,
        DistrictStatus::Mailed,
        None,
        Some("顺丰".into()),
        Some("SF1".into()),
    )
    .await;
    assert!(late.is_err());

    // More than the protocol's limit in one request is a 413, nothing stored.
    let many: Vec<_> = (0..1001).map(|_| handover(a_id, window())).collect();
    let resp = d
        .post(
            HANDOVERS_BATCH_PATH,
            &token,
            &HandoverBatch { records: many },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(d.store.count_handovers(STATION).await.unwrap(), 1);
}

pub async fn concurrent_handovers_of_one_case_store_once(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let a = record(1);
    let a_id = a.submission.id;
    send(&d, &token, vec![a]).await;
    decide(&d, a_id, DistrictStatus::Approved).await;
    // The same handover resent at once by a station whose answers are slow, and another
    // handover of the same case from a second device, all together.
    let same = handover(a_id, window());
    let mut batches: Vec<_> = (0..6)
        .map(|_| HandoverBatch {
            records: vec![same.clone()],
        })
        .collect();
    batches.push(HandoverBatch {
        records: vec![handover(a_id, window())],
    });
    let sends: Vec<_> = batches
        .iter()
        .map(|batch| {
            let req = d.post(HANDOVERS_BATCH_PATH, &token, batch);
            tokio::spawn(async move { req.send().await })
        })
        .collect();
    let mut stored_new = 0;
    let mut results = Vec::new();
    for s in sends {
        let resp = s.await.unwrap().unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let answer: HandoverAnswer = resp.json().await.unwrap();
        let result = answer.results.into_iter().next().unwrap();
        if matches!(
            result,
            HandoverResult::Stored {
                duplicate: false,
                ..
            }
        ) {
            stored_new += 1;
        }
        results.push(result);
    }
    assert_eq!(stored_new, 1, "{results:?}");
    assert_eq!(d.store.count_handovers(STATION).await.unwrap(), 1);
    let delivered = statuses(&d, &token)
        .await
        .changes
        .iter()
        .filter(|c| c.status == DistrictStatus::Delivered)
        .count();
    assert_eq!(delivered, 1);
}
