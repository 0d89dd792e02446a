//! What stations download: reference documents by version (`ETag` / `If-None-Match`) and
//! their own cases' status changes by cursor.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yichuang_sync::protocol::v2::downloads::{MAX_STATUS_CHANGES, ReferenceKind, StatusChanges};

use crate::server::AppState;
use crate::{DistrictError, auth};

/// Changes sent when the station names no `limit`.
const DEFAULT_LIMIT: u32 = 500;

/// The current version of a reference document.
#[utoipa::path(get, path = "/api/v2/reference/{kind}", tag = "v2",
    params(
        ("kind" = String, Path, description = "catalogue、calendar、credit-list 或 clerks"),
        ("If-None-Match" = Option<String>, Header, description = "站点已有的版本，带引号"),
    ),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "当前版本的文档（JSON），ETag 为其版本", body = Object),
        (status = 304, description = "站点已有当前版本"),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
        (status = 404, description = "未知类型或尚未发布", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn reference(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> Result<Response, DistrictError> {
    auth::device(&state, &headers).await?;
    let kind = ReferenceKind::from_path_segment(&kind).ok_or(DistrictError::NotFound)?;
    let Some(current) = state.store.current_reference(kind).await? else {
        return Err(DistrictError::NotFound);
    };
    let etag = HeaderValue::from_str(&format!("\"{}\"", current.version))
        .map_err(|_| DistrictError::Corrupt("参考数据版本号含非法字符".into()))?;
    let has_current = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|t| t == current.version || t == "*");
    if has_current {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    Ok((
        StatusCode::OK,
        [
            (header::ETAG, etag),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        current.document,
    )
        .into_response())
}

/// Query of [`status_changes`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct Cursor {
    /// The last `seq` the station has (0 for none).
    after: Option<i64>,
    /// Most changes wanted (at most 5000).
    limit: Option<u32>,
}

/// The calling station's status changes after a cursor.
#[utoipa::path(get, path = "/api/v2/status-changes", tag = "v2", params(Cursor),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "按 seq 排序的状态变更", body = StatusChanges),
        (status = 400, description = "游标不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "凭据无效", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn status_changes(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<Cursor>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<StatusChanges>, DistrictError> {
    let device = auth::device(&state, &headers).await?;
    let Query(cursor) =
        query.map_err(|_| DistrictError::BadRequest("after 与 limit 应为非负整数".into()))?;
    let after = cursor.after.unwrap_or(0);
    if after < 0 {
        return Err(DistrictError::BadRequest("after 不能为负数".into()));
    }
    let max = u32::try_from(MAX_STATUS_CHANGES).unwrap_or(u32::MAX);
    let limit = cursor.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, max);
    let mut changes = state
        .store
        .status_changes(&device.station_code, after, limit + 1)
        .await?;
    let more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next_after = changes.last().map_or(after, |c| c.seq);
    Ok(Json(StatusChanges {
        changes,
        next_after,
        more,
    }))
}
