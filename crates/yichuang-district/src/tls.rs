//! HTTPS for the district: its own certificate chain and key (PEM, often from a private root
//! CA that stations pin), and a listener that shakes hands with each connection on its own
//! task, so a slow or failed handshake holds up no other station.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::DistrictError;

/// Longest a client may take to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes under way at once; past this, connections wait in the kernel's backlog.
const MAX_HANDSHAKES: usize = 1024;

/// The district's certificate chain and private key, checked and ready to serve HTTPS.
#[derive(Clone)]
pub struct TlsIdentity {
    config: Arc<ServerConfig>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity").finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// From PEM text: the chain (the server's certificate first, then any intermediates) and
    /// its private key (PKCS#8, PKCS#1 or SEC1). Refused unless both parse and belong together.
    pub fn from_pem(cert_chain_pem: &[u8], key_pem: &[u8]) -> Result<Self, DistrictError> {
        Self::parse(cert_chain_pem, "证书链", key_pem, "私钥")
    }

    /// From PEM files (the binary's `--tls-cert` and `--tls-key`); errors name the file.
    pub fn from_pem_files(cert_chain: &Path, key: &Path) -> Result<Self, DistrictError> {
        let read = |path: &Path, what: &str| {
            std::fs::read(path).map_err(|e| {
                tls_error(
                    format!(
                        "无法读取 HTTPS {what}文件 {}，请检查路径和读取权限",
                        path.display()
                    ),
                    Some(Box::new(e)),
                )
            })
        };
        let chain_pem = read(cert_chain, "证书")?;
        let key_pem = read(key, "私钥")?;
        Self::parse(
            &chain_pem,
            &format!("证书文件 {}", cert_chain.display()),
            &key_pem,
            &format!("私钥文件 {}", key.display()),
        )
    }

    fn parse(
        chain_pem: &[u8],
        chain_what: &str,
        key_pem: &[u8],
        key_what: &str,
    ) -> Result<Self, DistrictError> {
        let chain = CertificateDer::pem_slice_iter(chain_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                tls_error(
                    format!("HTTPS {chain_what}不是有效的 PEM 证书"),
                    Some(Box::new(e)),
                )
            })?;
        if chain.is_empty() {
            return Err(tls_error(
                format!("HTTPS {chain_what}中没有 PEM 证书（应含 -----BEGIN CERTIFICATE-----）"),
                None,
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| {
            tls_error(
                format!("HTTPS {key_what}中没有 PEM 私钥（应含 -----BEGIN PRIVATE KEY-----）"),
                Some(Box::new(e)),
            )
        })?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
            .map_err(|e| {
                tls_error(
                    format!("HTTPS {chain_what}与{key_what}不匹配，或私钥类型不受支持"),
                    Some(Box::new(e)),
                )
            })?;
        // The district speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
        })
    }
}

fn tls_error(
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> DistrictError {
    DistrictError::Tls { message, source }
}

/// A TCP listener that hands axum only connections whose TLS handshake succeeded; a failed
/// or timed-out handshake is logged and dropped, and accepting goes on.
pub(crate) struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl TlsListener {
    pub(crate) fn new(tcp: TcpListener, identity: &TlsIdentity) -> Self {
        Self {
            tcp,
            acceptor: TlsAcceptor::from(Arc::clone(&identity.config)),
            handshakes: JoinSet::new(),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            // Both branches are cancel-safe: axum drops this future at shutdown.
            tokio::select! {
                accepted = self.tcp.accept(), if self.handshakes.len() < MAX_HANDSHAKES => {
                    match accepted {
                        Ok((tcp, peer)) => {
                            let acceptor = self.acceptor.clone();
                            self.handshakes.spawn(handshake(acceptor, tcp, peer));
                        }
                        Err(e) => accept_failed(e).await,
                    }
                }
                Some(done) = self.handshakes.join_next() => {
                    if let Ok(Some(conn)) = done {
                        return conn;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

async fn handshake(
    acceptor: TlsAcceptor,
    tcp: TcpStream,
    peer: SocketAddr,
) -> Option<(TlsStream<TcpStream>, SocketAddr)> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => Some((tls, peer)),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "TLS handshake failed; connection closed");
            None
        }
        Err(_) => {
            tracing::warn!("TLS handshake timed out; connection closed");
            None
        }
    }
}

/// As axum's own TCP listener: a connection that died before it was accepted is nothing;
/// anything else (out of file descriptors) is logged and waited out.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind as K;
    if matches!(
        e.kind(),
        K::ConnectionRefused | K::ConnectionAborted | K::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
