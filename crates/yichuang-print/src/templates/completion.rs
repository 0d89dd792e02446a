//! 办结领取回执: the applicant collects the result at the window (统一窗口出件) and signs for it.

use jiff::Timestamp;
use yichuang_core::time::{format_date_zh, format_minute, local_date};
use yichuang_core::{Case, CaseOutcome, ServiceItem};

use crate::doc::{Block, Closing, PaperFrame, PrintDoc};
use crate::slip::{field, one_line};
use crate::templates::common::{STATION_SEAL, item_fields, not_for_this_case, party_fields};
use crate::{PrintError, SlipField};

pub(crate) const TITLE: &str = "办结领取回执";

/// The decision being collected: what it is and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// e.g. `办结（准予）：核发居住证` or the on-the-spot result.
    pub result: String,
    pub completed_at: Timestamp,
}

impl Completion {
    /// What a case completed on the spot (即办件) carries itself; `None` for other outcomes,
    /// whose result comes from the district's status.
    pub fn on_the_spot(case: &Case) -> Option<Completion> {
        match &case.outcome {
            CaseOutcome::CompletedOnSpot { result } => Some(Completion {
                result: result.clone(),
                completed_at: case.accepted_at,
            }),
            _ => None,
        }
    }
}

/// The 办结领取回执 of a completed case.
pub fn completion_receipt(
    case: &Case,
    item: &ServiceItem,
    completion: &Completion,
    frame: PaperFrame,
) -> Result<PrintDoc, PrintError> {
    if matches!(
        case.outcome,
        CaseOutcome::Rejected { .. } | CaseOutcome::CorrectionRequested { .. }
    ) {
        return Err(not_for_this_case(TITLE, "该办件未受理，没有办理结果可领取"));
    }
    let clerk = one_line(&case.clerk);
    let mut blocks = vec![
        Block::Fields(item_fields(item)),
        Block::Fields(party_fields(case)),
        Block::Fields(vec![
            field("办理结果", &completion.result),
            field("办结时间", &format_minute(completion.completed_at)),
            field("受理时间", &format_minute(case.accepted_at)),
            field("领取方式", &case.intake.delivery.label()),
            field("领取地点", &frame.station_name),
        ]),
    ];
    blocks.push(Block::Notes {
        heading: "领取须知".into(),
        items: vec![
            "请当场核对办理结果及证照信息，如有错漏请当场提出。".into(),
            "代为领取的，请出示申请人的委托书及代领人有效身份证件，并在下方注明与申请人的关系。"
                .into(),
            format!("如有疑问，请致电 {} 咨询。", frame.consult_phone),
        ],
    });
    Ok(PrintDoc {
        title: TITLE.into(),
        case_no: case.case_no.clone(),
        official_case_no: case.official_case_no.clone(),
        blocks,
        closing: Closing {
            signatures: vec![
                SlipField {
                    label: "领取人（签名）".into(),
                    value: String::new(),
                },
                SlipField {
                    label: "与申请人关系".into(),
                    value: String::new(),
                },
                SlipField {
                    label: "出件人".into(),
                    value: clerk,
                },
            ],
            seal_caption: STATION_SEAL.into(),
            date: format_date_zh(local_date(completion.completed_at)),
        },
        frame,
    })
}
