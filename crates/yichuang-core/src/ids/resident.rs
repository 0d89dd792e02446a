//! 居民身份证 number check per GB 11643-1999 (ISO 7064 MOD 11-2 check character).

use jiff::civil::Date;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("身份证号码应为 18 位（现为 {0} 位），请核对")]
    Length(usize),
    #[error("身份证号码前 17 位应为数字，最后一位为数字或 X")]
    Charset,
    #[error("身份证号码中的出生日期 {0} 不存在，请核对")]
    BirthDate(String),
    #[error("身份证号码校验位不符（应为 {expected}），可能有录入错误，请与证件核对")]
    Checksum { expected: char },
}

/// Facts read from a valid number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentIdInfo {
    pub region: String,
    pub birth_date: Date,
    pub male: bool,
}

/// Checks an upper-cased, space-free 18-character number.
pub fn check_resident_id(id: &str) -> Result<ResidentIdInfo, ResidentIdError> {
    let bytes = id.as_bytes();
    if bytes.len() != 18 {
        return Err(ResidentIdError::Length(id.chars().count()));
    }
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(ResidentIdError::Charset);
    }
    let digit = |i: usize| u32::from(bytes[i] - b'0');
    let year = (0..4).fold(0i16, |acc, i| acc * 10 + digit(6 + i) as i16);
    let month = (digit(10) * 10 + digit(11)) as i8;
    let day = (digit(12) * 10 + digit(13)) as i8;
    let birth_date = Date::new(year, month, day)
        .ok()
        .filter(|d| d.year() >= 1800)
        .ok_or_else(|| ResidentIdError::BirthDate(id[6..14].to_string()))?;
    let sum: u32 = (0..17).map(|i| digit(i) * WEIGHTS[i]).sum();
    let expected = CHECK_CHARS[(sum % 11) as usize] as char;
    if bytes[17] as char != expected {
        return Err(ResidentIdError::Checksum { expected });
    }
    Ok(ResidentIdInfo {
        region: id[..6].to_string(),
        birth_date,
        male: digit(16) % 2 == 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_vectors_from_design() {
        let info = check_resident_id("11010519491231002X").expect("valid");
        assert_eq!(info.birth_date, Date::new(1949, 12, 31).unwrap());
        assert!(!info.male);
        let info = check_resident_id("440524188001010014").expect("valid");
        assert!(info.male);
        assert_eq!(info.region, "440524");
    }

    #[test]
    fn rejects_bad_checksum() {
        assert_eq!(
            check_resident_id("440308199901101513"),
            Err(ResidentIdError::Checksum { expected: '2' })
        );
    }

    #[test]
    fn rejects_length_charset_and_impossible_dates() {
        assert_eq!(
            check_resident_id("4403081999"),
            Err(ResidentIdError::Length(10))
        );
        assert_eq!(
            check_resident_id("44030819990110151Y"),
            Err(ResidentIdError::Charset)
        );
        assert!(matches!(
            check_resident_id("440308199902301513"),
            Err(ResidentIdError::BirthDate(_))
        ));
    }

    #[test]
    fn error_messages_are_chinese() {
        let msg = check_resident_id("440308199901101513")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("校验位"), "{msg}");
    }
}
