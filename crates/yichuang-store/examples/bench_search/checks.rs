//! Checks the generated station through the store before anything is measured.

#[allow(unused_imports)]
use super::*;

/// The generated rows read back through the store: equal cases, found by search, chain intact.
pub(crate) fn verify(store: &Store, summary: &Summary) -> Res<()> {
    let t = Instant::now();
    for (case, _) in &summary.samples {
        let stored = store.get_case(case.id)?.ok_or("sample case missing")?;
        if &stored != case {
            return Err(format!("case {} reads back differently", case.case_no).into());
        }
        let day = time::local_date(case.accepted_at);
        let texts = [
            case.case_no.clone(),
            case.intake.applicant.name().to_string(),
            case.intake.applicant.id().1.to_string(),
        ];
        for text in texts.iter().chain(&case.official_case_no) {
            let found = store.search_cases(&CaseQuery {
                text: text.clone(),
                from: Some(day),
                to: Some(day),
                limit: 200,
                ..Default::default()
            })?;
            if !found.iter().any(|c| c.id == case.id) {
                return Err(format!("search for {text} misses case {}", case.case_no).into());
            }
        }
    }
    let (pending, quarantined) = store.outbox_counts()?;
    if (pending, quarantined) != (summary.pending, summary.quarantined) {
        return Err("outbox counts differ".into());
    }
    let chain = store.verify_audit_chain()?;
    println!(
        "checked {} sample cases (get_case equal, found by number, name, ID), outbox \
         {pending}+{quarantined}, audit chain of {chain} rows ({} generated) in {:.0} s",
        summary.samples.len(),
        summary.audit_rows,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A quick check of a cached station: a few cases read back and found by their number.
pub(crate) fn spot_check(store: &Store, raw: &Connection) -> Res<()> {
    let mut stmt = raw.prepare("SELECT id, case_no FROM cases WHERE rowid % 100003 = 7")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, case_no) in &rows {
        let case = store
            .get_case(Uuid::parse_str(id)?)?
            .ok_or("case missing")?;
        let found = store.find_cases(case_no)?;
        if case.case_no != *case_no || found.first().map(|c| c.id) != Some(case.id) {
            return Err(format!("spot check failed for {case_no}").into());
        }
    }
    Ok(())
}
