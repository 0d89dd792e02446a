//! 不予受理通知书: the reasons, where to apply instead when another authority is competent,
//! and the appeal rights with their time limits (行政复议法 Art. 20, 行政诉讼法 Art. 46).

use yichuang_core::outcome::APPEAL_RIGHTS;
use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Case, CaseOutcome, ServiceItem};

use crate::PrintError;
use crate::doc::{Block, PaperFrame, PrintDoc};
use crate::slip::{field, one_line};
use crate::templates::common::{
    clerk_and_applicant_closing, item_fields, not_for_this_case, party_fields, salutation,
};

pub(crate) const TITLE: &str = "不予受理通知书";

/// Where the appeal rights come from, printed after them.
pub const APPEAL_BASIS: &str =
    "（依据《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）";

/// The 不予受理通知书 of a rejected case.
pub fn rejection_notice(
    case: &Case,
    item: &ServiceItem,
    frame: PaperFrame,
) -> Result<PrintDoc, PrintError> {
    let CaseOutcome::Rejected { reasons, referral } = &case.outcome else {
        return Err(not_for_this_case(TITLE, "该办件未作不予受理决定"));
    };
    let reasons: Vec<String> = reasons
        .lines()
        .map(one_line)
        .filter(|l| !l.is_empty())
        .collect();
    let decision = format!(
        "您于{}提出的“{}”申请，经审查，根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定不予受理。",
        format_date_zh(local_date(case.accepted_at)),
        one_line(&item.name)
    );
    let mut blocks = vec![
        Block::Text(salutation(case)),
        Block::Text(decision),
        Block::Fields(item_fields(item)),
        Block::Fields(party_fields(case)),
        Block::Notes {
            heading: "不予受理理由".into(),
            items: reasons,
        },
    ];
    if let Some(referral) = referral {
        blocks.push(Block::Text(format!(
            "该申请事项依法不属于本机关职权范围，请向{}提出申请。",
            one_line(referral)
        )));
    }
    let clerk = one_line(&case.clerk);
    blocks.push(Block::Fields(vec![
        field("经办人", &clerk),
        field("决定时间", &format_minute(case.accepted_at)),
        field("咨询电话", &frame.consult_phone),
    ]));
    blocks.push(Block::Notes {
        heading: "权利告知".into(),
        items: vec![format!("{APPEAL_RIGHTS}{APPEAL_BASIS}")],
    });
    Ok(PrintDoc {
        title: TITLE.into(),
        case_no: case.case_no.clone(),
        official_case_no: case.official_case_no.clone(),
        blocks,
        closing: clerk_and_applicant_closing(clerk, format_date_zh(local_date(case.accepted_at))),
        frame,
    })
}
