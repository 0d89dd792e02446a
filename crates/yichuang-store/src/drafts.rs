//! Unfinished intakes, saved as the clerk types so that a crash, a power cut or a clerk
//! switch loses nothing. The form is stored as the window sent it; only 受理 validates it.
//!
//! A draft is its clerk's own: every draft operation (save, discard, decide, correction,
//! attaching scans) goes through [`foreign`] here, and another clerk's draft id answers as
//! if it did not exist, so knowing an id neither reveals nor touches a colleague's work.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, StoreError};

/// A saved draft: the id its case will carry, who started it and the form as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    pub id: Uuid,
    pub clerk: String,
    pub item_code: String,
    pub form_json: String,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The one owner check: true when `id` is a draft that another clerk started.
pub(crate) fn foreign(conn: &Connection, id: Uuid, clerk: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT clerk <> ?2 FROM intake_drafts WHERE id = ?1")?
        .query_row(params![id.to_string(), clerk], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// Refuses an intake id that is another clerk's draft, with the words a missing one gets.
pub(crate) fn refuse_foreign(conn: &Connection, id: Uuid, clerk: &str) -> Result<()> {
    if foreign(conn, id, clerk)? {
        return Err(StoreError::InvalidInput(
            "找不到该受理单（可能已被放弃），请重新开始受理".into(),
        ));
    }
    Ok(())
}

/// Saves the form; the first save starts the draft. A draft already belonging to another
/// clerk is left alone and `false` returned.
pub(crate) fn save(
    tx: &Transaction<'_>,
    id: Uuid,
    clerk: &str,
    item_code: &str,
    form_json: &str,
    now: Timestamp,
) -> Result<bool> {
    if foreign(tx, id, clerk)? {
        return Ok(false);
    }
    let changed = tx
        .prepare_cached(
            "INSERT INTO intake_drafts (id, clerk, item_code, form_json, started_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (id) DO UPDATE SET item_code = excluded.item_code,
             form_json = excluded.form_json, updated_at = excluded.updated_at
         WHERE intake_drafts.clerk = excluded.clerk",
        )?
        .execute(params![
            id.to_string(),
            clerk,
            item_code,
            form_json,
            ts_to_sql(now)
        ])?;
    Ok(changed == 1)
}

/// Removes `clerk`'s draft `id`; another clerk's is left alone and `false` returned.
pub(crate) fn remove(tx: &Transaction<'_>, id: Uuid, clerk: &str) -> Result<bool> {
    if foreign(tx, id, clerk)? {
        return Ok(false);
    }
    Ok(tx
        .prepare_cached("DELETE FROM intake_drafts WHERE id = ?1")?
        .execute([id.to_string()])?
        == 1)
}

type RawDraft = (String, String, String, String, String, String);

fn decode(raw: RawDraft) -> Result<DraftRecord> {
    let (id, clerk, item_code, form_json, started, updated) = raw;
    Ok(DraftRecord {
        id: Uuid::parse_str(&id)
            .map_err(|_| crate::StoreError::Corrupt("草稿标识无法解析".into()))?,
        clerk,
        item_code,
        form_json,
        started_at: ts_from_sql(&started)?,
        updated_at: ts_from_sql(&updated)?,
    })
}

const SELECT: &str =
    "SELECT id, clerk, item_code, form_json, started_at, updated_at FROM intake_drafts";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawDraft> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

pub(crate) fn get(conn: &Connection, id: Uuid) -> Result<Option<DraftRecord>> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id.to_string()], row)
        .optional()?
        .map(decode)
        .transpose()
}

/// `clerk`'s draft `id`; another clerk's answers `None`, as a missing one does.
pub(crate) fn own(conn: &Connection, id: Uuid, clerk: &str) -> Result<Option<DraftRecord>> {
    if foreign(conn, id, clerk)? {
        return Ok(None);
    }
    get(conn, id)
}

/// A clerk's drafts, most recently touched first.
pub(crate) fn of_clerk(conn: &Connection, clerk: &str) -> Result<Vec<DraftRecord>> {
    conn.prepare(&format!(
        "{SELECT} WHERE clerk = ?1 ORDER BY updated_at DESC"
    ))?
    .query_map([clerk], row)?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(decode)
    .collect()
}

impl crate::Store {
    /// Whether intake `id` is a draft another clerk started: [`foreign`], for the station's
    /// page screens (an intake's pages are listed only to its own clerk while it is a draft).
    pub fn is_foreign_draft(&self, id: Uuid, clerk: &str) -> Result<bool> {
        foreign(&self.conn, id, clerk)
    }

    /// Whether page `page_id` lies on another clerk's draft (moving, removing or opening it
    /// then answers as for a missing page).
    pub fn page_on_foreign_draft(&self, page_id: i64, clerk: &str) -> Result<bool> {
        match crate::page_rows::get(&self.conn, page_id)? {
            Some(page) => foreign(&self.conn, page.intake_id, clerk),
            None => Ok(false),
        }
    }
}
