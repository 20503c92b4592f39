//! The read API of the directory's state: the lookups and indexes that `handle`, the checks,
//! `check` and the listings need, and nothing that changes the state.
//!
//! Two things implement it: the [`Store`](crate::store::Store) itself, and a store seen through
//! the events of a batch not yet applied ([`Pending`](crate::store::Pending)), so a batch of
//! commands is handled against "the directory plus the events so far" without a copy. Every
//! consumer (handlers, checks, queries, messages) is written once against this trait.

use std::collections::BTreeSet;

use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::hot::{Access, HeldGrant};
use crate::ids::{DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, RightSpec, User};
use chrono::{DateTime, Utc};

/// The next ids to hand out, the time of the latest event (commands may not go back
/// before it, `AUTHZ-TIME-03`), and the version: how many events have been applied (the
/// version the next event applies to, `AUTHZ-STATE-01`).
///
/// Each counter is one integer wider than its id, so it can stand one past the last id: a
/// counter there hands out nothing, and the command needing it is refused (`AUTHZ-IDS-01`)
/// rather than given an id already in use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    pub(crate) form: u64,
    pub(crate) department: u64,
    pub(crate) group: u64,
    pub(crate) user: u64,
    pub(crate) grant: u128,
    pub(crate) latest: Option<DateTime<Utc>>,
    pub(crate) version: u64,
}

/// The lookups of the directory's state. Each gives what the state holds now; none allocates.
pub(crate) trait Read {
    /// A form by id.
    fn form(&self, id: FormId) -> Option<&Form>;
    /// The form with this code.
    fn form_id_by_code(&self, code: &str) -> Option<FormId>;
    /// An organisation by CVR.
    fn organisation(&self, cvr: Cvr) -> Option<&Organisation>;
    /// A department by id.
    fn department(&self, id: DepartmentId) -> Option<&Department>;
    /// A department's parent, from the compact tree `check` walks: `None` if the department is
    /// unknown, `Some(None)` for a top-level one.
    fn parent_of(&self, id: DepartmentId) -> Option<Option<DepartmentId>>;
    /// The department with this SHAK code.
    fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId>;
    /// The department with this SOR id.
    fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId>;
    /// The departments of an organisation, in creation order.
    fn departments_in(&self, cvr: Cvr) -> &[DepartmentId];
    /// A group by id.
    fn group(&self, id: GroupId) -> Option<&Group>;
    /// A user by id.
    fn user(&self, id: UserId) -> Option<&User>;
    /// The users of an organisation, in creation order (deactivated ones included).
    fn users_in(&self, cvr: Cvr) -> &[UserId];
    /// The user who logs in with this certificate holder id.
    fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId>;
    /// The active user of this person in this organisation.
    fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId>;
    /// A grant by id, if not revoked.
    fn grant(&self, id: GrantId) -> Option<&Grant>;
    /// The ids of the grants (not revoked) a user or group holds directly.
    fn grant_ids_of(&self, grantee: Grantee) -> Option<&BTreeSet<GrantId>>;
    /// The ids of the grants (not revoked) of an organisation.
    fn grant_ids_in(&self, cvr: Cvr) -> Option<&BTreeSet<GrantId>>;
    /// The ids of the grants whose recorded support names `grant`.
    fn dependant_ids(&self, grant: GrantId) -> Option<&BTreeSet<GrantId>>;
    /// A user's access record (the hot-path index of `check`).
    fn access(&self, user: UserId) -> Option<&Access>;
    /// The live grants `group` holds of `right`, as `check` reads them.
    fn group_grants(&self, group: GroupId, right: RightId) -> &[HeldGrant];
    /// The next ids to hand out.
    fn next(&self) -> &Counters;

    /// The definition of a right.
    #[inline]
    fn right(&self, right: RightId) -> Option<&RightSpec> {
        self.form(right.form()).and_then(|f| f.right(right))
    }

    /// A form by code.
    fn form_by_code(&self, code: &str) -> Option<&Form> {
        self.form_id_by_code(code).and_then(|id| self.form(id))
    }

    /// The admin right of `form`.
    fn admin_right(&self, form: FormId) -> Option<RightId> {
        self.form(form).and_then(Form::admin_right)
    }

    /// The live grants `user` holds directly of `right`, as `check` reads them.
    #[inline]
    fn user_grants(&self, user: UserId, right: RightId) -> impl Iterator<Item = &HeldGrant> {
        self.access(user)
            .into_iter()
            .flat_map(|a| a.grants.iter())
            .filter(move |g| g.right == right)
    }

    /// The grants (not revoked) held directly by a user or group, by id.
    fn grants_of(&self, grantee: Grantee) -> impl Iterator<Item = &Grant> {
        self.grant_ids_of(grantee)
            .into_iter()
            .flatten()
            .filter_map(|id| self.grant(*id))
    }

    /// The grants (not revoked) of an organisation, by id.
    fn grants_in(&self, cvr: Cvr) -> impl Iterator<Item = &Grant> {
        self.grant_ids_in(cvr)
            .into_iter()
            .flatten()
            .filter_map(|id| self.grant(*id))
    }

    /// The grants whose recorded support names `grant`.
    fn dependants_of(&self, grant: GrantId) -> impl Iterator<Item = GrantId> {
        self.dependant_ids(grant).into_iter().flatten().copied()
    }

    /// An organisation's ceiling (empty for an unknown one).
    fn ceiling_of(&self, organisation: Cvr) -> BTreeSet<RightId> {
        self.organisation(organisation)
            .map(|o| o.ceiling().clone())
            .unwrap_or_default()
    }
}
