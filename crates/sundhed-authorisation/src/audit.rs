//! `audit_indexes`: the indexes `check` reads, compared with the grant records.

use sundhed_identity::RuleId;

use crate::directory::Directory;
use crate::hot::HeldGrant;
use crate::ids::{GrantId, Grantee};
use crate::read::Read;
use crate::rules::DECIDE;

/// An inconsistency between the directory's indexes and its grant records, as
/// [`Directory::audit_indexes`] reports it. [`Directory::check`] decides from the indexes
/// alone, while `handle` and the listings read the grant records: an inconsistency would make
/// them disagree, so audits and tests look for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// An index names a grant that is not in the directory.
    #[error("the index names {0}, which is missing (AUTHZ-DECIDE-01)")]
    MissingGrant(GrantId),
    /// An index holds a grant under the wrong holder or right.
    #[error("{0} is indexed under the wrong holder or right (AUTHZ-DECIDE-01)")]
    MisfiledGrant(GrantId),
}

impl IndexError {
    /// The rule whose decisions the inconsistency endangers: `AUTHZ-DECIDE-01`.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        DECIDE
    }

    fn grant(self) -> GrantId {
        match self {
            Self::MissingGrant(id) | Self::MisfiledGrant(id) => id,
        }
    }
}

impl Directory {
    /// Compares the index `check` reads with the grants themselves; empty when consistent.
    /// Its cost grows with the directory: for audits and tests, not for every request.
    #[must_use]
    pub fn audit_indexes(&self) -> Vec<IndexError> {
        let mut errors = Vec::new();
        let store = self.store();
        let mut audit = |holder: Grantee, held: &HeldGrant| match store.grant(held.id) {
            None => errors.push(IndexError::MissingGrant(held.id)),
            Some(g)
                if g.grantee != holder
                    || g.right != held.right
                    || g.department != held.department
                    || g.validity != held.validity =>
            {
                errors.push(IndexError::MisfiledGrant(held.id));
            }
            Some(_) => {}
        };
        let mut indexed = 0usize;
        for access in store.access_records() {
            for held in access.grants.iter() {
                indexed += 1;
                audit(Grantee::User(access.user), held);
            }
        }
        for (group, holding) in store.group_holdings() {
            for held in holding {
                indexed += 1;
                audit(Grantee::Group(group), held);
            }
        }
        if indexed != store.grant_count() {
            for g in store.grants() {
                let found = match g.grantee {
                    Grantee::User(u) => store.user_grants(u, g.right).any(|h| h.id == g.id),
                    Grantee::Group(x) => {
                        store.group_grants(x, g.right).iter().any(|h| h.id == g.id)
                    }
                };
                if !found {
                    errors.push(IndexError::MisfiledGrant(g.id));
                }
            }
        }
        errors.sort_unstable_by_key(|e| e.grant());
        errors
    }
}
