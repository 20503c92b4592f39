//! Integration tests of sundhed-workflow.
#![cfg(test)]

mod activation_keys;
mod compat;
mod echo;
mod file_log;
mod hardening_bad_input;
mod hardening_leaks;
mod log;
mod login;
mod replay;
mod replayed_forms;
mod seb;
mod sei;
mod sei_signers;
mod signed_bytes;
mod submissions;
mod users;
