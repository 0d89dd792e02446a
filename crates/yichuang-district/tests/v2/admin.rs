//! The officer's page over real HTTP: signing in and out with the admin token, the session
//! cookie, and POSTs refused without a session or with a CSRF token that is not the session's.
//!
//! reqwest's own cookie store needs a crate the workspace does not lock yet, so [`Officer`]
//! keeps the one session cookie by hand, as a browser would: from `Set-Cookie` to `Cookie`.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::multipart::{Form, Part};
use yichuang_sync::protocol::v2::downloads::{REFERENCE_PATH, ReferenceKind};
use yichuang_sync::protocol::v2::report::{REPORT_PATH, StationReport};

use super::harness::{Backend, District, STATION, answer_to_head_only};

pub const ADMIN_TOKEN: &str = "admin-token-for-tests-0123";
pub const PUBLISH_PATH: &str = "/admin/publish";

/// A `multipart/form-data` body of text `fields` and the file `(name, bytes)` if one.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    match file {
        Some((name, bytes)) => {
            let part = Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("application/json")
                .unwrap();
            form.part("file", part)
        }
        // What a browser sends for a file input left empty.
        None => form.part("file", Part::bytes(Vec::new()).file_name("")),
    }
}

/// A browser signed in (or not) to the officer's page.
pub struct Officer {
    http: reqwest::Client,
    url: String,
    cookie: Option<String>,
}

/// A page as the officer sees it.
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

impl Page {
    /// The CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let at = self
            .html
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("a csrf field in {}", self.html));
        let rest = &self.html[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').expect("end of value")].to_string()
    }

    /// The page's text without tags, for assertions that read like the page.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Officer {
    pub fn new(d: &District) -> Officer {
        Officer {
            http: d.http.clone(),
            url: d.url.clone(),
            cookie: None,
        }
    }

    /// Signs in with `token`; keeps the session cookie if one is set.
    pub async fn sign_in(&mut self, token: &str) -> reqwest::Response {
        let resp = self
            .http
            .post(format!("{}/admin/login", self.url))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        if let Some(set) = resp.headers().get(SET_COOKIE) {
            let set = set.to_str().unwrap();
            self.cookie = Some(set.split(';').next().unwrap().to_string());
        }
        resp
    }

    /// Signed in with the right token, or the test fails.
    pub async fn signed_in(d: &District) -> Officer {
        let mut officer = Officer::new(d);
        let resp = officer.sign_in(ADMIN_TOKEN).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        officer
    }

    fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => req.header(COOKIE, c),
            None => req,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.with_cookie(self.http.get(format!("{}{path}", self.url)))
            .send()
            .await
            .unwrap()
    }

    /// The working page (the test fails if it is not shown).
    pub async fn page(&self) -> Page {
        let resp = self.get("/admin").await;
        assert_eq!(resp.status(), StatusCode::OK, "the page, signed in");
        Page {
            status: resp.status(),
            html: resp.text().await.unwrap(),
        }
    }

    /// POSTs a form to `path` as it is, `csrf` included or not, encoded as the page's form
    /// is: the publish form as `multipart/form-data` (no file chosen), the others as a query.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        if path == PUBLISH_PATH {
            return self.post_multipart_raw(path, multipart(fields, None)).await;
        }
        let req = self.http.post(format!("{}{path}", self.url)).form(fields);
        self.answer(req).await
    }

    /// POSTs `form` to `path` as it is, `csrf` included or not.
    pub async fn post_multipart_raw(&self, path: &str, form: Form) -> Page {
        let req = self
            .http
            .post(format!("{}{path}", self.url))
            .multipart(form);
        self.answer(req).await
    }

    /// As [`Self::post_multipart_raw`] for a body the server refuses while the client is
    /// still sending it: the server answers and closes, and the connection's reset may swallow
    /// its page before the client reads it (`None`).
    pub async fn post_multipart_answered(&self, path: &str, form: Form) -> Option<Page> {
        let req = self
            .http
            .post(format!("{}{path}", self.url))
            .multipart(form);
        let resp = self.with_cookie(req).send().await.ok()?;
        let status = resp.status();
        Some(Page {
            status,
            html: resp.text().await.ok()?,
        })
    }

    /// The publish form as the page sends it: the session's CSRF token, `fields`, and the
    /// file `(name, bytes)` when one is chosen.
    pub async fn publish(&self, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Page {
        let csrf = self.page().await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart_raw(PUBLISH_PATH, multipart(&all, file))
            .await
    }

    /// The page answering `req` (sent with the session cookie), which must be HTML.
    async fn answer(&self, req: reqwest::RequestBuilder) -> Page {
        let resp = self.with_cookie(req).send().await.unwrap();
        let status = resp.status();
        if !status.is_redirection() {
            let content_type = resp.headers()["content-type"].to_str().unwrap();
            assert!(content_type.starts_with("text/html"), "{content_type}");
        }
        Page {
            status,
            html: resp.text().await.unwrap(),
        }
    }

    /// POSTs a form with the session's CSRF token, as the page does.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.page().await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }
}

pub async fn admin_sign_in_refuses_a_wrong_token(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let report = StationReport {
        app_version: "0.3.1".into(),
        queue_depth: 17,
        quarantined: 2,
        materials_pending: 5,
        last_error: Some("区级系统繁忙 <b>".into()),
    };
    let resp = d.post(REPORT_PATH, &token, &report).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    let mut officer = Officer::new(&d);
    let resp = officer.get("/admin").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/admin/login");
    let resp = d.get("/admin", &token).send().await.unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::SEE_OTHER,
        "a device token opens nothing"
    );
    let resp = d
        .http
        .get(format!("{}/admin", d.url))
        .basic_auth("officer", Some(ADMIN_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::SEE_OTHER,
        "only the sign-in form signs in"
    );
    let login = officer.get("/admin/login").await.text().await.unwrap();
    assert!(
        login.contains("name=\"token\"") && login.contains("管理口令"),
        "{login}"
    );

    for wrong in [
        "",
        "admin-token-for-tests-012",
        "admin-token-for-tests-01234",
        "x",
    ] {
        let resp = officer.sign_in(wrong).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(resp.headers().get(SET_COOKIE).is_none());
        let text = resp.text().await.unwrap();
        assert!(text.contains("管理口令不正确"), "{text}");
    }
    assert!(officer.cookie.is_none());
    assert_eq!(officer.get("/admin").await.status(), StatusCode::SEE_OTHER);

    let resp = officer.sign_in(ADMIN_TOKEN).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/admin");
    let set = resp.headers()[SET_COOKIE].to_str().unwrap().to_string();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
        assert!(set.contains(part), "{part} in {set}");
    }
    assert!(
        !set.contains(ADMIN_TOKEN),
        "the cookie is not the token: {set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP on loopback: {set}");

    let page = officer.page().await;
    // The whole page once, for a reader of the test log (`--nocapture`).
    println!("--- /admin as the officer sees it ---\n{}\n---", page.html);
    let text = page.text();
    for part in [
        "签发注册码",
        "发布参考数据",
        "登记办件状态",
        "站点设备",
        STATION,
        "1 号窗口",
        "0.3.1",
        "17",
        "区级系统繁忙",
        "未发布",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(
        page.html.contains("区级系统繁忙 &lt;b&gt;"),
        "escaped: {}",
        page.html
    );
    for kind in ReferenceKind::ALL {
        assert!(text.contains(kind.label()), "{} in {text}", kind.label());
    }
    assert_eq!(page.csrf().len(), 64);
    let headers = officer.get("/admin").await;
    assert_eq!(headers.headers()["cache-control"], "no-store");
    assert!(
        headers.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(
        officer.get("/admin/login").await.status(),
        StatusCode::SEE_OTHER,
        "signed in: the sign-in page sends to the page"
    );

    // Signing out ends the session on the server, not only in the browser.
    let out = officer.post("/admin/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The old cookie is still sent (a copy kept by someone else): it opens nothing now.
    assert_eq!(officer.get("/admin").await.status(), StatusCode::SEE_OTHER);
    let page = officer.post_raw("/admin/logout", &[("csrf", "x")]).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    d.stop().await;
}

pub async fn admin_posts_without_session_or_csrf_change_nothing(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let device = d.enroll(STATION).await;
    let answer = super::cases::send(&d, &device, vec![super::cases::record(1)]).await;
    let case_id = answer.results[0].id().to_string();
    let calendar =
        r#"{"version":"2027.1","years":{"2027":{"holidays":["2027-01-01"],"workdays":[]}}}"#;
    let forms: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/admin/enroll-code",
            vec![
                ("station", "440111009"),
                ("station_name", "新站点"),
                ("valid_hours", "24"),
            ],
        ),
        (
            "/admin/publish",
            vec![("kind", "calendar"), ("document", calendar)],
        ),
        (
            "/admin/case-status",
            vec![("case_id", &case_id), ("status", "approved")],
        ),
    ];

    let stranger = Officer::new(&d);
    let mut a = Officer::signed_in(&d).await;
    let b = Officer::signed_in(&d).await;
    let a_csrf = a.page().await.csrf();
    let b_csrf = b.page().await.csrf();
    assert_ne!(a_csrf, b_csrf, "a token per session");
    for (path, fields) in &forms {
        let mut with_csrf = vec![("csrf", a_csrf.as_str())];
        with_csrf.extend_from_slice(fields);
        let page = stranger.post_raw(path, &with_csrf).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{path}: no session");
        assert!(page.text().contains("重新登录"), "{}", page.html);

        let page = a.post_raw(path, fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}: no csrf");
        assert!(page.text().contains("校验码不符"), "{}", page.html);

        let mut wrong = vec![("csrf", b_csrf.as_str())];
        wrong.extend_from_slice(fields);
        let page = a.post_raw(path, &wrong).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{path}: another session's csrf"
        );
        assert!(!page.html.contains("一次性注册码"), "{}", page.html);
    }
    // The forged cookie of a session that never was is no session either.
    a.cookie = Some(format!("yc_admin={}", "0".repeat(64)));
    let mut forged = vec![("csrf", a_csrf.as_str())];
    forged.extend_from_slice(&forms[1].1);
    assert_eq!(
        a.post_raw("/admin/publish", &forged).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A form body over the JSON limit is refused from its headers, as every other body is.
    let over = u64::try_from(yichuang_sync::protocol::v2::MAX_JSON_BODY).unwrap() + 1;
    for (path, content_type) in [
        ("/admin/enroll-code", "application/x-www-form-urlencoded"),
        (PUBLISH_PATH, "multipart/form-data; boundary=yc"),
    ] {
        let headers = [
            ("Cookie", b.cookie.clone().expect("signed in")),
            ("Content-Type", content_type.into()),
        ];
        let answer = answer_to_head_only(&d, "POST", path, &headers, over).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
    }

    // Nothing changed: no calendar, no status change, no device of the would-be station.
    let resp = d
        .get(&format!("{REFERENCE_PATH}/calendar"), &device)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let changes = super::admin_forms::status_changes(&d, &device).await;
    assert!(changes.is_empty(), "{changes:?}");
    let text = b.page().await.text();
    assert!(
        !text.contains("440111009") && text.contains("未发布"),
        "{text}"
    );
    d.stop().await;
}

pub async fn admin_page_is_off_without_a_token(backend: &dyn Backend) {
    let d = District::start_tuned(backend, |s| s.admin_token = None).await;
    for path in ["/admin", "/admin/login"] {
        let resp = d.http.get(format!("{}{path}", d.url)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let mut officer = Officer::new(&d);
    let resp = officer.sign_in(ADMIN_TOKEN).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(officer.cookie.is_none());
    d.stop().await;
}
