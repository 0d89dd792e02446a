//! `POST cases/batch`: many records per request, one result per record, every stored record
//! of the batch committed in one transaction before the answer leaves.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;
use uuid::Uuid;
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CaseRecord, MAX_BATCH_RECORDS, RecordResult,
};
use yichuang_sync::protocol::v2::materials::{MAX_MATERIAL_BYTES, MaterialRef, is_sha256_hex};
use yichuang_sync::protocol::{CaseSubmission, ContentHash, canonical_json};

use super::{check_text, parse_json};
use crate::server::AppState;
use crate::store::{PreparedRecord, StoreOutcome};
use crate::{DistrictError, auth};

/// Longest item code, case number or material code (the catalogue's limit).
pub(crate) const MAX_CODE_LEN: usize = 64;
/// Most material refs on one case.
const MAX_MATERIALS_PER_CASE: usize = 1000;
/// Largest clock offset believed: a year.
const MAX_CLOCK_OFFSET_MS: i64 = 366 * 24 * 3600 * 1000;
const MATERIAL_KINDS: [&str; 4] = ["jpeg", "png", "tiff", "pdf"];

/// The batch as first read: each record stays raw JSON text, read into its type once, so one
/// unreadable record is answered `Invalid` on its own instead of failing the request.
#[derive(Deserialize)]
struct RawBatch {
    records: Vec<Box<RawValue>>,
}

/// What is read of a record its type cannot read: enough to answer about it.
#[derive(Deserialize)]
struct RecordHead {
    submission: SubmissionHead,
}

#[derive(Deserialize)]
struct SubmissionHead {
    id: Option<String>,
    station_code: Option<String>,
}

/// A record as read: whole, or only its id and station (`None` when even those are absent).
enum Read {
    Whole(Box<CaseRecord>),
    Unreadable {
        id: Option<Uuid>,
        station: Option<String>,
    },
}

impl Read {
    fn of(raw: &RawValue) -> Read {
        match serde_json::from_str::<CaseRecord>(raw.get()) {
            Ok(record) => Read::Whole(Box::new(record)),
            Err(_) => match serde_json::from_str::<RecordHead>(raw.get()) {
                Ok(head) => Read::Unreadable {
                    id: head.submission.id.and_then(|s| Uuid::parse_str(&s).ok()),
                    station: head.submission.station_code,
                },
                Err(_) => Read::Unreadable {
                    id: None,
                    station: None,
                },
            },
        }
    }

    fn id(&self) -> Option<Uuid> {
        match self {
            Read::Whole(r) => Some(r.submission.id),
            Read::Unreadable { id, .. } => *id,
        }
    }

    fn station(&self) -> Option<&str> {
        match self {
            Read::Whole(r) => Some(r.submission.station_code.as_str()),
            Read::Unreadable { station, .. } => station.as_deref(),
        }
    }
}

/// Store a batch of cases.
#[utoipa::path(post, path = "/api/v2/cases/batch", tag = "v2",
    request_body = yichuang_sync::protocol::v2::cases::CaseBatch,
    security(("device_token" = [])),
    responses(
        (status = 200, description = "每条记录一个结果，按提交顺序", body = BatchAnswer),
        (status = 400, description = "请求整体格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
        (status = 403, description = "记录的站点编码与凭据不符", body = crate::openapi::ErrorBodyDoc),
        (status = 413, description = "记录过多或请求过大", body = crate::openapi::ErrorBodyDoc),
        (status = 503, description = "繁忙，见 Retry-After", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let raw: RawBatch = parse_json(&body, "批量办件数据")?;
    if raw.records.len() > MAX_BATCH_RECORDS {
        return Err(DistrictError::TooLarge(format!(
            "一次最多提交 {MAX_BATCH_RECORDS} 条办件，本次 {} 条",
            raw.records.len()
        )));
    }
    let records: Vec<Read> = raw.records.iter().map(|r| Read::of(r)).collect();
    // The whole request is refused when any record names another station: a wrong token.
    for record in &records {
        if record.station().is_some_and(|s| s != device.station_code) {
            tracing::warn!(station = %device.station_code, "batch names another station");
            return Err(DistrictError::Forbidden);
        }
    }
    if let Some(faults) = &state.faults {
        let ids: Vec<Uuid> = records.iter().filter_map(Read::id).collect();
        if let Some(answer) = faults.intercept_batch(&ids).await {
            return Ok(answer);
        }
    }
    let mut results: Vec<Option<RecordResult>> = Vec::with_capacity(records.len());
    let mut prepared = Vec::new();
    for (n, record) in records.into_iter().enumerate() {
        match prepare(record, n + 1)? {
            Ok(record) => {
                results.push(None);
                prepared.push(record);
            }
            Err(invalid) => results.push(Some(invalid)),
        }
    }
    let outcomes = if prepared.is_empty() {
        Vec::new()
    } else {
        let ids: Vec<Uuid> = prepared.iter().map(|r| r.submission.id).collect();
        let outcomes = state
            .store
            .store_cases(&state.region_code, prepared, Timestamp::now())
            .await?;
        ids.into_iter().zip(outcomes).collect()
    };
    let mut outcomes = outcomes.into_iter();
    let mut answer = Vec::with_capacity(results.len());
    for slot in results {
        let result = match slot {
            Some(invalid) => invalid,
            None => {
                let (id, outcome) = outcomes.next().ok_or(DistrictError::Task)?;
                record_result(id, outcome)
            }
        };
        answer.push(result);
    }
    let stored = answer
        .iter()
        .filter(|r| matches!(r, RecordResult::Stored { .. }))
        .count();
    tracing::info!(station = %device.station_code, records = answer.len(), stored, "batch answered");
    Ok(Json(BatchAnswer { results: answer }).into_response())
}

fn record_result(id: Uuid, outcome: StoreOutcome) -> RecordResult {
    match outcome {
        StoreOutcome::Created(ack) | StoreOutcome::Duplicate(ack) => RecordResult::Stored {
            id: ack.id,
            official_case_no: ack.official_case_no,
            received_at: ack.received_at,
            duplicate: ack.duplicate,
        },
        StoreOutcome::Conflict => RecordResult::Conflict {
            id,
            message: DistrictError::Conflict.to_string(),
        },
    }
}

/// A record ready to store, or its `Invalid` result; `Err` only when the record has no
/// readable id (then the whole request is malformed).
fn prepare(record: Read, n: usize) -> Result<Result<PreparedRecord, RecordResult>, DistrictError> {
    let id = record
        .id()
        .ok_or_else(|| DistrictError::BadRequest(format!("第 {n} 条记录缺少可读的办件标识")))?;
    let invalid = |message: String| RecordResult::Invalid {
        id,
        message: format!("第 {n} 条记录{message}"),
    };
    let Read::Whole(record) = record else {
        return Ok(Err(invalid("格式不正确，无法读取".into())));
    };
    let record = *record;
    if let Err(message) = check_record(&record) {
        return Ok(Err(invalid(format!("：{message}"))));
    }
    let sub = record.submission;
    let body = canonical_json(&sub)?;
    Ok(Ok(PreparedRecord {
        hash: ContentHash::of_canonical(&body),
        body,
        submission: sub,
        revision: record.revision,
        clock_offset_ms: record.clock_offset_ms,
        materials: record.materials,
        protocol: 2,
    }))
}

/// The fields of a submission the district relies on.
pub(crate) fn check_submission(sub: &CaseSubmission) -> Result<(), String> {
    if sub.id.is_nil() {
        return Err("办件标识不能为空".into());
    }
    check_text("case_no", &sub.case_no, MAX_CODE_LEN, false)?;
    check_text("item_code", &sub.item_code, MAX_CODE_LEN, false)?;
    check_text(
        "intake.item_code",
        &sub.intake.item_code,
        MAX_CODE_LEN,
        false,
    )?;
    check_text("item_name", &sub.item_name, 200, false)?;
    check_text("clerk", &sub.clerk, MAX_CODE_LEN, false)?;
    Ok(())
}

fn check_record(record: &CaseRecord) -> Result<(), String> {
    check_submission(&record.submission)?;
    if record.revision < 0 {
        return Err("修订号不能为负数".into());
    }
    if record
        .clock_offset_ms
        .is_some_and(|o| o.abs() > MAX_CLOCK_OFFSET_MS)
    {
        return Err("时钟偏差超出一年，不可信".into());
    }
    if record.materials.len() > MAX_MATERIALS_PER_CASE {
        return Err(format!("材料超过 {MAX_MATERIALS_PER_CASE} 份"));
    }
    let mut seen = HashSet::new();
    for m in &record.materials {
        check_material(m)?;
        if !seen.insert((m.material_code.as_str(), m.position)) {
            return Err(format!("材料 {} 第 {} 页重复", m.material_code, m.position));
        }
    }
    Ok(())
}

fn check_material(m: &MaterialRef) -> Result<(), String> {
    check_text("material_code", &m.material_code, MAX_CODE_LEN, false)?;
    if m.position == 0 {
        return Err("材料页序应从 1 开始".into());
    }
    if !is_sha256_hex(&m.sha256) {
        return Err("材料摘要应为 64 位小写十六进制 SHA-256".into());
    }
    if m.bytes == 0 || m.bytes > MAX_MATERIAL_BYTES {
        return Err(format!("材料大小应为 1 至 {MAX_MATERIAL_BYTES} 字节"));
    }
    if !MATERIAL_KINDS.contains(&m.kind.as_str()) {
        return Err("材料类型应为 jpeg、png、tiff 或 pdf".into());
    }
    Ok(())
}
