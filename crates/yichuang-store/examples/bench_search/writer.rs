//! Writes generated cases through a raw keyed connection, in the shape the store writes them.

#[allow(unused_imports)]
use super::*;

/// Writes generated cases in the store's shape. Each statement mirrors a store function:
/// `cases::insert` (the row and its search keys, with `search::reversed` numbers; created_at
/// and updated_at differ only when a later supplement or sync updated the row, as
/// `cases::update_decision` / `cases::mark_synced` would), `search::index_name` (its DELETE is
/// left out: a new row has no pieces yet), `outbox::enqueue` / `outbox::fail`, `audit::append`
/// (same hash chain, checked by `Store::verify_audit_chain` afterwards) and `serials::next`.
/// Keep them in step with those functions (and bump GENERATOR_VERSION) when they change.
pub(crate) struct Writer {
    pub(crate) audit_id: i64,
    pub(crate) audit_hash: String,
}

impl Writer {
    pub(crate) fn start(conn: &Connection) -> Res<Self> {
        let (audit_id, audit_hash) = conn.query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Self {
            audit_id,
            audit_hash,
        })
    }

    /// Writes one case; returns how many audit rows it added.
    pub(crate) fn write(&mut self, tx: &Transaction<'_>, g: &Generated) -> Res<u64> {
        let case = &g.case;
        let (_, id_no) = case.intake.applicant.id();
        let open_supplement = match &case.outcome {
            CaseOutcome::AcceptedTolerant {
                supplement_by,
                supplemented_at: None,
                ..
            } => Some(supplement_by.to_string()),
            _ => None,
        };
        tx.prepare_cached(
            "INSERT INTO cases (id, case_no, official_case_no, station_code, item_code, item_name,
                intake_json, clerk, state, accepted_at, due_date, deadline_basis_json, sync_state,
                revision, created_at, updated_at, outcome_json, applicant_name, applicant_id_no,
                supplement_by, case_no_rev, official_case_no_rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22)",
        )?
        .execute(params![
            case.id.to_string(),
            case.case_no,
            case.official_case_no,
            case.station_code,
            case.intake.item_code,
            case.item_name,
            serde_json::to_string(&case.intake)?,
            case.clerk,
            enum_name(case.state)?,
            ts_sql(case.accepted_at),
            case.due_date.map(|d| d.to_string()),
            case.deadline_basis
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
            enum_name(case.sync_state)?,
            g.revision,
            ts_sql(case.accepted_at),
            ts_sql(g.updated_at),
            serde_json::to_string(&case.outcome)?,
            case.intake.applicant.name(),
            id_no,
            open_supplement,
            reversed(&case.case_no),
            case.official_case_no.as_deref().map(reversed),
        ])?;
        let row = tx.last_insert_rowid();
        let mut grams = tx.prepare_cached(
            "INSERT OR IGNORE INTO case_name_grams (gram, accepted_at, case_row) VALUES (?1, ?2, ?3)",
        )?;
        let at = ts_sql(case.accepted_at);
        for gram in name_grams(case.intake.applicant.name()) {
            grams.execute(params![gram, at, row])?;
        }
        if case.sync_state != SyncState::Synced {
            let quarantined = case.sync_state == SyncState::Quarantined;
            tx.prepare_cached(
                "INSERT INTO outbox (case_id, revision, attempts, last_error, next_attempt_at,
                    quarantined) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                case.id.to_string(),
                g.revision,
                i64::from(quarantined),
                quarantined.then_some("区级系统拒收：与已有办件内容不一致"),
                ts_sql(g.updated_at),
                quarantined,
            ])?;
        }
        let event = match case.outcome {
            CaseOutcome::Accepted => "case.accepted",
            CaseOutcome::AcceptedTolerant { .. } => "case.accepted_tolerant",
            CaseOutcome::CorrectionRequested { .. } => "case.correction_requested",
            CaseOutcome::Rejected { .. } => "case.rejected",
            CaseOutcome::CompletedOnSpot { .. } => "case.completed_on_spot",
        };
        self.audit(tx, case.accepted_at, g.clerk_login, event, &case.case_no)?;
        for (when, event, target) in &g.later_events {
            let actor = if *event == "case.synced" {
                "sync"
            } else {
                g.clerk_login
            };
            self.audit(tx, *when, actor, event, target)?;
        }
        Ok(1 + g.later_events.len() as u64)
    }

    pub(crate) fn audit(
        &mut self,
        tx: &Transaction<'_>,
        at: Timestamp,
        actor: &str,
        event: &str,
        target: &str,
    ) -> Res<()> {
        let id = self.audit_id + 1;
        let at = ts_sql(at);
        let mut h = Sha256::new();
        h.update(b"yichuang-audit-v1");
        h.update(id.to_be_bytes());
        for part in [at.as_str(), actor, event, target, "ok", &self.audit_hash] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let hash = hex::encode(h.finalize());
        tx.prepare_cached(
            "INSERT INTO audit_log (id, at, actor, event, target, result, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            at,
            actor,
            event,
            target,
            "ok",
            self.audit_hash,
            hash
        ])?;
        self.audit_id = id;
        self.audit_hash = hash;
        Ok(())
    }

    pub(crate) fn serial(&self, tx: &Transaction<'_>, day: Date, last: u64) -> Res<()> {
        if last > 0 {
            tx.execute(
                "INSERT INTO case_serials (station_code, counter, day, last_serial) VALUES (?1, ?2, ?3, ?4)",
                params![STATION, COUNTER, day.to_string(), last as i64],
            )?;
        }
        Ok(())
    }
}

/// Mirrors `timefmt::ts_to_sql`.
pub(crate) fn ts_sql(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Mirrors `cases::enum_to_sql`.
pub(crate) fn enum_name<T: serde::Serialize>(value: T) -> Res<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(format!("not a unit enum: {other}").into()),
    }
}

/// Mirrors `search::reversed`.
pub(crate) fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// Mirrors `search::name_grams`.
pub(crate) fn name_grams(name: &str) -> Vec<String> {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut seen = HashSet::new();
    let unigrams = chars.iter().map(|c| c.to_string());
    let bigrams = chars.windows(2).map(|w| w.iter().collect::<String>());
    unigrams
        .chain(bigrams)
        .filter(|g| seen.insert(g.clone()))
        .collect()
}
