//! Integration tests of sundhed-authorisation (one binary).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod fixtures;
mod listings;
mod meta;
mod model;
mod rules;
mod scale;
mod state_machine;
mod scratch_perf;
