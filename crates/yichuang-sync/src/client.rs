//! HTTP client of the district protocol: sends one submission and sorts every answer into
//! what the engine must do next (done, retry later, re-authenticate, or quarantine).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use reqwest::{StatusCode, header};

use crate::protocol::SubmissionAck;
use crate::protocol::{CASES_PATH, CaseSubmission, ErrorBody, ErrorKind, HEALTH_PATH, Health};
use crate::{DistrictEndpoint, SyncError};

/// Why a request did not end in an acknowledgement, sorted by what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: refused, timed out, DNS, broken connection. Back off and retry.
    Unreachable,
    /// 429 or 503: the district asks us to slow down, maybe saying for how long.
    Busy { retry_after: Option<Duration> },
    /// Another 5xx (or an unreadable success): retry this record later.
    ServerError { status: u16 },
    /// 401: the token is wrong or expired. Keep everything, wait for a new token.
    AuthNeeded,
    /// 409 or another 4xx: the district will never take this record as it is.
    Rejected {
        status: u16,
        kind: ErrorKind,
        message: String,
    },
}

impl Failure {
    /// Chinese text for the clerk; carries no personal data.
    pub fn message_zh(&self) -> String {
        match self {
            Failure::Unreachable => "无法连接区级系统".into(),
            Failure::Busy { .. } => "区级系统繁忙，稍后自动重试".into(),
            Failure::ServerError { status } => {
                format!("区级系统暂时出错（{status}），稍后自动重试")
            }
            Failure::AuthNeeded => "区级系统拒绝了本站凭据，请管理员更新凭据".into(),
            Failure::Rejected {
                kind: ErrorKind::Conflict,
                message,
                ..
            } => format!("区级系统已有同一编号但内容不同的办件，需人工核对：{message}"),
            Failure::Rejected {
                status, message, ..
            } => format!("区级系统拒收此办件（{status}）：{message}"),
        }
    }
}

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

/// A client for one district endpoint (url + station token).
#[derive(Debug)]
pub struct DistrictClient {
    http: reqwest::Client,
    endpoint: DistrictEndpoint,
    base: String,
    bearer: header::HeaderValue,
    clock_offset: Mutex<Option<SignedDuration>>,
}

impl DistrictClient {
    pub fn new(endpoint: DistrictEndpoint, timeouts: ClientTimeouts) -> Result<Self, SyncError> {
        let base = endpoint.url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SyncError::BadUrl(endpoint.url.clone()));
        }
        let mut bearer = header::HeaderValue::from_str(&format!("Bearer {}", endpoint.token))
            .map_err(|_| SyncError::BadToken)?;
        bearer.set_sensitive(true);
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("yichuang-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Client(Box::new(e)))?;
        Ok(Self {
            http,
            endpoint,
            base,
            bearer,
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

    /// `GET /api/v1/health`.
    pub async fn health(&self) -> Result<Health, Failure> {
        let started = (Instant::now(), Timestamp::now());
        let resp = self
            .http
            .get(format!("{}{HEALTH_PATH}", self.base))
            .send()
            .await
            .map_err(|_| Failure::Unreachable)?;
        self.note_clock(&resp, started);
        let status = resp.status();
        if !status.is_success() {
            return Err(classify(status, resp).await);
        }
        resp.json::<Health>()
            .await
            .map_err(|_| Failure::ServerError {
                status: status.as_u16(),
            })
    }

    /// `POST /api/v1/cases`: the district's acknowledgement, or why there is none.
    pub async fn submit(&self, submission: &CaseSubmission) -> Result<SubmissionAck, Failure> {
        let started = (Instant::now(), Timestamp::now());
        let resp = self
            .http
            .post(format!("{}{CASES_PATH}", self.base))
            .header(header::AUTHORIZATION, self.bearer.clone())
            .json(submission)
            .send()
            .await
            .map_err(|_| Failure::Unreachable)?;
        self.note_clock(&resp, started);
        let status = resp.status();
        if !status.is_success() {
            return Err(classify(status, resp).await);
        }
        match resp.json::<SubmissionAck>().await {
            Ok(ack) if ack.id == submission.id && !ack.official_case_no.trim().is_empty() => {
                Ok(ack)
            }
            // The district may have stored it: a re-send is harmless and gets the same ack.
            _ => Err(Failure::ServerError {
                status: status.as_u16(),
            }),
        }
    }

    fn note_clock(&self, resp: &reqwest::Response, (sent, sent_at): (Instant, Timestamp)) {
        let Some(server) = resp
            .headers()
            .get(header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
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

async fn classify(status: StatusCode, resp: reqwest::Response) -> Failure {
    let retry_after = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, Timestamp::now()));
    match status {
        StatusCode::UNAUTHORIZED => Failure::AuthNeeded,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            Failure::Busy { retry_after }
        }
        StatusCode::REQUEST_TIMEOUT => Failure::ServerError {
            status: status.as_u16(),
        },
        s if s.is_client_error() => {
            let body = resp.json::<ErrorBody>().await.ok();
            Failure::Rejected {
                status: s.as_u16(),
                kind: body.as_ref().map_or(ErrorKind::Other, |b| b.kind),
                message: body.map_or_else(|| format!("HTTP {}", s.as_u16()), |b| b.message),
            }
        }
        s => Failure::ServerError { status: s.as_u16() },
    }
}

/// `Retry-After`: delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    Some(Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO))
}

fn parse_http_date(value: &str) -> Option<Timestamp> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    PARSER.parse_timestamp(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now: Timestamp = "2026-11-27T01:00:00Z".parse().unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 01:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 27 Nov 2026 00:59:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn bad_urls_and_tokens_are_refused_up_front() {
        let ep = |url: &str, token: &str| DistrictEndpoint {
            url: url.into(),
            token: token.into(),
        };
        let t = ClientTimeouts::default();
        assert!(matches!(
            DistrictClient::new(ep("ftp://x", "t"), t),
            Err(SyncError::BadUrl(_))
        ));
        assert!(matches!(
            DistrictClient::new(ep("http://x", "a\nb"), t),
            Err(SyncError::BadToken)
        ));
        assert!(DistrictClient::new(ep("http://127.0.0.1:1/", "t"), t).is_ok());
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let ep = DistrictEndpoint {
            url: "http://x".into(),
            token: "secret-token".into(),
        };
        assert!(!format!("{ep:?}").contains("secret-token"));
    }
}
