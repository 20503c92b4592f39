//! Why a workflow command was refused.

use core::fmt;

use sundhed_identity::RuleId;

/// One broken rule: its id, the ids of the lower-level rules behind it (a signing or
/// directory rule), and a readable reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    rule: RuleId,
    causes: Vec<RuleId>,
    reason: String,
}

impl Violation {
    pub(crate) fn new(rule: RuleId, reason: impl Into<String>) -> Self {
        Self {
            rule,
            causes: Vec::new(),
            reason: reason.into(),
        }
    }

    pub(crate) fn because(mut self, cause: RuleId) -> Self {
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

    /// The lower-level rules behind it (for example a signing rule behind `WF-FORM-02`).
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

/// A refused command: every rule it broke. Nothing was logged or changed.
///
/// Refusals from the directory (`AUTHZ-*`) and from signature verification (`SIG-*`) come
/// through with their ids: [`rules`](Self::rules) lists them all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    violations: Vec<Violation>,
}

impl Refusal {
    pub(crate) fn one(violation: Violation) -> Self {
        Self {
            violations: vec![violation],
        }
    }

    /// Every broken rule with its reason, in the order found.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The ids of every rule broken, and of the rules behind them, sorted, without duplicates.
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

    /// Whether the command broke `rule` (directly or as a cause).
    #[must_use]
    pub fn broke(&self, rule: RuleId) -> bool {
        self.rules().contains(&rule)
    }
}

impl From<Violation> for Refusal {
    fn from(violation: Violation) -> Self {
        Self::one(violation)
    }
}

impl From<sundhed_authorisation::Refusal> for Refusal {
    fn from(refusal: sundhed_authorisation::Refusal) -> Self {
        Self {
            violations: refusal
                .violations()
                .iter()
                .map(|v| Violation::new(v.rule(), v.reason()))
                .collect(),
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
