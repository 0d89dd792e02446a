//! Handovers (送达) recorded at the station, sent in batches with one result per record after
//! their case has reached the district. The district keeps one handover per case and records
//! the case as 已送达 in its status history, so the station's next status pull shows it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yichuang_core::{Handover, HandoverForm, HandoverMethod};

/// `POST`: a [`HandoverBatch`]; the answer (200) is a [`HandoverAnswer`] with one result per
/// record, in the order sent. Whole-request failures touch no record.
pub const HANDOVERS_BATCH_PATH: &str = "/api/v2/handovers/batch";

/// Most records in one batch (more is a 413).
pub const MAX_HANDOVER_RECORDS: usize = 1000;

/// Longest text of one handover field, in characters (the station's own limit).
pub const MAX_FIELD_CHARS: usize = 200;

/// One handover of one case's result, as the 送达回证 records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverRecord {
    /// Made by the station when the clerk opened the handover form (UUIDv7): the
    /// idempotency key.
    pub id: Uuid,
    /// The case handed over; the district must hold it from this station, decided.
    pub case_id: Uuid,
    /// Document, recipient and method (window: place; courier: address, courier company and
    /// tracking number), as `yichuang_core::HandoverForm`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub form: HandoverForm,
    /// The clerk who handed it over (送达人).
    pub clerk: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub handed_at: Timestamp,
}

impl From<Handover> for HandoverRecord {
    fn from(h: Handover) -> Self {
        Self {
            id: h.id,
            case_id: h.case_id,
            form: h.form,
            clerk: h.clerk,
            handed_at: h.handed_at,
        }
    }
}

/// The body of [`HANDOVERS_BATCH_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverBatch {
    pub records: Vec<HandoverRecord>,
}

/// What the district did with one handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum HandoverResult {
    /// Durably stored with the case's 已送达 status now, or earlier with the same content
    /// (`duplicate`).
    Stored { id: Uuid, duplicate: bool },
    /// The case was handed over already by another handover, or this id holds another one
    /// (HTTP meaning 409).
    Conflict { id: Uuid, message: String },
    /// Invalid, about a case the district does not hold from this station, or about a case
    /// it has not decided (HTTP meaning 422).
    Invalid { id: Uuid, message: String },
}

impl HandoverResult {
    pub fn id(&self) -> Uuid {
        match self {
            HandoverResult::Stored { id, .. }
            | HandoverResult::Conflict { id, .. }
            | HandoverResult::Invalid { id, .. } => *id,
        }
    }
}

/// The answer to a [`HandoverBatch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverAnswer {
    pub results: Vec<HandoverResult>,
}

/// The checks both sides make: every required text present, none too long or holding
/// control characters.
pub fn check(record: &HandoverRecord) -> Result<(), String> {
    let f = &record.form;
    let mut fields: Vec<(&str, &str, bool)> = vec![
        ("送达文书名称", &f.document_name, false),
        ("受送达人姓名", &f.recipient_name, false),
        ("领取人与申请人的关系", &f.relation, false),
        ("送达人", &record.clerk, false),
    ];
    if let Some(no) = &f.document_no {
        fields.push(("文书编号", no, true));
    }
    if let Some(id_no) = &f.recipient_id_no {
        fields.push(("领取人证件号码", id_no, true));
    }
    match &f.method {
        HandoverMethod::Window { place } => fields.push(("送达地点", place, false)),
        HandoverMethod::Courier {
            address,
            courier,
            tracking_no,
        } => {
            fields.push(("邮寄地址", address, false));
            fields.push(("快递公司", courier, false));
            fields.push(("快递单号", tracking_no, false));
        }
    }
    for (field, value, may_be_empty) in fields {
        let n = value.chars().count();
        if (!may_be_empty && value.trim().is_empty()) || n > MAX_FIELD_CHARS {
            let min = usize::from(!may_be_empty);
            return Err(format!("{field} 应为 {min} 至 {MAX_FIELD_CHARS} 个字符"));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("{field} 含有控制字符"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(method: HandoverMethod) -> HandoverRecord {
        HandoverRecord {
            id: Uuid::now_v7(),
            case_id: Uuid::now_v7(),
            form: HandoverForm {
                document_name: "准予行政许可决定书".into(),
                document_no: Some("穗白审〔2026〕12号".into()),
                recipient_name: "王堃喆".into(),
                recipient_id_no: Some("11010519491231002X".into()),
                relation: "本人".into(),
                method,
            },
            clerk: "窗口人员".into(),
            handed_at: Timestamp::from_second(1_795_000_000).unwrap(),
        }
    }

    #[test]
    fn a_complete_handover_passes_and_a_missing_tracking_number_does_not() {
        let window = record(HandoverMethod::Window {
            place: "白云区政务服务中心 3 号窗口".into(),
        });
        assert_eq!(check(&window), Ok(()));
        let courier = record(HandoverMethod::Courier {
            address: "广州市白云区某路 1 号".into(),
            courier: "中国邮政 EMS".into(),
            tracking_no: " ".into(),
        });
        assert!(check(&courier).unwrap_err().contains("快递单号"));
        let mut long = window.clone();
        long.form.recipient_name = "王".repeat(MAX_FIELD_CHARS + 1);
        assert!(check(&long).unwrap_err().contains("受送达人姓名"));
    }

    #[test]
    fn the_wire_form_round_trips_and_names_its_result() {
        let r = record(HandoverMethod::Window {
            place: "窗口".into(),
        });
        let json = serde_json::to_string(&HandoverBatch {
            records: vec![r.clone()],
        })
        .unwrap();
        let back: HandoverBatch = serde_json::from_str(&json).unwrap();
        assert_eq!(back.records, vec![r.clone()]);
        let answer = serde_json::to_value(HandoverResult::Stored {
            id: r.id,
            duplicate: true,
        })
        .unwrap();
        assert_eq!(answer["result"], "stored");
    }
}
