//! One open station: its database, slip font, logged-in clerk and sync engine.

use std::sync::{Arc, Mutex, MutexGuard};

use tracing::instrument;
use uuid::Uuid;
use yichuang_core::evaluation_qr::QrSigningKey;
use yichuang_core::{CaseQuery, Catalogue, ItemIndex, SlipKind};
use yichuang_print::SlipFont;
use yichuang_store::{KeyringStore, StationPaths, StationSettings, Store, StoreError};

use crate::search_indexer::SearchIndexer;
use crate::session::{Session, locked_error};
use crate::views::{CaseRow, ClerkInfo, Startup, StationInfo};
use crate::{AppError, ErrorKind, StationConfig, slips};

/// The slip font ships inside the binary, so a slip can always be printed, offline or not.
static SLIP_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular.otf");
/// The fallback for the Han characters the slip font lacks (Ext B–F): only its cmap is read
/// at start; its pages stay untouched until a slip needs one of its characters.
static SLIP_FALLBACK_FONT: &[u8] =
    include_bytes!("../../../assets/fonts/YichuangHanFallback-Regular.ttf");

pub struct Station {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) settings: StationSettings,
    pub(crate) font: SlipFont,
    pub(crate) session: Mutex<Session>,
    /// The current catalogue and its search keys, made once per catalogue version.
    pub(crate) items: Mutex<Option<Arc<CatalogueIndex>>>,
    /// Set when the audit chain failed its check at start: shown to every clerk.
    audit_warning: Arc<Mutex<Option<String>>>,
    /// The start's audit chain check, joined when the station is dropped: a process that
    /// ended while it still read the database crashed in SQLCipher's teardown (CI, e2e_queue).
    audit_check: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Writes the search keys of cases just saved (stopped, and joined, when dropped).
    pub(crate) indexer: SearchIndexer,
    /// The evaluation-QR signing key, read (or made) once, at the first slip.
    qr_key: Mutex<Option<Arc<QrSigningKey>>>,
}

/// A catalogue with its item search index.
pub(crate) struct CatalogueIndex {
    /// The store's id of this catalogue import.
    pub id: i64,
    pub catalogue: Catalogue,
    pub index: ItemIndex,
}

pub(crate) fn paths(config: &StationConfig) -> (StationPaths, KeyringStore) {
    (
        StationPaths {
            data_dir: config.data_dir.clone(),
        },
        KeyringStore::new(&config.keyring_service),
    )
}

impl Station {
    /// Opens the station, or tells the window what to show instead.
    pub fn startup(config: &StationConfig) -> (Option<Station>, Startup) {
        match Station::open(config) {
            Ok(station) => {
                let info = station.info();
                (Some(station), Startup::Ready { station: info })
            }
            Err(e) if e.kind == ErrorKind::NotProvisioned => (None, Startup::NeedsSetup),
            Err(error) => (None, Startup::Failed { error }),
        }
    }

    #[instrument(skip_all, err)]
    pub fn open(config: &StationConfig) -> Result<Station, AppError> {
        let (paths, keyring) = paths(config);
        let store = Store::open(&paths, &keyring).map_err(store_error)?;
        let station = Station::from_store(config, store)?;
        station.check_audit_chain_in_background(paths, keyring);
        Ok(station)
    }

    /// Walks the whole audit hash chain on a connection of its own, off the start path (on a
    /// three-year station, 1.7 M records, it takes about 2.5 s). A broken chain does not stop
    /// the counter (intake must go on), but every clerk sees it in [`Station::info`] until a
    /// hall manager has looked into it.
    fn check_audit_chain_in_background(&self, paths: StationPaths, keyring: KeyringStore) {
        let warning = self.audit_warning.clone();
        let spawned = std::thread::Builder::new()
            .name("audit-check".into())
            .spawn(move || {
                let checked = Store::open(&paths, &keyring).and_then(|s| s.verify_audit_chain());
                match checked {
                    Ok(records) => tracing::info!(records, "audit chain verified at start"),
                    Err(e) => {
                        tracing::error!(error = %e, "audit chain check failed at start");
                        *warning.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                    }
                }
            });
        match spawned {
            Ok(handle) => {
                *self.audit_check.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
            }
            Err(e) => tracing::error!(error = %e, "audit chain check could not start"),
        }
    }

    /// The keyring lost the database key: restores it from the recovery copy, then opens.
    #[instrument(skip_all, err)]
    pub fn recover(config: &StationConfig, passphrase: &str) -> Result<Station, AppError> {
        let (paths, keyring) = paths(config);
        yichuang_store::recover_key(&paths, &keyring, passphrase).map_err(store_error)?;
        Station::open(config)
    }

    pub(crate) fn from_store(config: &StationConfig, store: Store) -> Result<Station, AppError> {
        let settings = store.settings().map_err(store_error)?;
        let font = SlipFont::from_bytes(SLIP_FONT)
            .and_then(|font| font.with_fallback_bytes(SLIP_FALLBACK_FONT))
            .map_err(|e| AppError::new(ErrorKind::Print, e.to_string()))?;
        slips::remove_old_spool(&config.data_dir);
        let store = Arc::new(Mutex::new(store));
        Ok(Station {
            indexer: SearchIndexer::start(store.clone()),
            store,
            settings,
            font,
            session: Mutex::new(Session::Out),
            items: Mutex::new(None),
            qr_key: Mutex::new(None),
            audit_warning: Arc::new(Mutex::new(None)),
            audit_check: Mutex::new(None),
        })
    }

    /// The shared store, for the sync engine.
    pub fn store(&self) -> Arc<Mutex<Store>> {
        self.store.clone()
    }

    pub fn settings(&self) -> &StationSettings {
        &self.settings
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn clerk(&self) -> Result<ClerkInfo, AppError> {
        match &*self.session.lock().unwrap_or_else(|p| p.into_inner()) {
            Session::Active(clerk) => Ok(clerk.clone()),
            Session::Locked(clerk) => Err(locked_error(clerk)),
            Session::Out => Err(AppError::new(
                ErrorKind::NotLoggedIn,
                "登录已失效，请重新登录",
            )),
        }
    }

    /// The logged-in clerk if they are a hall manager; every manager-only command starts here.
    pub(crate) fn manager(&self) -> Result<ClerkInfo, AppError> {
        let clerk = self.clerk()?;
        if clerk.role.is_manager() {
            Ok(clerk)
        } else {
            Err(AppError::new(
                ErrorKind::Forbidden,
                "此操作需由大厅负责人办理，请大厅负责人登录后再试",
            ))
        }
    }

    pub fn info(&self) -> StationInfo {
        let profile = self.lock().station_profile().ok();
        StationInfo {
            station_code: self.settings.station_code.as_str().to_string(),
            // Name and counter as stored now: the hall manager may change them (settings).
            station_name: profile.as_ref().map_or_else(
                || self.settings.station_name.clone(),
                |p| p.station_name.clone(),
            ),
            counter: profile
                .as_ref()
                .map_or(self.settings.counter, |p| p.counter),
            region_code: self.settings.region_code.clone(),
            clerk: self.clerk().ok(),
            audit_warning: self
                .audit_warning
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    /// Renders one paper of a case as PDF bytes, for preview or printing. `reprint` marks a
    /// later copy as 补打 with its number and reason.
    pub fn render_slip(
        &self,
        case_id: Uuid,
        kind: SlipKind,
        reprint: Option<&slips::Reprint>,
    ) -> Result<slips::RenderedSlip, AppError> {
        self.clerk()?;
        let case = self
            .lock()
            .get_case(case_id)
            .map_err(store_error)?
            .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "找不到该办件"))?;
        let cat = self.catalogue_index()?;
        let item = cat
            .catalogue
            .item(&case.intake.item_code)
            .ok_or_else(unknown_item)?;
        let qr_key = self.qr_key()?;
        let (handover, district) = {
            let store = self.lock();
            let handover = store.handover(case_id).map_err(store_error)?;
            (
                handover,
                store.district_status(case_id).map_err(store_error)?,
            )
        };
        let sources = slips::PaperSources {
            handover: handover.as_ref(),
            district: district.as_ref(),
        };
        slips::render_slip(
            &self.font,
            &self.paper_station()?,
            &qr_key,
            &case,
            item,
            kind,
            reprint,
            sources,
        )
    }

    /// The station's evaluation-QR signing key, made on first use (before any enrollment: a
    /// slip printed offline is signed too) and kept here after the first slip.
    pub(crate) fn qr_key(&self) -> Result<Arc<QrSigningKey>, AppError> {
        let mut cached = self.qr_key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = cached.as_ref() {
            return Ok(Arc::clone(key));
        }
        let actor = self
            .clerk()
            .map(|c| c.login)
            .unwrap_or_else(|_| "station".into());
        let key = Arc::new(self.lock().qr_signing_key(&actor).map_err(store_error)?);
        *cached = Some(Arc::clone(&key));
        Ok(key)
    }

    /// The queue: cases matching the clerk's search, newest first.
    pub fn search_cases(&self, query: &CaseQuery) -> Result<Vec<CaseRow>, AppError> {
        self.clerk()?;
        let cases = self.lock().search_cases(query).map_err(store_error)?;
        Ok(cases.iter().map(CaseRow::from).collect())
    }
}

impl Drop for Station {
    /// Waits for the start's audit chain check (at most a few seconds on a big station), so
    /// nothing reads the database after the station is gone.
    fn drop(&mut self) {
        let handle = self
            .audit_check
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(handle) = handle
            && handle.join().is_err()
        {
            tracing::error!("audit chain check panicked");
        }
    }
}

pub(crate) fn unknown_item() -> AppError {
    AppError::new(
        ErrorKind::InvalidInput,
        "事项目录中没有该事项，可能已调整，请重新选择事项",
    )
}

/// Maps store failures to what the window needs to know; messages are the store's Chinese text.
pub(crate) fn store_error(e: StoreError) -> AppError {
    let kind = match &e {
        StoreError::NotProvisioned { .. } => ErrorKind::NotProvisioned,
        StoreError::KeyMissing => ErrorKind::KeyMissing,
        StoreError::BadCredentials => ErrorKind::BadCredentials,
        StoreError::Core(yichuang_core::CoreError::Invalid(issues)) => {
            return AppError::invalid(issues.clone());
        }
        StoreError::Core(_) | StoreError::InvalidInput(_) => ErrorKind::InvalidInput,
        _ => ErrorKind::Store,
    };
    AppError::new(kind, e.to_string())
}
