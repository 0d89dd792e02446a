//! Importing one file: refuse what is not a whole JPEG/PNG/TIFF/PDF page, describe the rest.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::thread;

use sha2::{Digest, Sha256};

use crate::error::{Result, ScanError};
use crate::kind::{PageKind, Sniffed, sniff};
use crate::{jpeg_markers, pdf, picture};

/// Largest page file accepted: 50 MiB.
pub const MAX_PAGE_BYTES: u64 = 50 * 1024 * 1024;

/// What the station records about an imported page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPage {
    /// SHA-256 of the file's bytes, lower-case hex: the page's identity in the vault.
    pub sha256: String,
    /// The format judged by content (a PNG named `.jpg` is a `Png`).
    pub kind: PageKind,
    /// File size in bytes.
    pub bytes: u64,
    /// Pixel size as displayed (after EXIF orientation); `None` for a PDF.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Number of pages of a PDF; `None` for an image.
    pub pdf_pages: Option<u32>,
    /// A JPEG whose longest side is 240 px. For a PDF it is a generated plain page icon
    /// (white sheet, grey border), the same for every PDF: PDFs are not rendered.
    pub thumbnail: Vec<u8>,
    /// The file name it came with (no directory). May contain a citizen's name: never log it.
    pub original_name: String,
}

/// An imported page together with its bytes, ready for [`crate::PageVault::put_imported`].
/// The bytes are private so that `page().sha256` always matches them.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    page: ImportedPage,
    data: Vec<u8>,
}

impl ImportedFile {
    pub fn page(&self) -> &ImportedPage {
        &self.page
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    pub fn into_parts(self) -> (ImportedPage, Vec<u8>) {
        (self.page, self.data)
    }
}

/// Checks one file and describes it, without keeping its bytes.
pub fn inspect(path: &Path) -> Result<ImportedPage> {
    import_file(path).map(|f| f.page)
}

/// Reads, checks, hashes and thumbnails one file. The size is checked from the metadata
/// before the body is read.
pub fn import_file(path: &Path) -> Result<ImportedFile> {
    let name = file_name(path);
    let mut file = File::open(path).map_err(|e| open_error(&name, e))?;
    let meta = file.metadata().map_err(|e| open_error(&name, e))?;
    if !meta.is_file() {
        return Err(ScanError::NotAFile { name });
    }
    check_size(&name, meta.len())?;
    // The file may still grow while we read: never read more than the limit plus one byte.
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    (&mut file)
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|source| ScanError::Unreadable {
            name: name.clone(),
            source,
        })?;
    import_bytes(name, data)
}

/// Checks, hashes and thumbnails a page already in memory (e.g. from a camera's local
/// service); `name` is what the clerk will see in messages.
#[tracing::instrument(skip_all, fields(bytes = data.len(), sha = tracing::field::Empty))]
pub fn import_bytes(name: String, data: Vec<u8>) -> Result<ImportedFile> {
    check_size(&name, data.len() as u64)?;
    let kind = match sniff(&data[..data.len().min(64)]) {
        Sniffed::Accepted(kind) => kind,
        Sniffed::Other(detected) => {
            tracing::info!(refused = "unsupported_type");
            return Err(ScanError::Unsupported {
                name,
                detected: detected.to_owned(),
            });
        }
    };
    // Hashing and the JPEG structure walk read the bytes on the second core while this one
    // decodes (the decode is most of the time).
    let (sha256, structure, analysed) = thread::scope(|s| {
        let side = s.spawn(|| {
            let sha256 = hex::encode(Sha256::digest(&data));
            let structure = match kind {
                PageKind::Jpeg => jpeg_markers::check_complete(&data),
                _ => Ok(()),
            };
            (sha256, structure)
        });
        let analysed = analyse(&name, kind, &data);
        match side.join() {
            Ok((sha256, structure)) => (sha256, structure, analysed),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    tracing::Span::current().record("sha", &sha256[..12]);
    // A cut-off JPEG may still decode (grey fill), so the structure's verdict comes first.
    let analysed = structure
        .map_err(|reason| ScanError::Corrupt {
            name: name.clone(),
            kind,
            reason: reason.to_owned(),
            source: None,
        })
        .and(analysed);
    let (width, height, pdf_pages, thumbnail) = analysed.inspect_err(|e| {
        // The message names the file; the log gets the reason's code only.
        tracing::info!(refused = e.kind(), kind = kind.as_str());
    })?;
    tracing::debug!(kind = kind.as_str(), "page imported");
    Ok(ImportedFile {
        page: ImportedPage {
            sha256,
            kind,
            bytes: data.len() as u64,
            width,
            height,
            pdf_pages,
            thumbnail,
            original_name: name,
        },
        data,
    })
}

/// Width, height, PDF page count and thumbnail.
type Analysis = (Option<u32>, Option<u32>, Option<u32>, Vec<u8>);

fn analyse(name: &str, kind: PageKind, data: &[u8]) -> Result<Analysis> {
    match picture::image_format(kind) {
        Some(format) => picture::decode(name, kind, format, data)
            .map(|p| (Some(p.width), Some(p.height), None, p.thumbnail)),
        None => Ok((
            None,
            None,
            Some(pdf::page_count(name, data)?),
            picture::pdf_icon()?,
        )),
    }
}

fn check_size(name: &str, bytes: u64) -> Result<()> {
    if bytes == 0 {
        return Err(ScanError::Empty {
            name: name.to_owned(),
        });
    }
    if bytes > MAX_PAGE_BYTES {
        return Err(ScanError::TooLarge {
            name: name.to_owned(),
            bytes,
            limit: MAX_PAGE_BYTES,
        });
    }
    Ok(())
}

/// The last path component, for messages (never the whole path, which names the user).
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

fn open_error(name: &str, source: io::Error) -> ScanError {
    let name = name.to_owned();
    match source.kind() {
        io::ErrorKind::NotFound => ScanError::Missing { name, source },
        _ => ScanError::Unreadable { name, source },
    }
}
