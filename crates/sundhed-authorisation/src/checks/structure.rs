//! Structure rules: references, uniqueness, organisations, actors, forms, departments,
//! groups and primary admins.

use core::fmt::Display;

use sundhed_identity::Cvr;

use crate::command::NewDepartment;
use crate::directory::Directory;
use crate::ids::{Actor, DepartmentId, UserId};
use crate::model::{Department, RightSpec, ScopeSet, User};
use crate::rules::{
    ACTIVE, ACTOR_KIND, DEPARTMENT_NESTING, FORM_DEFINITION, KEEPS_PRIMARY_ADMIN, KNOWN,
    MAY_CREATE_DEPARTMENT, NOT_PRIMARY_ADMIN, SAME_ORGANISATION, UNIQUE, USER_HAS_GROUP,
};
use sundhed_identity::{Violation, shown};

/// Rule `AUTHZ-REF-01`: a command names only forms, rights, organisations, departments,
/// groups, users and grants that exist (and are what the command expects).
pub(crate) fn check_known<T>(found: Option<T>, what: impl Display) -> Result<T, Violation> {
    found.ok_or_else(|| Violation::new(KNOWN, format!("{what} does not exist")))
}

/// Rule `AUTHZ-UNIQ-01`: a CVR is registered once, a form code, SHAK code, SOR id and
/// certificate holder id name one thing, a person has one active user per organisation, a
/// membership or primary appointment is not made twice.
pub(crate) fn check_unique(taken: bool, what: impl Display) -> Result<(), Violation> {
    if taken {
        Err(Violation::new(UNIQUE, format!("{what} is already taken")))
    } else {
        Ok(())
    }
}

/// Rule `AUTHZ-ORG-01`: the users, groups, departments and grants a command names belong to
/// the organisation the command acts in (an admin's own organisation).
pub(crate) fn check_same_organisation(
    expected: Cvr,
    found: Cvr,
    what: impl Display,
) -> Result<(), Violation> {
    if expected == found {
        Ok(())
    } else {
        Err(Violation::new(
            SAME_ORGANISATION,
            format!("{what} belongs to organisation `{found}`, not `{expected}`"),
        ))
    }
}

/// Who may give a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AllowedActor {
    /// Only the authority.
    Authority,
    /// Only a user.
    User,
    /// The authority or a user.
    Either,
}

/// Rule `AUTHZ-ACTOR-01`: authority commands (forms, organisations, ceilings, primary admins)
/// come from the authority; user commands (administration, acknowledgement) from a user
/// (SEB: "Sundhedsdatastyrelsen tildeler ikke roller til brugere").
pub(crate) fn check_actor_kind(actor: Actor, allowed: AllowedActor) -> Result<(), Violation> {
    match (allowed, actor) {
        (AllowedActor::Either, _)
        | (AllowedActor::Authority, Actor::Authority)
        | (AllowedActor::User, Actor::User(_)) => Ok(()),
        (AllowedActor::Authority, Actor::User(u)) => Err(Violation::new(
            ACTOR_KIND,
            format!("{u} is not the authority"),
        )),
        (AllowedActor::User, Actor::Authority) => Err(Violation::new(
            ACTOR_KIND,
            "the authority does not administer users or grant rights to them",
        )),
    }
}

/// Rule `AUTHZ-USER-01`: a deactivated user gives no commands, receives no grants, joins no
/// groups and is allowed nothing.
pub(crate) fn check_active(user: &User) -> Result<(), Violation> {
    if user.active {
        Ok(())
    } else {
        Err(Violation::new(
            ACTIVE,
            format!("{} is deactivated", user.id),
        ))
    }
}

/// Rule `AUTHZ-FORM-01`: a form has at least one right, distinct right codes, and exactly one
/// right to administer users ("Brugeradministration", SEI administrator guide).
pub(crate) fn check_form_definition(code: &str, rights: &[RightSpec]) -> Result<(), Violation> {
    let admins = rights.iter().filter(|r| r.administers_users).count();
    let mut codes: Vec<&str> = rights.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    let distinct = codes.windows(2).all(|w| w.first() != w.get(1));
    let too_many = rights.len() > usize::from(u16::MAX);
    if admins == 1 && distinct && !too_many && !code.is_empty() {
        Ok(())
    } else {
        Err(Violation::new(
            FORM_DEFINITION,
            format!(
                "form `{}` needs a non-empty code, distinct right codes and exactly one right to administer users (it has {admins})",
                shown(code)
            ),
        ))
    }
}

/// Rule `AUTHZ-DEPT-01`: a department has a SHAK code or a SOR id; its parent belongs to the
/// same organisation; when both carry SHAK codes, the parent's code contains the child's
/// (SHAK levels nest by prefix, Sundhedsdatastyrelsen afdelingsklassifikation).
pub(crate) fn check_department_nesting(
    organisation: Cvr,
    department: &NewDepartment,
    parent: Option<&Department>,
) -> Result<(), Violation> {
    let mut problems = Vec::new();
    if department.shak.is_none() && department.sor.is_none() {
        problems.push(format!(
            "department `{}` has neither a SHAK code nor a SOR id",
            shown(&department.name)
        ));
    }
    if let Some(parent) = parent {
        if parent.organisation != organisation {
            problems.push(format!(
                "the parent {} belongs to another organisation",
                parent.id
            ));
        }
        if let (Some(p), Some(c)) = (parent.shak, department.shak)
            && (p == c || !p.contains(&c))
        {
            problems.push(format!(
                "SHAK code `{c}` does not lie below the parent's `{p}`"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Violation::new(DEPARTMENT_NESTING, problems.join(", ")))
    }
}

/// Rule `AUTHZ-DEPT-02`: departments are created by the authority, or by a primary admin of
/// the organisation whose scope covers the parent (all departments, for a top-level one).
pub(crate) fn check_may_create_department(
    directory: &Directory,
    actor: Actor,
    organisation: Cvr,
    parent: Option<DepartmentId>,
) -> Result<(), Violation> {
    let Actor::User(user) = actor else {
        return Ok(());
    };
    let allowed = directory.active_user_org(user) == Some(organisation)
        && directory
            .primary_scope(user)
            .is_some_and(|scope| match parent {
                Some(p) => directory.scope_covers(scope, None, p),
                None => scope.departments == ScopeSet::All,
            });
    if allowed {
        Ok(())
    } else {
        Err(Violation::new(
            MAY_CREATE_DEPARTMENT,
            format!(
                "{user} is not a primary admin of `{organisation}` covering the parent department"
            ),
        ))
    }
}

/// Rule `AUTHZ-GROUP-01` (D7): every user is a member of at least one group keyed by a
/// department (seed SEI §7); creating a user without groups or leaving the last group is
/// refused.
pub(crate) fn check_user_has_group(
    groups_after: usize,
    who: impl Display,
) -> Result<(), Violation> {
    if groups_after > 0 {
        Ok(())
    } else {
        Err(Violation::new(
            USER_HAS_GROUP,
            format!("{who} would be in no group"),
        ))
    }
}

/// Rule `AUTHZ-ADMIN-01` (D7): an organisation always has at least one primary admin; removing
/// the last one is refused (replace it instead; seed SEB, "oprettes i forbindelse med
/// oprettelsen af en ny organisation").
pub(crate) fn check_keeps_primary_admin(
    remaining: usize,
    organisation: Cvr,
) -> Result<(), Violation> {
    if remaining > 0 {
        Ok(())
    } else {
        Err(Violation::new(
            KEEPS_PRIMARY_ADMIN,
            format!("organisation `{organisation}` would have no primary admin"),
        ))
    }
}

/// Rule `AUTHZ-ADMIN-02`: a user who is a primary admin cannot be deactivated by an admin; the
/// authority removes or replaces the appointment first.
pub(crate) fn check_not_primary_admin(
    directory: &Directory,
    user: UserId,
) -> Result<(), Violation> {
    if directory.primary_scope(user).is_some() {
        Err(Violation::new(
            NOT_PRIMARY_ADMIN,
            format!("{user} is a primary admin; the authority must remove or replace them first"),
        ))
    } else {
        Ok(())
    }
}
