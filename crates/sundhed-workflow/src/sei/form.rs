//! The signed SEI forms: the schemas of the bytes the chief physician and the local
//! administrator sign.
//!
//! # Version
//! This is version 1 of both schemas, the one [`EVENT_VERSION`](crate::EVENT_VERSION) 1 logs.
//! A signature covers the form's [`canonical_bytes`](crate::canonical_bytes): `serde_json` of
//! these types, fields in declaration order. Renaming a field, reordering fields or adding one
//! (even an `Option`) changes the signed bytes, so forms signed before would no longer
//! verify: such a change is a new schema version, kept beside this one. [`RightsRequest`] is
//! part of these bytes too.

use serde::{Deserialize, Serialize};
use sundhed_identity::{Cvr, PersonId, ShakCode};

use crate::procedure::RightsRequest;

/// A person named on a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    /// The name.
    pub name: String,
    /// The person (masked in `Debug`/`Display`).
    pub person: PersonId,
}

/// A department named on a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiDepartment {
    /// The department's SHAK code (6 or 7 characters).
    pub shak: ShakCode,
    /// Its name.
    pub name: String,
}

/// The chief physician's notification (seed SEI §4): who becomes local administrator, for
/// which departments, with which rights per form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiNotification {
    /// The hospital's name.
    pub hospital: String,
    /// The hospital's CVR number.
    pub cvr: Cvr,
    /// The responsible chief physician (den ansvarlige overlæge), who signs.
    pub chief_physician: NamedPerson,
    /// The local administrator.
    pub local_administrator: NamedPerson,
    /// The departments the administrator's users may report for.
    pub departments: Vec<SeiDepartment>,
    /// The rights per form.
    pub forms: Vec<RightsRequest>,
}

/// The local administrator's self-enrolment (seed SEI §5), signed with their own certificate,
/// which becomes the certificate they log in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiEnrolment {
    /// The hospital's CVR number.
    pub cvr: Cvr,
    /// The administrator's person id.
    pub person: PersonId,
    /// The forms (codes) the administrator asks to administer.
    pub forms: Vec<String>,
}
