//! The queue as pages: how many cases match a search in all, and any page of them further
//! down than the first (a virtualised list asks for the rows it scrolls to). The keys alone
//! (accept time, row) of the first `offset + limit` matches are read through the search
//! indexes, then the page's whole rows by row number.

use std::collections::HashSet;

use rusqlite::{Connection, params_from_iter};
use tracing::instrument;
use yichuang_core::{Case, CaseQuery};

use crate::cases::{COLUMNS, RawCase};
use crate::search::count_parts;
use crate::{Result, Store};

/// The page of `query` starting at `query.offset`, newest accept time first.
pub(crate) fn page(conn: &Connection, query: &CaseQuery) -> Result<Vec<Case>> {
    let limit = query.limit() as usize;
    let wanted = i64::from(query.offset) + limit as i64;
    let rows: Vec<i64> = crate::search::keys(conn, query, wanted)?
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
    let mut stmt = conn.prepare_cached(&sql)?;
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
    let counting = count_parts(query)?;
    let over = i64::try_from(COUNT_CAP + 1).unwrap_or(i64::MAX);
    let n: i64 = if !counting.overlap {
        // One reading through one index and its pending rows: no row is in both.
        let mut n = 0;
        for part in &counting.parts {
            n += conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 {} LIMIT {over})",
                    part.sql
                ))?
                .query_row(params_from_iter(part.args.iter()), |r| r.get::<_, i64>(0))?;
        }
        n.min(over)
    } else {
        // Parts overlap (a number that is a document tail and a case number, a number's start
        // and its end): distinct rows, each part read through its own index (one compound
        // statement made the planner read the case-number parts without their indexes).
        let mut rows = HashSet::new();
        for part in counting.parts {
            let mut stmt = conn.prepare_cached(&format!("SELECT c.rowid {}", part.sql))?;
            for row in stmt.query_map(params_from_iter(part.args), |r| r.get::<_, i64>(0))? {
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
        let rows = page(&self.conn, query)?;
        Ok((rows, total))
    }
}
