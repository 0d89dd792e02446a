//! The slip's fonts: Noto Sans CJK SC, and a fallback face for the Han characters it lacks
//! (CJK Extensions B–F), asked together which characters cannot print and used to measure.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use printpdf::ParsedFont;

use crate::PrintError;

// Declared here rather than in lib.rs: the fallback is a part of the font set only.
#[path = "font_fallback.rs"]
mod fallback;
use fallback::{Fallback, FallbackSource};

/// Where the bundled font sits inside the app's `assets/` directory.
pub const BUNDLED_FONT: &str = "fonts/NotoSansCJKsc-Regular.otf";

/// Where the bundled fallback font (the Han characters [`BUNDLED_FONT`] lacks) sits inside
/// the app's `assets/` directory.
pub const BUNDLED_FALLBACK_FONT: &str = "fonts/YichuangHanFallback-Regular.ttf";

/// A glyph of one face: its id and advance width in font units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub gid: u16,
    pub advance: u16,
}

/// The slip's font set: a parsed, static CJK face, and optionally a fallback face used for
/// the characters the first one lacks. Parse it once at start and share it: parsing a
/// full-coverage CJK font takes far longer than rendering a slip. The fallback is parsed
/// only when a slip first needs it.
pub struct SlipFont {
    parsed: ParsedFont,
    units_per_em: f32,
    /// Character → glyph of this face, filled on first use. The font's cmap (format 12, tens
    /// of thousands of groups for a CJK font) is searched linearly by the parser, ~30 µs a
    /// character.
    glyphs: RwLock<HashMap<char, Option<Glyph>>>,
    fallback: Option<Box<Fallback>>,
}

impl std::fmt::Debug for SlipFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlipFont")
            .field("glyphs", &self.parsed.num_glyphs)
            .field("units_per_em", &self.units_per_em)
            .field("fallback", &self.fallback)
            .finish()
    }
}

impl SlipFont {
    /// Parses a single-face OpenType/TrueType font from memory (no fallback).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PrintError> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings);
        Self::from_parsed(parsed, &warnings)
    }

    /// Parses a single-face font that keeps `bytes` as its only copy, with the TrueType
    /// outline tables (`loca`/`glyf`) left unloaded: `from_bytes` copies them once more, which
    /// for the 30 MB fallback is 30 MB of memory no slip needs (subsetting reads the bytes).
    pub(crate) fn from_shared_bytes(bytes: Vec<u8>) -> Result<Self, PrintError> {
        let shared = Arc::new(rust_fontconfig::FontBytes::Owned(Arc::from(bytes)));
        let mut warnings = Vec::new();
        let parsed = printpdf::AzulParsedFont::from_bytes_shared(shared, 0, &mut warnings)
            .map(ParsedFont::from_azul);
        Self::from_parsed(parsed, &warnings)
    }

    fn from_parsed(
        parsed: Option<ParsedFont>,
        warnings: &[printpdf::PdfFontParseWarning],
    ) -> Result<Self, PrintError> {
        let parsed = parsed.ok_or_else(|| PrintError::FontParse {
            detail: warnings
                .iter()
                .map(|w| w.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        })?;
        let upem = parsed.pdf_font_metrics.units_per_em;
        if parsed.num_glyphs < 2 || upem == 0 {
            return Err(PrintError::FontParse {
                detail: "字体中没有可用的字形".into(),
            });
        }
        Ok(SlipFont {
            parsed,
            units_per_em: f32::from(upem),
            glyphs: RwLock::new(HashMap::new()),
            fallback: None,
        })
    }

    /// Reads and parses a font file, e.g. `assets/` joined with [`BUNDLED_FONT`] (no fallback).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, PrintError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| PrintError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// The bundled set from the app's `assets/` directory: [`BUNDLED_FONT`] parsed now,
    /// [`BUNDLED_FALLBACK_FONT`]'s coverage read now and the face parsed on first need.
    pub fn from_assets(assets_dir: impl AsRef<Path>) -> Result<Self, PrintError> {
        let dir = assets_dir.as_ref();
        Self::from_path(dir.join(BUNDLED_FONT))?.with_fallback_file(dir.join(BUNDLED_FALLBACK_FONT))
    }

    /// Adds a fallback face compiled into the program (`include_bytes!` of
    /// [`BUNDLED_FALLBACK_FONT`]): its coverage is read now, the face parsed on first need.
    pub fn with_fallback_bytes(mut self, bytes: &'static [u8]) -> Result<Self, PrintError> {
        self.fallback = Some(Box::new(Fallback::new(FallbackSource::Static(bytes))?));
        Ok(self)
    }

    /// Adds a fallback face from a file: its coverage is read now, the face read and parsed
    /// on first need.
    pub fn with_fallback_file(mut self, path: impl AsRef<Path>) -> Result<Self, PrintError> {
        let source = FallbackSource::File(path.as_ref().to_path_buf());
        self.fallback = Some(Box::new(Fallback::new(source)?));
        Ok(self)
    }

    /// Whether the set can draw `c`: this face has a real glyph (not `.notdef`) for it, or
    /// the fallback does. Does not parse the fallback.
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).is_some() || self.fallback.as_ref().is_some_and(|f| f.covers(c))
    }

    /// The glyph of this face (not the fallback) for `c`, `None` when it has none.
    pub(crate) fn glyph(&self, c: char) -> Option<Glyph> {
        let cached = self
            .glyphs
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&c)
            .copied();
        if let Some(glyph) = cached {
            return glyph;
        }
        let glyph = match self.parsed.lookup_glyph_index(u32::from(c)) {
            Some(gid) if gid != 0 => Some(Glyph {
                gid,
                advance: self.parsed.get_horizontal_advance(gid),
            }),
            _ => None,
        };
        self.glyphs
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(c, glyph);
        glyph
    }

    /// The face that draws `c` and its glyph there: this face first, then the fallback
    /// (parsed now if it was not yet). `Ok(None)` when neither has it.
    pub(crate) fn face_for(&self, c: char) -> Result<Option<(Face, &SlipFont, Glyph)>, PrintError> {
        if let Some(g) = self.glyph(c) {
            return Ok(Some((Face::Primary, self, g)));
        }
        let Some(fallback) = self.fallback.as_ref().filter(|f| f.covers(c)) else {
            return Ok(None);
        };
        let face = fallback.face()?;
        Ok(face.glyph(c).map(|g| (Face::Fallback, face, g)))
    }

    /// The fallback face, if a slip has needed (and so parsed) it.
    pub(crate) fn parsed_fallback(&self) -> Option<&SlipFont> {
        self.fallback.as_ref().and_then(|f| f.parsed_face())
    }

    /// The characters of `text` the set cannot draw, each once, in order of appearance.
    /// Whitespace and control characters are ignored (the slip never draws them as glyphs).
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        let mut missing = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || missing.contains(&c) {
                continue;
            }
            if !self.has_glyph(c) {
                missing.push(c);
            }
        }
        missing
    }

    /// Advance width of `text` at `size_pt`, in points, each character measured in the face
    /// that draws it (no kerning: slips draw glyphs one by one at the faces' advances, as
    /// the PDF viewer will).
    pub(crate) fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        text.chars().map(|c| self.char_width_pt(c, size_pt)).sum()
    }

    /// Width of one character at `size_pt`, in points, in the face that draws it; 0 for a
    /// character no face has (drawing it is refused anyway).
    pub(crate) fn char_width_pt(&self, c: char, size_pt: f32) -> f32 {
        match self.face_for(c) {
            Ok(Some((_, face, g))) => f32::from(g.advance) / face.units_per_em * size_pt,
            Ok(None) => 0.0,
            Err(e) => {
                tracing::warn!(error = %e, "fallback slip font unavailable for measuring");
                0.0
            }
        }
    }

    /// This face (the first of the set) as printpdf parsed it.
    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }
}

/// Which face of the set draws a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Primary,
    Fallback,
}

#[cfg(test)]
#[path = "font_tests.rs"]
mod tests;
