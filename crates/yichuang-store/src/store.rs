//! The Store facade's life cycle: provisioning a station, opening it, restoring a lost key.
//!
//! Rules: only provisioning creates a database file, and only when neither a database nor a
//! recovery file exists; opening never creates one, so a missing keyring entry stops the
//! app with [`StoreError::KeyMissing`] instead of starting an empty station over the old one.

use std::fs;

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use tracing::{info, instrument, warn};
use yichuang_core::StationCode;
use zeroize::Zeroize;

use crate::audit::{self, AuditEvent};
use crate::db::{self, Create};
use crate::paths::database_id_of;
use crate::recovery::{RecoveryFile, check_passphrase};
use crate::reference::CatalogueCache;
use crate::{
    DbKey, KeyringStore, Result, StationPaths, StationSettings, StoreError, migrations, settings,
};

/// What the hall manager enters when a station is set up.
#[derive(Clone)]
pub struct ProvisionInput {
    pub station_code: StationCode,
    pub station_name: String,
    /// Counter (window) number, 1..=99.
    pub counter: u8,
    pub region_code: String,
    pub district_url: String,
    /// The device token when the district gave one directly (the demo, tests); empty when
    /// the station will enroll with a one-time code. Kept only in the OS keyring.
    pub district_token: String,
    pub evaluation_base_url: String,
    /// Wraps the recovery copy of the database key; at least 8 characters.
    pub recovery_passphrase: String,
}

impl std::fmt::Debug for ProvisionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvisionInput")
            .field("station_code", &self.station_code)
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// The open station database: the one writer of this station's data.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) paths: StationPaths,
    pub(crate) db_id: String,
    /// Where this station's secrets are kept (the database key, the device token).
    pub(crate) keyring: KeyringStore,
    /// The catalogue as last parsed, for decisions (one parse per import).
    pub(crate) catalogues: CatalogueCache,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Sets up a new station: a random database key in the keyring, its recovery copy
    /// wrapped under the passphrase beside the database, the schema, the settings and a
    /// random evaluation key. Refuses if a database or recovery file already exists.
    #[instrument(skip_all, fields(station = %input.station_code.as_str()), err)]
    pub fn provision(
        paths: &StationPaths,
        keyring: &KeyringStore,
        input: ProvisionInput,
    ) -> Result<Store> {
        check_input(&input)?;
        for existing in [paths.db_path(), paths.recovery_path()] {
            if existing.exists() {
                return Err(StoreError::AlreadyProvisioned { path: existing });
            }
        }
        fs::create_dir_all(&paths.data_dir).map_err(|e| StoreError::io(&paths.data_dir, e))?;
        let key = DbKey::generate()?;
        let building = paths.provisioning_path();
        remove_leftover(&building)?;
        let result = build(paths, keyring, &key, &input);
        let mut input = input;
        input.recovery_passphrase.zeroize();
        if result.is_err() {
            let _ = fs::remove_file(&building);
            if !paths.db_path().exists() {
                let _ = fs::remove_file(paths.recovery_path());
            }
        }
        result?;
        info!("station provisioned");
        let store = Store::open(paths, keyring)?;
        let token = input.district_token.trim();
        if !token.is_empty() {
            keyring.set_device_token(&store.db_id, token)?;
        }
        Ok(store)
    }

    /// Opens the station. Never creates a database: no file is
    /// [`StoreError::NotProvisioned`], no keyring entry is [`StoreError::KeyMissing`].
    #[instrument(skip_all, err)]
    pub fn open(paths: &StationPaths, keyring: &KeyringStore) -> Result<Store> {
        let path = paths.db_path();
        let db_id = database_id_of(&path)?;
        let key = keyring.get(&db_id)?.ok_or(StoreError::KeyMissing)?;
        let mut conn = db::open_keyed(&path, &key, Create::No)?;
        drop(key);
        migrations::refuse_newer(&conn)?;
        db::configure(&conn)?;
        migrations::migrate(&mut conn)?;
        let mut store = Store {
            conn,
            paths: paths.clone(),
            db_id,
            keyring: keyring.clone(),
            catalogues: CatalogueCache::default(),
        };
        crate::device_token::move_out_of_database(&mut store)?;
        Ok(store)
    }

    /// The database id naming this station's key in the keyring.
    pub fn database_id(&self) -> &str {
        &self.db_id
    }

    pub fn paths(&self) -> &StationPaths {
        &self.paths
    }

    /// The one writer's connection, for a benchmark's baseline writes beside the store's
    /// own (a second connection's commits would empty this one's page cache in WAL mode).
    #[cfg(feature = "bench")]
    pub fn bench_connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one IMMEDIATE transaction and commits it: the facade owns commits.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// [`Store::write`] with the parsed catalogue at hand (see [`CatalogueCache`]).
    pub(crate) fn write_with_catalogue<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &mut CatalogueCache) -> Result<T>,
    ) -> Result<T> {
        let mut catalogues = std::mem::take(&mut self.catalogues);
        let value = self.write(|tx| f(tx, &mut catalogues));
        self.catalogues = catalogues;
        value
    }
}

/// Puts the database key back into the keyring from the recovery copy, after proving that
/// it opens this database. A wrong passphrase is [`StoreError::WrongPassphrase`].
#[instrument(skip_all, err)]
pub fn recover_key(paths: &StationPaths, keyring: &KeyringStore, passphrase: &str) -> Result<()> {
    let path = paths.db_path();
    let db_id = database_id_of(&path)?;
    let file = RecoveryFile::read(&paths.recovery_path())?;
    if file.key_id != db_id {
        return Err(StoreError::RecoveryMismatch);
    }
    let key = file.unwrap_key(passphrase)?;
    let conn = db::open_keyed(&path, &key, Create::No).map_err(|e| match e {
        StoreError::WrongKey => StoreError::RecoveryMismatch,
        other => other,
    })?;
    drop(conn);
    keyring.set(&db_id, &key)?;
    info!("database key restored into the keyring");
    match Store::open(paths, keyring) {
        Ok(mut store) => {
            store.audit("recover-key", "key.recovered", &db_id, "ok")?;
            Ok(())
        }
        Err(e) => {
            warn!(
                kind = e.kind(),
                "key restored, but the station does not open yet"
            );
            Err(e)
        }
    }
}

fn check_input(input: &ProvisionInput) -> Result<()> {
    check_passphrase(&input.recovery_passphrase)?;
    if !(1..=99).contains(&input.counter) {
        return Err(StoreError::InvalidInput("窗口号须在 1 至 99 之间".into()));
    }
    let name_chars = input.station_name.trim().chars().count();
    if name_chars == 0 || name_chars > 100 {
        return Err(StoreError::InvalidInput(
            "请填写站点名称（最多 100 个字）".into(),
        ));
    }
    Ok(())
}

/// Removes a half-built database left by an interrupted provisioning (it never held cases).
fn remove_leftover(building: &std::path::Path) -> Result<()> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", building.display()));
        match fs::remove_file(&p) {
            Ok(()) => warn!("removed a half-built database from an interrupted provisioning"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(p, e)),
        }
    }
    Ok(())
}

/// Builds the database under a temporary name, writes the recovery copy, files the key in
/// the keyring, then moves the database into place: a crash at any point leaves either
/// no station or a complete one whose key is recoverable.
fn build(
    paths: &StationPaths,
    keyring: &KeyringStore,
    key: &DbKey,
    input: &ProvisionInput,
) -> Result<()> {
    let building = paths.provisioning_path();
    let mut conn = db::open_keyed(&building, key, Create::Yes)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrations::migrate(&mut conn)?;
    let settings = StationSettings {
        station_code: input.station_code.clone(),
        station_name: input.station_name.trim().to_string(),
        counter: input.counter,
        region_code: input.region_code.trim().to_string(),
        district_url: input.district_url.trim().to_string(),
        evaluation_base_url: input.evaluation_base_url.trim().to_string(),
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    settings::write_all(&tx, &settings)?;
    let event = AuditEvent {
        at: Timestamp::now(),
        actor: "provision",
        event: "station.provisioned",
        target: input.station_code.as_str(),
        result: "ok",
    };
    audit::append(&tx, event)?;
    tx.commit()?;
    drop(conn);

    let db_id = database_id_of(&building)?;
    RecoveryFile::wrap(key, &db_id, &input.recovery_passphrase)?.write(&paths.recovery_path())?;
    keyring.set(&db_id, key)?;
    fs::rename(&building, paths.db_path()).map_err(|e| StoreError::io(paths.db_path(), e))?;
    crate::fsutil::sync_dir(&paths.db_path()).map_err(|e| StoreError::io(&paths.data_dir, e))?;
    Ok(())
}
