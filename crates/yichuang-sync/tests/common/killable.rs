//! A district that dies as a crash does and starts again on the same address and store.

use super::*;

/// The real district in a Tokio runtime of its own, so that a test can stop it as a crash
/// does: [`KillableDistrict::kill`] drops that runtime, and with it every connection and
/// every request in flight, unanswered (nothing is let finish, unlike a graceful shutdown).
pub struct KillableDistrict {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    stopped: Option<tokio::sync::oneshot::Receiver<()>>,
}

impl KillableDistrict {
    /// Binds `addr` (port 0: any), opens the store at `place` and serves it with
    /// `station_tokens` registered.
    pub async fn start(
        place: &StorePlace,
        addr: std::net::SocketAddr,
        faults: Option<Faults>,
        station_tokens: Vec<(String, String)>,
    ) -> Self {
        let place = place.clone();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("district runtime");
            let server = rt.block_on(async move {
                let listener = TcpListener::bind(addr).await.expect("bind district");
                let store = place.open().await;
                register_station_tokens(store.as_ref(), &station_tokens)
                    .await
                    .expect("tokens");
                DistrictServer::start_with(listener, place.settings(faults), store)
                    .await
                    .expect("start district")
            });
            let _ = ready_tx.send(server.local_addr());
            let _ = stop_rx.blocking_recv();
            // As a killed process: every task (listener, connections, held requests) is
            // dropped where it stands; the blocking pool's running work is let end.
            drop(rt);
            drop(server);
            let _ = done_tx.send(());
        });
        let addr = ready_rx.await.expect("the district started");
        Self {
            addr,
            stop: Some(stop_tx),
            stopped: Some(done_rx),
        }
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Kills the district; returns once its sockets are closed and its store dropped.
    pub async fn kill(mut self) {
        self.kill_now().await;
    }

    async fn kill_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(stopped) = self.stopped.take() {
            let _ = stopped.await;
        }
    }
}

impl Drop for KillableDistrict {
    fn drop(&mut self) {
        // A test that panicked: stop the thread without waiting for it.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
