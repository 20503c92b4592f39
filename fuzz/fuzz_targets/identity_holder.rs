//! OCES certificate-holder ids: `Oces2Number`, `Oces2Serial`, `Oces3Uuid`,
//! `OrganizationIdentifier` and `CertificateHolderId`.
//!
//! Invariants: nothing panics; what parses round-trips through `Display`; the parts agree
//! with the whole; every error names its rule id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::{assert_names_rule, text};
use sundhed_identity::{
    CertificateHolderId, Oces2Number, Oces2Serial, Oces3Holder, Oces3Uuid, OrganizationIdentifier,
};

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else { return };

    match s.parse::<Oces2Number>() {
        Ok(n) => {
            assert_eq!(n.to_string().parse::<Oces2Number>(), Ok(n.clone()));
            assert!(n.digits().bytes().all(|b| b.is_ascii_digit()));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<Oces2Serial>() {
        Ok(serial) => {
            assert_eq!(
                serial.to_string().parse::<Oces2Serial>(),
                Ok(serial.clone())
            );
            let number = serial.number().to_string().parse::<Oces2Number>();
            assert_eq!(number.as_ref(), Ok(serial.number()));
            let _ = serial.cvr_satisfies_mod11();
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<Oces3Uuid>() {
        Ok(u) => {
            assert_eq!(u.to_string().parse::<Oces3Uuid>(), Ok(u.clone()));
            assert_eq!(
                u.to_string().to_uppercase().parse::<Oces3Uuid>(),
                Ok(u.clone())
            );
            assert!(!u.uuid().bytes().any(|b| b.is_ascii_uppercase()));
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<OrganizationIdentifier>() {
        Ok(o) => {
            assert_eq!(o.to_string().parse::<OrganizationIdentifier>(), Ok(o));
            let _ = o.cvr_satisfies_mod11();
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
    match s.parse::<CertificateHolderId>() {
        Ok(id) => {
            assert_eq!(
                id.to_string().parse::<CertificateHolderId>(),
                Ok(id.clone())
            );
            match &id {
                CertificateHolderId::Oces2(serial) => {
                    assert_eq!(s.parse::<Oces2Serial>().as_ref(), Ok(serial))
                }
                CertificateHolderId::Oces3(holder) => {
                    assert_eq!(s.parse::<Oces3Holder>().as_ref(), Ok(holder))
                }
            }
        }
        Err(e) => assert_names_rule(&e, e.rule()),
    }
});
