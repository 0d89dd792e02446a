//! What the print dialog and the print history show, with every label made here in Rust.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use yichuang_core::time::format_minute;
use yichuang_core::{Paper, SlipKind};
use yichuang_store::{PrintJob, PrintState};

/// A printer the clerk can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PrinterView {
    /// The queue name the settings keep.
    pub name: String,
    pub is_default: bool,
    /// "空闲", "正在打印", "已停用".
    pub state_label: String,
    pub ready: bool,
}

/// One paper the case can print now, with the printer it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PaperChoice {
    pub kind: SlipKind,
    /// "受理通知书".
    pub label: String,
    pub paper: Paper,
    /// "A4 纸", "80 毫米小票".
    pub paper_label: String,
    /// The printer set for this paper, else the system default; `None`: the clerk must pick.
    pub printer: Option<String>,
    /// Copies printed so far (done): the next print is a 补打 when this is > 0.
    pub printed: u32,
    /// The newest print of this paper that failed, stuck or was cancelled: retry it (the same
    /// copy) rather than starting a new one.
    pub unfinished: Option<PrintRecord>,
}

/// Everything the print dialog needs for a case.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrintOptions {
    pub case_id: String,
    pub case_no: String,
    pub papers: Vec<PaperChoice>,
    pub printers: Vec<PrinterView>,
    /// The printing system could not be asked (not installed, not running): what to do.
    pub printers_error: Option<String>,
}

/// How a print ended, for the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PrintStatus {
    Done,
    /// The printer refused it or it could not be made: retry after fixing what `message` says.
    Failed,
    /// Handed over but not finished in time: retry (the stuck job is cancelled first) or cancel.
    Stuck,
}

/// The result of print, retry or cancel.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrintOutcome {
    pub status: PrintStatus,
    /// For the clerk, in Chinese: what happened and what to do.
    pub message: String,
    pub record: PrintRecord,
}

/// One print as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PrintRecord {
    pub job_id: String,
    pub case_id: String,
    pub case_no: String,
    pub kind: SlipKind,
    pub kind_label: String,
    pub copy_no: u32,
    /// "第 1 份" or "补打（第 2 份）".
    pub copy_label: String,
    pub reprint_reason: Option<String>,
    /// The clerk's login.
    pub clerk: String,
    pub printer: Option<String>,
    /// "已打印", "打印中", "失败".
    pub state_label: String,
    pub done: bool,
    pub error: Option<String>,
    pub attempts: u32,
    /// "2026-11-27 09:05".
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl From<&PrintJob> for PrintRecord {
    fn from(j: &PrintJob) -> Self {
        PrintRecord {
            job_id: j.id.to_string(),
            case_id: j.case_id.to_string(),
            case_no: j.case_no.clone(),
            kind: j.kind,
            kind_label: j.kind.label().to_string(),
            copy_no: j.copy_no,
            copy_label: copy_label(j.copy_no),
            reprint_reason: j.reprint_reason.clone(),
            clerk: j.clerk.clone(),
            printer: j.printer.clone(),
            state_label: match j.state {
                PrintState::Queued => "打印中",
                PrintState::Done => "已打印",
                PrintState::Failed => "失败",
            }
            .to_string(),
            done: j.state == PrintState::Done,
            error: j.error.clone(),
            attempts: j.attempts,
            created_at: format_minute(j.created_at),
            finished_at: j.finished_at.map(format_minute),
        }
    }
}

pub(crate) fn copy_label(copy_no: u32) -> String {
    if copy_no <= 1 {
        "第 1 份".into()
    } else {
        format!("补打（第 {copy_no} 份）")
    }
}

/// The print history's filter as the window sends it (dates `2026-11-27`, inclusive).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct PrintHistoryQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub case_id: Option<String>,
    pub limit: Option<u32>,
}
