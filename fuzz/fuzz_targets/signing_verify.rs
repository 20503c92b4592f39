//! Path validation (`verify`, `Verifier::verify`) of arbitrary chains against fixed trust
//! anchors: the OCES2, OCES3 and OCES1 roots of `testdata/fixtures` and the NIST PKITS
//! trust anchor.
//!
//! The input is a chain: PEM text (its `CERTIFICATE` and `X509 CRL` blocks) or concatenated
//! DER certificates and CRLs. The first certificate is the leaf, the others are untrusted
//! intermediates, the CRLs are the caller's. It is verified under three policies at two
//! times.
//!
//! Invariants: nothing panics; a verified chain starts at the leaf, ends at one of the
//! anchors and stays within the budget; the caching verifier agrees with the uncached one;
//! a payload signature of garbage never verifies; every error names its rule id.
#![no_main]

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sundhed_fuzz::{assert_names_rule, split_der};
use sundhed_signing::{Cert, Crl, Policy, SignatureAlgorithm, TrustAnchor, Verifier, verify};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/fixtures/");
const ANCHORS: [&str; 10] = [
    "oces2/roots/TRUST2408_OCES_Primary_CA.cer",
    "oces2/roots/TRUST2408_Systemtest_VII_Primary_CA.cer",
    "oces2/roots/TRUST2408_Systemtest_IX_Primary_CA.pem",
    "oces3/Den_Danske_Stat_OCES_rod_CA_Test_cti.pem",
    "oces3/prod/Den_Danske_Stat_OCES_rod-CA.pem",
    "oces1/roots/TDC_OCES_CA.cer",
    "oces1/roots/TDCOCESSTEST2.cer",
    "pkits/certs/TrustAnchorRootCertificate.crt",
    // Intermediates as anchors too: a chain may stop at any of them.
    "oces3/Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem",
    "oces2/intermediates/TRUST2408_Systemtest_XXII_CA.pem",
];

struct Setup {
    anchors: Vec<TrustAnchor>,
    verifiers: Vec<Verifier>,
    times: Vec<DateTime<Utc>>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let anchors: Vec<TrustAnchor> = ANCHORS
            .iter()
            .filter_map(|path| std::fs::read(format!("{FIXTURES}{path}")).ok())
            .filter_map(|bytes| TrustAnchor::parse_all(&bytes).ok())
            .flatten()
            .collect();
        assert!(
            anchors.len() >= 8,
            "fixture anchors missing under {FIXTURES}"
        );
        let verifiers = [Policy::oces2_test(), Policy::oces3(), Policy::any_policy()]
            .into_iter()
            .map(|policy| Verifier::new(anchors.clone(), policy))
            .collect();
        let times = [(2021, 6, 1), (2026, 11, 23)]
            .into_iter()
            .filter_map(|(y, m, d)| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single())
            .collect();
        Setup {
            anchors,
            verifiers,
            times,
        }
    })
}

fn chain_of(data: &[u8]) -> (Vec<Cert>, Vec<Crl>) {
    if data.windows(11).any(|w| w == b"-----BEGIN ") {
        let certs = Cert::from_pem(data).unwrap_or_default();
        let crls = Crl::from_pem(data).unwrap_or_default();
        return (certs, crls);
    }
    let mut certs = Vec::new();
    let mut crls = Vec::new();
    for piece in split_der(data) {
        if let Ok(cert) = Cert::from_der(piece) {
            certs.push(cert);
        } else if let Ok(crl) = Crl::from_der(piece) {
            crls.push(crl);
        }
    }
    (certs, crls)
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let (certs, crls) = chain_of(data);
    let Some((leaf, intermediates)) = certs.split_first() else {
        return;
    };
    for verifier in &setup.verifiers {
        let policy = verifier.policy();
        let budget = policy.budget();
        for &time in &setup.times {
            let plain = verify(&setup.anchors, policy, leaf, intermediates, &crls, time);
            let cached = verifier.verify(leaf, intermediates, &crls, time);
            assert_eq!(
                plain.is_ok(),
                cached.is_ok(),
                "the cache changed a verdict: {plain:?} / {cached:?}"
            );
            match (&plain, &cached) {
                (Ok(a), Ok(b)) => assert_eq!(a.len(), b.len()),
                (Err(a), Err(b)) => assert_eq!(a.rule(), b.rule(), "{a} / {b}"),
                _ => {}
            }
            match plain {
                Ok(chain) => {
                    assert_eq!(chain.leaf().sha256(), leaf.sha256());
                    assert!(chain.len() >= 2 && chain.len() <= budget.max_depth());
                    let anchor = chain.anchor().sha256();
                    assert!(setup.anchors.iter().any(|a| a.cert().sha256() == anchor));
                    assert_eq!(chain.certificates().last().map(Cert::sha256), Some(anchor));
                    assert!(chain.signature_checks() <= budget.max_signature_checks());
                    assert!(chain.candidates_considered() <= budget.max_candidates());
                    if let Err(e) = chain.holder() {
                        assert_names_rule(&e, e.rule());
                    }
                    for algorithm in SignatureAlgorithm::ALL {
                        let outcome = chain.verify_signature(data, data, algorithm);
                        assert!(outcome.is_err(), "the input verified as its own signature");
                        if let Err(e) = outcome {
                            assert_names_rule(&e, e.rule());
                        }
                    }
                }
                Err(e) => assert_names_rule(&e, e.rule()),
            }
        }
    }
});
