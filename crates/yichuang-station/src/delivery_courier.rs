//! Couriers of a 快递办 handover and the shape of their tracking numbers (运单号), checked
//! before the handover is recorded: a mistyped number would send the applicant looking for
//! a parcel that does not exist. Couriers not listed get a plain check.

use yichuang_core::Issue;

use crate::delivery_views::CourierChoice;

/// A courier whose tracking numbers have a known shape.
struct Courier {
    name: &'static str,
    hint: &'static str,
    valid: fn(&str) -> bool,
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn prefixed(s: &str, prefix: &str, min: usize, max: usize) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| digits(rest, min, max))
}

/// EMS: 13 digits at home; 2 letters, 9 digits, 2 letters (UPU S10) for the post.
fn ems(s: &str) -> bool {
    let b = s.as_bytes();
    digits(s, 13, 13)
        || (b.len() == 13
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..11].iter().all(u8::is_ascii_digit)
            && b[11..].iter().all(u8::is_ascii_uppercase))
}

const COURIERS: &[Courier] = &[
    Courier {
        name: "中国邮政 EMS",
        hint: "13 位数字，或 2 位字母 + 9 位数字 + 2 位字母",
        valid: ems,
    },
    Courier {
        name: "顺丰速运",
        hint: "SF 加 12–13 位数字，或 12 位数字",
        valid: |s| prefixed(s, "SF", 12, 13) || digits(s, 12, 12),
    },
    Courier {
        name: "京东物流",
        hint: "JD 开头，加 11–16 位字母或数字",
        valid: |s| {
            s.strip_prefix("JD").is_some_and(|r| {
                (11..=16).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
            })
        },
    },
    Courier {
        name: "中通快递",
        hint: "12–15 位数字",
        valid: |s| digits(s, 12, 15),
    },
    Courier {
        name: "圆通速递",
        hint: "YT 加 13 位数字",
        valid: |s| prefixed(s, "YT", 13, 13),
    },
    Courier {
        name: "申通快递",
        hint: "12–15 位数字",
        valid: |s| digits(s, 12, 15),
    },
    Courier {
        name: "韵达快递",
        hint: "13–15 位数字",
        valid: |s| digits(s, 13, 15),
    },
];

/// The couriers the window offers first (any other may be typed).
pub(crate) fn choices() -> Vec<CourierChoice> {
    COURIERS
        .iter()
        .map(|c| CourierChoice {
            name: c.name.to_string(),
            format_hint: c.hint.to_string(),
        })
        .collect()
}

/// A tracking number as the scanner or the clerk gives it: no spaces or dashes, upper case.
pub(crate) fn normalize_tracking(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// What is wrong with a courier and tracking number (both already trimmed and normalised).
pub(crate) fn tracking_issues(courier: &str, tracking_no: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    if courier.is_empty() {
        issues.push(Issue::error("courier", "required", "请选择或填写快递公司"));
    }
    if tracking_no.is_empty() {
        issues.push(Issue::error(
            "tracking_no",
            "required",
            "请扫描或输入快递单号",
        ));
        return issues;
    }
    let known = COURIERS.iter().find(|c| c.name == courier);
    let ok = match known {
        Some(c) => (c.valid)(tracking_no),
        None => {
            (6..=30).contains(&tracking_no.len())
                && tracking_no.bytes().all(|b| b.is_ascii_alphanumeric())
        }
    };
    if !ok {
        let format = known.map_or("6–30 位字母或数字", |c| c.hint);
        issues.push(Issue::error(
            "tracking_no",
            "tracking_format",
            format!(
                "快递单号“{tracking_no}”不符合{}的单号格式（{format}），请核对面单后重新扫描或输入",
                if courier.is_empty() {
                    "快递"
                } else {
                    courier
                }
            ),
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_couriers_check_their_formats() {
        assert!(tracking_issues("中国邮政 EMS", "1180512345678").is_empty());
        assert!(tracking_issues("中国邮政 EMS", "EA123456789CN").is_empty());
        assert!(tracking_issues("顺丰速运", "SF1234567890123").is_empty());
        assert!(tracking_issues("圆通速递", "YT1234567890123").is_empty());
        let wrong = tracking_issues("中国邮政 EMS", "118051234567");
        assert_eq!(wrong[0].code, "tracking_format");
        assert!(
            wrong[0].message.contains("13 位数字"),
            "{}",
            wrong[0].message
        );
        assert_eq!(tracking_issues("顺丰速运", "YT1234567890123").len(), 1);
    }

    #[test]
    fn other_couriers_need_a_plausible_number_and_blanks_are_named() {
        assert!(tracking_issues("德邦快递", "DPK300012345678").is_empty());
        assert_eq!(
            tracking_issues("德邦快递", "12345")[0].code,
            "tracking_format"
        );
        let blank = tracking_issues("", "");
        let fields: Vec<&str> = blank.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["courier", "tracking_no"]);
    }

    #[test]
    fn scanned_numbers_are_normalised() {
        assert_eq!(
            normalize_tracking(" sf 1234-5678 90123 "),
            "SF1234567890123"
        );
    }
}
