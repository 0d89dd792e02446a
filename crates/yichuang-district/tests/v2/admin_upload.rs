//! The publish form with a chosen file, over real HTTP as a browser sends it
//! (`multipart/form-data`): the shipped catalogue published from its file, the file winning
//! over pasted text, and files too large, not UTF-8 or not JSON refused in Chinese with the
//! form kept and nothing published; checked by what a station then downloads.

use futures_util::stream;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use yichuang_sync::protocol::v2::downloads::REFERENCE_PATH;

use super::admin::{Officer, PUBLISH_PATH, Page, multipart};
use super::admin_forms::downloaded_version;
use super::harness::{Backend, District, STATION};

const CATALOGUE: &str = include_str!("../../../../assets/demo/catalogue.json");
const CALENDAR: &str =
    r#"{"version":"2027.1","years":{"2027":{"holidays":["2027-01-01"],"workdays":[]}}}"#;
/// The upload limit the page states (7 MB).
const MAX_DOCUMENT_BYTES: usize = 7 * 1024 * 1024;

pub async fn admin_publishes_an_uploaded_catalogue_file(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let device = d.enroll(STATION).await;
    let officer = Officer::signed_in(&d).await;

    let page = officer.page().await;
    for part in [
        r#"enctype="multipart/form-data""#,
        r#"type="file" name="file" accept=".json,application/json""#,
    ] {
        assert!(page.html.contains(part), "{part} in {}", page.html);
    }
    assert!(page.text().contains("最大 7 MB"), "{}", page.text());

    // The shipped catalogue, as its file: what stations download is the file, byte for byte.
    let page = officer
        .publish(
            &[("kind", "catalogue")],
            Some(("catalogue.json", CATALOGUE.as_bytes().to_vec())),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(
        page.text().contains("已发布事项目录版本 demo-2026.12"),
        "{}",
        page.text()
    );
    let resp = d
        .get(&format!("{REFERENCE_PATH}/catalogue"), &device)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), CATALOGUE);

    // A new version from a file, with a Windows byte-order mark and stale text pasted too:
    // the file wins.
    let next = CATALOGUE.replace("demo-2026.12", "2027.01");
    let page = officer
        .publish(
            &[("kind", "catalogue"), ("document", CATALOGUE)],
            Some(("目录 2027.json", format!("\u{feff}{next}").into_bytes())),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("版本 2027.01"), "{}", page.text());
    assert_eq!(
        downloaded_version(&d, &device, "catalogue")
            .await
            .as_deref(),
        Some("2027.01")
    );
    let text = officer.page().await.text();
    assert!(text.contains("事项目录 2027.01"), "{text}");

    // No file and nothing pasted.
    let page = officer.publish(&[("kind", "calendar")], None).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.text().contains("请选择要发布的 JSON 文件"),
        "{}",
        page.text()
    );
    // The pasted path is the same form without a file.
    let page = officer
        .publish(&[("kind", "calendar"), ("document", CALENDAR)], None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(
        downloaded_version(&d, &device, "calendar").await.as_deref(),
        Some("2027.1")
    );
    d.stop().await;
}

pub async fn admin_refuses_uploads_too_large_not_utf8_or_not_json(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let device = d.enroll(STATION).await;
    let officer = Officer::signed_in(&d).await;
    let draft = "粘贴的草稿 <仍在>";

    let mut big = CATALOGUE.replace("demo-2026.12", "2027.02").into_bytes();
    big.resize(MAX_DOCUMENT_BYTES + 1, b' ');
    let mut gbk = br#"{"version":"2027.03","items":[{"name":""#.to_vec();
    gbk.extend_from_slice(&[0xC9, 0xE8, 0xC1, 0xA2]); // 设立, in GBK
    gbk.extend_from_slice(br#""}]}"#);
    let cases: [(&str, Vec<u8>, StatusCode, &[&str]); 5] = [
        (
            "big.json",
            big,
            StatusCode::PAYLOAD_TOO_LARGE,
            &[
                "所选文件 big.json 有 7.0 MB",
                "超过网页上传上限 7 MB",
                "yichuang-district publish",
            ],
        ),
        (
            "gbk.json",
            gbk,
            StatusCode::UNPROCESSABLE_ENTITY,
            &[
                "所选文件 gbk.json 不是 UTF-8 编码",
                "第 1 行第 40 列",
                "另存为 UTF-8",
            ],
        ),
        (
            "scan.pdf",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &[
                "所选文件 scan.pdf 不是 JSON 格式（第 1 行第 1 列有误）",
                "事项目录的 JSON 文件",
            ],
        ),
        (
            "cut.json",
            CATALOGUE.as_bytes()[..CATALOGUE.rfind('}').unwrap()].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &["所选文件 cut.json 不完整", "处中断", "完整"],
        ),
        (
            "calendar.json",
            CALENDAR.as_bytes().to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &[
                "事项目录文件无法读取：第 1 行",
                "（所选文件 calendar.json）",
            ],
        ),
    ];
    for (name, bytes, status, expect) in cases {
        let page = officer
            .publish(
                &[("kind", "catalogue"), ("document", draft)],
                Some((name, bytes)),
            )
            .await;
        assert_eq!(page.status, status, "{name}: {}", page.text());
        let text = page.text();
        for part in expect {
            assert!(text.contains(part), "{name}: {part} in {text}");
        }
        // The form is kept: the kind chosen and the text pasted.
        assert!(
            page.html.contains(r#"<option value="catalogue" selected>"#),
            "{name}: {}",
            page.html
        );
        assert!(page.html.contains("粘贴的草稿 &lt;仍在&gt;"), "{name}");
    }

    // A body over the admin routes' limit sent without a length (so read until the limit; a
    // browser always sends the length, which the limit refuses before reading).
    let csrf = officer.page().await.csrf();
    let page = over_limit_answer(&officer, || {
        let chunk = vec![b' '; 1024 * 1024];
        let chunks = stream::iter((0..9).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
        let part = Part::stream(reqwest::Body::wrap_stream(chunks)).file_name("huge.json");
        multipart(&[("csrf", &csrf), ("kind", "catalogue")], None).part("file", part)
    })
    .await;
    assert!(page.text().contains("所选文件过大"), "{}", page.text());

    // A file over the limit with its length, as a browser sends it: refused before it is
    // read, with the same page (not the stations' JSON error).
    let page = over_limit_answer(&officer, || {
        let huge = vec![b' '; 9 * 1024 * 1024];
        multipart(
            &[("csrf", &csrf), ("kind", "catalogue")],
            Some(("huge.json", huge)),
        )
    })
    .await;
    assert!(page.text().contains("所选文件过大"), "{}", page.html);
    assert!(page.html.contains("回到管理页面"), "{}", page.html);

    // A good file without the session's CSRF token, or without a session.
    let good = || Some(("catalogue.json", CATALOGUE.as_bytes().to_vec()));
    let forged = "0".repeat(64);
    for fields in [
        vec![("kind", "catalogue")],
        vec![("csrf", forged.as_str()), ("kind", "catalogue")],
    ] {
        let page = officer
            .post_multipart_raw(PUBLISH_PATH, multipart(&fields, good()))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{fields:?}");
        assert!(page.text().contains("校验码不符"), "{}", page.text());
    }
    let stranger = Officer::new(&d);
    let fields = [("csrf", csrf.as_str()), ("kind", "catalogue")];
    let page = stranger
        .post_multipart_raw(PUBLISH_PATH, multipart(&fields, good()))
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);

    // Nothing was published.
    assert_eq!(downloaded_version(&d, &device, "catalogue").await, None);
    assert!(officer.page().await.text().contains("事项目录 未发布"));
    d.stop().await;
}

/// The 413 page answering a body over the admin routes' limit. The server answers and closes
/// at once, so the reset can reach the client while it is still sending and swallow the
/// answer (about one send in three here): the form is sent again, up to ten times.
async fn over_limit_answer(officer: &Officer, form: impl Fn() -> Form) -> Page {
    for _ in 0..10 {
        if let Some(page) = officer.post_multipart_answered(PUBLISH_PATH, form()).await {
            assert_eq!(
                page.status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "{}",
                page.text()
            );
            return page;
        }
    }
    panic!("ten sends over the limit, and the reset swallowed every answer");
}
