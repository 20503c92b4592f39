//! Parsed certificates that keep their exact DER bytes.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use der::Decode;
use rsa::PublicKey;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::error::{VerifyError, VerifyErrorKind, quoted};
use crate::signed::{self, SignedDer, to_utc};

/// A parsed X.509 certificate, with its exact DER encoding and SHA-256 fingerprint.
///
/// Cloning is cheap (the parsed form is shared).
///
/// # Example
/// ```
/// use sundhed_signing::Cert;
///
/// let pem = std::fs::read(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../testdata/fixtures/oces3/b2b-test-system.pem"
/// ))?;
/// let certs = Cert::parse_all(&pem)?;
/// assert_eq!(certs.len(), 1);
/// assert!(certs[0].subject().contains("organizationIdentifier=NTRDK-19552101"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Cert {
    inner: Arc<Inner>,
}

struct Inner {
    signed: SignedDer,
    parsed: Certificate,
    sha256: [u8; 32],
    subject: String,
    /// The usable RSA key, built on first use and kept with the certificate: building it
    /// (the Montgomery precomputation) costs a sizeable fraction of a verification, and an
    /// anchor or issuing CA held by a host verifies many signatures.
    rsa_key: OnceLock<Result<PublicKey, String>>,
}

impl Cert {
    /// Parses one DER-encoded certificate.
    ///
    /// # Errors
    /// `SIG-PARSE-01` when the bytes are not exactly one DER-encoded X.509 certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, VerifyError> {
        check_certificate_encoding(der)
    }

    /// Parses every `CERTIFICATE` block of a PEM text (a single certificate or a chain).
    ///
    /// # Errors
    /// `SIG-PARSE-01` when the text holds no certificate block or a block is not a valid
    /// certificate.
    pub fn from_pem(pem_text: &[u8]) -> Result<Vec<Self>, VerifyError> {
        signed::from_pem(
            pem_text,
            "CERTIFICATE",
            "certificate",
            VerifyErrorKind::MalformedCertificate,
            Self::from_der,
        )
    }

    /// Parses DER (one certificate) or PEM (any number of certificates), whichever `input` is.
    ///
    /// # Errors
    /// As [`Cert::from_der`] and [`Cert::from_pem`].
    pub fn parse_all(input: &[u8]) -> Result<Vec<Self>, VerifyError> {
        signed::parse_all(input, Self::from_der, Self::from_pem)
    }

    /// The exact DER encoding this certificate was parsed from.
    #[must_use]
    pub fn der(&self) -> &[u8] {
        self.inner.signed.der()
    }

    /// SHA-256 over the DER encoding (the usual certificate fingerprint).
    #[must_use]
    pub fn sha256(&self) -> [u8; 32] {
        self.inner.sha256
    }

    /// The subject as an RFC 4514 string, e.g. `CN=..,O=..,C=DK`.
    #[must_use]
    pub fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// The issuer as an RFC 4514 string.
    #[must_use]
    pub fn issuer(&self) -> String {
        crate::name::rfc4514(self.inner.parsed.tbs_certificate().issuer())
    }

    /// The serial number as upper-case hex.
    #[must_use]
    pub fn serial_hex(&self) -> String {
        base16ct::upper::encode_string(
            self.inner
                .parsed
                .tbs_certificate()
                .serial_number()
                .as_bytes(),
        )
    }

    /// notBefore as a UTC time.
    #[must_use]
    pub fn not_before(&self) -> DateTime<Utc> {
        to_utc(&self.inner.parsed.tbs_certificate().validity().not_before)
    }

    /// notAfter as a UTC time.
    #[must_use]
    pub fn not_after(&self) -> DateTime<Utc> {
        to_utc(&self.inner.parsed.tbs_certificate().validity().not_after)
    }

    /// The signed part (`tbsCertificate`) exactly as encoded.
    pub(crate) fn tbs_der(&self) -> &[u8] {
        self.inner.signed.tbs()
    }

    pub(crate) fn x509(&self) -> &Certificate {
        &self.inner.parsed
    }

    /// The subject's RSA public key, built once per certificate and then reused.
    ///
    /// The result (a key or the reason there is none) depends only on the certificate's
    /// bytes, so keeping it never changes a verdict.
    pub(crate) fn rsa_public_key(&self) -> Result<&PublicKey, String> {
        self.inner
            .rsa_key
            .get_or_init(|| {
                crate::key::public_key(
                    self.inner
                        .parsed
                        .tbs_certificate()
                        .subject_public_key_info(),
                )
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Whether both are the very same certificate (same DER bytes).
    pub(crate) fn same_as(&self, other: &Self) -> bool {
        self.inner.sha256 == other.inner.sha256
    }
}

impl core::fmt::Debug for Cert {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Cert")
            .field("subject", &quoted(self.subject()))
            .field("serial", &self.serial_hex())
            .finish()
    }
}

/// `SIG-PARSE-01`: the input is exactly one DER `Certificate` (RFC 5280 §4.1, X.690 DER);
/// the signed `tbsCertificate` bytes are cut from the input itself, never re-encoded.
fn check_certificate_encoding(der: &[u8]) -> Result<Cert, VerifyError> {
    let refuse = |detail: String| {
        VerifyError::new(
            VerifyErrorKind::MalformedCertificate,
            format!("input is not a DER-encoded X.509 certificate: {detail}"),
        )
    };
    let parsed = Certificate::from_der(der).map_err(|e| refuse(e.to_string()))?;
    let signed = SignedDer::new(der).map_err(|e| refuse(e.to_string()))?;
    let subject = crate::name::rfc4514(parsed.tbs_certificate().subject());
    Ok(Cert {
        inner: Arc::new(Inner {
            signed,
            parsed,
            sha256: Sha256::digest(der).into(),
            subject,
            rsa_key: OnceLock::new(),
        }),
    })
}
