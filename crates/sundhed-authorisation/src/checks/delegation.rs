//! Delegation rules: D1–D5 of `shared/design/delegation-invariants.md`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::describe::Describe;
use crate::ids::{Actor, DepartmentId, GrantId, RightId, UserId};
use crate::model::{Grant, Support};
use crate::query::Query;
use crate::read::Read;
use crate::rules::{CEILING, GRANTOR_HOLDS, INTERVAL, MANAGES, MAY_REVOKE, SCOPE, SUPPORT};
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
            GRANTOR_HOLDS,
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
            INTERVAL,
            format!("the grant would start at `{from}`, before the command at `{at}`"),
        ));
    }
    match until {
        Some(u) if u <= from => Err(Violation::new(
            INTERVAL,
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

/// Rule `AUTHZ-REVOKE-01` (D5): a grant is revoked by its grantor, by a primary admin of its
/// organisation whose scope covers its form and department, by a co-admin above the grantor
/// (the grantor of some grant in its support chain) who administers its form on its
/// department now, or by the authority; never by a peer outside the chain or scope (URA97
/// `can_revoke`, restricted to the chain).
pub(crate) fn check_may_revoke(
    directory: &impl Read,
    actor: Actor,
    grant: &Grant,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let Actor::User(user) = actor else {
        return Ok(());
    };
    let active = directory.active_user_org(user) == Some(grant.organisation);
    let allowed = active
        && (grant.grantor == actor
            || directory.primary_covers(user, Some(grant.form()), grant.department)
            || (directory.administers_form(user, grant.form(), grant.department, at)
                && directory.chain_grantors(grant).contains(&actor)));
    if allowed {
        Ok(())
    } else {
        Err(Violation::new(
            MAY_REVOKE,
            format!(
                "{} may not revoke {}: not its grantor, nor an admin above it in scope",
                directory.describe_user(user),
                directory.describe_grant(grant.id)
            ),
        ))
    }
}
