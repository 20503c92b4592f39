//! What the caller accepts: certificate policies, algorithms, key sizes, revocation, budget.

use const_oid::ObjectIdentifier;

use crate::algorithm::SignatureAlgorithm;
use crate::budget::Budget;
use crate::error::{VerifyError, VerifyErrorKind};

/// OCES2 production MOCES (employee) policy prefix, `1.2.208.169.1.1.1.2` (domain.md §4.1).
pub const OCES2_EMPLOYEE: &str = "1.2.208.169.1.1.1.2";
/// OCES2 production VOCES (organisation) policy prefix, `1.2.208.169.1.1.1.3`.
pub const OCES2_ORGANISATION: &str = "1.2.208.169.1.1.1.3";
/// OCES2 production FOCES (function/system) policy prefix, `1.2.208.169.1.1.1.4`.
pub const OCES2_SYSTEM: &str = "1.2.208.169.1.1.1.4";
/// DanID OCES2 test ("PP", pre-production) employee prefix `1.3.6.1.4.1.31313.2.4.6.2`.
pub const OCES2_TEST_EMPLOYEE: &str = "1.3.6.1.4.1.31313.2.4.6.2";
/// DanID OCES2 test ("PP") organisation prefix `1.3.6.1.4.1.31313.2.4.6.3`.
pub const OCES2_TEST_ORGANISATION: &str = "1.3.6.1.4.1.31313.2.4.6.3";
/// DanID OCES2 test ("PP") function/system prefix `1.3.6.1.4.1.31313.2.4.6.4`.
pub const OCES2_TEST_SYSTEM: &str = "1.3.6.1.4.1.31313.2.4.6.4";
/// DanID OCES2 integration-test ("IG") environment prefix `1.3.6.1.4.1.31313.2.4.1` (all
/// kinds; seen on the IG fixtures `tc01`, `tc06` and `voces2`).
pub const OCES2_TEST_IG: &str = "1.3.6.1.4.1.31313.2.4.1";
/// OCES3 organisation/system policy prefix `1.2.208.169.1.1.1.3.7` (seen on real test and
/// production certificates as `…3.7` and `…3.7.1`).
pub const OCES3_ORGANISATION: &str = "1.2.208.169.1.1.1.3.7";
/// OCES3 employee policy prefix `1.2.208.169.1.1.1.2.7`. Seen on the OCES3 *test* employee
/// fixtures (`oces3/leaves/Luca_Pacioli*.pem`); no production employee certificate was
/// available to confirm it there.
pub const OCES3_EMPLOYEE: &str = "1.2.208.169.1.1.1.2.7";

/// Whether revocation must be shown, or only used when the caller has CRLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// Every certificate below the trust anchor must be covered by a usable CRL; without one
    /// verification fails closed (`SIG-CRL-04`).
    Required,
    /// Supplied CRLs are applied; a certificate with no CRL from its issuer is not refused.
    /// A CRL from its issuer that cannot be used (stale, badly signed, unknown critical
    /// extension) still fails closed unless another usable one is supplied.
    IfAvailable,
}

/// Which leaf certificate policies the caller accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Accepted {
    /// Any policy, or none at all (e.g. for NIST PKITS with initial-policy-set any-policy).
    Any,
    /// The leaf must assert a policy equal to, or below, one of `include` and not equal to or
    /// below any of `exclude`.
    Prefixes {
        include: Vec<ObjectIdentifier>,
        exclude: Vec<ObjectIdentifier>,
    },
}

fn oids(dotted: &[&str]) -> Vec<ObjectIdentifier> {
    dotted
        .iter()
        .filter_map(|p| ObjectIdentifier::new(p).ok())
        .collect()
}

/// Whether `oid` is `prefix` or below it, arc by arc.
fn is_under(oid: &ObjectIdentifier, prefix: &ObjectIdentifier) -> bool {
    // On the encoded form: an arc's last byte has the high bit clear, so a byte prefix that
    // ends where `prefix` ends also ends on an arc boundary of `oid`.
    oid.as_bytes().starts_with(prefix.as_bytes())
}

/// What the caller accepts: leaf policy OIDs, signature algorithms, minimum RSA size,
/// revocation, and the path-building budget.
///
/// Presets exist for OCES2 and OCES3; OCES3 test and production certificates carry the same
/// policy OIDs and differ only in their trust anchors, which the caller supplies.
///
/// # Example
/// ```
/// use sundhed_signing::{Policy, Revocation, SignatureAlgorithm};
///
/// let policy = Policy::oces3()
///     .with_min_rsa_bits(3072)
///     .with_revocation(Revocation::Required)
///     .with_algorithms(&[SignatureAlgorithm::RsaPssSha256, SignatureAlgorithm::RsaPssSha512]);
/// assert_eq!(policy.min_rsa_bits(), 3072);
/// assert!(policy.accepts_policy_oid("1.2.208.169.1.1.1.3.7.1"));
/// assert!(!policy.accepts_policy_oid("1.2.208.169.1.1.1.3.70"));
/// assert!(!Policy::oces2().accepts_policy_oid("1.2.208.169.1.1.1.3.7.1"));
/// assert!(Policy::oces2().accepts_policy_oid("1.2.208.169.1.1.1.3.4"));
///
/// let custom = Policy::with_policy_prefixes(&["1.2.3"])?;
/// assert!(custom.accepts_policy_oid("1.2.3.4"));
/// assert!(Policy::with_policy_prefixes(&["not an oid"]).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    accepted: Accepted,
    algorithms: Vec<SignatureAlgorithm>,
    min_rsa_bits: usize,
    revocation: Revocation,
    budget: Budget,
    check_anchor_validity: bool,
    oces_leaf_profile: bool,
}

impl Policy {
    fn from_known(include: &[&str], exclude: &[&str]) -> Self {
        Self::base(Accepted::Prefixes {
            include: oids(include),
            exclude: oids(exclude),
        })
    }

    fn base(accepted: Accepted) -> Self {
        Self {
            accepted,
            algorithms: SignatureAlgorithm::ALL.to_vec(),
            min_rsa_bits: 2048,
            revocation: Revocation::IfAvailable,
            budget: Budget::default(),
            check_anchor_validity: true,
            oces_leaf_profile: true,
        }
    }

    /// OCES2 production: MOCES, VOCES and FOCES (`1.2.208.169.1.1.1.{2,3,4}`).
    ///
    /// The OCES3 policies sit under the same arcs (`…2.7`, `…3.7`), so they are excluded here:
    /// an OCES3 certificate is not accepted as OCES2.
    #[must_use]
    pub fn oces2() -> Self {
        Self::from_known(
            &[OCES2_EMPLOYEE, OCES2_ORGANISATION, OCES2_SYSTEM],
            &[OCES3_EMPLOYEE, OCES3_ORGANISATION],
        )
    }

    /// OCES2 production employee (MOCES) certificates only.
    #[must_use]
    pub fn oces2_employee() -> Self {
        Self::from_known(&[OCES2_EMPLOYEE], &[OCES3_EMPLOYEE])
    }

    /// OCES2 production organisation (VOCES) and function/system (FOCES) certificates.
    #[must_use]
    pub fn oces2_organisation() -> Self {
        Self::from_known(&[OCES2_ORGANISATION, OCES2_SYSTEM], &[OCES3_ORGANISATION])
    }

    /// OCES2 DanID test certificates: pre-production (`1.3.6.1.4.1.31313.2.4.6.{2,3,4}`) and
    /// the integration-test environment (`1.3.6.1.4.1.31313.2.4.1`).
    #[must_use]
    pub fn oces2_test() -> Self {
        Self::from_known(
            &[
                OCES2_TEST_EMPLOYEE,
                OCES2_TEST_ORGANISATION,
                OCES2_TEST_SYSTEM,
                OCES2_TEST_IG,
            ],
            &[],
        )
    }

    /// OCES3 (MitID Erhverv) employee and organisation/system certificates, test and production
    /// (`1.2.208.169.1.1.1.2.7`, `1.2.208.169.1.1.1.3.7`).
    #[must_use]
    pub fn oces3() -> Self {
        Self::from_known(&[OCES3_EMPLOYEE, OCES3_ORGANISATION], &[])
    }

    /// OCES3 organisation/system certificates only.
    #[must_use]
    pub fn oces3_organisation() -> Self {
        Self::from_known(&[OCES3_ORGANISATION], &[])
    }

    /// OCES3 employee certificates only.
    #[must_use]
    pub fn oces3_employee() -> Self {
        Self::from_known(&[OCES3_EMPLOYEE], &[])
    }

    /// Accepts leaves under any of the given policy OID prefixes (dotted decimal).
    ///
    /// # Errors
    /// `SIG-POLICY-01` when a prefix is not a valid OID.
    pub fn with_policy_prefixes(prefixes: &[&str]) -> Result<Self, VerifyError> {
        let mut oids = Vec::with_capacity(prefixes.len());
        for prefix in prefixes {
            let oid = ObjectIdentifier::new(prefix).map_err(|_| {
                VerifyError::new(
                    VerifyErrorKind::InvalidPolicyPrefix,
                    format!("policy prefix `{prefix}` is not an object identifier"),
                )
            })?;
            oids.push(oid);
        }
        Ok(Self::base(Accepted::Prefixes {
            include: oids,
            exclude: Vec::new(),
        }))
    }

    /// Accepts any certificate policy, or none (as NIST PKITS' any-policy initial set).
    #[must_use]
    pub fn any_policy() -> Self {
        Self::base(Accepted::Any)
    }

    /// Restricts the accepted signature algorithms (default: all of [`SignatureAlgorithm::ALL`]).
    #[must_use]
    pub fn with_algorithms(mut self, algorithms: &[SignatureAlgorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    /// Sets the minimum RSA modulus size in bits (default 2048).
    #[must_use]
    pub fn with_min_rsa_bits(mut self, bits: usize) -> Self {
        self.min_rsa_bits = bits;
        self
    }

    /// Sets the revocation requirement (default [`Revocation::IfAvailable`]).
    #[must_use]
    pub fn with_revocation(mut self, revocation: Revocation) -> Self {
        self.revocation = revocation;
        self
    }

    /// Sets the path-building budget.
    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Whether the trust anchor itself must be valid at the verification time (default yes).
    #[must_use]
    pub fn with_anchor_validity_checked(mut self, checked: bool) -> Self {
        self.check_anchor_validity = checked;
        self
    }

    /// Whether the leaf must fit the OCES end-entity profile (default yes): not a CA
    /// (`SIG-BC-02`) and, when it has keyUsage, allowing signatures (`SIG-KU-03`). RFC 5280
    /// leaves the target certificate's type open and NIST PKITS uses CA certificates as
    /// targets, so its harness turns this off. Payload signatures still need a signing key
    /// usage (`SIG-PAYLOAD-01`).
    #[must_use]
    pub fn with_oces_leaf_profile(mut self, required: bool) -> Self {
        self.oces_leaf_profile = required;
        self
    }

    pub(crate) fn oces_leaf_profile(&self) -> bool {
        self.oces_leaf_profile
    }

    /// Whether a leaf asserting `oid` (dotted decimal) would be accepted by policy.
    #[must_use]
    pub fn accepts_policy_oid(&self, oid: &str) -> bool {
        ObjectIdentifier::new(oid).is_ok_and(|oid| self.accepts(&oid))
    }

    pub(crate) fn accepts_any(&self) -> bool {
        self.accepted == Accepted::Any
    }

    pub(crate) fn accepts(&self, oid: &ObjectIdentifier) -> bool {
        match &self.accepted {
            Accepted::Any => true,
            Accepted::Prefixes { include, exclude } => {
                include.iter().any(|prefix| is_under(oid, prefix))
                    && !exclude.iter().any(|prefix| is_under(oid, prefix))
            }
        }
    }

    /// The accepted signature algorithms.
    #[must_use]
    pub fn algorithms(&self) -> &[SignatureAlgorithm] {
        &self.algorithms
    }

    /// The minimum RSA modulus size in bits.
    #[must_use]
    pub fn min_rsa_bits(&self) -> usize {
        self.min_rsa_bits
    }

    /// The revocation requirement.
    #[must_use]
    pub fn revocation(&self) -> Revocation {
        self.revocation
    }

    /// The path-building budget.
    #[must_use]
    pub fn budget(&self) -> Budget {
        self.budget
    }

    pub(crate) fn check_anchor_validity(&self) -> bool {
        self.check_anchor_validity
    }
}
