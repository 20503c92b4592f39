//! Why a command was refused.

use core::fmt;

use sundhed_identity::RuleId;

/// One broken rule: its id and a readable reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    rule: RuleId,
    reason: String,
}

impl Violation {
    pub(crate) fn new(rule: RuleId, reason: impl Into<String>) -> Self {
        Self {
            rule,
            reason: reason.into(),
        }
    }

    /// The rule broken.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }

    /// Why, in words (without the id).
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.reason, self.rule)
    }
}

/// A refused command: every rule it broke, each with a reason. The directory is unchanged.
///
/// All checks of a command run, so independent breaks are all reported; a check that needs
/// something a failed check did not provide (for example the organisation of an unknown
/// actor) is skipped.
///
/// # Example
/// ```
/// use sundhed_authorisation::{Actor, Command, Directory, UserId};
/// use chrono::{TimeZone, Utc};
///
/// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
/// let directory = Directory::new();
/// let refusal = directory
///     .handle(Actor::User(UserId::new(9)), &Command::AcknowledgeConfidentiality, at)
///     .unwrap_err();
/// assert_eq!(refusal.rules()[0].as_str(), "AUTHZ-REF-01");
/// assert!(refusal.to_string().contains("(AUTHZ-REF-01)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    violations: Vec<Violation>,
}

impl Refusal {
    pub(crate) fn new(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// Every broken rule with its reason, in the order found.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The ids of the broken rules, sorted, without duplicates.
    #[must_use]
    pub fn rules(&self) -> Vec<RuleId> {
        let mut rules: Vec<RuleId> = self.violations.iter().map(Violation::rule).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    /// Whether the command broke `rule`.
    #[must_use]
    pub fn broke(&self, rule: RuleId) -> bool {
        self.violations.iter().any(|v| v.rule == rule)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("command refused: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

/// User input as shown in a message: at most 64 characters, so a hostile name cannot make a
/// refusal huge.
pub(crate) fn excerpt(input: &str) -> String {
    const MAX: usize = 64;
    match input.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", input.get(..cut).unwrap_or_default()),
        None => input.to_owned(),
    }
}

/// Collects violations while a command is checked, so a refusal names every broken rule.
#[derive(Debug, Default)]
pub(crate) struct Violations(Vec<Violation>);

impl Violations {
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    pub(crate) fn push(&mut self, v: Violation) {
        if !self.0.contains(&v) {
            self.0.push(v);
        }
    }

    /// Records the error of `result` and gives its value, if any.
    pub(crate) fn take<T>(&mut self, result: Result<T, Violation>) -> Option<T> {
        match result {
            Ok(t) => Some(t),
            Err(v) => {
                self.push(v);
                None
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn finish<T>(self, ok: T) -> Result<T, Refusal> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(Refusal::new(self.0))
        }
    }
}
