//! Evaluations (好差评) taken at the station, queued for the district beside the cases:
//! one per case (一次一评), recorded idempotently by the id made when the rating was taken.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::EvaluationLevel;
use yichuang_core::evaluation::{ALREADY_RATED, check_text};

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError, audit};

/// A rating as the station keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub id: Uuid,
    pub case_id: Uuid,
    pub level: EvaluationLevel,
    pub comment: Option<String>,
    /// Configured channel code (e.g. the customer-facing screen's).
    pub channel: String,
    pub rated_at: Timestamp,
}

/// What the district answered about one sent evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvaluationSent {
    /// It holds it (now or from before).
    Stored(Uuid),
    /// It will not take it (rated already elsewhere, or invalid): kept with the reason.
    Refused { id: Uuid, message: String },
}

impl Store {
    /// Records a citizen's rating of a case. Taking the same rating again (same id) returns
    /// the one stored; another rating of a case already rated is refused (一次一评).
    #[instrument(skip_all, fields(case_id = %e.case_id), err)]
    pub fn record_evaluation(&mut self, e: &Evaluation, actor: &str) -> Result<Evaluation> {
        check_text(e.comment.as_deref(), &e.channel).map_err(StoreError::InvalidInput)?;
        self.write(|tx| {
            if let Some(stored) = read(tx, "id", &e.id.to_string())? {
                return Ok(stored);
            }
            if read(tx, "case_id", &e.case_id.to_string())?.is_some() {
                return Err(StoreError::InvalidInput(ALREADY_RATED.into()));
            }
            let case_no: String = tx
                .prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
                .query_row([e.case_id.to_string()], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::CaseNotFound {
                    id: e.case_id.to_string(),
                })?;
            tx.prepare_cached(
                "INSERT INTO evaluations (id, case_id, level, comment, channel, rated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                e.id.to_string(),
                e.case_id.to_string(),
                e.level.code(),
                e.comment,
                e.channel.trim(),
                ts_to_sql(e.rated_at)
            ])?;
            audit::append(
                tx,
                event(e.rated_at, actor, "evaluation.recorded", &case_no, "ok"),
            )?;
            Ok(e.clone())
        })
    }

    /// The evaluation of a case, if it has one.
    pub fn evaluation_of(&self, case_id: Uuid) -> Result<Option<Evaluation>> {
        read(&self.conn, "case_id", &case_id.to_string())
    }

    /// Ratings to send, oldest first: only of cases the district already holds (synced).
    pub fn evaluations_to_send(&self, limit: usize) -> Result<Vec<Evaluation>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.case_id, e.level, e.comment, e.channel, e.rated_at
                 FROM evaluations e JOIN cases c ON c.id = e.case_id
                 WHERE e.state = 'pending' AND c.sync_state = 'synced'
                 ORDER BY e.rated_at LIMIT ?1",
            )?
            .query_map([crate::cases::limit_param(limit)], raw)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(decode).collect()
    }

    /// What the district answered about sent ratings, in one transaction; a refusal is
    /// audited with its reason.
    #[instrument(skip_all, fields(answers = answers.len()), err)]
    pub fn record_evaluations_sent(&mut self, answers: &[EvaluationSent]) -> Result<()> {
        let now = Timestamp::now();
        self.write(|tx| {
            for answer in answers {
                match answer {
                    EvaluationSent::Stored(id) => {
                        tx.prepare_cached(
                            "UPDATE evaluations SET state = 'sent', last_error = NULL
                             WHERE id = ?1",
                        )?
                        .execute([id.to_string()])?;
                    }
                    EvaluationSent::Refused { id, message } => {
                        tx.prepare_cached(
                            "UPDATE evaluations SET state = 'refused', last_error = ?2
                             WHERE id = ?1",
                        )?
                        .execute(params![id.to_string(), message])?;
                        audit::append(
                            tx,
                            event(
                                now,
                                "sync",
                                "evaluation.refused",
                                &id.to_string(),
                                "refused",
                            ),
                        )?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Ratings waiting to be sent (of any case).
    pub fn evaluations_pending(&self) -> Result<u32> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM evaluations WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

type Raw = (String, String, i64, Option<String>, String, String);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn decode((id, case_id, level, comment, channel, rated_at): Raw) -> Result<Evaluation> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("评价记录的{what}无法读取"));
    Ok(Evaluation {
        id: Uuid::parse_str(&id).map_err(|_| corrupt("标识"))?,
        case_id: Uuid::parse_str(&case_id).map_err(|_| corrupt("办件标识"))?,
        level: u8::try_from(level)
            .ok()
            .and_then(|l| EvaluationLevel::from_code(l).ok())
            .ok_or_else(|| corrupt("等级"))?,
        comment,
        channel,
        rated_at: ts_from_sql(&rated_at)?,
    })
}

/// The evaluation whose `by` column (`id` or `case_id`) is `value`.
fn read(conn: &rusqlite::Connection, by: &str, value: &str) -> Result<Option<Evaluation>> {
    let sql = format!(
        "SELECT id, case_id, level, comment, channel, rated_at FROM evaluations WHERE {by} = ?1"
    );
    conn.prepare_cached(&sql)?
        .query_row([value], raw)
        .optional()?
        .map(decode)
        .transpose()
}
