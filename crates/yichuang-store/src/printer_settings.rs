//! Which printer each paper goes to (`printer.a4`, `printer.receipt80`): station settings,
//! so the choice made in the print dialog is remembered for every clerk at this counter.

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::instrument;
use yichuang_core::Paper;

use crate::facade::event;
use crate::{Result, Store, StoreError, audit, settings};

/// The settings key of a paper's printer.
fn key(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "printer.a4",
        Paper::Receipt80 => "printer.receipt80",
    }
}

impl Store {
    /// The printer configured for `paper`, or `None` (the system's default is then offered).
    pub fn printer_for(&self, paper: Paper) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [key(paper)],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .filter(|v| !v.trim().is_empty()))
    }

    /// Sets the printer of `paper` (empty = none chosen). Audited as
    /// `settings.printer_changed` with the key and the printer's queue name.
    #[instrument(skip_all, err)]
    pub fn set_printer(&mut self, paper: Paper, printer: &str, clerk: &str) -> Result<()> {
        let printer = printer.trim();
        if printer.chars().any(|c| c.is_control() || c.is_whitespace()) || printer.len() > 127 {
            return Err(StoreError::InvalidInput(
                "打印机名称无效，请从列表中选择打印机".into(),
            ));
        }
        let target = format!("{}={printer}", key(paper));
        self.write(|tx| {
            settings::put(tx, key(paper), printer)?;
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    clerk.trim(),
                    "settings.printer_changed",
                    &target,
                    "ok",
                ),
            )
        })
    }
}
