//! The handover (送达) of a decided case's result, as the 送达回证 records it (DESIGN.md §4):
//! document name and number, addressee, time to the minute, place, method, the recipient's
//! relation and the deliverer; a courier handover carries address, courier and tracking number.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// How the result left the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum HandoverMethod {
    /// 窗口领取: handed to the recipient at the counter.
    Window {
        /// Where, e.g. the hall's name and window number.
        place: String,
    },
    /// 快递办: sent by courier.
    Courier {
        address: String,
        courier: String,
        tracking_no: String,
    },
}

/// What the clerk enters when handing the result over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HandoverForm {
    /// e.g. 准予行政许可决定书.
    pub document_name: String,
    pub document_no: Option<String>,
    pub recipient_name: String,
    /// Checked against the case at the window; printed masked.
    pub recipient_id_no: Option<String>,
    /// 本人, 代理人, 同住成年家属 …
    pub relation: String,
    pub method: HandoverMethod,
}

/// A recorded handover of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Handover {
    /// Client-generated UUIDv7: the idempotency key.
    #[ts(type = "string")]
    pub id: Uuid,
    #[ts(type = "string")]
    pub case_id: Uuid,
    pub form: HandoverForm,
    /// The clerk who handed it over (送达人).
    pub clerk: String,
    #[ts(type = "string")]
    pub handed_at: Timestamp,
}

impl HandoverMethod {
    pub fn label(&self) -> &'static str {
        match self {
            HandoverMethod::Window { .. } => "直接送达（窗口领取）",
            HandoverMethod::Courier { .. } => "邮寄送达（快递）",
        }
    }

    pub fn by_courier(&self) -> bool {
        matches!(self, HandoverMethod::Courier { .. })
    }
}
