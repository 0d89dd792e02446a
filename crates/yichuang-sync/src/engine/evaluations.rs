//! Sending the evaluations (好差评) citizens gave at the station, after the cases they rate
//! have reached the district. The district's answer about one rating (rated already through
//! another channel, or invalid) sets that rating apart with its reason; an outage or a
//! refusal of the whole request stops the round with nothing written down.

use std::sync::{Arc, Mutex};

use tracing::info;

use super::plan::{Stop, decide};
use super::round::with_store;
use crate::client::DistrictClient;
use crate::protocol::v2::evaluations::{EvaluationBatch, EvaluationResult, MAX_EVALUATION_RECORDS};
use crate::{EvaluationSent, Outbox, SyncError};

/// What the evaluations step did.
#[derive(Debug, Default)]
pub(crate) struct EvaluationsSent {
    /// Ratings the district now holds.
    pub stored: u32,
    /// Ratings it refused (kept at the station with the reason).
    pub refused: u32,
    pub stop: Option<(Stop, String)>,
}

pub(crate) async fn upload_evaluations<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
) -> Result<EvaluationsSent, SyncError> {
    let mut sent = EvaluationsSent::default();
    loop {
        let records = with_store(store, |s| s.evaluations_to_send(MAX_EVALUATION_RECORDS)).await?;
        if records.is_empty() {
            break;
        }
        let full = records.len() == MAX_EVALUATION_RECORDS;
        let answer = match client
            .submit_evaluations(&EvaluationBatch { records })
            .await
        {
            Ok(answer) => answer,
            Err(failure) => {
                let stop = decide(&failure).stop.unwrap_or(Stop::Misconfigured);
                sent.stop = Some((stop, failure.message_zh()));
                break;
            }
        };
        let answers: Vec<EvaluationSent> = answer
            .results
            .into_iter()
            .map(|r| match r {
                EvaluationResult::Stored { id, .. } => EvaluationSent::Stored(id),
                EvaluationResult::Conflict { id, message }
                | EvaluationResult::Invalid { id, message } => {
                    EvaluationSent::Refused { id, message }
                }
            })
            .collect();
        for a in &answers {
            match a {
                EvaluationSent::Stored(_) => sent.stored += 1,
                EvaluationSent::Refused { .. } => sent.refused += 1,
            }
        }
        with_store(store, move |s| s.record_evaluations_sent(&answers)).await?;
        if !full {
            break;
        }
    }
    if sent.stored + sent.refused > 0 {
        info!(
            stored = sent.stored,
            refused = sent.refused,
            "evaluations sent"
        );
    }
    Ok(sent)
}
