//! Integration tests of sundhed-identity.
