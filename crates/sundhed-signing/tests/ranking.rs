//! When no path verifies, the most specific refusal across the candidate issuers is reported,
//! not the first one met: an impostor listed first must not hide the real reason.

use sundhed_signing::{Cert, Revocation, VerifyErrorKind, rules, verify};

use crate::support::{CrlSpec, Spec, chain, now, policy, utc};

/// An intermediate with the issuing CA's name and another key: the leaf's signature does not
/// verify with it.
fn impostor() -> Cert {
    Spec {
        key: "other",
        ..Spec::ca()
    }
    .build()
}

#[test]
fn ranking_impostor_before_expired_intermediate_reports_the_expiry() {
    let (anchors, _, leaf) = chain();
    let expired = Spec {
        not_after: utc(2026, 1, 1),
        ..Spec::ca()
    }
    .build();
    for pool in [
        vec![impostor(), expired.clone()],
        vec![expired.clone(), impostor()],
    ] {
        let err = verify(&anchors, &policy(), &leaf, &pool, &[], now()).unwrap_err();
        assert_eq!(err.rule(), rules::VALIDITY, "{err}");
        assert!(
            matches!(err.kind(), VerifyErrorKind::Expired { not_after, .. } if *not_after == utc(2026, 1, 1)),
            "{err}"
        );
        assert_eq!(err.position(), Some(1), "{err}");
        assert_eq!(err.subject(), Some(expired.subject()), "{err}");
    }
}

#[test]
fn ranking_impostor_before_intermediate_without_crl_reports_the_missing_crl() {
    let (anchors, intermediates, leaf) = chain();
    let required = policy().with_revocation(Revocation::Required);
    // The root's CRL covers the issuing CA; nothing covers the leaf.
    let root_crl = CrlSpec::by_root().build();
    let pool = vec![impostor(), intermediates[0].clone()];
    let err = verify(&anchors, &required, &leaf, &pool, &[root_crl], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REQUIRED, "{err}");
    assert_eq!(err.kind(), &VerifyErrorKind::RevocationStatusUnknown);
    assert_eq!(err.position(), Some(0), "{err}");
}

#[test]
fn ranking_impostor_before_revoked_intermediate_reports_the_revocation() {
    let (anchors, intermediates, leaf) = chain();
    let root_crl = CrlSpec {
        revoked: vec![2],
        ..CrlSpec::by_root()
    }
    .build();
    let pool = vec![impostor(), intermediates[0].clone()];
    let err = verify(&anchors, &policy(), &leaf, &pool, &[root_crl], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REVOKED, "{err}");
    assert_eq!(err.position(), Some(1), "{err}");
}

#[test]
fn ranking_dead_end_issuer_before_a_complete_path_reports_the_complete_path() {
    let (anchors, intermediates, leaf) = chain();
    let required = policy().with_revocation(Revocation::Required);
    // Signs the leaf (the CA's key and name) but its own issuer is nowhere: a dead end.
    let dead_end = Spec {
        issuer: "CN=Elsewhere,C=DK".into(),
        serial: 40,
        ..Spec::ca()
    }
    .build();
    let pool = vec![dead_end, intermediates[0].clone()];
    let err = verify(&anchors, &required, &leaf, &pool, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REQUIRED, "{err}");
}

#[test]
fn ranking_only_impostors_still_report_the_bad_signature() {
    let (anchors, _, leaf) = chain();
    let err = verify(&anchors, &policy(), &leaf, &[impostor()], &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CHAIN_SIGNATURE, "{err}");
    assert_eq!(err.kind(), &VerifyErrorKind::BadSignature);
    assert_eq!(err.position(), Some(0), "{err}");
}

/// Found by an attack through the public API (PKITS 4.4.2's certificates): the sub-CA is
/// revoked on its issuer's CRL, which is supplied; the leaf's own CRL is not. The path is
/// refused as revoked at position 1 — what the supplied CRL proves — not as "status unknown"
/// at the leaf.
#[test]
fn sig_crl_01_a_revoked_intermediate_outranks_a_leaf_without_crl() {
    use sundhed_signing::{Crl, Policy, TrustAnchor};

    use crate::support::fixture;

    let cert = |name: &str| Cert::from_der(&fixture(&format!("pkits/certs/{name}.crt"))).unwrap();
    let crl = |name: &str| Crl::from_der(&fixture(&format!("pkits/crls/{name}.crl"))).unwrap();
    let anchors = vec![TrustAnchor::from_cert(cert("TrustAnchorRootCertificate"))];
    let intermediates = [cert("GoodCACert"), cert("RevokedsubCACert")];
    let crls = [crl("TrustAnchorRootCRL"), crl("GoodCACRL")];
    let policy = Policy::any_policy()
        .with_revocation(Revocation::Required)
        .with_oces_leaf_profile(false);
    let leaf = cert("InvalidRevokedCATest2EE");
    let err = verify(
        &anchors,
        &policy,
        &leaf,
        &intermediates,
        &crls,
        utc(2020, 6, 15),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REVOKED, "{err}");
    assert!(
        matches!(err.kind(), VerifyErrorKind::Revoked { .. }),
        "{err}"
    );
    assert_eq!(err.position(), Some(1), "{err}");
}
