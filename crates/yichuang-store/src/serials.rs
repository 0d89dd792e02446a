//! Provisional case serials per (station, counter, local day), kept in the database so they
//! survive restarts and never repeat.

use jiff::civil::Date;
use rusqlite::{Transaction, params};
use yichuang_core::StationCode;

use crate::{Result, StoreError};

/// Reserves the next serial (from 1) inside the caller's transaction.
pub(crate) fn next(
    tx: &Transaction<'_>,
    station: &StationCode,
    counter: u8,
    day: Date,
) -> Result<u32> {
    let serial: i64 = tx.prepare_cached("INSERT INTO case_serials (station_code, counter, day, last_serial) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (station_code, counter, day) DO UPDATE SET last_serial = last_serial + 1
         RETURNING last_serial")?.query_row(params![station.as_str(), counter, day.to_string()],
        |r| r.get(0),
    )?;
    u32::try_from(serial).map_err(|_| StoreError::Corrupt(format!("办件流水号 {serial} 超出范围")))
}
