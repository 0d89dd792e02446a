//! Clerk accounts and the tamper-evident audit log, on a real encrypted station file.

use crate::common;

use common::TestStation;
use yichuang_store::StoreError;

#[test]
fn clerks_log_in_with_argon2id_passwords() {
    let t = TestStation::new("clerks");
    let mut store = t.provision();
    let clerk = store
        .add_clerk("zhangsan", "张三", "柜台密码-2026")
        .unwrap();
    assert_eq!(clerk.display_name, "张三");
    assert!(matches!(
        store.add_clerk("zhangsan", "张三", "another-password"),
        Err(StoreError::ClerkExists { .. })
    ));
    assert!(matches!(
        store.add_clerk("lisi", "李四", "short"),
        Err(StoreError::InvalidInput(_))
    ));

    assert_eq!(
        store
            .verify_clerk("zhangsan", "柜台密码-2026")
            .unwrap()
            .login,
        "zhangsan"
    );
    let wrong = store.verify_clerk("zhangsan", "柜台密码-2025").unwrap_err();
    assert!(matches!(wrong, StoreError::BadCredentials));
    assert!(wrong.to_string().contains("账号或密码不正确"));
    assert!(matches!(
        store.verify_clerk("nobody", "柜台密码-2026"),
        Err(StoreError::BadCredentials)
    ));

    let raw = t.raw_connection();
    let hash: String = raw
        .query_row(
            "SELECT password_hash FROM clerks WHERE login = 'zhangsan'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let logins: i64 = raw
        .query_row(
            "SELECT count(*) FROM audit_log WHERE event = 'clerk.login'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logins, 3, "every login attempt is audited");
}

#[test]
fn the_audit_chain_detects_a_modified_row_in_the_encrypted_file() {
    let t = TestStation::new("audit");
    let mut store = t.provision();
    for i in 0..5 {
        store
            .audit(
                "zhangsan",
                "slip.reprinted",
                &format!("L440111001-03-20261127-000{i}"),
                "ok",
            )
            .unwrap();
    }
    let n = store.verify_audit_chain().unwrap();
    assert!(n >= 8, "provision, imports and five events: {n}");
    drop(store);

    let raw = t.raw_connection();
    let changed = raw
        .execute("UPDATE audit_log SET actor = 'someone-else' WHERE event = 'slip.reprinted' AND target LIKE '%0002'", [])
        .unwrap();
    assert_eq!(changed, 1);
    let tampered_id: i64 = raw
        .query_row(
            "SELECT id FROM audit_log WHERE actor = 'someone-else'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(raw);

    let store = t.open();
    let err = store.verify_audit_chain().unwrap_err();
    assert!(
        matches!(err, StoreError::AuditTampered { id } if id == tampered_id),
        "{err}"
    );
    assert!(err.to_string().contains("审计链已断开"));
}
