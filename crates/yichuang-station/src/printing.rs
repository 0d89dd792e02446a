//! Printing a case's papers on the OS printers: the printer per paper, the print record
//! (copy numbers, 补打), submitting through CUPS and following the job until it is done, stuck
//! or failed, retry and cancel. The case is saved before anything prints and printing never
//! writes to it: a failed print costs a reprint, never a case.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{Case, Paper, SlipKind};
use yichuang_store::{NewPrint, PrintFilter, PrintJob, PrintState};

use crate::printing_cups::{self as cups, JobState};
use crate::printing_views::{
    PaperChoice, PrintHistoryQuery, PrintOptions, PrintOutcome, PrintRecord, PrintStatus,
    PrinterView,
};
use crate::slips::{RenderedSlip, Reprint};
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// How long a job may take to finish before the clerk is told it is stuck.
pub const PRINT_WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(250);

fn print_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::Print, e.to_string())
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::InvalidInput, message)
}

/// CUPS media for a paper: A4 named; the 80 mm roll left to the receipt printer's driver,
/// which takes the page length from the PDF (receipt drivers name their media differently).
fn media(paper: Paper) -> Option<&'static str> {
    match paper {
        Paper::A4 => Some("A4"),
        Paper::Receipt80 => None,
    }
}

impl Station {
    /// The OS printers, the system default first.
    pub fn printers(&self) -> Result<Vec<PrinterView>, AppError> {
        self.clerk()?;
        let mut list: Vec<PrinterView> = cups::printers()
            .map_err(print_error)?
            .into_iter()
            .map(|p| PrinterView {
                state_label: match (p.enabled, p.busy) {
                    (false, _) => "已停用",
                    (true, true) => "正在打印",
                    (true, false) => "空闲",
                }
                .into(),
                ready: p.enabled,
                is_default: p.is_default,
                name: p.name,
            })
            .collect();
        list.sort_by_key(|p| !p.is_default);
        Ok(list)
    }

    /// Remembers the printer of a paper (for every clerk at this station).
    pub fn set_printer(&self, paper: Paper, printer: &str) -> Result<(), AppError> {
        let clerk = self.clerk()?;
        self.lock()
            .set_printer(paper, printer, &clerk.login)
            .map_err(store_error)
    }

    /// What the print dialog shows for a case: its papers now, their printers, the printers.
    pub fn print_options(&self, case_id: Uuid) -> Result<PrintOptions, AppError> {
        self.clerk()?;
        let case = self.case(case_id)?;
        let (printers, printers_error) = match self.printers() {
            Ok(p) => (p, None),
            Err(e) => (Vec::new(), Some(e.message)),
        };
        let default = printers
            .iter()
            .find(|p| p.is_default)
            .map(|p| p.name.clone());
        let history = self
            .lock()
            .print_history(&PrintFilter {
                case_id: Some(case_id),
                limit: 1000,
                ..Default::default()
            })
            .map_err(store_error)?;
        let papers = self
            .papers_of(&case)?
            .into_iter()
            .map(|kind| {
                let printer = self
                    .lock()
                    .printer_for(kind.paper())
                    .map_err(store_error)?
                    .or_else(|| default.clone());
                let printed = history
                    .iter()
                    .filter(|j| j.kind == kind && j.state == PrintState::Done)
                    .count();
                Ok(PaperChoice {
                    kind,
                    label: kind.label().into(),
                    paper: kind.paper(),
                    paper_label: kind.paper().label().into(),
                    printer,
                    printed: u32::try_from(printed).unwrap_or(u32::MAX),
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(PrintOptions {
            case_id: case.id.to_string(),
            case_no: case.case_no,
            papers,
            printers,
            printers_error,
        })
    }

    /// The PDF of a paper for the in-app preview (not a print: never recorded as a copy).
    pub fn preview_slip(&self, case_id: Uuid, kind: SlipKind) -> Result<RenderedSlip, AppError> {
        let case = self.case(case_id)?;
        self.check_available(&case, kind)?;
        self.render_slip(case_id, kind, None)
    }

    /// Prints a paper: copy 1 the first time, else a 补打 with `reprint_reason`. `job_id` is
    /// made by the window per press of 打印: pressing again with it never prints a second copy.
    pub fn print_slip(
        &self,
        job_id: Uuid,
        case_id: Uuid,
        kind: SlipKind,
        reprint_reason: Option<String>,
    ) -> Result<PrintOutcome, AppError> {
        self.print_slip_within(job_id, case_id, kind, reprint_reason, PRINT_WAIT)
    }

    /// [`Station::print_slip`], reporting the job stuck after `wait` (tests use a short one).
    #[instrument(skip_all, fields(kind = kind.code()), err)]
    pub fn print_slip_within(
        &self,
        job_id: Uuid,
        case_id: Uuid,
        kind: SlipKind,
        reprint_reason: Option<String>,
        wait: Duration,
    ) -> Result<PrintOutcome, AppError> {
        let clerk = self.clerk()?;
        let case = self.case(case_id)?;
        self.check_available(&case, kind)?;
        let printer = self.printer_of(kind.paper())?;
        let job = self
            .lock()
            .begin_print(
                &NewPrint {
                    id: job_id,
                    case_id,
                    kind,
                    reprint_reason: reprint_reason.as_deref(),
                    clerk: &clerk.login,
                    printer: &printer,
                },
                Timestamp::now(),
            )
            .map_err(store_error)?;
        match (job.state, job.os_job_id.clone()) {
            (PrintState::Done, _) => Ok(outcome(&job, PrintStatus::Done)),
            (PrintState::Failed, _) => Ok(outcome(&job, PrintStatus::Failed)),
            // Handed over before (a double click, a restart): follow that job, do not resend.
            (PrintState::Queued, Some(os_job)) => self.follow(job, &os_job, wait),
            (PrintState::Queued, None) => self.submit(job, wait),
        }
    }

    /// Prints a failed or stuck job again on the same record (attempts + 1): a stuck OS job
    /// is cancelled first, and one that finished meanwhile is recorded done, not resent.
    pub fn retry_print(&self, job_id: Uuid) -> Result<PrintOutcome, AppError> {
        self.retry_print_within(job_id, PRINT_WAIT)
    }

    /// [`Station::retry_print`] with its own stuck time.
    #[instrument(skip_all, err)]
    pub fn retry_print_within(
        &self,
        job_id: Uuid,
        wait: Duration,
    ) -> Result<PrintOutcome, AppError> {
        let clerk = self.clerk()?;
        let job = self.job(job_id)?;
        if job.state == PrintState::Done {
            return Ok(outcome(&job, PrintStatus::Done));
        }
        if let Some(done) = self.settle_previous(&job)? {
            return Ok(done);
        }
        let printer = self.printer_of(job.kind.paper())?;
        let job = self
            .lock()
            .retry_print(job_id, &printer, &clerk.login, Timestamp::now())
            .map_err(store_error)?;
        self.submit(job, wait)
    }

    /// Gives up a failed or stuck job: its OS job is cancelled and the record says so.
    #[instrument(skip_all, err)]
    pub fn cancel_print(&self, job_id: Uuid) -> Result<PrintOutcome, AppError> {
        self.clerk()?;
        let job = self.job(job_id)?;
        if job.state == PrintState::Done {
            return Ok(outcome(&job, PrintStatus::Done));
        }
        if let Some(done) = self.settle_previous(&job)? {
            return Ok(done);
        }
        let job = self.finish(job.id, Err(CANCELLED))?;
        Ok(outcome(&job, PrintStatus::Failed))
    }

    /// Print records for the hall manager, newest first.
    pub fn print_history(&self, query: &PrintHistoryQuery) -> Result<Vec<PrintRecord>, AppError> {
        self.clerk()?;
        let date = |s: &Option<String>| -> Result<Option<jiff::civil::Date>, AppError> {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map_err(|_| invalid(format!("日期“{s}”无效，请按 2026-11-27 填写")))
                })
                .transpose()
        };
        let case_id = query
            .case_id
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Uuid::parse_str(s.trim()).map_err(|_| invalid("办件标识有误")))
            .transpose()?;
        let filter = PrintFilter {
            from: date(&query.from)?,
            to: date(&query.to)?,
            case_id,
            limit: query.limit.unwrap_or(200).clamp(1, 1000) as usize,
        };
        let jobs = self.lock().print_history(&filter).map_err(store_error)?;
        Ok(jobs.iter().map(PrintRecord::from).collect())
    }

    /// The earlier OS job of a job about to be retried or given up: if it printed after all,
    /// the record is made done (and returned); if it is still waiting, it is cancelled.
    fn settle_previous(&self, job: &PrintJob) -> Result<Option<PrintOutcome>, AppError> {
        let (Some(printer), Some(os_job)) = (job.printer.as_deref(), job.os_job_id.as_deref())
        else {
            return Ok(None);
        };
        match cups::job_state(printer, os_job) {
            // Handed over and gone from the queue: it printed (a cancel of ours is recorded).
            Ok(JobState::Finished) if !job.error.as_deref().is_some_and(is_cancelled) => {
                let done = self.finish(job.id, Ok(()))?;
                Ok(Some(outcome(&done, PrintStatus::Done)))
            }
            Ok(JobState::Pending) => {
                cups::cancel(printer, os_job).map_err(print_error)?;
                Ok(None)
            }
            // Cancelled by us before, or the queue is gone: nothing left to stop.
            Ok(JobState::Finished) | Err(_) => Ok(None),
        }
    }

    /// Renders the paper (补打 marked from copy 2) and hands it to the job's printer.
    fn submit(&self, job: PrintJob, wait: Duration) -> Result<PrintOutcome, AppError> {
        let reprint = (job.copy_no > 1).then(|| Reprint {
            copy_no: job.copy_no,
            reason: job.reprint_reason.clone().unwrap_or_default(),
        });
        let printer = job.printer.clone().unwrap_or_default();
        let pdf = match self.render_slip(job.case_id, job.kind, reprint.as_ref()) {
            Ok(slip) => slip.pdf,
            Err(e) => return self.failed(&job, &format!("文书未能生成：{}", e.message)),
        };
        let title = format!("{}-{}-{}", job.case_no, job.kind.code(), job.copy_no);
        match cups::submit(&printer, &title, media(job.kind.paper()), &pdf) {
            Ok(os_job) => {
                self.lock()
                    .record_print_submitted(job.id, &os_job)
                    .map_err(store_error)?;
                tracing::info!(os_job = %os_job, "print job submitted");
                self.follow(job, &os_job, wait)
            }
            Err(e) => self.failed(&job, &e.to_string()),
        }
    }

    /// Waits until the OS job is finished, or reports it stuck after `wait`.
    fn follow(
        &self,
        job: PrintJob,
        os_job: &str,
        wait: Duration,
    ) -> Result<PrintOutcome, AppError> {
        let printer = job.printer.clone().unwrap_or_default();
        let start = Instant::now();
        loop {
            match cups::job_state(&printer, os_job) {
                Ok(JobState::Finished) => {
                    let done = self.finish(job.id, Ok(()))?;
                    return Ok(outcome(&done, PrintStatus::Done));
                }
                Ok(JobState::Pending) if start.elapsed() < wait => std::thread::sleep(POLL),
                Ok(JobState::Pending) => {
                    let message = stuck_message(&printer, wait);
                    let stuck = self.finish(job.id, Err(&message))?;
                    tracing::warn!(os_job = %os_job, "print job stuck");
                    return Ok(outcome(&stuck, PrintStatus::Stuck));
                }
                Err(e) => return self.failed(&job, &e.to_string()),
            }
        }
    }

    fn failed(&self, job: &PrintJob, reason: &str) -> Result<PrintOutcome, AppError> {
        tracing::warn!(kind = job.kind.code(), "print job failed");
        let failed = self.finish(job.id, Err(reason))?;
        Ok(outcome(&failed, PrintStatus::Failed))
    }

    fn finish(&self, id: Uuid, result: Result<(), &str>) -> Result<PrintJob, AppError> {
        self.lock()
            .finish_print(id, result, Timestamp::now())
            .map_err(store_error)
    }

    fn job(&self, id: Uuid) -> Result<PrintJob, AppError> {
        self.lock()
            .print_job(id)
            .map_err(store_error)?
            .ok_or_else(|| invalid("找不到这次打印的记录，请重新打印"))
    }

    fn case(&self, id: Uuid) -> Result<Case, AppError> {
        self.lock()
            .get_case(id)
            .map_err(store_error)?
            .ok_or_else(|| invalid("找不到该办件，请刷新办件队列"))
    }

    /// The papers `case` may print now (SlipKind::available on its state, district status
    /// and handover).
    pub(crate) fn papers_of(&self, case: &Case) -> Result<Vec<SlipKind>, AppError> {
        let store = self.lock();
        let district = store
            .district_status(case.id)
            .map_err(store_error)?
            .map(|s| s.status);
        let handover = store.handover(case.id).map_err(store_error)?;
        let by_courier = handover
            .map(|h| matches!(h.form.method, yichuang_core::HandoverMethod::Courier { .. }));
        Ok(SlipKind::available(case.state, district, by_courier))
    }

    fn check_available(&self, case: &Case, kind: SlipKind) -> Result<(), AppError> {
        if self.papers_of(case)?.contains(&kind) {
            Ok(())
        } else {
            Err(invalid(format!(
                "该办件当前为“{}”，不能打印{}",
                case.state.label(),
                kind.label()
            )))
        }
    }

    /// The printer set for `paper`, else the system default.
    fn printer_of(&self, paper: Paper) -> Result<String, AppError> {
        if let Some(p) = self.lock().printer_for(paper).map_err(store_error)? {
            return Ok(p);
        }
        cups::printers()
            .map_err(print_error)?
            .into_iter()
            .find(|p| p.is_default)
            .map(|p| p.name)
            .ok_or_else(|| {
                invalid(format!(
                    "尚未为{}选择打印机，本机也没有默认打印机。请在打印对话框中选择打印机",
                    paper.label()
                ))
            })
    }
}

fn stuck_message(printer: &str, wait: Duration) -> String {
    format!(
        "打印机“{printer}”{} 秒内未打完（可能缺纸、卡纸、脱机或已停用）。请检查打印机后点“重试”（未打出的任务会先取消），或点“取消打印”",
        wait.as_secs()
    )
}

/// The record of a job the clerk gave up.
const CANCELLED: &str = "已取消打印。如仍需要这份文书，请点“重试”或重新打印";

fn is_cancelled(error: &str) -> bool {
    error == CANCELLED
}

fn outcome(job: &PrintJob, status: PrintStatus) -> PrintOutcome {
    let record = PrintRecord::from(job);
    let message = match status {
        PrintStatus::Done => format!(
            "{}（{}）已送打印机“{}”",
            record.kind_label,
            record.copy_label,
            record.printer.as_deref().unwrap_or_default()
        ),
        _ => job
            .error
            .clone()
            .unwrap_or_else(|| "打印未完成，请重试".into()),
    };
    PrintOutcome {
        status,
        message,
        record,
    }
}
