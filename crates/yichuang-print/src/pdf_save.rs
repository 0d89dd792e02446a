//! Writes a paper's pages as PDF bytes: printpdf turns the page operations into content
//! streams, the fonts go in as our own subsets (`subset_font`), and streams are deflated at
//! a fast level. printpdf's own save took 13–19 ms a slip: deflate at level 9 was a third of
//! it, re-reading the 16 MB font and decoding the used glyphs' outlines much of the rest.
//! Deflate is still the largest part left (a page's content stream is ~160 KB of operators).

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Document, Object, ObjectId};
use printpdf::{FontId, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, PdfWarnMsg};

use crate::subset_font::{embed, remap_glyphs};
use crate::{PrintError, SlipFont};

/// With the zlib-rs backend, level 3 gives a slip within 1 % of level 6's size in 0.6 of its
/// time (measured on the 受理通知书: level 1 5.6 ms / 70 KB, 3 6.1 ms / 53.9 KB, 6 7.2 ms /
/// 53.6 KB; printpdf's level 9 with miniz was slower still).
const DEFLATE_LEVEL: u32 = 3;

fn pdf_error(detail: impl Into<String>) -> PrintError {
    PrintError::Pdf {
        detail: detail.into(),
    }
}

/// Serialises `pdf` with `pages`, whose text was placed by glyph id in `fonts` (their ids need
/// not be added to `pdf`: a font added there is taken out, as printpdf would embed it whole).
pub(crate) fn save_pdf(
    mut pdf: PdfDocument,
    pages: Vec<PdfPage>,
    fonts: &[(FontId, &SlipFont)],
) -> Result<Vec<u8>, PrintError> {
    pdf.pages = pages;
    for (id, _) in fonts {
        pdf.resources.fonts.map.remove(id);
    }
    let used = remap_glyphs(&mut pdf.pages, fonts)?;
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut warnings: Vec<PdfWarnMsg> = Vec::new();
    let mut doc = pdf.to_lopdf_document(&options, &mut warnings);
    let errors: Vec<&str> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg.as_str())
        .collect();
    if !errors.is_empty() {
        return Err(pdf_error(errors.join("; ")));
    }
    let font_dict = font_resources(&doc)?;
    for font in &used {
        let id = embed(&mut doc, font)?;
        doc.get_dictionary_mut(font_dict)
            .map_err(|e| pdf_error(e.to_string()))?
            .set(font.id.0.as_bytes(), Object::Reference(id));
    }
    deflate_streams(&mut doc)?;
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| pdf_error(e.to_string()))?;
    Ok(bytes)
}

/// The /Font dictionary printpdf shares between all pages (each page's resources refer to it).
fn font_resources(doc: &Document) -> Result<ObjectId, PrintError> {
    let missing = || pdf_error("页面缺少字体资源");
    let page = *doc.get_pages().values().next().ok_or_else(missing)?;
    let resources = doc
        .get_dictionary(page)
        .and_then(|p| p.get(b"Resources"))
        .and_then(Object::as_reference)
        .map_err(|_| missing())?;
    doc.get_dictionary(resources)
        .and_then(|r| r.get(b"Font"))
        .and_then(Object::as_reference)
        .map_err(|_| missing())
}

fn deflate_streams(doc: &mut Document) -> Result<(), PrintError> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let mut encoder = ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            Compression::new(DEFLATE_LEVEL),
        );
        encoder
            .write_all(&stream.content)
            .map_err(|e| pdf_error(e.to_string()))?;
        let deflated = encoder.finish().map_err(|e| pdf_error(e.to_string()))?;
        if deflated.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(deflated);
        }
    }
    Ok(())
}
