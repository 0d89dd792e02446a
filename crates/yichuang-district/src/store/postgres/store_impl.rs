//! [`DistrictStore`] for [`PgStore`]: each method is one transaction (or one statement) on a
//! pooled connection, committed before it returns.

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::StatusChange;
use yichuang_sync::protocol::SubmissionAck;
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::evaluations::EvaluationRecord;
use yichuang_sync::protocol::v2::handovers::HandoverRecord;
use yichuang_sync::protocol::v2::report::StationReport;

use super::{
    PgStore, cases, devices, evaluations, handovers, in_transaction, reference, slips, to_micros,
};
use crate::DistrictError;
use crate::evaluation_codes::EvaluationCodes;
use crate::secrets::SecretHash;
use crate::store::{
    CaseSummary, Device, DeviceHealth, DistrictStore, EnrollCode, Enrolled, EvaluationOutcome,
    HandoverOutcome, NewStatus, PreparedRecord, Redeem, RedeemRefusal, Reference, SlipRating,
    SlipState, StoreOutcome,
};

#[async_trait]
impl DistrictStore for PgStore {
    async fn ensure_station(&self, code: &str, name: &str) -> Result<(), DistrictError> {
        in_transaction!(self, "ensure_station", |tx| {
            devices::ensure_station(&tx, code, name, Timestamp::now()).await?
        })
    }

    async fn register_device(
        &self,
        station: &str,
        device_name: &str,
        token: &SecretHash,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<i64, DistrictError> {
        in_transaction!(self, "register_device", |tx| {
            devices::ensure_station(&tx, station, station, now).await?;
            devices::register_device(&tx, station, device_name, token, expires_at, now).await?
        })
    }

    async fn device_by_token(
        &self,
        token: &SecretHash,
        now: Timestamp,
    ) -> Result<Option<Device>, DistrictError> {
        let client = self.client().await?;
        Ok(devices::device_by_token(&client, token, now).await?)
    }

    async fn revoke_station_devices(
        &self,
        station: &str,
        now: Timestamp,
    ) -> Result<u64, DistrictError> {
        let client = self.client().await?;
        Ok(devices::revoke_station(&client, station, now).await?)
    }

    async fn issue_enroll_code(&self, code: EnrollCode) -> Result<(), DistrictError> {
        in_transaction!(self, "issue_enroll_code", |tx| {
            devices::issue_code(&tx, &code).await?
        })
    }

    async fn redeem_enroll_code(
        &self,
        redeem: Redeem,
    ) -> Result<Result<Enrolled, RedeemRefusal>, DistrictError> {
        in_transaction!(self, "redeem_enroll_code", |tx| {
            devices::redeem(&tx, &redeem).await?
        })
    }

    async fn record_report(
        &self,
        device_id: i64,
        report: &StationReport,
        now: Timestamp,
    ) -> Result<(), DistrictError> {
        let client = self.client().await?;
        Ok(devices::record_report(&client, device_id, report, now).await?)
    }

    async fn device_health(&self) -> Result<Vec<DeviceHealth>, DistrictError> {
        let client = self.client().await?;
        Ok(devices::health(&client, Timestamp::now()).await?)
    }

    async fn store_cases(
        &self,
        region_code: &str,
        records: Vec<PreparedRecord>,
        now: Timestamp,
    ) -> Result<Vec<StoreOutcome>, DistrictError> {
        let now = to_micros(now);
        // The answer leaves only after the commit: acknowledged means committed.
        in_transaction!(self, "store_cases", |tx| {
            cases::store_cases(&tx, region_code, &records, now).await?
        })
    }

    async fn store_evaluations(
        &self,
        station: &str,
        records: Vec<EvaluationRecord>,
        codes: &EvaluationCodes,
        now: Timestamp,
    ) -> Result<Vec<EvaluationOutcome>, DistrictError> {
        let now = to_micros(now);
        in_transaction!(self, "store_evaluations", |tx| {
            evaluations::store_evaluations(&tx, station, &records, codes, now).await?
        })
    }

    async fn rate_slip(&self, rating: SlipRating) -> Result<EvaluationOutcome, DistrictError> {
        let rating = SlipRating {
            rated_at: to_micros(rating.rated_at),
            ..rating
        };
        let now = to_micros(Timestamp::now());
        in_transaction!(self, "rate_slip", |tx| {
            evaluations::rate_slip(&tx, &rating, now).await?
        })
    }

    async fn slip_state(&self, station: &str, case_no: &str) -> Result<SlipState, DistrictError> {
        let client = self.client().await?;
        Ok(slips::slip_state(&client, station, case_no).await?)
    }

    async fn qr_public_keys(&self, station: &str) -> Result<Vec<String>, DistrictError> {
        let client = self.client().await?;
        Ok(devices::qr_public_keys(&client, station).await?)
    }

    async fn count_evaluations(&self, station: &str) -> Result<u64, DistrictError> {
        let client = self.client().await?;
        Ok(evaluations::count(&client, station).await?)
    }

    async fn store_handovers(
        &self,
        station: &str,
        records: Vec<HandoverRecord>,
        now: Timestamp,
    ) -> Result<Vec<HandoverOutcome>, DistrictError> {
        let now = to_micros(now);
        in_transaction!(self, "store_handovers", |tx| {
            handovers::store_handovers(&tx, station, &records, now).await?
        })
    }

    async fn count_handovers(&self, station: &str) -> Result<u64, DistrictError> {
        let client = self.client().await?;
        Ok(handovers::count(&client, station).await?)
    }

    async fn find_case(
        &self,
        station: &str,
        id: Uuid,
    ) -> Result<Option<SubmissionAck>, DistrictError> {
        let client = self.client().await?;
        Ok(cases::find_case(&client, station, id).await?)
    }

    async fn count_cases(&self, station: &str) -> Result<u64, DistrictError> {
        let client = self.client().await?;
        Ok(cases::count_cases(&client, station).await?)
    }

    async fn recent_cases(&self, limit: u32) -> Result<Vec<CaseSummary>, DistrictError> {
        let client = self.client().await?;
        Ok(cases::recent_cases(&client, limit).await?)
    }

    async fn record_status(&self, change: NewStatus) -> Result<StatusChange, DistrictError> {
        let change = NewStatus {
            now: to_micros(change.now),
            ..change
        };
        in_transaction!(self, "record_status", |tx| {
            reference::record_status(&tx, &change).await?
        })
    }

    async fn status_changes(
        &self,
        station: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<StatusChange>, DistrictError> {
        let client = self.client().await?;
        Ok(reference::status_changes(&client, station, after, limit).await?)
    }

    async fn publish_reference(
        &self,
        kind: ReferenceKind,
        reference: Reference,
        now: Timestamp,
    ) -> Result<(), DistrictError> {
        in_transaction!(self, "publish_reference", |tx| {
            reference::publish(&tx, kind, &reference, now).await?
        })
    }

    async fn current_reference(
        &self,
        kind: ReferenceKind,
    ) -> Result<Option<Reference>, DistrictError> {
        let client = self.client().await?;
        Ok(reference::current(&client, kind).await?)
    }
}
