//! The district officer's web page at `/admin`: sign in with the admin token (compared in
//! constant time) for a server-side session, then issue enrollment codes, publish reference
//! data (a chosen file or pasted text), record case decisions and watch the stations' health,
//! all with plain HTML forms whose POSTs carry the session's CSRF token. Off (404) when no
//! admin token is set.

mod forms;
mod page;
mod publish;
mod session;
mod upload;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use crate::DistrictError;
use crate::html_page::html;
use crate::secrets::secrets_equal;
use crate::server::AppState;
pub(crate) use forms::Fields;
use page::{Notice, View};
pub(crate) use session::Sessions;
use session::{Session, clear_cookie, cookie_id, set_cookie};

/// Cases shown on the page.
const RECENT_CASES: u32 = 50;
/// Longest admin token read from the sign-in form.
const MAX_TOKEN_LEN: usize = 1024;

/// The page's state: the token it opens with and the sessions it has given out.
pub(crate) struct Admin {
    token: String,
    sessions: Sessions,
}

impl Admin {
    pub fn new(token: String) -> Self {
        Self {
            token,
            sessions: Sessions::default(),
        }
    }
}

pub(crate) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin", get(show))
        .route("/admin/login", get(login_page).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/enroll-code", post(forms::enroll_code))
        .route("/admin/publish", post(publish::publish))
        .route("/admin/case-status", post(forms::case_status))
}

/// A body the limit layer refused by its length, before any handler ran, gets the page that
/// says the file is too large instead of a bare 413.
pub(crate) async fn page_for_refused_body(resp: Response) -> Response {
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_html {
        upload::too_large()
    } else {
        resp
    }
}

/// The admin side of the state, or 404 when the page is off.
fn admin(state: &AppState) -> Result<&Admin, DistrictError> {
    state.admin.as_ref().ok_or(DistrictError::NotFound)
}

/// The live session of the request's cookie.
fn session(admin: &Admin, headers: &HeaderMap) -> Option<Session> {
    cookie_id(headers).and_then(|id| admin.sessions.find(&id, Instant::now()))
}

#[derive(Deserialize)]
struct ShowQuery {
    /// A case picked in the cases table, to fill the status form with.
    case: Option<String>,
}

async fn show(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<ShowQuery>, QueryRejection>,
) -> Result<Response, DistrictError> {
    let admin = admin(&state)?;
    let Some(session) = session(admin, &headers) else {
        return Ok(Redirect::to("/admin/login").into_response());
    };
    let case_id = query
        .ok()
        .and_then(|Query(q)| q.case)
        .filter(|c| uuid::Uuid::parse_str(c).is_ok())
        .unwrap_or_default();
    let filled = Fields {
        case_id,
        ..Fields::default()
    };
    render(&state, &session, StatusCode::OK, None, &filled).await
}

/// The working page with `notice`, its forms filled with `filled`.
pub(crate) async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<Notice>,
    filled: &Fields,
) -> Result<Response, DistrictError> {
    let devices = state.store.device_health().await?;
    let cases = state.store.recent_cases(RECENT_CASES).await?;
    let mut versions = Vec::new();
    for kind in ReferenceKind::ALL {
        let current = state.store.current_reference(kind).await?;
        versions.push((kind, current.map(|r| r.version)));
    }
    let view = View {
        region: &state.region_code,
        csrf: &session.csrf,
        devices: &devices,
        cases: &cases,
        versions: &versions,
        notice,
        filled,
    };
    Ok(html(status, page::working(&view)))
}

async fn login_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, DistrictError> {
    let admin = admin(&state)?;
    if session(admin, &headers).is_some() {
        return Ok(Redirect::to("/admin").into_response());
    }
    Ok(html(StatusCode::OK, page::login(&state.region_code, None)))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    token: String,
}

async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, DistrictError> {
    let admin = admin(&state)?;
    let token = form.map(|Form(f)| f.token).unwrap_or_default();
    let token = token.trim();
    let right = !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && secrets_equal(token.as_bytes(), admin.token.as_bytes());
    if !right {
        tracing::warn!("admin sign-in refused: wrong or missing admin token");
        let message = "管理口令不正确。请核对管理口令文件中的口令（区分大小写）后重新输入。";
        return Ok(html(
            StatusCode::UNAUTHORIZED,
            page::login(&state.region_code, Some(message)),
        ));
    }
    let session = admin.sessions.start(Instant::now())?;
    tracing::info!("admin signed in");
    let mut resp = Redirect::to("/admin").into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&session.id, &headers)?);
    Ok(resp)
}

async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, DistrictError> {
    let admin = admin(&state)?;
    let (session, _) = match forms::checked(admin, &headers, form) {
        Ok(ok) => ok,
        Err(refusal) => return Ok(*refusal),
    };
    admin.sessions.end(&session.id);
    tracing::info!("admin signed out");
    let mut resp = Redirect::to("/admin/login").into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    Ok(resp)
}
