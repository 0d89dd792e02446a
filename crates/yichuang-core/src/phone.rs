//! Contact phone checks: mainland mobiles leniently, landlines with area codes.

/// Checks a contact phone; `Err` carries the clerk's message.
pub fn check_phone(raw: &str) -> Result<String, String> {
    let phone: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if phone.is_empty() {
        return Err("请填写联系电话".into());
    }
    let digits = phone.strip_prefix("+86").unwrap_or(&phone);
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("联系电话只能包含数字".into());
    }
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if mobile || landline {
        Ok(digits.to_string())
    } else {
        Err("联系电话应为 11 位手机号（1 开头）或带区号的固定电话".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobiles_and_landlines() {
        assert_eq!(check_phone("138 0013 8000").as_deref(), Ok("13800138000"));
        assert_eq!(check_phone("+8619912345678").as_deref(), Ok("19912345678"));
        assert_eq!(check_phone("020-86681234").as_deref(), Ok("02086681234"));
    }

    #[test]
    fn rejects_other_numbers() {
        assert!(check_phone("12800138000").is_err());
        assert!(check_phone("1380013800").is_err());
        assert!(check_phone("abc").is_err());
        assert!(check_phone("").is_err());
    }
}
