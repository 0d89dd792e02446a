//! The district's clock as the station last saw it (from the `Date` header of its answers):
//! kept in the settings, written onto each case when it is recorded, and read back with the
//! outbox so the district gets the offset that held when the case was taken.

use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use crate::{Result, Store, settings};

const KEY: &str = "district_clock_offset_ms";

impl Store {
    /// Notes the district's clock offset measured by the last sync round (a change under a
    /// second, the measurement's own error, is not written).
    pub fn note_clock_offset(&mut self, offset_ms: i64) -> Result<()> {
        if last(&self.conn)?.is_some_and(|old| old.abs_diff(offset_ms) < 1000) {
            return Ok(());
        }
        self.write(|tx| settings::put(tx, KEY, &offset_ms.to_string()))
    }

    /// The offset case `id` was recorded with, if the station knew one then.
    pub fn case_clock_offset(&self, id: Uuid) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT clock_offset_ms FROM cases WHERE id = ?1")?
            .query_row([id.to_string()], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    }
}

/// The last offset noted, if any.
pub(crate) fn last(conn: &Connection) -> Result<Option<i64>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([KEY], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}
