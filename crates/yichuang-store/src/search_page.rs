//! The queue as pages: how many cases match a search in all, and any page of them further
//! down than the first (a virtualised list asks for the rows it scrolls to). The keys alone
//! (accept time, row) of the first `offset + limit` matches are read through the search
//! indexes, then the page's whole rows by row number.

use std::collections::HashSet;

use rusqlite::{Connection, params_from_iter};
use tracing::instrument;
use yichuang_core::{Case, CaseQuery};

use crate::cases::{COLUMNS, RawCase};
use crate::search::{count_parts, statements_with};
use crate::{Result, Store};

/// The page of `query` starting at `query.offset`, newest accept time first.
pub(crate) fn page(conn: &Connection, query: &CaseQuery) -> Result<Vec<Case>> {
    let limit = query.limit() as usize;
    let wanted = i64::from(query.offset) + limit as i64;
    let mut keys: Vec<(String, i64)> = Vec::new();
    let mut seen = HashSet::new();
    for statement in statements_with(query, "c.accepted_at, c.rowid", wanted)? {
        let mut stmt = conn.prepare_cached(&statement.sql)?;
        let rows = stmt.query_map(params_from_iter(statement.args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let row = row?;
            if seen.insert(row.1) {
                keys.push(row);
            }
        }
    }
    keys.sort_by(|a, b| (&b.0, b.1).cmp(&(&a.0, a.1)));
    let rows: Vec<i64> = keys
        .into_iter()
        .skip(query.offset as usize)
        .take(limit)
        .map(|k| k.1)
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; rows.len()].join(",");
    let sql = format!("SELECT c.rowid, {COLUMNS} FROM cases c WHERE c.rowid IN ({marks})");
    let mut stmt = conn.prepare(&sql)?;
    let mut raws = stmt
        .query_map(params_from_iter(rows.iter()), |r| {
            Ok((r.get::<_, i64>(0)?, RawCase::from_row(r, 1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.sort_by_key(|(row, _)| rows.iter().position(|r| r == row));
    raws.into_iter().map(|(_, raw)| raw.decode()).collect()
}

/// The queue counts at most this many matches: a search that matches more (a case-number
/// prefix every case shares, a common ID prefix) answers "more than 10,000" at once instead
/// of counting 100,000 rows on each keystroke (0.5–0.7 s on a 100,000-case station).
pub const COUNT_CAP: u64 = 10_000;

/// How many cases match `query` (its text and filters; offset and limit aside), counted up
/// to [`COUNT_CAP`] + 1: a result above the cap means "more than the cap".
pub(crate) fn count(conn: &Connection, query: &CaseQuery) -> Result<u64> {
    let readings = count_parts(query)?;
    let over = i64::try_from(COUNT_CAP + 1).unwrap_or(i64::MAX);
    let n: i64 = if let [halves] = readings.as_slice() {
        // The two halves of one reading never hold the same row.
        let mut n = 0;
        for half in halves {
            n += conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 {} LIMIT {over})",
                    half.sql
                ))?
                .query_row(params_from_iter(half.args.iter()), |r| r.get::<_, i64>(0))?;
        }
        n.min(over)
    } else {
        // Readings overlap (a number that is a document tail and a case number): distinct
        // rows, each half read through its own index (one compound statement made the
        // planner read the case-number halves without their indexes: 0.5 s on 100,000).
        let mut rows = HashSet::new();
        for half in readings.into_iter().flatten() {
            let mut stmt = conn.prepare_cached(&format!("SELECT c.rowid {}", half.sql))?;
            for row in stmt.query_map(params_from_iter(half.args), |r| r.get::<_, i64>(0))? {
                rows.insert(row?);
                if rows.len() as i64 >= over {
                    break;
                }
            }
            if rows.len() as i64 >= over {
                break;
            }
        }
        rows.len() as i64
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

impl Store {
    /// One page of the queue search (from `query.offset`, at most `query.limit()` rows,
    /// newest first) and how many cases match in all, up to [`COUNT_CAP`] + 1.
    #[instrument(skip_all, fields(offset = query.offset), err)]
    pub fn search_page(&self, query: &CaseQuery) -> Result<(Vec<Case>, u64)> {
        let total = count(&self.conn, query)?;
        let rows = if query.offset == 0 {
            crate::search::find(&self.conn, query)?
        } else {
            page(&self.conn, query)?
        };
        Ok((rows, total))
    }
}
