//! What a command created: the ids its events hand out, so a host need not pattern-match
//! [`Change`]s to learn the id of the user, group or grant it just made.

use crate::event::{Change, DirectoryEvent};
use crate::ids::{DepartmentId, FormId, GrantId, GroupId, UserId};

/// The ids the events of one command (or of a batch) created, each kind in the order of the
/// events.
///
/// [`Directory::handle`](crate::Directory::handle), [`Directory::execute`](crate::Directory::execute)
/// and [`Batch::handle`](crate::Batch::handle) give events, which a host logs; build this from
/// them with [`Created::of`] (the events stay the one result, so nothing a host must log is
/// hidden behind a second return shape).
///
/// # Example
/// ```
/// use sundhed_authorisation::{Actor, Created, DirectoryCommand, Directory, NewDepartment, NewUser};
/// use chrono::{TimeZone, Utc};
///
/// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
/// let mut directory = Directory::new();
/// let events = directory.execute(Actor::Authority, &DirectoryCommand::RegisterOrganisation {
///     cvr: "29190623".parse()?,
///     name: "Region Hovedstaden".into(),
///     department: NewDepartment { name: "Psykiatrisk Center".into(), shak: Some("1301".parse()?), sor: None },
///     primary_admin: NewUser { person: "0101701239".parse()?, certificates: vec![] },
/// }, at)?;
/// let created = Created::of(&events);
/// let admin = created.user().ok_or("no user created")?;
/// let department = created.department().ok_or("no department created")?;
/// assert_eq!(directory.user(admin).map(|u| u.groups()), Some(created.groups()));
/// assert_eq!(directory.groups_of(department), created.groups());
/// assert!(created.grants().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Created {
    forms: Vec<FormId>,
    departments: Vec<DepartmentId>,
    groups: Vec<GroupId>,
    users: Vec<UserId>,
    grants: Vec<GrantId>,
}

impl Created {
    /// The ids `events` created.
    #[must_use]
    pub fn of<'a>(events: impl IntoIterator<Item = &'a DirectoryEvent>) -> Self {
        let mut created = Self::default();
        for event in events {
            match &event.change {
                Change::FormDefined { form, .. } => created.forms.push(*form),
                Change::DepartmentCreated { department, .. } => {
                    created.departments.push(*department);
                }
                Change::GroupCreated { group, .. } => created.groups.push(*group),
                Change::UserCreated { user, .. } => created.users.push(*user),
                Change::GrantIssued { grant, .. } => created.grants.push(*grant),
                Change::OrganisationRegistered { .. }
                | Change::CeilingSet { .. }
                | Change::PrimaryAdminAppointed { .. }
                | Change::PrimaryAdminRemoved { .. }
                | Change::GrantRevoked { .. }
                | Change::UserJoinedGroup { .. }
                | Change::UserLeftGroup { .. }
                | Change::UserDeactivated { .. }
                | Change::ConfidentialityAcknowledged { .. } => {}
            }
        }
        created
    }

    /// Whether nothing was created.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
            && self.departments.is_empty()
            && self.groups.is_empty()
            && self.users.is_empty()
            && self.grants.is_empty()
    }

    /// The forms defined.
    #[must_use]
    pub fn forms(&self) -> &[FormId] {
        &self.forms
    }

    /// The departments created.
    #[must_use]
    pub fn departments(&self) -> &[DepartmentId] {
        &self.departments
    }

    /// The groups created.
    #[must_use]
    pub fn groups(&self) -> &[GroupId] {
        &self.groups
    }

    /// The users created.
    #[must_use]
    pub fn users(&self) -> &[UserId] {
        &self.users
    }

    /// The grants issued.
    #[must_use]
    pub fn grants(&self) -> &[GrantId] {
        &self.grants
    }

    /// The form defined, when exactly one was.
    #[must_use]
    pub fn form(&self) -> Option<FormId> {
        only(&self.forms)
    }

    /// The department created, when exactly one was.
    #[must_use]
    pub fn department(&self) -> Option<DepartmentId> {
        only(&self.departments)
    }

    /// The group created, when exactly one was.
    #[must_use]
    pub fn group(&self) -> Option<GroupId> {
        only(&self.groups)
    }

    /// The user created, when exactly one was.
    #[must_use]
    pub fn user(&self) -> Option<UserId> {
        only(&self.users)
    }

    /// The grant issued, when exactly one was.
    #[must_use]
    pub fn grant(&self) -> Option<GrantId> {
        only(&self.grants)
    }
}

/// The one element of `ids`, if there is exactly one.
fn only<T: Copy>(ids: &[T]) -> Option<T> {
    match ids {
        [id] => Some(*id),
        _ => None,
    }
}
