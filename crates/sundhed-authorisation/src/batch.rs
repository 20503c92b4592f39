//! [`Batch`]: several commands handled one after another, each against the directory plus the
//! events of the commands before it, without changing or copying the directory.

use chrono::{DateTime, Utc};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, Refusal, ShakCode, SorId};

use crate::command::DirectoryCommand;
use crate::decision::{AccessRequest, Decision, decide};
use crate::directory::Directory;
use crate::event::DirectoryEvent;
use crate::handle::handle;
use crate::ids::{Actor, DepartmentId, GrantId, Grantee, GroupId, UserId};
use crate::model::{Department, Form, Grant, Group, Organisation, User};
use crate::read::Read;
use crate::store::Pending;

/// Commands handled one after another at one time, each seeing the events of those before it,
/// while the directory stays as it is: for a procedure step that makes several changes at once
/// (registering an organisation, then setting its ceiling). Apply [`events`](Self::events) to
/// the directory, in order, to make the batch happen.
///
/// The events are exactly those that handling each command and applying its events before the
/// next would give; the lookups answer what the directory would hold after them. The batch
/// copies only the records and index entries its events change (for a new organisation,
/// nothing of the directory), so its cost grows with the batch, not with the directory.
#[derive(Debug)]
pub struct Batch<'a> {
    pending: Pending<'a>,
    events: Vec<DirectoryEvent>,
    at: DateTime<Utc>,
}

impl Directory {
    /// An empty batch of commands at time `at` on this directory (see [`Batch`]).
    ///
    /// # Example
    /// ```
    /// use sundhed_authorisation::{Actor, DirectoryCommand, Directory, NewDepartment, NewUser};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
    /// let mut directory = Directory::new();
    /// let cvr = "29190623".parse()?;
    /// let mut batch = directory.batch(at);
    /// batch.handle(Actor::Authority, &DirectoryCommand::RegisterOrganisation {
    ///     cvr,
    ///     name: "Region Hovedstaden".into(),
    ///     department: NewDepartment { name: "Psykiatrisk Center".into(), shak: Some("1301".parse()?), sor: None },
    ///     primary_admin: NewUser { person: "0101701239".parse()?, certificates: vec![] },
    /// })?;
    /// // The second command sees the organisation the first registered.
    /// batch.handle(Actor::Authority, &DirectoryCommand::SetCeiling {
    ///     organisation: cvr,
    ///     rights: Default::default(),
    /// })?;
    /// assert!(batch.organisation(cvr).is_some());
    /// let events = batch.into_events();
    /// assert!(directory.organisation(cvr).is_none());
    /// directory.apply_all(&events)?;
    /// assert!(directory.organisation(cvr).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn batch(&self, at: DateTime<Utc>) -> Batch<'_> {
        Batch {
            pending: Pending::new(self.store()),
            events: Vec::new(),
            at,
        }
    }
}

impl Batch<'_> {
    /// Handles `command` from `actor` against the directory plus the batch's events so far,
    /// and adds its events to the batch; gives them.
    ///
    /// # Errors
    /// The [`Refusal`] of [`Directory::handle`]; the batch is then as it was (and the
    /// directory never changes).
    pub fn handle(
        &mut self,
        actor: Actor,
        command: &DirectoryCommand,
    ) -> Result<&[DirectoryEvent], Refusal> {
        let new = handle(&self.pending, actor, command, self.at)?;
        for event in &new {
            self.pending.apply(event);
        }
        let start = self.events.len();
        self.events.extend(new);
        Ok(self.events.get(start..).unwrap_or_default())
    }

    /// The events of the batch so far, in order.
    #[must_use]
    pub fn events(&self) -> &[DirectoryEvent] {
        &self.events
    }

    /// The events of the batch, in order, to apply to the directory.
    #[must_use]
    pub fn into_events(self) -> Vec<DirectoryEvent> {
        self.events
    }

    /// Decides `request` at `at` as [`Directory::check`] would after the batch.
    #[must_use]
    pub fn check(&self, request: &AccessRequest, at: DateTime<Utc>) -> Decision {
        decide(&self.pending, request, at)
    }

    /// A form by code, as after the batch.
    #[must_use]
    pub fn form_by_code(&self, code: &str) -> Option<&Form> {
        self.pending.form_by_code(code)
    }

    /// An organisation by CVR, as after the batch.
    #[must_use]
    pub fn organisation(&self, cvr: Cvr) -> Option<&Organisation> {
        self.pending.organisation(cvr)
    }

    /// A department by id, as after the batch.
    #[must_use]
    pub fn department(&self, id: DepartmentId) -> Option<&Department> {
        self.pending.department(id)
    }

    /// The department with this SHAK code, as after the batch.
    #[must_use]
    pub fn department_by_shak(&self, shak: ShakCode) -> Option<DepartmentId> {
        self.pending.department_by_shak(shak)
    }

    /// The department with this SOR id, as after the batch.
    #[must_use]
    pub fn department_by_sor(&self, sor: SorId) -> Option<DepartmentId> {
        self.pending.department_by_sor(sor)
    }

    /// The departments of an organisation, in creation order, as after the batch.
    #[must_use]
    pub fn departments_of(&self, cvr: Cvr) -> &[DepartmentId] {
        self.pending.departments_in(cvr)
    }

    /// A group by id, as after the batch.
    #[must_use]
    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.pending.group(id)
    }

    /// A user by id, as after the batch.
    #[must_use]
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.pending.user(id)
    }

    /// The users of an organisation, in creation order, as after the batch.
    #[must_use]
    pub fn users_of(&self, cvr: Cvr) -> &[UserId] {
        self.pending.users_in(cvr)
    }

    /// The user who logs in with this certificate holder id, as after the batch.
    #[must_use]
    pub fn user_by_certificate(&self, holder: &CertificateHolderId) -> Option<UserId> {
        self.pending.user_by_certificate(holder)
    }

    /// The active user for this person in this organisation, as after the batch.
    #[must_use]
    pub fn user_by_person(&self, cvr: Cvr, person: PersonId) -> Option<UserId> {
        self.pending.user_by_person(cvr, person)
    }

    /// A grant by id, if not revoked, as after the batch.
    #[must_use]
    pub fn grant(&self, id: GrantId) -> Option<&Grant> {
        self.pending.grant(id)
    }

    /// The grants (not revoked) held directly by a user or group, by id, as after the batch.
    pub fn grants_of(&self, grantee: Grantee) -> impl Iterator<Item = &Grant> {
        self.pending.grants_of(grantee)
    }

    /// The grants (not revoked) of an organisation, by id, as after the batch.
    pub fn grants_in(&self, cvr: Cvr) -> impl Iterator<Item = &Grant> {
        self.pending.grants_in(cvr)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use sundhed_identity::Cvr;

    use crate::command::{DirectoryCommand, NewDepartment, NewUser};
    use crate::directory::Directory;
    use crate::event::{Change, DirectoryEvent};
    use crate::ids::{Actor, DepartmentId, GroupId, UserId};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
            .single()
            .unwrap_or_default()
    }

    /// A directory with one organisation of `users` users, built from events.
    fn directory_of(users: u32) -> Directory {
        let cvr: Cvr = "29190925".parse().unwrap_or_else(|_| unreachable!());
        let event = |change| DirectoryEvent::new(at(), Actor::Authority, change);
        let mut store = Directory::new();
        store.apply(&event(Change::OrganisationRegistered {
            cvr,
            name: "Region".into(),
        }));
        store.apply(&event(Change::DepartmentCreated {
            department: DepartmentId::new(0),
            organisation: cvr,
            name: "Hospital".into(),
            shak: "6620".parse().ok(),
            sor: None,
            parent: None,
        }));
        store.apply(&event(Change::GroupCreated {
            group: GroupId::new(0),
            department: DepartmentId::new(0),
            organisation: cvr,
            name: "Hospital".into(),
            parent: None,
        }));
        for i in 0..users {
            let person = format!("0101{:02}{:04}", 60 + i / 10_000 % 40, i % 10_000);
            store.apply(&event(Change::UserCreated {
                user: UserId::new(i),
                organisation: cvr,
                person: person.parse().unwrap_or_else(|_| unreachable!()),
                certificates: vec![],
                groups: vec![GroupId::new(0)],
            }));
        }
        store
    }

    /// The SEB approval's two commands (register an organisation, set its ceiling) as a batch:
    /// how many entries the batch holds (records and ids in lists and sets, new or copied).
    fn approval_footprint(base: &Directory) -> usize {
        let mut batch = base.batch(at());
        let cvr: Cvr = "33257872".parse().unwrap_or_else(|_| unreachable!());
        let register = DirectoryCommand::RegisterOrganisation {
            cvr,
            name: "Klinik".into(),
            department: NewDepartment {
                name: "Klinik".into(),
                shak: None,
                sor: "123456789012".parse().ok(),
            },
            primary_admin: NewUser {
                person: "0101701239".parse().unwrap_or_else(|_| unreachable!()),
                certificates: vec![],
            },
        };
        let ceiling = DirectoryCommand::SetCeiling {
            organisation: cvr,
            rights: Default::default(),
        };
        for command in [register, ceiling] {
            let events = batch.handle(Actor::Authority, &command);
            assert!(events.is_ok(), "{events:?}");
        }
        batch.pending.footprint()
    }

    /// An SEB approval does not copy the directory: the batch holds the same few entries in a
    /// directory of 100 000 users as in one of 1 000, none of them copied from the base.
    #[test]
    fn an_approval_batch_holds_what_it_made_whatever_the_directory_size() {
        let small = approval_footprint(&directory_of(1_000));
        let large = approval_footprint(&directory_of(100_000));
        assert_eq!(small, large);
        assert!(large < 20, "the batch holds {large} entries");
    }
}
