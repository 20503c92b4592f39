//! `apply`: folding one event into the store, its only mutation. It never refuses.

use crate::event::{Change, DirectoryEvent};
use crate::hot::{Access, HeldGrant, Holding};
use crate::ids::Grantee;
use crate::model::{AdminScope, Department, Form, Grant, Group, Organisation, User};
use crate::store::Store;

impl Store {
    /// Applies one event (see `Directory::apply`): the store's one mutation. It never fails.
    pub(crate) fn apply(&mut self, event: &DirectoryEvent) {
        let at = event.at;
        self.next.latest = Some(self.next.latest.map_or(at, |latest| latest.max(at)));
        self.next.version = self.next.version.saturating_add(1);
        match &event.change {
            Change::FormDefined {
                form,
                code,
                name,
                kind,
                rights,
            } => {
                self.next.form = self.next.form.max(u64::from(form.get()) + 1);
                self.form_codes.insert(code.clone(), *form);
                self.forms.insert(
                    *form,
                    Form {
                        id: *form,
                        code: code.clone(),
                        name: name.clone(),
                        kind: *kind,
                        rights: rights.clone(),
                    },
                );
            }
            Change::OrganisationRegistered { cvr, name } => {
                self.organisations.insert(
                    *cvr,
                    Organisation {
                        cvr: *cvr,
                        name: name.clone(),
                        ceiling: Default::default(),
                        primary_admins: Default::default(),
                        registered_at: at,
                    },
                );
            }
            Change::CeilingSet {
                organisation,
                rights,
            } => {
                if let Some(org) = self.organisations.get_mut(organisation) {
                    org.ceiling.clone_from(rights);
                }
            }
            Change::DepartmentCreated {
                department,
                organisation,
                name,
                shak,
                sor,
                parent,
            } => {
                self.next.department = self.next.department.max(u64::from(department.get()) + 1);
                if let Some(shak) = shak {
                    self.shak_index.insert(*shak, *department);
                }
                if let Some(sor) = sor {
                    self.sor_index.insert(*sor, *department);
                }
                self.org_departments
                    .entry(*organisation)
                    .or_default()
                    .push(*department);
                self.parents.insert(*department, *parent);
                self.departments.insert(
                    *department,
                    Department {
                        id: *department,
                        organisation: *organisation,
                        name: name.clone(),
                        shak: *shak,
                        sor: *sor,
                        parent: *parent,
                    },
                );
            }
            Change::GroupCreated {
                group,
                department,
                organisation,
                name,
                parent,
            } => {
                self.next.group = self.next.group.max(u64::from(group.get()) + 1);
                self.department_groups
                    .entry(*department)
                    .or_default()
                    .push(*group);
                self.groups.insert(
                    *group,
                    Group {
                        id: *group,
                        department: *department,
                        organisation: *organisation,
                        name: name.clone(),
                        parent: *parent,
                    },
                );
            }
            Change::UserCreated {
                user,
                organisation,
                person,
                certificates,
                groups,
            } => {
                self.next.user = self.next.user.max(u64::from(user.get()) + 1);
                for holder in certificates {
                    self.certificates.insert(holder.clone(), *user);
                }
                self.persons.insert((*organisation, *person), *user);
                self.org_users.entry(*organisation).or_default().push(*user);
                self.access.insert(*user, Access::new(*user, groups));
                self.users.insert(
                    *user,
                    User {
                        id: *user,
                        organisation: *organisation,
                        person: *person,
                        certificates: certificates.clone(),
                        groups: groups.clone(),
                        added_by: groups.iter().map(|g| (*g, event.actor)).collect(),
                        active: true,
                        acknowledged_confidentiality: None,
                        created_at: at,
                    },
                );
            }
            Change::PrimaryAdminAppointed {
                organisation,
                user,
                scope,
            } => {
                if let Some(org) = self.organisations.get_mut(organisation) {
                    org.primary_admins.insert(*user, AdminScope::clone(scope));
                }
            }
            Change::PrimaryAdminRemoved { organisation, user } => {
                if let Some(org) = self.organisations.get_mut(organisation) {
                    org.primary_admins.remove(user);
                }
            }
            Change::GrantIssued {
                grant,
                organisation,
                grantee,
                right,
                department,
                validity,
                support,
            } => {
                self.next.grant = self.next.grant.max(u128::from(grant.get()) + 1);
                let record = Grant {
                    id: *grant,
                    organisation: *organisation,
                    grantee: *grantee,
                    right: *right,
                    department: *department,
                    validity: *validity,
                    grantor: event.actor,
                    support: support.clone(),
                    granted_at: at,
                };
                for s in record.supporting_ids() {
                    self.dependants.entry(s).or_default().insert(*grant);
                }
                let held = HeldGrant {
                    id: *grant,
                    right: *right,
                    department: *department,
                    validity: *validity,
                };
                match *grantee {
                    Grantee::User(user) => {
                        if let Some(access) = self.access.get_mut(user) {
                            access.grants.push(held);
                        }
                    }
                    Grantee::Group(group) => match self.group_holdings.get_mut(&(group, *right)) {
                        Some(holding) => holding.push(held),
                        None => {
                            self.group_holdings
                                .insert((group, *right), Holding::One(held));
                        }
                    },
                }
                self.by_grantee.entry(*grantee).or_default().insert(*grant);
                self.org_grants
                    .entry(*organisation)
                    .or_default()
                    .insert(*grant);
                self.grants.insert(*grant, record);
            }
            Change::GrantRevoked { grant, .. } => self.remove_grant(*grant),
            Change::UserJoinedGroup { user, group } => {
                if let Some(u) = self.users.get_mut(user)
                    && !u.groups.contains(group)
                {
                    u.groups.push(*group);
                    u.added_by.push((*group, event.actor));
                    if let Some(access) = self.access.get_mut(*user) {
                        access.set_groups(&u.groups);
                    }
                }
            }
            Change::UserLeftGroup { user, group, .. } => {
                if let Some(u) = self.users.get_mut(user) {
                    u.groups.retain(|g| g != group);
                    u.added_by.retain(|(g, _)| g != group);
                    if let Some(access) = self.access.get_mut(*user) {
                        access.set_groups(&u.groups);
                    }
                }
            }
            Change::UserDeactivated { user } => {
                if let Some(u) = self.users.get_mut(user) {
                    u.active = false;
                    if let Some(access) = self.access.get_mut(*user) {
                        access.active = false;
                    }
                    for holder in &u.certificates {
                        self.certificates.remove(holder);
                    }
                    self.persons.remove(&(u.organisation, u.person));
                }
            }
            Change::ConfidentialityAcknowledged { user } => {
                if let Some(u) = self.users.get_mut(user) {
                    u.acknowledged_confidentiality = Some(at);
                    if let Some(access) = self.access.get_mut(*user) {
                        access.acknowledged = Some(at);
                    }
                }
            }
        }
    }

    fn remove_grant(&mut self, id: crate::ids::GrantId) {
        let Some(grant) = self.grants.remove(&id) else {
            return;
        };
        match grant.grantee {
            Grantee::User(user) => {
                if let Some(access) = self.access.get_mut(user) {
                    access.grants.remove(id);
                }
            }
            Grantee::Group(group) => {
                let key = (group, grant.right);
                if let Some(holding) = self.group_holdings.get_mut(&key)
                    && !holding.remove(id)
                {
                    self.group_holdings.remove(&key);
                }
            }
        }
        if let Some(set) = self.by_grantee.get_mut(&grant.grantee) {
            set.remove(&id);
            if set.is_empty() {
                self.by_grantee.remove(&grant.grantee);
            }
        }
        if let Some(set) = self.org_grants.get_mut(&grant.organisation) {
            set.remove(&id);
            if set.is_empty() {
                self.org_grants.remove(&grant.organisation);
            }
        }
        for s in grant.supporting_ids() {
            if let Some(set) = self.dependants.get_mut(&s) {
                set.remove(&id);
                if set.is_empty() {
                    self.dependants.remove(&s);
                }
            }
        }
        self.dependants.remove(&id);
    }
}
