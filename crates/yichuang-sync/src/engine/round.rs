//! One sync round: send what is due, write down each answer, download what the district
//! published, and say how the round ended. Used by the runner on every tick, and directly
//! by the CLI and tests.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tracing::{info, instrument};

use super::download::download;
use super::evaluations::Evaluations;
use super::handovers::Handovers;
use super::materials::upload_materials;
use super::pages::OutboxPages;
use super::plan::{Stop, SyncPolicy, decide};
use super::record_batches::send_records;
use super::upload::upload;
use crate::client::DistrictClient;
use crate::{Outbox, SyncError, SyncProgress};

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Records sent.
    pub attempted: u32,
    /// Acknowledged and cleared from the outbox.
    pub synced: u32,
    /// Acknowledged, but edited locally meanwhile: the newer revision stays in the outbox.
    pub superseded: u32,
    /// Moved to quarantine this round.
    pub quarantined: u32,
    /// Failed for now, with a later attempt time written down.
    pub retry_later: u32,
    /// Why the round ended early, if it did.
    pub stop: Option<Stop>,
    /// Chinese text of the failure that stopped the round (or of the last 5xx met).
    pub problem: Option<String>,
    /// A full load went through, or more status changes wait: another round right away.
    pub more_due: bool,
    /// Scanned page files the district now holds whole (sent, or it had them).
    pub materials_confirmed: u32,
    /// Bytes of page files sent.
    pub material_bytes: u64,
    /// Page files found damaged and set apart.
    pub materials_poisoned: u32,
    /// Evaluations the district now holds.
    pub evaluations_sent: u32,
    /// Evaluations it refused (rated already through another channel, or invalid).
    pub evaluations_refused: u32,
    /// Handovers (送达) the district now holds.
    pub handovers_sent: u32,
    /// Handovers it refused (the case not decided there, or handed over already).
    pub handovers_refused: u32,
    /// District status changes applied to this station's cases.
    pub status_changes_applied: u32,
    /// Status changes skipped (a case this station does not hold, or a step refused).
    pub status_changes_skipped: u32,
    /// Reference documents (catalogue, calendar, credit list, clerks) updated.
    pub documents_updated: u32,
    /// Downloaded documents not applied (Chinese), the round went on without them.
    pub download_problems: Vec<String>,
    /// Records waiting after the round: cases in the outbox and handovers not yet sent.
    pub pending: u32,
    /// Records set apart after the round: quarantined cases and refused handovers.
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

/// (pending, set apart) over every kind of record the station sends and the window counts:
/// cases in the outbox and handovers.
pub(crate) fn record_counts<O: Outbox>(store: &mut O) -> Result<(u32, u32), SyncError> {
    let (cases, quarantined) = store.outbox_counts()?;
    let (handovers, refused) = store.handover_counts()?;
    Ok((
        cases.saturating_add(handovers),
        quarantined.saturating_add(refused),
    ))
}

/// Sends every due record once (up to `policy.load_limit`, in batches) and records the
/// outcome of each; then, unless the round stopped, downloads status changes and newer
/// reference documents. A district that is away or refuses is reported in
/// [`SyncReport::stop`], not as an error.
#[instrument(skip_all, err)]
pub async fn sync_once<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    policy: &SyncPolicy,
) -> Result<SyncReport, SyncError> {
    sync_once_reporting(store, client, policy, &|_| {}).await
}

/// Where a round tells how far it has got (the runner forwards it to the window).
pub type ProgressSink<'a> = dyn Fn(SyncProgress) + Send + Sync + 'a;

/// [`sync_once`], telling `progress` after every batch of cases and every page file.
pub async fn sync_once_reporting<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    policy: &SyncPolicy,
    progress: &ProgressSink<'_>,
) -> Result<SyncReport, SyncError> {
    let now = Timestamp::now();
    let limit = policy.load_limit.max(1);
    let mut report = SyncReport::default();
    let (queued, _) = with_store(store, |s| s.outbox_counts()).await?;
    let total = u64::from(queued).min(limit as u64);
    let mut pages = OutboxPages::new(store, now, policy.batch_limit, limit);
    let up = upload(store, client, policy, &mut pages, total, progress).await?;
    let fetched = pages.fetched();
    report.attempted = up.attempted;
    report.synced = up.counts.synced;
    report.superseded = up.counts.superseded;
    report.retry_later = up.counts.retry_later;
    report.quarantined += up.counts.quarantined;
    report.problem = up.problem;
    if let Some((stop, message)) = up.stop {
        report.stop = Some(stop);
        report.problem = Some(message);
    }
    if up.attempted == 0 && report.stop.is_none() {
        // Nothing sent: still find out whether the district is there (and its clock).
        if let Err(failure) = client.health_v2().await {
            report.stop = decide(&failure).stop;
            report.problem = Some(failure.message_zh());
        }
    }

    if report.stop.is_none() {
        let files = upload_materials(store, client, progress).await?;
        report.materials_confirmed = files.confirmed;
        report.material_bytes = files.bytes;
        report.materials_poisoned = files.poisoned;
        if let Some((stop, message)) = files.stop {
            report.stop = Some(stop);
            report.problem = Some(message);
        }
    }

    if report.stop.is_none() {
        let rated = send_records::<Evaluations, _>(store, client).await?;
        report.evaluations_sent = rated.stored;
        report.evaluations_refused = rated.refused;
        if let Some((stop, message)) = rated.stop {
            report.stop = Some(stop);
            report.problem = Some(message);
        }
    }

    if report.stop.is_none() {
        // After the cases (a handover's case must be at the district first) and before the
        // status download, so this round's pull already shows them 已送达.
        let handed = send_records::<Handovers, _>(store, client).await?;
        report.handovers_sent = handed.stored;
        report.handovers_refused = handed.refused;
        if let Some((stop, message)) = handed.stop {
            report.stop = Some(stop);
            report.problem = Some(message);
        }
    }

    let mut more_changes = false;
    if report.stop.is_none() {
        let down = download(store, client).await?;
        report.status_changes_applied = down.status.applied;
        report.status_changes_skipped = down.status.skipped;
        report.documents_updated = down.documents_updated;
        more_changes = down.more;
        if report.problem.is_none() {
            report.problem = down.problems.first().cloned();
        }
        report.download_problems = down.problems;
        if let Some((stop, message)) = down.stop {
            report.stop = Some(stop);
            report.problem = Some(message);
        }
    }

    if let Some(offset) = client.clock_offset() {
        let ms = offset.as_millis().clamp(i64::MIN.into(), i64::MAX.into()) as i64;
        with_store(store, move |s| s.note_clock_offset(ms)).await?;
    }

    report.more_due = report.stop.is_none() && (fetched >= limit || more_changes);
    let (pending, quarantined) = with_store(store, record_counts).await?;
    report.pending = pending;
    report.quarantined_total = quarantined;
    info!(
        synced = report.synced,
        quarantined = report.quarantined,
        pending,
        status_changes = report.status_changes_applied,
        documents = report.documents_updated,
        "sync round done"
    );
    Ok(report)
}
