//! The crate's error enum; messages are Chinese because they reach the clerk's status bar.

/// Errors of the sync engine itself (a district that refuses or is away is not an error
/// here: it is an outcome the engine plans around).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("本地办件库读写失败：{0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("本地办件库暂时不可用，请重启程序")]
    StorePoisoned,
    #[error("区级系统地址“{0}”不正确，请在“设置 → 区级系统与登记”核对")]
    BadUrl(String),
    #[error(
        "区级系统地址“{0}”未加密（http）：只能使用 https 地址，请在“设置 → 区级系统与登记”改正"
    )]
    InsecureUrl(String),
    #[error(
        "区级系统连接凭据格式不正确，请大厅负责人在“设置 → 区级系统与登记”用接入码重新登记本机"
    )]
    BadToken,
    #[error(
        "本机尚未登记到区级系统：请大厅负责人在“设置 → 区级系统与登记”填写区级系统地址和接入码，办件都保留在本机"
    )]
    NotEnrolled,
    /// A pinned CA that is not a PEM certificate the client can trust (the source says why,
    /// when a library gave one).
    #[error(
        "已固定的区级系统根证书（CA）无法读取：请大厅负责人在“设置 → 区级系统与登记”重新固定 PEM 格式的根证书，或改回系统根证书"
    )]
    BadCa(#[source] Option<Box<dyn std::error::Error + Send + Sync>>),
    #[error("无法建立网络连接组件：{0}")]
    Client(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("办件数据编码失败：{0}")]
    Encode(#[from] serde_json::Error),
    #[error("同步后台任务异常中止")]
    Task,
}

impl SyncError {
    /// Wraps any store error.
    pub fn store(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        SyncError::Store(Box::new(e))
    }
}
