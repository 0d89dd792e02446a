//! A print from the press of 打印 to its end: the record (copy 1 or 补打), the PDF handed to
//! CUPS, the job followed until done or stuck, retry on the same record and cancel.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{Paper, SlipKind};
use yichuang_store::{NewPrint, PrintJob, PrintState};

use crate::printing::{PRINT_WAIT, invalid, print_error};
use crate::printing_cups::{self as cups, JobState};
use crate::printing_views::{PrintOutcome, PrintRecord, PrintStatus};
use crate::slips::Reprint;
use crate::station::store_error;
use crate::{AppError, Station};

const POLL: Duration = Duration::from_millis(250);

/// CUPS media for a paper: A4 named; the 80 mm roll left to the receipt printer's driver,
/// which takes the page length from the PDF (receipt drivers name their media differently).
fn media(paper: Paper) -> Option<&'static str> {
    match paper {
        Paper::A4 => Some("A4"),
        Paper::Receipt80 => None,
    }
}

impl Station {
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
        let printer = self.printer_of(kind)?;
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
        let printer = self.printer_of(job.kind)?;
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
