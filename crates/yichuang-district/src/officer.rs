//! The district officer's tools, on the store directly: open the district's store (SQLite
//! in the data dir, or PostgreSQL), issue enrollment codes, publish reference data, record
//! case decisions, and list the stations' health. The `yichuang-district` binary's
//! subcommands call these; tests call them too.

use std::path::Path;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;
use yichuang_core::{
    Catalogue, CreditList, DistrictStatus, HolidayCalendar, StationCode, StatusChange,
};
use yichuang_sync::protocol::v2::downloads::{ClerkAccounts, ReferenceKind};

use crate::DistrictError;
use crate::secrets::{SecretHash, new_enroll_code, normalize_enroll_code};
use crate::store::{
    DeviceHealth, DistrictStore, EnrollCode, NewStatus, PgOptions, PgStore, Reference, SqliteStore,
    parse_url,
};

/// The file name of the district's SQLite database inside the data dir.
pub const SQLITE_FILE: &str = "district.sqlite3";

/// Where the district keeps its records: on the PostgreSQL server at `postgres` when one is
/// named (with a pool of `pool` connections), otherwise in the SQLite file of `data`.
pub async fn open_store(
    data: Option<&Path>,
    postgres: Option<&str>,
    pool: PgOptions,
) -> Result<Arc<dyn DistrictStore>, DistrictError> {
    if let Some(url) = postgres {
        let store = PgStore::connect_with(parse_url(url)?, pool).await?;
        return Ok(Arc::new(store));
    }
    let Some(data) = data else {
        return Err(DistrictError::Config(
            "缺少 --data 数据目录（或 --postgres 数据库地址）".into(),
        ));
    };
    tokio::fs::create_dir_all(data).await?;
    Ok(Arc::new(SqliteStore::open(&data.join(SQLITE_FILE))?))
}

/// Longest validity of an enrollment code: a month.
pub const MAX_CODE_HOURS: u32 = 24 * 31;

/// Issues a one-time enrollment code for `station` valid for `valid_hours`; returns the
/// code (shown once, stored only hashed) and when it expires.
pub async fn issue_enroll_code(
    store: &dyn DistrictStore,
    station: &str,
    station_name: &str,
    valid_hours: u32,
) -> Result<(String, Timestamp), DistrictError> {
    StationCode::try_from(station.to_string()).map_err(|e| DistrictError::Config(e.to_string()))?;
    if station_name.trim().is_empty() || station_name.chars().count() > 100 {
        return Err(DistrictError::Config("站点名称应为 1 至 100 个字符".into()));
    }
    if valid_hours == 0 || valid_hours > MAX_CODE_HOURS {
        return Err(DistrictError::Config(format!(
            "有效期应为 1 至 {MAX_CODE_HOURS} 小时"
        )));
    }
    let code = new_enroll_code()?;
    let now = Timestamp::now();
    let expires_at = now
        .checked_add(SignedDuration::from_hours(i64::from(valid_hours)))
        .map_err(|_| DistrictError::Config("有效期超出范围".into()))?;
    store
        .issue_enroll_code(EnrollCode {
            code: SecretHash::of(&normalize_enroll_code(&code)),
            station_code: station.to_string(),
            station_name: station_name.trim().to_string(),
            issued_at: now,
            expires_at,
        })
        .await?;
    Ok((code, expires_at))
}

/// Validates `text` as a document of `kind` and publishes it as the current version;
/// returns the version.
pub async fn publish(
    store: &dyn DistrictStore,
    kind: ReferenceKind,
    text: &str,
) -> Result<String, DistrictError> {
    // Windows editors save UTF-8 with a byte-order mark; the document is the text after it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |e: serde_json::Error| {
        DistrictError::Invalid(format!(
            "{}文件无法读取：第 {} 行第 {} 列",
            kind.label(),
            e.line(),
            e.column()
        ))
    };
    let version = match kind {
        ReferenceKind::Catalogue => Catalogue::from_json(text).map_err(invalid)?.version,
        ReferenceKind::Calendar => HolidayCalendar::from_json(text).map_err(invalid)?.version,
        ReferenceKind::CreditList => CreditList::from_json(text).map_err(invalid)?.version,
        ReferenceKind::Clerks => {
            let accounts: ClerkAccounts = serde_json::from_str(text).map_err(invalid)?;
            if let Some(c) = accounts
                .clerks
                .iter()
                .find(|c| !c.password_hash.starts_with("$argon2id$"))
            {
                return Err(DistrictError::Invalid(format!(
                    "账号 {} 的口令不是 Argon2id 摘要：区级系统不保存明文口令",
                    c.login
                )));
            }
            accounts.version
        }
    };
    let version_ok = !version.is_empty()
        && version.len() <= 64
        && version.bytes().all(|b| b.is_ascii_graphic() && b != b'"');
    if !version_ok {
        return Err(DistrictError::Invalid(
            "版本号应为 1 至 64 个可见 ASCII 字符（不含引号）".into(),
        ));
    }
    store
        .publish_reference(
            kind,
            Reference {
                version: version.clone(),
                document: text.to_string(),
            },
            Timestamp::now(),
        )
        .await?;
    Ok(version)
}

/// A status as the officer types it: `approved` or `办结`, and so on.
pub fn parse_status(s: &str) -> Option<DistrictStatus> {
    use DistrictStatus::*;
    [Reviewing, Approved, Denied, ReadyForPickup, Mailed]
        .into_iter()
        .find(|st| {
            st.label() == s
                || serde_json::to_value(st)
                    .ok()
                    .is_some_and(|v| v.as_str().is_some_and(|n| n == s.replace('-', "_")))
        })
}

/// Records a decision on a case (refused when the status may not follow the current one).
pub async fn set_case_status(
    store: &dyn DistrictStore,
    case_id: Uuid,
    status: DistrictStatus,
    note: Option<String>,
    courier: Option<String>,
    tracking_no: Option<String>,
) -> Result<StatusChange, DistrictError> {
    for (field, value) in [
        ("note", &note),
        ("courier", &courier),
        ("tracking-no", &tracking_no),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 500) {
            return Err(DistrictError::Invalid(format!(
                "{field} 不能超过 500 个字符"
            )));
        }
    }
    if status == DistrictStatus::Mailed && (courier.is_none() || tracking_no.is_none()) {
        return Err(DistrictError::Invalid(
            "已寄出须填写快递公司和运单号".into(),
        ));
    }
    store
        .record_status(NewStatus {
            case_id,
            status,
            note,
            courier,
            tracking_no,
            now: Timestamp::now(),
        })
        .await
}

/// The stations' devices as a text table.
pub fn stations_table(devices: &[DeviceHealth]) -> String {
    let mut out = String::from(
        "站点\t站点名称\t设备\t状态\t最近联系\t版本\t待上传\t隔离\t待传材料\t最近问题\n",
    );
    for d in devices {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            d.station_code,
            d.station_name,
            d.device_name,
            if d.live { "有效" } else { "已停用" },
            seen(d.last_seen_at),
            d.app_version.as_deref().unwrap_or("—"),
            count(d.queue_depth),
            count(d.quarantined),
            count(d.materials_pending),
            d.last_error.as_deref().unwrap_or(""),
        ));
    }
    out
}

/// A time in China to the minute, or a dash.
pub(crate) fn seen(at: Option<Timestamp>) -> String {
    at.map_or_else(|| "—".to_string(), yichuang_core::time::format_minute)
}

pub(crate) fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}
