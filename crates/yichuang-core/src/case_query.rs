//! What the clerk searches the queue by, and how a typed search text is read: a piece of a
//! name, a document number (whole or its last digits) or a case number.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::normalize_id;
use crate::{CaseState, DistrictStatus, SyncState};

/// Most rows one search returns.
pub const MAX_QUERY_ROWS: u32 = 200;

/// A queue search: the typed text and the filters, all optional; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaseQuery {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub item_code: Option<String>,
    #[serde(default)]
    pub state: Option<CaseState>,
    #[serde(default)]
    pub sync_state: Option<SyncState>,
    /// Where the district has got with the case (审批中, 办结, ...).
    #[serde(default)]
    pub district_status: Option<DistrictStatus>,
    /// Only cases no district status has reached yet (未回传); wins over `district_status`.
    #[serde(default)]
    pub no_district_status: bool,
    /// The clerk who took the case in, by the name the case keeps (printed on its slip).
    #[serde(default)]
    pub clerk: Option<String>,
    /// First and last station day of acceptance, both included.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub from: Option<Date>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub to: Option<Date>,
    /// At most this many rows (capped at [`MAX_QUERY_ROWS`]); 50 when 0.
    #[serde(default)]
    pub limit: u32,
    /// Rows of the newest-first list to skip (a page further down the queue).
    #[serde(default)]
    pub offset: u32,
}

impl CaseQuery {
    pub fn limit(&self) -> u32 {
        match self.limit {
            0 => 50,
            n => n.min(MAX_QUERY_ROWS),
        }
    }
}

/// How the search text is matched; a text may match in more than one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMatch {
    /// A piece of the applicant's name (Chinese or not).
    Name(String),
    /// The whole document number, normalised.
    IdNo(String),
    /// The document number's last 4 or more characters, normalised.
    IdTail(String),
    /// The start of a provisional or official case number (upper-cased).
    CaseNoPrefix(String),
}

/// Reads the search text: CJK text is a name; otherwise it may be a document number, its
/// tail, or a case number, and is tried as each that fits.
pub fn read_search_text(text: &str) -> Vec<TextMatch> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if !text.is_ascii() {
        return vec![TextMatch::Name(text.to_string())];
    }
    let upper = normalize_id(text);
    let mut out = Vec::new();
    let id_like = upper.chars().all(|c| c.is_ascii_alphanumeric());
    if id_like && upper.len() >= 5 {
        out.push(TextMatch::IdNo(upper.clone()));
    }
    if id_like && (4..=8).contains(&upper.len()) {
        out.push(TextMatch::IdTail(upper.clone()));
    }
    if upper.len() >= 3 && !upper.contains(['*', '?', '[', ']']) {
        out.push(TextMatch::CaseNoPrefix(upper.clone()));
    }
    if out.is_empty() || upper.chars().all(|c| c.is_ascii_alphabetic()) {
        out.push(TextMatch::Name(text.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_a_name() {
        assert_eq!(read_search_text(" 堃喆 "), [TextMatch::Name("堃喆".into())]);
    }

    #[test]
    fn digits_are_a_document_number_its_tail_or_a_case_number() {
        assert_eq!(
            read_search_text("002x"),
            [
                TextMatch::IdTail("002X".into()),
                TextMatch::CaseNoPrefix("002X".into())
            ]
        );
        assert_eq!(
            read_search_text("11010519491231002x"),
            [
                TextMatch::IdNo("11010519491231002X".into()),
                TextMatch::CaseNoPrefix("11010519491231002X".into())
            ]
        );
        assert_eq!(
            read_search_text("l440111001-01"),
            [TextMatch::CaseNoPrefix("L440111001-01".into())]
        );
    }

    #[test]
    fn latin_letters_are_also_a_name() {
        assert!(read_search_text("john").contains(&TextMatch::Name("john".into())));
        assert_eq!(read_search_text("ab"), [TextMatch::Name("ab".into())]);
    }

    #[test]
    fn limit_has_a_default_and_a_cap() {
        assert_eq!(CaseQuery::default().limit(), 50);
        let q = CaseQuery {
            limit: 10_000,
            ..Default::default()
        };
        assert_eq!(q.limit(), MAX_QUERY_ROWS);
    }
}
