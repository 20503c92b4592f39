//! Hardening (issue 8): malformed certificates, CRLs and chains give a clear error with its
//! rule id, and a refused input leaves a [`Verifier`] as it was.
//!
//! Table-driven over the hostile shapes: empty, huge, non-ASCII, truncated DER, trailing
//! bytes, wrong PEM labels, broken base64, and signature algorithms with wrong identifiers or
//! parameters.

use sundhed_identity::RuleId;
use sundhed_signing::{Cert, Crl, Verifier, VerifyError, rules};

use crate::support::{CrlSpec, Spec, chain, fixture, now, policy};

fn assert_rule<T>(what: &str, outcome: Result<T, VerifyError>, rule: RuleId) {
    match outcome {
        Ok(_) => panic!("{what}: accepted"),
        Err(e) => {
            assert_eq!(e.rule(), rule, "{what}: {e}");
            assert!(e.to_string().contains(rule.as_str()), "{what}: {e}");
        }
    }
}

fn pem(label: &str, body: &str) -> Vec<u8> {
    format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n").into_bytes()
}

/// Inputs that are no certificate and no CRL, in DER or PEM.
fn garbage() -> Vec<(&'static str, Vec<u8>)> {
    let cert = fixture("oces3/b2b-test-system.pem");
    let der = Cert::parse_all(&cert).unwrap()[0].der().to_vec();
    let mut trailing = der.clone();
    trailing.extend_from_slice(&[0, 0]);
    let mut huge_length = vec![0x30, 0x84, 0x7f, 0xff, 0xff, 0xff];
    huge_length.extend_from_slice(&der);
    let text = String::from_utf8(cert.clone()).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    vec![
        ("empty", vec![]),
        ("one byte", vec![0x30]),
        ("ten megabytes of zeros", vec![0; 10 << 20]),
        ("ten megabytes of 0x30 0x80", [0x30, 0x80].repeat(5 << 20)),
        ("a length of 2 GiB", huge_length),
        ("truncated by one byte", der[..der.len() - 1].to_vec()),
        ("truncated to half", der[..der.len() / 2].to_vec()),
        ("truncated to the header", der[..4].to_vec()),
        ("two trailing bytes", trailing),
        ("not UTF-8 around a PEM marker", {
            let mut v = b"\xff\xfe-----BEGIN CERTIFICATE-----\n".to_vec();
            v.extend_from_slice(&cert);
            v
        }),
        ("non-ASCII base64", pem("CERTIFICATE", "æøå0AAAA")),
        ("broken base64", pem("CERTIFICATE", "!!!!")),
        ("an empty PEM block", pem("CERTIFICATE", "")),
        (
            "BEGIN without END",
            format!("-----BEGIN CERTIFICATE-----\n{body}\n").into_bytes(),
        ),
        (
            "a private key",
            fixture("oces2/keys/certificates/MOCES_gyldig.key.pem"),
        ),
        ("PEM text without blocks", b"-----BEGIN nothing".to_vec()),
    ]
}

#[test]
fn hardening_certificate_parsers_refuse_garbage_with_sig_parse_01() {
    for (what, bytes) in garbage() {
        assert_rule(what, Cert::parse_all(&bytes), rules::PARSE_CERT);
        assert_rule(what, Cert::from_der(&bytes), rules::PARSE_CERT);
        assert_rule(what, Cert::from_pem(&bytes), rules::PARSE_CERT);
    }
}

#[test]
fn hardening_crl_parsers_refuse_garbage_with_sig_parse_02() {
    for (what, bytes) in garbage() {
        assert_rule(what, Crl::parse_all(&bytes), rules::PARSE_CRL);
        assert_rule(what, Crl::from_der(&bytes), rules::PARSE_CRL);
        assert_rule(what, Crl::from_pem(&bytes), rules::PARSE_CRL);
    }
    let crl = fixture("pkits/crls/GoodCACRL.crl");
    for cut in [1, 10, crl.len() / 2, crl.len() - 1] {
        assert_rule(
            "a truncated CRL",
            Crl::from_der(&crl[..cut]),
            rules::PARSE_CRL,
        );
    }
}

#[test]
fn hardening_wrong_labels_and_kinds_are_refused() {
    let cert_der = fixture("pkits/certs/GoodCACert.crt");
    let crl_der = fixture("pkits/crls/GoodCACRL.crl");
    // A CRL where a certificate belongs, and the other way round.
    assert_rule(
        "a CRL as a certificate",
        Cert::from_der(&crl_der),
        rules::PARSE_CERT,
    );
    assert_rule(
        "a certificate as a CRL",
        Crl::from_der(&cert_der),
        rules::PARSE_CRL,
    );
    let cert_pem = fixture("oces3/b2b-test-system.pem");
    assert_rule(
        "a certificate PEM as a CRL",
        Crl::from_pem(&cert_pem),
        rules::PARSE_CRL,
    );
    let text = String::from_utf8(cert_pem).unwrap();
    for label in [
        "X509 CRL",
        "TRUSTED CERTIFICATE",
        "PUBLIC KEY",
        "certificate",
    ] {
        let relabelled = text.replace("CERTIFICATE", label);
        assert_rule(
            label,
            Cert::from_pem(relabelled.as_bytes()),
            rules::PARSE_CERT,
        );
    }
    // The right label around a CRL's DER: the block decodes but is no certificate.
    let lines: Vec<String> = crl_der.chunks(48).map(base64).collect();
    let crl_as_cert = pem("CERTIFICATE", &lines.join("\n"));
    assert_rule(
        "a CRL in a CERTIFICATE block",
        Cert::from_pem(&crl_as_cert),
        rules::PARSE_CERT,
    );
}

/// Plain base64 (RFC 4648), enough for the test above.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `sha256WithRSAEncryption` with NULL parameters, as an AlgorithmIdentifier.
const SHA256_RSA: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
];

/// The leaf's DER with its AlgorithmIdentifiers rewritten (`inner` in the signed part,
/// `outer` after it); `None` keeps one as it is.
fn leaf_with_algorithms(inner: Option<&[u8]>, outer: Option<&[u8]>) -> Vec<u8> {
    let der = Spec::leaf().build_der();
    let at: Vec<usize> = der
        .windows(SHA256_RSA.len())
        .enumerate()
        .filter(|(_, w)| *w == SHA256_RSA)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 2, "two signature AlgorithmIdentifiers");
    let mut out = der.clone();
    // Same length replacements only, so no enclosing length changes.
    for (position, replacement) in [(at[1], outer), (at[0], inner)] {
        if let Some(r) = replacement {
            assert_eq!(r.len(), SHA256_RSA.len());
            out[position..position + r.len()].copy_from_slice(r);
        }
    }
    out
}

/// What is rewritten, the inner and outer AlgorithmIdentifiers, and the rule expected.
type AlgorithmCase<'a> = (&'a str, Option<&'a [u8]>, Option<&'a [u8]>, RuleId);

fn with_oid_last_byte(last: u8) -> [u8; 15] {
    let mut a = SHA256_RSA;
    a[12] = last;
    a
}

#[test]
fn hardening_wrong_algorithm_identifiers_and_parameters_are_refused() {
    let (anchors, intermediates, _) = chain();
    let verifier = Verifier::new(anchors, policy());
    // Parameters an OCTET STRING instead of NULL, outside the signed part only.
    let mut octet_params = SHA256_RSA;
    octet_params[13] = 0x04;
    // RSASSA-PSS (…1.1.10) with NULL parameters: PSS needs its parameters.
    let pss_null = with_oid_last_byte(0x0a);
    let cases: [AlgorithmCase<'_>; 5] = [
        (
            "outer parameters differ",
            None,
            Some(&octet_params),
            rules::ALG_MATCH,
        ),
        (
            "outer algorithm differs",
            None,
            Some(&with_oid_last_byte(0x0c)),
            rules::ALG_MATCH,
        ),
        (
            "md5WithRSA",
            Some(&with_oid_last_byte(0x04)),
            Some(&with_oid_last_byte(0x04)),
            rules::ALG_ALLOWED,
        ),
        (
            "sha1WithRSA",
            Some(&with_oid_last_byte(0x05)),
            Some(&with_oid_last_byte(0x05)),
            rules::ALG_ALLOWED,
        ),
        (
            "RSASSA-PSS without parameters",
            Some(&pss_null),
            Some(&pss_null),
            rules::ALG_PSS,
        ),
    ];
    let mut wrong = Vec::new();
    for (what, inner, outer, rule) in cases {
        let der = leaf_with_algorithms(inner, outer);
        let outcome = Cert::from_der(&der)
            .and_then(|leaf| verifier.verify(&leaf, &intermediates, &[], now()));
        match outcome {
            Err(e) if e.rule() == rule && e.to_string().contains(rule.as_str()) => {}
            other => wrong.push(format!("{what}: expected {rule}, got {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn hardening_refused_inputs_leave_the_verifier_as_it_was() {
    let (anchors, intermediates, leaf) = chain();
    let verifier = Verifier::new(anchors, policy());
    let good = verifier.verify(&leaf, &intermediates, &[], now()).unwrap();
    assert_eq!(good.signature_checks(), 2);
    let cached = verifier.cached_signatures();
    // Hostile chains: an impostor CA, a forged CRL, an expired leaf, a truncated leaf.
    let impostor = Spec {
        key: "other",
        ..Spec::ca()
    }
    .build();
    let forged = CrlSpec {
        signer: "other",
        ..CrlSpec::by_ca()
    }
    .build();
    let expired = Spec {
        not_after: crate::support::utc(2025, 2, 1),
        ..Spec::leaf()
    }
    .build();
    for _ in 0..3 {
        assert!(
            verifier
                .verify(&leaf, std::slice::from_ref(&impostor), &[], now())
                .is_err()
        );
        assert!(
            verifier
                .verify(&leaf, &intermediates, std::slice::from_ref(&forged), now())
                .is_err()
        );
        assert!(
            verifier
                .verify(&expired, &intermediates, &[], now())
                .is_err()
        );
        assert!(Cert::from_der(&leaf.der()[..100]).is_err());
    }
    // Refusals added nothing to the cache, and the good chain verifies as before.
    assert_eq!(verifier.cached_signatures(), cached);
    let again = verifier.verify(&leaf, &intermediates, &[], now()).unwrap();
    assert_eq!(again.len(), good.len());
    assert_eq!(again.signature_checks(), 0);
    assert_eq!(again.cache_hits(), 2);
}
