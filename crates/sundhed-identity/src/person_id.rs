//! One type for every way a person is numbered: CPR, replacement number, eCPR.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::cpr::{Cpr, CprError, Sex};
use crate::digits::digit;
use crate::ecpr::Ecpr;
use crate::replacement::ReplacementCpr;

/// `ID-PID-01`: a person id is classified by its shape as exactly one of CPR, replacement
/// number or eCPR; a replacement number or an eCPR is never taken for a CPR number.
pub const PERSON_ID_CLASS: RuleId = RuleId::new("ID-PID-01");

/// A person's identifier: a CPR number, or one of the numbers used when there is none.
///
/// A user without a CPR number can still be registered, and is never mistaken for a CPR
/// holder: the three shapes cannot overlap (a replacement number's day is 61–91, which no CPR
/// number has; an eCPR has letters). Masked in `Debug` and `Display`; serde writes the full
/// value as a string and classifies it again on reading.
///
/// # Example
/// ```
/// use sundhed_identity::PersonId;
///
/// assert!(matches!("070761-4285".parse::<PersonId>()?, PersonId::Cpr(_)));
/// assert!(matches!("6701614321".parse::<PersonId>()?, PersonId::Replacement(_)));
/// assert!(matches!("0203291WQ3".parse::<PersonId>()?, PersonId::Ecpr(_)));
/// assert!("not a number".parse::<PersonId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PersonId {
    /// A CPR number.
    Cpr(Cpr),
    /// A replacement number in the CPR office's form (day + 60).
    Replacement(ReplacementCpr),
    /// A healthcare eCPR number.
    Ecpr(Ecpr),
}

/// Why a text is no person id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PersonIdError {
    /// The text has a CPR shape but is not a valid CPR number.
    #[error(transparent)]
    Cpr(#[from] CprError),
    /// The text has a replacement-number shape but is not valid.
    #[error(transparent)]
    Replacement(#[from] crate::ReplacementCprError),
    /// The text has an eCPR shape but is not valid.
    #[error(transparent)]
    Ecpr(#[from] crate::EcprError),
}

impl PersonIdError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Cpr(e) => e.rule(),
            Self::Replacement(e) => e.rule(),
            Self::Ecpr(e) => e.rule(),
        }
    }
}

/// The shape a person id has, decided before any of the three parsers runs.
enum Shape {
    Cpr,
    Replacement,
    Ecpr,
}

/// `ID-PID-01`: letters in positions 8–9 make an eCPR; a day's first digit of 6–9 makes a
/// replacement number; anything else is parsed as a CPR number.
///
/// Source: CPR office, "Erstatningspersonnummer i eksterne systemer"; HL7 DK core eCPR
/// identifier; `shared/design/domain.md` §1.4.
fn check_person_id_class(t: &[u8]) -> Shape {
    if let [_, _, _, _, _, _, _, a1, a2, _] = *t
        && a1.is_ascii_alphabetic()
        && a2.is_ascii_alphabetic()
    {
        return Shape::Ecpr;
    }
    match t.first().copied().and_then(digit) {
        Some(6..=9) => Shape::Replacement,
        _ => Shape::Cpr,
    }
}

impl PersonId {
    /// Whether this is a real CPR number.
    #[must_use]
    pub const fn is_cpr(&self) -> bool {
        matches!(self, Self::Cpr(_))
    }

    /// The CPR number, if this is one.
    #[must_use]
    pub const fn cpr(&self) -> Option<&Cpr> {
        match self {
            Self::Cpr(c) => Some(c),
            _ => None,
        }
    }

    /// The sex the number encodes.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        match self {
            Self::Cpr(c) => c.sex(),
            Self::Replacement(r) => r.sex(),
            Self::Ecpr(e) => e.sex(),
        }
    }

    /// The full value. Personal data: display the value itself, which masks.
    #[must_use]
    pub fn expose(&self) -> &str {
        match self {
            Self::Cpr(c) => c.expose(),
            Self::Replacement(r) => r.expose(),
            Self::Ecpr(e) => e.expose(),
        }
    }

    /// What kind of number this is, for messages: `cpr`, `replacement number` or `ecpr`.
    #[must_use]
    pub const fn kind_name(&self) -> &'static str {
        match self {
            Self::Cpr(_) => "cpr",
            Self::Replacement(_) => "replacement number",
            Self::Ecpr(_) => "ecpr",
        }
    }
}

impl FromStr for PersonId {
    type Err = PersonIdError;

    /// Classifies and parses a CPR number, a replacement number or an eCPR.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact = s.trim();
        Ok(match check_person_id_class(compact.as_bytes()) {
            Shape::Ecpr => Self::Ecpr(compact.parse()?),
            Shape::Replacement => Self::Replacement(compact.parse()?),
            Shape::Cpr => Self::Cpr(compact.parse()?),
        })
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cpr(c) => write!(f, "cpr {c}"),
            Self::Replacement(r) => write!(f, "replacement number {r}"),
            Self::Ecpr(e) => write!(f, "ecpr {e}"),
        }
    }
}

impl fmt::Debug for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cpr(c) => write!(f, "PersonId::{c:?}"),
            Self::Replacement(r) => write!(f, "PersonId::{r:?}"),
            Self::Ecpr(e) => write!(f, "PersonId::{e:?}"),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PersonId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PersonId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
