//! A draft is its clerk's own: on a shared PC a second clerk who knows (or guesses) a
//! colleague's draft id can neither discard, overwrite, decide, correct nor attach scans to
//! it, and the answers are those of an id that does not exist. Real station, two clerks;
//! run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::io::Cursor;

use common::{RESIDENCE_PERMIT, add_li, filled, station};
use uuid::Uuid;
use yichuang_core::IntakeDecision;
use yichuang_station::{ErrorKind, Station};

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The station with demo's filled draft (one scanned page on it), then li logged in.
fn two_clerks() -> (common::Fixture, yichuang_station::IntakeForm) {
    let f = station();
    let form = filled(&f.station, RESIDENCE_PERMIT);
    f.station
        .attach_bytes(&form.id, "M01", "身份证正面.jpg", jpeg())
        .unwrap();
    add_li(&f.station);
    f.station.logout();
    f.station.login("li", "li-password").unwrap();
    (f, form)
}

/// Back to demo: the draft is there as demo left it, with its page.
fn demo_draft_intact(s: &Station, form: &yichuang_station::IntakeForm) {
    s.logout();
    s.login("demo", "demo1234").unwrap();
    let drafts = s.drafts().unwrap();
    assert_eq!(drafts.len(), 1, "demo's draft kept");
    assert_eq!(drafts[0].form, *form, "unchanged");
    assert_eq!(s.pages(&form.id).unwrap().len(), 1, "its scan kept");
}

#[test]
fn another_clerks_draft_cannot_be_discarded_or_overwritten() {
    let (f, form) = two_clerks();
    let s = &f.station;
    assert!(
        s.drafts().unwrap().is_empty(),
        "li does not see demo's draft"
    );
    let unknown = Uuid::now_v7().to_string();
    // Discarding it answers as a missing draft does.
    assert!(!s.discard_draft(&unknown).unwrap());
    assert!(!s.discard_draft(&form.id).unwrap());
    // Saving over it changes nothing.
    let mut hijack = form.clone();
    hijack.draft.contact.phone = "13900000000".into();
    assert!(!s.save_draft(&hijack).unwrap());
    assert!(s.drafts().unwrap().is_empty(), "no draft of li's either");
    demo_draft_intact(s, &form);
    // Its owner still discards it.
    assert!(s.discard_draft(&form.id).unwrap());
    assert!(s.drafts().unwrap().is_empty());
}

#[test]
fn another_clerks_draft_cannot_be_decided_or_corrected() {
    let (f, form) = two_clerks();
    let s = &f.station;
    let decided = s.decide(&form, &IntakeDecision::Accept).unwrap_err();
    assert_eq!(decided.kind, ErrorKind::InvalidInput);
    assert!(
        decided.message.contains("找不到该受理单"),
        "{}",
        decided.message
    );
    let corrected = s
        .complete_correction(&form, &IntakeDecision::Accept)
        .unwrap_err();
    assert_eq!(corrected.kind, ErrorKind::InvalidInput);
    demo_draft_intact(s, &form);
    // Its owner decides it: one case, the draft gone.
    let result = s.decide(&form, &IntakeDecision::Accept).unwrap();
    assert!(!result.already_saved);
    assert!(s.drafts().unwrap().is_empty());
}

#[test]
fn scans_cannot_be_attached_to_another_clerks_draft() {
    let (f, form) = two_clerks();
    let s = &f.station;
    let unknown = Uuid::now_v7().to_string();
    let missing = s
        .attach_bytes(&unknown, "M01", "a.jpg", jpeg())
        .unwrap_err();
    let foreign = s
        .attach_bytes(&form.id, "M01", "a.jpg", jpeg())
        .unwrap_err();
    assert_eq!(foreign.kind, missing.kind);
    assert_eq!(foreign.message, missing.message, "no leak");
    demo_draft_intact(s, &form);
}

#[test]
fn another_clerks_draft_pages_are_neither_listed_moved_removed_nor_opened() {
    let (f, form) = two_clerks();
    let s = &f.station;
    assert!(
        s.pages(&form.id).unwrap().is_empty(),
        "listed as a missing intake"
    );
    let page_id = {
        let store = s.store();
        let store = store.lock().unwrap();
        store.pages_of(form.id.parse().unwrap()).unwrap()[0].id
    };
    let missing = s.page_image(page_id + 1000).unwrap_err();
    let opened = s.page_image(page_id).unwrap_err();
    assert_eq!(opened.kind, missing.kind, "answers as a missing page");
    assert_eq!(s.move_page(page_id, 1).unwrap_err().kind, missing.kind);
    assert!(
        !s.remove_page(page_id).unwrap(),
        "answers as a page already gone"
    );
    demo_draft_intact(s, &form);
    assert_eq!(
        s.page_image(page_id).unwrap().page_id,
        page_id,
        "its clerk opens it"
    );
}
