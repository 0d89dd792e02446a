//! 统一社会信用代码 check per GB 32100-2015, with the embedded GB 11714 organisation code.
//!
//! Some real codes issued early fail the check digit, so a mismatch is a warning, never a block.

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Result of a well-formed code's check digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsccCheck {
    Valid,
    /// Well formed, but a check character does not match: warn the clerk, do not block.
    ChecksumMismatch,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("统一社会信用代码应为 18 位（现为 {0} 位），请核对")]
    Length(usize),
    #[error("统一社会信用代码第 {position} 位“{ch}”不是有效字符（不使用 I、O、Z、S、V）")]
    Charset { position: usize, ch: char },
}

/// Checks an upper-cased, space-free code.
pub fn check_uscc(code: &str) -> Result<UsccCheck, UsccError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(UsccError::Length(chars.len()));
    }
    let mut values = [0u32; 18];
    for (i, ch) in chars.iter().enumerate() {
        values[i] = CHARSET
            .find(*ch)
            .map(|v| v as u32)
            .ok_or(UsccError::Charset {
                position: i + 1,
                ch: *ch,
            })?;
    }
    let sum: u32 = (0..17).map(|i| values[i] * WEIGHTS[i]).sum();
    let main_ok = (31 - sum % 31) % 31 == values[17];
    Ok(if main_ok && org_code_ok(&chars[8..17]) {
        UsccCheck::Valid
    } else {
        UsccCheck::ChecksumMismatch
    })
}

/// GB 11714 organisation code: 8 body characters and a MOD 11 check (`X` for 10).
fn org_code_ok(org: &[char]) -> bool {
    let value = |c: char| c.to_digit(36);
    let Some(sum) = org[..8]
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| value(*c).map(|v| v * w))
        .sum::<Option<u32>>()
    else {
        return false;
    };
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('?'),
    };
    org[8] == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_code_from_design() {
        assert_eq!(check_uscc("91310110666007217T"), Ok(UsccCheck::Valid));
    }

    #[test]
    fn early_real_code_only_warns() {
        assert_eq!(
            check_uscc("91350211M00013FA1N"),
            Ok(UsccCheck::ChecksumMismatch)
        );
    }

    #[test]
    fn altered_check_char_warns() {
        assert_eq!(
            check_uscc("91310110666007217U"),
            Ok(UsccCheck::ChecksumMismatch)
        );
    }

    #[test]
    fn bad_format_is_an_error() {
        assert_eq!(check_uscc("9131011066600721"), Err(UsccError::Length(16)));
        assert_eq!(
            check_uscc("91310110666007217I"),
            Err(UsccError::Charset {
                position: 18,
                ch: 'I'
            })
        );
    }
}
