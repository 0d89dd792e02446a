//! Read queries over the evaluations (好差评) for the hall manager: counts per level, per item
//! and per clerk, and the citizens' comments, over a range of rating times.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::params;
use yichuang_core::EvaluationLevel;

use crate::timefmt::{ts_from_sql, ts_to_sql};
use crate::{Result, Store, StoreError};

/// One group's ratings: how many at each level, best first (index 0 = 非常满意).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedGroup {
    pub key: String,
    pub label: String,
    pub levels: [u64; 5],
}

impl RatedGroup {
    pub fn total(&self) -> u64 {
        self.levels.iter().sum()
    }
}

/// A citizen's comment with what it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedComment {
    pub case_no: String,
    pub item_name: String,
    pub clerk: String,
    pub level: EvaluationLevel,
    pub comment: String,
    pub rated_at: Timestamp,
}

/// The ratings given in a range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EvaluationCounts {
    /// How many at each level, best first.
    pub levels: [u64; 5],
    /// Most rated first.
    pub by_item: Vec<RatedGroup>,
    /// By the clerk's name as the rated case keeps it; most rated first.
    pub by_clerk: Vec<RatedGroup>,
    /// Newest first, at most the limit asked for.
    pub comments: Vec<RatedComment>,
}

const GROUPS: &str = "SELECT c.item_code, c.item_name, c.clerk, e.level, count(*)
    FROM evaluations e JOIN cases c ON c.id = e.case_id
    WHERE e.rated_at >= ?1 AND e.rated_at < ?2
    GROUP BY c.item_code, c.item_name, c.clerk, e.level";

const COMMENTS: &str = "SELECT c.case_no, c.item_name, c.clerk, e.level, e.comment, e.rated_at
    FROM evaluations e JOIN cases c ON c.id = e.case_id
    WHERE e.rated_at >= ?1 AND e.rated_at < ?2 AND coalesce(trim(e.comment), '') <> ''
    ORDER BY e.rated_at DESC LIMIT ?3";

fn level(code: i64) -> Result<EvaluationLevel> {
    u8::try_from(code)
        .map_err(|_| code.to_string())
        .and_then(EvaluationLevel::from_code)
        .map_err(|e| StoreError::Corrupt(format!("评价等级无法识别（{e}）")))
}

impl Store {
    /// Counts the ratings given in `[from, to)` and reads up to `comment_limit` comments.
    pub fn evaluation_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        comment_limit: usize,
    ) -> Result<EvaluationCounts> {
        let (from, to) = (ts_to_sql(from), ts_to_sql(to));
        let mut counts = EvaluationCounts::default();
        let mut items: BTreeMap<String, RatedGroup> = BTreeMap::new();
        let mut clerks: BTreeMap<String, RatedGroup> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(GROUPS)?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(row) = rows.next()? {
            let (code, name, clerk): (String, String, String) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            let at = usize::from(level(row.get(3)?)?.code() - 1);
            let n = u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0);
            counts.levels[at] += n;
            for (map, key, label) in [
                (&mut items, code, name),
                (&mut clerks, clerk.clone(), clerk),
            ] {
                map.entry(key.clone())
                    .or_insert_with(|| RatedGroup {
                        key,
                        label,
                        levels: [0; 5],
                    })
                    .levels[at] += n;
            }
        }
        counts.by_item = most_rated(items);
        counts.by_clerk = most_rated(clerks);
        let limit = i64::try_from(comment_limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(COMMENTS)?;
        let mut rows = stmt.query(params![from, to, limit])?;
        while let Some(row) = rows.next()? {
            counts.comments.push(RatedComment {
                case_no: row.get(0)?,
                item_name: row.get(1)?,
                clerk: row.get(2)?,
                level: level(row.get(3)?)?,
                comment: row.get::<_, String>(4)?.trim().to_string(),
                rated_at: ts_from_sql(&row.get::<_, String>(5)?)?,
            });
        }
        Ok(counts)
    }
}

fn most_rated(groups: BTreeMap<String, RatedGroup>) -> Vec<RatedGroup> {
    let mut groups: Vec<RatedGroup> = groups.into_values().collect();
    groups.sort_by(|a, b| b.total().cmp(&a.total()).then_with(|| a.key.cmp(&b.key)));
    groups
}
