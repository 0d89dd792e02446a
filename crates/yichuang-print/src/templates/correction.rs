//! 一次性告知书 (补正材料通知书): everything missing or defective, each with its required
//! standard, told once (行政许可法 Art. 32 (4)), with the clerk, a phone and a signature line.

use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Case, CaseOutcome, ServiceItem};

use crate::PrintError;
use crate::doc::{Block, PaperFrame, PrintDoc};
use crate::slip::{field, one_line};
use crate::templates::common::{
    clerk_and_applicant_closing, column, form_and_copies, item_fields, not_for_this_case,
    party_fields, salutation, standard_or_guide,
};

pub(crate) const TITLE: &str = "一次性告知书";

/// The five-day rule the notice quotes (行政许可法 Art. 32 (4)).
pub const FIVE_DAY_RULE: &str = "依照《中华人民共和国行政许可法》第三十二条，申请材料不齐全或者不符合法定形式的，\
行政机关应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理。";

/// The 一次性告知书 of a case waiting for correction.
pub fn correction_notice(
    case: &Case,
    item: &ServiceItem,
    frame: PaperFrame,
) -> Result<PrintDoc, PrintError> {
    let CaseOutcome::CorrectionRequested { items, notified_at } = &case.outcome else {
        return Err(not_for_this_case(TITLE, "该办件没有需要补正的材料"));
    };
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let problem = if m.problem.is_empty() {
                "未提交".to_string()
            } else {
                one_line(&m.problem)
            };
            vec![
                (i + 1).to_string(),
                one_line(&m.name),
                standard_or_guide(m),
                form_and_copies(m.form, m.copies),
                problem,
            ]
        })
        .collect();
    let intro = format!(
        "您于{}申请办理的“{}”事项，经审查，申请材料不齐全或者不符合法定形式。现一次性告知您需要补正的全部材料如下：",
        format_date_zh(local_date(case.accepted_at)),
        one_line(&item.name)
    );
    let notes = vec![
        "本告知书一次性列明需补正的全部材料。请按上表要求补齐后，携本告知书到受理窗口提交。"
            .to_string(),
        "材料补齐之日为受理之日，办理时限自受理之日的次日起按工作日计算。".to_string(),
        FIVE_DAY_RULE.to_string(),
        format!("如有疑问，请致电 {} 咨询。", frame.consult_phone),
    ];
    let clerk = one_line(&case.clerk);
    Ok(PrintDoc {
        title: TITLE.into(),
        case_no: case.case_no.clone(),
        official_case_no: case.official_case_no.clone(),
        blocks: vec![
            Block::Text(salutation(case)),
            Block::Text(intro),
            Block::Fields(item_fields(item)),
            Block::Fields(party_fields(case)),
            Block::Table {
                columns: vec![
                    column("序号", Some(12.0), true),
                    column("需补正材料名称", Some(44.0), false),
                    column("要求及标准", None, false),
                    column("形式及份数", Some(24.0), true),
                    column("补正原因", Some(26.0), false),
                ],
                rows,
            },
            Block::Fields(vec![
                field("经办人", &clerk),
                field("咨询电话", &frame.consult_phone),
                field("告知时间", &format_minute(*notified_at)),
            ]),
            Block::Notes {
                heading: "告知事项".into(),
                items: notes,
            },
        ],
        closing: clerk_and_applicant_closing(clerk, format_date_zh(local_date(*notified_at))),
        frame,
    })
}
