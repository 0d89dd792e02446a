//! Sorts a request that got no answer: a TLS handshake that failed on the district's
//! certificate needs a person (pin the right root CA), anything else is the network (wait).
//! Recognised by the error's type in its source chain, never by its text.

use std::error::Error;

use super::Failure;

impl Failure {
    /// What a request error (no answer, or an answer cut short) means: [`Failure::Untrusted`]
    /// when rustls refused the district's certificate, else [`Failure::Unreachable`].
    pub(crate) fn of_error(err: &reqwest::Error) -> Failure {
        if certificate_refused(err) {
            Failure::Untrusted
        } else {
            Failure::Unreachable
        }
    }
}

/// Whether a rustls error about the server's certificate is somewhere in `err`'s source chain.
/// Each `std::io::Error` on the way is stepped into (tokio-rustls hands the handshake's error
/// over in one, hyper-util wraps that in another, and `io::Error::source` skips the error it
/// wraps).
fn certificate_refused(err: &(dyn Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.downcast_ref::<rustls::Error>()
            .is_some_and(is_about_the_certificate)
        {
            return true;
        }
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn Error + 'static)),
            None => e.source(),
        };
    }
    false
}

/// The server's certificate failed verification (unknown issuer, expired, another name,
/// revoked, …), or the server sent none to verify.
fn is_about_the_certificate(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(_)
            | rustls::Error::InvalidCertRevocationList(_)
            | rustls::Error::NoCertificatesPresented
    )
}

#[cfg(test)]
mod tests {
    use std::fmt;
    use std::io;

    use rustls::CertificateError;

    use super::*;

    /// A wrapper as hyper and reqwest put around the error below them.
    #[derive(Debug)]
    struct Outer(Box<dyn Error + Send + Sync>);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("request failed")
        }
    }

    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(self.0.as_ref())
        }
    }

    /// As reqwest's error holds it: hyper-util's, then an io::Error (Other) around
    /// tokio-rustls's io::Error (InvalidData) around the rustls error.
    fn in_io(tls: rustls::Error) -> Outer {
        let handshake = io::Error::new(io::ErrorKind::InvalidData, tls);
        Outer(Box::new(io::Error::other(handshake)))
    }

    #[test]
    fn a_refused_certificate_is_found_inside_an_io_error_or_by_itself() {
        for cert in [
            CertificateError::UnknownIssuer,
            CertificateError::Expired,
            CertificateError::NotValidForName,
            CertificateError::BadSignature,
        ] {
            let inside = in_io(rustls::Error::InvalidCertificate(cert.clone()));
            assert!(certificate_refused(&inside), "{cert:?} in an io::Error");
            let direct = Outer(Box::new(rustls::Error::InvalidCertificate(cert.clone())));
            let one_io = Outer(Box::new(io::Error::new(
                io::ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(cert.clone()),
            )));
            assert!(certificate_refused(&one_io), "{cert:?} in one io::Error");
            assert!(certificate_refused(&direct), "{cert:?} by itself");
            assert!(
                certificate_refused(&Outer(Box::new(inside))),
                "two levels down"
            );
        }
        assert!(certificate_refused(&in_io(
            rustls::Error::NoCertificatesPresented
        )));
    }

    #[test]
    fn other_failures_are_not_about_the_certificate() {
        let refused = Outer(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)));
        assert!(!certificate_refused(&refused));
        // Not TLS at the other end (a plain-HTTP server behind an https address), or a
        // connection broken mid-handshake: the network, not the certificate.
        for tls in [
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            rustls::Error::DecryptError,
            rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
        ] {
            assert!(!certificate_refused(&in_io(tls.clone())), "{tls:?}");
        }
        // The text alone decides nothing.
        let says_so = Outer(Box::new(io::Error::other("invalid peer certificate")));
        assert!(!certificate_refused(&says_so));
    }
}
