//! Each row rule, the file-level errors and a mixed file, plus the shipped demo catalogue.

use serde_json::{Value, json};

use super::*;
use crate::catalogue::ItemKind;

fn good(code: &str) -> Value {
    json!({
        "item_code": code, "name": "居住证申领", "department": "公安分局",
        "kind": "promised", "statutory_limit_days": 15, "promised_limit_days": 3,
        "materials": [
            {"code": "M01", "name": "居民身份证", "form": "original", "copies": 1, "required": true, "key": true},
            {"code": "M02", "name": "照片", "form": "original", "copies": 2, "required": false, "tolerable": true}
        ]
    })
}

fn file(items: Vec<Value>) -> String {
    json!({"version": "2026.12", "region_code": "440111", "items": items}).to_string()
}

/// The reasons a row built by `edit` (from a good item) is refused for; the file also holds
/// a good item so the import itself succeeds.
fn refusal(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut bad = good("BAD-1");
    edit(&mut bad);
    let report = import_catalogue_json(&file(vec![good("OK-1"), bad])).expect("import");
    assert_eq!(report.catalogue.items.len(), 1);
    assert_eq!(report.refused.len(), 1, "{:?}", report.refused);
    assert_eq!(report.refused[0].index, 2);
    report.refused[0].reasons.clone()
}

fn assert_refused(edit: impl FnOnce(&mut Value), needle: &str) {
    let reasons = refusal(edit);
    assert!(
        reasons.iter().any(|r| r.contains(needle)),
        "{needle:?} not in {reasons:?}"
    );
}

#[test]
fn item_code_must_be_present_short_and_printable() {
    assert_refused(|v| v["item_code"] = json!("  "), "实施编码为空");
    assert_refused(|v| v["item_code"] = json!("A".repeat(65)), "超过 64 个字符");
    assert_refused(|v| v["item_code"] = json!("A\tB"), "控制字符");
    assert_refused(|v| v["item_code"] = json!(12), "应为文字");
    assert_refused(
        |v| {
            v.as_object_mut().unwrap().remove("item_code");
        },
        "缺少“实施编码”",
    );
    let ok = import_catalogue_json(&file(vec![good(&"码".repeat(64))])).unwrap();
    assert!(ok.refused.is_empty());
}

#[test]
fn a_repeated_item_code_refuses_the_second_row() {
    let report = import_catalogue_json(&file(vec![good("X"), good("Y"), good("X")])).unwrap();
    assert_eq!(report.catalogue.items.len(), 2);
    assert_eq!(report.refused[0].index, 3);
    assert!(
        report.refused[0].reasons[0].contains("与第 1 行重复"),
        "{:?}",
        report.refused
    );
}

#[test]
fn name_and_department_rules() {
    assert_refused(|v| v["name"] = json!(""), "事项名称为空");
    assert_refused(|v| v["name"] = json!("名".repeat(101)), "超过 100 字");
    assert_refused(|v| v["department"] = json!(" "), "实施部门为空");
}

#[test]
fn time_limit_rules() {
    assert_refused(
        |v| {
            v["kind"] = json!("immediate");
            v["promised_limit_days"] = json!(2);
        },
        "即办件的承诺时限应为 0",
    );
    assert_refused(|v| v["promised_limit_days"] = json!(0), "至少为 1 个工作日");
    assert_refused(|v| v["promised_limit_days"] = json!(16), "不得超过法定时限");
    assert_refused(|v| v["statutory_limit_days"] = json!(366), "超过 365");
    assert_refused(|v| v["promised_limit_days"] = json!(-1), "不小于 0 的整数");
    assert_refused(|v| v["kind"] = json!("promise"), "实际是文字“promise”");
    let mut imm = good("IMM");
    imm["kind"] = json!("immediate");
    imm["promised_limit_days"] = json!(0);
    let report = import_catalogue_json(&file(vec![imm])).unwrap();
    assert_eq!(report.catalogue.items[0].kind, ItemKind::Immediate);
}

#[test]
fn fee_and_delivery_rules() {
    assert_refused(
        |v| v["fee"] = json!("费".repeat(101)),
        "收费说明有 101 个字",
    );
    assert_refused(|v| v["delivery_methods"] = json!([]), "出件方式为空");
    assert_refused(|v| v["delivery_methods"] = json!(["drone"]), "出件方式");
    assert_refused(|v| v["fee"] = json!(null), "实际是空值 null");
}

#[test]
fn material_rules() {
    assert_refused(|v| v["materials"] = json!([]), "没有必交材料");
    assert_refused(
        |v| v["materials"][0]["required"] = json!(false),
        "没有必交材料",
    );
    assert_refused(
        |v| v["materials"][1]["code"] = json!(""),
        "第 2 行：材料编码为空",
    );
    assert_refused(
        |v| v["materials"][1]["code"] = json!("M01"),
        "与第 1 行重复",
    );
    assert_refused(
        |v| v["materials"][1]["code"] = json!("POA"),
        "授权委托书保留",
    );
    assert_refused(|v| v["materials"][0]["name"] = json!(""), "材料名称为空");
    assert_refused(
        |v| v["materials"][0]["name"] = json!("材".repeat(101)),
        "超过 100 字",
    );
    assert_refused(
        |v| v["materials"][0]["copies"] = json!(0),
        "份数应为 1 到 99",
    );
    assert_refused(|v| v["materials"][0]["copies"] = json!(100), "现为 100");
    assert_refused(
        |v| v["materials"][0]["tolerable"] = json!(true),
        "关键材料不能容缺",
    );
    assert_refused(
        |v| v["materials"][0]["form"] = json!("scan"),
        "材料清单第 1 行：“材料形式”",
    );
    assert_refused(
        |v| v["materials"][1] = json!("M02"),
        "第 2 行：应为一个材料对象",
    );
    assert_refused(
        |v| v["materials"] = json!({}),
        "“材料清单”（materials）应为数组",
    );
}

#[test]
fn a_row_that_is_not_an_object_is_refused_without_code_or_name() {
    let report = import_catalogue_json(&file(vec![good("A"), json!(42)])).unwrap();
    let row = &report.refused[0];
    assert_eq!((row.index, &row.item_code, &row.name), (2, &None, &None));
    assert!(row.reasons[0].contains("实际是数字 42"), "{row:?}");
}

#[test]
fn a_mixed_file_keeps_good_rows_and_lists_every_bad_one() {
    let mut no_dept = good("B");
    no_dept.as_object_mut().unwrap().remove("department");
    let mut two_faults = good("D");
    two_faults["name"] = json!("");
    two_faults["materials"][0]["copies"] = json!(0);
    let text = file(vec![good("A"), no_dept, good("C"), two_faults]);
    let report = import_catalogue_json(&text).unwrap();
    assert_eq!(report.summary(), "共 4 项，导入 2 项，拒收 2 项");
    assert_eq!(report.catalogue.version, "2026.12");
    assert_eq!(report.catalogue.region_code, "440111");
    let codes: Vec<_> = report
        .catalogue
        .items
        .iter()
        .map(|i| &i.item_code)
        .collect();
    assert_eq!(codes, ["A", "C"]);
    let rows: Vec<_> = report
        .refused
        .iter()
        .map(|r| (r.index, r.item_code.as_deref()))
        .collect();
    assert_eq!(rows, [(2, Some("B")), (4, Some("D"))]);
    assert_eq!(report.refused[0].name.as_deref(), Some("居住证申领"));
    assert_eq!(
        report.refused[1].reasons.len(),
        2,
        "{:?}",
        report.refused[1]
    );
}

#[test]
fn envelope_errors_say_what_is_wrong_and_where() {
    let err = |text: &str| import_catalogue_json(text).unwrap_err();
    let e = err("{\"version\": \"1\",\n \"items\": [,]}");
    assert!(
        matches!(e, CatalogueFileError::Syntax { line: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("第 2 行"), "{e}");
    assert!(std::error::Error::source(&e).is_some());
    let e = err("{\"version\": \"1\", \"items\": [");
    assert!(matches!(e, CatalogueFileError::Truncated { .. }), "{e:?}");
    let e = err("[1, 2]");
    assert!(e.to_string().contains("最外层应为 JSON 对象"), "{e}");
    let e = err(r#"{"version": "1", "region_code": "440111"}"#);
    assert!(e.to_string().contains("缺少“items”"), "{e}");
    let e = err(r#"{"version": "1", "region_code": "440111", "items": {"a": 1}}"#);
    assert!(e.to_string().contains("应为数组"), "{e}");
    assert!(e.to_string().contains("第 1 行"), "{e}");
    let e = err(r#"{"version": 3, "region_code": "440111", "items": []}"#);
    assert!(
        e.to_string().contains("“version”（目录版本）应为文字"),
        "{e}"
    );
    let e = err(r#"{"version": " ", "region_code": "440111", "items": []}"#);
    assert!(
        matches!(
            e,
            CatalogueFileError::EmptyField {
                field: "version",
                ..
            }
        ),
        "{e:?}"
    );
    let e = err(r#"{"version": "1", "region_code": "440111", "items": []}"#);
    assert!(matches!(e, CatalogueFileError::NoItems), "{e:?}");
}

#[test]
fn a_file_where_every_row_is_refused_is_an_error_that_keeps_the_rows() {
    let mut bad = good("A");
    bad["department"] = json!("");
    let e = import_catalogue_json(&file(vec![bad, json!(null)])).unwrap_err();
    assert_eq!(e.kind(), "catalogue_all_refused");
    assert_eq!(e.refused_rows().len(), 2);
    assert!(e.to_string().contains("全部被拒收"), "{e}");
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    let text = format!("\u{feff}{}", file(vec![good("A")]));
    assert_eq!(
        import_catalogue_json(&text).unwrap().catalogue.items.len(),
        1
    );
}

#[test]
fn the_demo_catalogue_imports_with_nothing_refused() {
    let text = include_str!("../../../../assets/demo/catalogue.json");
    let report = import_catalogue_json(text).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.catalogue, Catalogue::from_json(text).unwrap());
}
