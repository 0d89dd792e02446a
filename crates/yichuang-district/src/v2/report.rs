//! `POST station-report`: a device's health at the end of its sync round, for the
//! officer's page and `stations`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use yichuang_sync::protocol::v2::report::{MAX_REPORT_TEXT, StationReport};

use super::{check_text, parse_json};
use crate::server::AppState;
use crate::{DistrictError, auth};

/// Report the station's sync health.
#[utoipa::path(post, path = "/api/v2/station-report", tag = "v2",
    request_body = StationReport, security(("device_token" = [])),
    responses(
        (status = 204, description = "已记录"),
        (status = 400, description = "请求格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn report(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let report: StationReport = parse_json(&body, "站点报告")?;
    check_text("app_version", &report.app_version, 64, true).map_err(DistrictError::BadRequest)?;
    if report
        .last_error
        .as_ref()
        .is_some_and(|e| e.chars().count() > MAX_REPORT_TEXT)
    {
        return Err(DistrictError::BadRequest(format!(
            "last_error 不能超过 {MAX_REPORT_TEXT} 个字符"
        )));
    }
    state
        .store
        .record_report(device.id, &report, Timestamp::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
