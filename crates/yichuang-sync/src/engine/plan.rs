//! The pure planner: what to send this round, what each answer means for the record, and
//! when to try again. No IO and no clock reads, so every rule is testable alone.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;
use uuid::Uuid;

use crate::client::Failure;
use crate::protocol::CaseSubmission;
use crate::{OutboxEntry, SyncPhase};

/// Backoff and batching rules; tests shrink the durations to milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPolicy {
    /// Ceiling of the first retry delay; doubles with every consecutive failure.
    pub backoff_base: Duration,
    /// Largest ceiling of a retry delay.
    pub backoff_cap: Duration,
    /// Longest `Retry-After` honoured (a district asking for more gets this).
    pub retry_after_cap: Duration,
    /// Temporary failures of one record before it goes to quarantine for a clerk to look at.
    pub max_attempts: u32,
    /// Records per request.
    pub batch_limit: usize,
    /// Records sent per round at most (read and sent a batch at a time, so this bounds how
    /// long a round runs before its downloads, not memory).
    pub load_limit: usize,
}

impl Default for SyncPolicy {
    fn default() -> Self {
        Self {
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(300),
            retry_after_cap: Duration::from_secs(900),
            max_attempts: 20,
            // The protocol's most per request: fewer, larger station commits.
            batch_limit: 1000,
            // A round of 20,000 takes about a second; status downloads wait no longer.
            load_limit: 20_000,
        }
    }
}

impl SyncPolicy {
    /// `min(cap, base · 2^(failures−1))` for the `failures`-th consecutive failure (from 1).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        self.backoff_base
            .saturating_mul(1 << doublings)
            .min(self.backoff_cap)
    }

    /// Full jitter: `unit · ceiling` for `unit` drawn uniformly from `[0, 1)`, floored at half
    /// the base so a run of unlucky draws cannot spin.
    pub fn backoff(&self, failures: u32, unit: f64) -> Duration {
        let unit = unit.clamp(0.0, 1.0);
        self.ceiling(failures)
            .mul_f64(unit)
            .max(self.backoff_base / 2)
    }

    /// Delay before the next try: the backoff, but never less than the district's
    /// `Retry-After` (itself capped).
    pub fn delay(&self, failures: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
        let backoff = self.backoff(failures, unit);
        match retry_after {
            Some(ra) => backoff.max(ra.min(self.retry_after_cap)),
            None => backoff,
        }
    }
}

/// One record to send this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub entry: OutboxEntry,
    pub submission: CaseSubmission,
}

/// What to send, oldest first, and which records cannot even be put on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub send: Vec<Planned>,
    /// Records that cannot become a submission (e.g. a malformed station code): quarantine.
    pub unsendable: Vec<(Uuid, String)>,
}

/// Orders due records by acceptance time, keeps the newest revision of each case.
pub fn plan_batch(entries: Vec<OutboxEntry>) -> Batch {
    let mut newest: HashMap<Uuid, OutboxEntry> = HashMap::new();
    for entry in entries {
        match newest.get(&entry.case.id) {
            Some(seen) if seen.revision >= entry.revision => {}
            _ => {
                newest.insert(entry.case.id, entry);
            }
        }
    }
    let mut entries: Vec<OutboxEntry> = newest.into_values().collect();
    entries.sort_by_key(|e| (e.case.accepted_at, e.case.id));
    let mut batch = Batch::default();
    for entry in entries {
        match CaseSubmission::from_case(&entry.case) {
            Ok(submission) => batch.send.push(Planned { entry, submission }),
            Err(e) => batch
                .unsendable
                .push((entry.case.id, format!("办件数据无法提交：{e}"))),
        }
    }
    batch
}

/// Why a round ended early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The district could not be reached.
    Offline,
    /// The district answered 429/503.
    Busy { retry_after: Option<Duration> },
    /// Every record sent this round got another 5xx.
    ServerError,
    /// The district refused the token.
    AuthNeeded,
    /// The district's certificate is not trusted (its root CA not pinned, another one pinned,
    /// expired, another name): someone must pin the right CA; waiting does not help.
    Untrusted,
    /// The district's address, the station's code or this client is wrong (403, 404, 400):
    /// someone must fix the settings; nothing is blamed on a record.
    Misconfigured,
    /// The answer was not the district's (a redirect, a captive portal's page).
    Unreadable,
}

/// What a failed request means for the round. No whole-request failure blames a record by
/// itself: records are quarantined only by their own result inside a batch answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Set when the district as a whole is the problem: stop sending this round.
    pub stop: Option<Stop>,
    /// A 5xx: the records sent are to blame only if the district is otherwise working (then
    /// [`blame_server_error`] says what to write down); otherwise it is an outage.
    pub suspect: bool,
}

/// Sorts a failed request.
pub fn decide(failure: &Failure) -> Decision {
    match failure {
        // The round goes on so that one failing record never blocks the others.
        Failure::ServerError { .. } => Decision {
            stop: None,
            suspect: true,
        },
        Failure::Unreachable => stop_only(Stop::Offline),
        Failure::Busy { retry_after } => stop_only(Stop::Busy {
            retry_after: *retry_after,
        }),
        Failure::AuthNeeded => stop_only(Stop::AuthNeeded),
        Failure::Untrusted => stop_only(Stop::Untrusted),
        Failure::Forbidden
        | Failure::WrongAddress { .. }
        | Failure::BadRequest { .. }
        | Failure::TooLarge => stop_only(Stop::Misconfigured),
        Failure::Unreadable { .. } => stop_only(Stop::Unreadable),
    }
}

/// What to write down for a record that got a 5xx while the district took others in the
/// same round: a poison record gets its own backoff, and quarantine after
/// [`SyncPolicy::max_attempts`] such rounds.
pub fn blame_server_error(
    failure: &Failure,
    attempts: u32,
    now: Timestamp,
    policy: &SyncPolicy,
    unit: f64,
) -> (bool, String, Timestamp) {
    let failures = attempts.saturating_add(1);
    let permanent = failures >= policy.max_attempts;
    let next = now
        .saturating_add(policy.backoff(failures, unit))
        .unwrap_or(now);
    (permanent, failure.message_zh(), next)
}

fn stop_only(stop: Stop) -> Decision {
    Decision {
        stop: Some(stop),
        suspect: false,
    }
}

/// The runner's next phase and how long to wait, after a round that ended with `stop`
/// (`None`: all went through) and `failures` consecutive failed rounds before it.
/// Returns the new failure count too.
pub fn after_round(
    stop: Option<&Stop>,
    more_due: bool,
    failures: u32,
    policy: &SyncPolicy,
    poll: Duration,
    unit: f64,
) -> (SyncPhase, Duration, u32) {
    let ms = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
    match stop {
        None if more_due => (SyncPhase::Syncing, Duration::ZERO, 0),
        None => (SyncPhase::Idle, poll, 0),
        Some(Stop::AuthNeeded) => (SyncPhase::AuthNeeded, poll, failures),
        Some(Stop::Offline) => {
            let n = failures.saturating_add(1);
            let d = policy.delay(n, None, unit);
            (SyncPhase::Offline { next_in_ms: ms(d) }, d, n)
        }
        Some(Stop::Busy { retry_after }) => {
            let n = failures.saturating_add(1);
            let d = policy.delay(n, *retry_after, unit);
            (SyncPhase::Retrying { next_in_ms: ms(d) }, d, n)
        }
        Some(Stop::ServerError) => {
            let n = failures.saturating_add(1);
            let d = policy.delay(n, None, unit);
            (SyncPhase::Retrying { next_in_ms: ms(d) }, d, n)
        }
        Some(Stop::Misconfigured | Stop::Unreadable | Stop::Untrusted) => {
            let n = failures.saturating_add(1);
            let d = policy.delay(n, None, unit).max(poll);
            (SyncPhase::NeedsAttention { next_in_ms: ms(d) }, d, n)
        }
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
