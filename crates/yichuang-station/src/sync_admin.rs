//! The station's side of sync that people act on: which district it talks to and whether it
//! is enrolled, the quarantined cases with their reasons, and releasing them once the cause
//! is fixed. Labels and checks live here; the window only shows them.

pub mod district_ca;

use jiff::Timestamp;
use serde::Serialize;
use tracing::instrument;
use ts_rs::TS;
use uuid::Uuid;
use yichuang_sync::protocol::v2::enroll::EnrollRequest;
use yichuang_sync::{ClientTimeouts, DistrictClient};

use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};
pub use district_ca::{CaFileError, CheckedCa, MAX_CA_FILE_BYTES, read_district_ca};

/// Where the station syncs, as the settings page shows it (the token is never shown).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DistrictView {
    pub url: String,
    pub enrolled: bool,
    /// 已登记 / 未登记：… with what to do.
    pub enrolled_label: String,
    /// Whether only a pinned district root CA is trusted (else the system's roots).
    pub ca_pinned: bool,
    /// 使用系统的根证书, or 只信任已固定的区级根证书（SHA-256 …） with each certificate's
    /// fingerprint (first 8 bytes).
    pub ca_label: String,
}

/// One quarantined case for the hall manager's list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QuarantineRow {
    /// The case id, or the stored id of a row that cannot be read.
    pub case_id: String,
    /// Provisional case number, or 无法读取 for an unreadable row.
    pub case_no: String,
    pub item_name: String,
    /// Why it was refused, as the district or the station said it.
    pub reason: String,
    /// Whether it can be released (an unreadable row cannot: it needs the support team).
    pub releasable: bool,
}

impl Station {
    pub fn district(&self) -> Result<DistrictView, AppError> {
        self.clerk()?;
        let store = self.lock();
        let url = store.settings().map_err(store_error)?.district_url;
        let enrolled = store.device_token().map_err(store_error)?.is_some();
        let (ca_pinned, ca_label) =
            district_ca::ca_view(store.district_ca_pem().map_err(store_error)?.as_deref());
        Ok(DistrictView {
            url,
            enrolled,
            enrolled_label: if enrolled {
                "已登记（凭据保存在系统钥匙串中）".into()
            } else {
                "未登记：请向区级系统管理员索取接入码后登记本机".into()
            },
            ca_pinned,
            ca_label,
        })
    }

    /// Changes the district address only (the enrollment stays). Refuses an address the
    /// station would not use (http to another machine).
    #[instrument(skip_all, err)]
    pub fn set_district_url(&self, url: &str) -> Result<DistrictView, AppError> {
        let clerk = self.manager()?;
        yichuang_sync::district_base_url(url)
            .map_err(|e| AppError::new(ErrorKind::InvalidInput, e.to_string()))?;
        self.lock()
            .set_district(url, None, &clerk.login)
            .map_err(store_error)?;
        self.district()
    }

    /// Trades the one-time enrollment code for a device token, which goes into the OS
    /// keyring; the address is saved with it. A pinned district CA is the only one trusted.
    #[instrument(skip_all, err)]
    pub async fn enroll(
        &self,
        url: &str,
        code: &str,
        device_name: &str,
    ) -> Result<DistrictView, AppError> {
        let clerk = self.manager()?;
        let ca_pem = self.lock().district_ca_pem().map_err(store_error)?;
        let client = DistrictClient::for_enrollment(url, ca_pem, ClientTimeouts::default())
            .map_err(|e| AppError::new(ErrorKind::InvalidInput, e.to_string()))?;
        let qr_key = self
            .lock()
            .qr_signing_key(&clerk.login)
            .map_err(store_error)?;
        let request = EnrollRequest {
            code: code.trim().to_string(),
            station_code: self.settings().station_code.as_str().to_string(),
            device_name: device_name.trim().to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            qr_public_key: Some(qr_key.public_key().to_hex()),
        };
        let enrollment = client.enroll(&request).await.map_err(|f| {
            AppError::new(
                ErrorKind::InvalidInput,
                format!("登记未成功：{}", f.message_zh()),
            )
        })?;
        self.lock()
            .set_district(url, Some(&enrollment.device_token), &clerk.login)
            .map_err(store_error)?;
        self.district()
    }

    /// The quarantined cases, oldest first, unreadable rows last.
    pub fn quarantined(&self) -> Result<Vec<QuarantineRow>, AppError> {
        self.clerk()?;
        let (cases, unreadable) = self.lock().quarantined_cases().map_err(store_error)?;
        let mut rows: Vec<QuarantineRow> = cases
            .into_iter()
            .map(|q| QuarantineRow {
                case_id: q.case.id.to_string(),
                case_no: q.case.case_no,
                item_name: q.case.item_name,
                reason: q.reason,
                releasable: true,
            })
            .collect();
        rows.extend(unreadable.into_iter().map(|u| QuarantineRow {
            case_id: u.case_id,
            case_no: "无法读取".into(),
            item_name: String::new(),
            reason: u.reason,
            releasable: false,
        }));
        Ok(rows)
    }

    /// Puts quarantined cases back into the queue, with the reason the cause is fixed
    /// (audited with the logged-in clerk). Returns how many were released.
    #[instrument(skip_all, err)]
    pub fn release_quarantined(&self, case_ids: &[String], reason: &str) -> Result<u32, AppError> {
        let clerk = self.manager()?;
        let ids = case_ids
            .iter()
            .map(|s| Uuid::parse_str(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| AppError::new(ErrorKind::InvalidInput, "办件标识格式不正确"))?;
        self.lock()
            .release_quarantined(&ids, &clerk.login, reason, Timestamp::now())
            .map_err(store_error)
    }
}
