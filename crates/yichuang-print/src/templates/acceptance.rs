//! 受理通知书: the acceptance slip's fields, received materials and notices in the shared frame.

use yichuang_core::{Case, ServiceItem};

use crate::doc::{Block, Closing, PaperFrame, PrintDoc};
use crate::slip::field;
use crate::templates::common::column;
use crate::{AcceptanceSlip, SlipField};

pub(crate) const TITLE: &str = "受理通知书";

/// The 受理通知书 of an accepted case (受理 or 容缺受理).
pub fn acceptance_notice(case: &Case, item: &ServiceItem, frame: PaperFrame) -> PrintDoc {
    let mut slip = AcceptanceSlip::from_case(
        case,
        item,
        &frame.station_name,
        frame.evaluation_payload.clone(),
    );
    slip.progress_query = crate::slip::progress_query(&frame.consult_phone);
    acceptance_doc(&slip, frame)
}

/// The acceptance slip's view model laid into the shared frame.
pub(crate) fn acceptance_doc(slip: &AcceptanceSlip, frame: PaperFrame) -> PrintDoc {
    let f = |label: &str, value: &str| field(label, value);
    let mut blocks = vec![
        Block::Fields(vec![
            f("事项名称", &slip.item_name),
            f("事项编码", &slip.item_code),
            f("承办部门", &slip.department),
        ]),
        Block::Fields(slip.applicant.clone()),
        Block::Fields(vec![
            f("联系人", &slip.contact_name),
            f("联系电话", &slip.contact_phone),
        ]),
        Block::Fields(vec![
            f("受理人", &slip.clerk),
            f("受理时间", &slip.accepted_at),
            f("受理单位", &slip.accepting_body),
        ]),
        Block::Fields(vec![
            f("法定时限", &slip.statutory_limit),
            f("承诺时限", &slip.promised_limit),
            f("承诺办结日期", &slip.due_date),
            f("收费标准", &slip.fee),
            f("结果送达方式", &slip.delivery),
        ]),
        Block::Fields(vec![f("进度查询", &slip.progress_query)]),
    ];
    blocks.push(Block::Table {
        columns: vec![
            column("序号", Some(14.0), true),
            column("已收取材料名称", None, false),
            column("材料形式", Some(34.0), true),
            column("份数", Some(20.0), true),
        ],
        rows: slip
            .materials
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    (i + 1).to_string(),
                    m.name.clone(),
                    m.form.clone(),
                    m.count.clone(),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Notes {
        heading: "告知事项".into(),
        items: slip.notices.clone(),
    });
    PrintDoc {
        title: TITLE.into(),
        frame,
        case_no: slip.case_no.clone(),
        official_case_no: slip.official_case_no.clone(),
        blocks,
        closing: Closing {
            signatures: vec![
                SlipField {
                    label: "受理人".into(),
                    value: slip.clerk.clone(),
                },
                SlipField {
                    label: "申请人（签名）".into(),
                    value: String::new(),
                },
            ],
            seal_caption: slip.seal_caption.clone(),
            date: slip.accepted_date.clone(),
        },
    }
}
