//! Integration tests of sundhed-authorisation (one binary).
#![cfg(test)]

mod batch;
mod budget_delegation;
mod delegation_holes;
mod echo;
mod fixtures;
mod hardening_bad_input;
mod listings;
mod memberships;
mod meta;
mod model;
mod outcomes;
mod rules;
mod scale;
mod stale;
mod state_machine;
mod time_and_depth;
