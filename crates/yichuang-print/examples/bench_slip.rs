//! Times building one acceptance slip in-process (median of 50) against a one-line baseline
//! PDF with the same subset font, and prints the slip's size.
//!
//! `cargo run -p yichuang-print --release --example bench_slip`

use std::path::Path;
use std::time::{Duration, Instant};

use printpdf::{Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};
use yichuang_core::{
    Applicant, CalendarBasis, Case, CaseState, Catalogue, ContactInfo, DeliveryMethod, IdType,
    IntakeDraft, MaterialForm, ReceivedMaterial, SyncState,
};
use yichuang_print::{AcceptanceSlip, BUNDLED_FONT, SlipFont, render_acceptance_slip};

const RUNS: usize = 50;

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

fn time<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(f());
        samples.push(start.elapsed());
    }
    (median(samples), last.expect("RUNS > 0"))
}

/// One line of text in the same font: the fixed cost of a PDF with a subset CJK font.
fn baseline(font: &printpdf::ParsedFont) -> Vec<u8> {
    let mut doc = PdfDocument::new("baseline");
    let id = doc.add_font(font);
    let ops = vec![
        Op::StartTextSection,
        Op::SetFont {
            font: PdfFontHandle::External(id),
            size: Pt(12.0),
        },
        Op::SetTextCursor {
            pos: Point::new(Mm(20.0), Mm(270.0)),
        },
        Op::ShowText {
            items: vec![TextItem::Text("受理回执".into())],
        },
        Op::EndTextSection,
    ];
    let page = PdfPage::new(Mm(210.0), Mm(297.0), ops);
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    doc.with_pages(vec![page]).save(&opts, &mut Vec::new())
}

fn main() -> anyhow::Result<()> {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let start = Instant::now();
    let font = SlipFont::from_path(assets.join(BUNDLED_FONT))?;
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let raw = std::fs::read(assets.join(BUNDLED_FONT))?;
    let parsed = printpdf::ParsedFont::from_bytes(&raw, 0, &mut Vec::new())
        .ok_or_else(|| anyhow::anyhow!("font does not parse"))?;

    let catalogue = Catalogue::from_json(&std::fs::read_to_string(
        assets.join("demo/catalogue.json"),
    )?)?;
    let item = catalogue
        .items
        .first()
        .ok_or_else(|| anyhow::anyhow!("empty catalogue"))?
        .clone();
    let case = Case {
        id: "01936d2e-6a3b-7c4d-8e5f-000000000007".parse()?,
        case_no: "L440111001-01-20261127-0007".into(),
        official_case_no: None,
        station_code: "440111001".into(),
        item_name: item.name.clone(),
        intake: IntakeDraft {
            item_code: item.item_code.clone(),
            applicant: Applicant::NaturalPerson {
                name: "王堃喆".into(),
                id_type: IdType::ResidentIdCard,
                id_no: "11010519491231002X".into(),
                address: "广州市白云区京溪街道云景路 18 号 3 栋 502 房".into(),
            },
            contact: ContactInfo {
                name: "王堃喆".into(),
                phone: "13800138000".into(),
            },
            materials: ["M01", "M02", "M03"]
                .map(|code| ReceivedMaterial {
                    code: code.into(),
                    form: MaterialForm::Original,
                    count: 1,
                })
                .to_vec(),
            delivery: DeliveryMethod::Window,
            agent: None,
        },
        clerk: "李晓芸".into(),
        state: CaseState::Accepted,
        outcome: yichuang_core::CaseOutcome::Accepted,
        accepted_at: "2026-11-27T01:05:00Z".parse()?,
        due_date: Some("2026-12-11".parse()?),
        deadline_basis: Some(CalendarBasis::Calendar {
            version: "default-2026.1".into(),
        }),
        sync_state: SyncState::Pending,
    };
    let payload = format!(
        "https://hcp.example.invalid/e?v=1&c={}&i={}&s=440111001&sig=0123456789abcdef0123456789abcdef",
        case.id, item.item_code
    );

    let build = || {
        let slip =
            AcceptanceSlip::from_case(&case, &item, "白云区京溪街道政务服务中心", payload.clone());
        render_acceptance_slip(&slip, &font)
    };
    let start = Instant::now();
    build()?;
    let first_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (base_ms, base_pdf) = time(|| baseline(&parsed));
    let (slip_ms, pdf) = time(build);
    let pdf = pdf?;
    println!("font load (once):           {load_ms:8.1} ms");
    println!("first slip (cold glyphs):   {first_ms:8.2} ms");
    println!(
        "baseline one-line PDF:      {base_ms:8.2} ms median of {RUNS}, {} bytes",
        base_pdf.len()
    );
    println!(
        "acceptance slip (build+PDF):{slip_ms:8.2} ms median of {RUNS}, {} bytes",
        pdf.len()
    );
    println!("slip / baseline:            {:8.2}x", slip_ms / base_ms);
    Ok(())
}
