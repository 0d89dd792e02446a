//! Set-up shared by the refused-handover window tests: an accepted case of 王堃喆 written into
//! the demo station before the app opens it, and an app command called from the window.
#![allow(dead_code)]

use fantoccini::Client;
use yichuang_core::{Applicant, Case, IdType, IntakeDecision, ReceivedMaterial};
use yichuang_station::Station;

pub const PERMIT: &str = "114401110075061234200011000101";
pub const ID: &str = "11010519491231002X";

/// Accepts one intake of 王堃喆 for 广东省居住证申领 as `station`'s logged-in clerk.
pub fn accepted_case(station: &Station) -> Case {
    let mut form = station.start_intake(PERMIT).unwrap();
    form.draft.applicant = Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: ID.into(),
        address: "广州市白云区太和镇".into(),
    };
    form.draft.contact.name = "王堃喆".into();
    form.draft.contact.phone = "13800138000".into();
    form.draft.materials = station
        .item(PERMIT)
        .unwrap()
        .materials
        .iter()
        .filter(|m| m.material.required)
        .map(|m| ReceivedMaterial {
            code: m.material.code.clone(),
            form: m.material.form,
            count: m.material.copies,
        })
        .collect();
    station.decide(&form, &IntakeDecision::Accept).unwrap().case
}

/// Calls an app command from the window; `Err` holds the refusal as JSON text.
pub async fn invoke(
    client: &Client,
    command: &str,
    args: serde_json::Value,
) -> Result<String, String> {
    let script = r#"
        const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args)
            .then((v) => done({ ok: JSON.stringify(v) }))
            .catch((e) => done({ err: typeof e === "string" ? e : JSON.stringify(e) }));
    "#;
    let answer = client
        .execute_async(script, vec![command.into(), args])
        .await
        .unwrap_or_else(|e| panic!("invoke {command}: {e}"));
    match (answer.get("ok"), answer.get("err")) {
        (Some(ok), _) => Ok(ok.as_str().unwrap_or_default().to_string()),
        (_, Some(err)) => Err(err.as_str().unwrap_or_default().to_string()),
        _ => panic!("unexpected answer {answer}"),
    }
}
