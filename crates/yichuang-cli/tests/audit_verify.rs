//! `yichuang audit verify` on a real station: intact after set-up, and a row changed inside
//! the encrypted file (with the key the CLI put in the keyring) is named with exit code 1.

use crate::common;

use common::CliStation;

fn checked_count(stdout: &str) -> u64 {
    stdout
        .trim()
        .strip_prefix("审计日志完整：")
        .and_then(|s| s.strip_suffix(" 条记录已核对"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output: {stdout}"))
}

#[test]
fn a_fresh_station_has_an_intact_audit_log() {
    let station = CliStation::init("audit-ok");
    let run = station.run(&["audit", "verify"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(checked_count(&run.stdout) >= 3, "{run:?}");
}

#[test]
fn a_changed_audit_row_is_named_and_exits_1() {
    let station = CliStation::init("audit-tampered");
    let before = checked_count(&station.run(&["audit", "verify"]).stdout);

    let raw = station.raw_connection();
    let id: i64 = raw
        .query_row(
            "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let changed = raw
        .execute(
            "UPDATE audit_log SET actor = 'someone-else' WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(raw);

    let run = station.run(&["audit", "verify"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("审计日志第 {id} 条记录被改动或删除，审计链已断开")),
        "{run:?}"
    );
    assert!(!run.stdout.contains("审计日志完整"), "{run:?}");
    assert!(before >= 3);
}
