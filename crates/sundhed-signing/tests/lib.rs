//! Integration tests of sundhed-signing: own fixtures per rule, real OCES certificates,
//! NIST PKITS, the cache and payload signatures.
#![cfg(test)]
#![allow(missing_docs, reason = "tests")]

mod budget_hostile;
mod cache;
mod echo;
mod error_kinds;
mod hardening_bad_input;
mod holder;
mod oces;
mod payload;
mod pkits;
mod ranking;
mod revocation;
mod rules;
mod support;
