//! Rules on revocation, budget and holder identity, on chains built from `tests/keys/`.

use sundhed_signing::{Budget, Cert, Revocation, rules, verify};

use crate::support::{
    CrlSpec, ROOT, Spec, assert_rule, chain, now, policy, raw_extension, run, utc,
};

#[test]
fn sig_crl_01_revoked_leaf_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let good = CrlSpec::by_ca().build();
    run(&anchors, &intermediates, &leaf, &[good]).unwrap();
    let revoking = CrlSpec {
        revoked: vec![7, 3],
        ..CrlSpec::by_ca()
    }
    .build();
    let err = assert_rule(
        run(&anchors, &intermediates, &leaf, &[revoking]),
        rules::CRL_REVOKED,
    );
    assert_eq!(err.position(), Some(0));
}

#[test]
fn sig_crl_01_revoked_intermediate_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let root_crl = CrlSpec {
        revoked: vec![2],
        ..CrlSpec::by_root()
    }
    .build();
    let err = assert_rule(
        run(&anchors, &intermediates, &leaf, &[root_crl]),
        rules::CRL_REVOKED,
    );
    assert_eq!(err.position(), Some(1));
}

#[test]
fn sig_crl_02_wrongly_signed_crl_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let forged = CrlSpec {
        signer: "other",
        ..CrlSpec::by_ca()
    }
    .build();
    let err = assert_rule(
        run(
            &anchors,
            &intermediates,
            &leaf,
            std::slice::from_ref(&forged),
        ),
        rules::CRL_SIGNATURE,
    );
    assert_eq!(err.position(), Some(1));
    // A good CRL next to the forged one is used instead.
    let good = CrlSpec::by_ca().build();
    run(&anchors, &intermediates, &leaf, &[forged, good]).unwrap();
}

#[test]
fn sig_crl_03_stale_or_future_crl_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    for (this_update, next_update) in [
        (utc(2026, 1, 1), Some(utc(2026, 2, 1))),
        (utc(2026, 7, 1), Some(utc(2026, 8, 1))),
        (utc(2026, 5, 1), None),
    ] {
        let crl = CrlSpec {
            this_update,
            next_update,
            ..CrlSpec::by_ca()
        }
        .build();
        assert_rule(
            run(&anchors, &intermediates, &leaf, &[crl]),
            rules::CRL_CURRENT,
        );
    }
}

#[test]
fn sig_crl_04_revocation_required_without_crl_fails_closed() {
    let (anchors, intermediates, leaf) = chain();
    let required = policy().with_revocation(Revocation::Required);
    let err = verify(&anchors, &required, &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REQUIRED);
    assert_eq!(err.position(), Some(0));
    // With the leaf's CRL only, the intermediate still lacks one.
    let ca_crl = CrlSpec::by_ca().build();
    let err = verify(
        &anchors,
        &required,
        &leaf,
        &intermediates,
        std::slice::from_ref(&ca_crl),
        now(),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CRL_REQUIRED);
    assert_eq!(err.position(), Some(1));
    let root_crl = CrlSpec::by_root().build();
    let chain = verify(
        &anchors,
        &required,
        &leaf,
        &intermediates,
        &[ca_crl, root_crl],
        now(),
    )
    .unwrap();
    assert_eq!(chain.signature_checks(), 4);
}

#[test]
fn sig_crl_05_unknown_critical_crl_extension_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let crl = CrlSpec {
        extra: vec![raw_extension("1.3.6.1.4.1.99999.1", true)],
        ..CrlSpec::by_ca()
    }
    .build();
    assert_rule(
        run(&anchors, &intermediates, &leaf, std::slice::from_ref(&crl)),
        rules::CRL_EXTENSIONS,
    );
    // Not passed over because a usable CRL of the same issuer is supplied too.
    let good = CrlSpec::by_ca().build();
    assert_rule(
        run(&anchors, &intermediates, &leaf, &[good, crl]),
        rules::CRL_EXTENSIONS,
    );
}

/// A delta CRL revoking the leaf beside a usable base CRL: whatever the order and the
/// revocation mode, the path fails (PKITS 4.15.4 accepted a revoked certificate before).
#[test]
fn sig_crl_06_delta_crl_beside_a_usable_base_fails_in_any_order() {
    let (anchors, intermediates, leaf) = chain();
    let base = CrlSpec::by_ca().build();
    let delta = CrlSpec {
        extra: vec![raw_extension("2.5.29.27", true)], // deltaCRLIndicator
        revoked: vec![3],
        ..CrlSpec::by_ca()
    }
    .build();
    for revocation in [Revocation::IfAvailable, Revocation::Required] {
        let mode = policy().with_revocation(revocation);
        for crls in [[base.clone(), delta.clone()], [delta.clone(), base.clone()]] {
            let result = verify(&anchors, &mode, &leaf, &intermediates, &crls, now()).map(|_| ());
            let err = assert_rule(result, rules::CRL_KIND);
            assert!(err.to_string().contains("delta CRL"), "{err}");
        }
    }
}

/// A CRL with an issuingDistributionPoint (a partitioned CRL, as OCES2 publishes) is refused
/// even when it is marked non-critical and a full CRL is supplied beside it.
#[test]
fn sig_crl_06_partitioned_crl_is_refused_whatever_its_criticality() {
    let (anchors, intermediates, leaf) = chain();
    let full = CrlSpec::by_ca().build();
    for critical in [true, false] {
        let partitioned = CrlSpec {
            extra: vec![raw_extension("2.5.29.28", critical)],
            ..CrlSpec::by_ca()
        }
        .build();
        let err = assert_rule(
            run(
                &anchors,
                &intermediates,
                &leaf,
                &[full.clone(), partitioned],
            ),
            rules::CRL_KIND,
        );
        assert!(
            err.to_string().contains("issuingDistributionPoint"),
            "{err}"
        );
    }
}

#[test]
fn sig_budget_01_signature_budget_is_enforced() {
    let (anchors, intermediates, leaf) = chain();
    let tight = policy().with_budget(Budget::new(1, 200, 8));
    let err = verify(&anchors, &tight, &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET);
}

#[test]
fn sig_budget_01_many_same_name_impostors_stay_cheap() {
    let (anchors, intermediates, leaf) = chain();
    // 60 intermediates with the issuing CA's name and the wrong key, before the real one.
    let impostor = Spec {
        key: "other",
        ..Spec::ca()
    }
    .build();
    let mut pool: Vec<Cert> = vec![impostor; 60];
    pool.extend(intermediates);
    let tight = policy().with_budget(Budget::new(20, 200, 8));
    let err = verify(&anchors, &tight, &leaf, &pool, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET);
    let few = policy().with_budget(Budget::new(100, 10, 8));
    let err = verify(&anchors, &few, &leaf, &pool, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET);
    // The default budget finds the real CA after the impostors.
    let chain = verify(&anchors, &policy(), &leaf, &pool, &[], now()).unwrap();
    assert_eq!(chain.signature_checks(), 62);
}

#[test]
fn sig_budget_01_depth_is_capped() {
    let (anchors, intermediates, leaf) = chain();
    let shallow = policy().with_budget(Budget::new(100, 200, 2));
    let err = verify(&anchors, &shallow, &leaf, &intermediates, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET);
}

#[test]
fn root_name_constant_is_the_anchor() {
    let (anchors, _, _) = chain();
    assert!(anchors[0].subject().contains("Test Root"));
    assert_eq!(ROOT, "CN=Test Root,O=sundhed test,C=DK");
}

#[test]
fn holder_of_the_built_leaf_is_read_from_its_subject() {
    let (anchors, intermediates, leaf) = chain();
    let holder = verify(&anchors, &policy(), &leaf, &intermediates, &[], now())
        .unwrap()
        .holder()
        .unwrap();
    assert_eq!(holder.kind(), sundhed_signing::HolderKind::Employee);
    assert_eq!(holder.cvr().as_str(), "30808460");
    assert_eq!(holder.name(), "Test Person");
    assert_eq!(holder.organisation(), Some("Test Org"));
}

#[test]
fn sig_holder_02_oces2_cvr_mismatch_is_refused() {
    let (anchors, intermediates, _) = chain();
    for subject in [
        "CN=Test Person+serialNumber=CVR:30808460-RID:12345678,O=Test Org // CVR:19552101,C=DK",
        "CN=Test Person+serialNumber=CVR:30808460-RID:12345678,O=Test Org,C=DK",
    ] {
        let leaf = Spec {
            subject: subject.into(),
            ..Spec::leaf()
        }
        .build();
        let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
        let err = chain.holder().unwrap_err();
        assert_eq!(err.rule(), rules::HOLDER_CVR, "{err}");
    }
}

#[test]
fn sig_holder_01_oces2_personal_certificate_has_no_organisation() {
    let (anchors, intermediates, _) = chain();
    let leaf = Spec {
        subject: "CN=Private Person+serialNumber=PID:9208-2002-2-123456789012,C=DK".into(),
        ..Spec::leaf()
    }
    .build();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    assert_eq!(chain.holder().unwrap_err().rule(), rules::HOLDER_GRAMMAR);
}

#[test]
fn sig_holder_03_holder_kind_contradicting_the_policy_is_refused() {
    let (anchors, intermediates, _) = chain();
    // An employee (RID) serialNumber under the OCES2 VOCES (organisation) policy.
    let leaf = Spec {
        policies: vec!["1.2.208.169.1.1.1.3.4"],
        ..Spec::leaf()
    }
    .build();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    let err = chain.holder().unwrap_err();
    assert_eq!(err.rule(), rules::HOLDER_POLICY, "{err}");
}

#[test]
fn sig_budget_01_cross_signed_mesh_is_cut_off() {
    // Three "Mesh A" certificates issued by "Mesh B" and three "Mesh B" issued by "Mesh A",
    // all with valid signatures and none reaching the anchor: without a budget the search
    // would walk every A/B alternation up to the depth cap (3^7 paths).
    let a = |serial| Spec {
        subject: "CN=Mesh A,C=DK".into(),
        issuer: "CN=Mesh B,C=DK".into(),
        key: "ca",
        signer: "other",
        serial,
        ..Spec::ca()
    };
    let b = |serial| Spec {
        subject: "CN=Mesh B,C=DK".into(),
        issuer: "CN=Mesh A,C=DK".into(),
        key: "other",
        signer: "ca",
        serial,
        ..Spec::ca()
    };
    let mesh: Vec<Cert> = [a(11), a(12), a(13), b(21), b(22), b(23)]
        .iter()
        .map(Spec::build)
        .collect();
    let leaf = Spec {
        issuer: "CN=Mesh A,C=DK".into(),
        ..Spec::leaf()
    }
    .build();
    let (anchors, _, _) = chain();
    let started = std::time::Instant::now();
    let err = run(&anchors, &mesh, &leaf, &[]).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET, "{err}");
    // With the cache, repeated edges cost no RSA operation and the candidate cap stops it.
    let verifier = sundhed_signing::Verifier::new(anchors, policy());
    let err = verifier.verify(&leaf, &mesh, &[], now()).unwrap_err();
    assert_eq!(err.rule(), rules::BUDGET, "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
