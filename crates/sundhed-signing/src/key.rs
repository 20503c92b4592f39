//! Public keys: only RSA, only above the caller's minimum size.

use const_oid::db::rfc5912;
use der::referenced::OwnedToRef;
use rsa::RsaPublicKey;
use rsa::traits::PublicKeyParts;
use spki::SubjectPublicKeyInfoOwned;
use sundhed_identity::RuleId;

/// The rule enforced by the function below.
pub(crate) const KEY_SIZE: RuleId = RuleId::new("SIG-KEY-01");
/// `SIG-KEY-01`: a certificate's subject public key is an `rsaEncryption` key (RFC 3279 §2.3.1,
/// RFC 4055 §1.2) whose modulus has at least `min_bits` bits (the policy minimum, 2048 by
/// default, as in the OCES certificate policies and NIST SP 800-131A). The rsa crate itself
/// refuses moduli above 8192 bits.
///
/// <https://www.rfc-editor.org/rfc/rfc3279#section-2.3.1>
pub(crate) fn check_rsa_key(
    spki: &SubjectPublicKeyInfoOwned,
    min_bits: usize,
) -> Result<RsaPublicKey, String> {
    if spki.algorithm.oid != rfc5912::RSA_ENCRYPTION {
        return Err(format!(
            "has a `{}` public key; only RSA keys are accepted",
            spki.algorithm.oid
        ));
    }
    let key = RsaPublicKey::try_from(spki.owned_to_ref())
        .map_err(|e| format!("has an unusable RSA public key: {e}"))?;
    let bits = key.n().bits_precision() as usize;
    let bits = usize::try_from(key.n().bits()).unwrap_or(bits);
    if bits < min_bits {
        return Err(format!(
            "has an RSA key of `{bits}` bits, below the minimum of `{min_bits}`"
        ));
    }
    Ok(key)
}
