//! `handle`: checking a command against the rules and turning it into events.

mod admin;
mod authority;
mod grants;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::checks::{
    AllowedActor, Handing, ManageTarget, NamedInCommand, Unique, check_active, check_actor_kind,
    check_ceiling, check_certificate_organisation, check_forward_in_time, check_grantor_holds,
    check_interval, check_known, check_manages, check_same_organisation, check_scope, check_unique,
    check_user_has_group, support_of,
};
use crate::checks::{IdKind, check_ids_left};
use crate::command::{DirectoryCommand, GrantSpec, NewUser};
use crate::directory::Directory;
use crate::event::{Change, DirectoryEvent};
use crate::ids::{Actor, DepartmentId, FormId, GrantId, GroupId, UserId};
use crate::model::{Support, Validity};
use crate::read::{Counters, Read};
use sundhed_identity::{Refusal, Violation, Violations};

/// Builds the events of one command, handing out ids as it goes.
pub(crate) struct Out {
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: Actor,
    pub(crate) next: Counters,
    pub(crate) events: Vec<DirectoryEvent>,
    /// Ids asked for past the last one (`AUTHZ-IDS-01`): the command is refused.
    pub(crate) refused: Vec<Violation>,
}

/// Hands out the id `next` stands at and moves it on; past the last id, records the refusal
/// (`AUTHZ-IDS-01`) and gives a placeholder that no event of a refused command carries out.
fn hand_out<N, W>(next: &mut W, kind: IdKind, refused: &mut Vec<Violation>) -> N
where
    N: TryFrom<W> + Default,
    W: Copy + core::ops::Add<Output = W> + From<u8>,
{
    match check_ids_left::<N, W>(*next, kind) {
        Ok(id) => {
            // `next` fits an id, so it is below its wider type's maximum.
            *next = *next + W::from(1);
            id
        }
        Err(violation) => {
            refused.push(violation);
            N::default()
        }
    }
}

impl Out {
    fn new(next: &Counters, actor: Actor, at: DateTime<Utc>) -> Self {
        Self {
            at,
            actor,
            next: next.clone(),
            events: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Adds the event of `change`, naming the version it applies to: the version the command
    /// was handled on, plus the events before it (`AUTHZ-STATE-01`).
    pub(crate) fn push(&mut self, change: Change) {
        let version = self.next.version;
        self.next.version = version.saturating_add(1);
        self.events
            .push(DirectoryEvent::new(self.at, self.actor, change).applying_to(version));
    }

    pub(crate) fn form_id(&mut self) -> FormId {
        FormId::new(hand_out(
            &mut self.next.form,
            IdKind::Form,
            &mut self.refused,
        ))
    }

    pub(crate) fn department_id(&mut self) -> DepartmentId {
        DepartmentId::new(hand_out(
            &mut self.next.department,
            IdKind::Department,
            &mut self.refused,
        ))
    }

    pub(crate) fn group_id(&mut self) -> GroupId {
        GroupId::new(hand_out(
            &mut self.next.group,
            IdKind::Group,
            &mut self.refused,
        ))
    }

    pub(crate) fn user_id(&mut self) -> UserId {
        UserId::new(hand_out(
            &mut self.next.user,
            IdKind::User,
            &mut self.refused,
        ))
    }

    pub(crate) fn grant_id(&mut self) -> GrantId {
        GrantId::new(hand_out(
            &mut self.next.grant,
            IdKind::Grant,
            &mut self.refused,
        ))
    }
}

/// A grant that passed its checks, waiting for its grantee's id.
#[derive(Clone, Debug)]
pub(crate) struct CheckedGrant {
    pub(crate) spec: GrantSpec,
    pub(crate) validity: Validity,
    pub(crate) support: Support,
}

/// The handlers of commands, reading the state through `R` (a store, or a store with the
/// events of a batch so far); they never change it.
pub(crate) struct Handler<'r, R> {
    pub(crate) read: &'r R,
}

impl<R> core::ops::Deref for Handler<'_, R> {
    type Target = R;
    fn deref(&self) -> &R {
        self.read
    }
}

/// Checks `command`, given by `actor` at `at`, against the rules, reading the state through
/// `read`, and returns the events it would produce (see `Directory::handle`).
pub(crate) fn handle<R: Read>(
    read: &R,
    actor: Actor,
    command: &DirectoryCommand,
    at: DateTime<Utc>,
) -> Result<Vec<DirectoryEvent>, Refusal> {
    Handler { read }.handle(actor, command, at)
}

impl Directory {
    /// Checks `command`, given by `actor` at time `at`, against the rules, and returns the
    /// events it would produce. Pure: the directory does not change; apply the events with
    /// [`apply`](Self::apply), or use [`execute`](Self::execute).
    ///
    /// # Errors
    /// A [`Refusal`] naming every rule the command breaks (each with a reason), for example:
    /// `AUTHZ-ACTOR-01` wrong kind of actor; `AUTHZ-REF-01` something named does not exist;
    /// `AUTHZ-UNIQ-01` a duplicate; `AUTHZ-ORG-01` across organisations; `AUTHZ-USER-01` a
    /// deactivated user; `AUTHZ-CEIL-01` a right outside the ceiling; `AUTHZ-HOLD-01` handing
    /// down a right not held; `AUTHZ-SCOPE-01` outside the admin's scope; `AUTHZ-MANAGE-01`
    /// a user or department not managed; `AUTHZ-TIME-02` a bad interval; `AUTHZ-REVOKE-01`
    /// not allowed to revoke (also for each grant a deactivation would revoke);
    /// `AUTHZ-APPOINT-01` appointing or deactivating against the appointment chain;
    /// `AUTHZ-SELF-01` an admin granting to themself; `AUTHZ-GROUP-01` a user without groups;
    /// `AUTHZ-ADMIN-01` an organisation without primary admin; `AUTHZ-APPOINT-02` a co-admin
    /// appointment naming no form or no department; `AUTHZ-IDS-01` an id needed past the last
    /// one. `docs/rules.md` lists them all.
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{Actor, DirectoryCommand, Directory, NewDepartment, NewUser};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let directory = Directory::new();
    /// let register = DirectoryCommand::RegisterOrganisation {
    ///     cvr: "29190623".parse()?,
    ///     name: "Region Hovedstaden".into(),
    ///     department: NewDepartment { name: "Psykiatrisk Center".into(), shak: Some("1301".parse()?), sor: None },
    ///     primary_admin: NewUser { person: "0101701239".parse()?, certificates: vec![] },
    /// };
    /// // The authority may; a user may not.
    /// assert_eq!(directory.handle(Actor::Authority, &register, at)?.len(), 5);
    /// let refusal = directory.handle(Actor::User(sundhed_authorisation::UserId::new(0)), &register, at)
    ///     .unwrap_err();
    /// assert!(refusal.rules().iter().any(|r| r.as_str() == "AUTHZ-ACTOR-01"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle(
        &self,
        actor: Actor,
        command: &DirectoryCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        handle(self.store(), actor, command, at)
    }
}

impl<R: Read> Handler<'_, R> {
    fn handle(
        &self,
        actor: Actor,
        command: &DirectoryCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        check_forward_in_time(self.next().latest, at)?;
        let mut out = Out::new(self.next(), actor, at);
        let mut v = Violations::new();
        match command {
            DirectoryCommand::DefineForm {
                code,
                name,
                kind,
                rights,
            } => {
                self.define_form(&mut v, &mut out, code, name, *kind, rights);
            }
            DirectoryCommand::RegisterOrganisation {
                cvr,
                name,
                department,
                primary_admin,
            } => {
                self.register_organisation(&mut v, &mut out, *cvr, name, department, primary_admin);
            }
            DirectoryCommand::SetCeiling {
                organisation,
                rights,
            } => {
                self.set_ceiling(&mut v, &mut out, *organisation, rights);
            }
            DirectoryCommand::AppointPrimaryAdmin {
                organisation,
                appointee,
                scope,
            } => {
                self.appoint_primary(&mut v, &mut out, *organisation, appointee, scope, None);
            }
            DirectoryCommand::RemovePrimaryAdmin { organisation, user } => {
                self.remove_primary(&mut v, &mut out, *organisation, *user);
            }
            DirectoryCommand::ReplacePrimaryAdmin {
                organisation,
                old,
                new,
                scope,
            } => {
                self.appoint_primary(&mut v, &mut out, *organisation, new, scope, Some(*old));
            }
            DirectoryCommand::CreateDepartment {
                organisation,
                department,
                parent,
            } => {
                self.create_department(&mut v, &mut out, *organisation, department, *parent);
            }
            DirectoryCommand::CreateGroup {
                department,
                name,
                parent,
            } => {
                self.create_group(&mut v, &mut out, *department, name, *parent);
            }
            DirectoryCommand::AppointCoAdmin {
                user,
                forms,
                departments,
                valid_until,
            } => {
                self.appoint_co_admin(&mut v, &mut out, *user, forms, departments, *valid_until);
            }
            DirectoryCommand::RemoveCoAdmin { user } => {
                self.remove_co_admin(&mut v, &mut out, *user)
            }
            DirectoryCommand::ResignCoAdmin => self.resign_co_admin(&mut v, &mut out),
            DirectoryCommand::CreateUser {
                user,
                groups,
                grants,
            } => {
                self.create_users(
                    &mut v,
                    &mut out,
                    core::slice::from_ref(user),
                    groups,
                    grants,
                );
            }
            DirectoryCommand::CreateUsers {
                users,
                groups,
                grants,
            } => {
                self.create_users(&mut v, &mut out, users, groups, grants);
            }
            DirectoryCommand::Grant { grantee, grant } => {
                self.handle_grant(&mut v, &mut out, *grantee, grant)
            }
            DirectoryCommand::Revoke { grant } => self.revoke(&mut v, &mut out, *grant),
            DirectoryCommand::JoinGroup { user, group } => {
                self.join_group(&mut v, &mut out, *user, *group)
            }
            DirectoryCommand::LeaveGroup { user, group } => {
                self.leave_group(&mut v, &mut out, *user, *group)
            }
            DirectoryCommand::DeactivateUser { user } => self.deactivate(&mut v, &mut out, *user),
            DirectoryCommand::AcknowledgeConfidentiality => self.acknowledge(&mut v, &mut out),
        }
        for violation in out.refused {
            v.push(violation);
        }
        v.finish(out.events)
    }

    /// The acting admin: a known, active user; gives their organisation.
    pub(crate) fn acting_user(&self, v: &mut Violations, actor: Actor) -> Option<(UserId, Cvr)> {
        v.take(check_actor_kind(actor, AllowedActor::User))?;
        let Actor::User(id) = actor else { return None };
        let user = v.take(check_known(self.read, id))?;
        v.take(check_active(user))?;
        Some((id, user.organisation))
    }

    /// Checks one grant `admin` wants to make in `organisation` (D1, D2, D3, interval).
    pub(crate) fn check_grant_spec(
        &self,
        v: &mut Violations,
        admin: Option<UserId>,
        organisation: Cvr,
        spec: &GrantSpec,
        at: DateTime<Utc>,
    ) -> Option<CheckedGrant> {
        let before = v.len();
        let org = v.take(check_known(self.read, organisation));
        let right = v.take(check_known(self.read, spec.right));
        let department = v.take(check_known(self.read, spec.department));
        if department.is_some() {
            v.take(check_same_organisation(
                self.read,
                organisation,
                spec.department,
            ));
        }
        if let (Some(org), Some(_)) = (org, right) {
            v.take(check_ceiling(
                self.read,
                organisation,
                &org.ceiling,
                spec.right,
            ));
        }
        let from = spec.valid_from.unwrap_or(at);
        v.take(check_interval(at, from, spec.valid_until));
        let mut support = Support::Organisation;
        if let (Some(admin), Some(_), Some(_)) = (admin, right, department) {
            let grant = Handing {
                admin,
                right: spec.right,
                department: spec.department,
                at,
                until: spec.valid_until,
            };
            let scope = v.take(check_scope(self.read, grant));
            let held = v.take(check_grantor_holds(self.read, grant));
            if let (Some(scope), Some(held)) = (scope, held) {
                support = support_of(scope, held);
            }
        }
        (v.len() == before).then_some(CheckedGrant {
            spec: *spec,
            validity: Validity {
                from,
                until: spec.valid_until,
            },
            support,
        })
    }

    /// Checks that the users may be created in `organisation`: certificates of the
    /// organisation, unique certificates and persons.
    pub(crate) fn check_new_users(&self, v: &mut Violations, organisation: Cvr, users: &[NewUser]) {
        let mut named = NamedInCommand::new();
        for user in users {
            for holder in &user.certificates {
                v.take(check_certificate_organisation(organisation, holder));
                v.take(check_unique(
                    self.read,
                    &mut named,
                    Unique::Certificate(holder),
                ));
            }
            v.take(check_unique(
                self.read,
                &mut named,
                Unique::Person(organisation, user.person),
            ));
        }
    }

    /// Checks the groups new users join: at least one, known, distinct, in `organisation`,
    /// managed by `admin` (if an admin acts), and their rights grantable by `admin` (D2).
    pub(crate) fn check_groups_to_join(
        &self,
        v: &mut Violations,
        admin: Option<UserId>,
        organisation: Cvr,
        groups: &[GroupId],
        at: DateTime<Utc>,
    ) {
        v.take(check_user_has_group(self.read, None, groups, None));
        let mut named = NamedInCommand::new();
        for id in groups {
            v.take(check_unique(
                self.read,
                &mut named,
                Unique::NewMembership(*id),
            ));
            self.check_join(v, admin, organisation, *id, at);
        }
    }

    /// Checks joining one group: known, in `organisation`, department managed by `admin`,
    /// and every right the group carries grantable by `admin` (D1, D2, D3).
    pub(crate) fn check_join(
        &self,
        v: &mut Violations,
        admin: Option<UserId>,
        organisation: Cvr,
        group: GroupId,
        at: DateTime<Utc>,
    ) {
        let Some(g) = v.take(check_known(self.read, group)) else {
            return;
        };
        v.take(check_same_organisation(self.read, organisation, group));
        if let Some(admin) = admin {
            v.take(check_manages(
                self.read,
                admin,
                ManageTarget::Department(g.department),
                at,
            ));
        }
        for grant in self.grants_of(crate::ids::Grantee::Group(group)) {
            if grant.validity.until.is_some_and(|u| u <= at) {
                continue;
            }
            let spec = GrantSpec {
                right: grant.right,
                department: grant.department,
                valid_from: None,
                valid_until: grant.validity.until,
            };
            self.check_grant_spec(v, admin, organisation, &spec, at);
        }
    }

    /// Emits `UserCreated` for each new user, then the grants for each.
    pub(crate) fn emit_new_users(
        out: &mut Out,
        organisation: Cvr,
        users: &[NewUser],
        groups: &[GroupId],
        grants: &[CheckedGrant],
    ) -> Vec<UserId> {
        let mut ids = Vec::with_capacity(users.len());
        for user in users {
            let id = out.user_id();
            ids.push(id);
            out.push(Change::UserCreated {
                user: id,
                organisation,
                person: user.person,
                certificates: user.certificates.clone(),
                groups: groups.to_vec(),
            });
            for g in grants {
                Self::emit_grant(out, organisation, crate::ids::Grantee::User(id), g);
            }
        }
        ids
    }

    pub(crate) fn emit_grant(
        out: &mut Out,
        organisation: Cvr,
        grantee: crate::ids::Grantee,
        grant: &CheckedGrant,
    ) {
        let id = out.grant_id();
        out.push(Change::GrantIssued {
            grant: id,
            organisation,
            grantee,
            right: grant.spec.right,
            department: grant.spec.department,
            validity: grant.validity,
            support: grant.support.clone(),
        });
    }

    /// Whether `department` exists and belongs to `organisation` (`AUTHZ-REF-01`,
    /// `AUTHZ-ORG-01`).
    pub(crate) fn department_in(
        &self,
        v: &mut Violations,
        organisation: Cvr,
        department: DepartmentId,
    ) -> bool {
        v.take(check_known(self.read, department)).is_some()
            && v.take(check_same_organisation(self.read, organisation, department))
                .is_some()
    }
}
