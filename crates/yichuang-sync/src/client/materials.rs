//! The district client's material calls: which files the district lacks, how much of one it
//! holds, and sending the rest of one from where it stopped (protocol/v2/materials.rs).

use reqwest::{Method, StatusCode, header};

use super::{DistrictClient, Failure};
use crate::protocol::v2::materials::{
    MATERIALS_CHECK_PATH, MATERIALS_PATH, MaterialCheck, MaterialNeeds, UPLOAD_LENGTH,
    UPLOAD_OFFSET,
};

/// What a piece sent made of the upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PieceAnswer {
    /// Whole and matching its hash.
    Complete,
    /// The district holds this many bytes: send the rest from there.
    HeldSoFar(u64),
    /// The bytes do not hash to the name (the station's copy is damaged); the district
    /// discarded them.
    Mismatch(String),
}

impl DistrictClient {
    /// Which of `sha256` the district does not hold whole, with the bytes it has of each.
    pub async fn material_needs(&self, sha256: &[String]) -> Result<MaterialNeeds, Failure> {
        let req = self
            .authorized(Method::POST, MATERIALS_CHECK_PATH)
            .json(&MaterialCheck {
                sha256: sha256.to_vec(),
            });
        self.send_json(req).await
    }

    /// How many bytes of `sha256` the district holds (`None`: the whole file).
    pub async fn material_offset(&self, sha256: &str) -> Result<Option<u64>, Failure> {
        let req = self.authorized(Method::HEAD, &format!("{MATERIALS_PATH}/{sha256}"));
        let (resp, status) = self.send(req).await?;
        match status {
            StatusCode::OK => Ok(None),
            StatusCode::NOT_FOUND => offset_of(&resp).map(Some),
            _ => Err(Failure::of_answer(resp).await),
        }
    }

    /// Sends `rest` (the file from byte `offset` on) of the `length`-byte file `sha256`.
    pub async fn upload_material_piece(
        &self,
        sha256: &str,
        offset: u64,
        length: u64,
        rest: bytes::Bytes,
    ) -> Result<PieceAnswer, Failure> {
        let req = self
            .authorized(Method::PATCH, &format!("{MATERIALS_PATH}/{sha256}"))
            .header(UPLOAD_OFFSET, offset)
            .header(UPLOAD_LENGTH, length)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(rest);
        let (resp, status) = self.send(req).await?;
        match status {
            StatusCode::CREATED => Ok(PieceAnswer::Complete),
            StatusCode::NO_CONTENT | StatusCode::CONFLICT => {
                offset_of(&resp).map(PieceAnswer::HeldSoFar)
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                let message = resp
                    .json::<crate::protocol::ErrorBody>()
                    .await
                    .map(|b| b.message)
                    .unwrap_or_else(|_| "材料内容与其摘要不符".into());
                Ok(PieceAnswer::Mismatch(message))
            }
            _ => Err(Failure::of_answer(resp).await),
        }
    }
}

fn offset_of(resp: &reqwest::Response) -> Result<u64, Failure> {
    resp.headers()
        .get(UPLOAD_OFFSET)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or(Failure::Unreadable {
            status: resp.status().as_u16(),
        })
}
