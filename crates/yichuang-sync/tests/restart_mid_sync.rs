//! Issue 6 point 4, "the server restarted mid-sync", on both district stores: the district is
//! killed while a round is in flight (a batch it holds before its commit, a batch it committed
//! whose answer never reached the station, a scanned page half sent) and started again on the
//! same address with the same data. The round fails with nothing quarantined and no attempt
//! counted; the next round completes with every case at the district once, under the number
//! it gave first, and every page whole.
//!
//! Needs a Secret Service: run under `crates/yichuang-store/with-keyring.sh`; the PostgreSQL
//! half needs `YICHUANG_TEST_PG_URL`.

use crate::common;

use std::collections::HashSet;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::{
    DistrictData, KillableDistrict, Kind, Relay, STATION, Station, StorePlace, TOKEN, Trap, config,
};
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_core::SyncState;
use yichuang_district::Faults;
use yichuang_sync::engine::Stop;
use yichuang_sync::{SyncPolicy, SyncReport, sync_once};

on_both_stores!(
    a_district_killed_while_it_holds_a_batch_loses_and_doubles_nothing,
    a_district_killed_after_committing_a_batch_whose_answer_was_lost_doubles_nothing,
    a_district_killed_mid_page_keeps_the_page_queued_and_the_next_round_completes_it,
);

fn tokens() -> Vec<(String, String)> {
    vec![(STATION.into(), TOKEN.into())]
}

fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("addr")
}

/// Two records per request, any number per round.
fn policy() -> SyncPolicy {
    let mut policy = config(20).policy;
    policy.batch_limit = 2;
    policy.load_limit = 100;
    policy
}

/// Runs one round in a task of its own, so the test can kill the district meanwhile.
fn round_in_background(
    station: &Station,
    url: &str,
    policy: SyncPolicy,
) -> tokio::task::JoinHandle<SyncReport> {
    let store = Arc::clone(&station.store);
    let client = common::client(url);
    tokio::spawn(async move { sync_once(&store, &client, &policy).await.expect("round") })
}

/// The round the district died in: stopped as an outage (no answer; or, on PostgreSQL, a
/// 500 from a request whose database connection the dying district had already lost), with
/// nothing quarantined or set apart and the clerk told the cases are kept.
fn assert_stopped_as_an_outage(report: &SyncReport) {
    assert!(
        matches!(report.stop, Some(Stop::Offline | Stop::ServerError)),
        "{report:?}"
    );
    assert_eq!(
        (report.quarantined, report.materials_poisoned),
        (0, 0),
        "{report:?}"
    );
    let said = report.problem.as_deref().unwrap_or_default();
    assert!(said.contains("办件已保存在本机"), "{said}");
}

/// Every record not yet acknowledged still waits as queued: none quarantined, no attempt
/// counted (an outage is nobody's record's fault).
fn assert_untouched(station: &Station, waiting: &[Uuid]) {
    assert_eq!(
        station.outbox(),
        (waiting.len() as u32, 0),
        "nothing quarantined"
    );
    let due = station
        .lock()
        .outbox_due(Timestamp::now(), 100)
        .expect("due")
        .items;
    let due_ids: HashSet<Uuid> = due.iter().map(|d| d.case.id).collect();
    assert_eq!(due_ids, waiting.iter().copied().collect::<HashSet<_>>());
    assert!(
        due.iter().all(|d| d.attempts == 0),
        "no attempt counted: {due:?}"
    );
    for id in waiting {
        assert_eq!(station.case(*id).sync_state, SyncState::Pending);
    }
}

/// The district's official numbers of `ids`, read from its store (`None`: it lacks it).
async fn district_numbers(place: &StorePlace, ids: &[Uuid]) -> (u64, Vec<Option<String>>) {
    let store = place.open().await;
    let count = store.count_cases(STATION).await.expect("count");
    let mut numbers = Vec::new();
    for id in ids {
        let ack = store.find_case(STATION, *id).await.expect("find");
        numbers.push(ack.map(|a| a.official_case_no));
    }
    (count, numbers)
}

/// Each case is at the district exactly once, under the number the station holds, and the
/// numbers are all different; the station's outbox is empty.
async fn assert_each_once(station: &Station, place: &StorePlace, ids: &[Uuid]) {
    assert_eq!(station.outbox(), (0, 0));
    let (count, numbers) = district_numbers(place, ids).await;
    assert_eq!(count, ids.len() as u64, "nothing twice, nothing missing");
    for (id, number) in ids.iter().zip(&numbers) {
        let case = station.case(*id);
        common::assert_synced(&case);
        assert_eq!(case.official_case_no.as_ref(), number.as_ref(), "{id}");
    }
    let distinct: HashSet<&Option<String>> = numbers.iter().collect();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "official numbers unique: {numbers:?}"
    );
}

/// The first batch goes through; the district then holds the next one before its store sees
/// it and is killed while holding it.
async fn a_district_killed_while_it_holds_a_batch_loses_and_doubles_nothing(kind: Kind) {
    let data = DistrictData::new(kind).await;
    let faults = Faults::new();
    let first =
        KillableDistrict::start(&data.place, any_port(), Some(faults.clone()), tokens()).await;
    let addr = first.addr();
    let station = Station::provision(&first.url());
    let ids: Vec<Uuid> = (1..=5).map(|n| station.accept(n)).collect();
    let mut one_batch = policy();
    one_batch.load_limit = 2;
    let report = sync_once(&station.store, &common::client(&first.url()), &one_batch)
        .await
        .expect("round");
    assert_eq!((report.synced, &report.stop), (2, &None));

    faults.hold(Some(Duration::from_secs(600)));
    let round = round_in_background(&station, &first.url(), policy());
    faults.arrived(4).await; // the two of the first round, and the two held now
    first.kill().await;
    let report = round.await.expect("round task");
    assert_stopped_as_an_outage(&report);
    assert_eq!(report.synced, 0, "{report:?}");
    assert_untouched(&station, &ids[2..]);
    assert_eq!(
        district_numbers(&data.place, &ids).await.0,
        2,
        "the held batch was never stored"
    );

    let second = KillableDistrict::start(&data.place, addr, None, tokens()).await;
    assert_eq!(second.url(), first_url(addr));
    let report = sync_once(&station.store, &common::client(&second.url()), &policy())
        .await
        .expect("round");
    assert_eq!((&report.stop, report.synced), (&None, 3), "{report:?}");
    assert_each_once(&station, &data.place, &ids).await;
    second.kill().await;
    data.remove().await;
}

fn first_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// The district commits the second batch and answers, but the answer never reaches the
/// station (a relay keeps it back), and the district is killed: the station must send those
/// records again and get the numbers the district gave them the first time.
async fn a_district_killed_after_committing_a_batch_whose_answer_was_lost_doubles_nothing(
    kind: Kind,
) {
    let data = DistrictData::new(kind).await;
    let first = KillableDistrict::start(&data.place, any_port(), None, tokens()).await;
    let addr = first.addr();
    let relay = Relay::start(addr).await;
    let station = Station::provision(&relay.url);
    let ids: Vec<Uuid> = (1..=5).map(|n| station.accept(n)).collect();
    let mut one_batch = policy();
    one_batch.load_limit = 2;
    let report = sync_once(&station.store, &common::client(&relay.url), &one_batch)
        .await
        .expect("round");
    assert_eq!((report.synced, &report.stop), (2, &None));

    let answered = relay.arm("POST /api/v2/cases/batch", Trap::AnswerLost);
    let round = round_in_background(&station, &relay.url, policy());
    // The district answers only what it has committed: its answer has begun, so the batch
    // is stored there.
    answered.await.expect("the district answered the batch");
    first.kill().await;
    let report = round.await.expect("round task");
    assert_stopped_as_an_outage(&report);
    assert_eq!(report.synced, 0, "{report:?}");
    assert_untouched(&station, &ids[2..]);
    let (count, given) = district_numbers(&data.place, &ids[2..4]).await;
    assert_eq!(count, 4, "the second batch was committed");
    assert!(given.iter().all(Option::is_some), "{given:?}");

    let second = KillableDistrict::start(&data.place, addr, None, tokens()).await;
    let report = sync_once(&station.store, &common::client(&relay.url), &policy())
        .await
        .expect("round");
    assert_eq!((&report.stop, report.synced), (&None, 3), "{report:?}");
    assert_each_once(&station, &data.place, &ids).await;
    for (id, number) in ids[2..4].iter().zip(&given) {
        assert_eq!(
            station.case(*id).official_case_no.as_ref(),
            number.as_ref(),
            "the number given before the restart, not a second one"
        );
    }
    second.kill().await;
    data.remove().await;
}

/// A PNG of noise `width`×240 (so it does not compress away), `seed` making each different.
fn noisy_png(seed: u32, width: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(width, 240, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// A 2 MB page: the district cuts its first upload after 100 KB (kept on its disk, as after a
/// broken line); the station resumes from there, and the district dies 300 KB into that
/// resumed body.
async fn a_district_killed_mid_page_keeps_the_page_queued_and_the_next_round_completes_it(
    kind: Kind,
) {
    const CUT_BY_THE_DISTRICT: u64 = 100_000;
    const SENT_BEFORE_DEATH: usize = 300_000;
    let data = DistrictData::new(kind).await;
    let faults = Faults::new();
    faults.cut_material_upload(CUT_BY_THE_DISTRICT);
    let first =
        KillableDistrict::start(&data.place, any_port(), Some(faults.clone()), tokens()).await;
    let addr = first.addr();
    let relay = Relay::start(addr).await;
    let station = Station::provision(&relay.url);
    let case = station.accept(1);
    let page = station
        .lock()
        .attach_page_bytes(case, "M01", "扫描1.png", noisy_png(7, 2800), "窗口人员")
        .expect("attach");
    let length = page.bytes;
    assert!(length > 1_500_000, "{length}");

    let resumed = relay.arm(
        &format!("upload-offset: {CUT_BY_THE_DISTRICT}\r\n"),
        Trap::MidBody {
            body_bytes: SENT_BEFORE_DEATH,
        },
    );
    let round = round_in_background(&station, &relay.url, policy());
    resumed.await.expect("the resumed upload reached the trap");
    first.kill().await;
    let report = round.await.expect("round task");
    assert_stopped_as_an_outage(&report);
    assert_eq!(report.synced, 1, "the case itself went before its page");
    assert_eq!(report.materials_confirmed, 0);
    assert_eq!(
        station.lock().material_counts().expect("counts"),
        (1, 0),
        "the page waits, not set apart"
    );

    let second = KillableDistrict::start(&data.place, addr, None, tokens()).await;
    let client = common::client(&relay.url);
    let held = client
        .material_offset(&page.sha256)
        .await
        .expect("head")
        .expect("not whole yet");
    assert!(
        (CUT_BY_THE_DISTRICT..=CUT_BY_THE_DISTRICT + SENT_BEFORE_DEATH as u64).contains(&held),
        "the district kept what it had before it died, and at most what arrived: {held}"
    );
    let report = sync_once(&station.store, &client, &policy())
        .await
        .expect("round");
    assert_eq!(report.stop, None, "{report:?}");
    assert_eq!(report.materials_confirmed, 1);
    assert_eq!(
        report.material_bytes,
        length - held,
        "sent from what the district held"
    );
    assert_eq!(station.lock().material_counts().expect("counts"), (0, 0));
    assert_eq!(
        client.material_offset(&page.sha256).await.expect("head"),
        None,
        "the district holds the page whole (its hash checked)"
    );
    assert_each_once(&station, &data.place, &[case]).await;
    second.kill().await;
    data.remove().await;
}
