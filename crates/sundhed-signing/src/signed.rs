//! What certificates and CRLs share: the exact DER bytes with the range of the signed part,
//! PEM and DER input, and times as UTC.

use core::ops::Range;

use chrono::{DateTime, Utc};
use der::{Reader, SliceReader};

use crate::error::{VerifyError, VerifyErrorKind};
use crate::pem;

/// A signed DER structure (`SEQUENCE { tbs, signatureAlgorithm, signature }`) kept as the
/// exact bytes it was parsed from, so the signed part is verified as encoded, never
/// re-encoded.
pub(crate) struct SignedDer {
    der: Vec<u8>,
    tbs: Range<usize>,
}

impl SignedDer {
    /// Keeps `der` and finds its signed part; `der` must be exactly one signed SEQUENCE.
    pub(crate) fn new(der: &[u8]) -> der::Result<Self> {
        let mut reader = SliceReader::new(der)?;
        let (start, len) = reader.sequence(|inner| {
            let start = inner.position();
            let tbs = inner.tlv_bytes()?;
            // Skip the signature algorithm and value; the full decode checks them.
            inner.tlv_bytes()?;
            inner.tlv_bytes()?;
            Ok::<_, der::Error>((start, tbs.len()))
        })?;
        reader.finish()?;
        // Offsets inside a nested reader are relative to the whole input.
        let start = usize::try_from(start)?;
        Ok(Self {
            der: der.to_vec(),
            tbs: start..start.saturating_add(len),
        })
    }

    /// The whole encoding.
    pub(crate) fn der(&self) -> &[u8] {
        &self.der
    }

    /// The signed part exactly as encoded.
    pub(crate) fn tbs(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }
}

/// Every `label` block of a PEM text, each parsed with `from_der`; a text without such a
/// block is refused as `kind`, naming the input as `what`.
pub(crate) fn from_pem<T>(
    pem_text: &[u8],
    label: &str,
    what: &str,
    kind: VerifyErrorKind,
    from_der: impl Fn(&[u8]) -> Result<T, VerifyError>,
) -> Result<Vec<T>, VerifyError> {
    let blocks = pem::blocks(pem_text, label)
        .map_err(|message| VerifyError::new(kind, format!("{what} PEM text {message}")))?;
    blocks.iter().map(|der| from_der(der)).collect()
}

/// DER (one object, `from_der`) or PEM (any number, `from_pem`), whichever `input` is.
pub(crate) fn parse_all<T>(
    input: &[u8],
    from_der: impl Fn(&[u8]) -> Result<T, VerifyError>,
    from_pem: impl Fn(&[u8]) -> Result<Vec<T>, VerifyError>,
) -> Result<Vec<T>, VerifyError> {
    if pem::looks_like_pem(input) {
        from_pem(input)
    } else {
        from_der(input).map(|one| vec![one])
    }
}

/// An X.509 time as UTC; a time beyond chrono's range reads as the latest time.
pub(crate) fn to_utc(time: &x509_cert::time::Time) -> DateTime<Utc> {
    let since_epoch = time.to_unix_duration();
    i64::try_from(since_epoch.as_secs())
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
