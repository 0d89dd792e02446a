//! HTTP client of the district protocol: sends requests over the transport the station
//! allows ([`transport`]) and turns every answer into a value or a [`Failure`].

mod failure;
mod materials;
mod no_answer;
mod pinned_ca;
mod transport;
mod v2;

use std::sync::Mutex;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use reqwest::{Url, header};
use serde::de::DeserializeOwned;

pub use failure::{Failure, parse_retry_after};
pub use materials::PieceAnswer;
pub use pinned_ca::pinned_ca_fingerprints;
pub use transport::{ClientTimeouts, district_base_url};
pub use v2::ReferenceDocument;

use crate::{DistrictEndpoint, SyncError};

/// A client for one district endpoint (url + device token).
#[derive(Debug)]
pub struct DistrictClient {
    http: reqwest::Client,
    endpoint: DistrictEndpoint,
    base: Url,
    /// `None` for a client that may only enroll.
    bearer: Option<header::HeaderValue>,
    clock_offset: Mutex<Option<SignedDuration>>,
}

impl DistrictClient {
    /// Refuses an address that is not https (or loopback http) and a malformed token or CA.
    pub fn new(endpoint: DistrictEndpoint, timeouts: ClientTimeouts) -> Result<Self, SyncError> {
        let base = district_base_url(&endpoint.url)?;
        let mut bearer = header::HeaderValue::from_str(&format!("Bearer {}", endpoint.token))
            .map_err(|_| SyncError::BadToken)?;
        bearer.set_sensitive(true);
        let http = transport::http_client(timeouts, endpoint.ca_pem.as_deref())?;
        Ok(Self {
            http,
            endpoint,
            base,
            bearer: Some(bearer),
            clock_offset: Mutex::new(None),
        })
    }

    /// A client for a station that has no device token yet: it can only enroll (and ask
    /// for the district's health).
    pub fn for_enrollment(
        url: &str,
        ca_pem: Option<String>,
        timeouts: ClientTimeouts,
    ) -> Result<Self, SyncError> {
        let base = district_base_url(url)?;
        let http = transport::http_client(timeouts, ca_pem.as_deref())?;
        Ok(Self {
            http,
            endpoint: DistrictEndpoint {
                url: url.to_string(),
                token: String::new(),
                ca_pem,
            },
            base,
            bearer: None,
            clock_offset: Mutex::new(None),
        })
    }

    pub fn endpoint(&self) -> &DistrictEndpoint {
        &self.endpoint
    }

    /// District clock minus station clock, from the last answer that carried a `Date` header.
    pub fn clock_offset(&self) -> Option<SignedDuration> {
        self.clock_offset.lock().ok().and_then(|g| *g)
    }

    /// The full URL of a protocol path (which starts with `/`).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// A request with the device token.
    pub(crate) fn authorized(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let req = self.http.request(method, self.url(path));
        match &self.bearer {
            Some(bearer) => req.header(header::AUTHORIZATION, bearer.clone()),
            None => req,
        }
    }

    /// Sends `req` and notes the district's clock from the answer. No answer is
    /// [`Failure::Unreachable`], or [`Failure::Untrusted`] when the district's certificate was
    /// refused.
    pub(crate) async fn send(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<(reqwest::Response, reqwest::StatusCode), Failure> {
        let started = (Instant::now(), Timestamp::now());
        let resp = req.send().await.map_err(|e| Failure::of_error(&e))?;
        self.note_clock(&resp, started);
        let status = resp.status();
        Ok((resp, status))
    }

    /// Sends `req`; a success answer is parsed as `T` (a body that is not — a captive
    /// portal's page — is [`Failure::Unreadable`]).
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, Failure> {
        let (resp, status) = self.send(req).await?;
        if !status.is_success() {
            return Err(Failure::of_answer(resp).await);
        }
        let unreadable = Failure::Unreadable {
            status: status.as_u16(),
        };
        let json = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json"));
        if !json {
            return Err(unreadable);
        }
        let bytes = resp.bytes().await.map_err(|e| Failure::of_error(&e))?;
        serde_json::from_slice(&bytes).map_err(|_| unreadable)
    }

    fn note_clock(&self, resp: &reqwest::Response, (sent, sent_at): (Instant, Timestamp)) {
        let Some(server) = resp
            .headers()
            .get(header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(failure::parse_http_date)
        else {
            return;
        };
        let half_trip = SignedDuration::try_from(sent.elapsed() / 2).unwrap_or_default();
        let local_mid = sent_at.saturating_add(half_trip).unwrap_or(sent_at);
        if let Ok(mut slot) = self.clock_offset.lock() {
            *slot = Some(server.duration_since(local_mid));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_urls_and_tokens_are_refused_up_front() {
        let ep = |url: &str, token: &str| DistrictEndpoint {
            url: url.into(),
            token: token.into(),
            ca_pem: None,
        };
        let t = ClientTimeouts::default();
        assert!(matches!(
            DistrictClient::new(ep("ftp://x", "t"), t),
            Err(SyncError::BadUrl(_))
        ));
        assert!(matches!(
            DistrictClient::new(ep("http://10.0.0.8", "t"), t),
            Err(SyncError::InsecureUrl(_))
        ));
        assert!(matches!(
            DistrictClient::new(ep("http://127.0.0.1:1", "a\nb"), t),
            Err(SyncError::BadToken)
        ));
        assert!(DistrictClient::new(ep("http://127.0.0.1:1/", "t"), t).is_ok());
        assert!(DistrictClient::new(ep("https://district.example/", "t"), t).is_ok());
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let ep = DistrictEndpoint {
            url: "http://x".into(),
            token: "secret-token".into(),
            ca_pem: None,
        };
        assert!(!format!("{ep:?}").contains("secret-token"));
    }
}
