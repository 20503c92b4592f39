//! Delegation rules: D1–D5 of `shared/design/delegation-invariants.md`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::describe::Describe;
use crate::ids::{Actor, DepartmentId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Grant, Support};
use crate::query::Query;
use crate::read::Read;
use crate::rules::{
    APPOINTMENT_CHAIN, CEILING, GROUP_NO_ADMIN_RIGHT, HOLD, MANAGES, MEMBER_SUPPORT, REVOKE, SCOPE,
    SELF_GRANT, SUPPORT, TIME_INTERVAL,
};
use sundhed_identity::Violation;

/// Rule `AUTHZ-CEIL-01` (D1): every right granted in an organisation, to a user or a group,
/// lies in the ceiling the authority set for it (seed SEB step 2: "tildeler rettigheder til de
/// roller organisationen skal uddele"; ARBAC97 PRA97 `can_assignp`); when the ceiling is
/// lowered, a grant of a right left out is revoked, with its dependants. `ceiling` is
/// `organisation`'s ceiling: the current one when granting, the new one when revoking.
pub(crate) fn check_ceiling(
    directory: &impl Read,
    organisation: Cvr,
    ceiling: &BTreeSet<RightId>,
    right: RightId,
) -> Result<(), Violation> {
    if ceiling.contains(&right) {
        Ok(())
    } else {
        Err(Violation::new(
            CEILING,
            format!(
                "{} is not in the ceiling of organisation `{organisation}`",
                directory.describe_right(right)
            ),
        ))
    }
}

/// What a grantor's standing to hand a right down rests on, as a check found it: the
/// organisation's mandate (a primary admin in scope), or the grantor's own grants that qualify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// A primary admin whose scope covers the form and department.
    Primary,
    /// The grantor's own direct grants covering the department for the whole new interval.
    Grants(Vec<GrantId>),
}

/// One grant an admin wants to make: who, which right, on which department, for which
/// interval (`[at, until)`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Handing {
    pub(crate) admin: UserId,
    pub(crate) right: RightId,
    pub(crate) department: DepartmentId,
    pub(crate) at: DateTime<Utc>,
    pub(crate) until: Option<DateTime<Utc>>,
}

impl Handing {
    /// A primary admin whose scope covers the form and department stands on the organisation
    /// itself, for both scope and holding.
    fn primary(&self, directory: &impl Read) -> Option<Standing> {
        directory
            .primary_covers(self.admin, Some(self.right.form()), self.department)
            .then_some(Standing::Primary)
    }
}

/// The support a grant records when its grantor's scope (`AUTHZ-SCOPE-01`) and holding
/// (`AUTHZ-HOLD-01`) rest on `scope` and `held`.
pub(crate) fn support_of(scope: Standing, held: Standing) -> Support {
    match (scope, held) {
        (Standing::Grants(admin), Standing::Grants(held)) => Support::Delegated { admin, held },
        _ => Support::Organisation,
    }
}

/// Rule `AUTHZ-HOLD-01` (D2): a co-admin hands down only a right they hold themselves, by a
/// direct grant covering the department for the whole new interval (SEI administrator guide:
/// users are created "ved at nedarve egne rettigheder"; SQL `WITH GRANT OPTION`). A primary
/// admin holds the organisation's ceiling. Applies to every right, and to the rights a group
/// carries when an admin adds a user to it. Gives what the holding rests on.
pub(crate) fn check_grantor_holds(
    directory: &impl Read,
    grant: Handing,
) -> Result<Standing, Violation> {
    if let Some(primary) = grant.primary(directory) {
        return Ok(primary);
    }
    let Handing {
        admin,
        right,
        department,
        at,
        until,
    } = grant;
    let held = directory.qualifying(admin, right, department, at, until);
    if held.is_empty() {
        Err(Violation::new(
            HOLD,
            format!(
                "{} does not hold {} on {} for the whole interval",
                directory.describe_user(admin),
                directory.describe_right(right),
                directory.describe_department(department)
            ),
        ))
    } else {
        Ok(Standing::Grants(held))
    }
}

/// Rule `AUTHZ-SCOPE-01` (D3): a grant lies within its grantor's admin scope: a primary
/// admin's departments and forms, or the departments on which a co-admin holds the form's
/// right to administer users for the whole new interval. Appointing a co-admin is granting
/// admin rights, so the co-admin's scope lies within the appointer's, along every chain
/// (URA97 role range; SARBAC administrative scope). Gives what the scope rests on.
pub(crate) fn check_scope(directory: &impl Read, grant: Handing) -> Result<Standing, Violation> {
    if let Some(primary) = grant.primary(directory) {
        return Ok(primary);
    }
    let (admin, form, department) = (grant.admin, grant.right.form(), grant.department);
    let admin_grants = directory
        .admin_right(form)
        .map(|a| directory.qualifying(admin, a, department, grant.at, grant.until))
        .unwrap_or_default();
    if admin_grants.is_empty() {
        Err(Violation::new(
            SCOPE,
            format!(
                "{} does not administer {} on {} for the whole interval",
                directory.describe_user(admin),
                directory.describe_form(form),
                directory.describe_department(department)
            ),
        ))
    } else {
        Ok(Standing::Grants(admin_grants))
    }
}

/// Rule `AUTHZ-TIME-02`: a new grant's interval `[valid_from, valid_until)` starts no earlier
/// than the command and is not empty (no back-dating, no grants that never count).
pub(crate) fn check_interval(
    at: DateTime<Utc>,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<(), Violation> {
    if from < at {
        return Err(Violation::new(
            TIME_INTERVAL,
            format!("the grant would start at `{from}`, before the command at `{at}`"),
        ));
    }
    match until {
        Some(u) if u <= from => Err(Violation::new(
            TIME_INTERVAL,
            format!("the grant would end at `{u}`, not after it starts at `{from}`"),
        )),
        _ => Ok(()),
    }
}

/// What an admin manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ManageTarget {
    /// A user.
    User(UserId),
    /// A department (its groups, grants on it).
    Department(DepartmentId),
}

/// Rule `AUTHZ-MANAGE-01`: an admin creates groups and users, adds users to groups and
/// deactivates users only in departments they administer (as primary admin, or through a
/// live admin-right grant); they manage a user when one of the user's groups is keyed by such
/// a department (seed SEB: the admin is responsible for "institutionens medarbejdere").
pub(crate) fn check_manages(
    directory: &impl Read,
    admin: UserId,
    target: ManageTarget,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let ok = match target {
        ManageTarget::User(user) => directory.manages_user(admin, user, at),
        ManageTarget::Department(department) => directory.administers(admin, department, at),
    };
    if ok {
        Ok(())
    } else {
        let what = match target {
            ManageTarget::User(u) => directory.describe_user(u),
            ManageTarget::Department(d) => directory.describe_department(d),
        };
        Err(Violation::new(
            MANAGES,
            format!("{} does not manage {what}", directory.describe_user(admin)),
        ))
    }
}

/// Rule `AUTHZ-SUPPORT-01` (D4, D5): a grant lives only while one of its recorded supports
/// lives: a primary admin's grant rests on the organisation's mandate (which lasts while its
/// right stays in the ceiling, `AUTHZ-CEIL-01`); a co-admin's grant lives while at least one of
/// the admin-right grants and at least one of the held grants it recorded live. Revoking a
/// grant revokes, in cascade, every grant left without support; grants with another live
/// support survive (PostgreSQL `REVOKE .. CASCADE`). `dead` are the grants the command
/// revokes so far.
pub(crate) fn check_support(
    directory: &impl Read,
    grant: &Grant,
    dead: &BTreeSet<GrantId>,
) -> Result<(), Violation> {
    let alive = |ids: &[GrantId]| ids.iter().any(|id| directory.alive_except(*id, dead));
    let supported = match &grant.support {
        Support::Organisation => true,
        Support::Delegated { admin, held } => alive(admin) && alive(held),
    };
    if supported {
        Ok(())
    } else {
        Err(Violation::new(
            SUPPORT,
            format!(
                "{} has lost every support it recorded",
                directory.describe_grant(grant.id)
            ),
        ))
    }
}

/// What an actor wants to revoke: a grant, or a user's membership of a group, which is a grant
/// of each right the group carries (`AUTHZ-MEMBER-01`): for each group grant `carried`, the
/// membership counts as a grant of its right on its department made by the membership's
/// `grantor`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RevokeTarget<'a> {
    /// A grant.
    Grant(&'a Grant),
    /// `user`'s membership of the group holding `carried`, added by `grantor`.
    Membership {
        /// The member.
        user: UserId,
        /// Who added them.
        grantor: Actor,
        /// One grant the group holds.
        carried: &'a Grant,
    },
}

/// Rule `AUTHZ-REVOKE-01` (D5): a grant is revoked by a primary admin of its organisation
/// whose scope covers its form and department; by its grantor, or an admin above the grantor in
/// the appointment chain of its form (`Query::above`: who appointed whom, never who gave whom a
/// copy of a right), while they administer its form on its department now; or by the
/// authority (URA97 `can_revoke`, restricted to the appointment chain;
/// `shared/design/delegation-invariants.md` D5; issue 13). An admin's power to revoke ends with
/// their appointment: a removed primary admin or co-admin revokes nothing, not even their own
/// grants. Deactivating a user applies this to each grant it revokes; taking a user out of a
/// group applies it to the membership as a grant of each right the group carries, made by the
/// membership's grantor (issue 13 item 6).
pub(crate) fn check_may_revoke(
    directory: &impl Read,
    actor: Actor,
    target: RevokeTarget<'_>,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let Actor::User(user) = actor else {
        return Ok(());
    };
    let (grant, grantor) = match target {
        RevokeTarget::Grant(grant) => (grant, grant.grantor),
        RevokeTarget::Membership {
            grantor, carried, ..
        } => (carried, grantor),
    };
    let (form, department) = (grant.form(), grant.department);
    let above_grantor = || match grantor {
        Actor::User(grantor) => directory.above(grantor, Some(form), at).contains(&user),
        Actor::Authority => false,
    };
    let allowed = directory.active_user_org(user) == Some(grant.organisation)
        && (directory.primary_covers(user, Some(form), department)
            || (directory.administers_form(user, form, department, at)
                && (grantor == actor || above_grantor())));
    if allowed {
        return Ok(());
    }
    let what = match target {
        RevokeTarget::Grant(_) => directory.describe_grant(grant.id),
        RevokeTarget::Membership { user: member, .. } => format!(
            "the membership of {} that brings {} ({})",
            directory.describe_user(member),
            directory.describe_right(grant.right),
            directory.describe_grant(grant.id)
        ),
    };
    Err(Violation::new(
        REVOKE,
        format!(
            "{} may not revoke {what}: not a primary admin covering it, nor its grantor or an \
             admin above its grantor who administers {} on {}",
            directory.describe_user(user),
            directory.describe_form(form),
            directory.describe_department(department)
        ),
    ))
}

/// Rule `AUTHZ-GROUP-02`: admin rights are held by users only. The admin model (appointments,
/// the appointment chain, who administers what) lives on users, so an admin right granted to a
/// group would let `check` allow members whom the admin model lets administer nothing: granting
/// an admin right (`administers_users`) to a group is refused, and `check` ignores one a group
/// holds from an older log (issue 13 item 6; Keycloak discussion 36378, group-carried roles).
pub(crate) fn check_group_holds_no_admin_right(
    directory: &impl Read,
    grantee: Grantee,
    right: RightId,
) -> Result<(), Violation> {
    match grantee {
        Grantee::Group(group) if directory.right(right).is_some_and(|r| r.administers_users) => {
            Err(Violation::new(
                GROUP_NO_ADMIN_RIGHT,
                format!(
                    "{} administers users and is held by users only, not by {}",
                    directory.describe_right(right),
                    directory.describe_group(group)
                ),
            ))
        }
        Grantee::Group(_) | Grantee::User(_) => Ok(()),
    }
}

/// What a membership's grantor stands on, before or after a command (`AUTHZ-MEMBER-01`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct GrantorStanding<'a> {
    /// The grants the command revokes (none, for "before").
    pub(crate) dead: &'a BTreeSet<GrantId>,
    /// Whether the command deactivates the grantor.
    pub(crate) gone: bool,
}

/// Whether `grantor` could hand `carried` (a grant a group holds) down at `at`: a primary admin
/// covering it (the organisation's mandate), or a co-admin with a live admin-right grant and a
/// live held grant covering it until `carried` ends, none of them in `standing.dead`.
pub(crate) fn could_hand_down(
    directory: &impl Read,
    grantor: UserId,
    carried: &Grant,
    at: DateTime<Utc>,
    standing: GrantorStanding<'_>,
) -> bool {
    if standing.gone || directory.active_user_org(grantor).is_none() {
        return false;
    }
    let (right, department, until) = (carried.right, carried.department, carried.validity.until);
    if directory.primary_covers(grantor, Some(right.form()), department) {
        return true;
    }
    let live = |ids: Vec<GrantId>| ids.iter().any(|id| !standing.dead.contains(id));
    directory
        .admin_right(right.form())
        .is_some_and(|a| live(directory.qualifying(grantor, a, department, at, until)))
        && live(directory.qualifying(grantor, right, department, at, until))
}

/// Rule `AUTHZ-MEMBER-01` (D2, D4, D5): a membership is a grant of every right its group
/// carries, made by its grantor (the event's actor), so it rests on what let the grantor hand
/// those rights down, as a grant does: a co-admin's memberships end, in cascade, when the
/// command takes away the standing that let the grantor hand down a right the group carries
/// (it could before, and cannot after: removal, resignation, revocation, deactivation, the
/// ceiling); a primary admin's rest on the organisation's mandate and outlive their appointment,
/// as their grants do; the authority's never end so. `carried` is a live grant of the group;
/// the user's last group stays (`AUTHZ-GROUP-01`), which the caller decides. Issue 13 item 6.
pub(crate) fn check_membership_support(
    directory: &impl Read,
    user: UserId,
    grantor: Actor,
    carried: &Grant,
    at: DateTime<Utc>,
    after: GrantorStanding<'_>,
) -> Result<(), Violation> {
    let Actor::User(grantor) = grantor else {
        return Ok(());
    };
    let none = BTreeSet::new();
    let before = GrantorStanding {
        dead: &none,
        gone: false,
    };
    if !could_hand_down(directory, grantor, carried, at, before)
        || could_hand_down(directory, grantor, carried, at, after)
    {
        return Ok(());
    }
    let group = match carried.grantee {
        Grantee::Group(group) => directory.describe_group(group),
        Grantee::User(u) => directory.describe_user(u),
    };
    Err(Violation::new(
        MEMBER_SUPPORT,
        format!(
            "the membership of {} in {group}, added by {}, rested on their standing to hand \
             down {}, which ended",
            directory.describe_user(user),
            directory.describe_user(grantor),
            directory.describe_right(carried.right)
        ),
    ))
}

/// What an admin does to a user that the appointment chain constrains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChainAct {
    /// Grants them an admin right (appoints them co-admin).
    Appoint(UserId),
    /// Deactivates them.
    Deactivate(UserId),
}

/// Rule `AUTHZ-APPOINT-01`: the appointment chain (who appointed whom) runs down from the
/// primary admins, whom the authority appoints: nobody appoints a primary admin co-admin; a
/// user who already is a co-admin is appointed further only by a primary admin or by an admin
/// already above them, so nobody makes themself "above" an admin by appointing them again, and
/// the chain has no cycles; an admin never deactivates an admin above them. Design decision of
/// issue 13 (`docs/authorisation.md`, "The appointment chain"); SARBAC administrative scope
/// (`shared/research/authz-anchors.md` §4.1).
pub(crate) fn check_appointment_chain(
    directory: &impl Read,
    admin: UserId,
    act: ChainAct,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let reason = match act {
        ChainAct::Appoint(user) if directory.primary_scope(user).is_some() => Some(format!(
            "{} is a primary admin, appointed by the authority; nobody appoints them co-admin",
            directory.describe_user(user)
        )),
        ChainAct::Appoint(user)
            if directory.is_admin(user, at)
                && directory.primary_scope(admin).is_none()
                && !directory.above(user, None, at).contains(&admin) =>
        {
            Some(format!(
                "{} is already a co-admin; only a primary admin or an admin above them appoints \
                 them further, and {} is not above them",
                directory.describe_user(user),
                directory.describe_user(admin)
            ))
        }
        ChainAct::Deactivate(user) if directory.above(admin, None, at).contains(&user) => {
            Some(format!(
                "{} is above {} in the appointment chain",
                directory.describe_user(user),
                directory.describe_user(admin)
            ))
        }
        ChainAct::Appoint(_) | ChainAct::Deactivate(_) => None,
    };
    match reason {
        Some(reason) => Err(Violation::new(APPOINTMENT_CHAIN, reason)),
        None => Ok(()),
    }
}

/// Rule `AUTHZ-SELF-01`: an admin grants nothing to themself: no grant or co-admin
/// appointment to them, no grant to a group they are a member of, and they add themself to no
/// group (a join carrying rights is a grant, D2). The rights and appointments an admin holds
/// come from someone else, so they end with what that person's appointment rests on, not with
/// the admin's own (issue 13: a primary admin who appointed themself co-admin kept the power
/// after being replaced). `target` is a grantee, or with `join` the group a user is added to.
pub(crate) fn check_not_self_grant(
    directory: &impl Read,
    admin: UserId,
    target: Grantee,
    join: Option<GroupId>,
) -> Result<(), Violation> {
    let member_of = |group: GroupId| {
        directory
            .user(admin)
            .is_some_and(|u| u.groups().contains(&group))
    };
    let who = directory.describe_user(admin);
    let reason = match (target, join) {
        (Grantee::User(user), Some(group)) if user == admin => Some(format!(
            "{who} may not add themself to {}",
            directory.describe_group(group)
        )),
        (Grantee::User(user), None) if user == admin => {
            Some(format!("{who} may not grant to themself"))
        }
        (Grantee::Group(group), _) if member_of(group) => Some(format!(
            "{who} is a member of {} and may not grant to it",
            directory.describe_group(group)
        )),
        _ => None,
    };
    match reason {
        Some(reason) => Err(Violation::new(SELF_GRANT, reason)),
        None => Ok(()),
    }
}
