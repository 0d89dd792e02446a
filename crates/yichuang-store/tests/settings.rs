//! The settings the settings screen keeps, on a real encrypted station file: a slip kind's own
//! printer before its paper's, the station's profile (an unchanged save writes nothing), the
//! papers' QR channel, each clerk's own preferences, all surviving a reopen and audited.

use crate::common;

use common::TestStation;
use yichuang_core::{Paper, SlipKind};
use yichuang_store::{ClerkPrefs, StationProfile};

fn audited(t: &TestStation, event: &str) -> i64 {
    t.raw_connection()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = ?1",
            [event],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_kind_prints_on_its_own_printer_else_on_its_papers() {
    let t = TestStation::new("kind-printers");
    let mut store = t.provision();
    assert_eq!(
        store.printer_for_kind(SlipKind::AcceptanceNotice).unwrap(),
        None
    );
    store.set_printer(Paper::A4, "hall-a4", "zhangsan").unwrap();
    store
        .set_kind_printer(SlipKind::RejectionNotice, " counter-a4 ", "zhangsan")
        .unwrap();
    assert!(
        store
            .set_kind_printer(SlipKind::RejectionNotice, "two words", "zhangsan")
            .is_err()
    );
    drop(store);
    let mut store = t.open();
    let of = |s: &yichuang_store::Store, k| s.printer_for_kind(k).unwrap();
    assert_eq!(
        of(&store, SlipKind::RejectionNotice).as_deref(),
        Some("counter-a4")
    );
    assert_eq!(
        of(&store, SlipKind::AcceptanceNotice).as_deref(),
        Some("hall-a4")
    );
    assert_eq!(of(&store, SlipKind::AcceptanceReceipt), None);
    store
        .set_kind_printer(SlipKind::RejectionNotice, "", "zhangsan")
        .unwrap();
    assert_eq!(
        of(&store, SlipKind::RejectionNotice).as_deref(),
        Some("hall-a4")
    );
    drop(store);
    assert_eq!(audited(&t, "settings.printer_changed"), 3);
}

#[test]
fn the_station_profile_is_saved_once_and_an_unchanged_save_writes_nothing() {
    let t = TestStation::new("profile");
    let mut store = t.provision();
    let before = store.station_profile().unwrap();
    assert_eq!((before.phone.as_str(), before.address.as_str()), ("", ""));
    let changed = StationProfile {
        station_name: "京溪街道便民服务站".into(),
        counter: 3,
        phone: "020-86661234".into(),
        address: "京溪路 1 号".into(),
    };
    store.set_station_profile(&changed, "zhangsan").unwrap();
    store.set_station_profile(&changed, "zhangsan").unwrap();
    assert!(
        store
            .set_station_profile(
                &StationProfile {
                    counter: 0,
                    ..changed.clone()
                },
                "zhangsan"
            )
            .is_err()
    );
    drop(store);
    let store = t.open();
    assert_eq!(store.station_profile().unwrap(), changed);
    let settings = store.settings().unwrap();
    assert_eq!(
        (settings.station_name.as_str(), settings.counter),
        ("京溪街道便民服务站", 3)
    );
    drop(store);
    assert_eq!(audited(&t, "settings.station_changed"), 1);
}

#[test]
fn each_clerk_keeps_their_own_preferences_and_the_qr_channel_is_the_stations() {
    let t = TestStation::new("prefs");
    let mut store = t.provision();
    let default = store.clerk_prefs("zhangsan").unwrap();
    assert_eq!(
        default,
        ClerkPrefs {
            large_text: false,
            locale: "zh".into()
        }
    );
    let mine = ClerkPrefs {
        large_text: true,
        locale: "en".into(),
    };
    store.set_clerk_prefs("zhangsan", &mine).unwrap();
    assert!(
        store
            .set_clerk_prefs(
                "zhangsan",
                &ClerkPrefs {
                    large_text: false,
                    locale: "fr".into()
                }
            )
            .is_err()
    );
    assert_eq!(store.qr_channel().unwrap(), "qr");
    store.set_qr_channel("3", "zhangsan").unwrap();
    drop(store);
    let mut store = t.open();
    assert_eq!(store.clerk_prefs("zhangsan").unwrap(), mine);
    assert_eq!(store.clerk_prefs("lisi").unwrap(), default);
    assert_eq!(store.qr_channel().unwrap(), "3");
    store.set_qr_channel("", "zhangsan").unwrap();
    assert_eq!(store.qr_channel().unwrap(), "qr");
    drop(store);
    assert_eq!(audited(&t, "settings.prefs_changed"), 1);
    assert_eq!(audited(&t, "settings.qr_channel_changed"), 2);
}
