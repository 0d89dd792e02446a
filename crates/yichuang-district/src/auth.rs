//! Who is calling: the bearer device token, looked up by its SHA-256 in the store (the
//! token itself is never kept or compared).

use axum::http::{HeaderMap, header};
use jiff::Timestamp;

use crate::DistrictError;
use crate::secrets::SecretHash;
use crate::server::AppState;
use crate::store::Device;

/// Longest bearer token read (ours are 64 hex digits; the demo's are short words).
const MAX_TOKEN_LEN: usize = 256;

/// The live device the request's bearer token belongs to, else `Unauthorized`.
pub(crate) async fn device(state: &AppState, headers: &HeaderMap) -> Result<Device, DistrictError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_LEN)
        .ok_or(DistrictError::Unauthorized)?;
    state
        .store
        .device_by_token(&SecretHash::of(token), Timestamp::now())
        .await?
        .ok_or(DistrictError::Unauthorized)
}
