//! Tests of the per-document font subsets.

use printpdf::{Codepoint, Mm, Pt};

use super::*;

fn font() -> SlipFont {
    SlipFont::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/fonts/NotoSansCJKsc-Regular.otf"
    ))
    .unwrap()
}

fn page(id: &FontId, font: &SlipFont, text: &str) -> PdfPage {
    let glyphs = text
        .chars()
        .map(|c| Codepoint::with_cid(font.glyph(c).unwrap().gid, 0.0, c.to_string()))
        .collect();
    let ops = vec![
        Op::SetFont {
            font: PdfFontHandle::External(id.clone()),
            size: Pt(10.0),
        },
        Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        },
    ];
    PdfPage::new(Mm(210.0), Mm(297.0), ops)
}

fn gids(pages: &[PdfPage]) -> Vec<u16> {
    let mut out = Vec::new();
    for op in pages.iter().flat_map(|p| &p.ops) {
        if let Op::ShowText { items } = op {
            for item in items {
                if let TextItem::GlyphIds(glyphs) = item {
                    out.extend(glyphs.iter().map(|g| g.gid));
                }
            }
        }
    }
    out
}

#[test]
fn glyphs_are_renumbered_in_order_of_use_across_pages_and_keep_their_text() {
    let font = font();
    let (id, unused) = (FontId::new(), FontId::new());
    let mut pages = vec![page(&id, &font, "王堃喆王"), page(&id, &font, "喆A")];
    let used = remap_glyphs(&mut pages, &[(id.clone(), &font), (unused, &font)]).unwrap();
    assert_eq!(used.len(), 1, "a face no text used is not embedded");
    assert_eq!(gids(&pages), [1, 2, 3, 1, 3, 4]);
    let text: Vec<&str> = used[0].text.values().map(String::as_str).collect();
    assert_eq!(text, ["王", "堃", "喆", "A"]);
}

#[test]
fn the_program_is_a_small_cid_keyed_cff_with_a_width_per_glyph() {
    let font = font();
    let id = FontId::new();
    let mut pages = vec![page(&id, &font, "受理通知书A1")];
    let used = remap_glyphs(&mut pages, &[(id, &font)]).unwrap();
    let mut doc = Document::with_version("1.7");
    let type0 = embed(&mut doc, &used[0]).unwrap();
    let type0 = doc.get_dictionary(type0).unwrap();
    assert_eq!(
        type0.get(b"Encoding").unwrap().as_name().unwrap(),
        b"Identity-H"
    );
    let name = type0.get(b"BaseFont").unwrap().as_name().unwrap();
    assert_eq!(name.iter().position(|b| *b == b'+'), Some(6), "subset tag");
    let program = doc
        .objects
        .values()
        .find_map(|o| match o {
            Object::Stream(s) if s.dict.has(b"Subtype") => Some(s),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        program.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"CIDFontType0C"
    );
    // CFF header: major version 1; eight glyphs (with .notdef) of a 65k-glyph font.
    assert_eq!(program.content[0], 1);
    assert!(program.content.len() < 20_000, "{}", program.content.len());
    let cid_font = doc
        .objects
        .values()
        .find_map(|o| match o {
            Object::Dictionary(d) if d.has(b"W") => Some(d),
            _ => None,
        })
        .unwrap();
    let w = cid_font.get(b"W").unwrap().as_array().unwrap();
    let widths = w[1].as_array().unwrap();
    assert_eq!(widths.len(), 8);
    assert_eq!(
        widths[1].as_i64().unwrap(),
        1000,
        "a Han character is one em"
    );
}
