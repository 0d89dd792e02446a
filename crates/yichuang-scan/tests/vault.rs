//! The page vault on a real directory: round trip, dedup, wrong key, tampering, removal.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use yichuang_scan::{PageKey, PageVault, PutOutcome, import_bytes};

fn key(byte: u8) -> PageKey {
    PageKey::from_bytes([byte; 32])
}

/// Every file under `dir`, recursively, with its size.
fn files(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), fs::metadata(&path).expect("meta").len()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_page_round_trips_encrypted_under_its_hash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    let bytes = common::jpeg(320, 240);
    let file = import_bytes("身份证正面.jpg".into(), bytes.clone()).expect("import");
    let sha = file.page().sha256.clone();

    assert_eq!(vault.put_imported(&file).expect("put"), PutOutcome::Stored);
    assert!(vault.contains(&sha).expect("contains"));
    assert_eq!(vault.get(&sha).expect("get"), bytes);
    assert_eq!(
        vault.get_thumbnail(&sha).expect("thumb"),
        file.page().thumbnail
    );

    let stored = dir.path().join(&sha[..2]).join(&sha);
    let on_disk = fs::read(&stored).expect("stored at <2 hex>/<sha>");
    assert!(
        on_disk.starts_with(b"YCPV\x01\x01"),
        "header: magic, version, suite"
    );
    assert_eq!(on_disk.len(), bytes.len() + 6 + 24 + 16);
    assert!(
        !on_disk.windows(64).any(|w| w == &bytes[..64]),
        "not plaintext"
    );
    assert!(
        dir.path()
            .join("thumbs")
            .join(&sha[..2])
            .join(&sha)
            .is_file()
    );
}

#[test]
fn the_same_content_is_stored_once_and_the_second_put_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    let bytes = common::png(64, 64);
    let (sha, first) = vault.put(&bytes).expect("first put");
    assert_eq!(first, PutOutcome::Stored);
    let before = files(dir.path());
    let modified = fs::metadata(dir.path().join(&sha[..2]).join(&sha))
        .expect("meta")
        .modified()
        .expect("mtime");

    let (sha2, second) = vault.put(&bytes).expect("second put");
    assert_eq!(
        (sha2.as_str(), second),
        (sha.as_str(), PutOutcome::AlreadyPresent)
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no new file, no temp left behind"
    );
    let after = fs::metadata(dir.path().join(&sha[..2]).join(&sha))
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(after, modified, "the stored file was not rewritten");
}

#[test]
fn a_wrong_key_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sha, _) = PageVault::open(dir.path(), key(1))
        .expect("open")
        .put(b"page")
        .expect("put");
    let other = PageVault::open(dir.path(), key(2)).expect("open with another key");
    let err = other.get(&sha).expect_err("wrong key");
    assert_eq!(err.kind(), "decrypt");
    assert!(err.to_string().contains(&sha[..12]), "{err}");
    assert!(err.to_string().contains("密钥"), "{err}");
}

#[test]
fn a_tampered_byte_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    let (sha, _) = vault.put(&common::jpeg(64, 64)).expect("put");
    let path = dir.path().join(&sha[..2]).join(&sha);
    let mut sealed = fs::read(&path).expect("read");
    let middle = sealed.len() / 2;
    sealed[middle] ^= 1;
    fs::write(&path, &sealed).expect("tamper");
    assert_eq!(vault.get(&sha).expect_err("tampered").kind(), "decrypt");

    sealed[middle] ^= 1;
    sealed[5] = 0x42; // an unknown suite
    fs::write(&path, &sealed).expect("tamper header");
    let err = vault.get(&sha).expect_err("unknown suite");
    assert_eq!(err.kind(), "bad_format");
    assert!(err.to_string().contains("套件 66"), "{err}");
}

#[test]
fn a_page_filed_under_another_hash_fails_the_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    let (a, _) = vault.put(b"page a").expect("put a");
    let (b, _) = vault.put(b"page b").expect("put b");
    // Moving a sealed file under another name breaks the AAD binding.
    fs::copy(
        dir.path().join(&a[..2]).join(&a),
        dir.path().join(&b[..2]).join(&b),
    )
    .expect("swap");
    assert_eq!(vault.get(&b).expect_err("swapped").kind(), "decrypt");
}

#[test]
fn remove_deletes_page_and_thumbnail_and_missing_pages_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    let file = import_bytes("a.png".into(), common::png(50, 50)).expect("import");
    let sha = file.page().sha256.clone();
    vault.put_imported(&file).expect("put");

    assert!(vault.remove(&sha).expect("remove"));
    assert!(!vault.contains(&sha).expect("contains"));
    assert_eq!(vault.get(&sha).expect_err("gone").kind(), "page_missing");
    assert_eq!(
        vault.get_thumbnail(&sha).expect_err("gone").kind(),
        "page_missing"
    );
    assert!(!vault.remove(&sha).expect("second remove is harmless"));
    assert_eq!(
        vault.put_imported(&file).expect("put again"),
        PutOutcome::Stored
    );
}

#[test]
fn a_malformed_sha_never_becomes_a_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = PageVault::open(dir.path(), key(1)).expect("open");
    for bad in ["", "../../etc/passwd", &"A".repeat(64), &"0".repeat(63)] {
        assert_eq!(vault.get(bad).expect_err(bad).kind(), "invalid_sha");
        assert_eq!(vault.contains(bad).expect_err(bad).kind(), "invalid_sha");
    }
}
