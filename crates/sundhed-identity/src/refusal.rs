//! Why a command was refused: the one [`Violation`] and [`Refusal`] every sundhed crate
//! returns, so a host matches on one type whichever layer said no.

use core::fmt;

use crate::rule_id::RuleId;

/// One broken rule: its id, the ids of the lower-level rules behind it (for example a signing
/// rule behind a workflow rule), and a readable reason.
///
/// The reason is written by the rule that broke; user input in it goes through
/// [`shown`](crate::shown), so it is cut, escaped and has CPR-shaped digits masked.
///
/// # Example
/// ```
/// use sundhed_identity::{RuleId, Violation};
///
/// const STATE: RuleId = RuleId::new("WF-STATE-01");
/// const SIGNED: RuleId = RuleId::new("SIG-PAYLOAD-02");
/// let v = Violation::new(STATE, "case 3 does not exist").because(SIGNED);
/// assert_eq!(v.rule(), STATE);
/// assert_eq!(v.to_string(), "case 3 does not exist (WF-STATE-01, SIG-PAYLOAD-02)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    rule: RuleId,
    causes: Vec<RuleId>,
    reason: String,
}

impl Violation {
    /// `rule` was broken, for `reason` (lowercase, no final period, without the id).
    #[must_use]
    pub fn new(rule: RuleId, reason: impl Into<String>) -> Self {
        Self {
            rule,
            causes: Vec::new(),
            reason: reason.into(),
        }
    }

    /// The same violation, with `cause` recorded as a lower-level rule behind it (once; never
    /// the rule itself).
    #[must_use]
    pub fn because(mut self, cause: RuleId) -> Self {
        if cause != self.rule && !self.causes.contains(&cause) {
            self.causes.push(cause);
        }
        self
    }

    /// The rule broken.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        self.rule
    }

    /// The lower-level rules behind it, in the order recorded.
    #[must_use]
    pub fn causes(&self) -> &[RuleId] {
        &self.causes
    }

    /// Why, in words (without the ids).
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", self.reason, self.rule)?;
        for cause in &self.causes {
            write!(f, ", {cause}")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for Violation {}

/// A refused command: every rule it broke, each with a reason, at least one. Whoever refused
/// changed nothing.
///
/// Built from one [`Violation`] (`From`) or by a [`Violations`] collector, so a refusal is
/// never empty.
///
/// # Example
/// ```
/// use sundhed_identity::{Refusal, RuleId, Violation};
///
/// const STATE: RuleId = RuleId::new("WF-STATE-01");
/// let refusal = Refusal::from(Violation::new(STATE, "case 3 does not exist"));
/// assert!(refusal.broke(STATE));
/// assert_eq!(refusal.to_string(), "refused: case 3 does not exist (WF-STATE-01)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    violations: Vec<Violation>,
}

impl Refusal {
    /// Every broken rule with its reason, in the order found.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The ids of every rule broken and of the rules behind them, sorted, without duplicates.
    #[must_use]
    pub fn rules(&self) -> Vec<RuleId> {
        let mut rules: Vec<RuleId> = self
            .violations
            .iter()
            .flat_map(|v| core::iter::once(v.rule).chain(v.causes.iter().copied()))
            .collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    /// Whether the command broke `rule`, directly or as a cause.
    #[must_use]
    pub fn broke(&self, rule: RuleId) -> bool {
        self.violations
            .iter()
            .any(|v| v.rule == rule || v.causes.contains(&rule))
    }
}

impl From<Violation> for Refusal {
    fn from(violation: Violation) -> Self {
        Self {
            violations: vec![violation],
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refused: ")?;
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

/// Collects violations while a command is checked, so a refusal names every broken rule, not
/// only the first.
///
/// # Example
/// ```
/// use sundhed_identity::{RuleId, Violation, Violations};
///
/// const A: RuleId = RuleId::new("AUTHZ-REF-01");
/// let mut found = Violations::new();
/// let user: Option<u32> = found.take(Err(Violation::new(A, "no user 9")));
/// assert!(user.is_none());
/// let refusal = found.finish(()).unwrap_err();
/// assert_eq!(refusal.rules(), [A]);
/// ```
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// None found yet.
    #[must_use]
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Records `v` (once: an equal violation already recorded is not repeated).
    pub fn push(&mut self, v: Violation) {
        if !self.0.contains(&v) {
            self.0.push(v);
        }
    }

    /// Records the error of `result` and gives its value, if any.
    pub fn take<T>(&mut self, result: Result<T, Violation>) -> Option<T> {
        match result {
            Ok(t) => Some(t),
            Err(v) => {
                self.push(v);
                None
            }
        }
    }

    /// How many have been recorded.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none has been recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `ok` when nothing was recorded.
    ///
    /// # Errors
    /// A [`Refusal`] naming everything recorded, in order.
    pub fn finish<T>(self, ok: T) -> Result<T, Refusal> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(Refusal { violations: self.0 })
        }
    }
}
