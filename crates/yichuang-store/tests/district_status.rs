//! The district's status changes and reference documents applied to a real station: a page
//! in one transaction with its cursor, unknown cases and refused steps skipped, the cursor
//! kept across a reopen; documents applied with their version, bad ones refused whole.

use crate::common;

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use common::{PROMISED, TestStation, catalogue, intake, ts};
use uuid::Uuid;
use yichuang_core::{Catalogue, DistrictStatus, StatusChange};
use yichuang_store::{Applied, DistrictClerk, DownloadedReference, StoreError};

fn change(seq: i64, case_id: Uuid, official: &str, status: DistrictStatus) -> StatusChange {
    StatusChange {
        seq,
        case_id,
        official_case_no: official.into(),
        status,
        changed_at: ts("2026-11-30T02:00:00Z"),
        note: None,
        courier: None,
        tracking_no: None,
    }
}

#[test]
fn a_page_applies_known_steps_skips_the_rest_and_moves_the_cursor() {
    let t = TestStation::new("status-page");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let rev = store.case_revision(a.id).unwrap();
    assert!(
        store
            .record_synced(a.id, rev, "440111-2026-000001")
            .unwrap()
    );
    let b = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    assert_eq!(store.status_cursor().unwrap(), 0);
    assert_eq!(store.district_status(a.id).unwrap(), None);

    let mut ready = change(
        7,
        a.id,
        "440111-2026-000001",
        DistrictStatus::ReadyForPickup,
    );
    ready.note = Some("准予许可，证件编号 440111-JZZ-0001".into());
    let page = vec![
        change(1, a.id, "440111-2026-000001", DistrictStatus::Reviewing),
        change(2, a.id, "440111-2026-000001", DistrictStatus::Approved),
        change(
            3,
            Uuid::now_v7(),
            "440111-2026-000099",
            DistrictStatus::Approved,
        ),
        change(4, a.id, "440111-2026-000001", DistrictStatus::Reviewing),
        // The station missed b's earlier steps: its first status may be any.
        change(5, b.id, "440111-2026-000002", DistrictStatus::Approved),
        ready,
    ];
    let done = store.apply_status_changes(&page, 7).unwrap();
    assert_eq!(
        done,
        Applied {
            applied: 4,
            unknown_case: 1,
            refused: 1,
            already: 0,
            numbered: 1,
        }
    );
    assert_eq!(store.status_cursor().unwrap(), 7);
    let status = store
        .district_status(a.id)
        .unwrap()
        .expect("a has a status");
    assert_eq!(status.status, DistrictStatus::ReadyForPickup);
    assert_eq!(status.label, "待领取");
    assert_eq!(status.seq, 7);
    assert_eq!(
        status.note.as_deref(),
        Some("准予许可，证件编号 440111-JZZ-0001")
    );
    assert!(status.ready_for_delivery());
    let b_status = store
        .district_status(b.id)
        .unwrap()
        .expect("b has a status");
    assert_eq!(b_status.status, DistrictStatus::Approved);
    assert!(!b_status.ready_for_delivery());
    // b's upload answer was lost: the district's number comes with the status.
    let b_case = store.get_case(b.id).unwrap().unwrap();
    assert_eq!(
        b_case.official_case_no.as_deref(),
        Some("440111-2026-000002")
    );
    assert_eq!(
        store.find_cases("000002").unwrap().len(),
        1,
        "searchable by it"
    );

    // The same page again (a repeated request) changes nothing.
    let again = store.apply_status_changes(&page, 7).unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(
        again.already, 5,
        "every change of a known case, refused ones too"
    );
    assert_eq!(again.unknown_case, 1);
    assert_eq!(store.status_cursor().unwrap(), 7);
    // A cursor never moves back.
    store.apply_status_changes(&[], 3).unwrap();
    assert_eq!(store.status_cursor().unwrap(), 7);

    drop(store);
    let store = t.open();
    assert_eq!(store.status_cursor().unwrap(), 7, "kept across a reopen");
    assert_eq!(
        store.district_status(a.id).unwrap().unwrap().status,
        DistrictStatus::ReadyForPickup
    );
    store.verify_audit_chain().unwrap();
}

#[test]
fn a_number_another_case_holds_is_not_written_but_the_status_is() {
    let t = TestStation::new("status-number");
    let mut store = t.provision();
    let now = ts("2026-11-27T01:00:00Z");
    let a = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let rev = store.case_revision(a.id).unwrap();
    store
        .record_synced(a.id, rev, "440111-2026-000001")
        .unwrap();
    let b = store.accept_case(intake(PROMISED), "张三", now).unwrap();
    let done = store
        .apply_status_changes(
            &[change(
                1,
                b.id,
                "440111-2026-000001",
                DistrictStatus::Reviewing,
            )],
            1,
        )
        .unwrap();
    assert_eq!(done.applied, 1);
    assert_eq!(done.numbered, 0);
    assert_eq!(
        store.get_case(b.id).unwrap().unwrap().official_case_no,
        None
    );
}

fn district_clerk(login: &str, password: &str, active: bool) -> DistrictClerk {
    DistrictClerk {
        login: login.into(),
        display_name: format!("{login} 的姓名"),
        password_hash: Argon2::default()
            .hash_password(password.as_bytes())
            .unwrap()
            .to_string(),
        role: "clerk".into(),
        active,
    }
}

#[test]
fn documents_are_applied_with_their_version_and_bad_ones_change_nothing() {
    let t = TestStation::new("reference-download");
    let mut store = t.provision();
    assert_eq!(store.reference_version("catalogue").unwrap(), None);
    let mut cat: Catalogue = catalogue();
    cat.version = "2026-12".into();
    store
        .apply_reference("2026-12", &DownloadedReference::Catalogue(cat.clone()))
        .unwrap();
    assert_eq!(
        store.reference_version("catalogue").unwrap().as_deref(),
        Some("2026-12")
    );
    assert_eq!(store.catalogue().unwrap().version, "2026-12");

    let mut empty = cat.clone();
    empty.items.clear();
    let err = store
        .apply_reference("2027-01", &DownloadedReference::Catalogue(empty))
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err:?}");
    assert_eq!(
        store.reference_version("catalogue").unwrap().as_deref(),
        Some("2026-12"),
        "a refused document moves no version"
    );

    store
        .add_clerk("local1", "本站管理员", "本地密码-2026")
        .unwrap();
    let list = vec![
        district_clerk("zhangsan", "区级下发密码-1", true),
        district_clerk("lisi", "区级下发密码-2", false),
    ];
    store
        .apply_reference("clerks-3", &DownloadedReference::Clerks(list.clone()))
        .unwrap();
    assert_eq!(
        store
            .verify_clerk("zhangsan", "区级下发密码-1")
            .unwrap()
            .login,
        "zhangsan"
    );
    for (login, password) in [("lisi", "区级下发密码-2"), ("local1", "本地密码-2026")] {
        assert!(
            matches!(
                store.verify_clerk(login, password),
                Err(StoreError::BadCredentials)
            ),
            "{login} is inactive"
        );
    }

    let mut bad = list.clone();
    bad[0].password_hash = "plain-text-password".into();
    bad[1].active = true;
    let err = store
        .apply_reference("clerks-4", &DownloadedReference::Clerks(bad))
        .unwrap_err();
    assert!(err.to_string().contains("Argon2id"), "{err}");
    assert!(
        matches!(
            store.verify_clerk("lisi", "区级下发密码-2"),
            Err(StoreError::BadCredentials)
        ),
        "nothing of a refused list was applied"
    );
    let nobody = vec![district_clerk("zhangsan", "x-password", false)];
    assert!(
        store
            .apply_reference("clerks-5", &DownloadedReference::Clerks(nobody))
            .is_err(),
        "a list that would lock everyone out is refused"
    );
    assert_eq!(
        store.reference_version("clerks").unwrap().as_deref(),
        Some("clerks-3")
    );
    store.verify_audit_chain().unwrap();
}
