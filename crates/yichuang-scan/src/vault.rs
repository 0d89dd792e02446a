//! The page vault: each page stored once, encrypted, under its SHA-256, written atomically.
//!
//! Layout: `<dir>/<first 2 hex>/<sha256 hex>` for pages and
//! `<dir>/thumbs/<first 2 hex>/<sha256 hex>` for their thumbnails, both sealed by
//! [`crate::envelope`]. A file exists under its final name only once it is complete and on
//! disk (temp file in the same directory, fsync, rename without replacing, fsync of the
//! directory), so "the file exists" means "the page is stored". The index of which case uses
//! which page is the station store's business, and so is deciding what to `remove`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::envelope::{self, PageKey, Suite};
use crate::error::{Result, ScanError};
use crate::inspect::ImportedFile;

/// What a `put` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The content was new and is now stored.
    Stored,
    /// The same content was already in the vault; nothing was written.
    AlreadyPresent,
}

/// A content-addressed, encrypted, deduplicated store of page files in one directory.
#[derive(Debug)]
pub struct PageVault {
    dir: PathBuf,
    key: PageKey,
    suite: Suite,
}

impl PageVault {
    /// Opens (creating if needed) the vault in `dir`, sealing new files with the default suite.
    pub fn open(dir: impl Into<PathBuf>, key: PageKey) -> Result<PageVault> {
        let dir = dir.into();
        fs::create_dir_all(dir.join("thumbs")).map_err(ScanError::vault_io("创建页面库文件夹"))?;
        Ok(PageVault {
            dir,
            key,
            suite: Suite::default(),
        })
    }

    /// Seals new files with `suite` (files already stored keep theirs and stay readable).
    pub fn with_suite(mut self, suite: Suite) -> PageVault {
        self.suite = suite;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores a page's bytes; returns their SHA-256 hex and whether anything was written.
    pub fn put(&self, data: &[u8]) -> Result<(String, PutOutcome)> {
        let sha = hex::encode(Sha256::digest(data));
        let outcome = self.put_page(&sha, data)?;
        Ok((sha, outcome))
    }

    /// Stores an imported page and its thumbnail, reusing the hash computed at import.
    pub fn put_imported(&self, file: &ImportedFile) -> Result<PutOutcome> {
        let page = file.page();
        let outcome = self.put_page(&page.sha256, file.data())?;
        self.put_thumbnail(&page.sha256, &page.thumbnail)?;
        Ok(outcome)
    }

    /// Decrypts a page and checks that its content still has the SHA-256 it is filed under.
    #[tracing::instrument(skip_all, fields(sha = prefix(sha)), err)]
    pub fn get(&self, sha: &str) -> Result<Vec<u8>> {
        let plain = self.read_sealed(&self.page_path(sha)?, sha, sha)?;
        if hex::encode(Sha256::digest(&plain)) != sha {
            return Err(ScanError::Integrity {
                sha_prefix: prefix(sha).to_owned(),
            });
        }
        Ok(plain)
    }

    /// Stores the thumbnail of page `sha` (encrypted like the pages).
    #[tracing::instrument(skip_all, fields(sha = prefix(sha), bytes = jpeg.len()), err)]
    pub fn put_thumbnail(&self, sha: &str, jpeg: &[u8]) -> Result<PutOutcome> {
        let path = self.thumb_path(sha)?;
        if exists(&path)? {
            return Ok(PutOutcome::AlreadyPresent);
        }
        let sealed = envelope::seal(self.suite, &self.key, &thumb_label(sha), jpeg)?;
        write_atomic(&path, &sealed)
    }

    /// The thumbnail of page `sha`.
    #[tracing::instrument(skip_all, fields(sha = prefix(sha)), err)]
    pub fn get_thumbnail(&self, sha: &str) -> Result<Vec<u8>> {
        self.read_sealed(&self.thumb_path(sha)?, sha, &thumb_label(sha))
    }

    /// Whether page `sha` is stored.
    pub fn contains(&self, sha: &str) -> Result<bool> {
        exists(&self.page_path(sha)?)
    }

    /// Deletes page `sha` and its thumbnail (garbage collection by the caller, who knows no
    /// case refers to it any more). Returns whether the page was there.
    #[tracing::instrument(skip_all, fields(sha = prefix(sha)), err)]
    pub fn remove(&self, sha: &str) -> Result<bool> {
        let page = self.page_path(sha)?;
        let thumb = self.thumb_path(sha)?;
        let existed = remove_if_present(&page)?;
        remove_if_present(&thumb)?;
        for dir in [page.parent(), thumb.parent()].into_iter().flatten() {
            sync_dir(dir)?;
        }
        Ok(existed)
    }

    #[tracing::instrument(skip_all, fields(sha = prefix(sha), bytes = data.len()), err)]
    fn put_page(&self, sha: &str, data: &[u8]) -> Result<PutOutcome> {
        let path = self.page_path(sha)?;
        if exists(&path)? {
            tracing::debug!("page already in the vault");
            return Ok(PutOutcome::AlreadyPresent);
        }
        let sealed = envelope::seal(self.suite, &self.key, sha, data)?;
        write_atomic(&path, &sealed)
    }

    fn read_sealed(&self, path: &Path, sha: &str, label: &str) -> Result<Vec<u8>> {
        let sealed = fs::read(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ScanError::PageMissing {
                sha_prefix: prefix(sha).to_owned(),
            },
            _ => ScanError::VaultIo {
                action: "读取页面",
                source: e,
            },
        })?;
        envelope::open(&self.key, label, sealed)
    }

    fn page_path(&self, sha: &str) -> Result<PathBuf> {
        check_sha(sha)?;
        Ok(self.dir.join(&sha[..2]).join(sha))
    }

    fn thumb_path(&self, sha: &str) -> Result<PathBuf> {
        check_sha(sha)?;
        Ok(self.dir.join("thumbs").join(&sha[..2]).join(sha))
    }
}

/// Writes `bytes` under `path` so that it appears whole or not at all, and stays after a crash.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<PutOutcome> {
    let dir = path.parent().ok_or(ScanError::InvalidSha)?;
    if !dir.is_dir() {
        fs::create_dir_all(dir).map_err(ScanError::vault_io("创建分片文件夹"))?;
        if let Some(up) = dir.parent() {
            sync_dir(up)?;
        }
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".put-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(ScanError::vault_io("创建临时文件"))?;
    tmp.write_all(bytes)
        .map_err(ScanError::vault_io("写入页面"))?;
    tmp.as_file()
        .sync_all()
        .map_err(ScanError::vault_io("写入磁盘"))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => {}
        // Another writer stored the same content first: same bytes, nothing to do.
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            return Ok(PutOutcome::AlreadyPresent);
        }
        Err(e) => return Err(ScanError::vault_io("保存页面")(e.error)),
    }
    sync_dir(dir)?;
    Ok(PutOutcome::Stored)
}

fn exists(path: &Path) -> Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ScanError::vault_io("查看页面")(e)),
    }
}

fn remove_if_present(path: &Path) -> Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ScanError::vault_io("删除页面")(e)),
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(ScanError::vault_io("同步文件夹"))
}

fn check_sha(sha: &str) -> Result<()> {
    let ok = sha.len() == 64 && sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if ok {
        Ok(())
    } else {
        Err(ScanError::InvalidSha)
    }
}

fn thumb_label(sha: &str) -> String {
    format!("thumb:{sha}")
}

/// The first 12 hex digits, which is all that logs and messages show.
fn prefix(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}
