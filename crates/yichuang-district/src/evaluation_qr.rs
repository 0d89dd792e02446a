//! Checking an evaluation QR code (好差评) a station signed offline, with the public keys its
//! devices registered at enrollment (issue 7 point 3; the evaluation page builds on this).

use yichuang_core::evaluation_qr::{EvaluationQr, QrPublicKey};

use crate::{DistrictError, DistrictStore};

/// What a scanned payload says, once its signature checks out with one of the station's keys;
/// `Invalid` (with the reason in Chinese) for a forged, altered or unknown code.
pub async fn verify_evaluation_qr(
    store: &dyn DistrictStore,
    payload: &str,
) -> Result<EvaluationQr, DistrictError> {
    // The reason alone ("签名无效…"), without core's "办件信息有误" lead-in: the citizen's page
    // and the officer show it as it is.
    let refused = |e: yichuang_core::CoreError| match e {
        yichuang_core::CoreError::Invalid(issues) => DistrictError::Invalid(
            issues
                .iter()
                .map(|i| i.message.as_str())
                .collect::<Vec<_>>()
                .join("；"),
        ),
        other => DistrictError::Invalid(other.to_string()),
    };
    let (station, key_id) = EvaluationQr::signer(payload).map_err(refused)?;
    let key = store
        .qr_public_keys(&station)
        .await?
        .iter()
        .filter_map(|k| QrPublicKey::from_hex(k).ok())
        .find(|k| k.key_id() == key_id);
    EvaluationQr::verify(payload, |_, _| key).map_err(refused)
}
