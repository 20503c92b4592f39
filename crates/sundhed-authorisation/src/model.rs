//! The things the directory holds.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};

/// Whether a form is an SEI report form or an SEB service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FormKind {
    /// An SEI report form (skema), for example coercion in psychiatry.
    SeiForm,
    /// An SEB service.
    SebService,
}

/// One right (role) a form offers, as the authority defines it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightSpec {
    /// A short code, unique within the form, for example `INDBERET`.
    pub code: String,
    /// A readable name.
    pub name: String,
    /// Whether this is the form's right to administer users ("Brugeradministration"). Every
    /// form has exactly one.
    pub administers_users: bool,
    /// Whether exercising the right shows personal data; such rights are denied until the
    /// user has acknowledged the duty of confidentiality (seed SEI §8).
    pub personal_data: bool,
}

/// A form (SEI) or service (SEB) and its rights.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub(crate) id: FormId,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) kind: FormKind,
    pub(crate) rights: Vec<RightSpec>,
}

impl Form {
    /// The form's id.
    #[must_use]
    pub fn id(&self) -> FormId {
        self.id
    }
    /// The form's code, unique in the directory.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }
    /// The form's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// SEI form or SEB service.
    #[must_use]
    pub fn kind(&self) -> FormKind {
        self.kind
    }
    /// The rights with their ids.
    pub fn rights(&self) -> impl Iterator<Item = (RightId, &RightSpec)> {
        let id = self.id;
        self.rights
            .iter()
            .enumerate()
            .map(move |(i, r)| (RightId::new(id, u16::try_from(i).unwrap_or(u16::MAX)), r))
    }
    /// The right with this code.
    #[must_use]
    pub fn right_by_code(&self, code: &str) -> Option<RightId> {
        self.rights()
            .find(|(_, r)| r.code == code)
            .map(|(id, _)| id)
    }
    /// The form's right to administer users.
    #[must_use]
    pub fn admin_right(&self) -> Option<RightId> {
        self.rights()
            .find(|(_, r)| r.administers_users)
            .map(|(id, _)| id)
    }
    pub(crate) fn right(&self, right: RightId) -> Option<&RightSpec> {
        if right.form() != self.id {
            return None;
        }
        self.rights.get(usize::from(right.index()))
    }
}

/// A set that is either everything or a listed subset; used for admin scopes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "items")]
pub enum ScopeSet<T: Ord> {
    /// Every item (every department of the organisation, every form in its ceiling).
    All,
    /// Only these items (for departments: each with its sub-departments).
    Only(BTreeSet<T>),
}

impl<T: Ord> ScopeSet<T> {
    /// Whether the set lists `item` or is `All`.
    #[must_use]
    pub fn lists(&self, item: &T) -> bool {
        match self {
            Self::All => true,
            Self::Only(items) => items.contains(item),
        }
    }
}

/// What a primary admin administers: departments (each with its sub-departments) and forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminScope {
    /// The departments, each covering its sub-departments.
    pub departments: ScopeSet<DepartmentId>,
    /// The forms.
    pub forms: ScopeSet<FormId>,
}

impl AdminScope {
    /// The whole organisation: every department and every form in its ceiling.
    #[must_use]
    pub fn whole_organisation() -> Self {
        Self {
            departments: ScopeSet::All,
            forms: ScopeSet::All,
        }
    }
}

/// An organisation (CVR) the authority has registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub(crate) cvr: Cvr,
    pub(crate) name: String,
    pub(crate) ceiling: BTreeSet<RightId>,
    pub(crate) primary_admins: BTreeMap<UserId, AdminScope>,
    pub(crate) registered_at: DateTime<Utc>,
}

impl Organisation {
    /// The CVR number.
    #[must_use]
    pub fn cvr(&self) -> Cvr {
        self.cvr
    }
    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The rights the authority lets the organisation hand out (its ceiling).
    #[must_use]
    pub fn ceiling(&self) -> &BTreeSet<RightId> {
        &self.ceiling
    }
    /// The primary admins (overbrugeradministratorer) and their scopes.
    #[must_use]
    pub fn primary_admins(&self) -> &BTreeMap<UserId, AdminScope> {
        &self.primary_admins
    }
    /// When the authority registered the organisation.
    #[must_use]
    pub fn registered_at(&self) -> DateTime<Utc> {
        self.registered_at
    }
}

/// A department: a SHAK code and/or a SOR id, owned by one organisation, nested under a parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub(crate) id: DepartmentId,
    pub(crate) organisation: Cvr,
    pub(crate) name: String,
    pub(crate) shak: Option<ShakCode>,
    pub(crate) sor: Option<SorId>,
    pub(crate) parent: Option<DepartmentId>,
}

impl Department {
    /// The id.
    #[must_use]
    pub fn id(&self) -> DepartmentId {
        self.id
    }
    /// The owning organisation.
    #[must_use]
    pub fn organisation(&self) -> Cvr {
        self.organisation
    }
    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The SHAK code, if any.
    #[must_use]
    pub fn shak(&self) -> Option<ShakCode> {
        self.shak
    }
    /// The SOR id, if any.
    #[must_use]
    pub fn sor(&self) -> Option<SorId> {
        self.sor
    }
    /// The department above, if any.
    #[must_use]
    pub fn parent(&self) -> Option<DepartmentId> {
        self.parent
    }
}

/// A group of users, keyed by a department, with an optional parent group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub(crate) id: GroupId,
    pub(crate) department: DepartmentId,
    pub(crate) organisation: Cvr,
    pub(crate) name: String,
    pub(crate) parent: Option<GroupId>,
}

impl Group {
    /// The id.
    #[must_use]
    pub fn id(&self) -> GroupId {
        self.id
    }
    /// The department the group is keyed by.
    #[must_use]
    pub fn department(&self) -> DepartmentId {
        self.department
    }
    /// The organisation owning the department.
    #[must_use]
    pub fn organisation(&self) -> Cvr {
        self.organisation
    }
    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The parent group (overordnet gruppe), if any.
    #[must_use]
    pub fn parent(&self) -> Option<GroupId> {
        self.parent
    }
}

/// A user: one person, the certificate holders they log in with, in one organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub(crate) id: UserId,
    pub(crate) organisation: Cvr,
    pub(crate) person: PersonId,
    pub(crate) certificates: Vec<CertificateHolderId>,
    pub(crate) groups: Vec<GroupId>,
    /// Who added the user to each group (the grantor of the membership, `AUTHZ-MEMBER-01`).
    pub(crate) added_by: Vec<(GroupId, Actor)>,
    pub(crate) active: bool,
    pub(crate) acknowledged_confidentiality: Option<DateTime<Utc>>,
    pub(crate) created_at: DateTime<Utc>,
}

impl User {
    /// The id.
    #[must_use]
    pub fn id(&self) -> UserId {
        self.id
    }
    /// The organisation the user belongs to.
    #[must_use]
    pub fn organisation(&self) -> Cvr {
        self.organisation
    }
    /// The person (masked in `Debug`/`Display`).
    #[must_use]
    pub fn person(&self) -> PersonId {
        self.person
    }
    /// The certificate holders the user logs in with.
    #[must_use]
    pub fn certificates(&self) -> &[CertificateHolderId] {
        &self.certificates
    }
    /// The groups the user is a member of, in joining order.
    #[must_use]
    pub fn groups(&self) -> &[GroupId] {
        &self.groups
    }
    /// Who added the user to `group`: the grantor of the membership (the admin who created the
    /// user in it or added them, or the authority), if the user is a member (`AUTHZ-MEMBER-01`).
    #[must_use]
    pub fn added_by(&self, group: GroupId) -> Option<Actor> {
        self.added_by
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, actor)| *actor)
    }
    /// Whether the user is active (not deactivated).
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.active
    }
    /// When the user acknowledged the duty of confidentiality, if they have.
    #[must_use]
    pub fn acknowledged_confidentiality(&self) -> Option<DateTime<Utc>> {
        self.acknowledged_confidentiality
    }
    /// When the user was created.
    #[must_use]
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
}

/// The half-open interval `[from, until)` in which a grant counts; `until: None` is open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Validity {
    /// The first instant the grant counts.
    pub from: DateTime<Utc>,
    /// The first instant it no longer counts; `None` means it does not expire.
    pub until: Option<DateTime<Utc>>,
}

impl Validity {
    /// Whether `at` lies in `[from, until)`.
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|u| at < u)
    }

    /// Whether this interval covers `[from, until)`.
    #[must_use]
    pub fn covers(&self, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> bool {
        self.from <= from
            && match (self.until, until) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(mine), Some(theirs)) => theirs <= mine,
            }
    }
}

/// What keeps a grant alive: the delegation edges recorded when it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Support {
    /// Made by a primary admin: rooted in the organisation's mandate from the authority, alive
    /// while the right stays in the organisation's ceiling.
    Organisation,
    /// Made by a co-admin: alive while at least one of `admin` (the grantor's grants of the
    /// form's admin right covering the grant) and at least one of `held` (the grantor's grants
    /// of the same right covering the grant) are alive.
    Delegated {
        /// The grantor's admin-right grants that covered this grant when it was made.
        admin: Vec<GrantId>,
        /// The grantor's grants of the same right that covered this grant when it was made.
        held: Vec<GrantId>,
    },
}

impl Support {
    /// The grants it names: the admin-right grants, then the held ones.
    pub(crate) fn ids(&self) -> impl Iterator<Item = GrantId> + '_ {
        let (a, h): (&[GrantId], &[GrantId]) = match self {
            Self::Organisation => (&[], &[]),
            Self::Delegated { admin, held } => (admin, held),
        };
        a.iter().chain(h.iter()).copied()
    }
}

/// One grant: a right on a department (and its sub-departments) to a user or group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub(crate) id: GrantId,
    pub(crate) organisation: Cvr,
    pub(crate) grantee: Grantee,
    pub(crate) right: RightId,
    pub(crate) department: DepartmentId,
    pub(crate) validity: Validity,
    pub(crate) grantor: Actor,
    pub(crate) support: Support,
    pub(crate) granted_at: DateTime<Utc>,
}

impl Grant {
    /// The id.
    #[must_use]
    pub fn id(&self) -> GrantId {
        self.id
    }
    /// The organisation the grant belongs to.
    #[must_use]
    pub fn organisation(&self) -> Cvr {
        self.organisation
    }
    /// Who holds it.
    #[must_use]
    pub fn grantee(&self) -> Grantee {
        self.grantee
    }
    /// The right (which names its form).
    #[must_use]
    pub fn right(&self) -> RightId {
        self.right
    }
    /// The form.
    #[must_use]
    pub fn form(&self) -> FormId {
        self.right.form()
    }
    /// The department it covers, with its sub-departments.
    #[must_use]
    pub fn department(&self) -> DepartmentId {
        self.department
    }
    /// When it counts.
    #[must_use]
    pub fn validity(&self) -> Validity {
        self.validity
    }
    /// Who made it.
    #[must_use]
    pub fn grantor(&self) -> Actor {
        self.grantor
    }
    /// What keeps it alive.
    #[must_use]
    pub fn support(&self) -> &Support {
        &self.support
    }
    /// When it was made.
    #[must_use]
    pub fn granted_at(&self) -> DateTime<Utc> {
        self.granted_at
    }
    pub(crate) fn supporting_ids(&self) -> impl Iterator<Item = GrantId> + '_ {
        self.support.ids()
    }
}
