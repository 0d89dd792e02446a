//! Unit tests of the font set: coverage without parsing, the face that draws each character,
//! widths from the right face, and text split into runs by face on the canvas.

use super::*;
use crate::canvas::Canvas;
use printpdf::{FontId, Op, PdfFontHandle, TextItem};

fn assets() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// The bundled set, loaded fresh (each test sees whether the fallback got parsed).
fn set() -> SlipFont {
    SlipFont::from_assets(assets()).unwrap()
}

/// 𠀀 (Ext B), 𪜀 (Ext C), 𫝀 (Ext D), 𫠠 (Ext E), 𬺰 (Ext F), 並 (compatibility): none in Noto.
const FALLBACK_ONLY: &str = "𠀀𪜀𫝀𫠠𬺰\u{FA70}";

#[test]
fn font_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SlipFont>();
}

#[test]
fn garbage_bytes_are_a_parse_error() {
    assert!(matches!(
        SlipFont::from_bytes(b"not a font at all"),
        Err(PrintError::FontParse { .. })
    ));
}

#[test]
fn missing_file_names_the_path() {
    let err = SlipFont::from_path("/nonexistent/slip-font.otf").unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/slip-font.otf"),
        "{err}"
    );
}

#[test]
fn missing_fallback_file_names_the_path() {
    let primary = SlipFont::from_path(assets().join(BUNDLED_FONT)).unwrap();
    let err = primary
        .with_fallback_file("/nonexistent/fallback.ttf")
        .unwrap_err();
    assert!(matches!(err, PrintError::FontRead { .. }), "{err:?}");
    assert!(
        err.to_string().contains("/nonexistent/fallback.ttf"),
        "{err}"
    );
}

#[test]
fn the_fallback_covers_what_noto_lacks_without_being_parsed() {
    let primary = SlipFont::from_path(assets().join(BUNDLED_FONT)).unwrap();
    let set = set();
    for c in FALLBACK_ONLY.chars() {
        assert!(!primary.has_glyph(c), "{c} is in Noto: pick another");
        assert!(set.has_glyph(c), "{c} U+{:X}", u32::from(c));
    }
    // In Noto already: 𠀾 𡈽 𬎆 and the common rare ones.
    for c in "𠀾𡈽𬎆堃喆䶮".chars() {
        assert!(primary.has_glyph(c), "{c}");
    }
    assert!(
        set.missing_chars(&format!("王{FALLBACK_ONLY}𠀾"))
            .is_empty()
    );
    assert!(set.loaded_fallback().is_none(), "coverage must not parse");
    // Private use, unassigned, and Ext G (newer than the fallback): still refused.
    let refused = ['\u{E000}', '\u{F1234}', '\u{2EBF0}', '\u{30000}'];
    let text: String = refused.iter().collect();
    assert_eq!(set.missing_chars(&format!("王{text}王")), refused.to_vec());
}

#[test]
fn each_character_comes_from_the_first_face_that_has_it() {
    let set = set();
    let (face, _, _) = set.face_for('王').unwrap().unwrap();
    assert_eq!(face, Face::Primary);
    assert!(set.loaded_fallback().is_none());
    let (face, drawn_by, glyph) = set.face_for('𠀀').unwrap().unwrap();
    assert_eq!(face, Face::Fallback);
    assert!(glyph.gid != 0);
    assert!(std::ptr::eq(drawn_by, set.loaded_fallback().unwrap()));
    assert!(set.face_for('\u{E000}').unwrap().is_none());
    // Ideographs are one em wide in both faces (1000 and 1024 units per em).
    for c in ['王', '𠀀', '𬺰'] {
        let w = set.char_width_pt(c, 10.0);
        assert!((w - 10.0).abs() < 0.01, "{c}: {w}");
    }
    assert!((set.width_pt("王𠀀王", 12.0) - 36.0).abs() < 0.01);
}

#[test]
fn canvas_splits_text_into_runs_by_face() {
    let set = set();
    let primary_id = FontId::new();
    let mut canvas = Canvas::new(&set, primary_id.clone());
    canvas.text(20.0, 30.0, 12.0, "王小明").unwrap();
    assert_eq!(canvas.fonts().len(), 1, "ordinary text needs no fallback");
    canvas.text(20.0, 40.0, 12.0, "王𠀀𪜀明 住址").unwrap();
    let fonts = canvas.fonts();
    assert_eq!(fonts.len(), 2);
    let fallback_id = fonts[1].0.clone();
    assert_ne!(fallback_id, primary_id);
    assert!(std::ptr::eq(fonts[1].1, set.loaded_fallback().unwrap()));
    let ops = canvas.finish().concat();
    // Runs in order: 王 (primary), 𠀀𪜀 (fallback), 明 住址 (primary).
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut current = None;
    for op in &ops {
        match op {
            Op::SetFont {
                font: PdfFontHandle::External(id),
                ..
            } => current = Some(id.clone()),
            Op::ShowText { items } => {
                let text: String = items
                    .iter()
                    .flat_map(|i| match i {
                        TextItem::GlyphIds(g) => g.iter().filter_map(|g| g.cid.clone()).collect(),
                        _ => Vec::new(),
                    })
                    .collect();
                let face = if current.as_ref() == Some(&fallback_id) {
                    "fallback"
                } else {
                    assert_eq!(current.as_ref(), Some(&primary_id));
                    "primary"
                };
                runs.push((face.into(), text));
            }
            _ => {}
        }
    }
    let expected = [
        ("primary", "王小明"),
        ("primary", "王"),
        ("fallback", "𠀀𪜀"),
        ("primary", "明 住址"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    assert_eq!(runs, expected);
}

#[test]
fn canvas_refuses_what_neither_face_has() {
    let set = set();
    let mut canvas = Canvas::new(&set, FontId::new());
    match canvas.text(20.0, 30.0, 12.0, "王\u{E000}𠀀") {
        Err(PrintError::UnprintableChars { chars, .. }) => assert_eq!(chars, vec!['\u{E000}']),
        other => panic!("expected UnprintableChars, got {other:?}"),
    }
}

#[test]
fn the_fallback_subsets_with_subsetter_too() {
    // The fast save (`pdf_save`) embeds faces with `subsetter`: it must take the fallback.
    let set = set();
    let (_, face, glyph) = set.face_for('𠀀').unwrap().unwrap();
    let mut remapper = subsetter::GlyphRemapper::new();
    let new_gid = remapper.remap(glyph.gid);
    let subset = subsetter::subset(face.font_bytes(), 0, &remapper).unwrap();
    assert!(subset.len() < 20_000, "subset is {} bytes", subset.len());
    // A font for a PDF (no cmap): .notdef and 𠀀, with 𠀀's outline.
    use allsorts::binary::read::ReadScope;
    use allsorts::tables::{FontTableProvider, MaxpTable};
    let font = ReadScope::new(&subset)
        .read::<allsorts::font_data::FontData<'_>>()
        .unwrap();
    let provider = font.table_provider(0).unwrap();
    let maxp = provider.read_table_data(allsorts::tag::MAXP).unwrap();
    let maxp = ReadScope::new(&maxp).read::<MaxpTable>().unwrap();
    assert_eq!(maxp.num_glyphs, 2);
    assert_eq!(new_gid, 1);
    let glyf = provider.read_table_data(allsorts::tag::GLYF).unwrap();
    assert!(glyf.len() > 100, "𠀀's outline is {} bytes", glyf.len());
}
