//! Structure rules: references, uniqueness, organisations, actors, forms, departments,
//! groups and primary admins.

use chrono::{DateTime, Utc};
use sundhed_identity::{CertificateHolderId, Cvr};

use crate::checks::named::{Named, NamedInCommand, Unique};
use crate::command::NewDepartment;
use crate::describe::{Describe, describe_department, describe_user};
use crate::ids::{Actor, DepartmentId, GroupId, UserId};
use crate::model::{Department, Organisation, RightSpec, ScopeSet, User};
use crate::query::{MAX_DEPARTMENT_DEPTH, Query};
use crate::read::Read;
use crate::rules::{
    ACTOR_KIND, ADMIN_KEEPS_PRIMARY, ADMIN_NOT_DEACTIVATED, CERT_ORGANISATION, DEPT_CREATE,
    DEPT_NESTING, FORM_DEFINITION, GROUP_REQUIRED, ORG_SAME, REF_KNOWN, TIME_FORWARD, UNIQUE,
    USER_ACTIVE,
};
use sundhed_identity::{Violation, shown};

/// Rule `AUTHZ-REF-01`: a command names only forms, rights, organisations, departments,
/// groups, users, memberships, appointments and grants that exist (and are what the command
/// expects). Gives what the directory holds for `thing`.
pub(crate) fn check_known<N: Named>(
    directory: &impl Read,
    thing: N,
) -> Result<N::Found<'_>, Violation> {
    thing.find(directory).ok_or_else(|| {
        Violation::new(
            REF_KNOWN,
            format!("{} does not exist", thing.describe(directory)),
        )
    })
}

/// Rule `AUTHZ-UNIQ-01`: a CVR is registered once, a form code, SHAK code, SOR id and
/// certificate holder id name one thing, a person has one active user per organisation, a
/// membership or primary appointment is not made twice. `key` is taken when the directory
/// has it or the command named it before (`named` collects what the command has named).
pub(crate) fn check_unique<'a>(
    directory: &impl Read,
    named: &mut NamedInCommand<'a>,
    key: Unique<'a>,
) -> Result<(), Violation> {
    let twice = !named.insert(key);
    if twice || key.taken(directory) {
        Err(Violation::new(
            UNIQUE,
            format!("{} is already taken", key.describe(directory)),
        ))
    } else {
        Ok(())
    }
}

/// Rule `AUTHZ-ORG-01`: the users, groups, departments and grants a command names belong to
/// the organisation the command acts in (an admin's own organisation). Something unknown
/// belongs to none; `check_known` reports it.
pub(crate) fn check_same_organisation(
    directory: &impl Read,
    organisation: Cvr,
    thing: impl Named,
) -> Result<(), Violation> {
    match thing.organisation(directory) {
        Some(found) if found != organisation => Err(Violation::new(
            ORG_SAME,
            format!(
                "{} belongs to organisation `{found}`, not `{organisation}`",
                thing.describe(directory)
            ),
        )),
        _ => Ok(()),
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
            USER_ACTIVE,
            format!("{} is deactivated", describe_user(user)),
        ))
    }
}

/// Rule `AUTHZ-CERT-01`: a user logs in only with certificates issued for the user's own
/// organisation: the holder id's CVR (OCES2 serialNumber `CVR:<cvr>-RID:<n>`, OCES3
/// organizationIdentifier) is the organisation's. An OCES2 RID is unique only within its
/// company, so a certificate of another company would otherwise stand for this user (seed SEB
/// step 4: a MOCES "indeholdende organisationens CVR nummer").
pub(crate) fn check_certificate_organisation(
    organisation: Cvr,
    holder: &CertificateHolderId,
) -> Result<(), Violation> {
    if holder.cvr() == organisation {
        Ok(())
    } else {
        Err(Violation::new(
            CERT_ORGANISATION,
            format!(
                "certificate holder `{}` belongs to CVR `{}`, not to the user's organisation `{organisation}`",
                shown(&holder.to_string()),
                holder.cvr()
            ),
        ))
    }
}

/// Rule `AUTHZ-TIME-03`: time moves forward: a command dated before the directory's latest
/// event is refused, so no grant, appointment or user can be dated before what the directory
/// already recorded (a grant back-dated before its grantee or organisation existed would make
/// `check` allow at times the directory never had that state). Commands at the same instant
/// are allowed. `latest` is the time of the latest event applied (none in an empty directory).
/// Source: `shared/design/delegation-invariants.md` D10 (validity is judged at an explicit time).
pub(crate) fn check_forward_in_time(
    latest: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    match latest {
        Some(latest) if at < latest => Err(Violation::new(
            TIME_FORWARD,
            format!("the command is dated {at}, before the directory's latest event at {latest}"),
        )),
        _ => Ok(()),
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
/// (SHAK levels nest by prefix, Sundhedsdatastyrelsen afdelingsklassifikation); and it lies at
/// most [`MAX_DEPARTMENT_DEPTH`] levels deep, so a grant on an ancestor always covers it
/// (`parent_level` is the parent's level, 1 for a top-level department).
pub(crate) fn check_department_nesting(
    organisation: Cvr,
    department: &NewDepartment,
    parent: Option<(&Department, usize)>,
) -> Result<(), Violation> {
    let mut problems = Vec::new();
    if department.shak.is_none() && department.sor.is_none() {
        problems.push(format!(
            "department `{}` has neither a SHAK code nor a SOR id",
            shown(&department.name)
        ));
    }
    if let Some((parent, parent_level)) = parent {
        if parent_level >= MAX_DEPARTMENT_DEPTH {
            problems.push(format!(
                "{} is at level {parent_level}, and departments nest at most {MAX_DEPARTMENT_DEPTH} levels deep",
                describe_department(parent)
            ));
        }
        if parent.organisation != organisation {
            problems.push(format!(
                "the parent {} belongs to another organisation",
                describe_department(parent)
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
        Err(Violation::new(DEPT_NESTING, problems.join(", ")))
    }
}

/// Rule `AUTHZ-DEPT-02`: departments are created by the authority, or by a primary admin of
/// the organisation whose scope covers the parent (all departments, for a top-level one).
pub(crate) fn check_may_create_department(
    directory: &impl Read,
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
            DEPT_CREATE,
            format!(
                "{} is not a primary admin of `{organisation}` covering the parent department",
                directory.describe_user(user)
            ),
        ))
    }
}

/// Rule `AUTHZ-GROUP-01` (D7): every user is a member of at least one group keyed by a
/// department (seed SEI §7); creating a user without groups or leaving the last group is
/// refused. `user` is `None` for a user the command creates; `groups` are the groups the user
/// is (or will be) in, `leaving` the one the command takes them out of.
pub(crate) fn check_user_has_group(
    directory: &impl Read,
    user: Option<UserId>,
    groups: &[GroupId],
    leaving: Option<GroupId>,
) -> Result<(), Violation> {
    if groups.iter().any(|g| Some(*g) != leaving) {
        Ok(())
    } else {
        let who = user.map_or_else(|| "the new user".to_owned(), |u| directory.describe_user(u));
        Err(Violation::new(
            GROUP_REQUIRED,
            format!("{who} would be in no group"),
        ))
    }
}

/// Rule `AUTHZ-ADMIN-01` (D7): an organisation always has at least one primary admin; removing
/// the last one is refused (replace it instead; seed SEB, "oprettes i forbindelse med
/// oprettelsen af en ny organisation"). `removing` is the primary admin the command removes.
pub(crate) fn check_keeps_primary_admin(
    organisation: &Organisation,
    removing: UserId,
) -> Result<(), Violation> {
    if organisation.primary_admins.keys().any(|u| *u != removing) {
        Ok(())
    } else {
        Err(Violation::new(
            ADMIN_KEEPS_PRIMARY,
            format!(
                "organisation `{}` would have no primary admin",
                organisation.cvr
            ),
        ))
    }
}

/// Rule `AUTHZ-ADMIN-02`: a user who is a primary admin cannot be deactivated by an admin; the
/// authority removes or replaces the appointment first.
pub(crate) fn check_not_primary_admin(
    directory: &impl Read,
    user: UserId,
) -> Result<(), Violation> {
    if directory.primary_scope(user).is_some() {
        Err(Violation::new(
            ADMIN_NOT_DEACTIVATED,
            format!(
                "{} is a primary admin; the authority must remove or replace them first",
                directory.describe_user(user)
            ),
        ))
    } else {
        Ok(())
    }
}
