//! The one error type of the crate: every refusal names the file and tells the clerk what to do.

use std::io;

use crate::kind::PageKind;

/// Boxed source of a decoder or parser error.
pub type BoxedSource = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong with a scanned page. Messages are for the clerk, in Chinese;
/// file-related variants carry the file *name* only (never the full path). `kind()` gives a
/// stable code for the UI.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("找不到文件「{name}」，它可能已被移动、改名或删除。请重新选择该文件。")]
    Missing {
        name: String,
        #[source]
        source: io::Error,
    },

    #[error(
        "无法读取文件「{name}」（{source}）。请确认文件没有被其他程序占用、本机账户有权限读取它，然后重新添加。"
    )]
    Unreadable {
        name: String,
        #[source]
        source: io::Error,
    },

    #[error("「{name}」不是一个普通文件（可能是文件夹）。请选择扫描得到的图片或 PDF 文件。")]
    NotAFile { name: String },

    #[error("文件「{name}」是空的（0 字节），扫描可能没有完成。请重新扫描或重新选择文件。")]
    Empty { name: String },

    #[error(
        "文件「{name}」有 {} MB，超过了每页 {} MB 的上限。请调低高拍仪的分辨率或把文件拆成几页后再添加。",
        mb(*bytes),
        mb(*limit)
    )]
    TooLarge {
        name: String,
        bytes: u64,
        limit: u64,
    },

    #[error(
        "文件「{name}」的格式不受支持（按内容识别为：{detected}）。只能添加 JPEG、PNG、TIFF 图片或 PDF 文件，请另存为这些格式后再添加。"
    )]
    Unsupported { name: String, detected: String },

    #[error(
        "文件「{name}」（{kind}）已损坏或不完整：{reason}。请重新扫描，或从原处重新复制该文件。"
    )]
    Corrupt {
        name: String,
        kind: PageKind,
        reason: String,
        #[source]
        source: Option<BoxedSource>,
    },

    #[error(
        "文件「{name}」（{kind}）使用了不支持的编码：{reason}。请在高拍仪或扫描软件中改存为普通 JPEG 或 PDF 后再添加。"
    )]
    UnsupportedEncoding {
        name: String,
        kind: PageKind,
        reason: String,
        #[source]
        source: Option<BoxedSource>,
    },

    #[error("图片「{name}」的像素尺寸过大，无法处理。请调低高拍仪的分辨率后重新扫描。")]
    TooManyPixels {
        name: String,
        #[source]
        source: Option<BoxedSource>,
    },

    #[error("生成缩略图失败（{source}）。请重试；若一再出现，请联系技术支持。")]
    Thumbnail {
        #[source]
        source: image::ImageError,
    },

    #[error(
        "页面库读写失败（{action}）：{source}。请检查磁盘空间和文件夹权限后重试，已保存的页面不受影响。"
    )]
    VaultIo {
        action: &'static str,
        #[source]
        source: io::Error,
    },

    #[error("页面库中没有页面 {sha_prefix}…，它可能已被清理。请重新添加这一页。")]
    PageMissing { sha_prefix: String },

    #[error(
        "页面 {sha_prefix}… 无法解密：密钥不对，或文件已被改动。请确认本站密钥没有更换；若仍不行，请用原件重新扫描这一页。"
    )]
    Decrypt { sha_prefix: String },

    #[error(
        "页面 {sha_prefix}… 解密后内容校验不符（SHA-256 不一致），文件已损坏。请用原件重新扫描这一页。"
    )]
    Integrity { sha_prefix: String },

    #[error(
        "页面 {sha_prefix}… 的存储格式无法识别：{reason}。它可能由更新版本的程序写入或已损坏，请升级程序或重新扫描。"
    )]
    BadFormat { sha_prefix: String, reason: String },

    #[error("页面标识不是有效的 SHA-256（需要 64 位十六进制字符）。这是程序错误，请联系技术支持。")]
    InvalidSha,

    #[error("页面密钥长度不对（{got} 字节，应为 32 字节）。请联系技术支持检查站点密钥。")]
    KeyLength { got: usize },

    #[error("无法取得随机数，未能加密页面。请重试；若一再出现，请联系技术支持。")]
    Random,

    #[error(
        "无法监视扫描文件夹（{source}）。请在设置中确认高拍仪的保存文件夹存在且本机账户有权限读取。"
    )]
    Watch {
        #[source]
        source: notify::Error,
    },
}

impl ScanError {
    /// A stable machine-readable code, sent over IPC as `kind` beside the message.
    pub fn kind(&self) -> &'static str {
        match self {
            ScanError::Missing { .. } => "missing",
            ScanError::Unreadable { .. } => "unreadable",
            ScanError::NotAFile { .. } => "not_a_file",
            ScanError::Empty { .. } => "empty",
            ScanError::TooLarge { .. } => "too_large",
            ScanError::Unsupported { .. } => "unsupported_type",
            ScanError::Corrupt { .. } => "corrupt",
            ScanError::UnsupportedEncoding { .. } => "unsupported_encoding",
            ScanError::TooManyPixels { .. } => "too_many_pixels",
            ScanError::Thumbnail { .. } => "thumbnail",
            ScanError::VaultIo { .. } => "vault_io",
            ScanError::PageMissing { .. } => "page_missing",
            ScanError::Decrypt { .. } => "decrypt",
            ScanError::Integrity { .. } => "integrity",
            ScanError::BadFormat { .. } => "bad_format",
            ScanError::InvalidSha => "invalid_sha",
            ScanError::KeyLength { .. } => "key_length",
            ScanError::Random => "random",
            ScanError::Watch { .. } => "watch",
        }
    }

    pub(crate) fn vault_io(action: &'static str) -> impl FnOnce(io::Error) -> ScanError {
        move |source| ScanError::VaultIo { action, source }
    }
}

/// Megabytes with one decimal, for messages.
fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

pub type Result<T, E = ScanError> = std::result::Result<T, E>;
