//! CPR (lenient, strict, with a reference day), replacement CPR, eCPR and `PersonId`.
//!
//! Invariants: nothing panics; what parses round-trips through `expose()` and the strict
//! parse; `Display`/`Debug` show the date digits and never the serial; every error names its
//! rule id.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::{assert_names_rule, shows_serial, text};
use sundhed_identity::{Cpr, Ecpr, PersonId, ReplacementCpr};

fn check_masked(display: &str, debug: &str, exposed: &str) {
    let date = exposed.get(..6).unwrap_or_default();
    assert_eq!(display, format!("{date}-xxxx"));
    assert!(!shows_serial(debug, exposed), "serial shown in `{debug}`");
}

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else { return };

    match s.parse::<Cpr>() {
        Ok(cpr) => {
            assert_eq!(Cpr::parse_strict(cpr.expose()), Ok(cpr));
            assert_eq!(cpr.expose().parse::<Cpr>(), Ok(cpr));
            assert_eq!(cpr.date_digits(), cpr.expose().get(..6).unwrap_or_default());
            check_masked(&cpr.to_string(), &format!("{cpr:?}"), cpr.expose());
            let _ = (cpr.sex(), cpr.satisfies_mod11(), cpr.birth_year());
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match Cpr::parse_strict(s) {
        Ok(cpr) => {
            assert_eq!(cpr.expose(), s);
            assert_eq!(s.parse::<Cpr>(), Ok(cpr));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    if let Some(today) = NaiveDate::from_ymd_opt(2026, 11, 23) {
        match Cpr::parse_on(s, today) {
            Ok(cpr) => {
                assert!(cpr.birth_date() <= today);
                assert_eq!(s.parse::<Cpr>(), Ok(cpr));
            }
            Err(e) => assert_names_rule(&e, e.rule()),
        }
    }
    match s.parse::<ReplacementCpr>() {
        Ok(r) => {
            assert_eq!(r.expose().parse::<ReplacementCpr>(), Ok(r));
            check_masked(&r.to_string(), &format!("{r:?}"), r.expose());
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<Ecpr>() {
        Ok(e) => {
            assert_eq!(e.expose().parse::<Ecpr>(), Ok(e));
            check_masked(&e.to_string(), &format!("{e:?}"), e.expose());
            let _ = (e.kind(), e.sex(), e.date());
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<PersonId>() {
        Ok(p) => {
            assert_eq!(p.expose().parse::<PersonId>(), Ok(p));
            assert!(!shows_serial(&p.to_string(), p.expose()));
            assert!(!shows_serial(&format!("{p:?}"), p.expose()));
            // A CPR classification agrees with the CPR parse.
            if let Some(cpr) = p.cpr() {
                assert_eq!(s.parse::<Cpr>(), Ok(*cpr));
            }
        }
        Err(e) => {
            assert_names_rule(&e, e.rule());
        }
    }
});
