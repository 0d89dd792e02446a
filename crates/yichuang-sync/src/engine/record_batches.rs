//! The step that sends one kind of record (evaluations, handovers) in batches with one answer
//! per record: a record leaves the queue only on the district's answer about it (stored, or
//! refused with the reason); an outage or a refusal of the whole request stops the round with
//! nothing written down, so the next round sends the same records again.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tracing::info;

use super::plan::{Stop, decide};
use super::round::with_store;
use crate::client::{DistrictClient, Failure};
use crate::{Outbox, SyncError};

/// What a record step did.
#[derive(Debug, Default)]
pub(crate) struct RecordsSent {
    /// Records the district now holds.
    pub stored: u32,
    /// Records it refused (kept at the station with the reason).
    pub refused: u32,
    pub stop: Option<(Stop, String)>,
}

/// One kind of record the station sends in batches, and how its store and the district take it.
pub(crate) trait BatchedRecords {
    type Record: Send + 'static;
    /// The district's answer about one record, as the store writes it down.
    type Sent: Send + 'static;
    /// Most records in one request.
    const MAX: usize;
    /// The stop when a failure of the whole request names none (a 5xx).
    const STOP: Stop;
    /// What the log calls them ("handovers").
    const LOG: &'static str;

    /// Records to send, oldest first, at most `limit`.
    fn to_send<O: Outbox>(store: &O, limit: usize) -> Result<Vec<Self::Record>, SyncError>;
    /// Sends one batch; the answer about each record, in order.
    fn send(
        client: &DistrictClient,
        records: Vec<Self::Record>,
    ) -> impl Future<Output = Result<Vec<Self::Sent>, Failure>> + Send;
    fn stored(sent: &Self::Sent) -> bool;
    /// Writes down the answers (one transaction).
    fn record_sent<O: Outbox>(store: &mut O, answers: &[Self::Sent]) -> Result<(), SyncError>;
}

/// Sends every record of kind `K` the store offers, a full batch after another.
pub(crate) async fn send_records<K: BatchedRecords, O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
) -> Result<RecordsSent, SyncError> {
    let mut sent = RecordsSent::default();
    loop {
        let records = with_store(store, |s| K::to_send(s, K::MAX)).await?;
        if records.is_empty() {
            break;
        }
        let full = records.len() == K::MAX;
        let answers = match K::send(client, records).await {
            Ok(answers) => answers,
            Err(failure) => {
                let stop = decide(&failure).stop.unwrap_or(K::STOP);
                sent.stop = Some((stop, failure.message_zh()));
                break;
            }
        };
        for a in &answers {
            if K::stored(a) {
                sent.stored += 1;
            } else {
                sent.refused += 1;
            }
        }
        with_store(store, move |s| K::record_sent(s, &answers)).await?;
        if !full {
            break;
        }
    }
    if sent.stored + sent.refused > 0 {
        info!(
            stored = sent.stored,
            refused = sent.refused,
            "{} sent",
            K::LOG
        );
    }
    Ok(sent)
}
