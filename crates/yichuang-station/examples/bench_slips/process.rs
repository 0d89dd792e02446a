//! The whole-process comparison: `yichuang-slip render` (start, load the font, render one
//! acceptance slip, write the PDF) against headless Chromium printing the same slip from HTML
//! (same fields, same font, the QR codes inline), alternated so both see the same load.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
use yichuang_station::provision::shipped_catalogue;

use crate::cases::{Fixture, Saved};
use crate::{Result, fail, median_ms};

/// Whole processes run per side.
const RUNS: usize = 7;

fn run(command: &mut Command) -> Result<Duration> {
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    let took = start.elapsed();
    if !status.success() {
        return Err(fail(format!("{command:?} failed: {status}")));
    }
    Ok(took)
}

/// The slip's input file: the saved case, its item, the station's name and a payload signed
/// like the station's (with a key made here: same form and length).
fn write_input(fixture: &Fixture, accepted: &Saved, path: &Path) -> Result<()> {
    let case = fixture
        .station
        .store()
        .lock()
        .map_err(|_| fail("store lock poisoned".into()))?
        .get_case(accepted.id)?
        .ok_or_else(|| fail("accepted case not found".into()))?;
    let catalogue = shipped_catalogue().map_err(|e| fail(e.message))?;
    let item = catalogue
        .item(&case.intake.item_code)
        .ok_or_else(|| fail("item not in the catalogue".into()))?;
    let settings = fixture.station.settings();
    let payload = EvaluationQr {
        station_code: settings.station_code.as_str().to_string(),
        case_no: case.case_no.clone(),
        item_code: item.item_code.clone(),
        region_code: settings.region_code.clone(),
        channel: "qr".into(),
    }
    .to_payload(&settings.evaluation_base_url, &QrSigningKey::generate()?);
    let input = serde_json::json!({
        "case": case,
        "item": item,
        "station_name": settings.station_name,
        "evaluation_payload": payload,
    });
    std::fs::write(path, serde_json::to_vec_pretty(&input)?)?;
    Ok(())
}

fn slip_binary(root: &Path) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(Command::new(cargo).current_dir(root).args([
        "build",
        "--release",
        "--quiet",
        "-p",
        "yichuang-slip",
    ]))?;
    let exe = std::env::current_exe()?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| fail("no target dir".into()))?;
    Ok(release.join("yichuang-slip"))
}

pub fn compare(fixture: &Fixture, accepted: &Saved) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()?;
    let font = root.join("assets/fonts/NotoSansCJKsc-Regular.otf");
    let out = root.join("target/bench-slips");
    std::fs::create_dir_all(&out)?;
    let input = fixture.dir.path().join("slip.json");
    write_input(fixture, accepted, &input)?;
    let slip = slip_binary(&root)?;
    let html = out.join("slip.html");
    run(Command::new(&slip)
        .arg("html")
        .arg(&input)
        .arg("-o")
        .arg(&html)
        .arg("--font")
        .arg(&font))?;
    let ours_pdf = out.join("yichuang-slip.pdf");
    let chromium_pdf = out.join("chromium.pdf");
    let (mut ours, mut chromium) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        ours.push(run(Command::new(&slip)
            .arg("render")
            .arg(&input)
            .arg("-o")
            .arg(&ours_pdf)
            .arg("--font")
            .arg(&font))?);
        // Without the keyring wrapper's D-Bus session: Chromium would start desktop portals
        // there, which a browser-based client on a headless machine does not pay for.
        chromium.push(run(Command::new("chromium")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--print-to-pdf={}", chromium_pdf.display()))
            .arg(&html))?);
    }
    let ours_bytes = std::fs::metadata(&ours_pdf)?.len();
    let chromium_bytes = std::fs::metadata(&chromium_pdf)?.len();
    let (ours_median, ours_min) = median_ms(ours);
    let (chromium_median, chromium_min) = median_ms(chromium);
    println!(
        "\n### Whole process, one acceptance slip (受理通知书), median of {RUNS} each, alternated\n"
    );
    println!("| process | median ms | min ms | PDF bytes |");
    println!("|---|---:|---:|---:|");
    println!(
        "| `yichuang-slip render` (start, load font, render, write) | {ours_median:.1} | {ours_min:.1} | {ours_bytes} |"
    );
    println!(
        "| `chromium --headless --print-to-pdf` (same slip as HTML) | {chromium_median:.1} | {chromium_min:.1} | {chromium_bytes} |"
    );
    println!(
        "\nChromium / yichuang-slip: **{:.1}×** (medians), {:.1}× (minimums). PDFs and HTML in {}",
        chromium_median / ours_median,
        chromium_min / ours_min,
        out.display()
    );
    Ok(())
}
