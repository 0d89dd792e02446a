//! The corrupt-file corpus: each file refused with the right reason, naming the file.
//!
//! The files live in `tests/corpus/` and are small; they are made from valid files by
//! `cargo test -p yichuang-scan --test corpus -- --ignored write_corpus` (run it again after
//! changing `corpus()`). The 51 MB file is made sparse in a temp dir, never committed.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use yichuang_scan::{ScanError, import_file};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// (file name, expected error kind, a fragment of the reason, how to make it).
fn corpus() -> Vec<(&'static str, &'static str, &'static str, Vec<u8>)> {
    let jpeg = common::jpeg(64, 48);
    let mut png = common::png(32, 32);
    let idat = png
        .windows(4)
        .position(|w| w == b"IDAT")
        .expect("png has IDAT");
    png[idat + 8] ^= 0x5A; // a byte of compressed data: the chunk's CRC no longer matches
    let mut png_crc = common::png(32, 32);
    let idat = png_crc
        .windows(4)
        .position(|w| w == b"IDAT")
        .expect("png has IDAT");
    let len = u32::from_be_bytes(png_crc[idat - 4..idat].try_into().expect("4 bytes")) as usize;
    png_crc[idat + 4 + len] ^= 0xFF; // only the stored CRC is wrong: the data would inflate
    let tiff = common::tiff(32, 32);
    let pdf = common::pdf(1);
    let eof = pdf
        .windows(5)
        .rposition(|w| w == b"%%EOF")
        .expect("pdf has %%EOF");
    vec![
        (
            "身份证正面-截断.jpg",
            "corrupt",
            "中断",
            jpeg[..jpeg.len() * 6 / 10].to_vec(),
        ),
        ("户口本-坏块.png", "corrupt", "无法解码", png),
        ("户口本-校验错.png", "corrupt", "无法解码", png_crc),
        (
            "营业执照-仅文件头.tif",
            "corrupt",
            "",
            b"II*\0\x08\0\0\0".to_vec(),
        ),
        (
            "营业执照-截断.tif",
            "corrupt",
            "",
            tiff[..tiff.len() / 2].to_vec(),
        ),
        ("申请表-无结尾.pdf", "corrupt", "%%EOF", pdf[..eof].to_vec()),
        (
            "申请表-结构损坏.pdf",
            "corrupt",
            "",
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nendobj\n%%EOF\n".to_vec(),
        ),
        (
            "说明-其实是文本.jpg",
            "unsupported_type",
            "文本文件",
            "申请人：张三\n身份证号见附件\n".as_bytes().to_vec(),
        ),
        (
            "扫描程序.pdf",
            "unsupported_type",
            "可执行程序",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF".to_vec(),
        ),
        ("空文件.jpg", "empty", "空的", Vec::new()),
    ]
}

fn check_refusal(path: &Path, kind: &str, fragment: &str) -> ScanError {
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let err = import_file(path).expect_err(&name);
    let message = err.to_string();
    assert_eq!(err.kind(), kind, "{name}: {message}");
    assert!(
        message.contains(&format!("「{name}」")),
        "names the file: {message}"
    );
    assert!(
        message.contains(fragment),
        "{name}: reason {fragment:?} in {message}"
    );
    let dir = path.parent().expect("dir").to_string_lossy().into_owned();
    assert!(
        !message.contains(&dir),
        "no directory in the message: {message}"
    );
    assert!(
        message.contains("请"),
        "tells the clerk what to do: {message}"
    );
    err
}

#[test]
fn every_corpus_file_is_refused_with_its_reason() {
    for (name, kind, fragment, _) in corpus() {
        check_refusal(&corpus_dir().join(name), kind, fragment);
    }
}

#[test]
fn committed_corpus_matches_its_recipe() {
    for (name, _, _, bytes) in corpus() {
        let on_disk = fs::read(corpus_dir().join(name)).expect(name);
        assert_eq!(
            on_disk, bytes,
            "{name} differs from corpus(): rerun write_corpus"
        );
    }
}

#[test]
fn decoder_errors_are_kept_as_the_source() {
    let err = check_refusal(&corpus_dir().join("户口本-坏块.png"), "corrupt", "");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_51_mb_file_is_refused_by_its_size_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("超大扫描件.jpg");
    let file = fs::File::create(&path).expect("create");
    file.set_len(51 * 1024 * 1024).expect("sparse file");
    let err = check_refusal(&path, "too_large", "51.0 MB");
    assert!(err.to_string().contains("50.0 MB"), "{err}");
}

#[test]
fn a_missing_file_and_a_folder_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    check_refusal(&dir.path().join("不存在.jpg"), "missing", "找不到");
    let folder = dir.path().join("文件夹.jpg");
    fs::create_dir(&folder).expect("mkdir");
    check_refusal(&folder, "not_a_file", "文件夹");
}

#[test]
#[ignore = "regenerates tests/corpus; run by hand"]
fn write_corpus() {
    fs::create_dir_all(corpus_dir()).expect("corpus dir");
    for (name, _, _, bytes) in corpus() {
        fs::write(corpus_dir().join(name), bytes).expect(name);
    }
}
