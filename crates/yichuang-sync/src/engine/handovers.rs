//! Sending the handovers (送达) recorded at the station, after the cases they hand over have
//! reached the district (the store offers only those). A handover leaves the queue only on
//! the district's acceptance; its own refusal (409/422 inside the answer) sets it apart with
//! the reason; an outage or a refusal of the whole request stops the round with nothing
//! written down, so the next round sends it again (the district answers a repeat as the
//! first time).

use std::sync::{Arc, Mutex};

use tracing::info;

use super::plan::{Stop, decide};
use super::round::with_store;
use crate::client::DistrictClient;
use crate::protocol::v2::handovers::{HandoverBatch, HandoverResult, MAX_HANDOVER_RECORDS};
use crate::{HandoverSent, Outbox, SyncError};

/// What the handovers step did.
#[derive(Debug, Default)]
pub(crate) struct HandoversSent {
    /// Handovers the district now holds.
    pub stored: u32,
    /// Handovers it refused (kept at the station with the reason).
    pub refused: u32,
    pub stop: Option<(Stop, String)>,
}

pub(crate) async fn upload_handovers<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
) -> Result<HandoversSent, SyncError> {
    let mut sent = HandoversSent::default();
    loop {
        let records = with_store(store, |s| s.handovers_to_send(MAX_HANDOVER_RECORDS)).await?;
        if records.is_empty() {
            break;
        }
        let full = records.len() == MAX_HANDOVER_RECORDS;
        let answer = match client.submit_handovers(&HandoverBatch { records }).await {
            Ok(answer) => answer,
            Err(failure) => {
                // A 5xx here is not blamed on a record: handovers stay queued as they are.
                let stop = decide(&failure).stop.unwrap_or(Stop::ServerError);
                sent.stop = Some((stop, failure.message_zh()));
                break;
            }
        };
        let answers: Vec<HandoverSent> = answer
            .results
            .into_iter()
            .map(|r| match r {
                HandoverResult::Stored { id, .. } => HandoverSent::Stored(id),
                HandoverResult::Conflict { id, message }
                | HandoverResult::Invalid { id, message } => HandoverSent::Refused { id, message },
            })
            .collect();
        for a in &answers {
            match a {
                HandoverSent::Stored(_) => sent.stored += 1,
                HandoverSent::Refused { .. } => sent.refused += 1,
            }
        }
        with_store(store, move |s| s.record_handovers_sent(&answers)).await?;
        if !full {
            break;
        }
    }
    if sent.stored + sent.refused > 0 {
        info!(
            stored = sent.stored,
            refused = sent.refused,
            "handovers sent"
        );
    }
    Ok(sent)
}
