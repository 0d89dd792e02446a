//! Sending the evaluations (好差评) citizens gave at the station, after the cases they rate
//! have reached the district. The district's answer about one rating (rated already through
//! another channel, or invalid) sets that rating apart with its reason; an outage or a
//! refusal of the whole request stops the round with nothing written down.

use super::plan::Stop;
use super::record_batches::BatchedRecords;
use crate::client::{DistrictClient, Failure};
use crate::protocol::v2::evaluations::{
    EvaluationBatch, EvaluationRecord, EvaluationResult, MAX_EVALUATION_RECORDS,
};
use crate::{EvaluationSent, Outbox, SyncError};

/// The evaluations step of a round.
pub(crate) struct Evaluations;

impl BatchedRecords for Evaluations {
    type Record = EvaluationRecord;
    type Sent = EvaluationSent;
    const MAX: usize = MAX_EVALUATION_RECORDS;
    const STOP: Stop = Stop::Misconfigured;
    const LOG: &'static str = "evaluations";

    fn to_send<O: Outbox>(store: &O, limit: usize) -> Result<Vec<EvaluationRecord>, SyncError> {
        store.evaluations_to_send(limit)
    }

    async fn send(
        client: &DistrictClient,
        records: Vec<EvaluationRecord>,
    ) -> Result<Vec<EvaluationSent>, Failure> {
        let answer = client
            .submit_evaluations(&EvaluationBatch { records })
            .await?;
        Ok(answer
            .results
            .into_iter()
            .map(|r| match r {
                EvaluationResult::Stored { id, .. } => EvaluationSent::Stored(id),
                EvaluationResult::Conflict { id, message }
                | EvaluationResult::Invalid { id, message } => {
                    EvaluationSent::Refused { id, message }
                }
            })
            .collect())
    }

    fn stored(sent: &EvaluationSent) -> bool {
        matches!(sent, EvaluationSent::Stored(_))
    }

    fn record_sent<O: Outbox>(store: &mut O, answers: &[EvaluationSent]) -> Result<(), SyncError> {
        store.record_evaluations_sent(answers)
    }
}
