//! One font face read in place from its bytes: its character map and metrics at load, glyph
//! advances (and, when a paper is saved, the used glyphs' outlines) straight from the bytes.
//!
//! Nothing is copied or decoded ahead. printpdf's parser, which the slips used before, copied
//! the whole 16 MB CJK font into the heap and read every byte of it at load: the desk process
//! carried about 33 MB for slips from its start. Over the bytes compiled into the program
//! (`include_bytes!`) only the pages of the tables read are ever resident.

use allsorts::binary::read::ReadScope;
use allsorts::tables::cmap::Cmap;
use allsorts::tables::{HeadTable, HheaTable, MaxpTable, NameTable};

use crate::PrintError;

/// Where a face's bytes live.
pub(crate) enum FontBytes {
    /// Compiled into the program: read in place.
    Static(&'static [u8]),
    /// Read from a file.
    Owned(Box<[u8]>),
}

impl FontBytes {
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            FontBytes::Static(bytes) => bytes,
            FontBytes::Owned(bytes) => bytes,
        }
    }
}

/// Code points `first..=last` drawn by glyphs `gid`, `gid + 1`, …: a CJK font's map is mostly
/// long runs, so the whole map of a 65,000-glyph face fits in a few hundred kilobytes.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: u32,
    last: u32,
    gid: u16,
}

/// A face's character map: code point → glyph id, for the code points with a real glyph.
#[derive(Debug, Default)]
pub(crate) struct CharMap {
    runs: Vec<Run>,
}

impl CharMap {
    /// Reads the best Unicode subtable of the face's `cmap` (the one printpdf picks too).
    pub(crate) fn read(sfnt: &[u8]) -> Result<CharMap, PrintError> {
        let data = table(sfnt, b"cmap").ok_or_else(|| parse_error("字体缺少字符映射表"))?;
        let cmap = ReadScope::new(data)
            .read::<Cmap<'_>>()
            .map_err(|e| parse_error(format!("字体的字符映射表无法解析（{e}）")))?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap)
            .ok()
            .flatten()
            .ok_or_else(|| parse_error("字体没有 Unicode 字符映射表"))?;
        let mut mapped = Vec::new();
        subtable
            .mappings_fn(|cp, gid| {
                if gid != 0 {
                    mapped.push((cp, gid));
                }
            })
            .map_err(|e| parse_error(format!("字体的字符映射表无法解析（{e}）")))?;
        mapped.sort_unstable_by_key(|(cp, _)| *cp);
        mapped.dedup_by_key(|(cp, _)| *cp);
        let mut runs: Vec<Run> = Vec::new();
        for (cp, gid) in mapped {
            match runs.last_mut() {
                Some(run)
                    if cp == run.last + 1
                        && u32::from(gid) == u32::from(run.gid) + (cp - run.first) =>
                {
                    run.last = cp;
                }
                _ => runs.push(Run {
                    first: cp,
                    last: cp,
                    gid,
                }),
            }
        }
        runs.shrink_to_fit();
        Ok(CharMap { runs })
    }

    /// The glyph drawing `c`, `None` when the face has none (or only `.notdef`).
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        let cp = u32::from(c);
        let i = self.runs.partition_point(|run| run.last < cp);
        let run = self.runs.get(i).filter(|run| run.first <= cp)?;
        u16::try_from(u32::from(run.gid) + (cp - run.first)).ok()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// How many runs the map holds (for tests and logs).
    pub(crate) fn runs(&self) -> usize {
        self.runs.len()
    }
}

/// What a PDF font descriptor needs of the face, in font units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Metrics {
    pub units_per_em: u16,
    pub x_min: i16,
    pub y_min: i16,
    pub x_max: i16,
    pub y_max: i16,
    pub ascender: i16,
    pub descender: i16,
}

/// A single-face OpenType/TrueType font over its bytes.
pub(crate) struct FaceData {
    bytes: FontBytes,
    cmap: CharMap,
    metrics: Metrics,
    num_glyphs: u16,
    /// `hhea.numberOfHMetrics`: glyphs from there on share the last advance.
    num_h_metrics: u16,
    /// Where `hmtx` sits in the bytes.
    hmtx: (usize, usize),
    postscript_name: Option<String>,
}

impl std::fmt::Debug for FaceData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceData")
            .field("bytes", &self.bytes.as_slice().len())
            .field("glyphs", &self.num_glyphs)
            .field("cmap_runs", &self.cmap.runs())
            .field("name", &self.postscript_name)
            .finish()
    }
}

impl FaceData {
    /// Reads the tables a slip needs to measure text: the character map, `head`, `hhea`,
    /// `maxp`, the PostScript name, and where `hmtx` is. Outlines are not read.
    pub(crate) fn new(bytes: FontBytes) -> Result<FaceData, PrintError> {
        let sfnt = bytes.as_slice();
        let head: HeadTable = read_table(sfnt, b"head")?;
        let hhea: HheaTable = read_table(sfnt, b"hhea")?;
        let maxp: MaxpTable = read_table(sfnt, b"maxp")?;
        let hmtx = table_range(sfnt, b"hmtx").ok_or_else(|| parse_error("字体缺少 hmtx 表"))?;
        if maxp.num_glyphs < 2 || head.units_per_em == 0 || hhea.num_h_metrics == 0 {
            return Err(parse_error("字体中没有可用的字形"));
        }
        if hmtx.1 < usize::from(hhea.num_h_metrics) * 4 {
            return Err(parse_error("字体的 hmtx 表不完整"));
        }
        let postscript_name = table(sfnt, b"name").and_then(|data| {
            ReadScope::new(data)
                .read::<NameTable<'_>>()
                .ok()?
                .string_for_id(NameTable::POSTSCRIPT_NAME)
        });
        let cmap = CharMap::read(sfnt)?;
        Ok(FaceData {
            metrics: Metrics {
                units_per_em: head.units_per_em,
                x_min: head.x_min,
                y_min: head.y_min,
                x_max: head.x_max,
                y_max: head.y_max,
                ascender: hhea.ascender,
                descender: hhea.descender,
            },
            num_glyphs: maxp.num_glyphs,
            num_h_metrics: hhea.num_h_metrics,
            hmtx,
            postscript_name,
            cmap,
            bytes,
        })
    }

    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.glyph(c).filter(|gid| *gid < self.num_glyphs)
    }

    /// The advance width of `gid` in font units, from `hmtx` (0 for a glyph the face lacks).
    pub(crate) fn advance(&self, gid: u16) -> u16 {
        if gid >= self.num_glyphs {
            return 0;
        }
        let index = usize::from(gid.min(self.num_h_metrics - 1));
        let at = self.hmtx.0 + index * 4;
        self.bytes
            .as_slice()
            .get(at..at + 2)
            .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
    }

    pub(crate) fn metrics(&self) -> Metrics {
        self.metrics
    }

    #[cfg(test)]
    pub(crate) fn num_glyphs(&self) -> u16 {
        self.num_glyphs
    }

    pub(crate) fn postscript_name(&self) -> Option<&str> {
        self.postscript_name.as_deref()
    }

    /// The whole font file, for subsetting.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }
}

fn parse_error(detail: impl Into<String>) -> PrintError {
    PrintError::FontParse {
        detail: detail.into(),
    }
}

/// Offset and length of the table `tag` of a single-face sfnt, from its table directory.
fn table_range(sfnt: &[u8], tag: &[u8; 4]) -> Option<(usize, usize)> {
    let be16 = |at: usize| Some(u16::from_be_bytes(sfnt.get(at..at + 2)?.try_into().ok()?));
    let be32 = |at: usize| Some(u32::from_be_bytes(sfnt.get(at..at + 4)?.try_into().ok()?));
    let tables = usize::from(be16(4)?);
    (0..tables).find_map(|i| {
        let record = 12 + 16 * i;
        if sfnt.get(record..record + 4)? != tag {
            return None;
        }
        let offset = usize::try_from(be32(record + 8)?).ok()?;
        let len = usize::try_from(be32(record + 12)?).ok()?;
        sfnt.get(offset..offset.checked_add(len)?)?;
        Some((offset, len))
    })
}

/// The table `tag` of a single-face sfnt (a font file, or a subset `subsetter` made).
pub(crate) fn table<'a>(sfnt: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let (offset, len) = table_range(sfnt, tag)?;
    sfnt.get(offset..offset + len)
}

fn read_table<T>(sfnt: &[u8], tag: &[u8; 4]) -> Result<T, PrintError>
where
    T: for<'a> allsorts::binary::read::ReadBinaryDep<Args<'a> = (), HostType<'a> = T>,
{
    let name = String::from_utf8_lossy(tag);
    let data = table(sfnt, tag).ok_or_else(|| parse_error(format!("字体缺少 {name} 表")))?;
    ReadScope::new(data)
        .read::<T>()
        .map_err(|e| parse_error(format!("字体的 {name} 表无法解析（{e}）")))
}

#[cfg(test)]
#[path = "face_tests.rs"]
mod tests;
