//! The checks one catalogue row must pass: field shapes first (so a wrong type is named in
//! Chinese, not in serde's words), then the catalogue's own rules on the typed item.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::RefusedRow;
use crate::applicant::POWER_OF_ATTORNEY_CODE;
use crate::catalogue::{DeliveryKind, ItemKind, MaterialForm, ServiceItem};

const MAX_CODE_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 100;
const MAX_FEE_CHARS: usize = 100;
const MAX_LIMIT_DAYS: u32 = 365;
const MAX_COPIES: u32 = 99;

/// What a field's value must look like.
#[derive(Clone, Copy)]
enum Want {
    Text,
    Number,
    Flag,
    Kind,
    Form,
    Deliveries,
    List,
}

impl Want {
    fn accepts(self, v: &Value) -> bool {
        match self {
            Want::Text => v.is_string(),
            Want::Number => u32::deserialize(v).is_ok(),
            Want::Flag => v.is_boolean(),
            Want::Kind => ItemKind::deserialize(v).is_ok(),
            Want::Form => MaterialForm::deserialize(v).is_ok(),
            Want::Deliveries => Vec::<DeliveryKind>::deserialize(v).is_ok(),
            Want::List => v.is_array(),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Want::Text => "文字（带引号）",
            Want::Number => "不小于 0 的整数",
            Want::Flag => "true 或 false",
            Want::Kind => "immediate（即办件）或 promised（承诺件）",
            Want::Form => "original（原件）、copy（复印件）或 original_and_copy（原件及复印件）",
            Want::Deliveries => "由 window（窗口领取）、courier（快递送达）组成的数组",
            Want::List => "数组 […]",
        }
    }
}

/// (key, Chinese label, expected shape, required)
type Field = (&'static str, &'static str, Want, bool);

const ITEM_FIELDS: &[Field] = &[
    ("item_code", "实施编码", Want::Text, true),
    ("base_code", "基本编码", Want::Text, false),
    ("name", "事项名称", Want::Text, true),
    ("department", "实施部门", Want::Text, true),
    ("kind", "办件类型", Want::Kind, true),
    ("statutory_limit_days", "法定时限", Want::Number, true),
    ("promised_limit_days", "承诺时限", Want::Number, true),
    ("fee", "收费说明", Want::Text, false),
    ("delivery_methods", "出件方式", Want::Deliveries, false),
    ("cross_city", "跨城通办", Want::Flag, false),
    ("version", "事项版本", Want::Text, false),
    ("materials", "材料清单", Want::List, true),
];

const MATERIAL_FIELDS: &[Field] = &[
    ("code", "材料编码", Want::Text, true),
    ("name", "材料名称", Want::Text, true),
    ("form", "材料形式", Want::Form, true),
    ("copies", "份数", Want::Number, true),
    ("required", "是否必交", Want::Flag, true),
    ("standard", "材料标准", Want::Text, false),
    ("key", "关键材料", Want::Flag, false),
    ("tolerable", "可容缺", Want::Flag, false),
];

/// A JSON value described for a message, e.g. `文字“promise”`.
pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "空值 null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("数字 {n}"),
        Value::String(s) => format!("文字“{s}”"),
        Value::Array(_) => "数组 […]".into(),
        Value::Object(_) => "对象 {…}".into(),
    }
}

/// Checks one row (1-based `index`); `seen` maps each item code met so far to its row.
pub(super) fn check_row(
    row: &Value,
    index: usize,
    seen: &mut HashMap<String, usize>,
) -> Result<ServiceItem, RefusedRow> {
    let text = |key| row.get(key).and_then(Value::as_str).map(str::to_owned);
    let (item_code, name) = (text("item_code"), text("name"));
    let mut reasons = Vec::new();
    match row.as_object() {
        None => reasons.push(format!(
            "这一行应为一个事项对象 {{…}}，实际是{}",
            describe(row)
        )),
        Some(obj) => shape_reasons(obj, ITEM_FIELDS, "", &mut reasons),
    }
    if let Some(code) = item_code.as_deref().filter(|c| !c.trim().is_empty()) {
        match seen.entry(code.to_owned()) {
            Entry::Occupied(first) => reasons.push(format!(
                "实施编码“{code}”与第 {} 行重复，同一目录中每个实施编码只能出现一次，请删除或更正这一行",
                first.get()
            )),
            Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
    }
    let mut item = None;
    if reasons.is_empty() {
        match ServiceItem::deserialize(row) {
            Ok(parsed) => {
                reasons.extend(item_rules(&parsed));
                item = Some(parsed);
            }
            Err(e) => reasons.push(format!("事项格式不符合目录格式（{e}），请对照目录格式更正")),
        }
    }
    match item {
        Some(item) if reasons.is_empty() => Ok(item),
        _ => Err(RefusedRow {
            index,
            item_code,
            name,
            reasons,
        }),
    }
}

fn shape_reasons(obj: &Map<String, Value>, fields: &[Field], at: &str, out: &mut Vec<String>) {
    for &(key, label, want, required) in fields {
        match obj.get(key) {
            None if required => out.push(format!("{at}缺少“{label}”（{key}），请补上")),
            None => {}
            Some(v) if !want.accepts(v) => out.push(format!(
                "{at}“{label}”（{key}）应为{}，实际是{}",
                want.expected(),
                describe(v)
            )),
            Some(_) => {}
        }
    }
    let Some(Value::Array(materials)) = obj.get("materials") else {
        return;
    };
    for (i, m) in materials.iter().enumerate() {
        let at = format!("材料清单第 {} 行：", i + 1);
        match m.as_object() {
            Some(m) => shape_reasons(m, MATERIAL_FIELDS, &at, out),
            None => out.push(format!("{at}应为一个材料对象 {{…}}，实际是{}", describe(m))),
        }
    }
}

/// The catalogue's rules on a well-formed item; each message says what to fix.
fn item_rules(item: &ServiceItem) -> Vec<String> {
    let mut out = Vec::new();
    let chars = |s: &str| s.chars().count();
    let code = &item.item_code;
    if code.trim().is_empty() {
        out.push("实施编码为空，请填写区级系统分配的实施编码".into());
    } else if chars(code) > MAX_CODE_CHARS {
        out.push(format!(
            "实施编码有 {} 个字符，超过 {MAX_CODE_CHARS} 个字符的上限，请核对",
            chars(code)
        ));
    }
    if code.chars().any(char::is_control) {
        out.push("实施编码含有控制字符（如换行、制表符），请删除".into());
    }
    text_len(&mut out, "事项名称", &item.name, MAX_NAME_CHARS, "");
    if item.department.trim().is_empty() {
        out.push("实施部门为空，请填写负责审批的部门".into());
    }
    limit_rules(&mut out, item);
    if chars(&item.fee) > MAX_FEE_CHARS {
        out.push(format!(
            "收费说明有 {} 个字，超过 {MAX_FEE_CHARS} 字的上限，请精简",
            chars(&item.fee)
        ));
    }
    if item.delivery_methods.is_empty() {
        out.push("出件方式为空，至少要有一种：window（窗口领取）或 courier（快递送达）".into());
    }
    material_rules(&mut out, item);
    out
}

fn text_len(out: &mut Vec<String>, label: &str, value: &str, max: usize, at: &str) {
    let n = value.chars().count();
    if value.trim().is_empty() {
        out.push(format!("{at}{label}为空，请填写"));
    } else if n > max {
        out.push(format!(
            "{at}{label}有 {n} 个字，超过 {max} 字的上限，请精简"
        ));
    }
}

fn limit_rules(out: &mut Vec<String>, item: &ServiceItem) {
    let (statutory, promised) = (item.statutory_limit_days, item.promised_limit_days);
    if statutory > MAX_LIMIT_DAYS {
        out.push(format!(
            "法定时限 {statutory} 个工作日超过 {MAX_LIMIT_DAYS} 的上限，请核对"
        ));
    }
    match item.kind {
        ItemKind::Immediate if promised != 0 => out.push(format!(
            "即办件的承诺时限应为 0，现为 {promised}；需要多日办理的事项请把办件类型改为 promised（承诺件）"
        )),
        ItemKind::Promised if promised == 0 => out.push(
            "承诺件的承诺时限至少为 1 个工作日，现为 0；当场办结的事项请把办件类型改为 immediate（即办件）"
                .into(),
        ),
        ItemKind::Promised if promised > statutory => out.push(format!(
            "承诺时限 {promised} 个工作日长于法定时限 {statutory} 个工作日，承诺时限不得超过法定时限，请核对"
        )),
        _ => {}
    }
}

fn material_rules(out: &mut Vec<String>, item: &ServiceItem) {
    if !item.materials.iter().any(|m| m.required) {
        out.push("材料清单中没有必交材料（required 为 true），至少要有一项必交材料".into());
    }
    let mut codes: HashMap<&str, usize> = HashMap::new();
    for (i, m) in item.materials.iter().enumerate() {
        let at = format!("材料清单第 {} 行：", i + 1);
        if m.code.trim().is_empty() {
            out.push(format!("{at}材料编码为空，请填写"));
        } else if m.code == POWER_OF_ATTORNEY_CODE {
            out.push(format!(
                "{at}材料编码“{POWER_OF_ATTORNEY_CODE}”是本系统为授权委托书保留的编码，请改用其他编码"
            ));
        } else if let Entry::Occupied(first) = codes.entry(&m.code) {
            out.push(format!(
                "{at}材料编码“{}”与第 {} 行重复，同一事项内材料编码不能重复",
                m.code,
                first.get()
            ));
        } else {
            codes.insert(&m.code, i + 1);
        }
        text_len(out, "材料名称", &m.name, MAX_NAME_CHARS, &at);
        if !(1..=MAX_COPIES).contains(&m.copies) {
            out.push(format!("{at}份数应为 1 到 {MAX_COPIES}，现为 {}", m.copies));
        }
        if m.key && m.tolerable {
            out.push(format!(
                "{at}关键材料不能容缺受理（key 与 tolerable 不能同时为 true），请去掉其中一项"
            ));
        }
    }
}
