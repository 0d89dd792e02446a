//! Writes the search keys of newly saved cases shortly after each decision, on a thread of
//! its own (store migration 0010), so the clerk's 已保存 never waits for them. Searches find
//! a case whose keys are not written yet; this keeps such cases few.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use yichuang_store::Store;

/// How long the indexer waits after a decision for the next one, to write both at once.
const SETTLE: Duration = Duration::from_millis(200);
/// The longest it lets a busy counter postpone the keys.
const SETTLE_AT_MOST: Duration = Duration::from_secs(2);
/// Without a nudge it still looks this often (a case saved by another process, a failure).
const IDLE: Duration = Duration::from_secs(60);
/// Cases per transaction; the store is released between batches for the counter.
const BATCH: usize = 200;

/// The indexer thread and the way to wake it; stopping it is dropping it.
pub(crate) struct SearchIndexer {
    nudge: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SearchIndexer {
    /// Starts the thread; it first writes whatever a previous run left pending.
    pub(crate) fn start(store: Arc<Mutex<Store>>) -> SearchIndexer {
        let (nudge, wake) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("search-indexer".into())
            .spawn(move || run(&store, &wake));
        match thread {
            Ok(thread) => SearchIndexer {
                nudge: Some(nudge),
                thread: Some(thread),
            },
            Err(e) => {
                // Searches still find every case (pending rows are read directly).
                tracing::error!(error = %e, "search indexer could not start");
                SearchIndexer {
                    nudge: None,
                    thread: None,
                }
            }
        }
    }

    /// A case was saved or rewritten: its keys are written in a moment.
    pub(crate) fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            let _ = nudge.send(());
        }
    }
}

impl Drop for SearchIndexer {
    fn drop(&mut self) {
        self.nudge = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(store: &Mutex<Store>, wake: &mpsc::Receiver<()>) {
    loop {
        write_pending(store);
        match wake.recv_timeout(IDLE) {
            Ok(()) => {
                if !settle(wake) {
                    write_pending(store);
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Waits until no nudge came for [`SETTLE`] (at most [`SETTLE_AT_MOST`]); false when the
/// station is closing.
fn settle(wake: &mpsc::Receiver<()>) -> bool {
    let deadline = Instant::now() + SETTLE_AT_MOST;
    while Instant::now() < deadline {
        match wake.recv_timeout(SETTLE) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
    true
}

fn write_pending(store: &Mutex<Store>) {
    loop {
        let written = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .write_search_keys(BATCH);
        match written {
            Ok(n) if n == BATCH => continue,
            Ok(_) => return,
            Err(e) => {
                // Tried again at the next decision or within IDLE; searches are unaffected.
                tracing::warn!(error = %e, "writing search keys failed");
                return;
            }
        }
    }
}
