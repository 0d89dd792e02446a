//! A loopback relay that stops one station↔district exchange where a test wants it.

use super::*;

/// Where a [`Relay`] stops an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    /// Passes on the request's head and the first `body_bytes` bytes of its body, then
    /// nothing more from the station: the district is left mid-body.
    MidBody { body_bytes: usize },
    /// Passes on the whole request, and keeps the district's answer from the station.
    AnswerLost,
}

struct Armed {
    pattern: Vec<u8>,
    trap: Trap,
    sprung: tokio::sync::oneshot::Sender<()>,
}

/// A loopback relay between the station and the district. Each station connection gets its
/// own connection to the district's address; when the district's side closes, so does the
/// station's (a district that dies takes the station's connection with it). One armed
/// [`Trap`] stops the next request whose head holds the pattern it was armed with.
#[derive(Clone)]
pub struct Relay {
    pub url: String,
    armed: Arc<Mutex<Option<Armed>>>,
}

impl Relay {
    pub async fn start(upstream: std::net::SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let armed: Arc<Mutex<Option<Armed>>> = Arc::default();
        let shared = Arc::clone(&armed);
        tokio::spawn(async move {
            while let Ok((station, _)) = listener.accept().await {
                tokio::spawn(relay_connection(station, upstream, Arc::clone(&shared)));
            }
        });
        Relay { url, armed }
    }

    /// Arms `trap` for the next request whose head holds `pattern` (its first line,
    /// `"PATCH /api/v2/…"`, or a header line, `"upload-offset: 100000\r\n"`; ASCII case is
    /// ignored); the receiver resolves when it has sprung.
    pub fn arm(&self, pattern: &str, trap: Trap) -> tokio::sync::oneshot::Receiver<()> {
        let (sprung, rx) = tokio::sync::oneshot::channel();
        *self.armed.lock().expect("relay") = Some(Armed {
            pattern: pattern.as_bytes().to_vec(),
            trap,
            sprung,
        });
        rx
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

async fn relay_connection(
    station: tokio::net::TcpStream,
    upstream: std::net::SocketAddr,
    armed: Arc<Mutex<Option<Armed>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The district is down: the station's connection is closed unanswered.
    let Ok(district) = tokio::net::TcpStream::connect(upstream).await else {
        return;
    };
    let (mut from_station, mut to_station) = station.into_split();
    let (mut from_district, mut to_district) = district.into_split();
    // Set when this connection's answer is to be kept back; fired at its first byte.
    let (keep_answer_tx, mut keep_answer_rx) = tokio::sync::watch::channel::<
        Option<Arc<Mutex<Option<tokio::sync::oneshot::Sender<()>>>>>,
    >(None);
    let up = async move {
        let mut seen: Vec<u8> = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match from_station.read(&mut buf).await {
                Ok(0) | Err(_) => {
                    let _ = to_district.shutdown().await;
                    return;
                }
                Ok(n) => n,
            };
            let mut pass = n;
            let mut stop_here = None;
            {
                let mut guard = armed.lock().expect("relay");
                let found = guard.as_ref().map(|a| {
                    seen.extend_from_slice(&buf[..n]);
                    (a.trap, find(&seen, &a.pattern))
                });
                match found {
                    None => seen.clear(),
                    Some((_, None)) => {}
                    Some((Trap::AnswerLost, Some(_))) => {
                        let sprung = guard.take().expect("armed").sprung;
                        let _ = keep_answer_tx.send(Some(Arc::new(Mutex::new(Some(sprung)))));
                        seen.clear();
                    }
                    Some((Trap::MidBody { body_bytes }, Some(at))) => {
                        if let Some(head) = find(&seen[at..], b"\r\n\r\n") {
                            let limit = at + head + 4 + body_bytes;
                            if seen.len() >= limit {
                                let before = seen.len() - n;
                                pass = limit.saturating_sub(before).min(n);
                                stop_here = Some(guard.take().expect("armed").sprung);
                            }
                        }
                    }
                }
            }
            if to_district.write_all(&buf[..pass]).await.is_err() {
                return;
            }
            if let Some(sprung) = stop_here {
                let _ = to_district.flush().await;
                let _ = sprung.send(());
                // Nothing more from the station on this connection.
                std::future::pending::<()>().await;
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 64 * 1024];
        let mut keeping = false;
        loop {
            let n = match from_district.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if !keeping && let Some(sprung) = keep_answer_rx.borrow_and_update().clone() {
                keeping = true;
                if let Some(tx) = sprung.lock().expect("sprung").take() {
                    let _ = tx.send(());
                }
            }
            if keeping {
                continue; // the answer never reaches the station
            }
            if to_station.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    tokio::pin!(up, down);
    tokio::select! {
        // The district closed (or died): close the station's side too.
        () = &mut down => {}
        () = &mut up => down.await,
    }
}
