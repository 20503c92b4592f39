//! The signed SEB form: the schema of the bytes the security officer signs.
//!
//! # Version
//! This is version 1 of schema `sundhed.seb.form`: the signed bytes are the JSON document
//! `{"schema":"sundhed.seb.form","version":1,"form":{…}}` with the form as `serde_json` reads
//! these types, variants tagged by `"type"` (see [`FormSchema`]). Members may come in any
//! order; none may be missing, unknown or repeated. The bytes are kept as signed, so changing
//! these types never breaks a signature already in the log, but it changes what version 1
//! parses: renaming a field or a variant, or adding one (even an `Option`), is a new version,
//! parsed beside this one. [`RightsRequest`] is part of this schema too.

use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, SorId};

use crate::FormSchema;
use crate::procedure::RightsRequest;

/// The administrator a form names (overbrugeradministrator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(tag = "type", deny_unknown_fields)]
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

impl FormSchema for SebForm {
    const SCHEMA: &'static str = "sundhed.seb.form";
    const VERSION: u16 = 1;
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
