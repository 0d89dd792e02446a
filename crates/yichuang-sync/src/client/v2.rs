//! The protocol v2 calls of the district client: enrollment, batched cases, evaluations and
//! handovers, downloads and the station report (materials are in [`super::materials`]).

use reqwest::{Method, StatusCode, header};

use super::{DistrictClient, Failure};
use crate::protocol::v2::cases::{BatchAnswer, CASES_BATCH_PATH, CaseBatch};
use crate::protocol::v2::downloads::{
    REFERENCE_PATH, ReferenceKind, STATUS_CHANGES_PATH, StatusChanges,
};
use crate::protocol::v2::enroll::{ENROLL_PATH, EnrollRequest, Enrollment};
use crate::protocol::v2::evaluations::{EVALUATIONS_BATCH_PATH, EvaluationAnswer, EvaluationBatch};
use crate::protocol::v2::handovers::{HANDOVERS_BATCH_PATH, HandoverAnswer, HandoverBatch};
use crate::protocol::v2::report::{REPORT_PATH, StationReport};
use crate::protocol::v2::{HEALTH_PATH, Health};

/// A reference document the district holds in a newer version than the station's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceDocument {
    pub version: String,
    /// The JSON document as sent.
    pub json: Vec<u8>,
}

impl DistrictClient {
    /// `GET /api/v2/health` (no token).
    pub async fn health_v2(&self) -> Result<Health, Failure> {
        let req = self.http.get(self.url(HEALTH_PATH));
        self.send_json(req).await
    }

    /// Trades a one-time enrollment code for a device token (no token needed).
    pub async fn enroll(&self, request: &EnrollRequest) -> Result<Enrollment, Failure> {
        let req = self.http.post(self.url(ENROLL_PATH)).json(request);
        self.send_json(req).await
    }

    /// Sends a batch of cases; the answer has one result per record, in order. An answer
    /// with another number of results, or with ids out of order, is [`Failure::Unreadable`]:
    /// nothing in it is believed.
    pub async fn submit_batch(&self, batch: &CaseBatch) -> Result<BatchAnswer, Failure> {
        let req = self.authorized(Method::POST, CASES_BATCH_PATH).json(batch);
        let answer: BatchAnswer = self.send_json(req).await?;
        let matches = answer.results.len() == batch.records.len()
            && answer
                .results
                .iter()
                .zip(&batch.records)
                .all(|(r, rec)| r.id() == rec.submission.id);
        if matches {
            Ok(answer)
        } else {
            Err(Failure::Unreadable { status: 200 })
        }
    }

    /// Sends a batch of evaluations; like [`DistrictClient::submit_batch`], an answer that does
    /// not match the records one to one is [`Failure::Unreadable`].
    pub async fn submit_evaluations(
        &self,
        batch: &EvaluationBatch,
    ) -> Result<EvaluationAnswer, Failure> {
        use crate::protocol::v2::evaluations::EvaluationResult as R;
        let req = self
            .authorized(Method::POST, EVALUATIONS_BATCH_PATH)
            .json(batch);
        let answer: EvaluationAnswer = self.send_json(req).await?;
        let id = |r: &R| match r {
            R::Stored { id, .. } | R::Conflict { id, .. } | R::Invalid { id, .. } => *id,
        };
        let matches = answer.results.len() == batch.records.len()
            && answer
                .results
                .iter()
                .zip(&batch.records)
                .all(|(r, rec)| id(r) == rec.id);
        if matches {
            Ok(answer)
        } else {
            Err(Failure::Unreadable { status: 200 })
        }
    }

    /// Sends a batch of handovers (送达); an answer that does not match the records one to
    /// one is [`Failure::Unreadable`].
    pub async fn submit_handovers(&self, batch: &HandoverBatch) -> Result<HandoverAnswer, Failure> {
        let req = self
            .authorized(Method::POST, HANDOVERS_BATCH_PATH)
            .json(batch);
        let answer: HandoverAnswer = self.send_json(req).await?;
        let matches = answer.results.len() == batch.records.len()
            && answer
                .results
                .iter()
                .zip(&batch.records)
                .all(|(r, rec)| r.id() == rec.id);
        if matches {
            Ok(answer)
        } else {
            Err(Failure::Unreadable { status: 200 })
        }
    }

    /// The district's current `kind` document, or `None` when `have_version` is current.
    pub async fn reference(
        &self,
        kind: ReferenceKind,
        have_version: Option<&str>,
    ) -> Result<Option<ReferenceDocument>, Failure> {
        let path = format!("{REFERENCE_PATH}/{}", kind.path_segment());
        let mut req = self.authorized(Method::GET, &path);
        if let Some(v) = have_version {
            req = req.header(header::IF_NONE_MATCH, format!("\"{v}\""));
        }
        let (resp, status) = self.send(req).await?;
        if status == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(Failure::of_answer(resp).await);
        }
        let version = resp
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_start_matches("W/").trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
            .ok_or(Failure::Unreadable {
                status: status.as_u16(),
            })?;
        let json = resp
            .bytes()
            .await
            .map_err(|e| Failure::of_error(&e))?
            .to_vec();
        if serde_json::from_slice::<serde_json::Value>(&json).is_err() {
            return Err(Failure::Unreadable {
                status: status.as_u16(),
            });
        }
        Ok(Some(ReferenceDocument { version, json }))
    }

    /// Status changes of this station's cases after `after`, at most `limit`.
    pub async fn status_changes(&self, after: i64, limit: usize) -> Result<StatusChanges, Failure> {
        // Two integers: nothing to percent-encode.
        let path = format!("{STATUS_CHANGES_PATH}?after={after}&limit={limit}");
        let req = self.authorized(Method::GET, &path);
        self.send_json(req).await
    }

    /// Tells the district how this station is doing (its officer's health page).
    pub async fn report(&self, report: &StationReport) -> Result<(), Failure> {
        let req = self.authorized(Method::POST, REPORT_PATH).json(report);
        let (resp, status) = self.send(req).await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(Failure::of_answer(resp).await)
        }
    }
}
