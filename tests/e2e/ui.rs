//! The counter window as the test sees it: small verbs over WebDriver, by data-testid.
// Shared by several test binaries through #[path]; each one uses only some of the verbs.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator, elements::Element};

pub struct Page<'a> {
    client: &'a Client,
}

const WAIT: Duration = Duration::from_secs(20);

impl<'a> Page<'a> {
    pub fn new(client: &'a Client) -> Self {
        Page { client }
    }

    async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
    }

    async fn by_id(&self, testid: &str) -> Element {
        self.find(&format!("[data-testid='{testid}']")).await
    }

    /// Clicks the element; a click the driver refused without clicking (a stale or covered
    /// element while the window re-renders) is tried again on a fresh lookup, within the
    /// usual wait. Other errors fail at once: a click that may have landed is never repeated.
    pub async fn click(&self, testid: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.by_id(testid).await.click().await {
                Ok(_) => return,
                Err(e)
                    if Instant::now() < deadline && {
                        let text = format!("{e:?}").to_lowercase();
                        ["stale", "intercepted", "not interactable"]
                            .iter()
                            .any(|k| text.contains(k))
                    } =>
                {
                    eprintln!("click {testid} refused ({e:?}); trying again");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("click {testid}: {e:?}"),
            }
        }
    }

    pub async fn set_text(&self, testid: &str, text: &str) {
        let input = self.by_id(testid).await;
        input.clear().await.unwrap();
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {testid}: {e}"));
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap()
            .trim()
            .to_string()
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("look for {css}: {e}"))
            .len()
    }

    /// Waits until no element matches `css`, for at most the usual wait.
    pub async fn wait_until_gone(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.count(css).await == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css} still shown after {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves 自动锁屏 minutes in 设置 → 登录与锁屏 through its form and waits for 已保存.
    pub async fn save_idle_minutes(&self, minutes: &str) {
        self.set_text("settings-idle-minutes", minutes).await;
        self.click("settings-login-save").await;
        self.wait_for_text(
            "[data-testid='login-settings-message']",
            |t| t == "已保存",
            Duration::from_secs(10),
        )
        .await;
    }

    /// Polls the element's text until `ok` holds, for at most `limit`.
    pub async fn wait_for_text(
        &self,
        css: &str,
        ok: impl Fn(&str) -> bool,
        limit: Duration,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let text = self.text_of(css).await;
            if ok(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} still shows {text:?} after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Logs in and waits for the desk's home screen.
    pub async fn login_to_home(&self, login: &str, password: &str) {
        self.set_text("login-name", login).await;
        self.set_text("login-password", password).await;
        self.click("login-submit").await;
        self.by_id("home").await;
    }

    /// Logs in and opens a new intake (what most flows start with).
    pub async fn login(&self, login: &str, password: &str) {
        self.login_to_home(login, password).await;
        self.click("nav-intake").await;
        self.by_id("item-search").await;
    }

    /// Searches the catalogue and picks the first hit once the list answers `query` (the
    /// search answers as the clerk types, so the list changes under the keystrokes).
    pub async fn pick_item(&self, query: &str) {
        self.set_text("item-search", query).await;
        self.find(&format!("[data-testid='item-list'][data-query='{query}']"))
            .await;
        self.click("item-option").await;
        self.by_id("selected-item").await;
    }

    pub async fn fill_natural_person(&self, name: &str, id_no: &str, contact: &str, phone: &str) {
        self.set_text("applicant-name", name).await;
        self.set_text("applicant-id", id_no).await;
        self.set_text("contact-name", contact).await;
        self.set_text("contact-phone", phone).await;
    }

    pub async fn tick_required_materials(&self, codes: &[&str]) {
        for code in codes {
            self.click(&format!("material-{code}")).await;
        }
    }

    /// Ticks checklist lines, each scrolled to the middle of the window first (the intake's
    /// key bar is fixed at the bottom of the window and may cover a line scrolled just into
    /// view).
    pub async fn tick_materials_in_view(&self, codes: &[&str]) {
        for code in codes {
            let css = format!("[data-testid='material-{code}']");
            self.wait_for_count(&css, 1).await;
            self.client
                .execute(
                    "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' })",
                    vec![css.clone().into()],
                )
                .await
                .unwrap();
            self.click(&format!("material-{code}")).await;
        }
    }

    /// Clicks `button` (a refresh, a sync) every half second until exactly `n` elements match
    /// `css`, for at most `limit`; `what` names the wait in the failure.
    pub async fn click_until_count(
        &self,
        button: &str,
        css: &str,
        n: usize,
        limit: Duration,
        what: &str,
    ) {
        let deadline = Instant::now() + limit;
        loop {
            self.click(button).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
            let found = self.count(css).await;
            if found == n {
                return;
            }
            assert!(Instant::now() < deadline, "{what} ({found} of {n} shown)");
        }
    }

    /// Waits until exactly `n` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self.count(css).await;
            if found == n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css}: {found} shown, not {n}, after {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The current value of an input.
    pub async fn value_of(&self, testid: &str) -> String {
        self.by_id(testid)
            .await
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("value of {testid}: {e}"))
            .unwrap_or_default()
    }

    /// Polls the input's value until `ok` holds, for at most `limit`; returns it.
    pub async fn wait_for_value(
        &self,
        testid: &str,
        ok: impl Fn(&str) -> bool,
        limit: Duration,
    ) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.value_of(testid).await;
            if ok(&value) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "{testid} still holds {value:?} after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn is_checked(&self, testid: &str) -> bool {
        self.by_id(testid)
            .await
            .prop("checked")
            .await
            .unwrap_or_else(|e| panic!("checked of {testid}: {e}"))
            .is_some_and(|v| v == "true")
    }

    /// The paper chosen in the open print dialog: the first line of its checked paper's label.
    pub async fn chosen_paper(&self) -> String {
        self.wait_for_count("[data-testid='print-paper']:checked", 1)
            .await;
        let label = self
            .find("[data-testid='print-paper']:checked")
            .await
            .find(Locator::XPath(".."))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        label.lines().next().unwrap_or_default().to_string()
    }

    /// Chooses `printer` in the open print dialog.
    pub async fn choose_printer(&self, printer: &str) {
        self.find("[data-testid='print-printer']")
            .await
            .select_by_value(printer)
            .await
            .unwrap_or_else(|e| panic!("choose the printer {printer}: {e}"));
    }

    /// Prints from the open print dialog once 打印 is enabled and waits until the job is done;
    /// the outcome's text, which names `printer`.
    pub async fn print_to(&self, printer: &str) -> String {
        self.wait_for_count("[data-testid='print-submit']:not([disabled])", 1)
            .await;
        self.click("print-submit").await;
        self.wait_for_count("[data-testid='print-outcome'][data-status='done']", 1)
            .await;
        let outcome = self.text_of("[data-testid='print-outcome']").await;
        assert!(outcome.contains(printer), "print outcome: {outcome}");
        outcome
    }

    /// Saves a PNG of the current window as WebKit draws it. The clerk's window is drawn
    /// without compositing (src-tauri/webview_drawing.rs), and then WebKitWebDriver sends the
    /// picture only after the window's next paint: on a still screen (no caret, no progress)
    /// that paint never comes and the screenshot waits out its 5-minute timeout. So a pixel at
    /// 1% opacity in the corner changes colour every 40 ms until the picture is taken.
    pub async fn screenshot(&self, path: &Path) {
        const TICK: &str = r#"
            const probe = document.createElement("div");
            probe.id = "screenshot-paint";
            probe.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;"
                + "opacity:0.01;pointer-events:none;z-index:2147483647;background:black";
            document.body.append(probe);
            let dark = true;
            window.screenshotPaint = setInterval(() => {
                dark = !dark;
                probe.style.background = dark ? "black" : "white";
            }, 40);
        "#;
        const STOP: &str = r#"
            clearInterval(window.screenshotPaint);
            document.getElementById("screenshot-paint")?.remove();
        "#;
        self.client
            .execute(TICK, vec![])
            .await
            .expect("start the screenshot's paint");
        let png = self.client.screenshot().await.expect("window screenshot");
        self.client
            .execute(STOP, vec![])
            .await
            .expect("stop the screenshot's paint");
        std::fs::write(path, png).expect("write screenshot");
    }

    /// From the intake screen: accepts the demo applicant's 广东省居住证 case (王堃喆, the three
    /// required materials ticked) and answers its provisional case number.
    pub async fn accept_demo_case(&self) -> String {
        self.pick_item("广东省居住证").await;
        self.fill_natural_person("王堃喆", "11010519491231002X", "王堃喆", "13800138000")
            .await;
        self.tick_materials_in_view(&["M01", "M02", "M03"]).await;
        self.click("accept").await;
        let case_no = self.text_of("[data-testid='result-case-no']").await;
        assert!(case_no.starts_with("L440111001-"), "{case_no}");
        case_no
    }

    /// In 设置 → 区级系统与登记: enrolls the station with the officer's one-time `code` and
    /// waits for 登记成功; the code is not kept in its box.
    pub async fn enroll(&self, code: &str) {
        self.set_text("enroll-code", code).await;
        self.click("enroll").await;
        self.wait_for_text(
            "[data-testid='sync-message']",
            |t| t.starts_with("登记成功"),
            Duration::from_secs(20),
        )
        .await;
        assert_eq!(
            self.value_of("enroll-code").await,
            "",
            "the code is not kept"
        );
    }

    /// Waits (a minute at most) until the header says every case is synced and connected.
    pub async fn wait_all_synced(&self) {
        self.wait_for_text(
            "[data-testid='sync-pending']",
            |t| t == "全部已同步",
            Duration::from_secs(60),
        )
        .await;
        let badge = self.text_of("[data-testid='sync-badge']").await;
        assert!(badge.contains("已连接"), "{badge}");
    }

    /// Types WebDriver key codes into the element (e.g. "\u{E009}l\u{E000}" is Ctrl+L).
    pub async fn send_keys_to(&self, testid: &str, keys: &str) {
        self.by_id(testid)
            .await
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("keys into {testid}: {e}"));
    }
}

/// Calls an app command from the current window; `Err` holds the refusal as JSON text.
pub async fn invoke(
    client: &Client,
    command: &str,
    args: serde_json::Value,
) -> Result<String, String> {
    let script = r#"
        const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args)
            .then((v) => done({ ok: JSON.stringify(v) }))
            .catch((e) => done({ err: typeof e === "string" ? e : JSON.stringify(e) }));
    "#;
    let answer = client
        .execute_async(script, vec![command.into(), args])
        .await
        .unwrap_or_else(|e| panic!("invoke {command}: {e}"));
    match (answer.get("ok"), answer.get("err")) {
        (Some(ok), _) => Ok(ok.as_str().unwrap_or_default().to_string()),
        (_, Some(err)) => Err(err.as_str().unwrap_or_default().to_string()),
        _ => panic!("unexpected answer {answer}"),
    }
}
