//! Property tests: round trips, the century table's reach, masking.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use sundhed_identity::{Cpr, Cvr, PersonId};

/// The digit-7 classes the CPR office's table allows for a birth year (written out as the
/// table reads, independently of the implementation).
fn allowed_digits(year: i32) -> &'static [u8] {
    match year {
        1858..=1899 => &[5, 6, 7, 8],
        1900..=1936 => &[0, 1, 2, 3],
        1937..=1957 => &[0, 1, 2, 3, 4, 9],
        1958..=1999 => &[0, 1, 2, 3, 4, 9],
        2000..=2036 => &[4, 5, 6, 7, 8, 9],
        2037..=2057 => &[5, 6, 7, 8],
        _ => &[],
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1858, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2057, 12, 31).unwrap();
    let days = (last - first).num_days();
    (0..=days).prop_map(move |d| first + chrono::Duration::days(d))
}

fn number(date: NaiveDate, d7: u8, rest: u16) -> String {
    format!(
        "{:02}{:02}{:02}{}{:03}",
        date.day(),
        date.month(),
        date.year() % 100,
        d7,
        rest
    )
}

proptest! {
    #[test]
    fn id_cpr_03_every_date_is_reached_by_exactly_the_allowed_digit7_classes(
        date in any_date(), rest in 0u16..1000
    ) {
        let allowed = allowed_digits(date.year());
        prop_assert!(!allowed.is_empty());
        for d7 in 0u8..10 {
            let parsed = number(date, d7, rest).parse::<Cpr>();
            let reaches = parsed.as_ref().is_ok_and(|c| c.birth_date() == date);
            prop_assert_eq!(reaches, allowed.contains(&d7), "digit {} for {}", d7, date);
        }
    }

    #[test]
    fn display_of_expose_round_trips_and_masking_shows_only_the_date(
        date in any_date(), d7 in 0u8..10, rest in 0u16..1000
    ) {
        if let Ok(cpr) = number(date, d7, rest).parse::<Cpr>() {
            prop_assert_eq!(Cpr::parse_strict(cpr.expose()).unwrap(), cpr);
            let hyphenated = format!("{}-{}", &cpr.expose()[..6], &cpr.expose()[6..]);
            prop_assert_eq!(hyphenated.parse::<Cpr>().unwrap(), cpr);
            let masked = format!("{}-xxxx", &cpr.expose()[..6]);
            prop_assert_eq!(cpr.to_string(), masked.clone());
            prop_assert_eq!(format!("{cpr:?}"), format!("Cpr({masked})"));
            let pid = PersonId::Cpr(cpr);
            prop_assert_eq!(pid.to_string(), format!("cpr {masked}"));
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_what_parses_round_trips(s in "\\PC{0,14}") {
        if let Ok(cpr) = s.parse::<Cpr>() {
            prop_assert_eq!(cpr.expose().parse::<Cpr>().unwrap(), cpr);
        }
        if let Ok(pid) = s.parse::<PersonId>() {
            prop_assert_eq!(pid.expose().parse::<PersonId>().unwrap(), pid);
        }
        if let Ok(cvr) = s.parse::<Cvr>() {
            prop_assert_eq!(cvr.to_string().parse::<Cvr>().unwrap(), cvr);
        }
    }

    #[test]
    fn cvr_has_exactly_one_check_digit_or_none(base in 1_000_000u32..10_000_000) {
        let valid: Vec<Cvr> = (0..10)
            .filter_map(|d| format!("{base}{d}").parse::<Cvr>().ok())
            .collect();
        prop_assert!(valid.len() <= 1);
        for cvr in valid {
            prop_assert_eq!(cvr.to_string().parse::<Cvr>().unwrap(), cvr);
        }
    }
}
