//! The rows of a case export (CSV/XLSX, written by the station): every case accepted in a
//! range, in pages in the order they were saved, so memory stays flat on 100,000.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::params;
use yichuang_core::{CaseState, SyncState};

use crate::stats::case_state;
use crate::timefmt::{date_from_sql, ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError};

/// One case as the export shows it (only the columns a report needs, no materials or scans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub case_no: String,
    pub official_case_no: Option<String>,
    pub item_code: String,
    pub item_name: String,
    pub applicant_name: String,
    /// Full ID or credit-code number; the station masks it unless asked not to.
    pub applicant_id_no: String,
    pub clerk: String,
    pub state: CaseState,
    pub accepted_at: Timestamp,
    pub due_date: Option<Date>,
    pub sync_state: SyncState,
}

const RANGE: &str = "WHERE accepted_at >= ?1 AND accepted_at < ?2";

impl Store {
    /// How many cases were accepted in `[from, to)` (for the export's progress).
    pub fn count_cases_between(&self, from: Timestamp, to: Timestamp) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM cases {RANGE}"))?
            .query_row(params![ts_to_sql(from), ts_to_sql(to)], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` cases accepted in `[from, to)` whose row number is above `after`, in
    /// the order they were saved, each with its row number (pass the last one as `after` for
    /// the next page; an empty page is the end). Paging lets the caller release the store
    /// between pages; one pass over the table serves the whole export.
    pub fn cases_page_between(
        &self,
        from: Timestamp,
        to: Timestamp,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, ExportRow)>> {
        let sql = format!(
            "SELECT rowid, case_no, official_case_no, item_code, item_name, applicant_name,
                applicant_id_no, clerk, state, accepted_at, due_date, sync_state
             FROM cases {RANGE} AND rowid > ?3 ORDER BY rowid LIMIT ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![ts_to_sql(from), ts_to_sql(to), after, limit])?;
        let mut page = Vec::new();
        while let Some(r) = rows.next()? {
            let due: Option<String> = r.get(10)?;
            let sync: String = r.get(11)?;
            page.push((
                r.get(0)?,
                ExportRow {
                    case_no: r.get(1)?,
                    official_case_no: r.get(2)?,
                    item_code: r.get(3)?,
                    item_name: r.get(4)?,
                    applicant_name: r.get(5)?,
                    applicant_id_no: r.get(6)?,
                    clerk: r.get(7)?,
                    state: case_state(r.get(8)?)?,
                    accepted_at: ts_from_sql(&r.get::<_, String>(9)?)?,
                    due_date: due.as_deref().map(date_from_sql).transpose()?,
                    sync_state: serde_json::from_value(serde_json::Value::String(sync.clone()))
                        .map_err(|_| StoreError::Corrupt(format!("同步状态“{sync}”无法识别")))?,
                },
            ));
        }
        Ok(page)
    }
}
