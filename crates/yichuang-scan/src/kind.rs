//! What a file really is, judged by its first bytes and never by its extension.

use std::fmt;

/// The page formats a station accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Jpeg,
    Png,
    Tiff,
    Pdf,
}

impl PageKind {
    /// A stable lower-case code (`jpeg`, `png`, `tiff`, `pdf`) for index rows.
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Jpeg => "jpeg",
            PageKind::Png => "png",
            PageKind::Tiff => "tiff",
            PageKind::Pdf => "pdf",
        }
    }

    /// The inverse of [`PageKind::as_str`].
    pub fn from_code(code: &str) -> Option<PageKind> {
        match code {
            "jpeg" => Some(PageKind::Jpeg),
            "png" => Some(PageKind::Png),
            "tiff" => Some(PageKind::Tiff),
            "pdf" => Some(PageKind::Pdf),
            _ => None,
        }
    }

    /// The MIME type, for handing the page to a viewer.
    pub fn mime(self) -> &'static str {
        match self {
            PageKind::Jpeg => "image/jpeg",
            PageKind::Png => "image/png",
            PageKind::Tiff => "image/tiff",
            PageKind::Pdf => "application/pdf",
        }
    }
}

impl fmt::Display for PageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PageKind::Jpeg => "JPEG 图片",
            PageKind::Png => "PNG 图片",
            PageKind::Tiff => "TIFF 图片",
            PageKind::Pdf => "PDF 文件",
        })
    }
}

/// The outcome of sniffing: an accepted kind, or a description of what the file seems to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Accepted(PageKind),
    Other(&'static str),
}

/// Judges a file by its magic bytes.
pub(crate) fn sniff(head: &[u8]) -> Sniffed {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Accepted(PageKind::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Accepted(PageKind::Png);
    }
    // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
    if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        return Sniffed::Accepted(PageKind::Tiff);
    }
    if starts(b"%PDF-") {
        return Sniffed::Accepted(PageKind::Pdf);
    }
    Sniffed::Other(describe_other(head))
}

fn describe_other(head: &[u8]) -> &'static str {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"MZ") {
        "Windows 可执行程序（EXE/DLL）"
    } else if starts(b"PK\x03\x04") {
        "ZIP 压缩包或 Office/OFD 文档"
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "旧版 Office 文档（doc/xls）"
    } else if starts(b"GIF8") {
        "GIF 图片"
    } else if starts(b"BM") {
        "BMP 图片"
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        "WebP 图片"
    } else if head.get(4..8) == Some(b"ftyp") {
        "HEIC/HEIF 图片或视频（手机照片）"
    } else if starts(b"Rar!") || starts(&[0x37, 0x7A, 0xBC, 0xAF]) {
        "RAR/7z 压缩包"
    } else if starts(b"\x7fELF") {
        "Linux 可执行程序"
    } else if looks_like_text(head) {
        "文本文件"
    } else {
        "未知格式"
    }
}

/// Text if the head decodes as UTF-8 (allowing a cut last character) without control bytes.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&head[..e.valid_up_to()]) {
            Ok(s) => s,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    valid
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{feff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_not_names() {
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0rest"),
            Sniffed::Accepted(PageKind::Jpeg)
        );
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Sniffed::Accepted(PageKind::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Sniffed::Accepted(PageKind::Tiff));
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Accepted(PageKind::Pdf));
        assert_eq!(
            sniff(b"MZ\x90\0"),
            Sniffed::Other("Windows 可执行程序（EXE/DLL）")
        );
        assert_eq!(
            sniff("申请人：张三\n".as_bytes()),
            Sniffed::Other("文本文件")
        );
        assert_eq!(sniff(&[0, 1, 2, 3]), Sniffed::Other("未知格式"));
    }

    #[test]
    fn a_utf8_character_cut_at_the_end_is_still_text() {
        let bytes = "身份证".as_bytes();
        assert!(looks_like_text(&bytes[..bytes.len() - 1]));
    }

    #[test]
    fn codes_round_trip() {
        for k in [PageKind::Jpeg, PageKind::Png, PageKind::Tiff, PageKind::Pdf] {
            assert_eq!(PageKind::from_code(k.as_str()), Some(k));
        }
    }
}
