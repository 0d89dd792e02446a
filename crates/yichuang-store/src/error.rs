//! The crate's one error enum, with Chinese messages that tell the clerk or hall manager what to do.

use std::path::PathBuf;

use yichuang_core::CoreError;

/// Everything that can go wrong in the station database and its key.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("本机尚未开通站点（找不到站点数据库 {}）。请由大厅管理员执行站点开通。", .path.display())]
    NotProvisioned { path: PathBuf },

    #[error(
        "此目录已有站点数据库或密钥恢复文件（{}），不能重复开通，原有文件未作任何改动。若要使用原有数据请直接启动；若系统密钥库丢失了密钥，请执行 yichuang recover-key。",
        .path.display()
    )]
    AlreadyProvisioned { path: PathBuf },

    #[error("开通信息有误：{0}")]
    InvalidInput(String),

    #[error(
        "系统密钥库中找不到站点数据库的密钥，数据库未作任何改动，也没有新建数据库。请大厅管理员用恢复口令恢复密钥：yichuang recover-key"
    )]
    KeyMissing,

    #[error(
        "站点数据库密钥与数据库文件不符（file is not a database），数据库未作任何改动。请大厅管理员用恢复口令恢复正确的密钥：yichuang recover-key；仍不行请联系技术支持。"
    )]
    WrongKey,

    #[error(
        "本程序构建时未包含 SQLCipher 加密组件，不能加密保存个人信息，已停止。请安装正式发布的版本。"
    )]
    NotEncrypted,

    #[error(
        "站点数据库文件 {} 没有加密，为保护个人信息已拒绝打开，文件未作任何改动。请联系技术支持。",
        .path.display()
    )]
    PlaintextDatabase { path: PathBuf },

    #[error(
        "站点数据库由更新版本的程序写入（数据库版本 {found}，本程序只认识到 {known}）。请安装更新版本的一窗受理台；数据库未作任何改动。"
    )]
    TooNew { found: i64, known: i64 },

    #[error("无法访问系统密钥库：{0}。请确认已登录桌面会话、密钥库已解锁，然后重试。")]
    Keyring(#[source] keyring::Error),

    #[error(
        "系统密钥库“{vendor}”不能长期保存密钥（重启或注销后会丢失），已拒绝使用。请在有桌面密钥库（Secret Service / 凭据管理器）的环境中运行。"
    )]
    KeyringNotPersistent { vendor: String },

    #[error("找不到密钥恢复文件 {}。没有它就无法恢复密钥，请找回开通站点时生成的恢复文件后重试。", .path.display())]
    RecoveryMissing { path: PathBuf },

    #[error("密钥恢复文件无法使用：{0}。请找回开通站点时生成的原始恢复文件后重试。")]
    RecoveryCorrupt(String),

    #[error(
        "密钥恢复文件不属于这个站点数据库，数据库未作任何改动。请找到与该数据库一同生成的恢复文件。"
    )]
    RecoveryMismatch,

    #[error("恢复口令不正确，请核对后重试（注意大小写和全角/半角）。")]
    WrongPassphrase,

    #[error("账号或密码不正确，请重新输入。")]
    BadCredentials,

    #[error("账号“{login}”已存在，请换一个账号名。")]
    ClerkExists { login: String },

    #[error("尚未导入事项目录，不能受理。请联网同步事项目录或由管理员导入目录。")]
    NoCatalogue,

    #[error("事项“{item_code}”不在当前事项目录中，请刷新目录后重新选择事项。")]
    UnknownItem { item_code: String },

    #[error("找不到办件（{id}），请刷新列表后重试。")]
    CaseNotFound { id: String },

    #[error("办件（{id}）不在待同步队列中。")]
    NotInOutbox { id: String },

    #[error("区级系统返回的正式办件编号“{official}”已被另一个办件使用，请联系技术支持核对。")]
    OfficialNoTaken { official: String },

    #[error(
        "审计日志第 {id} 条记录被改动或删除，审计链已断开。请立即报告大厅管理员并保留本机现场，不要自行修复。"
    )]
    AuditTampered { id: i64 },

    #[error("站点数据库中的数据已损坏：{0}。请联系技术支持。")]
    Corrupt(String),

    #[error("{0}")]
    Core(#[from] CoreError),

    #[error("站点数据库读写失败：{0}。请重试；反复出现请联系技术支持。")]
    Sqlite(#[from] rusqlite::Error),

    #[error("读写文件 {} 失败：{source}。请检查磁盘空间和文件权限后重试。", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("加密组件出错：{0}。请重试；反复出现请联系技术支持。")]
    Crypto(String),

    /// A scanned page refused or unreadable; the message is yichuang-scan's, naming the file.
    #[error("{0}")]
    Scan(#[from] yichuang_scan::ScanError),

    #[error("找不到材料页（{page_id}），它可能已被移除。请刷新材料清单后重试。")]
    PageNotFound { page_id: i64 },
}

impl StoreError {
    /// A stable machine name for the UI (`{kind, message}` over IPC).
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::NotProvisioned { .. } => "not_provisioned",
            StoreError::AlreadyProvisioned { .. } => "already_provisioned",
            StoreError::InvalidInput(_) => "invalid_input",
            StoreError::KeyMissing => "key_missing",
            StoreError::WrongKey => "wrong_key",
            StoreError::NotEncrypted => "not_encrypted",
            StoreError::PlaintextDatabase { .. } => "plaintext_database",
            StoreError::TooNew { .. } => "too_new",
            StoreError::Keyring(_) => "keyring",
            StoreError::KeyringNotPersistent { .. } => "keyring_not_persistent",
            StoreError::RecoveryMissing { .. } => "recovery_missing",
            StoreError::RecoveryCorrupt(_) => "recovery_corrupt",
            StoreError::RecoveryMismatch => "recovery_mismatch",
            StoreError::WrongPassphrase => "wrong_passphrase",
            StoreError::BadCredentials => "bad_credentials",
            StoreError::ClerkExists { .. } => "clerk_exists",
            StoreError::NoCatalogue => "no_catalogue",
            StoreError::UnknownItem { .. } => "unknown_item",
            StoreError::CaseNotFound { .. } => "case_not_found",
            StoreError::NotInOutbox { .. } => "not_in_outbox",
            StoreError::OfficialNoTaken { .. } => "official_no_taken",
            StoreError::AuditTampered { .. } => "audit_tampered",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Core(_) => "invalid_case",
            StoreError::Sqlite(_) => "database",
            StoreError::Io { .. } => "io",
            StoreError::Crypto(_) => "crypto",
            StoreError::Scan(_) => "scan",
            StoreError::PageNotFound { .. } => "page_not_found",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
