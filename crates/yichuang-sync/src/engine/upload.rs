//! Uploading the outbox in batches (protocol v2): many records per request and one station
//! commit per answer. A batch the district cannot take whole is split in halves until the
//! record at fault is alone: a 413 shrinks the batch, a 5xx while the district says it is
//! healthy isolates a poison record, an outage touches nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use super::pages::OutboxPages;
use super::plan::{Planned, Stop, SyncPolicy, blame_server_error, decide};
use super::round::{ProgressSink, with_store};
use crate::client::{DistrictClient, Failure};
use crate::protocol::v2::cases::{CaseBatch, CaseRecord, RecordResult};
use crate::protocol::v2::materials::MaterialRef;
use crate::{Outbox, OutcomeCounts, RecordOutcome, SyncError, SyncProgress};

/// How an upload ended.
#[derive(Debug, Default)]
pub(crate) struct Uploaded {
    pub counts: OutcomeCounts,
    /// Records sent (counting each once, however often it was split).
    pub attempted: u32,
    /// Why the upload stopped early, with the clerk's text.
    pub stop: Option<(Stop, String)>,
    /// The last 5xx met, when it did not stop the round.
    pub problem: Option<String>,
}

/// Sends the round's load as `pages` reads it, in batches of at most `policy.batch_limit`,
/// and records every answer; rows that cannot be sent are set apart as their page arrives.
/// `total` is the progress bar's length.
pub(crate) async fn upload<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    policy: &SyncPolicy,
    pages: &mut OutboxPages<O>,
    total: u64,
    progress: &ProgressSink<'_>,
) -> Result<Uploaded, SyncError> {
    let mut done = 0u64;
    let mut up = Uploaded::default();
    let chunk = policy.batch_limit.max(1);
    if total > 0 {
        // The bar appears while the first batch is on its way, not after it.
        progress(SyncProgress {
            stage: "正在上传办件".into(),
            done: 0,
            total,
            bytes_done: 0,
            bytes_total: 0,
        });
    }
    // Each record's page list comes with its page of the outbox (one statement per page).
    let mut materials: HashMap<uuid::Uuid, Vec<MaterialRef>> = HashMap::new();
    let mut queue: Vec<Vec<Planned>> = Vec::new();
    let mut district_healthy: Option<bool> = None;
    // The answer to one batch is written while the next batch is on its way, and the next
    // page of the outbox is read meanwhile: the station's work and the district's overlap.
    let mut writing: Option<JoinHandle<Result<OutcomeCounts, SyncError>>> = None;
    loop {
        if queue.is_empty() {
            let Some(page) = pages.next().await? else {
                break;
            };
            if !page.set_apart.is_empty() {
                let set_apart = page.set_apart;
                let counts = with_store(store, move |s| s.record_outcomes(&set_apart)).await?;
                add(&mut up.counts, counts);
            }
            up.attempted = up
                .attempted
                .saturating_add(u32::try_from(page.send.len()).unwrap_or(u32::MAX));
            // The page's batches are all sent before the next page is taken.
            materials = page.materials;
            queue = page.send.chunks(chunk).map(<[Planned]>::to_vec).collect();
            queue.reverse();
            continue;
        }
        let Some(batch) = queue.pop() else {
            continue;
        };
        let pages_named = batch
            .iter()
            .map(|p| materials.get(&p.entry.case.id).cloned().unwrap_or_default())
            .collect();
        let size = batch.len() as u64;
        let sent = send(client, &batch, pages_named).await;
        if let Some(w) = writing.take() {
            add(&mut up.counts, w.await.map_err(|_| SyncError::Task)??);
        }
        match sent {
            Ok(outcomes) => {
                writing = Some(write_in_background(store, outcomes));
                done += size;
                progress(SyncProgress {
                    stage: "正在上传办件".into(),
                    done,
                    total,
                    bytes_done: 0,
                    bytes_total: 0,
                });
            }
            Err(Failure::TooLarge) if batch.len() > 1 => split(&mut queue, batch),
            Err(failure @ Failure::TooLarge) => {
                let outcome = RecordOutcome::Failed {
                    case_id: batch[0].entry.case.id,
                    message: format!(
                        "{}（单条办件的数据超过区级系统的上限）",
                        failure.message_zh()
                    ),
                    permanent: true,
                    next_attempt_at: Timestamp::now(),
                };
                let done = with_store(store, move |s| s.record_outcomes(&[outcome])).await?;
                add(&mut up.counts, done);
            }
            Err(failure @ Failure::ServerError { .. }) => {
                up.problem = Some(failure.message_zh());
                let healthy = match district_healthy {
                    Some(h) => h,
                    None => {
                        let h = client.health_v2().await.is_ok();
                        district_healthy = Some(h);
                        h
                    }
                };
                if !healthy {
                    // An outage: nobody's record is to blame, nothing is written down.
                    up.stop = Some((Stop::ServerError, failure.message_zh()));
                    break;
                }
                if batch.len() > 1 {
                    split(&mut queue, batch);
                    continue;
                }
                let p = &batch[0];
                warn!(case_id = %p.entry.case.id, "record refused with a 5xx by a healthy district");
                let (permanent, message, next) = blame_server_error(
                    &failure,
                    p.entry.attempts,
                    Timestamp::now(),
                    policy,
                    fastrand::f64(),
                );
                let outcome = RecordOutcome::Failed {
                    case_id: p.entry.case.id,
                    message,
                    permanent,
                    next_attempt_at: next,
                };
                let done = with_store(store, move |s| s.record_outcomes(&[outcome])).await?;
                add(&mut up.counts, done);
            }
            Err(failure) => {
                let stop = decide(&failure).stop;
                up.stop = Some((stop.unwrap_or(Stop::Misconfigured), failure.message_zh()));
                break;
            }
        }
    }
    pages.stop();
    if let Some(w) = writing.take() {
        add(&mut up.counts, w.await.map_err(|_| SyncError::Task)??);
    }
    info!(counts = ?up.counts, "upload finished");
    Ok(up)
}

/// Records a district answer on a blocking thread, so the next request can go meanwhile.
fn write_in_background<O: Outbox>(
    store: &Arc<Mutex<O>>,
    outcomes: Vec<RecordOutcome>,
) -> JoinHandle<Result<OutcomeCounts, SyncError>> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| SyncError::StorePoisoned)?;
        guard.record_outcomes(&outcomes)
    })
}

/// One request: the batch as records, and what each answer means for its outbox row.
async fn send(
    client: &DistrictClient,
    batch: &[Planned],
    materials: Vec<Vec<MaterialRef>>,
) -> Result<Vec<RecordOutcome>, Failure> {
    let records = batch
        .iter()
        .zip(materials)
        .map(|(p, materials)| CaseRecord {
            submission: p.submission.clone(),
            revision: p.entry.revision,
            clock_offset_ms: p.entry.clock_offset_ms,
            materials,
        })
        .collect();
    let answer = client.submit_batch(&CaseBatch { records }).await?;
    let now = Timestamp::now();
    Ok(answer
        .results
        .into_iter()
        .zip(batch)
        .map(|(result, p)| match result {
            RecordResult::Stored {
                id,
                official_case_no,
                ..
            } => RecordOutcome::Acknowledged {
                case_id: id,
                revision: p.entry.revision,
                official_case_no,
            },
            RecordResult::Conflict { id, message } => RecordOutcome::Failed {
                case_id: id,
                message: format!("区级系统已有同一编号但内容不同的办件，需人工核对：{message}"),
                permanent: true,
                next_attempt_at: now,
            },
            RecordResult::Invalid { id, message } => RecordOutcome::Failed {
                case_id: id,
                message: format!("区级系统认为此办件数据有误，需人工核对：{message}"),
                permanent: true,
                next_attempt_at: now,
            },
        })
        .collect())
}

/// Puts the two halves of `batch` back on the queue, first half next.
fn split(queue: &mut Vec<Vec<Planned>>, mut batch: Vec<Planned>) {
    let second = batch.split_off(batch.len() / 2);
    queue.push(second);
    queue.push(batch);
}

fn add(total: &mut OutcomeCounts, done: OutcomeCounts) {
    total.synced += done.synced;
    total.superseded += done.superseded;
    total.retry_later += done.retry_later;
    total.quarantined += done.quarantined;
}
