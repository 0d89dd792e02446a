//! The customer-facing screen on a real station (SQLCipher file, key in the real OS keyring):
//! a case shown with its QR and the five levels, a tap stored pending for the district with the
//! configured channel code, a double tap taken once, a second rating refused (一次一评).
//! Run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{RESIDENCE_PERMIT, filled, station};
use uuid::Uuid;
use yichuang_core::evaluation::ALREADY_RATED;
use yichuang_core::{Case, EvaluationLevel, IntakeDecision};
use yichuang_station::customer::THANKS;
use yichuang_station::{CustomerView, ErrorKind, EvaluationMoment, EvaluationScreen, Station};

fn accepted(station: &Station) -> Case {
    let form = filled(station, RESIDENCE_PERMIT);
    station.decide(&form, &IntakeDecision::Accept).unwrap().case
}

fn screen(view: CustomerView) -> EvaluationScreen {
    match view {
        CustomerView::Evaluate(screen) => screen,
        other => panic!("expected a case on the screen, got {other:?}"),
    }
}

fn rate(
    station: &Station,
    screen: &EvaluationScreen,
    level: EvaluationLevel,
) -> Result<EvaluationScreen, yichuang_station::AppError> {
    station
        .rate_from_customer_screen(
            screen.evaluation_id,
            screen.case_id,
            level,
            None,
            screen.moment,
        )
        .map(self::screen)
}

#[test]
fn a_shown_case_carries_its_signed_qr_and_the_five_levels_from_core() {
    let f = station();
    assert!(matches!(
        f.station.customer_idle(),
        CustomerView::Idle { ref station_name } if station_name == "白云区测试便民服务站"
    ));
    let case = accepted(&f.station);
    let shown = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterAcceptance)
            .unwrap(),
    );
    assert_eq!(shown.case_no, case.case_no);
    assert_eq!(shown.item_name, case.item_name);
    assert_eq!(shown.prompt, EvaluationMoment::AfterAcceptance.prompt());
    assert!(shown.rated.is_none());
    let levels: Vec<(u8, &str, bool)> = shown
        .levels
        .iter()
        .map(|l| (l.code, l.label.as_str(), l.negative))
        .collect();
    assert_eq!(
        levels,
        [
            (1, "非常满意", false),
            (2, "满意", false),
            (3, "基本满意", false),
            (4, "不满意", true),
            (5, "非常不满意", true),
        ]
    );
    assert!(shown.qr_svg.contains("<svg") && shown.qr_svg.contains("viewBox"));
    // Each showing gets its own evaluation id (a new tap after a new showing is a new rating).
    let again = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterDelivery)
            .unwrap(),
    );
    assert_ne!(again.evaluation_id, shown.evaluation_id);
    assert_eq!(
        again.qr_svg, shown.qr_svg,
        "Ed25519 signs deterministically"
    );
    assert_eq!(again.prompt, EvaluationMoment::AfterDelivery.prompt());
}

#[test]
fn a_tap_is_stored_pending_for_sync_with_the_pad_channel_and_a_double_tap_is_taken_once() {
    let f = station();
    let case = accepted(&f.station);
    let shown = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterAcceptance)
            .unwrap(),
    );
    let rated = rate(&f.station, &shown, EvaluationLevel::Satisfied).unwrap();
    let given = rated.rated.clone().expect("the rating is shown");
    assert_eq!((given.code, given.label.as_str()), (2, "满意"));
    assert!(given.just_now);
    assert_eq!(given.message, THANKS);

    let store = f.station.store();
    let stored = store
        .lock()
        .unwrap()
        .evaluation_of(case.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.id, shown.evaluation_id);
    assert_eq!(stored.level, EvaluationLevel::Satisfied);
    assert_eq!(stored.channel, "pad");
    assert_eq!(store.lock().unwrap().evaluations_pending().unwrap(), 1);

    // The second tap of a double tap (another button even) returns the first result.
    let double = rate(&f.station, &shown, EvaluationLevel::VeryDissatisfied).unwrap();
    assert_eq!(double, rated);
    let stored = store
        .lock()
        .unwrap()
        .evaluation_of(case.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.level, EvaluationLevel::Satisfied);
    assert_eq!(store.lock().unwrap().evaluations_pending().unwrap(), 1);
}

#[test]
fn the_same_case_cannot_be_rated_twice() {
    let f = station();
    let case = accepted(&f.station);
    let first = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterAcceptance)
            .unwrap(),
    );
    rate(&f.station, &first, EvaluationLevel::VerySatisfied).unwrap();

    // Shown again after delivery: the rating it has, with the 一次一评 notice.
    let later = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterDelivery)
            .unwrap(),
    );
    let before = later.rated.clone().expect("already rated");
    assert_eq!((before.code, before.just_now), (1, false));
    assert_eq!(before.message, ALREADY_RATED);
    let refused = rate(&f.station, &later, EvaluationLevel::Dissatisfied).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert_eq!(refused.message, ALREADY_RATED);
    let store = f.station.store();
    let stored = store
        .lock()
        .unwrap()
        .evaluation_of(case.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.level, EvaluationLevel::VerySatisfied);
    assert_eq!(store.lock().unwrap().evaluations_pending().unwrap(), 1);
}

#[test]
fn the_channel_code_is_configuration() {
    let f = station();
    let store = f.station.store();
    let too_long = "x".repeat(yichuang_core::evaluation::MAX_CHANNEL_LEN + 1);
    assert!(
        store
            .lock()
            .unwrap()
            .set_pad_channel(&too_long, "demo")
            .is_err()
    );
    store
        .lock()
        .unwrap()
        .set_pad_channel(" 5 ", "demo")
        .unwrap();
    assert_eq!(store.lock().unwrap().pad_channel().unwrap(), "5");

    let case = accepted(&f.station);
    let shown = screen(
        f.station
            .customer_view(case.id, EvaluationMoment::AfterAcceptance)
            .unwrap(),
    );
    rate(&f.station, &shown, EvaluationLevel::FairlySatisfied).unwrap();
    let stored = store
        .lock()
        .unwrap()
        .evaluation_of(case.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.channel, "5");

    store.lock().unwrap().set_pad_channel("", "demo").unwrap();
    assert_eq!(store.lock().unwrap().pad_channel().unwrap(), "pad");
}

#[test]
fn only_a_logged_in_clerk_puts_a_known_case_on_the_screen() {
    let f = station();
    let case = accepted(&f.station);
    let unknown = f
        .station
        .customer_view(Uuid::now_v7(), EvaluationMoment::AfterAcceptance)
        .unwrap_err();
    assert_eq!(unknown.kind, ErrorKind::InvalidInput);
    f.station.logout();
    let err = f
        .station
        .customer_view(case.id, EvaluationMoment::AfterAcceptance)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotLoggedIn);
}
