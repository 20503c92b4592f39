//! The workspace's own checks: the rule table against the code, and the architecture (which
//! crate may depend on which, no import circle inside a crate). They read the sources of every
//! crate, so they live here, above all of them, not in the lowest crate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

mod architecture;
mod rules_guard;
