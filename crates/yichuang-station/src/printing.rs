//! Printing a case's papers on the OS printers, the dialog's side: the printers, the printer
//! per paper, the papers a case can print, the preview and the print history (the print
//! itself: printing_jobs.rs). The case is saved before anything prints and printing never
//! writes to it: a failed print costs a reprint, never a case.

use std::time::Duration;

use uuid::Uuid;
use yichuang_core::{Case, Paper, SlipKind};
use yichuang_store::{PrintFilter, PrintState};

use crate::printing_cups as cups;
use crate::printing_views::{
    PaperChoice, PrintHistoryQuery, PrintOptions, PrintRecord, PrinterView,
};

use crate::slips::RenderedSlip;
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// How long a job may take to finish before the clerk is told it is stuck.
pub const PRINT_WAIT: Duration = Duration::from_secs(30);

pub(crate) fn print_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::Print, e.to_string())
}

/// A print dialog's id (case or job) from the window.
pub fn parse_id(text: &str, what: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(text.trim())
        .map_err(|_| invalid(format!("{what}有误，请关闭后重新打开打印对话框")))
}

pub(crate) fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::InvalidInput, message)
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

    /// The printer chosen in the print dialog for `kind`: a kind the hall manager gave a
    /// printer of its own (settings) gets the new one, any other its paper's, so the dialog
    /// shows and prints what the clerk picked (any clerk: the printer at hand may be out).
    pub fn set_dialog_printer(&self, kind: SlipKind, printer: &str) -> Result<(), AppError> {
        let clerk = self.clerk()?;
        let mut store = self.lock();
        if store.kind_printer(kind).map_err(store_error)?.is_some() {
            store.set_kind_printer(kind, printer, &clerk.login)
        } else {
            store.set_printer(kind.paper(), printer, &clerk.login)
        }
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
                    .printer_for_kind(kind)
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
                    // History is newest first.
                    unfinished: history
                        .iter()
                        .find(|j| j.kind == kind && j.state != PrintState::Done)
                        .map(PrintRecord::from),
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
        self.clerk()?;
        let case = self.case(case_id)?;
        self.check_available(&case, kind)?;
        self.render_slip(case_id, kind, None)
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

    pub(crate) fn case(&self, id: Uuid) -> Result<Case, AppError> {
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

    pub(crate) fn check_available(&self, case: &Case, kind: SlipKind) -> Result<(), AppError> {
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

    /// The printer set for `kind` (its own, else its paper's), else the system default.
    pub(crate) fn printer_of(&self, kind: SlipKind) -> Result<String, AppError> {
        let paper = kind.paper();
        if let Some(p) = self.lock().printer_for_kind(kind).map_err(store_error)? {
            return Ok(p);
        }
        cups::printers()
            .map_err(print_error)?
            .into_iter()
            .find(|p| p.is_default)
            .map(|p| p.name)
            .ok_or_else(|| {
                invalid(format!(
                    "尚未为{}（{}）选择打印机，本机也没有默认打印机。请在打印对话框中选择打印机",
                    kind.label(),
                    paper.label()
                ))
            })
    }
}
