//! The officer's forms: each POST is checked for a live session and its CSRF token before
//! anything else, then does what the officer CLI does through the same `officer` functions
//! (so validation is the CLI's), and answers with the page and a notice in Chinese.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::page::{self, Notice};
use super::session::Session;
use super::{Admin, admin, html, render, session};
use crate::server::AppState;
use crate::{DistrictError, officer};

/// Every field of the officer's forms (a form sends the ones it has; the rest stay empty).
/// After a refusal the page is filled with them again, so nothing typed is lost.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(crate) struct Fields {
    pub csrf: String,
    pub station: String,
    pub station_name: String,
    pub valid_hours: String,
    pub kind: String,
    pub document: String,
    pub case_id: String,
    pub status: String,
    pub note: String,
    pub courier: String,
    pub tracking_no: String,
}

/// The session and fields of a form POST, or the answer refusing it: no live session (401),
/// an unreadable form (400), or a CSRF token that is not the session's (403).
pub(super) fn checked(
    admin: &Admin,
    headers: &HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<(Session, Fields), Box<Response>> {
    let session = live_session(admin, headers)?;
    let Ok(Form(fields)) = form else {
        return Err(unreadable());
    };
    csrf_checked(&session, &fields.csrf)?;
    Ok((session, fields))
}

/// The live session of the request, or the answer refusing a POST without one (401).
pub(super) fn live_session(admin: &Admin, headers: &HeaderMap) -> Result<Session, Box<Response>> {
    session(admin, headers).ok_or_else(|| {
        tracing::warn!("admin form refused: no live session");
        Box::new(html(
            StatusCode::UNAUTHORIZED,
            page::refused(
                "尚未登录或登录已过期（30 分钟无操作即自动退出），本次操作未执行。请重新登录后再提交。",
                "/admin/login",
                "重新登录",
            ),
        ))
    })
}

/// The answer refusing a form body that cannot be read (400).
pub(super) fn unreadable() -> Box<Response> {
    tracing::warn!("admin form refused: unreadable form body");
    Box::new(html(
        StatusCode::BAD_REQUEST,
        page::refused(
            "表单内容无法读取，本次操作未执行。请回到管理页面重新填写提交。",
            "/admin",
            "回到管理页面",
        ),
    ))
}

/// Nothing, or the answer refusing a CSRF token that is not the session's (403).
pub(super) fn csrf_checked(session: &Session, csrf: &str) -> Result<(), Box<Response>> {
    if session.csrf_ok(csrf) {
        return Ok(());
    }
    tracing::warn!("admin form refused: CSRF token does not match the session");
    Err(Box::new(html(
        StatusCode::FORBIDDEN,
        page::refused(
            "页面已过期或不是从本管理页面提交的（校验码不符），本次操作未执行。请回到管理页面刷新后重新提交。",
            "/admin",
            "回到管理页面",
        ),
    )))
}

/// Checks the POST; on refusal returns its answer from the enclosing handler.
macro_rules! checked_or_refuse {
    ($state:expr, $headers:expr, $form:expr) => {
        match checked(admin(&$state)?, &$headers, $form) {
            Ok(ok) => ok,
            Err(refusal) => return Ok(*refusal),
        }
    };
}

/// The page again after a form did what it asked, with what it did and empty fields.
pub(super) async fn done(
    state: &AppState,
    session: &Session,
    notice: Notice,
) -> Result<Response, DistrictError> {
    render(
        state,
        session,
        StatusCode::OK,
        Some(notice),
        &Fields::default(),
    )
    .await
}

/// The page after `err`, its forms still holding `fields`; what went wrong in Chinese.
pub(super) async fn refused(
    state: &AppState,
    session: &Session,
    err: DistrictError,
    mut fields: Fields,
    what: &str,
) -> Result<Response, DistrictError> {
    // The officer functions call bad input `Config` (the CLI's words): the officer's to fix.
    let status = match &err {
        DistrictError::Config(_) => StatusCode::BAD_REQUEST,
        other => other.status_and_kind().0,
    };
    if status.is_server_error() {
        tracing::error!(error = %err, source = ?std::error::Error::source(&err), action = what, "admin form failed");
        return Ok(html(
            StatusCode::INTERNAL_SERVER_ERROR,
            page::refused(
                "区级系统内部错误，本次操作可能未完成。请稍后回到管理页面查看结果，必要时重新提交。",
                "/admin",
                "回到管理页面",
            ),
        ));
    }
    tracing::info!(
        action = what,
        status = status.as_u16(),
        "admin form refused"
    );
    let message = match err {
        DistrictError::Config(m)
        | DistrictError::Invalid(m)
        | DistrictError::BadRequest(m)
        | DistrictError::TooLarge(m) => m,
        other => other.to_string(),
    };
    fields.csrf.clear();
    render(
        state,
        session,
        status,
        Some(Notice::Error(message)),
        &fields,
    )
    .await
}

pub(super) async fn enroll_code(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, DistrictError> {
    let (session, fields) = checked_or_refuse!(state, headers, form);
    let hours = fields.valid_hours.trim().parse::<u32>().map_err(|_| {
        DistrictError::Config(format!(
            "有效小时数应为 1 至 {} 之间的整数",
            officer::MAX_CODE_HOURS
        ))
    });
    let station = fields.station.trim().to_string();
    let issued = match hours {
        Ok(hours) => {
            officer::issue_enroll_code(&*state.store, &station, &fields.station_name, hours).await
        }
        Err(e) => Err(e),
    };
    match issued {
        Ok((code, expires_at)) => {
            tracing::info!(station = %station, "admin issued an enrollment code");
            let notice = Notice::Code {
                station,
                code,
                expires_at,
            };
            done(&state, &session, notice).await
        }
        Err(e) => refused(&state, &session, e, fields, "enroll-code").await,
    }
}

pub(super) async fn case_status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, DistrictError> {
    let (session, fields) = checked_or_refuse!(state, headers, form);
    let Ok(case_id) = Uuid::parse_str(fields.case_id.trim()) else {
        let e = DistrictError::BadRequest(
            "办件标识格式不正确。请在“最近办件”表中点该办件的“登记状态”自动填入。".into(),
        );
        return refused(&state, &session, e, fields, "case-status").await;
    };
    let Some(status) = officer::parse_status(&fields.status) else {
        let e = DistrictError::BadRequest("请选择新的办件状态".into());
        return refused(&state, &session, e, fields, "case-status").await;
    };
    let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let changed = officer::set_case_status(
        &*state.store,
        case_id,
        status,
        optional(&fields.note),
        optional(&fields.courier),
        optional(&fields.tracking_no),
    )
    .await;
    match changed {
        Ok(change) => {
            tracing::info!(case_id = %case_id, seq = change.seq, "admin recorded a case status");
            let notice = Notice::Done(format!(
                "办件 {} 已登记为“{}”（序号 {}），站点下次同步时取得。",
                change.official_case_no,
                status.label(),
                change.seq
            ));
            done(&state, &session, notice).await
        }
        Err(DistrictError::NotFound) => {
            let e = DistrictError::BadRequest(
                "区级系统没有这个办件。请核对办件标识，或在“最近办件”表中点选。".into(),
            );
            let mut resp = refused(&state, &session, e, fields, "case-status").await?;
            *resp.status_mut() = StatusCode::NOT_FOUND;
            Ok(resp)
        }
        Err(e) => refused(&state, &session, e, fields, "case-status").await,
    }
}
