//! Queue search: the search keys kept beside each case (name pieces, document number) and
//! the indexed queries that answer a [`CaseQuery`] newest first, fast on a million cases.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use yichuang_core::case_query::{TextMatch, read_search_text};
use yichuang_core::{Case, CaseQuery, time};

use crate::cases::{COLUMNS, RawCase, enum_to_sql};
use crate::timefmt::ts_to_sql;
use crate::{Result, StoreError};

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

/// Removes the name pieces of case `id` as its row stands (call it before the row's name or
/// accept time change). Each piece is deleted by its full key, so the piece table needs no
/// second index by case (one encrypted page less per intake, migration 0006).
pub(crate) fn unindex_name(tx: &Transaction<'_>, id: uuid::Uuid) -> Result<()> {
    let (row, name, at): (i64, String, String) = tx
        .prepare_cached("SELECT rowid, applicant_name, accepted_at FROM cases WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut delete = tx.prepare_cached(
        "DELETE FROM case_name_grams WHERE gram = ?1 AND accepted_at = ?2 AND case_row = ?3",
    )?;
    for gram in name_grams(&name) {
        delete.execute(params![gram, at, row])?;
    }
    Ok(())
}

/// Writes the name pieces of the case stored at `row` (a rewrite calls [`unindex_name`] first).
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

/// Cases matching the query, newest accept time first.
pub(crate) fn find(conn: &Connection, query: &CaseQuery) -> Result<Vec<Case>> {
    let limit = query.limit() as usize;
    let filters = Filters::of(query)?;
    let matches = read_search_text(&query.text);
    if matches.is_empty() {
        let all = TextClause {
            from: "FROM cases c WHERE 1 = 1".into(),
            args: vec![],
            by: "c",
        };
        return run(conn, all, &filters, limit);
    }
    // Each way of reading the text is one indexed query; the answers are merged.
    let mut found: Vec<(String, i64, Case)> = Vec::new();
    let mut seen = HashSet::new();
    for m in matches {
        for case in run_keyed(conn, text_clause(&m), &filters, limit)? {
            if seen.insert(case.2.id) {
                found.push(case);
            }
        }
    }
    found.sort_by(|a, b| (&b.0, b.1).cmp(&(&a.0, a.1)));
    Ok(found.into_iter().take(limit).map(|f| f.2).collect())
}

/// One reading of the text as SQL: FROM/WHERE start, its arguments, and the table whose
/// `accepted_at` the date filters and the order use (`g` for name pieces, so that the piece
/// index gives the order and no case row is read before it is needed).
struct TextClause {
    from: String,
    args: Vec<Value>,
    by: &'static str,
}

fn text_clause(m: &TextMatch) -> TextClause {
    let (from, args, by) = text_parts(m);
    TextClause { from, args, by }
}

fn text_parts(m: &TextMatch) -> (String, Vec<Value>, &'static str) {
    match m {
        TextMatch::Name(name) => {
            let grams = name_grams(name);
            // The rarest piece is not known; the longest is usually rare enough.
            let gram = grams
                .iter()
                .max_by_key(|g| g.chars().count())
                .cloned()
                .unwrap_or_default();
            (
                "FROM case_name_grams g JOIN cases c ON c.rowid = g.case_row
                 WHERE g.gram = ? AND c.applicant_name LIKE ? ESCAPE '\\'"
                    .into(),
                vec![
                    Value::Text(gram),
                    Value::Text(format!("%{}%", escape_like(name))),
                ],
                "g",
            )
        }
        TextMatch::IdNo(id) => (
            // (last four, number) is how the ID index is keyed (migration 0006).
            "FROM cases c WHERE substr(c.applicant_id_no, -4) = substr(?1, -4) \
             AND c.applicant_id_no = ?1"
                .into(),
            vec![Value::Text(id.clone())],
            "c",
        ),
        TextMatch::IdTail(tail) => (
            "FROM cases c WHERE substr(c.applicant_id_no, -4) = ? AND c.applicant_id_no GLOB ?"
                .into(),
            vec![
                Value::Text(tail[tail.len() - 4..].to_string()),
                Value::Text(format!("*{tail}")),
            ],
            "c",
        ),
        TextMatch::CaseNoPrefix(prefix) => (
            "FROM cases c WHERE (c.case_no GLOB ?1 OR c.official_case_no GLOB ?1
                OR c.case_no_rev GLOB ?2 OR c.official_case_no_rev GLOB ?2)"
                .into(),
            vec![
                Value::Text(format!("{prefix}*")),
                Value::Text(format!("{}*", reversed(prefix))),
            ],
            "c",
        ),
    }
}

/// The filter part of a query as SQL conditions with their arguments; the accept-time
/// conditions and the order name `{at}` for the table that drives the query.
struct Filters {
    sql: String,
    args: Vec<Value>,
}

impl Filters {
    /// The conditions and order for a query driven by table `by` (`c` or `g`).
    fn sql_for(&self, by: &str) -> (String, String) {
        let conditions = self.sql.replace("{at}", by);
        let order = if by == "g" {
            " ORDER BY g.accepted_at DESC, g.case_row DESC LIMIT ?".to_string()
        } else {
            " ORDER BY c.accepted_at DESC, c.rowid DESC LIMIT ?".to_string()
        };
        (conditions, order)
    }

    fn of(q: &CaseQuery) -> Result<Filters> {
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

fn run(
    conn: &Connection,
    clause: TextClause,
    filters: &Filters,
    limit: usize,
) -> Result<Vec<Case>> {
    Ok(run_keyed(conn, clause, filters, limit)?
        .into_iter()
        .map(|f| f.2)
        .collect())
}

/// Runs one query; each case comes with its sort key (accept time, row).
fn run_keyed(
    conn: &Connection,
    clause: TextClause,
    filters: &Filters,
    limit: usize,
) -> Result<Vec<(String, i64, Case)>> {
    let (conditions, order) = filters.sql_for(clause.by);
    let sql = format!(
        "SELECT c.accepted_at, c.rowid, {COLUMNS} {}{conditions}{order}",
        clause.from
    );
    let mut args = clause.args;
    args.extend(filters.args.iter().cloned());
    args.push(Value::Integer(limit as i64));
    let mut stmt = conn.prepare_cached(&sql)?;
    let raws = stmt
        .query_map(params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get(1)?, RawCase::from_row(r, 2)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, i64, RawCase)>>>()?;
    raws.into_iter()
        .map(|(at, row, raw)| Ok((at, row, raw.decode()?)))
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

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
