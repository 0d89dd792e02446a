//! The publish form: reference data from a chosen file or pasted text, checked like every
//! officer form (session, then CSRF token) before anything is read into the store, then
//! published through `officer::publish` as the CLI does.

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use super::admin;
use super::forms::{csrf_checked, done, live_session, refused, unreadable};
use super::page::Notice;
use super::upload;
use crate::server::AppState;
use crate::{DistrictError, officer};

pub(super) async fn publish(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, DistrictError> {
    let session = match live_session(admin(&state)?, &headers) {
        Ok(session) => session,
        Err(refusal) => return Ok(*refusal),
    };
    let Ok(multipart) = body else {
        return Ok(*unreadable());
    };
    let (fields, file) = match upload::read(multipart).await {
        Ok(read) => read,
        Err(e) if upload::over_limit(&e) => return Ok(upload::too_large()),
        Err(_) => return Ok(*unreadable()),
    };
    if let Err(refusal) = csrf_checked(&session, &fields.csrf) {
        return Ok(*refusal);
    }
    let Some(kind) = ReferenceKind::from_path_segment(&fields.kind) else {
        let e = DistrictError::BadRequest("请选择要发布的数据种类".into());
        return refused(&state, &session, e, fields, "publish").await;
    };
    let text = match upload::document(kind, file.as_ref(), &fields.document) {
        Ok(text) => text,
        Err(e) => return refused(&state, &session, e, fields, "publish").await,
    };
    match officer::publish(&*state.store, kind, text).await {
        Ok(version) => {
            tracing::info!(kind = kind.path_segment(), %version, from_file = file.is_some(), "admin published reference data");
            let notice = Notice::Done(format!(
                "已发布{}版本 {version}，各站点下次同步时取得。",
                kind.label()
            ));
            done(&state, &session, notice).await
        }
        Err(DistrictError::Conflict) => {
            let e = DistrictError::Invalid(format!(
                "该版本号的{}已发布过不同的内容。请在文件的 version 中改用新的版本号后再发布。",
                kind.label()
            ));
            let (status, _) = DistrictError::Conflict.status_and_kind();
            let mut resp = refused(&state, &session, e, fields, "publish").await?;
            *resp.status_mut() = status;
            Ok(resp)
        }
        // Which file it was, when the content of a chosen file is refused.
        Err(DistrictError::Invalid(m)) => {
            let e = match &file {
                Some(f) => DistrictError::Invalid(format!("{m}（所选文件 {}）", f.name)),
                None => DistrictError::Invalid(m),
            };
            refused(&state, &session, e, fields, "publish").await
        }
        Err(e) => refused(&state, &session, e, fields, "publish").await,
    }
}
