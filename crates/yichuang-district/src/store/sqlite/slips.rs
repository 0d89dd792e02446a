//! What the citizen's pages read on SQLite: the case a slip names (numbers, item, dates,
//! statuses; never the applicant), its station's name and its rating.

use rusqlite::{Connection, OptionalExtension, params};

use super::reference::parse_status;
use super::{parse_ts, read_uuid};
use crate::DistrictError;
use crate::store::{CaseProgress, ProvinceCodes, SlipState, StatusStep, StoredEvaluation};

pub(super) fn slip_state(
    conn: &Connection,
    station: &str,
    case_no: &str,
) -> Result<SlipState, DistrictError> {
    let station_name: Option<String> = conn
        .prepare_cached("SELECT name FROM stations WHERE code = ?1")?
        .query_row([station], |r| r.get(0))
        .optional()?;
    let case = case_progress(conn, station, case_no)?;
    let by_no = case.as_ref().map_or(case_no, |c| c.case_no.as_str());
    let by_id = case.as_ref().map(|c| c.id.to_string());
    let row = conn
        .prepare_cached(
            "SELECT id, case_id, case_no, item_code, level, comment, channel, score_code,
                    channel_code, rated_at
             FROM evaluations
             WHERE (station_code = ?1 AND case_no = ?2) OR case_id = ?3
             LIMIT 1",
        )?
        .query_row(params![station, by_no, by_id], |r| {
            Ok((
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u8>(4)?,
                ),
                (
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                ),
            ))
        })
        .optional()?;
    let evaluation = match row {
        None => None,
        Some((
            (id, case_id, case_no, item_code, level),
            (comment, channel, score, channel_code, rated_at),
        )) => Some(StoredEvaluation {
            id: read_uuid(&id)?,
            case_id: case_id.as_deref().map(read_uuid).transpose()?,
            case_no,
            item_code,
            level,
            comment,
            channel,
            codes: score
                .zip(channel_code)
                .map(|(score, channel)| ProvinceCodes { score, channel }),
            rated_at: parse_ts(&rated_at)?,
        }),
    };
    Ok(SlipState {
        station_name,
        case,
        evaluation,
    })
}

/// The case `station` printed as `case_no` (its own number or the official one).
fn case_progress(
    conn: &Connection,
    station: &str,
    case_no: &str,
) -> Result<Option<CaseProgress>, DistrictError> {
    let row = conn
        .prepare_cached(
            "SELECT id, case_no, official_case_no, item_code,
                    json_extract(body, '$.item_name'), received_at
             FROM cases
             WHERE station_code = ?1 AND (case_no = ?2 OR official_case_no = ?2)
             ORDER BY rowid LIMIT 1",
        )?
        .query_row(params![station, case_no], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .optional()?;
    let Some((id, case_no, official_case_no, item_code, item_name, received_at)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT status, changed_at, courier FROM status_changes WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut statuses = Vec::new();
    for row in rows {
        let (status, at, courier) = row?;
        statuses.push(StatusStep {
            status: parse_status(&status)?,
            at: parse_ts(&at)?,
            courier,
        });
    }
    Ok(Some(CaseProgress {
        id: read_uuid(&id)?,
        case_no,
        official_case_no,
        item_code,
        item_name,
        received_at: parse_ts(&received_at)?,
        statuses,
    }))
}
