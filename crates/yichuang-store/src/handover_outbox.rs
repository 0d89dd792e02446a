//! The sync side of handovers (送达): which handovers go to the district (only of cases it
//! already holds), what it answered, and the ones it refused for good — kept with the
//! reason, counted as quarantined and sent again only after a hall manager releases them.

use jiff::Timestamp;
use rusqlite::params;
use tracing::{info, instrument};
use uuid::Uuid;
use yichuang_core::Handover;

use crate::facade::event;
use crate::quarantine::MAX_RELEASE_REASON_CHARS;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError, audit};

/// What the district answered about one sent handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoverSent {
    /// It holds it (now or from before) with the case's 已送达 status.
    Stored(Uuid),
    /// It will not take it (its answer about this record: a conflict or invalid content).
    Refused { id: Uuid, message: String },
}

/// A handover the district refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedHandover {
    pub handover: Handover,
    pub case_no: String,
    /// The district's answer, in Chinese.
    pub reason: String,
    pub refused_at: Timestamp,
}

impl Store {
    /// Handovers to send, oldest first: pending, not refused, and only of cases the district
    /// already holds (synced); a handover of a case still in the outbox waits for it.
    pub fn handovers_to_send(&self, limit: usize) -> Result<Vec<Handover>> {
        let case_ids = self
            .conn
            .prepare_cached(
                "SELECT h.case_id FROM handovers h JOIN cases c ON c.id = h.case_id
                 WHERE h.state = 'pending' AND c.sync_state = 'synced'
                   AND NOT EXISTS (SELECT 1 FROM handover_refusals r WHERE r.handover_id = h.id)
                 ORDER BY h.handed_at, h.id LIMIT ?1",
            )?
            .query_map([crate::cases::limit_param(limit)], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(case_ids.len());
        for id in case_ids {
            let case_id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Corrupt("送达记录的办件标识无法读取".into()))?;
            if let Some(h) = self.handover(case_id)? {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// What the district answered about sent handovers, in one transaction: a stored one is
    /// marked sent, a refused one is set apart with the reason (audited).
    #[instrument(skip_all, fields(answers = answers.len()), err)]
    pub fn record_handovers_sent(&mut self, answers: &[HandoverSent]) -> Result<()> {
        let now = Timestamp::now();
        self.write(|tx| {
            for answer in answers {
                match answer {
                    HandoverSent::Stored(id) => {
                        tx.prepare_cached("UPDATE handovers SET state = 'sent' WHERE id = ?1")?
                            .execute([id.to_string()])?;
                        tx.prepare_cached("DELETE FROM handover_refusals WHERE handover_id = ?1")?
                            .execute([id.to_string()])?;
                    }
                    HandoverSent::Refused { id, message } => {
                        let n = tx
                            .prepare_cached(
                                "INSERT OR IGNORE INTO handover_refusals
                                     (handover_id, reason, refused_at)
                                 SELECT id, ?2, ?3 FROM handovers
                                 WHERE id = ?1 AND state = 'pending'",
                            )?
                            .execute(params![id.to_string(), message, ts_to_sql(now)])?;
                        if n > 0 {
                            let target = case_no_of(tx, *id)?;
                            let result = "refused";
                            audit::append(
                                tx,
                                event(now, "sync", "handover.refused", &target, result),
                            )?;
                        }
                    }
                }
            }
            Ok(())
        })
    }

    /// (pending, refused): handovers still to reach the district, and those it refused.
    pub fn handover_counts(&self) -> Result<(u32, u32)> {
        let (pending, refused): (i64, i64) = self.conn.query_row(
            "SELECT
                 count(*) FILTER (WHERE r.handover_id IS NULL),
                 count(*) FILTER (WHERE r.handover_id IS NOT NULL)
             FROM handovers h LEFT JOIN handover_refusals r ON r.handover_id = h.id
             WHERE h.state = 'pending'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok((n(pending), n(refused)))
    }

    /// Every refused handover with the district's reason, oldest refusal first.
    pub fn refused_handovers(&self) -> Result<Vec<RefusedHandover>> {
        let rows = self
            .conn
            .prepare(
                "SELECT h.case_id, c.case_no, r.reason, r.refused_at
                 FROM handover_refusals r JOIN handovers h ON h.id = r.handover_id
                 JOIN cases c ON c.id = h.case_id
                 ORDER BY r.refused_at, h.id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (case_id, case_no, reason, refused_at) in rows {
            let case_id = Uuid::parse_str(&case_id)
                .map_err(|_| StoreError::Corrupt("送达记录的办件标识无法读取".into()))?;
            let handover = self
                .handover(case_id)?
                .ok_or_else(|| StoreError::Corrupt("被退回的送达记录无法读取".into()))?;
            out.push(RefusedHandover {
                handover,
                case_no,
                reason,
                refused_at: ts_from_sql(&refused_at)?,
            });
        }
        Ok(out)
    }

    /// Puts a refused handover back in the queue once its cause is fixed (a hall manager's
    /// decision: the caller checks the role), audited with the reason. Returns whether it
    /// was refused.
    #[instrument(skip_all, fields(handover_id = %id), err)]
    pub fn release_refused_handover(
        &mut self,
        id: Uuid,
        actor: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_RELEASE_REASON_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "请填写重新发送送达记录的原因（1 至 {MAX_RELEASE_REASON_CHARS} 个字）"
            )));
        }
        let actor = actor.trim();
        let released = self.write(|tx| {
            let n = tx
                .prepare_cached("DELETE FROM handover_refusals WHERE handover_id = ?1")?
                .execute([id.to_string()])?;
            if n == 0 {
                return Ok(false);
            }
            let target = case_no_of(tx, id)?;
            let result = format!("ok；原因：{reason}");
            audit::append(tx, event(now, actor, "handover.released", &target, &result))?;
            Ok(true)
        })?;
        if released {
            info!("refused handover released");
        }
        Ok(released)
    }
}

/// The case number of a handover's case (the audit target; never personal data).
fn case_no_of(conn: &rusqlite::Connection, handover_id: Uuid) -> Result<String> {
    Ok(conn
        .prepare_cached(
            "SELECT c.case_no FROM handovers h JOIN cases c ON c.id = h.case_id WHERE h.id = ?1",
        )?
        .query_row([handover_id.to_string()], |r| r.get(0))?)
}
