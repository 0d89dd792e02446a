//! `POST handovers/batch`: the handovers (送达) a station recorded, one result per record,
//! the whole batch (with each case's 已送达 status change) committed before the answer leaves.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use jiff::Timestamp;
use yichuang_sync::protocol::v2::handovers::{
    HandoverAnswer, HandoverBatch, HandoverResult, MAX_HANDOVER_RECORDS, check,
};

use super::parse_json;
use crate::server::AppState;
use crate::store::HandoverOutcome;
use crate::{DistrictError, auth};

/// Store a batch of handovers.
#[utoipa::path(post, path = "/api/v2/handovers/batch", tag = "v2",
    request_body = HandoverBatch, security(("device_token" = [])),
    responses(
        (status = 200, description = "每条送达记录一个结果，顺序与提交相同", body = HandoverAnswer),
        (status = 400, description = "请求格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
        (status = 413, description = "一次提交的送达记录过多", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<HandoverAnswer>, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let batch: HandoverBatch = parse_json(&body, "送达数据")?;
    if batch.records.len() > MAX_HANDOVER_RECORDS {
        return Err(DistrictError::TooLarge(format!(
            "一次最多提交 {MAX_HANDOVER_RECORDS} 条送达记录，本次 {} 条",
            batch.records.len()
        )));
    }
    let mut results: Vec<Option<HandoverResult>> = Vec::with_capacity(batch.records.len());
    let mut valid = Vec::new();
    for (n, record) in batch.records.into_iter().enumerate() {
        match check(&record) {
            Ok(()) => {
                results.push(None);
                valid.push(record);
            }
            Err(message) => results.push(Some(HandoverResult::Invalid {
                id: record.id,
                message: format!("第 {} 条送达记录：{message}", n + 1),
            })),
        }
    }
    let ids: Vec<_> = valid.iter().map(|r| r.id).collect();
    let outcomes = if valid.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .store_handovers(&device.station_code, valid, Timestamp::now())
            .await?
    };
    let mut stored = ids.into_iter().zip(outcomes);
    let mut answer = Vec::with_capacity(results.len());
    for slot in results {
        let result = match slot {
            Some(invalid) => invalid,
            None => {
                let (id, outcome) = stored.next().ok_or(DistrictError::Task)?;
                result_of(id, outcome)
            }
        };
        answer.push(result);
    }
    tracing::info!(station = %device.station_code, records = answer.len(), "handovers answered");
    Ok(Json(HandoverAnswer { results: answer }))
}

fn result_of(id: uuid::Uuid, outcome: HandoverOutcome) -> HandoverResult {
    match outcome {
        HandoverOutcome::Stored { duplicate } => HandoverResult::Stored { id, duplicate },
        HandoverOutcome::Conflict(message) => HandoverResult::Conflict { id, message },
        HandoverOutcome::UnknownCase => HandoverResult::Invalid {
            id,
            message: "区级系统没有本站的这件办件，请先同步办件".into(),
        },
        HandoverOutcome::Undecided(current) => HandoverResult::Invalid {
            id,
            message: format!(
                "区级尚未作出办理决定（当前：{}），不能登记送达",
                current.map_or("审批中", |s| s.label())
            ),
        },
    }
}
