//! Scanned materials: checking pages, keeping them encrypted, and watching the scan folder.
//!
//! A clerk attaches pages (from a document camera, a file dialog or drag-and-drop) to the
//! lines of an intake's material checklist. This crate does everything with the files
//! themselves and nothing else (no Tauri, no SQLite):
//!
//! - [`import_file`] / [`inspect`]: refuse what is not a whole JPEG, PNG, TIFF or PDF of at
//!   most [`MAX_PAGE_BYTES`], judged by content, with a message that names the file; describe
//!   the rest as an [`ImportedPage`] (SHA-256, kind, size, pixels or PDF pages, thumbnail).
//! - [`PageVault`]: a content-addressed, deduplicated store, each file sealed with a
//!   [`Suite`] under a caller-held [`PageKey`].
//! - [`ScanFolderWatcher`]: hands over each new file in the camera's folder once it is whole.
//!
//! The station store keeps the index rows (which case uses which page) and the key.

mod envelope;
mod error;
mod inspect;
mod jpeg_markers;
mod kind;
mod pdf;
mod picture;
mod vault;
mod watcher;

pub use envelope::{PageKey, Suite};
pub use error::{Result, ScanError};
pub use inspect::{ImportedFile, ImportedPage, MAX_PAGE_BYTES, import_bytes, import_file, inspect};
pub use kind::PageKind;
pub use picture::THUMBNAIL_SIDE;
pub use vault::{PageVault, PutOutcome};
pub use watcher::{DEFAULT_SETTLE, ScanFolderWatcher, is_scan_file_name};
