//! HTTP handlers of protocol v1: health, submit a case, read a case back, count cases.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use rusqlite::Connection;
use uuid::Uuid;
use yichuang_sync::protocol::{CaseCount, CaseSubmission, HEALTH_PATH, Health, SubmissionAck};

use crate::db::{self, Stored};
use crate::{DistrictError, Faults};

/// Longest item code or provisional case number accepted (the catalogue's limit).
const MAX_CODE_LEN: usize = 64;

pub(crate) struct AppState {
    pub db: Arc<Mutex<Connection>>,
    pub region_code: String,
    /// token → station code.
    pub tokens: HashMap<String, String>,
    pub faults: Option<Faults>,
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(HEALTH_PATH, get(health))
        .route("/api/v1/cases", post(submit))
        .route("/api/v1/cases/count", get(count))
        .route("/api/v1/cases/{id}", get(find))
        .fallback(|| async { DistrictError::NotFound })
        .with_state(state)
}

async fn health(State(state): State<Arc<AppState>>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        region_code: state.region_code.clone(),
        protocol_version: 1,
        server_time: Timestamp::now(),
    })
}

async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, DistrictError> {
    let station = authorize(&state, &headers)?;
    let sub: CaseSubmission = serde_json::from_slice(&body).map_err(|e| {
        DistrictError::BadRequest(format!(
            "办件数据无法解析（第 {} 行第 {} 列）",
            e.line(),
            e.column()
        ))
    })?;
    if sub.station_code.as_str() != station {
        return Err(DistrictError::Forbidden);
    }
    if let Some(faults) = &state.faults
        && let Some(answer) = faults.intercept(sub.id).await
    {
        return Ok(answer);
    }
    check_code("case_no", &sub.case_no)?;
    check_code("item_code", &sub.item_code)?;
    let hash = sub
        .content_hash()
        .map_err(|e| DistrictError::BadRequest(e.to_string()))?;
    let canonical = yichuang_sync::protocol::canonical_json(&sub)
        .map_err(|e| DistrictError::BadRequest(e.to_string()))?;
    let stored = blocking(&state, move |conn, region| {
        db::store_submission(conn, region, &sub, &hash, &canonical, Timestamp::now())
    })
    .await?;
    match stored {
        Stored::Created(ack) => {
            tracing::info!(case_id = %ack.id, station = %station, "case stored");
            Ok((StatusCode::CREATED, Json(ack)).into_response())
        }
        Stored::Duplicate(ack) => {
            tracing::info!(case_id = %ack.id, station = %station, "duplicate submission");
            Ok((StatusCode::OK, Json(ack)).into_response())
        }
        Stored::Conflict => {
            tracing::warn!(station = %station, "conflicting re-submission refused");
            Err(DistrictError::Conflict)
        }
    }
}

async fn find(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SubmissionAck>, DistrictError> {
    let station = authorize(&state, &headers)?;
    let id =
        Uuid::parse_str(&id).map_err(|_| DistrictError::BadRequest("办件标识格式不正确".into()))?;
    let found = blocking(&state, move |conn, _| db::find_case(conn, &station, id)).await?;
    found.map(Json).ok_or(DistrictError::NotFound)
}

async fn count(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<CaseCount>, DistrictError> {
    let station = authorize(&state, &headers)?;
    let count = blocking(&state, move |conn, _| db::count_cases(conn, &station)).await?;
    Ok(Json(CaseCount { count }))
}

/// The station code the bearer token belongs to.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<String, DistrictError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.tokens.get(token.trim()))
        .cloned()
        .ok_or(DistrictError::Unauthorized)
}

fn check_code(field: &str, value: &str) -> Result<(), DistrictError> {
    if value.trim().is_empty() || value.chars().count() > MAX_CODE_LEN {
        return Err(DistrictError::BadRequest(format!(
            "{field} 应为 1 至 {MAX_CODE_LEN} 个字符"
        )));
    }
    Ok(())
}

/// Runs a database call off the async workers.
async fn blocking<T, F>(state: &Arc<AppState>, f: F) -> Result<T, DistrictError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection, &str) -> Result<T, DistrictError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let mut conn = state.db.lock().map_err(|_| DistrictError::Task)?;
        f(&mut conn, &state.region_code)
    })
    .await
    .map_err(|_| DistrictError::Task)?
}
