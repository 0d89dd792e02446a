//! The scan-folder watcher on a real directory with real inotify events.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::timeout;
use yichuang_scan::ScanFolderWatcher;

/// Generous bound for a loaded 2-core CI machine.
const ARRIVES: Duration = Duration::from_secs(10);
/// How long we wait to be sure nothing else arrives (settle time is 300 ms).
const QUIET: Duration = Duration::from_millis(1200);

async fn next(rx: &mut UnboundedReceiver<PathBuf>) -> PathBuf {
    timeout(ARRIVES, rx.recv())
        .await
        .expect("a file within the bound")
        .expect("channel open")
}

async fn nothing_more(rx: &mut UnboundedReceiver<PathBuf>) {
    if let Ok(extra) = timeout(QUIET, rx.recv()).await {
        panic!("unexpected delivery: {extra:?}");
    }
}

#[tokio::test]
async fn a_new_file_is_delivered_once_and_old_or_temp_files_never() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("已有.jpg"), b"before start").expect("pre-existing");
    let (tx, mut rx) = unbounded_channel();
    let _watcher = ScanFolderWatcher::start(dir.path(), tx).expect("start");

    fs::write(dir.path().join("scan.jpg.tmp"), b"half").expect("temp file");
    fs::write(dir.path().join(".hidden.jpg"), b"hidden").expect("dot file");
    // Written in several pieces, like a camera streaming a shot to disk.
    let path = dir.path().join("IMG_0001.jpg");
    let mut file = fs::File::create(&path).expect("create");
    for _ in 0..5 {
        file.write_all(&[0xAB; 64 * 1024]).expect("write");
        file.flush().expect("flush");
    }
    drop(file);
    fs::write(dir.path().join("已有.jpg"), b"touched after start").expect("rewrite old");

    assert_eq!(next(&mut rx).await, path);
    assert_eq!(fs::metadata(&path).expect("meta").len(), 5 * 64 * 1024);
    nothing_more(&mut rx).await;
}

#[tokio::test]
async fn a_file_renamed_into_place_is_delivered_after_it_settles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = unbounded_channel();
    let _watcher = ScanFolderWatcher::start(dir.path(), tx).expect("start");

    let temp = dir.path().join("shot.tmp");
    fs::write(&temp, b"a complete scan").expect("write temp");
    let done = dir.path().join("shot.png");
    fs::rename(&temp, &done).expect("rename into place");

    assert_eq!(next(&mut rx).await, done);
    nothing_more(&mut rx).await;
}

#[tokio::test]
async fn a_file_deleted_and_scanned_again_is_delivered_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = unbounded_channel();
    let _watcher = ScanFolderWatcher::start(dir.path(), tx).expect("start");
    let path = dir.path().join("page.jpg");

    fs::write(&path, b"first").expect("write");
    assert_eq!(next(&mut rx).await, path);
    fs::remove_file(&path).expect("remove");
    fs::write(&path, b"second").expect("write again");
    assert_eq!(next(&mut rx).await, path);
}

#[tokio::test]
async fn dropping_the_watcher_stops_it_and_closes_the_channel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = unbounded_channel();
    let watcher = ScanFolderWatcher::start(dir.path(), tx).expect("start");
    drop(watcher);
    let closed = timeout(ARRIVES, rx.recv()).await.expect("returns promptly");
    assert_eq!(closed, None);
}

#[tokio::test]
async fn a_missing_folder_is_refused_with_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, _rx) = unbounded_channel();
    let err = ScanFolderWatcher::start(dir.path().join("不存在"), tx)
        .err()
        .expect("missing folder");
    assert_eq!(err.kind(), "watch");
    assert!(err.to_string().contains("文件夹"), "{err}");
}
