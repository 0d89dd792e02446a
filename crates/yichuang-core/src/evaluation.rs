//! 好差评: the five levels with their GB/T 39046 codes, the limits of a rating's text, and the
//! per-case QR payload (durable, keyed by the case UUID, which never changes; verifiable
//! offline with HMAC-SHA256 under the station's evaluation key from the district).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::CoreError;

type HmacSha256 = Hmac<Sha256>;

/// Longest comment a citizen may leave, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;
/// Longest channel code (which channel has which code is configuration).
pub const MAX_CHANNEL_LEN: usize = 32;

/// A citizen's rating (DESIGN.md: 好差评), from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationLevel {
    VerySatisfied,
    Satisfied,
    FairlySatisfied,
    Dissatisfied,
    VeryDissatisfied,
}

impl EvaluationLevel {
    pub const ALL: [EvaluationLevel; 5] = [
        EvaluationLevel::VerySatisfied,
        EvaluationLevel::Satisfied,
        EvaluationLevel::FairlySatisfied,
        EvaluationLevel::Dissatisfied,
        EvaluationLevel::VeryDissatisfied,
    ];

    /// GB/T 39046's code: 1 非常满意 … 5 非常不满意 (provincial codes are configuration).
    pub fn code(self) -> u8 {
        match self {
            EvaluationLevel::VerySatisfied => 1,
            EvaluationLevel::Satisfied => 2,
            EvaluationLevel::FairlySatisfied => 3,
            EvaluationLevel::Dissatisfied => 4,
            EvaluationLevel::VeryDissatisfied => 5,
        }
    }

    pub fn from_code(code: u8) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| format!("评价等级应为 1–5（GB/T 39046），收到 {code}"))
    }

    pub fn label(self) -> &'static str {
        match self {
            EvaluationLevel::VerySatisfied => "非常满意",
            EvaluationLevel::Satisfied => "满意",
            EvaluationLevel::FairlySatisfied => "基本满意",
            EvaluationLevel::Dissatisfied => "不满意",
            EvaluationLevel::VeryDissatisfied => "非常不满意",
        }
    }
}

/// A rating's comment and channel code within their limits.
pub fn check_text(comment: Option<&str>, channel: &str) -> Result<(), String> {
    if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
        return Err(format!("评价意见最多 {MAX_COMMENT_CHARS} 字"));
    }
    let channel = channel.trim();
    if channel.is_empty() || channel.len() > MAX_CHANNEL_LEN {
        return Err(format!("评价渠道代码应为 1–{MAX_CHANNEL_LEN} 个字符"));
    }
    Ok(())
}
const SIG_BYTES: usize = 16;

/// What an evaluation QR code points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationRef {
    pub case_id: Uuid,
    pub item_code: String,
    pub station_code: String,
}

impl EvaluationRef {
    fn signed_text(&self) -> String {
        format!(
            "v1|{}|{}|{}",
            self.case_id, self.item_code, self.station_code
        )
    }

    fn sign(&self, key: &[u8]) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(self.signed_text().as_bytes());
        mac.finalize().into_bytes()[..SIG_BYTES].to_vec()
    }

    /// The URL printed as a QR code: `{base_url}?v=1&c=…&i=…&s=…&sig=…`.
    pub fn to_payload(&self, base_url: &str, key: &[u8]) -> String {
        format!(
            "{base_url}?v=1&c={}&i={}&s={}&sig={}",
            self.case_id,
            percent_encode(&self.item_code),
            percent_encode(&self.station_code),
            hex(&self.sign(key))
        )
    }

    /// Reads and verifies a payload made by [`EvaluationRef::to_payload`].
    pub fn verify(payload: &str, key: &[u8]) -> Result<Self, CoreError> {
        let bad = |why: &str| CoreError::Format(format!("评价二维码无效：{why}"));
        let query = payload
            .split_once('?')
            .map(|(_, q)| q)
            .ok_or_else(|| bad("缺少参数"))?;
        let get = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
                .map(percent_decode)
                .ok_or_else(|| bad(&format!("缺少 {name}")))
        };
        if get("v")? != "1" {
            return Err(bad("版本不支持"));
        }
        let reference = EvaluationRef {
            case_id: get("c")?.parse().map_err(|_| bad("办件标识有误"))?,
            item_code: get("i")?,
            station_code: get("s")?,
        };
        let sig = get("sig")?;
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(reference.signed_text().as_bytes());
        let expected = hex(&mac.finalize().into_bytes()[..SIG_BYTES]);
        if sig == expected {
            Ok(reference)
        } else {
            Err(bad("签名不符"))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_pair = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (
            bytes[i],
            hex_pair.and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> EvaluationRef {
        EvaluationRef {
            case_id: Uuid::now_v7(),
            item_code: "11440111MB2C9 0/&x".into(),
            station_code: "440111001".into(),
        }
    }

    #[test]
    fn payload_round_trips_and_verifies() {
        let r = reference();
        let payload = r.to_payload("https://hcp.example.invalid/e", b"station-key");
        assert_eq!(EvaluationRef::verify(&payload, b"station-key").unwrap(), r);
    }

    #[test]
    fn tampered_or_foreign_payload_fails() {
        let payload = reference().to_payload("https://hcp.example.invalid/e", b"station-key");
        assert!(EvaluationRef::verify(&payload, b"other-key").is_err());
        let tampered = payload.replace("s=440111001", "s=440111002");
        assert!(EvaluationRef::verify(&tampered, b"station-key").is_err());
    }
}
