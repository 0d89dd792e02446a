//! `TlsIdentity`: a chain and key that belong together are taken; anything else is refused
//! with a message that says which part and what is wrong.

use yichuang_district::{DistrictError, TlsIdentity};

use super::certs::TestPki;

fn refusal(result: Result<TlsIdentity, DistrictError>) -> String {
    match result {
        Ok(_) => panic!("accepted"),
        Err(e @ DistrictError::Tls { .. }) => e.to_string(),
        Err(e) => panic!("not a TLS error: {e:?}"),
    }
}

#[test]
fn a_chain_and_its_key_are_taken() {
    let pki = TestPki::new("测试根证书");
    assert!(TlsIdentity::from_pem(pki.chain_pem.as_bytes(), pki.key_pem.as_bytes()).is_ok());
}

#[test]
fn what_is_not_a_certificate_or_key_is_refused_by_name() {
    let pki = TestPki::new("测试根证书");
    let text = refusal(TlsIdentity::from_pem(b"hello", pki.key_pem.as_bytes()));
    assert!(
        text.contains("证书链") && text.contains("BEGIN CERTIFICATE"),
        "{text}"
    );
    // A key where the chain should be holds no certificate.
    let text = refusal(TlsIdentity::from_pem(
        pki.key_pem.as_bytes(),
        pki.key_pem.as_bytes(),
    ));
    assert!(text.contains("证书链"), "{text}");
    let text = refusal(TlsIdentity::from_pem(
        pki.chain_pem.as_bytes(),
        pki.ca_pem.as_bytes(),
    ));
    assert!(
        text.contains("私钥") && text.contains("BEGIN PRIVATE KEY"),
        "{text}"
    );
}

#[test]
fn another_certificates_key_is_refused() {
    let ours = TestPki::new("测试根证书");
    let theirs = TestPki::new("别处的根证书");
    let text = refusal(TlsIdentity::from_pem(
        ours.chain_pem.as_bytes(),
        theirs.key_pem.as_bytes(),
    ));
    assert!(text.contains("不匹配"), "{text}");
}

#[test]
fn files_are_named_in_every_refusal() {
    let pki = TestPki::new("测试根证书");
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("district-chain.pem");
    let key = dir.path().join("district-key.pem");
    let missing = dir.path().join("missing.pem");
    std::fs::write(&cert, &pki.chain_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    assert!(TlsIdentity::from_pem_files(&cert, &key).is_ok());

    let text = refusal(TlsIdentity::from_pem_files(&missing, &key));
    assert!(
        text.contains("无法读取") && text.contains("missing.pem"),
        "{text}"
    );
    let text = refusal(TlsIdentity::from_pem_files(&cert, &missing));
    assert!(
        text.contains("私钥文件") && text.contains("missing.pem"),
        "{text}"
    );
    let text = refusal(TlsIdentity::from_pem_files(&key, &key));
    assert!(
        text.contains("district-key.pem") && text.contains("证书"),
        "{text}"
    );
    let text = refusal(TlsIdentity::from_pem_files(&cert, &cert));
    assert!(
        text.contains("district-chain.pem") && text.contains("私钥"),
        "{text}"
    );
}
