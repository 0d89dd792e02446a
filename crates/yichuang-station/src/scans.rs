//! Scanned pages on the checklist lines of an intake, as the counter window handles them:
//! attach (file dialog, drag-and-drop, the document camera's folder), reorder, remove, view
//! large, and 减材料 reuse of a returning applicant's earlier pages.
//!
//! Every line a page goes to must be a line of the intake's item (its draft's, or its
//! case's once decided). A refused file changes nothing and its message names the file.
//! A scan taken from the watched folder is deleted from the folder once it is safely in the
//! encrypted page vault, so no plaintext copy of a citizen's document stays on disk.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tracing::{instrument, warn};
use uuid::Uuid;
use yichuang_core::MaterialRequirement;
use yichuang_core::intake::checklist;
use yichuang_scan::{PageKind, ScanError, ScanFolderWatcher};
use yichuang_store::{PageRef, Store, StoreError};

use crate::intake_views::{ArrivedScan, PageImage, PageView, ReuseOffer, ScanFolder};
use crate::station::{store_error, unknown_item};
use crate::{AppError, ErrorKind, Station};

/// The default scan folder, under the station's data folder.
pub const DEFAULT_SCAN_FOLDER: &str = "scan-inbox";

/// The watched scan folder: new files arrive from [`ScanInbox::next`]. Dropping it stops
/// the watch.
pub struct ScanInbox {
    folder: PathBuf,
    rx: UnboundedReceiver<PathBuf>,
    _watcher: ScanFolderWatcher,
}

impl ScanInbox {
    /// The next complete file saved into the folder; `None` once the watch has ended.
    pub async fn next(&mut self) -> Option<ArrivedScan> {
        let path = self.rx.recv().await?;
        Some(arrived(&path))
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

fn arrived(path: &Path) -> ArrivedScan {
    ArrivedScan {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
    }
}

fn parse_intake(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::new(ErrorKind::InvalidInput, "受理单标识有误，请重新开始受理"))
}

/// A refused file is the clerk's input to fix (kind `invalid_input`), with the scan
/// crate's message naming the file; everything else maps as usual.
fn scan_error(e: StoreError) -> AppError {
    match &e {
        StoreError::Scan(
            ScanError::Missing { .. }
            | ScanError::Unreadable { .. }
            | ScanError::NotAFile { .. }
            | ScanError::Empty { .. }
            | ScanError::TooLarge { .. }
            | ScanError::Unsupported { .. }
            | ScanError::Corrupt { .. }
            | ScanError::UnsupportedEncoding { .. }
            | ScanError::TooManyPixels { .. },
        ) => AppError::new(ErrorKind::InvalidInput, e.to_string()),
        _ => store_error(e),
    }
}

/// A page on another clerk's draft answers as a missing page.
fn own_page(store: &Store, page_id: i64, login: &str) -> Result<(), AppError> {
    if store
        .page_on_foreign_draft(page_id, login)
        .map_err(store_error)?
    {
        return Err(store_error(StoreError::PageNotFound { page_id }));
    }
    Ok(())
}

fn io_error(what: &str, folder: &Path, e: std::io::Error) -> AppError {
    AppError::new(
        ErrorKind::Store,
        format!(
            "{what}“{}”失败：{e}。请确认文件夹路径正确、本机账户有权限读写。",
            folder.display()
        ),
    )
}

impl Station {
    /// The checklist line `code` of intake `intake_id` (the agent's power of attorney
    /// included), or a message saying the line is not part of the intake's item.
    fn line_of(&self, intake_id: Uuid, code: &str) -> Result<MaterialRequirement, AppError> {
        let login = self.clerk()?.login;
        let item_code = {
            let store = self.lock();
            match store.own_draft(intake_id, &login).map_err(store_error)? {
                Some(draft) => Some(draft.item_code),
                None => store
                    .get_case(intake_id)
                    .map_err(store_error)?
                    .map(|case| case.intake.item_code),
            }
        };
        let item_code = item_code.ok_or_else(|| {
            AppError::new(
                ErrorKind::InvalidInput,
                "找不到该受理单（可能已被放弃），请重新开始受理",
            )
        })?;
        let cat = self.catalogue_index()?;
        let item = cat.catalogue.item(&item_code).ok_or_else(unknown_item)?;
        checklist(item, true)
            .into_iter()
            .find(|m| m.code == code.trim())
            .ok_or_else(|| {
                AppError::new(
                    ErrorKind::InvalidInput,
                    "该事项的材料清单中没有这一项，请刷新材料清单后重试",
                )
            })
    }

    /// Attaches the file at `path` (chosen in the file dialog or dropped on the window)
    /// at the end of line `material_code`.
    #[instrument(skip_all, err)]
    pub fn attach_file(
        &self,
        intake_id: &str,
        material_code: &str,
        path: &Path,
    ) -> Result<PageView, AppError> {
        let clerk = self.clerk()?;
        let id = parse_intake(intake_id)?;
        let line = self.line_of(id, material_code)?;
        let page = self
            .lock()
            .attach_page(id, &line.code, path, &clerk.login)
            .map_err(scan_error)?;
        self.page_view(page)
    }

    /// [`Station::attach_file`] for bytes the window read from a dropped file; `name` is the
    /// file name the clerk sees in messages.
    #[instrument(skip_all, err)]
    pub fn attach_bytes(
        &self,
        intake_id: &str,
        material_code: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<PageView, AppError> {
        let clerk = self.clerk()?;
        let id = parse_intake(intake_id)?;
        let line = self.line_of(id, material_code)?;
        let page = self
            .lock()
            .attach_page_bytes(id, &line.code, name, bytes, &clerk.login)
            .map_err(scan_error)?;
        self.page_view(page)
    }

    /// Attaches the file `name` of the watched scan folder to a line, then deletes it from
    /// the folder (the vault holds the encrypted copy). A refused file stays in the folder.
    #[instrument(skip_all, err)]
    pub fn attach_scan(
        &self,
        intake_id: &str,
        material_code: &str,
        name: &str,
    ) -> Result<PageView, AppError> {
        let plain = Path::new(name)
            .file_name()
            .is_some_and(|n| n == std::ffi::OsStr::new(name));
        if !plain {
            return Err(AppError::new(
                ErrorKind::InvalidInput,
                "扫描件名称有误，请在扫描文件夹中重新选择",
            ));
        }
        let path = self.scan_folder_path()?.join(name);
        let page = self.attach_file(intake_id, material_code, &path)?;
        if let Err(e) = std::fs::remove_file(&path) {
            warn!(error_kind = ?e.kind(), "an attached scan could not be removed from the scan folder");
        }
        Ok(page)
    }

    /// The pages of an intake, by line, then position, with their thumbnails.
    /// Another clerk's draft lists no pages, as a missing intake does.
    pub fn pages(&self, intake_id: &str) -> Result<Vec<PageView>, AppError> {
        let clerk = self.clerk()?;
        let id = parse_intake(intake_id)?;
        let pages = {
            let store = self.lock();
            if store
                .is_foreign_draft(id, &clerk.login)
                .map_err(store_error)?
            {
                return Ok(Vec::new());
            }
            store.pages_of(id).map_err(store_error)?
        };
        pages.into_iter().map(|p| self.page_view(p)).collect()
    }

    /// Moves a page to `position` (from 1) within its line.
    pub fn move_page(&self, page_id: i64, position: u32) -> Result<PageView, AppError> {
        let clerk = self.clerk()?;
        let page = {
            let mut store = self.lock();
            own_page(&store, page_id, &clerk.login)?;
            store.move_page(page_id, position).map_err(store_error)?
        };
        self.page_view(page)
    }

    /// Takes a page off its line; `false` when it was already gone.
    pub fn remove_page(&self, page_id: i64) -> Result<bool, AppError> {
        let clerk = self.clerk()?;
        let mut store = self.lock();
        if store
            .page_on_foreign_draft(page_id, &clerk.login)
            .map_err(store_error)?
        {
            return Ok(false);
        }
        store.remove_page(page_id).map_err(store_error)
    }

    /// The page's original for the large viewer; audited by the store as `scan.opened`.
    /// A TIFF (which the window cannot show) is converted to JPEG; a PDF is refused (the
    /// window shows its icon and name instead and does not ask).
    #[instrument(skip_all, err)]
    pub fn page_image(&self, page_id: i64) -> Result<PageImage, AppError> {
        let clerk = self.clerk()?;
        let original = {
            let mut store = self.lock();
            own_page(&store, page_id, &clerk.login)?;
            store
                .page_image(page_id, &clerk.login)
                .map_err(store_error)?
        };
        let (mime, bytes) = match image::guess_format(&original) {
            Ok(image::ImageFormat::Jpeg) => ("image/jpeg", original),
            Ok(image::ImageFormat::Png) => ("image/png", original),
            Ok(image::ImageFormat::Tiff) => ("image/jpeg", tiff_as_jpeg(&original)?),
            _ => {
                return Err(AppError::new(
                    ErrorKind::InvalidInput,
                    "PDF 文件不能在此预览，请查看它的文件名和页数",
                ));
            }
        };
        Ok(PageImage {
            page_id,
            mime: mime.to_string(),
            data_url: data_url(mime, &bytes),
        })
    }

    /// 减材料: pages of the applicant's earlier cases that fit line `material_code` of this
    /// intake (same material name) and are not on that line yet, newest first.
    pub fn reusable(
        &self,
        intake_id: &str,
        material_code: &str,
        applicant_id_no: &str,
    ) -> Result<Vec<ReuseOffer>, AppError> {
        self.clerk()?;
        let id = parse_intake(intake_id)?;
        let line = self.line_of(id, material_code)?;
        let (found, on_line) = {
            let store = self.lock();
            let found = store
                .reusable_pages(applicant_id_no, &line.name)
                .map_err(store_error)?;
            let on_line: Vec<String> = store
                .pages_of(id)
                .map_err(store_error)?
                .into_iter()
                .filter(|p| p.material_code == line.code)
                .map(|p| p.sha256)
                .collect();
            (found, on_line)
        };
        let mut offers = Vec::new();
        for page in found
            .into_iter()
            .filter(|p| p.intake_id != id && !on_line.contains(&p.sha256))
        {
            let case = self.lock().get_case(page.intake_id).map_err(store_error)?;
            let when = case
                .as_ref()
                .map(|c| {
                    format!(
                        "（{}，{}）",
                        c.case_no,
                        yichuang_core::time::local_date(c.accepted_at)
                    )
                })
                .unwrap_or_default();
            offers.push(ReuseOffer {
                label: format!("复用上次的{}扫描件{when}", line.name),
                page: self.page_view(page)?,
            });
        }
        Ok(offers)
    }

    /// 减材料: puts page `page_id` of an earlier case on line `material_code` without a new
    /// scan; the page then shows "复用自 <case_no>".
    #[instrument(skip_all, err)]
    pub fn reuse(
        &self,
        intake_id: &str,
        material_code: &str,
        page_id: i64,
    ) -> Result<PageView, AppError> {
        let clerk = self.clerk()?;
        let id = parse_intake(intake_id)?;
        let line = self.line_of(id, material_code)?;
        let page = self
            .lock()
            .reuse_page(id, &line.code, page_id, &clerk.login)
            .map_err(store_error)?;
        self.page_view(page)
    }

    /// The folder the document camera saves into (created if missing).
    pub fn scan_folder(&self) -> Result<ScanFolder, AppError> {
        self.clerk()?;
        let configured = self.lock().scan_folder().map_err(store_error)?;
        let path = self.scan_folder_path()?;
        Ok(ScanFolder {
            path: path.display().to_string(),
            is_default: configured.is_none(),
        })
    }

    /// Whether the file dialog for scans may open: any logged-in clerk (the window asks
    /// before showing a dialog, so a locked or logged-out window opens none).
    pub fn may_pick_scan_files(&self) -> Result<(), AppError> {
        self.clerk().map(|_| ())
    }

    /// Whether the folder dialog for the scan folder may open: the scan folder is a station
    /// setting, so only the hall manager chooses it.
    pub fn may_pick_scan_folder(&self) -> Result<(), AppError> {
        self.manager().map(|_| ())
    }

    /// Sets the scan folder (empty = the default); it is created if missing. A station
    /// setting: hall manager only. A watch already running keeps its old folder: start a
    /// new one.
    #[instrument(skip_all, err)]
    pub fn set_scan_folder(&self, folder: &str) -> Result<ScanFolder, AppError> {
        let clerk = self.manager()?;
        let folder = folder.trim();
        if !folder.is_empty() {
            std::fs::create_dir_all(folder)
                .map_err(|e| io_error("创建扫描文件夹", Path::new(folder), e))?;
        }
        self.lock()
            .set_scan_folder(folder, &clerk.login)
            .map_err(store_error)?;
        self.scan_folder()
    }

    /// Starts watching the scan folder: each new complete file comes out of
    /// [`ScanInbox::next`]. Files already there are not delivered.
    #[instrument(skip_all, err)]
    pub fn start_scan_watch(&self) -> Result<ScanInbox, AppError> {
        self.clerk()?;
        let folder = self.scan_folder_path()?;
        let (tx, rx) = unbounded_channel();
        let watcher = ScanFolderWatcher::start(&folder, tx.clone())
            .map_err(|e| AppError::new(ErrorKind::Store, e.to_string()))?;
        // Scans left in the folder (taken while the app was closed, or not attached before a
        // restart) come first: the watch reports only new files.
        let mut left: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| io_error("读取扫描文件夹", &folder, e))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| yichuang_scan::is_scan_file_name(&e.file_name()))
            .map(|e| e.path())
            .collect();
        left.sort();
        for path in left {
            let _ = tx.send(path);
        }
        Ok(ScanInbox {
            folder,
            rx,
            _watcher: watcher,
        })
    }

    /// The scan folder's path, made if missing.
    fn scan_folder_path(&self) -> Result<PathBuf, AppError> {
        let (configured, data_dir) = {
            let store = self.lock();
            let configured = store.scan_folder().map_err(store_error)?;
            (configured, store.paths().data_dir.clone())
        };
        let folder = configured
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join(DEFAULT_SCAN_FOLDER));
        std::fs::create_dir_all(&folder).map_err(|e| io_error("创建扫描文件夹", &folder, e))?;
        Ok(folder)
    }

    /// The window's view of a page: labels, thumbnail, and where a reused page came from.
    fn page_view(&self, page: PageRef) -> Result<PageView, AppError> {
        let (thumbnail, from_case) = {
            let store = self.lock();
            let thumbnail = store.page_thumbnail(page.id).map_err(store_error)?;
            let from_case = reused_case_no(&store, page.reused_from_case)?;
            (thumbnail, from_case)
        };
        let kind = PageKind::from_code(&page.kind);
        Ok(PageView {
            id: page.id,
            intake_id: page.intake_id.to_string(),
            position: page.position,
            is_pdf: kind == Some(PageKind::Pdf),
            description: describe(kind, &page),
            thumbnail: data_url("image/jpeg", &thumbnail),
            reused_label: from_case.map(|no| format!("复用自 {no}")),
            name: page.original_name,
            material_code: page.material_code,
        })
    }
}

fn reused_case_no(store: &Store, from: Option<Uuid>) -> Result<Option<String>, AppError> {
    let Some(from) = from else { return Ok(None) };
    let case = store.get_case(from).map_err(store_error)?;
    Ok(Some(
        case.map(|c| c.case_no)
            .unwrap_or_else(|| "更早的办件".to_string()),
    ))
}

/// "JPEG 图片 · 2480×3508 · 1.2 MB" / "PDF 文件 · 3 页 · 0.4 MB".
fn describe(kind: Option<PageKind>, page: &PageRef) -> String {
    let mut parts = vec![kind.map_or_else(|| page.kind.clone(), |k| k.to_string())];
    if let (Some(w), Some(h)) = (page.width, page.height) {
        parts.push(format!("{w}×{h}"));
    }
    if let Some(n) = page.pdf_pages {
        parts.push(format!("{n} 页"));
    }
    parts.push(format!("{:.1} MB", page.bytes as f64 / (1024.0 * 1024.0)));
    parts.join(" · ")
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", BASE64.encode(bytes))
}

/// WebKit does not show TIFF: the viewer gets a JPEG of it.
fn tiff_as_jpeg(tiff: &[u8]) -> Result<Vec<u8>, AppError> {
    let failed = |e: image::ImageError| {
        AppError::new(
            ErrorKind::Internal,
            format!("TIFF 页面无法转换为预览图：{e}。请重新扫描为 JPEG 后再添加"),
        )
    };
    let picture = image::load_from_memory_with_format(tiff, image::ImageFormat::Tiff)
        .map_err(failed)?
        .into_rgb8();
    let mut out = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(failed)?;
    Ok(out.into_inner())
}
