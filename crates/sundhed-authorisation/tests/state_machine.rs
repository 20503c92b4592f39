//! Model-based state-machine test: random command sequences from random actors, run against
//! the directory and the reference model in `model.rs`; refused commands are no-ops in both;
//! after every step the invariants D1–D10 hold and `check` and the listings agree with the
//! model.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use sundhed_authorisation::{
    AccessRequest, Actor, AdminScope, Appointee, Change, Directory, DirectoryCommand,
    DirectoryEvent, Grant, GrantId, GrantSpec, Grantee, GroupId, LeaveCause, Permission, Reason,
    ScopeSet, Support, UserId,
};

use crate::fixtures::{World, new_user, t0, world};
use crate::model::{MGrant, MScope, MUser, Model};

/// The number of sequences: `SUNDHED_PROPTEST_CASES`, or a CI-friendly default.
pub fn cases(default: u32) -> u32 {
    std::env::var("SUNDHED_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The operations and their weights are the testkit's (`sundhed_testkit::ops::directory`),
/// shared with the directory fuzz target; this test models the variants the strategy makes.
pub use sundhed_testkit::ops::directory::{DirectoryOp as Op, strategy as op};

/// Runs the directory and the model side by side through `ops`, checking after every step.
pub struct Harness {
    pub w: World,
    pub m: Model,
    pub person: u32,
    /// The events of the last accepted command of a step.
    pub last: Vec<DirectoryEvent>,
    /// The time of the latest accepted command (the directory's latest event).
    pub latest: Option<DateTime<Utc>>,
}

fn pick<T: Copy>(items: &[T], i: u8) -> T {
    items[usize::from(i) % items.len()]
}

fn issued(events: &[DirectoryEvent]) -> Vec<(GrantId, Support)> {
    events
        .iter()
        .filter_map(|e| match &e.change {
            Change::GrantIssued { grant, support, .. } => Some((*grant, support.clone())),
            _ => None,
        })
        .collect()
}

fn revoked(events: &[DirectoryEvent]) -> BTreeSet<GrantId> {
    events
        .iter()
        .filter_map(|e| match &e.change {
            Change::GrantRevoked { grant, .. } => Some(*grant),
            _ => None,
        })
        .collect()
}

impl Harness {
    pub fn new() -> Self {
        let w = world();
        let m = Model::of(&w, t0());
        Harness {
            w,
            m,
            person: 10_000,
            last: Vec::new(),
            latest: None,
        }
    }

    fn users(&self) -> Vec<UserId> {
        self.m.users.keys().copied().collect()
    }

    /// An actor: three times in four an admin (primary or holding an admin right), else
    /// anyone, the authority included.
    fn actor(&self, i: u8) -> Actor {
        let admin_rights = [self.w.psych_admin, self.w.som_admin];
        let admins: Vec<UserId> =
            self.users()
                .into_iter()
                .filter(|u| {
                    self.m.primaries.values().any(|p| p.contains_key(u))
                        || self.m.grants.values().any(|g| {
                            g.grantee == Grantee::User(*u) && admin_rights.contains(&g.right)
                        })
                })
                .collect();
        if !i.is_multiple_of(4) && !admins.is_empty() {
            return Actor::User(pick(&admins, i / 4));
        }
        let users = self.users();
        let i = usize::from(i) % (users.len() + 1);
        users.get(i).map_or(Actor::Authority, |u| Actor::User(*u))
    }

    fn acting(&self, actor: Actor) -> Option<(UserId, sundhed_identity::Cvr)> {
        match actor {
            Actor::User(u) => self
                .m
                .users
                .get(&u)
                .filter(|x| x.active)
                .map(|x| (u, x.org)),
            Actor::Authority => None,
        }
    }

    /// The target user is known, in `org`, active and managed by `admin`.
    fn target_ok(&self, admin: UserId, org: sundhed_identity::Cvr, user: UserId) -> bool {
        self.m
            .users
            .get(&user)
            .is_some_and(|u| u.org == org && u.active)
            && self.m.manages(admin, user)
    }

    fn group_org(&self, g: GroupId) -> sundhed_identity::Cvr {
        self.m.dept_org[&self.m.group_dept[&g]]
    }

    /// Runs `command`; checks the prediction; returns the events if accepted.
    fn run(
        &mut self,
        actor: Actor,
        command: DirectoryCommand,
        predicted: bool,
    ) -> Option<Vec<DirectoryEvent>> {
        let result = self.w.run(actor, command.clone(), self.m.now);
        self.last = result.clone().unwrap_or_default();
        if !self.last.is_empty() {
            self.latest = Some(self.m.now);
        }
        match (&result, predicted) {
            (Ok(_), true) | (Err(_), false) => {}
            (Ok(events), false) => {
                panic!("accepted, model refuses: {actor} {command:?} -> {events:?}")
            }
            (Err(refusal), true) => {
                panic!("refused, model accepts: {actor} {command:?} -> {refusal}")
            }
        }
        result.ok()
    }

    fn add_grants(
        &mut self,
        events: &[DirectoryEvent],
        grantee: Grantee,
        spec: &GrantSpec,
        actor: Actor,
        support: &crate::model::Support,
    ) {
        let org = match grantee {
            Grantee::User(u) => self.m.users[&u].org,
            Grantee::Group(g) => self.group_org(g),
        };
        let Some((primary, admin, held)) = support.clone() else {
            unreachable!()
        };
        for (id, real) in issued(events) {
            let expected = if primary {
                Support::Organisation
            } else {
                Support::Delegated {
                    admin: admin.clone(),
                    held: held.clone(),
                }
            };
            assert_eq!(real, expected, "support of {id}");
            self.m.grants.insert(
                id,
                MGrant {
                    org,
                    grantee,
                    right: spec.right,
                    dept: spec.department,
                    from: self.m.now,
                    until: spec.valid_until,
                    grantor: actor,
                    primary,
                    admin: admin.clone(),
                    held: held.clone(),
                },
            );
        }
    }

    fn grant(&mut self, actor: Actor, grantee: Grantee, spec: GrantSpec) {
        let mut support = None;
        if let Some((a, org)) = self.acting(actor) {
            let is_admin_right = [self.w.psych_admin, self.w.som_admin].contains(&spec.right);
            let grantee_ok = self.m.not_self(a, grantee)
                && match grantee {
                    Grantee::User(u) => {
                        self.target_ok(a, org, u) && (!is_admin_right || self.m.appoint_ok(a, u))
                    }
                    Grantee::Group(g) => {
                        self.group_org(g) == org
                            && self.m.administers(a, self.m.group_dept[&g])
                            && !is_admin_right
                    }
                };
            if grantee_ok {
                support = self
                    .m
                    .check_grant(a, org, spec.right, spec.department, spec.valid_until);
            }
        }
        if let Some(events) = self.run(
            actor,
            DirectoryCommand::Grant {
                grantee,
                grant: spec,
            },
            support.is_some(),
        ) {
            self.add_grants(&events, grantee, &spec, actor, &support);
        }
    }

    pub fn step(&mut self, op: &Op) {
        let w_rights = self.w.rights();
        let depts = self.w.departments();
        let groups = self.w.groups();
        let until = |h: Option<u8>, now| h.map(|h| now + TimeDelta::hours(i64::from(h)));
        let now = self.m.now;
        let before = self.m.clone();
        self.last.clear();
        match *op {
            Op::Grant {
                actor,
                grantee,
                right,
                dept,
                until: u,
                ..
            } => {
                let actor = self.actor(actor);
                let users = self.users();
                let grantee = if grantee.is_multiple_of(3) {
                    Grantee::Group(pick(&groups, grantee / 3))
                } else {
                    Grantee::User(pick(&users, grantee))
                };
                let spec = GrantSpec {
                    right: pick(&w_rights, right),
                    department: pick(&depts, dept),
                    valid_from: None,
                    valid_until: until(u, now),
                };
                self.grant(actor, grantee, spec);
            }
            Op::Delegate { pick: p, grantee } => {
                let held: Vec<&MGrant> = self
                    .m
                    .grants
                    .values()
                    .filter(|g| matches!(g.grantee, Grantee::User(_)))
                    .collect();
                if held.is_empty() {
                    return self.verify();
                }
                let h = held[usize::from(p) % held.len()].clone();
                let Grantee::User(holder) = h.grantee else {
                    unreachable!()
                };
                let managed: Vec<UserId> = self
                    .users()
                    .into_iter()
                    .filter(|u| self.m.manages(holder, *u) && *u != holder)
                    .collect();
                let grantee = if managed.is_empty() {
                    pick(&self.users(), grantee)
                } else {
                    pick(&managed, grantee)
                };
                let spec = GrantSpec {
                    right: h.right,
                    department: h.dept,
                    valid_from: None,
                    valid_until: h.until,
                };
                self.grant(Actor::User(holder), Grantee::User(grantee), spec);
            }
            Op::Revoke { actor, pick: p } => {
                let actor = self.actor(actor);
                let ids: Vec<GrantId> = self.m.grants.keys().copied().collect();
                let grant = ids
                    .get(usize::from(p) % (ids.len() + 1))
                    .copied()
                    .unwrap_or(GrantId::new(9_999));
                let actor_ok = matches!(actor, Actor::Authority) || self.acting(actor).is_some();
                let ok = actor_ok && self.m.may_revoke(actor, grant);
                if let Some(events) = self.run(actor, DirectoryCommand::Revoke { grant }, ok) {
                    let removed = self.m.remove(&BTreeSet::from([grant]));
                    assert_eq!(revoked(&events), removed, "cascade of {grant}");
                }
            }
            Op::AppointCoAdmin {
                actor,
                user,
                form,
                dept,
                until: u,
            } => {
                let actor = self.actor(actor);
                // Three times in four someone who already holds a grant, to build chains.
                let holders: Vec<UserId> = self
                    .users()
                    .into_iter()
                    .filter(|u| {
                        self.m
                            .grants
                            .values()
                            .any(|g| g.grantee == Grantee::User(*u))
                    })
                    .collect();
                let user = if !user.is_multiple_of(4) && !holders.is_empty() {
                    pick(&holders, user / 4)
                } else {
                    pick(&self.users(), user)
                };
                let right = if form.is_multiple_of(2) {
                    self.w.psych_admin
                } else {
                    self.w.som_admin
                };
                let spec = GrantSpec {
                    right,
                    department: pick(&depts, dept),
                    valid_from: None,
                    valid_until: until(u, now),
                };
                let mut support = None;
                if let Some((a, org)) = self.acting(actor)
                    && self.target_ok(a, org, user)
                    && user != a
                    && self.m.appoint_ok(a, user)
                {
                    support = self
                        .m
                        .check_grant(a, org, right, spec.department, spec.valid_until);
                }
                let command = DirectoryCommand::AppointCoAdmin {
                    user,
                    forms: vec![right.form()],
                    departments: vec![spec.department],
                    valid_until: spec.valid_until,
                };
                if let Some(events) = self.run(actor, command, support.is_some()) {
                    self.add_grants(&events, Grantee::User(user), &spec, actor, &support);
                }
            }
            Op::RemoveCoAdmin { actor, user } => {
                let actor = self.actor(actor);
                let user = pick(&self.users(), user);
                let admin_rights = [self.w.psych_admin, self.w.som_admin];
                let roots: BTreeSet<GrantId> = self
                    .m
                    .grants
                    .iter()
                    .filter(|(_, g)| {
                        g.grantee == Grantee::User(user) && admin_rights.contains(&g.right)
                    })
                    .map(|(id, _)| *id)
                    .collect();
                let actor_ok = matches!(actor, Actor::Authority) || self.acting(actor).is_some();
                let ok = actor_ok
                    && !roots.is_empty()
                    && roots.iter().all(|g| self.m.may_revoke(actor, *g));
                if let Some(events) = self.run(actor, DirectoryCommand::RemoveCoAdmin { user }, ok)
                {
                    let removed = self.m.remove(&roots);
                    assert_eq!(revoked(&events), removed);
                }
            }
            Op::CreateUser {
                actor,
                group,
                grant,
                ..
            } => {
                let actor = self.actor(actor);
                let group = pick(&groups, group);
                let spec = grant.map(|(r, d)| GrantSpec::new(pick(&w_rights, r), pick(&depts, d)));
                let mut ok = false;
                let mut support = None;
                if let Some((a, org)) = self.acting(actor) {
                    ok = self.group_org(group) == org && self.m.join_ok(a, org, group);
                    if let Some(spec) = spec {
                        support = self
                            .m
                            .check_grant(a, org, spec.right, spec.department, None);
                        ok &= support.is_some();
                    }
                }
                self.person += 1;
                let command = DirectoryCommand::CreateUser {
                    user: new_user(self.person),
                    groups: vec![group],
                    grants: spec.into_iter().collect(),
                };
                if let Some(events) = self.run(actor, command, ok) {
                    let Change::UserCreated {
                        user, organisation, ..
                    } = events[0].change
                    else {
                        unreachable!()
                    };
                    self.m.users.insert(
                        user,
                        MUser {
                            org: organisation,
                            active: true,
                            groups: vec![group],
                            added_by: BTreeMap::from([(group, actor)]),
                            ack: None,
                        },
                    );
                    if let Some(spec) = spec {
                        self.add_grants(&events, Grantee::User(user), &spec, actor, &support);
                    }
                }
            }
            Op::Join { actor, user, group } => {
                let actor = self.actor(actor);
                let user = pick(&self.users(), user);
                let group = pick(&groups, group);
                let ok = self.acting(actor).is_some_and(|(a, org)| {
                    self.target_ok(a, org, user)
                        && user != a
                        && !self.m.users[&user].groups.contains(&group)
                        && self.group_org(group) == org
                        && self.m.join_ok(a, org, group)
                });
                if self
                    .run(actor, DirectoryCommand::JoinGroup { user, group }, ok)
                    .is_some()
                {
                    let u = self.m.users.get_mut(&user).unwrap();
                    u.groups.push(group);
                    u.added_by.insert(group, actor);
                }
            }
            Op::Leave { actor, user, group } => {
                let actor = self.actor(actor);
                let user = pick(&self.users(), user);
                let group = pick(&groups, group);
                let ok = self.acting(actor).is_some_and(|(a, org)| {
                    let u = &self.m.users[&user];
                    self.target_ok(a, org, user)
                        && u.groups.contains(&group)
                        && self.m.administers(a, self.m.group_dept[&group])
                        && u.groups.len() >= 2
                        && self.m.grants.iter().all(|(id, c)| {
                            c.grantee != Grantee::Group(group)
                                || c.until.is_some_and(|e| e <= now)
                                || self
                                    .m
                                    .may_revoke_as(actor, *id, u.added_by.get(&group).copied())
                        })
                });
                if self
                    .run(actor, DirectoryCommand::LeaveGroup { user, group }, ok)
                    .is_some()
                {
                    self.m
                        .users
                        .get_mut(&user)
                        .unwrap()
                        .groups
                        .retain(|g| *g != group);
                    self.m.users.get_mut(&user).unwrap().added_by.remove(&group);
                }
            }
            Op::Deactivate { actor, user } => {
                let actor = self.actor(actor);
                let user = pick(&self.users(), user);
                let is_primary = self.m.primaries.values().any(|p| p.contains_key(&user));
                // Who-may-revoke for each grant it revokes (AUTHZ-REVOKE-01), never someone
                // above the actor (AUTHZ-APPOINT-01).
                let ok = self.acting(actor).is_some_and(|(a, org)| {
                    self.target_ok(a, org, user)
                        && !is_primary
                        && !self.m.above(a, None).contains(&user)
                        && self
                            .m
                            .grants
                            .iter()
                            .filter(|(_, g)| g.grantee == Grantee::User(user))
                            .filter(|(_, g)| g.until.is_none_or(|e| e > now))
                            .all(|(id, _)| self.m.may_revoke(actor, *id))
                        // ...and the power to take the user out of each group.
                        && self.m.users[&user].groups.iter().all(|group| {
                            self.m.grants.iter().all(|(id, c)| {
                                c.grantee != Grantee::Group(*group)
                                    || c.until.is_some_and(|e| e <= now)
                                    || self.m.may_revoke_as(
                                        actor,
                                        *id,
                                        self.m.users[&user].added_by.get(group).copied(),
                                    )
                            })
                        })
                });
                if let Some(events) = self.run(actor, DirectoryCommand::DeactivateUser { user }, ok)
                {
                    self.m.users.get_mut(&user).unwrap().active = false;
                    let roots = self
                        .m
                        .grants
                        .iter()
                        .filter(|(_, g)| g.grantee == Grantee::User(user))
                        .map(|(id, _)| *id)
                        .collect();
                    let removed = self.m.remove(&roots);
                    assert_eq!(revoked(&events), removed);
                }
            }
            Op::Acknowledge { user } => {
                let user = pick(&self.users(), user);
                let ok = self.m.users[&user].active;
                if self
                    .run(
                        Actor::User(user),
                        DirectoryCommand::AcknowledgeConfidentiality,
                        ok,
                    )
                    .is_some()
                {
                    let u = self.m.users.get_mut(&user).unwrap();
                    u.ack = u.ack.or(Some(now));
                }
            }
            Op::SetCeiling { org, mask } => {
                let org = if org { self.w.a } else { self.w.b };
                let rights: BTreeSet<_> = w_rights
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, r)| *r)
                    .collect();
                let events = self
                    .run(
                        Actor::Authority,
                        DirectoryCommand::SetCeiling {
                            organisation: org,
                            rights: rights.clone(),
                        },
                        true,
                    )
                    .unwrap();
                self.m.ceiling.insert(org, rights.clone());
                let roots = self
                    .m
                    .grants
                    .iter()
                    .filter(|(_, g)| g.org == org && !rights.contains(&g.right))
                    .map(|(id, _)| *id)
                    .collect();
                let removed = self.m.remove(&roots);
                assert_eq!(revoked(&events), removed);
            }
            Op::AppointPrimary { org, user, dept } => {
                let org = if org { self.w.a } else { self.w.b };
                let user = pick(&self.users(), user);
                let scope_dept = dept.map(|d| pick(&depts, d));
                let u = &self.m.users[&user];
                let ok = u.org == org
                    && u.active
                    && !self.m.primaries[&org].contains_key(&user)
                    && scope_dept.is_none_or(|d| self.m.dept_org[&d] == org);
                let scope = AdminScope {
                    departments: scope_dept.map_or(ScopeSet::All, |d| ScopeSet::Only([d].into())),
                    forms: ScopeSet::All,
                };
                let command = DirectoryCommand::AppointPrimaryAdmin {
                    organisation: org,
                    appointee: Appointee::Existing { user },
                    scope,
                };
                if self.run(Actor::Authority, command, ok).is_some() {
                    let depts = scope_dept.map(|d| BTreeSet::from([d]));
                    self.m
                        .primaries
                        .get_mut(&org)
                        .unwrap()
                        .insert(user, MScope { depts });
                }
            }
            Op::RemovePrimary { org, user } => {
                let org = if org { self.w.a } else { self.w.b };
                let user = pick(&self.users(), user);
                let p = &self.m.primaries[&org];
                let ok = p.contains_key(&user) && p.len() >= 2;
                if let Some(events) = self.run(
                    Actor::Authority,
                    DirectoryCommand::RemovePrimaryAdmin {
                        organisation: org,
                        user,
                    },
                    ok,
                ) {
                    self.m.primaries.get_mut(&org).unwrap().remove(&user);
                    // Self-grants (none since AUTHZ-SELF-01) end with the appointment.
                    let roots = self
                        .m
                        .grants
                        .iter()
                        .filter(|(_, g)| {
                            g.grantee == Grantee::User(user) && g.grantor == Actor::User(user)
                        })
                        .map(|(id, _)| *id)
                        .collect();
                    let removed = self.m.remove(&roots);
                    assert_eq!(revoked(&events), removed);
                }
            }
            Op::Advance { hours } => self.m.now += TimeDelta::hours(i64::from(hours)),
            // Not made by the strategy (the fuzz target's batch, department, group and
            // replacement operations are not modelled).
            Op::CreateUsers { .. }
            | Op::CreateDepartment { .. }
            | Op::CreateGroup { .. }
            | Op::ReplacePrimary { .. } => {}
        }
        // AUTHZ-MEMBER-01: the memberships the command ended in cascade.
        let ended: BTreeSet<(UserId, GroupId)> = self
            .last
            .iter()
            .filter_map(|e| match &e.change {
                Change::UserLeftGroup {
                    user,
                    group,
                    cause: LeaveCause::LostSupport,
                    ..
                } => Some((*user, *group)),
                _ => None,
            })
            .collect();
        if !self.last.is_empty() {
            assert_eq!(ended, self.m.membership_ends(&before), "memberships ended");
        }
        for (user, group) in ended {
            let u = self.m.users.get_mut(&user).unwrap();
            u.groups.retain(|g| *g != group);
            u.added_by.remove(&group);
        }
        self.verify();
        self.verify_time_moves_forward();
    }

    /// `AUTHZ-TIME-03`: after any sequence, a command dated a second before the latest event
    /// is refused and changes nothing (the world's refusal check compares the directory).
    fn verify_time_moves_forward(&mut self) {
        let Some(latest) = self.latest else { return };
        let back_dated = latest - TimeDelta::seconds(1);
        let refusal = self
            .w
            .run(
                Actor::Authority,
                DirectoryCommand::SetCeiling {
                    organisation: self.w.a,
                    rights: Default::default(),
                },
                back_dated,
            )
            .unwrap_err();
        assert!(
            refusal.broke(sundhed_authorisation::rules::TIME_FORWARD),
            "{refusal}"
        );
    }

    /// The invariants and the agreement of `check` and listings with the model.
    pub fn verify(&self) {
        let dir = &self.w.dir;
        let now = self.m.now;
        assert!(
            dir.audit_indexes().is_empty(),
            "indexes disagree with grants"
        );
        // Same live grants.
        let mut real: Vec<GrantId> = dir.grants().map(|g| g.id()).collect();
        real.sort();
        assert_eq!(
            real,
            self.m.grants.keys().copied().collect::<Vec<_>>(),
            "grant sets differ"
        );
        for g in dir.grants() {
            let org = dir.organisation(g.organisation()).unwrap();
            // D1: within the ceiling.
            assert!(org.ceiling().contains(&g.right()), "D1: {g:?}");
            // D2, D3, D4: a live support, each supporting grant held by the grantor, of the
            // same right (held) or the form's admin right (admin), covering department and
            // interval.
            match g.support() {
                Support::Organisation => assert!(matches!(g.grantor(), Actor::User(_))),
                Support::Delegated { admin, held } => {
                    let Actor::User(grantor) = g.grantor() else {
                        panic!("D4: {g:?}")
                    };
                    for (list, right) in [
                        (admin, dir.form(g.form()).unwrap().admin_right().unwrap()),
                        (held, g.right()),
                    ] {
                        let live: Vec<_> = list.iter().filter_map(|id| dir.grant(*id)).collect();
                        assert!(!live.is_empty(), "D4: {g:?} has no live support");
                        for s in live {
                            assert_eq!(s.grantee(), Grantee::User(grantor), "D2: {g:?}");
                            assert_eq!(s.right(), right, "D2: {g:?}");
                            assert!(self.m.covers(s.department(), g.department()), "D3: {g:?}");
                            assert!(s.validity().from <= g.validity().from, "D3 time: {g:?}");
                            assert!(
                                s.validity().until.is_none()
                                    || g.validity()
                                        .until
                                        .is_some_and(|u| Some(u) <= s.validity().until),
                                "D3 time: {g:?}"
                            );
                        }
                    }
                }
            }
        }
        // D7.
        for org in dir.organisations() {
            assert!(!org.primary_admins().is_empty(), "D7: {}", org.cvr());
        }
        for (id, u) in &self.m.users {
            let real = dir.user(*id).unwrap();
            assert_eq!(real.is_active(), u.active);
            if u.active {
                assert!(!real.groups().is_empty(), "D7: {id} has no group");
            }
        }
        // check agrees with the model; D9 explanation soundness; D11 permissions listing.
        for user in self.m.users.keys() {
            let mut allowed = Vec::new();
            for right in self.w.rights() {
                for department in self.w.departments() {
                    let request = AccessRequest {
                        user: *user,
                        right,
                        department,
                    };
                    let decision = dir.check(&request, now);
                    let expected = self.m.allowed(*user, right, department);
                    assert_eq!(
                        decision.is_allowed(),
                        expected,
                        "check {request:?} at {now}: {decision}"
                    );
                    assert_eq!(
                        decision.is_allowed(),
                        !decision.reasons().is_empty(),
                        "D9: {decision}"
                    );
                    for reason in decision.reasons() {
                        let g = dir.grant(reason.grant).unwrap();
                        assert!(
                            grant_applies(dir, g, reason, &request, now),
                            "D9: {reason:?}"
                        );
                    }
                    if expected {
                        allowed.push(Permission { right, department });
                    }
                }
            }
            allowed.sort();
            assert_eq!(
                dir.permissions(*user, now),
                allowed,
                "permissions of {user}"
            );
        }
        // Admin listings agree with the model.
        for (id, u) in &self.m.users {
            if !u.active {
                continue;
            }
            let manageable: Vec<UserId> = self
                .m
                .users
                .keys()
                .copied()
                .filter(|x| self.m.manages(*id, *x))
                .collect();
            assert_eq!(
                dir.manageable_users(*id, now),
                manageable,
                "manageable by {id}"
            );
            let grantable: Vec<_> = dir
                .grantable(*id, now)
                .into_iter()
                .map(|g| (g.right, g.department, g.until))
                .collect();
            assert_eq!(grantable, self.m.grantable(*id), "grantable by {id}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// D1–D10 after every step, `check` ⇔ model, listings ⇔ model, refusals are no-ops.
    #[test]
    fn authz_support_01_model_state_machine_agrees(ops in proptest::collection::vec(op(), 1..60)) {
        let mut h = Harness::new();
        h.verify();
        for op in &ops {
            h.step(op);
        }
    }
}

/// Whether `grant` applies to `request` at `at` as `reason` says, from the directory's public
/// records (not the index `check` reads): live, of the right, covering the department (itself
/// or an ancestor), and held by the user directly or by the group `reason` names, of which
/// the user is a member. For D9, explanation soundness.
fn grant_applies(
    dir: &Directory,
    grant: &Grant,
    reason: &Reason,
    request: &AccessRequest,
    at: DateTime<Utc>,
) -> bool {
    let holder_ok = match (grant.grantee(), reason.via) {
        (Grantee::User(u), None) => u == request.user,
        (Grantee::Group(g), Some(via)) => {
            g == via
                && dir
                    .user(request.user)
                    .is_some_and(|u| u.groups().contains(&g))
        }
        _ => false,
    };
    let mut covers = false;
    let mut department = Some(request.department);
    for _ in 0..64 {
        let Some(d) = department else { break };
        if d == grant.department() {
            covers = true;
            break;
        }
        department = dir.department(d).and_then(|d| d.parent());
    }
    holder_ok && grant.right() == request.right && covers && grant.validity().contains(at)
}
