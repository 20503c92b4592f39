//! The shared rule identifier.

use core::fmt;

/// The stable identifier of one documented rule, such as `ID-CPR-01`.
///
/// Every rule the sundhed crates enforce is listed in `docs/rules.md` with its source, the one
/// function that enforces it and the tests that name it. Errors, refusals and denials carry the
/// `RuleId` of the rule they report, so a log line or a decision can be traced back to that
/// table.
///
/// The form is `<AREA>-<TOPIC>-<NN>`: an area (`ID`, `SIG`, `AUTHZ`, `WF`), a topic of capital
/// letters and digits, and a two-digit number.
///
/// # Example
/// ```
/// use sundhed_identity::RuleId;
///
/// const CPR_FORMAT: RuleId = RuleId::new("ID-CPR-01");
/// assert_eq!(CPR_FORMAT.as_str(), "ID-CPR-01");
/// assert_eq!(CPR_FORMAT.area(), "ID");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    /// Declares a rule id; meant for `const` items, where a malformed id fails the build.
    ///
    /// Used outside a `const` context a malformed id would stop the program, so declare every
    /// id as a `const`, one per rule, reachable from the crate's public `rules` module.
    ///
    /// # Panics
    /// When `id` is not of the form `AREA-TOPIC-NN`; in a `const` item that is a build error.
    #[must_use]
    #[expect(
        clippy::panic,
        reason = "evaluated at compile time in const items: a malformed id is a build error"
    )]
    pub const fn new(id: &'static str) -> Self {
        if !is_well_formed(id.as_bytes()) {
            panic!("a rule id has the form AREA-TOPIC-NN");
        }
        Self(id)
    }

    /// The id as written in `docs/rules.md`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The area the rule belongs to: `ID`, `SIG`, `AUTHZ` or `WF`.
    #[must_use]
    pub fn area(self) -> &'static str {
        self.0.split('-').next().unwrap_or(self.0)
    }
}

/// `AREA-TOPIC-NN` where AREA is one of the four areas and TOPIC is `[A-Z0-9]+`.
const fn is_well_formed(id: &[u8]) -> bool {
    let rest = match strip_prefix(id, b"ID-") {
        Some(r) => r,
        None => match strip_prefix(id, b"SIG-") {
            Some(r) => r,
            None => match strip_prefix(id, b"AUTHZ-") {
                Some(r) => r,
                None => match strip_prefix(id, b"WF-") {
                    Some(r) => r,
                    None => return false,
                },
            },
        },
    };
    let [topic @ .., b'-', d1, d2] = rest else {
        return false;
    };
    if topic.is_empty() || !d1.is_ascii_digit() || !d2.is_ascii_digit() {
        return false;
    }
    let mut t = topic;
    while let [c, tail @ ..] = t {
        if !(c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return false;
        }
        t = tail;
    }
    true
}

const fn strip_prefix<'a>(id: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let mut rest = id;
    let mut p = prefix;
    while let [pc, ptail @ ..] = p {
        match rest {
            [c, tail @ ..] if *c == *pc => {
                rest = tail;
                p = ptail;
            }
            _ => return None,
        }
    }
    Some(rest)
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids_are_accepted() {
        for id in [
            "ID-CPR-01",
            "SIG-CHAIN-05",
            "AUTHZ-GRANT-02",
            "WF-SEB-04",
            "ID-P2-10",
        ] {
            assert!(is_well_formed(id.as_bytes()), "{id}");
        }
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in [
            "",
            "ID-CPR-1",
            "XX-CPR-01",
            "ID--01",
            "ID-cpr-01",
            "ID-CPR-0A",
            "ID-CPR01",
        ] {
            assert!(!is_well_formed(id.as_bytes()), "{id}");
        }
    }

    #[test]
    fn area_is_the_first_part() {
        assert_eq!(RuleId::new("AUTHZ-GRANT-02").area(), "AUTHZ");
    }
}
