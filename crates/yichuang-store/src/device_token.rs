//! How the station is known to its district: the device token, kept in the OS keyring beside
//! the database key and never in the database (stations set up before that kept it in the
//! settings table; opening one moves it out once), and the district CA it may pin (public,
//! so in the settings).

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::info;
use zeroize::Zeroizing;

use crate::facade::event;
use crate::{Result, Store, audit};

impl Store {
    /// The device token the district issued to this station, if it is enrolled.
    pub fn device_token(&self) -> Result<Option<Zeroizing<String>>> {
        self.keyring.device_token(&self.db_id)
    }
}

/// Moves a token left in the settings table by an older build into the keyring, then removes
/// the row (audited). Nothing to do on a station set up by this build.
pub(crate) fn move_out_of_database(store: &mut Store) -> Result<()> {
    let old: Option<String> = store
        .conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'district_token'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(old) = old.map(Zeroizing::new) else {
        return Ok(());
    };
    if !old.trim().is_empty() && store.device_token()?.is_none() {
        store.keyring.set_device_token(&store.db_id, old.trim())?;
    }
    store.write(|tx| {
        tx.execute("DELETE FROM settings WHERE key = 'district_token'", [])?;
        audit::append(
            tx,
            event(
                Timestamp::now(),
                "system",
                "settings.token_moved_to_keyring",
                "district_token",
                "ok",
            ),
        )
    })?;
    info!("device token moved from the database into the OS keyring");
    Ok(())
}

impl Store {
    /// The district CA the station pins (PEM), if any: then only that CA is trusted.
    pub fn district_ca_pem(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'district_ca_pem'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Pins the district's CA (`Some(pem)`, checked by the caller) or goes back to the
    /// system's roots (`None`); audited with `actor`.
    pub fn set_district_ca(&mut self, pem: Option<&str>, actor: &str) -> Result<()> {
        self.write(|tx| {
            match pem {
                Some(pem) => crate::settings::put(tx, "district_ca_pem", pem.trim())?,
                None => {
                    tx.execute("DELETE FROM settings WHERE key = 'district_ca_pem'", [])?;
                }
            }
            let result = if pem.is_some() { "pinned" } else { "system" };
            audit::append(
                tx,
                event(
                    Timestamp::now(),
                    actor.trim(),
                    "settings.district_ca",
                    "district_ca",
                    result,
                ),
            )
        })
    }
}
