use super::*;
use crate::testing::sample_case;

fn policy() -> SyncPolicy {
    SyncPolicy {
        backoff_base: Duration::from_millis(100),
        backoff_cap: Duration::from_millis(1_000),
        retry_after_cap: Duration::from_secs(5),
        max_attempts: 3,
        batch_limit: 10,
        load_limit: 100,
    }
}

fn entry(serial: u32, revision: i64, accepted_ms: i64) -> OutboxEntry {
    let mut case = sample_case("440111001", serial);
    case.accepted_at = Timestamp::from_millisecond(accepted_ms).unwrap();
    OutboxEntry {
        case,
        revision,
        attempts: 0,
        clock_offset_ms: None,
    }
}

#[test]
fn backoff_doubles_up_to_the_cap_with_full_jitter() {
    let p = policy();
    let ceilings: Vec<u128> = (1..=6).map(|n| p.ceiling(n).as_millis()).collect();
    assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
    assert_eq!(p.ceiling(u32::MAX), Duration::from_millis(1_000));
    assert_eq!(p.backoff(4, 0.5), Duration::from_millis(400));
    assert_eq!(p.backoff(4, 0.999_999).as_millis(), 799);
    // Unlucky draws never go below half the base.
    assert_eq!(p.backoff(4, 0.0), Duration::from_millis(50));
}

#[test]
fn retry_after_is_honoured_but_capped() {
    let p = policy();
    let ra = |s| Some(Duration::from_secs(s));
    assert_eq!(p.delay(1, ra(2), 0.5), Duration::from_secs(2));
    assert_eq!(p.delay(1, ra(3_600), 0.5), Duration::from_secs(5));
    assert_eq!(p.delay(5, None, 0.5), Duration::from_millis(500));
}

#[test]
fn batch_is_oldest_first_and_keeps_the_newest_revision() {
    let a = entry(1, 1, 3_000);
    let b = entry(2, 1, 1_000);
    let mut a2 = a.clone();
    a2.revision = 2;
    let mut bad = entry(3, 1, 2_000);
    bad.case.station_code = "44-01".into();
    let batch = plan_batch(vec![a.clone(), b.clone(), a2.clone(), bad.clone()]);
    let sent: Vec<(Uuid, i64)> = batch
        .send
        .iter()
        .map(|p| (p.entry.case.id, p.entry.revision))
        .collect();
    assert_eq!(sent, [(b.case.id, 1), (a.case.id, 2)]);
    assert_eq!(batch.unsendable.len(), 1);
    assert_eq!(batch.unsendable[0].0, bad.case.id);
    assert_eq!(batch.send[1].submission.item_code, a.case.intake.item_code);
}

#[test]
fn district_wide_trouble_stops_the_round_without_blaming_the_record() {
    for (failure, stop) in [
        (Failure::Unreachable, Stop::Offline),
        (Failure::AuthNeeded, Stop::AuthNeeded),
        (Failure::Untrusted, Stop::Untrusted),
        (
            Failure::Busy {
                retry_after: Some(Duration::from_secs(1)),
            },
            Stop::Busy {
                retry_after: Some(Duration::from_secs(1)),
            },
        ),
        (Failure::Forbidden, Stop::Misconfigured),
        (Failure::WrongAddress { status: 404 }, Stop::Misconfigured),
        (
            Failure::BadRequest {
                status: 400,
                message: "x".into(),
            },
            Stop::Misconfigured,
        ),
        (Failure::Unreadable { status: 200 }, Stop::Unreadable),
        (Failure::Unreadable { status: 302 }, Stop::Unreadable),
    ] {
        let d = decide(&failure);
        assert!(!d.suspect, "{failure:?}");
        assert_eq!(d.stop, Some(stop));
    }
}

#[test]
fn a_server_error_suspects_the_record_and_blames_it_only_when_others_got_through() {
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let err = Failure::ServerError { status: 500 };
    let d = decide(&err);
    assert!(
        d.suspect,
        "nothing written until the round shows who is to blame"
    );
    assert_eq!(d.stop, None, "one record's 5xx must not stop the others");
    assert!(d.suspect);
    let (permanent, _, next) = blame_server_error(&err, 0, now, &policy(), 0.5);
    assert!(!permanent);
    assert_eq!(next.duration_since(now).as_millis(), 50);
    let (permanent, _, _) = blame_server_error(&err, 2, now, &policy(), 0.5);
    assert!(permanent, "third failure with max_attempts = 3");
}

#[test]
fn after_round_moves_between_the_explicit_states() {
    let p = policy();
    let poll = Duration::from_secs(30);
    assert_eq!(
        after_round(None, false, 4, &p, poll, 0.5),
        (SyncPhase::Idle, poll, 0)
    );
    assert_eq!(
        after_round(None, true, 0, &p, poll, 0.5),
        (SyncPhase::Syncing, Duration::ZERO, 0)
    );
    assert_eq!(
        after_round(Some(&Stop::Offline), false, 2, &p, poll, 0.5),
        (
            SyncPhase::Offline { next_in_ms: 200 },
            Duration::from_millis(200),
            3
        )
    );
    let busy = Stop::Busy {
        retry_after: Some(Duration::from_secs(2)),
    };
    assert_eq!(
        after_round(Some(&busy), false, 0, &p, poll, 0.5).0,
        SyncPhase::Retrying { next_in_ms: 2_000 }
    );
    assert_eq!(
        after_round(Some(&Stop::AuthNeeded), false, 1, &p, poll, 0.5),
        (SyncPhase::AuthNeeded, poll, 1)
    );
    assert_eq!(
        after_round(Some(&Stop::Misconfigured), false, 0, &p, poll, 0.5),
        (SyncPhase::NeedsAttention { next_in_ms: 30_000 }, poll, 1)
    );
    // An untrusted certificate needs a person, not a better network: never shown as offline.
    assert_eq!(
        after_round(Some(&Stop::Untrusted), false, 3, &p, poll, 0.5),
        (SyncPhase::NeedsAttention { next_in_ms: 30_000 }, poll, 4)
    );
}
