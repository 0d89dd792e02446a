//! Identity document types of applicants and the checks each one gets at the counter.

mod resident;
mod uscc;

pub use resident::{ResidentIdError, check_resident_id};
pub use uscc::{UsccCheck, UsccError, check_uscc};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Document an applicant identifies with (natural persons) or is registered under (legal persons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IdType {
    /// 居民身份证 (GB 11643-1999).
    ResidentIdCard,
    /// 港澳台居民居住证: same algorithm, prefixes 810000 / 820000 / 830000.
    HkMoTwResidencePermit,
    /// 港澳居民来往内地通行证.
    HkMoTravelPermit,
    /// 台湾居民来往大陆通行证.
    TwTravelPermit,
    /// 护照.
    Passport,
    /// 外国人永久居留身份证.
    ForeignPermanentResident,
    /// 统一社会信用代码 (GB 32100-2015), for legal persons.
    Uscc,
}

impl IdType {
    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentIdCard => "居民身份证",
            IdType::HkMoTwResidencePermit => "港澳台居民居住证",
            IdType::HkMoTravelPermit => "港澳居民来往内地通行证",
            IdType::TwTravelPermit => "台湾居民来往大陆通行证",
            IdType::Passport => "护照",
            IdType::ForeignPermanentResident => "外国人永久居留身份证",
            IdType::Uscc => "统一社会信用代码",
        }
    }
}

/// Normalises what a clerk typed or a reader returned: trims, drops inner spaces, upper-cases.
pub fn normalize_id(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Outcome of checking a document number: `Ok(warnings)` or `Err(message)` for the clerk.
pub fn check_id(id_type: IdType, raw: &str) -> Result<Vec<String>, String> {
    let id = normalize_id(raw);
    if id.is_empty() {
        return Err(format!("请填写{}号码", id_type.label()));
    }
    match id_type {
        IdType::ResidentIdCard => check_resident_id(&id).map(|_| vec![]).map_err(|e| e.to_string()),
        IdType::HkMoTwResidencePermit => {
            let info = check_resident_id(&id).map_err(|e| e.to_string())?;
            if matches!(&id[..6], "810000" | "820000" | "830000") {
                let _ = info;
                Ok(vec![])
            } else {
                Err("港澳台居民居住证号码应以 810000、820000 或 830000 开头，请核对".into())
            }
        }
        IdType::HkMoTravelPermit => {
            let ok = matches!(id.chars().next(), Some('H' | 'M'))
                && matches!(id.len(), 9 | 11)
                && id[1..].chars().all(|c| c.is_ascii_digit());
            if ok { Ok(vec![]) } else { Err("港澳居民来往内地通行证号码应为 H 或 M 开头加 8 位或 10 位数字".into()) }
        }
        IdType::TwTravelPermit => {
            if id.len() == 8 && id.chars().all(|c| c.is_ascii_digit()) {
                Ok(vec![])
            } else {
                Err("台湾居民来往大陆通行证号码应为 8 位数字".into())
            }
        }
        IdType::Passport | IdType::ForeignPermanentResident => {
            if (5..=20).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(vec![])
            } else {
                Err(format!("{}号码应为 5 至 20 位字母或数字", id_type.label()))
            }
        }
        IdType::Uscc => match check_uscc(&id) {
            Ok(UsccCheck::Valid) => Ok(vec![]),
            Ok(UsccCheck::ChecksumMismatch) => Ok(vec![
                "统一社会信用代码校验位不符。部分早期赋码的真实代码也会如此，请与营业执照原件核对后继续".into(),
            ]),
            Err(e) => Err(e.to_string()),
        },
    }
}
