//! The publish form's body, `multipart/form-data`: the CSRF token, the kind, a chosen file
//! and the pasted text. The document to publish is the file when one was chosen, else the
//! pasted text; its size and encoding are checked here, so the officer reads which file and
//! which line is wrong before `officer::publish` validates the content as the CLI does.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use axum::response::Response;
use http_body_util::LengthLimitError;
use serde::de::IgnoredAny;
use serde_json::error::Category;
use yichuang_sync::protocol::v2::MAX_JSON_BODY;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

use super::forms::Fields;
use super::{html, page};
use crate::DistrictError;

/// Largest document published from the page: the admin routes read at most
/// [`MAX_JSON_BODY`] (8 MiB), and 1 MiB of it is left for the other fields and the framing, so
/// a file refused for its size is refused by this page (with the form kept), not by the body
/// limit. The demo catalogue takes ≈1.3 KB an item: 7 MiB holds ≈5,000 items, more than a
/// district's whole catalogue. Larger files go through the CLI's `publish`.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 7 * 1024 * 1024;
const _: () = assert!(MAX_DOCUMENT_BYTES + 1024 * 1024 <= MAX_JSON_BODY);

/// Longest file name shown back to the officer, in characters.
const MAX_NAME_CHARS: usize = 80;

/// The file the officer chose.
pub(super) struct ChosenFile {
    /// Its name as the browser sent it, without any folder.
    pub name: String,
    bytes: Bytes,
}

/// The form's fields and the chosen file, if one was; the whole body is read (the admin
/// routes' body limit bounds it).
pub(super) async fn read(
    mut multipart: Multipart,
) -> Result<(Fields, Option<ChosenFile>), MultipartError> {
    let mut fields = Fields::default();
    let mut file = None;
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("file") => {
                let name = shown_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await?;
                // A browser sends an empty part with no name when no file was chosen.
                if !(name.is_empty() && bytes.is_empty()) {
                    file = Some(ChosenFile { name, bytes });
                }
            }
            Some("csrf") => fields.csrf = field.text().await?,
            Some("kind") => fields.kind = field.text().await?,
            Some("document") => fields.document = field.text().await?,
            _ => {}
        }
    }
    Ok((fields, file))
}

/// Whether reading the body failed on a body limit: axum's own (`DefaultBodyLimit`), which
/// it reports as 413, or the admin routes' `RequestBodyLimitLayer`, which it does not.
pub(super) fn over_limit(e: &MultipartError) -> bool {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return true;
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if cause.is::<LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The text to publish: the chosen file's (it wins over pasted text), else the pasted text;
/// refused when too large, not UTF-8, not JSON at all (a file), or missing.
pub(super) fn document<'a>(
    kind: ReferenceKind,
    file: Option<&'a ChosenFile>,
    pasted: &'a str,
) -> Result<&'a str, DistrictError> {
    let Some(file) = file else {
        if pasted.trim().is_empty() {
            return Err(DistrictError::BadRequest(
                "请选择要发布的 JSON 文件，或把 JSON 内容粘贴到文本框中。".into(),
            ));
        }
        if pasted.len() > MAX_DOCUMENT_BYTES {
            return Err(DistrictError::TooLarge(format!(
                "粘贴的内容有 {} MB，超过上限 {} MB，未发布。{}",
                megabytes(pasted.len()),
                MAX_DOCUMENT_BYTES >> 20,
                USE_THE_CLI
            )));
        }
        return Ok(pasted);
    };
    let name = &file.name;
    if file.bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DistrictError::TooLarge(format!(
            "所选文件 {name} 有 {} MB，超过网页上传上限 {} MB，未发布。请确认选的是{}文件；{}",
            megabytes(file.bytes.len()),
            MAX_DOCUMENT_BYTES >> 20,
            kind.label(),
            USE_THE_CLI
        )));
    }
    // Windows editors may start a UTF-8 file with a byte-order mark: it is not content.
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let Some(start) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Err(DistrictError::Invalid(format!(
            "所选文件 {name} 是空的，未发布。请确认选的是{}文件后重新选择。",
            kind.label()
        )));
    };
    // Reference data is a JSON object: anything else (a PDF, a spreadsheet) is not JSON,
    // whatever its encoding.
    if !matches!(bytes[start], b'{' | b'[') {
        let (line, column) = position(&bytes[..start]);
        return Err(not_json(name, kind, line, column));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position(&bytes[..e.valid_up_to()]);
        DistrictError::Invalid(format!(
            "所选文件 {name} 不是 UTF-8 编码的文本（第 {line} 行第 {column} 列起无法读取，常见于 GBK 编码），未发布。请用文本编辑器把它另存为 UTF-8 编码后重新选择。"
        ))
    })?;
    if let Err(e) = serde_json::from_str::<IgnoredAny>(text) {
        let (line, column) = (e.line(), in_characters(text, e.line(), e.column()));
        match e.classify() {
            Category::Eof => {
                return Err(DistrictError::Invalid(format!(
                    "所选文件 {name} 不完整（JSON 在第 {line} 行第 {column} 列处中断），未发布。请确认文件已完整下载或导出后重新选择。"
                )));
            }
            Category::Syntax => return Err(not_json(name, kind, line, column)),
            // Not from a syntax check; the content is validated by `officer::publish`.
            Category::Data | Category::Io => {}
        }
    }
    Ok(text)
}

/// Where a larger document can still be published.
const USE_THE_CLI: &str = "确实更大的文件请由服务器管理员用命令 yichuang-district publish 发布。";

/// The page refusing a body over the admin routes' limit, read no further (413).
pub(super) fn too_large() -> Response {
    tracing::warn!("admin publish refused: body over the limit");
    html(
        StatusCode::PAYLOAD_TOO_LARGE,
        page::refused(
            &format!(
                "所选文件过大，本次未发布。网页上传的文件最大 {} MB；{USE_THE_CLI}",
                MAX_DOCUMENT_BYTES >> 20
            ),
            "/admin",
            "回到管理页面",
        ),
    )
}

fn not_json(name: &str, kind: ReferenceKind, line: usize, column: usize) -> DistrictError {
    DistrictError::Invalid(format!(
        "所选文件 {name} 不是 JSON 格式（第 {line} 行第 {column} 列有误），未发布。请确认选的是{}的 JSON 文件后重新选择。",
        kind.label()
    ))
}

/// serde_json's column on `line` (both from 1), which counts bytes, in characters as an
/// editor counts them.
fn in_characters(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(on_line) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    // The column is the offending byte's: count the characters before it, then it.
    let mut end = byte_column.saturating_sub(1).min(on_line.len());
    while !on_line.is_char_boundary(end) {
        end -= 1;
    }
    on_line[..end].chars().count() + 1
}

/// Line and column (in characters, from 1) just after `valid`, the readable start of a file.
fn position(valid: &[u8]) -> (usize, usize) {
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// A file name as shown back: without any folder (old browsers send the whole path), without
/// control characters, and not too long.
fn shown_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect()
}

/// `bytes` in MB to a tenth.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes * 10 + (1 << 19)) >> 20;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_characters_after_the_last_newline() {
        assert_eq!(position(b""), (1, 1));
        assert_eq!(position("{\n  \"名称\": \"".as_bytes()), (2, 10));
    }

    #[test]
    fn serde_columns_in_characters() {
        let text = "{\n\"名称\": 设立}";
        let e = serde_json::from_str::<IgnoredAny>(text).unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 11));
        assert_eq!(in_characters(text, e.line(), e.column()), 7);
    }

    #[test]
    fn shown_names_lose_folders_and_control_characters() {
        assert_eq!(
            shown_name(r"C:\Users\科员\目录 2027.json"),
            "目录 2027.json"
        );
        assert_eq!(shown_name("a/b\n.json"), "b.json");
        assert_eq!(
            shown_name(&"长".repeat(200)).chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn megabytes_to_a_tenth() {
        assert_eq!(megabytes(7 * 1024 * 1024 + 1), "7.0");
        assert_eq!(megabytes(1536 * 1024), "1.5");
    }
}
