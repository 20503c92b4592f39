//! Parsed certificate revocation lists that keep their exact DER bytes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use der::Decode;
use x509_cert::crl::CertificateList;

use crate::error::{VerifyError, VerifyErrorKind, quoted};
use crate::signed::{self, SignedDer, to_utc};

/// A parsed certificate revocation list (RFC 5280 §5), supplied by the caller.
///
/// # Example
/// ```
/// use sundhed_signing::Crl;
///
/// let der = std::fs::read(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../testdata/fixtures/pkits/crls/GoodCACRL.crl"
/// ))?;
/// let crl = Crl::from_der(&der)?;
/// assert!(crl.issuer().contains("Good CA"));
/// assert!(Crl::from_der(b"junk").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Crl {
    inner: Arc<Inner>,
}

struct Inner {
    signed: SignedDer,
    parsed: CertificateList,
}

impl Crl {
    /// Parses one DER-encoded CRL.
    ///
    /// # Errors
    /// `SIG-PARSE-02` when the bytes are not exactly one DER-encoded CRL.
    pub fn from_der(der: &[u8]) -> Result<Self, VerifyError> {
        check_crl_encoding(der)
    }

    /// Parses every `X509 CRL` block of a PEM text.
    ///
    /// # Errors
    /// `SIG-PARSE-02` when there is no such block or one is not a valid CRL.
    pub fn from_pem(pem_text: &[u8]) -> Result<Vec<Self>, VerifyError> {
        signed::from_pem(
            pem_text,
            "X509 CRL",
            "CRL",
            VerifyErrorKind::MalformedCrl,
            Self::from_der,
        )
    }

    /// Parses DER (one CRL) or PEM (any number), whichever `input` is.
    ///
    /// # Errors
    /// As [`Crl::from_der`] and [`Crl::from_pem`].
    pub fn parse_all(input: &[u8]) -> Result<Vec<Self>, VerifyError> {
        signed::parse_all(input, Self::from_der, Self::from_pem)
    }

    /// The issuer as an RFC 4514 string.
    #[must_use]
    pub fn issuer(&self) -> String {
        crate::name::rfc4514(&self.inner.parsed.tbs_cert_list.issuer)
    }

    /// thisUpdate as a UTC time.
    #[must_use]
    pub fn this_update(&self) -> DateTime<Utc> {
        to_utc(&self.inner.parsed.tbs_cert_list.this_update)
    }

    /// nextUpdate as a UTC time, if present.
    #[must_use]
    pub fn next_update(&self) -> Option<DateTime<Utc>> {
        self.inner
            .parsed
            .tbs_cert_list
            .next_update
            .as_ref()
            .map(to_utc)
    }

    /// The exact DER encoding.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        self.inner.signed.der()
    }

    pub(crate) fn tbs_der(&self) -> &[u8] {
        self.inner.signed.tbs()
    }

    pub(crate) fn x509(&self) -> &CertificateList {
        &self.inner.parsed
    }
}

impl core::fmt::Debug for Crl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &quoted(&self.issuer()))
            .field("this_update", &self.this_update())
            .finish()
    }
}

/// `SIG-PARSE-02`: the input is exactly one DER `CertificateList` (RFC 5280 §5.1); the
/// signed `tbsCertList` bytes are cut from the input, never re-encoded.
fn check_crl_encoding(der: &[u8]) -> Result<Crl, VerifyError> {
    let refuse = |detail: String| {
        VerifyError::new(
            VerifyErrorKind::MalformedCrl,
            format!("input is not a DER-encoded X.509 CRL: {detail}"),
        )
    };
    let parsed = CertificateList::from_der(der).map_err(|e| refuse(e.to_string()))?;
    let signed = SignedDer::new(der).map_err(|e| refuse(e.to_string()))?;
    Ok(Crl {
        inner: Arc::new(Inner { signed, parsed }),
    })
}
