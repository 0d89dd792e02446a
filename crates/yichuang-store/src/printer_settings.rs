//! Which printer each paper goes to: a printer per slip kind (`printer.kind.<code>`, chosen by
//! the hall manager in the settings), else the paper's (`printer.a4`, `printer.receipt80`,
//! remembered from the print dialog), for every clerk at this counter.

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::instrument;
use yichuang_core::{Paper, SlipKind};

use crate::facade::event;
use crate::{Result, Store, StoreError, audit, settings};

/// The settings key of a paper's printer.
fn key(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "printer.a4",
        Paper::Receipt80 => "printer.receipt80",
    }
}

/// The settings key of a slip kind's own printer.
fn kind_key(kind: SlipKind) -> String {
    format!("printer.kind.{}", kind.code())
}

fn check_name(printer: &str) -> Result<()> {
    if printer.chars().any(|c| c.is_control() || c.is_whitespace()) || printer.len() > 127 {
        return Err(StoreError::InvalidInput(
            "打印机名称无效，请从列表中选择打印机".into(),
        ));
    }
    Ok(())
}

impl Store {
    /// The printer the hall manager set for `kind` itself, or `None`.
    pub fn kind_printer(&self, kind: SlipKind) -> Result<Option<String>> {
        settings::get(&self.conn, &kind_key(kind))
    }

    /// The printer `kind` goes to: its own, else its paper's, else `None` (system default).
    pub fn printer_for_kind(&self, kind: SlipKind) -> Result<Option<String>> {
        match self.kind_printer(kind)? {
            Some(p) => Ok(Some(p)),
            None => self.printer_for(kind.paper()),
        }
    }

    /// Sets the printer of one slip kind (empty = follow its paper's printer). Audited as
    /// `settings.printer_changed` with the key and the printer's queue name.
    #[instrument(skip_all, err)]
    pub fn set_kind_printer(&mut self, kind: SlipKind, printer: &str, clerk: &str) -> Result<()> {
        let printer = printer.trim();
        check_name(printer)?;
        let key = kind_key(kind);
        let target = format!("{key}={printer}");
        self.write(|tx| {
            settings::put(tx, &key, printer)?;
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
        check_name(printer)?;
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

impl Store {
    /// Records a test page sent to `printer` for `kind` (`settings.test_print`, with the
    /// printer and the OS job, or the failure).
    pub fn record_test_print(
        &mut self,
        kind: SlipKind,
        printer: &str,
        result: &str,
        clerk: &str,
    ) -> Result<()> {
        let target = format!("{}={printer}", kind_key(kind));
        self.write(|tx| {
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    clerk.trim(),
                    "settings.test_print",
                    &target,
                    result,
                ),
            )
        })
    }
}
