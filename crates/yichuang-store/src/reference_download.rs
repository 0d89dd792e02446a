//! Reference data the sync engine downloads from the district (catalogue, holiday calendar,
//! credit list, clerk accounts): each document is applied in one transaction together with
//! its version, which the next download sends as `If-None-Match`.
//!
//! Versions are rows `reference/<kind>` of `sync_cursor` (kind as in the protocol's path:
//! `catalogue`, `calendar`, `credit-list`, `clerks`).

use jiff::Timestamp;
use rusqlite::OptionalExtension;
use tracing::{info, instrument};
use yichuang_core::{Catalogue, CreditList, HolidayCalendar};

use crate::clerks::{self, DistrictClerk};
use crate::district_status::put_cursor;
use crate::facade::event;
use crate::{Result, Store, StoreError, audit, credit, reference};

/// A downloaded document, parsed as its type.
#[derive(Debug, Clone)]
pub enum DownloadedReference {
    Catalogue(Catalogue),
    Calendar(HolidayCalendar),
    CreditList(CreditList),
    Clerks(Vec<DistrictClerk>),
}

impl DownloadedReference {
    /// The kind as the protocol names it in its path.
    pub fn kind(&self) -> &'static str {
        match self {
            DownloadedReference::Catalogue(_) => "catalogue",
            DownloadedReference::Calendar(_) => "calendar",
            DownloadedReference::CreditList(_) => "credit-list",
            DownloadedReference::Clerks(_) => "clerks",
        }
    }
}

fn stream(kind: &str) -> String {
    format!("reference/{kind}")
}

impl Store {
    /// The version of `kind` last downloaded from the district (None before the first).
    pub fn reference_version(&self, kind: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT cursor FROM sync_cursor WHERE stream = ?1")?
            .query_row([stream(kind)], |r| r.get(0))
            .optional()?)
    }

    /// Makes `doc` the current version of its kind and remembers `version`, in one
    /// transaction. A document the store cannot take (an empty catalogue, a clerk list with
    /// a hash that is not Argon2id) is [`StoreError::InvalidInput`] and changes nothing.
    #[instrument(skip_all, fields(kind = doc.kind(), version), err)]
    pub fn apply_reference(&mut self, version: &str, doc: &DownloadedReference) -> Result<()> {
        let version = version.trim();
        if version.is_empty() {
            return Err(StoreError::InvalidInput(
                "区级系统下发的参考数据没有版本号，未应用".into(),
            ));
        }
        let now = Timestamp::now();
        let kind = doc.kind();
        self.write(|tx| {
            let what = match doc {
                DownloadedReference::Catalogue(c) => {
                    reference::insert_catalogue(tx, c, now)?;
                    "catalogue.downloaded"
                }
                DownloadedReference::Calendar(c) => {
                    reference::insert_calendar(tx, c, now)?;
                    "calendar.downloaded"
                }
                DownloadedReference::CreditList(l) => {
                    credit::insert_list(tx, l, now)?;
                    "credit_list.downloaded"
                }
                DownloadedReference::Clerks(list) => {
                    let (written, disabled) = clerks::upsert_district_list(tx, list, now)?;
                    info!(written, disabled, "clerk accounts from the district");
                    "clerks.downloaded"
                }
            };
            put_cursor(tx, &stream(kind), version, now)?;
            audit::append(tx, event(now, "sync", what, version, "ok"))
        })
    }
}
