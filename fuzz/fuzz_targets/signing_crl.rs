//! CRL parsing: `Crl::from_der`, `Crl::from_pem`, `Crl::parse_all` on any bytes.
//!
//! Invariants: nothing panics; every accessor of a parsed CRL works; its DER parses again;
//! every error names its rule id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::assert_names_rule;
use sundhed_signing::Crl;

fn check(crl: &Crl) {
    let again = Crl::from_der(crl.der());
    assert!(again.is_ok(), "a parsed CRL's DER does not parse");
    if let Ok(again) = again {
        assert_eq!(again.der(), crl.der());
        assert_eq!(again.issuer(), crl.issuer());
    }
    let _ = (crl.this_update(), crl.next_update());
}

fuzz_target!(|data: &[u8]| {
    for outcome in [
        Crl::from_der(data).map(|c| vec![c]),
        Crl::from_pem(data),
        Crl::parse_all(data),
    ] {
        match outcome {
            Ok(crls) => crls.iter().for_each(check),
            Err(e) => assert_names_rule(&e, e.rule()),
        }
    }
});
