//! CVR numbers: the Danish business register's organisation numbers.

use core::fmt;
use core::str::FromStr;

use crate::RuleId;
use crate::digits::{ascii, weighted_mod11};

/// `ID-CVR-01`: a CVR number is eight digits and the first is not 0.
pub const CVR_FORMAT: RuleId = RuleId::new("ID-CVR-01");
/// `ID-CVR-02`: a CVR number satisfies modulus 11 with weights 2,7,6,5,4,3,2,1.
pub const CVR_CHECKSUM: RuleId = RuleId::new("ID-CVR-02");
/// `ID-CVR-03`: only the named test-organisation constructor accepts a checksum failure.
pub const CVR_TEST_ORGANISATION: RuleId = RuleId::new("ID-CVR-03");

const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];

/// A CVR number (Det Centrale Virksomhedsregister): eight digits, first not 0, modulus 11.
///
/// [`FromStr`] accepts what people type: a `DK` prefix, spaces and the separators
/// `- . , / :`. A number that fails modulus 11 is refused, except through
/// [`Cvr::parse_test_organisation`], which exists for the MitID Erhverv test environment whose
/// test organisations carry numbers such as `91026150` that fail it (rule `ID-CVR-03`).
///
/// A CVR number is public; `Display` shows all eight digits. Serde writes the digits, or
/// `test:<digits>` for a number that fails modulus 11, so reading validates and round-trips.
///
/// # Example
/// ```
/// use sundhed_identity::Cvr;
///
/// let cvr: Cvr = "DK 13 58 56 28".parse()?;
/// assert_eq!(cvr.as_str(), "13585628");
/// assert!("DK 13585627".parse::<Cvr>().is_err()); // checksum
/// assert!(Cvr::parse_test_organisation("91026150").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cvr([u8; 8]);

/// Why a text is not a CVR number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvrError {
    /// Not eight digits, or a leading 0.
    #[error("`{input}` is not a cvr number: eight digits, the first not 0 ({rule})", rule = CVR_FORMAT)]
    Format {
        /// The text given (a CVR number is public).
        input: String,
    },
    /// Eight digits that fail modulus 11.
    #[error("`{input}` fails the cvr modulus-11 check ({rule})", rule = CVR_CHECKSUM)]
    Checksum {
        /// The digits given.
        input: String,
    },
}

impl CvrError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Format { .. } => CVR_FORMAT,
            Self::Checksum { .. } => CVR_CHECKSUM,
        }
    }
}

/// Drops a leading `DK`, white space and the separators `- . , / :`.
fn compact(s: &str) -> Result<[u8; 8], CvrError> {
    let t = s.trim();
    let t = t
        .strip_prefix("DK")
        .or_else(|| t.strip_prefix("dk"))
        .unwrap_or(t);
    let mut out = [0u8; 8];
    let mut n = 0usize;
    for b in t.bytes() {
        if b.is_ascii_whitespace() || b"-.,/:".contains(&b) {
            continue;
        }
        match out.get_mut(n) {
            Some(slot) => *slot = b,
            None => {
                return Err(CvrError::Format {
                    input: crate::shown::shown(s),
                });
            }
        }
        n += 1;
    }
    if n == 8 {
        Ok(out)
    } else {
        Err(CvrError::Format {
            input: crate::shown::shown(s),
        })
    }
}

/// `ID-CVR-01`: eight ASCII digits, the first not 0.
///
/// Source: Erhvervsstyrelsen, "Modulus 11"; python-stdnum `dk/cvr.py` (`InvalidFormat` for a
/// leading 0); `shared/design/domain.md` §2.1.
pub(crate) fn check_cvr_format(digits: [u8; 8], input: &str) -> Result<[u8; 8], CvrError> {
    match digits {
        [b'1'..=b'9', ..] if digits.iter().all(u8::is_ascii_digit) => Ok(digits),
        _ => Err(CvrError::Format {
            input: crate::shown::shown(input),
        }),
    }
}

/// `ID-CVR-02`: `Σ wᵢ·dᵢ ≡ 0 (mod 11)` with weights 2,7,6,5,4,3,2,1.
///
/// Source: Erhvervsstyrelsen, "Modulus 11" (worked example 13748136); `domain.md` §2.1.
pub(crate) fn check_cvr_checksum(digits: &[u8; 8]) -> Result<(), CvrError> {
    if weighted_mod11(digits, &WEIGHTS) == Some(0) {
        Ok(())
    } else {
        Err(CvrError::Checksum {
            input: ascii(digits).to_owned(),
        })
    }
}

/// `ID-CVR-03`: the test-organisation constructor keeps `ID-CVR-01` and skips `ID-CVR-02`.
///
/// Source: MitID Erhverv test organisations ("Testorganisation nr. 91026150") carry numbers
/// that fail modulus 11; `shared/design/domain.md` §2.3.
pub(crate) fn check_cvr_test_organisation(s: &str) -> Result<Cvr, CvrError> {
    let digits = check_cvr_format(compact(s)?, s)?;
    Ok(Cvr(digits))
}

impl Cvr {
    /// Parses a CVR number of a test organisation: the format is checked, modulus 11 is not.
    ///
    /// Use this only where test-environment certificates are accepted (MitID Erhverv test
    /// organisations carry numbers that fail modulus 11). A number that passes modulus 11
    /// parses the same as through [`FromStr`].
    ///
    /// # Errors
    /// [`CvrError::Format`] (`ID-CVR-01`) unless the text holds eight digits, the first not 0.
    pub fn parse_test_organisation(s: &str) -> Result<Self, CvrError> {
        check_cvr_test_organisation(s)
    }

    /// The eight digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        ascii(&self.0)
    }

    /// Whether the number satisfies modulus 11 (false only for test organisations).
    #[must_use]
    pub fn satisfies_mod11(&self) -> bool {
        check_cvr_checksum(&self.0).is_ok()
    }
}

impl FromStr for Cvr {
    type Err = CvrError;

    /// Parses a CVR number, stripping `DK`, white space and separators.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = check_cvr_format(compact(s)?, s)?;
        check_cvr_checksum(&digits)?;
        Ok(Self(digits))
    }
}

impl fmt::Display for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cvr({})", self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Cvr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.satisfies_mod11() {
            serializer.serialize_str(self.as_str())
        } else {
            serializer.collect_str(&format_args!("test:{}", self.as_str()))
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Cvr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let parsed = match s.strip_prefix("test:") {
            Some(rest) => Self::parse_test_organisation(rest),
            None => s.parse(),
        };
        parsed.map_err(serde::de::Error::custom)
    }
}
