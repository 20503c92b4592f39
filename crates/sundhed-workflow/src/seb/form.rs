//! The signed SEB form: the schema of the bytes the security officer signs.
//!
//! # Version
//! This is version 1 of the schema, the one [`EVENT_VERSION`](crate::EVENT_VERSION) 1 logs.
//! A signature covers the form's [`canonical_bytes`](crate::canonical_bytes): `serde_json` of
//! these types, fields in declaration order, variants tagged by `"type"`. Renaming a field or
//! a variant, reordering fields or adding one (even an `Option`) changes the signed bytes, so
//! forms signed before would no longer verify: such a change is a new schema version, kept
//! beside this one. [`RightsRequest`] is part of these bytes too.

use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, SorId};

use crate::procedure::RightsRequest;

/// The administrator a form names (overbrugeradministrator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    /// The name.
    pub name: String,
    /// The person (masked in `Debug`/`Display`).
    pub person: PersonId,
    /// E-mail address, as written on the form (the host sends the mail).
    pub email: String,
    /// Phone number, as written on the form.
    pub phone: String,
    /// The certificate holder id (RID or UUID) the administrator will log in with.
    pub certificate: CertificateHolderId,
}

/// What an SEB form asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SebForm {
    /// Autorisationsblanket: join SEB with a first administrator and services.
    Onboarding {
        /// The organisation's name.
        organisation: String,
        /// Its CVR number.
        cvr: Cvr,
        /// The organisation's SOR id: its first department in the directory.
        sor: SorId,
        /// The first administrator.
        administrator: Administrator,
        /// The services and roles the organisation will hand out.
        services: Vec<RightsRequest>,
    },
    /// Add services to an organisation already in SEB.
    AddService {
        /// The organisation.
        cvr: Cvr,
        /// The services and roles.
        services: Vec<RightsRequest>,
    },
    /// Attach a new administrator, replacing one who is missing (left, ill, …).
    ReplaceAdministrator {
        /// The organisation.
        cvr: Cvr,
        /// The new administrator.
        administrator: Administrator,
        /// The administrator who is missing, if the organisation still lists one.
        replaces: Option<PersonId>,
    },
}

impl SebForm {
    /// The organisation the form is for.
    #[must_use]
    pub fn cvr(&self) -> Cvr {
        match self {
            Self::Onboarding { cvr, .. }
            | Self::AddService { cvr, .. }
            | Self::ReplaceAdministrator { cvr, .. } => *cvr,
        }
    }

    pub(super) fn administrator(&self) -> Option<&Administrator> {
        match self {
            Self::Onboarding { administrator, .. }
            | Self::ReplaceAdministrator { administrator, .. } => Some(administrator),
            Self::AddService { .. } => None,
        }
    }
}
