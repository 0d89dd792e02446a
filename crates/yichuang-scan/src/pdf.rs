//! Checking that a PDF is whole and counting its pages; rendering is out of scope.
//!
//! `lopdf` parses the file (it is already in the workspace through printpdf, with the same
//! features, so it costs no extra build). It repairs some damage on its own, so two cheap
//! structural checks come first: the `%PDF-` header and an `%%EOF` in the last 1 KB, which a
//! file cut off during copying lacks.

use crate::error::{Result, ScanError};
use crate::kind::PageKind;

/// How far from the end `%%EOF` may be (the PDF spec lets readers look in the last 1 KB).
const EOF_WINDOW: usize = 1024;

/// Returns the page count of a complete PDF.
pub(crate) fn page_count(name: &str, data: &[u8]) -> Result<u32> {
    let corrupt = |reason: &str, source: Option<lopdf::Error>| ScanError::Corrupt {
        name: name.to_owned(),
        kind: PageKind::Pdf,
        reason: reason.to_owned(),
        source: source.map(|e| Box::new(e) as _),
    };
    if !data.starts_with(b"%PDF-") {
        return Err(corrupt("缺少 %PDF- 文件头", None));
    }
    let tail = &data[data.len().saturating_sub(EOF_WINDOW)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(corrupt(
            "文件末尾没有 %%EOF 结束标记，文件没有写完或传输中断",
            None,
        ));
    }
    let doc = match lopdf::Document::load_mem(data) {
        Ok(doc) => doc,
        Err(e @ (lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_))) => {
            return Err(ScanError::UnsupportedEncoding {
                name: name.to_owned(),
                kind: PageKind::Pdf,
                reason: "PDF 设有打开密码".into(),
                source: Some(Box::new(e)),
            });
        }
        Err(e) => return Err(corrupt("PDF 结构无法解析", Some(e))),
    };
    let pages = doc.get_pages().len();
    if pages == 0 {
        return Err(corrupt("PDF 中没有任何页面", None));
    }
    Ok(u32::try_from(pages).unwrap_or(u32::MAX))
}
