//! Payload signatures with a verified leaf's key.

use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Sha256, Sha512};
use sundhed_signing::{Policy, SignatureAlgorithm, rules, verify};

use crate::support::{Spec, certs, chain, fixture, key, now, policy, utc};

fn sign_pkcs1(private: PrivateKey, payload: &[u8]) -> Vec<u8> {
    rsa::pkcs1v15::SigningKey::<Sha256>::new(private)
        .sign(payload)
        .to_vec()
}

#[test]
fn payload_signed_by_the_leaf_key_verifies() {
    let (anchors, intermediates, leaf) = chain();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    let signature = sign_pkcs1(key("leaf"), b"SEB autorisationsblanket");
    let verified = chain
        .verify_signature(
            b"SEB autorisationsblanket",
            &signature,
            SignatureAlgorithm::RsaPkcs1Sha256,
        )
        .unwrap();
    assert_eq!(verified.algorithm(), SignatureAlgorithm::RsaPkcs1Sha256);
    assert_eq!(verified.signer_sha256(), leaf.sha256());
}

#[test]
fn real_oces2_moces_key_signs_a_payload() {
    // The published DanID test key of MOCES_gyldig, with its real chain at a time it was valid.
    let chain_certs = certs("oces2/chains/PP/MOCES_gyldig.chain.pem");
    let (leaf, rest) = chain_certs.split_first().unwrap();
    let anchors = crate::support::anchors("oces2/roots/TRUST2408_Systemtest_VII_Primary_CA.cer");
    let chain = verify(
        &anchors,
        &Policy::oces2_test(),
        leaf,
        rest,
        &[],
        utc(2018, 6, 1),
    )
    .unwrap();
    let pem = String::from_utf8(fixture("oces2/keys/PP/MOCES_gyldig.key.pem")).unwrap();
    let private = PrivateKey::from_pkcs8_pem(&pem).unwrap();
    let signature = sign_pkcs1(private, b"indberetning");
    chain
        .verify_signature(
            b"indberetning",
            &signature,
            SignatureAlgorithm::RsaPkcs1Sha256,
        )
        .unwrap();
    let err = chain
        .verify_signature(
            b"indberetning!",
            &signature,
            SignatureAlgorithm::RsaPkcs1Sha256,
        )
        .unwrap_err();
    assert_eq!(err.rule(), rules::PAYLOAD_SIGNATURE);
}

#[test]
fn sig_payload_01_leaf_without_signing_key_usage_cannot_sign() {
    let (anchors, intermediates, _) = chain();
    let leaf = Spec {
        key_usage: None,
        ..Spec::leaf()
    }
    .build();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    let signature = sign_pkcs1(key("leaf"), b"x");
    let err = chain
        .verify_signature(b"x", &signature, SignatureAlgorithm::RsaPkcs1Sha256)
        .unwrap_err();
    assert_eq!(err.rule(), rules::PAYLOAD_KEY_USAGE);
    assert!(err.to_string().contains(rules::PAYLOAD_KEY_USAGE.as_str()));
}

#[test]
fn sig_payload_02_wrong_signature_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    // Signed by another key.
    let signature = sign_pkcs1(key("other"), b"x");
    let err = chain
        .verify_signature(b"x", &signature, SignatureAlgorithm::RsaPkcs1Sha256)
        .unwrap_err();
    assert_eq!(err.rule(), rules::PAYLOAD_SIGNATURE);
    // Right key, wrong algorithm claimed.
    let sha512 = rsa::pkcs1v15::SigningKey::<Sha512>::new(key("leaf"))
        .sign(b"x")
        .to_vec();
    let err = chain
        .verify_signature(b"x", &sha512, SignatureAlgorithm::RsaPkcs1Sha256)
        .unwrap_err();
    assert_eq!(err.rule(), rules::PAYLOAD_SIGNATURE);
    chain
        .verify_signature(b"x", &sha512, SignatureAlgorithm::RsaPkcs1Sha512)
        .unwrap();
}

#[test]
fn sig_payload_03_algorithm_not_allowed_is_refused() {
    let (anchors, intermediates, leaf) = chain();
    let strict = policy().with_algorithms(&[SignatureAlgorithm::RsaPkcs1Sha256]);
    let chain = verify(&anchors, &strict, &leaf, &intermediates, &[], now()).unwrap();
    let sha512 = rsa::pkcs1v15::SigningKey::<Sha512>::new(key("leaf"))
        .sign(b"x")
        .to_vec();
    let err = chain
        .verify_signature(b"x", &sha512, SignatureAlgorithm::RsaPkcs1Sha512)
        .unwrap_err();
    assert_eq!(err.rule(), rules::PAYLOAD_ALGORITHM);
}
