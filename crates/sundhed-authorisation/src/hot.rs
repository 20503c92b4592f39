//! The compact indexes `check` reads, laid out so a decision touches few cache lines: each
//! user's access state together with their own grants (department and validity inline), in a
//! dense table indexed by user id; group grants in a separate small map.

use chrono::{DateTime, Utc};

use crate::ids::{DepartmentId, GrantId, GroupId, RightId, UserId};
use crate::model::Validity;

/// What `check` needs of one grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeldGrant {
    pub(crate) id: GrantId,
    pub(crate) right: RightId,
    pub(crate) department: DepartmentId,
    pub(crate) validity: Validity,
}

/// The grants of one holder and right (groups): usually one, stored inline.
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
}

/// How many of a user's own grants are stored inline.
const INLINE: usize = 2;

/// A user's own live grants: the first few inline, the rest in a vector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct UserGrants {
    inline: [Option<HeldGrant>; INLINE],
    more: Vec<HeldGrant>,
}

impl UserGrants {
    pub(crate) fn push(&mut self, grant: HeldGrant) {
        match self.inline.iter_mut().find(|g| g.is_none()) {
            Some(slot) => *slot = Some(grant),
            None => self.more.push(grant),
        }
    }

    pub(crate) fn remove(&mut self, id: GrantId) {
        for slot in &mut self.inline {
            if slot.is_some_and(|g| g.id == id) {
                *slot = None;
            }
        }
        self.more.retain(|g| g.id != id);
        // Keep the inline slots filled first.
        for slot in &mut self.inline {
            if slot.is_none()
                && let Some(g) = self.more.pop()
            {
                *slot = Some(g);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &HeldGrant> {
        self.inline.iter().flatten().chain(self.more.iter())
    }
}

/// A user's access state and own grants, as `check` needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Access {
    pub(crate) user: UserId,
    pub(crate) known: bool,
    pub(crate) active: bool,
    pub(crate) acknowledged: Option<DateTime<Utc>>,
    pub(crate) first_group: Option<GroupId>,
    pub(crate) other_groups: Vec<GroupId>,
    pub(crate) grants: UserGrants,
}

impl Access {
    pub(crate) fn new(user: UserId, groups: &[GroupId]) -> Self {
        let mut access = Self {
            user,
            known: true,
            active: true,
            ..Self::default()
        };
        access.set_groups(groups);
        access
    }

    pub(crate) fn set_groups(&mut self, groups: &[GroupId]) {
        self.first_group = groups.first().copied();
        self.other_groups = groups.get(1..).map(<[GroupId]>::to_vec).unwrap_or_default();
    }

    pub(crate) fn groups(&self) -> impl Iterator<Item = GroupId> + '_ {
        self.first_group
            .into_iter()
            .chain(self.other_groups.iter().copied())
    }
}

/// Users' access records: dense by user id (ids are handed out in order), with a map for ids
/// far beyond the dense range (only from events not made by `handle`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AccessTable {
    dense: Vec<Access>,
    sparse: crate::hasher::IdMap<UserId, Access>,
    /// Store every record in the map: for the few records a batch touches, where a dense table
    /// reaching up to the highest id would cost as much as the directory.
    sparse_only: bool,
}

/// How far past the dense table an id may land and still be stored densely.
const MAX_GAP: usize = 1 << 16;

impl AccessTable {
    /// A table that keeps every record in its map (see `sparse_only`).
    pub(crate) fn sparse() -> Self {
        Self {
            sparse_only: true,
            ..Self::default()
        }
    }

    #[inline]
    pub(crate) fn get(&self, user: UserId) -> Option<&Access> {
        let dense = usize::try_from(user.get())
            .ok()
            .and_then(|i| self.dense.get(i));
        match dense {
            Some(a) if a.known => Some(a),
            _ => self.sparse.get(&user),
        }
    }

    pub(crate) fn get_mut(&mut self, user: UserId) -> Option<&mut Access> {
        let i = usize::try_from(user.get()).ok();
        if i.and_then(|i| self.dense.get(i)).is_some_and(|a| a.known) {
            i.and_then(|i| self.dense.get_mut(i))
        } else {
            self.sparse.get_mut(&user)
        }
    }

    pub(crate) fn insert(&mut self, user: UserId, access: Access) {
        let i = match usize::try_from(user.get()) {
            Ok(i) if !self.sparse_only => i,
            _ => {
                self.sparse.insert(user, access);
                return;
            }
        };
        if i < self.dense.len() {
            if let Some(slot) = self.dense.get_mut(i) {
                *slot = access;
            }
        } else if i - self.dense.len() <= MAX_GAP {
            self.dense.resize_with(i, Access::default);
            self.dense.push(access);
        } else {
            self.sparse.insert(user, access);
        }
    }

    /// How many records the table has room for, dense slots included.
    #[cfg(test)]
    pub(crate) fn slots(&self) -> usize {
        self.dense.len() + self.sparse.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Access> {
        self.dense
            .iter()
            .filter(|a| a.known)
            .chain(self.sparse.values())
    }
}
