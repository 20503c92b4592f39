//! Refusals carry a kind a host can match on, with the context that decided them; the rule
//! id and the message stay as they were.

use sundhed_signing::{Budget, BudgetLimit, Policy, Revocation, VerifyErrorKind, rules, verify};

use crate::support::{
    CrlSpec, Spec, chain, now, policy, raw_extension, sub_ca_chain, utc, verify_under,
};

#[test]
fn kind_expired_and_not_yet_valid_carry_the_times() {
    let (anchors, intermediates, leaf) = chain();
    let late = utc(2028, 1, 2);
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[], late).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::Expired {
            not_after: utc(2028, 1, 1),
            time: late
        }
    );
    assert_eq!(err.rule(), rules::VALIDITY);
    let early = utc(2024, 12, 31);
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[], early).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::NotYetValid {
            not_before: utc(2025, 1, 1),
            time: early
        }
    );
    assert_eq!(err.rule(), rules::VALIDITY);
    assert!(
        err.to_string()
            .contains("is not valid at `2024-12-31T00:00:00+00:00`"),
        "{err}"
    );
}

#[test]
fn kind_budget_exceeded_names_the_budget_that_ran_out() {
    let (anchors, intermediates, leaf) = chain();
    let cases = [
        (Budget::new(1, 200, 8), BudgetLimit::SignatureChecks, 1),
        (Budget::new(100, 1, 8), BudgetLimit::IssuerCandidates, 1),
        (Budget::new(100, 200, 2), BudgetLimit::PathLength, 2),
    ];
    for (budget, which, limit) in cases {
        let tight = policy().with_budget(budget);
        let err = verify(&anchors, &tight, &leaf, &intermediates, &[], now()).unwrap_err();
        assert_eq!(
            err.kind(),
            &VerifyErrorKind::BudgetExceeded {
                budget: which,
                limit
            },
            "{err}"
        );
        assert_eq!(err.rule(), rules::BUDGET);
        assert!(
            err.to_string()
                .contains(&format!("exceeded its budget of `{limit}` {which}")),
            "{err}"
        );
    }
}

#[test]
fn kind_revoked_carries_the_revocation_date() {
    let (anchors, intermediates, leaf) = chain();
    let crl = CrlSpec {
        revoked: vec![3],
        ..CrlSpec::by_ca()
    }
    .build();
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[crl], now()).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::Revoked {
            revoked_at: utc(2026, 4, 1)
        }
    );
    assert_eq!(err.rule(), rules::CRL_REVOKED);
}

#[test]
fn kind_crl_problems_carry_their_context() {
    let (anchors, intermediates, leaf) = chain();
    let stale = CrlSpec {
        this_update: utc(2026, 1, 1),
        next_update: Some(utc(2026, 2, 1)),
        ..CrlSpec::by_ca()
    }
    .build();
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[stale], now()).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::CrlNotCurrent {
            this_update: utc(2026, 1, 1),
            next_update: Some(utc(2026, 2, 1)),
            time: now()
        }
    );
    let required = policy().with_revocation(Revocation::Required);
    let err = verify(&anchors, &required, &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::RevocationStatusUnknown);
    let forged = CrlSpec {
        signer: "other",
        ..CrlSpec::by_ca()
    }
    .build();
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[forged], now()).unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::BadCrlSignature);
    let idp = CrlSpec {
        extra: vec![raw_extension("2.5.29.28", true)],
        ..CrlSpec::by_ca()
    }
    .build();
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[idp], now()).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::UnprocessedCrl {
            crl_kind: "a partitioned or indirect CRL (issuingDistributionPoint)".into()
        }
    );
}

#[test]
fn kind_constraint_problems_carry_their_context() {
    let (anchors, _, _) = chain();
    let (ca, sub, leaf) = sub_ca_chain(0);
    let err = verify(&anchors, &policy(), &leaf, &[ca, sub], &[], now()).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::PathLenExceeded {
            allowed: 0,
            found: 1
        }
    );

    let (anchors, intermediates, _) = chain();
    let leaf = Spec {
        extra: vec![raw_extension("1.3.6.1.4.1.99999.1", true)],
        ..Spec::leaf()
    }
    .build();
    let err = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(
        err.kind(),
        &VerifyErrorKind::UnknownCriticalExtension {
            oid: "1.3.6.1.4.1.99999.1".into()
        }
    );
}

#[test]
fn kind_matches_the_rule_for_path_and_input_refusals() {
    let (anchors, _, leaf) = chain();
    let err = verify(&anchors, &policy(), &leaf, &[], &[], now()).unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::UnknownIssuer);
    assert_eq!(err.kind().rule(), rules::CHAIN_ISSUER);
    let err = verify_under(&Policy::oces3()).unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::PolicyNotAccepted);
    let err = Policy::with_policy_prefixes(&["x.y"]).unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::InvalidPolicyPrefix);
    assert_eq!(err.rule(), rules::CERTIFICATE_POLICY);
    let err = sundhed_signing::Crl::from_der(b"junk").unwrap_err();
    assert_eq!(err.kind(), &VerifyErrorKind::MalformedCrl);
    // A host matches on kinds with a wildcard arm: the enum may grow.
    let advice = match err.kind() {
        VerifyErrorKind::Expired { .. } => "renew the certificate",
        VerifyErrorKind::RevocationStatusUnknown => "fetch a current CRL",
        _ => "refuse",
    };
    assert_eq!(advice, "refuse");
}
