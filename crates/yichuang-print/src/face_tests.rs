//! The face reader against printpdf's parser (what the slips used before): the same glyph for
//! every code point tried, the same advances and descriptor metrics, so papers come out as
//! they did; and a compiled-in font is read in place.

use printpdf::ParsedFont;

use super::*;

static NOTO: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular.otf");

fn asset(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets")
        .join(name);
    std::fs::read(path).unwrap()
}

/// Every code point below U+3000 (Latin, punctuation, symbols), then a spread through the
/// CJK blocks and the supplementary planes up to Ext G.
fn code_points() -> impl Iterator<Item = char> {
    (0x20..0x3000)
        .chain((0x3000..0x1_0000).step_by(7))
        .chain((0x2_0000..0x3_2000).step_by(61))
        .chain("王堃喆䶮𠀾𡈽𬎆𠀀𪜀𫝀𫠠𬺰\u{FA70}".chars().map(u32::from))
        .filter_map(char::from_u32)
}

fn same_as_printpdf(bytes: Vec<u8>, at_least_mapped: usize) {
    let mut warnings = Vec::new();
    let reference = ParsedFont::from_bytes(&bytes, 0, &mut warnings).unwrap();
    let face = FaceData::new(FontBytes::Owned(bytes.into_boxed_slice())).unwrap();
    let mut mapped = 0;
    for c in code_points() {
        let expected = reference
            .lookup_glyph_index(u32::from(c))
            .filter(|gid| *gid != 0);
        assert_eq!(face.glyph(c), expected, "U+{:04X}", u32::from(c));
        if let Some(gid) = expected {
            mapped += 1;
            assert_eq!(
                face.advance(gid),
                reference.get_horizontal_advance(gid),
                "advance of U+{:04X}",
                u32::from(c)
            );
        }
    }
    assert!(
        mapped >= at_least_mapped,
        "only {mapped} code points mapped"
    );
    let m = reference.pdf_font_metrics;
    let ours = face.metrics();
    assert_eq!(
        (
            ours.units_per_em,
            ours.x_min,
            ours.y_min,
            ours.x_max,
            ours.y_max
        ),
        (m.units_per_em, m.x_min, m.y_min, m.x_max, m.y_max)
    );
    assert_eq!((ours.ascender, ours.descender), (m.ascender, m.descender));
    assert_eq!(face.num_glyphs(), reference.num_glyphs);
    assert_eq!(face.postscript_name(), reference.font_name.as_deref());
}

#[test]
fn noto_reads_as_printpdf_read_it() {
    same_as_printpdf(NOTO.to_vec(), 5_000);
}

#[test]
fn the_fallback_reads_as_printpdf_read_it() {
    // Ext B–F only (the sample takes every 61st code point there).
    same_as_printpdf(asset("fonts/YichuangHanFallback-Regular.ttf"), 900);
}

#[test]
fn a_compiled_in_font_is_read_in_place() {
    let face = FaceData::new(FontBytes::Static(NOTO)).unwrap();
    assert!(std::ptr::eq(face.bytes(), NOTO));
    // Noto's map is long runs: far smaller than a code point → glyph table.
    assert!(face.cmap.runs() < 20_000, "{} runs", face.cmap.runs());
}

#[test]
fn a_truncated_font_is_a_parse_error_not_a_panic() {
    for len in [0, 12, 100, 4_000] {
        assert!(
            matches!(
                FaceData::new(FontBytes::Owned(NOTO[..len].into())),
                Err(PrintError::FontParse { .. })
            ),
            "{len} bytes"
        );
    }
}
