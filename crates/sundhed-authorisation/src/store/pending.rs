//! [`Pending`]: a store seen through the events of a batch not yet applied, without copying it.
//!
//! The batch's own small store (`delta`) holds only what its events touched: before an event is
//! applied, each record or index entry it will change is copied from the base (one record, or
//! one key's list or set), then the event is applied to `delta` by the same [`Store::apply`]
//! as everywhere. A read looks in `delta` first, then in the base, unless the batch removed the
//! key (`removed`). So reads answer exactly what the base would answer after the events, and the
//! cost of a batch grows with what it touches, not with the directory.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::event::{Change, DirectoryEvent};
use crate::hot::{Access, AccessTable, HeldGrant, Holding};
use crate::ids::{DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, User};
use crate::read::{Counters, Read};
use crate::store::Store;

/// A store and the events of a batch so far, read as one.
#[derive(Debug)]
pub(crate) struct Pending<'a> {
    base: &'a Store,
    delta: Store,
    removed: Removed,
}

/// The keys of the base's removable entries that the batch removed.
#[derive(Debug, Default)]
struct Removed {
    grants: HashSet<GrantId>,
    holdings: HashSet<(GroupId, RightId)>,
    by_grantee: HashSet<Grantee>,
    org_grants: HashSet<Cvr>,
    dependants: HashSet<GrantId>,
    certificates: HashSet<CertificateHolderId>,
    persons: HashSet<(Cvr, PersonId)>,
}

/// An entry of a removable table that an event touches.
enum Touched {
    Grant(GrantId),
    Holding(GroupId, RightId),
    ByGrantee(Grantee),
    OrgGrants(Cvr),
    Dependants(GrantId),
    Certificate(CertificateHolderId),
    Person(Cvr, PersonId),
}

/// Whose, which and where a grant is: what its index entries are keyed by.
#[derive(Clone, Copy)]
struct GrantOn {
    grantee: Grantee,
    right: RightId,
    organisation: Cvr,
}

/// The maps of a store, as far as [`Pending`] needs them.
trait Table<K, V> {
    fn find(&self, key: &K) -> Option<&V>;
    fn put(&mut self, key: K, value: V);
}

impl<K: Ord, V> Table<K, V> for BTreeMap<K, V> {
    fn find(&self, key: &K) -> Option<&V> {
        self.get(key)
    }
    fn put(&mut self, key: K, value: V) {
        self.insert(key, value);
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> Table<K, V> for HashMap<K, V, S> {
    fn find(&self, key: &K) -> Option<&V> {
        self.get(key)
    }
    fn put(&mut self, key: K, value: V) {
        self.insert(key, value);
    }
}

/// Copies `key`'s entry from `base` into `delta`, unless `delta` has it already or the batch
/// removed it.
fn pull<K: Clone + Hash + Eq, V: Clone, T: Table<K, V>>(
    delta: &mut T,
    base: &T,
    removed: Option<&HashSet<K>>,
    key: &K,
) {
    if delta.find(key).is_some() || removed.is_some_and(|r| r.contains(key)) {
        return;
    }
    if let Some(value) = base.find(key) {
        delta.put(key.clone(), value.clone());
    }
}

/// Records whether the batch removed `key`: it did if `delta` no longer has it.
fn settle<K: Hash + Eq, V, T: Table<K, V>>(delta: &T, removed: &mut HashSet<K>, key: K) {
    if delta.find(&key).is_some() {
        removed.remove(&key);
    } else {
        removed.insert(key);
    }
}

/// Reads `key` from `delta`, else from `base` unless the batch removed it.
fn layered<'s, K: Hash + Eq, V, T: Table<K, V>>(
    delta: &'s T,
    base: &'s T,
    removed: &HashSet<K>,
    key: &K,
) -> Option<&'s V> {
    match delta.find(key) {
        Some(value) => Some(value),
        None if removed.contains(key) => None,
        None => base.find(key),
    }
}

impl<'a> Pending<'a> {
    /// `base` with no events yet.
    pub(crate) fn new(base: &'a Store) -> Self {
        Self {
            base,
            delta: Store {
                access: AccessTable::sparse(),
                next: base.next.clone(),
                ..Store::default()
            },
            removed: Removed::default(),
        }
    }

    /// Applies one event to the batch (never to the base).
    pub(crate) fn apply(&mut self, event: &DirectoryEvent) {
        let touched = self.pull_for(event);
        self.delta.apply(event);
        for key in touched {
            self.settle(key);
        }
    }

    /// Copies into `delta` what `event` will change; gives the removable entries it touches.
    fn pull_for(&mut self, event: &DirectoryEvent) -> Vec<Touched> {
        let (base, delta, removed) = (self.base, &mut self.delta, &self.removed);
        let mut touched = Vec::new();
        match &event.change {
            Change::FormDefined { .. }
            | Change::OrganisationRegistered { .. }
            | Change::GroupCreated { .. } => {}
            Change::CeilingSet { organisation, .. }
            | Change::PrimaryAdminAppointed { organisation, .. }
            | Change::PrimaryAdminRemoved { organisation, .. } => {
                pull(
                    &mut delta.organisations,
                    &base.organisations,
                    None,
                    organisation,
                );
            }
            Change::DepartmentCreated { organisation, .. } => {
                pull(
                    &mut delta.org_departments,
                    &base.org_departments,
                    None,
                    organisation,
                );
            }
            Change::UserCreated {
                organisation,
                person,
                certificates,
                ..
            } => {
                pull(&mut delta.org_users, &base.org_users, None, organisation);
                touched.extend(certificates.iter().cloned().map(Touched::Certificate));
                touched.push(Touched::Person(*organisation, *person));
            }
            Change::GrantIssued {
                grant,
                organisation,
                grantee,
                right,
                support,
                ..
            } => {
                let on = GrantOn {
                    grantee: *grantee,
                    right: *right,
                    organisation: *organisation,
                };
                Self::pull_grant_indexes(base, delta, removed, on, support.ids(), &mut touched);
                touched.push(Touched::Grant(*grant));
            }
            Change::GrantRevoked { grant, .. } => {
                pull(
                    &mut delta.grants,
                    &base.grants,
                    Some(&removed.grants),
                    grant,
                );
                touched.push(Touched::Grant(*grant));
                touched.push(Touched::Dependants(*grant));
                if let Some(record) = delta.grants.get(grant) {
                    let on = GrantOn {
                        grantee: record.grantee,
                        right: record.right,
                        organisation: record.organisation,
                    };
                    let supports: Vec<GrantId> = record.supporting_ids().collect();
                    Self::pull_grant_indexes(base, delta, removed, on, supports, &mut touched);
                }
            }
            Change::UserJoinedGroup { user, .. }
            | Change::UserLeftGroup { user, .. }
            | Change::ConfidentialityAcknowledged { user } => {
                pull(&mut delta.users, &base.users, None, user);
                Self::pull_access(base, delta, *user);
            }
            Change::UserDeactivated { user } => {
                pull(&mut delta.users, &base.users, None, user);
                Self::pull_access(base, delta, *user);
                if let Some(u) = delta.users.get(user) {
                    touched.extend(u.certificates.iter().cloned().map(Touched::Certificate));
                    touched.push(Touched::Person(u.organisation, u.person));
                }
            }
        }
        touched
    }

    /// Copies the index entries a grant's issue or revocation changes: its holder's, its
    /// organisation's, and those of the grants it rests on.
    fn pull_grant_indexes(
        base: &Store,
        delta: &mut Store,
        removed: &Removed,
        grant: GrantOn,
        supports: impl IntoIterator<Item = GrantId>,
        touched: &mut Vec<Touched>,
    ) {
        match grant.grantee {
            Grantee::User(user) => Self::pull_access(base, delta, user),
            Grantee::Group(group) => {
                let key = (group, grant.right);
                pull(
                    &mut delta.group_holdings,
                    &base.group_holdings,
                    Some(&removed.holdings),
                    &key,
                );
                touched.push(Touched::Holding(group, grant.right));
            }
        }
        pull(
            &mut delta.by_grantee,
            &base.by_grantee,
            Some(&removed.by_grantee),
            &grant.grantee,
        );
        touched.push(Touched::ByGrantee(grant.grantee));
        pull(
            &mut delta.org_grants,
            &base.org_grants,
            Some(&removed.org_grants),
            &grant.organisation,
        );
        touched.push(Touched::OrgGrants(grant.organisation));
        for s in supports {
            pull(
                &mut delta.dependants,
                &base.dependants,
                Some(&removed.dependants),
                &s,
            );
            touched.push(Touched::Dependants(s));
        }
    }

    /// How many entries the batch holds: records, index entries, and the ids in the lists and
    /// sets it holds (new or copied from the base). What a batch costs grows with this.
    #[cfg(test)]
    pub(crate) fn footprint(&self) -> usize {
        let d = &self.delta;
        let sets = d.by_grantee.values().map(BTreeSet::len).sum::<usize>()
            + d.org_grants.values().map(BTreeSet::len).sum::<usize>()
            + d.dependants.values().map(BTreeSet::len).sum::<usize>();
        d.forms.len()
            + d.organisations.len()
            + d.departments.len()
            + d.groups.len()
            + d.users.len()
            + d.certificates.len()
            + d.persons.len()
            + d.grants.len()
            + d.group_holdings.len()
            + d.access.slots()
            + d.org_departments.values().map(Vec::len).sum::<usize>()
            + d.org_users.values().map(Vec::len).sum::<usize>()
            + sets
    }

    fn pull_access(base: &Store, delta: &mut Store, user: UserId) {
        if delta.access.get(user).is_none()
            && let Some(access) = base.access.get(user)
        {
            delta.access.insert(user, access.clone());
        }
    }

    fn settle(&mut self, key: Touched) {
        let (delta, removed) = (&self.delta, &mut self.removed);
        match key {
            Touched::Grant(id) => settle(&delta.grants, &mut removed.grants, id),
            Touched::Holding(group, right) => {
                settle(&delta.group_holdings, &mut removed.holdings, (group, right));
            }
            Touched::ByGrantee(g) => settle(&delta.by_grantee, &mut removed.by_grantee, g),
            Touched::OrgGrants(cvr) => settle(&delta.org_grants, &mut removed.org_grants, cvr),
            Touched::Dependants(id) => settle(&delta.dependants, &mut removed.dependants, id),
            Touched::Certificate(h) => settle(&delta.certificates, &mut removed.certificates, h),
            Touched::Person(cvr, p) => settle(&delta.persons, &mut removed.persons, (cvr, p)),
        }
    }
}

impl Read for Pending<'_> {
    fn form(&self, id: FormId) -> Option<&Form> {
        self.delta.form(id).or_else(|| self.base.form(id))
    }

    fn form_id_by_code(&self, code: &str) -> Option<FormId> {
        self.delta
            .form_id_by_code(code)
            .or_else(|| self.base.form_id_by_code(code))
    }

    fn organisation(&self, cvr: Cvr) -> Option<&Organisation> {
        self.delta
            .organisation(cvr)
            .or_else(|| self.base.organisation(cvr))
    }

    fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.delta
            .department(id)
            .or_else(|| self.base.department(id))
    }

    fn parent_of(&self, id: DepartmentId) -> Option<Option<DepartmentId>> {
        self.delta.parent_of(id).or_else(|| self.base.parent_of(id))
    }

    fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId> {
        self.delta
            .department_by_shak(shak)
            .or_else(|| self.base.department_by_shak(shak))
    }

    fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId> {
        self.delta
            .department_by_sor(sor)
            .or_else(|| self.base.department_by_sor(sor))
    }

    fn departments_in(&self, cvr: Cvr) -> &[DepartmentId] {
        match self.delta.org_departments.get(&cvr) {
            Some(departments) => departments,
            None => self.base.departments_in(cvr),
        }
    }

    fn group(&self, id: GroupId) -> Option<&Group> {
        self.delta.group(id).or_else(|| self.base.group(id))
    }

    fn user(&self, id: UserId) -> Option<&User> {
        self.delta.user(id).or_else(|| self.base.user(id))
    }

    fn users_in(&self, cvr: Cvr) -> &[UserId] {
        match self.delta.org_users.get(&cvr) {
            Some(users) => users,
            None => self.base.users_in(cvr),
        }
    }

    fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId> {
        let (delta, base) = (&self.delta.certificates, &self.base.certificates);
        layered(delta, base, &self.removed.certificates, holder).copied()
    }

    fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId> {
        let (delta, base) = (&self.delta.persons, &self.base.persons);
        layered(delta, base, &self.removed.persons, &(cvr, person)).copied()
    }

    fn grant(&self, id: GrantId) -> Option<&Grant> {
        layered(
            &self.delta.grants,
            &self.base.grants,
            &self.removed.grants,
            &id,
        )
    }

    fn grant_ids_of(&self, grantee: Grantee) -> Option<&BTreeSet<GrantId>> {
        let (delta, base) = (&self.delta.by_grantee, &self.base.by_grantee);
        layered(delta, base, &self.removed.by_grantee, &grantee)
    }

    fn grant_ids_in(&self, cvr: Cvr) -> Option<&BTreeSet<GrantId>> {
        let (delta, base) = (&self.delta.org_grants, &self.base.org_grants);
        layered(delta, base, &self.removed.org_grants, &cvr)
    }

    fn dependant_ids(&self, grant: GrantId) -> Option<&BTreeSet<GrantId>> {
        let (delta, base) = (&self.delta.dependants, &self.base.dependants);
        layered(delta, base, &self.removed.dependants, &grant)
    }

    fn access(&self, user: UserId) -> Option<&Access> {
        self.delta.access(user).or_else(|| self.base.access(user))
    }

    fn group_grants(&self, group: GroupId, right: RightId) -> &[HeldGrant] {
        let (delta, base) = (&self.delta.group_holdings, &self.base.group_holdings);
        layered(delta, base, &self.removed.holdings, &(group, right))
            .map(Holding::as_slice)
            .unwrap_or_default()
    }

    fn next(&self) -> &Counters {
        &self.delta.next
    }
}
