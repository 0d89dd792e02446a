//! 送达回证 from a recorded handover: document name and number, addressee, time to the
//! minute, place, method, the recipient's relation and signature, the deliverer; the courier
//! variant (快递办) adds address, courier and tracking number.

use yichuang_core::mask::mask_id;
use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Case, Handover, HandoverMethod, ServiceItem};

use crate::doc::{Block, Closing, PaperFrame, PrintDoc};
use crate::slip::{field, one_line};
use crate::templates::common::{item_fields, not_for_this_case, party_fields};
use crate::{PrintError, SlipField};

pub(crate) const TITLE: &str = "送达回证";
pub(crate) const COURIER_TITLE: &str = "送达回证（邮寄）";

/// The 送达回证 of `handover`; `by_courier` picks the courier variant, which must match how
/// the result was handed over.
pub fn service_receipt(
    case: &Case,
    item: &ServiceItem,
    handover: &Handover,
    by_courier: bool,
    frame: PaperFrame,
) -> Result<PrintDoc, PrintError> {
    let form = &handover.form;
    let title = if by_courier { COURIER_TITLE } else { TITLE };
    if handover.case_id != case.id {
        return Err(not_for_this_case(title, "送达记录不属于该办件"));
    }
    if form.method.by_courier() != by_courier {
        let reason = if by_courier {
            "结果是在窗口领取的，请打印窗口领取的送达回证"
        } else {
            "结果是邮寄送达的，请打印邮寄送达回证"
        };
        return Err(not_for_this_case(title, reason));
    }
    let deliverer = one_line(&handover.clerk);
    let mut document = vec![
        field("送达文书名称", &form.document_name),
        field(
            "文书编号",
            form.document_no
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or("无"),
        ),
    ];
    document.extend(item_fields(item));
    let mut addressee = vec![
        field("受送达人", &form.recipient_name),
        field("与申请人关系", &form.relation),
    ];
    if let Some(id) = form
        .recipient_id_no
        .as_deref()
        .filter(|n| !n.trim().is_empty())
    {
        addressee.push(field("受送达人证件号码", &mask_id(id.trim())));
    }
    let mut service = vec![
        field("送达方式", form.method.label()),
        field("送达时间", &format_minute(handover.handed_at)),
    ];
    match &form.method {
        HandoverMethod::Window { place } => service.push(field("送达地点", place)),
        HandoverMethod::Courier {
            address,
            courier,
            tracking_no,
        } => service.extend([
            field("快递公司", courier),
            field("快递单号", tracking_no),
            field("邮寄地址", address),
        ]),
    }
    service.push(field("送达人", &deliverer));
    Ok(PrintDoc {
        title: title.into(),
        case_no: case.case_no.clone(),
        official_case_no: case.official_case_no.clone(),
        blocks: vec![
            Block::Fields(document),
            Block::Fields(party_fields(case)),
            Block::Fields(addressee),
            Block::Fields(service),
            Block::Notes {
                heading: "说明".into(),
                items: vec![
                    "受送达人应在本回证上签名并注明签收日期；代为签收的，请注明与受送达人的关系。"
                        .into(),
                    format!(
                        "如对送达的文书有疑问，请致电 {} 咨询。",
                        frame.consult_phone
                    ),
                ],
            },
        ],
        closing: Closing {
            signatures: vec![
                SlipField {
                    label: "受送达人（签名）".into(),
                    value: String::new(),
                },
                SlipField {
                    label: "签收日期".into(),
                    value: String::new(),
                },
                SlipField {
                    label: "送达人".into(),
                    value: deliverer,
                },
            ],
            seal_caption: "（送达机关印章）".into(),
            date: format_date_zh(local_date(handover.handed_at)),
        },
        frame,
    })
}
