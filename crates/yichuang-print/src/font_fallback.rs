//! The slip's fallback face (the Han characters Noto Sans CJK SC lacks): which characters it
//! covers is read from its cmap at load, the face itself made only when a slip first needs
//! one of them. Compiled into the program, its ≈30 MB are read in place and only the pages
//! a slip uses become resident; from a file (the command-line tools), the file is read then.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use crate::face::{CharMap, FontBytes};
use crate::{PrintError, SlipFont};

/// Where the fallback face's bytes come from when it is first needed.
#[derive(Debug)]
pub(crate) enum FallbackSource {
    /// Compiled into the program (`include_bytes!`): untouched pages cost no memory.
    Static(&'static [u8]),
    /// A file, read again on first need.
    File(PathBuf),
}

/// The fallback face: cheap coverage now, the face later.
pub(crate) struct Fallback {
    source: FallbackSource,
    /// The code points the face maps to a real glyph.
    coverage: CharMap,
    face: OnceLock<SlipFont>,
    /// Held while loading, so two slips at once load the face once.
    loading: Mutex<()>,
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fallback")
            .field("source", &self.source)
            .field("runs", &self.coverage.runs())
            .field("loaded", &self.face.get().is_some())
            .finish()
    }
}

impl Fallback {
    pub(crate) fn new(source: FallbackSource) -> Result<Self, PrintError> {
        let coverage = match &source {
            FallbackSource::Static(bytes) => CharMap::read(bytes),
            FallbackSource::File(path) => CharMap::read(&read(path)?),
        }
        .map_err(fallback_error)?;
        if coverage.is_empty() {
            return Err(PrintError::FontParse {
                detail: "备用字体中没有可用的字形".into(),
            });
        }
        Ok(Fallback {
            source,
            coverage,
            face: OnceLock::new(),
            loading: Mutex::new(()),
        })
    }

    /// Whether the face has a glyph for `c`, without loading it.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.coverage.glyph(c).is_some()
    }

    /// The face, made on the first call. A failure is returned and not kept: the next slip
    /// tries again (e.g. after the file was restored).
    pub(crate) fn face(&self) -> Result<&SlipFont, PrintError> {
        if let Some(face) = self.face.get() {
            return Ok(face);
        }
        let _loading = self
            .loading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(face) = self.face.get() {
            return Ok(face);
        }
        let started = std::time::Instant::now();
        let bytes = match &self.source {
            FallbackSource::Static(bytes) => FontBytes::Static(bytes),
            FallbackSource::File(path) => FontBytes::Owned(read(path)?.into_boxed_slice()),
        };
        let face = SlipFont::from_font_bytes(bytes).map_err(fallback_error)?;
        tracing::info!(
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "fallback slip font loaded on first need"
        );
        Ok(self.face.get_or_init(|| face))
    }

    /// The face if a slip has needed it already.
    pub(crate) fn loaded_face(&self) -> Option<&SlipFont> {
        self.face.get()
    }
}

/// Names the fallback in a parse error ("字体…" → "备用字体…").
fn fallback_error(e: PrintError) -> PrintError {
    match e {
        PrintError::FontParse { detail } if detail.starts_with("字体") => PrintError::FontParse {
            detail: format!("备用{detail}"),
        },
        other => other,
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, PrintError> {
    std::fs::read(path).map_err(|source| PrintError::FontRead {
        path: path.clone(),
        source,
    })
}
