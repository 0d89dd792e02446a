//! What the sync engine tells the UI: its phase, the outbox counts and the last success.

use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use yichuang_core::time::china_tz;

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
    /// The district's address or the station's settings look wrong, the district's certificate
    /// is not trusted, or the network answers instead of the district (a captive portal): data
    /// is kept, `last_error` says what to fix; next try in `next_in_ms`.
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
            SyncPhase::AuthNeeded => {
                "区级系统拒绝了本站凭据，请大厅负责人在“设置 → 区级系统与登记”重新登记本机"
            }
            SyncPhase::NeedsAttention { .. } => {
                "同步已暂停，请按提示在“设置 → 区级系统与登记”核对或检查网络"
            }
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

/// [`SyncStatus`] as the window receives it: the state with its badge word, the sentence
/// that says what is going on or what to fix, and every other word the sync bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "SyncStatus")]
pub struct SyncStatusView {
    pub phase: SyncPhase,
    /// 已连接, 同步中, 离线, …
    pub badge: String,
    /// The last problem if there is one, else what the state means.
    pub detail: String,
    /// "待同步 3 件", "全部已同步", or "其余均已同步" beside records set apart (never "all
    /// synced" while the quarantine holds some).
    pub pending_label: String,
    /// "同步受阻 2 件", `None` when there are none.
    pub quarantined_label: Option<String>,
    /// "上次同步成功 10:05" (today) or "上次同步成功 11-29 18:20"; "尚未同步成功".
    pub last_success_label: String,
    /// "正在上传扫描件 3/10 · 1.2 MB/5.0 MB", `None` between rounds.
    pub progress_label: Option<String>,
    /// How far the running round's current stage is, 0–100 (bytes when known, else records).
    pub progress_percent: Option<u8>,
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
            pending_label: pending_label(s.pending, s.quarantined),
            quarantined_label: (s.quarantined > 0)
                .then(|| format!("同步受阻 {} 件", s.quarantined)),
            last_success_label: last_success_label(s.last_success_at, Timestamp::now()),
            progress_label: s.progress.as_ref().map(SyncProgress::label),
            progress_percent: s.progress.as_ref().map(SyncProgress::percent),
            badge: s.phase.badge().to_string(),
            detail: s.last_error.clone().unwrap_or_else(|| idle_detail(&s)),
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

/// What the state means when no problem is told: a round that left records set apart says
/// whose they are to handle, not "已同步".
fn idle_detail(s: &SyncStatus) -> String {
    match (&s.phase, s.quarantined) {
        (SyncPhase::Idle, n) if n > 0 => format!("同步受阻 {n} 件，需大厅负责人处理"),
        (phase, _) => phase.label().to_string(),
    }
}

fn pending_label(pending: u32, quarantined: u32) -> String {
    match (pending, quarantined) {
        (0, 0) => "全部已同步".into(),
        (0, _) => "其余均已同步".into(),
        (pending, _) => format!("待同步 {pending} 件"),
    }
}

/// The last success in station time: the time alone today, with the date before.
fn last_success_label(at: Option<Timestamp>, now: Timestamp) -> String {
    let Some(at) = at else {
        return "尚未同步成功".into();
    };
    let (at, now) = (
        at.to_zoned_datetime(china_tz()),
        now.to_zoned_datetime(china_tz()),
    );
    if at.date() == now.date() {
        format!("上次同步成功 {}", at.strftime("%H:%M"))
    } else {
        format!("上次同步成功 {}", at.strftime("%m-%d %H:%M"))
    }
}

impl SyncProgress {
    /// "正在上传办件 300/1000", "正在上传扫描件 3/10 · 1.2 MB/5.0 MB".
    pub fn label(&self) -> String {
        let mut label = format!("{} {}/{}", self.stage, self.done, self.total);
        if self.bytes_total > 0 {
            label.push_str(&format!(
                " · {}/{}",
                megabytes(self.bytes_done),
                megabytes(self.bytes_total)
            ));
        }
        label
    }

    /// 0–100: bytes when the stage counts them, else records or files.
    pub fn percent(&self) -> u8 {
        let (done, total) = if self.bytes_total > 0 {
            (self.bytes_done, self.bytes_total)
        } else {
            (self.done, self.total)
        };
        if total == 0 {
            return 0;
        }
        u8::try_from(done.min(total).saturating_mul(100) / total).unwrap_or(100)
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(done: u64, total: u64, bytes_done: u64, bytes_total: u64) -> SyncProgress {
        SyncProgress {
            stage: "正在上传扫描件".into(),
            done,
            total,
            bytes_done,
            bytes_total,
        }
    }

    #[test]
    fn the_bar_says_everything_in_words_from_here() {
        let mut status = SyncStatus::starting();
        status.pending = 3;
        status.quarantined = 2;
        status.progress = Some(progress(3, 10, 1_258_291, 5_242_880));
        let view = SyncStatusView::from(status);
        assert_eq!(view.pending_label, "待同步 3 件");
        assert_eq!(view.quarantined_label.as_deref(), Some("同步受阻 2 件"));
        assert_eq!(view.last_success_label, "尚未同步成功");
        assert_eq!(
            view.progress_label.as_deref(),
            Some("正在上传扫描件 3/10 · 1.2 MB/5.0 MB")
        );
        assert_eq!(
            view.progress_percent,
            Some(23),
            "rounded down: 1.2 of 5.0 MB"
        );
        let idle = SyncStatusView::from(SyncStatus::starting());
        assert_eq!(idle.pending_label, "全部已同步");
        assert_eq!(idle.quarantined_label, None);
        assert_eq!(idle.progress_label, None);
    }

    #[test]
    fn nothing_left_to_send_is_not_all_synced_while_some_are_set_apart() {
        let mut status = SyncStatus::starting();
        status.quarantined = 1;
        let view = SyncStatusView::from(status);
        assert_eq!(view.pending_label, "其余均已同步");
        assert_eq!(view.quarantined_label.as_deref(), Some("同步受阻 1 件"));
        assert_eq!(view.detail, "同步受阻 1 件，需大厅负责人处理");
        let idle = SyncStatusView::from(SyncStatus::starting());
        assert_eq!(idle.detail, "已同步");
    }

    #[test]
    fn percent_counts_records_when_no_bytes_are_known() {
        let cases = SyncProgress {
            stage: "正在上传办件".into(),
            ..progress(250, 1000, 0, 0)
        };
        assert_eq!(cases.percent(), 25);
        assert_eq!(cases.label(), "正在上传办件 250/1000");
        assert_eq!(progress(0, 0, 0, 0).percent(), 0);
    }

    #[test]
    fn last_success_shows_the_date_unless_it_was_today() {
        let now: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();
        let today: Timestamp = "2026-11-30T01:05:00Z".parse().unwrap();
        let yesterday: Timestamp = "2026-11-29T10:20:00Z".parse().unwrap();
        assert_eq!(last_success_label(Some(today), now), "上次同步成功 09:05");
        assert_eq!(
            last_success_label(Some(yesterday), now),
            "上次同步成功 11-29 18:20"
        );
    }
}
