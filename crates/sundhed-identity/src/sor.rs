//! SOR ids: Sundhedsvæsenets Organisationsregister identifiers.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::digits::digit;

/// `ID-SOR-01`: a SOR id is at least 11 digits (HL7 DK); at most 18 (the SCTID limit).
pub const SOR_FORMAT: RuleId = RuleId::new("ID-SOR-01");
/// `ID-SOR-02`: the SNOMED-style namespace `1000016`, partition `00` and Verhoeff digit are
/// reported, never used to refuse an id.
pub const SOR_STRUCTURE: RuleId = RuleId::new("ID-SOR-02");

/// A SOR id: the identity of a health-care unit in SOR (`urn:oid:1.2.208.176.1.1`).
///
/// Validated as HL7 DK validates it: digits, at least 11. Real ids have the structure of a
/// SNOMED CT identifier in the Danish namespace (`…1000016` + `00` + a Verhoeff check digit);
/// that is unconfirmed by the register's own documentation, so [`SorId::structure`] reports it
/// and nothing refuses an id for it (`ID-SOR-02`).
///
/// # Example
/// ```
/// use sundhed_identity::SorId;
///
/// let sor: SorId = "953741000016009".parse()?;
/// assert!(sor.structure().verhoeff_ok);
/// assert!("1234567890".parse::<SorId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct SorId {
    value: u64,
    len: u8,
}

/// What [`SorId::structure`] found; information only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SorStructure {
    /// Digits 3–9 from the end are the Danish SNOMED namespace `1000016`.
    pub namespace_ok: bool,
    /// The partition digits (second and third from the end) are `00`.
    pub partition_ok: bool,
    /// The last digit is the Verhoeff check digit of the others.
    pub verhoeff_ok: bool,
}

/// Why a text is not a SOR id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SorIdError {
    /// Not 11 to 18 digits.
    #[error("`{input}` is not a sor id: 11 to 18 digits ({rule})", rule = SOR_FORMAT)]
    Format {
        /// The text given.
        input: String,
    },
}

impl SorIdError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        SOR_FORMAT
    }
}

/// `ID-SOR-01`: 11 to 18 ASCII digits.
///
/// Source: HL7 DK core `dk-core-sor-identifier` ("SOR Identifiers are at minimum 11 digits
/// long"); SNOMED CT identifiers are at most 18 digits; `shared/design/domain.md` §3.2.
pub(crate) fn check_sor_format(s: &str) -> Result<SorId, SorIdError> {
    let t = s.trim();
    let err = || SorIdError::Format {
        input: crate::shown::shown(s),
    };
    if !(11..=18).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    let value = t.parse::<u64>().map_err(|_| err())?;
    let len = u8::try_from(t.len()).map_err(|_| err())?;
    Ok(SorId { value, len })
}

/// Verhoeff's dihedral-group multiplication table.
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff's position permutation table: row `i` is the first row's permutation applied `i` times.
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Whether the digits, check digit last, pass Verhoeff's check.
fn verhoeff_ok(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, b) in digits.iter().rev().enumerate() {
        let Some(n) = digit(*b) else { return false };
        let p = P
            .get(i % 8)
            .and_then(|row| row.get(usize::from(n)))
            .copied();
        let next = p.and_then(|p| {
            D.get(usize::from(c))
                .and_then(|row| row.get(usize::from(p)))
        });
        match next {
            Some(v) => c = *v,
            None => return false,
        }
    }
    c == 0
}

/// `ID-SOR-02`: reports the SNOMED-style structure without refusing anything.
///
/// Source: the SNOMED CT identifier structure (namespace, partition, Verhoeff check digit,
/// SNOMED International "6.4 Check-digit"); four real SOR ids checked in
/// `shared/design/domain.md` §3.2.
pub(crate) fn check_sor_structure(text: &str) -> SorStructure {
    let b = text.as_bytes();
    let n = b.len();
    let namespace_ok = n >= 10 && b.get(n - 10..n - 3) == Some(b"1000016".as_slice());
    let partition_ok = b.get(n.saturating_sub(3)..n.saturating_sub(1)) == Some(b"00".as_slice());
    SorStructure {
        namespace_ok,
        partition_ok,
        verhoeff_ok: verhoeff_ok(b),
    }
}

impl SorId {
    /// The namespace, partition and check digit, as information.
    #[must_use]
    pub fn structure(&self) -> SorStructure {
        check_sor_structure(&self.to_string())
    }
}

impl FromStr for SorId {
    type Err = SorIdError;

    /// Parses 11 to 18 digits, with white space around them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_sor_format(s)
    }
}

impl TryFrom<String> for SorId {
    type Error = SorIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SorId> for String {
    fn from(s: SorId) -> Self {
        s.to_string()
    }
}

impl fmt::Display for SorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:0width$}", self.value, width = usize::from(self.len))
    }
}

impl fmt::Debug for SorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SorId({self})")
    }
}
