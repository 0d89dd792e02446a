//! Every way a request can end without the answer the protocol promises, sorted by what the
//! station must do. Only an answer about one record's own content (409, 422) blames that
//! record; everything else stops the round and leaves every record queued as it was.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::{StatusCode, header};

use crate::protocol::ErrorBody;

/// Why a request did not end in the answer asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: refused, timed out, DNS, broken connection.
    Unreachable,
    /// The TLS handshake failed on the district's certificate: not under a root CA this
    /// station trusts (a private CA not pinned, or another one pinned), expired, or not for
    /// this address. The network is fine and waiting does not help: a person must pin the
    /// district's root CA (or the district fix its certificate).
    Untrusted,
    /// 429 or 503: the district asks us to slow down, maybe saying for how long.
    Busy { retry_after: Option<Duration> },
    /// Another 5xx (or 408): the district failed. Nobody's record is to blame by itself.
    ServerError { status: u16 },
    /// 401: the device token is unknown, revoked or expired. Enroll again.
    AuthNeeded,
    /// 403: the token belongs to another station, or this station may not do this.
    Forbidden,
    /// 404, 405, 410: no such endpoint — the district address is wrong.
    WrongAddress { status: u16 },
    /// An answer that is not the district's: a redirect (never followed) or a body that is not
    /// the protocol's JSON, as a captive portal or a proxy's login page sends.
    Unreadable { status: u16 },
    /// 413: the request was too big for the district.
    TooLarge,
    /// Another 4xx about the request as a whole (e.g. 400): a fault of this client or of
    /// the district, never of one record; nothing is quarantined for it. (A record's own
    /// 409/422 comes inside a batch answer, never as a failed request.)
    BadRequest { status: u16, message: String },
}

impl Failure {
    /// Chinese text for the clerk saying what to do; carries no personal data.
    pub fn message_zh(&self) -> String {
        match self {
            Failure::Unreachable => {
                "无法连接区级系统，办件已保存在本机，网络恢复后自动上传".into()
            }
            Failure::Untrusted => {
                "区级系统的证书不受本机信任：如区级系统使用自建根证书，请大厅负责人在“设置 → 区级系统与登记”固定该根证书，否则请区级系统管理员核对其证书；办件都保留在本机".into()
            }
            Failure::Busy { .. } => "区级系统繁忙，稍后自动重试".into(),
            Failure::ServerError { status } => {
                format!("区级系统暂时出错（{status}），办件已保存在本机，稍后自动重试")
            }
            Failure::AuthNeeded => {
                "区级系统不认可本机的接入凭据：请大厅负责人在“设置 → 区级系统与登记”用新的接入码重新登记本机，办件都保留在本机".into()
            }
            Failure::Forbidden => {
                "区级系统拒绝了本站的请求：请管理员核对站点编码与接入登记，办件都保留在本机".into()
            }
            Failure::WrongAddress { status } => format!(
                "区级系统地址不对（{status}）：请大厅负责人在“设置 → 区级系统与登记”核对区级系统地址，办件都保留在本机"
            ),
            Failure::Unreadable { status } => format!(
                "收到的不是区级系统的应答（{status}），网络可能需要先登录认证页面：请检查网络，办件都保留在本机"
            ),
            Failure::TooLarge => "一次上传的数据过多，正在分批重试".into(),
            Failure::BadRequest { status, message } => format!(
                "区级系统不接受本机的请求（{status}）：{message}。请联系运维人员，办件都保留在本机"
            ),
        }
    }

    /// Sorts a non-success answer.
    pub(crate) async fn of_answer(resp: reqwest::Response) -> Failure {
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Timestamp::now()));
        let code = status.as_u16();
        match status {
            s if s.is_redirection() || s.is_success() || s.is_informational() => {
                Failure::Unreadable { status: code }
            }
            StatusCode::UNAUTHORIZED => Failure::AuthNeeded,
            StatusCode::FORBIDDEN => Failure::Forbidden,
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED | StatusCode::GONE => {
                Failure::WrongAddress { status: code }
            }
            StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                Failure::Busy { retry_after }
            }
            StatusCode::REQUEST_TIMEOUT => Failure::ServerError { status: code },
            s if s.is_client_error() => {
                let body = error_body(resp).await;
                let Some(body) = body else {
                    return Failure::Unreadable { status: code };
                };
                Failure::BadRequest {
                    status: code,
                    message: body.message,
                }
            }
            _ => Failure::ServerError { status: code },
        }
    }
}

/// The district's error body, if the answer is one (a proxy's HTML page is not).
async fn error_body(resp: reqwest::Response) -> Option<ErrorBody> {
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !json {
        return None;
    }
    resp.json::<ErrorBody>().await.ok()
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

pub(crate) fn parse_http_date(value: &str) -> Option<Timestamp> {
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
    fn every_failure_tells_the_clerk_the_data_is_kept_or_retried() {
        for f in [
            Failure::Unreachable,
            Failure::Untrusted,
            Failure::AuthNeeded,
            Failure::Forbidden,
            Failure::WrongAddress { status: 404 },
            Failure::Unreadable { status: 200 },
            Failure::ServerError { status: 500 },
            Failure::TooLarge,
        ] {
            assert!(f.message_zh().contains("本机") || f.message_zh().contains("重试"));
        }
    }
}
