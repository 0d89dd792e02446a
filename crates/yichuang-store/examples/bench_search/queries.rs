//! The query kinds, their timing and the query plans (`--explain`).

#[allow(unused_imports)]
use super::*;

pub(crate) struct Kind {
    pub(crate) label: &'static str,
    pub(crate) queries: Vec<CaseQuery>,
}

/// A case drawn at random from the station (a natural person's), as a clerk would look it up.
pub(crate) struct Drawn {
    pub(crate) name: Vec<char>,
    pub(crate) id_no: String,
    pub(crate) case_no: String,
    pub(crate) official: Option<String>,
    pub(crate) item_code: String,
    pub(crate) day: Date,
}

pub(crate) fn draw(raw: &Connection, rng: &mut Rng, max_row: i64) -> Res<Drawn> {
    let mut stmt = raw.prepare_cached(
        "SELECT applicant_name, applicant_id_no, case_no, official_case_no, item_code, accepted_at
         FROM cases WHERE rowid = ?1",
    )?;
    loop {
        let row = 1 + rng.below(max_row as u64) as i64;
        let (name, id_no, case_no, official, item_code, at): (
            String,
            String,
            String,
            Option<String>,
            String,
            String,
        ) = stmt.query_row([row], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        let name: Vec<char> = name.chars().collect();
        if id_no.len() == 18 && id_no[..17].bytes().all(|b| b.is_ascii_digit()) && name.len() >= 3 {
            return Ok(Drawn {
                name,
                id_no,
                case_no,
                official,
                item_code,
                day: time::local_date(at.parse()?),
            });
        }
    }
}

pub(crate) fn text(t: impl Into<String>) -> CaseQuery {
    CaseQuery {
        text: t.into(),
        ..Default::default()
    }
}

/// `per_kind` queries of each kind, values drawn from the station, about one in ten a miss.
pub(crate) fn query_kinds(raw: &Connection, per_kind: usize) -> Res<Vec<Kind>> {
    let max_row: i64 = raw.query_row("SELECT max(rowid) FROM cases", [], |r| r.get(0))?;
    let mut rng = Rng(SEED ^ 0xA11CE);
    type Make = fn(&Drawn, &mut Rng, bool) -> CaseQuery;
    let makers: Vec<(&'static str, Make)> = vec![
        ("queue front page (no text, no filter)", |_, _, _| {
            CaseQuery::default()
        }),
        ("name: surname, 1 char (王)", |d, _, miss| {
            text(if miss {
                "龘".into()
            } else {
                d.name[0].to_string()
            })
        }),
        ("name: given-name piece, 2 chars", |d, _, miss| {
            let n = d.name.len();
            text(if miss {
                "靐龘".into()
            } else {
                d.name[n - 2..].iter().collect::<String>()
            })
        }),
        ("name: full name", |d, _, miss| {
            let name: String = d.name.iter().collect();
            text(if miss { format!("{name}龘") } else { name })
        }),
        ("ID number: full 18", |d, _, miss| {
            text(if miss {
                resident_id("110101", Date::constant(1990, 5, 17), 123)
            } else {
                d.id_no.clone()
            })
        }),
        ("ID number: last 4", |d, _, _| text(&d.id_no[14..])),
        ("ID number: last 6", |d, rng, miss| {
            text(if miss {
                rng.digits(6)
            } else {
                d.id_no[12..].to_string()
            })
        }),
        ("case no: full provisional", |d, _, miss| {
            text(if miss {
                "L440111001-01-20991231-0001".into()
            } else {
                d.case_no.clone()
            })
        }),
        ("case no: start (station-counter-date)", |d, _, miss| {
            text(if miss {
                "L440111001-01-20991231".into()
            } else {
                d.case_no[..22].to_string()
            })
        }),
        // What the queue sees while a clerk types a number: the first characters match
        // nearly every case (every station number starts with its station, every official
        // number with its region).
        ("case no: typed start (L440)", |d, _, _| {
            text(&d.case_no[..4])
        }),
        ("official no: typed start (4401)", |_, _, _| {
            text(&REGION[..4])
        }),
        // The first characters of an older number: a year matches a third of the station,
        // none of it among the newest cases.
        ("case no: typed to a year (…-01-2024)", |d, _, _| {
            text(&d.case_no[..18])
        }),
        ("case no: end, serial (4 digits)", |d, _, _| {
            text(&d.case_no[d.case_no.len() - 4..])
        }),
        ("case no: end, date-serial", |d, _, miss| {
            text(if miss {
                "20991231-0001".into()
            } else {
                d.case_no[14..].to_string()
            })
        }),
        ("official no: end (6 digits)", |d, rng, miss| {
            match &d.official {
                Some(o) if !miss => text(&o[o.len() - 6..]),
                _ => text(format!("9{}", rng.digits(5))),
            }
        }),
        ("filter: item", |d, _, _| CaseQuery {
            item_code: Some(d.item_code.clone()),
            ..Default::default()
        }),
        ("filter: state", |_, rng, _| CaseQuery {
            state: Some(CaseState::ALL[1 + rng.below(5) as usize]),
            ..Default::default()
        }),
        ("filter: one day", |d, _, _| CaseQuery {
            from: Some(d.day),
            to: Some(d.day),
            ..Default::default()
        }),
        ("filter: one month", |d, _, _| CaseQuery {
            from: Some(d.day.first_of_month()),
            to: Some(d.day.last_of_month()),
            ..Default::default()
        }),
        ("item + month + name piece", |d, rng, miss| {
            let n = d.name.len();
            let piece: String = match rng.below(3) {
                _ if miss => "龘".into(),
                0 => d.name[0].to_string(),
                1 => d.name[n - 2..].iter().collect(),
                _ => d.name.iter().collect(),
            };
            CaseQuery {
                text: piece,
                item_code: Some(d.item_code.clone()),
                from: Some(d.day.first_of_month()),
                to: Some(d.day.last_of_month()),
                ..Default::default()
            }
        }),
    ];
    let mut kinds: Vec<Kind> = makers
        .iter()
        .map(|(label, _)| Kind {
            label,
            queries: Vec::with_capacity(per_kind),
        })
        .collect();
    for _ in 0..per_kind {
        let drawn = draw(raw, &mut rng, max_row)?;
        for (kind, (_, make)) in kinds.iter_mut().zip(&makers) {
            let miss = rng.chance(0.1);
            kind.queries.push(make(&drawn, &mut rng, miss));
        }
    }
    Ok(kinds)
}

/// One query as timed: `search_cases`, or with `queue` what the queue window asks for a
/// keystroke, `search_page` (the total and the first page of 100 rows).
fn search(store: &Store, q: &CaseQuery, queue: bool) -> Res<usize> {
    if queue {
        let q = CaseQuery {
            limit: 100,
            ..q.clone()
        };
        Ok(store.search_page(&q)?.0.len())
    } else {
        Ok(store.search_cases(q)?.len())
    }
}

/// Runs every kind's queries interleaved (one of each kind in turn), after a warm-up round.
pub(crate) fn run(store: &Store, kinds: &[Kind], queue: bool) -> Res<()> {
    let per_kind = kinds[0].queries.len();
    for kind in kinds {
        for q in kind.queries.iter().take(10) {
            search(store, q, queue)?;
        }
    }
    let mut times = vec![Vec::with_capacity(per_kind); kinds.len()];
    let mut rows = vec![(0usize, 0usize); kinds.len()];
    for i in 0..per_kind {
        for (k, kind) in kinds.iter().enumerate() {
            let t = Instant::now();
            let found = search(store, &kind.queries[i], queue)?;
            times[k].push(t.elapsed());
            rows[k].0 += found;
            rows[k].1 += usize::from(found == 0);
        }
    }
    println!(
        "\n{per_kind} queries per kind, interleaved; {}; target p95 < {} ms\n",
        if queue {
            "the queue window's search_page: total + first 100 rows"
        } else {
            "limit 50 (the default)"
        },
        TARGET_P95.as_millis()
    );
    println!(
        "{:<40} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "kind", "p50 ms", "p95 ms", "max ms", "rows avg", "empty"
    );
    let mut over = Vec::new();
    for (k, kind) in kinds.iter().enumerate() {
        let t = &mut times[k];
        t.sort_unstable();
        let p = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        let flag = if p(0.95) >= TARGET_P95 {
            over.push(kind.label);
            "  OVER"
        } else {
            ""
        };
        println!(
            "{:<40} {:>8.2} {:>8.2} {:>8.2} {:>9.1} {:>6.0}%{flag}",
            kind.label,
            ms(p(0.5)),
            ms(p(0.95)),
            ms(p(1.0)),
            rows[k].0 as f64 / per_kind as f64,
            100.0 * rows[k].1 as f64 / per_kind as f64,
        );
    }
    if over.is_empty() {
        println!("\nevery kind meets p95 < {} ms", TARGET_P95.as_millis());
    } else {
        println!("\nover target: {}", over.join("; "));
    }
    Ok(())
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Prints the plan of each SQL statement the store runs for `q` (the store's own SQL).
pub(crate) fn explain(store: &Store, label: &str, q: &CaseQuery) -> Res<()> {
    println!("\n== {label}: {q:?}");
    for (sql, plan) in store.search_plans(q)? {
        println!("  {sql}");
        for detail in plan {
            println!("     {detail}");
        }
    }
    Ok(())
}
