//! Test certificates for the HTTPS tests of every crate (feature `testing`): a private root CA
//! and the district's certificate under it, for `localhost` and `127.0.0.1`, made with rcgen.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

use crate::{DistrictError, TlsIdentity};

/// A private CA and the district's identity under it, all PEM.
pub struct TestPki {
    /// The root CA a station pins.
    pub ca_pem: String,
    /// The server certificate, then the CA (as a full chain file is written).
    pub chain_pem: String,
    pub key_pem: String,
}

impl TestPki {
    /// A fresh CA named `ca_name` and a server certificate it signs. Panics if rcgen cannot
    /// make them (a test set-up failure).
    pub fn new(ca_name: &str) -> TestPki {
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
        TestPki {
            ca_pem: ca_cert.pem(),
            chain_pem: format!("{}{}", cert.pem(), ca_cert.pem()),
            key_pem: key.serialize_pem(),
        }
    }

    /// The district's identity to serve with ([`crate::DistrictServer::start_tls`]).
    pub fn identity(&self) -> Result<TlsIdentity, DistrictError> {
        TlsIdentity::from_pem(self.chain_pem.as_bytes(), self.key_pem.as_bytes())
    }
}
