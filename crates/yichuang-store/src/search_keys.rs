//! Search keys written after the intake commit (migration 0010): the clerk waits only for the
//! case, its outbox and audit rows; the queue-search indexes and name pieces follow in a
//! transaction of their own, batched, off the counter's path.
//!
//! Invariant: a case row has its name pieces and is in the search indexes exactly when its
//! `search_pending` is NULL. Searches read pending rows directly, so nothing waits on this.

use rusqlite::{Connection, Transaction, params};
use tracing::{debug, instrument};

use crate::timefmt::ts_from_sql;
use crate::{Result, Store, search};

/// The pending cases, oldest first, through their own small index (an `ORDER BY rowid` made
/// the planner walk the whole table instead: minutes on a million cases).
const PENDING_ROWS: &str = "SELECT rowid, applicant_name, accepted_at FROM cases \
     WHERE search_pending IS NOT NULL ORDER BY search_pending, rowid LIMIT ?1";

/// Writes the search keys of up to `max` pending cases, oldest first; returns how many.
pub(crate) fn catch_up(tx: &Transaction<'_>, max: usize) -> Result<usize> {
    type Row = (i64, String, String);
    let rows: Vec<Row> = tx
        .prepare_cached(PENDING_ROWS)?
        .query_map([crate::cases::limit_param(max)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut done = tx.prepare_cached("UPDATE cases SET search_pending = NULL WHERE rowid = ?1")?;
    for (row, name, at) in &rows {
        search::index_name(tx, *row, name, ts_from_sql(at)?)?;
        done.execute(params![row])?;
    }
    Ok(rows.len())
}

/// Cases whose search keys are not written yet.
pub(crate) fn pending(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM cases WHERE search_pending IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

impl Store {
    /// Writes the search keys of up to `max` cases saved (or rewritten) since they were last
    /// written, oldest first, in one transaction; returns how many. Call it again while it
    /// returns `max` (the station's indexer releases the store between batches). Searches
    /// find pending cases without it; it keeps the pending rows few.
    #[instrument(skip_all, err)]
    pub fn write_search_keys(&mut self, max: usize) -> Result<usize> {
        let n = self.write(|tx| catch_up(tx, max))?;
        if n > 0 {
            debug!(cases = n, "search keys written");
        }
        Ok(n)
    }

    /// The SQL of each statement a search runs, with its query plan (`bench_search --explain`).
    #[cfg(feature = "bench")]
    pub fn search_plans(
        &self,
        query: &yichuang_core::CaseQuery,
    ) -> Result<Vec<(String, Vec<String>)>> {
        search::plans(&self.conn, query)
    }

    /// Cases whose search keys are still to be written (see [`Store::write_search_keys`]).
    pub fn search_keys_pending(&self) -> Result<u64> {
        pending(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn pending_cases_are_read_through_their_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        for sql in [
            super::PENDING_ROWS,
            "SELECT count(*) FROM cases WHERE search_pending IS NOT NULL",
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let args = vec![10; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter()
                    .all(|l| !l.starts_with("SCAN cases") || l.contains("cases_search_pending")),
                "{sql}: {plan:?}"
            );
            assert!(
                plan.iter().any(|l| l.contains("cases_search_pending")),
                "{sql}: {plan:?}"
            );
        }
    }
}
