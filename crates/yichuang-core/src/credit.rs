//! The 信用红黑名单 the clerk is told about at intake: 失信 subjects face joint sanctions, 守信 ones get incentives.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::normalize_id;

/// Which list an entry is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CreditListKind {
    /// 守信红名单: incentives such as 容缺受理 or a green channel.
    Red,
    /// 失信黑名单: joint sanctions, e.g. no 容缺受理, stricter review.
    Black,
}

impl CreditListKind {
    pub fn label(self) -> &'static str {
        match self {
            CreditListKind::Red => "守信红名单",
            CreditListKind::Black => "失信黑名单",
        }
    }
}

/// One subject on a list, identified by its ID number or 统一社会信用代码.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditEntry {
    /// 居民身份证号码 or 统一社会信用代码, as the district sends it.
    pub subject_no: String,
    pub name: String,
    pub kind: CreditListKind,
    /// 失信 or 守信 事由.
    pub reason: String,
    /// 惩戒措施 or 激励措施, shown to the clerk.
    pub measure: String,
    /// The body that listed the subject.
    pub authority: String,
    /// Last day the entry applies; `None` means until revoked.
    #[ts(type = "string | null")]
    pub valid_until: Option<Date>,
}

impl CreditEntry {
    /// In force on `today` (the last valid day included).
    pub fn in_force(&self, today: Date) -> bool {
        self.valid_until.is_none_or(|until| until >= today)
    }
}

/// One version of the district's red/black list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditList {
    pub version: String,
    pub entries: Vec<CreditEntry>,
}

impl CreditList {
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The entry in force for `subject_no` on `today`; a black-list hit wins over a red one.
    pub fn check(&self, subject_no: &str, today: Date) -> Option<&CreditEntry> {
        let wanted = normalize_id(subject_no);
        if wanted.is_empty() {
            return None;
        }
        let mut hits = self
            .entries
            .iter()
            .filter(|e| e.in_force(today) && normalize_id(&e.subject_no) == wanted);
        let first = hits.next()?;
        if first.kind == CreditListKind::Black {
            return Some(first);
        }
        hits.find(|e| e.kind == CreditListKind::Black)
            .or(Some(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(subject_no: &str, kind: CreditListKind, valid_until: Option<&str>) -> CreditEntry {
        CreditEntry {
            subject_no: subject_no.into(),
            name: "测试主体".into(),
            kind,
            reason: format!("{}事由", kind.label()),
            measure: "措施".into(),
            authority: "广州市白云区人民法院".into(),
            valid_until: valid_until.map(|d| d.parse().unwrap()),
        }
    }

    fn list(entries: Vec<CreditEntry>) -> CreditList {
        CreditList {
            version: "test".into(),
            entries,
        }
    }

    fn today() -> Date {
        "2026-11-27".parse().unwrap()
    }

    #[test]
    fn labels_are_chinese() {
        assert_eq!(CreditListKind::Red.label(), "守信红名单");
        assert_eq!(CreditListKind::Black.label(), "失信黑名单");
    }

    #[test]
    fn hit_and_miss() {
        let l = list(vec![entry(
            "440524188001010014",
            CreditListKind::Black,
            Some("2028-12-31"),
        )]);
        let hit = l.check("440524188001010014", today()).expect("listed");
        assert_eq!(hit.kind, CreditListKind::Black);
        assert!(l.check("11010519491231002X", today()).is_none());
        assert!(l.check("", today()).is_none());
        assert!(l.check("   ", today()).is_none());
    }

    #[test]
    fn typed_number_is_normalised_both_sides() {
        let l = list(vec![
            entry("44011119560101001X", CreditListKind::Red, None),
            entry(" 91310110666007217t ", CreditListKind::Black, None),
        ]);
        assert!(l.check(" 440111 19560101 001x ", today()).is_some());
        assert!(l.check("91310110666007217T", today()).is_some());
    }

    #[test]
    fn expired_entries_are_ignored_but_the_last_day_counts() {
        let l = list(vec![entry(
            "440111197209151634",
            CreditListKind::Black,
            Some("2026-11-27"),
        )]);
        assert!(l.check("440111197209151634", today()).is_some());
        let tomorrow = "2026-11-28".parse().unwrap();
        assert!(l.check("440111197209151634", tomorrow).is_none());
    }

    #[test]
    fn black_wins_over_red_in_either_order() {
        let red = entry("440106199005217329", CreditListKind::Red, None);
        let black = entry(
            "440106199005217329",
            CreditListKind::Black,
            Some("2027-01-01"),
        );
        for entries in [
            vec![red.clone(), black.clone()],
            vec![black.clone(), red.clone()],
        ] {
            let l = list(entries);
            let hit = l.check("440106199005217329", today()).unwrap();
            assert_eq!(hit.kind, CreditListKind::Black);
        }
    }

    #[test]
    fn red_applies_once_the_black_entry_expired() {
        let l = list(vec![
            entry(
                "440106199005217329",
                CreditListKind::Black,
                Some("2026-01-31"),
            ),
            entry("440106199005217329", CreditListKind::Red, None),
        ]);
        let hit = l.check("440106199005217329", today()).unwrap();
        assert_eq!(hit.kind, CreditListKind::Red);
    }

    #[test]
    fn json_round_trip_uses_snake_case_and_iso_dates() {
        let l = list(vec![entry(
            "440524188001010014",
            CreditListKind::Black,
            Some("2028-12-31"),
        )]);
        let json = serde_json::to_string(&l).unwrap();
        assert!(json.contains(r#""kind":"black""#));
        assert!(json.contains(r#""valid_until":"2028-12-31""#));
        assert_eq!(CreditList::from_json(&json).unwrap(), l);
    }
}
