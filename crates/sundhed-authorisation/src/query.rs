//! Questions composed from the read API, asked the same way of a store and of a pending batch:
//! department containment, admin authority, what lets an admin hand a right down.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, RightId, UserId};
use crate::model::{AdminScope, Grant, ScopeSet};
use crate::read::Read;

/// Departments nest at most this many levels (a top-level department is level 1): creating a
/// deeper one is refused (`AUTHZ-DEPT-01`), so containment always walks the whole chain.
pub(crate) const MAX_DEPARTMENT_DEPTH: usize = 64;

/// The composed questions; every [`Read`] answers them.
pub(crate) trait Query: Read {
    /// Whether `department` is `ancestor` or lies below it.
    #[inline]
    fn covers(&self, ancestor: DepartmentId, department: DepartmentId) -> bool {
        let mut current = department;
        for _ in 0..MAX_DEPARTMENT_DEPTH {
            if current == ancestor {
                return true;
            }
            match self.parent_of(current).flatten() {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// The level of `department` (1 for a top-level one), counting at most one past
    /// [`MAX_DEPARTMENT_DEPTH`].
    fn level(&self, department: DepartmentId) -> usize {
        let mut current = department;
        let mut level = 1;
        while level <= MAX_DEPARTMENT_DEPTH {
            match self.parent_of(current).flatten() {
                Some(parent) => current = parent,
                None => return level,
            }
            level += 1;
        }
        level
    }

    /// The organisation of an active user.
    fn active_user_org(&self, user: UserId) -> Option<Cvr> {
        self.user(user)
            .filter(|u| u.is_active())
            .map(|u| u.organisation())
    }

    /// The primary-admin scope of `user`, if they are an active primary admin.
    fn primary_scope(&self, user: UserId) -> Option<&AdminScope> {
        let org = self.active_user_org(user)?;
        self.organisation(org)?.primary_admins().get(&user)
    }

    /// Whether a primary-admin scope covers `department` (and, if given, `form`).
    fn scope_covers(
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
    fn qualifying(
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

    /// Whether `user` is an active primary admin whose scope covers `department` and, if
    /// given, `form`.
    fn primary_covers(&self, user: UserId, form: Option<FormId>, department: DepartmentId) -> bool {
        self.primary_scope(user)
            .is_some_and(|scope| self.scope_covers(scope, form, department))
    }

    /// Whether `user` administers `department` for some form at `at`: as a primary admin
    /// whose scope covers it, or through a live admin-right grant covering it.
    fn administers(&self, user: UserId, department: DepartmentId, at: DateTime<Utc>) -> bool {
        let Some(org) = self.active_user_org(user) else {
            return false;
        };
        if self
            .department(department)
            .is_none_or(|d| d.organisation() != org)
        {
            return false;
        }
        if let Some(scope) = self.primary_scope(user)
            && self.scope_covers(scope, None, department)
        {
            return true;
        }
        self.grants_of(Grantee::User(user)).any(|g| {
            self.right(g.right()).is_some_and(|r| r.administers_users)
                && g.validity().contains(at)
                && self.covers(g.department(), department)
        })
    }

    /// Whether `user` holds a live admin-right grant of `form` covering `department` at `at`.
    fn administers_form(
        &self,
        user: UserId,
        form: FormId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> bool {
        let Some(admin_right) = self.admin_right(form) else {
            return false;
        };
        self.user_grants(user, admin_right)
            .any(|g| g.validity.contains(at) && self.covers(g.department, department))
    }

    /// Whether `admin` manages `user`: same organisation, `user` active, and one of the
    /// user's groups is keyed by a department `admin` administers.
    fn manages_user(&self, admin: UserId, user: UserId, at: DateTime<Utc>) -> bool {
        let (Some(a), Some(u)) = (self.active_user_org(admin), self.user(user)) else {
            return false;
        };
        u.is_active()
            && u.organisation() == a
            && u.groups().iter().any(|g| {
                self.group(*g)
                    .is_some_and(|g| self.administers(admin, g.department(), at))
            })
    }

    /// Whether grant `id` exists (is not revoked) and is not in `dead`.
    fn alive_except(&self, id: GrantId, dead: &BTreeSet<GrantId>) -> bool {
        self.grant(id).is_some() && !dead.contains(&id)
    }

    /// `user`'s appointments as co-admin: their direct grants of an admin right (of `form`, if
    /// given) that have not ended at `at` (a future one counts: the appointment is made).
    fn appointments(
        &self,
        user: UserId,
        form: Option<FormId>,
        at: DateTime<Utc>,
    ) -> impl Iterator<Item = &Grant> {
        self.grants_of(Grantee::User(user)).filter(move |g| {
            form.is_none_or(|f| g.form() == f)
                && g.validity().until.is_none_or(|u| at < u)
                && self.right(g.right()).is_some_and(|r| r.administers_users)
        })
    }

    /// Whether `user` is an admin at `at`: an active primary admin, or an active user with an
    /// appointment as co-admin (see [`appointments`](Self::appointments)).
    fn is_admin(&self, user: UserId, at: DateTime<Utc>) -> bool {
        self.active_user_org(user).is_some()
            && (self.primary_scope(user).is_some()
                || self.appointments(user, None, at).next().is_some())
    }

    /// The admins above `user` in the appointment chain of `form` (of every form, if `None`) at
    /// `at`: who appointed them (the grantors of their appointments), who appointed those, and
    /// so on up to the primary admins, who are appointed by the authority and have nobody
    /// above them. Only those who are admins now count: a removed admin is above nobody. Support
    /// edges (who gave whom a copy of a right) play no part.
    fn above(&self, user: UserId, form: Option<FormId>, at: DateTime<Utc>) -> BTreeSet<UserId> {
        let mut out = BTreeSet::new();
        let mut work = vec![user];
        while let Some(below) = work.pop() {
            if self.primary_scope(below).is_some() {
                continue;
            }
            for appointment in self.appointments(below, form, at) {
                if let Actor::User(appointer) = appointment.grantor()
                    && self.is_admin(appointer, at)
                    && out.insert(appointer)
                {
                    work.push(appointer);
                }
            }
        }
        out
    }
}

impl<R: Read + ?Sized> Query for R {}
