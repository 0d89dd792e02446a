//! Material files under the data dir: whole ones named by their SHA-256, partial uploads in
//! `partial/` so a broken connection resumes where it stopped (also across restarts).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use sha2::{Digest, Sha256};

use crate::DistrictError;

/// The material directory and a lock per material being uploaded.
pub(crate) struct Vault {
    root: PathBuf,
    uploads: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Vault {
    pub fn open(root: &Path) -> Result<Self, DistrictError> {
        std::fs::create_dir_all(root.join("partial"))?;
        Ok(Self {
            root: root.to_path_buf(),
            uploads: Mutex::default(),
        })
    }

    /// Where the whole, verified material `sha` lives (`sha` is checked hex).
    pub fn complete_path(&self, sha: &str) -> PathBuf {
        self.root.join(&sha[..2]).join(sha)
    }

    pub fn partial_path(&self, sha: &str) -> PathBuf {
        self.root.join("partial").join(format!("{sha}.part"))
    }

    /// Size of the whole material, if the district holds it.
    pub async fn complete_len(&self, sha: &str) -> Option<u64> {
        tokio::fs::metadata(self.complete_path(sha))
            .await
            .ok()
            .map(|m| m.len())
    }

    /// Bytes received so far of an incomplete material (0 if none).
    pub async fn partial_len(&self, sha: &str) -> u64 {
        tokio::fs::metadata(self.partial_path(sha))
            .await
            .map_or(0, |m| m.len())
    }

    /// The lock that serialises uploads of `sha`.
    pub fn upload_lock(&self, sha: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.uploads.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget locks no upload holds any more.
        map.retain(|_, lock| Arc::strong_count(lock) > 1);
        Arc::clone(map.entry(sha.to_string()).or_default())
    }

    /// Verifies the finished partial of `sha` and moves it into place, durably; `false`
    /// (and the partial deleted) when its bytes do not hash to `sha`.
    pub async fn complete(&self, sha: &str) -> Result<bool, DistrictError> {
        let partial = self.partial_path(sha);
        let complete = self.complete_path(sha);
        let sha = sha.to_string();
        tokio::task::spawn_blocking(move || {
            if hash_file(&partial)? != sha {
                std::fs::remove_file(&partial)?;
                return Ok(false);
            }
            std::fs::File::open(&partial)?.sync_all()?;
            let dir = complete.parent().ok_or(DistrictError::Task)?;
            std::fs::create_dir_all(dir)?;
            std::fs::rename(&partial, &complete)?;
            // The rename is durable once the directory is synced.
            std::fs::File::open(dir)?.sync_all()?;
            Ok(true)
        })
        .await
        .map_err(|_| DistrictError::Task)?
    }

    /// Drops a partial upload that cannot be continued.
    pub async fn discard_partial(&self, sha: &str) -> Result<(), DistrictError> {
        match tokio::fs::remove_file(self.partial_path(sha)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

fn hash_file(path: &Path) -> Result<String, DistrictError> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
