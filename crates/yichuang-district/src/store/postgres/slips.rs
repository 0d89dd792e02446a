//! What the citizen's pages read on PostgreSQL: the case a slip names (numbers, item, dates,
//! statuses; never the applicant), its station's name and its rating.

use deadpool_postgres::Client;
use uuid::Uuid;

use super::reference::parse_status;
use super::{Fail, read_time};
use crate::store::{CaseProgress, ProvinceCodes, SlipState, StatusStep, StoredEvaluation};

pub(super) async fn slip_state(
    client: &Client,
    station: &str,
    case_no: &str,
) -> Result<SlipState, Fail> {
    let name = client
        .prepare_cached("SELECT name FROM stations WHERE code = $1")
        .await?;
    let station_name = match client.query_opt(&name, &[&station]).await? {
        Some(row) => Some(row.try_get::<_, String>(0)?),
        None => None,
    };
    let case = case_progress(client, station, case_no).await?;
    let by_no = case.as_ref().map_or(case_no, |c| c.case_no.as_str());
    let by_id = case.as_ref().map(|c| c.id);
    let stmt = client
        .prepare_cached(
            "SELECT id, case_id, case_no, item_code, level, comment, channel, score_code,
                    channel_code, rated_at
             FROM evaluations
             WHERE (station_code = $1 AND case_no = $2) OR case_id = $3
             LIMIT 1",
        )
        .await?;
    let evaluation = match client.query_opt(&stmt, &[&station, &by_no, &by_id]).await? {
        None => None,
        Some(row) => {
            let level: i16 = row.try_get(4)?;
            let score: Option<String> = row.try_get(7)?;
            let channel_code: Option<String> = row.try_get(8)?;
            Some(StoredEvaluation {
                id: row.try_get(0)?,
                case_id: row.try_get(1)?,
                case_no: row.try_get(2)?,
                item_code: row.try_get(3)?,
                level: u8::try_from(level).map_err(|_| {
                    crate::DistrictError::Corrupt(format!("评价等级 {level} 无法读取"))
                })?,
                comment: row.try_get(5)?,
                channel: row.try_get(6)?,
                codes: score
                    .zip(channel_code)
                    .map(|(score, channel)| ProvinceCodes { score, channel }),
                rated_at: read_time(row.try_get(9)?)?,
            })
        }
    };
    Ok(SlipState {
        station_name,
        case,
        evaluation,
    })
}

/// The case `station` printed as `case_no` (its own number or the official one).
async fn case_progress(
    client: &Client,
    station: &str,
    case_no: &str,
) -> Result<Option<CaseProgress>, Fail> {
    let find = client
        .prepare_cached(
            "SELECT id, case_no, official_case_no, item_code, body::jsonb ->> 'item_name',
                    received_at
             FROM cases
             WHERE station_code = $1 AND (case_no = $2 OR official_case_no = $2)
             ORDER BY arrival LIMIT 1",
        )
        .await?;
    let Some(row) = client.query_opt(&find, &[&station, &case_no]).await? else {
        return Ok(None);
    };
    let id: Uuid = row.try_get(0)?;
    let steps = client
        .prepare_cached(
            "SELECT status, changed_at, courier FROM status_changes WHERE case_id = $1
             ORDER BY seq",
        )
        .await?;
    let mut statuses = Vec::new();
    for step in client.query(&steps, &[&id]).await? {
        let status: String = step.try_get(0)?;
        statuses.push(StatusStep {
            status: parse_status(&status)?,
            at: read_time(step.try_get(1)?)?,
            courier: step.try_get(2)?,
        });
    }
    Ok(Some(CaseProgress {
        id,
        case_no: row.try_get(1)?,
        official_case_no: row.try_get(2)?,
        item_code: row.try_get(3)?,
        item_name: row.try_get(4)?,
        received_at: read_time(row.try_get(5)?)?,
        statuses,
    }))
}
