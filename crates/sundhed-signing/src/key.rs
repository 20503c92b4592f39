//! Public keys: only RSA, only above the caller's minimum size.

use const_oid::db::rfc5912;
use der::Decode;
use der::asn1::UintRef;
use der::referenced::OwnedToRef;
use rsa::PublicKey;
use spki::SubjectPublicKeyInfoOwned;

/// `SIG-KEY-01`: a certificate's subject public key is a well-formed `rsaEncryption` key
/// (RFC 3279 §2.3.1, RFC 8017 §A.1.1) whose modulus has at least `min_bits` bits (the policy
/// minimum, 2048 by default, as in the OCES certificate policies and NIST SP 800-131A). The
/// rsa crate refuses moduli above 8192 bits when the key is used ([`public_key`]).
///
/// This check is cheap (no big-number precomputation), so it runs on every edge even when
/// the signature itself comes from the cache.
///
/// <https://www.rfc-editor.org/rfc/rfc3279#section-2.3.1>
pub(crate) fn check_rsa_key(
    spki: &SubjectPublicKeyInfoOwned,
    min_bits: usize,
) -> Result<(), String> {
    if spki.algorithm.oid != rfc5912::RSA_ENCRYPTION {
        return Err(format!(
            "has a `{}` public key; only RSA keys are accepted",
            spki.algorithm.oid
        ));
    }
    let key_der = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| "has an RSA public key with unused bits".to_owned())?;
    let key = rsa::pkcs1::RsaPublicKey::<UintRef<'_>>::from_der(key_der)
        .map_err(|e| format!("has a malformed RSA public key: {e}"))?;
    let modulus = key.modulus.as_bytes();
    let bits = match modulus.first() {
        Some(first) => (modulus.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    };
    if bits < min_bits {
        return Err(format!(
            "has an RSA key of `{bits}` bits, below the minimum of `{min_bits}`"
        ));
    }
    Ok(())
}

/// The usable RSA key of a certificate that passed [`check_rsa_key`]; building it is the
/// expensive part (Montgomery precomputation), so it is done only when a signature is
/// actually verified, once per certificate (`Cert::rsa_public_key` keeps it).
pub(crate) fn public_key(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKey, String> {
    PublicKey::try_from(spki.owned_to_ref())
        .map_err(|e| format!("has an unusable RSA public key: {e}"))
}
