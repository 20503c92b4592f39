//! Hardening (issue 8): hostile inputs stay cheap, measured as work done, not wall time.
//!
//! The work of one verification is its number of RSA signature checks. A failed verification
//! does not report it, so [`signature_work`] measures it through the public budget: the
//! smallest `max_signature_checks` under which the verification is not stopped by the
//! signature budget is exactly the number of checks it does (the meter refuses the check
//! after the limit). Each test then asserts that the work does not grow with the hostile
//! part of the input (candidates, depth, CRL size, CRL count).

use sundhed_signing::{
    Budget, BudgetLimit, Cert, Crl, Policy, TrustAnchor, VerifyError, VerifyErrorKind, rules,
    verify,
};

use crate::support::{CrlSpec, Spec, chain, now, policy};

/// Far beyond anything a test here needs: "unlimited".
const UNLIMITED: usize = 1_000_000;

fn run_with(
    budget: Budget,
    anchors: &[TrustAnchor],
    intermediates: &[Cert],
    leaf: &Cert,
    crls: &[Crl],
) -> Result<usize, VerifyError> {
    let policy: Policy = policy().with_budget(budget);
    verify(anchors, &policy, leaf, intermediates, crls, now()).map(|c| c.signature_checks())
}

fn stopped_by_signature_budget(outcome: &Result<usize, VerifyError>) -> bool {
    matches!(outcome, Err(e) if e.rule() == rules::BUDGET
    && matches!(e.kind(), VerifyErrorKind::BudgetExceeded {
        budget: BudgetLimit::SignatureChecks,
        ..
    }))
}

/// The RSA checks one verification does under the given candidate and depth limits (and
/// no practical signature limit), found by bisection on the signature limit (1 means one or
/// none).
fn signature_work(
    max_candidates: usize,
    max_depth: usize,
    anchors: &[TrustAnchor],
    intermediates: &[Cert],
    leaf: &Cert,
    crls: &[Crl],
) -> usize {
    let outcome = |k| {
        run_with(
            Budget::new(k, max_candidates, max_depth),
            anchors,
            intermediates,
            leaf,
            crls,
        )
    };
    assert!(
        !stopped_by_signature_budget(&outcome(UNLIMITED)),
        "more than {UNLIMITED} signature checks"
    );
    let (mut low, mut high) = (0, UNLIMITED); // stopped at `low` (or 0), not at `high`
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if stopped_by_signature_budget(&outcome(mid)) {
            low = mid;
        } else {
            high = mid;
        }
    }
    // At least 1: a budget has no limit 0, so "none" and "one" read alike.
    high
}

#[test]
fn budget_signature_work_matches_the_count_of_a_successful_verification() {
    let (anchors, intermediates, leaf) = chain();
    let checks = run_with(Budget::default(), &anchors, &intermediates, &leaf, &[]).unwrap();
    assert_eq!(checks, 2);
    assert_eq!(
        signature_work(200, 8, &anchors, &intermediates, &leaf, &[]),
        2
    );
    // A tighter signature limit than the work is refused by the signature budget.
    let outcome = run_with(Budget::new(1, 200, 8), &anchors, &intermediates, &leaf, &[]);
    assert!(stopped_by_signature_budget(&outcome));
}

fn impostors(n: usize) -> Vec<Cert> {
    // Same name as the issuing CA, wrong key: every one is an issuer candidate of the leaf.
    let impostor = Spec {
        key: "other",
        ..Spec::ca()
    }
    .build();
    vec![impostor; n]
}

#[test]
fn budget_same_named_candidate_issuers_work_is_capped_by_the_candidate_limit() {
    let (anchors, real, leaf) = chain();
    let mut work = Vec::new();
    for n in [50, 500, 5_000] {
        let mut pool = impostors(n);
        pool.extend(real.iter().cloned());
        let w = signature_work(200, 8, &anchors, &pool, &leaf, &[]);
        work.push(w);
        // Under the default budget the verification ends with the budget error.
        if n > 100 {
            let err = verify(&anchors, &policy(), &leaf, &pool, &[], now()).unwrap_err();
            assert_eq!(err.rule(), rules::BUDGET, "{err}");
        }
    }
    eprintln!("signature checks for 50, 500, 5000 same-named impostors: {work:?}");
    // 50 impostors: one failed check each, then the real CA and the root (52).
    assert_eq!(work[0], 52);
    // Beyond the 200-candidate limit the work stops growing with the pool.
    assert!(work[1] <= 200, "{work:?}");
    assert_eq!(work[1], work[2], "{work:?}");
}

#[test]
fn budget_real_issuer_first_makes_impostors_free() {
    let (anchors, real, leaf) = chain();
    let mut pool = real.clone();
    pool.extend(impostors(5_000));
    let checks = run_with(Budget::default(), &anchors, &pool, &leaf, &[]).unwrap();
    assert_eq!(checks, 2);
}

/// A valid chain `depth` intermediates deep under the test root: `CN=Level 1` issued by the
/// root, `CN=Level i+1` by `CN=Level i`, all with the CA key, the leaf under the last one.
fn deep_chain(depth: usize) -> (Vec<Cert>, Cert) {
    let mut intermediates = Vec::new();
    let mut issuer = Spec::root().subject;
    let mut signer = "root";
    for level in 1..=depth {
        let subject = format!("CN=Level {level},O=sundhed test,C=DK");
        intermediates.push(
            Spec {
                subject: subject.clone(),
                issuer: issuer.clone(),
                signer,
                serial: 100 + u32::try_from(level).unwrap(),
                ..Spec::ca()
            }
            .build(),
        );
        issuer = subject;
        signer = "ca";
    }
    let leaf = Spec {
        issuer,
        ..Spec::leaf()
    }
    .build();
    (intermediates, leaf)
}

#[test]
fn budget_deep_chain_work_is_capped_by_the_depth_limit() {
    let (anchors, _, _) = chain();
    let mut work = Vec::new();
    for depth in [3, 12, 24] {
        let (intermediates, leaf) = deep_chain(depth);
        let outcome = run_with(Budget::default(), &anchors, &intermediates, &leaf, &[]);
        if depth + 2 <= Budget::default().max_depth() {
            assert_eq!(outcome.unwrap(), depth + 1);
        } else {
            let err = outcome.unwrap_err();
            assert_eq!(err.rule(), rules::BUDGET, "{err}");
            assert!(
                matches!(
                    err.kind(),
                    VerifyErrorKind::BudgetExceeded {
                        budget: BudgetLimit::PathLength,
                        ..
                    }
                ),
                "{err}"
            );
        }
        work.push(signature_work(200, 8, &anchors, &intermediates, &leaf, &[]));
    }
    eprintln!("signature checks for chains 3, 12, 24 deep: {work:?}");
    assert_eq!(work[0], 4);
    // The search stops at depth 8 whether the chain is 12 or 24 deep.
    assert!(work[1] < 8, "{work:?}");
    assert_eq!(work[1], work[2], "{work:?}");
}

#[test]
fn budget_huge_crl_costs_one_signature_check() {
    let (anchors, intermediates, leaf) = chain();
    let small = CrlSpec::by_ca().build();
    let huge = CrlSpec {
        // 100 000 revoked serials, none of them the leaf's (3).
        revoked: (1_000..101_000).collect(),
        ..CrlSpec::by_ca()
    }
    .build();
    assert!(huge.der().len() > 1_000_000, "{} bytes", huge.der().len());
    let with_small = run_with(Budget::default(), &anchors, &intermediates, &leaf, &[small]);
    let with_huge = run_with(Budget::default(), &anchors, &intermediates, &leaf, &[huge]);
    // Two certificate signatures and one CRL signature, whatever the CRL's size.
    assert_eq!(with_small.unwrap(), 3);
    assert_eq!(with_huge.unwrap(), 3);

    // The same huge CRL revoking the leaf: refused, still for one CRL signature.
    let revoking = CrlSpec {
        revoked: (0..100_000).collect(),
        ..CrlSpec::by_ca()
    }
    .build();
    let err = run_with(
        Budget::default(),
        &anchors,
        &intermediates,
        &leaf,
        std::slice::from_ref(&revoking),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REVOKED, "{err}");
    assert_eq!(
        signature_work(200, 8, &anchors, &intermediates, &leaf, &[revoking]),
        3
    );
}

#[test]
fn budget_many_forged_crls_are_cut_off_by_the_signature_limit() {
    let (anchors, intermediates, leaf) = chain();
    // CRLs with the CA's name signed with the wrong key.
    let forged = CrlSpec {
        signer: "other",
        ..CrlSpec::by_ca()
    }
    .build();
    for n in [10, 1_000] {
        let crls = vec![forged.clone(); n];
        let err = run_with(Budget::default(), &anchors, &intermediates, &leaf, &crls).unwrap_err();
        let expected = if n + 2 > Budget::default().max_signature_checks() {
            rules::BUDGET
        } else {
            rules::CRL_SIGNATURE
        };
        assert_eq!(err.rule(), expected, "{err}");
    }
    // Work under the default limit never passes it (checked by the meter, shown here).
    let crls = vec![forged; 1_000];
    let outcome = run_with(Budget::default(), &anchors, &intermediates, &leaf, &crls);
    assert!(stopped_by_signature_budget(&outcome));
}

/// A key-identifier extension (`SubjectKeyIdentifier` or `AuthorityKeyIdentifier`) naming `id`.
fn key_id_extension(authority: bool, id: u8) -> x509_cert::ext::Extension {
    use der::Encode;
    let value = der::asn1::OctetString::new(vec![id; 20]).unwrap();
    let (oid, der) = if authority {
        let aki = x509_cert::ext::pkix::AuthorityKeyIdentifier {
            key_identifier: Some(value),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        (
            const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            aki.to_der().unwrap(),
        )
    } else {
        let ski = x509_cert::ext::pkix::SubjectKeyIdentifier(value);
        (
            const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            ski.to_der().unwrap(),
        )
    };
    x509_cert::ext::Extension {
        extn_id: oid,
        critical: false,
        extn_value: der::asn1::OctetString::new(der).unwrap(),
    }
}

/// 150 impostors with the issuer's name (half without a key identifier, half with another
/// one) placed before the real issuer: the candidate whose subjectKeyIdentifier matches the
/// leaf's authorityKeyIdentifier is tried first, so the budget is not spent on them.
#[test]
fn budget_impostors_before_the_real_issuer_are_passed_by_key_identifier() {
    let (anchors, _, _) = chain();
    let real = Spec::ca()
        .with(|s| s.extra.push(key_id_extension(false, 1)))
        .build();
    let leaf = Spec::leaf()
        .with(|s| s.extra.push(key_id_extension(true, 1)))
        .build();
    let other_id = Spec {
        key: "other",
        ..Spec::ca()
    }
    .with(|s| s.extra.push(key_id_extension(false, 2)))
    .build();
    let mut pool = impostors(75);
    pool.extend(vec![other_id; 75]);
    pool.push(real);
    let checks = run_with(Budget::default(), &anchors, &pool, &leaf, &[]).unwrap();
    assert_eq!(checks, 2);
}
