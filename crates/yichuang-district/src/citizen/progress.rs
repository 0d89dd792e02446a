//! `GET /progress?<signed query>`: the slip's case as the district knows it (status, official
//! number, dates), or that it is on its way from the station. Verified like the evaluation
//! page; never personal data (no name, ID or phone; no decision note or tracking number).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{Heading, failure, html, page, verify};
use crate::server::AppState;

pub(super) async fn show(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let v = match verify(&state, query.as_deref()).await {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let answer = async {
        let slip = state
            .store
            .slip_state(&v.qr.station_code, &v.qr.case_no)
            .await?;
        let heading = Heading::of(&state, &v.qr, &slip).await?;
        Ok(html(
            StatusCode::OK,
            page::progress(
                &heading,
                slip.case.as_ref(),
                slip.evaluation.is_some(),
                &v.query,
            ),
        ))
    };
    answer.await.unwrap_or_else(|e| failure(&e))
}
