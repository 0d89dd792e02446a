//! Export of the cases of a date range to CSV or XLSX for the hall manager (统计 → 导出).
//!
//! An export leaves the encrypted database, so ID numbers are masked (first 6 and last 4
//! kept) unless the manager asks for them in full; names stay, as a report must say whose
//! case it is. The file is written beside its final place and renamed into it once complete
//! (never a half-written file under the chosen name), and every export is audited: who, which
//! range, which format, how many rows and whether IDs were masked — never the content.
//! Rows are read a page at a time with the store released in between, so intake and sync go
//! on during a long export, and progress is reported after each page.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tracing::instrument;
use ts_rs::TS;
use yichuang_core::{mask::mask_id, time};
use yichuang_store::ExportRow;

use crate::export_sheet::{CsvSheet, Sheet, XlsxSheet};
use crate::manager::{DateRange, Days};
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// Cases read per page (the store is free between pages).
pub const EXPORT_PAGE: usize = 2_000;

/// The column headers, in order.
pub const HEADERS: [&str; 11] = [
    "办件编号",
    "区级办件编号",
    "事项编码",
    "事项名称",
    "申请人",
    "证件号码",
    "受理人",
    "办件状态",
    "受理时间",
    "承诺办结日期",
    "同步状态",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// What the manager asked for: the range, the format, where (picked in the save dialog) and
/// whether ID numbers go out in full.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub range: DateRange,
    pub format: ExportFormat,
    pub path: String,
    pub full_ids: bool,
}

/// How far a running export is (sent to the window as events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportProgress {
    pub written: u32,
    pub total: u32,
}

/// A finished export.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportDone {
    pub path: String,
    pub rows: u32,
    /// 已导出 1,234 件（2026-11-01 至 2026-11-30），证件号码已隐藏部分数字
    pub message: String,
}

fn invalid(message: String) -> AppError {
    AppError::new(ErrorKind::InvalidInput, message)
}

fn write_failed(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "export could not be written");
    AppError::new(
        ErrorKind::Internal,
        format!("导出文件写入失败（{e}），请换一个保存位置后再试"),
    )
}

/// The cells of one case, in [`HEADERS`] order.
pub fn cells(row: &ExportRow, full_ids: bool) -> [String; 11] {
    [
        row.case_no.clone(),
        row.official_case_no.clone().unwrap_or_default(),
        row.item_code.clone(),
        row.item_name.clone(),
        row.applicant_name.clone(),
        if full_ids {
            row.applicant_id_no.clone()
        } else {
            mask_id(&row.applicant_id_no)
        },
        row.clerk.clone(),
        row.state.label().to_string(),
        time::format_minute(row.accepted_at),
        row.due_date.map(|d| d.to_string()).unwrap_or_default(),
        crate::intake_views::sync_label(row.sync_state).to_string(),
    ]
}

/// The chosen path with the format's extension, in a folder that exists.
fn target_path(path: &str, format: ExportFormat) -> Result<PathBuf, AppError> {
    let mut path = PathBuf::from(path.trim());
    if !path.is_absolute() || path.file_name().is_none() {
        return Err(invalid("请通过“选择保存位置”选定导出文件".into()));
    }
    let ext = format.extension();
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{ext}"));
        path.set_file_name(name);
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => Ok(path),
        _ => Err(invalid("保存位置所在的文件夹不存在，请重新选择".into())),
    }
}

impl Station {
    /// The file name the save dialog suggests, e.g. `办件导出_2026-11-01_2026-11-30.xlsx`
    /// (hall manager only: the dialog opens only for them).
    pub fn export_file_name(
        &self,
        range: &DateRange,
        format: ExportFormat,
    ) -> Result<String, AppError> {
        self.manager()?;
        let days = range.resolve_now()?;
        Ok(format!(
            "办件导出_{}_{}.{}",
            days.from,
            days.to,
            format.extension()
        ))
    }

    /// Writes the cases of the range to the chosen file (hall manager only), reporting
    /// progress after each page; audited once written.
    #[instrument(skip_all, fields(format = ?request.format), err)]
    pub fn export_cases(
        &self,
        request: &ExportRequest,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<ExportDone, AppError> {
        let clerk = self.manager()?;
        let days = request.range.resolve_now()?;
        let path = target_path(&request.path, request.format)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".yichuang-export-")
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(write_failed)?;
        let total = self
            .lock()
            .count_cases_between(days.start, days.end)
            .map_err(store_error)?;
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        progress(ExportProgress { written: 0, total });
        let file = temp.as_file().try_clone().map_err(write_failed)?;
        let rows = match request.format {
            ExportFormat::Csv => {
                let mut sheet = CsvSheet::new(BufWriter::new(file)).map_err(write_failed)?;
                self.write_rows(&days, request.full_ids, total, &mut sheet, progress)?;
                sheet.finish().map_err(write_failed)?
            }
            ExportFormat::Xlsx => {
                let mut sheet = XlsxSheet::new().map_err(write_failed)?;
                self.write_rows(&days, request.full_ids, total, &mut sheet, progress)?;
                sheet.finish(file).map_err(write_failed)?
            }
        };
        temp.as_file().sync_all().map_err(write_failed)?;
        temp.persist(&path).map_err(|e| write_failed(e.error))?;
        let masked = if request.full_ids {
            "full_ids"
        } else {
            "masked_ids"
        };
        let what = format!(
            "{}..{} {} rows={rows} {masked}",
            days.from,
            days.to,
            request.format.extension()
        );
        self.lock()
            .audit(&clerk.login, "cases.exported", &what, "ok")
            .map_err(store_error)?;
        tracing::info!(rows, "cases exported");
        let ids = if request.full_ids {
            "含完整证件号码，请妥善保管"
        } else {
            "证件号码已隐藏部分数字"
        };
        Ok(ExportDone {
            path: path.display().to_string(),
            rows,
            message: format!("已导出 {rows} 件（{}），{ids}", days.label()),
        })
    }

    /// Reads the range a page at a time (the store lock is taken per page) into `sheet`.
    fn write_rows(
        &self,
        days: &Days,
        full_ids: bool,
        total: u32,
        sheet: &mut dyn Sheet,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<(), AppError> {
        let mut after = 0_i64;
        let mut written = 0_u32;
        loop {
            let page = self
                .lock()
                .cases_page_between(days.start, days.end, after, EXPORT_PAGE)
                .map_err(store_error)?;
            let Some((last, _)) = page.last() else {
                return Ok(());
            };
            after = *last;
            for (_, row) in &page {
                sheet.row(&cells(row, full_ids)).map_err(write_failed)?;
                written += 1;
            }
            progress(ExportProgress {
                written,
                total: total.max(written),
            });
        }
    }
}
