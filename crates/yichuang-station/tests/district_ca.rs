//! Pinning the district's root CA from the settings window: a file that is not a certificate
//! (or is too large, missing, a folder) is refused with what to do and nothing is stored; a
//! real certificate is pinned and the district view shows its fingerprint; back to the
//! system's roots; a plain clerk is refused; each change is audited once, a repeat not at
//! all; enrollment uses the pinned CA. Real station, run under
//! crates/yichuang-store/with-keyring.sh.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Fixture, station};
use yichuang_station::{DistrictView, ErrorKind};

/// The sync crate's test root CA and what `openssl x509 -fingerprint -sha256` printed for it
/// (crates/yichuang-sync/tests/fixtures/README.md).
const CA: &str = include_str!("../../yichuang-sync/tests/fixtures/district-ca.pem");
const CA_SHORT: &str = "7D84 544C 32B1 9155";
const CA_2: &str = include_str!("../../yichuang-sync/tests/fixtures/district-ca-2.pem");
const CA_2_SHORT: &str = "6463 AE3E ED29 41FC";

fn write(f: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    let path = f.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The audit rows of CA changes (actor, result), read from the encrypted file.
fn ca_audit(f: &Fixture) -> Vec<(String, String)> {
    let raw = common::raw_db(&f.config);
    let mut stmt = raw
        .prepare(
            "SELECT actor, result FROM audit_log WHERE event = 'settings.district_ca' ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn stored_ca(f: &Fixture) -> Option<String> {
    f.station.store().lock().unwrap().district_ca_pem().unwrap()
}

fn pin(f: &Fixture, path: &Path) -> DistrictView {
    f.station.set_district_ca(Some(path)).unwrap()
}

#[test]
fn files_that_are_not_a_certificate_are_refused_and_nothing_is_stored() {
    let f = station();
    let before = f.station.district().unwrap();
    assert!(!before.ca_pinned);
    assert_eq!(before.ca_label, "使用系统的根证书");

    let not_pem = write(&f, "readme.txt", "请把根证书发给我们".as_bytes());
    let not_base64 = write(
        &f,
        "bad.pem",
        b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
    );
    // A DER (binary) certificate: not PEM.
    let der = write(&f, "root.cer", &[0x30, 0x82, 0x02, 0x18, 0xff, 0xfe, 0x00]);
    let key_only = write(
        &f,
        "key.pem",
        b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
    );
    for path in [&not_pem, &not_base64, &der, &key_only] {
        let refused = f.station.set_district_ca(Some(path)).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::InvalidInput, "{path:?}");
        assert_eq!(
            refused.message,
            "该文件不是 PEM 格式的证书：请向区级系统管理员索取根证书文件（.pem 或 .crt）"
        );
    }

    // A certificate followed by 300 KB of padding: too large, whatever it holds.
    let mut large = CA.as_bytes().to_vec();
    large.extend(std::iter::repeat_n(b'\n', 300 * 1024));
    let large = write(&f, "large.pem", &large);
    let missing = f.dir.path().join("没有这个文件.pem");
    let folder = f.dir.path().to_path_buf();
    let cases = [
        (large.as_path(), "超过 256 KB"),
        (missing.as_path(), "找不到该根证书文件"),
        (folder.as_path(), "文件夹"),
        (Path::new(""), "请填写根证书文件的路径"),
    ];
    for (path, says) in cases {
        let refused = f.station.set_district_ca(Some(path)).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::InvalidInput, "{path:?}");
        assert!(refused.message.contains(says), "{path:?}: {refused:?}");
    }
    assert_eq!(stored_ca(&f), None);
    assert!(ca_audit(&f).is_empty());
    assert!(!f.station.district().unwrap().ca_pinned);
}

#[test]
fn a_certificate_is_pinned_with_its_fingerprint_and_the_system_roots_come_back() {
    let f = station();
    let file = write(&f, "district-root.crt", CA.as_bytes());
    let view = pin(&f, &file);
    assert!(view.ca_pinned);
    assert_eq!(
        view.ca_label,
        format!("只信任已固定的区级根证书（SHA-256 {CA_SHORT}）")
    );
    assert_eq!(stored_ca(&f).as_deref(), Some(CA.trim()));
    assert!(view.enrolled, "pinning a CA keeps the enrollment");
    assert_eq!(ca_audit(&f), [("demo".to_string(), "pinned".to_string())]);

    // The same file again: the same view, nothing changed or audited.
    let again = pin(&f, &file);
    assert_eq!(again.ca_label, view.ca_label);
    assert_eq!(ca_audit(&f).len(), 1);

    // A bundle of two roots: both fingerprints, in file order.
    let bundle = write(&f, "bundle.pem", format!("{CA_2}{CA}").as_bytes());
    let both = pin(&f, &bundle);
    assert_eq!(
        both.ca_label,
        format!("只信任已固定的区级根证书（SHA-256 {CA_2_SHORT}；{CA_SHORT}）")
    );

    // A bad file does not replace the pinned one.
    let bad = write(&f, "bad.pem", b"hello");
    f.station.set_district_ca(Some(&bad)).unwrap_err();
    assert_eq!(f.station.district().unwrap().ca_label, both.ca_label);

    let system = f.station.set_district_ca(None).unwrap();
    assert!(!system.ca_pinned);
    assert_eq!(system.ca_label, "使用系统的根证书");
    assert_eq!(stored_ca(&f), None);
    assert_eq!(
        f.station.set_district_ca(None).unwrap().ca_label,
        system.ca_label
    );
    let results: Vec<String> = ca_audit(&f).into_iter().map(|(_, r)| r).collect();
    assert_eq!(results, ["pinned", "pinned", "system"]);
}

#[test]
fn a_plain_clerk_may_not_pin_a_ca_nor_open_the_dialog() {
    let f = station();
    common::add_li(&f.station);
    f.station.logout();
    f.station.login("li", "li-password").unwrap();
    let file = write(&f, "district-root.crt", CA.as_bytes());
    for refused in [
        f.station.set_district_ca(Some(&file)).map(|_| ()),
        f.station.set_district_ca(None).map(|_| ()),
        f.station.may_pick_district_ca(),
    ] {
        assert_eq!(refused.unwrap_err().kind, ErrorKind::Forbidden);
    }
    assert_eq!(stored_ca(&f), None);
    assert!(ca_audit(&f).is_empty());
    // They still see which CA is used.
    assert_eq!(f.station.district().unwrap().ca_label, "使用系统的根证书");
}

/// Regression: enrollment built its client without the pinned CA, so a private-CA district
/// refused it even after the CA was pinned. A pinned CA that cannot be read now stops the
/// enrollment before anything is sent, which only happens if enrollment reads it.
#[tokio::test]
async fn enrollment_uses_the_pinned_ca() {
    let f = station();
    f.station
        .store()
        .lock()
        .unwrap()
        .set_district_ca(Some("not a certificate"), "test")
        .unwrap();
    let refused = f
        .station
        .enroll("http://127.0.0.1:9", "ABCD-1234", "窗口一")
        .await
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert!(refused.message.contains("根证书"), "{refused:?}");

    // With a good CA pinned the client is built and the (absent) district is what fails.
    let file = write(&f, "district-root.crt", CA.as_bytes());
    pin(&f, &file);
    let unreachable = f
        .station
        .enroll("http://127.0.0.1:9", "ABCD-1234", "窗口一")
        .await
        .unwrap_err();
    assert!(
        unreachable.message.starts_with("登记未成功"),
        "{unreachable:?}"
    );
}
