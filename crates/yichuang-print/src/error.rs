//! The one error type of slip printing, with messages a clerk can act on.

use std::path::PathBuf;

/// Why a slip could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The font file could not be read from disk.
    #[error(
        "无法读取回执字体文件 {path}：{source}。请确认安装目录下的 assets/fonts 完整，必要时重新安装本程序"
    )]
    FontRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The bytes are not a font the PDF writer can use.
    #[error("回执字体无法解析（{detail}）。请重新安装本程序以恢复随附的字体文件")]
    FontParse { detail: String },

    /// A field holds characters the font has no glyph for; printing would drop them.
    #[error(
        "“{field}”中的字符 {} 无法用回执字体打印，为免漏印已停止生成回执。请核对该字写法（如是否误选了形近字或输入法异体字）；确属生僻字的，请联系管理员处理后再打印",
        format_chars(.chars)
    )]
    UnprintableChars { field: String, chars: Vec<char> },

    /// The evaluation payload does not fit into a QR code.
    #[error("评价二维码内容过长（{len} 字节），无法生成二维码。请联系管理员检查好差评地址配置")]
    QrCode { len: usize },

    /// The case holds nothing this paper prints (e.g. a 不予受理通知书 for an accepted case).
    #[error("本办件不能打印{paper}：{reason}。请在办件详情中选择本办件可打印的文书")]
    NotForThisCase { paper: String, reason: String },

    /// The PDF writer reported a problem.
    #[error("生成回执 PDF 失败：{detail}。请重试；仍失败请联系管理员")]
    Pdf { detail: String },
}

/// `“堃”（U+5803）、“𠀀”（U+20000）`: the character and its code point, so a clerk and an
/// administrator can both find it.
fn format_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("“{c}”（U+{:04X}）", u32::from(*c)))
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_message_names_field_and_chars() {
        let e = PrintError::UnprintableChars {
            field: "申请人姓名".into(),
            chars: vec!['\u{20000}'],
        };
        let msg = e.to_string();
        assert!(msg.contains("申请人姓名"), "{msg}");
        assert!(msg.contains('\u{20000}'), "{msg}");
        assert!(msg.contains("U+20000"), "{msg}");
    }
}
