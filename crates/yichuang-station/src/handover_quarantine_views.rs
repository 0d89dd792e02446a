//! What the hall manager's quarantine list shows of a handover (送达) the district refused:
//! the case numbers, item, recipient (ID masked as the queue masks it), method, the district's
//! reason and when. Every label is made here; the window only shows them.

use serde::Serialize;
use ts_rs::TS;
use yichuang_core::Case;
use yichuang_core::time::format_minute;
use yichuang_store::RefusedHandover;

use crate::delivery_views::recipient_label;

/// One refused handover in the hall manager's 同步与隔离 tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RefusedHandoverRow {
    /// The handover's id: what a release names.
    pub handover_id: String,
    pub case_id: String,
    /// The station's case number.
    pub case_no: String,
    /// The district's case number, once it gave one.
    pub official_case_no: Option<String>,
    pub item_name: String,
    /// "王堃喆（本人，110105********002X）" at the window, "中国邮政 EMS 1180512345678" by post.
    pub recipient_label: String,
    /// "直接送达（窗口领取）" or "邮寄送达（快递）".
    pub method_label: String,
    /// The district's answer, in Chinese.
    pub reason: String,
    /// When the district refused it, to the minute (China time).
    pub refused_at: String,
    /// When it was handed over, to the minute (China time).
    pub handed_at: String,
    /// The clerk's login (送达人).
    pub clerk: String,
}

impl RefusedHandoverRow {
    pub(crate) fn new(r: &RefusedHandover, case: Option<&Case>) -> Self {
        let h = &r.handover;
        let recipient_label = recipient_label(h);
        RefusedHandoverRow {
            handover_id: h.id.to_string(),
            case_id: h.case_id.to_string(),
            case_no: r.case_no.clone(),
            official_case_no: case.and_then(|c| c.official_case_no.clone()),
            item_name: case.map(|c| c.item_name.clone()).unwrap_or_default(),
            recipient_label,
            method_label: h.form.method.label().to_string(),
            reason: r.reason.clone(),
            refused_at: format_minute(r.refused_at),
            handed_at: format_minute(h.handed_at),
            clerk: h.clerk.clone(),
        }
    }
}
