//! The errors of this crate: one type per operation, each naming the rule it reports.

use core::fmt;

use sundhed_identity::RuleId;

/// Why a certificate, a CRL or a certificate path was refused.
///
/// Every refusal names the rule it reports ([`VerifyError::rule`], also shown in the message)
/// and, where one certificate is to blame, that certificate's position in the path (0 is the
/// leaf, counting towards the trust anchor) and its subject.
///
/// # Example
/// ```
/// use sundhed_signing::{Cert, rules};
///
/// let err = Cert::from_der(b"not a certificate").unwrap_err();
/// assert_eq!(err.rule(), rules::PARSE_CERT);
/// assert!(err.to_string().ends_with("(SIG-PARSE-01)"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyError {
    rule: RuleId,
    certificate: Option<(usize, String)>,
    message: String,
}

impl VerifyError {
    /// An error not tied to one certificate of the path (input, budget, CRL parsing).
    pub(crate) fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Self {
            rule,
            certificate: None,
            message: message.into(),
        }
    }

    /// An error blamed on the certificate at `position` (0 = leaf) with the given subject.
    pub(crate) fn at(
        rule: RuleId,
        position: usize,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            certificate: Some((position, subject.into())),
            message: message.into(),
        }
    }

    /// The rule this error reports, e.g. `SIG-TIME-01`.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }

    /// The position of the failing certificate in the path (0 is the leaf), if one is to blame.
    #[must_use]
    pub fn position(&self) -> Option<usize> {
        self.certificate.as_ref().map(|(position, _)| *position)
    }

    /// The subject (RFC 4514 string) of the failing certificate, if one is to blame.
    #[must_use]
    pub fn subject(&self) -> Option<&str> {
        self.certificate
            .as_ref()
            .map(|(_, subject)| subject.as_str())
    }

    /// Budget errors end path building at once instead of letting it try another issuer.
    pub(crate) fn is_budget(&self) -> bool {
        self.rule == crate::rules::BUDGET
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((position, subject)) = &self.certificate {
            write!(f, "certificate {position} (`{subject}`) ")?;
        }
        write!(f, "{} ({})", self.message, self.rule)
    }
}

impl fmt::Debug for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for VerifyError {}

/// Why the holder identity could not be read from a verified leaf's subject.
///
/// # Example
/// See [`crate::VerifiedChain::holder`].
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("certificate subject `{subject}` {message} ({rule})")]
pub struct HolderError {
    rule: RuleId,
    subject: String,
    message: String,
}

impl HolderError {
    pub(crate) fn new(rule: RuleId, subject: &str, message: impl Into<String>) -> Self {
        Self {
            rule,
            subject: subject.to_owned(),
            message: message.into(),
        }
    }

    /// The rule this error reports, e.g. `SIG-HOLDER-01`.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }
}

impl fmt::Debug for HolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a payload signature was refused.
///
/// # Example
/// See [`crate::VerifiedChain::verify_signature`].
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("payload signature refused: {message} ({rule})")]
pub struct PayloadError {
    rule: RuleId,
    message: String,
}

impl PayloadError {
    pub(crate) fn new(rule: RuleId, message: impl Into<String>) -> Self {
        Self {
            rule,
            message: message.into(),
        }
    }

    /// The rule this error reports, e.g. `SIG-PAYLOAD-02`.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }
}

impl fmt::Debug for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
