//! Downloading what the district publishes (protocol v2): the station's case status changes
//! by cursor, each page applied in ONE store transaction together with the cursor (the next
//! page is on its way meanwhile), then each reference document whose version changed.
//!
//! An outage stops the round with every page either applied whole or not at all; a
//! document that does not parse as its type, or that the store refuses, is skipped with a
//! Chinese problem text and the other documents still come.

use std::sync::{Arc, Mutex};

use tokio::task::JoinHandle;
use tracing::{debug, info, warn};

use super::plan::{Stop, decide};
use super::round::with_store;
use crate::client::{DistrictClient, Failure};
use crate::protocol::v2::downloads::{MAX_STATUS_CHANGES, ReferenceKind, StatusChanges};
use crate::{Outbox, ReferenceApplied, ReferenceData, StatusCounts, SyncError};

/// Status pages pulled in one round at most (100,000 changes); the rest comes next round.
const MAX_PAGES_PER_ROUND: u32 = 20;

/// How the downloads of one round ended.
#[derive(Debug, Default)]
pub(crate) struct Downloaded {
    pub status: StatusCounts,
    /// Reference documents replaced by a newer version.
    pub documents_updated: u32,
    /// More status changes wait beyond this round's pages.
    pub more: bool,
    /// Why the downloads stopped early, with the clerk's text.
    pub stop: Option<(Stop, String)>,
    /// Documents not applied (Chinese); the round went on without them.
    pub problems: Vec<String>,
}

/// Pulls status changes, then reference documents, unless the district stops the round.
pub(crate) async fn download<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
) -> Result<Downloaded, SyncError> {
    let mut down = Downloaded::default();
    pull_status_changes(store, client, &mut down).await?;
    if down.stop.is_none() {
        pull_references(store, client, &mut down).await?;
    }
    info!(
        applied = down.status.applied,
        skipped = down.status.skipped,
        documents = down.documents_updated,
        stopped = down.stop.is_some(),
        "downloads finished"
    );
    Ok(down)
}

async fn pull_status_changes<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    down: &mut Downloaded,
) -> Result<(), SyncError> {
    let mut after = with_store(store, |s| s.status_cursor()).await?;
    let mut writing: Option<JoinHandle<Result<StatusCounts, SyncError>>> = None;
    let mut pages = 0;
    loop {
        let asked = client.status_changes(after, MAX_STATUS_CHANGES).await;
        if let Some(w) = writing.take() {
            add(&mut down.status, w.await.map_err(|_| SyncError::Task)??);
        }
        let page = match asked {
            Ok(page) => page,
            Err(failure) => {
                down.stop = Some(stop_for(&failure));
                break;
            }
        };
        if page.next_after < after || (page.more && page.next_after == after) {
            // A cursor that goes back or stands still would loop or repeat changes.
            warn!(
                after,
                next_after = page.next_after,
                "status page with a wrong cursor"
            );
            let failure = Failure::Unreadable { status: 200 };
            down.stop = Some(stop_for(&failure));
            break;
        }
        pages += 1;
        let more = page.more;
        if !page.changes.is_empty() || page.next_after != after {
            after = page.next_after;
            writing = Some(apply_in_background(store, page));
        }
        if !more {
            break;
        }
        if pages >= MAX_PAGES_PER_ROUND {
            down.more = true;
            break;
        }
    }
    if let Some(w) = writing.take() {
        add(&mut down.status, w.await.map_err(|_| SyncError::Task)??);
    }
    Ok(())
}

/// Applies a page on a blocking thread, so the next page can be asked for meanwhile.
fn apply_in_background<O: Outbox>(
    store: &Arc<Mutex<O>>,
    page: StatusChanges,
) -> JoinHandle<Result<StatusCounts, SyncError>> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| SyncError::StorePoisoned)?;
        guard.apply_status_changes(&page.changes, page.next_after)
    })
}

async fn pull_references<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    down: &mut Downloaded,
) -> Result<(), SyncError> {
    for kind in ReferenceKind::ALL {
        let have = with_store(store, move |s| s.reference_version(kind)).await?;
        let doc = match client.reference(kind, have.as_deref()).await {
            Ok(Some(doc)) => doc,
            Ok(None) => continue,
            // The status download just reached this district at this address: a 404 here
            // means the kind was never published.
            Err(Failure::WrongAddress { .. }) => {
                debug!(kind = kind.path_segment(), "reference not published");
                continue;
            }
            Err(failure) => {
                down.stop = Some(stop_for(&failure));
                return Ok(());
            }
        };
        let data = match ReferenceData::parse(kind, &doc.json) {
            Ok(data) => data,
            Err(e) => {
                // Position and category only: the message may quote the document's content.
                warn!(
                    kind = kind.path_segment(),
                    version = %doc.version,
                    category = ?e.classify(),
                    line = e.line(),
                    column = e.column(),
                    "downloaded reference document does not parse; not applied"
                );
                down.problems.push(format!(
                    "区级系统下发的{}（版本 {}）格式不正确，未应用，本机继续使用原有版本",
                    kind.label(),
                    doc.version
                ));
                continue;
            }
        };
        let version = doc.version.clone();
        let applied = with_store(store, move |s| s.apply_reference(&version, data)).await?;
        match applied {
            ReferenceApplied::Applied => {
                info!(kind = kind.path_segment(), version = %doc.version, "reference document updated");
                down.documents_updated += 1;
            }
            ReferenceApplied::Refused(reason) => {
                warn!(kind = kind.path_segment(), version = %doc.version, "reference document refused by the store");
                down.problems.push(format!(
                    "区级系统下发的{}（版本 {}）未应用：{reason}",
                    kind.label(),
                    doc.version
                ));
            }
        }
    }
    Ok(())
}

/// A failed download stops the round: the uploads' classification, and a 5xx (which an
/// upload would pin on a record) is the district's failure.
fn stop_for(failure: &Failure) -> (Stop, String) {
    let stop = decide(failure).stop.unwrap_or(Stop::ServerError);
    (stop, failure.message_zh())
}

fn add(total: &mut StatusCounts, done: StatusCounts) {
    total.applied += done.applied;
    total.skipped += done.skipped;
}
