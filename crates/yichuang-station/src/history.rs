//! A case's whole history for the queue's detail panel (issue 8.4): intake and outcome,
//! corrections and supplements, prints and reprints with their reasons, scans opened, sync
//! answers, every district status change, and the handover, each with time, who and a
//! Chinese label. Built from the store's audit records and the district's changes.

use std::collections::HashMap;

use jiff::Timestamp;
use tracing::instrument;
use yichuang_core::{MaterialRequirement, SlipKind, time};
use yichuang_store::{CaseAuditRecord, PageRef, PrintFilter, PrintJob, StatusRecord};

use crate::queue::parse_case_id;
use crate::queue_views::{CaseHistory, HistoryEntry};
use crate::station::store_error;
use crate::views::CaseRow;
use crate::{AppError, ErrorKind, Station};

/// What the history needs to name things: clerks, prints, pages and materials.
struct Names {
    clerks: HashMap<String, String>,
    prints: Vec<PrintJob>,
    pages: Vec<PageRef>,
    materials: Vec<MaterialRequirement>,
}

impl Station {
    /// Every recorded step of case `case_id`, oldest first (any clerk).
    #[instrument(skip_all, err)]
    pub fn case_history(&self, case_id: &str) -> Result<CaseHistory, AppError> {
        self.clerk()?;
        let id = parse_case_id(case_id)?;
        let catalogue = self.catalogue_index()?;
        let store = self.lock();
        let case = store
            .get_case(id)
            .map_err(store_error)?
            .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "找不到该办件"))?;
        let audit = store.case_audit(id).map_err(store_error)?;
        let statuses = store.district_status_history(id).map_err(store_error)?;
        let filter = PrintFilter {
            case_id: Some(id),
            limit: 1000,
            ..PrintFilter::default()
        };
        let names = Names {
            clerks: store
                .clerk_names()
                .map_err(store_error)?
                .into_iter()
                .collect(),
            prints: store.print_history(&filter).map_err(store_error)?,
            pages: store.pages_of(id).map_err(store_error)?,
            materials: catalogue
                .catalogue
                .item(&case.intake.item_code)
                .map(|i| i.materials.clone())
                .unwrap_or_default(),
        };
        let mut row = CaseRow::from(&case);
        row.district_status_label = store
            .district_status(id)
            .map_err(store_error)?
            .map(|s| s.label);
        drop(store);
        let mut timed: Vec<(Timestamp, HistoryEntry)> = audit
            .iter()
            .map(|r| (r.at, names.audit_entry(r, &case.case_no)))
            .chain(statuses.iter().map(|s| (s.changed_at, status_entry(s))))
            .collect();
        timed.sort_by_key(|(at, _)| *at);
        Ok(CaseHistory {
            case: row,
            item_code: case.intake.item_code.clone(),
            entries: timed.into_iter().map(|(_, e)| e).collect(),
        })
    }
}

fn entry(
    at: Timestamp,
    who: String,
    kind: &str,
    label: String,
    detail: Option<String>,
) -> HistoryEntry {
    HistoryEntry {
        at: time::format_minute(at),
        who,
        label,
        detail,
        kind: kind.to_string(),
    }
}

fn status_entry(s: &StatusRecord) -> HistoryEntry {
    let mut detail: Vec<String> = s.note.iter().cloned().collect();
    if let (Some(courier), Some(no)) = (&s.courier, &s.tracking_no) {
        detail.push(format!("{courier} 运单号 {no}"));
    }
    let detail = (!detail.is_empty()).then(|| detail.join("；"));
    entry(
        s.changed_at,
        "区级平台".into(),
        "status",
        format!("区级办理状态：{}", s.status.label()),
        detail,
    )
}

impl Names {
    fn who(&self, actor: &str) -> String {
        match actor {
            "sync" => "同步".into(),
            "system" => "系统".into(),
            login => self
                .clerks
                .get(login)
                .cloned()
                .unwrap_or_else(|| login.to_string()),
        }
    }

    /// The print job and kind an audit target `<case_no>/<kind>/<copy>` names.
    fn print_of(&self, target: &str) -> (Option<&PrintJob>, Option<SlipKind>, u32) {
        let mut parts = target.rsplitn(3, '/');
        let copy = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let kind = parts
            .next()
            .and_then(|k| SlipKind::ALL.into_iter().find(|s| s.code() == k));
        let job = self
            .prints
            .iter()
            .find(|j| Some(j.kind) == kind && j.copy_no == copy);
        (job, kind, copy)
    }

    /// "身份证明 第 2 页" for the page an audit target `<case_no>/page/<id>` names.
    fn page_of(&self, target: &str) -> Option<String> {
        let id: i64 = target.rsplit_once("/page/")?.1.parse().ok()?;
        let page = self.pages.iter().find(|p| p.id == id)?;
        let name = self
            .materials
            .iter()
            .find(|m| m.code == page.material_code)
            .map_or(page.material_code.as_str(), |m| m.name.as_str());
        Some(format!("{name} 第 {} 页", page.position))
    }

    fn audit_entry(&self, r: &CaseAuditRecord, case_no: &str) -> HistoryEntry {
        let who = self.who(&r.actor);
        let failed = r.result != "ok";
        let (kind, label, detail): (&str, String, Option<String>) = match r.event.as_str() {
            "case.accepted" => ("intake", "受理".into(), None),
            "case.accepted_tolerant" => ("intake", "容缺受理".into(), None),
            "case.correction_requested" => ("intake", "出具一次性告知书（待补正）".into(), None),
            "case.rejected" => ("intake", "不予受理".into(), None),
            "case.completed_on_spot" => ("intake", "即办件当场办结".into(), None),
            "case.corrected" => ("outcome", "补正材料后重新决定".into(), None),
            "case.supplemented" => ("supplement", "容缺材料已补齐".into(), None),
            "case.edited" => ("outcome", "修改办件信息".into(), None),
            "case.synced" => ("sync", "已上传区级平台，取得统一办件编号".into(), None),
            "case.quarantined" => ("sync", "区级平台拒收，办件已隔离".into(), None),
            "sync.released" => ("sync", "解除隔离，重新上传".into(), None),
            "case.handed_over" => {
                let how = match r.result.as_str() {
                    "courier" => "出件：邮寄送达",
                    _ => "出件：窗口领取",
                };
                ("handover", how.into(), None)
            }
            "scan.opened" => (
                "scan",
                if failed {
                    "查看扫描件失败".into()
                } else {
                    "查看扫描件".into()
                },
                self.page_of(&r.target),
            ),
            "scan.reused" => ("scan", "复用以往办件的扫描件（减材料）".into(), None),
            "evaluation.recorded" => ("other", "好差评已记录".into(), None),
            "credit.black_list_acknowledged" => ("other", "确认信用提示".into(), None),
            event if event.starts_with("print.") && r.target != case_no => {
                let (job, kind, copy) = self.print_of(&r.target);
                let paper = kind.map_or("材料", |k| k.label());
                let label = match event {
                    "print.started" if copy > 1 => format!("补打{paper}（第 {copy} 份）"),
                    "print.started" => format!("打印{paper}"),
                    "print.done" => format!("{paper}已打印"),
                    "print.retried" => format!("重新打印{paper}"),
                    _ => format!("{paper}打印失败"),
                };
                let detail = match event {
                    "print.started" => job.and_then(|j| j.reprint_reason.clone()),
                    "print.failed" => job.and_then(|j| j.error.clone()),
                    _ => None,
                };
                ("print", label, detail.map(|d| format!("原因：{d}")))
            }
            other => ("other", format!("其他记录（{other}）"), None),
        };
        entry(r.at, who, kind, label, detail)
    }
}
