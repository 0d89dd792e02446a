//! The whole application: routes plus the hardening around them (body limits before the
//! body is read, a request timeout, a concurrency limit that sheds load with 503, and every
//! error answer turned into an `ErrorBody`), plus scripted faults outside everything.

use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use axum::{BoxError, Router, middleware};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::MAX_JSON_BODY;
use yichuang_sync::protocol::v2::materials::MAX_MATERIAL_BYTES;

use crate::error::error_answer;
use crate::server::{AppState, Settings};
use crate::{DistrictError, admin, citizen, v2};

/// Seconds a shed or timed-out station is asked to wait.
const RETRY_AFTER_SECS: u64 = 2;

pub(crate) fn app(state: Arc<AppState>, settings: &Settings) -> Router {
    let json = json_limit(v2::json_router());
    // The officer's page has the same limit, and says so in a page when a body's length is
    // refused before any handler runs.
    let admin =
        json_limit(admin::router()).layer(middleware::map_response(admin::page_for_refused_body));
    let material_limit = usize::try_from(MAX_MATERIAL_BYTES).unwrap_or(usize::MAX);
    let materials = v2::material_router()
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(material_limit));
    // The citizen's pages limit their own bodies (an HTML page explains a refusal).
    let app = json
        .merge(admin)
        .merge(materials)
        .merge(citizen::router())
        .fallback(|| async { DistrictError::NotFound })
        .with_state(state)
        .layer(middleware::map_response(error_body));
    // Faults sit inside the limits: a held request takes a place and can time out, as a
    // slow district would.
    let app = match &settings.faults {
        Some(faults) => app.layer(middleware::from_fn_with_state(
            faults.clone(),
            crate::faults::middleware,
        )),
        None => app,
    };
    app.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(shed))
            .load_shed()
            .concurrency_limit(settings.max_concurrent)
            .timeout(settings.request_timeout),
    )
}

/// The JSON body limit, checked on the length before the body is read and again as it is read.
fn json_limit(routes: Router<Arc<AppState>>) -> Router<Arc<AppState>> {
    routes
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_JSON_BODY))
}

/// A request that was shed (too many at once) or took too long.
async fn shed(err: BoxError) -> Response {
    let message = if err.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!("request timed out");
        "区级系统处理超时，请稍后重试"
    } else if err.is::<tower::load_shed::error::Overloaded>() {
        tracing::warn!("request shed: too many at once");
        "区级系统繁忙，请稍后重试"
    } else {
        tracing::error!(error = %err, "request failed in a layer");
        "区级系统内部错误，请稍后重试"
    };
    let mut resp = error_answer(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Busy,
        message.into(),
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, RETRY_AFTER_SECS.into());
    resp
}

/// Gives an error answer made by axum or a layer (a rejection, 405, 413) the `ErrorBody`
/// shape and a Chinese message; answers already in JSON or HTML, and HEAD answers, pass as
/// they are.
async fn error_body(method: Method, resp: Response) -> Response {
    let status = resp.status();
    // JSON is already an `ErrorBody`; HTML is the officer's page explaining itself.
    let is_json_or_html = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/json") || v.as_bytes().starts_with(b"text/html")
    });
    if !(status.is_client_error() || status.is_server_error())
        || is_json_or_html
        || method == Method::HEAD
    {
        return resp;
    }
    let (kind, message) = match status.as_u16() {
        401 => (
            ErrorKind::Unauthorized,
            DistrictError::Unauthorized.to_string(),
        ),
        403 => (ErrorKind::Forbidden, "无权访问".to_string()),
        404 => (ErrorKind::NotFound, DistrictError::NotFound.to_string()),
        405 => (ErrorKind::BadRequest, "不支持的请求方法".to_string()),
        408 | 429 | 503 => (ErrorKind::Busy, "区级系统繁忙，请稍后重试".to_string()),
        413 => (
            ErrorKind::TooLarge,
            "提交的数据过大，请分批提交".to_string(),
        ),
        415 => (ErrorKind::BadRequest, "请求的内容类型不正确".to_string()),
        422 => (ErrorKind::Invalid, "内容不符合要求".to_string()),
        400..=499 => (ErrorKind::BadRequest, "请求格式不正确".to_string()),
        _ => (
            ErrorKind::Internal,
            "区级系统内部错误，请稍后重试".to_string(),
        ),
    };
    let mut answer = error_answer(status, kind, message);
    for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE, header::ALLOW] {
        if let Some(v) = resp.headers().get(&name) {
            answer.headers_mut().insert(name, v.clone());
        }
    }
    answer
}
