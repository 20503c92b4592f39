//! A delegated-administration directory for the Danish health sector (SEB and SEI): the
//! authority registers organisations and sets what they may hand out; each organisation's
//! primary admin appoints co-admins and hands rights down to users, department by department;
//! every decision is explained by the grants that determined it and the rule ids that decided.
//!
//! ```
//! use sundhed_authorisation::{
//!     AccessRequest, Actor, DirectoryCommand, Directory, FormKind, GrantSpec, NewDepartment, NewUser,
//!     RightSpec, rules,
//! };
//! use chrono::{TimeZone, Utc};
//!
//! let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
//! let mut directory = Directory::new();
//!
//! // The authority defines a form and registers a hospital with its first admin.
//! let right = |code: &str, admin, personal_data| RightSpec {
//!     code: code.into(), name: code.into(), administers_users: admin, personal_data,
//! };
//! directory.execute(Actor::Authority, &DirectoryCommand::DefineForm {
//!     code: "SEI-TVANG-PSYK".into(),
//!     name: "Tvang i psykiatrien".into(),
//!     kind: FormKind::SeiForm,
//!     rights: vec![right("ADMIN", true, false), right("INDBERET", false, true)],
//! }, at)?;
//! let form = directory.form_by_code("SEI-TVANG-PSYK").ok_or("form")?;
//! let (admin_right, report) = (form.admin_right().ok_or("admin")?, form.right_by_code("INDBERET").ok_or("right")?);
//! let cvr = "29190623".parse()?;
//! directory.execute(Actor::Authority, &DirectoryCommand::RegisterOrganisation {
//!     cvr,
//!     name: "Region Hovedstaden".into(),
//!     department: NewDepartment { name: "Psykiatrisk Center".into(), shak: Some("1301".parse()?), sor: None },
//!     primary_admin: NewUser { person: "0101701239".parse()?, certificates: vec![] },
//! }, at)?;
//! directory.execute(Actor::Authority, &DirectoryCommand::SetCeiling {
//!     organisation: cvr,
//!     rights: [admin_right, report].into(),
//! }, at)?;
//!
//! // The primary admin creates a secretary who may report coercion for the department.
//! let admin = directory.users_of(cvr)[0];
//! let department = directory.department_by_shak("1301".parse()?).ok_or("department")?;
//! let group = directory.user(admin).ok_or("admin")?.groups()[0];
//! directory.execute(Actor::User(admin), &DirectoryCommand::CreateUser {
//!     user: NewUser { person: "1506824008".parse()?, certificates: vec![] },
//!     groups: vec![group],
//!     grants: vec![GrantSpec::new(report, department)],
//! }, at)?;
//! let secretary = directory.users_of(cvr)[1];
//!
//! // Reporting shows personal data: denied until the duty of confidentiality is acknowledged.
//! let request = AccessRequest { user: secretary, right: report, department };
//! let denied = directory.check(&request, at);
//! assert!(!denied.is_allowed());
//! assert!(denied.rules().any(|r| r == rules::CONFIDENTIALITY));
//!
//! directory.execute(Actor::User(secretary), &DirectoryCommand::AcknowledgeConfidentiality, at)?;
//! let allowed = directory.check(&request, at);
//! assert!(allowed.is_allowed());
//! assert_eq!(allowed.reasons().len(), 1);
//!
//! // The secretary is no admin: handing the right on is refused, naming the rules broken.
//! let refusal = directory.execute(Actor::User(secretary), &DirectoryCommand::Grant {
//!     grantee: sundhed_authorisation::Grantee::User(admin),
//!     grant: GrantSpec::new(report, department),
//! }, at).unwrap_err();
//! assert!(refusal.broke(rules::SCOPE));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//! - The model: [`Organisation`] (CVR, ceiling, primary admins), [`Department`] (SHAK code
//!   and/or SOR id, nested), [`Group`] (keyed by a department, optional parent), [`Form`] (SEI
//!   form or SEB service, with its [`RightSpec`]s, one of which administers users), [`User`]
//!   (person + certificate holders), [`Grant`] (grantee, right, department, [`Validity`],
//!   grantor, [`Support`]).
//! - Changes: a [`DirectoryCommand`] from an [`Actor`] at a time goes through
//!   [`Directory::handle`] (pure; a [`Refusal`] names every rule broken) and becomes
//!   [`DirectoryEvent`]s that [`Directory::apply`] never refuses; [`Directory::execute`] does both.
//!   Each event names the [`Directory::version`] it applies to, and the checked
//!   [`Directory::apply_all`] refuses events computed on another version (`AUTHZ-STATE-01`).
//!   [`Created::of`] reads the ids a command's events created.
//!   A [`Batch`] ([`Directory::batch`]) handles several commands, each against the directory
//!   plus the events of those before it, without changing or copying the directory.
//! - Decisions: [`Directory::check`] gives a [`Decision`] (deny by default; the determining
//!   grants as [`Reason`]s; the rule ids). Listings agree with it:
//!   [`Directory::permissions`], [`Directory::grantable`], [`Directory::manageable_users`],
//!   [`Directory::access_review`].
//! - Rules: [`rules`] has every id; `docs/rules.md` has each with its source, and
//!   `docs/authorisation.md` the design (what counts as determining, revocation semantics,
//!   who may revoke).
//!
//! # Crate features
//! None. Everything is `serde`-serialisable; nothing reads the clock.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod batch;
mod checks;
mod command;
mod created;
mod decision;
mod describe;
mod directory;
mod event;
mod handle;
mod hasher;
mod hot;
mod ids;
mod listing;
mod model;
mod query;
mod read;
pub mod rules;
mod store;

pub use audit::IndexError;
pub use batch::Batch;
pub use command::{Appointee, DirectoryCommand, GrantSpec, NewDepartment, NewUser};
pub use created::Created;
pub use decision::{AccessRequest, Decision, Effect, Reason};
pub use directory::Directory;
pub use event::{
    Change, DirectoryEvent, EVENT_VERSION, LeaveCause, RevocationCause, read_event_version,
};
pub use ids::{Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
pub use listing::{ChainLink, Grantable, Permission, ReviewEntry};
pub use model::{
    AdminScope, Department, Form, FormKind, Grant, Group, Organisation, RightSpec, ScopeSet,
    Support, User, Validity,
};
pub use sundhed_identity::{Refusal, Violation};
