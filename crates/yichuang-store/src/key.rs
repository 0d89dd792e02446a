//! The station database key: 32 random bytes, zeroized on drop, never printed.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::{Result, StoreError};

/// A 256-bit SQLCipher raw key.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey(Zeroizing<[u8; 32]>);

impl DbKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut_slice())
            .map_err(|e| StoreError::Crypto(format!("无法取得随机数（{e}）")))?;
        Ok(Self(bytes))
    }

    /// Takes ownership of key bytes and wipes the source.
    pub fn from_slice(bytes: &mut [u8]) -> Result<Self> {
        let result = <[u8; 32]>::try_from(&*bytes)
            .map(|b| Self(Zeroizing::new(b)))
            .map_err(|_| {
                StoreError::Corrupt(format!("密钥长度应为 32 字节，实为 {}", bytes.len()))
            });
        bytes.zeroize();
        result
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as SQLCipher's raw-key literal `x'…'`, so no passphrase derivation runs.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(hex::encode(self.0.as_slice()));
        let literal = Zeroizing::new(format!("x'{}'", hex.as_str()));
        hex.zeroize();
        literal
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

/// `n` random bytes for salts, nonces and HMAC keys.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Crypto(format!("无法取得随机数（{e}）")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_never_printed() {
        let a = DbKey::generate().unwrap();
        let b = DbKey::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "DbKey(<redacted>)");
        let lit = a.sqlcipher_literal();
        assert!(lit.starts_with("x'") && lit.ends_with('\'') && lit.len() == 67);
    }

    #[test]
    fn from_slice_wipes_its_source() {
        let mut raw = [7u8; 32];
        let key = DbKey::from_slice(&mut raw).unwrap();
        assert_eq!(key.as_bytes(), &[7u8; 32]);
        assert_eq!(raw, [0u8; 32]);
        assert!(DbKey::from_slice(&mut [1u8; 5]).is_err());
    }
}
