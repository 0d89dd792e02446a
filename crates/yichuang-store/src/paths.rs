//! Where a station's files live, and the database id read from the encrypted file's header.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use crate::{Result, StoreError};

/// The first 16 bytes of an unencrypted SQLite file.
pub(crate) const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The directory holding one station's database and the recovery copy of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationPaths {
    pub data_dir: PathBuf,
}

impl StationPaths {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
        }
    }

    /// The SQLCipher-encrypted station database.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("station.db")
    }

    /// The database key wrapped under the hall manager's recovery passphrase.
    pub fn recovery_path(&self) -> PathBuf {
        self.data_dir.join("station-key.recovery.json")
    }

    /// Where provisioning builds the database before moving it into place.
    pub(crate) fn provisioning_path(&self) -> PathBuf {
        self.data_dir.join("station.db.provisioning")
    }

    /// The database's id: the random 16-byte salt SQLCipher writes in clear at the start
    /// of every encrypted file, in hex. It names the key in the OS keyring, so the id
    /// travels with the file and no side file is needed to find the key.
    pub fn database_id(&self) -> Result<String> {
        database_id_of(&self.db_path())
    }
}

pub(crate) fn database_id_of(path: &std::path::Path) -> Result<String> {
    let mut header = [0u8; 16];
    let mut file = File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::NotProvisioned { path: path.into() }
        } else {
            StoreError::io(path, e)
        }
    })?;
    file.read_exact(&mut header).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            StoreError::Corrupt(format!("数据库文件 {} 为空或不完整", path.display()))
        } else {
            StoreError::io(path, e)
        }
    })?;
    if &header == PLAINTEXT_HEADER {
        return Err(StoreError::PlaintextDatabase { path: path.into() });
    }
    Ok(hex::encode(header))
}
