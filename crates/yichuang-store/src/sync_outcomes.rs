//! What one district answer did to many outbox rows, written in one transaction: a batch of
//! a thousand acknowledgements costs one commit, not a thousand (DESIGN.md §5).

use jiff::Timestamp;
use tracing::{info, instrument, warn};
use uuid::Uuid;
use yichuang_core::SyncState;

use crate::facade::event;
use crate::{Result, Store, StoreError, audit, cases, outbox};

/// The district's answer about one record, as the sync engine hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Stored by the district at `revision` with its official number.
    Acknowledged {
        case_id: Uuid,
        revision: i64,
        official_case_no: String,
    },
    /// Not stored: counted, with the message and the next attempt; `permanent` quarantines.
    Failed {
        case_id: Uuid,
        message: String,
        permanent: bool,
        next_attempt_at: Timestamp,
    },
}

/// What recording the outcomes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomesRecorded {
    /// Acknowledged and cleared from the outbox.
    pub synced: u32,
    /// Acknowledged, but edited meanwhile: the newer revision stays queued.
    pub superseded: u32,
    /// Failed for now, to be tried again.
    pub retry_later: u32,
    /// Moved to quarantine.
    pub quarantined: u32,
}

impl Store {
    /// Records every outcome of one district answer in one transaction.
    #[instrument(skip_all, fields(outcomes = outcomes.len()), err)]
    pub fn record_sync_outcomes(&mut self, outcomes: &[SyncOutcome]) -> Result<OutcomesRecorded> {
        let now = Timestamp::now();
        let recorded = self.write(|tx| {
            let mut done = OutcomesRecorded::default();
            let mut chain = audit::Chain::head(tx)?;
            let mut synced: Vec<&str> = Vec::new();
            for outcome in outcomes {
                match outcome {
                    SyncOutcome::Acknowledged {
                        case_id,
                        revision,
                        official_case_no,
                    } => {
                        let official = official_case_no.trim();
                        if official.is_empty() {
                            return Err(StoreError::InvalidInput(
                                "区级系统没有返回正式办件编号".into(),
                            ));
                        }
                        if !outbox::holds_revision(tx, *case_id, *revision)? {
                            done.superseded += 1;
                            continue;
                        }
                        match cases::mark_synced(tx, *case_id, official, now) {
                            Ok(()) => {
                                outbox::remove_at_revision(tx, *case_id, *revision)?;
                                synced.push(official);
                                done.synced += 1;
                            }
                            Err(StoreError::OfficialNoTaken { .. }) => {
                                warn!(case_id = %case_id, "district number already used by another case");
                                outbox::fail(
                                    tx,
                                    *case_id,
                                    "区级系统返回的正式编号与本机另一办件重复，需人工核对",
                                    true,
                                    now,
                                )?;
                                mark_quarantined(tx, &mut chain, *case_id, now)?;
                                done.quarantined += 1;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    SyncOutcome::Failed {
                        case_id,
                        message,
                        permanent,
                        next_attempt_at,
                    } => {
                        outbox::fail(tx, *case_id, message, *permanent, *next_attempt_at)?;
                        if *permanent {
                            mark_quarantined(tx, &mut chain, *case_id, now)?;
                            done.quarantined += 1;
                        } else {
                            done.retry_later += 1;
                        }
                    }
                }
            }
            // One audit row per answer naming every official number it brought (a row per
            // case, each a hash-chain step, was a fifth of this commit).
            if !synced.is_empty() {
                let target = synced.join(",");
                let result = format!("ok {}", synced.len());
                chain.append(tx, event(now, "sync", "case.synced", &target, &result))?;
            }
            Ok(done)
        })?;
        info!(?recorded, "sync outcomes recorded");
        Ok(recorded)
    }
}

/// The case shows as quarantined and the audit log says so.
pub(crate) fn mark_quarantined(
    tx: &rusqlite::Transaction<'_>,
    chain: &mut audit::Chain,
    case_id: Uuid,
    now: Timestamp,
) -> Result<()> {
    cases::set_sync_state(tx, case_id, SyncState::Quarantined, now)?;
    let id = case_id.to_string();
    chain.append(tx, event(now, "sync", "case.quarantined", &id, "refused"))
}
