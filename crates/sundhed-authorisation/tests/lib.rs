//! Integration tests of sundhed-authorisation (one binary).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod budget_delegation;
mod fixtures;
mod hardening_bad_input;
mod listings;
mod meta;
mod model;
mod module_graph;
mod rules;
mod scale;
mod state_machine;
