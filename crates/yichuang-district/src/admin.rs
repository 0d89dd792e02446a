//! The district officer's read-only page at `/admin`: each station's devices with their
//! health, and the newest cases with their status. Protected by the admin token (HTTP
//! Basic password or Bearer), compared in constant time.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use maud::{DOCTYPE, Markup, html};

use crate::secrets::secrets_equal;
use crate::server::AppState;
use crate::store::{CaseSummary, DeviceHealth};
use crate::{DistrictError, officer};

/// Cases shown on the page.
const RECENT_CASES: u32 = 50;

pub(crate) fn router() -> Router<Arc<AppState>> {
    Router::new().route("/admin", get(page))
}

async fn page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, DistrictError> {
    let Some(expected) = &state.admin_token else {
        return Err(DistrictError::NotFound);
    };
    if !presented_token(&headers).is_some_and(|t| secrets_equal(t.as_bytes(), expected.as_bytes()))
    {
        tracing::warn!("admin page refused: wrong or missing admin token");
        let mut resp = (StatusCode::UNAUTHORIZED, Html("需要区级管理员口令")).into_response();
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"yichuang-district\", charset=\"UTF-8\""),
        );
        return Ok(resp);
    }
    let devices = state.store.device_health().await?;
    let cases = state.store.recent_cases(RECENT_CASES).await?;
    Ok(Html(render(&state.region_code, &devices, &cases).into_string()).into_response())
}

/// The token of `Authorization: Bearer T` or the password of `Authorization: Basic`.
fn presented_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(token) = value.strip_prefix("Bearer ") {
        return Some(token.trim().to_string());
    }
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':')
        .map(|(_, password)| password.to_string())
}

fn render(region: &str, devices: &[DeviceHealth], cases: &[CaseSummary]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { "区级系统 " (region) " · 站点与办件" }
                style { "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #999;padding:.25em .6em;text-align:left}.bad{color:#b00}" }
            }
            body {
                h1 { "区级系统 " (region) }
                h2 { "站点设备" }
                table {
                    tr { th { "站点" } th { "设备" } th { "状态" } th { "最近联系" } th { "版本" }
                         th { "待上传" } th { "隔离" } th { "待传材料" } th { "最近问题" } }
                    @for d in devices {
                        tr {
                            td { (d.station_code) " " (d.station_name) }
                            td { (d.device_name) }
                            td class=[(!d.live).then_some("bad")] { (if d.live { "有效" } else { "已停用" }) }
                            td { (officer::seen(d.last_seen_at)) }
                            td { (d.app_version.as_deref().unwrap_or("—")) }
                            td { (officer::count(d.queue_depth)) }
                            td { (officer::count(d.quarantined)) }
                            td { (officer::count(d.materials_pending)) }
                            td class="bad" { (d.last_error.as_deref().unwrap_or("")) }
                        }
                    }
                }
                h2 { "最近办件" }
                table {
                    tr { th { "区级编号" } th { "站点" } th { "事项编码" } th { "接收时间" } th { "状态" } }
                    @for c in cases {
                        tr {
                            td { (c.official_case_no) }
                            td { (c.station_code) }
                            td { (c.item_code) }
                            td { (officer::seen(Some(c.received_at))) }
                            td { (c.status.map_or("审批中", |s| s.label())) }
                        }
                    }
                }
            }
        }
    }
}
