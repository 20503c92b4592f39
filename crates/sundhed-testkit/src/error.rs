//! The one error of the testkit: test data that cannot be read or parsed, a setup command the
//! libraries refused, or a result of another shape than the setup expected. Tests `unwrap`
//! it; a fuzz target skips the input.

use std::path::PathBuf;

use sundhed_identity::{Refusal, RuleId, Violation};
use sundhed_workflow::{LogError, WorkflowError};

/// Why the testkit could not build what was asked.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    /// A test data file could not be read.
    #[error("reading test data {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Test data (a certificate, a key, a literal) did not parse.
    #[error("test data {what}: {reason}")]
    Data {
        /// What was parsed.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// The directory refused a setup command.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The registry refused a setup command or could not log it.
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// The event log failed (opening, appending, replaying).
    #[error(transparent)]
    Log(#[from] LogError),
    /// A setup step gave a result of another shape than expected (no event, another state).
    #[error("unexpected result: {0}")]
    Unexpected(String),
}

impl TestkitError {
    /// The directory's or the registry's refusal, when that is the error.
    #[must_use]
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Self::Refused(r) => Some(r),
            Self::Workflow(e) => e.refusal(),
            _ => None,
        }
    }

    /// The violations of the refusal; none for any other error.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        self.refusal().map_or(&[], Refusal::violations)
    }

    /// Whether the refusal broke `rule` (directly or as a cause); false for any other error.
    #[must_use]
    pub fn broke(&self, rule: RuleId) -> bool {
        self.refusal().is_some_and(|r| r.broke(rule))
    }

    /// The rule ids of the refusal; none for any other error.
    #[must_use]
    pub fn rules(&self) -> Vec<RuleId> {
        self.refusal().map(Refusal::rules).unwrap_or_default()
    }

    /// A [`TestkitError::Data`] for `what` from any error.
    pub fn data(what: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::Data {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

/// Parses a literal of the test data, naming it in the error.
///
/// # Errors
/// [`TestkitError::Data`] when the literal does not parse.
pub fn parse<T>(literal: &str) -> Result<T, TestkitError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    literal
        .parse()
        .map_err(|e| TestkitError::data(format!("`{literal}`"), e))
}
