//! Case rows: writing accepted cases, reading them back for the queue, the slip and search.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
#[cfg(test)]
use yichuang_core::CaseState;
use yichuang_core::{Case, CaseOutcome, SyncState};

use crate::timefmt::{date_from_sql, ts_from_sql, ts_to_sql};
use crate::{Result, StoreError, search};

/// The columns [`RawCase::from_row`] reads, from `cases` aliased as `c`.
pub(crate) const COLUMNS: &str = "c.id, c.case_no, c.official_case_no, c.station_code, \
    c.item_name, c.intake_json, c.clerk, c.state, c.accepted_at, c.due_date, \
    c.deadline_basis_json, c.sync_state, c.outcome_json";

/// A case row as stored; decoded outside rusqlite's row closure so errors stay ours.
pub(crate) struct RawCase {
    id: String,
    case_no: String,
    official_case_no: Option<String>,
    station_code: String,
    item_name: String,
    intake_json: String,
    clerk: String,
    state: String,
    accepted_at: String,
    due_date: Option<String>,
    deadline_basis_json: Option<String>,
    sync_state: String,
    outcome_json: Option<String>,
}

impl RawCase {
    /// Reads [`COLUMNS`] starting at column `at`.
    pub(crate) fn from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(at)?,
            case_no: r.get(at + 1)?,
            official_case_no: r.get(at + 2)?,
            station_code: r.get(at + 3)?,
            item_name: r.get(at + 4)?,
            intake_json: r.get(at + 5)?,
            clerk: r.get(at + 6)?,
            state: r.get(at + 7)?,
            accepted_at: r.get(at + 8)?,
            due_date: r.get(at + 9)?,
            deadline_basis_json: r.get(at + 10)?,
            sync_state: r.get(at + 11)?,
            outcome_json: r.get(at + 12)?,
        })
    }

    pub(crate) fn decode(self) -> Result<Case> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("办件 {} 的{what}无法解析", self.case_no));
        Ok(Case {
            id: Uuid::parse_str(&self.id).map_err(|_| corrupt("标识"))?,
            intake: serde_json::from_str(&self.intake_json).map_err(|_| corrupt("受理信息"))?,
            state: enum_from_sql(&self.state).ok_or_else(|| corrupt("状态"))?,
            // Rows written before outcomes existed were all plain 受理.
            outcome: match &self.outcome_json {
                Some(json) => serde_json::from_str(json).map_err(|_| corrupt("办理结果"))?,
                None => CaseOutcome::Accepted,
            },
            sync_state: enum_from_sql(&self.sync_state).ok_or_else(|| corrupt("同步状态"))?,
            accepted_at: ts_from_sql(&self.accepted_at)?,
            due_date: self.due_date.as_deref().map(date_from_sql).transpose()?,
            deadline_basis: match &self.deadline_basis_json {
                Some(json) => Some(serde_json::from_str(json).map_err(|_| corrupt("期限依据"))?),
                None => None,
            },
            case_no: self.case_no,
            official_case_no: self.official_case_no,
            station_code: self.station_code,
            item_name: self.item_name,
            clerk: self.clerk,
        })
    }
}

/// A unit enum as its serde name, e.g. `SyncState::Pending` → `pending`.
pub(crate) fn enum_to_sql<T: Serialize>(value: T) -> Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::Corrupt("状态值无法保存".into())),
    }
}

fn enum_from_sql<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.into())).ok()
}

fn to_json<T: Serialize>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("{what}无法保存（{e}）")))
}

/// The 容缺 supplement date still open, kept in its own column for the overdue list.
fn open_supplement(outcome: &CaseOutcome) -> Option<String> {
    match outcome {
        CaseOutcome::AcceptedTolerant {
            supplement_by,
            supplemented_at: None,
            ..
        } => Some(supplement_by.to_string()),
        _ => None,
    }
}

/// Writes a new case row, its search keys pending; returns its rowid.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    case: &Case,
    revision: i64,
    now: Timestamp,
) -> Result<i64> {
    let basis = case
        .deadline_basis
        .as_ref()
        .map(|b| to_json(b, "期限依据"))
        .transpose()?;
    let (_, id_no) = case.intake.applicant.id();
    tx.prepare_cached(
        "INSERT INTO cases (id, case_no, official_case_no, station_code, item_code, item_name,
            intake_json, clerk, state, accepted_at, due_date, deadline_basis_json, sync_state,
            revision, created_at, updated_at, outcome_json, applicant_name, applicant_id_no,
            supplement_by, case_no_rev, official_case_no_rev, clock_offset_ms, search_pending)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16,
            ?17, ?18, ?19, ?20, ?21, ?22, 1)",
    )?
    .execute(params![
        case.id.to_string(),
        case.case_no,
        case.official_case_no,
        case.station_code,
        case.intake.item_code,
        case.item_name,
        to_json(&case.intake, "受理信息")?,
        case.clerk,
        enum_to_sql(case.state)?,
        ts_to_sql(case.accepted_at),
        case.due_date.map(|d| d.to_string()),
        basis,
        enum_to_sql(case.sync_state)?,
        revision,
        ts_to_sql(now),
        to_json(&case.outcome, "办理结果")?,
        case.intake.applicant.name(),
        id_no,
        open_supplement(&case.outcome),
        search::reversed(&case.case_no),
        case.official_case_no.as_deref().map(search::reversed),
        crate::clock_offset::last(tx)?,
    ])?;
    // Its search keys are written after the commit (search_keys, migration 0010).
    Ok(tx.last_insert_rowid())
}

/// Rewrites a case's decision (state, outcome, accept time, due date) and intake after a
/// 补正 is completed or a 容缺 supplement handed in; bumps and returns the revision.
pub(crate) fn update_decision(tx: &Transaction<'_>, case: &Case, now: Timestamp) -> Result<i64> {
    let basis = case
        .deadline_basis
        .as_ref()
        .map(|b| to_json(b, "期限依据"))
        .transpose()?;
    search::unindex_name(tx, case.id)?;
    let revision: i64 = tx
        .prepare_cached(
            "UPDATE cases SET intake_json = ?2, state = ?3, outcome_json = ?4, accepted_at = ?5,
            due_date = ?6, deadline_basis_json = ?7, supplement_by = ?8, sync_state = ?9,
            revision = revision + 1, updated_at = ?10
         WHERE id = ?1 RETURNING revision",
        )?
        .query_row(
            params![
                case.id.to_string(),
                to_json(&case.intake, "受理信息")?,
                enum_to_sql(case.state)?,
                to_json(&case.outcome, "办理结果")?,
                ts_to_sql(case.accepted_at),
                case.due_date.map(|d| d.to_string()),
                basis,
                open_supplement(&case.outcome),
                enum_to_sql(SyncState::Pending)?,
                ts_to_sql(now),
            ],
            |r| r.get(0),
        )?;
    Ok(revision)
}

/// Rows of [`search::newest_first`]: [`COLUMNS`] after the two sort keys.
fn collect_keyed(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Case>> {
    let raws = conn
        .prepare_cached(sql)?
        .query_map(params, |r| RawCase::from_row(r, 2))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawCase::decode).collect()
}

fn collect(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Case>> {
    let mut stmt = conn.prepare(sql)?;
    let raws = stmt
        .query_map(params, |r| RawCase::from_row(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(RawCase::decode).collect()
}

pub(crate) fn get(conn: &Connection, id: Uuid) -> Result<Option<Case>> {
    let raw = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM cases c WHERE c.id = ?1"))?
        .query_row([id.to_string()], |r| RawCase::from_row(r, 0))
        .optional()?;
    raw.map(RawCase::decode).transpose()
}

/// Newest first.
pub(crate) fn list(conn: &Connection, limit: usize) -> Result<Vec<Case>> {
    collect_keyed(conn, &list_sql(), [limit_param(limit)])
}

/// The applicant's newest case by their normalised document number.
pub(crate) fn latest_of_applicant(conn: &Connection, id_no: &str) -> Result<Option<Case>> {
    Ok(collect_keyed(conn, &latest_of_applicant_sql(), params![id_no, 1])?.pop())
}

fn list_sql() -> String {
    search::newest_first("1 = 1", "1 = 1", "?1")
}

fn latest_of_applicant_sql() -> String {
    search::newest_first(
        // (last four, number) is how the ID index is keyed (migration 0006).
        "substr(c.applicant_id_no, -4) = substr(?1, -4) AND c.applicant_id_no = ?1",
        "c.applicant_id_no = ?1",
        "?2",
    )
}

/// 容缺 cases whose open supplement date is before `today`, oldest promise first.
pub(crate) fn overdue_supplements(conn: &Connection, today: Date) -> Result<Vec<Case>> {
    collect(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM cases c WHERE c.supplement_by IS NOT NULL AND c.supplement_by < ?1
             ORDER BY c.supplement_by, c.rowid"
        ),
        [today.to_string()],
    )
}

pub(crate) fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The case's current revision, or `CaseNotFound`.
pub(crate) fn revision(conn: &Connection, id: Uuid) -> Result<i64> {
    conn.query_row(
        "SELECT revision FROM cases WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::CaseNotFound { id: id.to_string() })
}

/// Replaces a case's intake (same item) and bumps its revision; returns the new revision.
pub(crate) fn update_intake(tx: &Transaction<'_>, case: &Case, now: Timestamp) -> Result<i64> {
    let (_, id_no) = case.intake.applicant.id();
    search::unindex_name(tx, case.id)?;
    let revision: i64 = tx
        .prepare_cached(
            "UPDATE cases SET intake_json = ?2, sync_state = ?3, revision = revision + 1,
            updated_at = ?4, applicant_name = ?5, applicant_id_no = ?6
         WHERE id = ?1 RETURNING revision",
        )?
        .query_row(
            params![
                case.id.to_string(),
                to_json(&case.intake, "受理信息")?,
                enum_to_sql(SyncState::Pending)?,
                ts_to_sql(now),
                case.intake.applicant.name(),
                id_no
            ],
            |r| r.get(0),
        )?;
    Ok(revision)
}

pub(crate) fn set_sync_state(
    tx: &Transaction<'_>,
    id: Uuid,
    state: SyncState,
    now: Timestamp,
) -> Result<()> {
    tx.prepare_cached("UPDATE cases SET sync_state = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id.to_string(), enum_to_sql(state)?, ts_to_sql(now)])?;
    Ok(())
}

pub(crate) fn mark_synced(
    tx: &Transaction<'_>,
    id: Uuid,
    official: &str,
    now: Timestamp,
) -> Result<()> {
    let result = tx
        .prepare_cached(
            "UPDATE cases SET official_case_no = ?2, sync_state = ?3, updated_at = ?4,
            official_case_no_rev = ?5 WHERE id = ?1",
        )?
        .execute(params![
            id.to_string(),
            official,
            enum_to_sql(SyncState::Synced)?,
            ts_to_sql(now),
            search::reversed(official),
        ]);
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Err(StoreError::OfficialNoTaken {
                official: official.into(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_use_their_serde_names() {
        assert_eq!(enum_to_sql(SyncState::Quarantined).unwrap(), "quarantined");
        assert_eq!(
            enum_from_sql::<CaseState>("accepted"),
            Some(CaseState::Accepted)
        );
        assert_eq!(enum_from_sql::<CaseState>("nonsense"), None);
    }

    /// The queue's front page and a returning applicant's lookup use their (partial)
    /// indexes: neither walks the table.
    #[test]
    fn list_and_returning_applicant_read_through_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        for (sql, index) in [
            (list_sql(), "cases_by_accepted_at"),
            (latest_of_applicant_sql(), "cases_by_applicant_id_tail"),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let args = vec!["110105194912310021"; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(plan.iter().any(|l| l.contains(index)), "{plan:#?}");
            assert!(!plan.iter().any(|l| l == "SCAN c"), "{plan:#?}");
        }
    }
}
