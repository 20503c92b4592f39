//! The path-building budget and the meter that charges one verification against it.
//!
//! Near the bottom of the crate's module graph (it needs only the error type), so both
//! the path builder and the revocation checks can charge the same meter.

use crate::error::{BudgetLimit, VerifyError, VerifyErrorKind};

/// Limits that keep path building cheap on hostile input.
///
/// The numbers follow rustls-webpki's choices (`verify_cert.rs`: a budget of 100 signature
/// checks and a cap on issuer candidates) and the OCES hierarchies, which are 3 deep
/// (root, issuing CA, leaf); 8 leaves room for cross-certificates.
///
/// # Example
/// ```
/// use sundhed_signing::Budget;
///
/// let budget = Budget::default();
/// assert_eq!(budget.max_signature_checks(), 100);
/// assert_eq!(budget.max_depth(), 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    max_signature_checks: usize,
    max_candidates: usize,
    max_depth: usize,
}

impl Budget {
    /// A budget with the given limits (each at least 1).
    #[must_use]
    pub fn new(max_signature_checks: usize, max_candidates: usize, max_depth: usize) -> Self {
        Self {
            max_signature_checks: max_signature_checks.max(1),
            max_candidates: max_candidates.max(1),
            max_depth: max_depth.max(1),
        }
    }

    /// Most RSA verifications (certificate and CRL signatures) one verification may do.
    #[must_use]
    pub fn max_signature_checks(&self) -> usize {
        self.max_signature_checks
    }

    /// Most issuer candidates one verification may consider.
    #[must_use]
    pub fn max_candidates(&self) -> usize {
        self.max_candidates
    }

    /// Most certificates in a path, leaf and trust anchor included.
    #[must_use]
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(100, 200, 8)
    }
}

/// What one verification has spent.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Meter {
    budget: Budget,
    pub(crate) signatures: usize,
    pub(crate) candidates: usize,
    pub(crate) cache_hits: usize,
}

impl Meter {
    pub(crate) fn new(budget: Budget) -> Self {
        Self {
            budget,
            ..Self::default()
        }
    }

    pub(crate) fn charge_signature(&mut self) -> Result<(), VerifyError> {
        self.signatures += 1;
        check_budget(
            BudgetLimit::SignatureChecks,
            self.signatures,
            self.budget.max_signature_checks(),
        )
    }

    pub(crate) fn charge_candidate(&mut self) -> Result<(), VerifyError> {
        self.candidates += 1;
        check_budget(
            BudgetLimit::IssuerCandidates,
            self.candidates,
            self.budget.max_candidates(),
        )
    }
}

/// `SIG-BUDGET-01`: one verification does at most the budgeted number of signature checks,
/// considers at most the budgeted number of issuer candidates and builds paths of at most the
/// budgeted depth, so hostile input cannot make path building slow (RFC 4158 §5 on the
/// search-space of path building; rustls-webpki's signature budget of 100).
///
/// <https://www.rfc-editor.org/rfc/rfc4158#section-5>
pub(crate) fn check_budget(
    budget: BudgetLimit,
    used: usize,
    limit: usize,
) -> Result<(), VerifyError> {
    if used > limit {
        Err(VerifyError::new(
            VerifyErrorKind::BudgetExceeded { budget, limit },
            format!("path building exceeded its budget of `{limit}` {budget}"),
        ))
    } else {
        Ok(())
    }
}
