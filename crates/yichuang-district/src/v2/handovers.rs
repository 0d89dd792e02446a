//! `POST handovers/batch`: the handovers (送达) a station recorded, one result per record,
//! the whole batch (with each case's 已送达 status change) committed before the answer leaves.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_sync::protocol::v2::handovers::{
    HandoverAnswer, HandoverBatch, HandoverRecord, HandoverResult, MAX_HANDOVER_RECORDS, check,
};

use super::record_batch::{RecordBatch, UNKNOWN_CASE, answer};
use crate::DistrictError;
use crate::server::AppState;
use crate::store::HandoverOutcome;

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
    let results = answer::<HandoverBatch>(&state, &headers, &body).await?;
    Ok(Json(HandoverAnswer { results }))
}

impl RecordBatch for HandoverBatch {
    type Record = HandoverRecord;
    type Result = HandoverResult;
    type Outcome = HandoverOutcome;
    const MAX: usize = MAX_HANDOVER_RECORDS;
    const BODY: &'static str = "送达数据";
    const RECORD: &'static str = "送达记录";
    const LOG: &'static str = "handovers";

    fn into_records(self) -> Vec<HandoverRecord> {
        self.records
    }

    fn id(record: &HandoverRecord) -> Uuid {
        record.id
    }

    fn check(record: &HandoverRecord) -> Result<(), String> {
        check(record)
    }

    fn invalid(id: Uuid, message: String) -> HandoverResult {
        HandoverResult::Invalid { id, message }
    }

    async fn store(
        state: &AppState,
        station: &str,
        records: Vec<HandoverRecord>,
    ) -> Result<Vec<HandoverOutcome>, DistrictError> {
        state
            .store
            .store_handovers(station, records, Timestamp::now())
            .await
    }

    fn result(id: Uuid, outcome: HandoverOutcome) -> HandoverResult {
        match outcome {
            HandoverOutcome::Stored { duplicate } => HandoverResult::Stored { id, duplicate },
            HandoverOutcome::Conflict(message) => HandoverResult::Conflict { id, message },
            HandoverOutcome::UnknownCase => HandoverResult::Invalid {
                id,
                message: UNKNOWN_CASE.into(),
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
}
