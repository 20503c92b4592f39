//! The store: the directory's state, its fields private to this module. Others read it through
//! [`Read`]; only [`apply`](Store::apply) changes it. [`Pending`] is a store seen through the
//! events of a batch not yet applied.

mod apply;
mod pending;

pub(crate) use pending::Pending;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::hasher::IdMap;
use crate::hot::{Access, AccessTable, HeldGrant, Holding};
use crate::ids::{DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, User};
use crate::read::{Counters, Read};

/// The directory's state: records and the indexes over them.
///
/// Two stores built from the same events are equal (`==`), whatever the order in which their
/// hash maps were filled and whatever their hashers' keys (map equality compares entries, not
/// hash state).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Store {
    forms: BTreeMap<FormId, Form>,
    form_codes: BTreeMap<String, FormId>,
    organisations: BTreeMap<Cvr, Organisation>,
    departments: IdMap<DepartmentId, Department>,
    org_departments: BTreeMap<Cvr, Vec<DepartmentId>>,
    /// Natural keys that commands and forms choose are hashed with std's keyed
    /// `RandomState`, never with the fixed [`IdMap`] hasher (no collision floods).
    shak_index: HashMap<ShakCode, DepartmentId>,
    sor_index: HashMap<SorId, DepartmentId>,
    groups: IdMap<GroupId, Group>,
    /// The groups keyed by each department, in creation order.
    department_groups: IdMap<DepartmentId, Vec<GroupId>>,
    users: IdMap<UserId, User>,
    org_users: BTreeMap<Cvr, Vec<UserId>>,
    certificates: HashMap<CertificateHolderId, UserId>,
    persons: HashMap<(Cvr, PersonId), UserId>,
    grants: IdMap<GrantId, Grant>,
    /// Live grants of groups by group and right (small, so it stays in cache).
    group_holdings: IdMap<(GroupId, RightId), Holding>,
    /// Each department's parent: the compact tree `check` walks.
    parents: IdMap<DepartmentId, Option<DepartmentId>>,
    /// Each user's access state and own live grants: the hot-path index of `check`.
    access: AccessTable,
    /// Live grants by holder.
    by_grantee: IdMap<Grantee, BTreeSet<GrantId>>,
    /// Live grants by organisation.
    org_grants: BTreeMap<Cvr, BTreeSet<GrantId>>,
    /// For each grant, the grants whose recorded support names it.
    dependants: IdMap<GrantId, BTreeSet<GrantId>>,
    next: Counters,
}

impl Store {
    /// Every form, by id.
    pub(crate) fn forms(&self) -> impl Iterator<Item = &Form> {
        self.forms.values()
    }

    /// Every organisation, by CVR.
    pub(crate) fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.values()
    }

    /// The groups keyed by `department`, in creation order.
    pub(crate) fn groups_of(&self, department: DepartmentId) -> &[GroupId] {
        self.department_groups
            .get(&department)
            .map_or(&[], Vec::as_slice)
    }

    /// Every grant not revoked, in no particular order.
    pub(crate) fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.values()
    }

    /// How many grants are not revoked.
    pub(crate) fn grant_count(&self) -> usize {
        self.grants.len()
    }

    /// Every user's access record.
    pub(crate) fn access_records(&self) -> impl Iterator<Item = &Access> {
        self.access.iter()
    }

    /// Every group holding, by group and right.
    pub(crate) fn group_holdings(&self) -> impl Iterator<Item = (GroupId, &[HeldGrant])> {
        self.group_holdings
            .iter()
            .map(|((group, _), holding)| (*group, holding.as_slice()))
    }
}

impl Read for Store {
    #[inline]
    fn form(&self, id: FormId) -> Option<&Form> {
        self.forms.get(&id)
    }

    fn form_id_by_code(&self, code: &str) -> Option<FormId> {
        self.form_codes.get(code).copied()
    }

    fn organisation(&self, cvr: Cvr) -> Option<&Organisation> {
        self.organisations.get(&cvr)
    }

    fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.departments.get(&id)
    }

    #[inline]
    fn parent_of(&self, id: DepartmentId) -> Option<Option<DepartmentId>> {
        self.parents.get(&id).copied()
    }

    fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId> {
        self.shak_index.get(&shak).copied()
    }

    fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId> {
        self.sor_index.get(&sor).copied()
    }

    fn departments_in(&self, cvr: Cvr) -> &[DepartmentId] {
        self.org_departments.get(&cvr).map_or(&[], Vec::as_slice)
    }

    fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(&id)
    }

    fn user(&self, id: UserId) -> Option<&User> {
        self.users.get(&id)
    }

    fn users_in(&self, cvr: Cvr) -> &[UserId] {
        self.org_users.get(&cvr).map_or(&[], Vec::as_slice)
    }

    fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId> {
        self.certificates.get(holder).copied()
    }

    fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId> {
        self.persons.get(&(cvr, person)).copied()
    }

    fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.grants.get(&id)
    }

    fn grant_ids_of(&self, grantee: Grantee) -> Option<&BTreeSet<GrantId>> {
        self.by_grantee.get(&grantee)
    }

    fn grant_ids_in(&self, cvr: Cvr) -> Option<&BTreeSet<GrantId>> {
        self.org_grants.get(&cvr)
    }

    fn dependant_ids(&self, grant: GrantId) -> Option<&BTreeSet<GrantId>> {
        self.dependants.get(&grant)
    }

    #[inline]
    fn access(&self, user: UserId) -> Option<&Access> {
        self.access.get(user)
    }

    #[inline]
    fn group_grants(&self, group: GroupId, right: RightId) -> &[HeldGrant] {
        self.group_holdings
            .get(&(group, right))
            .map(Holding::as_slice)
            .unwrap_or_default()
    }

    fn next(&self) -> &Counters {
        &self.next
    }
}
