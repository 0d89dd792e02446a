//! Lockout, local accounts and undoing a provisioning, against real SQLCipher files and the
//! real Secret Service.

use crate::common;

use common::TestStation;
use jiff::{SignedDuration, Timestamp};
use yichuang_core::Role;
use yichuang_store::{LoginAttempt, LoginPolicy, Store, StoreError};

fn audit_results(t: &TestStation, event: &str) -> Vec<String> {
    let conn = t.raw_connection();
    let mut stmt = conn
        .prepare("SELECT result FROM audit_log WHERE event = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([event], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn five_failures_lock_for_the_set_time_across_a_restart_and_a_success_resets() {
    let t = TestStation::new("lockout");
    let mut store = t.provision();
    store.add_clerk("li", "李四", "right-password").unwrap();
    let now: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();

    // Two failures, then a success: the count starts again.
    for _ in 0..2 {
        assert_eq!(
            store.attempt_login("li", "wrong", now).unwrap(),
            LoginAttempt::Refused { locked_until: None }
        );
    }
    assert!(matches!(
        store.attempt_login("li", "right-password", now).unwrap(),
        LoginAttempt::Accepted(c) if c.login == "li"
    ));
    for _ in 0..4 {
        assert_eq!(
            store.attempt_login("li", "wrong", now).unwrap(),
            LoginAttempt::Refused { locked_until: None },
            "four failures after a success do not lock"
        );
    }
    let until = now + SignedDuration::from_mins(15);
    assert_eq!(
        store.attempt_login("li", "wrong", now).unwrap(),
        LoginAttempt::Refused {
            locked_until: Some(until)
        }
    );
    drop(store);

    // A restart keeps the lock; even the right password is refused until it runs out.
    let mut store = t.open();
    let later = now + SignedDuration::from_mins(14);
    assert_eq!(
        store.attempt_login("li", "right-password", later).unwrap(),
        LoginAttempt::Refused {
            locked_until: Some(until)
        }
    );
    let after = now + SignedDuration::from_mins(16);
    assert!(matches!(
        store.attempt_login("li", "right-password", after).unwrap(),
        LoginAttempt::Accepted(_)
    ));
    assert_eq!(audit_results(&t, "clerk.locked_out"), ["ok"]);
    let logins = audit_results(&t, "clerk.login");
    assert_eq!(logins.iter().filter(|r| *r == "bad_credentials").count(), 7);
    assert_eq!(logins.iter().filter(|r| *r == "locked_out").count(), 1);
    assert_eq!(logins.iter().filter(|r| *r == "ok").count(), 2);
}

#[test]
fn an_unknown_login_is_refused_and_locked_like_a_known_one() {
    let t = TestStation::new("unknown");
    let mut store = t.provision();
    store.add_clerk("li", "李四", "right-password").unwrap();
    let now: Timestamp = "2026-11-30T02:00:00Z".parse().unwrap();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..6 {
        known.push(store.attempt_login("li", "wrong", now).unwrap());
        unknown.push(store.attempt_login("nobody", "wrong", now).unwrap());
    }
    assert_eq!(
        known, unknown,
        "the answers tell nothing about which exists"
    );
    assert!(matches!(
        unknown[5],
        LoginAttempt::Refused {
            locked_until: Some(_)
        }
    ));
}

#[test]
fn the_login_policy_defaults_changes_and_refuses_nonsense() {
    let t = TestStation::new("policy");
    let mut store = t.provision();
    assert_eq!(store.login_policy().unwrap(), LoginPolicy::default());
    assert_eq!(LoginPolicy::default().lockout_minutes, 15);
    assert_eq!(LoginPolicy::default().idle_lock_minutes, 5);
    let policy = LoginPolicy {
        lockout_minutes: 30,
        idle_lock_minutes: 10,
    };
    store.set_login_policy(policy, "boss").unwrap();
    let bad = LoginPolicy {
        lockout_minutes: 0,
        idle_lock_minutes: 10,
    };
    assert!(matches!(
        store.set_login_policy(bad, "boss"),
        Err(StoreError::InvalidInput(_))
    ));
    drop(store);
    assert_eq!(t.open().login_policy().unwrap(), policy);
}

#[test]
fn local_accounts_are_added_deactivated_reset_and_the_last_manager_stays() {
    let t = TestStation::new("accounts");
    let mut store = t.provision();
    store
        .add_account("boss", "王经理", "boss-password", Role::HallManager)
        .unwrap();
    store
        .add_local_account("li", "李四", "first-password", Role::Clerk, "boss")
        .unwrap();
    let now = Timestamp::now();
    store.set_account_active("li", false, "boss").unwrap();
    assert_eq!(
        store.attempt_login("li", "first-password", now).unwrap(),
        LoginAttempt::Refused { locked_until: None },
        "a deactivated account cannot log in"
    );
    store.set_account_active("li", true, "boss").unwrap();
    for _ in 0..5 {
        store.attempt_login("li", "wrong", now).unwrap();
    }
    store
        .reset_local_password("li", "second-password", "boss")
        .unwrap();
    assert!(
        matches!(
            store.attempt_login("li", "second-password", now).unwrap(),
            LoginAttempt::Accepted(_)
        ),
        "a reset lifts the lockout"
    );
    let err = store.set_account_active("boss", false, "boss").unwrap_err();
    assert!(err.to_string().contains("唯一"), "{err}");
    let accounts = store.accounts().unwrap();
    let li = accounts.iter().find(|a| a.login == "li").unwrap();
    assert!(li.active && li.local && li.role == Role::Clerk);
    assert_eq!(
        audit_results(&t, "clerk.deactivated").len()
            + audit_results(&t, "clerk.reactivated").len()
            + audit_results(&t, "clerk.password_reset").len(),
        3
    );
}

#[test]
fn discarding_a_new_station_removes_its_files_and_key_and_a_second_attempt_works() {
    let t = TestStation::new("discard");
    let store = t.provision();
    let id = store.database_id().to_string();
    store.discard_new_station().unwrap();
    assert!(t.files().is_empty(), "{:?}", t.files());
    assert!(t.keyring.get(&id).unwrap().is_none(), "key gone");
    assert!(matches!(
        Store::open(&t.paths, &t.keyring),
        Err(StoreError::NotProvisioned { .. })
    ));
    let _again = t.provision();
}

fn district_hash(password: &str) -> String {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .unwrap()
        .to_string()
}

#[test]
fn district_accounts_log_in_offline_and_stay_the_districts_to_change() {
    use yichuang_store::{DistrictClerk, DownloadedReference};
    let t = TestStation::new("district-accounts");
    let mut store = t.provision();
    let list = vec![
        DistrictClerk {
            login: "chen".into(),
            display_name: "陈一".into(),
            password_hash: district_hash("chen-password"),
            role: "clerk".into(),
            active: true,
        },
        DistrictClerk {
            login: "zhou".into(),
            display_name: "周二".into(),
            password_hash: district_hash("zhou-password"),
            role: "hall_manager".into(),
            active: true,
        },
    ];
    store
        .apply_reference("clerks-v1", &DownloadedReference::Clerks(list))
        .unwrap();
    drop(store);

    // No district anywhere: the station checks the synced Argon2id hashes itself.
    let mut store = t.open();
    let now = Timestamp::now();
    match store.attempt_login("chen", "chen-password", now).unwrap() {
        LoginAttempt::Accepted(c) => {
            assert_eq!((c.display_name.as_str(), c.role), ("陈一", Role::Clerk))
        }
        other => panic!("{other:?}"),
    }
    match store.attempt_login("zhou", "zhou-password", now).unwrap() {
        LoginAttempt::Accepted(c) => assert_eq!(c.role, Role::HallManager),
        other => panic!("{other:?}"),
    }
    let accounts = store.accounts().unwrap();
    assert!(accounts.iter().all(|a| !a.local));
    let err = store
        .reset_local_password("chen", "new-password", "zhou")
        .unwrap_err();
    assert!(err.to_string().contains("区级系统"), "{err}");
    let err = store.set_account_active("chen", false, "zhou").unwrap_err();
    assert!(err.to_string().contains("区级系统"), "{err}");
}
