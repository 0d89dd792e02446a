//! Materials: which ones the district lacks, and the resumable upload of one (`HEAD` for
//! the offset, `PATCH` a piece), streamed to a partial file and verified at the end.

use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use tokio::io::AsyncWriteExt;
use yichuang_sync::protocol::v2::materials::{
    MAX_CHECK_HASHES, MAX_MATERIAL_BYTES, MaterialCheck, MaterialNeed, MaterialNeeds,
    UPLOAD_LENGTH, UPLOAD_OFFSET, is_sha256_hex,
};

use super::parse_json;
use crate::server::AppState;
use crate::{DistrictError, auth};

/// How long a piece waits for an earlier upload of the same material to finish.
const UPLOAD_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The axum route of one material.
pub(crate) const MATERIAL_ROUTE: &str = "/api/v2/materials/{sha256}";

/// Which of these materials the district lacks, with the bytes it has of each.
#[utoipa::path(post, path = "/api/v2/materials/check", tag = "v2",
    request_body = MaterialCheck, security(("device_token" = [])),
    responses(
        (status = 200, description = "区级缺少的材料及已收到的字节数", body = MaterialNeeds),
        (status = 400, description = "摘要格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 413, description = "一次询问的摘要过多", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<MaterialNeeds>, DistrictError> {
    auth::device(&state, &headers).await?;
    let req: MaterialCheck = parse_json(&body, "材料查询")?;
    if req.sha256.len() > MAX_CHECK_HASHES {
        return Err(DistrictError::TooLarge(format!(
            "一次最多询问 {MAX_CHECK_HASHES} 份材料"
        )));
    }
    let mut missing = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for sha in req.sha256 {
        check_sha(&sha)?;
        if seen.insert(sha.clone()) && state.vault.complete_len(&sha).await.is_none() {
            let offset = state.vault.partial_len(&sha).await;
            missing.push(MaterialNeed {
                sha256: sha,
                offset,
            });
        }
    }
    Ok(Json(MaterialNeeds { missing }))
}

/// How much of a material the district holds.
#[utoipa::path(head, path = "/api/v2/materials/{sha256}", tag = "v2",
    params(("sha256" = String, Path, description = "材料的 SHA-256，64 位小写十六进制")),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "区级已有完整材料"),
        (status = 404, description = "尚未收全；Upload-Offset 为已收到的字节数",
            headers(("upload-offset" = u64, description = "已收到的字节数"))),
    ))]
pub(crate) async fn head_material(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> Result<Response, DistrictError> {
    auth::device(&state, &headers).await?;
    check_sha(&sha)?;
    if let Some(len) = state.vault.complete_len(&sha).await {
        return Ok(with_offset(StatusCode::OK, len));
    }
    Ok(with_offset(
        StatusCode::NOT_FOUND,
        state.vault.partial_len(&sha).await,
    ))
}

/// Upload a piece of a material, from the offset the district holds.
#[utoipa::path(patch, path = "/api/v2/materials/{sha256}", tag = "v2",
    params(
        ("sha256" = String, Path, description = "材料的 SHA-256，64 位小写十六进制"),
        ("upload-offset" = u64, Header, description = "本段起始位置，须等于区级已有的字节数"),
        ("upload-length" = u64, Header, description = "材料的总字节数"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("device_token" = [])),
    responses(
        (status = 201, description = "材料已收全并通过摘要校验"),
        (status = 204, description = "已收到本段；Upload-Offset 为新的位置"),
        (status = 409, description = "起始位置不对；Upload-Offset 为区级已有的字节数", body = crate::openapi::ErrorBodyDoc),
        (status = 413, description = "材料超过大小上限", body = crate::openapi::ErrorBodyDoc),
        (status = 422, description = "内容与摘要不符，已丢弃", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn patch_material(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
    body: Body,
) -> Result<Response, DistrictError> {
    auth::device(&state, &headers).await?;
    check_sha(&sha)?;
    let length = number_header(&headers, UPLOAD_LENGTH)?;
    if length > MAX_MATERIAL_BYTES {
        return Err(DistrictError::TooLarge(format!(
            "单份材料不能超过 {} MB",
            MAX_MATERIAL_BYTES / 1024 / 1024
        )));
    }
    let offset = number_header(&headers, UPLOAD_OFFSET)?;
    if length == 0 || offset > length {
        return Err(DistrictError::BadRequest(
            "Upload-Offset 或 Upload-Length 不正确".into(),
        ));
    }
    if let Some(len) = state.vault.complete_len(&sha).await {
        return Ok(unread_body(with_offset(StatusCode::CREATED, len)));
    }
    let lock = state.vault.upload_lock(&sha);
    // A connection that just broke may still be writing its last bytes: wait a little.
    let Ok(_guard) = tokio::time::timeout(UPLOAD_LOCK_WAIT, lock.lock()).await else {
        // Another connection is still sending this material: resume after it.
        let held = state.vault.partial_len(&sha).await;
        return Ok(unread_body(conflict(
            held,
            "该材料正在上传，请稍后从已收到的位置续传",
        )));
    };
    let mut held = state.vault.partial_len(&sha).await;
    if held > length {
        tracing::warn!("partial material longer than its declared length, discarded");
        state.vault.discard_partial(&sha).await?;
        held = 0;
    }
    if offset != held {
        return Ok(unread_body(conflict(held, "续传位置与区级已收到的不一致")));
    }
    let cut_after = state.faults.as_ref().and_then(|f| f.take_material_cut());
    let received = receive(&state, &sha, body, length - offset, cut_after).await?;
    let held = offset + received;
    if held < length {
        return Ok(with_offset(StatusCode::NO_CONTENT, held));
    }
    if state.vault.complete(&sha).await? {
        tracing::info!(bytes = length, "material complete");
        Ok(with_offset(StatusCode::CREATED, length))
    } else {
        tracing::warn!(bytes = length, "material did not match its hash, discarded");
        Err(DistrictError::Invalid(
            "材料内容与其摘要不符，已丢弃，请重新扫描后上传".into(),
        ))
    }
}

/// Streams the body onto the partial file (never more than `room` bytes); returns how
/// many bytes were written. What arrived before a broken connection is kept.
async fn receive(
    state: &AppState,
    sha: &str,
    mut body: Body,
    room: u64,
    cut_after: Option<u64>,
) -> Result<u64, DistrictError> {
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.vault.partial_path(sha))
        .await?;
    let mut written: u64 = 0;
    let outcome = loop {
        let frame = match body.frame().await {
            None => break Ok(()),
            Some(Err(_)) => break Err(DistrictError::BadRequest("材料上传中断，请续传".into())),
            Some(Ok(frame)) => frame,
        };
        let Ok(mut data) = frame.into_data() else {
            continue;
        };
        if let Some(cut) = cut_after {
            let allowed = usize::try_from(cut.saturating_sub(written)).unwrap_or(usize::MAX);
            if data.len() >= allowed {
                data.truncate(allowed);
                file.write_all(&data).await?;
                file.flush().await?;
                file.sync_data().await?;
                crate::faults::cut_connection();
            }
        }
        let len = data.len() as u64;
        if written + len > room {
            break Err(DistrictError::TooLarge(
                "上传的字节超过声明的材料大小".into(),
            ));
        }
        file.write_all(&data).await?;
        written += len;
    };
    file.flush().await?;
    file.sync_data().await?;
    if outcome.is_err() {
        tracing::warn!(kept = written, "material upload broke off; partial kept");
    }
    outcome.map(|()| written)
}

fn check_sha(sha: &str) -> Result<(), DistrictError> {
    if is_sha256_hex(sha) {
        Ok(())
    } else {
        Err(DistrictError::BadRequest(
            "材料摘要应为 64 位小写十六进制 SHA-256".into(),
        ))
    }
}

fn number_header(headers: &HeaderMap, name: &str) -> Result<u64, DistrictError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| DistrictError::BadRequest(format!("缺少或无法读取请求头 {name}")))
}

/// An answer given without reading the request body: the connection is closed after it, so
/// the client does not send its next request on a connection whose body is still unread.
fn unread_body(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

fn with_offset(status: StatusCode, offset: u64) -> Response {
    (status, [(UPLOAD_OFFSET, HeaderValue::from(offset))]).into_response()
}

fn conflict(held: u64, message: &str) -> Response {
    let mut resp = crate::error::error_answer(
        StatusCode::CONFLICT,
        yichuang_sync::protocol::ErrorKind::Conflict,
        message.to_string(),
    );
    resp.headers_mut()
        .insert(UPLOAD_OFFSET, HeaderValue::from(held));
    resp
}
