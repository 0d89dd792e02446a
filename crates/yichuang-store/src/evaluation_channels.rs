//! The channel code of a rating tapped on the customer-facing screen (`evaluation.channel.pad`):
//! a station setting, because which code means 大厅评价器/平板 differs by province (DESIGN.md §4:
//! channel mappings are configuration). Unset means `pad`. The same for the QR code printed on
//! the papers (`evaluation.channel.qr`, unset means `qr`).

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::instrument;
use yichuang_core::evaluation::check_text;

use crate::facade::event;
use crate::{Result, Store, StoreError, audit, settings};

const KEY: &str = "evaluation.channel.pad";
const QR_KEY: &str = "evaluation.channel.qr";

/// The customer screen's channel code when none is configured.
pub const DEFAULT_PAD_CHANNEL: &str = "pad";
/// The paper QR code's channel code when none is configured.
pub const DEFAULT_QR_CHANNEL: &str = "qr";

impl Store {
    /// The channel code a rating from the customer-facing screen is recorded with.
    pub fn pad_channel(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_PAD_CHANNEL.to_string()))
    }

    /// Sets the customer screen's channel code (empty = back to `pad`). Audited as
    /// `settings.pad_channel_changed` with the code.
    #[instrument(skip_all, err)]
    pub fn set_pad_channel(&mut self, code: &str, clerk: &str) -> Result<()> {
        let code = code.trim();
        if !code.is_empty() {
            check_text(None, code).map_err(StoreError::InvalidInput)?;
        }
        let target = format!("{KEY}={code}");
        self.write(|tx| {
            settings::put(tx, KEY, code)?;
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    clerk.trim(),
                    "settings.pad_channel_changed",
                    &target,
                    "ok",
                ),
            )
        })
    }
}

impl Store {
    /// The channel code printed in the papers' evaluation QR codes.
    pub fn qr_channel(&self) -> Result<String> {
        Ok(settings::get(&self.conn, QR_KEY)?.unwrap_or_else(|| DEFAULT_QR_CHANNEL.to_string()))
    }

    /// Sets the papers' QR channel code (empty = back to `qr`). Audited as
    /// `settings.qr_channel_changed` with the code.
    #[instrument(skip_all, err)]
    pub fn set_qr_channel(&mut self, code: &str, clerk: &str) -> Result<()> {
        let code = code.trim();
        if !code.is_empty() {
            check_text(None, code).map_err(StoreError::InvalidInput)?;
        }
        let target = format!("{QR_KEY}={code}");
        self.write(|tx| {
            settings::put(tx, QR_KEY, code)?;
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    clerk.trim(),
                    "settings.qr_channel_changed",
                    &target,
                    "ok",
                ),
            )
        })
    }
}
