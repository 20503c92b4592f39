//! The certificate holder's identity, read from an OCES2 or OCES3 subject (domain.md §4).

use const_oid::ObjectIdentifier;
use const_oid::db::rfc4519;
use sundhed_identity::{
    CertificateHolderId, Cvr, Oces2NumberKind, Oces2Serial, Oces3Holder, Oces3Kind, Oces3Uuid,
    OrganizationIdentifier,
};

use x509_cert::ext::pkix::CertificatePolicies;

use crate::cert::Cert;
use crate::error::{HolderError, quoted};
use crate::name::directory_string;
use crate::rules::{HOLDER_CVR, HOLDER_GRAMMAR, HOLDER_POLICY};

/// `organizationIdentifier` (X.520, 2.5.4.97), carried by OCES3 subjects as `NTRDK-<cvr>`.
const ORGANIZATION_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.97");

/// The OCES generation of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OcesGeneration {
    /// OCES2 (NemID era, TRUST2408 CAs): `serialNumber=CVR:<cvr>-RID|UID|FID:<n>`.
    Oces2,
    /// OCES3 (MitID Erhverv, "Den Danske Stat" CAs): `organizationIdentifier=NTRDK-<cvr>`,
    /// `serialNumber=UI:DK-E|O:G:<uuid>`.
    Oces3,
}

/// What kind of holder a certificate names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HolderKind {
    /// An employee of the organisation (OCES2 MOCES `RID:`, OCES3 `UI:DK-E:`).
    Employee,
    /// The organisation itself (OCES2 VOCES `UID:`, OCES3 `UI:DK-O:`). OCES3 merged company
    /// and function certificates into one policy, so OCES3 system certificates are reported
    /// as `Organisation` too: their subjects do not tell them apart.
    Organisation,
    /// A function/system certificate (OCES2 FOCES `FID:`).
    System,
}

/// The holder identity of a verified leaf certificate.
///
/// Obtained from [`crate::VerifiedChain::holder`], so it always describes a certificate that
/// verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    generation: OcesGeneration,
    kind: HolderKind,
    cvr: Cvr,
    id: CertificateHolderId,
    name: String,
    organisation: Option<String>,
}

impl Holder {
    /// OCES2 or OCES3.
    #[must_use]
    pub fn generation(&self) -> OcesGeneration {
        self.generation
    }

    /// Employee, organisation or system.
    #[must_use]
    pub fn kind(&self) -> HolderKind {
        self.kind
    }

    /// The organisation's CVR number (test organisations may fail modulus 11).
    #[must_use]
    pub fn cvr(&self) -> Cvr {
        self.cvr
    }

    /// The holder id with its organisation's CVR: OCES2 `CVR:<cvr>-RID|UID|FID:<n>`, OCES3
    /// the UUID with the organizationIdentifier's CVR.
    #[must_use]
    pub fn id(&self) -> &CertificateHolderId {
        &self.id
    }

    /// The subject's common name (CN).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The organisation name (O), without an OCES2 ` // CVR:` suffix.
    #[must_use]
    pub fn organisation(&self) -> Option<&str> {
        self.organisation.as_deref()
    }
}

/// The value of the subject attribute `oid`, if present; an attribute that names the holder
/// may appear only once (`SIG-HOLDER-01`): with two, which one names the holder is a guess.
fn attribute<'a>(
    cert: &'a Cert,
    oid: ObjectIdentifier,
    label: &str,
) -> Result<Option<&'a str>, String> {
    let mut values = cert
        .x509()
        .tbs_certificate()
        .subject()
        .iter()
        .filter(|atv| atv.oid == oid);
    let first = values.next();
    if values.next().is_some() {
        return Err(format!(
            "has {label} more than once, so it names no one holder"
        ));
    }
    Ok(first.and_then(directory_string))
}

/// `SIG-HOLDER-01`: the leaf subject follows the OCES2 or OCES3 grammar of domain.md §4.3:
/// OCES3 `organizationIdentifier=NTRDK-<cvr>` with `serialNumber=UI:DK-E:G:<uuid>` (employee)
/// or `UI:DK-O:G:<uuid>` (organisation/system); OCES2 `serialNumber=CVR:<cvr>-RID:<n>`
/// (employee), `-UID:` (organisation) or `-FID:` (system); a CN is present. OCES2 personal
/// (`PID:`) certificates name no organisation and are refused. Each of CN, serialNumber, O and
/// organizationIdentifier appears at most once.
pub(crate) fn check_oces_subject(cert: &Cert) -> Result<Holder, HolderError> {
    let subject = cert.subject();
    let fail = |message: String| HolderError::new(HOLDER_GRAMMAR, subject, message);
    let name = attribute(cert, rfc4519::COMMON_NAME, "a common name")
        .map_err(fail)?
        .ok_or_else(|| fail("has no common name".to_owned()))?
        .to_owned();
    let serial = attribute(cert, rfc4519::SERIAL_NUMBER, "a serialNumber")
        .map_err(fail)?
        .ok_or_else(|| fail("has no serialNumber, so it is not an OCES subject".to_owned()))?;
    let organisation = attribute(cert, rfc4519::O, "an organisation (O)").map_err(fail)?;
    let org_id =
        attribute(cert, ORGANIZATION_IDENTIFIER, "an organizationIdentifier").map_err(fail)?;
    if let Some(org_id) = org_id {
        let cvr = org_id
            .parse::<OrganizationIdentifier>()
            .map_err(|e| {
                fail(format!(
                    "has organizationIdentifier `{}` that is not `NTRDK-<cvr>`: {e}",
                    quoted(org_id)
                ))
            })?
            .cvr();
        let uuid = serial.parse::<Oces3Uuid>().map_err(|e| {
            fail(format!(
                "has serialNumber `{}` that is not `UI:DK-E|O:G:<uuid>`: {e}",
                quoted(serial)
            ))
        })?;
        let kind = match uuid.kind() {
            Oces3Kind::Employee => HolderKind::Employee,
            Oces3Kind::Organisation => HolderKind::Organisation,
        };
        return Ok(Holder {
            generation: OcesGeneration::Oces3,
            kind,
            cvr,
            id: CertificateHolderId::Oces3(Oces3Holder::new(cvr, uuid)),
            name,
            organisation: organisation.map(str::to_owned),
        });
    }
    let parsed = serial.parse::<Oces2Serial>().map_err(|e| {
        fail(format!(
            "has serialNumber `{}` that is neither OCES2 `CVR:<cvr>-RID|UID|FID:<n>` nor OCES3: {e}",
            quoted(serial)
        ))
    })?;
    let kind = match parsed.number().kind() {
        Oces2NumberKind::Rid => HolderKind::Employee,
        Oces2NumberKind::Uid => HolderKind::Organisation,
        Oces2NumberKind::Fid => HolderKind::System,
        Oces2NumberKind::Pid => {
            return Err(fail(
                "is an OCES2 personal (`PID:`) certificate, which names no organisation".to_owned(),
            ));
        }
    };
    let organisation = check_oces2_cvr_consistency(subject, parsed.cvr(), organisation)?;
    Ok(Holder {
        generation: OcesGeneration::Oces2,
        kind,
        cvr: parsed.cvr(),
        id: CertificateHolderId::Oces2(parsed),
        name,
        organisation: Some(organisation),
    })
}

/// `SIG-HOLDER-02`: an OCES2 subject's organisation is `O=<name> // CVR:<cvr>` and that CVR
/// equals the one in `serialNumber=CVR:<cvr>-…` (domain.md §4.1 grammar, §4.3 consistency
/// check). Returns the organisation name without the suffix.
pub(crate) fn check_oces2_cvr_consistency(
    subject: &str,
    serial_cvr: Cvr,
    organisation: Option<&str>,
) -> Result<String, HolderError> {
    let fail = |message: String| HolderError::new(HOLDER_CVR, subject, message);
    let organisation =
        organisation.ok_or_else(|| fail("has no organisation (O) attribute".to_owned()))?;
    let Some((name, cvr)) = organisation.rsplit_once(" // CVR:") else {
        return Err(fail(format!(
            "has organisation `{}` without the ` // CVR:<cvr>` suffix",
            quoted(organisation)
        )));
    };
    let o_cvr = Cvr::parse_test_organisation(cvr.trim()).map_err(|e| {
        fail(format!(
            "has organisation CVR `{}` that is not a CVR number: {e}",
            quoted(cvr)
        ))
    })?;
    if o_cvr == serial_cvr {
        Ok(name.trim().to_owned())
    } else {
        Err(fail(format!(
            "names CVR `{serial_cvr}` in serialNumber but `{o_cvr}` in the organisation"
        )))
    }
}

/// OCES policy arcs and the holder kind they are issued for (domain.md §4.1–4.3): production
/// `1.2.208.169.1.1.1.{2,3,4}` (OCES3 at `…2.7` and `…3.7`), DanID test
/// `1.3.6.1.4.1.31313.2.4.<env>.{2,3,4}`.
fn kind_of_policy(policy: &ObjectIdentifier) -> Option<HolderKind> {
    let arcs: Vec<u32> = policy.arcs().collect();
    let type_arc = match arcs.as_slice() {
        [1, 2, 208, 169, 1, 1, 1, kind, ..] => *kind,
        [1, 3, 6, 1, 4, 1, 31313, 2, 4, _env, kind, ..] => *kind,
        _ => return None,
    };
    match type_arc {
        2 => Some(HolderKind::Employee),
        3 => Some(HolderKind::Organisation),
        4 => Some(HolderKind::System),
        _ => None,
    }
}

/// `SIG-HOLDER-03`: the holder kind named by the subject agrees with the kind of every OCES
/// certificate policy the leaf asserts: employee (`RID:`, `UI:DK-E:`) with the `…2` arcs,
/// organisation (`UID:`, `UI:DK-O:`) with `…3`, function/system (`FID:`) with `…4`; an OCES3
/// organisation identifier also covers systems, which OCES3 issues under the organisation
/// policy (domain.md §4.3: "the serialNumber type must match the policy type").
pub(crate) fn check_holder_matches_policy(
    cert: &Cert,
    holder: Holder,
) -> Result<Holder, HolderError> {
    let policies = cert
        .x509()
        .tbs_certificate()
        .get_extension::<CertificatePolicies>()
        .ok()
        .flatten()
        .map(|(_, policies)| policies.0)
        .unwrap_or_default();
    for info in &policies {
        let Some(policy_kind) = kind_of_policy(&info.policy_identifier) else {
            continue;
        };
        let agrees = policy_kind == holder.kind
            || (holder.generation == OcesGeneration::Oces3
                && holder.kind == HolderKind::Organisation
                && policy_kind == HolderKind::System);
        if !agrees {
            return Err(HolderError::new(
                HOLDER_POLICY,
                cert.subject(),
                format!(
                    "names a holder of kind `{:?}` but asserts policy `{}`, issued for kind `{:?}`",
                    holder.kind, info.policy_identifier, policy_kind
                ),
            ));
        }
    }
    Ok(holder)
}
