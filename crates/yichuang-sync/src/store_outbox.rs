//! [`Outbox`] for the station store: the engine's only way into the station database.

use jiff::Timestamp;
use uuid::Uuid;
use yichuang_store::{OutboxItem, Store};

use crate::{DistrictEndpoint, Due, Outbox, OutboxEntry, SyncError};

impl From<OutboxItem> for OutboxEntry {
    fn from(item: OutboxItem) -> Self {
        Self {
            case: item.case,
            revision: item.revision,
            attempts: item.attempts,
        }
    }
}

impl Outbox for Store {
    fn district_endpoint(&self) -> Result<DistrictEndpoint, SyncError> {
        let settings = self.settings().map_err(SyncError::store)?;
        Ok(DistrictEndpoint {
            url: settings.district_url,
            token: settings.district_token,
            ca_pem: None,
        })
    }

    fn outbox_due(&self, now: Timestamp, limit: usize) -> Result<Due, SyncError> {
        let due = Store::outbox_due(self, now, limit).map_err(SyncError::store)?;
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

    fn outbox_counts(&self) -> Result<(u32, u32), SyncError> {
        Store::outbox_counts(self).map_err(SyncError::store)
    }
}
