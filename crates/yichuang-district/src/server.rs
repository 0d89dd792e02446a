//! Starting and stopping the server: settings, shared state, and the running task.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use jiff::Timestamp;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::secrets::SecretHash;
use crate::store::{DistrictStore, SqliteStore};
use crate::tls::{TlsIdentity, TlsListener};
use crate::vault::Vault;
use crate::{DistrictConfig, DistrictError, EvaluationCodes, Faults, check_region_code};

/// How a district server runs, whatever its store.
#[derive(Clone)]
pub struct Settings {
    /// Six-digit administrative region code, the prefix of official case numbers.
    pub region_code: String,
    /// Where material files (whole and partial) are kept: `<data_dir>/materials`.
    pub data_dir: PathBuf,
    /// The officer's token for `/admin`; `None` turns the page off.
    pub admin_token: Option<String>,
    /// Scripted failures for tests; `None` in real use.
    pub faults: Option<Faults>,
    /// Longest a request may take, its body included (a material piece too).
    pub request_timeout: Duration,
    /// Requests served at once; more are answered 503 Busy with `Retry-After`.
    pub max_concurrent: usize,
    /// The province's 好差评 score and channel codes (the shipped defaults unless given).
    pub evaluation_codes: EvaluationCodes,
}

impl Settings {
    /// Defaults for `region_code` with data in `data_dir`.
    pub fn new(region_code: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            region_code: region_code.into(),
            data_dir: data_dir.into(),
            admin_token: None,
            faults: None,
            request_timeout: Duration::from_secs(120),
            max_concurrent: 64,
            evaluation_codes: EvaluationCodes::default(),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("region_code", &self.region_code)
            .field("data_dir", &self.data_dir)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("faults", &self.faults.is_some())
            .field("request_timeout", &self.request_timeout)
            .field("max_concurrent", &self.max_concurrent)
            .field("evaluation_codes", &self.evaluation_codes)
            .finish()
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    pub store: Arc<dyn DistrictStore>,
    pub region_code: String,
    pub vault: Vault,
    /// The officer's page and its sessions; `None` when no admin token is set.
    pub admin: Option<crate::admin::Admin>,
    pub faults: Option<Faults>,
    /// The province's 好差评 codes ratings are recorded with.
    pub evaluation_codes: EvaluationCodes,
    /// Item names from the published catalogue, for the citizen's pages.
    pub item_names: crate::citizen::ItemNames,
}

/// Opens the SQLite store of `config` and registers its station tokens.
async fn sqlite_from_config(
    config: &DistrictConfig,
) -> Result<(Settings, Arc<dyn DistrictStore>), DistrictError> {
    check_region_code(&config.region_code)?;
    let store = SqliteStore::open(&config.db_path)?;
    register_station_tokens(&store, &config.station_tokens).await?;
    let mut settings = Settings::new(config.region_code.clone(), config.data_dir());
    settings.faults = config.faults.clone();
    Ok((settings, Arc::new(store)))
}

/// Registers `(station, token)` pairs as device tokens (the demo's and tests' way in).
pub async fn register_station_tokens(
    store: &dyn DistrictStore,
    pairs: &[(String, String)],
) -> Result<(), DistrictError> {
    for (station, token) in pairs {
        if token.trim().is_empty() || token.trim() != token {
            return Err(DistrictError::Config(format!(
                "站点 {station} 的凭据为空或含空白"
            )));
        }
        yichuang_core::StationCode::try_from(station.clone())
            .map_err(|e| DistrictError::Config(e.to_string()))?;
        store
            .register_device(
                station,
                "命令行登记的设备",
                &SecretHash::of(token),
                None,
                Timestamp::now(),
            )
            .await?;
    }
    Ok(())
}

fn app_state(
    settings: &Settings,
    store: Arc<dyn DistrictStore>,
) -> Result<Arc<AppState>, DistrictError> {
    check_region_code(&settings.region_code)?;
    if settings.max_concurrent == 0 {
        return Err(DistrictError::Config("并发上限不能为 0".into()));
    }
    Ok(Arc::new(AppState {
        store,
        region_code: settings.region_code.clone(),
        vault: Vault::open(&settings.data_dir.join("materials"))?,
        admin: settings.admin_token.clone().map(crate::admin::Admin::new),
        faults: settings.faults.clone(),
        evaluation_codes: settings.evaluation_codes.clone(),
        item_names: crate::citizen::ItemNames::default(),
    }))
}

/// Serves `config` on `listener` until `shutdown` resolves; open connections are let finish.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    config: DistrictConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DistrictError> {
    let (settings, store) = sqlite_from_config(&config).await?;
    serve_store(listener, &settings, store, shutdown).await
}

/// Serves `store` with `settings` on `listener` until `shutdown` resolves.
pub async fn serve_store(
    listener: TcpListener,
    settings: &Settings,
    store: Arc<dyn DistrictStore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DistrictError> {
    let state = app_state(settings, store)?;
    run(listener, crate::layers::app(state, settings), shutdown).await
}

/// Serves `app` on `listener` until `shutdown` resolves; open connections are let finish.
async fn run<L>(
    listener: L,
    app: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DistrictError>
where
    L: Listener<Addr = SocketAddr>,
{
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Serves on `listener` forever (until the task is dropped or the process ends).
pub async fn serve(listener: TcpListener, config: DistrictConfig) -> Result<(), DistrictError> {
    serve_with_shutdown(listener, config, std::future::pending()).await
}

/// A district server running in the background, for tests and the demo launcher.
pub struct DistrictServer {
    addr: SocketAddr,
    /// `https` when serving with a [`TlsIdentity`], else `http`.
    scheme: &'static str,
    store: Arc<dyn DistrictStore>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), DistrictError>>,
}

impl std::fmt::Debug for DistrictServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistrictServer")
            .field("addr", &self.addr)
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

impl DistrictServer {
    /// Opens the SQLite database of `config` (errors surface here), then serves on the
    /// already bound `listener`.
    pub async fn start(
        listener: TcpListener,
        config: DistrictConfig,
    ) -> Result<Self, DistrictError> {
        let (settings, store) = sqlite_from_config(&config).await?;
        Self::start_with(listener, settings, store).await
    }

    /// As [`DistrictServer::start`], over HTTPS with `tls`.
    pub async fn start_tls(
        listener: TcpListener,
        config: DistrictConfig,
        tls: TlsIdentity,
    ) -> Result<Self, DistrictError> {
        let (settings, store) = sqlite_from_config(&config).await?;
        Self::start_with_tls(listener, settings, store, tls).await
    }

    /// Serves `store` (any [`DistrictStore`]) with `settings` on the bound `listener`.
    pub async fn start_with(
        listener: TcpListener,
        settings: Settings,
        store: Arc<dyn DistrictStore>,
    ) -> Result<Self, DistrictError> {
        Self::spawn(listener, &settings, store, None)
    }

    /// As [`DistrictServer::start_with`], over HTTPS with `tls`: a connection whose handshake
    /// fails is logged and closed, and the server goes on.
    pub async fn start_with_tls(
        listener: TcpListener,
        settings: Settings,
        store: Arc<dyn DistrictStore>,
        tls: TlsIdentity,
    ) -> Result<Self, DistrictError> {
        Self::spawn(listener, &settings, store, Some(tls))
    }

    fn spawn(
        listener: TcpListener,
        settings: &Settings,
        store: Arc<dyn DistrictStore>,
        tls: Option<TlsIdentity>,
    ) -> Result<Self, DistrictError> {
        let addr = listener.local_addr()?;
        let state = app_state(settings, Arc::clone(&store))?;
        let app = crate::layers::app(state, settings);
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let (scheme, task) = match tls {
            None => ("http", tokio::spawn(run(listener, app, shutdown))),
            Some(tls) => {
                let listener = TlsListener::new(listener, &tls);
                ("https", tokio::spawn(run(listener, app, shutdown)))
            }
        };
        tracing::info!(%addr, scheme, "district server listening");
        Ok(Self {
            addr,
            scheme,
            store,
            stop,
            task,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store this server serves: what tests and the demo read the district's records
    /// from (e.g. [`DistrictStore::count_cases`]).
    pub fn store(&self) -> &Arc<dyn DistrictStore> {
        &self.store
    }

    /// `http://127.0.0.1:PORT` (or `https://` over TLS), the base URL stations use.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and closes the store.
    pub async fn shutdown(self) -> Result<(), DistrictError> {
        let _ = self.stop.send(());
        self.task.await.map_err(|_| DistrictError::Task)?
    }
}
