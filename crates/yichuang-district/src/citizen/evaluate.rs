//! `GET /hcp?<signed query>`: the evaluation form for the slip's case; `POST /hcp`: the
//! rating, verified again, recorded once per case (一次一评) with the channel of the slip's
//! payload mapped to the province's codes.
//!
//! Cross-site posting: the signed query is the capability (whoever holds the slip may rate),
//! and a browser's POST from another site is refused by its `Sec-Fetch-Site` or, for older
//! browsers, its `Origin` (403). Abuse: the body is limited (`MAX_FORM_BODY`), the comment to
//! core's limit, and a case takes one rating.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;
use uuid::Uuid;
use yichuang_core::EvaluationLevel;
use yichuang_core::evaluation::MAX_COMMENT_CHARS;

use super::{Heading, Verified, failure, html, page, refusal, verify};
use crate::DistrictError;
use crate::server::AppState;
use crate::store::{EvaluationOutcome, SlipRating};

pub(super) async fn show(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let verified = match verify(&state, query.as_deref()).await {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    answer(&state, &verified)
        .await
        .unwrap_or_else(|e| failure(&e))
}

async fn answer(state: &AppState, v: &Verified) -> Result<Response, DistrictError> {
    let slip = state
        .store
        .slip_state(&v.qr.station_code, &v.qr.case_no)
        .await?;
    let heading = Heading::of(state, &v.qr, &slip).await?;
    Ok(if slip.evaluation.is_some() {
        html(StatusCode::OK, page::already_rated(&heading, &v.query))
    } else {
        html(
            StatusCode::OK,
            page::form(&heading, &v.query, None, None, ""),
        )
    })
}

/// The form's fields (each may be missing: the page then says what to fill in).
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct RatingForm {
    /// The signed query the page was opened with.
    q: String,
    level: String,
    comment: String,
}

pub(super) async fn rate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    form: Result<Form<RatingForm>, FormRejection>,
) -> Response {
    if cross_site(&headers) {
        tracing::warn!("evaluation refused: posted from another site");
        return refusal(
            StatusCode::FORBIDDEN,
            "评价未提交",
            "评价只能在扫描回执二维码打开的本页提交。请重新扫描受理回执上的二维码。",
        );
    }
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            let status = rejection.status();
            tracing::warn!(%status, "evaluation refused: unreadable form");
            let text = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!(
                    "提交的内容过长。意见最多 {MAX_COMMENT_CHARS} 字，请重新扫描二维码后再提交。"
                )
            } else {
                "评价表单无法读取。请重新扫描受理回执上的二维码后再提交。".to_string()
            };
            return refusal(status, "评价未提交", &text);
        }
    };
    let verified = match verify(&state, Some(&form.q)).await {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    record(&state, &verified, form)
        .await
        .unwrap_or_else(|e| failure(&e))
}

async fn record(
    state: &AppState,
    v: &Verified,
    form: RatingForm,
) -> Result<Response, DistrictError> {
    let comment = form.comment.replace("\r\n", "\n");
    let comment = comment.trim();
    let level = form
        .level
        .parse::<u8>()
        .ok()
        .and_then(|c| EvaluationLevel::from_code(c).ok());
    let problem = match level {
        None => Some("请选择一个评价等级后再提交。".to_string()),
        Some(_) if comment.chars().count() > MAX_COMMENT_CHARS => Some(format!(
            "意见最多 {MAX_COMMENT_CHARS} 字，现有 {} 字，请删减后再提交。",
            comment.chars().count()
        )),
        Some(_)
            if comment
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t') =>
        {
            Some("意见中含有无法保存的控制字符，请删除后再提交。".to_string())
        }
        Some(_) => None,
    };
    let (Some(level), None) = (level, &problem) else {
        let slip = state
            .store
            .slip_state(&v.qr.station_code, &v.qr.case_no)
            .await?;
        let heading = Heading::of(state, &v.qr, &slip).await?;
        let chosen = level.map(EvaluationLevel::code);
        return Ok(html(
            StatusCode::BAD_REQUEST,
            page::form(&heading, &v.query, problem.as_deref(), chosen, comment),
        ));
    };
    let rating = SlipRating {
        id: Uuid::now_v7(),
        station_code: v.qr.station_code.clone(),
        case_no: v.qr.case_no.clone(),
        item_code: v.qr.item_code.clone(),
        level: level.code(),
        comment: (!comment.is_empty()).then(|| comment.to_string()),
        channel: v.qr.channel.clone(),
        codes: state.evaluation_codes.map(level, &v.qr.channel),
        rated_at: Timestamp::now(),
    };
    let outcome = state.store.rate_slip(rating).await?;
    let slip = state
        .store
        .slip_state(&v.qr.station_code, &v.qr.case_no)
        .await?;
    let heading = Heading::of(state, &v.qr, &slip).await?;
    Ok(match outcome {
        EvaluationOutcome::Stored { .. } => {
            tracing::info!(station = %v.qr.station_code, linked = slip.case.is_some(), "evaluation recorded from the slip page");
            html(StatusCode::OK, page::thanks(&heading, level, &v.query))
        }
        // A slip's rating needs no case (it links when the case arrives): only a rating of
        // the case already is refused.
        EvaluationOutcome::Conflict(_) | EvaluationOutcome::UnknownCase => {
            tracing::info!(station = %v.qr.station_code, "evaluation refused: the case is rated already");
            html(
                StatusCode::CONFLICT,
                page::already_rated(&heading, &v.query),
            )
        }
    })
}

/// Whether a browser says the form was posted from another site: `Sec-Fetch-Site` when it
/// sends one, else an `Origin` whose host is not this request's host. A POST with neither
/// (not a modern browser's) is let through: it still needs the signed query.
fn cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text(header::ORIGIN.as_str()) else {
        return false;
    };
    let origin_host = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .trim_end_matches('/');
    let host = text("x-forwarded-host").or_else(|| text(header::HOST.as_str()));
    host.is_none_or(|host| !origin_host.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn posts_from_another_site_are_told_apart() {
        assert!(!cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(&headers(&[
            ("origin", "https://zw.example.gov.cn"),
            ("host", "zw.example.gov.cn")
        ])));
        assert!(cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "zw.example.gov.cn")
        ])));
        assert!(cross_site(&headers(&[
            ("origin", "null"),
            ("host", "zw.example.gov.cn")
        ])));
        assert!(!cross_site(&headers(&[("host", "zw.example.gov.cn")])));
    }
}
