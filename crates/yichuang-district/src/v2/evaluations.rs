//! `POST evaluations/batch`: the evaluations (好差评) a station took, one result per record,
//! the whole batch committed before the answer leaves.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use jiff::Timestamp;
use yichuang_sync::protocol::v2::evaluations::{
    EvaluationAnswer, EvaluationBatch, EvaluationResult, MAX_EVALUATION_RECORDS, check,
};

use super::parse_json;
use crate::server::AppState;
use crate::store::EvaluationOutcome;
use crate::{DistrictError, auth};

/// Store a batch of evaluations.
#[utoipa::path(post, path = "/api/v2/evaluations/batch", tag = "v2",
    request_body = EvaluationBatch, security(("device_token" = [])),
    responses(
        (status = 200, description = "每条评价一个结果，顺序与提交相同", body = EvaluationAnswer),
        (status = 400, description = "请求格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
        (status = 413, description = "一次提交的评价过多", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<EvaluationAnswer>, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let batch: EvaluationBatch = parse_json(&body, "评价数据")?;
    if batch.records.len() > MAX_EVALUATION_RECORDS {
        return Err(DistrictError::TooLarge(format!(
            "一次最多提交 {MAX_EVALUATION_RECORDS} 条评价，本次 {} 条",
            batch.records.len()
        )));
    }
    let mut results: Vec<Option<EvaluationResult>> = Vec::with_capacity(batch.records.len());
    let mut valid = Vec::new();
    for (n, record) in batch.records.into_iter().enumerate() {
        match check(&record) {
            Ok(()) => {
                results.push(None);
                valid.push(record);
            }
            Err(message) => results.push(Some(EvaluationResult::Invalid {
                id: record.id,
                message: format!("第 {} 条评价：{message}", n + 1),
            })),
        }
    }
    let ids: Vec<_> = valid.iter().map(|r| r.id).collect();
    let outcomes = if valid.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .store_evaluations(
                &device.station_code,
                valid,
                &state.evaluation_codes,
                Timestamp::now(),
            )
            .await?
    };
    let mut stored = ids.into_iter().zip(outcomes);
    let mut answer = Vec::with_capacity(results.len());
    for slot in results {
        let result = match slot {
            Some(invalid) => invalid,
            None => {
                let (id, outcome) = stored.next().ok_or(DistrictError::Task)?;
                match outcome {
                    EvaluationOutcome::Stored { duplicate } => {
                        EvaluationResult::Stored { id, duplicate }
                    }
                    EvaluationOutcome::Conflict(message) => {
                        EvaluationResult::Conflict { id, message }
                    }
                    EvaluationOutcome::UnknownCase => EvaluationResult::Invalid {
                        id,
                        message: "区级系统没有本站的这件办件，请先同步办件".into(),
                    },
                }
            }
        };
        answer.push(result);
    }
    tracing::info!(station = %device.station_code, records = answer.len(), "evaluations answered");
    Ok(Json(EvaluationAnswer { results: answer }))
}
