//! P-numbers: the business register's numbers for production units.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::digits::ascii;

/// `ID-PNR-01`: a P-number is ten digits; its check digit is deliberately not checked.
pub const PNUMBER_FORMAT: RuleId = RuleId::new("ID-PNR-01");

/// A P-number (produktionsenhedsnummer): ten digits identifying a production unit.
///
/// The check digit is **not** verified: Erhvervsstyrelsen documents that its P-number
/// generator used wrong weights compared with modulus 11 ("Særligt modulus-check af
/// p-numre"), and the exact weights are not public, so any check would refuse real numbers.
///
/// # Example
/// ```
/// use sundhed_identity::PNumber;
///
/// assert_eq!("1003388394".parse::<PNumber>()?.as_str(), "1003388394");
/// assert!("100338839".parse::<PNumber>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct PNumber([u8; 10]);

/// Why a text is not a P-number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PNumberError {
    /// Not ten digits.
    #[error("`{input}` is not a p-number: ten digits ({rule})", rule = PNUMBER_FORMAT)]
    Format {
        /// The text given.
        input: String,
    },
}

impl PNumberError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        PNUMBER_FORMAT
    }
}

/// `ID-PNR-01`: ten ASCII digits after trimming; the check digit is not verified.
///
/// Source: CVR-loven § 6 (production units); Erhvervsstyrelsen, "Særligt modulus-check af
/// p-numre"; `shared/design/domain.md` §2.2.
pub(crate) fn check_pnumber_format(s: &str) -> Result<[u8; 10], PNumberError> {
    match <[u8; 10]>::try_from(s.trim().as_bytes()) {
        Ok(d) if d.iter().all(u8::is_ascii_digit) => Ok(d),
        _ => Err(PNumberError::Format {
            input: crate::shown::shown(s),
        }),
    }
}

impl PNumber {
    /// The ten digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }
}

impl FromStr for PNumber {
    type Err = PNumberError;

    /// Parses ten digits, with white space around them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_pnumber_format(s).map(Self)
    }
}

impl TryFrom<String> for PNumber {
    type Error = PNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<PNumber> for String {
    fn from(p: PNumber) -> Self {
        p.as_str().to_owned()
    }
}

impl fmt::Display for PNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PNumber({})", self.as_str())
    }
}
