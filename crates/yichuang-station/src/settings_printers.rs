//! The printers of the settings screen: a printer per slip kind (A4 papers and the 80 mm
//! receipt) chosen from the OS printers, and a test page to check one. The print dialog and
//! the print itself read the same setting (`Station::printer_of`).

use yichuang_core::time::format_minute;
use yichuang_core::{Paper, SlipKind};
use yichuang_print::{Block, Closing, PaperFrame, PrintDoc, SlipField, render_doc};

use crate::printing::print_error;
use crate::printing_cups as cups;
use crate::settings_views::{KindPrinter, PrinterSettingsView};
use crate::station::store_error;
use crate::{AppError, Station};

impl Station {
    /// Every slip kind with its printer, and the OS printers (hall manager only).
    pub fn printer_settings(&self) -> Result<PrinterSettingsView, AppError> {
        self.manager()?;
        let (printers, printers_error) = match self.printers() {
            Ok(p) => (p, None),
            Err(e) => (Vec::new(), Some(e.message)),
        };
        let default = printers.iter().find(|p| p.is_default).map(|p| &p.name);
        let store = self.lock();
        let kinds = SlipKind::ALL
            .into_iter()
            .map(|kind| {
                let own = store.kind_printer(kind).map_err(store_error)?;
                let paper = store.printer_for(kind.paper()).map_err(store_error)?;
                let effective_label = match (&own, &paper, default) {
                    (Some(p), _, _) => p.clone(),
                    (None, Some(p), _) => format!("{p}（{}通用）", kind.paper().label()),
                    (None, None, Some(d)) => format!("{d}（系统默认）"),
                    (None, None, None) => "未选择（本机没有默认打印机）".into(),
                };
                Ok(KindPrinter {
                    kind,
                    label: kind.label().into(),
                    paper: kind.paper(),
                    paper_label: kind.paper().label().into(),
                    printer: own,
                    effective_label,
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(PrinterSettingsView {
            kinds,
            printers,
            printers_error,
        })
    }

    /// Sets the printer of one slip kind (empty: follow the paper's or the default).
    pub fn set_slip_printer(
        &self,
        kind: SlipKind,
        printer: &str,
    ) -> Result<PrinterSettingsView, AppError> {
        let clerk = self.manager()?;
        self.lock()
            .set_kind_printer(kind, printer, &clerk.login)
            .map_err(store_error)?;
        self.printer_settings()
    }

    /// Sends a one-page test to `kind`'s printer (not a case's paper, never counted as a
    /// print; audited). Returns what to tell the manager.
    #[tracing::instrument(skip_all, fields(kind = kind.code()), err)]
    pub fn test_print(&self, kind: SlipKind) -> Result<String, AppError> {
        let clerk = self.manager()?;
        let printer = self.printer_of(kind)?;
        let station = self.paper_station()?;
        let field = |label: &str, value: String| SlipField {
            label: label.into(),
            value,
        };
        let doc = PrintDoc {
            title: "打印测试页".into(),
            frame: PaperFrame {
                station_name: station.settings.station_name.clone(),
                consult_phone: station.phone.clone(),
                evaluation_payload: "打印测试".into(),
                progress_payload: "打印测试".into(),
                reprint: None,
            },
            case_no: "测试页".into(),
            official_case_no: None,
            blocks: vec![Block::Fields(vec![
                field("单据", kind.label().into()),
                field("纸张", kind.paper().label().into()),
                field("打印机", printer.clone()),
                field("咨询电话", station.phone.clone()),
                field("时间", format_minute(jiff::Timestamp::now())),
            ])],
            closing: Closing {
                signatures: vec![],
                seal_caption: String::new(),
                date: String::new(),
            },
        };
        let pdf = render_doc(&doc, &self.font).map_err(print_error)?;
        let media = (kind.paper() == Paper::A4).then_some("A4");
        let sent = cups::submit(&printer, "打印测试页", media, &pdf);
        let result = match &sent {
            Ok(job) => job.clone(),
            Err(_) => "failed".into(),
        };
        self.lock()
            .record_test_print(kind, &printer, &result, &clerk.login)
            .map_err(store_error)?;
        sent.map(|_| format!("测试页已发送到打印机“{printer}”，请到打印机处查看"))
            .map_err(print_error)
    }
}
