//! The entry points: [`verify`] and the caching [`Verifier`], returning a [`VerifiedChain`].

use chrono::{DateTime, Utc};

use crate::budget::Meter;
use crate::cert::Cert;
use crate::checks::{
    At, check_certificate_policy, check_constraints_processed, check_critical_extensions,
    check_leaf_key_usage, check_leaf_not_ca, check_validity,
};
use crate::crl::Crl;
use crate::error::{HolderError, VerifyError, VerifyErrorKind};
use crate::holder::{Holder, check_holder_matches_policy, check_oces_subject};
use crate::key::check_rsa_key;
use crate::path::{PathBuilder, SignatureCache};
use crate::policy::Policy;
use crate::trust_anchor::TrustAnchor;

/// Verifies `leaf` up to one of `anchors` under `policy` at `time`, without a cache.
///
/// The arguments come in the order of [`Verifier`]: what the caller trusts (`anchors`,
/// `policy`, as given to [`Verifier::new`]), then what it was handed (`leaf`, untrusted
/// `intermediates` in any order, the revocation lists `crls`, as given to
/// [`Verifier::verify`]), then the time. Anchors are [`TrustAnchor`]s and intermediates
/// [`Cert`]s, so the two cannot be swapped. See [`Verifier`] for a verifier that remembers
/// verified certificate signatures.
///
/// # Errors
/// A [`VerifyError`] naming the failing certificate (position, 0 = leaf, and subject) and the
/// rule: `SIG-CHAIN-*` (no issuer, bad signature, loop), `SIG-ALG-*`, `SIG-KEY-01`,
/// `SIG-TIME-01`, `SIG-BC-*`, `SIG-KU-*`, `SIG-EXT-01`, `SIG-POLICY-01`, `SIG-CRL-*`,
/// `SIG-PARSE-03` or `SIG-BUDGET-01`.
///
/// # Example
/// ```
/// use chrono::{TimeZone, Utc};
/// use sundhed_signing::{Cert, Policy, TrustAnchor, rules, verify};
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixtures/oces3/");
/// let read = |name: &str| std::fs::read(format!("{dir}{name}"));
/// let root = TrustAnchor::parse_all(&read("Den_Danske_Stat_OCES_rod_CA_Test_cti.pem")?)?;
/// let issuing = Cert::parse_all(&read("Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem")?)?;
/// let leaf = Cert::parse_all(&read("b2b-test-system.pem")?)?.remove(0);
///
/// let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
/// let chain = verify(&root, &Policy::oces3(), &leaf, &issuing, &[], at)?;
/// assert_eq!(chain.len(), 3);
///
/// let later = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
/// let err = verify(&root, &Policy::oces3(), &leaf, &issuing, &[], later).unwrap_err();
/// assert_eq!(err.rule(), rules::VALIDITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify(
    anchors: &[TrustAnchor],
    policy: &Policy,
    leaf: &Cert,
    intermediates: &[Cert],
    crls: &[Crl],
    time: DateTime<Utc>,
) -> Result<VerifiedChain, VerifyError> {
    verify_with(
        anchors,
        policy,
        &inputs(leaf, intermediates, crls, time),
        None,
    )
}

/// Trust anchors and a policy, with a cache of verified certificate signatures.
///
/// The cache is keyed by (certificate SHA-256, issuer SHA-256): after one leaf under an
/// issuing CA has been verified, a second leaf under the same CA costs one RSA verification
/// (its own signature). A cache hit skips only that RSA operation; time, constraints,
/// revocation and policy are checked every time, so the cache never changes a verdict.
/// The cache sits behind a lock; a poisoned lock counts as an empty cache.
///
/// # Example
/// ```
/// use chrono::{TimeZone, Utc};
/// use sundhed_signing::{Cert, Policy, TrustAnchor, Verifier};
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixtures/oces3/");
/// let read = |name: &str| std::fs::read(format!("{dir}{name}"));
/// let anchors = TrustAnchor::parse_all(&read("Den_Danske_Stat_OCES_rod_CA_Test_cti.pem")?)?;
/// let issuing = Cert::parse_all(&read("Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem")?)?;
/// let leaf = Cert::parse_all(&read("b2b-test-system.pem")?)?.remove(0);
/// let verifier = Verifier::new(anchors, Policy::oces3());
/// let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
///
/// let first = verifier.verify(&leaf, &issuing, &[], at)?;
/// assert_eq!(first.signature_checks(), 2);
/// let second = verifier.verify(&leaf, &issuing, &[], at)?;
/// assert_eq!(second.signature_checks(), 0);
/// assert_eq!(second.cache_hits(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Verifier {
    anchors: Vec<TrustAnchor>,
    policy: Policy,
    cache: SignatureCache,
}

impl Verifier {
    /// A verifier trusting `anchors` under `policy`, with an empty cache.
    #[must_use]
    pub fn new(anchors: Vec<TrustAnchor>, policy: Policy) -> Self {
        Self {
            anchors,
            policy,
            cache: SignatureCache::default(),
        }
    }

    /// Verifies `leaf` at `time`, using and filling the signature cache.
    ///
    /// `intermediates` are untrusted candidates in any order; `crls` are the caller's
    /// revocation lists. The same order as [`verify`] after its anchors and policy.
    ///
    /// # Errors
    /// As [`verify`].
    pub fn verify(
        &self,
        leaf: &Cert,
        intermediates: &[Cert],
        crls: &[Crl],
        time: DateTime<Utc>,
    ) -> Result<VerifiedChain, VerifyError> {
        let inputs = inputs(leaf, intermediates, crls, time);
        verify_with(&self.anchors, &self.policy, &inputs, Some(&self.cache))
    }

    /// Verifies `leaf` at `time` without reading or filling the cache (for comparison).
    ///
    /// # Errors
    /// As [`verify`].
    pub fn verify_uncached(
        &self,
        leaf: &Cert,
        intermediates: &[Cert],
        crls: &[Crl],
        time: DateTime<Utc>,
    ) -> Result<VerifiedChain, VerifyError> {
        let inputs = inputs(leaf, intermediates, crls, time);
        verify_with(&self.anchors, &self.policy, &inputs, None)
    }

    /// How many verified (certificate, issuer) signatures the cache holds.
    #[must_use]
    pub fn cached_signatures(&self) -> usize {
        self.cache.len()
    }

    /// Empties the cache.
    pub fn clear_cache(&self) {
        self.cache.clear();
    }

    /// The trust anchors.
    #[must_use]
    pub fn anchors(&self) -> &[TrustAnchor] {
        &self.anchors
    }

    /// The policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("anchors", &self.anchors)
            .field("policy", &self.policy)
            .field("cached_signatures", &self.cached_signatures())
            .finish()
    }
}

/// What the caller was handed for one verification.
struct Inputs<'a> {
    leaf: &'a Cert,
    intermediates: &'a [Cert],
    crls: &'a [Crl],
    time: DateTime<Utc>,
}

fn inputs<'a>(
    leaf: &'a Cert,
    intermediates: &'a [Cert],
    crls: &'a [Crl],
    time: DateTime<Utc>,
) -> Inputs<'a> {
    Inputs {
        leaf,
        intermediates,
        crls,
        time,
    }
}

/// The one verification behind [`verify`], [`Verifier::verify`] and
/// [`Verifier::verify_uncached`]: the leaf's own checks, then path building, with or without
/// a signature cache.
fn verify_with(
    anchors: &[TrustAnchor],
    policy: &Policy,
    inputs: &Inputs<'_>,
    cache: Option<&SignatureCache>,
) -> Result<VerifiedChain, VerifyError> {
    let Inputs {
        leaf,
        intermediates,
        crls,
        time,
    } = *inputs;
    let leaf_at = At {
        position: 0,
        cert: leaf,
    };
    check_validity(leaf_at, time)?;
    check_leaf_not_ca(leaf_at, policy)?;
    check_leaf_key_usage(leaf_at, policy)?;
    check_constraints_processed(leaf_at)?;
    check_critical_extensions(leaf_at)?;
    let accepted_policy = check_certificate_policy(leaf_at, policy)?;
    let spki = leaf.x509().tbs_certificate().subject_public_key_info();
    check_rsa_key(spki, policy.min_rsa_bits())
        .map_err(|message| leaf_at.fail(VerifyErrorKind::UnacceptableKey, message))?;
    let mut builder = PathBuilder {
        anchors,
        intermediates,
        crls,
        policy,
        time,
        cache,
        meter: Meter::new(policy.budget()),
    };
    let mut path = vec![leaf.clone()];
    builder.extend(&mut path)?;
    let Some(anchor) = path.last().cloned() else {
        return Err(VerifyError::new(
            VerifyErrorKind::UnknownIssuer,
            "no path was built",
        ));
    };
    Ok(VerifiedChain {
        leaf: leaf.clone(),
        anchor,
        path,
        policy: policy.clone(),
        accepted_policy,
        time,
        meter: builder.meter,
    })
}

/// A certificate path that verified: leaf first, trust anchor last.
///
/// Only this crate can make one, so holding one is proof that [`verify`] or
/// [`Verifier::verify`] succeeded for the stored time and policy.
pub struct VerifiedChain {
    leaf: Cert,
    anchor: Cert,
    path: Vec<Cert>,
    policy: Policy,
    accepted_policy: Option<String>,
    time: DateTime<Utc>,
    meter: Meter,
}

impl VerifiedChain {
    /// The leaf (end-entity) certificate.
    #[must_use]
    pub fn leaf(&self) -> &Cert {
        &self.leaf
    }

    /// The trust anchor the path ends at.
    #[must_use]
    pub fn anchor(&self) -> &Cert {
        &self.anchor
    }

    /// The whole path, leaf first, trust anchor last.
    #[must_use]
    pub fn certificates(&self) -> &[Cert] {
        &self.path
    }

    /// The number of certificates in the path (leaf and anchor included).
    #[must_use]
    pub fn len(&self) -> usize {
        self.path.len()
    }

    /// Always `false`: a verified path holds at least the leaf and an anchor.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.path.is_empty()
    }

    /// The policy the path was verified under (payload signatures are judged by it too).
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The time the path was verified for.
    #[must_use]
    pub fn verified_at(&self) -> DateTime<Utc> {
        self.time
    }

    /// The accepted policy OID the leaf asserts (`None` under [`Policy::any_policy`] when the
    /// leaf asserts none).
    #[must_use]
    pub fn accepted_policy(&self) -> Option<&str> {
        self.accepted_policy.as_deref()
    }

    /// RSA verifications done (certificate and CRL signatures; cache hits not included).
    #[must_use]
    pub fn signature_checks(&self) -> usize {
        self.meter.signatures
    }

    /// Certificate signatures taken from the [`Verifier`]'s cache instead of verified again.
    #[must_use]
    pub fn cache_hits(&self) -> usize {
        self.meter.cache_hits
    }

    /// Issuer candidates considered while building the path.
    #[must_use]
    pub fn candidates_considered(&self) -> usize {
        self.meter.candidates
    }

    /// The holder identity read from the leaf's OCES subject.
    ///
    /// # Errors
    /// `SIG-HOLDER-01` when the subject follows neither the OCES2 nor the OCES3 grammar,
    /// `SIG-HOLDER-02` when an OCES2 subject's two CVR numbers differ, `SIG-HOLDER-03` when the
    /// subject's holder kind contradicts the leaf's OCES certificate policy.
    ///
    /// # Example
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use sundhed_signing::{Cert, HolderKind, OcesGeneration, Policy, TrustAnchor, verify};
    ///
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixtures/oces3/");
    /// let read = |name: &str| std::fs::read(format!("{dir}{name}"));
    /// let root = TrustAnchor::parse_all(&read("Den_Danske_Stat_OCES_rod_CA_Test_cti.pem")?)?;
    /// let ca = Cert::parse_all(&read("Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem")?)?;
    /// let leaf = Cert::parse_all(&read("b2b-test-system.pem")?)?.remove(0);
    /// let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    ///
    /// let holder = verify(&root, &Policy::oces3(), &leaf, &ca, &[], at)?.holder()?;
    /// assert_eq!(holder.generation(), OcesGeneration::Oces3);
    /// assert_eq!(holder.kind(), HolderKind::Organisation);
    /// assert_eq!(holder.cvr().as_str(), "19552101");
    /// assert_eq!(holder.name(), "Skatteministeriet - B2B gateway TSE TEST");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holder(&self) -> Result<Holder, HolderError> {
        let holder = check_oces_subject(self.leaf())?;
        check_holder_matches_policy(self.leaf(), holder)
    }
}

impl core::fmt::Debug for VerifiedChain {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedChain")
            .field("path", &self.path)
            .field("time", &self.time)
            .field("accepted_policy", &self.accepted_policy)
            .finish_non_exhaustive()
    }
}
