//! [`Driver`]: directory operations against the standard world, any actor, any ids (existing
//! or not), any times; and the invariants a sequence must keep.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use sundhed_authorisation::{
    AccessRequest, Actor, AdminScope, Appointee, DepartmentId, Directory, DirectoryCommand, FormId,
    GrantId, GrantSpec, Grantee, GroupId, NewDepartment, NewUser, Permission, RightId, ScopeSet,
    Support, UserId,
};
use sundhed_identity::{Cvr, ShakCode};

use super::DirectoryOp as Op;
use crate::directory::{World, person, t0};
use crate::error::TestkitError;

/// The standard [`World`] and its clock, driven by [`DirectoryOp`](super::DirectoryOp)s.
#[derive(Clone, Debug)]
pub struct Driver {
    /// The world; its `log` holds every event so far.
    pub world: World,
    /// The time of the next command.
    pub at: DateTime<Utc>,
}

impl Driver {
    /// The standard world at [`t0`].
    ///
    /// # Errors
    /// As [`World::new`].
    pub fn new() -> Result<Self, TestkitError> {
        Ok(Self {
            world: World::new()?,
            at: t0(),
        })
    }

    fn orgs(&self) -> [Cvr; 2] {
        [self.world.a, self.world.b]
    }

    fn org(&self, second: bool) -> Cvr {
        if second { self.world.b } else { self.world.a }
    }

    /// Every user of both organisations.
    #[must_use]
    pub fn users(&self) -> Vec<UserId> {
        let dir = &self.world.dir;
        self.orgs()
            .iter()
            .flat_map(|o| dir.users_of(*o).iter().copied())
            .collect()
    }

    /// Every department of both organisations.
    #[must_use]
    pub fn departments(&self) -> Vec<DepartmentId> {
        let dir = &self.world.dir;
        self.orgs()
            .iter()
            .flat_map(|o| dir.departments_of(*o).iter().copied())
            .collect()
    }

    /// An existing item by index, or (for 255, or when there is none) `missing`.
    fn existing<T: Copy>(items: &[T], i: u8, missing: T) -> T {
        match i {
            255 => missing,
            i => crate::ops::pick(items, i).unwrap_or(missing),
        }
    }

    fn user(&self, i: u8) -> UserId {
        Self::existing(&self.users(), i, UserId::new(u32::MAX))
    }

    fn actor(&self, i: u8) -> Actor {
        if i.is_multiple_of(8) {
            Actor::Authority
        } else {
            Actor::User(self.user(i / 8))
        }
    }

    fn department(&self, i: u8) -> DepartmentId {
        Self::existing(&self.departments(), i, DepartmentId::new(u32::MAX))
    }

    fn group(i: u8) -> GroupId {
        GroupId::new(u32::from(i % 32))
    }

    /// Any right id, existing or not (a third form, a fourth right).
    fn right(i: u8) -> RightId {
        RightId::new(FormId::new(u32::from(i % 3)), u16::from(i / 3 % 4))
    }

    fn grant(&self, i: u8) -> GrantId {
        let grants: Vec<GrantId> = self.world.dir.grants().map(|g| g.id()).collect();
        Self::existing(&grants, i, GrantId::new(u64::MAX))
    }

    fn until(&self, hours: Option<u8>) -> Option<DateTime<Utc>> {
        hours.map(|h| self.at + TimeDelta::hours(i64::from(h)))
    }

    fn new_user(n: u16) -> Option<NewUser> {
        Some(NewUser {
            person: person(u32::from(n)).ok()?,
            certificates: vec![],
        })
    }

    /// The command of `op` and who gives it; `None` when the operation only moves the clock
    /// or builds nothing valid (a person number that is no CPR).
    pub fn command(&mut self, op: &Op) -> Option<(Actor, DirectoryCommand)> {
        Some(match *op {
            Op::Grant {
                actor,
                grantee,
                to_group,
                right,
                dept,
                until,
            } => {
                let grantee = if to_group {
                    Grantee::Group(Self::group(grantee))
                } else {
                    Grantee::User(self.user(grantee))
                };
                let mut grant = GrantSpec::new(Self::right(right), self.department(dept));
                grant.valid_until = self.until(until);
                (
                    self.actor(actor),
                    DirectoryCommand::Grant { grantee, grant },
                )
            }
            Op::Delegate { pick, grantee } => {
                let grant = self.world.dir.grants().nth(usize::from(pick))?;
                let Grantee::User(holder) = grant.grantee() else {
                    return None;
                };
                let spec = GrantSpec::new(grant.right(), grant.department());
                let grantee = Grantee::User(self.user(grantee));
                let command = DirectoryCommand::Grant {
                    grantee,
                    grant: spec,
                };
                (Actor::User(holder), command)
            }
            Op::Revoke { actor, pick } => (
                self.actor(actor),
                DirectoryCommand::Revoke {
                    grant: self.grant(pick),
                },
            ),
            Op::AppointCoAdmin {
                actor,
                user,
                form,
                dept,
                until,
            } => (
                self.actor(actor),
                DirectoryCommand::AppointCoAdmin {
                    user: self.user(user),
                    forms: vec![FormId::new(u32::from(form % 3))],
                    departments: vec![self.department(dept)],
                    valid_until: self.until(until),
                },
            ),
            Op::RemoveCoAdmin { actor, user } => (
                self.actor(actor),
                DirectoryCommand::RemoveCoAdmin {
                    user: self.user(user),
                },
            ),
            Op::CreateUser {
                actor,
                person,
                group,
                grant,
            } => (
                self.actor(actor),
                DirectoryCommand::CreateUser {
                    user: Self::new_user(person)?,
                    groups: vec![Self::group(group)],
                    grants: grant
                        .map(|(r, d)| GrantSpec::new(Self::right(r), self.department(d)))
                        .into_iter()
                        .collect(),
                },
            ),
            Op::CreateUsers {
                actor,
                first,
                count,
                group,
                right,
                dept,
            } => (
                self.actor(actor),
                DirectoryCommand::CreateUsers {
                    users: (0..u16::from(count % 8))
                        .filter_map(|i| Self::new_user(first.wrapping_add(i)))
                        .collect(),
                    groups: vec![Self::group(group)],
                    grants: vec![GrantSpec::new(Self::right(right), self.department(dept))],
                },
            ),
            Op::CreateDepartment {
                actor,
                org,
                shak,
                parent,
            } => {
                let parent = parent.map(|p| self.department(p));
                let parent_shak = parent
                    .and_then(|p| self.world.dir.department(p))
                    .and_then(|d| d.shak());
                // A SHAK code one level below the parent's, or a top-level one.
                let code = match parent_shak {
                    Some(s) if s.as_str().len() == 4 => format!("{s}{:02}", shak % 100),
                    Some(s) if s.as_str().len() == 6 => format!("{s}{}", shak % 10),
                    _ => format!("{:04}", shak % 10_000),
                };
                let shak: Option<ShakCode> = code.parse().ok();
                let department = NewDepartment {
                    name: code,
                    shak,
                    sor: None,
                };
                (
                    self.actor(actor),
                    DirectoryCommand::CreateDepartment {
                        organisation: self.org(org),
                        department,
                        parent,
                    },
                )
            }
            Op::CreateGroup {
                actor,
                dept,
                parent,
            } => (
                self.actor(actor),
                DirectoryCommand::CreateGroup {
                    department: self.department(dept),
                    name: "group".into(),
                    parent: parent.map(Self::group),
                },
            ),
            Op::Join { actor, user, group } => (
                self.actor(actor),
                DirectoryCommand::JoinGroup {
                    user: self.user(user),
                    group: Self::group(group),
                },
            ),
            Op::Leave { actor, user, group } => (
                self.actor(actor),
                DirectoryCommand::LeaveGroup {
                    user: self.user(user),
                    group: Self::group(group),
                },
            ),
            Op::Deactivate { actor, user } => (
                self.actor(actor),
                DirectoryCommand::DeactivateUser {
                    user: self.user(user),
                },
            ),
            Op::Acknowledge { user } => (
                Actor::User(self.user(user)),
                DirectoryCommand::AcknowledgeConfidentiality,
            ),
            Op::SetCeiling { org, mask } => {
                let rights = self.world.rights().into_iter().enumerate();
                let rights = rights.filter(|(i, _)| mask >> i & 1 == 1).map(|(_, r)| r);
                let organisation = self.org(org);
                let command = DirectoryCommand::SetCeiling {
                    organisation,
                    rights: rights.collect(),
                };
                (Actor::Authority, command)
            }
            Op::AppointPrimary { org, user, dept } => {
                let scope = match dept {
                    None => AdminScope::whole_organisation(),
                    Some(dept) => AdminScope {
                        departments: ScopeSet::Only([self.department(dept)].into()),
                        forms: ScopeSet::All,
                    },
                };
                let appointee = Appointee::Existing {
                    user: self.user(user),
                };
                let command = DirectoryCommand::AppointPrimaryAdmin {
                    organisation: self.org(org),
                    appointee,
                    scope,
                };
                (Actor::Authority, command)
            }
            Op::RemovePrimary { org, user } => (
                Actor::Authority,
                DirectoryCommand::RemovePrimaryAdmin {
                    organisation: self.org(org),
                    user: self.user(user),
                },
            ),
            Op::ReplacePrimary {
                org,
                old,
                person,
                group,
            } => {
                let new = Appointee::New {
                    user: Self::new_user(person)?,
                    groups: vec![Self::group(group)],
                };
                let command = DirectoryCommand::ReplacePrimaryAdmin {
                    organisation: self.org(org),
                    old: self.user(old),
                    new,
                    scope: AdminScope::whole_organisation(),
                };
                (Actor::Authority, command)
            }
            Op::Advance { hours } => {
                self.at += TimeDelta::hours(i64::from(hours));
                return None;
            }
        })
    }

    /// The invariants the current state breaks, described; empty when it keeps them all:
    /// - replaying the event log into an empty directory gives the same directory;
    /// - D7 every organisation keeps a primary admin;
    /// - D1 every grant's right is in its organisation's ceiling (for organisation support);
    /// - D4 every delegated grant has a live admin grant and a live held grant behind it;
    /// - D9/D11 `check` allows exactly what `permissions` lists, with reasons when it allows.
    #[must_use]
    pub fn broken_invariants(&self) -> Vec<String> {
        let mut broken = Vec::new();
        let dir = &self.world.dir;
        let mut replayed = Directory::new();
        if let Err(refusal) = replayed.apply_all(&self.world.log) {
            broken.push(format!("the event log does not replay in order: {refusal}"));
        }
        if replayed != *dir {
            broken.push("replaying the event log gives another directory".to_owned());
        }
        for org in self.orgs() {
            let admins = dir.organisation(org).map(|o| o.primary_admins().len());
            if admins.unwrap_or(0) == 0 {
                broken.push(format!("D7: organisation {org} has no primary admin"));
            }
        }
        let live: BTreeSet<GrantId> = dir.grants().map(|g| g.id()).collect();
        for grant in dir.grants() {
            let id = grant.id();
            match grant.support() {
                Support::Organisation => {
                    let organisation = dir.organisation(grant.organisation());
                    if organisation.map(|o| o.ceiling().contains(&grant.right())) != Some(true) {
                        broken.push(format!("D1: grant {id} outside its ceiling"));
                    }
                }
                Support::Delegated { admin, held } => {
                    if !admin.iter().any(|g| live.contains(g)) {
                        broken.push(format!("D4: grant {id} lost its admin support"));
                    }
                    if !held.iter().any(|g| live.contains(g)) {
                        broken.push(format!("D4: grant {id} lost its held support"));
                    }
                }
            }
        }
        for user in self.users() {
            let permissions: BTreeSet<Permission> =
                dir.permissions(user, self.at).into_iter().collect();
            for right in self.world.rights() {
                for department in self.departments() {
                    let request = AccessRequest {
                        user,
                        right,
                        department,
                    };
                    let decision = dir.check(&request, self.at);
                    let listed = permissions.contains(&Permission { right, department });
                    if decision.is_allowed() != listed {
                        broken.push(format!("D9: check and permissions disagree: {decision:?}"));
                    }
                    if decision.is_allowed() && decision.reasons().is_empty() {
                        broken.push(format!("D11: allowed without a reason: {decision:?}"));
                    }
                }
            }
        }
        broken
    }
}
