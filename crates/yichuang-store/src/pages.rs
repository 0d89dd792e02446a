//! Scanned pages on the material lines of an intake: attach, reorder, remove, open, reuse.
//!
//! A file is checked by `yichuang-scan` and sealed into the page vault *before* the
//! database transaction (decoding a 20 MB scan must not hold the writer lock); the rows
//! then land in one IMMEDIATE transaction. A file the transaction did not end up using is
//! removed again, and a file is deleted only after the commit that dropped its last use.
//!
//! Opening a page's original is a sensitive read and writes `scan.opened` to the audit log
//! (actor: the clerk's login; target: the case number, or the intake id of a draft).
//! Thumbnails are not audited: they are 240 px previews shown on every screen that lists
//! pages, too small to read an ID number from, and auditing each one would bury the reads
//! that matter under thousands of rows a day.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use tracing::{instrument, warn};
use uuid::Uuid;
use yichuang_scan::{ImportedFile, PageVault, PutOutcome};

use crate::audit;
use crate::facade::event;
use crate::page_rows::{self, PageRef};
use crate::{Result, Store, StoreError, reference};

/// At most this many earlier pages are offered for reuse.
const REUSABLE_LIMIT: usize = 10;

impl Store {
    /// Attaches the scanned file at `path` to line `material_code` of intake `intake_id`
    /// (a draft's or a case's id), at the end of the line. The same content on the same
    /// line again returns the existing page. A refused file changes nothing.
    #[instrument(skip_all, fields(intake_id = %intake_id), err)]
    pub fn attach_page(
        &mut self,
        intake_id: Uuid,
        material_code: &str,
        path: &Path,
        clerk: &str,
    ) -> Result<PageRef> {
        let (code, clerk) = (check_code(material_code)?, check_clerk(clerk)?);
        let file = yichuang_scan::import_file(path)?;
        self.attach_imported(intake_id, code, file, clerk)
    }

    /// [`Store::attach_page`] for bytes dropped onto the window; `name` is the file name
    /// the clerk sees in messages.
    #[instrument(skip_all, fields(intake_id = %intake_id), err)]
    pub fn attach_page_bytes(
        &mut self,
        intake_id: Uuid,
        material_code: &str,
        name: &str,
        bytes: Vec<u8>,
        clerk: &str,
    ) -> Result<PageRef> {
        let (code, clerk) = (check_code(material_code)?, check_clerk(clerk)?);
        let file = yichuang_scan::import_bytes(name.to_string(), bytes)?;
        self.attach_imported(intake_id, code, file, clerk)
    }

    fn attach_imported(
        &mut self,
        intake_id: Uuid,
        code: &str,
        file: ImportedFile,
        clerk: &str,
    ) -> Result<PageRef> {
        let vault = self.page_vault()?;
        let stored = vault.put_imported(&file)?;
        let page = file.page();
        let now = Timestamp::now();
        let result = self.write(|tx| {
            page_rows::insert_page(tx, page, now)?;
            page_rows::insert_on_line(
                tx,
                intake_id,
                code,
                &page.sha256,
                &page.original_name,
                None,
                (now, clerk),
            )
            .map(|(page, _)| page)
        });
        if result.is_err() && stored == PutOutcome::Stored {
            self.remove_unused_file(&vault, &page.sha256);
        }
        result
    }

    /// The pages of an intake, by material code, then position on the line.
    pub fn pages_of(&self, intake_id: Uuid) -> Result<Vec<PageRef>> {
        page_rows::of_intake(&self.conn, intake_id)
    }

    /// Moves a page to `new_position` (from 1, clamped to the line) within its line; the
    /// other pages shift so positions stay 1, 2, 3, ...
    #[instrument(skip_all, fields(page_id, new_position), err)]
    pub fn move_page(&mut self, page_id: i64, new_position: u32) -> Result<PageRef> {
        self.write(|tx| {
            let page = page_rows::get(tx, page_id)?.ok_or(StoreError::PageNotFound { page_id })?;
            let on_line = page_rows::line_len(tx, page.intake_id, &page.material_code)?;
            let to = new_position.clamp(1, on_line.max(1));
            let from = page.position;
            let line = "intake_id = ?1 AND material_code = ?2";
            let (shift, low, high) = if to < from {
                ("+ 1", to, from - 1)
            } else {
                ("- 1", from + 1, to)
            };
            tx.execute(
                &format!(
                    "UPDATE intake_pages SET position = position {shift}
                     WHERE {line} AND position BETWEEN ?3 AND ?4"
                ),
                params![page.intake_id.to_string(), page.material_code, low, high],
            )?;
            tx.execute(
                "UPDATE intake_pages SET position = ?2 WHERE id = ?1",
                params![page_id, to],
            )?;
            page_rows::get(tx, page_id)?.ok_or(StoreError::PageNotFound { page_id })
        })
    }

    /// Takes a page off its line (the pages after it move up). Its file is deleted only
    /// once no intake uses it any more. `false` when there was no such page.
    #[instrument(skip_all, fields(page_id), err)]
    pub fn remove_page(&mut self, page_id: i64) -> Result<bool> {
        let removed = self.write(|tx| {
            let Some(page) = page_rows::get(tx, page_id)? else {
                return Ok(None);
            };
            tx.execute("DELETE FROM intake_pages WHERE id = ?1", [page_id])?;
            tx.execute(
                "UPDATE intake_pages SET position = position - 1
                 WHERE intake_id = ?1 AND material_code = ?2 AND position > ?3",
                params![
                    page.intake_id.to_string(),
                    page.material_code,
                    page.position
                ],
            )?;
            let unused = tx.execute(
                "DELETE FROM pages WHERE sha256 = ?1
                 AND NOT EXISTS (SELECT 1 FROM intake_pages WHERE sha256 = ?1)",
                [&page.sha256],
            )? == 1;
            Ok(Some((page.sha256, unused)))
        })?;
        match removed {
            None => Ok(false),
            Some((sha, unused)) => {
                if unused {
                    self.remove_unused_file(&self.page_vault()?, &sha);
                }
                Ok(true)
            }
        }
    }

    /// The decrypted original of a page, for viewing or printing. Audited as `scan.opened`
    /// with the clerk's login and the case number (or intake id), whatever the result.
    #[instrument(skip_all, fields(page_id), err)]
    pub fn page_image(&mut self, page_id: i64, clerk: &str) -> Result<Vec<u8>> {
        let clerk = check_clerk(clerk)?;
        let page =
            page_rows::get(&self.conn, page_id)?.ok_or(StoreError::PageNotFound { page_id })?;
        let target = audit_target(&self.conn, page.intake_id)?;
        let opened = self
            .page_vault()
            .and_then(|vault| Ok(vault.get(&page.sha256)?));
        let result = match &opened {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        self.write(|tx| {
            let e = event(Timestamp::now(), clerk, "scan.opened", &target, result);
            audit::append(tx, e)
        })?;
        opened
    }

    /// The page's thumbnail (a small JPEG); not audited, see the module doc.
    pub fn page_thumbnail(&self, page_id: i64) -> Result<Vec<u8>> {
        let page =
            page_rows::get(&self.conn, page_id)?.ok_or(StoreError::PageNotFound { page_id })?;
        Ok(self.page_vault()?.get_thumbnail(&page.sha256)?)
    }

    /// 减材料: pages the applicant with this document number handed in with earlier cases,
    /// on lines whose material has the name `material_name` (e.g. 居民身份证) in the current
    /// catalogue. Names, not codes, are compared: codes are per item (M01 of one item is
    /// not M01 of another). Newest case first, each page once, at most 10.
    pub fn reusable_pages(
        &self,
        applicant_id_no: &str,
        material_name: &str,
    ) -> Result<Vec<PageRef>> {
        let id_no = yichuang_core::ids::normalize_id(applicant_id_no);
        let wanted = material_name.trim();
        if id_no.is_empty() || wanted.is_empty() {
            return Ok(Vec::new());
        }
        let catalogue = reference::current_catalogue(&self.conn)?;
        let candidates = page_rows::of_applicant(&self.conn, &id_no)?;
        let mut found: Vec<PageRef> = Vec::new();
        for (item_code, page) in candidates {
            let name = catalogue
                .item(&item_code)
                .and_then(|item| item.materials.iter().find(|m| m.code == page.material_code))
                .map(|m| m.name.trim());
            if name == Some(wanted) && !found.iter().any(|p| p.sha256 == page.sha256) {
                found.push(page);
                if found.len() == REUSABLE_LIMIT {
                    break;
                }
            }
        }
        Ok(found)
    }

    /// 减材料: puts page `from_page_id` of an earlier case on line `material_code` of
    /// intake `intake_id` without a new scan (same file, `reused_from_case` set). Audited
    /// as `scan.reused`. Reusing the same page on the same line again returns that row.
    #[instrument(skip_all, fields(intake_id = %intake_id, from_page_id), err)]
    pub fn reuse_page(
        &mut self,
        intake_id: Uuid,
        material_code: &str,
        from_page_id: i64,
        clerk: &str,
    ) -> Result<PageRef> {
        let (code, clerk) = (check_code(material_code)?, check_clerk(clerk)?);
        let not_found = StoreError::PageNotFound {
            page_id: from_page_id,
        };
        let source = page_rows::get(&self.conn, from_page_id)?.ok_or(not_found)?;
        if !self.page_vault()?.contains(&source.sha256)? {
            return Err(yichuang_scan::ScanError::PageMissing {
                sha_prefix: source.sha256[..12].to_string(),
            }
            .into());
        }
        let now = Timestamp::now();
        self.write(|tx| {
            if case_no_of(tx, source.intake_id)?.is_none() {
                return Err(StoreError::InvalidInput(
                    "只能复用已办理办件中的材料页".into(),
                ));
            }
            let (page, added) = page_rows::insert_on_line(
                tx,
                intake_id,
                code,
                &source.sha256,
                &source.original_name,
                Some(source.intake_id),
                (now, clerk),
            )?;
            if added {
                let target = audit_target(tx, intake_id)?;
                audit::append(tx, event(now, clerk, "scan.reused", &target, "ok"))?;
            }
            Ok(page)
        })
    }

    /// Deletes a vault file whose `pages` row is gone; a failure only leaves an unused file.
    fn remove_unused_file(&self, vault: &PageVault, sha: &str) {
        let still_used = self
            .conn
            .query_row("SELECT 1 FROM pages WHERE sha256 = ?1", [sha], |_| Ok(()))
            .optional();
        match still_used {
            Ok(None) => {
                if let Err(e) = vault.remove(sha) {
                    warn!(kind = e.kind(), "an unused page file could not be removed");
                }
            }
            Ok(Some(())) => {}
            Err(e) => warn!(error = %e, "could not check whether a page file is still used"),
        }
    }
}

fn check_code(code: &str) -> Result<&str> {
    let code = code.trim();
    if code.is_empty() || code.chars().count() > 64 {
        return Err(StoreError::InvalidInput(
            "材料编码为空或过长，请刷新材料清单后重试".into(),
        ));
    }
    Ok(code)
}

fn check_clerk(clerk: &str) -> Result<&str> {
    let clerk = clerk.trim();
    if clerk.is_empty() {
        return Err(StoreError::InvalidInput(
            "缺少经办人账号，请重新登录后重试".into(),
        ));
    }
    Ok(clerk)
}

fn case_no_of(conn: &Connection, intake_id: Uuid) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT case_no FROM cases WHERE id = ?1",
            [intake_id.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

/// The case number once the intake is a case, else the intake id: never a name.
fn audit_target(conn: &Connection, intake_id: Uuid) -> Result<String> {
    Ok(case_no_of(conn, intake_id)?.unwrap_or_else(|| intake_id.to_string()))
}
