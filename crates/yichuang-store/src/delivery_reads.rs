//! The read side of delivery (出件): the cases the district decided that wait for their
//! handover, the handovers recorded lately with their sync state, and the mark that the
//! recipient signed the printed 送达回证 (migration 0016).

use jiff::Timestamp;
use rusqlite::{Connection, params};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{Case, DeliveryMethod, DistrictStatus, Handover, HandoverMethod};

use crate::cases::{COLUMNS, RawCase, limit_param};
use crate::facade::event;
use crate::handovers::read_handover;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{CaseDistrictStatus, Result, Store, StoreError, audit};

/// A decided case whose result waits to be handed over.
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingHandover {
    pub case: Case,
    /// The district's current status (待领取, or 办结 for a case going by courier).
    pub district: CaseDistrictStatus,
    /// The district's decision (办结 or 不予许可) and its note, when the station heard it.
    pub decision: Option<(DistrictStatus, Option<String>)>,
}

/// A recorded handover with what the window shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverRecord {
    pub handover: Handover,
    pub case: Case,
    /// The district acknowledged it (`state` = 'sent').
    pub sent: bool,
    /// When the recipient signed the 送达回证 at the window, as the clerk marked it.
    pub signed_at: Option<Timestamp>,
    /// The district refused it for good (its answer): kept until a hall manager releases it.
    pub refused: Option<String>,
}

impl Store {
    /// Cases the district decided and nobody took yet, longest waiting first: those it
    /// reports 待领取, and those 办结 whose applicant chose delivery by post at intake.
    #[instrument(skip_all, err)]
    pub fn awaiting_handover(&self, limit: usize) -> Result<Vec<AwaitingHandover>> {
        let sql = format!(
            "SELECT {COLUMNS}, s.status, s.seq, s.changed_at, s.note, s.courier, s.tracking_no
             FROM case_district_status s JOIN cases c ON c.id = s.case_id
             WHERE s.status IN ('ready_for_pickup', 'approved')
               AND NOT EXISTS (SELECT 1 FROM handovers h WHERE h.case_id = s.case_id)
             ORDER BY s.changed_at, s.case_id LIMIT ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([limit_param(limit)], |r| {
                Ok((
                    RawCase::from_row(r, 0)?,
                    StatusRow {
                        status: r.get(13)?,
                        seq: r.get(14)?,
                        changed_at: r.get(15)?,
                        note: r.get(16)?,
                        courier: r.get(17)?,
                        tracking_no: r.get(18)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (raw, status) in rows {
            let case = raw.decode()?;
            let district = status.decode()?;
            let by_post = matches!(case.intake.delivery, DeliveryMethod::Post { .. });
            if district.status == DistrictStatus::Approved && !by_post {
                // 办结 but not at the station yet: the window waits for 待领取.
                continue;
            }
            out.push(AwaitingHandover {
                case,
                district,
                decision: None,
            });
        }
        let decisions = decisions_of(&self.conn, out.iter().map(|a| a.case.id))?;
        for a in &mut out {
            a.decision = decisions
                .iter()
                .rev()
                .find(|(id, ..)| *id == a.case.id)
                .map(|(_, s, n)| (*s, n.clone()));
        }
        Ok(out)
    }

    /// Handovers recorded at or after `since`, newest first.
    pub fn recent_handovers(&self, since: Timestamp, limit: usize) -> Result<Vec<HandoverRecord>> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT case_id FROM handovers WHERE handed_at >= ?1
                 ORDER BY handed_at DESC LIMIT ?2",
            )?
            .query_map(params![ts_to_sql(since), limit_param(limit)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Corrupt("送达记录的办件标识无法读取".into()))?;
            out.extend(self.handover_record(id)?);
        }
        Ok(out)
    }

    /// A case's handover with its case, sync state and signature mark.
    pub fn handover_record(&self, case_id: Uuid) -> Result<Option<HandoverRecord>> {
        let Some(handover) = read_handover(&self.conn, "case_id", &case_id.to_string())? else {
            return Ok(None);
        };
        let (state, signed_at, refused): (String, Option<String>, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT h.state, h.signed_at, r.reason FROM handovers h
                 LEFT JOIN handover_refusals r ON r.handover_id = h.id WHERE h.case_id = ?1",
            )?
            .query_row([case_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let case =
            crate::cases::get(&self.conn, case_id)?.ok_or_else(|| StoreError::CaseNotFound {
                id: case_id.to_string(),
            })?;
        Ok(Some(HandoverRecord {
            handover,
            case,
            sent: state == "sent",
            signed_at: signed_at.as_deref().map(ts_from_sql).transpose()?,
            refused,
        }))
    }

    /// Marks that the recipient signed the 送达回证 of a window handover. Marking again
    /// returns the first time; a courier handover has no signature at the window.
    #[instrument(skip_all, fields(case_id = %case_id), err)]
    pub fn mark_handover_signed(
        &mut self,
        case_id: Uuid,
        clerk: &str,
        at: Timestamp,
    ) -> Result<Timestamp> {
        self.write(|tx| {
            let Some(handover) = read_handover(tx, "case_id", &case_id.to_string())? else {
                return Err(StoreError::InvalidInput(
                    "该办件尚未登记送达，请先登记领取再标记签收".into(),
                ));
            };
            if let HandoverMethod::Courier { .. } = handover.form.method {
                return Err(StoreError::InvalidInput(
                    "邮寄送达由收件人在快递面单上签收，窗口无需标记签收".into(),
                ));
            }
            let signed: Option<String> = tx
                .prepare_cached("SELECT signed_at FROM handovers WHERE case_id = ?1")?
                .query_row([case_id.to_string()], |r| r.get(0))?;
            if let Some(first) = signed {
                return ts_from_sql(&first);
            }
            tx.prepare_cached("UPDATE handovers SET signed_at = ?2 WHERE case_id = ?1")?
                .execute(params![case_id.to_string(), ts_to_sql(at)])?;
            let case_no: String = tx
                .prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
                .query_row([case_id.to_string()], |r| r.get(0))?;
            audit::append(tx, event(at, clerk, "case.receipt_signed", &case_no, "ok"))?;
            Ok(at)
        })
    }
}

/// `case_district_status` columns as read.
struct StatusRow {
    status: String,
    seq: i64,
    changed_at: String,
    note: Option<String>,
    courier: Option<String>,
    tracking_no: Option<String>,
}

impl StatusRow {
    fn decode(self) -> Result<CaseDistrictStatus> {
        let status = status_from_sql(&self.status)?;
        Ok(CaseDistrictStatus {
            status,
            label: status.label().to_string(),
            seq: self.seq,
            changed_at: ts_from_sql(&self.changed_at)?,
            note: self.note,
            courier: self.courier,
            tracking_no: self.tracking_no,
        })
    }
}

/// The column holds the status's serde name (district_status.rs keeps them equal).
fn status_from_sql(s: &str) -> Result<DistrictStatus> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StoreError::Corrupt(format!("办件的区级办理状态“{s}”无法识别")))
}

const DECISIONS_OF: &str = "SELECT case_id, status, note FROM case_status_history
     WHERE status IN ('approved', 'denied')
       AND case_id IN (SELECT value FROM json_each(?1))
     ORDER BY seq";

/// The decisions (办结 / 不予许可) in the status history of `ids`, oldest first, found through
/// the decisions' own index by case (migration 0020).
fn decisions_of(
    conn: &Connection,
    ids: impl Iterator<Item = Uuid>,
) -> Result<Vec<(Uuid, DistrictStatus, Option<String>)>> {
    let ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::Value::from(ids).to_string();
    let rows: Vec<(String, String, Option<String>)> = conn
        .prepare_cached(DECISIONS_OF)?
        .query_map([json], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, status, note)| {
            let id = Uuid::parse_str(&id)
                .map_err(|_| StoreError::Corrupt("办理状态记录的办件标识无法读取".into()))?;
            Ok((id, status_from_sql(&status)?, note))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// The list's decisions come through the decisions' index, never a pass over the history.
    #[test]
    fn decisions_are_read_by_case_through_their_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::DECISIONS_OF))
            .unwrap()
            .query_map(["[\"a\"]"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|l| l.contains("case_status_history_decisions")),
            "{plan:#?}"
        );
        assert!(
            plan.iter()
                .all(|l| !l.starts_with("SCAN case_status_history")),
            "{plan:#?}"
        );
    }
}
