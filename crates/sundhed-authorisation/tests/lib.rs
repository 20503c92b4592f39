//! Integration tests of sundhed-authorisation (one binary).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod fixtures;
mod rules;
mod model;
mod state_machine;
mod meta;
mod scale;
mod listings;
