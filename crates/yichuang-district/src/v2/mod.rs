//! HTTP handlers of protocol v2 (`yichuang_sync::protocol::v2`): the router and what the
//! handlers share (JSON parsing with clerk-readable errors, text limits).

pub(crate) mod cases;
pub(crate) mod downloads;
pub(crate) mod enroll;
pub(crate) mod evaluations;
pub(crate) mod handovers;
pub(crate) mod materials;
mod record_batch;
pub(crate) mod report;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, head, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use yichuang_sync::protocol::v2::{self as proto, Health};

use crate::DistrictError;
use crate::server::AppState;

pub(crate) use materials::MATERIAL_ROUTE;

/// The JSON endpoints (their bodies are limited to `MAX_JSON_BODY`).
pub(crate) fn json_router() -> Router<Arc<AppState>> {
    Router::new()
        .route(proto::HEALTH_PATH, get(health))
        .route(proto::enroll::ENROLL_PATH, post(enroll::enroll))
        .route(proto::cases::CASES_BATCH_PATH, post(cases::batch))
        .route(
            proto::materials::MATERIALS_CHECK_PATH,
            post(materials::check),
        )
        .route(
            &format!("{}/{{kind}}", proto::downloads::REFERENCE_PATH),
            get(downloads::reference),
        )
        .route(
            proto::downloads::STATUS_CHANGES_PATH,
            get(downloads::status_changes),
        )
        .route(proto::report::REPORT_PATH, post(report::report))
        .route(
            proto::evaluations::EVALUATIONS_BATCH_PATH,
            post(evaluations::batch),
        )
        .route(
            proto::handovers::HANDOVERS_BATCH_PATH,
            post(handovers::batch),
        )
}

/// The material upload endpoint (its own, larger body limit).
pub(crate) fn material_router() -> Router<Arc<AppState>> {
    Router::new().route(
        MATERIAL_ROUTE,
        head(materials::head_material).patch(materials::patch_material),
    )
}

/// Liveness and the district clock.
#[utoipa::path(get, path = "/api/v2/health", tag = "v2",
    responses((status = 200, description = "区级系统在线", body = Health)))]
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        region_code: state.region_code.clone(),
        protocol_version: proto::PROTOCOL_VERSION,
        server_time: Timestamp::now(),
    })
}

/// Parses a JSON body; the error says where, never what (it may be personal data).
pub(crate) fn parse_json<T: DeserializeOwned>(
    body: &Bytes,
    what: &str,
) -> Result<T, DistrictError> {
    serde_json::from_slice(body).map_err(|e| {
        DistrictError::BadRequest(format!(
            "{what}无法解析（第 {} 行第 {} 列）",
            e.line(),
            e.column()
        ))
    })
}

/// `value` has at most `max` characters, and at least one unless `may_be_empty`.
pub(crate) fn check_text(
    field: &str,
    value: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<(), String> {
    let n = value.chars().count();
    if (!may_be_empty && value.trim().is_empty()) || n > max {
        let min = if may_be_empty { 0 } else { 1 };
        return Err(format!("{field} 应为 {min} 至 {max} 个字符"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{field} 含有控制字符"));
    }
    Ok(())
}
