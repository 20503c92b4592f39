//! The signed SEI forms: the schemas of the bytes the chief physician and the local
//! administrator sign.
//!
//! # Version
//! These are version 1 of schemas `sundhed.sei.notification` and `sundhed.sei.enrolment`: the
//! signed bytes are the JSON document `{"schema":…,"version":1,"form":{…}}` with the form as
//! `serde_json` reads these types (see [`FormSchema`]). Members may come in any order; none
//! may be missing, unknown or repeated. The bytes are kept as signed, so changing these types
//! never breaks a signature already in the log, but it changes what version 1 parses:
//! renaming a field or adding one (even an `Option`) is a new version, parsed beside this one.
//! [`RightsRequest`] is part of these schemas too.

use serde::{Deserialize, Serialize};
use sundhed_identity::{Cvr, PersonId, ShakCode};

use crate::FormSchema;
use crate::digest::Digest;
use crate::procedure::RightsRequest;

/// A person named on a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPerson {
    /// The name.
    pub name: String,
    /// The person (masked in `Debug`/`Display`).
    pub person: PersonId,
}

/// A department named on a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeiDepartment {
    /// The department's SHAK code (6 or 7 characters).
    pub shak: ShakCode,
    /// Its name.
    pub name: String,
}

/// The chief physician's notification (seed SEI §4): who becomes local administrator, for
/// which departments, with which rights per form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
/// which becomes the certificate they log in with. It answers one notification (§4), which it
/// names by the digest of that notification's signed bytes, so it cannot be carried into
/// another case (`WF-SEI-08`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeiEnrolment {
    /// The notification this enrolment answers: SHA-256 of its signed bytes, as the
    /// notification's [`Signer::form`](crate::Signer::form) records it (64 lowercase hex
    /// digits in the signed bytes).
    pub notification: Digest,
    /// The hospital's CVR number.
    pub cvr: Cvr,
    /// The administrator's person id.
    pub person: PersonId,
    /// The forms (codes) the administrator asks to administer.
    pub forms: Vec<String>,
}

impl FormSchema for SeiNotification {
    const SCHEMA: &'static str = "sundhed.sei.notification";
    const VERSION: u16 = 1;
}

impl FormSchema for SeiEnrolment {
    const SCHEMA: &'static str = "sundhed.sei.enrolment";
    const VERSION: u16 = 1;
}
