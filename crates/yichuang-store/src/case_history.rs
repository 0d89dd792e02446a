//! What the store holds of one case's past, for its detail panel: the audit records naming it
//! (intake, corrections, prints, scans opened, handover, quarantine), the sync answers that
//! numbered it, and every district status change. Read through the indexes of migration 0017;
//! the district's history is a scan of its narrow table (migration 0007 chose no index).

use jiff::Timestamp;
use rusqlite::params;
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::DistrictStatus;

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError};

/// One audit record about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAuditRecord {
    pub id: i64,
    pub at: Timestamp,
    /// A clerk's login, or `sync` / `system`.
    pub actor: String,
    pub event: String,
    pub target: String,
    pub result: String,
}

/// One district status change applied to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub seq: i64,
    pub status: DistrictStatus,
    pub changed_at: Timestamp,
    pub note: Option<String>,
    pub courier: Option<String>,
    pub tracking_no: Option<String>,
}

/// The audit records naming the case `case_no` (or its official number, or its id), and the
/// sync answers that list its official number, oldest first.
const AUDIT_OF_CASE: &str = "SELECT id, at, actor, event, target, result FROM audit_log
     WHERE target IN (?1, ?2, ?3) OR target GLOB ?4
     UNION SELECT id, at, actor, event, target, result FROM audit_log
     WHERE event = 'case.synced' AND at >= ?5 AND ?2 IS NOT NULL
       AND instr(',' || target || ',', ',' || ?2 || ',') > 0
     ORDER BY id";

impl Store {
    /// Every audit record about case `case_id`, oldest first (empty for an unknown case).
    #[instrument(skip_all, err)]
    pub fn case_audit(&self, case_id: Uuid) -> Result<Vec<CaseAuditRecord>> {
        let Some(case) = crate::cases::get(&self.conn, case_id)? else {
            return Ok(Vec::new());
        };
        let glob = format!("{}/*", glob_escape(&case.case_no));
        let rows = self
            .conn
            .prepare_cached(AUDIT_OF_CASE)?
            .query_map(
                params![
                    case.case_no,
                    case.official_case_no,
                    case_id.to_string(),
                    glob,
                    ts_to_sql(case.accepted_at)
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, at, actor, event, target, result)| {
                Ok(CaseAuditRecord {
                    id,
                    at: ts_from_sql(&at)?,
                    actor,
                    event,
                    target,
                    result,
                })
            })
            .collect()
    }

    /// Every district status change applied to case `case_id`, in the district's order.
    #[instrument(skip_all, err)]
    pub fn district_status_history(&self, case_id: Uuid) -> Result<Vec<StatusRecord>> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = self
            .conn
            .prepare_cached(
                "SELECT seq, status, changed_at, note, courier, tracking_no
                 FROM case_status_history WHERE case_id = ?1 ORDER BY seq",
            )?
            .query_map([case_id.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(seq, status, at, note, courier, tracking_no)| {
                let status = serde_json::from_value(serde_json::Value::String(status.clone()))
                    .map_err(|_| StoreError::Corrupt(format!("办件状态“{status}”无法识别")))?;
                Ok(StatusRecord {
                    seq,
                    status,
                    changed_at: ts_from_sql(&at)?,
                    note,
                    courier,
                    tracking_no,
                })
            })
            .collect()
    }

    /// The original of page `page_id` of case `case_id` for the queue's viewer. A page of
    /// another case is not found. Audited as `scan.opened` naming the case number and the
    /// page (`<case_no>/page/<id>`, never the applicant), whatever the result.
    #[instrument(skip_all, fields(page_id), err)]
    pub fn case_page_image(&mut self, case_id: Uuid, page_id: i64, clerk: &str) -> Result<Vec<u8>> {
        let not_found = || StoreError::PageNotFound { page_id };
        let page = crate::page_rows::get(&self.conn, page_id)?
            .filter(|p| p.intake_id == case_id)
            .ok_or_else(not_found)?;
        let case = crate::cases::get(&self.conn, case_id)?.ok_or_else(not_found)?;
        let target = format!("{}/page/{page_id}", case.case_no);
        let opened = self
            .page_vault()
            .and_then(|vault| Ok(vault.get(&page.sha256)?));
        let result = match &opened {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        let clerk = clerk.trim();
        self.write(|tx| {
            let e = event(Timestamp::now(), clerk, "scan.opened", &target, result);
            crate::audit::append(tx, e)
        })?;
        opened
    }

    /// The display name of each clerk login the station knows, for naming who did what.
    pub fn clerk_names(&self) -> Result<Vec<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT login, display_name FROM clerks ORDER BY display_name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// A case number as a literal inside a GLOB pattern.
fn glob_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '*' | '?' | '[' => format!("[{c}]"),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// The history reads the audit log through its indexes, never the whole log.
    #[test]
    fn the_audit_of_a_case_is_read_through_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::AUDIT_OF_CASE))
            .unwrap()
            .query_map(
                rusqlite::params!["a", "b", "c", "a/*", "2026-01-01T00:00:00Z"],
                |r| r.get(3),
            )
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter().all(|l| !l.starts_with("SCAN audit_log")),
            "{plan:#?}"
        );
    }

    #[test]
    fn glob_characters_in_a_number_are_literal() {
        assert_eq!(super::glob_escape("A*B?[1]"), "A[*]B[?][[]1]");
    }
}
