//! The HTML of the officer's pages, server-rendered with maud (every value escaped by
//! construction): the sign-in page, and the working page with its forms, the stations'
//! health and the newest cases.

use jiff::Timestamp;
use maud::{DOCTYPE, Markup, html};
use yichuang_core::DistrictStatus;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use super::forms::Fields;
use super::upload::MAX_DOCUMENT_BYTES;
use crate::officer;
use crate::store::{CaseSummary, DeviceHealth};

/// What the last form did, shown at the top of the page.
pub(crate) enum Notice {
    /// Done: what was done.
    Done(String),
    /// An enrollment code, shown this once.
    Code {
        station: String,
        code: String,
        expires_at: Timestamp,
    },
    /// Refused: what to do about it.
    Error(String),
}

/// Everything the working page shows.
pub(crate) struct View<'a> {
    pub region: &'a str,
    pub csrf: &'a str,
    pub devices: &'a [DeviceHealth],
    pub cases: &'a [CaseSummary],
    /// The current version of each kind of reference data, if published.
    pub versions: &'a [(ReferenceKind, Option<String>)],
    pub notice: Option<Notice>,
    /// What the forms are filled with (the officer's input after a refusal).
    pub filled: &'a Fields,
}

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em;max-width:80em}\
table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #999;padding:.25em .6em;text-align:left}\
.bad{color:#b00}.notice{padding:.6em 1em;margin:1em 0;border:2px solid #2a7}.notice.error{border-color:#b00;color:#b00}\
.code{font-size:2em;font-family:monospace;letter-spacing:.1em}form.box{border:1px solid #ccc;padding:.8em 1em;margin:1em 0}\
label{display:block;margin:.4em 0}textarea{width:100%;height:12em;font-family:monospace}\
header{display:flex;justify-content:space-between;align-items:center}";

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (STYLE) }
            }
            body { (body) }
        }
    }
}

/// The sign-in page, with why the last try was refused if it was.
pub(crate) fn login(region: &str, error: Option<&str>) -> Markup {
    shell(
        &format!("区级系统 {region} · 管理员登录"),
        html! {
            h1 { "区级系统 " (region) " · 管理员登录" }
            @if let Some(error) = error {
                p class="notice error" role="alert" { (error) }
            }
            form class="box" method="post" action="/admin/login" {
                label { "管理口令（启动区级系统时 --admin-token-file 文件中的口令）"
                    br; input type="password" name="token" required autocomplete="current-password" size="48"; }
                button type="submit" { "登录" }
            }
            p { "登录后 30 分钟无操作或满 12 小时须重新登录。请通过 https 地址或本机访问本页。" }
        },
    )
}

/// A page that only says why a form was refused, with the way back.
pub(crate) fn refused(message: &str, back: &str, back_label: &str) -> Markup {
    shell(
        "区级系统 · 操作未执行",
        html! {
            p class="notice error" role="alert" { (message) }
            p { a href=(back) { (back_label) } }
        },
    )
}

/// The officer's working page.
pub(crate) fn working(v: &View) -> Markup {
    shell(
        &format!("区级系统 {} · 管理", v.region),
        html! {
            header {
                h1 { "区级系统 " (v.region) " · 管理" }
                form method="post" action="/admin/logout" {
                    input type="hidden" name="csrf" value=(v.csrf);
                    button type="submit" { "退出登录" }
                }
            }
            @if let Some(notice) = &v.notice { (notice_box(notice)) }
            (enroll_form(v))
            (publish_form(v))
            (status_form(v))
            (stations(v.devices))
            (recent(v.cases))
        },
    )
}

fn notice_box(notice: &Notice) -> Markup {
    match notice {
        Notice::Done(text) => html! { p class="notice" role="status" { (text) } },
        Notice::Error(text) => html! { p class="notice error" role="alert" { (text) } },
        Notice::Code {
            station,
            code,
            expires_at,
        } => html! {
            div class="notice" role="status" {
                p { "站点 " (station) " 的一次性注册码（只显示这一次，请抄下交给站点负责人）：" }
                p class="code" id="enroll-code" { (code) }
                p { "有效至 " (officer::seen(Some(*expires_at))) "，用过一次即失效。" }
            }
        },
    }
}

fn enroll_form(v: &View) -> Markup {
    let f = v.filled;
    let hours = if f.valid_hours.is_empty() {
        "72"
    } else {
        &f.valid_hours
    };
    html! {
        h2 { "签发注册码" }
        form class="box" method="post" action="/admin/enroll-code" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "站点编码（如 440111001）" br; input name="station" value=(f.station) required size="12"; }
            label { "站点名称" br; input name="station_name" value=(f.station_name) required size="40"; }
            label { "有效小时数（1 至 " (officer::MAX_CODE_HOURS) "）" br;
                input name="valid_hours" value=(hours) required size="6" inputmode="numeric"; }
            button type="submit" { "签发" }
        }
    }
}

fn publish_form(v: &View) -> Markup {
    let f = v.filled;
    html! {
        h2 { "发布参考数据" }
        table {
            tr { th { "数据" } th { "当前版本" } }
            @for (kind, version) in v.versions {
                tr { td { (kind.label()) } td { (version.as_deref().unwrap_or("未发布")) } }
            }
        }
        form class="box" method="post" action="/admin/publish" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "数据种类" br;
                select name="kind" {
                    @for kind in ReferenceKind::ALL {
                        option value=(kind.path_segment()) selected[f.kind == kind.path_segment()] { (kind.label()) }
                    }
                }
            }
            label { "选择文件（UTF-8 编码的 .json 文件，最大 " (MAX_DOCUMENT_BYTES >> 20) " MB；版本号取自文件中的 version）" br;
                input type="file" name="file" accept=".json,application/json"; }
            label { "或粘贴 JSON 内容（已选择文件时以文件为准）" br;
                textarea name="document" spellcheck="false" { (f.document) } }
            button type="submit" { "发布" }
        }
    }
}

fn status_form(v: &View) -> Markup {
    use DistrictStatus::*;
    let f = v.filled;
    html! {
        h2 id="status" { "登记办件状态" }
        form class="box" method="post" action="/admin/case-status" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "办件标识（在下方“最近办件”中点“登记状态”可自动填入）" br;
                input name="case_id" value=(f.case_id) required size="40"; }
            label { "新状态" br;
                select name="status" {
                    @for st in [Reviewing, Approved, Denied, ReadyForPickup, Mailed] {
                        @let value = status_value(st);
                        option value=(value) selected[f.status == value] { (st.label()) }
                    }
                }
            }
            label { "说明（准予文号或不予许可的理由，可空）" br; input name="note" value=(f.note) size="60"; }
            label { "快递公司（已寄出时必填）" br; input name="courier" value=(f.courier) size="20"; }
            label { "运单号（已寄出时必填）" br; input name="tracking_no" value=(f.tracking_no) size="30"; }
            button type="submit" { "登记" }
        }
    }
}

/// The form value of a status: its wire name (`ready_for_pickup`).
pub(crate) fn status_value(status: DistrictStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn stations(devices: &[DeviceHealth]) -> Markup {
    html! {
        h2 { "站点设备" }
        table id="stations" {
            tr { th { "站点" } th { "设备" } th { "状态" } th { "最近联系" } th { "版本" }
                 th { "待上传" } th { "隔离" } th { "待传材料" } th { "最近问题" } }
            @for d in devices {
                tr {
                    td { (d.station_code) " " (d.station_name) }
                    td { (d.device_name) }
                    td class=[(!d.live).then_some("bad")] { (if d.live { "有效" } else { "已停用" }) }
                    td { (officer::seen(d.last_seen_at)) }
                    td { (d.app_version.as_deref().unwrap_or("—")) }
                    td { (officer::count(d.queue_depth)) }
                    td { (officer::count(d.quarantined)) }
                    td { (officer::count(d.materials_pending)) }
                    td class="bad" { (d.last_error.as_deref().unwrap_or("")) }
                }
            }
        }
    }
}

fn recent(cases: &[CaseSummary]) -> Markup {
    html! {
        h2 { "最近办件" }
        table id="cases" {
            tr { th { "区级编号" } th { "站点" } th { "事项编码" } th { "接收时间" } th { "状态" } th { "" } }
            @for c in cases {
                tr {
                    td { (c.official_case_no) }
                    td { (c.station_code) }
                    td { (c.item_code) }
                    td { (officer::seen(Some(c.received_at))) }
                    td { (c.status.map_or("审批中", |s| s.label())) }
                    td { a href={ "/admin?case=" (c.id) "#status" } { "登记状态" } }
                }
            }
        }
    }
}
