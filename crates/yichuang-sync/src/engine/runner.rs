//! The runner: a tokio task that syncs on a timer and on nudges, backs off when the district
//! is away, and publishes its explicit state on a `watch` channel for the UI.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tracing::{debug, warn};

use super::plan::{Stop, SyncPolicy, after_round};
use super::round::{record_counts, sync_once_reporting, with_store};
use crate::client::{ClientTimeouts, DistrictClient};
use crate::{Outbox, SyncError, SyncPhase, SyncProgress, SyncStatus};

/// Runner settings; tests shrink every duration to milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConfig {
    pub policy: SyncPolicy,
    /// How often to look for due records (and at the district) when all is well.
    pub poll_interval: Duration,
    pub timeouts: ClientTimeouts,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            policy: SyncPolicy::default(),
            poll_interval: Duration::from_secs(30),
            timeouts: ClientTimeouts::default(),
        }
    }
}

/// Starts sync engines.
pub struct SyncEngine;

impl SyncEngine {
    /// Spawns the runner on the current Tokio runtime; it makes its first round at once.
    pub fn start<O: Outbox>(store: Arc<Mutex<O>>, config: SyncConfig) -> SyncHandle {
        let (status_tx, status_rx) = watch::channel(SyncStatus::starting());
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let nudge = Arc::new(Notify::new());
        let runner = Runner {
            store,
            config,
            status: status_tx,
            failures: 0,
            client: None,
            rejected_token: None,
            hold: false,
        };
        let task = tokio::spawn(runner.run(Arc::clone(&nudge), shutdown_rx));
        SyncHandle {
            status: status_rx,
            nudge,
            shutdown: shutdown_tx,
            task,
        }
    }
}

/// Control of a running engine. Dropping it stops the engine too.
#[derive(Debug)]
pub struct SyncHandle {
    status: watch::Receiver<SyncStatus>,
    nudge: Arc<Notify>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SyncHandle {
    /// The live status, for the UI.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Asks for a round soon (after a new intake, or a token change). Never blocks.
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Stops the runner, abandoning any request in flight (a re-send later is harmless).
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        if let Err(e) = self.task.await {
            warn!(error = %e, "sync runner ended abnormally");
        }
    }
}

struct Runner<O: Outbox> {
    store: Arc<Mutex<O>>,
    config: SyncConfig,
    status: watch::Sender<SyncStatus>,
    failures: u32,
    client: Option<DistrictClient>,
    /// The token the district refused; no round until the settings hold another one.
    rejected_token: Option<String>,
    /// The district asked us to wait (429/503): nudges do not cut the wait short.
    hold: bool,
}

impl<O: Outbox> Runner<O> {
    async fn run(mut self, nudge: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        loop {
            let wait = tokio::select! {
                biased;
                _ = shutdown.changed() => break,
                wait = self.step() => wait,
            };
            debug!(
                wait_ms = wait.as_millis() as u64,
                hold = self.hold,
                "sync runner waiting"
            );
            tokio::select! {
                biased;
                _ = shutdown.changed() => break,
                _ = nudge.notified(), if !self.hold => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
        debug!("sync runner stopped");
    }

    /// One tick: a round if there is a usable endpoint; returns how long to wait next.
    async fn step(&mut self) -> Duration {
        self.hold = false;
        let poll = self.config.poll_interval;
        let endpoint = match with_store(&self.store, |s| s.district_endpoint()).await {
            Ok(ep) => ep,
            Err(e @ SyncError::NotEnrolled) => {
                // Nothing to retry until someone enrolls the station: wait for the settings.
                self.client = None;
                self.refresh_counts().await;
                let message = e.to_string();
                self.status.send_modify(|s| {
                    s.phase = SyncPhase::AuthNeeded;
                    s.last_error = Some(message);
                });
                return poll;
            }
            Err(e) => return self.trouble(e.to_string()),
        };
        if self.rejected_token.as_deref() == Some(endpoint.token.as_str()) {
            self.refresh_counts().await;
            return poll;
        }
        if self.client.as_ref().map(DistrictClient::endpoint) != Some(&endpoint) {
            match DistrictClient::new(endpoint, self.config.timeouts) {
                Ok(c) => self.client = Some(c),
                Err(e) => {
                    // A bad address, token or pinned CA: a person must fix the settings; the
                    // network is not to blame. The window still counts what waits.
                    self.client = None;
                    self.refresh_counts().await;
                    let message = e.to_string();
                    self.status.send_modify(|s| {
                        s.phase = SyncPhase::NeedsAttention {
                            next_in_ms: ms(poll),
                        };
                        s.last_error = Some(message);
                    });
                    return poll;
                }
            }
        }
        if self.refresh_counts().await > 0 {
            self.status.send_if_modified(|s| {
                std::mem::replace(&mut s.phase, SyncPhase::Syncing) != SyncPhase::Syncing
            });
        }
        let Some(client) = self.client.as_ref() else {
            return poll;
        };
        let status = &self.status;
        let progress = move |p: SyncProgress| {
            status.send_modify(|s| s.progress = Some(p));
        };
        let round = sync_once_reporting(&self.store, client, &self.config.policy, &progress).await;
        self.status.send_modify(|s| s.progress = None);
        let report = match round {
            Ok(r) => r,
            Err(e) => return self.trouble(e.to_string()),
        };
        let (phase, wait, failures) = after_round(
            report.stop.as_ref(),
            report.more_due,
            self.failures,
            &self.config.policy,
            poll,
            fastrand::f64(),
        );
        self.failures = failures;
        self.hold = matches!(report.stop, Some(Stop::Busy { .. }));
        self.rejected_token = match report.stop {
            Some(Stop::AuthNeeded) => Some(client.endpoint().token.clone()),
            _ => None,
        };
        let offset = client.clock_offset().map(|d| d.as_millis() as i64);
        let success = report.stop.is_none();
        self.status.send_modify(|s| {
            s.phase = phase;
            s.pending = report.pending;
            s.quarantined = report.quarantined_total;
            if success {
                s.last_success_at = Some(Timestamp::now());
                s.last_error = None;
            } else {
                s.last_error = report.problem.clone();
            }
            if offset.is_some() {
                s.clock_offset_ms = offset;
            }
        });
        wait
    }

    /// A local failure (store, task): back off like a temporary district error.
    fn trouble(&mut self, message: String) -> Duration {
        warn!(error = %message, "sync round failed locally");
        self.failures = self.failures.saturating_add(1);
        let wait = self
            .config
            .policy
            .delay(self.failures, None, fastrand::f64());
        self.status.send_modify(|s| {
            s.phase = SyncPhase::Retrying {
                next_in_ms: ms(wait),
            };
            s.last_error = Some(message);
        });
        wait
    }

    /// Publishes fresh outbox counts; returns the pending count.
    async fn refresh_counts(&mut self) -> u32 {
        match with_store(&self.store, record_counts).await {
            Ok((pending, quarantined)) => {
                let auth = self.rejected_token.is_some();
                self.status.send_if_modified(|s| {
                    let before = (s.pending, s.quarantined, s.phase.clone());
                    s.pending = pending;
                    s.quarantined = quarantined;
                    if auth {
                        s.phase = SyncPhase::AuthNeeded;
                    }
                    before != (s.pending, s.quarantined, s.phase.clone())
                });
                pending
            }
            Err(e) => {
                warn!(error = %e, "could not count the outbox");
                0
            }
        }
    }
}

fn ms(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}
