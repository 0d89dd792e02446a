//! Where the document camera (高拍仪) saves its scans: one station setting, `scan_folder`.
//!
//! Unset means the station's default (`<data_dir>/scan-inbox`, decided by the caller). A
//! change is audited like the other settings; the folder's path is not personal data.

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::instrument;

use crate::facade::event;
use crate::{Result, Store, StoreError, audit, settings};

const KEY: &str = "scan_folder";

impl Store {
    /// The configured scan folder, or `None` when the station uses its default.
    pub fn scan_folder(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .filter(|v| !v.trim().is_empty()))
    }

    /// Sets the scan folder (an absolute path; empty = back to the default). Audited as
    /// `settings.scan_folder_changed` with the clerk's login.
    #[instrument(skip_all, err)]
    pub fn set_scan_folder(&mut self, folder: &str, clerk: &str) -> Result<()> {
        let folder = folder.trim();
        if !folder.is_empty() && !std::path::Path::new(folder).is_absolute() {
            return Err(StoreError::InvalidInput(
                "扫描文件夹须是完整路径（如 D:\\高拍仪 或 /home/窗口/扫描）".into(),
            ));
        }
        let clerk = clerk.trim();
        self.write(|tx| {
            settings::put(tx, KEY, folder)?;
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    clerk,
                    "settings.scan_folder_changed",
                    KEY,
                    "ok",
                ),
            )
        })
    }
}
