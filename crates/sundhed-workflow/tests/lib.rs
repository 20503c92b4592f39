//! Integration tests of sundhed-workflow.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod compat;
mod hardening_bad_input;
mod hardening_leaks;
mod log;
mod replay;
mod seb;
mod sei;
mod support;
mod users;
