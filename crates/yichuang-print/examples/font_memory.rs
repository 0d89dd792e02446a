//! What the slip fonts cost a process at start and at first need, loaded the way the station
//! loads them (compiled in with `include_bytes!`): time and resident memory (VmRSS, and its
//! anonymous part: the heap; the rest is the program's own pages, fonts included) after
//! loading Noto alone, Noto plus the fallback's coverage, and after the first slip that needs
//! the fallback. Run each mode in a fresh process:
//!
//! `cargo run -p yichuang-print --release --example font_memory -- noto|set|first-rare`

use std::time::Instant;

use yichuang_core::{Applicant, IdType};
use yichuang_print::{AcceptanceSlip, SlipFont, render_acceptance_slip};

static NOTO: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular.otf");
static FALLBACK: &[u8] = include_bytes!("../../../assets/fonts/YichuangHanFallback-Regular.ttf");

/// "RSS x MB (anon y)" of this process.
fn rss_mb() -> anyhow::Result<String> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let mb = |key: &str| -> anyhow::Result<f64> {
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no {key} in /proc/self/status"))?;
        Ok(kb / 1024.0)
    };
    Ok(format!(
        "{:.1} MB (anon {:.1})",
        mb("VmRSS:")?,
        mb("RssAnon:")?
    ))
}

fn slip(name: &str) -> anyhow::Result<AcceptanceSlip> {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let catalogue = yichuang_core::Catalogue::from_json(&std::fs::read_to_string(
        assets.join("demo/catalogue.json"),
    )?)?;
    let item = catalogue
        .items
        .first()
        .ok_or_else(|| anyhow::anyhow!("empty catalogue"))?
        .clone();
    let mut slip = AcceptanceSlip::from_case(
        &yichuang_core::Case {
            id: "01936d2e-6a3b-7c4d-8e5f-000000000007".parse()?,
            case_no: "L440111001-01-20261127-0007".into(),
            official_case_no: None,
            station_code: "440111001".into(),
            item_name: item.name.clone(),
            intake: yichuang_core::IntakeDraft {
                item_code: item.item_code.clone(),
                applicant: Applicant::NaturalPerson {
                    name: name.into(),
                    id_type: IdType::ResidentIdCard,
                    id_no: "11010519491231002X".into(),
                    address: "广州市白云区京溪街道云景路 18 号".into(),
                },
                contact: yichuang_core::ContactInfo {
                    name: name.into(),
                    phone: "13800138000".into(),
                },
                materials: Vec::new(),
                delivery: yichuang_core::DeliveryMethod::Window,
                agent: None,
            },
            clerk: "李晓芸".into(),
            state: yichuang_core::CaseState::Accepted,
            outcome: yichuang_core::CaseOutcome::Accepted,
            accepted_at: "2026-11-27T01:05:00Z".parse()?,
            due_date: None,
            deadline_basis: None,
            sync_state: yichuang_core::SyncState::Pending,
        },
        &item,
        "白云区京溪街道政务服务中心",
        "https://hcp.example.invalid/hcp?c=1".into(),
    );
    slip.materials.clear();
    Ok(slip)
}

fn main() -> anyhow::Result<()> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "set".into());
    let before = rss_mb()?;
    let start = Instant::now();
    let font = match mode.as_str() {
        "noto" => SlipFont::from_bytes(NOTO)?,
        _ => SlipFont::from_bytes(NOTO)?.with_fallback_bytes(FALLBACK)?,
    };
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("{mode}: load {load_ms:.1} ms, RSS {before} → {}", rss_mb()?);
    let ordinary = slip("王堃喆")?;
    let start = Instant::now();
    render_acceptance_slip(&ordinary, &font)?;
    println!(
        "{mode}: first ordinary slip {:.1} ms, RSS {}",
        start.elapsed().as_secs_f64() * 1000.0,
        rss_mb()?
    );
    if mode == "first-rare" {
        let rare = slip("王𠀀𬺰")?;
        let start = Instant::now();
        let pdf = render_acceptance_slip(&rare, &font)?;
        println!(
            "{mode}: first slip needing the fallback {:.1} ms ({} bytes), RSS {}",
            start.elapsed().as_secs_f64() * 1000.0,
            pdf.len(),
            rss_mb()?
        );
        let start = Instant::now();
        render_acceptance_slip(&rare, &font)?;
        println!(
            "{mode}: next such slip {:.1} ms, RSS {}",
            start.elapsed().as_secs_f64() * 1000.0,
            rss_mb()?
        );
    }
    Ok(())
}
