//! Device tokens and enrollment codes: made from the OS's random source, kept only as
//! SHA-256 hashes, so a copy of the district's database lets no one act as a station.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::DistrictError;

/// SHA-256 of a secret as 64 lowercase hex digits: what the store keeps and looks up by.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash(String);

impl SecretHash {
    pub fn of(secret: &str) -> Self {
        Self(hex::encode(Sha256::digest(secret.as_bytes())))
    }

    /// A hash read back from the store.
    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Even the hash is kept out of logs: it is the lookup key of a live credential.
        f.write_str("SecretHash(<redacted>)")
    }
}

/// A fresh device token: 32 random bytes as 64 hex digits.
pub fn new_device_token() -> Result<String, DistrictError> {
    random_hex::<32>()
}

/// A fresh one-time enrollment code: 10 random bytes as 20 hex digits, grouped by four
/// with dashes so a hall manager can type it from paper.
pub fn new_enroll_code() -> Result<String, DistrictError> {
    let raw = random_hex::<10>()?;
    let groups: Vec<&str> = raw
        .as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    Ok(groups.join("-"))
}

/// An enrollment code as typed: dashes and spaces dropped, lowercase.
pub fn normalize_enroll_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn random_hex<const N: usize>() -> Result<String, DistrictError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        DistrictError::Io(std::io::Error::other(format!("random source failed: {e}")))
    })?;
    Ok(hex::encode(bytes))
}

/// Whether `given` equals `expected`, in time that does not depend on where they differ.
pub fn secrets_equal(given: &[u8], expected: &[u8]) -> bool {
    given.ct_eq(expected).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashes_stable() {
        let a = new_device_token().unwrap();
        let b = new_device_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(hex::decode(&a).is_ok());
        assert_eq!(SecretHash::of(&a), SecretHash::of(&a));
        assert_ne!(SecretHash::of(&a), SecretHash::of(&b));
        assert!(!format!("{:?}", SecretHash::of(&a)).contains(SecretHash::of(&a).as_str()));
    }

    #[test]
    fn enroll_codes_are_typed_back_whatever_the_case_and_dashes() {
        let code = new_enroll_code().unwrap();
        assert_eq!(code.len(), 24);
        let typed = code.to_uppercase().replace('-', " ");
        assert_eq!(normalize_enroll_code(&typed), code.replace('-', ""));
        assert!(secrets_equal(b"abc", b"abc"));
        assert!(!secrets_equal(b"abc", b"abd"));
        assert!(!secrets_equal(b"abc", b"abcd"));
    }
}
