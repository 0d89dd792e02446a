//! The slip's fallback face (the Han characters Noto Sans CJK SC lacks): which characters it
//! covers is read from its cmap at load, while the face itself (≈30 MB) is parsed only when a
//! slip first needs one of them, so the window's start and memory do not pay for rare names.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::tables::FontTableProvider;
use allsorts::tables::cmap::Cmap;
use allsorts::tag;

use crate::{PrintError, SlipFont};

/// Where the fallback face's bytes come from when it is first needed.
#[derive(Debug)]
pub(crate) enum FallbackSource {
    /// Compiled into the program (`include_bytes!`): untouched pages cost no memory.
    Static(&'static [u8]),
    /// A file, read again on first need.
    File(PathBuf),
}

/// The fallback face: cheap coverage now, the parsed face later.
pub(crate) struct Fallback {
    source: FallbackSource,
    /// Sorted, disjoint, inclusive code point ranges the face maps to a real glyph.
    coverage: Vec<(u32, u32)>,
    face: OnceLock<SlipFont>,
    /// Held while parsing, so two slips at once parse the face once.
    loading: Mutex<()>,
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fallback")
            .field("source", &self.source)
            .field("ranges", &self.coverage.len())
            .field("parsed", &self.face.get().is_some())
            .finish()
    }
}

fn parse_error(detail: impl Into<String>) -> PrintError {
    PrintError::FontParse {
        detail: detail.into(),
    }
}

/// The code points `bytes` (a single-face sfnt) maps to a glyph other than `.notdef`, as
/// merged ranges. Only the table directory and the cmap are read.
fn coverage(bytes: &[u8]) -> Result<Vec<(u32, u32)>, PrintError> {
    let font = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(|e| parse_error(format!("备用字体不是可用的字体文件（{e}）")))?;
    let provider = font
        .table_provider(0)
        .map_err(|e| parse_error(format!("备用字体无法读取（{e}）")))?;
    let data = provider
        .read_table_data(tag::CMAP)
        .map_err(|e| parse_error(format!("备用字体缺少字符映射表（{e}）")))?;
    let cmap = ReadScope::new(&data)
        .read::<Cmap<'_>>()
        .map_err(|e| parse_error(format!("备用字体的字符映射表无法解析（{e}）")))?;
    let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap)
        .ok()
        .flatten()
        .ok_or_else(|| parse_error("备用字体没有 Unicode 字符映射表"))?;
    let mut mapped = Vec::new();
    subtable
        .mappings_fn(|cp, gid| {
            if gid != 0 {
                mapped.push(cp);
            }
        })
        .map_err(|e| parse_error(format!("备用字体的字符映射表无法解析（{e}）")))?;
    mapped.sort_unstable();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for cp in mapped {
        match ranges.last_mut() {
            Some((_, end)) if cp <= end.saturating_add(1) => *end = (*end).max(cp),
            _ => ranges.push((cp, cp)),
        }
    }
    Ok(ranges)
}

impl Fallback {
    pub(crate) fn new(source: FallbackSource) -> Result<Self, PrintError> {
        let coverage = match &source {
            FallbackSource::Static(bytes) => coverage(bytes)?,
            FallbackSource::File(path) => coverage(&read(path)?)?,
        };
        if coverage.is_empty() {
            return Err(parse_error("备用字体中没有可用的字形"));
        }
        Ok(Fallback {
            source,
            coverage,
            face: OnceLock::new(),
            loading: Mutex::new(()),
        })
    }

    /// Whether the face has a glyph for `c`, without parsing it.
    pub(crate) fn covers(&self, c: char) -> bool {
        let cp = u32::from(c);
        let i = self.coverage.partition_point(|(_, end)| *end < cp);
        self.coverage.get(i).is_some_and(|(start, _)| *start <= cp)
    }

    /// The parsed face, parsed on the first call. A failure is returned and not kept: the
    /// next slip tries again (e.g. after the file was restored).
    pub(crate) fn face(&self) -> Result<&SlipFont, PrintError> {
        if let Some(face) = self.face.get() {
            return Ok(face);
        }
        let _parsing = self
            .loading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(face) = self.face.get() {
            return Ok(face);
        }
        let started = std::time::Instant::now();
        let bytes = match &self.source {
            FallbackSource::Static(bytes) => bytes.to_vec(),
            FallbackSource::File(path) => read(path)?,
        };
        let face = SlipFont::from_shared_bytes(bytes)?;
        tracing::info!(
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "fallback slip font parsed on first need"
        );
        Ok(self.face.get_or_init(|| face))
    }

    /// The parsed face if a slip has needed it already.
    pub(crate) fn parsed_face(&self) -> Option<&SlipFont> {
        self.face.get()
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, PrintError> {
    std::fs::read(path).map_err(|source| PrintError::FontRead {
        path: path.clone(),
        source,
    })
}
