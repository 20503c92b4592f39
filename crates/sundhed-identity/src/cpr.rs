//! CPR numbers (personnumre): parsing, birth date, sex, modulus 11 and masking.

use core::fmt;
use core::str::FromStr;

use chrono::NaiveDate;

use crate::RuleId;
use crate::birth_date::{calendar_date, check_century_table, is_calendar_date};
use crate::digits::{ascii, two, weighted_mod11};

/// `ID-CPR-01`: a CPR number is ten digits, `DDMMYYSSSS`, optionally written `DDMMYY-SSSS`.
pub const CPR_FORMAT: RuleId = RuleId::new("ID-CPR-01");
/// `ID-CPR-02`: the first six digits are a real calendar date in the century the table gives.
pub const CPR_BIRTH_DATE: RuleId = RuleId::new("ID-CPR-02");
/// `ID-CPR-03`: the birth year comes from digit 7 and YY by the CPR office's century table.
pub const CPR_CENTURY: RuleId = RuleId::new("ID-CPR-03");
/// `ID-CPR-04`: with a reference day, a birth date after that day is refused.
pub const CPR_NOT_BORN_YET: RuleId = RuleId::new("ID-CPR-04");
/// `ID-CPR-05`: modulus 11 is information only; a number is never refused for failing it.
pub const CPR_MOD11_INFORMATIONAL: RuleId = RuleId::new("ID-CPR-05");
/// `ID-CPR-06`: the serial of a CPR number never appears in `Debug`, `Display` or an error.
pub const CPR_MASKED: RuleId = RuleId::new("ID-CPR-06");

/// The modulus-11 weights of a CPR number (CPR office; python-stdnum `dk/cpr.py`).
const MOD11_WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

/// A Danish CPR number (personnummer) with a real birth date.
///
/// A `Cpr` that exists has ten digits whose first six are a real date in the century the CPR
/// office's table gives. It is personal data: `Debug` and `Display` show only the birth date
/// and mask the serial (`070761-xxxx`); [`Cpr::expose`] gives the full number and is meant to
/// be easy to find in review. Serde writes and reads the full canonical ten digits, and
/// deserialising validates like [`Cpr::parse_strict`].
///
/// Modulus 11 is never a reason to refuse a number: the CPR office has issued numbers that
/// fail it since 1 October 2007 and says they are fully valid ([`Cpr::satisfies_mod11`] is
/// information only, rule `ID-CPR-05`).
///
/// # Example
/// ```
/// use sundhed_identity::{Cpr, Sex};
///
/// let cpr: Cpr = " 070761-4285 ".parse()?;
/// assert_eq!(cpr.birth_date().to_string(), "1961-07-07");
/// assert_eq!(cpr.sex(), Sex::Male);
/// assert_eq!(cpr.to_string(), "070761-xxxx");
/// assert_eq!(cpr.expose(), "0707614285");
///
/// // 31 February does not exist.
/// assert!("310280-1234".parse::<Cpr>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpr {
    digits: [u8; 10],
    /// The birth year from the century table; day and month are in `digits`.
    year: i16,
}

/// The legal sex encoded in a CPR number's last digit (even: female, odd: male).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Sex {
    /// An even last digit.
    Female,
    /// An odd last digit.
    Male,
}

impl Sex {
    /// The sex a final digit encodes.
    pub(crate) const fn from_last_digit(d: u8) -> Self {
        if d.is_multiple_of(2) {
            Self::Female
        } else {
            Self::Male
        }
    }
}

/// Why a text is not a CPR number. Messages never repeat the serial.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CprError {
    /// Not ten digits (with an optional `-` after the sixth).
    #[error("a cpr number is ten digits, optionally with `-` after the sixth; got {found} ({rule})", rule = CPR_FORMAT)]
    Format {
        /// What was found instead, described without repeating the input.
        found: FormatFound,
    },
    /// The first six digits are not a real date.
    #[error("the first six digits `{day:02}{month:02}{yy:02}` are not a date in {year} ({rule})", rule = CPR_BIRTH_DATE)]
    BirthDate {
        /// Day digits as written.
        day: u8,
        /// Month digits as written.
        month: u8,
        /// Year digits as written.
        yy: u8,
        /// The full year the century table gives.
        year: i32,
    },
    /// The birth date is after the reference day.
    #[error("the birth date {birth_date} is after {today} ({rule})", rule = CPR_NOT_BORN_YET)]
    NotBornYet {
        /// The birth date the number encodes.
        birth_date: NaiveDate,
        /// The reference day given.
        today: NaiveDate,
    },
}

/// What a malformed CPR text held instead of ten digits (never the text itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatFound {
    /// The text had this many characters after trimming.
    Length(usize),
    /// A character other than a digit (or the one allowed `-`).
    NonDigit,
    /// The strict parse found a separator or white space.
    NotCanonical,
}

impl fmt::Display for FormatFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "{n} characters"),
            Self::NonDigit => f.write_str("a character that is not a digit"),
            Self::NotCanonical => f.write_str("a separator or white space in a canonical value"),
        }
    }
}

impl CprError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Format { .. } => CPR_FORMAT,
            Self::BirthDate { .. } => CPR_BIRTH_DATE,
            Self::NotBornYet { .. } => CPR_NOT_BORN_YET,
        }
    }
}

impl Cpr {
    /// Parses exactly ten digits with nothing around them: the canonical stored form.
    ///
    /// # Errors
    /// [`CprError::Format`] (`ID-CPR-01`) unless the text is exactly ten ASCII digits;
    /// [`CprError::BirthDate`] (`ID-CPR-02`) when the first six digits are not a date.
    ///
    /// # Example
    /// ```
    /// use sundhed_identity::Cpr;
    ///
    /// assert!(Cpr::parse_strict("0707614285").is_ok());
    /// assert!(Cpr::parse_strict("070761-4285").is_err());
    /// ```
    pub fn parse_strict(s: &str) -> Result<Self, CprError> {
        let digits = check_cpr_format_strict(s.as_bytes())?;
        Self::from_digits(digits)
    }

    /// Parses like [`FromStr`] and also refuses a birth date after `today`.
    ///
    /// The plain parse reads no clock; this one takes the reference day as an argument.
    ///
    /// # Errors
    /// As [`FromStr`], and [`CprError::NotBornYet`] (`ID-CPR-04`).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use sundhed_identity::Cpr;
    ///
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;
    /// assert!(Cpr::parse_on("0101254001", today).is_ok()); // 2025
    /// assert!(Cpr::parse_on("0101575001", today).is_err()); // 2057
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse_on(s: &str, today: NaiveDate) -> Result<Self, CprError> {
        let cpr: Self = s.parse()?;
        check_cpr_not_born_yet(cpr.birth_date(), today)?;
        Ok(cpr)
    }

    fn from_digits(digits: [u8; 10]) -> Result<Self, CprError> {
        let year = check_cpr_birth_date(&digits)?;
        Ok(Self { digits, year })
    }

    /// The birth date, with the century from the CPR office's table.
    #[must_use]
    pub fn birth_date(&self) -> NaiveDate {
        let [d1, d2, m1, m2, ..] = self.digits;
        let (day, month) = (two(d1, d2).unwrap_or(0), two(m1, m2).unwrap_or(0));
        // A `Cpr` exists only when `ID-CPR-02` found this date, so the default is never used.
        calendar_date(i32::from(self.year), month, day).unwrap_or_default()
    }

    /// The legal sex encoded in the number: even last digit female, odd male.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        let [.., last] = self.digits;
        Sex::from_last_digit(last.wrapping_sub(b'0'))
    }

    /// Whether the number satisfies the old modulus-11 control (weights 4,3,2,7,6,5,4,3,2,1).
    ///
    /// `ID-CPR-05`: information only. Numbers issued since 1 October 2007 may fail it and are
    /// fully valid (CPR office, "Personnumre uden kontrolciffer"), so no parse refuses them.
    #[must_use]
    pub fn satisfies_mod11(&self) -> bool {
        check_cpr_mod11_informational(&self.digits)
    }

    /// The full ten digits. Personal data: log or display [`Cpr`] itself, which masks.
    #[must_use]
    pub fn expose(&self) -> &str {
        ascii(&self.digits)
    }

    /// The six birth-date digits `DDMMYY` (not personal on their own; shown by `Display`).
    #[must_use]
    pub fn date_digits(&self) -> &str {
        ascii(self.digits.get(..6).unwrap_or_default())
    }
}

/// `ID-CPR-01` (lenient): surrounding white space, then `DDMMYYSSSS` or `DDMMYY-SSSS`.
///
/// Source: CPR office, "Opbygning af CPR-nummeret" (the hyphen after position 6 is optional).
pub(crate) fn check_cpr_format(s: &str) -> Result<[u8; 10], CprError> {
    let raw = s.as_bytes();
    // Most input has no white space around it: skip the Unicode-aware trim then.
    let padded = matches!(raw.first().zip(raw.last()), Some((f, l)) if !f.is_ascii_digit() || !l.is_ascii_digit());
    let t = if padded { s.trim().as_bytes() } else { raw };
    match *t {
        [a, b, c, d, e, f, b'-', g, h, i, j] => {
            check_cpr_format_strict(&[a, b, c, d, e, f, g, h, i, j])
        }
        _ => check_cpr_format_strict(t),
    }
}

/// `ID-CPR-01` (strict): exactly ten ASCII digits.
pub(crate) fn check_cpr_format_strict(t: &[u8]) -> Result<[u8; 10], CprError> {
    let Ok(digits) = <[u8; 10]>::try_from(t) else {
        let found = if t.iter().any(|b| *b == b'-' || b.is_ascii_whitespace()) && t.len() != 10 {
            FormatFound::NotCanonical
        } else {
            FormatFound::Length(t.len())
        };
        return Err(CprError::Format { found });
    };
    if all_ascii_digits(&digits) {
        Ok(digits)
    } else {
        Err(CprError::Format {
            found: FormatFound::NonDigit,
        })
    }
}

/// Whether ten bytes are all ASCII digits, without a branch per byte.
fn all_ascii_digits(d: &[u8; 10]) -> bool {
    // A digit is 0x30..=0x39: subtracting 0x30 leaves 0..=9, anything else wraps or exceeds.
    d.iter()
        .fold(0u8, |bad, b| bad | u8::from(b.wrapping_sub(b'0') > 9))
        == 0
}

/// `ID-CPR-02`: `DDMMYY` is a real date in the century `ID-CPR-03` gives (leap days included).
///
/// Source: CPR office, "Opbygning af CPR-nummeret"; `shared/design/domain.md` §1.1–1.2.
/// Returns the birth year; the date itself is rebuilt on demand by [`Cpr::birth_date`].
pub(crate) fn check_cpr_birth_date(digits: &[u8; 10]) -> Result<i16, CprError> {
    // `ID-CPR-01` has already found ten ASCII digits, so plain arithmetic suffices.
    let [d1, d2, m1, m2, y1, y2, s7, ..] = digits.map(|b| b.wrapping_sub(b'0'));
    let day = d1.wrapping_mul(10).wrapping_add(d2);
    let month = m1.wrapping_mul(10).wrapping_add(m2);
    let yy = y1.wrapping_mul(10).wrapping_add(y2);
    if s7 > 9 || yy > 99 {
        return Err(CprError::Format {
            found: FormatFound::NonDigit,
        });
    }
    let year = check_century_table(s7, yy);
    match i16::try_from(year) {
        Ok(short) if is_calendar_date(year, month, day) => Ok(short),
        _ => Err(CprError::BirthDate {
            day,
            month,
            yy,
            year,
        }),
    }
}

/// `ID-CPR-04`: with a reference day, a birth date after it is refused.
///
/// Source: python-stdnum `dk/cpr.py` ("this person has not been born yet"); the plain parse
/// reads no clock, so the caller supplies `today`.
pub(crate) fn check_cpr_not_born_yet(birth: NaiveDate, today: NaiveDate) -> Result<(), CprError> {
    if birth > today {
        Err(CprError::NotBornYet {
            birth_date: birth,
            today,
        })
    } else {
        Ok(())
    }
}

/// `ID-CPR-05`: modulus 11 is computed for information and never used to refuse a number.
///
/// Source: CPR office, "Personnumre uden kontrolciffer (modulus 11 kontrol)", 10-05-2023.
pub(crate) fn check_cpr_mod11_informational(digits: &[u8; 10]) -> bool {
    weighted_mod11(digits, &MOD11_WEIGHTS) == Some(0)
}

/// `ID-CPR-06`: writes `DDMMYY-xxxx`; the serial never leaves the value through formatting.
///
/// Source: Databeskyttelsesforordningen art. 5(1)(f) and art. 87 (national identification
/// numbers), `shared/design/style.md` ("Personal data (CPR) is masked").
pub(crate) fn check_cpr_masked(date_digits: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{date_digits}-xxxx")
}

impl FromStr for Cpr {
    type Err = CprError;

    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS`, with white space around it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = check_cpr_format(s)?;
        Self::from_digits(digits)
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        check_cpr_masked(self.date_digits(), f)
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cpr(")?;
        check_cpr_masked(self.date_digits(), f)?;
        f.write_str(")")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Cpr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Cpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse_strict(&s).map_err(serde::de::Error::custom)
    }
}

impl Cpr {
    /// The birth year.
    #[must_use]
    pub fn birth_year(&self) -> i32 {
        i32::from(self.year)
    }
}
