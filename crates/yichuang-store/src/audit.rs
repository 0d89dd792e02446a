//! The audit log (等保 audit records: time, actor, event, result) as a SHA-256 hash chain.
//!
//! Each row's hash covers its id, fields and the previous row's hash, so changing or
//! removing a row inside the chain is detected by [`verify_chain`]. Cutting rows off the
//! end is not detectable from the file alone (that needs the head hash kept elsewhere,
//! e.g. at the district). Targets are case numbers or ids, never personal data.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::timefmt::ts_to_sql;
use crate::{Result, StoreError};

/// The `prev_hash` of the first row.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record as written by the facade.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuditEvent<'a> {
    pub at: Timestamp,
    pub actor: &'a str,
    pub event: &'a str,
    pub target: &'a str,
    pub result: &'a str,
}

fn row_hash(id: i64, at: &str, fields: [&str; 4], prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"yichuang-audit-v1");
    h.update(id.to_be_bytes());
    // Length-prefixed so that no two different rows encode the same way.
    for part in [at, fields[0], fields[1], fields[2], fields[3], prev_hash] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one record to the chain.
pub(crate) fn append(tx: &Transaction<'_>, e: AuditEvent<'_>) -> Result<()> {
    Chain::head(tx)?.append(tx, e)
}

/// The end of the chain, kept while one transaction appends many records (a sync batch),
/// so each append does not read the last row again.
pub(crate) struct Chain {
    next_id: i64,
    prev_hash: String,
}

impl Chain {
    /// The chain's current end, as this transaction sees it.
    pub(crate) fn head(tx: &Transaction<'_>) -> Result<Self> {
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match last {
            Some((id, hash)) => Self {
                next_id: id + 1,
                prev_hash: hash,
            },
            None => Self {
                next_id: 1,
                prev_hash: GENESIS.to_string(),
            },
        })
    }

    /// Appends `e` after the head; only this `Chain` may append in this transaction.
    pub(crate) fn append(&mut self, tx: &Transaction<'_>, e: AuditEvent<'_>) -> Result<()> {
        let id = self.next_id;
        let at = ts_to_sql(e.at);
        let hash = row_hash(
            id,
            &at,
            [e.actor, e.event, e.target, e.result],
            &self.prev_hash,
        );
        tx.prepare_cached(
            "INSERT INTO audit_log (id, at, actor, event, target, result, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            at,
            e.actor,
            e.event,
            e.target,
            e.result,
            self.prev_hash,
            hash
        ])?;
        self.next_id = id + 1;
        self.prev_hash = hash;
        Ok(())
    }
}

/// Walks the whole chain; the first broken row is reported. Returns the number of rows.
pub(crate) fn verify_chain(conn: &Connection) -> Result<u64> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, event, target, result, prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_id = 1;
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text = |i: usize| r.get::<_, String>(i);
        let (at, actor, event, target, result) = (text(1)?, text(2)?, text(3)?, text(4)?, text(5)?);
        let (prev_hash, hash) = (text(6)?, text(7)?);
        if id != expected_id || prev_hash != prev {
            return Err(StoreError::AuditTampered { id: expected_id });
        }
        if row_hash(id, &at, [&actor, &event, &target, &result], &prev_hash) != hash {
            return Err(StoreError::AuditTampered { id });
        }
        prev = hash;
        expected_id += 1;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::migrations::migrate(&mut conn).unwrap();
        conn
    }

    fn add(conn: &mut Connection, event: &str) {
        let tx = conn.transaction().unwrap();
        let at = "2026-11-27T01:00:00Z".parse().unwrap();
        let e = AuditEvent {
            at,
            actor: "clerk1",
            event,
            target: "L440111001-01-20261127-0001",
            result: "ok",
        };
        append(&tx, e).unwrap();
        tx.commit().unwrap();
    }

    #[test]
    fn detects_edited_and_removed_rows() {
        let mut conn = db();
        for e in ["a", "b", "c", "d"] {
            add(&mut conn, e);
        }
        assert_eq!(verify_chain(&conn).unwrap(), 4);

        conn.execute("UPDATE audit_log SET result = 'fail' WHERE id = 2", [])
            .unwrap();
        assert!(matches!(
            verify_chain(&conn),
            Err(StoreError::AuditTampered { id: 2 })
        ));
        conn.execute("UPDATE audit_log SET result = 'ok' WHERE id = 2", [])
            .unwrap();
        assert_eq!(verify_chain(&conn).unwrap(), 4);

        conn.execute("DELETE FROM audit_log WHERE id = 3", [])
            .unwrap();
        assert!(matches!(
            verify_chain(&conn),
            Err(StoreError::AuditTampered { id: 3 })
        ));
    }

    #[test]
    fn fields_cannot_be_shifted_between_columns() {
        assert_ne!(
            row_hash(1, "t", ["ab", "c", "d", "e"], GENESIS),
            row_hash(1, "t", ["a", "bc", "d", "e"], GENESIS)
        );
    }
}
