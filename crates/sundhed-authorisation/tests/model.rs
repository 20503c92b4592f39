//! A deliberately simple reference model of the directory: plain maps, linear scans, and
//! revocation as a fixpoint over all grants (no indexes, no dependants list).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sundhed_authorisation::{
    Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId,
};
use sundhed_identity::Cvr;

use crate::fixtures::World;

#[derive(Clone, Debug)]
pub struct MUser {
    pub org: Cvr,
    pub active: bool,
    pub groups: Vec<GroupId>,
    /// Who added the user to each group (AUTHZ-MEMBER-01).
    pub added_by: BTreeMap<GroupId, Actor>,
    pub ack: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MGrant {
    pub org: Cvr,
    pub grantee: Grantee,
    pub right: RightId,
    pub dept: DepartmentId,
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub grantor: Actor,
    pub primary: bool,
    pub admin: Vec<GrantId>,
    pub held: Vec<GrantId>,
}

/// A primary admin's scope: `None` = all.
#[derive(Clone, Debug)]
pub struct MScope {
    pub depts: Option<BTreeSet<DepartmentId>>,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub now: DateTime<Utc>,
    pub parent: BTreeMap<DepartmentId, Option<DepartmentId>>,
    pub dept_org: BTreeMap<DepartmentId, Cvr>,
    pub group_dept: BTreeMap<GroupId, DepartmentId>,
    pub admin_right: BTreeMap<FormId, RightId>,
    pub personal: BTreeSet<RightId>,
    pub ceiling: BTreeMap<Cvr, BTreeSet<RightId>>,
    pub primaries: BTreeMap<Cvr, BTreeMap<UserId, MScope>>,
    pub users: BTreeMap<UserId, MUser>,
    pub grants: BTreeMap<GrantId, MGrant>,
}

/// The outcome the model predicts for a grant: its support, or refusal.
pub type Support = Option<(bool, Vec<GrantId>, Vec<GrantId>)>;

impl Model {
    /// The model of a fresh [`World`], written down from the fixture's description.
    pub fn of(w: &World, now: DateTime<Utc>) -> Self {
        let parent = BTreeMap::from([
            (w.hospital, None),
            (w.dept1, Some(w.hospital)),
            (w.dept2, Some(w.hospital)),
            (w.section, Some(w.dept1)),
            (w.b_hospital, None),
        ]);
        let dept_org = BTreeMap::from([
            (w.hospital, w.a),
            (w.dept1, w.a),
            (w.dept2, w.a),
            (w.section, w.a),
            (w.b_hospital, w.b),
        ]);
        let group_dept = BTreeMap::from([
            (w.g_hospital, w.hospital),
            (w.g_dept1, w.dept1),
            (w.g_dept2, w.dept2),
            (w.g_section, w.section),
            (w.g_b, w.b_hospital),
        ]);
        let admin_right = BTreeMap::from([
            (w.psych_admin.form(), w.psych_admin),
            (w.som_admin.form(), w.som_admin),
        ]);
        let personal = BTreeSet::from([w.psych_report, w.som_report]);
        let ceiling = BTreeMap::from([
            (w.a, w.rights().into_iter().collect()),
            (
                w.b,
                BTreeSet::from([w.psych_admin, w.psych_report, w.psych_read]),
            ),
        ]);
        let primaries = BTreeMap::from([
            (w.a, BTreeMap::from([(w.admin_a, MScope { depts: None })])),
            (w.b, BTreeMap::from([(w.admin_b, MScope { depts: None })])),
        ]);
        let users = BTreeMap::from([
            (
                w.admin_a,
                MUser {
                    org: w.a,
                    active: true,
                    groups: vec![w.g_hospital],
                    added_by: BTreeMap::from([(w.g_hospital, Actor::Authority)]),
                    ack: None,
                },
            ),
            (
                w.admin_b,
                MUser {
                    org: w.b,
                    active: true,
                    groups: vec![w.g_b],
                    added_by: BTreeMap::from([(w.g_b, Actor::Authority)]),
                    ack: None,
                },
            ),
        ]);
        Model {
            now,
            parent,
            dept_org,
            group_dept,
            admin_right,
            personal,
            ceiling,
            primaries,
            users,
            grants: BTreeMap::new(),
        }
    }

    pub fn covers(&self, ancestor: DepartmentId, d: DepartmentId) -> bool {
        let mut cur = Some(d);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.parent.get(&c).copied().flatten();
        }
        false
    }

    fn live(g: &MGrant, t: DateTime<Utc>) -> bool {
        g.from <= t && g.until.is_none_or(|u| t < u)
    }

    fn active_org(&self, u: UserId) -> Option<Cvr> {
        self.users.get(&u).filter(|u| u.active).map(|u| u.org)
    }

    fn primary(&self, u: UserId) -> Option<&MScope> {
        let org = self.active_org(u)?;
        self.primaries.get(&org)?.get(&u)
    }

    fn scope_covers(&self, s: &MScope, d: DepartmentId) -> bool {
        s.depts
            .as_ref()
            .is_none_or(|ds| ds.iter().any(|x| self.covers(*x, d)))
    }

    fn qualifying(
        &self,
        u: UserId,
        right: RightId,
        d: DepartmentId,
        until: Option<DateTime<Utc>>,
    ) -> Vec<GrantId> {
        self.grants
            .iter()
            .filter(|(_, g)| {
                g.grantee == Grantee::User(u)
                    && g.right == right
                    && g.from <= self.now
                    && match (g.until, until) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(a), Some(b)) => b <= a,
                    }
                    && self.covers(g.dept, d)
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// Whether `u` administers `d` (any form): primary covering, or a live admin grant.
    pub fn administers(&self, u: UserId, d: DepartmentId) -> bool {
        let Some(org) = self.active_org(u) else {
            return false;
        };
        if self.dept_org.get(&d) != Some(&org) {
            return false;
        }
        if self.primary(u).is_some_and(|s| self.scope_covers(s, d)) {
            return true;
        }
        self.grants.values().any(|g| {
            g.grantee == Grantee::User(u)
                && self.admin_right.values().any(|r| *r == g.right)
                && Self::live(g, self.now)
                && self.covers(g.dept, d)
        })
    }

    pub fn manages(&self, a: UserId, u: UserId) -> bool {
        let (Some(ao), Some(user)) = (self.active_org(a), self.users.get(&u)) else {
            return false;
        };
        user.active
            && user.org == ao
            && user
                .groups
                .iter()
                .any(|g| self.administers(a, self.group_dept[g]))
    }

    /// Whether `admin` may grant `right` on `d` until `until` in `org`; the support if so.
    pub fn check_grant(
        &self,
        admin: UserId,
        org: Cvr,
        right: RightId,
        d: DepartmentId,
        until: Option<DateTime<Utc>>,
    ) -> Support {
        if self.dept_org.get(&d) != Some(&org) || !self.ceiling[&org].contains(&right) {
            return None;
        }
        if until.is_some_and(|u| u <= self.now) {
            return None;
        }
        if self.primary(admin).is_some_and(|s| self.scope_covers(s, d)) {
            return Some((true, vec![], vec![]));
        }
        let admin_grants = self.qualifying(admin, self.admin_right[&right.form()], d, until);
        let held = self.qualifying(admin, right, d, until);
        (!admin_grants.is_empty() && !held.is_empty()).then_some((false, admin_grants, held))
    }

    /// Whether joining `group` passes the delegation rules for `admin`.
    pub fn join_ok(&self, admin: UserId, org: Cvr, group: GroupId) -> bool {
        self.administers(admin, self.group_dept[&group])
            && self.grants.values().all(|g| {
                g.grantee != Grantee::Group(group)
                    || g.until.is_some_and(|u| u <= self.now)
                    || self
                        .check_grant(admin, org, g.right, g.dept, g.until)
                        .is_some()
            })
    }

    /// `u`'s appointments as co-admin: direct admin-right grants (of `form`, if given) not
    /// ended now.
    fn appointments(&self, u: UserId, form: Option<FormId>) -> Vec<&MGrant> {
        self.grants
            .values()
            .filter(|g| {
                g.grantee == Grantee::User(u)
                    && form.is_none_or(|f| g.right.form() == f)
                    && self.admin_right.values().any(|r| *r == g.right)
                    && g.until.is_none_or(|t| self.now < t)
            })
            .collect()
    }

    /// An active primary admin, or an active user with an appointment.
    pub fn is_admin(&self, u: UserId) -> bool {
        self.active_org(u).is_some()
            && (self.primary(u).is_some() || !self.appointments(u, None).is_empty())
    }

    /// Who is above `u` in the appointment chain (of `form`, or of every form): the grantors
    /// of their appointments who are admins now, and theirs, stopping at primary admins.
    pub fn above(&self, u: UserId, form: Option<FormId>) -> BTreeSet<UserId> {
        let mut out = BTreeSet::new();
        let mut work = vec![u];
        while let Some(x) = work.pop() {
            if self.primary(x).is_some() {
                continue;
            }
            for g in self.appointments(x, form) {
                if let Actor::User(y) = g.grantor
                    && self.is_admin(y)
                    && out.insert(y)
                {
                    work.push(y);
                }
            }
        }
        out
    }

    /// AUTHZ-SELF-01: `admin` does not grant to themself or a group of theirs.
    pub fn not_self(&self, admin: UserId, grantee: Grantee) -> bool {
        match grantee {
            Grantee::User(u) => u != admin,
            Grantee::Group(g) => !self.users[&admin].groups.contains(&g),
        }
    }

    /// AUTHZ-APPOINT-01 for granting an admin right to `user`.
    pub fn appoint_ok(&self, admin: UserId, user: UserId) -> bool {
        self.primary(user).is_none()
            && (!self.is_admin(user)
                || self.primary(admin).is_some()
                || self.above(user, None).contains(&admin))
    }

    /// AUTHZ-REVOKE-01: a primary admin covering it; or, administering its form on its
    /// department now, its grantor or an admin above the grantor in the form's appointment
    /// chain; or the authority.
    pub fn may_revoke(&self, actor: Actor, id: GrantId) -> bool {
        self.may_revoke_as(actor, id, None)
    }

    /// [`may_revoke`](Self::may_revoke), with the grantor taken as `grantor` if given: a
    /// membership counts as a grant of each right its group carries, made by whoever added the
    /// member (AUTHZ-MEMBER-01).
    pub fn may_revoke_as(&self, actor: Actor, id: GrantId, grantor: Option<Actor>) -> bool {
        let Some(g) = self.grants.get(&id) else {
            return false;
        };
        let grantor = grantor.unwrap_or(g.grantor);
        let Actor::User(u) = actor else { return true };
        if self.active_org(u) != Some(g.org) {
            return false;
        }
        if self
            .primary(u)
            .is_some_and(|s| self.scope_covers(s, g.dept))
        {
            return true;
        }
        let admin_right = self.admin_right[&g.right.form()];
        let administers_form = self.grants.values().any(|a| {
            a.grantee == Grantee::User(u)
                && a.right == admin_right
                && Self::live(a, self.now)
                && self.covers(a.dept, g.dept)
        });
        let above = match grantor {
            Actor::User(grantor) => self.above(grantor, Some(g.right.form())).contains(&u),
            Actor::Authority => false,
        };
        administers_form && (grantor == actor || above)
    }

    /// Removes `roots`, then every grant left without support, until nothing changes.
    /// Returns everything removed.
    pub fn remove(&mut self, roots: &BTreeSet<GrantId>) -> BTreeSet<GrantId> {
        let mut removed = BTreeSet::new();
        for r in roots {
            if self.grants.remove(r).is_some() {
                removed.insert(*r);
            }
        }
        loop {
            let unsupported: Vec<GrantId> = self
                .grants
                .iter()
                .filter(|(_, g)| {
                    let alive = |ids: &[GrantId]| ids.iter().any(|i| self.grants.contains_key(i));
                    !(self.ceiling[&g.org].contains(&g.right)
                        && (g.primary || (alive(&g.admin) && alive(&g.held))))
                })
                .map(|(id, _)| *id)
                .collect();
            if unsupported.is_empty() {
                return removed;
            }
            for id in unsupported {
                self.grants.remove(&id);
                removed.insert(id);
            }
        }
    }

    /// The model's decision.
    pub fn allowed(&self, u: UserId, right: RightId, d: DepartmentId) -> bool {
        let Some(user) = self.users.get(&u) else {
            return false;
        };
        if !user.active {
            return false;
        }
        if self.personal.contains(&right) && user.ack.is_none_or(|t| t > self.now) {
            return false;
        }
        self.grants.values().any(|g| {
            let holder = match g.grantee {
                Grantee::User(x) => x == u,
                Grantee::Group(x) => user.groups.contains(&x),
            };
            // AUTHZ-GROUP-02: an admin right counts only when held directly.
            let holder = holder
                && (matches!(g.grantee, Grantee::User(_))
                    || !self.admin_right.values().any(|a| *a == right));
            holder && g.right == right && self.covers(g.dept, d) && Self::live(g, self.now)
        })
    }

    /// Whether `k` could hand `c` (a group's grant) down now; primary standing is read from
    /// `primaries_from` (a primary admin's memberships rest on the organisation).
    fn could_hand_down(&self, primaries_from: &Model, k: UserId, c: &MGrant) -> bool {
        if !self.users.get(&k).is_some_and(|u| u.active) {
            return false;
        }
        if primaries_from
            .primary(k)
            .is_some_and(|s| self.scope_covers(s, c.dept))
        {
            return true;
        }
        !self
            .qualifying(k, self.admin_right[&c.right.form()], c.dept, c.until)
            .is_empty()
            && !self.qualifying(k, c.right, c.dept, c.until).is_empty()
    }

    /// AUTHZ-MEMBER-01: the memberships a command ends, comparing the state `before` it with
    /// this one: those whose grantor could hand down a right the group carries before and not
    /// now; a user's last group stays.
    pub fn membership_ends(&self, before: &Model) -> BTreeSet<(UserId, GroupId)> {
        let mut out = BTreeSet::new();
        for (id, u) in &self.users {
            if !u.active {
                continue;
            }
            let mut left = u.groups.len();
            for g in &u.groups {
                let Some(Actor::User(k)) = u.added_by.get(g) else {
                    continue;
                };
                let lost = self.grants.values().any(|c| {
                    c.grantee == Grantee::Group(*g)
                        && c.until.is_none_or(|e| self.now < e)
                        && before.could_hand_down(before, *k, c)
                        && !self.could_hand_down(before, *k, c)
                });
                if lost && left > 1 {
                    left -= 1;
                    out.insert((*id, *g));
                }
            }
        }
        out
    }

    /// The model's list of what `admin` may grant now: (right, dept, latest until).
    pub fn grantable(&self, admin: UserId) -> Vec<(RightId, DepartmentId, Option<DateTime<Utc>>)> {
        let Some(org) = self.active_org(admin) else {
            return vec![];
        };
        let mut out = Vec::new();
        for (d, o) in &self.dept_org {
            if *o != org {
                continue;
            }
            for r in &self.ceiling[&org] {
                // Try open-ended, then the ends of the admin's own grants, latest first.
                let mut ends: Vec<Option<DateTime<Utc>>> = vec![None];
                let mut finite: Vec<DateTime<Utc>> = self
                    .grants
                    .values()
                    .filter(|g| g.grantee == Grantee::User(admin))
                    .filter_map(|g| g.until)
                    .filter(|u| *u > self.now)
                    .collect();
                finite.sort();
                finite.reverse();
                ends.extend(finite.into_iter().map(Some));
                if let Some(until) = ends
                    .into_iter()
                    .find(|u| self.check_grant(admin, org, *r, *d, *u).is_some())
                {
                    out.push((*r, *d, until));
                }
            }
        }
        out.sort();
        out
    }
}
