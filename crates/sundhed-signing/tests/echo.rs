//! ID-CPR-06 through signing: a certificate is anyone's until it verifies, so the subject an
//! error repeats is cut, escaped and has CPR-shaped digits masked. Found by an attack through
//! the public API: a leaf whose CN carried `070761-4285` and a line break came back raw in
//! `Display`, `Debug` and `subject()`.

use sundhed_signing::{Cert, Policy, rules, verify};

use crate::support::{anchors, fixture, utc};

/// The DER of the real test leaf with `from` replaced by `to` (same length) inside its subject.
fn patched_leaf(from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let pem = fixture("oces2/chains/PP/MOCES_gyldig.chain.pem");
    let leaf = Cert::parse_all(&pem).unwrap().remove(0);
    let mut der = leaf.der().to_vec();
    let at = der
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap();
    der[at..at + to.len()].copy_from_slice(to.as_bytes());
    der
}

#[test]
fn id_cpr_06_a_forged_subject_is_masked_and_escaped_in_the_error() {
    let der = patched_leaf("TU GENEREL MOCES gyldig", "Afd 070761-4285\nX\r\tYYYY");
    let leaf = Cert::from_der(&der).unwrap();
    assert!(leaf.subject().contains("070761-4285"), "the patch took");
    let intermediates: Vec<Cert> =
        Cert::parse_all(&fixture("oces2/chains/PP/MOCES_gyldig.chain.pem"))
            .unwrap()
            .split_off(1);
    let err = verify(
        &anchors("oces2/roots/TRUST2408_Systemtest_VII_Primary_CA.cer"),
        &Policy::oces2_test(),
        &leaf,
        &intermediates,
        &[],
        utc(2018, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CHAIN_SIGNATURE, "{err}");
    for text in [
        err.to_string(),
        format!("{err:?}"),
        err.subject().unwrap_or_default().to_owned(),
    ] {
        assert!(!text.contains("4285"), "{text}");
        assert!(!text.contains(['\n', '\r', '\t']), "{text}");
        assert!(text.contains("070761-xxxx"), "{text}");
    }
}

/// The same for a name the error repeats from another field: a forged issuer name (no issuer
/// then matches) and the certificate's own `Debug`.
#[test]
fn id_cpr_06_a_forged_issuer_is_masked_and_escaped_in_the_error() {
    // "TRUST2408 Systemtest XIX CA" first appears in the issuer field of the leaf.
    let der = patched_leaf(
        "TRUST2408 Systemtest XIX CA",
        "Afd 070761-4285\nXIX CA xxxx",
    );
    let leaf = Cert::from_der(&der).unwrap();
    assert!(leaf.issuer().contains("070761-4285"), "the patch took");
    let err = verify(
        &anchors("oces2/roots/TRUST2408_Systemtest_VII_Primary_CA.cer"),
        &Policy::oces2_test(),
        &leaf,
        &[],
        &[],
        utc(2018, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CHAIN_ISSUER, "{err}");
    for text in [err.to_string(), format!("{err:?}"), format!("{leaf:?}")] {
        assert!(!text.contains("4285"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }
}
