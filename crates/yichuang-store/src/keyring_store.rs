//! The station's secrets in the OS keyring (Secret Service on Linux, Credential Manager on
//! Windows): the database key, and the device token the district issued at enrollment —
//! never in the database, a config file or a command line.
//!
//! keyring 4 with its default `v1` feature picks the platform store itself (the zbus Secret
//! Service store on Linux, Windows Credential Manager on Windows). Before every use we ask
//! keyring-core which store is the default and refuse any that does not keep secrets until
//! they are deleted, so a mock or in-memory store can never be chosen silently.

use keyring_core::CredentialPersistence;
use tracing::{debug, instrument};
use zeroize::Zeroizing;

use crate::{DbKey, Result, StoreError};

/// One keyring service under which station database keys are filed, one entry per database id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

impl KeyringStore {
    /// The service name the desktop app uses.
    pub const DEFAULT_SERVICE: &'static str = "yichuang-desk";

    /// A store under another service name (tests use one per test so they never collide).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, db_id: &str) -> Result<keyring::Entry> {
        self.named_entry(&format!("station-db-{db_id}"))
    }

    fn named_entry(&self, name: &str) -> Result<keyring::Entry> {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(StoreError::Keyring(clone_error(e)));
        }
        let entry = keyring::Entry::new(&self.service, name).map_err(StoreError::Keyring)?;
        let store = keyring_core::get_default_store()
            .ok_or(StoreError::Keyring(keyring::Error::NoDefaultStore))?;
        if !matches!(store.persistence(), CredentialPersistence::UntilDelete) {
            return Err(StoreError::KeyringNotPersistent {
                vendor: store.vendor(),
            });
        }
        Ok(entry)
    }

    /// The key of database `db_id`, or `None` when the keyring has no entry for it.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn get(&self, db_id: &str) -> Result<Option<DbKey>> {
        match self.entry(db_id)?.get_secret() {
            Ok(mut secret) => Ok(Some(DbKey::from_slice(&mut secret)?)),
            Err(keyring::Error::NoEntry) => {
                debug!("no keyring entry for this database");
                Ok(None)
            }
            Err(e) => Err(StoreError::Keyring(e)),
        }
    }

    /// Files `key` as the key of database `db_id`, replacing any earlier one.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn set(&self, db_id: &str, key: &DbKey) -> Result<()> {
        self.entry(db_id)?
            .set_secret(key.as_bytes())
            .map_err(StoreError::Keyring)
    }

    /// Removes the key of database `db_id`; `false` when there was none.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn delete(&self, db_id: &str) -> Result<bool> {
        match self.entry(db_id)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(StoreError::Keyring(e)),
        }
    }
}

impl KeyringStore {
    fn token_entry(&self, db_id: &str) -> Result<keyring::Entry> {
        self.named_entry(&format!("station-device-token-{db_id}"))
    }

    /// The district's device token for database `db_id`, if the station is enrolled.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn device_token(&self, db_id: &str) -> Result<Option<Zeroizing<String>>> {
        match self.token_entry(db_id)?.get_password() {
            Ok(token) => Ok(Some(Zeroizing::new(token))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(StoreError::Keyring(e)),
        }
    }

    /// Files the district's device token for database `db_id`, replacing any earlier one.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn set_device_token(&self, db_id: &str, token: &str) -> Result<()> {
        self.token_entry(db_id)?
            .set_password(token)
            .map_err(StoreError::Keyring)
    }

    /// Forgets the device token of database `db_id`; `false` when there was none.
    #[instrument(skip_all, fields(service = %self.service), err)]
    pub fn delete_device_token(&self, db_id: &str) -> Result<bool> {
        match self.token_entry(db_id)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(StoreError::Keyring(e)),
        }
    }
}

/// `keyring::Error` is not `Clone`; the one-time store status is only borrowed.
fn clone_error(e: &keyring::Error) -> keyring::Error {
    keyring::Error::Invalid("credential store".into(), e.to_string())
}
