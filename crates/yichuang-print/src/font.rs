//! The slip's fonts: Noto Sans CJK SC, and a fallback face for the Han characters it lacks
//! (CJK Extensions B–F), asked together which characters cannot print and used to measure.

use std::path::Path;

use crate::PrintError;
use crate::face::{FaceData, FontBytes, Metrics};

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

/// The slip's font set: a CJK face, and optionally a fallback face used for the characters
/// the first one lacks. Loading reads only each face's character map and metrics (a few
/// milliseconds, a few hundred kilobytes); outlines are read from the bytes when a paper is
/// saved. Load it once at start and share it.
pub struct SlipFont {
    face: FaceData,
    fallback: Option<Box<Fallback>>,
}

impl std::fmt::Debug for SlipFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlipFont")
            .field("face", &self.face)
            .field("fallback", &self.fallback)
            .finish()
    }
}

impl SlipFont {
    /// A single-face OpenType/TrueType font compiled into the program (`include_bytes!`), no
    /// fallback. Its bytes are read in place, never copied: pages no slip needs stay on disk.
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Self, PrintError> {
        Self::from_font_bytes(FontBytes::Static(bytes))
    }

    /// A single face over `bytes`, no fallback.
    pub(crate) fn from_font_bytes(bytes: FontBytes) -> Result<Self, PrintError> {
        Ok(SlipFont {
            face: FaceData::new(bytes)?,
            fallback: None,
        })
    }

    /// Reads a font file, e.g. `assets/` joined with [`BUNDLED_FONT`] (no fallback).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, PrintError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| PrintError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_font_bytes(FontBytes::Owned(bytes.into_boxed_slice()))
    }

    /// The bundled set from the app's `assets/` directory: [`BUNDLED_FONT`] read now,
    /// [`BUNDLED_FALLBACK_FONT`]'s coverage read now and the face read on first need.
    pub fn from_assets(assets_dir: impl AsRef<Path>) -> Result<Self, PrintError> {
        let dir = assets_dir.as_ref();
        Self::from_path(dir.join(BUNDLED_FONT))?.with_fallback_file(dir.join(BUNDLED_FALLBACK_FONT))
    }

    /// Adds a fallback face compiled into the program (`include_bytes!` of
    /// [`BUNDLED_FALLBACK_FONT`]): its character map is read now, in place like the first face.
    pub fn with_fallback_bytes(mut self, bytes: &'static [u8]) -> Result<Self, PrintError> {
        self.fallback = Some(Box::new(Fallback::new(FallbackSource::Static(bytes))?));
        Ok(self)
    }

    /// Adds a fallback face from a file: its character map is read now, the file read again
    /// and kept on first need.
    pub fn with_fallback_file(mut self, path: impl AsRef<Path>) -> Result<Self, PrintError> {
        let source = FallbackSource::File(path.as_ref().to_path_buf());
        self.fallback = Some(Box::new(Fallback::new(source)?));
        Ok(self)
    }

    /// Whether the set can draw `c`: this face has a real glyph (not `.notdef`) for it, or
    /// the fallback does. Does not load a fallback file.
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).is_some() || self.fallback.as_ref().is_some_and(|f| f.covers(c))
    }

    /// The glyph of this face (not the fallback) for `c`, `None` when it has none.
    pub(crate) fn glyph(&self, c: char) -> Option<Glyph> {
        let gid = self.face.glyph(c)?;
        Some(Glyph {
            gid,
            advance: self.face.advance(gid),
        })
    }

    /// The face that draws `c` and its glyph there: this face first, then the fallback
    /// (loaded now if it was not yet). `Ok(None)` when neither has it.
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

    /// The fallback face, if a slip has needed (and so loaded) it.
    pub(crate) fn loaded_fallback(&self) -> Option<&SlipFont> {
        self.fallback.as_ref().and_then(|f| f.loaded_face())
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
            Ok(Some((_, face, g))) => {
                f32::from(g.advance) / f32::from(face.metrics().units_per_em) * size_pt
            }
            Ok(None) => 0.0,
            Err(e) => {
                tracing::warn!(error = %e, "fallback slip font unavailable for measuring");
                0.0
            }
        }
    }

    /// This face's metrics for the PDF font descriptor, in font units.
    pub(crate) fn metrics(&self) -> Metrics {
        self.face.metrics()
    }

    /// The advance width of `gid` in this face, in font units.
    pub(crate) fn advance(&self, gid: u16) -> u16 {
        self.face.advance(gid)
    }

    /// This face's PostScript name, for the embedded subset's name.
    pub(crate) fn postscript_name(&self) -> Option<&str> {
        self.face.postscript_name()
    }

    /// This face's whole font file, for subsetting.
    pub(crate) fn font_bytes(&self) -> &[u8] {
        self.face.bytes()
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
