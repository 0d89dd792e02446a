//! Quarantined outbox rows: cases the district refused for good (a 409 or 422 about their
//! content) or that cannot be sent at all. They are never deleted; a hall manager looks at
//! the reason, has the cause fixed, and releases them back into the queue (audited, with
//! the reason given).

use jiff::Timestamp;
use rusqlite::params;
use tracing::{info, instrument};
use uuid::Uuid;
use yichuang_core::{Case, SyncState};

use crate::cases::{self, COLUMNS, RawCase};
use crate::facade::event;
use crate::timefmt::ts_to_sql;
use crate::{Result, Store, StoreError, audit};

/// Longest release reason kept.
pub const MAX_RELEASE_REASON_CHARS: usize = 200;

/// A case waiting in quarantine, with why it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedCase {
    pub case: Case,
    /// The district's answer or the local problem, in Chinese.
    pub reason: String,
    /// Attempts made before it was quarantined.
    pub attempts: u32,
}

/// A quarantined row whose case cannot even be read (the row is kept as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    pub case_id: String,
    pub reason: String,
}

impl Store {
    /// Every quarantined case, oldest accept first; rows whose case cannot be decoded are
    /// listed apart so one bad row never hides the others.
    pub fn quarantined_cases(&self) -> Result<(Vec<QuarantinedCase>, Vec<UnreadableRow>)> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT o.case_id, o.attempts, coalesce(o.last_error, ''), {COLUMNS}
             FROM outbox o JOIN cases c ON c.id = o.case_id
             WHERE o.quarantined = 1 ORDER BY c.accepted_at, c.rowid"
        ))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    RawCase::from_row(r, 3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (mut found, mut unreadable) = (Vec::new(), Vec::new());
        for (case_id, attempts, reason, raw) in rows {
            match raw.decode() {
                Ok(case) => found.push(QuarantinedCase {
                    case,
                    reason,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                }),
                Err(e) => unreadable.push(UnreadableRow {
                    case_id,
                    reason: e.to_string(),
                }),
            }
        }
        Ok((found, unreadable))
    }

    /// Puts quarantined cases back into the queue for the next round (attempts reset), after
    /// the cause was fixed. `actor` is the hall manager's login; `reason` is required and
    /// audited with each case. Cases not in quarantine are left alone. Returns how many
    /// were released.
    #[instrument(skip_all, fields(cases = case_ids.len()), err)]
    pub fn release_quarantined(
        &mut self,
        case_ids: &[Uuid],
        actor: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<u32> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::InvalidInput(
                "请填写解除隔离的原因（例如“区级系统已更正站点编码”）".into(),
            ));
        }
        if reason.chars().count() > MAX_RELEASE_REASON_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "解除隔离的原因请不超过 {MAX_RELEASE_REASON_CHARS} 个字"
            )));
        }
        let actor = actor.trim();
        let released = self.write(|tx| {
            let mut released = 0u32;
            for id in case_ids {
                let n = tx
                    .prepare_cached(
                        "UPDATE outbox SET quarantined = 0, attempts = 0, last_error = NULL,
                         next_attempt_at = ?2 WHERE case_id = ?1 AND quarantined = 1",
                    )?
                    .execute(params![id.to_string(), ts_to_sql(now)])?;
                if n == 0 {
                    continue;
                }
                cases::set_sync_state(tx, *id, SyncState::Pending, now)?;
                let case_no: String = tx
                    .prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
                    .query_row([id.to_string()], |r| r.get(0))?;
                let result = format!("ok；原因：{reason}");
                audit::append(tx, event(now, actor, "sync.released", &case_no, &result))?;
                released += 1;
            }
            Ok(released)
        })?;
        info!(released, "quarantined cases released");
        Ok(released)
    }
}
