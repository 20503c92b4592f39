//! SHAK codes (sygehus-afdelingsklassifikation): hospital, department and section.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::digits::ascii;

/// `ID-SHAK-01`: a SHAK code is 4 (hospital), 6 (department) or 7 (section) characters
/// `0-9A-Z`; each level is named by the prefix of the level above.
pub const SHAK_FORMAT: RuleId = RuleId::new("ID-SHAK-01");
/// `ID-SHAK-02`: regional 8th and 9th characters are not part of a SHAK code; only the
/// explicit [`ShakCode::parse_dropping_regional`] strips them.
pub const SHAK_REGIONAL: RuleId = RuleId::new("ID-SHAK-02");

/// The level of the hierarchy a SHAK code names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ShakLevel {
    /// 4 characters: a hospital or other health institution (sygehus).
    Hospital,
    /// 6 characters: a department (afdeling).
    Department,
    /// 7 characters: a section (afsnit).
    Section,
}

/// A SHAK code: the hospital department classification SEI groups are keyed by.
///
/// The hierarchy is by prefix: a department's code starts with its hospital's four
/// characters, a section's with its department's six (Sundhedsdatastyrelsen,
/// "Afdelingsklassifikation"). Characters are digits or capital letters; region prefixes
/// are not hard-coded.
///
/// Some regions append an 8th and 9th character of their own; FMK strips them before
/// validating. [`FromStr`] refuses such a code so that a register never stores a
/// non-standard key by accident; [`ShakCode::parse_dropping_regional`] strips them on
/// purpose (`ID-SHAK-02`).
///
/// # Example
/// ```
/// use sundhed_identity::{ShakCode, ShakLevel};
///
/// let section: ShakCode = "1301011".parse()?;
/// let department: ShakCode = "130101".parse()?;
/// assert_eq!(section.level(), ShakLevel::Section);
/// assert_eq!(section.parent(), Some(department));
/// assert!(department.contains(&section));
/// assert!("13010".parse::<ShakCode>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct ShakCode {
    chars: [u8; 7],
    len: u8,
}

/// Why a text is not a SHAK code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShakCodeError {
    /// Not 4, 6 or 7 characters `0-9A-Z`.
    #[error("`{input}` is not a shak code: 4, 6 or 7 characters 0-9 or A-Z ({rule})", rule = SHAK_FORMAT)]
    Format {
        /// The text given.
        input: String,
    },
    /// 8 or 9 characters: a regional extension, refused unless stripped explicitly.
    #[error("`{input}` carries regional 8th/9th characters; strip them explicitly ({rule})", rule = SHAK_REGIONAL)]
    Regional {
        /// The text given.
        input: String,
    },
}

impl ShakCodeError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Format { .. } => SHAK_FORMAT,
            Self::Regional { .. } => SHAK_REGIONAL,
        }
    }
}

/// `ID-SHAK-01`: length 4, 6 or 7, characters `0-9A-Z`.
///
/// Source: Sundhedsdatastyrelsen, "Afdelingsklassifikation" (three levels by prefix);
/// `shared/design/domain.md` §3.1.
pub(crate) fn check_shak_format(t: &[u8], input: &str) -> Result<ShakCode, ShakCodeError> {
    let ok_chars = t
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if !ok_chars || !matches!(t.len(), 4 | 6 | 7) {
        return Err(ShakCodeError::Format {
            input: crate::shown::shown(input),
        });
    }
    let mut chars = [0u8; 7];
    for (slot, b) in chars.iter_mut().zip(t) {
        *slot = *b;
    }
    let len = u8::try_from(t.len()).map_err(|_| ShakCodeError::Format {
        input: crate::shown::shown(input),
    })?;
    Ok(ShakCode { chars, len })
}

/// `ID-SHAK-02`: 8 or 9 characters are refused by the plain parse and cut to 7 only on request.
///
/// Source: FMK, "Organisationskoder" ("nogle regioner har selv opfundet 8. og 9. ciffer",
/// stripped before validation); `shared/design/domain.md` §3.1.
pub(crate) fn check_shak_regional(
    t: &[u8],
    input: &str,
    strip: bool,
) -> Result<ShakCode, ShakCodeError> {
    match (t.len(), strip) {
        (8 | 9, false) => Err(ShakCodeError::Regional {
            input: crate::shown::shown(input),
        }),
        (8 | 9, true) => check_shak_format(t.get(..7).unwrap_or_default(), input),
        _ => check_shak_format(t, input),
    }
}

impl ShakCode {
    /// Parses a code that may carry a region's own 8th and 9th characters, dropping them.
    ///
    /// # Errors
    /// [`ShakCodeError::Format`] (`ID-SHAK-01`) when the first seven characters (or the whole
    /// code, when shorter) are not a SHAK code.
    ///
    /// # Example
    /// ```
    /// use sundhed_identity::ShakCode;
    ///
    /// assert_eq!(ShakCode::parse_dropping_regional("130101123")?.as_str(), "1301011");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_dropping_regional(s: &str) -> Result<Self, ShakCodeError> {
        check_shak_regional(s.trim().as_bytes(), s, true)
    }

    /// Parses the SKS form of a SHAK code, which has an `A` in front (`Assss`, `Assssoo`, …).
    ///
    /// # Errors
    /// [`ShakCodeError::Format`] (`ID-SHAK-01`) when there is no leading `A` or the rest is not
    /// a SHAK code.
    pub fn from_sks(s: &str) -> Result<Self, ShakCodeError> {
        match s.trim().strip_prefix('A') {
            Some(rest) => check_shak_regional(rest.as_bytes(), s, false),
            None => Err(ShakCodeError::Format {
                input: crate::shown::shown(s),
            }),
        }
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        ascii(self.chars.get(..usize::from(self.len)).unwrap_or_default())
    }

    /// Hospital, department or section.
    #[must_use]
    pub const fn level(&self) -> ShakLevel {
        match self.len {
            4 => ShakLevel::Hospital,
            6 => ShakLevel::Department,
            _ => ShakLevel::Section,
        }
    }

    /// The code one level up: a section's department, a department's hospital.
    #[must_use]
    pub const fn parent(&self) -> Option<Self> {
        let [a, b, c, d, e, f, _] = self.chars;
        match self.len {
            7 => Some(Self {
                chars: [a, b, c, d, e, f, 0],
                len: 6,
            }),
            6 => Some(Self {
                chars: [a, b, c, d, 0, 0, 0],
                len: 4,
            }),
            _ => None,
        }
    }

    /// Whether `other` is this code or lies below it (prefix containment).
    #[must_use]
    pub fn contains(&self, other: &Self) -> bool {
        other.as_str().starts_with(self.as_str())
    }
}

impl FromStr for ShakCode {
    type Err = ShakCodeError;

    /// Parses a 4-, 6- or 7-character code, with white space around it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_shak_regional(s.trim().as_bytes(), s, false)
    }
}

impl TryFrom<String> for ShakCode {
    type Error = ShakCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ShakCode> for String {
    fn from(c: ShakCode) -> Self {
        c.as_str().to_owned()
    }
}

impl fmt::Display for ShakCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ShakCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShakCode({})", self.as_str())
    }
}
