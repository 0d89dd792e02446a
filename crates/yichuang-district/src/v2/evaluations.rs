//! `POST evaluations/batch`: the evaluations (好差评) a station took, one result per record,
//! the whole batch committed before the answer leaves.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_sync::protocol::v2::evaluations::{
    EvaluationAnswer, EvaluationBatch, EvaluationRecord, EvaluationResult, MAX_EVALUATION_RECORDS,
    check,
};

use super::record_batch::{RecordBatch, UNKNOWN_CASE, answer};
use crate::DistrictError;
use crate::server::AppState;
use crate::store::EvaluationOutcome;

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
    let results = answer::<EvaluationBatch>(&state, &headers, &body).await?;
    Ok(Json(EvaluationAnswer { results }))
}

impl RecordBatch for EvaluationBatch {
    type Record = EvaluationRecord;
    type Result = EvaluationResult;
    type Outcome = EvaluationOutcome;
    const MAX: usize = MAX_EVALUATION_RECORDS;
    const BODY: &'static str = "评价数据";
    const RECORD: &'static str = "评价";
    const LOG: &'static str = "evaluations";

    fn into_records(self) -> Vec<EvaluationRecord> {
        self.records
    }

    fn id(record: &EvaluationRecord) -> Uuid {
        record.id
    }

    fn check(record: &EvaluationRecord) -> Result<(), String> {
        check(record)
    }

    fn invalid(id: Uuid, message: String) -> EvaluationResult {
        EvaluationResult::Invalid { id, message }
    }

    async fn store(
        state: &AppState,
        station: &str,
        records: Vec<EvaluationRecord>,
    ) -> Result<Vec<EvaluationOutcome>, DistrictError> {
        state
            .store
            .store_evaluations(station, records, &state.evaluation_codes, Timestamp::now())
            .await
    }

    fn result(id: Uuid, outcome: EvaluationOutcome) -> EvaluationResult {
        match outcome {
            EvaluationOutcome::Stored { duplicate } => EvaluationResult::Stored { id, duplicate },
            EvaluationOutcome::Conflict(message) => EvaluationResult::Conflict { id, message },
            EvaluationOutcome::UnknownCase => EvaluationResult::Invalid {
                id,
                message: UNKNOWN_CASE.into(),
            },
        }
    }
}
