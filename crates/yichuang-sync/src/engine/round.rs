//! One sync round: send what is due, write down each answer, and say how the round ended.
//! Used by the runner on every tick, and directly by the CLI and tests.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tracing::{info, instrument, warn};
use uuid::Uuid;

use super::plan::{Stop, SyncPolicy, blame_server_error, decide, plan_batch};
use crate::client::{DistrictClient, Failure};
use crate::{Outbox, SyncError};

/// A case the district acknowledged this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedCase {
    pub id: Uuid,
    pub official_case_no: String,
    /// The district already had it (a re-send).
    pub duplicate: bool,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Submissions sent.
    pub attempted: u32,
    /// Acknowledged and cleared from the outbox.
    pub synced: Vec<SyncedCase>,
    /// Acknowledged, but edited locally meanwhile: the newer revision stays in the outbox.
    pub superseded: u32,
    /// Moved to quarantine this round.
    pub quarantined: u32,
    /// Failed for now, with a later attempt time written down.
    pub retry_later: u32,
    /// Why the round ended early, if it did.
    pub stop: Option<Stop>,
    /// Chinese text of the failure that stopped the round.
    pub problem: Option<String>,
    /// A full batch went through: more may be due right away.
    pub more_due: bool,
    /// Outbox counts after the round.
    pub pending: u32,
    pub quarantined_total: u32,
}

/// Runs `f` on the store in a blocking thread; the lock never lives across an await.
pub(crate) async fn with_store<O, T, F>(store: &Arc<Mutex<O>>, f: F) -> Result<T, SyncError>
where
    O: Outbox,
    T: Send + 'static,
    F: FnOnce(&mut O) -> Result<T, SyncError> + Send + 'static,
{
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| SyncError::StorePoisoned)?;
        f(&mut guard)
    })
    .await
    .map_err(|_| SyncError::Task)?
}

/// Sends every due record once (up to the batch limit) and records the outcome of each.
/// A district that is away or refuses is reported in [`SyncReport::stop`], not as an error.
#[instrument(skip_all, err)]
pub async fn sync_once<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    policy: &SyncPolicy,
) -> Result<SyncReport, SyncError> {
    let now = Timestamp::now();
    let limit = policy.batch_limit.max(1);
    let due = with_store(store, move |s| s.outbox_due(now, limit)).await?;
    let fetched = due.entries.len() + due.unreadable.len();
    let batch = plan_batch(due.entries);
    let mut report = SyncReport::default();

    for (raw_id, problem) in due.unreadable {
        let Ok(id) = Uuid::parse_str(&raw_id) else {
            warn!("outbox row with a malformed case id left as it is");
            continue;
        };
        warn!(case_id = %id, "outbox row cannot be read; quarantined");
        let message = format!("本机办件数据无法读取，未能上传：{problem}");
        with_store(store, move |s| {
            s.record_sync_failure(id, &message, true, now)
        })
        .await?;
        report.quarantined += 1;
    }

    for (id, message) in batch.unsendable {
        warn!(case_id = %id, "record cannot be submitted; quarantined");
        with_store(store, move |s| {
            s.record_sync_failure(id, &message, true, now)
        })
        .await?;
        report.quarantined += 1;
    }

    if batch.send.is_empty() {
        // Nothing to send: still find out whether the district is there (and its clock).
        if let Err(failure) = client.health().await {
            report.stop = decide(&failure, 0, now, policy, 0.0).stop;
            report.problem = Some(failure.message_zh());
        }
    }

    // Records that got a 5xx: blamed only if the district took others this round.
    let mut suspects: Vec<(Uuid, u32, Failure)> = Vec::new();
    for planned in batch.send {
        let id = planned.entry.case.id;
        let revision = planned.entry.revision;
        report.attempted += 1;
        match client.submit(&planned.submission).await {
            Ok(ack) => {
                let official = ack.official_case_no.clone();
                let cleared =
                    with_store(store, move |s| s.record_synced(id, revision, &official)).await?;
                info!(case_id = %id, duplicate = ack.duplicate, cleared, "district acknowledged");
                if cleared {
                    report.synced.push(SyncedCase {
                        id,
                        official_case_no: ack.official_case_no,
                        duplicate: ack.duplicate,
                    });
                } else {
                    report.superseded += 1;
                }
            }
            Err(failure) => {
                let d = decide(
                    &failure,
                    planned.entry.attempts,
                    Timestamp::now(),
                    policy,
                    fastrand::f64(),
                );
                warn!(case_id = %id, failure = ?FailureClass::of(&failure), "sync attempt failed");
                if let Some((permanent, message, next)) = d.record {
                    with_store(store, move |s| {
                        s.record_sync_failure(id, &message, permanent, next)
                    })
                    .await?;
                    if permanent {
                        report.quarantined += 1;
                    } else {
                        report.retry_later += 1;
                    }
                }
                if let Some(stop) = d.stop {
                    report.stop = Some(stop);
                    report.problem = Some(failure.message_zh());
                    break;
                }
                if d.suspect {
                    report.problem = Some(failure.message_zh());
                    suspects.push((id, planned.entry.attempts, failure));
                }
            }
        }
    }
    // A 5xx is the record's fault only if the district is otherwise working: it took other
    // records this round, or it says it is healthy (its health answer checks its store).
    let mut district_works = !report.synced.is_empty() || report.superseded > 0;
    if !district_works && report.stop.is_none() && !suspects.is_empty() {
        district_works = client.health().await.is_ok();
    }
    if district_works {
        for (id, attempts, failure) in suspects {
            let (permanent, message, next) = blame_server_error(
                &failure,
                attempts,
                Timestamp::now(),
                policy,
                fastrand::f64(),
            );
            with_store(store, move |s| {
                s.record_sync_failure(id, &message, permanent, next)
            })
            .await?;
            if permanent {
                report.quarantined += 1;
            } else {
                report.retry_later += 1;
            }
        }
    } else if report.stop.is_none() && !suspects.is_empty() {
        // Nothing got through: an outage, not the records' fault. Nothing is written down.
        report.stop = Some(Stop::ServerError);
    }

    report.more_due = report.stop.is_none() && fetched >= limit;
    let (pending, quarantined) = with_store(store, |s| s.outbox_counts()).await?;
    report.pending = pending;
    report.quarantined_total = quarantined;
    Ok(report)
}

/// A failure without the district's free text, for logs.
#[derive(Debug)]
#[allow(dead_code)] // fields are read through Debug
enum FailureClass {
    Unreachable,
    Busy,
    Server(u16),
    Auth,
    Forbidden,
    WrongAddress(u16),
    Unreadable(u16),
    TooLarge,
    BadRequest(u16),
    Rejected(u16, crate::protocol::ErrorKind),
}

impl FailureClass {
    fn of(f: &Failure) -> Self {
        match f {
            Failure::Unreachable => Self::Unreachable,
            Failure::Busy { .. } => Self::Busy,
            Failure::ServerError { status } => Self::Server(*status),
            Failure::AuthNeeded => Self::Auth,
            Failure::Forbidden => Self::Forbidden,
            Failure::WrongAddress { status } => Self::WrongAddress(*status),
            Failure::Unreadable { status } => Self::Unreadable(*status),
            Failure::TooLarge => Self::TooLarge,
            Failure::BadRequest { status, .. } => Self::BadRequest(*status),
            Failure::Rejected { status, kind, .. } => Self::Rejected(*status, *kind),
        }
    }
}
