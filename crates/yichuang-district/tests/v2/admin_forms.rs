//! The officer's forms over real HTTP, each checked by what a station then sees through the
//! v2 API: an enrollment code that enrolls, reference data that downloads, status changes
//! that arrive; and refusals in Chinese that keep what was typed and change nothing.

use reqwest::StatusCode;
use yichuang_core::{DistrictStatus, StatusChange};
use yichuang_sync::protocol::v2::downloads::{REFERENCE_PATH, STATUS_CHANGES_PATH, StatusChanges};
use yichuang_sync::protocol::v2::enroll::Enrollment;

use super::admin::Officer;
use super::cases::{record, send};
use super::harness::{Backend, District, STATION};

const CATALOGUE: &str = include_str!("../../../../assets/demo/catalogue.json");
const CREDIT_LIST: &str = include_str!("../../../../assets/demo/credit-list.json");

/// Every status change the station of `token` can download.
pub async fn status_changes(d: &District, token: &str) -> Vec<StatusChange> {
    let resp = d.get(STATUS_CHANGES_PATH, token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json::<StatusChanges>().await.unwrap().changes
}

/// The version of `kind` a station downloads, if any is published.
pub async fn downloaded_version(d: &District, token: &str, kind: &str) -> Option<String> {
    let resp = d
        .get(&format!("{REFERENCE_PATH}/{kind}"), token)
        .send()
        .await
        .unwrap();
    if resp.status() == StatusCode::NOT_FOUND {
        return None;
    }
    assert_eq!(resp.status(), StatusCode::OK);
    let doc: serde_json::Value = resp.json().await.unwrap();
    doc["version"].as_str().map(str::to_string)
}

pub async fn admin_issues_an_enrollment_code_that_enrolls(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let officer = Officer::signed_in(&d).await;
    let page = officer
        .post(
            "/admin/enroll-code",
            &[
                ("station", " 440111007 "),
                ("station_name", "白云区测试站"),
                ("valid_hours", "48"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let at = page.html.find("id=\"enroll-code\">").expect("the code") + "id=\"enroll-code\">".len();
    let code = &page.html[at..at + page.html[at..].find('<').unwrap()];
    assert_eq!(code.len(), 24, "{code}");
    assert!(page.text().contains("只显示这一次"), "{}", page.text());
    let again = officer.page().await;
    assert!(!again.html.contains(code), "shown once");

    let resp = d.enroll_raw(code, "440111007").await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let enrolled: Enrollment = resp.json().await.unwrap();
    assert_eq!(enrolled.station_name, "白云区测试站");
    assert_eq!(
        d.enroll_raw(code, "440111007").await.status(),
        StatusCode::UNAUTHORIZED,
        "one time only"
    );

    for (fields, expect) in [
        (
            [
                ("station", "44-01"),
                ("station_name", "站"),
                ("valid_hours", "1"),
            ],
            "站点编码",
        ),
        (
            [
                ("station", "440111008"),
                ("station_name", " "),
                ("valid_hours", "1"),
            ],
            "站点名称",
        ),
        (
            [
                ("station", "440111008"),
                ("station_name", "站"),
                ("valid_hours", "9999"),
            ],
            "有效",
        ),
        (
            [
                ("station", "440111008"),
                ("station_name", "站"),
                ("valid_hours", "两天"),
            ],
            "整数",
        ),
    ] {
        let page = officer.post("/admin/enroll-code", &fields).await;
        assert!(page.status.is_client_error(), "{fields:?}: {}", page.status);
        let text = page.text();
        assert!(text.contains(expect), "{expect} in {text}");
        assert!(!page.html.contains("id=\"enroll-code\""), "no code issued");
        // What was typed is still in the form.
        assert!(
            page.html.contains(&format!("value=\"{}\"", fields[2].1)),
            "{}",
            page.html
        );
    }
    d.stop().await;
}

pub async fn admin_publishes_what_stations_download(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let device = d.enroll(STATION).await;
    let officer = Officer::signed_in(&d).await;
    let calendar =
        r#"{"version":"2027.1","years":{"2027":{"holidays":["2027-01-01"],"workdays":[]}}}"#;
    for (kind, document, version) in [
        ("catalogue", CATALOGUE, "demo-2026.12"),
        ("credit-list", CREDIT_LIST, "demo-2026.12"),
        ("calendar", calendar, "2027.1"),
    ] {
        let page = officer
            .post("/admin/publish", &[("kind", kind), ("document", document)])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{kind}: {}", page.text());
        assert!(
            page.text().contains(&format!("版本 {version}")),
            "{}",
            page.text()
        );
        assert_eq!(
            downloaded_version(&d, &device, kind).await.as_deref(),
            Some(version)
        );
    }
    let text = officer.page().await.text();
    assert!(text.contains("节假日日历 2027.1"), "{text}");

    // Refusals: the CLI's validation, a message saying what to do, the text kept.
    let changed = calendar.replace("01-01", "01-02");
    let page = officer
        .post(
            "/admin/publish",
            &[("kind", "calendar"), ("document", &changed)],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text().contains("改用新的版本号"), "{}", page.text());
    assert!(page.html.contains("01-02"), "the text is kept");
    let broken = r#"{"version":"2027.2","years":"#;
    let page = officer
        .post(
            "/admin/publish",
            &[("kind", "calendar"), ("document", broken)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text().contains("节假日日历文件无法读取"),
        "{}",
        page.text()
    );
    let plain = serde_json::json!({"version": "c1", "clerks": [{
        "login": "demo", "display_name": "演示", "role": "clerk", "active": true,
        "password_hash": "secret"
    }]})
    .to_string();
    let page = officer
        .post(
            "/admin/publish",
            &[("kind", "clerks"), ("document", &plain)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("Argon2id"), "{}", page.text());
    let page = officer
        .post(
            "/admin/publish",
            &[("kind", "nope"), ("document", calendar)],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text().contains("请选择"), "{}", page.text());
    assert_eq!(
        downloaded_version(&d, &device, "calendar").await.as_deref(),
        Some("2027.1")
    );
    assert_eq!(downloaded_version(&d, &device, "clerks").await, None);
    d.stop().await;
}

pub async fn admin_moves_a_case_to_mailed(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let device = d.enroll(STATION).await;
    let answer = send(&d, &device, vec![record(1)]).await;
    let case_id = answer.results[0].id().to_string();
    let officer = Officer::signed_in(&d).await;

    // The cases table links each case to the status form, filled in.
    let page = officer.page().await;
    let link = format!("/admin?case={case_id}#status");
    assert!(page.html.contains(&link), "{}", page.html);
    let filled = officer
        .get(&format!("/admin?case={case_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(filled.contains(&format!("value=\"{case_id}\"")), "{filled}");

    let post = |status: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![("case_id", case_id.as_str()), ("status", status)];
        fields.extend(extra);
        let officer = &officer;
        async move { officer.post("/admin/case-status", &fields).await }
    };
    let page = post("approved", vec![("note", "准予，许可证号 粤穗2026001")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("已登记为“办结”"), "{}", page.text());

    let page = post("mailed", vec![("courier", "EMS")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("快递公司和运单号"), "{}", page.text());
    assert!(
        page.html.contains("value=\"EMS\""),
        "the courier typed is kept"
    );

    let page = post("reviewing", vec![]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("不能改为“审批中”"), "{}", page.text());

    let page = post(
        "mailed",
        vec![("courier", "EMS"), ("tracking_no", "E1234567890CN")],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());

    let changes = status_changes(&d, &device).await;
    let got: Vec<_> = changes
        .iter()
        .map(|c| (c.status, c.courier.as_deref(), c.tracking_no.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (DistrictStatus::Approved, None, None),
            (DistrictStatus::Mailed, Some("EMS"), Some("E1234567890CN")),
        ]
    );
    assert_eq!(
        changes[0].note.as_deref(),
        Some("准予，许可证号 粤穗2026001")
    );
    let text = officer.page().await.text();
    assert!(text.contains("已寄出"), "{text}");

    for (id, expect) in [
        ("not-a-uuid", StatusCode::BAD_REQUEST),
        (
            "0191f2a4-0000-7000-8000-000000000000",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let page = officer
            .post(
                "/admin/case-status",
                &[("case_id", id), ("status", "approved")],
            )
            .await;
        assert_eq!(page.status, expect, "{id}");
        assert!(page.text().contains("办件标识") || page.text().contains("没有这个办件"));
    }
    assert_eq!(status_changes(&d, &device).await.len(), 2);
    d.stop().await;
}
