//! Login, lockout, the lock and clerk switches on one station: the real station file, the
//! real keyring; what each clerk sees and what the store keeps.

use crate::common;

use common::{RESIDENCE_PERMIT, add_li, filled};
use yichuang_core::IntakeDecision;
use yichuang_station::{ErrorKind, LoginSettings, SessionView, Station, StationConfig};

#[test]
fn five_wrong_passwords_lock_the_account_with_a_message_saying_until_when() {
    let f = common::station();
    add_li(&f.station);
    f.station.logout();
    for _ in 0..4 {
        let e = f.station.login("li", "wrong-password").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadCredentials);
        assert_eq!(e.message, "工号或密码不正确");
    }
    let e = f.station.login("li", "wrong-password").unwrap_err();
    assert!(e.message.contains("已锁定至"), "{}", e.message);
    let e = f.station.login("li", "li-password").unwrap_err();
    assert!(
        e.message.contains("已锁定至"),
        "the right password waits: {}",
        e.message
    );
    // An unknown login answers exactly like a known one.
    for _ in 0..4 {
        assert_eq!(
            f.station
                .login("nobody", "wrong-password")
                .unwrap_err()
                .message,
            "工号或密码不正确"
        );
    }
    let unknown = f.station.login("nobody", "wrong-password").unwrap_err();
    assert!(unknown.message.contains("已锁定至"), "{}", unknown.message);

    // The lock survives a restart of the app.
    let config: StationConfig = f.config.clone();
    drop(f.station);
    let reopened = Station::open(&config).unwrap();
    let e = reopened.login("li", "li-password").unwrap_err();
    assert!(e.message.contains("已锁定至"), "{}", e.message);
    // The manager resets the password: the lock is lifted.
    reopened.login("demo", "demo1234").unwrap();
    reopened
        .reset_clerk_password("li", "new-li-password")
        .unwrap();
    reopened.logout();
    assert_eq!(reopened.login("li", "new-li-password").unwrap().login, "li");
}

#[test]
fn a_locked_window_refuses_clerk_work_until_its_clerk_unlocks() {
    let f = common::station();
    let s = &f.station;
    assert_eq!(s.login_settings().unwrap().idle_lock_minutes, 5);
    let audited = || s.store().lock().unwrap().verify_audit_chain().unwrap();
    let before = audited();
    assert!(matches!(s.lock_session(), SessionView::Locked { clerk } if clerk.login == "demo"));
    assert_eq!(audited(), before + 1, "the lock is audited");
    s.lock_session();
    assert_eq!(
        audited(),
        before + 1,
        "locking a locked window records nothing"
    );
    let e = s.drafts().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Locked);
    assert!(
        e.message.contains("测试窗口人员"),
        "says who locked it: {}",
        e.message
    );
    assert!(s.info().clerk.is_none());
    let e = s.unlock("wrong-password").unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadCredentials);
    assert!(matches!(s.session_view(), SessionView::Locked { .. }));
    assert_eq!(s.unlock("demo1234").unwrap().login, "demo");
    assert!(matches!(s.session_view(), SessionView::Active { .. }));
    assert!(s.drafts().is_ok());
    let before_logout = audited();
    s.logout();
    assert_eq!(audited(), before_logout + 1, "the logout is audited");
    assert_eq!(s.drafts().unwrap_err().kind, ErrorKind::NotLoggedIn);
    assert_eq!(
        s.unlock("demo1234").unwrap_err().kind,
        ErrorKind::NotLoggedIn
    );
}

#[test]
fn the_manager_sets_the_login_times_and_a_clerk_may_not() {
    let f = common::station();
    let s = &f.station;
    let wanted = LoginSettings {
        lockout_minutes: 30,
        idle_lock_minutes: 10,
    };
    assert_eq!(s.set_login_settings(wanted).unwrap(), wanted);
    let bad = LoginSettings {
        lockout_minutes: 0,
        idle_lock_minutes: 500,
    };
    let e = s.set_login_settings(bad).unwrap_err();
    let fields: Vec<_> = e.issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["lockout_minutes", "idle_lock_minutes"]);
    add_li(s);
    s.login("li", "li-password").unwrap();
    assert_eq!(
        s.set_login_settings(wanted).unwrap_err().kind,
        ErrorKind::Forbidden
    );
    assert_eq!(s.login_settings().unwrap(), wanted);
}

#[test]
fn switching_clerks_never_shows_or_mixes_a_draft_and_cases_keep_their_clerk() {
    let f = common::station();
    let s = &f.station;
    add_li(s);

    // demo accepts one case and leaves a second intake open, then locks the window.
    let accepted = filled(s, RESIDENCE_PERMIT);
    let case = s.decide(&accepted, &IntakeDecision::Accept).unwrap();
    let open = filled(s, RESIDENCE_PERMIT);
    assert_eq!(s.drafts().unwrap().len(), 1);
    s.lock_session();

    // 换人登录: li sees none of demo's drafts and cannot write into demo's open draft.
    assert_eq!(s.login("li", "li-password").unwrap().login, "li");
    assert!(s.drafts().unwrap().is_empty());
    assert!(
        !s.save_draft(&open).unwrap(),
        "li cannot resume demo's draft"
    );
    let mine = filled(s, RESIDENCE_PERMIT);
    assert_eq!(s.drafts().unwrap().len(), 1);
    s.logout();

    // demo comes back: the open draft is there as demo left it, li's is not.
    s.login("demo", "demo1234").unwrap();
    let back = s.drafts().unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].form.id, open.id);
    assert_eq!(back[0].applicant_name, "王堃喆");
    assert_ne!(back[0].form.id, mine.id);

    // The case demo accepted stays demo's whoever is logged in.
    let store = s.store();
    let kept = store
        .lock()
        .unwrap()
        .get_case(case.case.id)
        .unwrap()
        .unwrap();
    assert_eq!(kept.clerk, "测试窗口人员");
}
