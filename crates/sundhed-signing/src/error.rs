//! The errors of this crate: one type per operation, each naming the rule it reports.
//!
//! A leaf of the crate's module graph: it imports only the rule ids.

use core::fmt;

use chrono::{DateTime, Utc};
use sundhed_identity::{RuleId, shown_within};

use crate::rules;

/// How many characters of a certificate's subject an error repeats.
const SUBJECT_CHARS: usize = 256;

/// Text read from a certificate or CRL (a name, an attribute) as a message or `Debug` may
/// repeat it: a certificate is anyone's until it verifies, so the text is cut, escaped and has
/// CPR-shaped digits masked (`ID-CPR-06`).
pub(crate) fn quoted(text: &str) -> String {
    shown_within(text, SUBJECT_CHARS)
}

/// Why a certificate, a CRL or a certificate path was refused.
///
/// Every refusal has a [`kind`](VerifyError::kind) a host can match on, with the context that
/// decided it (the expiry time, the revocation date, the budget that ran out); the rule it
/// reports ([`VerifyError::rule`], also shown in the message); and, where one certificate is
/// to blame, that certificate's position in the path (0 is the leaf, counting towards the
/// trust anchor) and its subject. The message (`Display`) is for people and logs.
///
/// When no candidate path verifies, the refusal reported is the most specific one met across
/// the candidate issuers (see [`VerifyErrorKind`]), so an impostor issuer tried first cannot
/// hide the real reason.
///
/// # Example
/// ```
/// use sundhed_signing::{Cert, VerifyErrorKind, rules};
///
/// let err = Cert::from_der(b"not a certificate").unwrap_err();
/// assert_eq!(err.kind(), &VerifyErrorKind::MalformedCertificate);
/// assert_eq!(err.rule(), rules::PARSE_CERT);
/// assert!(err.to_string().ends_with("(SIG-PARSE-01)"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    kind: VerifyErrorKind,
    certificate: Option<(usize, String)>,
    message: String,
}

impl VerifyError {
    /// An error not tied to one certificate of the path (input, budget, CRL parsing).
    pub(crate) fn new(kind: VerifyErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            certificate: None,
            message: message.into(),
        }
    }

    /// An error blamed on the certificate at `position` (0 = leaf) with the given subject.
    pub(crate) fn at(
        kind: VerifyErrorKind,
        position: usize,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            certificate: Some((position, shown_within(&subject.into(), SUBJECT_CHARS))),
            message: message.into(),
        }
    }

    /// What went wrong, with its context.
    #[must_use]
    pub fn kind(&self) -> &VerifyErrorKind {
        &self.kind
    }

    /// The rule this error reports, e.g. `SIG-TIME-01` ([`crate::rules::VALIDITY`]).
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.kind.rule()
    }

    /// The position of the failing certificate in the path (0 is the leaf), if one is to blame.
    #[must_use]
    pub fn position(&self) -> Option<usize> {
        self.certificate.as_ref().map(|(position, _)| *position)
    }

    /// The subject (RFC 4514 string) of the failing certificate, if one is to blame, as a
    /// message may repeat it: the certificate may be anyone's, so its subject is cut, escaped
    /// and has CPR-shaped digits masked (`sundhed_identity::shown_within`).
    #[must_use]
    pub fn subject(&self) -> Option<&str> {
        self.certificate
            .as_ref()
            .map(|(_, subject)| subject.as_str())
    }

    /// Budget errors end path building at once instead of letting it try another issuer.
    pub(crate) fn is_budget(&self) -> bool {
        matches!(self.kind, VerifyErrorKind::BudgetExceeded { .. })
    }

    /// The more specific of two refusals met on different candidate paths: the one of higher
    /// rank, and on equal rank the one met first (`self`).
    pub(crate) fn most_specific(self, later: Self) -> Self {
        if later.kind.rank() > self.kind.rank() {
            later
        } else {
            self
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((position, subject)) = &self.certificate {
            write!(f, "certificate {position} (`{subject}`) ")?;
        }
        write!(f, "{} ({})", self.message, self.rule())
    }
}

impl std::error::Error for VerifyError {}

/// What went wrong in a [`VerifyError`], for a host to match on.
///
/// Each kind reports exactly one rule ([`VerifyErrorKind::rule`]); a rule may have several
/// kinds (`SIG-TIME-01` is [`Expired`](Self::Expired) or [`NotYetValid`](Self::NotYetValid)).
/// New kinds may be added, so a `match` needs a wildcard arm.
///
/// # Which refusal is reported
/// Path building tries every issuer candidate with the right name. When none leads to a
/// verified path it reports the most specific refusal it met, ranked (as rustls-webpki ranks
/// its errors) from most to least specific:
/// 1. a revoked certificate on a complete path;
/// 2. a complete path whose revocation could not be shown (no usable CRL);
/// 3. a certificate outside its validity period;
/// 4. a certificate that breaks a constraint (basicConstraints, pathLenConstraint, keyUsage,
///    critical extensions, certificate policy);
/// 5. a key or signature algorithm that is not accepted;
/// 6. a signature that does not verify with the candidate issuer's key (an impostor with the
///    right name is the usual cause, so this ranks low);
/// 7. a certificate that would appear twice in the path;
/// 8. no issuer at all.
///
/// On a complete path, the revocation of every certificate is checked and the same ranking
/// applies: a revoked intermediate is reported before a leaf whose CRL is missing.
///
/// Refusals of equal rank keep the one met first. A budget that ran out ends path building at
/// once and is always reported.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyErrorKind {
    /// `SIG-PARSE-01`: the input is not exactly one DER-encoded X.509 certificate.
    MalformedCertificate,
    /// `SIG-PARSE-02`: the input is not exactly one DER-encoded CRL.
    MalformedCrl,
    /// `SIG-PARSE-03`: an extension the verifier reads is malformed or repeated.
    MalformedExtension,
    /// `SIG-CHAIN-01`: no intermediate or trust anchor carries the certificate's issuer name.
    UnknownIssuer,
    /// `SIG-CHAIN-02`: the certificate's signature does not verify with the candidate issuer's
    /// key.
    BadSignature,
    /// `SIG-CHAIN-03`: the certificate would appear twice in the path (a self-signed
    /// certificate that is not a trust anchor, or a name loop).
    RepeatedCertificate,
    /// `SIG-ALG-01`: the signature algorithm outside the signed part differs from the one
    /// inside it.
    AlgorithmMismatch,
    /// `SIG-ALG-02`: the signature algorithm is not one this crate implements, or has
    /// parameters it must not have.
    UnsupportedAlgorithm,
    /// `SIG-ALG-02`: the signature algorithm is implemented but the policy does not allow it.
    AlgorithmNotAllowed,
    /// `SIG-ALG-03`: the RSASSA-PSS parameters are missing or not the accepted ones.
    BadPssParameters,
    /// `SIG-KEY-01`: the public key is not a usable RSA key of at least the policy's size.
    UnacceptableKey,
    /// `SIG-TIME-01`: the verification time is after the certificate's notAfter (or the
    /// certificate's validity period is empty).
    Expired {
        /// The certificate's notAfter.
        not_after: DateTime<Utc>,
        /// The verification time.
        time: DateTime<Utc>,
    },
    /// `SIG-TIME-01`: the verification time is before the certificate's notBefore.
    NotYetValid {
        /// The certificate's notBefore.
        not_before: DateTime<Utc>,
        /// The verification time.
        time: DateTime<Utc>,
    },
    /// `SIG-BC-01`: a certificate that issues another one in the path is not a CA.
    NotCa,
    /// `SIG-BC-02`: the leaf is a CA certificate (OCES leaf profile).
    CaAsLeaf,
    /// `SIG-BC-03`: more intermediate CAs follow a CA than its pathLenConstraint allows.
    PathLenExceeded {
        /// The CA's pathLenConstraint.
        allowed: u8,
        /// The non-self-issued intermediate CAs below it.
        found: usize,
    },
    /// `SIG-KU-01`: an issuing CA's keyUsage lacks keyCertSign.
    MissingKeyCertSign,
    /// `SIG-KU-02`: a CRL issuer's keyUsage lacks cRLSign.
    MissingCrlSign,
    /// `SIG-KU-03`: the leaf's keyUsage does not allow signing (OCES leaf profile).
    LeafKeyUsage,
    /// `SIG-EXT-01`: the certificate has a critical extension the verifier does not process.
    UnknownCriticalExtension {
        /// The extension's object identifier, dotted decimal.
        oid: String,
    },
    /// `SIG-EXT-02`: a certificate of the path carries a policy or name constraint (critical
    /// or not), which the verifier does not process.
    UnprocessedConstraint {
        /// The extension's object identifier, dotted decimal.
        oid: String,
    },
    /// `SIG-POLICY-01`: the leaf asserts no certificate policy the caller accepts.
    PolicyNotAccepted,
    /// `SIG-POLICY-01`: a policy prefix given to [`crate::Policy::with_policy_prefixes`] is not
    /// an object identifier.
    InvalidPolicyPrefix,
    /// `SIG-CRL-01`: the certificate's serial is listed on a usable CRL of its issuer.
    Revoked {
        /// The revocation date the CRL gives.
        revoked_at: DateTime<Utc>,
    },
    /// `SIG-CRL-02`: a CRL's signature does not verify with the key of its issuer in the path.
    BadCrlSignature,
    /// `SIG-CRL-03`: a CRL is not current at the verification time.
    CrlNotCurrent {
        /// The CRL's thisUpdate.
        this_update: DateTime<Utc>,
        /// The CRL's nextUpdate (`None`: absent, so never known to be current).
        next_update: Option<DateTime<Utc>>,
        /// The verification time.
        time: DateTime<Utc>,
    },
    /// `SIG-CRL-04`: revocation checking is required and no CRL from the certificate's issuer
    /// was supplied.
    RevocationStatusUnknown,
    /// `SIG-CRL-05`: a CRL has a critical CRL or entry extension the verifier does not process.
    UnknownCriticalCrlExtension {
        /// The extension's object identifier, dotted decimal.
        oid: String,
    },
    /// `SIG-CRL-06`: a supplied CRL bears on the certificate but is of a kind this verifier
    /// does not process (delta, partitioned by issuingDistributionPoint, indirect).
    UnprocessedCrl {
        /// Which kind of CRL, in words (e.g. `a delta CRL (deltaCRLIndicator)`).
        crl_kind: String,
    },
    /// `SIG-BUDGET-01`: path building ran out of one of its budgets.
    BudgetExceeded {
        /// Which budget ran out.
        budget: BudgetLimit,
        /// Its limit.
        limit: usize,
    },
}

impl VerifyErrorKind {
    /// The rule this kind of refusal reports.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        match self {
            Self::MalformedCertificate => rules::PARSE_CERT,
            Self::MalformedCrl => rules::PARSE_CRL,
            Self::MalformedExtension => rules::PARSE_EXTENSION,
            Self::UnknownIssuer => rules::CHAIN_ISSUER,
            Self::BadSignature => rules::CHAIN_SIGNATURE,
            Self::RepeatedCertificate => rules::CHAIN_LOOP,
            Self::AlgorithmMismatch => rules::ALG_MATCH,
            Self::UnsupportedAlgorithm | Self::AlgorithmNotAllowed => rules::ALG_ALLOWED,
            Self::BadPssParameters => rules::ALG_PSS,
            Self::UnacceptableKey => rules::KEY_SIZE,
            Self::Expired { .. } | Self::NotYetValid { .. } => rules::VALIDITY,
            Self::NotCa => rules::BC_CA,
            Self::CaAsLeaf => rules::BC_LEAF,
            Self::PathLenExceeded { .. } => rules::BC_PATH_LEN,
            Self::MissingKeyCertSign => rules::KU_CERT_SIGN,
            Self::MissingCrlSign => rules::KU_CRL_SIGN,
            Self::LeafKeyUsage => rules::KU_LEAF,
            Self::UnknownCriticalExtension { .. } => rules::EXT_CRITICAL,
            Self::UnprocessedConstraint { .. } => rules::EXT_CONSTRAINTS,
            Self::PolicyNotAccepted | Self::InvalidPolicyPrefix => rules::CERTIFICATE_POLICY,
            Self::Revoked { .. } => rules::CRL_REVOKED,
            Self::BadCrlSignature => rules::CRL_SIGNATURE,
            Self::CrlNotCurrent { .. } => rules::CRL_CURRENT,
            Self::RevocationStatusUnknown => rules::CRL_REQUIRED,
            Self::UnknownCriticalCrlExtension { .. } => rules::CRL_EXTENSIONS,
            Self::UnprocessedCrl { .. } => rules::CRL_KIND,
            Self::BudgetExceeded { .. } => rules::BUDGET,
        }
    }

    /// How specific a refusal is, higher is more specific (the order in the type's
    /// documentation). Refusals outside path building rank lowest; a budget error highest, so
    /// it is never replaced.
    fn rank(&self) -> u8 {
        match self {
            Self::BudgetExceeded { .. } => u8::MAX,
            Self::Revoked { .. } => 9,
            Self::RevocationStatusUnknown
            | Self::BadCrlSignature
            | Self::CrlNotCurrent { .. }
            | Self::UnknownCriticalCrlExtension { .. }
            | Self::UnprocessedCrl { .. }
            | Self::MissingCrlSign => 8,
            Self::Expired { .. } | Self::NotYetValid { .. } => 7,
            Self::NotCa
            | Self::CaAsLeaf
            | Self::PathLenExceeded { .. }
            | Self::MissingKeyCertSign
            | Self::LeafKeyUsage
            | Self::UnknownCriticalExtension { .. }
            | Self::UnprocessedConstraint { .. }
            | Self::MalformedExtension
            | Self::PolicyNotAccepted => 6,
            Self::UnacceptableKey
            | Self::AlgorithmMismatch
            | Self::UnsupportedAlgorithm
            | Self::AlgorithmNotAllowed
            | Self::BadPssParameters => 5,
            Self::BadSignature => 3,
            Self::RepeatedCertificate => 2,
            Self::UnknownIssuer => 1,
            Self::MalformedCertificate | Self::MalformedCrl | Self::InvalidPolicyPrefix => 0,
        }
    }
}

/// The budget of a verification that ran out ([`VerifyErrorKind::BudgetExceeded`]); the
/// limits are those of [`crate::Budget`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BudgetLimit {
    /// RSA verifications of certificate and CRL signatures ([`crate::Budget::max_signature_checks`]).
    SignatureChecks,
    /// Issuer candidates considered ([`crate::Budget::max_candidates`]).
    IssuerCandidates,
    /// Certificates in a path ([`crate::Budget::max_depth`]).
    PathLength,
}

impl fmt::Display for BudgetLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SignatureChecks => "signature checks",
            Self::IssuerCandidates => "issuer candidates",
            Self::PathLength => "path length",
        })
    }
}

/// Why the holder identity could not be read from a verified leaf's subject.
///
/// # Example
/// See [`crate::VerifiedChain::holder`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
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
            subject: shown_within(subject, SUBJECT_CHARS),
            message: message.into(),
        }
    }

    /// The rule this error reports, e.g. `SIG-HOLDER-01`.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }
}

/// Why a payload signature was refused.
///
/// # Example
/// See [`crate::VerifiedChain::verify_signature`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
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
