//! Undoing a provisioning that could not be finished: the database file, its recovery copy
//! and its keyring entries go, so a second attempt starts clean and no half station is left
//! that nobody can log into. Only for a station that never held a case.

use std::fs;

use tracing::{instrument, warn};

use crate::{Result, Store, StoreError};

impl Store {
    /// Removes this just-provisioned station entirely. Refuses once it holds a case.
    #[instrument(skip_all, err)]
    pub fn discard_new_station(self) -> Result<()> {
        let cases: i64 = self
            .conn
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
        if cases > 0 {
            return Err(StoreError::InvalidInput(
                "站点已有办件，不能撤销初始化".into(),
            ));
        }
        let Store {
            conn,
            paths,
            db_id,
            keyring,
            ..
        } = self;
        drop(conn);
        let db = paths.db_path();
        for path in [
            db.clone(),
            format!("{}-wal", db.display()).into(),
            format!("{}-shm", db.display()).into(),
            paths.recovery_path(),
        ] {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(path, e)),
            }
        }
        keyring.delete(&db_id)?;
        keyring.delete_device_token(&db_id)?;
        warn!("an unfinished provisioning was undone");
        Ok(())
    }
}
