//! The district server's error enum and how each error becomes an `{kind, message}` answer.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use yichuang_sync::protocol::{ErrorBody, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum DistrictError {
    #[error("站点凭据无效或已过期")]
    Unauthorized,
    #[error("该凭据不属于办件所在站点")]
    Forbidden,
    #[error("请求格式不正确：{0}")]
    BadRequest(String),
    #[error("同一办件编号已有内容不同的记录，区级系统未接收")]
    Conflict,
    #[error("未找到")]
    NotFound,
    #[error("区级数据库错误：{0}")]
    Db(#[from] rusqlite::Error),
    #[error("区级数据库记录损坏：{0}")]
    Corrupt(String),
    #[error("服务器文件或网络错误：{0}")]
    Io(#[from] std::io::Error),
    #[error("配置有误：{0}")]
    Config(String),
    #[error("服务器内部任务异常")]
    Task,
}

impl DistrictError {
    fn status_and_kind(&self) -> (StatusCode, ErrorKind) {
        match self {
            DistrictError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorKind::Unauthorized),
            DistrictError::Forbidden => (StatusCode::FORBIDDEN, ErrorKind::Forbidden),
            DistrictError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorKind::BadRequest),
            DistrictError::Conflict => (StatusCode::CONFLICT, ErrorKind::Conflict),
            DistrictError::NotFound => (StatusCode::NOT_FOUND, ErrorKind::NotFound),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::Internal),
        }
    }
}

impl IntoResponse for DistrictError {
    fn into_response(self) -> Response {
        let (status, kind) = self.status_and_kind();
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "区级系统内部错误，请稍后重试".to_string()
        } else {
            self.to_string()
        };
        let mut resp = (status, Json(ErrorBody { kind, message })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}
