//! A round reads the outbox one batch's worth at a time, and the next page while the current
//! one is on its way: the first request leaves once a thousand rows are read and decoded, not
//! once the whole round's load is (a sixth of a 10,000-record drain used to pass before it).
//! The send order (case ids only) is read once, at the first page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use tokio::task::JoinHandle;
use tracing::warn;
use uuid::Uuid;

use super::plan::{Planned, plan_batch};
use crate::protocol::v2::materials::MaterialRef;
use crate::{Due, Outbox, RecordOutcome, SyncError};

/// One page of the outbox, planned.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Records to send, oldest first.
    pub send: Vec<Planned>,
    /// Rows that cannot be read or put on the wire: to quarantine, apart from the others.
    pub set_apart: Vec<RecordOutcome>,
    /// The scanned pages each record names (read with the page, in one statement).
    pub materials: HashMap<Uuid, Vec<MaterialRef>>,
}

type Loading = JoinHandle<Result<(Page, Vec<String>), SyncError>>;

/// The pages of one round's load: at most `limit` rows, `page` at a time.
pub(crate) struct OutboxPages<O: Outbox> {
    store: Arc<Mutex<O>>,
    now: Timestamp,
    page: usize,
    limit: usize,
    /// The round's ids not yet read, in send order (`None` until the first page is read).
    order: Option<Vec<String>>,
    fetched: usize,
    loading: Option<Loading>,
}

impl<O: Outbox> OutboxPages<O> {
    /// Rows due at `now`, at most `limit` this round, `page` rows per page; starts reading
    /// the first page at once.
    pub(crate) fn new(store: &Arc<Mutex<O>>, now: Timestamp, page: usize, limit: usize) -> Self {
        let mut pages = OutboxPages {
            store: Arc::clone(store),
            now,
            page: page.max(1),
            limit: limit.max(1),
            order: None,
            fetched: 0,
            loading: None,
        };
        pages.start();
        pages
    }

    /// Rows read so far this round (sent or set apart).
    pub(crate) fn fetched(&self) -> usize {
        self.fetched
    }

    /// The next page (`None` when the round's load is read), the one after it already on
    /// its way.
    pub(crate) async fn next(&mut self) -> Result<Option<Page>, SyncError> {
        let Some(loading) = self.loading.take() else {
            return Ok(None);
        };
        let (page, rest) = loading.await.map_err(|_| SyncError::Task)??;
        let read = page.send.len() + page.set_apart.len();
        self.fetched += read;
        self.order = Some(rest);
        self.start();
        if read == 0 && self.loading.is_none() {
            return Ok(None);
        }
        Ok(Some(page))
    }

    /// Leaves the page being read unread (the round stopped); reading changed nothing.
    pub(crate) fn stop(&mut self) {
        self.order = Some(Vec::new());
        if let Some(loading) = self.loading.take() {
            loading.abort();
        }
    }

    fn start(&mut self) {
        let mut rest = match self.order.take() {
            Some(rest) if rest.is_empty() => {
                self.order = Some(rest);
                return;
            }
            other => other,
        };
        let store = Arc::clone(&self.store);
        let (now, page, limit) = (self.now, self.page, self.limit);
        self.loading = Some(tokio::task::spawn_blocking(move || {
            let guard = store.lock().map_err(|_| SyncError::StorePoisoned)?;
            let mut order = match rest.take() {
                Some(order) => order,
                None => guard.outbox_due_order(now, limit)?,
            };
            let later = order.split_off(page.min(order.len()));
            let due = guard.outbox_entries(&order)?;
            let ids: Vec<Uuid> = due.entries.iter().map(|e| e.case.id).collect();
            let materials = guard.cases_materials(&ids)?;
            drop(guard);
            Ok((plan_page(due, materials, now), later))
        }));
    }
}

/// Plans one page: what to send, and what to set apart with the reason a clerk reads.
fn plan_page(due: Due, materials: HashMap<Uuid, Vec<MaterialRef>>, now: Timestamp) -> Page {
    let batch = plan_batch(due.entries);
    let mut set_apart = Vec::new();
    for (raw_id, problem) in due.unreadable {
        let Ok(case_id) = Uuid::parse_str(&raw_id) else {
            warn!("outbox row with a malformed case id left as it is");
            continue;
        };
        warn!(case_id = %case_id, "outbox row cannot be read; quarantined");
        set_apart.push(RecordOutcome::Failed {
            case_id,
            message: format!("本机办件数据无法读取，未能上传：{problem}"),
            permanent: true,
            next_attempt_at: now,
        });
    }
    for (case_id, message) in batch.unsendable {
        warn!(case_id = %case_id, "record cannot be submitted; quarantined");
        set_apart.push(RecordOutcome::Failed {
            case_id,
            message,
            permanent: true,
            next_attempt_at: now,
        });
    }
    Page {
        send: batch.send,
        set_apart,
        materials,
    }
}
