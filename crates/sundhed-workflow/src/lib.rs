//! The SEB and SEI onboarding procedures (in progress).
#![deny(missing_docs)]
