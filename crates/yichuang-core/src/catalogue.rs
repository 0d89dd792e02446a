//! The service-item catalogue (事项目录): items, their material checklists and time limits.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 即办件 (done on the spot) or 承诺件 (done within a promised number of working days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemKind {
    Immediate,
    Promised,
}

/// Whether a material is handed in as an original, a copy, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MaterialForm {
    Original,
    Copy,
    OriginalAndCopy,
}

impl MaterialForm {
    pub fn label(self) -> &'static str {
        match self {
            MaterialForm::Original => "原件",
            MaterialForm::Copy => "复印件",
            MaterialForm::OriginalAndCopy => "原件及复印件",
        }
    }
}

/// One line of an item's material checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MaterialRequirement {
    /// Opaque code from the district, unique within the item.
    pub code: String,
    pub name: String,
    pub form: MaterialForm,
    /// Number of copies expected.
    pub copies: u32,
    /// Required for acceptance (otherwise optional, e.g. only in some situations).
    pub required: bool,
    /// The standard the material must meet, shown to the clerk and on notices.
    #[serde(default)]
    pub standard: String,
    /// 关键材料: without it the case cannot be accepted at all, not even 容缺.
    #[serde(default)]
    pub key: bool,
    /// May be missing at intake and handed in later (容缺受理); never true for a key material.
    #[serde(default)]
    pub tolerable: bool,
}

/// How an item's result may be handed over (出件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeliveryKind {
    /// 窗口领取.
    Window,
    /// 快递办: sent by post to the applicant.
    Courier,
}

impl DeliveryKind {
    pub fn label(self) -> &'static str {
        match self {
            DeliveryKind::Window => "窗口领取",
            DeliveryKind::Courier => "快递送达",
        }
    }
}

/// A catalogued service item (政务服务事项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceItem {
    /// 实施编码: opaque string of at most 64 characters.
    pub item_code: String,
    /// 基本编码.
    #[serde(default)]
    pub base_code: String,
    pub name: String,
    /// The department that decides it in the back office.
    pub department: String,
    pub kind: ItemKind,
    /// 法定时限 in working days.
    pub statutory_limit_days: u32,
    /// 承诺时限 in working days (0 for an immediate item).
    pub promised_limit_days: u32,
    /// Fee text as printed, e.g. "不收费".
    #[serde(default = "no_fee")]
    pub fee: String,
    /// How the result may be handed over; window pick-up when the district says nothing.
    #[serde(default = "window_only")]
    pub delivery_methods: Vec<DeliveryKind>,
    /// 跨城通办: also handled here for residents of other cities.
    #[serde(default)]
    pub cross_city: bool,
    /// The item's own version in the district's catalogue.
    #[serde(default = "first_version")]
    pub version: String,
    pub materials: Vec<MaterialRequirement>,
}

fn no_fee() -> String {
    "不收费".into()
}

fn window_only() -> Vec<DeliveryKind> {
    vec![DeliveryKind::Window]
}

fn first_version() -> String {
    "1".into()
}

impl ServiceItem {
    pub fn material(&self, code: &str) -> Option<&MaterialRequirement> {
        self.materials.iter().find(|m| m.code == code)
    }
}

/// One version of the district's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Catalogue {
    pub version: String,
    /// Region code of the district, e.g. 440111.
    pub region_code: String,
    pub items: Vec<ServiceItem>,
}

impl Catalogue {
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    pub fn item(&self, item_code: &str) -> Option<&ServiceItem> {
        self.items.iter().find(|i| i.item_code == item_code)
    }

    /// Items whose name or code contains every whitespace-separated word of `query`.
    pub fn search<'a>(&'a self, query: &'a str) -> impl Iterator<Item = &'a ServiceItem> + 'a {
        let words: Vec<&str> = query.split_whitespace().collect();
        self.items.iter().filter(move |i| {
            words
                .iter()
                .all(|w| i.name.contains(w) || i.item_code.contains(w))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalogue_parses_and_searches() {
        let cat =
            Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json")).unwrap();
        assert!(cat.items.len() >= 3);
        assert!(
            cat.items
                .iter()
                .all(|i| i.item_code.chars().count() <= 64 && !i.materials.is_empty())
        );
        let hits: Vec<_> = cat.search("居住证").collect();
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|i| i.name.contains("居住证")));
    }
}
