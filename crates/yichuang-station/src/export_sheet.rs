//! The two file formats of an export behind one small trait: CSV (the `csv` crate, UTF-8
//! with a byte-order mark so that Excel on a Chinese Windows reads it as UTF-8) and XLSX
//! (`rust_xlsxwriter` in constant-memory mode, every cell a string so that ID and case
//! numbers are never turned into numbers).

use std::fs::File;
use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::export::HEADERS;

pub(crate) trait Sheet {
    fn row(&mut self, cells: &[String]) -> Result<(), String>;
}

/// A cell a spreadsheet would read as a formula gets a leading apostrophe (CSV injection).
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

pub(crate) struct CsvSheet<W: Write> {
    out: csv::Writer<W>,
    rows: u32,
}

impl<W: Write> CsvSheet<W> {
    pub(crate) fn new(mut inner: W) -> Result<Self, String> {
        inner
            .write_all("\u{feff}".as_bytes())
            .map_err(|e| e.to_string())?;
        let mut out = csv::Writer::from_writer(inner);
        out.write_record(HEADERS).map_err(|e| e.to_string())?;
        Ok(CsvSheet { out, rows: 0 })
    }

    /// Flushes everything; returns the number of case rows.
    pub(crate) fn finish(mut self) -> Result<u32, String> {
        self.out.flush().map_err(|e| e.to_string())?;
        Ok(self.rows)
    }
}

impl<W: Write> Sheet for CsvSheet<W> {
    fn row(&mut self, cells: &[String]) -> Result<(), String> {
        self.out
            .write_record(cells.iter().map(|c| inert(c).into_owned()))
            .map_err(|e| e.to_string())?;
        self.rows += 1;
        Ok(())
    }
}

/// Column widths in characters, wide enough for the usual values.
const WIDTHS: [f64; 11] = [
    22.0, 22.0, 32.0, 30.0, 12.0, 22.0, 12.0, 10.0, 18.0, 14.0, 10.0,
];

pub(crate) struct XlsxSheet {
    book: Workbook,
    rows: u32,
}

fn xlsx(e: XlsxError) -> String {
    e.to_string()
}

impl XlsxSheet {
    pub(crate) fn new() -> Result<Self, String> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
        sheet.set_name("办件").map_err(xlsx)?;
        let bold = Format::new().set_bold();
        for (col, (title, width)) in HEADERS.iter().zip(WIDTHS).enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.set_column_width(col, width).map_err(xlsx)?;
            sheet
                .write_string_with_format(0, col, *title, &bold)
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        Ok(XlsxSheet { book, rows: 0 })
    }

    /// Writes the workbook into `file`; returns the number of case rows.
    pub(crate) fn finish(mut self, file: File) -> Result<u32, String> {
        self.book.save_to_writer(file).map_err(xlsx)?;
        Ok(self.rows)
    }
}

impl Sheet for XlsxSheet {
    fn row(&mut self, cells: &[String]) -> Result<(), String> {
        self.rows += 1;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            if !cell.is_empty() {
                sheet.write_string(self.rows, col, cell).map_err(xlsx)?;
            }
        }
        Ok(())
    }
}
