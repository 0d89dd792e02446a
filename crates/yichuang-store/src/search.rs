//! Queue search: the search keys kept beside each case (name pieces, document number) and
//! the indexed queries that answer a [`CaseQuery`] newest first, fast on a million cases.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use yichuang_core::case_query::{TextMatch, read_search_text};
use yichuang_core::{Case, CaseQuery, time};

use crate::cases::{COLUMNS, enum_to_sql};
use crate::timefmt::ts_to_sql;
use crate::{Result, StoreError, search_numbers};

/// Every one- and two-character piece of a name (letters lower-cased), each once.
pub(crate) fn name_grams(name: &str) -> Vec<String> {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut seen = HashSet::new();
    let unigrams = chars.iter().map(|c| c.to_string());
    let bigrams = chars.windows(2).map(|w| w.iter().collect::<String>());
    unigrams
        .chain(bigrams)
        .filter(|g| seen.insert(g.clone()))
        .collect()
}

/// Removes the name pieces of case `id` as its row stands and marks its search keys pending
/// again (call it before the row's name or accept time change; the indexer writes the new
/// ones). Each piece is deleted by its full key, so the piece table needs no second index by
/// case (one encrypted page less per intake, migration 0006).
pub(crate) fn unindex_name(tx: &Transaction<'_>, id: uuid::Uuid) -> Result<()> {
    let (row, name, at, pending): (i64, String, String, Option<i64>) = tx
        .prepare_cached(
            "SELECT rowid, applicant_name, accepted_at, search_pending FROM cases WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    if pending.is_some() {
        return Ok(());
    }
    let mut delete = tx.prepare_cached(
        "DELETE FROM case_name_grams WHERE gram = ?1 AND accepted_at = ?2 AND case_row = ?3",
    )?;
    for gram in name_grams(&name) {
        delete.execute(params![gram, at, row])?;
    }
    tx.prepare_cached("UPDATE cases SET search_pending = 1 WHERE rowid = ?1")?
        .execute([row])?;
    Ok(())
}

/// Writes the name pieces of the case stored at `row` (the indexer, [`crate::search_keys`]).
pub(crate) fn index_name(
    tx: &Transaction<'_>,
    row: i64,
    name: &str,
    accepted_at: Timestamp,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO case_name_grams (gram, accepted_at, case_row) VALUES (?1, ?2, ?3)",
    )?;
    let at = ts_to_sql(accepted_at);
    for gram in name_grams(name) {
        insert.execute(params![gram, at, row])?;
    }
    Ok(())
}

/// A case number written backwards, for suffix search.
pub(crate) fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// The 0003 upgrade: name pieces and reversed numbers for cases written before search existed.
pub(crate) fn backfill_search_keys(tx: &Transaction<'_>) -> Result<()> {
    type Row = (i64, String, String, String, Option<String>);
    let rows: Vec<Row> = tx
        .prepare("SELECT rowid, applicant_name, accepted_at, case_no, official_case_no FROM cases")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut insert = tx.prepare(
        "INSERT OR IGNORE INTO case_name_grams (gram, accepted_at, case_row) VALUES (?1, ?2, ?3)",
    )?;
    let mut numbers = tx
        .prepare("UPDATE cases SET case_no_rev = ?2, official_case_no_rev = ?3 WHERE rowid = ?1")?;
    for (row, name, at, case_no, official) in rows {
        for gram in name_grams(&name) {
            insert.execute(params![gram, at, row])?;
        }
        numbers.execute(params![
            row,
            reversed(&case_no),
            official.as_deref().map(reversed)
        ])?;
    }
    Ok(())
}

/// Cases matching the query, newest accept time first, from `query.offset` on.
pub(crate) fn find(conn: &Connection, query: &CaseQuery) -> Result<Vec<Case>> {
    crate::search_page::page(conn, query)
}

/// A case's sort key in the queue: its accept time as stored, and its row.
pub(crate) type Key = (String, i64);

/// Newest first: the queue's order of [`Key`]s.
pub(crate) fn newest_key_first(a: &Key, b: &Key) -> std::cmp::Ordering {
    (&b.0, b.1).cmp(&(&a.0, a.1))
}

/// The keys of the first `wanted` cases matching `query`, newest first. Each way of reading
/// the text is read on its own (each through its own indexes); the answers are merged.
pub(crate) fn keys(conn: &Connection, query: &CaseQuery, wanted: i64) -> Result<Vec<Key>> {
    let filters = Filters::of(query)?;
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    for reading in readings(query) {
        let found = match &reading {
            Some(TextMatch::CaseNoPrefix(prefix)) => {
                match search_numbers::newest(conn, prefix, &filters, wanted)? {
                    Some(mut found) => {
                        let pending = search_numbers::pending(prefix);
                        found.extend(run_keys(conn, half(pending, &filters, wanted))?);
                        found
                    }
                    None => run_keys(conn, compound(reading.as_ref(), &filters, wanted))?,
                }
            }
            _ => run_keys(conn, compound(reading.as_ref(), &filters, wanted))?,
        };
        for key in found {
            if seen.insert(key.1) {
                keys.push(key);
            }
        }
    }
    keys.sort_by(newest_key_first);
    keys.truncate(usize::try_from(wanted).unwrap_or(0));
    Ok(keys)
}

/// The ways of reading the query's text, or one `None` when there is no text.
fn readings(query: &CaseQuery) -> Vec<Option<TextMatch>> {
    let matches = read_search_text(&query.text);
    if matches.is_empty() {
        vec![None]
    } else {
        matches.into_iter().map(Some).collect()
    }
}

/// A newest-first read of the cases matching `indexed` (a condition on `c` that a search
/// index serves) among indexed rows, and `pending` among rows whose keys are not written yet.
/// Numbered parameters count across both halves; `limit` names the one for the row limit.
pub(crate) fn newest_first(indexed: &str, pending: &str, limit: &str) -> String {
    format!(
        "SELECT * FROM (SELECT c.accepted_at, c.rowid, {COLUMNS} FROM cases c \
           WHERE {indexed} AND c.search_pending IS NULL \
           ORDER BY c.accepted_at DESC, c.rowid DESC LIMIT {limit}) \
         UNION ALL SELECT * FROM (SELECT c.accepted_at, c.rowid, {COLUMNS} FROM cases c \
           WHERE {pending} AND c.search_pending IS NOT NULL) \
         ORDER BY 1 DESC, 2 DESC LIMIT {limit}"
    )
}

/// One SQL statement of a search with its arguments; its rows start with (accept time, row).
pub(crate) struct Statement {
    pub(crate) sql: String,
    pub(crate) args: Vec<Value>,
}

/// The keys of the newest `limit` cases of one reading: the indexed rows through the search
/// indexes (which leave out rows whose keys are not yet written, migration 0010), each index
/// on its own, and the few pending rows directly. `UNION` (not `ALL`): a row found through two
/// indexes (a number's start and its end) is one row.
fn compound(reading: Option<&TextMatch>, filters: &Filters, limit: i64) -> Statement {
    let (indexed, pending) = match reading {
        Some(m) => (text_clause(m), pending_clause(m)),
        None => (vec![every_case(WRITTEN)], every_case(PENDING)),
    };
    let mut parts = Vec::new();
    let mut args = Vec::new();
    for clause in indexed.into_iter().chain([pending]) {
        let part = half(clause, filters, limit);
        parts.push(format!("SELECT * FROM ({})", part.sql));
        args.extend(part.args);
    }
    args.push(Value::Integer(limit));
    Statement {
        sql: format!("{} ORDER BY 1 DESC, 2 DESC LIMIT ?", parts.join(" UNION ")),
        args,
    }
}

/// The keys of the newest `limit` rows of one clause with the filters.
fn half(clause: TextClause, filters: &Filters, limit: i64) -> Statement {
    let (conditions, order) = filters.sql_for(clause.by);
    let row = if clause.by == "g" {
        "g.case_row"
    } else {
        "c.rowid"
    };
    let mut args = clause.args;
    args.extend(filters.args.iter().cloned());
    args.push(Value::Integer(limit));
    Statement {
        sql: format!(
            "SELECT {}.accepted_at, {row} {}{conditions}{order}",
            clause.by, clause.from
        ),
        args,
    }
}

/// What counting a search reads: `FROM ... WHERE ...` parts, each with its arguments, and
/// whether they can hold the same row (then rows are counted once by their number).
pub(crate) struct CountParts {
    pub(crate) parts: Vec<Statement>,
    pub(crate) overlap: bool,
}

/// The parts of each reading of the text with the filters, for counting matches
/// (search_page.rs): the indexed rows through each index, and the pending rows.
pub(crate) fn count_parts(query: &CaseQuery) -> Result<CountParts> {
    let filters = Filters::of(query)?;
    let readings = readings(query);
    // The shortcut counts pieces, not case rows: only for a text read one way.
    let single = readings.len() == 1;
    let mut clauses = Vec::new();
    for reading in &readings {
        match reading {
            Some(m) => {
                match whole_piece_clause(m, &filters).filter(|_| single) {
                    Some(piece) => clauses.push(piece),
                    None => clauses.extend(text_clause(m)),
                }
                clauses.push(pending_clause(m));
            }
            None => {
                clauses.push(every_case(WRITTEN));
                clauses.push(every_case(PENDING));
            }
        }
    }
    // One reading through one index and its pending rows never hold the same row twice.
    let overlap = clauses.len() > 2;
    let parts = clauses
        .into_iter()
        .map(|clause| {
            let conditions = filters.sql.replace("{at}", clause.by);
            let mut args = clause.args;
            args.extend(filters.args.iter().cloned());
            Statement {
                sql: format!("{}{conditions}", clause.from),
                args,
            }
        })
        .collect();
    Ok(CountParts { parts, overlap })
}

/// For counting: a name of one or two characters is itself a name piece, and pieces exist
/// exactly for the rows whose keys are written, so those rows are counted in the piece index
/// alone (no case row read) when no filter needs the case row (dates are on the piece).
fn whole_piece_clause(m: &TextMatch, filters: &Filters) -> Option<TextClause> {
    let TextMatch::Name(name) = m else {
        return None;
    };
    let grams = name_grams(name);
    let whole = grams.iter().any(|g| *g == name.to_lowercase());
    if !whole || filters.sql.contains("c.") {
        return None;
    }
    Some(TextClause {
        from: "FROM case_name_grams g WHERE g.gram = ?".into(),
        args: vec![Value::Text(name.to_lowercase())],
        by: "g",
    })
}

/// One reading of the text as SQL: FROM/WHERE start (which says whether it reads indexed or
/// pending rows), its arguments, and the table whose `accepted_at` the date filters and the
/// order use (`g` for name pieces, so that the piece index gives the order and no case row is
/// read before it is needed).
pub(crate) struct TextClause {
    pub(crate) from: String,
    pub(crate) args: Vec<Value>,
    pub(crate) by: &'static str,
}

/// Rows whose search keys are written: the search indexes hold them (migration 0010).
const WRITTEN: &str = "c.search_pending IS NULL";
/// Rows whose keys are not written yet: a few, found through `cases_search_pending`.
const PENDING: &str = "c.search_pending IS NOT NULL";

/// No text: every case, narrowed by the filters alone.
fn every_case(rows: &str) -> TextClause {
    TextClause {
        from: format!("FROM cases c WHERE {rows}"),
        args: vec![],
        by: "c",
    }
}

/// The reading through the search keys, a clause per index it reads: name pieces, the
/// indexes of migration 0010, and for a case number its four indexes (migration 0021).
fn text_clause(m: &TextMatch) -> Vec<TextClause> {
    let clause = match m {
        TextMatch::Name(name) => {
            let grams = name_grams(name);
            // The rarest piece is not known; the longest is usually rare enough.
            let gram = grams
                .iter()
                .max_by_key(|g| g.chars().count())
                .cloned()
                .unwrap_or_default();
            TextClause {
                from: format!(
                    "FROM case_name_grams g JOIN cases c ON c.rowid = g.case_row
                     WHERE g.gram = ? AND c.applicant_name LIKE ? ESCAPE '\\' AND {WRITTEN}"
                ),
                args: vec![
                    Value::Text(gram),
                    Value::Text(format!("%{}%", escape_like(name))),
                ],
                by: "g",
            }
        }
        TextMatch::IdNo(id) => TextClause {
            // (last four, number) is how the ID index is keyed (migration 0006).
            from: format!(
                "FROM cases c WHERE substr(c.applicant_id_no, -4) = substr(?, -4) \
                 AND c.applicant_id_no = ? AND {WRITTEN}"
            ),
            args: vec![Value::Text(id.clone()), Value::Text(id.clone())],
            by: "c",
        },
        TextMatch::IdTail(tail) => TextClause {
            from: format!(
                "FROM cases c WHERE substr(c.applicant_id_no, -4) = ? \
                 AND c.applicant_id_no GLOB ? AND {WRITTEN}"
            ),
            args: vec![
                Value::Text(tail[tail.len() - 4..].to_string()),
                Value::Text(format!("*{tail}")),
            ],
            by: "c",
        },
        TextMatch::CaseNoPrefix(prefix) => return search_numbers::branches(prefix),
    };
    vec![clause]
}

/// The same reading for cases whose search keys are not written yet: a few rows, read whole.
fn pending_clause(m: &TextMatch) -> TextClause {
    let (condition, arg) = match m {
        TextMatch::Name(name) => (
            "c.applicant_name LIKE ? ESCAPE '\\'",
            format!("%{}%", escape_like(name)),
        ),
        TextMatch::IdNo(id) => ("c.applicant_id_no = ?", id.clone()),
        TextMatch::IdTail(tail) => ("c.applicant_id_no GLOB ?", format!("*{tail}")),
        TextMatch::CaseNoPrefix(prefix) => return search_numbers::pending(prefix),
    };
    TextClause {
        from: format!("FROM cases c WHERE {condition} AND {PENDING}"),
        args: vec![Value::Text(arg)],
        by: "c",
    }
}

/// The filter part of a query as SQL conditions with their arguments; the accept-time
/// conditions and the order name `{at}` for the table that drives the query.
pub(crate) struct Filters {
    pub(crate) sql: String,
    pub(crate) args: Vec<Value>,
}

impl Filters {
    /// The conditions and order for a query driven by table `by` (`c` or `g`).
    pub(crate) fn sql_for(&self, by: &str) -> (String, String) {
        let conditions = self.sql.replace("{at}", by);
        let order = if by == "g" {
            " ORDER BY g.accepted_at DESC, g.case_row DESC LIMIT ?".to_string()
        } else {
            " ORDER BY c.accepted_at DESC, c.rowid DESC LIMIT ?".to_string()
        };
        (conditions, order)
    }

    pub(crate) fn of(q: &CaseQuery) -> Result<Filters> {
        let mut sql = String::new();
        let mut args = Vec::new();
        if let Some(item) = &q.item_code {
            sql.push_str(" AND c.item_code = ?");
            args.push(Value::Text(item.clone()));
        }
        if let Some(state) = q.state {
            sql.push_str(" AND c.state = ?");
            args.push(Value::Text(enum_to_sql(state)?));
        }
        if let Some(sync) = q.sync_state {
            sql.push_str(" AND c.sync_state = ?");
            args.push(Value::Text(enum_to_sql(sync)?));
        }
        if let Some(clerk) = &q.clerk {
            sql.push_str(" AND c.clerk = ?");
            args.push(Value::Text(clerk.clone()));
        }
        if q.no_district_status {
            sql.push_str(
                " AND NOT EXISTS (SELECT 1 FROM case_district_status d WHERE d.case_id = c.id)",
            );
        } else if let Some(status) = q.district_status {
            // Driven from the status index: a rare status must not walk the whole queue.
            sql.push_str(
                " AND c.id IN (SELECT d.case_id FROM case_district_status d WHERE d.status = ?)",
            );
            args.push(Value::Text(enum_to_sql(status)?));
        }
        if let Some(from) = q.from {
            sql.push_str(" AND {at}.accepted_at >= ?");
            args.push(Value::Text(day_start(from)?));
        }
        if let Some(to) = q.to {
            let next = to
                .tomorrow()
                .map_err(|_| StoreError::InvalidInput("结束日期超出范围".into()))?;
            sql.push_str(" AND {at}.accepted_at < ?");
            args.push(Value::Text(day_start(next)?));
        }
        Ok(Filters { sql, args })
    }
}

/// The UTC instant a station day starts, as stored.
fn day_start(day: Date) -> Result<String> {
    let start = time::china_tz()
        .to_timestamp(day.at(0, 0, 0, 0))
        .map_err(|_| StoreError::InvalidInput("日期超出范围".into()))?;
    Ok(ts_to_sql(start))
}

/// Runs one statement of keys: (accept time, row) in its first two columns.
pub(crate) fn run_keys(conn: &Connection, statement: Statement) -> Result<Vec<Key>> {
    let mut stmt = conn.prepare_cached(&statement.sql)?;
    let keys = stmt
        .query_map(params_from_iter(statement.args), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<Key>>>()?;
    Ok(keys)
}

/// Each statement of a search with its query plan (`EXPLAIN QUERY PLAN` details), for the
/// plan test below and `bench_search --explain`.
#[cfg(any(test, feature = "bench"))]
pub(crate) fn plans(conn: &Connection, query: &CaseQuery) -> Result<Vec<(String, Vec<String>)>> {
    let filters = Filters::of(query)?;
    let wanted = i64::from(query.limit());
    let mut statements = Vec::new();
    for reading in readings(query) {
        if let Some(TextMatch::CaseNoPrefix(prefix)) = &reading {
            statements.extend(search_numbers::statements(prefix, &filters, wanted));
        }
        statements.push(compound(reading.as_ref(), &filters, wanted));
    }
    statements
        .into_iter()
        .map(|statement| {
            let plan = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", statement.sql))?
                .query_map(params_from_iter(statement.args), |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let sql = statement
                .sql
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            Ok((sql, plan))
        })
        .collect()
}

pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_single_characters_and_pairs() {
        assert_eq!(name_grams("王堃喆"), ["王", "堃", "喆", "王堃", "堃喆"]);
        assert_eq!(name_grams("Ab b"), ["a", "b", "ab", "bb"]);
    }

    /// Every kind of search reads the indexed cases through an index (the partial indexes of
    /// migration 0010 need `search_pending IS NULL` in the query) and never scans a table.
    #[test]
    fn every_search_reads_through_an_index() {
        use yichuang_core::{CaseState, SyncState};
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let day: Date = "2026-11-27".parse().unwrap();
        let text = |t: &str| CaseQuery {
            text: t.into(),
            ..CaseQuery::default()
        };
        let queries = [
            CaseQuery::default(),
            text("王堃"),
            text("11010519491231002X"),
            text("1231002X"),
            text("002X"),
            text("XZ-2026"),
            text("0042"),
            CaseQuery {
                item_code: Some("JZZ01".into()),
                ..CaseQuery::default()
            },
            CaseQuery {
                state: Some(CaseState::Accepted),
                ..CaseQuery::default()
            },
            CaseQuery {
                sync_state: Some(SyncState::Pending),
                ..CaseQuery::default()
            },
            CaseQuery {
                from: Some(day),
                to: Some(day),
                ..CaseQuery::default()
            },
            CaseQuery {
                clerk: Some("测试窗口人员".into()),
                ..CaseQuery::default()
            },
            CaseQuery {
                district_status: Some(yichuang_core::DistrictStatus::Reviewing),
                ..CaseQuery::default()
            },
            CaseQuery {
                text: "王".into(),
                from: Some(day),
                item_code: Some("JZZ01".into()),
                ..CaseQuery::default()
            },
        ];
        for q in &queries {
            for (sql, plan) in plans(&conn, q).unwrap() {
                // Only the unfiltered list may walk an index (newest first, up to its limit),
                // and a case number's walk over the newest cases, bounded by the accept
                // time of the WALK-th newest (search_numbers.rs).
                let walk_allowed = *q == CaseQuery::default() || sql.contains(" OFFSET ");
                let scans: Vec<_> = plan
                    .iter()
                    .filter(|l| l.starts_with("SCAN c") || l.starts_with("SCAN g"))
                    .filter(|l| !(walk_allowed && l.contains("USING INDEX cases_by_accepted_at")))
                    .collect();
                assert!(scans.is_empty(), "{q:?}\n{sql}\n{plan:#?}");
            }
        }
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
