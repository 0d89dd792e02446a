//! `POST enroll`: trade a one-time code for a device token (the token is shown once and
//! kept only as its hash).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use yichuang_core::StationCode;
use yichuang_sync::protocol::v2::enroll::{EnrollRequest, Enrollment, MAX_CODE_LEN};

use super::{check_text, parse_json};
use crate::DistrictError;
use crate::secrets::{SecretHash, new_device_token, normalize_enroll_code};
use crate::server::AppState;
use crate::store::{Redeem, RedeemRefusal};
use yichuang_core::evaluation_qr::QrPublicKey;

/// Trade an enrollment code for a device token.
#[utoipa::path(post, path = "/api/v2/enroll", tag = "v2",
    request_body = EnrollRequest,
    responses(
        (status = 201, description = "注册成功，凭据只显示这一次", body = Enrollment),
        (status = 400, description = "请求格式不正确", body = crate::openapi::ErrorBodyDoc),
        (status = 401, description = "注册码无效、已使用或已过期", body = crate::openapi::ErrorBodyDoc),
        (status = 403, description = "注册码不是为该站点签发的", body = crate::openapi::ErrorBodyDoc),
    ))]
pub(crate) async fn enroll(
    State(state): State<Arc<AppState>>,
    body: Bytes,
) -> Result<(StatusCode, Json<Enrollment>), DistrictError> {
    let req: EnrollRequest = parse_json(&body, "注册请求")?;
    check_text("code", &req.code, MAX_CODE_LEN, false).map_err(DistrictError::BadRequest)?;
    StationCode::try_from(req.station_code.clone())
        .map_err(|e| DistrictError::BadRequest(e.to_string()))?;
    check_text("device_name", &req.device_name, 64, true).map_err(DistrictError::BadRequest)?;
    check_text("app_version", &req.app_version, 64, true).map_err(DistrictError::BadRequest)?;
    // A key that is not one is refused now, not found out when a citizen scans a slip.
    let qr_public_key = req
        .qr_public_key
        .as_deref()
        .map(|k| {
            QrPublicKey::from_hex(k).map(|k| k.to_hex()).map_err(|_| {
                DistrictError::BadRequest("qr_public_key 不是有效的 Ed25519 公钥".into())
            })
        })
        .transpose()?;
    let token = new_device_token()?;
    let device_name = if req.device_name.trim().is_empty() {
        "未命名设备".to_string()
    } else {
        req.device_name.clone()
    };
    let redeemed = state
        .store
        .redeem_enroll_code(Redeem {
            code: SecretHash::of(&normalize_enroll_code(&req.code)),
            station_code: req.station_code.clone(),
            device_name,
            app_version: req.app_version.clone(),
            token: SecretHash::of(&token),
            qr_public_key,
            now: Timestamp::now(),
        })
        .await?;
    match redeemed {
        Ok(enrolled) => {
            tracing::info!(station = %req.station_code, device_id = enrolled.device_id, "device enrolled");
            Ok((
                StatusCode::CREATED,
                Json(Enrollment {
                    device_token: token,
                    station_code: req.station_code,
                    station_name: enrolled.station_name,
                    region_code: state.region_code.clone(),
                }),
            ))
        }
        Err(RedeemRefusal::Unusable) => Err(DistrictError::EnrollCodeUnusable),
        Err(RedeemRefusal::WrongStation) => Err(DistrictError::EnrollWrongStation),
    }
}
