//! The `pages` and `intake_pages` rows behind [`crate::Store`]'s page operations.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;
use yichuang_scan::ImportedPage;

use crate::timefmt::ts_to_sql;
use crate::{Result, StoreError};

/// One page on one material line of an intake (a draft's or a case's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// The row id: what `move_page`, `remove_page`, `page_image` and `reuse_page` take.
    pub id: i64,
    pub intake_id: Uuid,
    pub material_code: String,
    /// 1, 2, 3, ... within the line.
    pub position: u32,
    /// SHA-256 of the file (lower-case hex): its name in the vault.
    pub sha256: String,
    /// `jpeg`, `png`, `tiff` or `pdf` (see `yichuang_scan::PageKind::from_code`).
    pub kind: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub pdf_pages: Option<u32>,
    /// The file name it came with. May contain a citizen's name: never log it.
    pub original_name: String,
    /// 减材料: the earlier case whose page this is.
    pub reused_from_case: Option<Uuid>,
}

const SELECT: &str = "SELECT ip.id, ip.intake_id, ip.material_code, ip.position, ip.sha256, \
    p.kind, p.bytes, p.width, p.height, p.pdf_pages, ip.original_name, ip.reused_from_case \
    FROM intake_pages ip JOIN pages p ON p.sha256 = ip.sha256";

/// A row as stored, decoded outside rusqlite's closure so that errors stay ours.
struct RawRef {
    id: i64,
    intake_id: String,
    material_code: String,
    position: i64,
    sha256: String,
    kind: String,
    bytes: i64,
    dims: [Option<i64>; 3],
    original_name: String,
    reused_from_case: Option<String>,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRef> {
    raw_at(r, 0)
}

/// Reads the columns of [`SELECT`] starting at column `at`.
fn raw_at(r: &Row<'_>, at: usize) -> rusqlite::Result<RawRef> {
    Ok(RawRef {
        id: r.get(at)?,
        intake_id: r.get(at + 1)?,
        material_code: r.get(at + 2)?,
        position: r.get(at + 3)?,
        sha256: r.get(at + 4)?,
        kind: r.get(at + 5)?,
        bytes: r.get(at + 6)?,
        dims: [r.get(at + 7)?, r.get(at + 8)?, r.get(at + 9)?],
        original_name: r.get(at + 10)?,
        reused_from_case: r.get(at + 11)?,
    })
}

impl RawRef {
    fn decode(self) -> Result<PageRef> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("材料页 {} 的{what}无法解析", self.id));
        let uuid = |s: &str| Uuid::parse_str(s).map_err(|_| corrupt("办件标识"));
        let small = |v: Option<i64>| {
            v.map(u32::try_from)
                .transpose()
                .map_err(|_| corrupt("尺寸"))
        };
        let [width, height, pdf_pages] = self.dims;
        Ok(PageRef {
            id: self.id,
            intake_id: uuid(&self.intake_id)?,
            position: u32::try_from(self.position).map_err(|_| corrupt("页序"))?,
            bytes: u64::try_from(self.bytes).map_err(|_| corrupt("大小"))?,
            width: small(width)?,
            height: small(height)?,
            pdf_pages: small(pdf_pages)?,
            reused_from_case: self.reused_from_case.as_deref().map(uuid).transpose()?,
            material_code: self.material_code,
            sha256: self.sha256,
            kind: self.kind,
            original_name: self.original_name,
        })
    }
}

fn collect(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<PageRef>> {
    conn.prepare_cached(sql)?
        .query_map(params, raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(RawRef::decode)
        .collect()
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<PageRef>> {
    conn.query_row(&format!("{SELECT} WHERE ip.id = ?1"), [id], raw)
        .optional()?
        .map(RawRef::decode)
        .transpose()
}

pub(crate) fn of_intake(conn: &Connection, intake_id: Uuid) -> Result<Vec<PageRef>> {
    collect(
        conn,
        &format!("{SELECT} WHERE ip.intake_id = ?1 ORDER BY ip.material_code, ip.position"),
        [intake_id.to_string()],
    )
}

/// The pages of many intakes in one statement (ids as a JSON array), in intake, line and
/// page order: the sync asks for a whole round's cases at once.
pub(crate) fn of_intakes(conn: &Connection, intake_ids: &[Uuid]) -> Result<Vec<PageRef>> {
    let ids = serde_json::to_string(intake_ids)
        .map_err(|e| StoreError::Corrupt(format!("办件标识无法编码（{e}）")))?;
    collect(
        conn,
        &format!(
            "{SELECT} WHERE ip.intake_id IN (SELECT value FROM json_each(?1))
             ORDER BY ip.intake_id, ip.material_code, ip.position"
        ),
        [ids],
    )
}

/// Pages on the cases of an applicant, with each case's item code, newest case first
/// (bounded: a returning applicant has a handful of cases, not hundreds). Cases with their
/// search keys written are found through the ID index, the few others directly (0010).
pub(crate) fn of_applicant(conn: &Connection, id_no: &str) -> Result<Vec<(String, PageRef)>> {
    let rows = conn
        .prepare_cached(&of_applicant_sql())?
        .query_map([id_no], |r| Ok((r.get::<_, String>(0)?, raw_at(r, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(item, r)| Ok((item, r.decode()?)))
        .collect()
}

fn of_applicant_sql() -> String {
    format!(
        "SELECT c.item_code, q.* FROM cases c JOIN ({SELECT}) q ON q.intake_id = c.id
         WHERE c.rowid IN (
             SELECT rowid FROM cases WHERE substr(applicant_id_no, -4) = substr(?1, -4)
                 AND applicant_id_no = ?1 AND search_pending IS NULL
             UNION ALL
             SELECT rowid FROM cases WHERE applicant_id_no = ?1 AND search_pending IS NOT NULL)
         ORDER BY c.accepted_at DESC, c.rowid DESC, q.material_code, q.position LIMIT 500"
    )
}

/// How many pages the line holds.
pub(crate) fn line_len(conn: &Connection, intake_id: Uuid, code: &str) -> Result<u32> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM intake_pages WHERE intake_id = ?1 AND material_code = ?2",
        params![intake_id.to_string(), code],
        |r| r.get(0),
    )?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt("材料页数超出范围".into()))
}

/// The `pages` row of an imported file, unless the content is already known.
pub(crate) fn insert_page(tx: &Transaction<'_>, page: &ImportedPage, now: Timestamp) -> Result<()> {
    tx.execute(
        "INSERT INTO pages (sha256, kind, bytes, width, height, pdf_pages, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (sha256) DO NOTHING",
        params![
            page.sha256,
            page.kind.as_str(),
            i64::try_from(page.bytes).map_err(|_| StoreError::InvalidInput("文件过大".into()))?,
            page.width,
            page.height,
            page.pdf_pages,
            ts_to_sql(now),
        ],
    )?;
    Ok(())
}

/// Puts page `sha` at the end of the line; if the line already has it, returns that row.
/// The flag says whether a row was added.
pub(crate) fn insert_on_line(
    tx: &Transaction<'_>,
    intake_id: Uuid,
    code: &str,
    sha: &str,
    original_name: &str,
    reused_from_case: Option<Uuid>,
    (now, clerk): (Timestamp, &str),
) -> Result<(PageRef, bool)> {
    let intake = intake_id.to_string();
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM intake_pages WHERE intake_id = ?1 AND material_code = ?2 AND sha256 = ?3",
            params![intake, code, sha],
            |r| r.get(0),
        )
        .optional()?;
    let (id, added) = match existing {
        Some(id) => (id, false),
        None => {
            tx.execute(
                "INSERT INTO intake_pages (intake_id, material_code, position, sha256,
                    original_name, reused_from_case, added_at, added_by)
                 VALUES (?1, ?2, (SELECT count(*) + 1 FROM intake_pages
                                  WHERE intake_id = ?1 AND material_code = ?2),
                         ?3, ?4, ?5, ?6, ?7)",
                params![
                    intake,
                    code,
                    sha,
                    original_name,
                    reused_from_case.map(|u| u.to_string()),
                    ts_to_sql(now),
                    clerk
                ],
            )?;
            (tx.last_insert_rowid(), true)
        }
    };
    let page = get(tx, id)?.ok_or(StoreError::PageNotFound { page_id: id })?;
    Ok((page, added))
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// A returning applicant's pages are found through indexes, never a walk over every case.
    #[test]
    fn an_applicants_pages_are_read_through_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::of_applicant_sql()))
            .unwrap()
            .query_map(["11010519491231002X"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            !plan.iter().any(|l| l == "SCAN cases" || l == "SCAN c"),
            "{plan:#?}"
        );
        assert!(
            plan.iter()
                .any(|l| l.contains("cases_by_applicant_id_tail")),
            "{plan:#?}"
        );
    }
}
