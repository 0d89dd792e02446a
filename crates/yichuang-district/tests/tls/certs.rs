//! Test certificates made with rcgen: a private root CA and a server certificate it signs for
//! `localhost` and `127.0.0.1`, and the client a station builds when it pins that CA.

use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

/// A private CA and the district's identity under it, all PEM.
pub struct Pki {
    pub ca_pem: String,
    /// The server certificate, then the CA (as a full chain file is written).
    pub chain_pem: String,
    pub key_pem: String,
}

impl Pki {
    pub fn new(ca_name: &str) -> Pki {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, ca_name);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().expect("server key");
        let mut server = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .expect("server params");
        server
            .distinguished_name
            .push(DnType::CommonName, "district.localhost");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = server.signed_by(&key, &issuer).expect("server certificate");
        Pki {
            ca_pem: ca_cert.pem(),
            chain_pem: format!("{}{}", cert.pem(), ca_cert.pem()),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A client as the station's (rustls, no redirects, bounded timeouts) trusting only `ca_pem`.
pub fn pinned_client(ca_pem: &str) -> reqwest::Client {
    let certs = reqwest::Certificate::from_pem_bundle(ca_pem.as_bytes()).expect("CA PEM");
    assert_eq!(certs.len(), 1);
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .tls_backend_rustls()
        .tls_certs_only(certs)
        .build()
        .expect("client")
}
