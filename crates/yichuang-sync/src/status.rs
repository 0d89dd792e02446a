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
}

impl SyncPhase {
    /// Short Chinese label for the status bar.
    pub fn label(&self) -> &'static str {
        match self {
            SyncPhase::Idle => "已同步",
            SyncPhase::Syncing => "正在同步",
            SyncPhase::Retrying { .. } => "区级系统繁忙，稍后重试",
            SyncPhase::Offline { .. } => "网络未连通，办件已保存在本机，将自动重试",
            SyncPhase::AuthNeeded => "区级系统拒绝了本站凭据，请管理员更新凭据",
        }
    }
}

/// Everything the UI shows about sync, pushed on a `watch` channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// Cases waiting in the outbox.
    pub pending: u32,
    /// Cases the district refused for good; a clerk must look at them.
    pub quarantined: u32,
    /// End of the last round that reached the district without error.
    #[ts(type = "string | null")]
    pub last_success_at: Option<Timestamp>,
    /// Chinese text of the last problem, free of personal data.
    pub last_error: Option<String>,
    /// District clock minus station clock, in milliseconds (±1 s: from the HTTP `Date` header).
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
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
        }
    }
}
