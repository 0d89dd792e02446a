//! The citizen's pages behind the slip's QR codes (issue 7 point 3): `/hcp` verifies the
//! station's signature before showing a form, records one rating per case (一次一评) with the
//! configured province codes, also for a case not yet arrived; `/progress` shows the
//! district's status and no personal data.

use std::time::Duration;

use reqwest::StatusCode;
use uuid::Uuid;
use yichuang_core::DistrictStatus;
use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
use yichuang_district::officer;
use yichuang_district::store::{NewStatus, ProvinceCodes};
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::enroll::Enrollment;
use yichuang_sync::protocol::v2::evaluations::{
    EVALUATIONS_BATCH_PATH, EvaluationAnswer, EvaluationBatch, EvaluationRecord, EvaluationResult,
};

use super::cases::{record, send};
use super::harness::{Backend, District, STATION};

pub const ITEM: &str = "114401110075061234200011000101";
const LABELS: [&str; 5] = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"];

/// A device of `STATION` enrolled with a fresh QR key: its token and the key.
pub async fn enroll_with_qr_key(d: &District) -> (String, QrSigningKey) {
    let key = QrSigningKey::generate().unwrap();
    let code = d.code_for(STATION, Duration::from_secs(3600), false).await;
    let resp = d
        .enroll_with_key(&code, STATION, Some(key.public_key().to_hex()))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let token = resp.json::<Enrollment>().await.unwrap().device_token;
    (token, key)
}

pub fn slip(case_no: &str, channel: &str) -> EvaluationQr {
    EvaluationQr {
        station_code: STATION.into(),
        case_no: case_no.into(),
        item_code: ITEM.into(),
        region_code: "440111".into(),
        channel: channel.into(),
    }
}

/// The signed query (after `?`) of `qr`, as the station prints it for this district.
pub fn signed(d: &District, qr: &EvaluationQr, key: &QrSigningKey) -> String {
    let payload = qr.to_payload(&format!("{}/hcp", d.url), key);
    let (_, query) = payload.split_once('?').unwrap();
    query.to_string()
}

async fn page(d: &District, path: &str, query: &str) -> (StatusCode, String) {
    let resp = d
        .http
        .get(format!("{}{path}?{query}", d.url))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let ctype = resp.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(ctype.starts_with("text/html"), "{ctype}");
    (status, resp.text().await.unwrap())
}

/// Posts the evaluation form as the page would (same origin).
pub async fn post_rating(
    d: &District,
    query: &str,
    level: &str,
    comment: &str,
) -> (StatusCode, String) {
    let resp = d
        .http
        .post(format!("{}/hcp", d.url))
        .header("Origin", d.url.clone())
        .form(&[("q", query), ("level", level), ("comment", comment)])
        .send()
        .await
        .unwrap();
    (resp.status(), resp.text().await.unwrap())
}

pub async fn station_rates(d: &District, token: &str, case_id: Uuid) -> EvaluationResult {
    let record = EvaluationRecord {
        id: Uuid::now_v7(),
        case_id,
        level: 2,
        comment: None,
        channel: "pad".into(),
        rated_at: jiff::Timestamp::now(),
    };
    let resp = d
        .post(
            EVALUATIONS_BATCH_PATH,
            token,
            &EvaluationBatch {
                records: vec![record],
            },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut answer: EvaluationAnswer = resp.json().await.unwrap();
    answer.results.remove(0)
}

fn is_form(html: &str) -> bool {
    html.contains("<form") && html.contains("name=\"level\"")
}

pub async fn the_evaluation_page_verifies_the_slip_and_rates_once(backend: &dyn Backend) {
    let d = District::start(backend).await;
    officer::publish(
        d.store.as_ref(),
        ReferenceKind::Catalogue,
        include_str!("../../../../assets/demo/catalogue.json"),
    )
    .await
    .unwrap();
    let (token, key) = enroll_with_qr_key(&d).await;
    let case = record(1);
    let (case_id, case_no) = (case.submission.id, case.submission.case_no.clone());
    send(&d, &token, vec![case]).await;

    let query = signed(&d, &slip(&case_no, "qr"), &key);
    let (status, html) = page(&d, "/hcp", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(is_form(&html), "{html}");
    for shown in [case_no.as_str(), "广东省居住证申领", "测试站点440111001"] {
        assert!(html.contains(shown), "{shown} on the page");
    }
    for label in LABELS {
        assert!(html.contains(&format!("<span>{label}</span>")), "{label}");
    }
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("type=\"hidden\" name=\"q\""));
    assert!(!html.contains("<script"), "no script");

    // Changed field, another key, no signature, nothing: 400 and no form.
    let other_key = QrSigningKey::generate().unwrap();
    let (without_sig, _) = query.split_once("&sig=").unwrap();
    for forged in [
        query.replace("-0001", "-0002"),
        query.replace("c=qr", "c=pc"),
        signed(&d, &slip(&case_no, "qr"), &other_key),
        without_sig.to_string(),
        String::new(),
    ] {
        let (status, html) = page(&d, "/hcp", &forged).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{forged}");
        assert!(!is_form(&html), "no form for {forged}");
        let (status, _) = post_rating(&d, &forged, "1", "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "POST {forged}");
    }
    let (status, html) = page(&d, "/hcp", &query.replace("-0001", "-0002")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("签名无效"), "{html}");

    // Posted from another site, no level, a comment too long, a body too large: nothing kept.
    let resp = d
        .http
        .post(format!("{}/hcp", d.url))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("q", query.as_str()), ("level", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let (status, html) = post_rating(&d, &query, "", "很好").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        is_form(&html) && html.contains("请选择一个评价等级"),
        "{html}"
    );
    let (status, html) = post_rating(&d, &query, "2", &"好".repeat(501)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("最多 500 字"), "{html}");
    let (status, html) = post_rating(&d, &query, "2", &"好".repeat(3000)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("过长"), "{html}");
    assert_eq!(d.store.count_evaluations(STATION).await.unwrap(), 0);

    // The rating, with the province's codes of the shipped mapping (GB/T 1 → "5", qr → "3").
    let (status, html) = post_rating(&d, &query, "1", "  窗口人员很耐心\r\n谢谢  ").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("感谢您的评价") && html.contains("非常满意"),
        "{html}"
    );
    let kept = d
        .store
        .slip_state(STATION, &case_no)
        .await
        .unwrap()
        .evaluation
        .expect("rating kept");
    assert_eq!(kept.case_id, Some(case_id));
    assert_eq!((kept.level, kept.channel.as_str()), (1, "qr"));
    assert_eq!(kept.comment.as_deref(), Some("窗口人员很耐心\n谢谢"));
    assert_eq!(
        kept.codes,
        Some(ProvinceCodes {
            score: "5".into(),
            channel: "3".into()
        })
    );

    // 一次一评: the page again, a second POST, and the station's own rating are refused.
    let (status, html) = page(&d, "/hcp", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("一次一评") && !is_form(&html), "{html}");
    let (status, html) = post_rating(&d, &query, "5", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("一次一评"), "{html}");
    assert!(matches!(station_rates(&d, &token, case_id).await,
            EvaluationResult::Conflict { message, .. } if message.contains("一次一评")));
    assert_eq!(d.store.count_evaluations(STATION).await.unwrap(), 1);

    // A channel the mapping does not know is recorded with the "other" code.
    let second = record(2);
    let second_no = second.submission.case_no.clone();
    send(&d, &token, vec![second]).await;
    let kiosk = signed(&d, &slip(&second_no, "kiosk"), &key);
    let (status, _) = post_rating(&d, &kiosk, "3", "").await;
    assert_eq!(status, StatusCode::OK);
    let kept = d
        .store
        .slip_state(STATION, &second_no)
        .await
        .unwrap()
        .evaluation
        .unwrap();
    assert_eq!(
        (kept.channel.as_str(), kept.codes.unwrap().channel.as_str()),
        ("kiosk", "9")
    );
    d.stop().await;
}

pub async fn a_slip_rated_before_its_case_arrives_counts_once(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let (token, key) = enroll_with_qr_key(&d).await;
    let case = record(3);
    let (case_id, case_no) = (case.submission.id, case.submission.case_no.clone());
    let query = signed(&d, &slip(&case_no, "qr"), &key);

    // Printed offline, not synced: the progress page says so, the form is there (the item
    // shown by its code: no catalogue published).
    let (status, html) = page(&d, "/progress", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("已受理，正在同步到区县系统"), "{html}");
    let (status, html) = page(&d, "/hcp", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(is_form(&html) && html.contains(ITEM), "{html}");
    let (status, _) = post_rating(&d, &query, "4", "等了很久").await;
    assert_eq!(status, StatusCode::OK);
    let kept = d.store.slip_state(STATION, &case_no).await.unwrap();
    assert!(kept.case.is_none());
    let rating = kept.evaluation.unwrap();
    assert_eq!((rating.case_id, rating.level), (None, 4));

    // The case arrives: the rating is linked to it, and the station's rating is refused.
    send(&d, &token, vec![case]).await;
    let kept = d.store.slip_state(STATION, &case_no).await.unwrap();
    assert_eq!(kept.case.map(|c| c.id), Some(case_id));
    assert_eq!(kept.evaluation.unwrap().case_id, Some(case_id));
    assert!(matches!(station_rates(&d, &token, case_id).await,
            EvaluationResult::Conflict { message, .. } if message.contains("一次一评")));
    let (status, _) = post_rating(&d, &query, "1", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(d.store.count_evaluations(STATION).await.unwrap(), 1);
    d.stop().await;
}

pub async fn the_progress_page_shows_the_status_and_no_personal_data(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let (token, key) = enroll_with_qr_key(&d).await;
    let case = record(4);
    let (case_id, case_no) = (case.submission.id, case.submission.case_no.clone());
    let answer = send(&d, &token, vec![case]).await;
    let official = match &answer.results[0] {
        yichuang_sync::protocol::v2::cases::RecordResult::Stored {
            official_case_no, ..
        } => official_case_no.clone(),
        other => panic!("{other:?}"),
    };
    let query = signed(&d, &slip(&case_no, "qr"), &key);
    let (status, html) = page(&d, "/progress", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&official) && html.contains("区县已接收"),
        "{html}"
    );

    for status in [DistrictStatus::Reviewing, DistrictStatus::Approved] {
        d.store
            .record_status(NewStatus {
                case_id,
                status,
                note: Some("准予许可，证号 粤穗 0001，王堃喆".into()),
                courier: None,
                tracking_no: None,
                now: jiff::Timestamp::now(),
            })
            .await
            .unwrap();
    }
    let (status, html) = page(&d, "/progress", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>办结</strong>"), "{html}");
    assert!(
        html.contains("审批中") && html.contains(&official),
        "{html}"
    );
    for personal in [
        "王堃喆",
        "11010519491231002X",
        "13800138000",
        "广州市白云区",
        "粤穗",
    ] {
        assert!(
            !html.contains(personal),
            "{personal} shown on the progress page"
        );
    }
    let (status, html) = page(&d, "/progress", &query.replace("c=qr", "c=pc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!html.contains(&official));
    d.stop().await;
}

pub async fn a_revoked_devices_slips_still_open_the_page(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let (token, key) = enroll_with_qr_key(&d).await;
    let case = record(5);
    let case_no = case.submission.case_no.clone();
    send(&d, &token, vec![case]).await;
    assert_eq!(
        d.store
            .revoke_station_devices(STATION, jiff::Timestamp::now())
            .await
            .unwrap(),
        1
    );
    let query = signed(&d, &slip(&case_no, "qr"), &key);
    let (status, html) = page(&d, "/hcp", &query).await;
    assert_eq!(status, StatusCode::OK);
    assert!(is_form(&html), "{html}");
    let (status, _) = post_rating(&d, &query, "2", "").await;
    assert_eq!(status, StatusCode::OK);
    d.stop().await;
}
