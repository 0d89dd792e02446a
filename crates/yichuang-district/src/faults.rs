//! Fault injection for tests: makes the real district busy, poisoned or slow on purpose.
//!
//! A [`Faults`] handle goes into [`crate::DistrictConfig::faults`]; the test keeps a clone
//! and scripts it while the server runs. Every case batch that passes authorization is
//! logged record by record, then checked here before the database sees it (busy answers, a
//! poison record, a hold). Faults by path (status answers, a captive portal, held requests,
//! cut material uploads) are in `faults_v2.rs`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;
use uuid::Uuid;
use yichuang_sync::protocol::{ErrorBody, ErrorKind};

/// Scripted misbehaviour shared by a test and the server; clones share one script.
#[derive(Debug, Clone)]
pub struct Faults {
    script: Arc<Mutex<Script>>,
    /// How many submissions arrived, for tests that wait on them without polling.
    arrived: Arc<watch::Sender<usize>>,
}

#[derive(Debug, Default)]
struct Script {
    busy: Option<Busy>,
    poisoned: HashSet<Uuid>,
    hold: Option<Duration>,
    seen: Vec<(Uuid, Instant)>,
    paths: rules::PathScript,
}

#[derive(Debug)]
struct Busy {
    left: u32,
    status: StatusCode,
    retry_after_secs: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            script: Arc::default(),
            arrived: Arc::new(watch::channel(0).0),
        }
    }
}

impl Faults {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers the next `times` case batches with 503 and `Retry-After: retry_after_secs`.
    pub fn unavailable(&self, times: u32, retry_after_secs: u64) {
        self.set_busy(times, StatusCode::SERVICE_UNAVAILABLE, retry_after_secs);
    }

    /// Answers the next `times` case batches with 429 and `Retry-After: retry_after_secs`.
    pub fn too_many_requests(&self, times: u32, retry_after_secs: u64) {
        self.set_busy(times, StatusCode::TOO_MANY_REQUESTS, retry_after_secs);
    }

    fn set_busy(&self, left: u32, status: StatusCode, retry_after_secs: u64) {
        self.script().busy = Some(Busy {
            left,
            status,
            retry_after_secs,
        });
    }

    /// Answers every batch holding case `id` with 500, for ever (a poison record).
    pub fn poison(&self, id: Uuid) {
        self.script().poisoned.insert(id);
    }

    /// Holds every case batch for `delay` before answering it (`None`: answer at once).
    pub fn hold(&self, delay: Option<Duration>) {
        self.script().hold = delay;
    }

    /// Case ids and arrival times of the records seen in batches so far, oldest first.
    pub fn submissions(&self) -> Vec<(Uuid, Instant)> {
        self.script().seen.clone()
    }

    /// How many times case `id` arrived in a batch.
    pub fn submissions_of(&self, id: Uuid) -> usize {
        self.script().seen.iter().filter(|(s, _)| *s == id).count()
    }

    /// Resolves once at least `n` records have arrived in batches (answered or not).
    pub async fn arrived(&self, n: usize) {
        let mut rx = self.arrived.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = rx.wait_for(|seen| *seen >= n).await;
    }

    fn script(&self) -> MutexGuard<'_, Script> {
        self.script.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Logs a batch of submissions; `Some` is the scripted answer for the whole request:
    /// busy, or a 500 when any of them is poisoned.
    pub(crate) async fn intercept_batch(&self, ids: &[Uuid]) -> Option<Response> {
        let (hold, answer) = {
            let mut guard = self.script();
            let script = &mut *guard;
            let now = Instant::now();
            script.seen.extend(ids.iter().map(|id| (*id, now)));
            let answer = match script.busy.as_mut().filter(|b| b.left > 0) {
                Some(busy) => {
                    busy.left -= 1;
                    Some(busy_answer(busy.status, busy.retry_after_secs))
                }
                None if ids.iter().any(|id| script.poisoned.contains(id)) => Some(error_answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorKind::Internal,
                    "区级系统内部错误，请稍后重试",
                )),
                None => None,
            };
            (script.hold, answer)
        };
        self.arrived.send_modify(|n| *n += ids.len());
        if let Some(delay) = hold {
            tokio::time::sleep(delay).await;
        }
        if answer.is_some() {
            tracing::warn!(records = ids.len(), "injected fault answered a submission");
        }
        answer
    }
}

fn busy_answer(status: StatusCode, retry_after_secs: u64) -> Response {
    let mut resp = error_answer(status, ErrorKind::Busy, "区级系统繁忙，请稍后重试");
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    resp
}

fn error_answer(status: StatusCode, kind: ErrorKind, message: &str) -> Response {
    let body = ErrorBody {
        kind,
        message: message.into(),
    };
    (status, Json(body)).into_response()
}

#[path = "faults_v2.rs"]
mod rules;

pub(crate) use rules::{cut_connection, middleware};

#[cfg(test)]
#[path = "faults_tests.rs"]
mod tests;
