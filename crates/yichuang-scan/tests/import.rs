//! Importing real, valid page files of each kind.

use crate::common;

use std::fs;

use image::ImageFormat;
use sha2::{Digest, Sha256};
use yichuang_scan::{PageKind, THUMBNAIL_SIDE, import_file, inspect};

fn thumb_size(jpeg: &[u8]) -> (u32, u32) {
    let img =
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("thumbnail is a JPEG");
    (img.width(), img.height())
}

#[test]
fn jpeg_is_described_hashed_and_thumbnailed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("身份证正面.jpg");
    let bytes = common::jpeg(800, 600);
    fs::write(&path, &bytes).expect("write");

    let file = import_file(&path).expect("a whole JPEG is accepted");
    let page = file.page();
    assert_eq!(page.kind, PageKind::Jpeg);
    assert_eq!(page.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(page.bytes, bytes.len() as u64);
    assert_eq!((page.width, page.height), (Some(800), Some(600)));
    assert_eq!(page.pdf_pages, None);
    assert_eq!(page.original_name, "身份证正面.jpg");
    assert_eq!(thumb_size(&page.thumbnail), (THUMBNAIL_SIDE, 180));
    assert_eq!(file.data(), bytes.as_slice());
}

#[test]
fn png_named_jpg_is_accepted_as_png() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("户口本.jpg");
    fs::write(&path, common::png(300, 500)).expect("write");

    let page = inspect(&path).expect("content decides, not the extension");
    assert_eq!(page.kind, PageKind::Png);
    assert_eq!((page.width, page.height), (Some(300), Some(500)));
    assert_eq!(thumb_size(&page.thumbnail), (144, THUMBNAIL_SIDE));
}

#[test]
fn tiff_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("营业执照.tif");
    fs::write(&path, common::tiff(640, 480)).expect("write");

    let page = inspect(&path).expect("tiff");
    assert_eq!(page.kind, PageKind::Tiff);
    assert_eq!((page.width, page.height), (Some(640), Some(480)));
    assert_eq!(thumb_size(&page.thumbnail), (THUMBNAIL_SIDE, 180));
}

#[test]
fn pdf_pages_are_counted_and_get_the_page_icon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("申请表.pdf");
    fs::write(&path, common::pdf(3)).expect("write");

    let page = inspect(&path).expect("a small valid PDF");
    assert_eq!(page.kind, PageKind::Pdf);
    assert_eq!(page.pdf_pages, Some(3));
    assert_eq!((page.width, page.height), (None, None));
    assert_eq!(thumb_size(&page.thumbnail), (170, THUMBNAIL_SIDE));
}

#[test]
fn transparent_png_thumbnail_is_a_valid_jpeg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("签名.png");
    let img = image::RgbaImage::from_fn(100, 50, |x, _| image::Rgba([0, 0, 0, (x * 2) as u8]));
    img.save_with_format(&path, ImageFormat::Png)
        .expect("write");

    let page = inspect(&path).expect("rgba png");
    let thumb = image::load_from_memory(&page.thumbnail)
        .expect("jpeg")
        .to_rgb8();
    assert_eq!(
        thumb.get_pixel(0, 0).0,
        [255, 255, 255],
        "transparent → white"
    );
}

#[test]
fn a_picture_too_wide_to_handle_is_refused_before_decoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("长条.png");
    image::GrayImage::new(40_000, 1)
        .save_with_format(&path, ImageFormat::Png)
        .expect("write");

    let err = inspect(&path).expect_err("40,000 px wide");
    assert_eq!(err.kind(), "too_many_pixels");
    assert!(err.to_string().contains("长条.png"), "{err}");
}
