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
