//! The handover (送达) of a decided case's result, kept for the 送达回证 and its reprints: one
//! per case, recorded idempotently by the id made when the clerk opened the handover form.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{DistrictStatus, Handover, HandoverForm, HandoverMethod};

use crate::facade::event;
use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError, audit};

/// The longest text a handover field may hold (an address with its building and room).
pub const MAX_HANDOVER_FIELD_CHARS: usize = 200;

impl Store {
    /// Records the handover of a case's result. The same `id` again returns the row saved
    /// first; another handover of a case already handed over is refused. Only a case the
    /// district reported 待领取 may be handed over at the window; by courier also 办结.
    #[instrument(skip_all, fields(case_id = %case_id, courier = form.method.by_courier()), err)]
    pub fn record_handover(
        &mut self,
        case_id: Uuid,
        id: Uuid,
        form: &HandoverForm,
        clerk: &str,
        at: Timestamp,
    ) -> Result<Handover> {
        let form = checked(form)?;
        let clerk = clerk.trim();
        if clerk.is_empty() {
            return Err(StoreError::InvalidInput(
                "缺少送达人（经办窗口人员），请重新登录后再登记送达".into(),
            ));
        }
        self.write(|tx| {
            if let Some(stored) = read_handover(tx, "id", &id.to_string())? {
                return Ok(stored);
            }
            let case_no: String = tx
                .prepare_cached("SELECT case_no FROM cases WHERE id = ?1")?
                .query_row([case_id.to_string()], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::CaseNotFound {
                    id: case_id.to_string(),
                })?;
            if let Some(first) = read_handover(tx, "case_id", &case_id.to_string())? {
                return Err(StoreError::InvalidInput(format!(
                    "办件 {case_no} 已于 {} 登记送达（{}），不能重复登记。如需再给一份送达回证，请在办件中补打",
                    yichuang_core::time::format_minute(first.handed_at),
                    first.form.method.label()
                )));
            }
            check_district_status(tx, case_id, &case_no, &form.method)?;
            insert(tx, case_id, id, &form, clerk, at)?;
            let method = method_code(&form.method);
            audit::append(tx, event(at, clerk, "case.handed_over", &case_no, method))?;
            Ok(Handover {
                id,
                case_id,
                form,
                clerk: clerk.to_string(),
                handed_at: at,
            })
        })
    }

    /// The handover of a case, if one was recorded.
    pub fn handover(&self, case_id: Uuid) -> Result<Option<Handover>> {
        read_handover(&self.conn, "case_id", &case_id.to_string())
    }
}

/// The form with every text trimmed and the ID normalised, or what the clerk must fill in.
fn checked(form: &HandoverForm) -> Result<HandoverForm> {
    let mut missing: Vec<&str> = Vec::new();
    let mut too_long: Vec<&str> = Vec::new();
    let mut take = |label: &'static str, value: &str| -> String {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            missing.push(label);
        } else if value.chars().count() > MAX_HANDOVER_FIELD_CHARS {
            too_long.push(label);
        }
        value
    };
    let document_name = take("送达文书名称", &form.document_name);
    let recipient_name = take("受送达人（领取人）姓名", &form.recipient_name);
    let relation = take("领取人与申请人的关系", &form.relation);
    let method = match &form.method {
        HandoverMethod::Window { place } => HandoverMethod::Window {
            place: take("送达地点", place),
        },
        HandoverMethod::Courier {
            address,
            courier,
            tracking_no,
        } => HandoverMethod::Courier {
            address: take("邮寄地址", address),
            courier: take("快递公司", courier),
            tracking_no: take("快递单号", tracking_no),
        },
    };
    let optional = |v: &Option<String>| {
        v.as_deref()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    let document_no = optional(&form.document_no);
    if document_no
        .as_deref()
        .is_some_and(|s| s.chars().count() > MAX_HANDOVER_FIELD_CHARS)
    {
        too_long.push("文书编号");
    }
    let recipient_id_no = form
        .recipient_id_no
        .as_deref()
        .map(yichuang_core::ids::normalize_id)
        .filter(|s| !s.is_empty());
    if !missing.is_empty() {
        return Err(StoreError::InvalidInput(format!(
            "请填写{}后再登记送达",
            missing.join("、")
        )));
    }
    if !too_long.is_empty() {
        return Err(StoreError::InvalidInput(format!(
            "{}过长（最多 {MAX_HANDOVER_FIELD_CHARS} 字），请精简后再登记送达",
            too_long.join("、")
        )));
    }
    Ok(HandoverForm {
        document_name,
        document_no,
        recipient_name,
        recipient_id_no,
        relation,
        method,
    })
}

/// The district must have decided the case: 待领取 for the window, 办结 or 待领取 by courier.
fn check_district_status(
    conn: &Connection,
    case_id: Uuid,
    case_no: &str,
    method: &HandoverMethod,
) -> Result<()> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT status FROM case_district_status WHERE case_id = ?1")?
        .query_row([case_id.to_string()], |r| r.get(0))
        .optional()?;
    // The column holds the status's serde name (district_status.rs keeps them equal).
    let status = raw
        .map(|s| {
            serde_json::from_value::<DistrictStatus>(serde_json::Value::String(s.clone()))
                .map_err(|_| StoreError::Corrupt(format!("办件的区级办理状态“{s}”无法识别")))
        })
        .transpose()?;
    let allowed = match method {
        HandoverMethod::Window { .. } => status.is_some_and(DistrictStatus::ready_for_delivery),
        HandoverMethod::Courier { .. } => matches!(
            status,
            Some(DistrictStatus::Approved | DistrictStatus::ReadyForPickup)
        ),
    };
    if allowed {
        return Ok(());
    }
    let now = status.map_or("尚未收到区级办理结果", DistrictStatus::label);
    let wanted = match method {
        HandoverMethod::Window { .. } => "“待领取”",
        HandoverMethod::Courier { .. } => "“办结”或“待领取”",
    };
    Err(StoreError::InvalidInput(format!(
        "办件 {case_no} 目前不能出件（区级状态：{now}）。请先同步，待区级状态为{wanted}后再登记{}",
        method.label()
    )))
}

fn method_code(method: &HandoverMethod) -> &'static str {
    match method {
        HandoverMethod::Window { .. } => "window",
        HandoverMethod::Courier { .. } => "courier",
    }
}

fn insert(
    conn: &Connection,
    case_id: Uuid,
    id: Uuid,
    form: &HandoverForm,
    clerk: &str,
    at: Timestamp,
) -> Result<()> {
    let (place, address, courier, tracking_no) = match &form.method {
        HandoverMethod::Window { place } => (Some(place), None, None, None),
        HandoverMethod::Courier {
            address,
            courier,
            tracking_no,
        } => (None, Some(address), Some(courier), Some(tracking_no)),
    };
    conn.prepare_cached(
        "INSERT INTO handovers (id, case_id, method, document_name, document_no,
             recipient_name, recipient_id_no, relation, place, address, courier, tracking_no,
             clerk, handed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        id.to_string(),
        case_id.to_string(),
        method_code(&form.method),
        form.document_name,
        form.document_no,
        form.recipient_name,
        form.recipient_id_no,
        form.relation,
        place,
        address,
        courier,
        tracking_no,
        clerk,
        ts_to_sql(at)
    ])?;
    Ok(())
}

/// The handover whose `by` column (`id` or `case_id`) is `value`.
pub(crate) fn read_handover(conn: &Connection, by: &str, value: &str) -> Result<Option<Handover>> {
    let sql = format!(
        "SELECT id, case_id, method, document_name, document_no, recipient_name,
             recipient_id_no, relation, place, address, courier, tracking_no, clerk, handed_at
         FROM handovers WHERE {by} = ?1"
    );
    let row = conn
        .prepare_cached(&sql)?
        .query_row([value], |r| {
            let text = |i: usize| r.get::<_, String>(i);
            let opt = |i: usize| r.get::<_, Option<String>>(i);
            Ok(Row {
                id: text(0)?,
                case_id: text(1)?,
                method: text(2)?,
                document_name: text(3)?,
                document_no: opt(4)?,
                recipient_name: text(5)?,
                recipient_id_no: opt(6)?,
                relation: text(7)?,
                place: opt(8)?,
                address: opt(9)?,
                courier: opt(10)?,
                tracking_no: opt(11)?,
                clerk: text(12)?,
                handed_at: text(13)?,
            })
        })
        .optional()?;
    row.map(Row::decode).transpose()
}

/// A `handovers` row as read, before its values are checked.
struct Row {
    id: String,
    case_id: String,
    method: String,
    document_name: String,
    document_no: Option<String>,
    recipient_name: String,
    recipient_id_no: Option<String>,
    relation: String,
    place: Option<String>,
    address: Option<String>,
    courier: Option<String>,
    tracking_no: Option<String>,
    clerk: String,
    handed_at: String,
}

impl Row {
    fn decode(self) -> Result<Handover> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("送达记录的{what}无法读取"));
        let method = match (
            self.method.as_str(),
            self.address,
            self.courier,
            self.tracking_no,
        ) {
            ("window", ..) => HandoverMethod::Window {
                place: self.place.unwrap_or_default(),
            },
            ("courier", Some(address), Some(courier), Some(tracking_no)) => {
                HandoverMethod::Courier {
                    address,
                    courier,
                    tracking_no,
                }
            }
            _ => return Err(corrupt("送达方式")),
        };
        Ok(Handover {
            id: Uuid::parse_str(&self.id).map_err(|_| corrupt("标识"))?,
            case_id: Uuid::parse_str(&self.case_id).map_err(|_| corrupt("办件标识"))?,
            form: HandoverForm {
                document_name: self.document_name,
                document_no: self.document_no,
                recipient_name: self.recipient_name,
                recipient_id_no: self.recipient_id_no,
                relation: self.relation,
                method,
            },
            clerk: self.clerk,
            handed_at: ts_from_sql(&self.handed_at)?,
        })
    }
}
