//! `check`: may this user use this right on this department now?

use core::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::RuleId;

use crate::directory::{Directory, HeldGrant};
use crate::ids::{DepartmentId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Grant, Validity};
use crate::rules::{ACTIVE, CONFIDENTIALITY, KNOWN, LIVE_AT, PERMITTED};

/// A question for [`Directory::check`]: may `user` use `right` (of its form) on `department`?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccessRequest {
    /// Who asks.
    pub user: UserId,
    /// The right (it names its form).
    pub right: RightId,
    /// The department the user acts for.
    pub department: DepartmentId,
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// The request is allowed.
    Allow,
    /// The request is denied (the default).
    Deny,
}

/// One determining grant: a live grant that covers the request, held directly or through a
/// group the user is a member of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Reason {
    /// The grant.
    pub grant: GrantId,
    /// The group through which the user holds it, if not directly.
    pub via: Option<GroupId>,
}

/// An inconsistency between the directory's indexes and its grant records, as
/// [`Directory::audit_indexes`] reports it. [`Directory::check`] reads only the indexes, so
/// it never reports one itself; a decision carrying errors is always a deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// An index names a grant that is not in the directory.
    #[error("the index names {0}, which is missing (AUTHZ-DECIDE-01)")]
    MissingGrant(GrantId),
    /// An index holds a grant under the wrong holder or right.
    #[error("{0} is indexed under the wrong holder or right (AUTHZ-DECIDE-01)")]
    MisfiledGrant(GrantId),
}

impl DecisionError {
    /// The rule under which the request was denied.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        PERMITTED
    }
}

const MAX_RULES: usize = 4;

/// The answer of [`Directory::check`]: the effect, the determining grants, the rule ids that
/// decided it, and any inconsistency met.
///
/// Which grants are determining: on **allow**, every grant that is live at the request's time
/// (`AUTHZ-TIME-01`), is of the requested right, covers the requested department (itself or an
/// ancestor) and is held by the user directly or through a group the user is a member of;
/// sorted by grant id, so the order in which grants were made does not matter. On **deny**
/// there are none: the rule ids say why (`AUTHZ-DECIDE-01` no live covering grant, with
/// `AUTHZ-TIME-01` when a covering grant exists but is not live; `AUTHZ-CONF-01` confidentiality
/// not acknowledged; `AUTHZ-USER-01` user deactivated; `AUTHZ-REF-01` unknown user, right or
/// department). Reasons are non-empty exactly when the effect is allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    effect: Effect,
    reasons: Vec<Reason>,
    rules: [Option<RuleId>; MAX_RULES],
    errors: Vec<DecisionError>,
}

impl Decision {
    fn deny() -> Self {
        Self {
            effect: Effect::Deny,
            reasons: Vec::new(),
            rules: [None; MAX_RULES],
            errors: Vec::new(),
        }
    }

    fn add_rule(&mut self, rule: RuleId) {
        if self.rules.contains(&Some(rule)) {
            return;
        }
        if let Some(slot) = self.rules.iter_mut().find(|r| r.is_none()) {
            *slot = Some(rule);
        }
    }

    /// Allow or deny.
    #[must_use]
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// Whether the request is allowed.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        self.effect == Effect::Allow
    }

    /// The determining grants (empty on deny), sorted by grant id.
    #[must_use]
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// The ids of the rules that decided: `AUTHZ-DECIDE-01` and `AUTHZ-TIME-01` on allow;
    /// the failing rules on deny.
    pub fn rules(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.rules.iter().flatten().copied()
    }

    /// Inconsistencies met; any makes the decision a deny.
    #[must_use]
    pub fn errors(&self) -> &[DecisionError] {
        &self.errors
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.effect {
            Effect::Allow => f.write_str("allow")?,
            Effect::Deny => f.write_str("deny")?,
        }
        for (i, r) in self.rules().enumerate() {
            f.write_str(if i == 0 { " (" } else { ", " })?;
            write!(f, "{r}")?;
            if i + 1 == self.rules().count() {
                f.write_str(")")?;
            }
        }
        for reason in &self.reasons {
            write!(f, "; {}", reason.grant)?;
            if let Some(g) = reason.via {
                write!(f, " via {g}")?;
            }
        }
        Ok(())
    }
}

/// Rule `AUTHZ-TIME-01` (D10): a grant counts at time `at` only if `at` lies in
/// `[valid_from, valid_until)`; the time is the query's argument, never the clock (SpiceDB
/// v1.57.1 expiry advisory).
#[must_use]
pub(crate) fn check_live_at(validity: &Validity, at: DateTime<Utc>) -> bool {
    validity.contains(at)
}

/// Rule `AUTHZ-CONF-01`: a right marked as showing personal data is denied until the user has
/// acknowledged the duty of confidentiality, at or before the query's time (seed SEI §8:
/// "får indskærpet tavshedspligt").
#[must_use]
pub(crate) fn check_confidentiality(
    acknowledged: Option<DateTime<Utc>>,
    personal_data: bool,
    at: DateTime<Utc>,
) -> bool {
    !personal_data || acknowledged.is_some_and(|t| t <= at)
}

/// Rule `AUTHZ-DECIDE-01` (D8, D9): a request is allowed only if some grant determines it (a
/// live grant of the right, covering the department, held directly or through a group) and
/// nothing was inconsistent; otherwise it is denied (Cedar `default_deny`).
#[must_use]
pub(crate) fn check_permitted(reasons: &[Reason], errors: &[DecisionError]) -> bool {
    !reasons.is_empty() && errors.is_empty()
}

impl Directory {
    /// Decides `request` at time `at`. Deny by default and on any inconsistency.
    ///
    /// Cost: one lookup of the user, then one index lookup per holder (the user and each of
    /// their groups) and a walk up the department tree per candidate grant; it does not grow
    /// with the size of the directory, and allocates only for the reasons of an allow.
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{AccessRequest, Directory, DepartmentId, FormId, RightId, UserId};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let request = AccessRequest {
    ///     user: UserId::new(1),
    ///     right: RightId::new(FormId::new(0), 1),
    ///     department: DepartmentId::new(0),
    /// };
    /// let decision = Directory::new().check(&request, at);
    /// assert!(!decision.is_allowed());
    /// assert!(decision.reasons().is_empty());
    /// assert_eq!(decision.rules().next().map(|r| r.as_str()), Some("AUTHZ-REF-01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn check(&self, request: &AccessRequest, at: DateTime<Utc>) -> Decision {
        let mut decision = Decision::deny();
        let Some(access) = self.access.get(request.user) else {
            decision.add_rule(KNOWN);
            return decision;
        };
        let Some(spec) = self.right(request.right) else {
            decision.add_rule(KNOWN);
            return decision;
        };
        if !self.parents.contains_key(&request.department) {
            decision.add_rule(KNOWN);
            return decision;
        }
        if !access.active {
            decision.add_rule(ACTIVE);
        }
        if !check_confidentiality(access.acknowledged, spec.personal_data, at) {
            decision.add_rule(CONFIDENTIALITY);
        }
        let mut expired_cover = false;
        let right = request.right;
        self.collect(
            self.user_grants(request.user, right),
            None,
            request,
            at,
            &mut decision,
            &mut expired_cover,
        );
        for group in access.groups() {
            let grants = self.group_grants(group, right).iter();
            self.collect(
                grants,
                Some(group),
                request,
                at,
                &mut decision,
                &mut expired_cover,
            );
        }
        let blocked = decision.rules.iter().any(Option::is_some);
        if !blocked && check_permitted(&decision.reasons, &decision.errors) {
            decision.effect = Effect::Allow;
            decision.reasons.sort_unstable();
            decision.reasons.dedup_by_key(|r| r.grant);
            decision.add_rule(PERMITTED);
            decision.add_rule(LIVE_AT);
        } else {
            decision.reasons.clear();
            if decision.rules.iter().all(Option::is_none) || !decision.errors.is_empty() {
                decision.add_rule(PERMITTED);
            }
            if expired_cover {
                decision.add_rule(LIVE_AT);
            }
        }
        decision
    }

    /// Adds the grants among `grants` (one holder's grants of the requested right) that
    /// determine the request.
    fn collect<'a>(
        &self,
        grants: impl Iterator<Item = &'a HeldGrant>,
        via: Option<GroupId>,
        request: &AccessRequest,
        at: DateTime<Utc>,
        decision: &mut Decision,
        expired_cover: &mut bool,
    ) {
        for held in grants {
            if !self.covers(held.department, request.department) {
                continue;
            }
            if check_live_at(&held.validity, at) {
                decision.reasons.push(Reason {
                    grant: held.id,
                    via,
                });
            } else {
                *expired_cover = true;
            }
        }
    }

    /// Compares the index `check` reads with the grants themselves; empty when consistent.
    /// Its cost grows with the directory: for audits and tests, not for every request.
    #[must_use]
    pub fn audit_indexes(&self) -> Vec<DecisionError> {
        let mut errors = Vec::new();
        let mut audit = |holder: Grantee, held: &HeldGrant| match self.grants.get(&held.id) {
            None => errors.push(DecisionError::MissingGrant(held.id)),
            Some(g)
                if g.grantee != holder
                    || g.right != held.right
                    || g.department != held.department
                    || g.validity != held.validity =>
            {
                errors.push(DecisionError::MisfiledGrant(held.id));
            }
            Some(_) => {}
        };
        let mut indexed = 0usize;
        for access in self.access.iter() {
            for held in access.grants.iter() {
                indexed += 1;
                audit(Grantee::User(access.user), held);
            }
        }
        for ((group, _), holding) in &self.group_holdings {
            for held in holding.as_slice() {
                indexed += 1;
                audit(Grantee::Group(*group), held);
            }
        }
        if indexed != self.grants.len() {
            for g in self.grants.values() {
                let found = match g.grantee {
                    Grantee::User(u) => self.user_grants(u, g.right).any(|h| h.id == g.id),
                    Grantee::Group(x) => self.group_grants(x, g.right).iter().any(|h| h.id == g.id),
                };
                if !found {
                    errors.push(DecisionError::MisfiledGrant(g.id));
                }
            }
        }
        errors.sort_unstable_by_key(|e| match e {
            DecisionError::MissingGrant(id) | DecisionError::MisfiledGrant(id) => *id,
        });
        errors
    }

    /// Whether `grant` applies to `request` at `at` through `via`, as [`check`](Self::check)
    /// decides it: live, of the right, covering the department, held by the user or a group
    /// they are in. For tests of explanation soundness.
    #[must_use]
    pub fn grant_applies(&self, grant: &Grant, request: &AccessRequest, at: DateTime<Utc>) -> bool {
        let holder_ok = match grant.grantee {
            Grantee::User(u) => u == request.user,
            Grantee::Group(g) => self
                .users
                .get(&request.user)
                .is_some_and(|u| u.groups.contains(&g)),
        };
        holder_ok
            && grant.right == request.right
            && self.covers(grant.department, request.department)
            && check_live_at(&grant.validity, at)
    }
}
