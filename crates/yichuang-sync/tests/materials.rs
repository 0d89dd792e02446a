//! Scanned pages reach the real district: content-addressed, resumed after a connection cut
//! mid-body, and a page damaged on the station is set apart without blocking the others.
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{Station, config, district};
use yichuang_sync::SyncEngine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_go_up_resume_after_a_cut_and_a_damaged_one_is_set_apart() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let case = station.accept(1);
    let mut shas = Vec::new();
    for (n, code) in [(1, "M01"), (2, "M01"), (3, "M02")] {
        let page = station
            .lock()
            .attach_page_bytes(
                case,
                code,
                &format!("扫描{n}.png"),
                common::noisy_png(n),
                "窗口人员",
            )
            .expect("attach");
        shas.push(page.sha256);
    }
    // The third page's file is damaged on this station's disk.
    let damaged = station.paths.pages_dir().join(&shas[2][..2]).join(&shas[2]);
    std::fs::write(&damaged, b"not what was stored").expect("damage the file");
    // The first upload's connection is cut after 40 KB.
    district.faults.cut_material_upload(40_000);

    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let counts = station.lock().material_counts().expect("counts");
            if counts == (0, 1) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("both good pages confirmed, the damaged one set apart");
    engine.shutdown().await;

    let client = common::client(&district.server.url());
    for sha in &shas[..2] {
        assert_eq!(
            client.material_offset(sha).await.expect("head"),
            None,
            "the district holds {sha} whole"
        );
    }
    assert_eq!(
        client.material_offset(&shas[2]).await.expect("head"),
        Some(0),
        "nothing of the damaged page"
    );
    assert!(
        district.faults.requests_to("/api/v2/materials/") >= 3,
        "a cut upload was resumed"
    );
    assert_eq!(station.outbox(), (0, 0), "the case itself synced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_tells_its_progress_in_records_and_bytes() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let mut cases = Vec::new();
    for n in 1..=3 {
        cases.push(station.accept(n));
    }
    station
        .lock()
        .attach_page_bytes(
            cases[0],
            "M01",
            "扫描.png",
            common::noisy_png(9),
            "窗口人员",
        )
        .expect("attach");
    let client = common::client(&district.server.url());
    let mut policy = config(20).policy;
    policy.batch_limit = 1;
    let seen = std::sync::Mutex::new(Vec::new());
    let sink = |p: yichuang_sync::SyncProgress| seen.lock().expect("seen").push(p);
    let report = yichuang_sync::sync_once_reporting(&station.store, &client, &policy, &sink)
        .await
        .expect("round");
    assert_eq!(report.synced, 3);
    let seen = seen.into_inner().expect("seen");
    let records: Vec<(u64, u64)> = seen
        .iter()
        .filter(|p| p.stage == "正在上传办件")
        .map(|p| (p.done, p.total))
        .collect();
    assert_eq!(
        records,
        [(0, 3), (1, 3), (2, 3), (3, 3)],
        "0 of 3 while the first batch is out"
    );
    let last_file = seen
        .iter()
        .rfind(|p| p.stage == "正在上传扫描件")
        .expect("file progress");
    assert_eq!((last_file.done, last_file.total), (1, 1));
    assert!(last_file.bytes_total > 100_000 && last_file.bytes_done == last_file.bytes_total);
}

/// A scan of a few megabytes goes up in pieces of 1 MiB: the bar moves with each piece (its
/// bytes grow while the file count stays), and the district ends up with the whole file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_scan_goes_up_in_pieces_and_the_bar_moves_with_each() {
    let district = district().await;
    let station = Station::provision(&district.server.url());
    let case = station.accept(1);
    let mut state = 7u32;
    let img = image::RgbImage::from_fn(1100, 900, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let size = png.len() as u64;
    assert!(
        size > 2 * 1024 * 1024,
        "{size} bytes: three pieces at least"
    );
    let page = station
        .lock()
        .attach_page_bytes(case, "M01", "大扫描.png", png, "窗口人员")
        .expect("attach");
    let client = common::client(&district.server.url());
    let seen = std::sync::Mutex::new(Vec::new());
    let sink = |p: yichuang_sync::SyncProgress| seen.lock().expect("seen").push(p);
    yichuang_sync::sync_once_reporting(&station.store, &client, &config(20).policy, &sink)
        .await
        .expect("round");
    let files: Vec<(u64, u64)> = seen
        .into_inner()
        .expect("seen")
        .into_iter()
        .filter(|p| p.stage == "正在上传扫描件")
        .map(|p| (p.done, p.bytes_done))
        .collect();
    let pieces = size.div_ceil(1024 * 1024);
    let mut expected = vec![(0, 0)];
    expected.extend((1..pieces).map(|n| (0, n * 1024 * 1024)));
    expected.push((1, size));
    assert_eq!(files, expected);
    assert_eq!(
        client.material_offset(&page.sha256).await.expect("head"),
        None
    );
    assert!(district.faults.requests_to("/api/v2/materials/") as u64 >= pieces);
}
