//! Importing a district catalogue file row by row, so one bad item is refused with its reasons
//! instead of sinking the whole file (stations set up offline get the catalogue as a file).

mod rules;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::error::Category;
use ts_rs::TS;

use crate::catalogue::Catalogue;

/// What an import produced: the accepted items as a catalogue, and every refused row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// The file's version and region with the accepted items only.
    pub catalogue: Catalogue,
    pub refused: Vec<RefusedRow>,
}

impl ImportReport {
    /// Number of item rows in the file.
    pub fn total(&self) -> usize {
        self.catalogue.items.len() + self.refused.len()
    }

    /// One line for the administrator, e.g. "共 36 项，导入 34 项，拒收 2 项".
    pub fn summary(&self) -> String {
        format!(
            "共 {} 项，导入 {} 项，拒收 {} 项",
            self.total(),
            self.catalogue.items.len(),
            self.refused.len()
        )
    }
}

/// One item row of the file that was not imported, with what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefusedRow {
    /// 1-based position of the row in the file's `items` array.
    pub index: usize,
    /// The row's 实施编码 when it had one as text.
    pub item_code: Option<String>,
    /// The row's 事项名称 when it had one as text.
    pub name: Option<String>,
    /// Each reason in Chinese, saying what to fix.
    pub reasons: Vec<String>,
}

/// Why a catalogue file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueFileError {
    #[error(
        "事项目录文件不是有效的 JSON：第 {line} 行第 {column} 列附近有语法错误。请确认拿到的是区级系统导出的原始目录文件，未被手工改坏。"
    )]
    Syntax {
        line: usize,
        column: usize,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "事项目录文件不完整，在第 {line} 行第 {column} 列意外结束。可能下载或拷贝时中断，请重新获取目录文件。"
    )]
    Truncated {
        line: usize,
        column: usize,
        #[source]
        source: serde_json::Error,
    },

    #[error(
        "事项目录文件结构不对（第 {line} 行第 {column} 列附近）：{problem}。目录文件应为 {{\"version\": …, \"region_code\": …, \"items\": […]}}。"
    )]
    Shape {
        problem: String,
        line: usize,
        column: usize,
        #[source]
        source: serde_json::Error,
    },

    #[error("事项目录文件的“{field}”（{label}）为空，请向区级系统重新获取目录文件。")]
    EmptyField {
        field: &'static str,
        label: &'static str,
    },

    #[error("事项目录文件中没有任何事项（items 为空），没有可导入的内容。")]
    NoItems,

    #[error(
        "事项目录文件中的 {} 项事项全部被拒收，没有可导入的事项，站点目录未作改动。请按各行原因修正后重新导入。",
        .refused.len()
    )]
    AllRefused { refused: Vec<RefusedRow> },
}

impl CatalogueFileError {
    /// A stable machine name for the UI (`{kind, message}` over IPC).
    pub fn kind(&self) -> &'static str {
        match self {
            CatalogueFileError::Syntax { .. } => "catalogue_syntax",
            CatalogueFileError::Truncated { .. } => "catalogue_truncated",
            CatalogueFileError::Shape { .. } => "catalogue_shape",
            CatalogueFileError::EmptyField { .. } => "catalogue_empty_field",
            CatalogueFileError::NoItems => "catalogue_no_items",
            CatalogueFileError::AllRefused { .. } => "catalogue_all_refused",
        }
    }

    /// The refused rows when every row was refused, so they can be shown all the same.
    pub fn refused_rows(&self) -> &[RefusedRow] {
        match self {
            CatalogueFileError::AllRefused { refused } => refused,
            _ => &[],
        }
    }
}

/// The file's outer object; each item stays a raw value so it is judged on its own.
#[derive(Deserialize)]
struct Envelope {
    version: String,
    region_code: String,
    items: Vec<Value>,
}

/// Parses a district catalogue file, checking each item on its own: good items are kept,
/// bad ones are listed with their reasons. An unreadable file, or one where nothing is
/// left to import, is an error.
pub fn import_catalogue_json(text: &str) -> Result<ImportReport, CatalogueFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| envelope_error(text, e))?;
    for (field, label, value) in [
        ("version", "目录版本", &envelope.version),
        ("region_code", "行政区划代码", &envelope.region_code),
    ] {
        if value.trim().is_empty() {
            return Err(CatalogueFileError::EmptyField { field, label });
        }
    }
    if envelope.items.is_empty() {
        return Err(CatalogueFileError::NoItems);
    }

    let mut seen = HashMap::new();
    let mut items = Vec::new();
    let mut refused = Vec::new();
    for (i, row) in envelope.items.iter().enumerate() {
        match rules::check_row(row, i + 1, &mut seen) {
            Ok(item) => items.push(item),
            Err(row) => refused.push(row),
        }
    }
    if items.is_empty() {
        return Err(CatalogueFileError::AllRefused { refused });
    }
    Ok(ImportReport {
        catalogue: Catalogue {
            version: envelope.version,
            region_code: envelope.region_code,
            items,
        },
        refused,
    })
}

fn envelope_error(text: &str, source: serde_json::Error) -> CatalogueFileError {
    let (line, column) = (source.line(), source.column());
    match source.classify() {
        Category::Eof => CatalogueFileError::Truncated {
            line,
            column,
            source,
        },
        Category::Syntax | Category::Io => CatalogueFileError::Syntax {
            line,
            column,
            source,
        },
        Category::Data => {
            let problem = serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| envelope_problem(&v))
                .unwrap_or_else(|| format!("字段不符合目录格式（{source}）"));
            CatalogueFileError::Shape {
                problem,
                line,
                column,
                source,
            }
        }
    }
}

/// What is wrong with the outer object, in words an administrator understands.
fn envelope_problem(file: &Value) -> Option<String> {
    let Some(obj) = file.as_object() else {
        return Some(format!(
            "最外层应为 JSON 对象 {{…}}，实际是{}",
            rules::describe(file)
        ));
    };
    for (key, label) in [("version", "目录版本"), ("region_code", "行政区划代码")] {
        match obj.get(key) {
            None => return Some(format!("缺少“{key}”（{label}）")),
            Some(Value::String(_)) => {}
            Some(v) => {
                return Some(format!(
                    "“{key}”（{label}）应为文字，实际是{}",
                    rules::describe(v)
                ));
            }
        }
    }
    match obj.get("items") {
        None => Some("缺少“items”（事项列表）".into()),
        Some(Value::Array(_)) => None,
        Some(v) => Some(format!(
            "“items”（事项列表）应为数组 […]，实际是{}",
            rules::describe(v)
        )),
    }
}
