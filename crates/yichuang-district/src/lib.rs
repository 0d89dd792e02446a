//! The reference district server: the other end of the sync protocol (axum + SQLite).
//!
//! It stores each case once under the station's UUID, allocates official case numbers like
//! `440111-2026-000001` in the same transaction, and answers re-sends idempotently.

mod db;
mod error;
pub mod faults;
mod routes;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::DistrictError;
pub use faults::Faults;

/// What a district server needs to run.
#[derive(Clone)]
pub struct DistrictConfig {
    /// The SQLite file (created if missing).
    pub db_path: PathBuf,
    /// Six-digit administrative region code, the prefix of official case numbers.
    pub region_code: String,
    /// `(station_code, token)` pairs of the stations allowed to submit.
    pub station_tokens: Vec<(String, String)>,
    /// Scripted failures for tests; `None` (the default) in real use.
    pub faults: Option<Faults>,
}

impl std::fmt::Debug for DistrictConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stations: Vec<&str> = self
            .station_tokens
            .iter()
            .map(|(s, _)| s.as_str())
            .collect();
        f.debug_struct("DistrictConfig")
            .field("db_path", &self.db_path)
            .field("region_code", &self.region_code)
            .field("stations", &stations)
            .field("faults", &self.faults.is_some())
            .finish()
    }
}

fn app_state(config: &DistrictConfig) -> Result<Arc<routes::AppState>, DistrictError> {
    if config.region_code.len() != 6 || !config.region_code.chars().all(|c| c.is_ascii_digit()) {
        return Err(DistrictError::Config(format!(
            "行政区划代码“{}”应为 6 位数字",
            config.region_code
        )));
    }
    let mut tokens = HashMap::new();
    for (station, token) in &config.station_tokens {
        if token.trim().is_empty() || token.trim() != token {
            return Err(DistrictError::Config(format!(
                "站点 {station} 的凭据为空或含空白"
            )));
        }
        tokens.insert(token.clone(), station.clone());
    }
    let conn = db::open(&config.db_path)?;
    Ok(Arc::new(routes::AppState {
        db: Arc::new(Mutex::new(conn)),
        region_code: config.region_code.clone(),
        tokens,
        faults: config.faults.clone(),
    }))
}

/// Serves on `listener` until `shutdown` resolves; open connections are let finish.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    config: DistrictConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DistrictError> {
    let state = app_state(&config)?;
    axum::serve(listener, routes::router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Serves on `listener` forever (until the task is dropped or the process ends).
pub async fn serve(listener: TcpListener, config: DistrictConfig) -> Result<(), DistrictError> {
    serve_with_shutdown(listener, config, std::future::pending()).await
}

/// A district server running in the background, for tests and the demo launcher.
#[derive(Debug)]
pub struct DistrictServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), DistrictError>>,
}

impl DistrictServer {
    /// Opens the database (errors surface here), then serves on the already bound `listener`.
    pub async fn start(
        listener: TcpListener,
        config: DistrictConfig,
    ) -> Result<Self, DistrictError> {
        let addr = listener.local_addr()?;
        let state = app_state(&config)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, routes::router(state))
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await?;
            Ok(())
        });
        tracing::info!(%addr, "district server listening");
        Ok(Self { addr, stop, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL stations use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and closes the database.
    pub async fn shutdown(self) -> Result<(), DistrictError> {
        let _ = self.stop.send(());
        self.task.await.map_err(|_| DistrictError::Task)?
    }
}

#[cfg(test)]
mod tests;
