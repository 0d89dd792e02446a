//! What the record-batch routes (`evaluations/batch`, `handovers/batch`) share: the device's
//! token, the body read and its size checked, each record checked on its own (an invalid one
//! is answered `Invalid` alone), the valid ones stored in one call, and one result per record
//! in the order sent.

use std::future::Future;

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::parse_json;
use crate::server::AppState;
use crate::{DistrictError, auth};

/// The answer about a record whose case the district does not hold from the station.
pub(crate) const UNKNOWN_CASE: &str = "区级系统没有本站的这件办件，请先同步办件";

/// A batch of one kind of record (a wire type of `protocol::v2`) and how the district stores it.
pub(crate) trait RecordBatch: DeserializeOwned {
    type Record;
    /// The district's answer about one record.
    type Result;
    /// What the store did with one record.
    type Outcome;
    /// Most records in one batch (more is a 413).
    const MAX: usize;
    /// What the clerk reads for the body ("送达数据") and for one record ("送达记录").
    const BODY: &'static str;
    const RECORD: &'static str;
    /// What the log calls them ("handovers").
    const LOG: &'static str;

    fn into_records(self) -> Vec<Self::Record>;
    fn id(record: &Self::Record) -> Uuid;
    /// The protocol's own checks of one record.
    fn check(record: &Self::Record) -> Result<(), String>;
    fn invalid(id: Uuid, message: String) -> Self::Result;
    /// Stores `records` of `station` in one transaction, one outcome each, in order.
    fn store(
        state: &AppState,
        station: &str,
        records: Vec<Self::Record>,
    ) -> impl Future<Output = Result<Vec<Self::Outcome>, DistrictError>> + Send;
    fn result(id: Uuid, outcome: Self::Outcome) -> Self::Result;
}

/// Answers a batch of `B` sent with `headers` and `body`: one result per record, in order.
pub(crate) async fn answer<B: RecordBatch>(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Vec<B::Result>, DistrictError> {
    let device = auth::device(state, headers).await?;
    let records = parse_json::<B>(body, B::BODY)?.into_records();
    if records.len() > B::MAX {
        return Err(DistrictError::TooLarge(format!(
            "一次最多提交 {} 条{}，本次 {} 条",
            B::MAX,
            B::RECORD,
            records.len()
        )));
    }
    let mut results: Vec<Option<B::Result>> = Vec::with_capacity(records.len());
    let mut valid = Vec::new();
    for (n, record) in records.into_iter().enumerate() {
        match B::check(&record) {
            Ok(()) => {
                results.push(None);
                valid.push(record);
            }
            Err(message) => results.push(Some(B::invalid(
                B::id(&record),
                format!("第 {} 条{}：{message}", n + 1, B::RECORD),
            ))),
        }
    }
    let ids: Vec<Uuid> = valid.iter().map(B::id).collect();
    let outcomes = if valid.is_empty() {
        Vec::new()
    } else {
        B::store(state, &device.station_code, valid).await?
    };
    let mut stored = ids.into_iter().zip(outcomes);
    let mut answer = Vec::with_capacity(results.len());
    for slot in results {
        let result = match slot {
            Some(invalid) => invalid,
            None => {
                let (id, outcome) = stored.next().ok_or(DistrictError::Task)?;
                B::result(id, outcome)
            }
        };
        answer.push(result);
    }
    tracing::info!(station = %device.station_code, records = answer.len(), "{} answered", B::LOG);
    Ok(answer)
}
