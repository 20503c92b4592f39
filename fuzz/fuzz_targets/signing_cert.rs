//! Certificate parsing: `Cert::from_der`, `Cert::from_pem`, `Cert::parse_all` on any bytes.
//!
//! Invariants: nothing panics; every accessor of a parsed certificate works; a parsed
//! certificate's DER parses again to the same certificate; every error names its rule id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::assert_names_rule;
use sundhed_signing::Cert;

fn check(cert: &Cert) {
    let again = Cert::from_der(cert.der());
    assert!(again.is_ok(), "a parsed certificate's DER does not parse");
    if let Ok(again) = again {
        assert_eq!(again.sha256(), cert.sha256());
        assert_eq!(again.subject(), cert.subject());
    }
    let _ = (
        cert.issuer(),
        cert.serial_hex(),
        cert.not_before(),
        cert.not_after(),
    );
    let _ = format!("{cert:?}");
}

fuzz_target!(|data: &[u8]| {
    for outcome in [
        Cert::from_der(data).map(|c| vec![c]),
        Cert::from_pem(data),
        Cert::parse_all(data),
    ] {
        match outcome {
            Ok(certs) => certs.iter().for_each(check),
            Err(e) => assert_names_rule(&e, e.rule()),
        }
    }
});
