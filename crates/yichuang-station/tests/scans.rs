//! Scanned pages as the window drives them, on a real station (SQLCipher file, key in the real
//! OS keyring, shipped catalogue): run under crates/yichuang-store/with-keyring.sh.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common;
use yichuang_core::IntakeDecision;

use common::{DEMO_ID as ID_NO, PENSION, RESIDENCE_PERMIT, filled, station};
use yichuang_station::ErrorKind;

/// A real JPEG, different for every seed.
fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(80 + u32::from(seed), 60, |x, y| {
        image::Rgb([x as u8 ^ seed, y as u8, seed.wrapping_mul(37)])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_file_and_dropped_bytes_land_on_their_line_with_thumbnails_and_open_large() {
    let f = station();
    let form = f.station.start_intake(RESIDENCE_PERMIT).unwrap();
    let card = write(f.dir.path(), "身份证正面.jpg", &jpeg(1));
    let first = f.station.attach_file(&form.id, "M01", &card).unwrap();
    assert_eq!((first.material_code.as_str(), first.position), ("M01", 1));
    assert_eq!(first.name, "身份证正面.jpg");
    assert!(!first.is_pdf);
    assert!(
        first.description.starts_with("JPEG 图片 · 81×60"),
        "{}",
        first.description
    );
    assert!(first.thumbnail.starts_with("data:image/jpeg;base64,/9j/"));
    assert_eq!(first.reused_label, None);

    let dropped = f
        .station
        .attach_bytes(&form.id, "M01", "身份证背面.jpg", jpeg(2))
        .unwrap();
    assert_eq!(dropped.position, 2);
    let photo = f
        .station
        .attach_bytes(&form.id, "M02", "照片.jpg", jpeg(3))
        .unwrap();
    assert_eq!(photo.position, 1);

    let moved = f.station.move_page(dropped.id, 1).unwrap();
    assert_eq!(moved.position, 1);
    let pages = f.station.pages(&form.id).unwrap();
    let order: Vec<_> = pages
        .iter()
        .map(|p| (p.material_code.as_str(), p.name.as_str(), p.position))
        .collect();
    assert_eq!(
        order,
        [
            ("M01", "身份证背面.jpg", 1),
            ("M01", "身份证正面.jpg", 2),
            ("M02", "照片.jpg", 1)
        ]
    );

    let large = f.station.page_image(first.id).unwrap();
    assert_eq!(large.mime, "image/jpeg");
    assert!(large.data_url.len() > first.thumbnail.len() / 2);
    assert!(f.station.remove_page(photo.id).unwrap());
    assert!(!f.station.remove_page(photo.id).unwrap(), "already gone");
    assert_eq!(f.station.pages(&form.id).unwrap().len(), 2);
}

#[test]
fn a_line_not_on_the_items_checklist_is_refused() {
    let f = station();
    let form = f.station.start_intake(RESIDENCE_PERMIT).unwrap();
    let err = f
        .station
        .attach_bytes(&form.id, "M99", "a.jpg", jpeg(1))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("材料清单"), "{}", err.message);
    // The agent's power of attorney is a line of every item.
    let agent = f.station.item(RESIDENCE_PERMIT).unwrap().agent_line;
    f.station
        .attach_bytes(&form.id, &agent.material.code, "委托书.jpg", jpeg(2))
        .unwrap();
}

#[test]
fn a_corrupt_file_is_refused_by_name_and_nothing_is_attached() {
    let f = station();
    let form = f.station.start_intake(RESIDENCE_PERMIT).unwrap();
    let mut cut = jpeg(4);
    cut.truncate(cut.len() / 2);
    let path = write(f.dir.path(), "户口本首页.jpg", &cut);
    let err = f.station.attach_file(&form.id, "M01", &path).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("户口本首页.jpg"), "{}", err.message);
    assert!(
        err.message.contains("损坏") || err.message.contains("不完整"),
        "{}",
        err.message
    );
    let not_a_scan = f
        .station
        .attach_bytes(
            &form.id,
            "M01",
            "申请表.docx",
            b"PK\x03\x04 not a scan".to_vec(),
        )
        .unwrap_err();
    assert!(not_a_scan.message.contains("申请表.docx"));
    assert!(f.station.pages(&form.id).unwrap().is_empty(), "no rows");
    // The intake itself is untouched: its draft is still there.
    assert_eq!(f.station.drafts().unwrap().len(), 1);
}

#[test]
fn the_scan_folder_defaults_under_the_data_dir_and_can_be_changed() {
    let f = station();
    let folder = f.station.scan_folder().unwrap();
    assert!(folder.is_default);
    assert_eq!(
        PathBuf::from(&folder.path),
        f.config.data_dir.join("scan-inbox")
    );
    assert!(Path::new(&folder.path).is_dir(), "created");
    let camera = f.dir.path().join("高拍仪");
    let changed = f
        .station
        .set_scan_folder(&camera.display().to_string())
        .unwrap();
    assert!(!changed.is_default);
    assert!(camera.is_dir());
    let relative = f.station.set_scan_folder("relative/dir").unwrap_err();
    assert_eq!(relative.kind, ErrorKind::InvalidInput);
    assert_eq!(f.station.scan_folder().unwrap(), changed, "kept on refusal");
    assert!(f.station.set_scan_folder("").unwrap().is_default);
}

#[tokio::test]
async fn the_watcher_delivers_a_new_scan_which_attaches_and_leaves_the_folder() {
    let f = station();
    let form = f.station.start_intake(RESIDENCE_PERMIT).unwrap();
    let folder = PathBuf::from(f.station.scan_folder().unwrap().path);
    write(&folder, "old.jpg", &jpeg(9)); // left from before: offered first
    write(&folder, ".hidden.jpg", &jpeg(9)); // never offered
    write(&folder, "IMG_9.JPG.tmp", &jpeg(9)); // still being written: never offered
    let mut inbox = f.station.start_scan_watch().unwrap();
    assert_eq!(inbox.folder(), folder);
    let left = tokio::time::timeout(Duration::from_secs(10), inbox.next())
        .await
        .expect("the left-over scan is offered")
        .expect("watch running");
    assert_eq!(left.name, "old.jpg");

    // Written in two steps like a camera would, after the watch started.
    let bytes = jpeg(5);
    let path = folder.join("IMG_0001.JPG");
    std::fs::write(&path, &bytes[..100]).unwrap();
    {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(&bytes[100..]).unwrap();
    }
    let arrived = tokio::time::timeout(Duration::from_secs(10), inbox.next())
        .await
        .expect("the scan arrives")
        .expect("watch running");
    assert_eq!(arrived.name, "IMG_0001.JPG");
    assert_eq!(PathBuf::from(&arrived.path), path);

    let page = f
        .station
        .attach_scan(&form.id, "M01", &arrived.name)
        .unwrap();
    assert_eq!(page.name, "IMG_0001.JPG");
    assert!(!path.exists(), "the plaintext scan left the folder");
    assert!(folder.join("old.jpg").exists(), "other files untouched");
    let traversal = f
        .station
        .attach_scan(&form.id, "M01", "../station.db")
        .unwrap_err();
    assert_eq!(traversal.kind, ErrorKind::InvalidInput);
    drop(inbox);
}

#[test]
fn pages_of_an_earlier_decided_case_are_offered_and_reused() {
    let f = station();
    let earlier = filled(&f.station, RESIDENCE_PERMIT);
    let card = f
        .station
        .attach_bytes(&earlier.id, "M01", "身份证.jpg", jpeg(7))
        .unwrap();
    let case = f
        .station
        .decide(&earlier, &IntakeDecision::Accept)
        .unwrap()
        .case;

    let now = filled(&f.station, PENSION);
    let offers = f.station.reusable(&now.id, "M01", ID_NO).unwrap();
    assert_eq!(offers.len(), 1, "the ID card of the earlier case");
    assert!(
        offers[0].label.starts_with("复用上次的居民身份证扫描件")
            && offers[0].label.contains(&case.case_no),
        "{}",
        offers[0].label
    );
    assert_eq!(offers[0].page.id, card.id);
    assert!(
        f.station
            .reusable(&now.id, "M02", ID_NO)
            .unwrap()
            .is_empty(),
        "户口簿 was never scanned"
    );
    assert!(
        f.station
            .reusable(&now.id, "M01", "440524188001010014")
            .unwrap()
            .is_empty(),
        "another applicant's pages are not offered"
    );

    let reused = f.station.reuse(&now.id, "M01", card.id).unwrap();
    assert_eq!(reused.material_code, "M01");
    assert_eq!(
        reused.reused_label.as_deref(),
        Some(format!("复用自 {}", case.case_no).as_str())
    );
    let pages = f.station.pages(&now.id).unwrap();
    assert_eq!(pages, [reused]);
    assert!(
        f.station
            .reusable(&now.id, "M01", ID_NO)
            .unwrap()
            .is_empty(),
        "no longer offered once on the line"
    );
}

#[test]
fn discarding_a_draft_removes_its_pages_from_the_vault() {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station
        .attach_bytes(&form.id, "M01", "身份证.jpg", jpeg(7))
        .unwrap();
    let vault = f.config.data_dir.join("pages");
    let files = |dir: &Path| -> usize {
        walk(dir)
            .into_iter()
            .filter(|p| !p.starts_with(dir.join("thumbs")))
            .count()
    };
    assert_eq!(files(&vault), 1, "the page is in the vault");
    assert!(f.station.discard_draft(&form.id).unwrap());
    assert!(f.station.pages(&form.id).unwrap().is_empty());
    assert_eq!(files(&vault), 0, "an abandoned draft leaves no scan behind");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
