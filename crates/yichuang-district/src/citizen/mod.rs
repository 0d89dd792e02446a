//! The citizen's pages behind the QR codes on a slip (issue 7 point 3): the evaluation page
//! `/hcp` (好差评, 一次一评) and the progress page `/progress`, both opened with the query the
//! station signed offline. Server-rendered HTML for a phone, no script, no outside assets;
//! the signature is checked before anything about the case is shown, and a forged, altered or
//! unknown code gets a page saying so (400), never a form.

mod evaluate;
mod page;
mod progress;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use yichuang_core::Catalogue;
use yichuang_core::evaluation_qr::EvaluationQr;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use crate::html_page::html;
use crate::server::AppState;
use crate::{DistrictError, DistrictStore, verify_evaluation_qr};

/// The evaluation page (the station's `evaluation_base_url` is `{district}/hcp`).
pub(crate) const EVALUATE_PATH: &str = "/hcp";
/// The progress page (the slip's second QR: the same signed query at `{district}/progress`).
pub(crate) const PROGRESS_PATH: &str = "/progress";
/// Largest form body read: a 500-character comment percent-encoded (9 bytes a character)
/// and the signed query fit with room to spare.
const MAX_FORM_BODY: usize = 16 * 1024;
/// Longest signed query read (a real one is ≈ 200 characters).
const MAX_QUERY_LEN: usize = 2048;
/// How long item names read from the catalogue are used before they are read again.
const NAMES_FOR: Duration = Duration::from_secs(60);

pub(crate) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(EVALUATE_PATH, get(evaluate::show).post(evaluate::rate))
        .route(PROGRESS_PATH, get(progress::show))
        .layer(DefaultBodyLimit::max(MAX_FORM_BODY))
}

/// A page that only says why (in Chinese, what to do), with `status`.
fn refusal(status: StatusCode, title: &str, message: &str) -> Response {
    html(status, page::message(title, message, None))
}

/// The page for a failure of the district itself (its database): try again later.
fn failure(err: &DistrictError) -> Response {
    let (status, _) = err.status_and_kind();
    tracing::error!(error = %err, source = ?std::error::Error::source(err), "citizen page failed");
    refusal(
        status,
        "暂时无法处理",
        "区县系统暂时无法处理您的请求，请稍后再扫描回执上的二维码重试。",
    )
}

/// A signed query checked with the station's registered keys.
struct Verified {
    qr: EvaluationQr,
    /// The query as received (what the pages link and the form carries back).
    query: String,
}

/// Checks `query` (the part after `?`); the answer refusing it otherwise: 400 for a code that
/// is missing, forged, altered or signed with a key the district does not know.
async fn verify(state: &AppState, query: Option<&str>) -> Result<Verified, Box<Response>> {
    let query = query.unwrap_or_default();
    if query.is_empty() || query.len() > MAX_QUERY_LEN {
        tracing::warn!(len = query.len(), "citizen page refused: no signed query");
        return Err(Box::new(refusal(
            StatusCode::BAD_REQUEST,
            "二维码内容不完整",
            "没有读到回执二维码的内容。请用手机扫描受理回执上的二维码打开本页。",
        )));
    }
    match verify_evaluation_qr(state.store.as_ref(), &format!("?{query}")).await {
        Ok(qr) => Ok(Verified {
            qr,
            query: query.to_string(),
        }),
        Err(DistrictError::Invalid(reason)) => {
            tracing::warn!(%reason, "citizen page refused: the signed query does not verify");
            Err(Box::new(refusal(
                StatusCode::BAD_REQUEST,
                "二维码无法核验",
                &format!(
                    "{reason}。本页只接受区县系统登记过的受理站点签发的回执二维码，请核对回执或向受理窗口咨询。"
                ),
            )))
        }
        Err(other) => Err(Box::new(failure(&other))),
    }
}

/// Item names by code, as read at an instant.
type Names = (Instant, Arc<HashMap<String, String>>);

/// Item names by code from the published catalogue, read again every [`NAMES_FOR`].
#[derive(Default)]
pub(crate) struct ItemNames {
    cached: Mutex<Option<Names>>,
}

impl ItemNames {
    /// The catalogue's name of `code`, if the catalogue has it.
    async fn name(
        &self,
        store: &dyn DistrictStore,
        code: &str,
    ) -> Result<Option<String>, DistrictError> {
        let fresh = {
            let cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
            cached
                .as_ref()
                .filter(|(at, _)| at.elapsed() < NAMES_FOR)
                .map(|(_, names)| Arc::clone(names))
        };
        let names = match fresh {
            Some(names) => names,
            None => {
                let names = Arc::new(read_names(store).await?);
                *self.cached.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((Instant::now(), Arc::clone(&names)));
                names
            }
        };
        Ok(names.get(code).cloned())
    }
}

async fn read_names(store: &dyn DistrictStore) -> Result<HashMap<String, String>, DistrictError> {
    let Some(current) = store.current_reference(ReferenceKind::Catalogue).await? else {
        return Ok(HashMap::new());
    };
    match Catalogue::from_json(&current.document) {
        Ok(catalogue) => Ok(catalogue
            .items
            .into_iter()
            .map(|item| (item.item_code, item.name))
            .collect()),
        Err(e) => {
            tracing::warn!(version = %current.version, error = %e, "catalogue unreadable; item codes shown");
            Ok(HashMap::new())
        }
    }
}

/// What the pages say about the slip's case: its numbers, item and station.
struct Heading {
    case_no: String,
    item: String,
    station: String,
}

impl Heading {
    /// The item's catalogue name, else the name the station sent with the case, else its code;
    /// the station's name, else its code.
    async fn of(
        state: &AppState,
        qr: &EvaluationQr,
        slip: &crate::store::SlipState,
    ) -> Result<Heading, DistrictError> {
        let catalogue = state
            .item_names
            .name(state.store.as_ref(), &qr.item_code)
            .await?;
        let item = catalogue
            .or_else(|| slip.case.as_ref().and_then(|c| c.item_name.clone()))
            .unwrap_or_else(|| format!("事项编码 {}", qr.item_code));
        Ok(Heading {
            case_no: qr.case_no.clone(),
            item,
            station: slip
                .station_name
                .clone()
                .unwrap_or_else(|| format!("站点 {}", qr.station_code)),
        })
    }
}
