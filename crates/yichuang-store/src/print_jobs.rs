//! Every print of a slip (migration 0013): copy numbers, 补打 reasons, the printer and the
//! OS job, how it ended. A retry or a repeated call with the same job id works on the same row,
//! so no click, crash or retry ever makes a second copy number (or touches the case).

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::SlipKind;

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError, audit};

/// The longest 补打 reason kept (characters).
pub const MAX_REPRINT_REASON_CHARS: usize = 200;

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintState {
    /// Handed to the printer; not known to be finished.
    Queued,
    /// The printer took it whole.
    Done,
    /// It failed or stuck; `error` says why. It can be retried.
    Failed,
}

impl PrintState {
    fn code(self) -> &'static str {
        match self {
            PrintState::Queued => "queued",
            PrintState::Done => "done",
            PrintState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> Option<PrintState> {
        [PrintState::Queued, PrintState::Done, PrintState::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One print record, with the case number it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub id: Uuid,
    pub case_id: Uuid,
    pub case_no: String,
    pub kind: SlipKind,
    /// 1 for the first print of (case, kind); later ones are 补打.
    pub copy_no: u32,
    pub reprint_reason: Option<String>,
    /// The clerk's login.
    pub clerk: String,
    pub printer: Option<String>,
    pub os_job_id: Option<String>,
    pub state: PrintState,
    pub error: Option<String>,
    pub attempts: u32,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// A print about to be handed to a printer.
#[derive(Debug, Clone)]
pub struct NewPrint<'a> {
    /// Made by the window when the clerk pressed 打印: the same id means the same print.
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: SlipKind,
    /// Required for every copy after the first; ignored for the first.
    pub reprint_reason: Option<&'a str>,
    pub clerk: &'a str,
    pub printer: &'a str,
}

/// Which print records the history shows (dates are station days, inclusive).
#[derive(Debug, Clone, Default)]
pub struct PrintFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub case_id: Option<Uuid>,
    pub limit: usize,
}

const COLUMNS: &str = "p.id, p.case_id, c.case_no, p.slip_kind, p.copy_no, p.reprint_reason, \
     p.clerk, p.printer, p.os_job_id, p.state, p.error, p.attempts, p.created_at, p.finished_at";

impl Store {
    /// Starts a print, or returns the one already started with this id (a double click, a
    /// retry after a crash). The first print of (case, kind) is copy 1; later ones take the
    /// next number and need a reason. Audited as `print.started` (case number, kind, copy).
    #[instrument(skip_all, fields(kind = new.kind.code()), err)]
    pub fn begin_print(&mut self, new: &NewPrint<'_>, now: Timestamp) -> Result<PrintJob> {
        self.write(|tx| {
            if let Some(job) = read(tx, new.id)? {
                return Ok(job);
            }
            let case_no = case_no(tx, new.case_id)?;
            let printed: u32 = tx
                .prepare_cached(
                    "SELECT coalesce(max(copy_no), 0) FROM print_jobs
                     WHERE case_id = ?1 AND slip_kind = ?2",
                )?
                .query_row(params![new.case_id.to_string(), new.kind.code()], |r| {
                    r.get(0)
                })?;
            let copy_no = printed + 1;
            let reason = if copy_no == 1 {
                None
            } else {
                Some(reprint_reason(new.reprint_reason)?)
            };
            tx.prepare_cached(
                "INSERT INTO print_jobs (id, case_id, slip_kind, copy_no, reprint_reason, clerk,
                     printer, state, attempts, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 1, ?8)",
            )?
            .execute(params![
                new.id.to_string(),
                new.case_id.to_string(),
                new.kind.code(),
                copy_no,
                reason,
                new.clerk.trim(),
                new.printer.trim(),
                ts_to_sql(now)
            ])?;
            let target = format!("{case_no}/{}/{copy_no}", new.kind.code());
            audit::append(
                tx,
                event(now, new.clerk.trim(), "print.started", &target, "ok"),
            )?;
            read(tx, new.id)?.ok_or_else(|| not_found(new.id))
        })
    }

    /// The printer system's id of the job (e.g. CUPS `yichuang-pdf-12`).
    pub fn record_print_submitted(&mut self, id: Uuid, os_job_id: &str) -> Result<()> {
        self.write(|tx| {
            let n = tx
                .prepare_cached("UPDATE print_jobs SET os_job_id = ?2 WHERE id = ?1")?
                .execute(params![id.to_string(), os_job_id])?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })
    }

    /// How a job ended: `Ok(())` done, `Err(reason)` failed (the reason is for the clerk).
    /// Audited as `print.done` or `print.failed`.
    #[instrument(skip_all, err)]
    pub fn finish_print(
        &mut self,
        id: Uuid,
        outcome: std::result::Result<(), &str>,
        now: Timestamp,
    ) -> Result<PrintJob> {
        self.write(|tx| {
            let job = read(tx, id)?.ok_or_else(|| not_found(id))?;
            let (state, error) = match outcome {
                Ok(()) => (PrintState::Done, None),
                Err(reason) => (PrintState::Failed, Some(reason)),
            };
            tx.prepare_cached(
                "UPDATE print_jobs SET state = ?2, error = ?3, finished_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id.to_string(), state.code(), error, ts_to_sql(now)])?;
            let what = match state {
                PrintState::Done => "print.done",
                _ => "print.failed",
            };
            audit::append(
                tx,
                event(now, &job.clerk, what, &target(&job), state.code()),
            )?;
            read(tx, id)?.ok_or_else(|| not_found(id))
        })
    }

    /// Hands a failed or stuck job to the printer again: the same row, attempts + 1, on the
    /// printer configured now. A job already done is refused (a further copy is a 补打).
    #[instrument(skip_all, err)]
    pub fn retry_print(
        &mut self,
        id: Uuid,
        printer: &str,
        clerk: &str,
        now: Timestamp,
    ) -> Result<PrintJob> {
        self.write(|tx| {
            let job = read(tx, id)?.ok_or_else(|| not_found(id))?;
            if job.state == PrintState::Done {
                return Err(StoreError::InvalidInput(
                    "这份已打印完成，无需重试；如需再打一份，请选择“补打”并填写原因".into(),
                ));
            }
            tx.prepare_cached(
                "UPDATE print_jobs SET state = 'queued', error = NULL, os_job_id = NULL,
                     finished_at = NULL, attempts = attempts + 1, printer = ?2
                 WHERE id = ?1",
            )?
            .execute(params![id.to_string(), printer.trim()])?;
            audit::append(
                tx,
                event(now, clerk.trim(), "print.retried", &target(&job), "ok"),
            )?;
            read(tx, id)?.ok_or_else(|| not_found(id))
        })
    }

    pub fn print_job(&self, id: Uuid) -> Result<Option<PrintJob>> {
        read(&self.conn, id)
    }

    /// Print records, newest first.
    pub fn print_history(&self, filter: &PrintFilter) -> Result<Vec<PrintJob>> {
        let mut sql = format!(
            "SELECT {COLUMNS} FROM print_jobs p JOIN cases c ON c.id = p.case_id WHERE 1 = 1"
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(case_id) = filter.case_id {
            sql.push_str(" AND p.case_id = ?");
            args.push(Value::Text(case_id.to_string()));
        }
        if let Some(from) = filter.from {
            sql.push_str(" AND p.created_at >= ?");
            args.push(Value::Text(day_start(from)?));
        }
        if let Some(to) = filter.to {
            let next = to
                .tomorrow()
                .map_err(|_| StoreError::InvalidInput("结束日期超出范围".into()))?;
            sql.push_str(" AND p.created_at < ?");
            args.push(Value::Text(day_start(next)?));
        }
        sql.push_str(" ORDER BY p.created_at DESC LIMIT ?");
        args.push(Value::Integer(crate::cases::limit_param(filter.limit)));
        query(&self.conn, &sql, args)
    }

    /// Jobs not known to be done (queued or failed), oldest first: what to follow or retry.
    pub fn unfinished_prints(&self) -> Result<Vec<PrintJob>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM print_jobs p JOIN cases c ON c.id = p.case_id
             WHERE p.state <> 'done' ORDER BY p.created_at"
        );
        query(&self.conn, &sql, Vec::new())
    }
}

fn reprint_reason(reason: Option<&str>) -> Result<String> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(StoreError::InvalidInput(
            "这份已打印过，补打须填写原因（如“回执遗失”“打印不清”）".into(),
        ));
    }
    if reason.chars().count() > MAX_REPRINT_REASON_CHARS {
        return Err(StoreError::InvalidInput(format!(
            "补打原因请控制在 {MAX_REPRINT_REASON_CHARS} 字以内"
        )));
    }
    Ok(reason.to_string())
}

/// The UTC instant a station day starts, as stored.
fn day_start(day: Date) -> Result<String> {
    let start = yichuang_core::time::china_tz()
        .to_timestamp(day.at(0, 0, 0, 0))
        .map_err(|_| StoreError::InvalidInput("日期超出范围".into()))?;
    Ok(ts_to_sql(start))
}

fn case_no(tx: &Transaction<'_>, case_id: Uuid) -> Result<String> {
    tx.prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
        .query_row([case_id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::CaseNotFound {
            id: case_id.to_string(),
        })
}

/// The audit target: case number, kind and copy (no personal data).
fn target(job: &PrintJob) -> String {
    format!("{}/{}/{}", job.case_no, job.kind.code(), job.copy_no)
}

fn not_found(id: Uuid) -> StoreError {
    StoreError::InvalidInput(format!("找不到打印记录 {id}，请重新打印"))
}

fn read(conn: &Connection, id: Uuid) -> Result<Option<PrintJob>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM print_jobs p JOIN cases c ON c.id = p.case_id WHERE p.id = ?"
    );
    Ok(query(conn, &sql, vec![Value::Text(id.to_string())])?.pop())
}

type Raw = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    i64,
    String,
    Option<String>,
);

fn query(conn: &Connection, sql: &str, args: Vec<Value>) -> Result<Vec<PrintJob>> {
    let raws = conn
        .prepare_cached(sql)?
        .query_map(params_from_iter(args), |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Raw>>>()?;
    raws.into_iter().map(decode).collect()
}

fn decode(raw: Raw) -> Result<PrintJob> {
    let (
        id,
        case_id,
        case_no,
        kind,
        copy_no,
        reason,
        clerk,
        printer,
        os_job,
        state,
        error,
        n,
        at,
        fin,
    ) = raw;
    let corrupt = |what: &str| StoreError::Corrupt(format!("打印记录的{what}无法读取"));
    Ok(PrintJob {
        id: Uuid::parse_str(&id).map_err(|_| corrupt("标识"))?,
        case_id: Uuid::parse_str(&case_id).map_err(|_| corrupt("办件标识"))?,
        case_no,
        kind: SlipKind::from_code(&kind).ok_or_else(|| corrupt("文书种类"))?,
        copy_no: u32::try_from(copy_no).map_err(|_| corrupt("份次"))?,
        reprint_reason: reason,
        clerk,
        printer,
        os_job_id: os_job,
        state: PrintState::from_code(&state).ok_or_else(|| corrupt("状态"))?,
        error,
        attempts: u32::try_from(n).map_err(|_| corrupt("尝试次数"))?,
        created_at: ts_from_sql(&at)?,
        finished_at: fin.as_deref().map(ts_from_sql).transpose()?,
    })
}
