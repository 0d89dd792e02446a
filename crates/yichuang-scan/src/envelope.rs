//! The sealed form of a vault file, with a suite id so an SM4-GCM suite can be added later.
//!
//! Layout: `"YCPV"` magic (4) · format version (1) · suite id (1) · nonce (suite-sized)
//! · ciphertext · tag (16). The AAD is the 6 header bytes followed by a label (the page's
//! SHA-256 hex, or `thumb:` and the hex for its thumbnail), so a file cannot be passed off
//! as another page, a thumbnail as a page, or its suite byte changed, without failing.

use std::fmt;

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Result, ScanError};

const MAGIC: [u8; 4] = *b"YCPV";
const VERSION: u8 = 1;
const FIXED_HEADER: usize = 6;
const TAG_LEN: usize = 16;

/// The 32-byte key of a page vault. The caller keeps it (the station keeps it in the OS
/// keyring); it is wiped from memory when dropped and never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PageKey([u8; 32]);

impl PageKey {
    pub fn from_bytes(bytes: [u8; 32]) -> PageKey {
        PageKey(bytes)
    }

    /// A key from a slice that must be 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<PageKey> {
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| ScanError::KeyLength { got: bytes.len() })?;
        Ok(PageKey(array))
    }

    /// A fresh random key from the OS.
    pub fn generate() -> Result<PageKey> {
        let mut key = PageKey([0; 32]);
        getrandom::fill(&mut key.0).map_err(|_| ScanError::Random)?;
        Ok(key)
    }

    /// The raw key, for the caller to store it.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for PageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageKey(<redacted>)")
    }
}

/// The authenticated encryption used for new files. Files name their suite, so a vault can
/// hold files of several suites while a station moves to the national algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Suite {
    /// XChaCha20-Poly1305 with a random 24-byte nonce per file.
    #[default]
    XChaCha20Poly1305,
}

impl Suite {
    /// The byte that names the suite in a file's header.
    pub fn id(self) -> u8 {
        match self {
            Suite::XChaCha20Poly1305 => 1,
        }
    }

    pub fn from_id(id: u8) -> Option<Suite> {
        match id {
            1 => Some(Suite::XChaCha20Poly1305),
            _ => None,
        }
    }

    fn nonce_len(self) -> usize {
        match self {
            Suite::XChaCha20Poly1305 => 24,
        }
    }
}

/// Encrypts `plain` into a new buffer (one copy of the plaintext, encrypted in place).
pub(crate) fn seal(suite: Suite, key: &PageKey, label: &str, plain: &[u8]) -> Result<Vec<u8>> {
    let header = [MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], VERSION, suite.id()];
    let aad = aad(&header, label);
    let body_at = FIXED_HEADER + suite.nonce_len();
    let mut out = Vec::with_capacity(body_at + plain.len() + TAG_LEN);
    out.extend_from_slice(&header);
    out.resize(body_at, 0);
    getrandom::fill(&mut out[FIXED_HEADER..body_at]).map_err(|_| ScanError::Random)?;
    out.extend_from_slice(plain);
    let tag = match suite {
        Suite::XChaCha20Poly1305 => {
            let (head, body) = out.split_at_mut(body_at);
            let nonce = XNonce::try_from(&head[FIXED_HEADER..]).map_err(|_| ScanError::Random)?;
            cipher(key)
                .encrypt_inout_detached(&nonce, &aad, body.into())
                // Only fails for messages beyond 256 GiB; pages are at most 50 MiB.
                .map_err(|_| ScanError::Random)?
        }
    };
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Decrypts a sealed file in place and returns the plaintext.
pub(crate) fn open(key: &PageKey, label: &str, mut sealed: Vec<u8>) -> Result<Vec<u8>> {
    let sha_prefix = label
        .trim_start_matches("thumb:")
        .get(..12)
        .unwrap_or("")
        .to_owned();
    let bad = |reason: String| ScanError::BadFormat {
        sha_prefix: sha_prefix.clone(),
        reason,
    };
    if sealed.len() < FIXED_HEADER || sealed[..4] != MAGIC {
        return Err(bad("不是页面库文件".into()));
    }
    if sealed[4] != VERSION {
        return Err(bad(format!("格式版本 {} 不受支持", sealed[4])));
    }
    let suite =
        Suite::from_id(sealed[5]).ok_or_else(|| bad(format!("加密套件 {} 不受支持", sealed[5])))?;
    let body_at = FIXED_HEADER + suite.nonce_len();
    if sealed.len() < body_at + TAG_LEN {
        return Err(bad("文件太短".into()));
    }
    let mut header = [0u8; FIXED_HEADER];
    header.copy_from_slice(&sealed[..FIXED_HEADER]);
    let aad = aad(&header, label);
    let tag_at = sealed.len() - TAG_LEN;
    match suite {
        Suite::XChaCha20Poly1305 => {
            let (head, rest) = sealed.split_at_mut(body_at);
            let (body, tag) = rest.split_at_mut(tag_at - body_at);
            let nonce = XNonce::try_from(&head[FIXED_HEADER..])
                .map_err(|_| bad("随机数长度不对".into()))?;
            let tag = Tag::try_from(&*tag).map_err(|_| bad("校验码长度不对".into()))?;
            cipher(key)
                .decrypt_inout_detached(&nonce, &aad, body.into(), &tag)
                .map_err(|_| ScanError::Decrypt {
                    sha_prefix: sha_prefix.clone(),
                })?;
        }
    }
    sealed.truncate(tag_at);
    sealed.drain(..body_at);
    Ok(sealed)
}

fn aad(header: &[u8; FIXED_HEADER], label: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(FIXED_HEADER + label.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(label.as_bytes());
    aad
}

fn cipher(key: &PageKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&key.0.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_label_binding() {
        let key = PageKey::from_bytes([7; 32]);
        let sealed = seal(Suite::default(), &key, "abc", b"page bytes").expect("seal");
        assert_eq!(sealed.len(), 6 + 24 + 10 + 16);
        assert_eq!(
            open(&key, "abc", sealed.clone()).expect("open"),
            b"page bytes"
        );
        let err = open(&key, "thumb:abc", sealed.clone()).expect_err("other label");
        assert_eq!(err.kind(), "decrypt");
        let mut suite_changed = sealed;
        suite_changed[5] = 9;
        assert_eq!(
            open(&key, "abc", suite_changed).expect_err("suite").kind(),
            "bad_format"
        );
    }

    #[test]
    fn key_is_not_printed_and_must_be_32_bytes() {
        assert_eq!(
            format!("{:?}", PageKey::from_bytes([1; 32])),
            "PageKey(<redacted>)"
        );
        assert_eq!(
            PageKey::from_slice(&[0; 31]).expect_err("short").kind(),
            "key_length"
        );
    }
}
