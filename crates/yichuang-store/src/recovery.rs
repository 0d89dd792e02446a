//! The recovery copy of the database key, wrapped under the hall manager's passphrase.
//!
//! Losing the OS keyring entry must not mean losing the station's cases, so provisioning
//! writes the key beside the database, encrypted with XChaCha20-Poly1305 under a key that
//! Argon2id derives from the recovery passphrase. The file names its algorithms and their
//! parameters, so another suite (e.g. SM3-based KDF + SM4-GCM) can be added without
//! breaking files already written; every header field is bound to the ciphertext as AAD.

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::key::random_bytes;
use crate::{DbKey, Result, StoreError};

const FORMAT: &str = "yichuang-station-key-recovery";
const VERSION: u32 = 1;
const KDF_ARGON2ID: &str = "argon2id";
const CIPHER_XCHACHA: &str = "xchacha20-poly1305";
/// RFC 9106's second recommended option: 64 MiB, 3 passes, 1 lane.
const MEMORY_KIB: u32 = 64 * 1024;
const ITERATIONS: u32 = 3;
const PARALLELISM: u32 = 1;
/// Minimum length of the recovery passphrase, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The recovery file as stored (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RecoveryFile {
    format: String,
    version: u32,
    /// The database id (the SQLCipher salt in hex) this key opens.
    pub(crate) key_id: String,
    created_at: String,
    kdf: Kdf,
    cipher: Cipher,
    wrapped_key: String,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kdf {
    algorithm: String,
    version: u32,
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cipher {
    algorithm: String,
    nonce: String,
}

pub(crate) fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::InvalidInput(format!(
            "恢复口令至少需要 {MIN_PASSPHRASE_CHARS} 个字符，请大厅管理员设置更长的口令并妥善保管"
        )));
    }
    Ok(())
}

impl RecoveryFile {
    /// Wraps `key` of database `key_id` under `passphrase`.
    pub(crate) fn wrap(key: &DbKey, key_id: &str, passphrase: &str) -> Result<Self> {
        check_passphrase(passphrase)?;
        let salt = random_bytes::<16>()?;
        let nonce = random_bytes::<24>()?;
        let mut file = RecoveryFile {
            format: FORMAT.into(),
            version: VERSION,
            key_id: key_id.into(),
            created_at: jiff::Timestamp::now().to_string(),
            kdf: Kdf {
                algorithm: KDF_ARGON2ID.into(),
                version: 0x13,
                memory_kib: MEMORY_KIB,
                iterations: ITERATIONS,
                parallelism: PARALLELISM,
                salt: hex::encode(salt),
            },
            cipher: Cipher {
                algorithm: CIPHER_XCHACHA.into(),
                nonce: hex::encode(nonce),
            },
            wrapped_key: String::new(),
            note: "一窗受理台站点数据库密钥的恢复副本，已用大厅管理员的恢复口令加密。请与数据库一同备份，勿删除。".into(),
        };
        let kek = file.derive(passphrase)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_slice())
            .map_err(|e| StoreError::Crypto(e.to_string()))?;
        let aad = file.aad();
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|e| StoreError::Crypto(e.to_string()))?;
        file.wrapped_key = hex::encode(sealed);
        Ok(file)
    }

    /// Unwraps the key; a wrong passphrase fails with [`StoreError::WrongPassphrase`].
    pub(crate) fn unwrap_key(&self, passphrase: &str) -> Result<DbKey> {
        self.check_suite()?;
        let nonce: [u8; 24] = decode_hex(&self.cipher.nonce, "nonce")?
            .try_into()
            .map_err(|_| StoreError::RecoveryCorrupt("随机数长度不对".into()))?;
        let sealed = decode_hex(&self.wrapped_key, "wrapped_key")?;
        let kek = self.derive(passphrase)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_slice())
            .map_err(|e| StoreError::Crypto(e.to_string()))?;
        let aad = self.aad();
        let mut plain = Zeroizing::new(
            cipher
                .decrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &sealed,
                        aad: aad.as_bytes(),
                    },
                )
                .map_err(|_| StoreError::WrongPassphrase)?,
        );
        DbKey::from_slice(plain.as_mut_slice())
    }

    fn check_suite(&self) -> Result<()> {
        let unsupported = |what: &str| StoreError::RecoveryCorrupt(format!("{what}，本版本不支持"));
        if self.format != FORMAT || self.version != VERSION {
            return Err(unsupported(&format!(
                "文件格式为 {} 第 {} 版",
                self.format, self.version
            )));
        }
        if self.kdf.algorithm != KDF_ARGON2ID || self.kdf.version != 0x13 {
            return Err(unsupported(&format!(
                "口令派生算法为 {}",
                self.kdf.algorithm
            )));
        }
        if self.cipher.algorithm != CIPHER_XCHACHA {
            return Err(unsupported(&format!(
                "加密算法为 {}",
                self.cipher.algorithm
            )));
        }
        // Bounds keep a damaged or crafted file from exhausting an old PC's memory.
        if self.kdf.memory_kib > 2 * 1024 * 1024
            || self.kdf.iterations > 64
            || self.kdf.parallelism > 16
        {
            return Err(StoreError::RecoveryCorrupt(
                "口令派生参数超出允许范围".into(),
            ));
        }
        Ok(())
    }

    fn derive(&self, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
        let salt = decode_hex(&self.kdf.salt, "salt")?;
        let params = Params::new(
            self.kdf.memory_kib,
            self.kdf.iterations,
            self.kdf.parallelism,
            Some(32),
        )
        .map_err(|e| StoreError::RecoveryCorrupt(format!("口令派生参数无效（{e}）")))?;
        let mut kek = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, kek.as_mut_slice())
            .map_err(|e| StoreError::Crypto(format!("口令派生失败（{e}）")))?;
        Ok(kek)
    }

    /// Every header field that matters, bound to the ciphertext.
    fn aad(&self) -> String {
        let k = &self.kdf;
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.format,
            self.version,
            self.key_id,
            k.algorithm,
            k.version,
            k.memory_kib,
            k.iterations,
            k.parallelism,
            k.salt,
            self.cipher.algorithm
        )
    }

    pub(crate) fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::RecoveryMissing { path: path.into() },
            _ => StoreError::io(path, e),
        })?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::RecoveryCorrupt(format!("无法解析（{e}）")))
    }

    /// Writes the file next to the database: temp file, fsync, then rename.
    pub(crate) fn write(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| StoreError::Crypto(format!("无法生成恢复文件（{e}）")))?;
        crate::fsutil::write_atomic(path, json.as_bytes())
    }
}

fn decode_hex(s: &str, field: &str) -> Result<Vec<u8>> {
    hex::decode(s)
        .map_err(|_| StoreError::RecoveryCorrupt(format!("字段 {field} 不是有效的十六进制")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_unwraps_and_refuses_wrong_passphrase_or_edited_header() {
        let key = DbKey::generate().unwrap();
        let started = std::time::Instant::now();
        let file = RecoveryFile::wrap(&key, "00112233", "正确的恢复口令 2026").unwrap();
        eprintln!("argon2id 64 MiB t=3 wrap took {:?}", started.elapsed());
        assert!(!file.wrapped_key.contains(&hex::encode(key.as_bytes())));
        assert_eq!(file.unwrap_key("正确的恢复口令 2026").unwrap(), key);
        assert!(matches!(
            file.unwrap_key("错误的恢复口令 2026"),
            Err(StoreError::WrongPassphrase)
        ));
        let mut edited = file.clone();
        edited.key_id = "99999999".into();
        assert!(matches!(
            edited.unwrap_key("正确的恢复口令 2026"),
            Err(StoreError::WrongPassphrase)
        ));
        let mut sm4 = file.clone();
        sm4.cipher.algorithm = "sm4-gcm".into();
        assert!(matches!(
            sm4.unwrap_key("正确的恢复口令 2026"),
            Err(StoreError::RecoveryCorrupt(_))
        ));
    }

    #[test]
    fn short_passphrase_is_refused() {
        let key = DbKey::generate().unwrap();
        let err = RecoveryFile::wrap(&key, "00", "1234567").unwrap_err();
        assert!(err.to_string().contains("至少需要 8 个字符"));
    }
}
