//! The keyring lost the database key: the real window stops with a clear message, changes
//! nothing on disk, and opens the station again once the hall manager gives the recovery
//! passphrase.

use crate::e2e;

use std::path::{Path, PathBuf};

use e2e::{display, driver, ui};
use yichuang_store::{KeyringStore, StationPaths};
use yichuang_tests::station::demo_station;

/// Every file under the data folder with its bytes, to prove nothing was written.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(
    clippy::await_holding_lock,
    reason = "the window turn is held by this test's own thread for the whole test"
)]
async fn lost_keyring_entry_stops_the_app_until_the_key_is_recovered() {
    let _turn = e2e::window_turn();
    let app = driver::app_binary();
    let dir = tempfile::tempdir().unwrap();
    let station = demo_station(dir.path(), "http://127.0.0.1:9");
    let (data_dir, service) = (station.data_dir.clone(), station.keyring_service.clone());
    drop(station);
    let db_id = StationPaths::new(&data_dir).database_id().unwrap();
    assert!(
        KeyringStore::new(&service).delete(&db_id).unwrap(),
        "the key was in the keyring"
    );
    let before = snapshot(&data_dir);

    let display = display::Display::get();
    let env = [
        ("YICHUANG_DATA_DIR", data_dir.display().to_string()),
        ("YICHUANG_KEYRING_SERVICE", service.clone()),
    ];
    let driver = driver::Driver::start(&display.name, &env);
    let client = driver.session(&app).await;
    let page = ui::Page::new(&client);

    let message = page.text_of("[data-testid='startup-error']").await;
    assert!(
        message.contains("恢复口令"),
        "the clerk is told how to recover: {message}"
    );
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/out");
    std::fs::create_dir_all(&out_dir).unwrap();
    page.screenshot(&out_dir.join("key-missing.png")).await;
    assert!(
        before == snapshot(&data_dir),
        "a missing key must not change or create any file"
    );

    page.set_text("recover-passphrase", "not-the-passphrase")
        .await;
    page.click("recover-submit").await;
    let error = page.text_of("[data-testid='recover-error']").await;
    assert!(!error.is_empty());
    assert!(
        KeyringStore::new(&service).get(&db_id).unwrap().is_none(),
        "a wrong passphrase restores nothing"
    );

    page.set_text("recover-passphrase", "test-recovery-passphrase")
        .await;
    page.click("recover-submit").await;
    page.login("demo", "demo1234").await;
    assert!(
        KeyringStore::new(&service).get(&db_id).unwrap().is_some(),
        "the key is back in the keyring"
    );
    client.close().await.unwrap();
}
