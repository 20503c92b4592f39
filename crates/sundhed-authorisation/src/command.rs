//! What an actor may ask the directory to do.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, ShakCode, SorId};

use crate::ids::{DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{AdminScope, FormKind, RightSpec};

/// A new user: the person and the certificate holders they will log in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// The person (CPR, replacement CPR or eCPR).
    pub person: PersonId,
    /// The certificate holders (OCES2 RID, OCES3 UUID) the user logs in with; may be empty
    /// for a user who enrols later with an activation code.
    pub certificates: Vec<CertificateHolderId>,
}

/// A new department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDepartment {
    /// A readable name.
    pub name: String,
    /// The SHAK code, if the department has one.
    pub shak: Option<ShakCode>,
    /// The SOR id, if the department has one (somatic coercion needs it).
    pub sor: Option<SorId>,
}

/// One right to grant on one department, for `[valid_from, valid_until)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantSpec {
    /// The right (it names its form).
    pub right: RightId,
    /// The department; the grant covers its sub-departments too.
    pub department: DepartmentId,
    /// When the grant starts counting; `None` means the command's time. Never before it.
    pub valid_from: Option<DateTime<Utc>>,
    /// When it stops counting; `None` means it does not expire.
    pub valid_until: Option<DateTime<Utc>>,
}

impl GrantSpec {
    /// A grant of `right` on `department`, from the command's time, not expiring.
    #[must_use]
    pub fn new(right: RightId, department: DepartmentId) -> Self {
        Self {
            right,
            department,
            valid_from: None,
            valid_until: None,
        }
    }

    /// The same grant, ending at `until`.
    #[must_use]
    pub fn until(self, until: DateTime<Utc>) -> Self {
        Self {
            valid_until: Some(until),
            ..self
        }
    }
}

/// Who becomes a primary admin: an existing user of the organisation, or a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Appointee {
    /// An existing, active user of the organisation.
    Existing {
        /// The user.
        user: UserId,
    },
    /// A new user, created in the given groups.
    New {
        /// The person and certificates.
        user: NewUser,
        /// At least one group of the organisation.
        groups: Vec<GroupId>,
    },
}

/// A change asked of the directory. [`Directory::handle`](crate::Directory::handle) checks it
/// against the rules for the actor and time given, and turns it into events.
///
/// Who may give which command:
///
/// | command | actor |
/// |---|---|
/// | `DefineForm`, `RegisterOrganisation`, `SetCeiling`, `AppointPrimaryAdmin`, `RemovePrimaryAdmin`, `ReplacePrimaryAdmin` | the authority |
/// | `CreateDepartment` | the authority, or a primary admin whose scope covers the parent department (all departments for a top-level one) |
/// | `CreateGroup` | the authority, or an admin who administers the department |
/// | `AppointCoAdmin`, `CreateUser`, `CreateUsers`, `Grant`, `JoinGroup`, `LeaveGroup` | an admin (primary or co-admin) of the organisation, within their scope, never granting to themself (`AUTHZ-SELF-01`); appointing only below themself (`AUTHZ-APPOINT-01`) |
/// | `DeactivateUser` | an admin managing the user who may revoke each of the user's grants and take the user out of each of their groups (`AUTHZ-REVOKE-01`) and is not below them in the appointment chain (`AUTHZ-APPOINT-01`) |
/// | `RemoveCoAdmin`, `Revoke` | a primary admin whose scope covers the grant; the grantor or an admin above the grantor in the appointment chain, while administering the grant's form on its department; or the authority |
/// | `ResignCoAdmin`, `AcknowledgeConfidentiality` | the user themselves (for `ResignCoAdmin`, a co-admin) |
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum DirectoryCommand {
    /// Define a form or service with its rights; exactly one right administers users.
    DefineForm {
        /// A code unique in the directory, for example `SEI-TVANG-PSYK`.
        code: String,
        /// A readable name.
        name: String,
        /// SEI form or SEB service.
        kind: FormKind,
        /// The rights, in order; their positions become their [`RightId`]s.
        rights: Vec<RightSpec>,
    },
    /// Register an organisation with its first department, a group for it, and its first
    /// primary admin (whose scope is the whole organisation).
    RegisterOrganisation {
        /// The CVR number.
        cvr: Cvr,
        /// The name.
        name: String,
        /// The first (top-level) department.
        department: NewDepartment,
        /// The first primary admin (overbrugeradministrator / local administrator).
        primary_admin: NewUser,
    },
    /// Set the rights the organisation may hand out; grants of rights leaving the ceiling are
    /// revoked, with their dependants.
    SetCeiling {
        /// The organisation.
        organisation: Cvr,
        /// The complete new ceiling.
        rights: BTreeSet<RightId>,
    },
    /// Appoint an additional primary admin.
    AppointPrimaryAdmin {
        /// The organisation.
        organisation: Cvr,
        /// Who.
        appointee: Appointee,
        /// What they administer.
        scope: AdminScope,
    },
    /// Remove a primary admin; refused if it would leave the organisation without one.
    /// Grants the admin made stay: they rest on the organisation's mandate, not the person.
    RemovePrimaryAdmin {
        /// The organisation.
        organisation: Cvr,
        /// The admin to remove.
        user: UserId,
    },
    /// Replace a primary admin (for example one who left) by another, in one step.
    ReplacePrimaryAdmin {
        /// The organisation.
        organisation: Cvr,
        /// The admin to remove.
        old: UserId,
        /// The new admin.
        new: Appointee,
        /// The new admin's scope.
        scope: AdminScope,
    },
    /// Create a department in an organisation.
    CreateDepartment {
        /// The organisation.
        organisation: Cvr,
        /// The department.
        department: NewDepartment,
        /// The department above; `None` for a top-level department. With SHAK codes on both,
        /// the parent's code must contain the child's.
        parent: Option<DepartmentId>,
    },
    /// Create a group keyed by a department.
    CreateGroup {
        /// The department.
        department: DepartmentId,
        /// A readable name.
        name: String,
        /// The parent group, in the same organisation.
        parent: Option<GroupId>,
    },
    /// Make a user a co-admin (med-brugeradministrator): grants the admin right of each form
    /// on each department. Naming no form or no department is refused (`AUTHZ-APPOINT-02`).
    AppointCoAdmin {
        /// The user.
        user: UserId,
        /// The forms.
        forms: Vec<FormId>,
        /// The departments (each with its sub-departments).
        departments: Vec<DepartmentId>,
        /// When the appointment ends, if it does.
        valid_until: Option<DateTime<Utc>>,
    },
    /// Remove a co-admin: revokes all their admin-right grants, with dependants.
    RemoveCoAdmin {
        /// The user.
        user: UserId,
    },
    /// The acting co-admin resigns: revokes all their own admin-right grants, with
    /// dependants, as [`RemoveCoAdmin`](Self::RemoveCoAdmin) would.
    ResignCoAdmin,
    /// Create one user with groups and grants in one step.
    CreateUser {
        /// The person and certificates.
        user: NewUser,
        /// At least one group.
        groups: Vec<GroupId>,
        /// Grants to the new user.
        grants: Vec<GrantSpec>,
    },
    /// Create several users with the same groups and grants in one batch.
    CreateUsers {
        /// The people and certificates.
        users: Vec<NewUser>,
        /// At least one group, joined by every user.
        groups: Vec<GroupId>,
        /// Grants given to every user.
        grants: Vec<GrantSpec>,
    },
    /// Grant a right on a department to a user or a group.
    Grant {
        /// Who receives it.
        grantee: Grantee,
        /// What and where.
        grant: GrantSpec,
    },
    /// Revoke a grant, cascading to grants left without live support.
    Revoke {
        /// The grant.
        grant: GrantId,
    },
    /// Add a user to a group; the group's rights count as grants and pass the same checks.
    JoinGroup {
        /// The user.
        user: UserId,
        /// The group.
        group: GroupId,
    },
    /// Take a user out of a group; refused for the user's last group.
    LeaveGroup {
        /// The user.
        user: UserId,
        /// The group.
        group: GroupId,
    },
    /// Deactivate a user: their grants are revoked, with dependants. All or nothing: refused
    /// unless the actor may revoke every one of them (`AUTHZ-REVOKE-01`).
    DeactivateUser {
        /// The user.
        user: UserId,
    },
    /// The acting user acknowledges the duty of confidentiality (seed SEI §8).
    AcknowledgeConfidentiality,
}
