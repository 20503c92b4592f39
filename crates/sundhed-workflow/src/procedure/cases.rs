//! The cases of a procedure, by number, and the typed case numbers.

use core::fmt;
use std::collections::BTreeMap;

use sundhed_identity::Violation;

use super::STATE;

/// The number of a case of one procedure ([`SebCaseId`](crate::SebCaseId),
/// [`SeiCaseId`](crate::SeiCaseId)): each procedure numbers its cases from 1 in the order
/// they are opened, and the two kinds of number are different types, so "case 1" always says
/// whose case it is.
pub trait CaseNumber: Copy + Ord + fmt::Display + fmt::Debug {
    /// The number of the first case: 1.
    const FIRST: Self;

    /// The number after this one.
    #[must_use]
    fn following(self) -> Self;
}

/// Defines a case number type: a `u32` newtype, serialised as the bare number, shown as
/// `"<label> case <n>"`.
macro_rules! case_id {
    ($(#[$doc:meta])* $name:ident, $label:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The case with this number (build one yourself only to refer to an existing
            /// case).
            #[must_use]
            pub const fn new(n: u32) -> Self {
                Self(n)
            }

            /// The number.
            #[must_use]
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl $crate::procedure::CaseNumber for $name {
            const FIRST: Self = Self(1);

            fn following(self) -> Self {
                Self(self.0.saturating_add(1))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!($label, " case {}"), self.0)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }
    };
}
pub(crate) use case_id;

/// Every case of one procedure, by number, and the number the next case will get.
///
/// The procedure opens and updates cases only by applying its events, so a replayed log
/// numbers them the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cases<Id, C> {
    cases: BTreeMap<Id, C>,
    next: Id,
}

impl<Id: CaseNumber, C> Default for Cases<Id, C> {
    fn default() -> Self {
        Self {
            cases: BTreeMap::new(),
            next: Id::FIRST,
        }
    }
}

impl<Id: CaseNumber, C> Cases<Id, C> {
    /// A case.
    #[must_use]
    pub fn case(&self, id: Id) -> Option<&C> {
        self.cases.get(&id)
    }

    /// Every case, by number.
    pub fn cases(&self) -> impl Iterator<Item = (Id, &C)> {
        self.cases.iter().map(|(id, c)| (*id, c))
    }

    /// The number the next case opened will get.
    #[must_use]
    pub fn next_id(&self) -> Id {
        self.next
    }

    /// Opens (or, replaying, reopens) case `id`; later cases are numbered after it.
    pub(crate) fn open(&mut self, id: Id, case: C) {
        self.cases.insert(id, case);
        self.next = self.next.max(id.following());
    }

    /// Changes case `id`, if it exists (an event about an unknown case changes nothing).
    pub(crate) fn update(&mut self, id: Id, change: impl FnOnce(&mut C)) {
        if let Some(case) = self.cases.get_mut(&id) {
            change(case);
        }
    }

    /// Case `id`, or the `WF-STATE-01` violation that it does not exist (for the procedures'
    /// `check_state`).
    pub(crate) fn existing(&self, id: Id) -> Result<&C, Violation> {
        self.cases
            .get(&id)
            .ok_or_else(|| Violation::new(STATE, format!("{id} does not exist")))
    }
}

/// The `WF-STATE-01` violation for a `command` that case `id`, being in `state`, does not
/// allow (for the procedures' `check_state`).
pub(crate) fn not_possible(id: impl fmt::Display, state: &str, command: &str) -> Violation {
    Violation::new(
        STATE,
        format!("{id} is {state}, where `{command}` is not possible"),
    )
}
