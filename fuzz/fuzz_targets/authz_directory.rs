//! The delegated-administration directory under arbitrary command sequences.
//!
//! A fixed world (two forms, two organisations with ceilings and departments) is driven by a
//! sequence of commands built from the input with `arbitrary`: any actor, any ids (existing or
//! not), any times. After every command:
//! - a refusal names at least one rule, shows every rule id, and leaves the directory equal to
//!   what it was (D-refusal);
//! - replaying the event log into an empty directory gives the same directory;
//! - every event survives a JSON round trip;
//! - D1 every grant's right is in its organisation's ceiling (for organisation support);
//! - D4 every delegated grant has a live admin grant and a live held grant behind it;
//! - D7 every organisation keeps a primary admin;
//! - D9/D11 `check` allows exactly what `permissions` lists, with reasons when it allows.
#![no_main]

use std::collections::BTreeSet;

use arbitrary::Arbitrary;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sundhed_authorisation::{
    AccessRequest, Actor, AdminScope, Appointee, DepartmentId, Directory, DirectoryCommand,
    DirectoryEvent, FormId, FormKind, GrantId, GrantSpec, Grantee, GroupId, NewDepartment, NewUser,
    Permission, RightId, RightSpec, ScopeSet, Support, UserId,
};
use sundhed_identity::{Cvr, PersonId, ShakCode};

#[derive(Arbitrary, Debug)]
enum Op {
    Grant {
        actor: u8,
        grantee: u8,
        to_group: bool,
        right: u8,
        dept: u8,
        until: Option<u8>,
    },
    Revoke {
        actor: u8,
        grant: u8,
    },
    AppointCoAdmin {
        actor: u8,
        user: u8,
        form: u8,
        dept: u8,
        until: Option<u8>,
    },
    RemoveCoAdmin {
        actor: u8,
        user: u8,
    },
    CreateUser {
        actor: u8,
        person: u16,
        group: u8,
        grant: Option<(u8, u8)>,
    },
    CreateUsers {
        actor: u8,
        first: u16,
        count: u8,
        group: u8,
        right: u8,
        dept: u8,
    },
    CreateDepartment {
        actor: u8,
        org: bool,
        shak: u16,
        parent: Option<u8>,
    },
    CreateGroup {
        actor: u8,
        dept: u8,
        parent: Option<u8>,
    },
    Join {
        actor: u8,
        user: u8,
        group: u8,
    },
    Leave {
        actor: u8,
        user: u8,
        group: u8,
    },
    Deactivate {
        actor: u8,
        user: u8,
    },
    Acknowledge {
        user: u8,
    },
    SetCeiling {
        org: bool,
        mask: u8,
    },
    AppointPrimaryAdmin {
        org: bool,
        user: u8,
        whole: bool,
        dept: u8,
    },
    RemovePrimaryAdmin {
        org: bool,
        user: u8,
    },
    ReplacePrimaryAdmin {
        org: bool,
        old: u8,
        person: u16,
        group: u8,
    },
    Advance {
        hours: u8,
    },
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

fn person(n: u16) -> Option<PersonId> {
    format!("0101{:02}{:04}", 60 + n / 10_000 % 40, n % 10_000)
        .parse()
        .ok()
}

fn right_spec(code: &str, admin: bool, personal: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: personal,
    }
}

struct World {
    dir: Directory,
    log: Vec<DirectoryEvent>,
    orgs: [Cvr; 2],
    at: DateTime<Utc>,
}

impl World {
    fn new() -> Option<Self> {
        let orgs = ["29190623".parse().ok()?, "29190925".parse().ok()?];
        let mut world = Self {
            dir: Directory::new(),
            log: Vec::new(),
            orgs,
            at: t0(),
        };
        let setup = [
            DirectoryCommand::DefineForm {
                code: "SEI-TVANG-PSYK".into(),
                name: "psykiatri".into(),
                kind: FormKind::SeiForm,
                rights: vec![
                    right_spec("ADMIN", true, false),
                    right_spec("INDBERET", false, true),
                    right_spec("LAES", false, false),
                ],
            },
            DirectoryCommand::DefineForm {
                code: "SEB-SERVICE".into(),
                name: "service".into(),
                kind: FormKind::SebService,
                rights: vec![
                    right_spec("ADMIN", true, false),
                    right_spec("BRUG", false, false),
                ],
            },
            DirectoryCommand::RegisterOrganisation {
                cvr: orgs[0],
                name: "A".into(),
                department: NewDepartment {
                    name: "1301".into(),
                    shak: "1301".parse().ok(),
                    sor: None,
                },
                primary_admin: NewUser {
                    person: person(1)?,
                    certificates: vec![],
                },
            },
            DirectoryCommand::RegisterOrganisation {
                cvr: orgs[1],
                name: "B".into(),
                department: NewDepartment {
                    name: "6620".into(),
                    shak: "6620".parse().ok(),
                    sor: None,
                },
                primary_admin: NewUser {
                    person: person(2)?,
                    certificates: vec![],
                },
            },
            DirectoryCommand::SetCeiling {
                organisation: orgs[0],
                rights: world.all_rights().into_iter().collect(),
            },
            DirectoryCommand::SetCeiling {
                organisation: orgs[1],
                rights: world.all_rights().into_iter().take(3).collect(),
            },
        ];
        for command in &setup {
            let events = world
                .dir
                .execute(Actor::Authority, command, world.at)
                .ok()?;
            world.log.extend(events);
        }
        Some(world)
    }

    fn org(&self, second: bool) -> Cvr {
        let [a, b] = self.orgs;
        if second { b } else { a }
    }

    fn all_rights(&self) -> Vec<RightId> {
        vec![
            RightId::new(FormId::new(0), 0),
            RightId::new(FormId::new(0), 1),
            RightId::new(FormId::new(0), 2),
            RightId::new(FormId::new(1), 0),
            RightId::new(FormId::new(1), 1),
        ]
    }

    fn users(&self) -> Vec<UserId> {
        self.orgs
            .iter()
            .flat_map(|o| self.dir.users_of(*o).iter().copied())
            .collect()
    }

    fn departments(&self) -> Vec<DepartmentId> {
        self.orgs
            .iter()
            .flat_map(|o| self.dir.departments_of(*o).iter().copied())
            .collect()
    }

    /// An existing user by index, or (for 255) one that does not exist.
    fn user(&self, i: u8) -> UserId {
        let users = self.users();
        match (i, users.len()) {
            (255, _) | (_, 0) => UserId::new(u32::MAX),
            (i, n) => users
                .get(usize::from(i) % n)
                .copied()
                .unwrap_or(UserId::new(0)),
        }
    }

    fn actor(&self, i: u8) -> Actor {
        if i.is_multiple_of(8) {
            Actor::Authority
        } else {
            Actor::User(self.user(i / 8))
        }
    }

    fn department(&self, i: u8) -> DepartmentId {
        let departments = self.departments();
        match (i, departments.len()) {
            (255, _) | (_, 0) => DepartmentId::new(u32::MAX),
            (i, n) => departments
                .get(usize::from(i) % n)
                .copied()
                .unwrap_or(DepartmentId::new(0)),
        }
    }

    fn group(&self, i: u8) -> GroupId {
        GroupId::new(u32::from(i % 32))
    }

    fn right(&self, i: u8) -> RightId {
        RightId::new(FormId::new(u32::from(i % 3)), u16::from(i / 3 % 4))
    }

    fn grant(&self, i: u8) -> GrantId {
        let grants: Vec<GrantId> = self.dir.grants().map(|g| g.id()).collect();
        match (i, grants.len()) {
            (255, _) | (_, 0) => GrantId::new(u64::MAX),
            (i, n) => grants
                .get(usize::from(i) % n)
                .copied()
                .unwrap_or(GrantId::new(0)),
        }
    }

    fn until(&self, hours: Option<u8>) -> Option<DateTime<Utc>> {
        hours.map(|h| self.at + TimeDelta::hours(i64::from(h)))
    }

    fn command(&mut self, op: &Op) -> Option<(Actor, DirectoryCommand)> {
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
                    Grantee::Group(self.group(grantee))
                } else {
                    Grantee::User(self.user(grantee))
                };
                let mut grant = GrantSpec::new(self.right(right), self.department(dept));
                grant.valid_until = self.until(until);
                (
                    self.actor(actor),
                    DirectoryCommand::Grant { grantee, grant },
                )
            }
            Op::Revoke { actor, grant } => (
                self.actor(actor),
                DirectoryCommand::Revoke {
                    grant: self.grant(grant),
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
                person: p,
                group,
                grant,
            } => (
                self.actor(actor),
                DirectoryCommand::CreateUser {
                    user: NewUser {
                        person: person(p)?,
                        certificates: vec![],
                    },
                    groups: vec![self.group(group)],
                    grants: grant
                        .map(|(r, d)| GrantSpec::new(self.right(r), self.department(d)))
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
                        .filter_map(|i| person(first.wrapping_add(i)))
                        .map(|person| NewUser {
                            person,
                            certificates: vec![],
                        })
                        .collect(),
                    groups: vec![self.group(group)],
                    grants: vec![GrantSpec::new(self.right(right), self.department(dept))],
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
                    .and_then(|p| self.dir.department(p))
                    .and_then(|d| d.shak());
                let code = match parent_shak {
                    Some(s) if s.as_str().len() == 4 => format!("{s}{:02}", shak % 100),
                    Some(s) if s.as_str().len() == 6 => format!("{s}{}", shak % 10),
                    _ => format!("{:04}", shak % 10_000),
                };
                let shak: Option<ShakCode> = code.parse().ok();
                (
                    self.actor(actor),
                    DirectoryCommand::CreateDepartment {
                        organisation: self.org(org),
                        department: NewDepartment {
                            name: code,
                            shak,
                            sor: None,
                        },
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
                    parent: parent.map(|p| self.group(p)),
                },
            ),
            Op::Join { actor, user, group } => (
                self.actor(actor),
                DirectoryCommand::JoinGroup {
                    user: self.user(user),
                    group: self.group(group),
                },
            ),
            Op::Leave { actor, user, group } => (
                self.actor(actor),
                DirectoryCommand::LeaveGroup {
                    user: self.user(user),
                    group: self.group(group),
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
                let rights = self
                    .all_rights()
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| mask >> i & 1 == 1)
                    .map(|(_, r)| r)
                    .collect();
                (
                    Actor::Authority,
                    DirectoryCommand::SetCeiling {
                        organisation: self.org(org),
                        rights,
                    },
                )
            }
            Op::AppointPrimaryAdmin {
                org,
                user,
                whole,
                dept,
            } => {
                let scope = if whole {
                    AdminScope::whole_organisation()
                } else {
                    AdminScope {
                        departments: ScopeSet::Only([self.department(dept)].into()),
                        forms: ScopeSet::All,
                    }
                };
                (
                    Actor::Authority,
                    DirectoryCommand::AppointPrimaryAdmin {
                        organisation: self.org(org),
                        appointee: Appointee::Existing {
                            user: self.user(user),
                        },
                        scope,
                    },
                )
            }
            Op::RemovePrimaryAdmin { org, user } => (
                Actor::Authority,
                DirectoryCommand::RemovePrimaryAdmin {
                    organisation: self.org(org),
                    user: self.user(user),
                },
            ),
            Op::ReplacePrimaryAdmin {
                org,
                old,
                person: p,
                group,
            } => (
                Actor::Authority,
                DirectoryCommand::ReplacePrimaryAdmin {
                    organisation: self.org(org),
                    old: self.user(old),
                    new: Appointee::New {
                        user: NewUser {
                            person: person(p)?,
                            certificates: vec![],
                        },
                        groups: vec![self.group(group)],
                    },
                    scope: AdminScope::whole_organisation(),
                },
            ),
            Op::Advance { hours } => {
                self.at += TimeDelta::hours(i64::from(hours));
                return None;
            }
        })
    }

    fn check_invariants(&self) {
        // Replaying the log gives the same directory.
        let mut replayed = Directory::new();
        replayed.apply_all(&self.log);
        assert!(
            replayed == self.dir,
            "replaying the event log gives another directory"
        );
        // D7: every organisation keeps a primary admin.
        for org in &self.orgs {
            let admins = self
                .dir
                .organisation(*org)
                .map(|o| o.primary_admins().len());
            assert!(
                admins.unwrap_or(0) >= 1,
                "organisation {org} has no primary admin"
            );
        }
        // D1 and D4.
        let live: BTreeSet<GrantId> = self.dir.grants().map(|g| g.id()).collect();
        for grant in self.dir.grants() {
            match grant.support() {
                Support::Organisation => {
                    let ceiling = self
                        .dir
                        .organisation(grant.organisation())
                        .map(|o| o.ceiling().contains(&grant.right()));
                    assert_eq!(
                        ceiling,
                        Some(true),
                        "grant {} outside its ceiling",
                        grant.id()
                    );
                }
                Support::Delegated { admin, held } => {
                    assert!(
                        admin.iter().any(|g| live.contains(g)),
                        "grant {} lost its admin support",
                        grant.id()
                    );
                    assert!(
                        held.iter().any(|g| live.contains(g)),
                        "grant {} lost its held support",
                        grant.id()
                    );
                }
            }
        }
        // D9 and D11 for every user, right and department.
        let rights: Vec<RightId> = self.all_rights();
        for user in self.users() {
            let permissions: BTreeSet<Permission> =
                self.dir.permissions(user, self.at).into_iter().collect();
            for &right in &rights {
                for department in self.departments() {
                    let decision = self.dir.check(
                        &AccessRequest {
                            user,
                            right,
                            department,
                        },
                        self.at,
                    );
                    let listed = permissions.contains(&Permission { right, department });
                    assert_eq!(
                        decision.is_allowed(),
                        listed,
                        "check and permissions disagree: {decision:?}"
                    );
                    if decision.is_allowed() {
                        assert!(!decision.reasons().is_empty(), "allowed without a reason");
                    }
                }
            }
        }
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let Some(mut world) = World::new() else {
        return;
    };
    for op in ops.iter().take(48) {
        let Some((actor, command)) = world.command(op) else {
            continue;
        };
        let before = world.dir.clone();
        match world.dir.execute(actor, &command, world.at) {
            Ok(events) => {
                for event in &events {
                    let json = serde_json::to_string(event);
                    assert!(json.is_ok(), "an event does not serialise");
                    if let Ok(json) = json {
                        let back: Result<DirectoryEvent, _> = serde_json::from_str(&json);
                        assert_eq!(
                            back.ok().as_ref(),
                            Some(event),
                            "an event does not round-trip"
                        );
                    }
                }
                world.log.extend(events);
            }
            Err(refusal) => {
                assert!(
                    world.dir == before,
                    "a refused command changed the directory"
                );
                assert!(!refusal.violations().is_empty(), "a refusal without a rule");
                let message = refusal.to_string();
                for rule in refusal.rules() {
                    assert!(
                        message.contains(rule.as_str()),
                        "`{message}` does not name {rule}"
                    );
                }
            }
        }
        world.check_invariants();
    }
});
