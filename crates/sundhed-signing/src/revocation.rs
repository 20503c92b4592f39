//! Revocation by caller-supplied CRLs (RFC 5280 §6.3), one function per rule.

use chrono::{DateTime, Utc};
use const_oid::db::rfc5280 as ext;
use der::Decode;
use rsa::PublicKey;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::ext::pkix::{CrlDistributionPoints, KeyUsage};
use x509_cert::name::Name;

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

/// Applies the CRLs that bear on `subject` to it, once its path is built.
///
/// A supplied CRL bears on a certificate when its issuer name is the certificate's issuer
/// name, when one of its entries names that issuer (certificateIssuer), or when the
/// certificate's cRLDistributionPoints name the CRL's issuer as cRLIssuer (RFC 5280 §6.3.3
/// (b)). Nothing that bears on the certificate is dropped: first every such CRL must be of a
/// kind this verifier processes (`SIG-CRL-06`: complete, direct, not partitioned) and carry no
/// unrecognised critical extension (`SIG-CRL-05`), else the path fails whatever the revocation
/// mode and whatever the other CRLs say. Then each CRL is usable when it is current
/// (`SIG-CRL-03`) and signed (`SIG-ALG-01`/`-02`/`-03`, `SIG-CRL-02`) by a certificate of the
/// path with the issuer's name and cRLSign (`SIG-KU-02`): the direct issuer or, after a key
/// rollover, a self-issued certificate above it in the same path (§6.3.3 (f)). A CRL that is
/// not current or not authentic proves nothing and is passed over; a listed serial on a usable
/// CRL is `SIG-CRL-01`. When CRLs bear on the certificate but none is usable, the most specific
/// problem is reported (fail closed, whatever the revocation mode); when none exists and
/// revocation is required, `SIG-CRL-04`.
pub(crate) fn check_revocation(
    input: &RevocationInput<'_>,
    meter: &mut Meter,
) -> Result<(), VerifyError> {
    let bearing: Vec<&Crl> = input
        .crls
        .iter()
        .filter(|crl| crl_bears_on(crl, input.subject))
        .collect();
    let crl_signer = input
        .signers
        .first()
        .map_or(input.subject, |(issuer, _)| *issuer);
    let mut refusal: Option<VerifyError> = None;
    for crl in &bearing {
        let processed = check_crl_kind_processed(input, Some(crl))
            .and_then(|()| check_crl_extensions(crl_signer, crl));
        if let Err(e) = processed {
            refusal = Some(match refusal {
                Some(earlier) => earlier.most_specific(e),
                None => e,
            });
        }
    }
    if let Some(refused) = refusal {
        return Err(refused);
    }
    check_crl_kind_processed(input, None)?;
    let Some((issuer, _)) = input.signers.first() else {
        return match bearing.first() {
            // A CRL from the issuer's name without a signer in the path cannot be checked.
            Some(_) => Err(input.subject.fail(
                VerifyErrorKind::BadCrlSignature,
                "has a CRL from its issuer but no certificate of the path can verify it",
            )),
            None => check_revocation_available(input),
        };
    };
    let mut first_problem: Option<VerifyError> = None;
    let mut usable = false;
    for crl in bearing {
        match check_crl_usable(input, *issuer, crl, meter) {
            Ok(()) => {
                usable = true;
                check_not_revoked(input.subject, crl)?;
            }
            Err(e) if e.is_budget() => return Err(e),
            Err(e) => {
                first_problem = Some(match first_problem {
                    Some(earlier) => earlier.most_specific(e),
                    None => e,
                });
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

/// Whether `crl` could bear on the revocation status of `subject` (RFC 5280 §5.3.3, §6.3.3
/// (b)): its issuer is the certificate's issuer, an entry names the certificate's issuer as
/// certificateIssuer, or the certificate names the CRL's issuer as a cRLIssuer.
fn crl_bears_on(crl: &Crl, subject: At<'_>) -> bool {
    let certificate_issuer = subject.cert.x509().tbs_certificate().issuer();
    let crl_issuer = &crl.x509().tbs_cert_list.issuer;
    names_match(crl_issuer, certificate_issuer)
        || crl_entry_issuers(crl)
            .iter()
            .any(|name| names_match(name, certificate_issuer))
        || distribution_points(subject)
            .iter()
            .filter_map(|dp| dp.crl_issuer.as_ref())
            .any(|names| directory_names(names).any(|name| names_match(name, crl_issuer)))
}

/// The directory names among `names`.
fn directory_names(names: &[GeneralName]) -> impl Iterator<Item = &Name> {
    names.iter().filter_map(|name| match name {
        GeneralName::DirectoryName(name) => Some(name),
        _ => None,
    })
}

/// Every directory name a CRL entry's certificateIssuer extension gives (RFC 5280 §5.3.3).
fn crl_entry_issuers(crl: &Crl) -> Vec<Name> {
    let entries = crl.x509().tbs_cert_list.revoked_certificates.as_deref();
    let mut found = Vec::new();
    for entry in entries.unwrap_or_default() {
        let extensions = entry.crl_entry_extensions.as_deref().unwrap_or_default();
        for extension in extensions
            .iter()
            .filter(|e| e.extn_id == ext::ID_CE_CERTIFICATE_ISSUER)
        {
            if let Ok(names) = GeneralNames::from_der(extension.extn_value.as_bytes()) {
                found.extend(directory_names(&names).cloned());
            }
        }
    }
    found
}

/// The certificate's cRLDistributionPoints (empty when absent or malformed; a malformed one
/// never widens what a CRL may be used for, since only the issuer's own complete CRLs are).
fn distribution_points(subject: At<'_>) -> Vec<DistributionPoint> {
    subject
        .cert
        .x509()
        .tbs_certificate()
        .get_extension::<CrlDistributionPoints>()
        .ok()
        .flatten()
        .map(|(_, points)| points.0)
        .unwrap_or_default()
}

/// What kind of CRL this verifier does not process `crl` as, if any.
fn unprocessed_crl_kind(crl: &Crl, subject: At<'_>) -> Option<&'static str> {
    let tbs = &crl.x509().tbs_cert_list;
    if !names_match(&tbs.issuer, subject.cert.x509().tbs_certificate().issuer()) {
        return Some("an indirect CRL (issued by another authority)");
    }
    let extensions = tbs.crl_extensions.as_deref().unwrap_or_default();
    let has = |oid| extensions.iter().any(|e| e.extn_id == oid);
    if has(ext::ID_CE_DELTA_CRL_INDICATOR) {
        return Some("a delta CRL (deltaCRLIndicator)");
    }
    if has(ext::ID_CE_ISSUING_DISTRIBUTION_POINT) {
        return Some("a partitioned or indirect CRL (issuingDistributionPoint)");
    }
    if !crl_entry_issuers(crl).is_empty() {
        return Some("an indirect CRL (certificateIssuer entries)");
    }
    None
}

/// `SIG-CRL-06`: a supplied CRL that bears on a certificate is processed or fails the path,
/// never dropped. Delta CRLs (§5.2.4), CRLs with an issuingDistributionPoint (partitioned or
/// indirect, §5.2.5) and indirect CRLs (another issuer, or certificateIssuer entries, §5.3.3)
/// are not processed here, so one that bears on the certificate (`crl`) refuses it, whatever
/// the revocation mode and whatever other CRLs of the same issuer say (§6.3.3 (b): the status
/// is not known without them). With no CRL (`None`): when revocation is required, a
/// certificate whose every cRLDistributionPoint names a cRLIssuer gets its status only from
/// indirect CRLs (§4.2.1.13, §6.3.3 (b)(1)), so it fails closed too.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.3.3>
pub(crate) fn check_crl_kind_processed(
    input: &RevocationInput<'_>,
    crl: Option<&Crl>,
) -> Result<(), VerifyError> {
    let subject = input.subject;
    if let Some(crl) = crl {
        return match unprocessed_crl_kind(crl, subject) {
            Some(kind) => Err(subject.fail(
                VerifyErrorKind::UnprocessedCrl {
                    crl_kind: kind.to_owned(),
                },
                format!(
                    "has {kind} from `{}` supplied, which this verifier does not process",
                    quoted(&crl.issuer())
                ),
            )),
            None => Ok(()),
        };
    }
    let points = distribution_points(subject);
    let only_indirect = !points.is_empty() && points.iter().all(|dp| dp.crl_issuer.is_some());
    if only_indirect && input.policy.revocation() == Revocation::Required {
        return Err(subject.fail(
            VerifyErrorKind::UnprocessedCrl {
                crl_kind: "an indirect CRL (cRLIssuer)".to_owned(),
            },
            "names only other CRL issuers in its cRLDistributionPoints (indirect CRLs), which this verifier does not process",
        ));
    }
    Ok(())
}

fn check_crl_usable(
    input: &RevocationInput<'_>,
    issuer: At<'_>,
    crl: &Crl,
    meter: &mut Meter,
) -> Result<(), VerifyError> {
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
/// application cannot process, then the application MUST NOT use that CRL"); since what it
/// would say about the certificate is then unknown, the path fails (fail closed) instead of
/// the CRL being passed over. Delta, partitioned and indirect CRLs are refused before this
/// by `SIG-CRL-06`.
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
