//! Faults by path, for protocol v2 (and any route): scripted status answers with
//! `Retry-After`, a captive portal's HTML page, held requests, and a material upload whose
//! connection is cut after some bytes. A middleware outside every other layer applies them.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yichuang_sync::protocol::ErrorKind;

use super::Faults;

/// What a rule does to a matching request.
#[derive(Debug, Clone)]
pub(super) enum Action {
    /// An `ErrorBody` answer with this status (and `Retry-After` if given).
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    /// A Wi-Fi login page: 200 with HTML, or a 302 to it.
    CaptivePortal { redirect: bool },
    /// Waits, then serves the request normally.
    Hold(Duration),
}

#[derive(Debug)]
pub(super) struct Rule {
    prefix: String,
    left: u32,
    action: Action,
}

/// The per-path part of the script.
#[derive(Debug, Default)]
pub(super) struct PathScript {
    rules: Vec<Rule>,
    material_cuts: VecDeque<u64>,
    requests: Vec<String>,
}

impl Faults {
    /// Answers the next `times` requests whose path starts with `path` with `status` and an
    /// `ErrorBody` (e.g. 500, 503, 429), with `Retry-After` when `retry_after_secs` is set.
    pub fn fail_path(&self, path: &str, times: u32, status: u16, retry_after_secs: Option<u64>) {
        self.add_rule(
            path,
            times,
            Action::Status {
                status,
                retry_after_secs,
            },
        );
    }

    /// Answers the next `times` requests under `path` as a captive portal does: an HTML
    /// login page with status 200, or (`redirect`) a 302 to such a page.
    pub fn captive_portal(&self, path: &str, times: u32, redirect: bool) {
        self.add_rule(path, times, Action::CaptivePortal { redirect });
    }

    /// Holds the next `times` requests under `path` for `delay`, then serves them.
    pub fn hold_path(&self, path: &str, times: u32, delay: Duration) {
        self.add_rule(path, times, Action::Hold(delay));
    }

    /// Cuts the connection of the next material `PATCH` once `after_bytes` bytes of its body
    /// are on disk (they are kept, as after a real cut).
    pub fn cut_material_upload(&self, after_bytes: u64) {
        self.script().paths.material_cuts.push_back(after_bytes);
    }

    /// How many requests whose path starts with `path` arrived (faulted or not).
    pub fn requests_to(&self, path: &str) -> usize {
        let script = self.script();
        script
            .paths
            .requests
            .iter()
            .filter(|p| p.starts_with(path))
            .count()
    }

    fn add_rule(&self, path: &str, times: u32, action: Action) {
        self.script().paths.rules.push(Rule {
            prefix: path.to_string(),
            left: times,
            action,
        });
    }

    /// The cut scripted for this material upload, if any.
    pub(crate) fn take_material_cut(&self) -> Option<u64> {
        self.script().paths.material_cuts.pop_front()
    }

    fn action_for(&self, path: &str) -> Option<Action> {
        let mut script = self.script();
        script.paths.requests.push(path.to_string());
        let rule = script
            .paths
            .rules
            .iter_mut()
            .find(|r| r.left > 0 && path.starts_with(&r.prefix))?;
        rule.left -= 1;
        Some(rule.action.clone())
    }
}

/// Ends the connection task without an answer, as a dropped network does. `resume_unwind`
/// skips the panic hook; the server's connection task catches it and closes the socket.
pub(crate) fn cut_connection() -> ! {
    tracing::warn!("injected fault cut a connection");
    std::panic::resume_unwind(Box::new("injected connection cut"))
}

/// The middleware that applies the path rules.
pub(crate) async fn middleware(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    match faults.action_for(&path) {
        None => next.run(req).await,
        Some(Action::Hold(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        Some(Action::Status {
            status,
            retry_after_secs,
        }) => {
            tracing::warn!(status, "injected fault answered a request");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let kind = match status.as_u16() {
                429 | 503 => ErrorKind::Busy,
                _ => ErrorKind::Internal,
            };
            let mut resp =
                crate::error::error_answer(status, kind, "区级系统繁忙，请稍后重试".into());
            if let Some(secs) = retry_after_secs {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
        Some(Action::CaptivePortal { redirect: true }) => (
            StatusCode::FOUND,
            [(header::LOCATION, "http://portal.example/login")],
        )
            .into_response(),
        Some(Action::CaptivePortal { redirect: false }) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from(PORTAL_PAGE))
            .unwrap_or_default(),
    }
}

const PORTAL_PAGE: &str = "<!doctype html><html><head><title>无线网络认证</title></head>\
<body><h1>欢迎使用免费无线网络</h1><p>请输入手机号码获取验证码后上网。</p></body></html>";
