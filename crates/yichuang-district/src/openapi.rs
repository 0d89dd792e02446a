//! The OpenAPI document of protocol v2, generated from the handlers and the wire types
//! (`docs/openapi-v2.json` is this, written by a test that fails when it is out of date).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use yichuang_sync::protocol::v2;

/// The error answer's shape for the document (`yichuang_sync::protocol::ErrorBody` lives
/// outside protocol/v2 and has no schema derive; a test checks the two agree).
#[derive(ToSchema)]
#[schema(as = ErrorBody)]
#[allow(dead_code)]
pub struct ErrorBodyDoc {
    /// unauthorized, forbidden, bad_request, conflict, not_found, invalid, too_large, busy,
    /// internal
    kind: String,
    /// 给窗口人员看的中文说明，不含个人信息
    message: String,
}

struct DeviceToken;

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "一窗受理台 区级同步协议", version = "2",
        description = "Protocol v2 between a station (一窗受理台) and the district. Errors are an ErrorBody; every answer carries the district clock in Date."),
    paths(
        crate::v2::health,
        crate::v2::enroll::enroll,
        crate::v2::cases::batch,
        crate::v2::materials::check,
        crate::v2::materials::head_material,
        crate::v2::materials::patch_material,
        crate::v2::downloads::reference,
        crate::v2::downloads::status_changes,
        crate::v2::report::report,
        crate::v2::evaluations::batch,
        crate::v2::handovers::batch,
    ),
    components(schemas(
        ErrorBodyDoc,
        v2::Health,
        v2::enroll::EnrollRequest,
        v2::enroll::Enrollment,
        v2::cases::CaseBatch,
        v2::cases::CaseRecord,
        v2::cases::RecordResult,
        v2::cases::BatchAnswer,
        v2::materials::MaterialRef,
        v2::materials::MaterialCheck,
        v2::materials::MaterialNeeds,
        v2::materials::MaterialNeed,
        v2::downloads::ReferenceKind,
        v2::downloads::ClerkAccounts,
        v2::downloads::ClerkAccount,
        v2::downloads::StatusChanges,
        v2::report::StationReport,
        v2::evaluations::EvaluationBatch,
        v2::evaluations::EvaluationRecord,
        v2::evaluations::EvaluationResult,
        v2::evaluations::EvaluationAnswer,
        v2::handovers::HandoverBatch,
        v2::handovers::HandoverRecord,
        v2::handovers::HandoverResult,
        v2::handovers::HandoverAnswer,
    )),
    modifiers(&DeviceToken),
    tags((name = "v2", description = "站点与区级之间的同步协议第 2 版"))
)]
pub struct ApiDoc;

/// The document as pretty JSON with a final newline (what `docs/openapi-v2.json` holds).
pub fn openapi_json() -> Result<String, serde_json::Error> {
    let mut text = ApiDoc::openapi().to_pretty_json()?;
    text.push('\n');
    Ok(text)
}
