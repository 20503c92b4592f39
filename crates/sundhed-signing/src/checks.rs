//! One function per certificate rule of RFC 5280 path validation.

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280 as ext;
use der::Decode;
use x509_cert::ext::pkix::{BasicConstraints, CertificatePolicies, KeyUsage};

use crate::cert::Cert;
use crate::error::{VerifyError, VerifyErrorKind};
use crate::name::names_match;
use crate::policy::Policy;

/// A certificate and its position in the path (0 = leaf), for error reports.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) position: usize,
    pub(crate) cert: &'a Cert,
}

impl At<'_> {
    pub(crate) fn fail(self, kind: VerifyErrorKind, message: impl Into<String>) -> VerifyError {
        VerifyError::at(kind, self.position, self.cert.subject(), message)
    }
}

/// `SIG-TIME-01`: the certificate is valid at the verification time, notBefore ≤ t ≤ notAfter
/// inclusive (RFC 5280 §4.1.2.5 and §6.1.3 (a)(2)); a certificate whose notBefore is after
/// its notAfter is never valid. The time is the caller's; there is no system clock here.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3>
pub(crate) fn check_validity(at: At<'_>, time: DateTime<Utc>) -> Result<(), VerifyError> {
    let (not_before, not_after) = (at.cert.not_before(), at.cert.not_after());
    if not_before <= time && time <= not_after {
        return Ok(());
    }
    let kind = if time < not_before {
        VerifyErrorKind::NotYetValid { not_before, time }
    } else {
        VerifyErrorKind::Expired { not_after, time }
    };
    Err(at.fail(
        kind,
        format!(
            "is not valid at `{}` (valid from `{}` to `{}`)",
            time.to_rfc3339(),
            not_before.to_rfc3339(),
            not_after.to_rfc3339()
        ),
    ))
}

/// `SIG-PARSE-03`: a recognised extension must decode (RFC 5280 §4.2) and appear at most
/// once (§4.2: "a certificate MUST NOT include more than one instance of a particular
/// extension").
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2>
pub(crate) fn check_extension_decodes<'a, T>(at: At<'a>) -> Result<Option<(bool, T)>, VerifyError>
where
    T: Decode<'a> + const_oid::AssociatedOid,
    <T as Decode<'a>>::Error: core::fmt::Display,
{
    at.cert
        .x509()
        .tbs_certificate()
        .get_extension::<T>()
        .map_err(|e| {
            at.fail(
                VerifyErrorKind::MalformedExtension,
                format!("has a malformed or repeated `{}` extension: {e}", T::OID),
            )
        })
}

/// `SIG-BC-01`: a certificate that issues another one in the path asserts basicConstraints
/// with cA TRUE (RFC 5280 §4.2.1.9, §6.1.4 (k)). Version 1/2 certificates have no extensions
/// and so can never be intermediate CAs here.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4>
pub(crate) fn check_is_ca(at: At<'_>) -> Result<Option<u8>, VerifyError> {
    match check_extension_decodes::<BasicConstraints>(at)? {
        Some((_, bc)) if bc.ca => Ok(bc.path_len_constraint),
        _ => Err(at.fail(
            VerifyErrorKind::NotCa,
            "issues a certificate in the path but is not a CA (basicConstraints cA is not TRUE)",
        )),
    }
}

/// `SIG-BC-02`: the leaf (end-entity) certificate is not a CA: a CA certificate is not used to
/// sign payloads (OCES profile; RFC 5280 §4.2.1.9 allows a CA as target, so the caller may
/// lift this with `Policy::with_oces_leaf_profile`).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9>
pub(crate) fn check_leaf_not_ca(at: At<'_>, policy: &Policy) -> Result<(), VerifyError> {
    match check_extension_decodes::<BasicConstraints>(at)? {
        Some((_, bc)) if bc.ca && policy.oces_leaf_profile() => Err(at.fail(
            VerifyErrorKind::CaAsLeaf,
            "is a CA certificate (basicConstraints cA TRUE) presented as the leaf",
        )),
        _ => Ok(()),
    }
}

/// `SIG-BC-03`: a CA's pathLenConstraint bounds the number of non-self-issued intermediate
/// certificates that follow it on the way to the leaf (RFC 5280 §4.2.1.9, §6.1.4 (l), (m)).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9>
pub(crate) fn check_path_len(
    at: At<'_>,
    path_len: Option<u8>,
    intermediates_below: usize,
) -> Result<(), VerifyError> {
    match path_len {
        Some(limit) if intermediates_below > usize::from(limit) => Err(at.fail(
            VerifyErrorKind::PathLenExceeded {
                allowed: limit,
                found: intermediates_below,
            },
            format!(
                "allows `{limit}` intermediate CAs below it (pathLenConstraint) but `{intermediates_below}` follow"
            ),
        )),
        _ => Ok(()),
    }
}

/// `SIG-KU-01`: a CA certificate that signs a certificate in the path, when it carries
/// keyUsage, asserts keyCertSign (RFC 5280 §4.2.1.3, §6.1.4 (n)).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3>
pub(crate) fn check_key_cert_sign(at: At<'_>) -> Result<(), VerifyError> {
    match check_extension_decodes::<KeyUsage>(at)? {
        Some((_, ku)) if !ku.key_cert_sign() => Err(at.fail(
            VerifyErrorKind::MissingKeyCertSign,
            "signs a certificate but its keyUsage lacks keyCertSign",
        )),
        _ => Ok(()),
    }
}

/// `SIG-KU-03`: the leaf's keyUsage, when present, allows signing: digitalSignature or
/// nonRepudiation (contentCommitment), as on every OCES employee, organisation and system
/// certificate; and not keyCertSign (RFC 5280 §4.2.1.3). Part of the OCES leaf profile,
/// which the caller may lift (`Policy::with_oces_leaf_profile`).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3>
pub(crate) fn check_leaf_key_usage(at: At<'_>, policy: &Policy) -> Result<(), VerifyError> {
    if !policy.oces_leaf_profile() {
        return Ok(());
    }
    match check_extension_decodes::<KeyUsage>(at)? {
        Some((_, ku)) if ku.key_cert_sign() => Err(at.fail(
            VerifyErrorKind::LeafKeyUsage,
            "is a leaf whose keyUsage asserts keyCertSign",
        )),
        Some((_, ku)) if !(ku.digital_signature() || ku.non_repudiation()) => Err(at.fail(
            VerifyErrorKind::LeafKeyUsage,
            "is a leaf whose keyUsage allows neither digitalSignature nor nonRepudiation",
        )),
        _ => Ok(()),
    }
}

/// Extensions this verifier processes or whose meaning cannot widen what a path allows.
const RECOGNISED: [const_oid::ObjectIdentifier; 9] = [
    ext::ID_CE_BASIC_CONSTRAINTS,
    ext::ID_CE_KEY_USAGE,
    ext::ID_CE_CERTIFICATE_POLICIES,
    ext::ID_CE_SUBJECT_KEY_IDENTIFIER,
    ext::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    ext::ID_CE_SUBJECT_ALT_NAME,
    ext::ID_CE_ISSUER_ALT_NAME,
    ext::ID_CE_CRL_DISTRIBUTION_POINTS,
    ext::ID_PE_AUTHORITY_INFO_ACCESS,
];

/// `SIG-EXT-01`: a certificate with a critical extension this verifier does not process is
/// refused (RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it
/// encounters a critical extension it does not recognize"; §6.1.4 (o)). Extended key usage is
/// not processed, so it is refused when critical; name constraints, policy constraints, policy
/// mappings and inhibitAnyPolicy are refused whatever their criticality, first, by
/// `SIG-EXT-02`.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2>
pub(crate) fn check_critical_extensions(at: At<'_>) -> Result<(), VerifyError> {
    let extensions = at.cert.x509().tbs_certificate().extensions();
    for extension in extensions.map(|e| e.as_slice()).unwrap_or_default() {
        if extension.critical && !RECOGNISED.contains(&extension.extn_id) {
            return Err(at.fail(
                VerifyErrorKind::UnknownCriticalExtension {
                    oid: extension.extn_id.to_string(),
                },
                format!(
                    "has critical extension `{}`, which is not recognised",
                    extension.extn_id
                ),
            ));
        }
    }
    Ok(())
}

/// Extensions whose processing (RFC 5280 §6.1.3 (b)–(f), §6.1.4 (a)–(j)) this verifier does not
/// implement and which can only narrow what a path allows.
const CONSTRAINTS_NOT_PROCESSED: [(const_oid::ObjectIdentifier, &str); 4] = [
    (ext::ID_CE_POLICY_CONSTRAINTS, "policyConstraints"),
    (ext::ID_CE_POLICY_MAPPINGS, "policyMappings"),
    (ext::ID_CE_INHIBIT_ANY_POLICY, "inhibitAnyPolicy"),
    (ext::ID_CE_NAME_CONSTRAINTS, "nameConstraints"),
];

/// `SIG-EXT-02`: a certificate of the path (leaf or intermediate) carrying policyConstraints,
/// policyMappings, inhibitAnyPolicy or nameConstraints is refused whatever the extension's
/// criticality: the valid_policy_tree (RFC 5280 §6.1.2–§6.1.5: requireExplicitPolicy,
/// inhibitPolicyMapping, inhibitAnyPolicy, policy mapping) and name constraints (§4.2.1.10,
/// §6.1.3 (b)–(c)) are not implemented, and a non-critical constraint still binds a
/// verifier that knows it, so ignoring it could accept a path a complete implementation
/// rejects.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4>
pub(crate) fn check_constraints_processed(at: At<'_>) -> Result<(), VerifyError> {
    let extensions = at.cert.x509().tbs_certificate().extensions();
    for extension in extensions.map(|e| e.as_slice()).unwrap_or_default() {
        if let Some((_, name)) = CONSTRAINTS_NOT_PROCESSED
            .iter()
            .find(|(oid, _)| *oid == extension.extn_id)
        {
            return Err(at.fail(
                VerifyErrorKind::UnprocessedConstraint {
                    oid: extension.extn_id.to_string(),
                },
                format!(
                    "has a `{name}` extension (critical: `{}`), which this verifier does not process",
                    extension.critical
                ),
            ));
        }
    }
    Ok(())
}

/// `SIG-POLICY-01`: the leaf asserts a certificate policy (RFC 5280 §4.2.1.4) equal to or
/// below one of the caller's accepted OIDs (domain.md §4: "match the policy by prefix"),
/// unless the caller accepts any policy. Only the leaf is checked: OCES3 CAs carry no
/// policy extension and OCES2 CAs carry anyPolicy, so RFC 5280 §6.1.3 (d)–(f) policy-tree
/// processing is not performed.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.4>
pub(crate) fn check_certificate_policy(
    at: At<'_>,
    policy: &Policy,
) -> Result<Option<String>, VerifyError> {
    let asserted = check_extension_decodes::<CertificatePolicies>(at)?
        .map(|(_, policies)| policies.0)
        .unwrap_or_default();
    if let Some(found) = asserted
        .iter()
        .find(|info| policy.accepts(&info.policy_identifier))
    {
        return Ok(Some(found.policy_identifier.to_string()));
    }
    if policy.accepts_any() {
        return Ok(None);
    }
    let seen: Vec<String> = asserted
        .iter()
        .map(|info| info.policy_identifier.to_string())
        .collect();
    Err(at.fail(
        VerifyErrorKind::PolicyNotAccepted,
        format!(
            "asserts no accepted certificate policy (asserts `{}`)",
            seen.join(", ")
        ),
    ))
}

/// Whether a certificate is self-issued (subject and issuer are the same name, RFC 5280 §6.1).
pub(crate) fn is_self_issued(cert: &Cert) -> bool {
    let tbs = cert.x509().tbs_certificate();
    names_match(tbs.subject(), tbs.issuer())
}
