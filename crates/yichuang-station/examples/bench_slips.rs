//! Issue 7 point 7: milliseconds and bytes per slip for every paper a case can print, inside
//! a running station, and one acceptance slip as a whole process (`yichuang-slip`) against
//! the same slip printed from HTML by headless Chromium, in one run. Prints Markdown tables.
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run -p yichuang-station --release --example bench_slips`
//! (Chromium: Debian's `chromium`, `bash .ci/setup --bench-tools` installs it.)

#[path = "bench_slips/cases.rs"]
mod cases;
#[path = "bench_slips/process.rs"]
mod process;

use std::time::{Duration, Instant};

use yichuang_core::SlipKind;
use yichuang_station::Station;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub fn fail(message: String) -> Box<dyn std::error::Error> {
    message.into()
}

/// Slips timed per paper, after one warm-up.
const RUNS: usize = 30;

pub fn median_ms(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(samples[samples.len() / 2]), ms(samples[0]))
}

/// One row of the in-app table: the paper, the case it was printed for, and what it cost.
struct Row {
    kind: SlipKind,
    outcome: &'static str,
    result: std::result::Result<(f64, f64, usize, usize), String>,
}

/// `/Page` names followed by a delimiter (not `/Pages`): one per page object.
fn page_count(pdf: &[u8]) -> usize {
    pdf.windows(6)
        .filter(|w| w.starts_with(b"/Page") && !w[5].is_ascii_alphanumeric())
        .count()
}

fn time_paper(station: &Station, case: &cases::Saved, kind: SlipKind) -> Row {
    let render = || station.render_slip(case.id, kind, None);
    let result = match render() {
        Err(e) => Err(e.message),
        Ok(first) => {
            let mut samples = Vec::with_capacity(RUNS);
            let mut failed = None;
            for _ in 0..RUNS {
                let start = Instant::now();
                match render() {
                    Ok(_) => samples.push(start.elapsed()),
                    Err(e) => failed = Some(e.message),
                }
            }
            let pages = page_count(&first.pdf);
            match failed {
                Some(message) => Err(message),
                None => {
                    let (median, min) = median_ms(samples);
                    Ok((median, min, first.pdf.len(), pages))
                }
            }
        }
    };
    Row {
        kind,
        outcome: case.outcome,
        result,
    }
}

fn main() -> Result<()> {
    let fixture = cases::station()?;
    let saved = cases::save_one_of_each(&fixture.station)?;
    let mut rows = Vec::new();
    for kind in SlipKind::ALL {
        match saved.iter().find(|c| c.papers.contains(&kind)) {
            Some(case) => rows.push(time_paper(&fixture.station, case, kind)),
            None => rows.push(Row {
                kind,
                outcome: "—",
                result: Err(
                    "no case at intake prints it (needs the district's decision and a 送达)".into(),
                ),
            }),
        }
    }
    println!(
        "\n### In the running app: `Station::render_slip(case, kind, None)`, median of {RUNS}\n"
    );
    println!("| paper | case | median ms | min ms | bytes | pages |");
    println!("|---|---|---:|---:|---:|---:|");
    for row in &rows {
        match &row.result {
            Ok((median, min, bytes, pages)) => println!(
                "| {} | {} | {median:.2} | {min:.2} | {bytes} | {pages} |",
                row.kind.label(),
                row.outcome
            ),
            Err(why) => println!(
                "| {} | {} | not available: {why} | | | |",
                row.kind.label(),
                row.outcome
            ),
        }
    }
    let accepted = saved
        .iter()
        .find(|c| c.outcome == "受理")
        .ok_or_else(|| fail("no accepted case".into()))?;
    process::compare(&fixture, accepted)
}
