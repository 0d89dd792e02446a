//! The case-number reading of a queue search. A number's start typed at the counter (`L440…`,
//! `4401…`) matches nearly every case: its newest matches are found by walking the newest
//! cases, not by sorting every match (0.5 s on 100,000 cases); a number matched in fewer
//! places is read from the four number indexes by key alone (migration 0021).

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::Result;
use crate::search::{Filters, Key, Statement, TextClause, reversed, run_keys};

/// A number matched more often than this in its indexes is looked for among the newest
/// cases first.
const MANY: i64 = 2_000;
/// How many of the newest cases that look reads (about 5 ms on an encrypted 100,000-case
/// station when none of them matches, 0.2 ms when the newest do).
const WALK: i64 = 2_000;

/// Which end of a number a branch matches (numbers are also stored reversed, for their end).
#[derive(Clone, Copy)]
enum Side {
    Start,
    End,
}

/// The four places a number is matched, each with the index holding it by key: the
/// station's number and the district's, by their start and by their end.
const BRANCHES: [(&str, &str, Side); 4] = [
    ("case_no", "cases_by_case_no_at", Side::Start),
    (
        "official_case_no",
        "cases_by_official_case_no_at",
        Side::Start,
    ),
    ("case_no_rev", "cases_by_case_no_rev_at", Side::End),
    (
        "official_case_no_rev",
        "cases_by_official_case_no_rev_at",
        Side::End,
    ),
];

fn pattern(prefix: &str, side: Side) -> Value {
    match side {
        Side::Start => Value::Text(format!("{prefix}*")),
        Side::End => Value::Text(format!("{}*", reversed(prefix))),
    }
}

/// The four patterns in [`BRANCHES`] order.
fn patterns(prefix: &str) -> Vec<Value> {
    BRANCHES
        .iter()
        .map(|&(_, _, side)| pattern(prefix, side))
        .collect()
}

/// Each branch over the indexed rows, read through its own index (matches may overlap).
pub(crate) fn branches(prefix: &str) -> Vec<TextClause> {
    BRANCHES
        .iter()
        .map(|&(column, index, side)| TextClause {
            from: format!(
                "FROM cases c INDEXED BY {index} WHERE c.{column} GLOB ? AND c.search_pending IS NULL"
            ),
            args: vec![pattern(prefix, side)],
            by: "c",
        })
        .collect()
}

/// The rows whose search keys are not written yet (none of the number indexes holds them):
/// a few, each matched in all four places.
pub(crate) fn pending(prefix: &str) -> TextClause {
    TextClause {
        from: format!(
            "FROM cases c INDEXED BY cases_search_pending WHERE c.search_pending IS NOT NULL AND {}",
            any_branch()
        ),
        args: patterns(prefix),
        by: "c",
    }
}

/// `(c.case_no GLOB ? OR …)` over the four branches.
fn any_branch() -> String {
    let terms: Vec<String> = BRANCHES
        .iter()
        .map(|(column, _, _)| format!("c.{column} GLOB ?"))
        .collect();
    format!("({})", terms.join(" OR "))
}

/// The keys of the newest `wanted` indexed cases matching `prefix` and the filters, when the
/// number is matched often and the newest cases hold that many; `None` to read the number
/// indexes instead.
pub(crate) fn newest(
    conn: &Connection,
    prefix: &str,
    filters: &Filters,
    wanted: i64,
) -> Result<Option<Vec<Key>>> {
    if !matched_often(conn, prefix)? {
        return Ok(None);
    }
    let newest = run_keys(conn, walk(prefix, filters, wanted))?;
    // The walk read every case from the newest down to its bound: when it found enough,
    // every match it did not read is older than those it found.
    Ok((newest.len() as i64 >= wanted).then_some(newest))
}

/// Whether the number indexes hold more than [`MANY`] matches (counted by key, up to that).
fn matched_often(conn: &Connection, prefix: &str) -> Result<bool> {
    let mut n = 0;
    for statement in count_statements(prefix) {
        n += conn
            .prepare_cached(&statement.sql)?
            .query_row(rusqlite::params_from_iter(statement.args), |r| {
                r.get::<_, i64>(0)
            })?;
        if n > MANY {
            return Ok(true);
        }
    }
    Ok(false)
}

fn count_statements(prefix: &str) -> Vec<Statement> {
    branches(prefix)
        .into_iter()
        .map(|branch| Statement {
            sql: format!(
                "SELECT count(*) FROM (SELECT 1 {} LIMIT {})",
                branch.from,
                MANY + 1
            ),
            args: branch.args,
        })
        .collect()
}

/// The newest [`WALK`] indexed cases, newest first, keeping those matching `prefix` and the
/// filters, up to `wanted`. Bounded by an accept time (that of the WALK-th newest case) so
/// that the index gives the order and the read stops at `wanted` matches.
fn walk(prefix: &str, filters: &Filters, wanted: i64) -> Statement {
    let (conditions, order) = filters.sql_for("c");
    let sql = format!(
        "SELECT c.accepted_at, c.rowid FROM cases c INDEXED BY cases_by_accepted_at \
         WHERE c.search_pending IS NULL AND {} \
         AND c.accepted_at >= ifnull((SELECT accepted_at FROM cases INDEXED BY cases_by_accepted_at \
           WHERE search_pending IS NULL ORDER BY accepted_at DESC LIMIT 1 OFFSET {}), '')\
         {conditions}{order}",
        any_branch(),
        WALK - 1
    );
    let mut args = patterns(prefix);
    args.extend(filters.args.iter().cloned());
    args.push(Value::Integer(wanted));
    Statement { sql, args }
}

/// The statements [`newest`] may run, for the plan test and `bench_search --explain`.
#[cfg(any(test, feature = "bench"))]
pub(crate) fn statements(prefix: &str, filters: &Filters, wanted: i64) -> Vec<Statement> {
    let mut all = count_statements(prefix);
    all.push(walk(prefix, filters, wanted));
    all
}

#[cfg(test)]
mod tests {
    use rusqlite::params;
    use yichuang_core::CaseQuery;

    use super::*;

    /// 6,000 cases four hours apart from 2024-01-01 to 2026-09 (the last 10 with their keys
    /// not written yet, every fifth without a district number): 2,196 of them in 2024, more
    /// than [`MANY`], and none of those among the newest [`WALK`].
    fn station() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let tx = conn.transaction().unwrap();
        let start: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        for i in 0..6_000i64 {
            let at = start + jiff::SignedDuration::from_hours(i * 4);
            let day = at.strftime("%Y%m%d").to_string();
            let case_no = format!("L440111001-01-{day}-{i:04}");
            let official = (i % 5 != 0).then(|| format!("440111-{}-{i:06}", &day[..4]));
            tx.execute(
                "INSERT INTO cases (id, case_no, official_case_no, station_code, item_code,
                   item_name, intake_json, clerk, state, accepted_at, sync_state, revision,
                   created_at, updated_at, case_no_rev, official_case_no_rev, search_pending)
                 VALUES (?1, ?2, ?3, '440111001', 'JZZ01', '居住证', '{}', '陈静', 'accepted',
                   ?4, 'synced', 1, ?4, ?4, ?5, ?6, ?7)",
                params![
                    format!("case-{i}"),
                    case_no,
                    official,
                    crate::timefmt::ts_to_sql(at),
                    reversed(&case_no),
                    official.as_deref().map(reversed),
                    (i >= 5_990).then_some(1),
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        conn
    }

    /// The same matches read the plain way: every row, sorted.
    fn expected(conn: &Connection, text: &str, wanted: i64) -> Vec<Key> {
        let rev = reversed(text);
        conn.prepare(
            "SELECT accepted_at, rowid FROM cases WHERE case_no GLOB ?1 || '*'
               OR official_case_no GLOB ?1 || '*' OR case_no_rev GLOB ?2 || '*'
               OR official_case_no_rev GLOB ?2 || '*'
             ORDER BY accepted_at DESC, rowid DESC LIMIT ?3",
        )
        .unwrap()
        .query_map(params![text, rev, wanted], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn the_newest_matches_are_found_whichever_way_they_are_read() {
        let conn = station();
        let query = |text: &str| CaseQuery {
            text: text.into(),
            ..CaseQuery::default()
        };
        let filters = Filters::of(&CaseQuery::default()).unwrap();
        for (text, walked) in [
            // Every case: the newest hold the answer, pending rows included.
            ("L440", true),
            ("4401", true),
            // Old cases only (2024): matched often, but not among the newest.
            ("L440111001-01-2024", false),
            ("440111-2024", false),
            // A few cases by their end.
            ("-0042", false),
            ("000123", false),
            ("L440111001-01-20991231", false),
        ] {
            for wanted in [1, 50, 100, 2_500] {
                let got = crate::search::keys(&conn, &query(text), wanted).unwrap();
                assert_eq!(got, expected(&conn, text, wanted), "{text} {wanted}");
            }
            let walk = newest(&conn, text, &filters, 50).unwrap();
            assert_eq!(walk.is_some(), walked, "{text}");
        }
        // Ten pending rows are the newest: found although no number index holds them.
        let newest = crate::search::keys(&conn, &query("L440"), 10).unwrap();
        let pending: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE search_pending IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(pending, 10);
        assert_eq!(newest.first().map(|k| k.1), Some(6_000));
    }

    #[test]
    fn a_number_matched_in_several_places_is_counted_once() {
        let conn = station();
        for text in ["L440", "-0042", "L440111001-01-2024", "4401"] {
            let q = CaseQuery {
                text: text.into(),
                ..CaseQuery::default()
            };
            let counted = crate::search_page::count(&conn, &q).unwrap();
            let all = expected(&conn, text, i64::MAX).len() as u64;
            assert_eq!(counted, all.min(crate::COUNT_CAP + 1), "{text}");
        }
    }
}
