//! CVR (checked and test-organisation), P-number, SHAK code (plain, regional, SKS) and SOR id.
//!
//! Invariants: nothing panics; what parses round-trips through `Display`/`as_str()`; a checked
//! CVR is also a test-organisation CVR; SHAK parents contain their children; every error
//! names its rule id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::{assert_names_rule, text};
use sundhed_identity::{Cvr, PNumber, ShakCode, SorId};

fn check_shak(code: ShakCode) {
    assert_eq!(code.as_str().parse::<ShakCode>(), Ok(code));
    assert_eq!(code.to_string(), code.as_str());
    assert!(code.contains(&code));
    let mut child = code;
    let mut steps = 0;
    while let Some(parent) = child.parent() {
        assert!(parent.contains(&code), "{parent} does not contain {code}");
        assert!(parent.level() < child.level() || parent.as_str().len() < child.as_str().len());
        child = parent;
        steps += 1;
        assert!(steps <= 2, "more than three SHAK levels under {code}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else { return };

    match s.parse::<Cvr>() {
        Ok(cvr) => {
            assert!(cvr.satisfies_mod11());
            assert_eq!(cvr.to_string().parse::<Cvr>(), Ok(cvr));
            assert_eq!(Cvr::parse_test_organisation(s), Ok(cvr));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match Cvr::parse_test_organisation(s) {
        Ok(cvr) => {
            assert_eq!(Cvr::parse_test_organisation(cvr.as_str()), Ok(cvr));
            assert_eq!(cvr.as_str().parse::<Cvr>().is_ok(), cvr.satisfies_mod11());
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<PNumber>() {
        Ok(p) => assert_eq!(p.to_string().parse::<PNumber>(), Ok(p)),
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<ShakCode>() {
        Ok(code) => {
            check_shak(code);
            assert_eq!(ShakCode::parse_dropping_regional(s), Ok(code));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match ShakCode::parse_dropping_regional(s) {
        Ok(code) => check_shak(code),
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match ShakCode::from_sks(s) {
        Ok(code) => {
            check_shak(code);
            assert_eq!(ShakCode::from_sks(&format!("A{code}")), Ok(code));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<SorId>() {
        Ok(id) => {
            assert_eq!(id.to_string().parse::<SorId>(), Ok(id));
            let _ = id.structure();
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
});
