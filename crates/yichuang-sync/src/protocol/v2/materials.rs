//! Scanned materials, content-addressed by SHA-256: the station asks which the district
//! lacks, then uploads each missing one, resumably, in any number of pieces.
//!
//! Upload of one material (a tus-like exchange):
//! - `HEAD /api/v2/materials/{sha256}` → 200 when complete, or 404 with header
//!   [`UPLOAD_OFFSET`] = bytes received so far (0 if none);
//! - `PATCH /api/v2/materials/{sha256}` with headers [`UPLOAD_OFFSET`] (where this piece
//!   starts, which must equal what the district has) and [`UPLOAD_LENGTH`] (the whole size,
//!   at most [`MAX_MATERIAL_BYTES`]), body = the bytes from there on. Answers: 204 with the
//!   new [`UPLOAD_OFFSET`] while incomplete; 201 when the last byte arrived and the SHA-256
//!   matched; 409 with the district's offset when the offset is wrong (resume from there);
//!   422 when the bytes do not hash to the name (the partial upload is discarded: the
//!   station's copy is poisoned, quarantine that material); 413 over the limit.

use serde::{Deserialize, Serialize};

/// `POST` a [`MaterialCheck`]: which of these the district lacks ([`MaterialNeeds`]).
pub const MATERIALS_CHECK_PATH: &str = "/api/v2/materials/check";
/// `HEAD` / `PATCH` one material: `{MATERIALS_PATH}/{sha256}`.
pub const MATERIALS_PATH: &str = "/api/v2/materials";

/// Request and answer header: bytes of the material the district holds.
pub const UPLOAD_OFFSET: &str = "upload-offset";
/// Request header: the material's whole size in bytes.
pub const UPLOAD_LENGTH: &str = "upload-length";

/// Largest material accepted (the station refuses larger scans at import too).
pub const MAX_MATERIAL_BYTES: u64 = 50 * 1024 * 1024;
/// Most hashes in one check.
pub const MAX_CHECK_HASHES: usize = 5000;

/// One scanned page attached to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialRef {
    /// The checklist line it belongs to.
    pub material_code: String,
    /// Order within the line, from 1.
    pub position: u32,
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    pub sha256: String,
    pub bytes: u64,
    /// `jpeg`, `png`, `tiff` or `pdf`.
    pub kind: String,
}

/// Body of [`MATERIALS_CHECK_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialCheck {
    pub sha256: Vec<String>,
}

/// Answer of [`MATERIALS_CHECK_PATH`]: every asked hash the district does not hold whole,
/// with the bytes it already has of each (0 for none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialNeeds {
    pub missing: Vec<MaterialNeed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialNeed {
    pub sha256: String,
    pub offset: u64,
}

/// Whether `s` is a SHA-256 as the protocol writes it.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
