//! Small shared questions about the state: department containment, admin authority.

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::directory::Directory;
use crate::ids::{DepartmentId, FormId, GrantId, Grantee, RightId, UserId};
use crate::model::{AdminScope, ScopeSet};

/// Departments nest at most this deep; deeper chains are treated as corrupt (no containment).
pub(crate) const MAX_DEPARTMENT_DEPTH: usize = 64;

impl Directory {
    /// Whether `department` is `ancestor` or lies below it.
    pub(crate) fn covers(&self, ancestor: DepartmentId, department: DepartmentId) -> bool {
        let mut current = department;
        for _ in 0..MAX_DEPARTMENT_DEPTH {
            if current == ancestor {
                return true;
            }
            match self.parents.get(&current).copied().flatten() {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// The organisation of an active user.
    pub(crate) fn active_user_org(&self, user: UserId) -> Option<Cvr> {
        self.users
            .get(&user)
            .filter(|u| u.active)
            .map(|u| u.organisation)
    }

    /// The primary-admin scope of `user`, if they are an active primary admin.
    pub(crate) fn primary_scope(&self, user: UserId) -> Option<&AdminScope> {
        let org = self.active_user_org(user)?;
        self.organisations.get(&org)?.primary_admins.get(&user)
    }

    /// Whether a primary-admin scope covers `department` (and, if given, `form`).
    pub(crate) fn scope_covers(
        &self,
        scope: &AdminScope,
        form: Option<FormId>,
        department: DepartmentId,
    ) -> bool {
        let form_ok = form.is_none_or(|f| scope.forms.lists(&f));
        let department_ok = match &scope.departments {
            ScopeSet::All => true,
            ScopeSet::Only(roots) => roots.iter().any(|r| self.covers(*r, department)),
        };
        form_ok && department_ok
    }

    /// `user`'s own (direct) grants of `right` that qualify as supports of a new grant
    /// on `department` running from `at` until `until`: they cover the department and the
    /// whole interval.
    pub(crate) fn qualifying(
        &self,
        user: UserId,
        right: RightId,
        department: DepartmentId,
        at: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> Vec<GrantId> {
        let mut out: Vec<GrantId> = self
            .user_grants(user, right)
            .filter(|g| g.validity.covers(at, until) && self.covers(g.department, department))
            .map(|g| g.id)
            .collect();
        out.sort_unstable();
        out
    }

    /// The admin right of `form`.
    pub(crate) fn admin_right(&self, form: FormId) -> Option<RightId> {
        self.forms
            .get(&form)
            .and_then(crate::model::Form::admin_right)
    }

    /// Whether `user` administers `department` for some form at `at`: as a primary admin
    /// whose scope covers it, or through a live admin-right grant covering it.
    pub(crate) fn administers(
        &self,
        user: UserId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> bool {
        let Some(org) = self.active_user_org(user) else {
            return false;
        };
        if self
            .departments
            .get(&department)
            .is_none_or(|d| d.organisation != org)
        {
            return false;
        }
        if let Some(scope) = self.primary_scope(user)
            && self.scope_covers(scope, None, department)
        {
            return true;
        }
        self.by_grantee
            .get(&Grantee::User(user))
            .into_iter()
            .flatten()
            .any(|id| {
                self.grants.get(id).is_some_and(|g| {
                    self.right(g.right).is_some_and(|r| r.administers_users)
                        && g.validity.contains(at)
                        && self.covers(g.department, department)
                })
            })
    }

    /// Whether `admin` manages `user`: same organisation, `user` active, and one of the
    /// user's groups is keyed by a department `admin` administers.
    pub(crate) fn manages_user(&self, admin: UserId, user: UserId, at: DateTime<Utc>) -> bool {
        let (Some(a), Some(u)) = (self.active_user_org(admin), self.users.get(&user)) else {
            return false;
        };
        u.active
            && u.organisation == a
            && u.groups.iter().any(|g| {
                self.groups
                    .get(g)
                    .is_some_and(|g| self.administers(admin, g.department, at))
            })
    }

    /// Whether grant `id` exists (is not revoked) and is not in `dead`.
    pub(crate) fn alive_except(
        &self,
        id: GrantId,
        dead: &std::collections::BTreeSet<GrantId>,
    ) -> bool {
        self.grants.contains_key(&id) && !dead.contains(&id)
    }
}
