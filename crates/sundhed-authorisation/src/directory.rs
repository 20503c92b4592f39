//! The directory: the public face of the store. It routes each question to the store's read
//! API and each change through `handle` and the store's `apply`.

use chrono::{DateTime, Utc};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::checks::check_computed_on;
use crate::command::DirectoryCommand;
use crate::event::DirectoryEvent;
use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, RightSpec, User};
use crate::read::Read;
use crate::store::Store;
use sundhed_identity::{Refusal, Violation};

/// The delegated-administration directory: organisations, departments, groups, forms, users,
/// admins and grants, with the indexes `check` needs.
///
/// Change it only through [`handle`](Self::handle) + [`apply`](Self::apply) (or
/// [`execute`](Self::execute), which does both). Ask it with [`check`](Self::check) and the
/// listings ([`grantable`](Self::grantable), [`manageable_users`](Self::manageable_users),
/// [`permissions`](Self::permissions), [`access_review`](Self::access_review)), which agree
/// with each other. Every query takes its time as an argument. Several commands that must see
/// each other's changes before any is applied go through a [`batch`](Self::batch).
///
/// Two directories built from the same events are equal (`==`), whatever the order in which
/// their hash maps were filled and whatever their hashers' keys (map equality compares
/// entries, not hash state).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    store: Store,
}

impl Directory {
    /// The state, for the read API.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// An empty directory: no forms, no organisations.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles then applies `command`: the events it produced, now applied. The ids they
    /// created are [`Created::of`](crate::Created::of) them.
    ///
    /// # Errors
    /// The [`Refusal`] of [`handle`](Self::handle); the directory is then unchanged. (The
    /// events are applied through the checked [`apply_all`](Self::apply_all), which accepts
    /// them: they were computed on this very version.)
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
        self.apply_all(&events)?;
        Ok(events)
    }

    /// The directory's version: how many events it has applied. Every event names the version
    /// it applies to ([`DirectoryEvent::applies_to`]), so events computed on another version
    /// are refused by [`apply_all`](Self::apply_all) (`AUTHZ-STATE-01`).
    #[must_use]
    pub fn version(&self) -> u64 {
        self.store.next().version
    }

    /// Rule `AUTHZ-STATE-01`: whether `events`, in order, apply to this directory now: the
    /// first to its [`version`](Self::version), each next one to the version after. Nothing
    /// changes. For a host that applies events one by one through [`apply`](Self::apply)
    /// (replaying a log of its own, say) and wants the check [`apply_all`](Self::apply_all)
    /// makes.
    ///
    /// # Errors
    /// `AUTHZ-STATE-01` when an event was computed on another version (the directory changed
    /// since, or the events are out of order or incomplete).
    pub fn check_fresh<'a>(
        &self,
        events: impl IntoIterator<Item = &'a DirectoryEvent>,
    ) -> Result<(), Violation> {
        check_computed_on(self.version(), events)
    }

    /// Applies the events of a command or a [`Batch`](crate::Batch), in order, if they were
    /// computed on this directory as it is now; otherwise applies none.
    ///
    /// # Errors
    /// `AUTHZ-STATE-01` when an event was computed on another version: the directory has
    /// changed since [`handle`](Self::handle) or [`batch`](Self::batch) computed them (their
    /// checks read a state that is gone: a grant's support may have been revoked since), or
    /// the events are out of order. The directory is then unchanged.
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{Actor, DirectoryCommand, Directory, NewDepartment, NewUser, rules};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let mut directory = Directory::new();
    /// let register = |cvr: &str, shak: &str| -> Result<DirectoryCommand, Box<dyn std::error::Error>> {
    ///     Ok(DirectoryCommand::RegisterOrganisation {
    ///         cvr: cvr.parse()?,
    ///         name: "Region".into(),
    ///         department: NewDepartment { name: "Hospital".into(), shak: Some(shak.parse()?), sor: None },
    ///         primary_admin: NewUser { person: "0101701239".parse()?, certificates: vec![] },
    ///     })
    /// };
    /// let first = directory.handle(Actor::Authority, &register("29190623", "1301")?, at)?;
    /// let second = directory.handle(Actor::Authority, &register("33257872", "6620")?, at)?;
    /// directory.apply_all(&first)?;
    /// // `second` was computed on the empty directory, which has changed since.
    /// let refusal = directory.apply_all(&second).unwrap_err();
    /// assert!(refusal.broke(rules::STATE));
    /// assert_eq!(directory.organisations().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_all(&mut self, events: &[DirectoryEvent]) -> Result<(), Refusal> {
        self.check_fresh(events)?;
        for event in events {
            self.apply(event);
        }
        Ok(())
    }

    /// Applies one event. Events are facts, so this never fails: an event that names
    /// something unknown is applied as far as it can be (and a later [`check`](Self::check)
    /// denies anything it cannot explain), and its [`applies_to`](DirectoryEvent::applies_to)
    /// is not checked; the directory's version moves on by one. Apply only events that
    /// [`handle`](Self::handle) produced, in order: replaying a log written by the registry
    /// (`sundhed_workflow`), which computes and appends each command's events against its
    /// current state at once, always applies them in order, so each event meets the version
    /// it names (the registry's replay checks that, too). To have that checked, use
    /// [`apply_all`](Self::apply_all) or [`check_fresh`](Self::check_fresh).
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{Actor, Change, Directory, DirectoryEvent};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let cvr = "33257872".parse()?;
    /// let mut directory = Directory::new();
    /// directory.apply(&DirectoryEvent::new(at, Actor::Authority, Change::OrganisationRegistered {
    ///     cvr,
    ///     name: "Sundhedsdatastyrelsen".into(),
    /// }));
    /// assert_eq!(directory.organisation(cvr).map(|o| o.name()), Some("Sundhedsdatastyrelsen"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, event: &DirectoryEvent) {
        self.store.apply(event);
    }

    /// A form by id.
    #[must_use]
    pub fn form(&self, id: FormId) -> Option<&Form> {
        self.store.form(id)
    }

    /// A form by code.
    #[must_use]
    pub fn form_by_code(&self, code: &str) -> Option<&Form> {
        self.store.form_by_code(code)
    }

    /// Every form, by id.
    pub fn forms(&self) -> impl Iterator<Item = &Form> {
        self.store.forms()
    }

    /// The definition of a right.
    #[must_use]
    pub fn right(&self, right: RightId) -> Option<&RightSpec> {
        self.store.right(right)
    }

    /// An organisation by CVR.
    #[must_use]
    pub fn organisation(&self, cvr: Cvr) -> Option<&Organisation> {
        self.store.organisation(cvr)
    }

    /// Every organisation, by CVR.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.store.organisations()
    }

    /// A department by id.
    #[must_use]
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.store.department(id)
    }

    /// The department with this SHAK code.
    #[must_use]
    pub fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId> {
        self.store.department_by_shak(shak)
    }

    /// The department with this SOR id.
    #[must_use]
    pub fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId> {
        self.store.department_by_sor(sor)
    }

    /// The departments of an organisation, in creation order.
    #[must_use]
    pub fn departments_of(&self, cvr: Cvr) -> &[DepartmentId] {
        self.store.departments_in(cvr)
    }

    /// A group by id.
    #[must_use]
    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.store.group(id)
    }

    /// The groups keyed by a department, in creation order (none for an unknown department).
    #[must_use]
    pub fn groups_of(&self, department: DepartmentId) -> &[GroupId] {
        self.store.groups_of(department)
    }

    /// A user by id.
    #[must_use]
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.store.user(id)
    }

    /// The users of an organisation, in creation order (deactivated ones included).
    #[must_use]
    pub fn users_of(&self, cvr: Cvr) -> &[UserId] {
        self.store.users_in(cvr)
    }

    /// The user who logs in with this certificate holder id.
    #[must_use]
    pub fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId> {
        self.store.user_by_certificate(holder)
    }

    /// The active user for this person in this organisation.
    #[must_use]
    pub fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId> {
        self.store.user_by_person(cvr, person)
    }

    /// A grant by id, if it has not been revoked (expired grants are still here).
    #[must_use]
    pub fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.store.grant(id)
    }

    /// Every grant not revoked, in no particular order.
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.store.grants()
    }

    /// The grants (not revoked) held directly by a user or group, by id.
    pub fn grants_of(&self, grantee: Grantee) -> impl Iterator<Item = &Grant> {
        self.store.grants_of(grantee)
    }

    /// The grants (not revoked) of an organisation, by id.
    pub fn grants_in(&self, cvr: Cvr) -> impl Iterator<Item = &Grant> {
        self.store.grants_in(cvr)
    }

    /// The grants whose recorded support names `grant`.
    pub fn dependants_of(&self, grant: GrantId) -> impl Iterator<Item = GrantId> + '_ {
        self.store.dependants_of(grant)
    }
}
