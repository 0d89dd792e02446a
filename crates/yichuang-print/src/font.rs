//! The slip font: loaded once, asked which characters it cannot print, and used to measure text.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use printpdf::ParsedFont;

use crate::PrintError;

/// Where the bundled font sits inside the app's `assets/` directory.
pub const BUNDLED_FONT: &str = "fonts/NotoSansCJKsc-Regular.otf";

/// A glyph of the slip font: its id and advance width in font units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub gid: u16,
    pub advance: u16,
}

/// A parsed, static CJK font for slips. Parse it once at start and share it: parsing a
/// full-coverage CJK font takes far longer than rendering a slip.
pub struct SlipFont {
    parsed: ParsedFont,
    units_per_em: f32,
    /// Character → glyph, filled on first use. The font's cmap (format 12, tens of thousands
    /// of groups for a CJK font) is searched linearly by the parser, ~30 µs a character.
    glyphs: RwLock<HashMap<char, Option<Glyph>>>,
}

impl std::fmt::Debug for SlipFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlipFont")
            .field("glyphs", &self.parsed.num_glyphs)
            .field("units_per_em", &self.units_per_em)
            .finish()
    }
}

impl SlipFont {
    /// Parses a single-face OpenType/TrueType font from memory.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PrintError> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            PrintError::FontParse {
                detail: warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            }
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
        })
    }

    /// Reads and parses a font file, e.g. `assets/` joined with [`BUNDLED_FONT`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, PrintError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| PrintError::FontRead {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// Whether the font has a real glyph (not `.notdef`) for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The glyph for `c`, `None` when the font has none (or only `.notdef`).
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

    /// The characters of `text` the font cannot draw, each once, in order of appearance.
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

    /// Advance width of `text` at `size_pt`, in points (no kerning: slips draw glyphs one by one
    /// at the font's advances, as the PDF viewer will).
    pub(crate) fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.glyph(c).map_or(0, |g| u32::from(g.advance)))
            .sum();
        units as f32 / self.units_per_em * size_pt
    }

    /// Width of one character at `size_pt`, in points.
    pub(crate) fn char_width_pt(&self, c: char, size_pt: f32) -> f32 {
        self.glyph(c).map_or(0.0, |g| f32::from(g.advance)) / self.units_per_em * size_pt
    }

    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
