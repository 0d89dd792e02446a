//! 好差评: the five levels with their GB/T 39046 codes and the limits of a rating's text (the
//! QR code on the slips is [`crate::evaluation_qr`]).

/// Why a second rating of a case is refused, at the station and at the district (一次一评).
pub const ALREADY_RATED: &str = "该办件已经评价过（一次一评）";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_carry_gb_t_39046_codes_and_labels() {
        assert_eq!(EvaluationLevel::VerySatisfied.code(), 1);
        assert_eq!(EvaluationLevel::VeryDissatisfied.label(), "非常不满意");
        for level in EvaluationLevel::ALL {
            assert_eq!(EvaluationLevel::from_code(level.code()), Ok(level));
        }
        assert!(EvaluationLevel::from_code(0).is_err());
        assert!(EvaluationLevel::from_code(6).is_err());
        assert!(check_text(Some(&"好".repeat(MAX_COMMENT_CHARS)), "qr").is_ok());
        assert!(check_text(Some(&"好".repeat(MAX_COMMENT_CHARS + 1)), "qr").is_err());
        assert!(check_text(None, " ").is_err());
    }
}
