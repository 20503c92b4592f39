//! The compact indexes `check` reads, laid out so a decision touches few cache lines: the
//! grants of one holder and right stored inline (no second lookup), and each user's access
//! state apart from the rest of the user record.

use chrono::{DateTime, Utc};

use crate::ids::{DepartmentId, GrantId, GroupId};
use crate::model::Validity;

/// What `check` needs of one grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeldGrant {
    pub(crate) id: GrantId,
    pub(crate) department: DepartmentId,
    pub(crate) validity: Validity,
}

/// The grants of one holder and right: usually one, stored inline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Holding {
    One(HeldGrant),
    Many(Vec<HeldGrant>),
}

impl Holding {
    pub(crate) fn as_slice(&self) -> &[HeldGrant] {
        match self {
            Self::One(g) => core::slice::from_ref(g),
            Self::Many(v) => v,
        }
    }

    pub(crate) fn push(&mut self, grant: HeldGrant) {
        match self {
            Self::One(first) => *self = Self::Many(vec![*first, grant]),
            Self::Many(v) => v.push(grant),
        }
    }

    /// Removes `id`; whether anything is left.
    pub(crate) fn remove(&mut self, id: GrantId) -> bool {
        match self {
            Self::One(g) => g.id != id,
            Self::Many(v) => {
                v.retain(|g| g.id != id);
                match v.as_slice() {
                    [] => false,
                    [one] => {
                        *self = Self::One(*one);
                        true
                    }
                    _ => true,
                }
            }
        }
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = GrantId> + '_ {
        self.as_slice().iter().map(|g| g.id)
    }
}

/// A user's access state, as `check` needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Access {
    pub(crate) active: bool,
    pub(crate) acknowledged: Option<DateTime<Utc>>,
    pub(crate) first_group: Option<GroupId>,
    pub(crate) other_groups: Vec<GroupId>,
}

impl Access {
    pub(crate) fn new(groups: &[GroupId]) -> Self {
        let mut access =
            Self { active: true, acknowledged: None, first_group: None, other_groups: Vec::new() };
        access.set_groups(groups);
        access
    }

    pub(crate) fn set_groups(&mut self, groups: &[GroupId]) {
        self.first_group = groups.first().copied();
        self.other_groups = groups.get(1..).map(<[GroupId]>::to_vec).unwrap_or_default();
    }

    pub(crate) fn groups(&self) -> impl Iterator<Item = GroupId> + '_ {
        self.first_group.into_iter().chain(self.other_groups.iter().copied())
    }
}
