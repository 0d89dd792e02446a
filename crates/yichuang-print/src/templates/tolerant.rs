//! 容缺受理通知书: the missing non-key materials, the applicant's promise to hand them in by a
//! date, and the applicant's signature under that promise.

use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Case, CaseOutcome, ServiceItem};

use crate::doc::{Block, Closing, PaperFrame, PrintDoc};
use crate::slip::{field, one_line};
use crate::templates::common::{
    STATION_SEAL, column, form_and_copies, item_fields, not_for_this_case, party_fields,
    salutation, standard_or_guide,
};
use crate::{PrintError, SlipField};

pub(crate) const TITLE: &str = "容缺受理通知书";

/// The 容缺受理通知书 of a case accepted with missing non-key materials.
pub fn tolerant_notice(
    case: &Case,
    item: &ServiceItem,
    frame: PaperFrame,
) -> Result<PrintDoc, PrintError> {
    let CaseOutcome::AcceptedTolerant {
        missing,
        supplement_by,
        ..
    } = &case.outcome
    else {
        return Err(not_for_this_case(TITLE, "该办件不是容缺受理"));
    };
    let by = format_date_zh(*supplement_by);
    let rows = missing
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                one_line(&m.name),
                standard_or_guide(m),
                form_and_copies(m.form, m.copies),
            ]
        })
        .collect();
    let intro = format!(
        "您申请办理的“{}”事项，基本条件具备、主要申请材料齐全，尚缺下列非关键性材料。根据容缺受理制度，经您书面承诺在约定期限内补齐，本机关决定予以容缺受理。",
        one_line(&item.name)
    );
    let promise = format!(
        "本人（本单位）承诺于{by}前向受理窗口补齐上述材料，并对所提交材料的真实性负责；逾期未补齐的，同意终止办理并承担相应后果。"
    );
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
            Block::Fields(vec![
                field("受理人", &clerk),
                field("受理时间", &format_minute(case.accepted_at)),
                field("承诺补齐日期", &by),
                field("咨询电话", &frame.consult_phone),
            ]),
            Block::Table {
                columns: vec![
                    column("序号", Some(12.0), true),
                    column("容缺材料名称", Some(50.0), false),
                    column("要求及标准", None, false),
                    column("形式及份数", Some(26.0), true),
                ],
                rows,
            },
            Block::Notes {
                heading: "申请人承诺".into(),
                items: vec![
                    promise,
                    "材料补齐并经审核符合要求后，方可出具办理结果。".into(),
                ],
            },
        ],
        closing: Closing {
            signatures: vec![
                SlipField {
                    label: "受理人".into(),
                    value: clerk,
                },
                SlipField {
                    label: "申请人（承诺人）签名".into(),
                    value: String::new(),
                },
            ],
            seal_caption: STATION_SEAL.into(),
            date: format_date_zh(local_date(case.accepted_at)),
        },
        frame,
    })
}
