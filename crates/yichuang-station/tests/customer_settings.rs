//! The customer screen follows the settings page: its QR carries the configured QR channel
//! code (the code a phone scan is counted under, as on paper; the `pad` code is for levels
//! tapped on the screen), and its idle screen shows the station's current name. Real station;
//! run under crates/yichuang-store/with-keyring.sh.

use crate::common;

use common::{RESIDENCE_PERMIT, filled, station};
use yichuang_core::IntakeDecision;
use yichuang_station::{CustomerView, EvaluationCodes, EvaluationMoment, Station, StationForm};

fn qr_of(station: &Station, case_id: uuid::Uuid) -> String {
    match station
        .customer_view(case_id, EvaluationMoment::AfterAcceptance)
        .unwrap()
    {
        CustomerView::Evaluate(screen) => screen.qr_svg,
        other => panic!("not an evaluation screen: {other:?}"),
    }
}

fn codes(pad: &str, qr: &str) -> EvaluationCodes {
    EvaluationCodes {
        pad_channel: pad.into(),
        qr_channel: qr.into(),
    }
}

#[test]
fn the_screens_qr_carries_the_configured_qr_channel_not_the_pad_one() {
    let f = station();
    let s = &f.station;
    let form = filled(s, RESIDENCE_PERMIT);
    let case = s.decide(&form, &IntakeDecision::Accept).unwrap().case;
    let default = qr_of(s, case.id);
    // The pad code is the tapped rating's: the QR does not change with it.
    s.set_evaluation_codes(&codes("7", "qr")).unwrap();
    assert_eq!(qr_of(s, case.id), default, "pad code not in the QR");
    // The QR code is: another code, another (signed) payload.
    s.set_evaluation_codes(&codes("7", "3")).unwrap();
    let three = qr_of(s, case.id);
    assert_ne!(
        three, default,
        "the configured QR code is in the screen's QR"
    );
    // Back to the default code: the very same QR (Ed25519 signs deterministically).
    s.set_evaluation_codes(&codes("", "")).unwrap();
    assert_eq!(qr_of(s, case.id), default);
}

#[test]
fn the_idle_screen_shows_the_station_as_renamed_on_the_settings_page() {
    let f = station();
    let s = &f.station;
    let idle = |s: &Station| match s.customer_idle() {
        CustomerView::Idle { station_name } => station_name,
        other => panic!("not idle: {other:?}"),
    };
    assert_eq!(idle(s), "白云区测试便民服务站");
    let current = s.station_settings().unwrap();
    s.set_station_settings(&StationForm {
        station_name: "白云区太和镇便民服务站（新址）".into(),
        counter: current.counter.to_string(),
        phone: current.phone,
        address: current.address,
    })
    .unwrap();
    assert_eq!(idle(s), "白云区太和镇便民服务站（新址）");
}
