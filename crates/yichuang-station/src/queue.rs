//! The queue screen's service (issue 8.4): filter choices, the search as pages with a total,
//! a case's scans by material and opening one of them (audited with the case and page).

use std::time::Instant;

use base64::Engine as _;
use tracing::instrument;
use uuid::Uuid;
use yichuang_core::{CaseQuery, CaseState, DistrictStatus, SyncState};

use crate::intake_views::{Choice, PageImage, sync_label};
use crate::queue_views::{NO_DISTRICT_STATUS, QueueFilters, QueuePage, ScanGroup};
use crate::station::store_error;
use crate::views::CaseRow;
use crate::{AppError, ErrorKind, Station};

fn choice<T: serde::Serialize>(value: T, label: &str) -> Choice {
    let value = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    };
    Choice {
        value,
        label: label.to_string(),
    }
}

pub(crate) fn parse_case_id(case_id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(case_id)
        .map_err(|_| AppError::new(ErrorKind::InvalidInput, "办件标识无效，请重新打开该办件"))
}

impl Station {
    /// The queue's filter choices with their Chinese labels (any clerk).
    pub fn queue_filters(&self) -> Result<QueueFilters, AppError> {
        self.clerk()?;
        let outcomes = CaseState::ALL
            .into_iter()
            .filter(|s| *s != CaseState::Draft)
            .map(|s| choice(s, s.label()))
            .collect();
        let mut statuses: Vec<Choice> = DistrictStatus::ALL
            .into_iter()
            .map(|s| choice(s, s.label()))
            .collect();
        statuses.push(Choice {
            value: NO_DISTRICT_STATUS.into(),
            label: "未回传".into(),
        });
        let sync_states = [
            SyncState::Pending,
            SyncState::Synced,
            SyncState::Quarantined,
        ]
        .into_iter()
        .map(|s| choice(s, sync_label(s)))
        .collect();
        let catalogue = self.catalogue_index()?;
        let items = catalogue
            .catalogue
            .items
            .iter()
            .map(|i| Choice {
                value: i.item_code.clone(),
                label: i.name.clone(),
            })
            .collect();
        let mut names: Vec<String> = self
            .lock()
            .clerk_names()
            .map_err(store_error)?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        names.dedup();
        let clerks = names
            .into_iter()
            .map(|n| Choice {
                value: n.clone(),
                label: n,
            })
            .collect();
        Ok(QueueFilters {
            outcomes,
            statuses,
            sync_states,
            items,
            clerks,
        })
    }

    /// One page of the queue search with the number of matching cases (any clerk).
    #[instrument(skip_all, fields(offset = query.offset), err)]
    pub fn search_queue(&self, query: &CaseQuery) -> Result<QueuePage, AppError> {
        self.clerk()?;
        let started = Instant::now();
        let store = self.lock();
        let (cases, total) = store.search_page(query).map_err(store_error)?;
        let store_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut rows = Vec::with_capacity(cases.len());
        for case in &cases {
            let mut row = CaseRow::from(case);
            row.district_status_label = store
                .district_status(case.id)
                .map_err(store_error)?
                .map(|s| s.label);
            rows.push(row);
        }
        let more = total > yichuang_store::COUNT_CAP;
        let total = total.min(yichuang_store::COUNT_CAP);
        Ok(QueuePage {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            more,
            offset: query.offset,
            rows,
            store_ms,
        })
    }

    /// A case's scanned pages, grouped by material line in checklist order (any clerk).
    pub fn case_scans(&self, case_id: &str) -> Result<Vec<ScanGroup>, AppError> {
        let id = parse_case_id(case_id)?;
        let pages = self.pages(case_id)?;
        let case = self
            .lock()
            .get_case(id)
            .map_err(store_error)?
            .ok_or_else(|| AppError::new(ErrorKind::InvalidInput, "找不到该办件"))?;
        let catalogue = self.catalogue_index()?;
        let materials = catalogue
            .catalogue
            .item(&case.intake.item_code)
            .map(|i| i.materials.clone())
            .unwrap_or_default();
        let mut groups: Vec<ScanGroup> = Vec::new();
        for page in pages {
            match groups
                .iter_mut()
                .find(|g| g.material_code == page.material_code)
            {
                Some(group) => group.pages.push(page),
                None => groups.push(ScanGroup {
                    material_name: materials
                        .iter()
                        .find(|m| m.code == page.material_code)
                        .map_or_else(|| page.material_code.clone(), |m| m.name.clone()),
                    material_code: page.material_code.clone(),
                    pages: vec![page],
                }),
            }
        }
        let order = |code: &str| materials.iter().position(|m| m.code == code);
        groups.sort_by_key(|g| order(&g.material_code).unwrap_or(usize::MAX));
        Ok(groups)
    }

    /// Opens page `page_id` of case `case_id` large; the store audits who opened which page
    /// of which case (`scan.opened`), and the case's history shows it.
    #[instrument(skip_all, fields(page_id), err)]
    pub fn case_page_image(&self, case_id: &str, page_id: i64) -> Result<PageImage, AppError> {
        let clerk = self.clerk()?;
        let id = parse_case_id(case_id)?;
        let original = self
            .lock()
            .case_page_image(id, page_id, &clerk.login)
            .map_err(store_error)?;
        let (mime, bytes) = viewable(original)?;
        let data_url = format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        Ok(PageImage {
            page_id,
            mime: mime.to_string(),
            data_url,
        })
    }
}

/// The original as the window can show it: JPEG and PNG as they are, TIFF as JPEG.
fn viewable(original: Vec<u8>) -> Result<(&'static str, Vec<u8>), AppError> {
    let failed = |e: image::ImageError| {
        AppError::new(ErrorKind::Internal, format!("该页面无法转换为预览图：{e}"))
    };
    match image::guess_format(&original) {
        Ok(image::ImageFormat::Jpeg) => Ok(("image/jpeg", original)),
        Ok(image::ImageFormat::Png) => Ok(("image/png", original)),
        Ok(image::ImageFormat::Tiff) => {
            let picture = image::load_from_memory_with_format(&original, image::ImageFormat::Tiff)
                .map_err(failed)?
                .into_rgb8();
            let mut out = std::io::Cursor::new(Vec::new());
            picture
                .write_to(&mut out, image::ImageFormat::Jpeg)
                .map_err(failed)?;
            Ok(("image/jpeg", out.into_inner()))
        }
        _ => Err(AppError::new(
            ErrorKind::InvalidInput,
            "PDF 文件不能在此预览，请查看它的文件名和页数",
        )),
    }
}
