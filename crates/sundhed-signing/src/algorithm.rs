//! Signature algorithms: parsing AlgorithmIdentifiers, the allow-list, and RSA verification.

use core::fmt;

use crate::error::VerifyErrorKind;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::{Decode, Encode};
use rsa::pkcs1::RsaPssParams;
use rsa::{Pkcs1v15Sign, PublicKey, pss::Pss};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;

/// A signature algorithm this crate can verify.
///
/// RSASSA-PSS is verified with MGF1 over the same hash and a salt as long as the hash output
/// (RFC 4055 §3.1, RFC 8017 §9.1): SHA-256/32, SHA-384/48, SHA-512/64. These are the
/// parameters of the OCES3 CAs (root: SHA-512, salt 64; leaves: SHA-256, salt 32).
///
/// # Example
/// ```
/// use sundhed_signing::SignatureAlgorithm;
///
/// assert_eq!(SignatureAlgorithm::RsaPssSha256.to_string(), "RSASSA-PSS with SHA-256");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (`sha256WithRSAEncryption`, RFC 8017 §8.2).
    RsaPkcs1Sha256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RsaPkcs1Sha384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RsaPkcs1Sha512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32 (RFC 8017 §8.1).
    RsaPssSha256,
    /// RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48.
    RsaPssSha384,
    /// RSASSA-PSS with SHA-512, MGF1-SHA-512, salt 64.
    RsaPssSha512,
}

impl SignatureAlgorithm {
    /// Every algorithm this crate verifies, the default allow-list.
    pub const ALL: [Self; 6] = [
        Self::RsaPkcs1Sha256,
        Self::RsaPkcs1Sha384,
        Self::RsaPkcs1Sha512,
        Self::RsaPssSha256,
        Self::RsaPssSha384,
        Self::RsaPssSha512,
    ];

    /// Verifies `signature` over `message` with `key`; `true` only for a valid signature.
    pub(crate) fn verify(self, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
        let outcome = match self {
            Self::RsaPkcs1Sha256 => key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message),
                signature,
            ),
            Self::RsaPkcs1Sha384 => key.verify(
                Pkcs1v15Sign::new::<Sha384>(),
                &Sha384::digest(message),
                signature,
            ),
            Self::RsaPkcs1Sha512 => key.verify(
                Pkcs1v15Sign::new::<Sha512>(),
                &Sha512::digest(message),
                signature,
            ),
            Self::RsaPssSha256 => key.verify(
                Pss::<Sha256>::new_with_salt(32),
                &Sha256::digest(message),
                signature,
            ),
            Self::RsaPssSha384 => key.verify(
                Pss::<Sha384>::new_with_salt(48),
                &Sha384::digest(message),
                signature,
            ),
            Self::RsaPssSha512 => key.verify(
                Pss::<Sha512>::new_with_salt(64),
                &Sha512::digest(message),
                signature,
            ),
        };
        outcome.is_ok()
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5 with SHA-256",
            Self::RsaPkcs1Sha384 => "RSA PKCS#1 v1.5 with SHA-384",
            Self::RsaPkcs1Sha512 => "RSA PKCS#1 v1.5 with SHA-512",
            Self::RsaPssSha256 => "RSASSA-PSS with SHA-256",
            Self::RsaPssSha384 => "RSASSA-PSS with SHA-384",
            Self::RsaPssSha512 => "RSASSA-PSS with SHA-512",
        })
    }
}

/// `SIG-ALG-01`: the signature algorithm outside the signed part equals the one inside it
/// (RFC 5280 §4.1.1.2: the field "MUST contain the same algorithm identifier as the signature
/// field in the sequence tbsCertificate"; §5.1.1.2 says the same for CRLs).
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-4.1.1.2>
pub(crate) fn check_algorithm_match(
    outer: &AlgorithmIdentifierOwned,
    inner: &AlgorithmIdentifierOwned,
) -> Result<(), String> {
    if outer == inner {
        Ok(())
    } else {
        Err(format!(
            "is signed with `{}` but its signed part names `{}`",
            outer.oid, inner.oid
        ))
    }
}

/// `SIG-ALG-02`: the algorithm is one this crate implements and the caller's policy allows
/// (RSA PKCS#1 v1.5 or RSASSA-PSS with SHA-256/384/512; RFC 4055 §5, RFC 8017 §8). SHA-1,
/// MD5, DSA and anything else is refused.
///
/// <https://www.rfc-editor.org/rfc/rfc4055#section-5>
pub(crate) fn check_algorithm_allowed(
    identifier: &AlgorithmIdentifierOwned,
    allowed: &[SignatureAlgorithm],
) -> Result<SignatureAlgorithm, (VerifyErrorKind, String)> {
    let algorithm = if identifier.oid == rfc5912::ID_RSASSA_PSS {
        check_pss_parameters(identifier)
            .map_err(|message| (VerifyErrorKind::BadPssParameters, message))?
    } else {
        let algorithm = match identifier.oid {
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => SignatureAlgorithm::RsaPkcs1Sha256,
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => SignatureAlgorithm::RsaPkcs1Sha384,
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => SignatureAlgorithm::RsaPkcs1Sha512,
            other => {
                return Err((
                    VerifyErrorKind::UnsupportedAlgorithm,
                    format!("is signed with unsupported algorithm `{other}`"),
                ));
            }
        };
        // RFC 4055 §5: the parameters of these identifiers MUST be NULL (absent is tolerated
        // by RFC 8017 readers; anything else is malformed).
        if let Some(params) = &identifier.parameters
            && !params.is_null()
        {
            return Err((
                VerifyErrorKind::UnsupportedAlgorithm,
                format!("has non-NULL parameters for `{}`", identifier.oid),
            ));
        }
        algorithm
    };
    if allowed.contains(&algorithm) {
        Ok(algorithm)
    } else {
        Err((
            VerifyErrorKind::AlgorithmNotAllowed,
            format!("is signed with `{algorithm}`, which the policy does not allow"),
        ))
    }
}

/// `SIG-ALG-03`: RSASSA-PSS parameters are present and name SHA-256, SHA-384 or SHA-512, MGF1
/// with that same hash, a salt as long as the hash output, and trailer field 1 (RFC 4055 §3.1,
/// RFC 8017 §9.1 and Appendix A.2.3). The parameters are parsed from the AlgorithmIdentifier,
/// never assumed.
///
/// <https://www.rfc-editor.org/rfc/rfc4055#section-3.1>
pub(crate) fn check_pss_parameters(
    identifier: &AlgorithmIdentifierOwned,
) -> Result<SignatureAlgorithm, String> {
    let Some(params) = &identifier.parameters else {
        return Err("uses RSASSA-PSS without parameters (SHA-1 defaults)".to_owned());
    };
    let bytes = params
        .to_der()
        .map_err(|e| format!("has unreadable RSASSA-PSS parameters: {e}"))?;
    let parsed = RsaPssParams::<der::Any>::from_der(&bytes)
        .map_err(|e| format!("has malformed RSASSA-PSS parameters: {e}"))?;
    let (algorithm, salt) = match parsed.hash.oid {
        rfc5912::ID_SHA_256 => (SignatureAlgorithm::RsaPssSha256, 32),
        rfc5912::ID_SHA_384 => (SignatureAlgorithm::RsaPssSha384, 48),
        rfc5912::ID_SHA_512 => (SignatureAlgorithm::RsaPssSha512, 64),
        other => return Err(format!("uses RSASSA-PSS with unsupported hash `{other}`")),
    };
    if parsed.mask_gen.oid != rfc5912::ID_MGF_1 {
        return Err(format!(
            "uses RSASSA-PSS with unsupported mask generation `{}`",
            parsed.mask_gen.oid
        ));
    }
    let mgf_hash: Option<ObjectIdentifier> = parsed.mask_gen.parameters.map(|p| p.oid);
    if mgf_hash != Some(parsed.hash.oid) {
        return Err("uses RSASSA-PSS with an MGF1 hash other than the message hash".to_owned());
    }
    if usize::from(parsed.salt_len) != salt {
        return Err(format!(
            "uses RSASSA-PSS with salt length `{}`, expected `{salt}`",
            parsed.salt_len
        ));
    }
    Ok(algorithm)
}

#[cfg(test)]
mod tests {
    use der::{Decode, Encode};
    use spki::AlgorithmIdentifierOwned;

    use super::*;
    use crate::cert::Cert;

    /// The RSASSA-PSS identifier of a real OCES3 leaf (SHA-256, MGF1-SHA-256, salt 32).
    fn oces3_leaf_algorithm() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/fixtures/oces3/b2b-test-system.pem"
        );
        let cert = Cert::parse_all(&std::fs::read(path).unwrap())
            .unwrap()
            .remove(0);
        cert.x509().signature_algorithm().to_der().unwrap()
    }

    fn patched(find: &[u8], replace: &[u8], occurrence: usize) -> AlgorithmIdentifierOwned {
        let mut der = oces3_leaf_algorithm();
        let at = der
            .windows(find.len())
            .enumerate()
            .filter(|(_, w)| *w == find)
            .nth(occurrence)
            .unwrap()
            .0;
        der.splice(at..at + find.len(), replace.iter().copied());
        AlgorithmIdentifierOwned::from_der(&der).unwrap()
    }

    const SHA256_OID: [u8; 9] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    const SHA512_OID: [u8; 9] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

    #[test]
    fn oces3_leaf_pss_parameters_are_accepted() {
        let identifier = AlgorithmIdentifierOwned::from_der(&oces3_leaf_algorithm()).unwrap();
        assert_eq!(
            check_pss_parameters(&identifier),
            Ok(SignatureAlgorithm::RsaPssSha256)
        );
    }

    #[test]
    fn sig_alg_03_pss_salt_other_than_the_hash_length_is_refused() {
        let identifier = patched(
            &[0xa2, 0x03, 0x02, 0x01, 0x20],
            &[0xa2, 0x03, 0x02, 0x01, 0x14],
            0,
        );
        let (kind, message) =
            check_algorithm_allowed(&identifier, &SignatureAlgorithm::ALL).unwrap_err();
        assert_eq!(kind.rule(), crate::rules::ALG_PSS);
        assert!(message.contains("salt length `20`"), "{message}");
    }

    #[test]
    fn sig_alg_03_pss_mgf1_hash_other_than_the_message_hash_is_refused() {
        let identifier = patched(&SHA256_OID, &SHA512_OID, 1);
        let err = check_pss_parameters(&identifier).unwrap_err();
        assert!(err.contains("MGF1"), "{err}");
    }

    #[test]
    fn sig_alg_03_pss_without_parameters_is_refused() {
        let identifier = AlgorithmIdentifierOwned {
            oid: rfc5912::ID_RSASSA_PSS,
            parameters: None,
        };
        let (kind, _) = check_algorithm_allowed(&identifier, &SignatureAlgorithm::ALL).unwrap_err();
        assert_eq!(kind.rule(), crate::rules::ALG_PSS);
    }

    #[test]
    fn sig_alg_02_pkcs1_with_parameters_other_than_null_is_refused() {
        let identifier = AlgorithmIdentifierOwned {
            oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            parameters: Some(der::Any::from_der(&[0x02, 0x01, 0x05]).unwrap()),
        };
        let (kind, _) = check_algorithm_allowed(&identifier, &SignatureAlgorithm::ALL).unwrap_err();
        assert_eq!(kind.rule(), crate::rules::ALG_ALLOWED);
    }

    #[test]
    fn every_algorithm_has_a_name() {
        for algorithm in SignatureAlgorithm::ALL {
            assert!(!algorithm.to_string().is_empty());
        }
    }
}
