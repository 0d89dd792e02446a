//! [`Outbox`] for the station store: the engine's only way into the station database.

use std::collections::HashMap;

use crate::protocol::v2::evaluations::EvaluationRecord;
use crate::protocol::v2::handovers::HandoverRecord;
use crate::protocol::v2::materials::MaterialRef;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::StatusChange;
use yichuang_store::{
    DistrictClerk, DownloadedReference, EvaluationSent, HandoverSent, OutboxItem, Store,
    StoreError, SyncOutcome,
};

use crate::protocol::v2::downloads::ReferenceKind;
use crate::{
    DistrictEndpoint, Due, Outbox, OutboxEntry, OutcomeCounts, RecordOutcome, ReferenceApplied,
    ReferenceData, StatusCounts, SyncError,
};

impl From<OutboxItem> for OutboxEntry {
    fn from(item: OutboxItem) -> Self {
        Self {
            case: item.case,
            revision: item.revision,
            attempts: item.attempts,
            clock_offset_ms: item.clock_offset_ms,
        }
    }
}

impl Outbox for Store {
    fn district_endpoint(&self) -> Result<DistrictEndpoint, SyncError> {
        let settings = self.settings().map_err(SyncError::store)?;
        let token = self
            .device_token()
            .map_err(SyncError::store)?
            .ok_or(SyncError::NotEnrolled)?;
        Ok(DistrictEndpoint {
            url: settings.district_url,
            token: token.as_str().to_string(),
            ca_pem: self.district_ca_pem().map_err(SyncError::store)?,
        })
    }

    fn outbox_due_order(&self, now: Timestamp, limit: usize) -> Result<Vec<String>, SyncError> {
        Store::outbox_due_order(self, now, limit).map_err(SyncError::store)
    }

    fn outbox_entries(&self, case_ids: &[String]) -> Result<Due, SyncError> {
        let due = Store::outbox_entries(self, case_ids).map_err(SyncError::store)?;
        Ok(Due {
            entries: due.items.into_iter().map(OutboxEntry::from).collect(),
            unreadable: due.unreadable,
        })
    }

    fn record_synced(
        &mut self,
        case_id: Uuid,
        revision: i64,
        official_case_no: &str,
    ) -> Result<bool, SyncError> {
        Store::record_synced(self, case_id, revision, official_case_no).map_err(SyncError::store)
    }

    fn record_sync_failure(
        &mut self,
        case_id: Uuid,
        message: &str,
        permanent: bool,
        next_attempt_at: Timestamp,
    ) -> Result<(), SyncError> {
        Store::record_sync_failure(self, case_id, message, permanent, next_attempt_at)
            .map_err(SyncError::store)
    }

    fn record_outcomes(&mut self, outcomes: &[RecordOutcome]) -> Result<OutcomeCounts, SyncError> {
        let outcomes: Vec<SyncOutcome> = outcomes
            .iter()
            .cloned()
            .map(|o| match o {
                RecordOutcome::Acknowledged {
                    case_id,
                    revision,
                    official_case_no,
                } => SyncOutcome::Acknowledged {
                    case_id,
                    revision,
                    official_case_no,
                },
                RecordOutcome::Failed {
                    case_id,
                    message,
                    permanent,
                    next_attempt_at,
                } => SyncOutcome::Failed {
                    case_id,
                    message,
                    permanent,
                    next_attempt_at,
                },
            })
            .collect();
        let done = Store::record_sync_outcomes(self, &outcomes).map_err(SyncError::store)?;
        Ok(OutcomeCounts {
            synced: done.synced,
            superseded: done.superseded,
            retry_later: done.retry_later,
            quarantined: done.quarantined,
        })
    }

    fn outbox_counts(&self) -> Result<(u32, u32), SyncError> {
        Store::outbox_counts(self).map_err(SyncError::store)
    }

    fn status_cursor(&self) -> Result<i64, SyncError> {
        Store::status_cursor(self).map_err(SyncError::store)
    }

    fn apply_status_changes(
        &mut self,
        changes: &[StatusChange],
        next_after: i64,
    ) -> Result<StatusCounts, SyncError> {
        let done =
            Store::apply_status_changes(self, changes, next_after).map_err(SyncError::store)?;
        Ok(StatusCounts {
            applied: done.applied,
            skipped: done.unknown_case + done.refused,
        })
    }

    fn reference_version(&self, kind: ReferenceKind) -> Result<Option<String>, SyncError> {
        Store::reference_version(self, kind.path_segment()).map_err(SyncError::store)
    }

    fn apply_reference(
        &mut self,
        version: &str,
        doc: ReferenceData,
    ) -> Result<ReferenceApplied, SyncError> {
        let doc = match doc {
            ReferenceData::Catalogue(c) => DownloadedReference::Catalogue(c),
            ReferenceData::Calendar(c) => DownloadedReference::Calendar(c),
            ReferenceData::CreditList(l) => DownloadedReference::CreditList(l),
            ReferenceData::Clerks(accounts) => DownloadedReference::Clerks(
                accounts
                    .clerks
                    .into_iter()
                    .map(|c| DistrictClerk {
                        login: c.login,
                        display_name: c.display_name,
                        password_hash: c.password_hash,
                        role: c.role,
                        active: c.active,
                    })
                    .collect(),
            ),
        };
        match Store::apply_reference(self, version, &doc) {
            Ok(()) => Ok(ReferenceApplied::Applied),
            Err(StoreError::InvalidInput(reason)) => Ok(ReferenceApplied::Refused(reason)),
            Err(e) => Err(SyncError::store(e)),
        }
    }

    fn note_clock_offset(&mut self, offset_ms: i64) -> Result<(), SyncError> {
        Store::note_clock_offset(self, offset_ms).map_err(SyncError::store)
    }

    fn cases_materials(
        &self,
        case_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<MaterialRef>>, SyncError> {
        Ok(Store::cases_materials(self, case_ids)
            .map_err(SyncError::store)?
            .into_iter()
            .map(|(id, pages)| {
                let refs = pages
                    .into_iter()
                    .map(|m| MaterialRef {
                        material_code: m.material_code,
                        position: m.position,
                        sha256: m.sha256,
                        bytes: m.bytes,
                        kind: m.kind,
                    })
                    .collect();
                (id, refs)
            })
            .collect())
    }

    fn evaluations_to_send(&self, limit: usize) -> Result<Vec<EvaluationRecord>, SyncError> {
        Ok(Store::evaluations_to_send(self, limit)
            .map_err(SyncError::store)?
            .into_iter()
            .map(|e| EvaluationRecord {
                id: e.id,
                case_id: e.case_id,
                level: e.level.code(),
                comment: e.comment,
                channel: e.channel,
                rated_at: e.rated_at,
            })
            .collect())
    }

    fn record_evaluations_sent(&mut self, answers: &[EvaluationSent]) -> Result<(), SyncError> {
        Store::record_evaluations_sent(self, answers).map_err(SyncError::store)
    }

    fn handovers_to_send(&self, limit: usize) -> Result<Vec<HandoverRecord>, SyncError> {
        Ok(Store::handovers_to_send(self, limit)
            .map_err(SyncError::store)?
            .into_iter()
            .map(HandoverRecord::from)
            .collect())
    }

    fn record_handovers_sent(&mut self, answers: &[HandoverSent]) -> Result<(), SyncError> {
        Store::record_handovers_sent(self, answers).map_err(SyncError::store)
    }

    fn handover_counts(&self) -> Result<(u32, u32), SyncError> {
        Store::handover_counts(self).map_err(SyncError::store)
    }

    fn materials_to_upload(&self, limit: usize) -> Result<Vec<MaterialRef>, SyncError> {
        Ok(Store::materials_to_upload(self, limit)
            .map_err(SyncError::store)?
            .into_iter()
            .map(|m| MaterialRef {
                material_code: String::new(),
                position: 0,
                sha256: m.sha256,
                bytes: m.bytes,
                kind: m.kind,
            })
            .collect())
    }

    fn material_bytes(&self, sha256: &str) -> Result<Vec<u8>, SyncError> {
        Store::material_bytes(self, sha256).map_err(SyncError::store)
    }

    fn record_materials_uploaded(&mut self, sha256: &[String]) -> Result<(), SyncError> {
        Store::record_materials_uploaded(self, sha256, Timestamp::now()).map_err(SyncError::store)
    }

    fn record_material_poisoned(&mut self, sha256: &str, message: &str) -> Result<(), SyncError> {
        Store::record_material_poisoned(self, sha256, message, Timestamp::now())
            .map_err(SyncError::store)
    }
}
