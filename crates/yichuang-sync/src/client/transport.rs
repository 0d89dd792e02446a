//! How the station reaches its district: https only (loopback excepted, for the demo and the
//! tests), rustls (reqwest's, with the aws-lc-rs provider) with the platform's roots or one
//! pinned district CA, redirects never followed, bounded timeouts.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::SyncError;

/// Timeouts of the district client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTimeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for ClientTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(20),
        }
    }
}

/// The district's base URL, refused unless it is `https://`, or `http://` to a loopback
/// address (ID numbers and the token must not cross a village network in clear text).
pub fn district_base_url(raw: &str) -> Result<Url, SyncError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|_| SyncError::BadUrl(raw.to_string()))?;
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(SyncError::BadUrl(raw.to_string()));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(SyncError::InsecureUrl(raw.to_string())),
        _ => Err(SyncError::BadUrl(raw.to_string())),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The HTTP client: no redirects (a 3xx is an answer, not the district's), rustls with the
/// platform verifier, or only `pinned_ca_pem` when the district's CA is pinned.
pub(crate) fn http_client(
    timeouts: ClientTimeouts,
    pinned_ca_pem: Option<&str>,
) -> Result<reqwest::Client, SyncError> {
    let builder = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_rustls()
        .user_agent(concat!("yichuang-desk/", env!("CARGO_PKG_VERSION")));
    let Some(pem) = pinned_ca_pem.filter(|p| !p.trim().is_empty()) else {
        return builder.build().map_err(|e| SyncError::Client(Box::new(e)));
    };
    let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
        .map_err(|e| SyncError::BadCa(Some(Box::new(e))))?;
    if certs.is_empty() {
        return Err(SyncError::BadCa(None));
    }
    // With only the pinned roots, building fails only when rustls cannot take one of them as
    // a trust anchor (base64 that is not a certificate).
    builder
        .tls_certs_only(certs)
        .build()
        .map_err(|e| SyncError::BadCa(Some(Box::new(e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_to_loopback() {
        assert!(district_base_url("https://zwfw.example.gov.cn/").is_ok());
        assert!(district_base_url("http://127.0.0.1:8741").is_ok());
        assert!(district_base_url("http://127.8.0.1:8741").is_ok());
        assert!(district_base_url("http://[::1]:8741").is_ok());
        assert!(district_base_url("http://localhost:8741").is_ok());
        assert!(matches!(
            district_base_url("http://192.168.1.20:8741"),
            Err(SyncError::InsecureUrl(_))
        ));
        assert!(matches!(
            district_base_url("http://zwfw.example.gov.cn"),
            Err(SyncError::InsecureUrl(_))
        ));
        assert!(matches!(
            district_base_url("ftp://x"),
            Err(SyncError::BadUrl(_))
        ));
        assert!(matches!(
            district_base_url("not a url"),
            Err(SyncError::BadUrl(_))
        ));
    }

    #[test]
    fn a_pinned_ca_must_be_a_certificate() {
        assert!(matches!(
            http_client(ClientTimeouts::default(), Some("not a pem")),
            Err(SyncError::BadCa(_))
        ));
        assert!(http_client(ClientTimeouts::default(), None).is_ok());
    }
}
