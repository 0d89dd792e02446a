//! Rare Han characters on paper (issue 7 point 2): a slip whose applicant, address and a
//! material carry characters only the fallback font has prints them, checked as a reader sees
//! it: pdftotext gives them back, pdffonts shows both fonts as subsets, qpdf finds no fault.

use crate::support;

use std::sync::OnceLock;

use support::*;
use yichuang_core::{Applicant, IdType};
use yichuang_print::{
    AcceptanceSlip, PrintError, SlipFont, render_acceptance_receipt, render_acceptance_slip,
};

/// Noto Sans CJK SC and the fallback, as the app loads them.
fn fonts() -> &'static SlipFont {
    static FONTS: OnceLock<SlipFont> = OnceLock::new();
    FONTS.get_or_init(|| SlipFont::from_assets(assets()).expect("bundled fonts"))
}

/// Ext B 𠀀 and Ext F 𬺰 (fallback only) beside 𠀾 (Ext B, in Noto).
const NAME: &str = "王𠀀𬺰𠀾";
/// Ext C 𪜀, Ext D 𫝀, Ext E 𫠠 (fallback only) and 𡈽 (in Noto).
const ADDRESS: &str = "广州市白云区𪜀𫝀村𫠠组𡈽巷 8 号";
/// 𬎆 (in Noto) and 𠀀 (fallback only).
const MATERIAL: &str = "𬎆𠀀村委会出具的居住证明";

fn rare_slip() -> AcceptanceSlip {
    let mut slip = slip_for(Applicant::NaturalPerson {
        name: NAME.into(),
        id_type: IdType::ResidentIdCard,
        id_no: FULL_ID.into(),
        address: ADDRESS.into(),
    });
    slip.materials[0].name = MATERIAL.into();
    slip
}

/// The fonts `pdffonts` lists: (name, type, emb, sub, uni).
fn pdf_fonts(path: &str) -> Vec<(String, String, String, String, String)> {
    run("pdffonts", &[path])
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 7, "unexpected pdffonts line {line:?}");
            (
                cols[0].to_string(),
                cols[1..n - 6].join(" "),
                cols[n - 5].to_string(),
                cols[n - 4].to_string(),
                cols[n - 3].to_string(),
            )
        })
        .collect()
}

fn assert_both_fonts_embedded_as_subsets(path: &str) {
    let fonts = pdf_fonts(path);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
    for expected in ["+NotoSansCJKsc-Regular", "+YichuangHanFallback-Regular"] {
        let font = fonts
            .iter()
            .find(|f| f.0.contains(expected))
            .unwrap_or_else(|| panic!("no {expected} in {fonts:?}"));
        assert_eq!(
            (font.2.as_str(), font.3.as_str(), font.4.as_str()),
            ("yes", "yes", "yes"),
            "{font:?}: embedded, subset, with /ToUnicode"
        );
    }
}

#[test]
fn rare_characters_print_from_the_fallback_font() {
    let tmp = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("SLIP_KEEP_DIR").map(std::path::PathBuf::from);
    let dir = keep.as_deref().unwrap_or(tmp.path());
    let slip = rare_slip();
    let pdf = render_acceptance_slip(&slip, fonts()).unwrap();
    assert!(pdf.len() < 200 * 1024, "slip is {} bytes", pdf.len());
    let path = write_pdf(dir, "rare-chars.pdf", &pdf);

    let text = run("pdftotext", &["-layout", &path, "-"]);
    for expected in [NAME, "𪜀𫝀村𫠠组𡈽巷", MATERIAL] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_both_fonts_embedded_as_subsets(&path);
    run("qpdf", &["--check", &path]);
    // A render for looking at (kept with SLIP_KEEP_DIR); pdftoppm must read it too.
    let png = dir.join("rare-chars");
    run(
        "pdftoppm",
        &[
            "-r",
            "80",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            &path,
            png.to_str().unwrap(),
        ],
    );
    eprintln!("rare-character slip: {} bytes", pdf.len());
}

#[test]
fn the_receipt_prints_rare_characters_too() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = render_acceptance_receipt(&rare_slip(), fonts(), None).unwrap();
    let path = write_pdf(tmp.path(), "rare-receipt.pdf", &pdf);
    let text = run("pdftotext", &[&path, "-"]);
    assert!(text.contains(NAME), "missing {NAME:?} in:\n{text}");
    assert_both_fonts_embedded_as_subsets(&path);
    run("qpdf", &["--check", &path]);
}

#[test]
fn an_ordinary_slip_does_not_embed_the_fallback() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = render_acceptance_slip(&slip_for(person("王堃喆")), fonts()).unwrap();
    let path = write_pdf(tmp.path(), "ordinary.pdf", &pdf);
    let fonts = pdf_fonts(&path);
    assert_eq!(fonts.len(), 1, "{fonts:?}");
    assert!(fonts[0].0.contains("+NotoSansCJKsc-Regular"), "{fonts:?}");
    assert!(
        !pdf.windows(19).any(|w| w == b"YichuangHanFallback"),
        "the fallback's name is in the PDF"
    );
}

#[test]
fn a_character_neither_font_has_is_refused_with_its_field() {
    // U+E000 (private use) and U+30000 (Ext G, newer than the fallback): in neither font.
    for rare in ['\u{E000}', '\u{30000}'] {
        assert!(!fonts().has_glyph(rare));
        let slip = slip_for(person(&format!("王{rare}𠀀")));
        match render_acceptance_slip(&slip, fonts()) {
            Err(e @ PrintError::UnprintableChars { .. }) => {
                let PrintError::UnprintableChars { field, chars } = &e else {
                    unreachable!()
                };
                assert_eq!(field, "申请人");
                assert_eq!(chars, &vec![rare]);
                let code = format!("U+{:04X}", u32::from(rare));
                assert!(e.to_string().contains(&code), "{e}");
            }
            other => panic!("expected UnprintableChars for {rare:?}, got {other:?}"),
        }
    }
}
