//! What a command can name: the things in the directory (by id or CVR) and the relations
//! between them (memberships, appointments). `check_known`, `check_same_organisation` and
//! `check_unique` judge these references themselves, so their callers only route.

use std::collections::BTreeSet;

use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId, shown};

use crate::describe::Describe;
use crate::ids::{DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{AdminScope, Department, Form, Grant, Group, Organisation, RightSpec, User};
use crate::read::Read;

/// Something a command names that must exist (`AUTHZ-REF-01`) and may belong to an
/// organisation (`AUTHZ-ORG-01`).
pub(crate) trait Named: Copy {
    /// What the directory holds for it.
    type Found<'d>;
    /// It, if the directory holds it.
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>>;
    /// It, as a message names it (see `Describe`).
    fn describe<R: Read>(self, directory: &R) -> String;
    /// The organisation it belongs to, if it exists and belongs to one.
    fn organisation<R: Read>(self, _directory: &R) -> Option<Cvr> {
        None
    }
}

impl Named for Cvr {
    type Found<'d> = &'d Organisation;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.organisation(self)
    }
    fn describe<R: Read>(self, _directory: &R) -> String {
        format!("organisation `{self}`")
    }
    fn organisation<R: Read>(self, directory: &R) -> Option<Cvr> {
        directory.organisation(self).map(|_| self)
    }
}

impl Named for FormId {
    type Found<'d> = &'d Form;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.form(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_form(self)
    }
}

impl Named for RightId {
    type Found<'d> = &'d RightSpec;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.right(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_right(self)
    }
}

/// The right of a form that administers users (every form has one, `AUTHZ-FORM-01`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AdminRightOf(pub(crate) FormId);

impl Named for AdminRightOf {
    type Found<'d> = RightId;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.admin_right(self.0)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        match directory.form(self.0) {
            Some(_) => format!(
                "the right to administer users of {}",
                directory.describe_form(self.0)
            ),
            None => directory.describe_form(self.0),
        }
    }
}

impl Named for DepartmentId {
    type Found<'d> = &'d Department;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.department(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_department(self)
    }
    fn organisation<R: Read>(self, directory: &R) -> Option<Cvr> {
        directory.department(self).map(|d| d.organisation)
    }
}

impl Named for GroupId {
    type Found<'d> = &'d Group;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.group(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_group(self)
    }
    fn organisation<R: Read>(self, directory: &R) -> Option<Cvr> {
        directory.group(self).map(|g| g.organisation)
    }
}

impl Named for UserId {
    type Found<'d> = &'d User;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.user(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_user(self)
    }
    fn organisation<R: Read>(self, directory: &R) -> Option<Cvr> {
        directory.user(self).map(|u| u.organisation)
    }
}

impl Named for GrantId {
    type Found<'d> = &'d Grant;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory.grant(self)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        directory.describe_grant(self)
    }
    fn organisation<R: Read>(self, directory: &R) -> Option<Cvr> {
        directory.grant(self).map(|g| g.organisation)
    }
}

/// A user's membership of a group.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Membership {
    pub(crate) user: UserId,
    pub(crate) group: GroupId,
}

impl Named for Membership {
    type Found<'d> = ();
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory
            .user(self.user)
            .filter(|u| u.groups.contains(&self.group))
            .map(|_| ())
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        format!(
            "membership of {} in {}",
            directory.describe_user(self.user),
            directory.describe_group(self.group)
        )
    }
}

/// A user's appointment as primary admin of an organisation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PrimaryAppointment {
    pub(crate) organisation: Cvr,
    pub(crate) user: UserId,
}

impl Named for PrimaryAppointment {
    type Found<'d> = &'d AdminScope;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        directory
            .organisation(self.organisation)?
            .primary_admins
            .get(&self.user)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        format!(
            "primary admin {} of `{}`",
            directory.describe_user(self.user),
            self.organisation
        )
    }
}

/// A user's appointment as co-admin: their grants of forms' rights to administer users.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CoAdminAppointment(pub(crate) UserId);

impl Named for CoAdminAppointment {
    type Found<'d> = Vec<&'d Grant>;
    fn find<R: Read>(self, directory: &R) -> Option<Self::Found<'_>> {
        let grants: Vec<&Grant> = directory
            .grants_of(Grantee::User(self.0))
            .filter(|g| {
                directory
                    .right(g.right)
                    .is_some_and(|r| r.administers_users)
            })
            .collect();
        (!grants.is_empty()).then_some(grants)
    }
    fn describe<R: Read>(self, directory: &R) -> String {
        format!(
            "a co-admin appointment of {}",
            directory.describe_user(self.0)
        )
    }
}

/// Something that must be unique (`AUTHZ-UNIQ-01`), in the directory and within one command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unique<'a> {
    /// A registered organisation.
    Organisation(Cvr),
    /// A form code.
    FormCode(&'a str),
    /// A department's SHAK code.
    Shak(ShakCode),
    /// A department's SOR id.
    Sor(SorId),
    /// A certificate holder a user logs in with.
    Certificate(&'a CertificateHolderId),
    /// The active user of a person in an organisation.
    Person(Cvr, PersonId),
    /// A user's membership of a group.
    Membership(UserId, GroupId),
    /// A new user's membership of a group (the command lists it twice).
    NewMembership(GroupId),
    /// A user's appointment as primary admin of an organisation.
    PrimaryAdmin(Cvr, UserId),
}

impl Unique<'_> {
    /// Whether the directory already has it.
    pub(crate) fn taken<R: Read>(self, directory: &R) -> bool {
        match self {
            Self::Organisation(cvr) => directory.organisation(cvr).is_some(),
            Self::FormCode(code) => directory.form_id_by_code(code).is_some(),
            Self::Shak(shak) => directory.department_by_shak(shak).is_some(),
            Self::Sor(sor) => directory.department_by_sor(sor).is_some(),
            Self::Certificate(holder) => directory.user_by_certificate(holder).is_some(),
            Self::Person(cvr, person) => directory.user_by_person(cvr, person).is_some(),
            Self::Membership(user, group) => Membership { user, group }.find(directory).is_some(),
            Self::NewMembership(_) => false,
            Self::PrimaryAdmin(organisation, user) => PrimaryAppointment { organisation, user }
                .find(directory)
                .is_some(),
        }
    }

    /// It, as a message names it.
    pub(crate) fn describe<R: Read>(self, directory: &R) -> String {
        match self {
            Self::Organisation(cvr) => format!("organisation `{cvr}`"),
            Self::FormCode(code) => format!("form code `{}`", shown(code)),
            Self::Shak(shak) => format!("SHAK code `{shak}`"),
            Self::Sor(sor) => format!("SOR id `{sor}`"),
            Self::Certificate(holder) => {
                format!("certificate holder `{}`", shown(&holder.to_string()))
            }
            Self::Person(cvr, person) => format!("a user for person `{person}` in `{cvr}`"),
            Self::Membership(user, group) => Membership { user, group }.describe(directory),
            Self::NewMembership(group) => {
                format!("membership of {}", directory.describe_group(group))
            }
            Self::PrimaryAdmin(_, user) => format!(
                "primary admin appointment of {}",
                directory.describe_user(user)
            ),
        }
    }
}

/// What one command has named so far that must be unique.
pub(crate) type NamedInCommand<'a> = BTreeSet<Unique<'a>>;
