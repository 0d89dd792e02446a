//! The test certificates (`yichuang_district::testing_pki`) and the client a station builds
//! when it pins the district's CA.

use std::time::Duration;

pub use yichuang_district::testing_pki::TestPki;

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
