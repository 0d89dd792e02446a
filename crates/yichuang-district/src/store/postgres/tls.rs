//! TLS for the district's PostgreSQL connections, so a database on another machine gets
//! neither the password nor the cases in clear. libpq's `sslmode` read the district's way:
//! `require` (and libpq's `verify-ca` / `verify-full`, which tokio-postgres cannot parse)
//! means TLS with the server's certificate verified, against the platform's roots or only a
//! pinned CA, and its host name checked; `disable` and `prefer` (the default) connect in
//! clear, because a TLS that quietly falls back or trusts any certificate protects nothing
//! against whoever sits on the network. A plain connection off this machine is warned about.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{CertificateError, ClientConfig, RootCertStore};
use rustls_platform_verifier::BuilderVerifierExt;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::PgConfig;
use crate::DistrictError;

/// What the district sends in ALPN: PostgreSQL 17's direct TLS negotiation requires it, and
/// older servers ignore it.
const ALPN_POSTGRESQL: &[u8] = b"postgresql";

/// libpq's `sslmode` values tokio-postgres has no name for; both verify at least as much as
/// libpq does, since the district always checks the chain and the host name.
const VERIFYING_MODES: [&str; 2] = ["sslmode=verify-full", "sslmode=verify-ca"];

/// `url` with libpq's verifying `sslmode` values spelled `require`, the one tokio-postgres
/// reads (and the district verifies fully).
pub(super) fn with_verifying_modes_as_require(url: &str) -> std::borrow::Cow<'_, str> {
    if VERIFYING_MODES.iter().any(|m| url.contains(m)) {
        let mut url = url.to_string();
        for mode in VERIFYING_MODES {
            url = url.replace(mode, "sslmode=require");
        }
        url.into()
    } else {
        url.into()
    }
}

/// Settles `config`'s `sslmode` as the module says and returns the TLS connector its
/// connections use; `ca_file` (PEM) replaces the platform's roots. Refuses a CA file without
/// `sslmode=require`, which would otherwise be silently ignored.
pub(super) fn connector(
    config: &mut PgConfig,
    ca_file: Option<&Path>,
) -> Result<MakeRustlsConnect, DistrictError> {
    let only_sockets = !config.get_hosts().is_empty()
        && config.get_hostaddrs().is_empty()
        && config
            .get_hosts()
            .iter()
            .all(|h| !matches!(h, Host::Tcp(_)));
    let require = config.get_ssl_mode() == SslMode::Require;
    if let Some(path) = ca_file
        && !require
    {
        return Err(tls_error(
            format!(
                "已指定 PostgreSQL 的 CA 证书文件 {}，但数据库地址没有 sslmode=require：\
                 请在地址末尾加上 ?sslmode=require（连接将加密并校验服务器证书）",
                path.display()
            ),
            None,
        ));
    }
    let builder = ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| tls_error("PostgreSQL 的 TLS 设置无法建立".into(), Some(Box::new(e))))?;
    if only_sockets || !require {
        // In clear: prefer is read as disable (see above), and libpq ignores sslmode on a
        // Unix socket, where the server never offers TLS.
        config.ssl_mode(SslMode::Disable);
        if let Some(host) = remote_host(config) {
            tracing::warn!(
                host = %host,
                "PostgreSQL connection is not encrypted (no sslmode=require): the password \
                 and every case cross the network in clear"
            );
        }
        // A connector no connection uses: TLS is off.
        let unused = builder
            .with_root_certificates(RootCertStore::empty())
            .with_no_client_auth();
        return Ok(MakeRustlsConnect::new(unused));
    }
    let mut client = match ca_file {
        Some(path) => builder
            .with_root_certificates(pinned_roots(path)?)
            .with_no_client_auth(),
        None => builder
            .with_platform_verifier()
            .map_err(|e| {
                tls_error(
                    "无法读取本机的根证书，不能校验 PostgreSQL 服务器证书：\
                     请用 --pg-ca 指定签发它的 CA 证书文件"
                        .into(),
                    Some(Box::new(e)),
                )
            })?
            .with_no_client_auth(),
    };
    client.alpn_protocols = vec![ALPN_POSTGRESQL.to_vec()];
    Ok(MakeRustlsConnect::new(client))
}

/// The first host of `config` off this machine, if any (the place a warning names).
fn remote_host(config: &PgConfig) -> Option<String> {
    if !config.get_hostaddrs().is_empty() {
        return config
            .get_hostaddrs()
            .iter()
            .find(|a| !a.is_loopback())
            .map(IpAddr::to_string);
    }
    config.get_hosts().iter().find_map(|h| match h {
        Host::Tcp(name) if !is_loopback_name(name) => Some(name.clone()),
        _ => None,
    })
}

fn is_loopback_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|a| a.is_loopback())
}

/// The certificates of the CA file `path` (PEM), the only roots a pinned connection trusts.
fn pinned_roots(path: &Path) -> Result<RootCertStore, DistrictError> {
    let pem = std::fs::read(path).map_err(|e| {
        tls_error(
            format!(
                "无法读取 PostgreSQL 的 CA 证书文件 {}，请检查路径和读取权限",
                path.display()
            ),
            Some(Box::new(e)),
        )
    })?;
    let not_pem = |source: Option<Box<dyn std::error::Error + Send + Sync>>| {
        tls_error(
            format!(
                "PostgreSQL 的 CA 证书文件 {} 不是有效的 PEM 证书（应以 -----BEGIN CERTIFICATE----- 开头）",
                path.display()
            ),
            source,
        )
    };
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| not_pem(Some(Box::new(e))))?;
    if certs.is_empty() {
        return Err(not_pem(None));
    }
    let mut roots = RootCertStore::empty();
    for cert in certs {
        roots.add(cert).map_err(|e| not_pem(Some(Box::new(e))))?;
    }
    Ok(roots)
}

/// A failed connection as the operator should read it when TLS is why: the server refused
/// TLS, or its certificate is not trusted (wrong CA, wrong host name, out of date). `None`
/// for every other failure.
pub(super) fn connect_failure(e: &tokio_postgres::Error) -> Option<DistrictError> {
    // tokio-postgres names its error kinds only in text: a TLS failure reads so, and carries
    // either its own message (the server's refusal) or the I/O error wrapping rustls's.
    if e.to_string() != "error performing TLS handshake" {
        return None;
    }
    let source = std::error::Error::source(e)?;
    let rustls_error = source
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let message = match rustls_error {
        Some(rustls::Error::InvalidCertificate(CertificateError::NotValidForName))
        | Some(rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            ..
        })) => "PostgreSQL 服务器的证书不受信任：证书上的主机名与数据库地址中的主机不符，\
                请在地址中使用证书上的主机名"
            .to_string(),
        Some(rustls::Error::InvalidCertificate(
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. },
        )) => "PostgreSQL 服务器的证书不受信任：证书已过期或尚未生效，\
               请更换服务器证书并核对本机时钟"
            .to_string(),
        Some(rustls::Error::InvalidCertificate(_)) => {
            "PostgreSQL 服务器的证书不受信任：它不是由本机信任的根证书（或 --pg-ca 指定的 CA）签发的，\
             请用 --pg-ca 指定签发该证书的 CA 证书文件"
                .to_string()
        }
        Some(_) => "与 PostgreSQL 服务器的加密连接未能建立，请检查服务器的 TLS 设置".to_string(),
        None if source.to_string() == "server does not support TLS" => {
            "PostgreSQL 服务器不接受加密连接（sslmode=require）：请在服务器上开启 ssl，\
             或确知网络可信时在数据库地址中改用 sslmode=disable"
                .to_string()
        }
        None => return None,
    };
    Some(tls_error(message, Some(Box::new(clone_source(e)))))
}

/// The failure kept as the error's source, by its text: tokio-postgres errors are not `Clone`.
fn clone_source(e: &tokio_postgres::Error) -> std::io::Error {
    let mut text = e.to_string();
    let mut next = std::error::Error::source(e);
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    std::io::Error::other(text)
}

fn tls_error(
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> DistrictError {
    DistrictError::Tls { message, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> PgConfig {
        super::super::parse_url(url).unwrap()
    }

    #[test]
    fn verify_full_and_verify_ca_read_as_require() {
        for url in [
            "postgres://u:p@db.example/d?sslmode=verify-full",
            "host=db.example user=u sslmode=verify-ca",
        ] {
            assert_eq!(parsed(url).get_ssl_mode(), SslMode::Require, "{url}");
        }
    }

    #[test]
    fn prefer_and_disable_connect_in_clear_and_require_keeps_tls() {
        for (url, mode) in [
            ("postgres://u:p@db.example/d", SslMode::Disable),
            (
                "postgres://u:p@db.example/d?sslmode=prefer",
                SslMode::Disable,
            ),
            (
                "postgres://u:p@db.example/d?sslmode=require",
                SslMode::Require,
            ),
        ] {
            let mut config = parsed(url);
            connector(&mut config, None).unwrap();
            assert_eq!(config.get_ssl_mode(), mode, "{url}");
        }
    }

    #[test]
    fn a_unix_socket_is_never_tls() {
        let mut config = parsed("host=/var/run/postgresql user=u sslmode=require");
        connector(&mut config, None).unwrap();
        assert_eq!(config.get_ssl_mode(), SslMode::Disable);
    }

    #[test]
    fn a_ca_file_without_require_is_refused() {
        let mut config = parsed("postgres://u:p@db.example/d");
        let Err(err) = connector(&mut config, Some(Path::new("/nonexistent/ca.pem"))) else {
            panic!("accepted")
        };
        assert!(err.to_string().contains("sslmode=require"), "{err}");
    }

    #[test]
    fn an_unreadable_or_non_pem_ca_file_is_told_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let mut config = parsed("postgres://u:p@db.example/d?sslmode=require");
        let Err(err) = connector(&mut config, Some(&missing)) else {
            panic!("accepted")
        };
        assert!(err.to_string().contains("无法读取"), "{err}");
        assert!(err.to_string().contains("missing.pem"), "{err}");
        assert!(std::error::Error::source(&err).is_some());

        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        let Err(err) = connector(&mut config, Some(&junk)) else {
            panic!("accepted")
        };
        assert!(err.to_string().contains("不是有效的 PEM 证书"), "{err}");
    }

    #[test]
    fn loopback_hosts_are_not_remote() {
        for url in [
            "postgres://u:p@127.0.0.1/d",
            "postgres://u:p@localhost/d",
            "postgres://u:p@[::1]/d",
            "host=/tmp user=u",
        ] {
            assert_eq!(remote_host(&parsed(url)), None, "{url}");
        }
        assert_eq!(
            remote_host(&parsed("postgres://u:p@db.example/d")).as_deref(),
            Some("db.example")
        );
    }
}
