//! The HTML of the citizen's pages, server-rendered with maud (every value escaped by
//! construction), sized for a phone: large type, whole-width tap targets, no script and no
//! outside assets.

use jiff::Timestamp;
use maud::{DOCTYPE, Markup, html};
use yichuang_core::EvaluationLevel;
use yichuang_core::evaluation::MAX_COMMENT_CHARS;
use yichuang_core::time::format_minute;

use super::{EVALUATE_PATH, Heading, PROGRESS_PATH};
use crate::store::CaseProgress;

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;\
margin:0;padding:1em;font-size:17px;line-height:1.5;color:#1a1a1a;background:#f4f6f8}\
main{max-width:34em;margin:0 auto}h1{font-size:1.35em;margin:.2em 0 .6em;color:#0b4f8a}\
.card{background:#fff;border-radius:10px;padding:.9em 1em;margin:0 0 1em;box-shadow:0 1px 3px rgba(0,0,0,.12)}\
dl{margin:0}dt{color:#666;font-size:.85em}dd{margin:0 0 .5em;word-break:break-all}\
fieldset{border:0;margin:0;padding:0}legend{font-weight:bold;margin-bottom:.5em}\
label.level{display:flex;align-items:center;gap:.7em;min-height:3.2em;padding:.5em .9em;margin:.45em 0;\
border:2px solid #c9d3dd;border-radius:10px;background:#fff;font-size:1.1em}\
label.level:has(input:checked){border-color:#0b6bcb;background:#e8f1fc}\
label.level input{width:1.4em;height:1.4em;margin:0}\
textarea{width:100%;min-height:6em;font:inherit;padding:.5em;border:2px solid #c9d3dd;border-radius:10px}\
button{width:100%;min-height:3.2em;margin:.8em 0 .3em;font-size:1.15em;font-weight:bold;color:#fff;\
background:#0b6bcb;border:0;border-radius:10px}\
.notice{padding:.8em 1em;border-radius:10px;margin:0 0 1em;background:#e9f7ef;border:2px solid #2a9d5b}\
.notice.error{background:#fdecec;border-color:#c0392b;color:#8e1b10}\
.hint{color:#555;font-size:.9em}a{color:#0b6bcb}ol{padding-left:1.3em;margin:.3em 0}";

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (STYLE) }
            }
            body { main { (body) } }
        }
    }
}

/// A page that only says something (a refusal, a thank-you), with an optional way on.
pub(super) fn message(title: &str, text: &str, link: Option<(&str, &str)>) -> Markup {
    shell(
        title,
        html! {
            h1 { (title) }
            p class="notice error" role="alert" { (text) }
            @if let Some((href, label)) = link {
                p { a href=(href) { (label) } }
            }
        },
    )
}

fn heading_card(h: &Heading) -> Markup {
    html! {
        section class="card" {
            dl {
                dt { "办件编号" } dd { (h.case_no) }
                dt { "办理事项" } dd { (h.item) }
                dt { "受理站点" } dd { (h.station) }
            }
        }
    }
}

fn progress_link(query: &str) -> String {
    format!("{PROGRESS_PATH}?{query}")
}

/// The evaluation form: the five levels, an optional comment, the signed query hidden.
pub(super) fn form(
    h: &Heading,
    query: &str,
    error: Option<&str>,
    chosen: Option<u8>,
    comment: &str,
) -> Markup {
    shell(
        "政务服务好差评",
        html! {
            h1 { "政务服务好差评" }
            (heading_card(h))
            @if let Some(error) = error {
                p class="notice error" role="alert" { (error) }
            }
            form class="card" method="post" action=(EVALUATE_PATH) {
                input type="hidden" name="q" value=(query);
                fieldset {
                    legend { "您对本次服务是否满意？" }
                    @for level in EvaluationLevel::ALL {
                        label class="level" {
                            input type="radio" name="level" value=(level.code())
                                required checked[chosen == Some(level.code())];
                            span { (level.label()) }
                        }
                    }
                }
                p {
                    label for="comment" { "意见或建议（选填，最多 " (MAX_COMMENT_CHARS) " 字）" }
                    textarea id="comment" name="comment" maxlength=(MAX_COMMENT_CHARS) { (comment) }
                }
                button type="submit" { "提交评价" }
                p class="hint" { "每件办件只能评价一次（一次一评），提交后不能修改。" }
            }
            p { a href=(progress_link(query)) { "查询办理进度" } }
        },
    )
}

/// After a rating was recorded.
pub(super) fn thanks(h: &Heading, level: EvaluationLevel, query: &str) -> Markup {
    shell(
        "评价已提交",
        html! {
            h1 { "感谢您的评价" }
            p class="notice" role="status" { "您的评价“" (level.label()) "”已记录。" }
            (heading_card(h))
            p { a href=(progress_link(query)) { "查询办理进度" } }
        },
    )
}

/// The case is rated already (一次一评).
pub(super) fn already_rated(h: &Heading, query: &str) -> Markup {
    shell(
        "该办件已评价",
        html! {
            h1 { "该办件已评价" }
            p class="notice error" role="alert" {
                (yichuang_core::evaluation::ALREADY_RATED) "，不能再次评价。感谢您的参与。"
            }
            (heading_card(h))
            p { a href=(progress_link(query)) { "查询办理进度" } }
        },
    )
}

/// The progress page: the case as the district knows it, or that it is on its way.
pub(super) fn progress(
    h: &Heading,
    case: Option<&CaseProgress>,
    rated: bool,
    query: &str,
) -> Markup {
    shell(
        "办理进度查询",
        html! {
            h1 { "办理进度查询" }
            (heading_card(h))
            section class="card" {
                @match case {
                    None => {
                        p role="status" { strong { "已受理，正在同步到区县系统" } }
                        p class="hint" { "受理站点联网后即同步，届时可在此查询区县办理进度。" }
                    }
                    Some(case) => {
                        dl {
                            dt { "当前状态" }
                            dd { strong { (current_label(case)) } }
                            dt { "区县办件编号" } dd { (case.official_case_no) }
                            dt { "区县接收时间" } dd { (minute(case.received_at)) }
                        }
                        @if !case.statuses.is_empty() {
                            p { "办理记录" }
                            ol {
                                @for step in &case.statuses {
                                    li {
                                        (minute(step.at)) " " (step.status.label())
                                        @if let Some(courier) = &step.courier { "（" (courier) "）" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !rated {
                p { a href=(format!("{EVALUATE_PATH}?{query}")) { "评价本次服务" } }
            }
        },
    )
}

fn current_label(case: &CaseProgress) -> &'static str {
    case.statuses
        .last()
        .map_or("区县已接收，等待审批", |s| s.status.label())
}

fn minute(t: Timestamp) -> String {
    format_minute(t)
}
