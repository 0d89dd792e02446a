//! The hall manager's side of refused handovers (送达): the district refused them for good
//! (a conflict or invalid content), the sync engine set them apart, and only a hall manager
//! lists them and puts one back in the queue once its cause is fixed, with a reason (audited
//! in the store with the manager's login).

use jiff::Timestamp;
use tracing::instrument;
use uuid::Uuid;

use crate::handover_quarantine_views::RefusedHandoverRow;
use crate::station::store_error;
use crate::{AppError, ErrorKind, Station};

impl Station {
    /// Every handover the district refused, oldest refusal first (hall manager only).
    pub fn refused_handovers(&self) -> Result<Vec<RefusedHandoverRow>, AppError> {
        self.manager()?;
        let store = self.lock();
        let refused = store.refused_handovers().map_err(store_error)?;
        refused
            .iter()
            .map(|r| {
                let case = store.get_case(r.handover.case_id).map_err(store_error)?;
                Ok(RefusedHandoverRow::new(r, case.as_ref()))
            })
            .collect()
    }

    /// Puts a refused handover back in the queue (待上传) with the reason its cause is fixed;
    /// hall manager only, audited with the manager's login. A repeat (double click, retry
    /// after an error) finds nothing left to release and answers the list as it stands.
    /// Returns the refused handovers left.
    #[instrument(skip_all, err)]
    pub fn release_refused_handover(
        &self,
        handover_id: &str,
        reason: &str,
    ) -> Result<Vec<RefusedHandoverRow>, AppError> {
        let clerk = self.manager()?;
        let id = Uuid::parse_str(handover_id.trim()).map_err(|_| {
            AppError::new(
                ErrorKind::InvalidInput,
                "送达记录标识有误，请刷新同步与隔离页面后重试",
            )
        })?;
        self.lock()
            .release_refused_handover(id, &clerk.login, reason, Timestamp::now())
            .map_err(store_error)?;
        self.refused_handovers()
    }
}
