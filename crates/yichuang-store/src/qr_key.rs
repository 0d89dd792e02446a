//! The station's evaluation-QR signing key (Ed25519): made the first time it is needed and
//! kept in the encrypted station database, so it comes back with the database key (and its
//! recovery copy); only its public half ever leaves the station, at enrollment.

use rusqlite::OptionalExtension;
use tracing::{info, instrument};
use yichuang_core::evaluation_qr::QrSigningKey;

use crate::{Result, Store, StoreError, audit, facade::event, settings};

const SETTING: &str = "qr_signing_key";

impl Store {
    /// This station's QR signing key, made (and audited) on first use.
    #[instrument(skip_all, err)]
    pub fn qr_signing_key(&mut self, actor: &str) -> Result<QrSigningKey> {
        if let Some(key) = stored(&self.conn)? {
            return Ok(key);
        }
        self.write(|tx| {
            // Another process may have made it since the read above.
            if let Some(key) = stored(tx)? {
                return Ok(key);
            }
            let key = QrSigningKey::generate().map_err(|e| StoreError::Crypto(e.to_string()))?;
            settings::put(tx, SETTING, &key.to_hex())?;
            let public = key.public_key().key_id();
            audit::append(
                tx,
                event(
                    jiff::Timestamp::now(),
                    actor,
                    "settings.qr_key_created",
                    &public,
                    "ok",
                ),
            )?;
            info!(key_id = %public, "evaluation QR signing key created");
            Ok(key)
        })
    }
}

fn stored(conn: &rusqlite::Connection) -> Result<Option<QrSigningKey>> {
    let hex: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([SETTING], |r| r.get(0))
        .optional()?;
    hex.map(|h| QrSigningKey::from_hex(&h).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}
