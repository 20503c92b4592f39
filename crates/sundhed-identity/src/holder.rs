//! The identifiers OCES certificates carry for their holders.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::cvr::{Cvr, CvrError};

/// `ID-OCES2-01`: an OCES2 holder number is `RID:`, `UID:`, `FID:` or `PID:` and digits.
pub const OCES2_NUMBER: RuleId = RuleId::new("ID-OCES2-01");
/// `ID-OCES2-02`: an OCES2 subject serialNumber is `CVR:<cvr>-<RID|UID|FID>:<digits>`.
pub const OCES2_SERIAL: RuleId = RuleId::new("ID-OCES2-02");
/// `ID-OCES3-01`: an OCES3 subject serialNumber is `UI:DK-<E|O>:<G|C>:<uuid>`, UUID compared
/// without regard to case.
pub const OCES3_UUID: RuleId = RuleId::new("ID-OCES3-01");
/// `ID-OCES3-02`: an OCES3 organizationIdentifier is `NTRDK-<cvr>`.
pub const OCES3_ORG_ID: RuleId = RuleId::new("ID-OCES3-02");
/// `ID-HOLDER-01`: a certificate holder is identified together with its organisation's CVR;
/// a bare OCES2 number or OCES3 UUID identifies no one.
pub const HOLDER_WITH_CVR: RuleId = RuleId::new("ID-HOLDER-01");

/// What an OCES2 number identifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Oces2NumberKind {
    /// `RID`: an employee (MOCES, medarbejdercertifikat).
    Rid,
    /// `UID`: an organisation (VOCES, virksomhedscertifikat).
    Uid,
    /// `FID`: a function or system (FOCES, funktionscertifikat).
    Fid,
    /// `PID`: a private person (POCES); carries no CVR.
    Pid,
}

impl Oces2NumberKind {
    const fn tag(self) -> &'static str {
        match self {
            Self::Rid => "RID",
            Self::Uid => "UID",
            Self::Fid => "FID",
            Self::Pid => "PID",
        }
    }
}

/// An OCES2 holder number such as `RID:42634739`.
///
/// # Example
/// ```
/// use sundhed_identity::{Oces2Number, Oces2NumberKind};
///
/// let rid: Oces2Number = "RID:42634739".parse()?;
/// assert_eq!(rid.kind(), Oces2NumberKind::Rid);
/// assert_eq!(rid.digits(), "42634739");
/// assert!("XID:1".parse::<Oces2Number>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Oces2Number {
    kind: Oces2NumberKind,
    digits: Box<str>,
}

/// An OCES2 subject `serialNumber`: `CVR:30808460-RID:42634739`.
///
/// The CVR is read with the test-organisation leniency ([`Cvr::parse_test_organisation`]);
/// [`Oces2Serial::cvr_satisfies_mod11`] tells whether it passes the checksum.
///
/// # Example
/// ```
/// use sundhed_identity::Oces2Serial;
///
/// let s: Oces2Serial = "CVR:30808460-RID:42634739".parse()?;
/// assert_eq!(s.cvr().as_str(), "30808460");
/// assert_eq!(s.number().digits(), "42634739");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Oces2Serial {
    cvr: Cvr,
    number: Oces2Number,
}

/// What an OCES3 UUID identifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Oces3Kind {
    /// `E`: an employee of an organisation.
    Employee,
    /// `O`: an organisation or system (the old VOCES and FOCES together).
    Organisation,
}

/// The namespace letter after the kind in an OCES3 id: `G` or `C`.
///
/// Most MitID Erhverv certificates carry `G`; real test certificates also carry `C`
/// (`UI:DK-E:C:…` on an employee of a test organisation). Their meaning is not published, so
/// the letter is kept as read and two ids are equal only when their letters are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Oces3Namespace {
    /// `G`.
    G,
    /// `C`.
    C,
}

/// An OCES3 holder id: `UI:DK-E:G:<uuid>` or `UI:DK-O:G:<uuid>` (also `:C:`).
///
/// Stored lower-case, so two spellings of one UUID are equal.
///
/// # Example
/// ```
/// use sundhed_identity::{Oces3Kind, Oces3Uuid};
///
/// let a: Oces3Uuid = "UI:DK-E:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61".parse()?;
/// let b: Oces3Uuid = "UI:DK-E:G:DC7F4A98-D4F9-4D77-84F9-AE83C4E0BF61".parse()?;
/// assert_eq!(a, b);
/// assert_eq!(a.kind(), Oces3Kind::Employee);
/// assert!("UI:DK-X:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61".parse::<Oces3Uuid>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Oces3Uuid {
    kind: Oces3Kind,
    namespace: Oces3Namespace,
    uuid: [u8; 36],
}

/// An OCES3 `organizationIdentifier` (OID 2.5.4.97): `NTRDK-<cvr>`.
///
/// # Example
/// ```
/// use sundhed_identity::OrganizationIdentifier;
///
/// let id: OrganizationIdentifier = "NTRDK-19552101".parse()?;
/// assert_eq!(id.cvr().as_str(), "19552101");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrganizationIdentifier {
    cvr: Cvr,
}

/// An OCES3 holder as the directory keys it: the UUID of the subject's serialNumber together
/// with the CVR of its organizationIdentifier.
///
/// # Example
/// ```
/// use sundhed_identity::Oces3Holder;
///
/// let h: Oces3Holder = "CVR:19552101-UI:DK-E:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61".parse()?;
/// assert_eq!(h.cvr().as_str(), "19552101");
/// assert_eq!(h.uuid().uuid(), "dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Oces3Holder {
    cvr: Cvr,
    uuid: Oces3Uuid,
}

/// Who a certificate names, with the organisation it names them for.
///
/// An OCES2 RID, UID or FID number is unique only within its company (the subject's
/// serialNumber is `CVR:<cvr>-RID:<n>`), and an OCES3 employee acts for the organisation of
/// the certificate's organizationIdentifier; so both generations are identified together with
/// the organisation's CVR, and a bare number or UUID is refused (`ID-HOLDER-01`).
///
/// Written `CVR:<cvr>-RID:<n>` (the OCES2 serialNumber itself) or `CVR:<cvr>-UI:DK-E:G:<uuid>`.
///
/// # Example
/// ```
/// use sundhed_identity::CertificateHolderId;
///
/// let a: CertificateHolderId = "CVR:30808460-RID:1234".parse()?;
/// let b: CertificateHolderId = "CVR:25767535-RID:1234".parse()?;
/// assert_ne!(a, b, "one RID in two companies names two people");
/// assert_eq!(a.cvr().as_str(), "30808460");
/// let bare = "RID:1234".parse::<CertificateHolderId>().unwrap_err();
/// assert_eq!(bare.rule().as_str(), "ID-HOLDER-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub enum CertificateHolderId {
    /// An OCES2 employee, organisation or function: `CVR:<cvr>-RID|UID|FID:<n>`.
    Oces2(Oces2Serial),
    /// An OCES3 employee or organisation UUID with its organisation's CVR.
    Oces3(Oces3Holder),
}

/// Why a text is not a certificate-holder identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HolderIdError {
    /// Not `RID:`, `UID:`, `FID:` or `PID:` followed by digits.
    #[error("`{input}` is not an oces2 number such as `RID:12345678` ({rule})", rule = OCES2_NUMBER)]
    Oces2Number {
        /// The text given.
        input: String,
    },
    /// Not `CVR:<cvr>-<RID|UID|FID>:<digits>`.
    #[error("`{input}` is not an oces2 serial number such as `CVR:30808460-RID:42634739` ({rule})", rule = OCES2_SERIAL)]
    Oces2Serial {
        /// The text given.
        input: String,
    },
    /// Not `UI:DK-E:G:<uuid>` or `UI:DK-O:G:<uuid>`.
    #[error("`{input}` is not an oces3 id such as `UI:DK-E:G:<uuid>` ({rule})", rule = OCES3_UUID)]
    Oces3Uuid {
        /// The text given.
        input: String,
    },
    /// Not `NTRDK-<cvr>`.
    #[error("`{input}` is not an organisation identifier such as `NTRDK-19552101` ({rule})", rule = OCES3_ORG_ID)]
    OrganizationIdentifier {
        /// The text given.
        input: String,
    },
    /// A bare holder number or UUID, or no `CVR:<cvr>-` before it.
    #[error("`{input}` names no organisation: a certificate holder is `CVR:<cvr>-RID:<n>` or `CVR:<cvr>-UI:DK-…` ({rule})", rule = HOLDER_WITH_CVR)]
    WithoutCvr {
        /// The text given.
        input: String,
    },
    /// The CVR inside is malformed.
    #[error(transparent)]
    Cvr(#[from] CvrError),
}

impl HolderIdError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Oces2Number { .. } => OCES2_NUMBER,
            Self::Oces2Serial { .. } => OCES2_SERIAL,
            Self::Oces3Uuid { .. } => OCES3_UUID,
            Self::OrganizationIdentifier { .. } => OCES3_ORG_ID,
            Self::WithoutCvr { .. } => HOLDER_WITH_CVR,
            Self::Cvr(e) => e.rule(),
        }
    }
}

/// `ID-OCES2-01`: `RID|UID|FID|PID`, a colon, then 1–20 digits.
///
/// Source: OCES2 certificate profiles as seen in Nets DanID test certificates;
/// `shared/design/domain.md` §4.1.
pub(crate) fn check_oces2_number(s: &str) -> Result<Oces2Number, HolderIdError> {
    let err = || HolderIdError::Oces2Number {
        input: crate::shown::shown(s),
    };
    let (tag, digits) = s.trim().split_once(':').ok_or_else(err)?;
    let kind = match tag {
        "RID" => Oces2NumberKind::Rid,
        "UID" => Oces2NumberKind::Uid,
        "FID" => Oces2NumberKind::Fid,
        "PID" => Oces2NumberKind::Pid,
        _ => return Err(err()),
    };
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    Ok(Oces2Number {
        kind,
        digits: digits.into(),
    })
}

/// `ID-OCES2-02`: `CVR:` + eight digits + `-` + an employee, organisation or function number.
///
/// Source: `shared/design/domain.md` §4.1 (grammar from the Nets DanID test certificates).
pub(crate) fn check_oces2_serial(s: &str) -> Result<Oces2Serial, HolderIdError> {
    let err = || HolderIdError::Oces2Serial {
        input: crate::shown::shown(s),
    };
    let rest = s.trim().strip_prefix("CVR:").ok_or_else(err)?;
    let (cvr, number) = rest.split_once('-').ok_or_else(err)?;
    let cvr = Cvr::parse_test_organisation(cvr)?;
    let number = check_oces2_number(number).map_err(|_| err())?;
    if number.kind == Oces2NumberKind::Pid {
        return Err(err());
    }
    Ok(Oces2Serial { cvr, number })
}

/// `ID-OCES3-01`: `UI:DK-`, `E` or `O`, `:G:` or `:C:`, and a UUID in 8-4-4-4-12 hex, any case.
///
/// Source: MitID Erhverv / OCES3 certificates (`UI:DK-O:G:bf204036-…` in the Skatteforvaltningen
/// certificate, `UI:DK-E:C:87303e4b-…` in a MitID Erhverv test employee certificate);
/// `shared/design/domain.md` §4.2.
pub(crate) fn check_oces3_uuid(s: &str) -> Result<Oces3Uuid, HolderIdError> {
    let err = || HolderIdError::Oces3Uuid {
        input: crate::shown::shown(s),
    };
    let rest = s.trim().strip_prefix("UI:DK-").ok_or_else(err)?;
    let (kind, namespace) = match rest.as_bytes() {
        [k, b':', n, b':', ..] => {
            let kind = match k {
                b'E' => Oces3Kind::Employee,
                b'O' => Oces3Kind::Organisation,
                _ => return Err(err()),
            };
            let namespace = match n {
                b'G' => Oces3Namespace::G,
                b'C' => Oces3Namespace::C,
                _ => return Err(err()),
            };
            (kind, namespace)
        }
        _ => return Err(err()),
    };
    let rest = rest.get(4..).ok_or_else(err)?;
    let raw = <[u8; 36]>::try_from(rest.as_bytes()).map_err(|_| err())?;
    let mut uuid = [0u8; 36];
    for (i, (slot, b)) in uuid.iter_mut().zip(raw).enumerate() {
        let dash = matches!(i, 8 | 13 | 18 | 23);
        match (dash, b) {
            (true, b'-') => *slot = b'-',
            (false, b) if b.is_ascii_hexdigit() => *slot = b.to_ascii_lowercase(),
            _ => return Err(err()),
        }
    }
    Ok(Oces3Uuid {
        kind,
        namespace,
        uuid,
    })
}

/// `ID-OCES3-02`: `NTRDK-` and a CVR number (test organisations allowed).
///
/// Source: ETSI EN 319 412-1 §5.1.4 (legal-person semantics identifier `NTR` + country);
/// `shared/design/domain.md` §4.2.
pub(crate) fn check_organization_identifier(
    s: &str,
) -> Result<OrganizationIdentifier, HolderIdError> {
    let rest =
        s.trim()
            .strip_prefix("NTRDK-")
            .ok_or_else(|| HolderIdError::OrganizationIdentifier {
                input: crate::shown::shown(s),
            })?;
    let cvr = Cvr::parse_test_organisation(rest)?;
    Ok(OrganizationIdentifier { cvr })
}

/// `ID-HOLDER-01`: a certificate holder id is `CVR:<cvr>-` followed by an OCES2 RID, UID or FID
/// number or an OCES3 id: the organisation is part of the identity, since an OCES2 number is
/// unique only within its company and an OCES3 employee acts for the organisation the
/// certificate names. A bare `RID:<n>` or `UI:DK-…` is refused.
///
/// Source: `shared/design/domain.md` §4.1–4.2; seed SEB step 4 (the administrator logs in with
/// an employee certificate "indeholdende organisationens CVR nummer").
pub(crate) fn check_holder_with_cvr(s: &str) -> Result<CertificateHolderId, HolderIdError> {
    let without = || HolderIdError::WithoutCvr {
        input: crate::shown::shown(s),
    };
    let rest = s.trim().strip_prefix("CVR:").ok_or_else(without)?;
    let (cvr, holder) = rest.split_once('-').ok_or_else(without)?;
    let cvr = Cvr::parse_test_organisation(cvr)?;
    if holder.starts_with("UI:") {
        let uuid = check_oces3_uuid(holder)?;
        Ok(CertificateHolderId::Oces3(Oces3Holder { cvr, uuid }))
    } else {
        check_oces2_serial(s).map(CertificateHolderId::Oces2)
    }
}

impl Oces2Number {
    /// Employee, organisation, function or person.
    #[must_use]
    pub const fn kind(&self) -> Oces2NumberKind {
        self.kind
    }

    /// The digits after the colon.
    #[must_use]
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl Oces2Serial {
    /// The organisation's CVR number.
    #[must_use]
    pub const fn cvr(&self) -> Cvr {
        self.cvr
    }

    /// The holder's number.
    #[must_use]
    pub const fn number(&self) -> &Oces2Number {
        &self.number
    }

    /// Whether the CVR passes modulus 11 (false for test organisations).
    #[must_use]
    pub fn cvr_satisfies_mod11(&self) -> bool {
        self.cvr.satisfies_mod11()
    }
}

impl Oces3Uuid {
    /// Employee or organisation.
    #[must_use]
    pub const fn kind(&self) -> Oces3Kind {
        self.kind
    }

    /// The namespace letter, `G` or `C`.
    #[must_use]
    pub const fn namespace(&self) -> Oces3Namespace {
        self.namespace
    }

    /// The UUID in lower case.
    #[must_use]
    pub fn uuid(&self) -> &str {
        crate::digits::ascii(&self.uuid)
    }
}

impl Oces2Serial {
    /// The serial number of an employee, organisation or function `number` of organisation
    /// `cvr`.
    ///
    /// # Errors
    /// `ID-OCES2-02` when `number` is a personal (`PID`) number, which names no organisation.
    pub fn new(cvr: Cvr, number: Oces2Number) -> Result<Self, HolderIdError> {
        if number.kind == Oces2NumberKind::Pid {
            return Err(HolderIdError::Oces2Serial {
                input: crate::shown::shown(&format!("CVR:{cvr}-{number}")),
            });
        }
        Ok(Self { cvr, number })
    }
}

impl Oces3Holder {
    /// The holder `uuid` of the organisation `cvr` (the certificate's organizationIdentifier).
    #[must_use]
    pub const fn new(cvr: Cvr, uuid: Oces3Uuid) -> Self {
        Self { cvr, uuid }
    }

    /// The organisation's CVR number.
    #[must_use]
    pub const fn cvr(&self) -> Cvr {
        self.cvr
    }

    /// The holder's UUID.
    #[must_use]
    pub const fn uuid(&self) -> &Oces3Uuid {
        &self.uuid
    }
}

impl CertificateHolderId {
    /// The CVR number of the organisation the certificate names its holder for.
    #[must_use]
    pub const fn cvr(&self) -> Cvr {
        match self {
            Self::Oces2(s) => s.cvr(),
            Self::Oces3(h) => h.cvr(),
        }
    }
}

impl OrganizationIdentifier {
    /// The organisation's CVR number.
    #[must_use]
    pub const fn cvr(&self) -> Cvr {
        self.cvr
    }

    /// Whether the CVR passes modulus 11 (false for test organisations).
    #[must_use]
    pub fn cvr_satisfies_mod11(&self) -> bool {
        self.cvr.satisfies_mod11()
    }
}

impl FromStr for Oces2Number {
    type Err = HolderIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_oces2_number(s)
    }
}

impl FromStr for Oces2Serial {
    type Err = HolderIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_oces2_serial(s)
    }
}

impl FromStr for Oces3Uuid {
    type Err = HolderIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_oces3_uuid(s)
    }
}

impl FromStr for OrganizationIdentifier {
    type Err = HolderIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_organization_identifier(s)
    }
}

impl FromStr for CertificateHolderId {
    type Err = HolderIdError;

    /// Parses `CVR:<cvr>-RID:<n>`-style OCES2 ids and `CVR:<cvr>-UI:DK-…` OCES3 ids.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_holder_with_cvr(s)
    }
}

impl FromStr for Oces3Holder {
    type Err = HolderIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match check_holder_with_cvr(s)? {
            CertificateHolderId::Oces3(h) => Ok(h),
            CertificateHolderId::Oces2(_) => Err(HolderIdError::Oces3Uuid {
                input: crate::shown::shown(s),
            }),
        }
    }
}

impl fmt::Display for Oces2Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.tag(), self.digits)
    }
}

impl fmt::Debug for Oces2Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oces2Number({self})")
    }
}

impl fmt::Display for Oces2Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVR:{}-{}", self.cvr, self.number)
    }
}

impl fmt::Display for Oces3Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.kind {
            Oces3Kind::Employee => "E",
            Oces3Kind::Organisation => "O",
        };
        let ns = match self.namespace {
            Oces3Namespace::G => "G",
            Oces3Namespace::C => "C",
        };
        write!(f, "UI:DK-{tag}:{ns}:{}", self.uuid())
    }
}

impl fmt::Debug for Oces3Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oces3Uuid({self})")
    }
}

impl fmt::Display for OrganizationIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NTRDK-{}", self.cvr)
    }
}

impl fmt::Display for Oces3Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVR:{}-{}", self.cvr, self.uuid)
    }
}

impl fmt::Display for CertificateHolderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Oces2(n) => n.fmt(f),
            Self::Oces3(u) => u.fmt(f),
        }
    }
}

macro_rules! string_serde {
    ($($t:ty),*) => {$(
        impl TryFrom<String> for $t {
            type Error = HolderIdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> Self {
                v.to_string()
            }
        }
    )*};
}
string_serde!(Oces2Number, Oces3Uuid, CertificateHolderId);
