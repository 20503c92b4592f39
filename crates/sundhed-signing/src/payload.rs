//! Payload signatures made with a verified leaf's key.

use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::KeyUsage;

use crate::algorithm::SignatureAlgorithm;
use crate::error::PayloadError;
use crate::rules::{PAYLOAD_ALGORITHM, PAYLOAD_KEY_USAGE, PAYLOAD_SIGNATURE};
use crate::verifier::VerifiedChain;

/// A payload signature that verified with the key of a [`VerifiedChain`]'s leaf.
///
/// Only this crate can make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedSignature {
    algorithm: SignatureAlgorithm,
    payload_sha256: [u8; 32],
    signer_sha256: [u8; 32],
}

impl VerifiedSignature {
    /// The algorithm the signature was made with.
    #[must_use]
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// SHA-256 of the payload that was signed.
    #[must_use]
    pub fn payload_sha256(&self) -> [u8; 32] {
        self.payload_sha256
    }

    /// SHA-256 fingerprint of the signing (leaf) certificate.
    #[must_use]
    pub fn signer_sha256(&self) -> [u8; 32] {
        self.signer_sha256
    }
}

impl VerifiedChain {
    /// Verifies `signature` over `payload` with the leaf's public key.
    ///
    /// # Errors
    /// `SIG-PAYLOAD-01` when the leaf's keyUsage does not assert digitalSignature or
    /// nonRepudiation, `SIG-PAYLOAD-03` when the policy does not allow `algorithm`,
    /// `SIG-PAYLOAD-02` when the signature does not verify.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use sundhed_signing::{Cert, Policy, SignatureAlgorithm, TrustAnchor, rules, verify};
    ///
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixtures/oces3/");
    /// let read = |name: &str| std::fs::read(format!("{dir}{name}"));
    /// let root = TrustAnchor::parse_all(&read("Den_Danske_Stat_OCES_rod_CA_Test_cti.pem")?)?;
    /// let ca = Cert::parse_all(&read("Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem")?)?;
    /// let leaf = Cert::parse_all(&read("b2b-test-system.pem")?)?.remove(0);
    /// let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    /// let chain = verify(&root, &Policy::oces3(), &leaf, &ca, &[], at)?;
    ///
    /// // No OCES3 private key is published, so only the failure can be shown here.
    /// let err = chain
    ///     .verify_signature(b"payload", &[0u8; 384], SignatureAlgorithm::RsaPssSha256)
    ///     .unwrap_err();
    /// assert_eq!(err.rule(), rules::PAYLOAD_SIGNATURE);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_signature(
        &self,
        payload: &[u8],
        signature: &[u8],
        algorithm: SignatureAlgorithm,
    ) -> Result<VerifiedSignature, PayloadError> {
        check_signing_key_usage(self)?;
        check_payload_algorithm(self, algorithm)?;
        check_payload_signature(self, payload, signature, algorithm)?;
        Ok(VerifiedSignature {
            algorithm,
            payload_sha256: Sha256::digest(payload).into(),
            signer_sha256: self.leaf().sha256(),
        })
    }
}

/// `SIG-PAYLOAD-01`: a payload signature is accepted only from a leaf whose keyUsage
/// extension is present and asserts digitalSignature or nonRepudiation (contentCommitment)
/// (RFC 5280 §4.2.1.3; every OCES leaf carries keyUsage).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3>
pub(crate) fn check_signing_key_usage(chain: &VerifiedChain) -> Result<(), PayloadError> {
    let usage = chain
        .leaf()
        .x509()
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .ok()
        .flatten();
    match usage {
        Some((_, ku)) if ku.digital_signature() || ku.non_repudiation() => Ok(()),
        Some(_) => Err(PayloadError::new(
            PAYLOAD_KEY_USAGE,
            "the signer's keyUsage allows neither digitalSignature nor nonRepudiation",
        )),
        None => Err(PayloadError::new(
            PAYLOAD_KEY_USAGE,
            "the signer's certificate has no keyUsage allowing signatures",
        )),
    }
}

/// `SIG-PAYLOAD-03`: the payload's signature algorithm is one the caller's policy allows
/// (the same allow-list as for certificates, RFC 8017 §8).
///
/// <https://www.rfc-editor.org/rfc/rfc8017#section-8>
pub(crate) fn check_payload_algorithm(
    chain: &VerifiedChain,
    algorithm: SignatureAlgorithm,
) -> Result<(), PayloadError> {
    if chain.policy().algorithms().contains(&algorithm) {
        Ok(())
    } else {
        Err(PayloadError::new(
            PAYLOAD_ALGORITHM,
            format!("`{algorithm}` is not allowed by the policy"),
        ))
    }
}

/// `SIG-PAYLOAD-02`: the signature verifies over the exact payload bytes with the leaf's RSA
/// key (RSASSA-PKCS1-v1_5 per RFC 8017 §8.2.2 or RSASSA-PSS per §8.1.2).
///
/// <https://www.rfc-editor.org/rfc/rfc8017#section-8>
pub(crate) fn check_payload_signature(
    chain: &VerifiedChain,
    payload: &[u8],
    signature: &[u8],
    algorithm: SignatureAlgorithm,
) -> Result<(), PayloadError> {
    let verified = chain
        .leaf()
        .rsa_public_key()
        .is_ok_and(|key| algorithm.verify(key, payload, signature));
    if verified {
        Ok(())
    } else {
        Err(PayloadError::new(
            PAYLOAD_SIGNATURE,
            format!("the signature does not verify with the signer's key using `{algorithm}`"),
        ))
    }
}
