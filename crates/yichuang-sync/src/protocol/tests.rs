use super::*;
use crate::testing::sample_submission;

#[test]
fn same_content_same_hash_whatever_the_key_order() {
    let sub = sample_submission("440111001", 1);
    let json = serde_json::to_string(&sub).unwrap();
    let back: CaseSubmission = serde_json::from_str(&json).unwrap();
    assert_eq!(back.content_hash().unwrap(), sub.content_hash().unwrap());

    // Reversing the top-level key order must not change the canonical form.
    let value = serde_json::to_value(&sub).unwrap();
    let obj = value.as_object().unwrap();
    let mut reversed = String::from("{");
    for (i, (k, v)) in obj.iter().rev().enumerate() {
        if i > 0 {
            reversed.push(',');
        }
        reversed.push_str(&format!("{}: {}", serde_json::to_string(k).unwrap(), v));
    }
    reversed.push('}');
    let reparsed: serde_json::Value = serde_json::from_str(&reversed).unwrap();
    assert_eq!(
        canonical_json(&reparsed).unwrap(),
        canonical_json(&sub).unwrap()
    );
}

#[test]
fn any_change_changes_the_hash() {
    let sub = sample_submission("440111001", 1);
    let mut changed = sub.clone();
    changed.intake.contact.phone = "13900139000".into();
    assert_ne!(changed.content_hash().unwrap(), sub.content_hash().unwrap());
    let hash = sub.content_hash().unwrap();
    assert_eq!(hash.as_str().len(), 64);
    assert!(hash.as_str().chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn canonical_json_sorts_nested_keys_and_has_no_spaces() {
    let v = serde_json::json!({"b": {"z": 1, "a": [ {"y": true, "x": null} ]}, "a": "中"});
    assert_eq!(
        canonical_json(&v).unwrap(),
        r#"{"a":"中","b":{"a":[{"x":null,"y":true}],"z":1}}"#
    );
}

#[test]
fn unknown_error_kinds_are_tolerated() {
    let body: ErrorBody = serde_json::from_str(r#"{"kind":"teapot","message":"x"}"#).unwrap();
    assert_eq!(body.kind, ErrorKind::Other);
    let body: ErrorBody = serde_json::from_str(r#"{"kind":"conflict","message":"x"}"#).unwrap();
    assert_eq!(body.kind, ErrorKind::Conflict);
}
