//! Test support for the sundhed workspace, never published: the worlds, signed forms, keys
//! and generators that the crates' tests, the fuzz targets, the benches and the walkthrough
//! share, written once, and the data the workspace's own checks read.
//!
//! - [`testdata`]: where the certificates and keys live (`testdata/fixtures/`,
//!   `crates/sundhed-workflow/testdata/`).
//! - [`oces`]: the OCES2 test people, their keys, signing a form as their signing client
//!   does, and the host's trust anchor.
//! - [`onboarding`]: the workflow world — the authority's forms, the SEB and SEI scenario
//!   forms, a registry with the forms defined, both onboardings run to their end.
//! - [`report`]: coercion reports as the reporter's client signs and sends them, and the
//!   reporter who may send them.
//! - [`directory`]: the authorisation world — two forms, two organisations, a department tree
//!   with a group for each department.
//! - `ops` (features `arbitrary`, `proptest`): operations over those worlds and their
//!   drivers, for the fuzz targets and the model-based state-machine test.
//! - [`source`]: the sources as data, read by the architecture test.
//!
//! Nothing here panics: what can fail returns [`TestkitError`], which a test unwraps and a
//! fuzz target treats as an input to skip.
//!
//! The workspace checks themselves are this crate's integration tests (`tests/`): the rules
//! guard (`docs/rules.md` against the code, both ways) and the architecture (crates depend one
//! way only; no import circle inside any crate).
#![deny(missing_docs)]

pub mod directory;
pub mod error;
pub mod login;
pub mod oces;
pub mod onboarding;
#[cfg(any(feature = "arbitrary", feature = "proptest"))]
pub mod ops;
pub mod report;
pub mod source;
pub mod testdata;

pub use error::TestkitError;
