//! Danish health-sector identifiers as values that are valid by construction.
//!
//! ```
//! use sundhed_identity::{Cpr, Cvr, PersonId, ShakCode, Sex};
//!
//! let cpr: Cpr = "070761-4285".parse()?;
//! assert_eq!(cpr.sex(), Sex::Male);
//! assert_eq!(format!("{cpr}"), "070761-xxxx"); // the serial never shows
//!
//! let cvr: Cvr = "DK 33257872".parse()?; // Sundhedsdatastyrelsen
//! let department: ShakCode = "130101".parse()?;
//! let nurse: PersonId = "0203291WQ3".parse()?; // an eCPR, never taken for a CPR
//! assert!(!nurse.is_cpr());
//! # let _ = (cvr, department);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//! - People: [`Cpr`] (CPR number: birth date from the CPR office's century table, [`Sex`],
//!   modulus 11 as information only), [`ReplacementCpr`] (day + 60), [`Ecpr`] (healthcare
//!   X-eCPR / D-eCPR), and [`PersonId`], which classifies any of the three.
//! - Organisations and places: [`Cvr`], [`PNumber`], [`ShakCode`] (hospital → department →
//!   section by prefix), [`SorId`].
//! - Certificate holders: [`Oces2Number`] and [`Oces2Serial`] (RID/UID/FID), [`Oces3Uuid`] and
//!   [`OrganizationIdentifier`] (OCES3), and [`CertificateHolderId`] for either, always with
//!   the organisation's CVR ([`Oces2Serial`], [`Oces3Holder`]).
//! - [`RuleId`]: the id of a documented rule (`docs/rules.md`), shared by every sundhed crate.
//!   Every error here has a `rule()` method and shows the id in its message.
//! - Refusals, shared by every sundhed crate: [`Violation`] (a broken rule, the lower-level
//!   rules behind it, a reason), [`Refusal`] (at least one violation; whoever refused changed
//!   nothing) and [`Violations`] (collects them, so a command reports every rule it broke).
//! - [`shown`] and [`shown_within`]: the one way any crate repeats user input in a message —
//!   cut, control characters escaped, CPR-shaped digits masked (`ID-CPR-06`).
//!
//! Every constructor parses (`FromStr` for human input, a strict parse for stored values)
//! and returns a `Result`; fields are private, so a value that exists is valid. Personal
//! numbers mask their serial in `Debug` and `Display`; `expose()` is the one explicit way to
//! the full value. Nothing here reads the clock: [`Cpr::parse_on`] takes the day.
//!
//! # Crate features
//! - `serde` (default): `Serialize`/`Deserialize` for the values; deserialising validates
//!   exactly as parsing does, and personal numbers are written in full (storage, not display).
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod birth_date;
mod cpr;
mod cvr;
mod digits;
mod ecpr;
mod holder;
mod p_number;
mod person_id;
mod refusal;
mod replacement;
mod rule_id;
mod shak;
mod shown;
mod sor;

pub use cpr::{Cpr, CprError, FormatFound, Sex};
pub use cvr::{Cvr, CvrError};
pub use ecpr::{Ecpr, EcprError, EcprKind};
pub use holder::{
    CertificateHolderId, HolderIdError, Oces2Number, Oces2NumberKind, Oces2Serial, Oces3Holder,
    Oces3Kind, Oces3Namespace, Oces3Uuid, OrganizationIdentifier,
};
pub use p_number::{PNumber, PNumberError};
pub use person_id::{PersonId, PersonIdError};
pub use refusal::{Refusal, Violation, Violations};
pub use replacement::{ReplacementCpr, ReplacementCprError};
pub use rule_id::RuleId;
pub use shak::{ShakCode, ShakCodeError, ShakLevel};
pub use shown::{shown, shown_within};
pub use sor::{SorId, SorIdError, SorStructure};

/// The rule ids this crate enforces, for callers that match on them.
pub mod rules {
    pub use crate::cpr::{
        CPR_BIRTH_DATE, CPR_CENTURY, CPR_FORMAT, CPR_MASKED, CPR_MOD11_INFORMATIONAL,
        CPR_NOT_BORN_YET,
    };
    pub use crate::cvr::{CVR_CHECKSUM, CVR_FORMAT, CVR_TEST_ORGANISATION};
    pub use crate::ecpr::{ECPR_CENTURY_CODE, ECPR_FORM};
    pub use crate::holder::{
        HOLDER_WITH_CVR, OCES2_NUMBER, OCES2_SERIAL, OCES3_ORG_ID, OCES3_UUID,
    };
    pub use crate::p_number::PNUMBER_FORMAT;
    pub use crate::person_id::PERSON_ID_CLASS;
    pub use crate::replacement::REPLACEMENT_FORM;
    pub use crate::shak::{SHAK_FORMAT, SHAK_REGIONAL};
    pub use crate::sor::{SOR_FORMAT, SOR_STRUCTURE};
}
