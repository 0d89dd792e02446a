//! The province's 好差评 codes as configuration (DESIGN.md §4: score and channel mappings are
//! never hard-coded): GB/T 39046 levels to the province's score codes, channel codes given by
//! stations and slips to the province's channel codes, and the code of any other channel.
//!
//! The mapping is applied when the district records a rating, and the record keeps both the
//! GB/T level and channel as given and the codes they were mapped to: what the province is
//! sent is what was decided then, and a later change of the file does not rewrite history.
//! The shipped defaults are `config/evaluation-codes.json` (the same as [`Default`]); a
//! district passes its own with `--evaluation-codes FILE`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use yichuang_core::EvaluationLevel;
use yichuang_core::evaluation::MAX_CHANNEL_LEN;

use crate::DistrictError;

/// Longest province code accepted in the file.
const MAX_CODE_LEN: usize = 16;

/// The configured mapping.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationCodes {
    /// What the file says about itself (ignored).
    #[serde(default)]
    description: String,
    /// GB/T 39046 level code ("1" … "5") → the province's score code.
    scores: BTreeMap<String, String>,
    /// Channel code as given (e.g. `qr` on paper, `pad` for the hall's evaluator or customer
    /// screen) → the province's channel code.
    channels: BTreeMap<String, String>,
    /// The province's code for a channel not in `channels`.
    other_channel: String,
}

/// The province's codes of one rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceCodes {
    pub score: String,
    pub channel: String,
}

impl Default for EvaluationCodes {
    /// The shipped defaults (`config/evaluation-codes.json`; a test keeps the two equal).
    fn default() -> Self {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Self {
            description: String::new(),
            scores: pairs(&[("1", "5"), ("2", "4"), ("3", "3"), ("4", "2"), ("5", "1")]),
            channels: pairs(&[
                ("pc", "1"),
                ("mobile", "2"),
                ("qr", "3"),
                ("pad", "4"),
                ("terminal", "5"),
                ("phone", "6"),
                ("sms", "7"),
            ]),
            other_channel: "9".into(),
        }
    }
}

impl EvaluationCodes {
    /// Reads and checks a mapping file (JSON, the shape of the shipped one).
    pub fn from_file(path: &Path) -> Result<Self, DistrictError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            DistrictError::Config(format!(
                "好差评代码对照文件 {} 无法读取：{e}",
                path.display()
            ))
        })?;
        Self::from_json(&text)
    }

    /// Parses and checks a mapping: every GB/T level mapped, no empty or overlong code.
    pub fn from_json(text: &str) -> Result<Self, DistrictError> {
        let codes: Self = serde_json::from_str(text).map_err(|e| {
            DistrictError::Config(format!(
                "好差评代码对照无法读取（第 {} 行第 {} 列）：{e}",
                e.line(),
                e.column()
            ))
        })?;
        codes.check()?;
        Ok(codes)
    }

    fn check(&self) -> Result<(), DistrictError> {
        let bad = |m: String| Err(DistrictError::Config(format!("好差评代码对照有误：{m}")));
        for level in EvaluationLevel::ALL {
            if !self.scores.contains_key(&level.code().to_string()) {
                return bad(format!(
                    "scores 缺少等级 {}（{}）",
                    level.code(),
                    level.label()
                ));
            }
        }
        if let Some(key) = self.scores.keys().find(|k| {
            k.parse()
                .ok()
                .and_then(|c| EvaluationLevel::from_code(c).ok())
                .is_none()
        }) {
            return bad(format!("scores 中“{key}”不是 GB/T 39046 的等级 1–5"));
        }
        if let Some(key) = self
            .channels
            .keys()
            .find(|k| k.trim().is_empty() || k.len() > MAX_CHANNEL_LEN)
        {
            return bad(format!("渠道代码“{key}”应为 1–{MAX_CHANNEL_LEN} 个字符"));
        }
        let codes = self
            .scores
            .values()
            .chain(self.channels.values())
            .chain(std::iter::once(&self.other_channel));
        for code in codes {
            if code.trim().is_empty() || code.len() > MAX_CODE_LEN {
                return bad(format!("省级代码“{code}”应为 1–{MAX_CODE_LEN} 个字符"));
            }
        }
        Ok(())
    }

    /// The province's codes of a rating at `level` given through `channel`; a channel not
    /// configured gets the "other" code, and the log says so (channel codes are no personal
    /// data).
    pub fn map(&self, level: EvaluationLevel, channel: &str) -> ProvinceCodes {
        // `check` made sure every level is mapped.
        let score = self
            .scores
            .get(&level.code().to_string())
            .cloned()
            .unwrap_or_default();
        let channel = match self.channels.get(channel) {
            Some(code) => code.clone(),
            None => {
                tracing::warn!(
                    channel,
                    other = %self.other_channel,
                    "evaluation channel not configured; recorded with the other-channel code"
                );
                self.other_channel.clone()
            }
        };
        ProvinceCodes { score, channel }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../config/evaluation-codes.json");

    #[test]
    fn the_shipped_file_is_the_default() {
        let file = EvaluationCodes::from_json(SHIPPED).unwrap();
        assert!(!file.description.is_empty());
        assert_eq!(
            EvaluationCodes {
                description: String::new(),
                ..file
            },
            EvaluationCodes::default()
        );
    }

    #[test]
    fn levels_and_channels_map_and_unknown_channels_get_the_other_code() {
        let codes = EvaluationCodes::default();
        let very_good = codes.map(EvaluationLevel::VerySatisfied, "qr");
        assert_eq!(
            (very_good.score.as_str(), very_good.channel.as_str()),
            ("5", "3")
        );
        let worst = codes.map(EvaluationLevel::VeryDissatisfied, "pad");
        assert_eq!((worst.score.as_str(), worst.channel.as_str()), ("1", "4"));
        assert_eq!(codes.map(EvaluationLevel::Satisfied, "fax").channel, "9");
    }

    #[test]
    fn a_file_missing_a_level_or_with_empty_codes_is_refused() {
        let missing = SHIPPED.replace("\"5\": \"1\"", "\"6\": \"1\"");
        let err = EvaluationCodes::from_json(&missing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("缺少等级 5"), "{err}");
        let empty = SHIPPED.replace("\"qr\": \"3\"", "\"qr\": \" \"");
        assert!(EvaluationCodes::from_json(&empty).is_err());
        let unknown_field = SHIPPED.replace("\"other_channel\"", "\"other\"");
        assert!(EvaluationCodes::from_json(&unknown_field).is_err());
    }
}
