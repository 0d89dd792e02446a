//! `docs/openapi-v2.json` is the document generated from the code; this fails when the
//! committed file is out of date.

use std::path::PathBuf;

const REGENERATE: &str = "UPDATE_OPENAPI=1 cargo test -p yichuang-district --test openapi";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi-v2.json")
}

#[test]
fn committed_openapi_document_is_current() {
    let generated = yichuang_district::openapi::openapi_json().expect("generate");
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/openapi-v2.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi-v2.json is out of date with the code; regenerate it with:\n  {REGENERATE}"
    );
}

#[test]
fn document_covers_every_v2_path_and_the_error_body() {
    let doc: serde_json::Value =
        serde_json::from_str(&yichuang_district::openapi::openapi_json().unwrap()).unwrap();
    for path in [
        "/api/v2/health",
        "/api/v2/enroll",
        "/api/v2/cases/batch",
        "/api/v2/materials/check",
        "/api/v2/materials/{sha256}",
        "/api/v2/reference/{kind}",
        "/api/v2/status-changes",
        "/api/v2/station-report",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    // The documented ErrorBody has the fields the real one serialises.
    let real = serde_json::to_value(yichuang_sync::protocol::ErrorBody {
        kind: yichuang_sync::protocol::ErrorKind::Busy,
        message: "区级系统繁忙".into(),
    })
    .unwrap();
    let documented = &doc["components"]["schemas"]["ErrorBody"]["properties"];
    let real_keys: Vec<&String> = real.as_object().unwrap().keys().collect();
    let doc_keys: Vec<&String> = documented.as_object().unwrap().keys().collect();
    assert_eq!(real_keys, doc_keys);
}
