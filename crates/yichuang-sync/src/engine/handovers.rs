//! Sending the handovers (送达) recorded at the station, after the cases they hand over have
//! reached the district (the store offers only those). A handover leaves the queue only on
//! the district's acceptance; its own refusal (409/422 inside the answer) sets it apart with
//! the reason; an outage or a refusal of the whole request stops the round with nothing
//! written down, so the next round sends it again (the district answers a repeat as the
//! first time).

use super::plan::Stop;
use super::record_batches::BatchedRecords;
use crate::client::{DistrictClient, Failure};
use crate::protocol::v2::handovers::{
    HandoverBatch, HandoverRecord, HandoverResult, MAX_HANDOVER_RECORDS,
};
use crate::{HandoverSent, Outbox, SyncError};

/// The handovers step of a round.
pub(crate) struct Handovers;

impl BatchedRecords for Handovers {
    type Record = HandoverRecord;
    type Sent = HandoverSent;
    const MAX: usize = MAX_HANDOVER_RECORDS;
    /// A 5xx here is not blamed on a record: handovers stay queued as they are.
    const STOP: Stop = Stop::ServerError;
    const LOG: &'static str = "handovers";

    fn to_send<O: Outbox>(store: &O, limit: usize) -> Result<Vec<HandoverRecord>, SyncError> {
        store.handovers_to_send(limit)
    }

    async fn send(
        client: &DistrictClient,
        records: Vec<HandoverRecord>,
    ) -> Result<Vec<HandoverSent>, Failure> {
        let answer = client.submit_handovers(&HandoverBatch { records }).await?;
        Ok(answer
            .results
            .into_iter()
            .map(|r| match r {
                HandoverResult::Stored { id, .. } => HandoverSent::Stored(id),
                HandoverResult::Conflict { id, message }
                | HandoverResult::Invalid { id, message } => HandoverSent::Refused { id, message },
            })
            .collect())
    }

    fn stored(sent: &HandoverSent) -> bool {
        matches!(sent, HandoverSent::Stored(_))
    }

    fn record_sent<O: Outbox>(store: &mut O, answers: &[HandoverSent]) -> Result<(), SyncError> {
        store.record_handovers_sent(answers)
    }
}
