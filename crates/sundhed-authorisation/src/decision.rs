//! `check`: may this user use this right on this department now?

use core::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::RuleId;

use crate::directory::Directory;
use crate::hot::{Access, HeldGrant};
use crate::ids::{DepartmentId, GrantId, GroupId, RightId, UserId};
use crate::model::{RightSpec, Validity};
use crate::query::Query;
use crate::read::Read;
use crate::rules::{CONFIDENTIALITY, DECIDE, REF_KNOWN, TIME_LIVE, USER_ACTIVE};

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

/// A rule that can decide a request: the only ids a [`Decision`] can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecisionRule {
    /// `AUTHZ-REF-01`: the user, right or department is unknown.
    Known,
    /// `AUTHZ-USER-01`: the user is deactivated.
    Active,
    /// `AUTHZ-CONF-01`: personal data before the duty of confidentiality is acknowledged.
    Confidentiality,
    /// `AUTHZ-DECIDE-01`: deny by default; allow when a grant determines the request.
    Permitted,
    /// `AUTHZ-TIME-01`: grants count only inside their interval.
    LiveAt,
}

impl DecisionRule {
    /// Every decision rule, in the order [`Decision::rules`] gives them.
    const ALL: [Self; 5] = [
        Self::Known,
        Self::Active,
        Self::Confidentiality,
        Self::Permitted,
        Self::LiveAt,
    ];

    /// The rule's id.
    pub(crate) const fn id(self) -> RuleId {
        match self {
            Self::Known => REF_KNOWN,
            Self::Active => USER_ACTIVE,
            Self::Confidentiality => CONFIDENTIALITY,
            Self::Permitted => DECIDE,
            Self::LiveAt => TIME_LIVE,
        }
    }

    /// The rule's bit in a [`DecisionRules`] set.
    const fn bit(self) -> u8 {
        match self {
            Self::Known => 1,
            Self::Active => 1 << 1,
            Self::Confidentiality => 1 << 2,
            Self::Permitted => 1 << 3,
            Self::LiveAt => 1 << 4,
        }
    }
}

/// The rules that decided a request: a set of [`DecisionRule`]s, one bit each, so a decision
/// keeps every rule that decided it without allocating (and without a limit to overflow).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct DecisionRules(u8);

impl DecisionRules {
    fn add(&mut self, rule: DecisionRule) {
        self.0 |= rule.bit();
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn iter(self) -> impl Iterator<Item = RuleId> {
        DecisionRule::ALL
            .into_iter()
            .filter(move |r| self.0 & r.bit() != 0)
            .map(DecisionRule::id)
    }
}

impl fmt::Debug for DecisionRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The answer of [`Directory::check`]: the effect, the determining grants and the ids of every
/// rule that decided it.
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
    rules: DecisionRules,
}

impl Decision {
    fn deny() -> Self {
        Self {
            effect: Effect::Deny,
            reasons: Vec::new(),
            rules: DecisionRules::default(),
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

    /// The ids of every rule that decided, each once, in a fixed order (`AUTHZ-REF-01`,
    /// `AUTHZ-USER-01`, `AUTHZ-CONF-01`, `AUTHZ-DECIDE-01`, `AUTHZ-TIME-01`):
    /// `AUTHZ-DECIDE-01` and `AUTHZ-TIME-01` on allow; the failing rules on deny.
    pub fn rules(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.rules.iter()
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
pub(crate) fn check_live_at(validity: &Validity, at: DateTime<Utc>) -> Result<(), DecisionRule> {
    if validity.contains(at) {
        Ok(())
    } else {
        Err(DecisionRule::LiveAt)
    }
}

/// Rule `AUTHZ-CONF-01`: a right marked as showing personal data is denied until the user has
/// acknowledged the duty of confidentiality, at or before the query's time (seed SEI §8:
/// "får indskærpet tavshedspligt").
pub(crate) fn check_confidentiality(
    right: &RightSpec,
    acknowledged: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<(), DecisionRule> {
    if !right.personal_data || acknowledged.is_some_and(|t| t <= at) {
        Ok(())
    } else {
        Err(DecisionRule::Confidentiality)
    }
}

/// Rule `AUTHZ-DECIDE-01` (D8, D9): a request is allowed only if some grant determines it (a
/// live grant of the right, covering the department, held directly or through a group, an
/// admin right directly only, `AUTHZ-GROUP-02`);
/// otherwise it is denied (Cedar `default_deny`). Looks for the determining grants among the
/// grants of the requested right that `user` (whose access entry `access` is) holds directly
/// and through each of their groups, and adds them to `decision`'s reasons (unsorted); a
/// covering grant that is not live adds `AUTHZ-TIME-01` to its rules. Reads only the indexes
/// of `directory`, and allocates only for the reasons.
pub(crate) fn check_permitted(
    directory: &impl Read,
    access: &Access,
    request: &AccessRequest,
    at: DateTime<Utc>,
    decision: &mut Decision,
) -> Result<(), DecisionRule> {
    let right = request.right;
    let direct = directory.user_grants(request.user, right);
    collect(directory, direct, None, request, at, decision);
    // An admin right counts only when held directly (`AUTHZ-GROUP-02`): the admin model lives
    // on users, and a group's admin right (from an older log) lets no member administer.
    let through_groups = !directory.right(right).is_some_and(|r| r.administers_users);
    for group in access.groups().filter(|_| through_groups) {
        let grants = directory.group_grants(group, right).iter();
        collect(directory, grants, Some(group), request, at, decision);
    }
    if decision.reasons.is_empty() {
        Err(DecisionRule::Permitted)
    } else {
        Ok(())
    }
}

/// Adds the grants among `grants` (one holder's grants of the requested right) that
/// determine the request; a covering grant that is not live adds `AUTHZ-TIME-01`.
fn collect<'a>(
    directory: &impl Read,
    grants: impl Iterator<Item = &'a HeldGrant>,
    via: Option<GroupId>,
    request: &AccessRequest,
    at: DateTime<Utc>,
    decision: &mut Decision,
) {
    for held in grants {
        if !directory.covers(held.department, request.department) {
            continue;
        }
        match check_live_at(&held.validity, at) {
            Ok(()) => decision.reasons.push(Reason {
                grant: held.id,
                via,
            }),
            Err(rule) => decision.rules.add(rule),
        }
    }
}

impl Directory {
    /// Decides `request` at time `at`. Deny by default; a denying rule overrides any grant.
    ///
    /// `check` reads only the indexes it keeps for this purpose; [`audit_indexes`](Self::audit_indexes)
    /// compares them with the grant records.
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
        decide(self.store(), request, at)
    }
}

/// Decides `request` at `at` on the state `store` reads (see `Directory::check`): routes the
/// request through the decision rules, each decided by its own `check_*`.
#[inline]
pub(crate) fn decide(store: &impl Read, request: &AccessRequest, at: DateTime<Utc>) -> Decision {
    let mut decision = Decision::deny();
    let Some(access) = store.access(request.user) else {
        decision.rules.add(DecisionRule::Known);
        return decision;
    };
    let Some(spec) = store.right(request.right) else {
        decision.rules.add(DecisionRule::Known);
        return decision;
    };
    if store.parent_of(request.department).is_none() {
        decision.rules.add(DecisionRule::Known);
        return decision;
    }
    if !access.active {
        decision.rules.add(DecisionRule::Active);
    }
    if let Err(rule) = check_confidentiality(spec, access.acknowledged, at) {
        decision.rules.add(rule);
    }
    // Deny overrides: a request already denied is not allowed by any grant.
    let blocked = !decision.rules.is_empty();
    match check_permitted(store, access, request, at, &mut decision) {
        Ok(()) if !blocked => {
            decision.effect = Effect::Allow;
            decision.reasons.sort_unstable();
            decision.reasons.dedup_by_key(|r| r.grant);
            decision.rules.add(DecisionRule::Permitted);
            decision.rules.add(DecisionRule::LiveAt);
        }
        permitted => {
            decision.reasons.clear();
            if let (Err(rule), false) = (permitted, blocked) {
                decision.rules.add(rule);
            }
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::{DecisionRule, DecisionRules};

    /// Every decision rule has its own bit, so a decision can hold all of them at once and
    /// none is ever dropped.
    #[test]
    fn authz_decide_01_the_rule_set_holds_every_decision_rule_at_once() {
        let mut all = DecisionRules::default();
        for (i, rule) in DecisionRule::ALL.into_iter().enumerate() {
            let mut alone = DecisionRules::default();
            alone.add(rule);
            assert_eq!(alone.iter().collect::<Vec<_>>(), [rule.id()]);
            all.add(rule);
            all.add(rule);
            assert_eq!(all.iter().count(), i + 1);
        }
        let ids: Vec<_> = all.iter().collect();
        let expected: Vec<_> = DecisionRule::ALL
            .into_iter()
            .map(DecisionRule::id)
            .collect();
        assert_eq!(ids, expected);
    }
}
