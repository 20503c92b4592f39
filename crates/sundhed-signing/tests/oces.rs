//! Real OCES2 and OCES3 certificates from testdata/fixtures (see its README).

use chrono::{DateTime, Duration, Utc};
use sundhed_identity::CertificateHolderId;
use sundhed_signing::{
    Cert, HolderKind, OcesGeneration, Policy, SignatureAlgorithm, TrustAnchor, VerifiedChain,
    rules, verify,
};

use crate::support::{anchors, certs, utc};

const OCES3_TEST_ROOT: &str = "oces3/Den_Danske_Stat_OCES_rod_CA_Test_cti.pem";
const OCES3_TEST_CA: &str = "oces3/Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem";
const OCES3_PROD_ROOT: &str = "oces3/prod/Den_Danske_Stat_OCES_rod-CA.pem";
const OCES3_PROD_CA: &str = "oces3/prod/Den_Danske_Stat_OCES_udstedende-CA_1.pem";

fn oces3_test(
    leaf: &str,
    at: DateTime<Utc>,
) -> Result<VerifiedChain, sundhed_signing::VerifyError> {
    let leaf = certs(leaf).remove(0);
    verify(
        &anchors(OCES3_TEST_ROOT),
        &Policy::oces3(),
        &leaf,
        &certs(OCES3_TEST_CA),
        &[],
        at,
    )
}

fn id_text(id: &CertificateHolderId) -> String {
    match id {
        CertificateHolderId::Oces2(serial) => serial.number().digits().to_owned(),
        CertificateHolderId::Oces3(holder) => holder.uuid().uuid().to_owned(),
    }
}

#[test]
fn oces3_test_system_certificate_verifies_in_its_validity() {
    let chain = oces3_test("oces3/b2b-test-system.pem", utc(2027, 1, 1)).unwrap();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain.accepted_policy(), Some("1.2.208.169.1.1.1.3.7.1"));
    // Root → issuing CA is RSASSA-PSS SHA-512/salt 64, issuing CA → leaf SHA-256/salt 32.
    assert_eq!(chain.signature_checks(), 2);
    let holder = chain.holder().unwrap();
    assert_eq!(holder.generation(), OcesGeneration::Oces3);
    assert_eq!(holder.kind(), HolderKind::Organisation);
    assert_eq!(holder.cvr().as_str(), "19552101");
    assert_eq!(id_text(holder.id()), "5e50b9bb-22fd-483d-baf7-fd077ed975f5");
    assert_eq!(
        holder.id().cvr(),
        holder.cvr(),
        "the holder id carries its CVR"
    );
    assert_eq!(holder.name(), "Skatteministeriet - B2B gateway TSE TEST");
    assert_eq!(holder.organisation(), Some("Skatteforvaltningen"));
}

#[test]
fn oces3_test_system_certificate_fails_outside_its_validity() {
    for at in [utc(2030, 1, 1), utc(2026, 1, 1)] {
        let err = oces3_test("oces3/b2b-test-system.pem", at).unwrap_err();
        assert_eq!(err.rule(), rules::VALIDITY, "{err}");
        assert_eq!(err.position(), Some(0));
        assert!(err.subject().unwrap().contains("B2B gateway TSE TEST"));
    }
}

#[test]
fn oces3_production_system_certificate_verifies_under_the_production_root() {
    let leaf = certs("oces3/b2b-prod-system.pem").remove(0);
    let chain = verify(
        &anchors(OCES3_PROD_ROOT),
        &Policy::oces3_organisation(),
        &leaf,
        &certs(OCES3_PROD_CA),
        &[],
        utc(2027, 1, 1),
    )
    .unwrap();
    let holder = chain.holder().unwrap();
    assert_eq!(holder.kind(), HolderKind::Organisation);
    assert_eq!(holder.cvr().as_str(), "19552101");
    assert_eq!(id_text(holder.id()), "bf204036-6f12-4d62-bcc7-5930618355c6");
    assert_eq!(
        holder.id().cvr(),
        holder.cvr(),
        "the holder id carries its CVR"
    );
    assert_eq!(holder.name(), "Skatteforvaltningen - B2B gateway TSE");

    // The production leaf does not chain to the test root (the names differ: no `OU`).
    let err = verify(
        &anchors(OCES3_TEST_ROOT),
        &Policy::oces3(),
        &leaf,
        &certs(OCES3_TEST_CA),
        &[],
        utc(2027, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CHAIN_ISSUER);
}

#[test]
fn oces3_history_and_test_leaves_verify_at_their_time() {
    let at = utc(2024, 6, 1);
    let cases = [
        (
            "oces3/history/b2b-test-system_2023-04.pem",
            HolderKind::Organisation,
            "5e50b9bb-22fd-483d-baf7-fd077ed975f5",
            "Skatteministeriet - B2B gateway TSE TEST",
            "19552101",
        ),
        (
            "oces3/leaves/Luca_Pacioli.pem",
            HolderKind::Employee,
            "b949e756-1593-475e-a4bf-0e4348442b6d",
            "Luca Pacioli",
            "19552101",
        ),
        (
            "oces3/leaves/LucaPacioli_ApS_System_Integrationstest_S1.pem",
            HolderKind::Organisation,
            "301df740-7665-4bc7-8d52-7eecb64d8e31",
            "LucaPacioli_ApS_System_Integrationstest_S1",
            "19552101",
        ),
        (
            "oces3/leaves/LucaPacioli_ApS_Organisation_Integrationstest_O1.pem",
            HolderKind::Organisation,
            "c0642b92-954c-4312-bd2b-517fb319452d",
            "LucaPacioli_ApS_Organisation_Integrationstest_O1",
            "19552101",
        ),
        (
            "oces3/leaves/LucaPacioli_ApS_Organisation_Integrationstest_O1_revoked.pem",
            HolderKind::Organisation,
            "d8b851c0-3a82-48ab-8542-0be4113e85a4",
            "LucaPacioli_ApS_Organisation_Integrationstest_O1",
            "30808460",
        ),
    ];
    for (file, kind, uuid, name, cvr) in cases {
        let chain = oces3_test(file, at).unwrap_or_else(|e| panic!("{file}: {e}"));
        let holder = chain.holder().unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(holder.kind(), kind, "{file}");
        assert_eq!(id_text(holder.id()), uuid, "{file}");
        assert_eq!(
            holder.id().cvr(),
            holder.cvr(),
            "the holder id carries its CVR"
        );
        assert_eq!(holder.name(), name, "{file}");
        assert_eq!(holder.cvr().as_str(), cvr, "{file}");
    }
    // The employee policy preset accepts the employee certificate and not the system one.
    let employee = certs("oces3/leaves/Luca_Pacioli.pem").remove(0);
    let system = certs("oces3/leaves/LucaPacioli_ApS_System_Integrationstest_S1.pem").remove(0);
    let (root, ca) = (anchors(OCES3_TEST_ROOT), certs(OCES3_TEST_CA));
    verify(&root, &Policy::oces3_employee(), &employee, &ca, &[], at).unwrap();
    let err = verify(&root, &Policy::oces3_employee(), &system, &ca, &[], at).unwrap_err();
    assert_eq!(err.rule(), rules::CERTIFICATE_POLICY);
}

#[test]
fn oces3_certificates_need_pss_allowed() {
    let leaf = certs("oces3/b2b-test-system.pem").remove(0);
    let pkcs1_only = Policy::oces3().with_algorithms(&[SignatureAlgorithm::RsaPkcs1Sha256]);
    let err = verify(
        &anchors(OCES3_TEST_ROOT),
        &pkcs1_only,
        &leaf,
        &certs(OCES3_TEST_CA),
        &[],
        utc(2027, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::ALG_ALLOWED);
}

#[test]
fn oces3_leaf_is_refused_under_an_oces2_policy() {
    let leaf = certs("oces3/b2b-test-system.pem").remove(0);
    let err = verify(
        &anchors(OCES3_TEST_ROOT),
        &Policy::oces2(),
        &leaf,
        &certs(OCES3_TEST_CA),
        &[],
        utc(2027, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CERTIFICATE_POLICY);
}

fn oces2_anchors() -> Vec<TrustAnchor> {
    let mut all = anchors("oces2/roots/TRUST2408_Systemtest_VII_Primary_CA.cer");
    all.extend(anchors(
        "oces2/roots/TRUST2408_Systemtest_IX_Primary_CA.pem",
    ));
    all.extend(anchors("oces2/roots/TRUST2408_OCES_Primary_CA.cer"));
    all
}

/// Every OCES2 chain of the fixtures, with the holder its subject names.
const OCES2_CHAINS: [(&str, HolderKind, &str, &str, &str); 24] = [
    (
        "IG/tc01-valid-moces-cpr1",
        HolderKind::Employee,
        "26912865",
        "82139564",
        "Test 1602763141",
    ),
    (
        "IG/tc06-valid-moces-no-intermediatecert",
        HolderKind::Employee,
        "26912865",
        "20751431",
        "Test 1602760045",
    ),
    (
        "PP/FOCES_gyldig",
        HolderKind::System,
        "30808460",
        "94731315",
        "TU GENEREL FOCES gyldig (funktionscertifikat)",
    ),
    (
        "PP/FOCES_spaerret",
        HolderKind::System,
        "30808460",
        "45327473",
        "TU GENEREL FOCES spærret (funktionscertifikat)",
    ),
    (
        "PP/FOCES_udloebet",
        HolderKind::System,
        "30808460",
        "50912949",
        "TU GENEREL FOCES udløbet PremExp1d1h (funktionscertifikat)",
    ),
    (
        "PP/MOCES_cpr_gyldig",
        HolderKind::Employee,
        "30808460",
        "42634739",
        "TU GENEREL MOCES M CPR gyldig",
    ),
    (
        "PP/MOCES_gyldig",
        HolderKind::Employee,
        "30808460",
        "45490598",
        "TU GENEREL MOCES gyldig",
    ),
    (
        "PP/MOCES_spaerret",
        HolderKind::Employee,
        "30808460",
        "83408167",
        "TU GENEREL MOCES spærret",
    ),
    (
        "PP/MOCES_udloebet",
        HolderKind::Employee,
        "30808460",
        "97517995",
        "TU GENEREL MOCES udløbet PremExp1d1h",
    ),
    (
        "PP/VOCES_avanceret",
        HolderKind::Organisation,
        "30808460",
        "25652084",
        "NETS DANID A/S - TU VOCES avanceret",
    ),
    (
        "PP/VOCES_gyldig",
        HolderKind::Organisation,
        "30808460",
        "25351738",
        "NETS DANID A/S - TU VOCES gyldig",
    ),
    (
        "PP/VOCES_spaerret",
        HolderKind::Organisation,
        "30808460",
        "79909515",
        "NETS DANID A/S - TU VOCES spærret",
    ),
    (
        "PP/VOCES_udloebet",
        HolderKind::Organisation,
        "30808460",
        "76488567",
        "NETS DANID A/S - Udløbet PremExp1d1h",
    ),
    (
        "certificates/Brian_Moeller_Laege",
        HolderKind::Employee,
        "46837428",
        "56771668",
        "Brian Møller",
    ),
    (
        "certificates/Karl_Hoffmann_Svendsen_Laege",
        HolderKind::Employee,
        "46837428",
        "96049151",
        "Karl Hoffmann Svendsen",
    ),
    (
        "certificates/MOCES_cpr_gyldig",
        HolderKind::Employee,
        "30808460",
        "42634739",
        "TU GENEREL MOCES M CPR gyldig",
    ),
    (
        "certificates/MOCES_gyldig",
        HolderKind::Employee,
        "30808460",
        "45490598",
        "TU GENEREL MOCES gyldig",
    ),
    (
        "certificates/Sonja_Bach_Laege",
        HolderKind::Employee,
        "46837428",
        "83701009",
        "Sonja Bach",
    ),
    (
        "certificates/Statens_Serum_Institut_FOCES",
        HolderKind::System,
        "46837428",
        "92421325",
        "Funktionssignatur til testmiljø (funktionscertifikat)",
    ),
    (
        "misc/FOCES_gyldig_2022",
        HolderKind::System,
        "30808460",
        "94731315",
        "TU GENEREL FOCES gyldig (funktionscertifikat)",
    ),
    (
        "misc/MOCES_cpr_gyldig_2022",
        HolderKind::Employee,
        "30808460",
        "42634739",
        "TU GENEREL MOCES M CPR gyldig",
    ),
    (
        "misc/voces2",
        HolderKind::Organisation,
        "29915938",
        "96092106",
        "SIGNATURGRUPPEN A/S - eTL demo",
    ),
    (
        "skat-history/VOCES_gyldig_2019",
        HolderKind::Organisation,
        "30808460",
        "25351738",
        "NETS DANID A/S - TU VOCES gyldig",
    ),
    (
        "skat-history/VOCES_gyldig_2022",
        HolderKind::Organisation,
        "30808460",
        "25351738",
        "NETS DANID A/S - TU VOCES gyldig",
    ),
];

#[test]
fn oces2_chains_verify_at_their_time_and_fail_after_expiry() {
    let anchors = oces2_anchors();
    for (name, kind, cvr, id, cn) in OCES2_CHAINS {
        let chain_certs = certs(&format!("oces2/chains/{name}.chain.pem"));
        let (leaf, rest) = chain_certs.split_first().unwrap();
        // As in the fixtures README: the latest notBefore in the chain plus one hour.
        let at = chain_certs.iter().map(Cert::not_before).max().unwrap() + Duration::hours(1);
        let chain = verify(&anchors, &Policy::oces2_test(), leaf, rest, &[], at)
            .unwrap_or_else(|e| panic!("{name} at {at}: {e}"));
        let holder = chain.holder().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(holder.generation(), OcesGeneration::Oces2, "{name}");
        assert_eq!(holder.kind(), kind, "{name}");
        assert_eq!(holder.cvr().as_str(), cvr, "{name}");
        assert_eq!(id_text(holder.id()), id, "{name}");
        assert_eq!(
            holder.id().cvr(),
            holder.cvr(),
            "the holder id carries its CVR"
        );
        assert_eq!(holder.name(), cn, "{name}");

        let expired = leaf.not_after() + Duration::days(1);
        let err = verify(&anchors, &Policy::oces2_test(), leaf, rest, &[], expired).unwrap_err();
        assert_eq!(err.rule(), rules::VALIDITY, "{name}: {err}");
        assert_eq!(err.position(), Some(0), "{name}");
    }
}

#[test]
fn oces2_test_leaf_is_refused_under_the_production_policy() {
    let chain_certs = certs("oces2/chains/PP/MOCES_gyldig.chain.pem");
    let (leaf, rest) = chain_certs.split_first().unwrap();
    let err = verify(
        &oces2_anchors(),
        &Policy::oces2(),
        leaf,
        rest,
        &[],
        utc(2018, 1, 1),
    )
    .unwrap_err();
    assert_eq!(err.rule(), rules::CERTIFICATE_POLICY);
}

#[test]
fn oces2_production_issuing_ca_chains_to_the_production_root() {
    // No production leaf is available; verify the issuing CA as if it were the leaf's issuer
    // by building a path for its own certificate under any policy.
    let ca = certs("oces2/intermediates/PROD/oces-issuing02-ca.cer").remove(0);
    let err = verify(
        &oces2_anchors(),
        &Policy::any_policy(),
        &ca,
        &[],
        &[],
        utc(2020, 1, 1),
    )
    .unwrap_err();
    // A CA presented as a leaf is refused, which shows the leaf rule, not a chain failure.
    assert_eq!(err.rule(), rules::BC_LEAF);
}

#[test]
fn sig_holder_01_non_oces_subject_has_no_holder() {
    // A NIST PKITS leaf verifies under any policy, but its subject is not an OCES subject.
    let pkits = |name: &str| {
        Cert::from_der(&crate::support::fixture(&format!("pkits/certs/{name}.crt"))).unwrap()
    };
    let chain = verify(
        &[TrustAnchor::from_cert(pkits("TrustAnchorRootCertificate"))],
        &Policy::any_policy(),
        &pkits("ValidCertificatePathTest1EE"),
        &[pkits("GoodCACert")],
        &[],
        utc(2020, 6, 15),
    )
    .unwrap();
    let err = chain.holder().unwrap_err();
    assert_eq!(err.rule(), rules::HOLDER_GRAMMAR);
    assert!(err.to_string().contains(rules::HOLDER_GRAMMAR.as_str()));
}

#[test]
fn oces3_serial_namespace_c_is_read_as_on_the_real_certificate() {
    // `UI:DK-E:C:<uuid>` occurs on a real OCES3 test employee certificate.
    let chain = oces3_test("oces3/leaves/Luca_Pacioli_30808460.pem", utc(2024, 6, 1)).unwrap();
    let holder = chain.holder().unwrap();
    assert_eq!(holder.cvr().as_str(), "30808460");
    assert_eq!(
        holder.id().to_string(),
        "CVR:30808460-UI:DK-E:C:87303e4b-22db-47d6-8425-f8840fd79671"
    );
}

#[test]
fn policy_presets_match_the_real_policy_oids() {
    // Seen on the fixtures (openssl x509 -ext certificatePolicies).
    assert!(Policy::oces3().accepts_policy_oid("1.2.208.169.1.1.1.3.7.1"));
    assert!(Policy::oces3().accepts_policy_oid("1.2.208.169.1.1.1.3.7"));
    assert!(Policy::oces3_employee().accepts_policy_oid("1.2.208.169.1.1.1.2.7"));
    assert!(!Policy::oces3().accepts_policy_oid("0.4.0.2042.1.1"));
    for test_oid in [
        "1.3.6.1.4.1.31313.2.4.6.2.5",
        "1.3.6.1.4.1.31313.2.4.6.3.4",
        "1.3.6.1.4.1.31313.2.4.6.4.2",
        "1.3.6.1.4.1.31313.2.4.1.2.5",
    ] {
        assert!(
            Policy::oces2_test().accepts_policy_oid(test_oid),
            "{test_oid}"
        );
        assert!(!Policy::oces2().accepts_policy_oid(test_oid), "{test_oid}");
    }
    // OCES2 production (domain.md §4.1, e.g. MOCES version 4), and OCES3 is not OCES2.
    assert!(Policy::oces2().accepts_policy_oid("1.2.208.169.1.1.1.2.4"));
    assert!(Policy::oces2_employee().accepts_policy_oid("1.2.208.169.1.1.1.2.4"));
    assert!(!Policy::oces2_employee().accepts_policy_oid("1.2.208.169.1.1.1.3.4"));
    assert!(Policy::oces2_organisation().accepts_policy_oid("1.2.208.169.1.1.1.4.2"));
    assert!(!Policy::oces2().accepts_policy_oid("1.2.208.169.1.1.1.2.7"));
    assert!(!Policy::oces2_organisation().accepts_policy_oid("1.2.208.169.1.1.1.3.7.1"));
}

#[test]
fn subjects_read_as_openssl_prints_them() {
    // `openssl x509 -noout -subject -nameopt RFC2253` on the same files.
    let cases = [
        (
            "oces3/b2b-test-system.pem",
            "C=DK,organizationIdentifier=NTRDK-19552101,O=Skatteforvaltningen,serialNumber=UI:DK-O:G:5e50b9bb-22fd-483d-baf7-fd077ed975f5,CN=Skatteministeriet - B2B gateway TSE TEST",
        ),
        (
            "oces2/leaves/PP/MOCES_gyldig.pem",
            "serialNumber=CVR:30808460-RID:45490598+CN=TU GENEREL MOCES gyldig,O=NETS DANID A/S // CVR:30808460,C=DK",
        ),
        (
            "oces2/leaves/PP/VOCES_gyldig.pem",
            "CN=NETS DANID A/S - TU VOCES gyldig+serialNumber=CVR:30808460-UID:25351738,O=NETS DANID A/S // CVR:30808460,C=DK",
        ),
    ];
    // The attributes of a multi-valued RDN form a SET, so their order is not significant.
    let canonical = |name: &str| -> Vec<Vec<String>> {
        name.split(',')
            .map(|rdn| {
                let mut parts: Vec<String> = rdn.split('+').map(str::to_owned).collect();
                parts.sort();
                parts
            })
            .collect()
    };
    for (file, expected) in cases {
        assert_eq!(
            canonical(certs(file)[0].subject()),
            canonical(expected),
            "{file}"
        );
    }
}
