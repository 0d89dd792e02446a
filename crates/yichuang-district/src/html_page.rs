//! The one way the district answers with an HTML page (the admin page, the citizen's pages):
//! never cached (they name cases or show one-time codes), never framed, no script, and no
//! referrer, so a signed query or a code cannot leak to another site.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

/// `markup` as an HTML answer with `status` and the headers above.
pub(crate) fn html(status: StatusCode, markup: Markup) -> Response {
    let mut resp = (status, Html(markup.into_string())).into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}
