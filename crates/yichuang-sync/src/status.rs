//! What the sync engine tells the UI: its phase, the outbox counts and the last success.

use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;

/// The engine's explicit states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SyncPhase {
    /// Nothing due, or everything sent.
    Idle,
    /// A round is running.
    Syncing,
    /// The district answered with a temporary error (5xx, 429, 503); next try in `next_in_ms`.
    Retrying { next_in_ms: u32 },
    /// The district could not be reached; next try in `next_in_ms`.
    Offline { next_in_ms: u32 },
    /// The district refused the station token: data is kept, sync resumes once the token changes.
    AuthNeeded,
    /// The district's address or the station's settings look wrong, or the network answers
    /// instead of the district (a captive portal): data is kept, `last_error` says what to fix;
    /// next try in `next_in_ms`.
    NeedsAttention { next_in_ms: u32 },
}

impl SyncPhase {
    /// A word or two for the status badge.
    pub fn badge(&self) -> &'static str {
        match self {
            SyncPhase::Idle => "已连接",
            SyncPhase::Syncing => "同步中",
            SyncPhase::Retrying { .. } => "稍后重试",
            SyncPhase::Offline { .. } => "离线",
            SyncPhase::AuthNeeded => "需重新登记",
            SyncPhase::NeedsAttention { .. } => "需处理",
        }
    }

    /// Short Chinese label for the status bar.
    pub fn label(&self) -> &'static str {
        match self {
            SyncPhase::Idle => "已同步",
            SyncPhase::Syncing => "正在同步",
            SyncPhase::Retrying { .. } => "区级系统繁忙，稍后重试",
            SyncPhase::Offline { .. } => "网络未连通，办件已保存在本机，将自动重试",
            SyncPhase::AuthNeeded => "区级系统拒绝了本站凭据，请管理员更新凭据",
            SyncPhase::NeedsAttention { .. } => "同步已暂停，请按提示在“同步”页核对或检查网络",
        }
    }
}

/// Everything the UI shows about sync, pushed on a `watch` channel. The window gets it with
/// its Chinese texts ([`SyncStatusView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "SyncStatusView")]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// Records waiting to reach the district: cases in the outbox and handovers (送达).
    pub pending: u32,
    /// Records the district refused for good (quarantined cases, refused handovers); a
    /// clerk must look at them.
    pub quarantined: u32,
    /// End of the last round that reached the district without error.
    pub last_success_at: Option<Timestamp>,
    /// Chinese text of the last problem, free of personal data.
    pub last_error: Option<String>,
    /// District clock minus station clock, in milliseconds (±1 s: from the HTTP `Date` header).
    pub clock_offset_ms: Option<i64>,
    /// What the running round has done so far, for the progress bar; `None` between rounds.
    pub progress: Option<SyncProgress>,
}

/// How far the running round has got: records and bytes, with what it is doing in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    /// 正在上传办件, 正在上传扫描件, …
    pub stage: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
}

impl SyncStatus {
    pub fn starting() -> Self {
        Self {
            phase: SyncPhase::Idle,
            pending: 0,
            quarantined: 0,
            last_success_at: None,
            last_error: None,
            clock_offset_ms: None,
            progress: None,
        }
    }
}

/// [`SyncStatus`] as the window receives it: the state with its badge word and the sentence
/// that says what is going on or what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "SyncStatus")]
pub struct SyncStatusView {
    pub phase: SyncPhase,
    /// 已连接, 同步中, 离线, …
    pub badge: String,
    /// The last problem if there is one, else what the state means.
    pub detail: String,
    pub pending: u32,
    pub quarantined: u32,
    #[ts(type = "string | null")]
    pub last_success_at: Option<Timestamp>,
    pub last_error: Option<String>,
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
    pub progress: Option<SyncProgress>,
}

impl From<SyncStatus> for SyncStatusView {
    fn from(s: SyncStatus) -> Self {
        Self {
            badge: s.phase.badge().to_string(),
            detail: s
                .last_error
                .clone()
                .unwrap_or_else(|| s.phase.label().to_string()),
            phase: s.phase,
            pending: s.pending,
            quarantined: s.quarantined,
            last_success_at: s.last_success_at,
            last_error: s.last_error,
            clock_offset_ms: s.clock_offset_ms,
            progress: s.progress,
        }
    }
}
