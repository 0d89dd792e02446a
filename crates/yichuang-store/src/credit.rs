//! The district's 信用红黑名单 kept per version, the check at intake, and the clerk's
//! acknowledgement of a 失信黑名单 hit (joint sanctions apply: the clerk must have seen it).
//!
//! Like the catalogue, every import adds a row and the current list is the last imported.
//! The list names people, so it lives only in the encrypted database; audit rows carry the
//! list version or the intake id, never a name, number or 事由.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::ids::{check_resident_id, check_uscc, normalize_id};
use yichuang_core::{CreditEntry, CreditList, CreditListKind};

use crate::audit;
use crate::facade::event;
use crate::timefmt::ts_to_sql;
use crate::{Result, Store, StoreError};

impl Store {
    /// Stores a new version of the red/black list; it becomes the current one. An empty
    /// list is allowed (the district may have nobody listed).
    #[instrument(skip_all, fields(version = %list.version, entries = list.entries.len()), err)]
    pub fn import_credit_list(&mut self, list: &CreditList) -> Result<()> {
        let version = list.version.trim();
        if version.is_empty() {
            return Err(StoreError::InvalidInput(
                "信用红黑名单缺少版本号，未导入。请重新同步或向区级系统核对。".into(),
            ));
        }
        let json = serde_json::to_string(list)
            .map_err(|e| StoreError::Corrupt(format!("信用红黑名单无法保存（{e}）")))?;
        let now = Timestamp::now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO credit_list (version, json, imported_at) VALUES (?1, ?2, ?3)",
                params![version, json, ts_to_sql(now)],
            )?;
            audit::append(
                tx,
                event(now, "system", "credit_list.imported", version, "ok"),
            )
        })
    }

    /// The current (last imported) list, if any was imported.
    pub fn credit_list(&self) -> Result<Option<CreditList>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM credit_list ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|json| {
            CreditList::from_json(&json)
                .map_err(|e| StoreError::Corrupt(format!("信用红黑名单无法解析（{e}）")))
        })
        .transpose()
    }

    /// The entry in force on `today` for this ID number or 统一社会信用代码 in the current
    /// list (a black-list entry wins over a red one); `None` when not listed or no list.
    pub fn credit_check(&self, subject_no: &str, today: Date) -> Result<Option<CreditEntry>> {
        Ok(self
            .credit_list()?
            .and_then(|list| list.check(subject_no, today).cloned()))
    }

    /// Records that `clerk` saw the 失信黑名单 `entry` for intake `intake_id` (a draft's or a
    /// case's id), audited as `credit.black_list_acknowledged`. Acknowledging the same
    /// entry for the same intake again writes nothing and returns `false`.
    #[instrument(skip_all, fields(intake_id = %intake_id), err)]
    pub fn acknowledge_black_list(
        &mut self,
        intake_id: Uuid,
        entry: &CreditEntry,
        clerk: &str,
    ) -> Result<bool> {
        if entry.kind != CreditListKind::Black {
            return Err(StoreError::InvalidInput(
                "只有失信黑名单需要确认，守信红名单无需确认".into(),
            ));
        }
        let clerk = clerk.trim();
        if clerk.is_empty() {
            return Err(StoreError::InvalidInput(
                "缺少经办人账号，请重新登录后重试".into(),
            ));
        }
        let intake = intake_id.to_string();
        let kind = subject_kind(&entry.subject_no);
        let now = Timestamp::now();
        self.write(|tx| {
            let seen = tx
                .query_row(
                    "SELECT 1 FROM credit_acknowledgements
                     WHERE intake_id = ?1 AND subject_kind = ?2 AND entry_reason = ?3",
                    params![intake, kind, entry.reason],
                    |_| Ok(()),
                )
                .optional()?;
            if seen.is_some() {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO credit_acknowledgements (intake_id, subject_kind, entry_reason, clerk, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![intake, kind, entry.reason, clerk, ts_to_sql(now)],
            )?;
            let e = event(now, clerk, "credit.black_list_acknowledged", &intake, "ok");
            audit::append(tx, e)?;
            Ok(true)
        })
    }

    /// Whether a clerk acknowledged a black-list hit for this intake.
    pub fn black_list_acknowledged(&self, intake_id: Uuid) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM credit_acknowledgements WHERE intake_id = ?1 LIMIT 1",
                [intake_id.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

/// `person` for a valid 居民身份证 number, `organisation` for a 统一社会信用代码, else `other`.
fn subject_kind(subject_no: &str) -> &'static str {
    let no = normalize_id(subject_no);
    if check_resident_id(&no).is_ok() {
        "person"
    } else if check_uscc(&no).is_ok() {
        "organisation"
    } else {
        "other"
    }
}

/// Adds `list` as the current version inside the caller's transaction (the sync engine's
/// download, which moves the list's version in the same transaction).
pub(crate) fn insert_list(
    tx: &rusqlite::Transaction<'_>,
    list: &CreditList,
    now: Timestamp,
) -> Result<()> {
    let version = list.version.trim();
    if version.is_empty() {
        return Err(StoreError::InvalidInput(
            "信用红黑名单缺少版本号，未导入。请重新同步或向区级系统核对。".into(),
        ));
    }
    let json = serde_json::to_string(list)
        .map_err(|e| StoreError::Corrupt(format!("信用红黑名单无法保存（{e}）")))?;
    tx.execute(
        "INSERT INTO credit_list (version, json, imported_at) VALUES (?1, ?2, ?3)",
        params![version, json, ts_to_sql(now)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::subject_kind;

    #[test]
    fn subjects_are_told_apart_by_their_number() {
        assert_eq!(subject_kind("440524188001010014"), "person");
        assert_eq!(subject_kind(" 11010519491231002x"), "person");
        assert_eq!(subject_kind("91310110666007217T"), "organisation");
        assert_eq!(subject_kind("H12345678"), "other");
    }
}
