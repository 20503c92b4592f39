//! `audit_indexes`: the indexes `check` reads, compared with the grant records, and each live
//! grant's recorded support.

use sundhed_identity::RuleId;

use crate::directory::Directory;
use crate::hot::HeldGrant;
use crate::ids::{GrantId, Grantee};
use crate::model::{Grant, Support};
use crate::read::Read;
use crate::rules::{DECIDE, SUPPORT};

/// An inconsistency between the directory's indexes and its grant records, or a live grant
/// without live support, as [`Directory::audit_indexes`] reports it. [`Directory::check`]
/// decides from the indexes alone, while `handle` and the listings read the grant records: an
/// inconsistency would make them disagree, so audits and tests look for them. A grant with
/// dead support is one no sequence of handled commands leaves behind (the cascade of
/// `AUTHZ-SUPPORT-01` revokes it): events applied to a state they were not computed on made it
/// (`AUTHZ-STATE-01`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// An index names a grant that is not in the directory.
    #[error("the index names {0}, which is missing (AUTHZ-DECIDE-01)")]
    MissingGrant(GrantId),
    /// An index holds a grant under the wrong holder or right.
    #[error("{0} is indexed under the wrong holder or right (AUTHZ-DECIDE-01)")]
    MisfiledGrant(GrantId),
    /// A live grant whose recorded support is gone: a primary admin's grant whose right is no
    /// longer in its organisation's ceiling (or whose organisation is unknown), or a co-admin's
    /// grant none of whose admin-right grants, or none of whose held grants, is still there
    /// covering its interval.
    #[error("{0} is live, but the support it recorded is gone (AUTHZ-SUPPORT-01)")]
    DeadSupport(GrantId),
}

impl IndexError {
    /// The rule the inconsistency endangers: `AUTHZ-DECIDE-01` for the indexes,
    /// `AUTHZ-SUPPORT-01` for dead support.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        match self {
            Self::MissingGrant(_) | Self::MisfiledGrant(_) => DECIDE,
            Self::DeadSupport(_) => SUPPORT,
        }
    }

    fn grant(self) -> GrantId {
        match self {
            Self::MissingGrant(id) | Self::MisfiledGrant(id) | Self::DeadSupport(id) => id,
        }
    }
}

/// Whether `grant`'s recorded support still stands in `store`: the organisation's mandate
/// (its right in the ceiling), or at least one admin-right grant and one held grant, each
/// still there and covering the grant's interval.
fn supported(store: &impl Read, grant: &Grant) -> bool {
    match &grant.support {
        Support::Organisation => store
            .organisation(grant.organisation)
            .is_some_and(|org| org.ceiling.contains(&grant.right)),
        Support::Delegated { admin, held } => {
            let (from, until) = (grant.validity.from, grant.validity.until);
            let alive = |ids: &[GrantId]| {
                ids.iter().any(|id| {
                    store
                        .grant(*id)
                        .is_some_and(|s| s.validity.covers(from, until))
                })
            };
            alive(admin) && alive(held)
        }
    }
}

impl Directory {
    /// Compares the index `check` reads with the grants themselves, and checks that every live
    /// grant's recorded support still stands (`AUTHZ-SUPPORT-01`); empty when consistent.
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
        for g in store.grants() {
            if !supported(store, g) {
                errors.push(IndexError::DeadSupport(g.id));
            }
        }
        errors.sort_unstable_by_key(|e| e.grant());
        errors
    }
}
