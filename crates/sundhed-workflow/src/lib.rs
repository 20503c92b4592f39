//! The SEB and SEI onboarding procedures as state machines over signed forms, joined to the
//! `sundhed-authorisation` directory, with a tamper-evident event log.
//!
//! ```
//! use sundhed_workflow::{EventLog, MemoryEventLog, State, Registry, FormVerifier, Command};
//! use sundhed_authorisation::{Actor, DirectoryCommand, FormKind, RightSpec};
//! use sundhed_signing::{Policy, TrustAnchor};
//!
//! let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/TRUST2408_Systemtest_VII_Primary_CA.cer");
//! let forms = FormVerifier::new(TrustAnchor::parse_all(&std::fs::read(root)?)?, Policy::oces2_test());
//! let mut registry = Registry::open(MemoryEventLog::new(), forms)?;
//! let at = chrono::DateTime::parse_from_rfc3339("2018-06-01T09:00:00Z")?.to_utc();
//!
//! // The authority defines a service; every change goes through the log.
//! let right = |code: &str, admin| RightSpec {
//!     code: code.into(), name: code.into(), administers_users: admin, personal_data: false,
//! };
//! registry.handle(Actor::Authority, &Command::Directory(DirectoryCommand::DefineForm {
//!     code: "FMK".into(),
//!     name: "Fælles Medicinkort".into(),
//!     kind: FormKind::SebService,
//!     rights: vec![right("ADMIN", true), right("LAEGE", false)],
//! }), at)?;
//! assert_eq!(registry.head().len, 1);
//!
//! // Replaying the log rebuilds exactly the same state.
//! assert_eq!(&State::replay(registry.log())?, registry.state());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//! - Signed forms: [`SignedForm`] (the bytes a person signed, the form parsed from them, the
//!   signature over them, the signer's chain), verified by [`FormVerifier`] with
//!   `sundhed-signing` into a [`Signer`]. The bytes are kept as signed and never written again;
//!   [`form_bytes`] is what a client would sign.
//! - Signed form schemas, each a [`FormSchema`] in a file of its own whose name and version
//!   the signed bytes carry: [`SebForm`] with [`Administrator`], [`SeiNotification`],
//!   [`SeiEnrolment`].
//! - Procedures, each a [`Procedure`] in the shape of cqrs-es's `Aggregate`: a state enum, a
//!   command enum and past-tense events, with [`Procedure::handle`] (validates against a
//!   [`Context`], gives an [`Outcome`]: the procedure's events and the directory events they
//!   cause, in log order, or a [`Refusal`]) and [`Procedure::apply`] (cannot fail):
//!   [`Seb`] (organisation onboarding, adding a service, replacing an administrator),
//!   [`Sei`] (chief physician's notification, local administrator's self-enrolment, the
//!   authority's cross-check), [`Users`] (users with a certificate or an [`ActivationCode`],
//!   logged only as a [`KeyedCode`] under the host's [`ActivationKey`], batches, settings
//!   fetch, confidentiality). SEB and SEI keep their cases in [`Cases`],
//!   numbered apart by [`SebCaseId`] and [`SeiCaseId`].
//! - Logging in: [`Registry::login`] takes a `sundhed_signing::VerifiedChain` and the time to
//!   a [`Login`], the proof that a person's verified certificate is registered for an active
//!   user of its organisation (`WF-LOGIN-*`); [`Registry::handle_as`] acts as that user. The
//!   SEB first login and an activation-code enrolment take a [`LoginCertificate`] (made only
//!   from a verified chain). [`Registry::handle`] is for the authority: it refuses a user
//!   actor (`WF-LOGIN-06`); a user acts only through a [`Login`]
//!   (`Registry::handle_unverified` takes any actor on the caller's word, for tests and tools).
//! - Signed submissions (seed SEI §3): a report its sender signs, a [`SignedForm`] of
//!   [`Submission`], decided in one call by [`Registry::receive`] (signature, the signer's
//!   login, received once, the directory's decision) into a [`Receipt`]; the logged event,
//!   kept in [`Submissions`], holds digests and ids, never the report.
//! - [`State`] joins the directory and the procedures and alone knows the union [`Event`];
//!   [`Registry`] adds the form verifier and an [`EventLog`] ([`FileEventLog`],
//!   [`MemoryEventLog`]): events are appended, synced, then applied, and [`State::replay`]
//!   rebuilds the same state from the log. A command that would change nothing is refused.
//! - Every refusal names its rule ids (`WF-*`, with the `SIG-*` and `AUTHZ-*` ids behind them);
//!   `docs/rules.md` lists them. `docs/event-log.md` explains the log format and how a host
//!   keeps the same events in its own store, sharded by organisation.
//!
//! Run `cargo run -p sundhed-workflow --example walkthrough` for both onboardings end to end.
//!
//! # Crate features
//! None. Nothing here reads the clock or makes random numbers: time, activation codes and the
//! key they are logged under are inputs.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod digest;
mod event_log;
mod form;
mod login;
mod procedure;
mod registry;
mod seb;
mod sei;
mod submission;
mod users;

pub use digest::Digest;
pub use event_log::{EventLog, FileEventLog, Head, LogError, MemoryEventLog, Record, Repaired};
pub use form::{Bytes, FormAlgorithm, FormSchema, FormVerifier, SignedForm, Signer, form_bytes};
pub use login::{Login, LoginCertificate};
pub use procedure::{
    CaseNumber, Cases, Context, EVENT_VERSION, Outcome, Procedure, RightsRequest, Step,
};
pub use registry::{Command, Event, Registry, State, WorkflowError};
pub use seb::{
    Administrator, Seb, SebCase, SebCaseId, SebChange, SebCommand, SebEvent, SebForm, SebState,
};
pub use sei::{
    CprAttestation, DepartmentGroup, NameMatch, NamedPerson, Sei, SeiCase, SeiCaseId, SeiChange,
    SeiCommand, SeiDepartment, SeiEnrolment, SeiEvent, SeiNotification, SeiState,
};
pub use submission::{Receipt, Submission, SubmissionChange, SubmissionEvent, Submissions};
pub use sundhed_identity::{Refusal, Violation};
pub use users::{
    ActivationCode, ActivationKey, KeyedCode, MIN_CODE_BITS, MIN_CODE_LEN, MIN_KEY_LEN,
    PendingActivation, Setting, UserChange, UserCommand, UserEvent, Users,
};

/// Design notes from `docs/`, rendered with the API documentation.
pub mod _documentation {
    #[doc = include_str!("../../../docs/event-log.md")]
    pub mod event_log {}
}

/// The ids of the rules this crate enforces (see `docs/rules.md`).
pub mod rules {
    pub use crate::event_log::{CHAIN, HASH, HEAD, IN_TIME, RECORD_FORM, SEQUENCE, SYNCED, TAIL};
    pub use crate::form::{
        FORM_CHAIN, FORM_REPLAYED, FORM_SCHEMA, FORM_SIGNATURE, FORM_SIGNED, FORM_SIGNER_CVR,
        FORM_SIGNER_PERSON,
    };
    pub use crate::login::{
        LOGIN_ORGANISATION, LOGIN_PERSON, LOGIN_REQUIRED, LOGIN_TIME, LOGIN_TRUSTED, LOGIN_USER,
    };
    pub use crate::procedure::{AUTHORITY, REQUESTED_RIGHTS, STATE, STEP_CREATED};
    pub use crate::registry::{CHANGES, FORWARD};
    pub use crate::seb::{SEB_FIRST_LOGIN, SEB_ORGANISATION, SEB_REASONS};
    pub use crate::sei::{
        SEI_ANSWERS_NOTIFICATION, SEI_ATTESTATION, SEI_ATTESTED_PERSON, SEI_CHIEF_SIGNS,
        SEI_CROSS_CHECK, SEI_DEPARTMENTS, SEI_ENROLLED_BY_NAMED, SEI_TWO_SIGNERS,
    };
    pub use crate::submission::{SUBMIT_ALLOWED, SUBMIT_NAMES, SUBMIT_ONCE};
    pub use crate::users::{
        CODE_FORM, CODE_KEY, CODE_KNOWN, CODE_LIVE, OWN_SETTINGS, PARENT_GROUP, USER_GROUPS,
    };
}
