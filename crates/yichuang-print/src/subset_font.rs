//! The slip fonts embedded as per-document subsets, written by us instead of printpdf's save:
//! printpdf re-read the whole 16 MB CJK font and decoded every used glyph's outline on each
//! slip (about 6 of its 14 ms); `subsetter` copies only the used glyphs' programs, and the
//! widths come from the advances the slip font already measured.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use printpdf::{FontId, Op, PdfFontHandle, PdfPage, TextItem, ToUnicodeCMap};

use crate::face::table;
use crate::{PrintError, SlipFont};

/// One font of a document: the glyphs its pages use, renumbered for the subset.
pub(crate) struct UsedFont<'f> {
    pub id: FontId,
    pub font: &'f SlipFont,
    /// Old glyph id → new glyph id (the CID in the content stream); 0 stays 0.
    remapper: subsetter::GlyphRemapper,
    /// New glyph id → the text it stands for (for /ToUnicode).
    text: BTreeMap<u16, String>,
}

fn pdf_error(detail: impl Into<String>) -> PrintError {
    PrintError::Pdf {
        detail: detail.into(),
    }
}

/// Renumbers the glyphs of `fonts` on every page to their ids in the subsets, and says which
/// glyphs each font needs. Text must be placed by glyph id (what the canvas does).
pub(crate) fn remap_glyphs<'f>(
    pages: &mut [PdfPage],
    fonts: &[(FontId, &'f SlipFont)],
) -> Result<Vec<UsedFont<'f>>, PrintError> {
    let mut used: Vec<UsedFont<'f>> = fonts
        .iter()
        .map(|(id, font)| UsedFont {
            id: id.clone(),
            font,
            remapper: subsetter::GlyphRemapper::new(),
            text: BTreeMap::new(),
        })
        .collect();
    let mut current: Option<usize> = None;
    for op in pages.iter_mut().flat_map(|p| p.ops.iter_mut()) {
        match op {
            Op::SetFont { font, .. } => {
                current = match font {
                    PdfFontHandle::External(id) => used.iter().position(|u| &u.id == id),
                    PdfFontHandle::Builtin(_) => None,
                };
            }
            Op::ShowText { items } => {
                let Some(font) = current.map(|i| &mut used[i]) else {
                    continue;
                };
                for item in items.iter_mut() {
                    match item {
                        TextItem::GlyphIds(glyphs) => {
                            for g in glyphs.iter_mut() {
                                let new = font.remapper.remap(g.gid);
                                if let Some(text) = &g.cid {
                                    font.text.entry(new).or_insert_with(|| text.clone());
                                }
                                g.gid = new;
                            }
                        }
                        TextItem::Text(_) => {
                            return Err(pdf_error("回执文字未按字形排版"));
                        }
                        TextItem::Offset(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
    used.retain(|u| u.remapper.num_gids() > 1);
    Ok(used)
}

/// `ABCDEF+`: the subset tag, the same for the same glyphs (ISO 32000-1, 9.6.4).
fn subset_tag(used: &UsedFont<'_>) -> String {
    let mut hasher = DefaultHasher::new();
    for old in used.remapper.remapped_gids() {
        old.hash(&mut hasher);
    }
    let mut h = hasher.finish();
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (h % 26) as u8);
            h /= 26;
            c
        })
        .collect()
}

/// `/W`: the advance of every glyph in thousandths of an em, one run of consecutive CIDs.
fn widths(used: &UsedFont<'_>) -> Vec<Object> {
    let upem = f32::from(used.font.metrics().units_per_em.max(1));
    let run = used
        .remapper
        .remapped_gids()
        .map(|old| {
            let advance = f32::from(used.font.advance(old));
            Object::Integer((advance * 1000.0 / upem).round() as i64)
        })
        .collect();
    vec![Object::Integer(0), Object::Array(run)]
}

fn to_unicode(used: &UsedFont<'_>) -> String {
    let mappings = used
        .text
        .iter()
        .map(|(cid, text)| (u32::from(*cid), text.chars().map(u32::from).collect()))
        .collect();
    ToUnicodeCMap { mappings }.to_cmap_string(&used.id.0)
}

/// Adds the Type 0 font of `used` (subset program, descriptor, widths, /ToUnicode) and
/// returns the font dictionary's id, for the pages' /Font resources.
pub(crate) fn embed(doc: &mut Document, used: &UsedFont<'_>) -> Result<ObjectId, PrintError> {
    let sfnt = subsetter::subset(used.font.font_bytes(), 0, &used.remapper)
        .map_err(|e| pdf_error(format!("字体子集化失败：{e}")))?;
    let name = format!(
        "{}+{}",
        subset_tag(used),
        used.font
            .postscript_name()
            .unwrap_or("SlipFont")
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "")
    );
    // CFF outlines go in as the bare CID-keyed CFF table (subsetter makes every CFF subset
    // CID-keyed with CID = new glyph id); TrueType outlines as the whole subset font.
    let (subtype, file_key, program) = match table(&sfnt, b"CFF ") {
        Some(cff) => {
            let dict = Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".into()))]);
            ("CIDFontType0", "FontFile3", Stream::new(dict, cff.to_vec()))
        }
        None => {
            let dict = Dictionary::from_iter([("Length1", Object::Integer(sfnt.len() as i64))]);
            ("CIDFontType2", "FontFile2", Stream::new(dict, sfnt.clone()))
        }
    };
    let program_id = doc.add_object(program);
    let m = used.font.metrics();
    let scale = |v: i16| {
        Object::Integer((f32::from(v) * 1000.0 / f32::from(m.units_per_em.max(1))).round() as i64)
    };
    let descriptor = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"FontDescriptor".into())),
        ("FontName", Object::Name(name.clone().into_bytes())),
        // Symbolic: the glyphs are addressed by CID, not by a standard encoding.
        ("Flags", Object::Integer(4)),
        (
            "FontBBox",
            Object::Array(vec![
                scale(m.x_min),
                scale(m.y_min),
                scale(m.x_max),
                scale(m.y_max),
            ]),
        ),
        ("ItalicAngle", Object::Integer(0)),
        ("Ascent", scale(m.ascender)),
        ("Descent", scale(m.descender)),
        ("CapHeight", scale(m.ascender)),
        ("StemV", Object::Integer(80)),
        (file_key, Object::Reference(program_id)),
    ]));
    let mut cid_font = Dictionary::from_iter([
        ("Type", Object::Name(b"Font".into())),
        ("Subtype", Object::Name(subtype.as_bytes().to_vec())),
        ("BaseFont", Object::Name(name.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                (
                    "Registry",
                    Object::String(b"Adobe".into(), StringFormat::Literal),
                ),
                (
                    "Ordering",
                    Object::String(b"Identity".into(), StringFormat::Literal),
                ),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", Object::Array(widths(used))),
    ]);
    if subtype == "CIDFontType2" {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".into()));
    }
    let cid_font = doc.add_object(cid_font);
    let cmap = doc.add_object(Stream::new(
        Dictionary::new(),
        to_unicode(used).into_bytes(),
    ));
    Ok(doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".into())),
        ("Subtype", Object::Name(b"Type0".into())),
        ("BaseFont", Object::Name(name.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".into())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(cmap)),
    ])))
}

#[cfg(test)]
#[path = "subset_font_tests.rs"]
mod tests;
