//! Trust anchors: the certificates the caller trusts, a type of their own.

use crate::cert::Cert;
use crate::error::VerifyError;

/// A certificate the caller trusts to end a path: its name and key are taken as given.
///
/// A type of its own, not a [`Cert`], so that the trust anchors and the untrusted
/// intermediates of [`crate::verify`] cannot be swapped by mistake: an intermediate becomes
/// an anchor only through [`TrustAnchor::from_cert`], where the caller says so.
///
/// Path building stops at an anchor. Its validity is checked at the verification time
/// unless the policy says otherwise ([`crate::Policy::with_anchor_validity_checked`]); its
/// own constraints (basicConstraints, keyUsage, extensions) are not applied.
///
/// # Example
/// ```
/// use sundhed_signing::{Cert, TrustAnchor};
///
/// let pem = std::fs::read(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../testdata/fixtures/oces3/Den_Danske_Stat_OCES_rod_CA_Test_cti.pem"
/// ))?;
/// let anchors = TrustAnchor::parse_all(&pem)?;
/// assert_eq!(anchors.len(), 1);
/// assert!(anchors[0].subject().contains("Den Danske Stat OCES rod-CA"));
///
/// // The same, from a certificate already parsed.
/// let root = Cert::parse_all(&pem)?.remove(0);
/// assert_eq!(TrustAnchor::from_cert(root).cert().der(), anchors[0].cert().der());
/// assert!(TrustAnchor::parse_all(b"junk").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TrustAnchor {
    cert: Cert,
}

impl TrustAnchor {
    /// Trusts `cert` as a trust anchor.
    #[must_use]
    pub fn from_cert(cert: Cert) -> Self {
        Self { cert }
    }

    /// Parses DER (one certificate) or PEM (any number of certificates) and trusts every
    /// certificate in it as a trust anchor.
    ///
    /// # Errors
    /// `SIG-PARSE-01` when the input is not a DER certificate or holds no valid PEM
    /// certificate block, as [`Cert::parse_all`].
    pub fn parse_all(input: &[u8]) -> Result<Vec<Self>, VerifyError> {
        Ok(Cert::parse_all(input)?
            .into_iter()
            .map(Self::from_cert)
            .collect())
    }

    /// The anchor's certificate.
    #[must_use]
    pub fn cert(&self) -> &Cert {
        &self.cert
    }

    /// The anchor's subject as an RFC 4514 string.
    #[must_use]
    pub fn subject(&self) -> &str {
        self.cert.subject()
    }
}

impl core::fmt::Debug for TrustAnchor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TrustAnchor").field(&self.cert).finish()
    }
}
