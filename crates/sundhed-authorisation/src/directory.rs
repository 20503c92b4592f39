//! The directory: state, indexes, and `apply`.

mod apply;
mod describe;
mod hot;
mod query;

pub(crate) use describe::{describe_department, describe_user};
pub(crate) use hot::{Access, AccessTable, HeldGrant, Holding};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::command::DirectoryCommand;
use crate::event::DirectoryEvent;
use crate::hasher::IdMap;
use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, RightSpec, User};
use sundhed_identity::Refusal;

/// The next ids to hand out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    pub(crate) form: u32,
    pub(crate) department: u32,
    pub(crate) group: u32,
    pub(crate) user: u32,
    pub(crate) grant: u64,
}

/// The delegated-administration directory: organisations, departments, groups, forms, users,
/// admins and grants, with the indexes `check` needs.
///
/// Change it only through [`handle`](Self::handle) + [`apply`](Self::apply) (or
/// [`execute`](Self::execute), which does both). Ask it with [`check`](Self::check) and the
/// listings ([`grantable`](Self::grantable), [`manageable_users`](Self::manageable_users),
/// [`permissions`](Self::permissions), [`access_review`](Self::access_review)), which agree
/// with each other. Every query takes its time as an argument.
///
/// Two directories built from the same events are equal (`==`), whatever the order in which
/// their hash maps were filled and whatever their hashers' keys (map equality compares
/// entries, not hash state).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    pub(crate) forms: BTreeMap<FormId, Form>,
    pub(crate) form_codes: BTreeMap<String, FormId>,
    pub(crate) organisations: BTreeMap<Cvr, Organisation>,
    pub(crate) departments: IdMap<DepartmentId, Department>,
    pub(crate) org_departments: BTreeMap<Cvr, Vec<DepartmentId>>,
    /// Natural keys that commands and forms choose are hashed with std's keyed
    /// `RandomState`, never with the fixed [`IdMap`] hasher (no collision floods).
    pub(crate) shak_index: HashMap<ShakCode, DepartmentId>,
    pub(crate) sor_index: HashMap<SorId, DepartmentId>,
    pub(crate) groups: IdMap<GroupId, Group>,
    pub(crate) users: IdMap<UserId, User>,
    pub(crate) org_users: BTreeMap<Cvr, Vec<UserId>>,
    pub(crate) certificates: HashMap<CertificateHolderId, UserId>,
    pub(crate) persons: HashMap<(Cvr, PersonId), UserId>,
    pub(crate) grants: IdMap<GrantId, Grant>,
    /// Live grants of groups by group and right (small, so it stays in cache).
    pub(crate) group_holdings: IdMap<(GroupId, RightId), Holding>,
    /// Each department's parent: the compact tree `check` walks.
    pub(crate) parents: IdMap<DepartmentId, Option<DepartmentId>>,
    /// Each user's access state and own live grants: the hot-path index of `check`.
    pub(crate) access: AccessTable,
    /// Live grants by holder.
    pub(crate) by_grantee: IdMap<Grantee, BTreeSet<GrantId>>,
    /// Live grants by organisation.
    pub(crate) org_grants: BTreeMap<Cvr, BTreeSet<GrantId>>,
    /// For each grant, the grants whose recorded support names it.
    pub(crate) dependants: IdMap<GrantId, BTreeSet<GrantId>>,
    pub(crate) next: Counters,
}

impl Directory {
    /// The live grants `user` holds directly of `right`, as `check` reads them.
    #[inline]
    pub(crate) fn user_grants(
        &self,
        user: UserId,
        right: RightId,
    ) -> impl Iterator<Item = &HeldGrant> {
        self.access
            .get(user)
            .into_iter()
            .flat_map(|a| a.grants.iter())
            .filter(move |g| g.right == right)
    }

    /// The live grants `group` holds of `right`, as `check` reads them.
    #[inline]
    pub(crate) fn group_grants(&self, group: GroupId, right: RightId) -> &[HeldGrant] {
        self.group_holdings
            .get(&(group, right))
            .map(Holding::as_slice)
            .unwrap_or_default()
    }

    /// An empty directory: no forms, no organisations.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles then applies `command`: the events it produced, now applied.
    ///
    /// # Errors
    /// The [`Refusal`] of [`handle`](Self::handle); the directory is then unchanged.
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{Actor, DirectoryCommand, Directory, FormKind, RightSpec};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let mut directory = Directory::new();
    /// let define = DirectoryCommand::DefineForm {
    ///     code: "SEI-TVANG-PSYK".into(),
    ///     name: "Tvang i psykiatrien".into(),
    ///     kind: FormKind::SeiForm,
    ///     rights: vec![RightSpec {
    ///         code: "ADMIN".into(),
    ///         name: "Brugeradministration".into(),
    ///         administers_users: true,
    ///         personal_data: false,
    ///     }],
    /// };
    /// let events = directory.execute(Actor::Authority, &define, at)?;
    /// assert_eq!(events.len(), 1);
    /// assert!(directory.form_by_code("SEI-TVANG-PSYK").is_some());
    /// // Defining it again is refused and changes nothing.
    /// let before = directory.clone();
    /// assert!(directory.execute(Actor::Authority, &define, at).is_err());
    /// assert_eq!(directory, before);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn execute(
        &mut self,
        actor: Actor,
        command: &DirectoryCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        let events = self.handle(actor, command, at)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Applies events in order, for example when replaying a log or building a large
    /// directory from generated events.
    pub fn apply_all<'a>(&mut self, events: impl IntoIterator<Item = &'a DirectoryEvent>) {
        for event in events {
            self.apply(event);
        }
    }

    /// A form by id.
    #[must_use]
    pub fn form(&self, id: FormId) -> Option<&Form> {
        self.forms.get(&id)
    }

    /// A form by code.
    #[must_use]
    pub fn form_by_code(&self, code: &str) -> Option<&Form> {
        self.form_codes.get(code).and_then(|id| self.forms.get(id))
    }

    /// Every form, by id.
    pub fn forms(&self) -> impl Iterator<Item = &Form> {
        self.forms.values()
    }

    /// The definition of a right.
    #[must_use]
    pub fn right(&self, right: RightId) -> Option<&RightSpec> {
        self.forms.get(&right.form()).and_then(|f| f.right(right))
    }

    /// An organisation by CVR.
    #[must_use]
    pub fn organisation(&self, cvr: Cvr) -> Option<&Organisation> {
        self.organisations.get(&cvr)
    }

    /// Every organisation, by CVR.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.values()
    }

    /// A department by id.
    #[must_use]
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.departments.get(&id)
    }

    /// The department with this SHAK code.
    #[must_use]
    pub fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId> {
        self.shak_index.get(&shak).copied()
    }

    /// The department with this SOR id.
    #[must_use]
    pub fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId> {
        self.sor_index.get(&sor).copied()
    }

    /// The departments of an organisation, in creation order.
    #[must_use]
    pub fn departments_of(&self, cvr: Cvr) -> &[DepartmentId] {
        self.org_departments.get(&cvr).map_or(&[], Vec::as_slice)
    }

    /// A group by id.
    #[must_use]
    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.get(&id)
    }

    /// A user by id.
    #[must_use]
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.users.get(&id)
    }

    /// The users of an organisation, in creation order (deactivated ones included).
    #[must_use]
    pub fn users_of(&self, cvr: Cvr) -> &[UserId] {
        self.org_users.get(&cvr).map_or(&[], Vec::as_slice)
    }

    /// The user who logs in with this certificate holder id.
    #[must_use]
    pub fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId> {
        self.certificates.get(holder).copied()
    }

    /// The active user for this person in this organisation.
    #[must_use]
    pub fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId> {
        self.persons.get(&(cvr, person)).copied()
    }

    /// A grant by id, if it has not been revoked (expired grants are still here).
    #[must_use]
    pub fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.grants.get(&id)
    }

    /// Every grant not revoked, in no particular order.
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.grants.values()
    }

    /// The grants (not revoked) held directly by a user or group, by id.
    pub fn grants_of(&self, grantee: Grantee) -> impl Iterator<Item = &Grant> {
        self.by_grantee
            .get(&grantee)
            .into_iter()
            .flatten()
            .filter_map(|id| self.grants.get(id))
    }

    /// The grants (not revoked) of an organisation, by id.
    pub fn grants_in(&self, cvr: Cvr) -> impl Iterator<Item = &Grant> {
        self.org_grants
            .get(&cvr)
            .into_iter()
            .flatten()
            .filter_map(|id| self.grants.get(id))
    }

    /// The grants whose recorded support names `grant`.
    pub fn dependants_of(&self, grant: GrantId) -> impl Iterator<Item = GrantId> + '_ {
        self.dependants.get(&grant).into_iter().flatten().copied()
    }
}
