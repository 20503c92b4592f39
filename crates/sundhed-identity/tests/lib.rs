//! Integration tests of sundhed-identity: one binary, one module per concept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod cpr;
mod hardening_bad_input;
mod hardening_leaks;
mod leaks;
mod organisation;
mod person_id;
mod properties;
