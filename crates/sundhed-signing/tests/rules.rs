//! One failing case (at least) per SIG rule, on chains built from the keys in `tests/keys/`.

use sundhed_signing::{Cert, Crl, Policy, SignatureAlgorithm, rules, verify};
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};

use crate::support::{
    CrlSpec, LEAF, Spec, assert_rule, chain, now, policy, raw_extension, refused_with_ca,
    refused_with_ca_and_leaf, refused_with_leaf, refused_with_leaf_der, run, sub_ca_chain, utc,
    verify_under,
};

#[test]
fn the_standard_chain_verifies() {
    let (anchors, intermediates, leaf) = chain();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain.anchor().subject(), anchors[0].subject());
    assert_eq!(chain.signature_checks(), 2);
    assert_eq!(chain.accepted_policy(), Some("1.2.208.169.1.1.1.2.4"));
}

#[test]
fn intermediates_in_any_order_and_extra_ones_are_fine() {
    let (anchors, intermediates, leaf) = chain();
    let unrelated = Spec::ca()
        .with(|s| s.subject = "CN=Unrelated CA,O=sundhed test,C=DK".into())
        .build();
    let pool = vec![
        unrelated,
        anchors[0].cert().clone(),
        intermediates[0].clone(),
    ];
    run(&anchors, &pool, &leaf, &[]).unwrap();
}

#[test]
fn sig_parse_01_garbage_is_refused() {
    let err = Cert::from_der(b"\x30\x03\x02\x01\x01").unwrap_err();
    assert_eq!(err.rule(), rules::PARSE_CERT);
    let err = Cert::parse_all(b"-----BEGIN NOTHING-----\n-----END NOTHING-----\n").unwrap_err();
    assert_eq!(err.rule(), rules::PARSE_CERT);
    // Trailing bytes after the certificate are refused too.
    let mut der = Spec::leaf().build_der();
    der.push(0);
    assert_eq!(Cert::from_der(&der).unwrap_err().rule(), rules::PARSE_CERT);
}

#[test]
fn sig_parse_02_garbage_crl_is_refused() {
    let err = Crl::from_der(b"\x30\x00").unwrap_err();
    assert_eq!(err.rule(), rules::PARSE_CRL);
    assert_eq!(
        Crl::parse_all(b"-----BEGIN X509 CRL-----\n")
            .unwrap_err()
            .rule(),
        rules::PARSE_CRL
    );
}

#[test]
fn sig_parse_03_repeated_extension_is_refused() {
    let (anchors, intermediates, _) = chain();
    let ku = KeyUsage(KeyUsages::DigitalSignature.into());
    let mut spec = Spec::leaf();
    spec.extra = vec![
        x509_cert::ext::ToExtension::to_extension(&ku, &"CN=x".parse().unwrap(), &[]).unwrap(),
    ];
    let err = assert_rule(
        run(&anchors, &intermediates, &spec.build(), &[]),
        rules::PARSE_EXTENSION,
    );
    assert_eq!(err.position(), Some(0));
}

#[test]
fn sig_chain_01_unknown_issuer_is_refused() {
    let (anchors, _, leaf) = chain();
    let err = assert_rule(run(&anchors, &[], &leaf, &[]), rules::CHAIN_ISSUER);
    assert_eq!(err.position(), Some(0));
    assert_eq!(err.subject(), Some(leaf.subject()));
}

#[test]
fn sig_chain_01_wrong_issuer_name_is_refused() {
    let leaf = Spec::leaf().with(|s| s.issuer = "CN=Some Other CA,O=sundhed test,C=DK".into());
    refused_with_leaf(leaf, rules::CHAIN_ISSUER);
}

#[test]
fn sig_chain_02_bad_signature_is_refused() {
    let mut der = Spec::leaf().build_der();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let err = refused_with_leaf_der(&der, rules::CHAIN_SIGNATURE);
    assert_eq!(err.position(), Some(0));
}

#[test]
fn sig_chain_02_tampered_tbs_is_refused() {
    let mut der = Spec::leaf().build_der();
    // Change one letter of the subject's common name inside the signed part.
    let at = der.windows(6).position(|w| w == b"Person").unwrap();
    der[at] = b'p';
    refused_with_leaf_der(&der, rules::CHAIN_SIGNATURE);
}

#[test]
fn sig_chain_02_same_name_other_key_is_refused() {
    // An intermediate with the right name but another key: the leaf's signature fails.
    let impostor = Spec::ca().with(|s| s.key = "other");
    let err = refused_with_ca(impostor, rules::CHAIN_SIGNATURE);
    assert_eq!(err.position(), Some(0));
}

#[test]
fn sig_chain_03_self_signed_leaf_that_is_not_an_anchor_is_refused() {
    let leaf = Spec {
        issuer: LEAF.into(),
        signer: "leaf",
        ..Spec::leaf()
    };
    refused_with_leaf(leaf, rules::CHAIN_LOOP);
}

#[test]
fn sig_chain_03_name_loops_end() {
    // Two CAs that issue each other, neither chaining to the anchor.
    let ca = |subject: &str, issuer: &str, key, signer| Spec {
        subject: subject.into(),
        issuer: issuer.into(),
        key,
        signer,
        ..Spec::ca()
    };
    let a = ca("CN=Loop A,C=DK", "CN=Loop B,C=DK", "ca", "other");
    let b = ca("CN=Loop B,C=DK", "CN=Loop A,C=DK", "other", "ca");
    let leaf = Spec::leaf()
        .with(|s| s.issuer = "CN=Loop A,C=DK".into())
        .build();
    let (anchors, _, _) = chain();
    assert_rule(
        run(&anchors, &[a.build(), b.build()], &leaf, &[]),
        rules::CHAIN_LOOP,
    );
}

#[test]
fn sig_alg_01_algorithm_mismatch_is_refused() {
    let mut der = Spec::leaf().build_der();
    // sha256WithRSAEncryption (…1.1.11) appears in the TBS and outside it; change the outer
    // one (the last occurrence) to sha384WithRSAEncryption (…1.1.12).
    let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    let at = der.windows(oid.len()).rposition(|w| w == oid).unwrap();
    der[at + oid.len() - 1] = 0x0c;
    let err = refused_with_leaf_der(&der, rules::ALG_MATCH);
    assert_eq!(err.position(), Some(0));
}

#[test]
fn sig_alg_02_algorithm_not_allowed_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let pss_only = policy().with_algorithms(&[SignatureAlgorithm::RsaPssSha256]);
    let err = verify(&anchors, &pss_only, &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::ALG_ALLOWED);
}

#[test]
fn sig_alg_02_sha1_oces1_certificate_is_refused() {
    let anchors = crate::support::anchors("oces1/roots/TDCOCESSTEST2.cer");
    let leaf = crate::support::certs("oces1/leaves/VicValidVOCES.pem").remove(0);
    let policy = Policy::any_policy().with_min_rsa_bits(1024);
    let err = verify(&anchors, &policy, &leaf, &[], &[], utc(2013, 6, 1)).unwrap_err();
    assert_eq!(err.rule(), rules::ALG_ALLOWED, "{err}");
}

#[test]
fn sig_key_01_small_leaf_key_is_refused() {
    let leaf = Spec::leaf().with(|s| s.key = "small-1024");
    let err = refused_with_leaf(leaf.clone(), rules::KEY_SIZE);
    assert_eq!(err.position(), Some(0));
    // Allowed when the caller lowers the minimum.
    let (anchors, intermediates, _) = chain();
    let lenient = policy().with_min_rsa_bits(1024);
    verify(
        &anchors,
        &lenient,
        &leaf.build(),
        &intermediates,
        &[],
        now(),
    )
    .unwrap();
}

#[test]
fn sig_key_01_small_intermediate_key_is_refused() {
    let ca = Spec::ca().with(|s| s.key = "small-1024");
    let leaf = Spec::leaf().with(|s| s.signer = "small-1024");
    let err = refused_with_ca_and_leaf(ca, leaf, rules::KEY_SIZE);
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_time_01_expired_or_not_yet_valid_leaf_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    for at in [utc(2024, 12, 31), utc(2028, 1, 2)] {
        let err = verify(&anchors, &policy(), &leaf, &intermediates, &[], at).unwrap_err();
        assert_eq!(err.rule(), rules::VALIDITY);
        assert_eq!(err.position(), Some(0));
    }
    // Both ends are inclusive.
    for at in [utc(2025, 1, 1), utc(2028, 1, 1)] {
        verify(&anchors, &policy(), &leaf, &intermediates, &[], at).unwrap();
    }
}

#[test]
fn sig_time_01_expired_intermediate_is_refused() {
    let ca = Spec::ca().with(|s| s.not_after = utc(2026, 1, 1));
    let err = refused_with_ca(ca, rules::VALIDITY);
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_time_01_reversed_validity_is_never_valid() {
    let leaf = Spec {
        not_before: utc(2027, 1, 1),
        not_after: utc(2025, 1, 1),
        ..Spec::leaf()
    };
    refused_with_leaf(leaf, rules::VALIDITY);
}

#[test]
fn sig_bc_01_ca_flag_missing_is_refused() {
    let (anchors, _, leaf) = chain();
    for basic_constraints in [None, Some((false, None))] {
        let ca = Spec {
            basic_constraints,
            ..Spec::ca()
        }
        .build();
        let err = assert_rule(run(&anchors, &[ca], &leaf, &[]), rules::BC_CA);
        assert_eq!(err.position(), Some(1));
    }
}

#[test]
fn sig_bc_02_ca_certificate_as_leaf_is_refused() {
    let leaf = Spec {
        basic_constraints: Some((true, None)),
        key_usage: None,
        ..Spec::leaf()
    };
    refused_with_leaf(leaf, rules::BC_LEAF);
}

#[test]
fn sig_bc_03_path_len_exceeded_is_refused() {
    let (anchors, _, _) = chain();
    let (ca, sub, leaf) = sub_ca_chain(0);
    let err = assert_rule(
        run(&anchors, &[ca, sub.clone()], &leaf, &[]),
        rules::BC_PATH_LEN,
    );
    assert_eq!(err.position(), Some(2));
    // pathLen 1 allows the sub-CA.
    let (ca1, _, _) = sub_ca_chain(1);
    run(&anchors, &[ca1, sub], &leaf, &[]).unwrap();
}

#[test]
fn sig_ku_01_key_cert_sign_missing_is_refused() {
    let ca = Spec::ca().with(|s| s.key_usage = Some(KeyUsage(KeyUsages::CRLSign.into())));
    let err = refused_with_ca(ca, rules::KU_CERT_SIGN);
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_ku_02_crl_sign_missing_makes_the_crl_unusable() {
    let (anchors, _, leaf) = chain();
    let ca_spec = Spec::ca().with(|s| s.key_usage = Some(KeyUsage(KeyUsages::KeyCertSign.into())));
    let crl = CrlSpec {
        issuer: ca_spec.clone(),
        ..CrlSpec::by_ca()
    }
    .build();
    let err = assert_rule(
        run(&anchors, &[ca_spec.build()], &leaf, &[crl]),
        rules::KU_CRL_SIGN,
    );
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_ku_03_leaf_without_signing_key_usage_is_refused() {
    let (anchors, intermediates, _) = chain();
    for usage in [KeyUsages::KeyEncipherment, KeyUsages::KeyCertSign] {
        let leaf = Spec::leaf()
            .with(|s| s.key_usage = Some(KeyUsage(usage.into())))
            .build();
        assert_rule(run(&anchors, &intermediates, &leaf, &[]), rules::KU_LEAF);
    }
}

#[test]
fn sig_ext_01_unknown_critical_extension_is_refused() {
    let leaf = Spec::leaf().with(|s| s.extra = vec![raw_extension("1.3.6.1.4.1.99999.1", true)]);
    refused_with_leaf(leaf, rules::EXT_CRITICAL);
    // The same extension, not critical, is ignored.
    let (anchors, intermediates, _) = chain();
    let leaf = Spec::leaf()
        .with(|s| s.extra = vec![raw_extension("1.3.6.1.4.1.99999.1", false)])
        .build();
    run(&anchors, &intermediates, &leaf, &[]).unwrap();
}

#[test]
fn sig_ext_01_unknown_critical_extension_on_intermediate_is_refused() {
    let ca = Spec {
        extra: vec![raw_extension("1.3.6.1.4.1.99999.7", true)], // private, unknown
        ..Spec::ca()
    };
    let err = refused_with_ca(ca, rules::EXT_CRITICAL);
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_policy_01_policy_not_accepted_is_refused() {
    let err = verify_under(&Policy::oces3()).unwrap_err();
    assert_eq!(err.rule(), rules::CERTIFICATE_POLICY);
    assert!(err.to_string().contains("1.2.208.169.1.1.1.2.4"), "{err}");
    // A leaf without any policy is refused too, unless any policy is accepted.
    let (anchors, intermediates, _) = chain();
    let bare = Spec::leaf().with(|s| s.policies = vec![]).build();
    assert_rule(
        run(&anchors, &intermediates, &bare, &[]),
        rules::CERTIFICATE_POLICY,
    );
    verify(
        &anchors,
        &Policy::any_policy(),
        &bare,
        &intermediates,
        &[],
        now(),
    )
    .unwrap();
    // A bad prefix is refused when the policy is made.
    assert_eq!(
        Policy::with_policy_prefixes(&["x.y"]).unwrap_err().rule(),
        rules::CERTIFICATE_POLICY
    );
}

#[test]
fn sig_ext_02_policy_and_name_constraints_are_refused_whatever_their_criticality() {
    // policyConstraints, policyMappings, inhibitAnyPolicy, nameConstraints.
    for oid in ["2.5.29.36", "2.5.29.33", "2.5.29.54", "2.5.29.30"] {
        for critical in [false, true] {
            let ca = crate::support::Spec::ca()
                .with(|s| s.extra.push(crate::support::raw_extension(oid, critical)));
            let err = crate::support::refused_with_ca(ca, sundhed_signing::rules::EXT_CONSTRAINTS);
            assert_eq!(err.position(), Some(1), "{err}");
        }
        let leaf = crate::support::Spec::leaf()
            .with(|s| s.extra.push(crate::support::raw_extension(oid, false)));
        crate::support::refused_with_leaf(leaf, sundhed_signing::rules::EXT_CONSTRAINTS);
    }
}
