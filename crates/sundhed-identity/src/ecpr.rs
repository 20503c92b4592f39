//! Healthcare eCPR numbers: national X-eCPR and decentral D-eCPR.

use core::fmt;
use core::str::FromStr;

use chrono::NaiveDate;

use crate::RuleId;
use crate::birth_date::calendar_date;
use crate::cpr::Sex;
use crate::digits::{all_digits, ascii, two};

/// `ID-ECPR-01`: an eCPR is `DDMMYYCAAG`: a day and month, two year digits, a century code,
/// two letters A–Z and a sex digit.
pub const ECPR_FORM: RuleId = RuleId::new("ID-ECPR-01");
/// `ID-ECPR-02`: the century code decides the kind: 1 or 7 national (X-eCPR), 0, 5 or 6
/// decentral (D-eCPR); any other digit is refused.
pub const ECPR_CENTURY_CODE: RuleId = RuleId::new("ID-ECPR-02");

/// Which eCPR format a number has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum EcprKind {
    /// X-eCPR, issued nationally by the Sundhedsdatastyrelsen eCPR service (century code 1 or 7;
    /// FHIR system `urn:oid:1.2.208.176.1.6.1.1`).
    National,
    /// D-eCPR, unique only locally (LPR2 "Fællesindhold", century code 0, 5 or 6).
    Decentral,
}

/// A healthcare eCPR (erstatnings-CPR) number, `DDMMYYCAAG`.
///
/// Used for patients and staff without a CPR number. `DDMMYY` is the birth date or, when that
/// is unknown, the day the number was made; `C` is a century code that also tells the kind
/// ([`EcprKind`]); `AA` two capital letters (the initials); `G` the sex digit. As in HL7 DK's
/// pattern, 29 February is accepted in any year. Masked in `Debug` and `Display`.
///
/// # Example
/// ```
/// use sundhed_identity::{Ecpr, EcprKind};
///
/// let e: Ecpr = "0203291WQ3".parse()?;
/// assert_eq!(e.kind(), EcprKind::National);
/// assert_eq!(e.to_string(), "020329-xxxx");
/// assert!("0203292WQ3".parse::<Ecpr>().is_err()); // century code 2 is not used
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ecpr {
    chars: [u8; 10],
    kind: EcprKind,
}

/// Why a text is not an eCPR number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EcprError {
    /// Not six digits, a digit, two capital letters and a digit.
    #[error("an ecpr number is `DDMMYYCAAG`: six digits, a century digit, two letters a-z in capitals and a sex digit ({rule})", rule = ECPR_FORM)]
    Format,
    /// The day and month are not a date in any year.
    #[error("`{day:02}{month:02}` is not a day of a month ({rule})", rule = ECPR_FORM)]
    Date {
        /// Day digits.
        day: u8,
        /// Month digits.
        month: u8,
    },
    /// The century code is not 0, 1, 5, 6 or 7.
    #[error("century code `{code}` is neither national (1, 7) nor decentral (0, 5, 6) ({rule})", rule = ECPR_CENTURY_CODE)]
    CenturyCode {
        /// The code found.
        code: char,
    },
}

impl EcprError {
    /// The rule this error reports.
    #[must_use]
    pub const fn rule(&self) -> RuleId {
        match self {
            Self::Format | Self::Date { .. } => ECPR_FORM,
            Self::CenturyCode { .. } => ECPR_CENTURY_CODE,
        }
    }
}

/// `ID-ECPR-01`: `DDMMYYCAAG` with a day of the month (29 February in any year), letters A–Z.
///
/// Source: HL7 DK core `DkCoreeCprIdentifier` patterns; nspop.dk eCPR page;
/// `shared/design/domain.md` §1.4.
pub(crate) fn check_ecpr_form(t: &[u8]) -> Result<[u8; 10], EcprError> {
    let Ok(chars) = <[u8; 10]>::try_from(t) else {
        return Err(EcprError::Format);
    };
    let [d1, d2, m1, m2, y1, y2, c, a1, a2, g] = chars;
    if !all_digits(&[d1, d2, m1, m2, y1, y2, c, g])
        || !a1.is_ascii_uppercase()
        || !a2.is_ascii_uppercase()
    {
        return Err(EcprError::Format);
    }
    let (Some(day), Some(month)) = (two(d1, d2), two(m1, m2)) else {
        return Err(EcprError::Format);
    };
    // 2000 is a leap year, so 29 February passes as the HL7 pattern allows.
    if calendar_date(2000, month, day).is_none() {
        return Err(EcprError::Date { day, month });
    }
    Ok(chars)
}

/// `ID-ECPR-02`: century code 1/7 → national X-eCPR; 0/5/6 → decentral D-eCPR; else refused.
///
/// Source: HL7 DK core X-eCPR `(1|7)` and D-eCPR `(0|5|6)` patterns; `domain.md` §1.4.
pub(crate) fn check_ecpr_century_code(code: u8) -> Result<EcprKind, EcprError> {
    match code {
        b'1' | b'7' => Ok(EcprKind::National),
        b'0' | b'5' | b'6' => Ok(EcprKind::Decentral),
        other => Err(EcprError::CenturyCode {
            code: char::from(other),
        }),
    }
}

impl Ecpr {
    /// National (X-eCPR) or decentral (D-eCPR).
    #[must_use]
    pub const fn kind(&self) -> EcprKind {
        self.kind
    }

    /// The sex digit: odd male, even female.
    #[must_use]
    pub const fn sex(&self) -> Sex {
        let [.., last] = self.chars;
        Sex::from_last_digit(last.wrapping_sub(b'0'))
    }

    /// The date the number carries, when its century is known and the date exists.
    ///
    /// X-eCPR: code 1 is 1900–1999, 7 is 2000–2099. D-eCPR: 0 before 2000, 6 from 2000; the
    /// meaning of 5 is not published, so it gives `None`. The date is the birth date, or the
    /// day the number was made when the birth date is unknown.
    #[must_use]
    pub fn date(&self) -> Option<NaiveDate> {
        let [d1, d2, m1, m2, y1, y2, c, ..] = self.chars;
        let century = match c {
            b'1' | b'0' => 1900,
            b'7' | b'6' => 2000,
            _ => return None,
        };
        calendar_date(
            century + i32::from(two(y1, y2)?),
            two(m1, m2)?,
            two(d1, d2)?,
        )
    }

    /// The full value. Personal data: display the value itself, which masks.
    #[must_use]
    pub fn expose(&self) -> &str {
        ascii(&self.chars)
    }

    fn date_digits(&self) -> &str {
        ascii(self.chars.get(..6).unwrap_or_default())
    }
}

impl FromStr for Ecpr {
    type Err = EcprError;

    /// Parses `DDMMYYCAAG` with white space around it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let chars = check_ecpr_form(s.trim().as_bytes())?;
        let [.., c, _, _, _] = chars;
        let kind = check_ecpr_century_code(c)?;
        Ok(Self { chars, kind })
    }
}

impl fmt::Display for Ecpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::cpr::check_cpr_masked(self.date_digits(), f)
    }
}

impl fmt::Debug for Ecpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ecpr({:?}, {self})", self.kind)
    }
}
