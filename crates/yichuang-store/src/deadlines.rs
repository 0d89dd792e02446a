//! Deadlines still running, by due date: the cases whose promised limit runs (table
//! `open_deadlines`, kept by triggers, migration 0018) and the 容缺 cases whose promised
//! supplement is still open (`cases.supplement_by`). The home screen's overdue and soon-due
//! lists and the hall manager's overdue list read them a page at a time, fast on 100,000 cases.

use jiff::civil::Date;
use rusqlite::{Connection, params};
use uuid::Uuid;
use yichuang_core::Case;

use crate::cases::{self, limit_param};
use crate::{Result, Store, StoreError};

/// What a deadline is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// The promised time limit of the case (承诺时限): from 受理 until the district decides.
    Decision,
    /// A 容缺 case's promised supplement of its missing materials.
    Supplement,
}

/// One running deadline and its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineCase {
    pub due: Date,
    pub kind: DeadlineKind,
    pub case: Case,
}

/// A page of running deadlines due in a range, earliest first, with how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlinePage {
    pub rows: Vec<DeadlineCase>,
    pub total: u64,
}

/// A case whose limit runs: promised a due date and not yet decided by the district.
const OPEN: &str = "c.due_date IS NOT NULL AND c.state IN ('accepted', 'accepted_tolerant') \
    AND NOT EXISTS (SELECT 1 FROM case_district_status s \
                    WHERE s.case_id = c.id AND s.status <> 'reviewing')";

/// The deadlines in `[?1, ?2)` as (due, kind, tie-break, case id), the first `?3` in due
/// order, from
/// each of the three places they are kept: the open limits of indexed cases through
/// `open_deadlines_by_due` (read in its order, no sort), those of the few cases whose search
/// keys are pending, and the open supplements through `cases_supplement_due` (few: a promise
/// leaves the index once kept; its tie-break is the row number the index holds, so no row
/// is read before the limit). The arms are merged in Rust by (due, kind, tie-break).
const ARMS: [&str; 3] = [
    "SELECT d.due_date, 0, d.case_id, d.case_id FROM open_deadlines d
       WHERE d.due_date >= ?1 AND d.due_date < ?2 ORDER BY d.due_date, d.case_id LIMIT ?3",
    "SELECT c.due_date, 0, c.id, c.id FROM cases c
       WHERE c.search_pending IS NOT NULL AND c.due_date >= ?1 AND c.due_date < ?2 AND OPEN
       ORDER BY c.due_date, c.id LIMIT ?3",
    "SELECT c.supplement_by, 1, printf('%020d', c.rowid), c.id FROM cases c
       WHERE c.supplement_by IS NOT NULL AND c.supplement_by >= ?1 AND c.supplement_by < ?2
       ORDER BY c.supplement_by, c.rowid LIMIT ?3",
];

/// How many deadlines fall in `[?1, ?2)`: the first arm counts index entries only.
const COUNT: &str = "SELECT
    (SELECT count(*) FROM open_deadlines d WHERE d.due_date >= ?1 AND d.due_date < ?2)
  + (SELECT count(*) FROM cases c
       WHERE c.search_pending IS NOT NULL AND c.due_date >= ?1 AND c.due_date < ?2 AND OPEN)
  + (SELECT count(*) FROM cases c
       WHERE c.supplement_by IS NOT NULL AND c.supplement_by >= ?1 AND c.supplement_by < ?2)";

fn with_open(sql: &str) -> String {
    sql.replace("AND OPEN", &format!("AND {OPEN}"))
}

/// Running deadlines due on or after `from` (every one before `until` when `None`) and before
/// `until`, earliest first; `limit` rows after skipping `offset`.
pub(crate) fn page(
    conn: &Connection,
    from: Option<Date>,
    until: Date,
    limit: usize,
    offset: usize,
) -> Result<DeadlinePage> {
    let from = from.map(|d| d.to_string()).unwrap_or_default();
    let until = until.to_string();
    let want = limit_param(offset.saturating_add(limit));
    let mut keys: Vec<(String, i64, String, String)> = Vec::new();
    for arm in ARMS {
        let rows = conn
            .prepare_cached(&with_open(arm))?
            .query_map(params![from, until, want], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        keys.extend(rows);
    }
    keys.sort();
    let total: i64 = conn
        .prepare_cached(&with_open(COUNT))?
        .query_row(params![from, until], |r| r.get(0))?;
    let mut rows = Vec::with_capacity(limit.min(keys.len()));
    for (due, kind, _, id) in keys.into_iter().skip(offset).take(limit) {
        let corrupt = || StoreError::Corrupt(format!("期限记录“{id}”无法解析"));
        let uuid = Uuid::parse_str(&id).map_err(|_| corrupt())?;
        let case = cases::get(conn, uuid)?.ok_or_else(corrupt)?;
        rows.push(DeadlineCase {
            due: due.parse().map_err(|_| corrupt())?,
            kind: if kind == 1 {
                DeadlineKind::Supplement
            } else {
                DeadlineKind::Decision
            },
            case,
        });
    }
    Ok(DeadlinePage {
        rows,
        total: u64::try_from(total).unwrap_or(0),
    })
}

impl Store {
    /// Running deadlines (promised limits not yet decided, open 容缺 supplements) due on or
    /// after `from` and before `until`, earliest first, a page at a time.
    pub fn deadlines(
        &self,
        from: Option<Date>,
        until: Date,
        limit: usize,
        offset: usize,
    ) -> Result<DeadlinePage> {
        page(&self.conn, from, until, limit, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let args = vec!["2026-11-30"; stmt.parameter_count()];
        stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Neither the arms nor the count walk a table, and the long arm needs no sort.
    #[test]
    fn deadline_queries_read_through_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let wanted = [
            "open_deadlines_by_due",
            "cases_search_pending",
            "cases_supplement_due",
        ];
        for (arm, index) in ARMS.iter().zip(wanted) {
            let plan = plan(&conn, &with_open(arm));
            assert!(plan.iter().any(|l| l.contains(index)), "{plan:#?}");
            assert!(!plan.iter().any(|l| l.starts_with("SCAN")), "{plan:#?}");
        }
        for arm in [ARMS[0], ARMS[2]] {
            let plan = plan(&conn, &with_open(arm));
            assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:#?}");
        }
        let count = plan(&conn, &with_open(COUNT));
        for index in wanted {
            assert!(count.iter().any(|l| l.contains(index)), "{count:#?}");
        }
        assert!(
            !count
                .iter()
                .any(|l| l.starts_with("SCAN c") || l.starts_with("SCAN d")),
            "{count:#?}"
        );
    }
}
