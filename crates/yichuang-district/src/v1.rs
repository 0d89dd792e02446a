//! HTTP handlers of protocol v1: health, submit a case, read a case back, count cases.
//! Kept until the station client speaks v2; they share the store and the validation of v2.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_sync::protocol::{CaseCount, CaseSubmission, HEALTH_PATH, Health, SubmissionAck};

use crate::server::AppState;
use crate::store::{PreparedRecord, StoreOutcome};
use crate::{DistrictError, auth, v2};

pub(crate) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(HEALTH_PATH, get(health))
        .route("/api/v1/cases", post(submit))
        .route("/api/v1/cases/count", get(count))
        .route("/api/v1/cases/{id}", get(find))
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
    let device = auth::device(&state, &headers).await?;
    let station = device.station_code;
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
    v2::cases::check_submission(&sub).map_err(DistrictError::BadRequest)?;
    let record = PreparedRecord {
        hash: sub.content_hash()?,
        body: yichuang_sync::protocol::canonical_json(&sub)?,
        submission: sub,
        revision: 0,
        clock_offset_ms: None,
        materials: Vec::new(),
        protocol: 1,
    };
    let mut stored = state
        .store
        .store_cases(&state.region_code, vec![record], Timestamp::now())
        .await?;
    match stored.pop() {
        Some(StoreOutcome::Created(ack)) => {
            tracing::info!(case_id = %ack.id, station = %station, "case stored");
            Ok((StatusCode::CREATED, Json(ack)).into_response())
        }
        Some(StoreOutcome::Duplicate(ack)) => {
            tracing::info!(case_id = %ack.id, station = %station, "duplicate submission");
            Ok((StatusCode::OK, Json(ack)).into_response())
        }
        Some(StoreOutcome::Conflict) => {
            tracing::warn!(station = %station, "conflicting re-submission refused");
            Err(DistrictError::Conflict)
        }
        None => Err(DistrictError::Task),
    }
}

async fn find(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SubmissionAck>, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let id =
        Uuid::parse_str(&id).map_err(|_| DistrictError::BadRequest("办件标识格式不正确".into()))?;
    let found = state.store.find_case(&device.station_code, id).await?;
    found.map(Json).ok_or(DistrictError::NotFound)
}

async fn count(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<CaseCount>, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let count = state.store.count_cases(&device.station_code).await?;
    Ok(Json(CaseCount { count }))
}
