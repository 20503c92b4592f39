//! The signature cache saves RSA operations and never changes a verdict.

use sundhed_identity::RuleId;
use sundhed_signing::{Cert, Policy, Verifier, rules};

use crate::support::{CrlSpec, Spec, certs, chain, now, policy, utc};

fn verifier() -> (Verifier, Vec<Cert>, Cert) {
    let (anchors, intermediates, leaf) = chain();
    (Verifier::new(anchors, policy()), intermediates, leaf)
}

#[test]
fn second_leaf_under_the_same_ca_costs_one_signature_check() {
    let (verifier, intermediates, leaf) = verifier();
    let first = verifier.verify(&leaf, &intermediates, &[], now()).unwrap();
    assert_eq!((first.signature_checks(), first.cache_hits()), (2, 0));
    assert_eq!(verifier.cached_signatures(), 2);

    let other_leaf = Spec {
        serial: 99,
        ..Spec::leaf()
    }
    .build();
    let second = verifier
        .verify(&other_leaf, &intermediates, &[], now())
        .unwrap();
    assert_eq!((second.signature_checks(), second.cache_hits()), (1, 1));

    let uncached = verifier
        .verify_uncached(&other_leaf, &intermediates, &[], now())
        .unwrap();
    assert_eq!((uncached.signature_checks(), uncached.cache_hits()), (2, 0));

    verifier.clear_cache();
    assert_eq!(verifier.cached_signatures(), 0);
}

#[test]
fn cache_never_changes_a_verdict() {
    let (verifier, intermediates, leaf) = verifier();
    verifier.verify(&leaf, &intermediates, &[], now()).unwrap();

    // Each case fails the same way with a warm cache, a cold cache and no cache at all.
    let expired = Spec {
        serial: 10,
        not_after: utc(2026, 1, 1),
        ..Spec::leaf()
    }
    .build();
    let mut tampered_der = Spec {
        serial: 11,
        ..Spec::leaf()
    }
    .build_der();
    let last = tampered_der.len() - 1;
    tampered_der[last] ^= 1;
    let tampered = Cert::from_der(&tampered_der).unwrap();
    let revoked_crl = CrlSpec {
        revoked: vec![3],
        ..CrlSpec::by_ca()
    }
    .build();

    let cases: Vec<(
        Cert,
        Vec<sundhed_signing::Crl>,
        chrono::DateTime<chrono::Utc>,
        RuleId,
    )> = vec![
        (expired, vec![], now(), rules::VALIDITY),
        (tampered, vec![], now(), rules::CHAIN_SIGNATURE),
        (leaf.clone(), vec![revoked_crl], now(), rules::CRL_REVOKED),
        // The intermediate's signature is cached, but the intermediate has expired by 2036.
        (leaf.clone(), vec![], utc(2036, 1, 1), rules::VALIDITY),
    ];
    for (cert, crls, at, rule) in cases {
        let warm = verifier
            .verify(&cert, &intermediates, &crls, at)
            .unwrap_err();
        let none = verifier
            .verify_uncached(&cert, &intermediates, &crls, at)
            .unwrap_err();
        let cold = Verifier::new(verifier.anchors().to_vec(), policy())
            .verify(&cert, &intermediates, &crls, at)
            .unwrap_err();
        assert_eq!(warm.rule(), rule, "{warm}");
        assert_eq!(warm, none);
        assert_eq!(warm, cold);
    }
    // And the good leaf still verifies.
    verifier.verify(&leaf, &intermediates, &[], now()).unwrap();
}

#[test]
fn cache_is_keyed_by_issuer_too() {
    // The same leaf DER under an impostor CA (same name, other key) is not a cache hit.
    let (verifier, intermediates, leaf) = verifier();
    verifier.verify(&leaf, &intermediates, &[], now()).unwrap();
    let impostor = Spec {
        key: "other",
        ..Spec::ca()
    }
    .build();
    let err = verifier.verify(&leaf, &[impostor], &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CHAIN_SIGNATURE);
}

#[test]
fn oces3_second_leaf_costs_one_rsa_verification() {
    let anchors = crate::support::anchors("oces3/Den_Danske_Stat_OCES_rod_CA_Test_cti.pem");
    let intermediates = certs("oces3/Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem");
    let verifier = Verifier::new(anchors, Policy::oces3());
    let at = utc(2026, 4, 1);
    let first = certs("oces3/history/b2b-test-system_2023-04.pem").remove(0);
    let second = certs("oces3/b2b-test-system.pem").remove(0);
    assert_eq!(
        verifier
            .verify(&first, &intermediates, &[], at)
            .unwrap()
            .signature_checks(),
        2
    );
    let again = verifier.verify(&second, &intermediates, &[], at).unwrap();
    assert_eq!((again.signature_checks(), again.cache_hits()), (1, 1));
}

/// Prints wall-clock figures for the report; run with
/// `cargo test --release -p sundhed-signing --test signing timing -- --ignored --nocapture`.
#[test]
#[ignore = "timing figures, not a check"]
fn timing_oces3_chain_cached_and_uncached() {
    let anchors = crate::support::anchors("oces3/Den_Danske_Stat_OCES_rod_CA_Test_cti.pem");
    let intermediates = certs("oces3/Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem");
    let leaf = certs("oces3/b2b-test-system.pem").remove(0);
    let verifier = Verifier::new(anchors, Policy::oces3());
    let at = utc(2027, 1, 1);
    let rounds: u32 = 50;
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        verifier
            .verify_uncached(&leaf, &intermediates, &[], at)
            .unwrap();
    }
    let uncached = start.elapsed() / rounds;
    verifier.verify(&leaf, &intermediates, &[], at).unwrap();
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        verifier.verify(&leaf, &intermediates, &[], at).unwrap();
    }
    let cached = start.elapsed() / rounds;
    println!(
        "OCES3 test chain: uncached {uncached:?} per verify (2 RSA-PSS), fully cached {cached:?}"
    );
}
