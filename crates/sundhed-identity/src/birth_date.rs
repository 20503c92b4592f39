//! The CPR office's century table and the calendar check shared by CPR-shaped numbers.

use chrono::NaiveDate;

/// The full birth year from the year digits `yy` and the seventh digit of the number.
///
/// `ID-CPR-03`: the CPR office's century table (digit 7 with YY), giving years 1858–2057:
///
/// | digit 7    | YY 00–36  | YY 37–57  | YY 58–99  |
/// |------------|-----------|-----------|-----------|
/// | 0, 1, 2, 3 | 1900–1936 | 1937–1957 | 1958–1999 |
/// | 4, 9       | 2000–2036 | 1937–1957 | 1958–1999 |
/// | 5, 6, 7, 8 | 2000–2036 | 2037–2057 | 1858–1899 |
///
/// Source: CPR office, "Personnummeret i CPR-systemet"; `shared/design/domain.md` §1.2.
#[must_use]
pub(crate) const fn check_century_table(digit7: u8, yy: u8) -> i32 {
    let century = match digit7 {
        0..=3 => 1900,
        4 | 9 => {
            if yy <= 36 {
                2000
            } else {
                1900
            }
        }
        _ => {
            if yy <= 57 {
                2000
            } else {
                1800
            }
        }
    };
    century + yy as i32
}

/// Whether `day`/`month`/`year` name a day of the Gregorian calendar (leap years included).
///
/// The same answer as [`calendar_date`] without building a date: the hot path of a CPR parse
/// only needs the answer (checked against chrono over every day of 1858–2057 by the
/// `id_cpr_03_every_date_is_reached_by_exactly_the_allowed_digit7_classes` property test).
pub(crate) const fn is_calendar_date(year: i32, month: u8, day: u8) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let last = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    day >= 1 && day <= last
}

/// The calendar date, if `day`/`month`/`year` name one.
pub(crate) fn calendar_date(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_cpr_03_century_table_corners() {
        let cases = [
            (0, 0, 1900),
            (3, 99, 1999),
            (4, 36, 2036),
            (4, 37, 1937),
            (9, 0, 2000),
            (9, 99, 1999),
            (5, 57, 2057),
            (5, 58, 1858),
            (8, 99, 1899),
            (6, 0, 2000),
        ];
        for (d7, yy, year) in cases {
            assert_eq!(check_century_table(d7, yy), year, "digit {d7}, yy {yy}");
        }
    }
}
