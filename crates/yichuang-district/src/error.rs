//! The district server's error enum and how each error becomes an `{kind, message}` answer.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yichuang_sync::protocol::{ErrorBody, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum DistrictError {
    #[error("站点凭据无效、已吊销或已过期，请重新注册本机")]
    Unauthorized,
    #[error("该凭据不属于办件所在站点")]
    Forbidden,
    #[error("注册码无效、已使用或已过期，请向区级管理员重新申请")]
    EnrollCodeUnusable,
    #[error("该注册码不是为本站点签发的，请核对站点编码")]
    EnrollWrongStation,
    #[error("请求格式不正确：{0}")]
    BadRequest(String),
    #[error("同一办件编号已有内容不同的记录，区级系统未接收")]
    Conflict,
    #[error("内容不符合要求：{0}")]
    Invalid(String),
    #[error("提交的数据过大：{0}")]
    TooLarge(String),
    #[error("区级系统繁忙，请稍后重试")]
    Busy { retry_after_secs: u64 },
    #[error("未找到")]
    NotFound,
    #[error("区级数据库错误")]
    Db(#[from] rusqlite::Error),
    #[error("区级数据库记录损坏：{0}")]
    Corrupt(String),
    #[error("服务器文件或网络错误")]
    Io(#[from] std::io::Error),
    #[error("数据无法转换为 JSON")]
    Json(#[from] serde_json::Error),
    #[error("配置有误：{0}")]
    Config(String),
    /// TLS cannot work: the HTTPS certificate chain or key cannot serve, or the connection to
    /// PostgreSQL cannot be encrypted or its server trusted. The message says which and what
    /// to do.
    #[error("{message}")]
    Tls {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    #[error("服务器内部任务异常")]
    Task,
}

/// Seconds a station waits before trying again when the district's storage fails.
const STORAGE_RETRY_AFTER_SECS: u64 = 60;

impl DistrictError {
    /// The district's own storage failed (disk full, I/O error, database unopenable, locked
    /// or damaged): nothing about the records sent. Answered 503 with Retry-After, so that a
    /// station stops its round with every record untouched instead of blaming records one by
    /// one as it does for a 500 from a district that is otherwise fine.
    pub(crate) fn is_storage_failure(&self) -> bool {
        use rusqlite::ErrorCode as C;
        match self {
            DistrictError::Io(e) => {
                use std::io::ErrorKind as K;
                // ENOSPC, EIO, EROFS, EDQUOT: the disk, not the request (a body cut short by
                // the client is an I/O error too, and is not the district's outage).
                matches!(
                    e.kind(),
                    K::StorageFull | K::ReadOnlyFilesystem | K::QuotaExceeded
                ) || matches!(e.raw_os_error(), Some(5 | 28 | 30 | 122))
            }
            DistrictError::Db(e) => matches!(
                e.sqlite_error_code(),
                Some(
                    C::DiskFull
                        | C::SystemIoFailure
                        | C::CannotOpen
                        | C::ReadOnly
                        | C::DatabaseBusy
                        | C::DatabaseLocked
                        | C::DatabaseCorrupt
                        | C::NotADatabase
                        | C::OutOfMemory
                )
            ),
            _ => false,
        }
    }

    pub(crate) fn status_and_kind(&self) -> (StatusCode, ErrorKind) {
        match self {
            DistrictError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorKind::Unauthorized),
            DistrictError::Forbidden | DistrictError::EnrollWrongStation => {
                (StatusCode::FORBIDDEN, ErrorKind::Forbidden)
            }
            DistrictError::EnrollCodeUnusable => {
                (StatusCode::UNAUTHORIZED, ErrorKind::Unauthorized)
            }
            DistrictError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorKind::BadRequest),
            DistrictError::Conflict => (StatusCode::CONFLICT, ErrorKind::Conflict),
            DistrictError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorKind::Invalid),
            DistrictError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorKind::TooLarge),
            DistrictError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, ErrorKind::Busy),
            DistrictError::NotFound => (StatusCode::NOT_FOUND, ErrorKind::NotFound),
            _ if self.is_storage_failure() => (StatusCode::SERVICE_UNAVAILABLE, ErrorKind::Busy),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::Internal),
        }
    }
}

/// An [`ErrorBody`] answer with `status`; the one shape of every error the district sends.
pub(crate) fn error_answer(status: StatusCode, kind: ErrorKind, message: String) -> Response {
    (status, Json(ErrorBody { kind, message })).into_response()
}

impl IntoResponse for DistrictError {
    fn into_response(self) -> Response {
        let (status, kind) = self.status_and_kind();
        let storage = self.is_storage_failure();
        let message = if storage {
            tracing::error!(error = %self, source = ?std::error::Error::source(&self), "storage failed; answering 503");
            "区级系统存储故障，暂停接收，请稍后重试（办件保留在本机）".to_string()
        } else if status.is_server_error() && !matches!(self, DistrictError::Busy { .. }) {
            // The error's text and source name no personal data (messages are fixed, sources
            // are SQLite or IO errors).
            tracing::error!(error = %self, source = ?std::error::Error::source(&self), "request failed");
            "区级系统内部错误，请稍后重试".to_string()
        } else {
            self.to_string()
        };
        let mut resp = error_answer(status, kind, message);
        match self {
            DistrictError::Unauthorized | DistrictError::EnrollCodeUnusable => {
                resp.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            DistrictError::Busy { retry_after_secs } => {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            _ if storage => {
                resp.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(STORAGE_RETRY_AFTER_SECS),
                );
            }
            _ => {}
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_disk_is_a_503_and_a_refused_row_a_500() {
        let full = DistrictError::Io(std::io::Error::from_raw_os_error(28));
        let resp = full.into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()[header::RETRY_AFTER], "60");

        let disk = DistrictError::Db(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        ));
        assert!(disk.is_storage_failure());

        let cut = DistrictError::Io(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        assert!(
            !cut.is_storage_failure(),
            "a body cut short is not the disk"
        );

        let constraint = DistrictError::Db(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            None,
        ));
        assert!(!constraint.is_storage_failure());
        assert_eq!(
            constraint.into_response().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
