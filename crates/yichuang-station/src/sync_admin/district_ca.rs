//! The district's root CA, pinned by the hall manager from the settings window or the CLI: a
//! file is read and checked here once (size, readable, a certificate the district client will
//! trust), so both refuse the same files, and the settings page says which CA is pinned by
//! its fingerprint.

use std::io::Read;
use std::path::Path;

use tracing::{instrument, warn};
use yichuang_sync::pinned_ca_fingerprints;

use super::DistrictView;
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

/// A root CA file is a few KB; anything beyond this is not one (and is not read further).
pub const MAX_CA_FILE_BYTES: u64 = 256 * 1024;

/// What to do when a file is not a certificate, for every way it can fail to be one.
const ASK_FOR_PEM: &str = "请向区级系统管理员索取根证书文件（.pem 或 .crt）";

/// A CA file that passed the check: its text as the client reads it, and the SHA-256
/// fingerprint of each certificate in it.
#[derive(Debug, Clone)]
pub struct CheckedCa {
    pub pem: String,
    pub fingerprints: Vec<[u8; 32]>,
}

/// Why a file cannot be pinned as the district's CA; the text tells the hall manager what to do.
#[derive(Debug, thiserror::Error)]
pub enum CaFileError {
    #[error("请填写根证书文件的路径，或点“选择证书文件…”选择")]
    NoPath,
    #[error("该文件超过 256 KB，不是根证书：{ASK_FOR_PEM}")]
    TooLarge,
    #[error("{}：请核对路径，或点“选择证书文件…”重新选择", unreadable_reason(.source))]
    Unreadable {
        #[source]
        source: std::io::Error,
    },
    #[error("该文件不是 PEM 格式的证书：{ASK_FOR_PEM}")]
    NotCertificate {
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

fn unreadable_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "找不到该根证书文件",
        std::io::ErrorKind::PermissionDenied => "本机账户无权读取该根证书文件",
        std::io::ErrorKind::IsADirectory => "这是一个文件夹，不是根证书文件",
        _ => "无法读取该根证书文件",
    }
}

impl CaFileError {
    /// What the log says (English, never the path: it may hold a person's account name).
    fn log(&self) {
        match self {
            CaFileError::NoPath => warn!("district CA refused: no file given"),
            CaFileError::TooLarge => {
                warn!(
                    limit = MAX_CA_FILE_BYTES,
                    "district CA refused: file too large"
                );
            }
            CaFileError::Unreadable { source } => {
                warn!(kind = ?source.kind(), "district CA refused: file unreadable");
            }
            CaFileError::NotCertificate { .. } => {
                warn!("district CA refused: not a PEM certificate");
            }
        }
    }
}

impl From<CaFileError> for AppError {
    fn from(e: CaFileError) -> Self {
        AppError::new(ErrorKind::InvalidInput, e.to_string())
    }
}

/// Reads and checks a CA file the way the district client will use it
/// ([`pinned_ca_fingerprints`]); a refusal is logged without the path.
pub fn read_district_ca(path: &Path) -> Result<CheckedCa, CaFileError> {
    let checked = read_checked(path);
    if let Err(e) = &checked {
        e.log();
    }
    checked
}

fn read_checked(path: &Path) -> Result<CheckedCa, CaFileError> {
    if path.as_os_str().is_empty() {
        return Err(CaFileError::NoPath);
    }
    let unreadable = |source| CaFileError::Unreadable { source };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_CA_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(CaFileError::TooLarge);
    }
    // A DER (binary) .cer is not PEM: refused with the same request for a PEM file.
    let pem = String::from_utf8(bytes).map_err(|e| CaFileError::NotCertificate {
        source: Box::new(e),
    })?;
    let fingerprints = pinned_ca_fingerprints(&pem).map_err(|e| CaFileError::NotCertificate {
        source: Box::new(e),
    })?;
    Ok(CheckedCa { pem, fingerprints })
}

/// Whether a CA is pinned, and the settings page's line about it.
pub(super) fn ca_view(pinned_pem: Option<&str>) -> (bool, String) {
    let Some(pem) = pinned_pem else {
        return (false, "使用系统的根证书".into());
    };
    let label = match pinned_ca_fingerprints(pem) {
        Ok(fingerprints) => format!(
            "只信任已固定的区级根证书（SHA-256 {}）",
            fingerprints
                .iter()
                .map(short_fingerprint)
                .collect::<Vec<_>>()
                .join("；")
        ),
        Err(_) => "已固定的区级根证书无法读取：请重新固定根证书文件，或改回系统根证书".into(),
    };
    (true, label)
}

/// The first 8 bytes of a fingerprint in groups of 4 hex digits: "7D84 544C 32B1 9155".
fn short_fingerprint(fingerprint: &[u8; 32]) -> String {
    fingerprint[..8]
        .chunks(2)
        .map(|pair| format!("{:02X}{:02X}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Station {
    /// Pins the district's root CA from a PEM file (`None`: back to the system's roots); only
    /// that CA is then trusted for the district, by the sync engine and by enrollment. Hall
    /// manager only. A file that is too large, unreadable or not a certificate is refused
    /// and nothing is stored. Pinning what is already pinned changes and audits nothing.
    #[instrument(skip_all, err)]
    pub fn set_district_ca(&self, pem_file: Option<&Path>) -> Result<DistrictView, AppError> {
        let clerk = self.manager()?;
        let pem = pem_file.map(read_district_ca).transpose()?.map(|ca| ca.pem);
        {
            let mut store = self.lock();
            let current = store.district_ca_pem().map_err(store_error)?;
            if current.as_deref().map(str::trim) != pem.as_deref().map(str::trim) {
                store
                    .set_district_ca(pem.as_deref(), &clerk.login)
                    .map_err(store_error)?;
            }
        }
        self.district()
    }

    /// Whether the file dialog for the district CA may open: pinning it is the hall
    /// manager's, so the window asks before it shows a dialog.
    pub fn may_pick_district_ca(&self) -> Result<(), AppError> {
        self.manager().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_shown_by_its_first_eight_bytes_in_groups_of_four() {
        let mut fingerprint = [0u8; 32];
        fingerprint[..8].copy_from_slice(&[0x7d, 0x84, 0x54, 0x4c, 0x32, 0xb1, 0x91, 0x55]);
        fingerprint[8] = 0xff;
        assert_eq!(short_fingerprint(&fingerprint), "7D84 544C 32B1 9155");
    }

    #[test]
    fn no_pinned_ca_means_the_system_roots() {
        assert_eq!(ca_view(None), (false, "使用系统的根证书".to_string()));
        let (pinned, label) = ca_view(Some("not a pem"));
        assert!(pinned);
        assert!(label.contains("无法读取"), "{label}");
    }
}
