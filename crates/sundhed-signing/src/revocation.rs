//! Revocation by caller-supplied CRLs (RFC 5280 §6.3), one function per rule.

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280 as ext;
use rsa::PublicKey;
use x509_cert::ext::pkix::KeyUsage;

use crate::algorithm::{check_algorithm_allowed, check_algorithm_match};
use crate::budget::Meter;
use crate::checks::{At, check_extension_decodes};
use crate::crl::Crl;
use crate::error::{VerifyError, VerifyErrorKind, quoted};
use crate::name::names_match;
use crate::policy::{Policy, Revocation};

/// Everything needed to judge the CRLs for one certificate of a built path.
pub(crate) struct RevocationInput<'a> {
    pub(crate) subject: At<'a>,
    /// The certificates of the path that carry the CRL issuer's name, with their keys: the
    /// subject's issuer first, then (key rollover) self-issued certificates above it.
    pub(crate) signers: &'a [(At<'a>, &'a PublicKey)],
    pub(crate) crls: &'a [Crl],
    pub(crate) policy: &'a Policy,
    pub(crate) time: DateTime<Utc>,
}

/// Applies the CRLs of `subject`'s issuer to `subject`, once its path is built.
///
/// A CRL is authoritative when its issuer name equals the certificate's issuer name (RFC 5280
/// §6.3.3 (b), no indirect or partitioned CRLs). Each authoritative CRL is usable only when it
/// passes `SIG-CRL-05`, `SIG-CRL-03`, and is signed (`SIG-ALG-01`/`-02`/`-03`, `SIG-CRL-02`)
/// by a certificate of the path with the issuer's name and cRLSign (`SIG-KU-02`); that is the
/// direct issuer or, after a key rollover, a self-issued certificate above it (§6.3.3 (f)).
/// A listed serial on a usable CRL is `SIG-CRL-01`. When authoritative CRLs exist but none is
/// usable, the first one's problem is reported (fail closed, whatever the revocation mode);
/// when none exists and revocation is required, `SIG-CRL-04`.
pub(crate) fn check_revocation(
    input: &RevocationInput<'_>,
    meter: &mut Meter,
) -> Result<(), VerifyError> {
    let Some((issuer, _)) = input.signers.first() else {
        // A built path always holds the issuer; without it nothing can be checked.
        return check_revocation_available(input);
    };
    let certificate_issuer = input.subject.cert.x509().tbs_certificate().issuer();
    let mut first_problem: Option<VerifyError> = None;
    let mut usable = false;
    for crl in input.crls {
        if !names_match(&crl.x509().tbs_cert_list.issuer, certificate_issuer) {
            continue;
        }
        match check_crl_usable(input, *issuer, crl, meter) {
            Ok(()) => {
                usable = true;
                check_not_revoked(input.subject, crl)?;
            }
            Err(e) if e.is_budget() => return Err(e),
            Err(e) => {
                first_problem.get_or_insert(e);
            }
        }
    }
    if usable {
        return Ok(());
    }
    match first_problem {
        Some(problem) => Err(problem),
        None => check_revocation_available(input),
    }
}

fn check_crl_usable(
    input: &RevocationInput<'_>,
    issuer: At<'_>,
    crl: &Crl,
    meter: &mut Meter,
) -> Result<(), VerifyError> {
    check_crl_extensions(issuer, crl)?;
    check_crl_current(issuer, crl, input.time)?;
    let mut first_problem = None;
    for (signer, key) in input.signers {
        let attempt = check_crl_sign_usage(*signer)
            .and_then(|()| check_crl_signature(*signer, key, input.policy, crl, meter));
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) if e.is_budget() => return Err(e),
            Err(e) => {
                first_problem.get_or_insert(e);
            }
        }
    }
    match first_problem {
        Some(problem) => Err(problem),
        None => check_revocation_available(input),
    }
}

/// `SIG-KU-02`: the issuer of a CRL, when it carries keyUsage, asserts cRLSign (RFC 5280
/// §4.2.1.3, §6.3.3 (f)).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_crl_sign_usage(issuer: At<'_>) -> Result<(), VerifyError> {
    match check_extension_decodes::<KeyUsage>(issuer)? {
        Some((_, ku)) if !ku.crl_sign() => Err(issuer.fail(
            VerifyErrorKind::MissingCrlSign,
            "issued a CRL but its keyUsage lacks cRLSign",
        )),
        _ => Ok(()),
    }
}

/// CRL extensions and entry extensions whose meaning this verifier handles or which cannot
/// narrow a CRL's scope.
const RECOGNISED_CRL: [const_oid::ObjectIdentifier; 2] =
    [ext::ID_CE_CRL_NUMBER, ext::ID_CE_AUTHORITY_KEY_IDENTIFIER];
const RECOGNISED_ENTRY: [const_oid::ObjectIdentifier; 2] =
    [ext::ID_CE_CRL_REASONS, ext::ID_CE_INVALIDITY_DATE];

/// `SIG-CRL-05`: a CRL with an unrecognised critical CRL extension or CRL entry extension is
/// not used (RFC 5280 §5.2 and §5.3: "If a CRL contains a critical extension that the
/// application cannot process, then the application MUST NOT use that CRL"). Issuing
/// distribution points, delta-CRL indicators and certificate-issuer entries are not
/// processed here, so CRLs that mark them critical are refused.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-5.2>
pub(crate) fn check_crl_extensions(issuer: At<'_>, crl: &Crl) -> Result<(), VerifyError> {
    let tbs = &crl.x509().tbs_cert_list;
    let crl_extensions = tbs.crl_extensions.as_deref().unwrap_or_default();
    if let Some(bad) = crl_extensions
        .iter()
        .find(|e| e.critical && !RECOGNISED_CRL.contains(&e.extn_id))
    {
        return Err(issuer.fail(
            VerifyErrorKind::UnknownCriticalCrlExtension {
                oid: bad.extn_id.to_string(),
            },
            format!(
                "issued a CRL with unrecognised critical extension `{}`",
                bad.extn_id
            ),
        ));
    }
    for entry in tbs.revoked_certificates.as_deref().unwrap_or_default() {
        let entry_extensions = entry.crl_entry_extensions.as_deref().unwrap_or_default();
        if let Some(bad) = entry_extensions
            .iter()
            .find(|e| e.critical && !RECOGNISED_ENTRY.contains(&e.extn_id))
        {
            return Err(issuer.fail(
                VerifyErrorKind::UnknownCriticalCrlExtension {
                    oid: bad.extn_id.to_string(),
                },
                format!(
                    "issued a CRL with unrecognised critical entry extension `{}`",
                    bad.extn_id
                ),
            ));
        }
    }
    Ok(())
}

/// `SIG-CRL-03`: a CRL is current at the verification time: thisUpdate ≤ t < nextUpdate, and
/// nextUpdate is present (RFC 5280 §5.1.2.4–§5.1.2.5, §6.3.3 (a)).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_crl_current(
    issuer: At<'_>,
    crl: &Crl,
    time: DateTime<Utc>,
) -> Result<(), VerifyError> {
    let this_update = crl.this_update();
    match crl.next_update() {
        Some(next_update) if this_update <= time && time < next_update => Ok(()),
        Some(next_update) => Err(issuer.fail(
            VerifyErrorKind::CrlNotCurrent {
                this_update,
                next_update: Some(next_update),
                time,
            },
            format!(
                "issued a CRL that is not current at `{}` (thisUpdate `{}`, nextUpdate `{}`)",
                time.to_rfc3339(),
                this_update.to_rfc3339(),
                next_update.to_rfc3339()
            ),
        )),
        None => Err(issuer.fail(
            VerifyErrorKind::CrlNotCurrent {
                this_update,
                next_update: None,
                time,
            },
            "issued a CRL without nextUpdate, so it is never known to be current",
        )),
    }
}

/// `SIG-CRL-02`: the CRL's signature verifies with the public key of the certificate that
/// issued the checked certificate, over the exact `tbsCertList` bytes, with an allowed
/// algorithm that matches inside and outside the signed part (RFC 5280 §5.1.1.2, §6.3.3 (f),
/// (g)). Signatures by a CRL-signing certificate outside the path are not supported.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_crl_signature(
    issuer: At<'_>,
    key: &PublicKey,
    policy: &Policy,
    crl: &Crl,
    meter: &mut Meter,
) -> Result<(), VerifyError> {
    let list = crl.x509();
    check_algorithm_match(&list.signature_algorithm, &list.tbs_cert_list.signature).map_err(
        |message| {
            issuer.fail(
                VerifyErrorKind::AlgorithmMismatch,
                format!("issued a CRL that {message}"),
            )
        },
    )?;
    let algorithm = check_algorithm_allowed(&list.signature_algorithm, policy.algorithms())
        .map_err(|(kind, message)| issuer.fail(kind, format!("issued a CRL that {message}")))?;
    meter.charge_signature()?;
    let verified = list
        .signature
        .as_bytes()
        .is_some_and(|signature| algorithm.verify(key, crl.tbs_der(), signature));
    if verified {
        Ok(())
    } else {
        Err(issuer.fail(
            VerifyErrorKind::BadCrlSignature,
            "issued a CRL whose signature does not verify with its key",
        ))
    }
}

/// `SIG-CRL-01`: a certificate whose serial number is listed on a usable CRL of its issuer is
/// revoked (RFC 5280 §5.1.2.6, §6.3.3 (i)).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_not_revoked(subject: At<'_>, crl: &Crl) -> Result<(), VerifyError> {
    let serial = subject.cert.x509().tbs_certificate().serial_number();
    let listed = crl
        .x509()
        .tbs_cert_list
        .revoked_certificates
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|entry| entry.serial_number.as_bytes() == serial.as_bytes());
    match listed {
        Some(entry) => {
            let revoked_at = crate::signed::to_utc(&entry.revocation_date);
            Err(subject.fail(
                VerifyErrorKind::Revoked { revoked_at },
                format!(
                    "is revoked (serial `{}` listed since `{}`)",
                    subject.cert.serial_hex(),
                    revoked_at.to_rfc3339()
                ),
            ))
        }
        None => Ok(()),
    }
}

/// `SIG-CRL-04`: when the caller requires revocation checking, a certificate without any
/// CRL from its issuer fails closed (RFC 5280 §6.3.3: status UNDETERMINED is not "good";
/// rustls-webpki's `UnknownStatusPolicy::Deny`).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_revocation_available(input: &RevocationInput<'_>) -> Result<(), VerifyError> {
    match input.policy.revocation() {
        Revocation::IfAvailable => Ok(()),
        Revocation::Required => Err(input.subject.fail(
            VerifyErrorKind::RevocationStatusUnknown,
            format!(
                "has no CRL from its issuer `{}` and revocation checking is required",
                quoted(&input.subject.cert.issuer())
            ),
        )),
    }
}
