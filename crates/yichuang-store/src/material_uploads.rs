//! Scanned pages on their way to the district: the pages of decided cases (never of a draft
//! the clerk may still discard) that the district does not have yet, their bytes for the
//! upload, and what became of each upload.

use jiff::Timestamp;
use rusqlite::params;
use tracing::instrument;
use uuid::Uuid;

use crate::timefmt::ts_to_sql;
use crate::{Result, Store};

/// The page files (`pages p`) still to upload: on a decided case, not yet confirmed by the
/// district and not set apart.
const WAITING: &str = "NOT EXISTS (SELECT 1 FROM material_uploads u WHERE u.sha256 = p.sha256)
    AND EXISTS (SELECT 1 FROM intake_pages ip JOIN cases c ON c.id = ip.intake_id
                WHERE ip.sha256 = p.sha256)";

/// A page file to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMaterial {
    pub sha256: String,
    pub bytes: u64,
    pub kind: String,
}

/// A page on a case's material line, as the case's record tells the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMaterial {
    pub material_code: String,
    pub position: u32,
    pub sha256: String,
    pub bytes: u64,
    pub kind: String,
}

impl Store {
    /// Page files of decided cases that have not reached the district and are not set apart,
    /// smallest first (many small ones get through before one large one), at most `limit`.
    pub fn materials_to_upload(&self, limit: usize) -> Result<Vec<PendingMaterial>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT p.sha256, p.bytes, p.kind FROM pages p WHERE {WAITING}
             ORDER BY p.bytes, p.sha256 LIMIT ?1"
        ))?;
        let rows = stmt
            .query_map([crate::cases::limit_param(limit)], |r| {
                Ok(PendingMaterial {
                    sha256: r.get(0)?,
                    bytes: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    kind: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The pages on the material lines of each of `case_ids` (cases without pages are left
    /// out), in line and page order; one statement for all.
    pub fn cases_materials(
        &self,
        case_ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, Vec<CaseMaterial>>> {
        let mut by_case: std::collections::HashMap<Uuid, Vec<CaseMaterial>> =
            std::collections::HashMap::new();
        for chunk in case_ids.chunks(10_000) {
            for p in crate::page_rows::of_intakes(&self.conn, chunk)? {
                by_case.entry(p.intake_id).or_default().push(CaseMaterial {
                    material_code: p.material_code,
                    position: p.position,
                    sha256: p.sha256,
                    bytes: p.bytes,
                    kind: p.kind,
                });
            }
        }
        Ok(by_case)
    }

    /// The bytes of a page file as scanned (decrypted from the vault), for the upload.
    pub fn material_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        Ok(self.page_vault()?.get(sha256)?)
    }

    /// The district holds these files whole (uploaded now, or it had them already); one
    /// transaction for all.
    #[instrument(skip_all, fields(files = sha256.len()), err)]
    pub fn record_materials_uploaded(&mut self, sha256: &[String], now: Timestamp) -> Result<()> {
        let at = ts_to_sql(now);
        self.write(|tx| {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO material_uploads (sha256, state, last_error, updated_at)
                 VALUES (?1, 'uploaded', NULL, ?2)
                 ON CONFLICT (sha256) DO UPDATE SET state = 'uploaded', last_error = NULL,
                     updated_at = excluded.updated_at",
            )?;
            for sha in sha256 {
                upsert.execute(params![sha, at])?;
            }
            Ok(())
        })
    }

    /// The district refused the file as not matching its hash: the station's copy is
    /// damaged. It is set apart (never deleted) so it does not block the others.
    #[instrument(skip_all, err)]
    pub fn record_material_poisoned(
        &mut self,
        sha256: &str,
        message: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO material_uploads (sha256, state, last_error, updated_at)
                 VALUES (?1, 'poisoned', ?2, ?3)
                 ON CONFLICT (sha256) DO UPDATE SET state = 'poisoned', last_error = ?2,
                     updated_at = ?3",
            )?
            .execute(params![sha256, message, ts_to_sql(now)])?;
            crate::audit::append(
                tx,
                crate::facade::event(now, "sync", "material.poisoned", sha256, "refused"),
            )
        })
    }

    /// (waiting, set apart) page files.
    pub fn material_counts(&self) -> Result<(u32, u32)> {
        let waiting: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM pages p WHERE {WAITING}"),
            [],
            |r| r.get(0),
        )?;
        let poisoned: i64 = self.conn.query_row(
            "SELECT count(*) FROM material_uploads WHERE state = 'poisoned'",
            [],
            |r| r.get(0),
        )?;
        let clamp = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok((clamp(waiting), clamp(poisoned)))
    }
}
