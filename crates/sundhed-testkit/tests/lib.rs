//! The workspace's own checks: the rule table against the code, and the architecture (which
//! crate may depend on which, no import circle inside a crate). They read the sources of every
//! crate, so they live here, above all of them, not in the lowest crate.
//!
//! `cfg(test)` on the crate root lets clippy's `allow-*-in-tests` (clippy.toml) cover the helper
//! functions too, not only the `#[test]` functions.
#![cfg(test)]

mod architecture;
mod modules;
mod rules_guard;
