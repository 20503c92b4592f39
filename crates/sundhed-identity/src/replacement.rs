//! Replacement numbers (erstatningspersonnumre) in the CPR office's recommended form.

use core::fmt;
use core::str::FromStr;

use chrono::NaiveDate;

use crate::RuleId;
use crate::birth_date::{calendar_date, check_century_table};
use crate::cpr::{Sex, check_cpr_format};
use crate::digits::{ascii, digit, two};

/// `ID-REPL-01`: a replacement number is a CPR-shaped number whose day is increased by 60.
pub const REPLACEMENT_FORM: RuleId = RuleId::new("ID-REPL-01");

/// A replacement CPR number in the CPR office's recommended form: the day plus 60.
///
/// Someone born on the 7th gets day `67`, so the days run 61–91 and a replacement number can
/// never be read as a real CPR number. The CPR register holds nothing on these numbers. The
/// rest of the structure is a CPR number's: month, year, the century digit, a serial whose
/// last digit encodes sex. Masked like a [`Cpr`](crate::Cpr).
///
/// # Example
/// ```
/// use sundhed_identity::ReplacementCpr;
///
/// let r: ReplacementCpr = "670161-4321".parse()?;
/// assert_eq!(r.birth_date().to_string(), "1961-01-07");
/// assert_eq!(r.to_string(), "670161-xxxx");
/// assert!("070161-4321".parse::<ReplacementCpr>().is_err()); // a real CPR shape
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplacementCpr {
    digits: [u8; 10],
    birth_date: NaiveDate,
}

/// Why a text is not a replacement number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplacementCprError {
    /// Not ten digits, optionally with `-` after the sixth.
    #[error("a replacement number is ten digits, optionally with `-` after the sixth ({rule})", rule = REPLACEMENT_FORM)]
    Format,
    /// The day is not 61–91 or day − 60 with month and year is not a date.
    #[error("the first six digits `{day:02}{month:02}{yy:02}` are not a date with 60 added to the day ({rule})", rule = REPLACEMENT_FORM)]
    Date {
        /// Day digits as written.
        day: u8,
        /// Month digits as written.
        month: u8,
        /// Year digits as written.
        yy: u8,
    },
}

impl ReplacementCprError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        REPLACEMENT_FORM
    }
}

/// `ID-REPL-01`: day 61–91 and (day − 60, month, century-table year) a real date.
///
/// Source: CPR office, "Erstatningspersonnummer i eksterne systemer" (the first digit of the
/// day is increased by 6); `shared/design/domain.md` §1.4.
pub(crate) fn check_replacement_form(
    s: &str,
) -> Result<([u8; 10], NaiveDate), ReplacementCprError> {
    let digits = check_cpr_format(s).map_err(|_| ReplacementCprError::Format)?;
    let [d1, d2, m1, m2, y1, y2, s7, ..] = digits;
    let (Some(day), Some(month), Some(yy), Some(d7)) =
        (two(d1, d2), two(m1, m2), two(y1, y2), digit(s7))
    else {
        return Err(ReplacementCprError::Format);
    };
    let err = ReplacementCprError::Date { day, month, yy };
    if !(61..=91).contains(&day) {
        return Err(err);
    }
    let date = calendar_date(check_century_table(d7, yy), month, day - 60).ok_or(err)?;
    Ok((digits, date))
}

impl ReplacementCpr {
    /// The birth date (the day with 60 taken off).
    #[must_use]
    pub const fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The sex the last digit encodes, as in a CPR number.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        let [.., last] = self.digits;
        Sex::from_last_digit(last.wrapping_sub(b'0'))
    }

    /// The full ten digits. Personal data: display the value itself, which masks.
    #[must_use]
    pub fn expose(&self) -> &str {
        ascii(&self.digits)
    }

    fn date_digits(&self) -> &str {
        ascii(self.digits.get(..6).unwrap_or_default())
    }
}

impl FromStr for ReplacementCpr {
    type Err = ReplacementCprError;

    /// Parses `DDMMYYSSSS` or `DDMMYY-SSSS` (white space around it allowed) with DD in 61–91.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (digits, birth_date) = check_replacement_form(s)?;
        Ok(Self { digits, birth_date })
    }
}

impl fmt::Display for ReplacementCpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::cpr::check_cpr_masked(self.date_digits(), f)
    }
}

impl fmt::Debug for ReplacementCpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplacementCpr({self})")
    }
}
