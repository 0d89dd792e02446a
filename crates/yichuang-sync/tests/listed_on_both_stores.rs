//! Issue 6 point 4 asks for its list "against the real server, on both stores". The other
//! files of this directory run the station's engine against the district on SQLite only; this
//! one runs the items of the list that involve the district's store on SQLite and on
//! PostgreSQL: a 409 and its release, 429 with Retry-After, a poison record's 500, a page
//! cut mid-body that resumes beside a damaged one that does not block the others, a 50 MB
//! page, and a status change that makes the case ready for delivery. (A 404 and a captive
//! portal's page never reach the store: `stranding.rs`.)
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`; the PostgreSQL
//! half needs `YICHUANG_TEST_PG_URL`.

use crate::common;

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use common::{Kind, MAX_ATTEMPTS, STATION, Station, config, district_on, round, wait};
use jiff::Timestamp;
use yichuang_core::{DistrictStatus, SyncState};
use yichuang_district::store::NewStatus;
use yichuang_sync::testing::demo_intake;
use yichuang_sync::{SyncEngine, SyncPhase};

on_both_stores!(
    a_conflict_is_quarantined_kept_and_comes_back_after_a_release,
    a_429_with_retry_after_is_waited_out_and_counts_no_attempt,
    a_poison_record_gets_its_500s_alone_and_the_others_go,
    a_cut_page_resumes_and_a_damaged_one_blocks_no_other,
    a_50_mb_page_goes_up_whole,
    a_status_change_arrives_and_the_case_is_ready_for_delivery,
);

async fn a_conflict_is_quarantined_kept_and_comes_back_after_a_release(kind: Kind) {
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let edited = station.accept(1);
    let other = station.accept(2);
    assert_eq!(round(&station, &district).await.synced, 2);
    let number = station.case(edited).official_case_no;

    // Changed after it was synced: the district keeps its first content and answers 409.
    let edit = station
        .lock()
        .update_intake(
            edited,
            demo_intake(99),
            "同步测试窗口人员",
            Timestamp::now(),
        )
        .expect("edit");
    let report = round(&station, &district).await;
    assert_eq!((report.quarantined, &report.stop), (1, &None), "{report:?}");
    assert_eq!(station.outbox(), (0, 1));
    let (listed, unreadable) = station.lock().quarantined_cases().expect("list");
    assert!(unreadable.is_empty());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].case.id, edited);
    assert!(
        listed[0].reason.contains("内容不同"),
        "{}",
        listed[0].reason
    );
    let kept = station.case(edited);
    assert_eq!(kept.sync_state, SyncState::Quarantined);
    assert_eq!(kept.intake, edit.intake, "the clerk's edit is kept");

    // Released by the hall manager: sent once more with the next case; the district still
    // holds other content, so it comes back to quarantine, kept, and blocks nobody.
    let released = station
        .lock()
        .release_quarantined(&[edited], "站点管理员", "已与区级核对", Timestamp::now())
        .expect("release");
    assert_eq!(released, 1);
    assert_eq!(station.outbox(), (1, 0));
    let later = station.accept(3);
    let report = round(&station, &district).await;
    assert_eq!(
        (report.attempted, report.synced, report.quarantined),
        (2, 1, 1),
        "{report:?}"
    );
    assert_eq!(station.outbox(), (0, 1));
    assert_eq!(station.case(edited).sync_state, SyncState::Quarantined);
    common::assert_synced(&station.case(later));
    common::assert_synced(&station.case(other));
    assert_eq!(district.store.count_cases(STATION).await.expect("count"), 3);
    let at_district = district
        .store
        .find_case(STATION, edited)
        .await
        .expect("find")
        .expect("stored");
    assert_eq!(
        Some(at_district.official_case_no),
        number,
        "first content, first number"
    );
    district.stop().await;
}

async fn a_429_with_retry_after_is_waited_out_and_counts_no_attempt(kind: Kind) {
    let district = district_on(kind).await;
    district.faults.too_many_requests(1, 1);
    let station = Station::provision(&district.url());
    let id = station.accept(1);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    let busy = wait(&mut rx, |s| matches!(s.phase, SyncPhase::Retrying { .. })).await;
    assert!(
        matches!(busy.phase, SyncPhase::Retrying { next_in_ms } if next_in_ms >= 1_000),
        "{busy:?}"
    );
    assert_eq!((busy.pending, busy.quarantined), (1, 0));
    let due = station
        .lock()
        .outbox_due(Timestamp::now(), 10)
        .expect("due")
        .items;
    assert_eq!(due.len(), 1);
    assert_eq!(
        due[0].attempts, 0,
        "a busy district is nobody's record's fault"
    );
    wait(&mut rx, |s| s.phase == SyncPhase::Idle && s.pending == 0).await;
    engine.shutdown().await;
    let hits = district.faults.submissions();
    assert_eq!(hits.len(), 2, "{hits:?}");
    let gap = hits[1].1 - hits[0].1;
    assert!(gap >= Duration::from_millis(990), "retried after {gap:?}");
    common::assert_synced(&station.case(id));
    district.stop().await;
}

async fn a_poison_record_gets_its_500s_alone_and_the_others_go(kind: Kind) {
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let poison = station.accept(1);
    let good = station.accept(2);
    district.faults.poison(poison);
    let engine = SyncEngine::start(Arc::clone(&station.store), config(20));
    let mut rx = engine.status();
    wait(&mut rx, |s| s.pending == 0 && s.quarantined == 1).await;
    engine.shutdown().await;
    common::assert_synced(&station.case(good));
    let kept = station.case(poison);
    assert_eq!(kept.sync_state, SyncState::Quarantined, "never dropped");
    assert_eq!(kept.official_case_no, None);
    assert_eq!(
        district.faults.submissions_of(poison),
        MAX_ATTEMPTS as usize + 1
    );
    assert_eq!(district.store.count_cases(STATION).await.expect("count"), 1);
    district.stop().await;
}

async fn a_cut_page_resumes_and_a_damaged_one_blocks_no_other(kind: Kind) {
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let case = station.accept(1);
    let mut shas = Vec::new();
    for n in 1..=3 {
        let page = station
            .lock()
            .attach_page_bytes(
                case,
                "M01",
                &format!("扫描{n}.png"),
                common::noisy_png(n),
                "窗口人员",
            )
            .expect("attach");
        shas.push(page.sha256);
    }
    let damaged = station.paths.pages_dir().join(&shas[1][..2]).join(&shas[1]);
    std::fs::write(&damaged, b"not what was stored").expect("damage the file");
    district.faults.cut_material_upload(40_000);

    let report = round(&station, &district).await;
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!(
        (report.materials_confirmed, report.materials_poisoned),
        (2, 1),
        "{report:?}"
    );
    assert_eq!(station.lock().material_counts().expect("counts"), (0, 1));
    let client = common::client(&district.url());
    for sha in [&shas[0], &shas[2]] {
        assert_eq!(client.material_offset(sha).await.expect("head"), None);
    }
    assert_eq!(
        client.material_offset(&shas[1]).await.expect("head"),
        Some(0)
    );
    assert!(
        district.faults.requests_to("/api/v2/materials/") >= 4,
        "check, a cut PATCH, its HEAD and the resumed PATCH at least"
    );
    assert_eq!(station.outbox(), (0, 0));
    district.stop().await;
}

/// A valid JPEG of exactly `size` bytes: a small picture with comment segments of random
/// bytes after its start marker (as `bench_materials` makes them).
fn jpeg_of_size(seed: u64, size: usize) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, (seed % 251) as u8])
    });
    let mut small = Vec::new();
    img.write_to(&mut Cursor::new(&mut small), image::ImageFormat::Jpeg)
        .expect("jpeg");
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&small[..2]); // SOI
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    loop {
        let left = size - out.len() - (small.len() - 2);
        if left == 0 {
            break;
        }
        // A segment is its marker, its length and up to 65,533 bytes; keep the last one
        // long enough to hold its own header.
        let segment = match left {
            l if l > 65_537 + 8 => 65_537,
            l if l > 65_537 => l - 8,
            l => l,
        };
        assert!(segment >= 4, "{left}");
        let n = segment - 4;
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((n + 2) as u16).to_be_bytes());
        for _ in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.push(state as u8);
        }
    }
    out.extend_from_slice(&small[2..]);
    assert_eq!(out.len(), size);
    out
}

async fn a_50_mb_page_goes_up_whole(kind: Kind) {
    use yichuang_sync::protocol::v2::materials::MAX_MATERIAL_BYTES;
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let case = station.accept(1);
    let size = usize::try_from(MAX_MATERIAL_BYTES).expect("size");
    let page = station
        .lock()
        .attach_page_bytes(
            case,
            "M01",
            "扫描大件.jpg",
            jpeg_of_size(50, size),
            "窗口人员",
        )
        .expect("a 50 MB scan is accepted");
    assert_eq!(page.bytes, MAX_MATERIAL_BYTES);
    let report = round(&station, &district).await;
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!(
        (report.materials_confirmed, report.material_bytes),
        (1, MAX_MATERIAL_BYTES)
    );
    assert_eq!(station.lock().material_counts().expect("counts"), (0, 0));
    assert_eq!(
        common::client(&district.url())
            .material_offset(&page.sha256)
            .await
            .expect("head"),
        None,
        "whole at the district, its hash checked"
    );
    district.stop().await;
}

async fn a_status_change_arrives_and_the_case_is_ready_for_delivery(kind: Kind) {
    let district = district_on(kind).await;
    let station = Station::provision(&district.url());
    let id = station.accept(1);
    assert_eq!(round(&station, &district).await.synced, 1);
    let note = "准予许可，居住证已制好，请凭受理回执到窗口领取";
    for (status, note) in [
        (DistrictStatus::Reviewing, "已分送公安分局"),
        (DistrictStatus::Approved, "准予许可"),
        (DistrictStatus::ReadyForPickup, note),
    ] {
        district
            .store
            .record_status(NewStatus {
                case_id: id,
                status,
                note: Some(note.into()),
                courier: None,
                tracking_no: None,
                now: Timestamp::now(),
            })
            .await
            .expect("record status");
    }
    let report = round(&station, &district).await;
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!(
        (report.status_changes_applied, report.status_changes_skipped),
        (3, 0)
    );
    let status = station
        .lock()
        .district_status(id)
        .expect("read")
        .expect("a status arrived");
    assert_eq!(status.status, DistrictStatus::ReadyForPickup);
    assert_eq!(status.label, "待领取");
    assert_eq!(status.note.as_deref(), Some(note));
    assert!(status.ready_for_delivery());
    assert_eq!(round(&station, &district).await.status_changes_applied, 0);
    district.stop().await;
}
