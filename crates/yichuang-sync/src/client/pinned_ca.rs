//! The check a district CA passes before it is pinned, shared by the settings window and the
//! CLI: the bundle must be what the client will trust (the same transport code builds a
//! client from it), and each certificate's SHA-256 fingerprint is what the hall manager
//! compares with the one the district's administrator gave them.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use sha2::{Digest, Sha256};

use super::transport::{ClientTimeouts, http_client};
use crate::SyncError;

/// The SHA-256 fingerprint of each certificate in a PEM bundle, in file order (the digest of
/// its DER bytes, as `openssl x509 -noout -fingerprint -sha256` prints it).
///
/// The bundle is read the way the district client will use it: a client that trusts only
/// these certificates is built from it. Text outside the PEM sections (openssl's "Bag
/// Attributes" lines) is ignored, as the client ignores it. A bundle with no certificate,
/// text that is not PEM, or a certificate rustls cannot take as a root is
/// [`SyncError::BadCa`].
pub fn pinned_ca_fingerprints(pem: &str) -> Result<Vec<[u8; 32]>, SyncError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SyncError::BadCa(Some(Box::new(e))))?;
    if certs.is_empty() {
        return Err(SyncError::BadCa(None));
    }
    http_client(ClientTimeouts::default(), Some(pem))?;
    Ok(certs
        .iter()
        .map(|der| Sha256::digest(der.as_ref()).into())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        SAMPLE_DISTRICT_CA_PEM as CA_1, SAMPLE_DISTRICT_CA_SHA256 as CA_1_OPENSSL,
    };

    const CA_2: &str = include_str!("../../tests/fixtures/district-ca-2.pem");
    /// What `openssl x509 -noout -fingerprint -sha256` printed for the second fixture.
    const CA_2_OPENSSL: &str = "64:63:AE:3E:ED:29:41:FC:DA:AA:34:7F:2E:2A:25:D2:23:03:05:FF:13:34:DD:EA:B9:1A:F7:2C:B3:47:C8:4B";

    fn openssl_hex(fingerprint: &str) -> String {
        fingerprint.replace(':', "").to_lowercase()
    }

    #[test]
    fn a_certificate_gives_the_fingerprint_openssl_prints() {
        let fingerprints = pinned_ca_fingerprints(CA_1).unwrap();
        assert_eq!(fingerprints.len(), 1);
        assert_eq!(hex::encode(fingerprints[0]), openssl_hex(CA_1_OPENSSL));
    }

    #[test]
    fn a_bundle_gives_each_certificate_in_file_order_and_ignores_text_between() {
        let bundle = format!("Bag Attributes\n    friendlyName: root 2\n{CA_2}\r\n{CA_1}");
        let fingerprints: Vec<String> = pinned_ca_fingerprints(&bundle)
            .unwrap()
            .iter()
            .map(hex::encode)
            .collect();
        assert_eq!(
            fingerprints,
            [openssl_hex(CA_2_OPENSSL), openssl_hex(CA_1_OPENSSL)]
        );
    }

    #[test]
    fn text_without_a_certificate_is_refused() {
        let key_only =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
        for bad in ["", "   \n", "not a pem", key_only, "{\"ca\": 1}"] {
            assert!(
                matches!(pinned_ca_fingerprints(bad), Err(SyncError::BadCa(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_certificate_section_that_is_not_a_certificate_is_refused() {
        let not_base64 = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
        // Good base64, but the bytes are no certificate: rustls refuses it as a root.
        let not_der = "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n";
        let cut = &CA_1[..CA_1.len() / 2];
        for bad in [not_base64, not_der, cut] {
            assert!(
                matches!(pinned_ca_fingerprints(bad), Err(SyncError::BadCa(_))),
                "{bad:?}"
            );
        }
        // One bad certificate spoils the bundle: the client would not be built from it.
        let mixed = format!("{CA_1}{not_der}");
        assert!(matches!(
            pinned_ca_fingerprints(&mixed),
            Err(SyncError::BadCa(_))
        ));
    }
}
