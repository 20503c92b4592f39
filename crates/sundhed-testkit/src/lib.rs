//! Test support for the sundhed workspace, never published: what the crates' tests, fuzz
//! targets, benches and examples share, and the data the workspace's own checks read.
//!
//! - [`source`]: the sources as data (the Rust files, the sundhed crates a manifest depends on),
//!   read by the architecture test that keeps `docs/architecture.md` true.
//!
//! The workspace checks themselves are this crate's integration tests (`tests/`): the rules
//! guard (`docs/rules.md` against the code, both ways) and the architecture (crates depend one
//! way only; no import circle inside any crate).
#![deny(missing_docs)]

pub mod source;
