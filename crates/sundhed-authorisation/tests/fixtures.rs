//! The tests' world is the testkit's (`sundhed_testkit::directory`: two forms, two
//! organisations, a department tree). Built here with the check every command of a test
//! passes through: a refused command leaves the directory exactly as it was.

use sundhed_authorisation::NewUser;
use sundhed_identity::PersonId;
pub use sundhed_testkit::directory::{World, hours, t0};

/// The standard world; every refusal is checked to change nothing.
pub fn world() -> World {
    World::new().unwrap().with_refusal_check(|before, after| {
        assert_eq!(after, before, "a refused command changed the directory");
    })
}

/// A distinct, well-formed CPR-based person for each `n < 10 000`.
pub fn person(n: u32) -> PersonId {
    sundhed_testkit::directory::person(n).unwrap()
}

/// A new user for `person(n)`, without certificates.
pub fn new_user(n: u32) -> NewUser {
    sundhed_testkit::directory::new_user(n).unwrap()
}
