//! Integration tests of sundhed-identity: one binary, one module per concept.
#![cfg(test)]

mod cpr;
mod hardening_bad_input;
mod hardening_leaks;
mod leaks;
mod organisation;
mod person_id;
mod properties;
