//! The page vault's key, held inside the encrypted station database, and the vault's place.
//!
//! Scanned pages are sealed under their own random 32-byte key ([`PageKey`]), separate
//! from the database key so the vault's cipher suite can change on its own. Where that
//! key lives was a choice between two designs:
//!
//! - **A second OS keyring entry with a second passphrase-wrapped recovery copy.** New
//!   stations could get both at provisioning, but a station provisioned before pages
//!   existed has no passphrase at hand when it first needs the key (the passphrase is
//!   typed only at provisioning and at `recover-key`). Its key would sit in the keyring
//!   with no recovery copy, and losing the keyring would lose every scan while the cases
//!   survive, which is exactly what the recovery file exists to prevent. Two keys, two
//!   recovery mechanisms and one state where they disagree is neither honest nor simple.
//! - **In the `settings` table of the SQLCipher database (chosen).** The database is
//!   encrypted under the database key, which lives in the OS keyring with its
//!   passphrase-wrapped recovery copy; so the page key is held exactly as safely as the
//!   database key and recovered with it: `recover_key` restores the database key and the
//!   page key comes back with the database, for old and new stations alike, with no
//!   second recovery file. A backup is still three things: `station.db`, the recovery
//!   file and `pages/`. What this gives up: whoever holds the database key also holds the
//!   page key. They hold every applicant's name, ID number and phone number already, so
//!   a separate keyring entry would not raise the bar for them.
//!
//! The key is made by the 0004 migration step in the step's own transaction: at
//! provisioning (which migrates the new file) and at the first open of an older station
//! by this build. Either way it exists before any page can be stored, and it is never
//! replaced: a missing key is reported as corruption, never quietly made anew.

use rusqlite::{Connection, OptionalExtension, Transaction};
use yichuang_scan::{PageKey, PageVault};
use zeroize::Zeroizing;

use crate::key::random_bytes;
use crate::{Result, StationPaths, Store, StoreError, settings};

/// The settings key under which the page key is kept (hex).
const SETTING: &str = "page_key";

impl StationPaths {
    /// The encrypted, content-addressed vault of scanned pages.
    pub fn pages_dir(&self) -> std::path::PathBuf {
        self.data_dir.join("pages")
    }
}

/// The 0004 step's backfill: files a fresh random page key unless one is already there.
pub(crate) fn backfill_page_key(tx: &Transaction<'_>) -> Result<()> {
    if read_hex(tx)?.is_none() {
        let key = Zeroizing::new(random_bytes::<32>()?);
        let hex = Zeroizing::new(hex::encode(key.as_slice()));
        settings::put(tx, SETTING, &hex)?;
    }
    Ok(())
}

fn read_hex(conn: &Connection) -> Result<Option<Zeroizing<String>>> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [SETTING],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .map(Zeroizing::new))
}

/// The station's page key.
pub(crate) fn read(conn: &Connection) -> Result<PageKey> {
    let hex = read_hex(conn)?.ok_or_else(|| StoreError::Corrupt("站点设置缺少页面密钥".into()))?;
    let bytes = Zeroizing::new(
        hex::decode(hex.as_str())
            .map_err(|_| StoreError::Corrupt("页面密钥不是有效的十六进制".into()))?,
    );
    Ok(PageKey::from_slice(&bytes)?)
}

impl Store {
    /// The page vault in `<data_dir>/pages/`, opened with the key from the database.
    pub(crate) fn page_vault(&self) -> Result<PageVault> {
        Ok(PageVault::open(self.paths.pages_dir(), read(&self.conn)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::{migrate, migrate_to};

    #[test]
    fn the_upgrade_files_one_key_and_never_replaces_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 3).unwrap();
        assert!(read_hex(&conn).unwrap().is_none());
        assert!(matches!(read(&conn), Err(StoreError::Corrupt(_))));
        migrate(&mut conn).unwrap();
        let first = read(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        backfill_page_key(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(read(&conn).unwrap().as_bytes(), first.as_bytes());
        assert_ne!(first.as_bytes(), &[0u8; 32]);
    }

    #[test]
    fn two_stations_get_different_keys() {
        let key = || {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate(&mut conn).unwrap();
            *read(&conn).unwrap().as_bytes()
        };
        assert_ne!(key(), key());
    }
}
