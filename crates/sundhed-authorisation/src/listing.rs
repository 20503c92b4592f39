//! Listings that agree with `check` and `handle`: what an admin may grant, whom they manage,
//! what a user may do, and the access review.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use sundhed_identity::Cvr;

use crate::decision::{AccessRequest, check_confidentiality, check_live_at};
use crate::directory::Directory;
use crate::ids::{Actor, DepartmentId, GrantId, Grantee, RightId, UserId};
use crate::model::{Support, Validity};
use crate::query::Query;
use crate::read::Read;

/// One thing an admin may grant now: a right on a department, until at the latest `until`
/// (`None`: without end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Grantable {
    /// The right.
    pub right: RightId,
    /// The department (each covered department is listed on its own).
    pub department: DepartmentId,
    /// The latest end a grant made now may have.
    pub until: Option<DateTime<Utc>>,
}

/// One thing a user may do now: a right on a department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Permission {
    /// The right.
    pub right: RightId,
    /// The department (each covered department is listed on its own).
    pub department: DepartmentId,
}

/// One link of a grantor chain: a grant and who made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ChainLink {
    /// The grant.
    pub grant: GrantId,
    /// Its grantor.
    pub grantor: Actor,
}

/// One line of an access review: a live grant, its grantor chain back to the organisation's
/// mandate from the authority, and its age.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewEntry {
    /// The grant.
    pub grant: GrantId,
    /// Who holds it.
    pub grantee: Grantee,
    /// The right.
    pub right: RightId,
    /// The department.
    pub department: DepartmentId,
    /// When it counts.
    pub validity: Validity,
    /// Who made it.
    pub grantor: Actor,
    /// The chain of held grants from this grant's grantor up to a grant made by a primary
    /// admin (whose mandate comes from the authority): the grant first.
    pub chain: Vec<ChainLink>,
    /// How long ago it was made.
    pub age: TimeDelta,
}

fn later(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (None, _) | (_, None) => None,
        (Some(x), Some(y)) => Some(x.max(y)),
    }
}

fn earlier(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => Some(x.min(y)),
    }
}

impl Directory {
    /// Every right × department `admin` may grant at `at`, with the latest end such a grant
    /// may have; sorted. A `Grant` command for a listed right and department, starting at `at`
    /// and ending no later than `until`, passes the delegation rules (`AUTHZ-CEIL-01`,
    /// `AUTHZ-HOLD-01`, `AUTHZ-SCOPE-01`); one for anything not listed does not. The rules
    /// that depend on the grantee (`AUTHZ-MANAGE-01`, `AUTHZ-SELF-01`: not to the admin or a
    /// group of theirs; `AUTHZ-APPOINT-01` for an admin right) still apply.
    #[must_use]
    pub fn grantable(&self, admin: UserId, at: DateTime<Utc>) -> Vec<Grantable> {
        let Some(org_id) = self.store().active_user_org(admin) else {
            return Vec::new();
        };
        let Some(org) = self.organisation(org_id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for department in self.departments_of(org_id) {
            for right in &org.ceiling {
                if let Some(until) = self.grantable_until(admin, *right, *department, at) {
                    out.push(Grantable {
                        right: *right,
                        department: *department,
                        until,
                    });
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// `Some(latest end)` if `admin` may grant `right` on `department` at `at`.
    fn grantable_until(
        &self,
        admin: UserId,
        right: RightId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> Option<Option<DateTime<Utc>>> {
        if self
            .store()
            .primary_covers(admin, Some(right.form()), department)
        {
            return Some(None);
        }
        let latest = |r: RightId| -> Option<Option<DateTime<Utc>>> {
            self.store()
                .user_grants(admin, r)
                .filter(|g| {
                    g.validity.contains(at) && self.store().covers(g.department, department)
                })
                .map(|g| g.validity.until)
                .reduce(later)
        };
        let admin_until = latest(self.store().admin_right(right.form())?)?;
        let held_until = latest(right)?;
        Some(earlier(admin_until, held_until))
    }

    /// The active users of `admin`'s organisation that `admin` manages at `at` (one of their
    /// groups is keyed by a department `admin` administers), sorted. Agrees with rule
    /// `AUTHZ-MANAGE-01`.
    #[must_use]
    pub fn manageable_users(&self, admin: UserId, at: DateTime<Utc>) -> Vec<UserId> {
        let Some(org) = self.store().active_user_org(admin) else {
            return Vec::new();
        };
        let mut out: Vec<UserId> = self
            .users_of(org)
            .iter()
            .copied()
            .filter(|u| self.store().manages_user(admin, *u, at))
            .collect();
        out.sort_unstable();
        out
    }

    /// Everything `user` may do at `at`: each right on each department for which
    /// [`check`](Self::check) allows, sorted, without duplicates.
    #[must_use]
    pub fn permissions(&self, user: UserId, at: DateTime<Utc>) -> Vec<Permission> {
        let Some(u) = self.user(user).filter(|u| u.active) else {
            return Vec::new();
        };
        let holders = core::iter::once(Grantee::User(user))
            .chain(u.groups.iter().map(|g| Grantee::Group(*g)));
        let mut out = Vec::new();
        for holder in holders {
            for grant in self.grants_of(holder) {
                let Some(spec) = self.right(grant.right) else {
                    continue;
                };
                // An admin right counts only when held directly (`AUTHZ-GROUP-02`).
                if spec.administers_users && matches!(holder, Grantee::Group(_)) {
                    continue;
                }
                if check_live_at(&grant.validity, at).is_err()
                    || check_confidentiality(spec, u.acknowledged_confidentiality, at).is_err()
                {
                    continue;
                }
                for department in self.departments_of(u.organisation) {
                    if self.store().covers(grant.department, *department) {
                        out.push(Permission {
                            right: grant.right,
                            department: *department,
                        });
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `user` may do `permission` at `at`: the same as `check(..).is_allowed()`.
    #[must_use]
    pub fn may(&self, user: UserId, permission: Permission, at: DateTime<Utc>) -> bool {
        self.check(
            &AccessRequest {
                user,
                right: permission.right,
                department: permission.department,
            },
            at,
        )
        .is_allowed()
    }

    /// The access review of an organisation at `at`: every grant live at `at`, with its
    /// grantor chain and age, sorted by grant id.
    #[must_use]
    pub fn access_review(&self, organisation: Cvr, at: DateTime<Utc>) -> Vec<ReviewEntry> {
        self.grants_in(organisation)
            .filter(|g| check_live_at(&g.validity, at).is_ok())
            .map(|g| ReviewEntry {
                grant: g.id,
                grantee: g.grantee,
                right: g.right,
                department: g.department,
                validity: g.validity,
                grantor: g.grantor,
                chain: self.chain(g.id),
                age: at.signed_duration_since(g.granted_at),
            })
            .collect()
    }

    /// The chain of held grants from `grant` up to one made by a primary admin.
    fn chain(&self, grant: GrantId) -> Vec<ChainLink> {
        let mut out = Vec::new();
        let mut current = self.grant(grant);
        while let Some(g) = current {
            if out.iter().any(|l: &ChainLink| l.grant == g.id) {
                break;
            }
            out.push(ChainLink {
                grant: g.id,
                grantor: g.grantor,
            });
            current = match &g.support {
                Support::Organisation => None,
                Support::Delegated { held, .. } => held.iter().find_map(|id| self.grant(*id)),
            };
        }
        out
    }
}
