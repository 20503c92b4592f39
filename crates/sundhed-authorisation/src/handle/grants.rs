//! Granting, co-admins, revoking, and the revocation cascade.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::checks::{
    AllowedActor, ManageTarget, check_actor_kind, check_known, check_manages, check_may_revoke,
    check_same_organisation, check_support,
};
use crate::command::GrantSpec;
use crate::directory::Directory;
use crate::event::{Change, RevocationCause};
use crate::handle::Out;
use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, RightId, UserId};
use sundhed_identity::Violations;

impl Directory {
    pub(super) fn handle_grant(
        &self,
        v: &mut Violations,
        out: &mut Out,
        grantee: Grantee,
        spec: &GrantSpec,
    ) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        self.check_grantee(v, out, admin, org, grantee);
        if let Some(checked) = self.check_grant_spec(v, Some(admin), org, spec, out.at) {
            Self::emit_grant(out, org, grantee, &checked);
        }
    }

    fn check_grantee(
        &self,
        v: &mut Violations,
        out: &Out,
        admin: UserId,
        org: Cvr,
        grantee: Grantee,
    ) {
        match grantee {
            Grantee::User(user) => {
                if let Some(u) = v.take(check_known(self.users.get(&user), user))
                    && v.take(check_same_organisation(org, u.organisation, user))
                        .is_some()
                    && v.take(crate::checks::check_active(u)).is_some()
                {
                    v.take(check_manages(self, admin, ManageTarget::User(user), out.at));
                }
            }
            Grantee::Group(group) => {
                if let Some(g) = v.take(check_known(self.groups.get(&group), group))
                    && v.take(check_same_organisation(org, g.organisation, group))
                        .is_some()
                {
                    v.take(check_manages(
                        self,
                        admin,
                        ManageTarget::Department(g.department),
                        out.at,
                    ));
                }
            }
        }
    }

    pub(super) fn appoint_co_admin(
        &self,
        v: &mut Violations,
        out: &mut Out,
        user: UserId,
        forms: &[FormId],
        departments: &[DepartmentId],
        valid_until: Option<DateTime<Utc>>,
    ) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        self.check_grantee(v, out, admin, org, Grantee::User(user));
        for form in forms {
            let Some(right) = v.take(check_known(self.admin_right(*form), form)) else {
                continue;
            };
            for department in departments {
                let spec = GrantSpec {
                    right,
                    department: *department,
                    valid_from: None,
                    valid_until,
                };
                if let Some(checked) = self.check_grant_spec(v, Some(admin), org, &spec, out.at) {
                    Self::emit_grant(out, org, Grantee::User(user), &checked);
                }
            }
        }
    }

    pub(super) fn remove_co_admin(&self, v: &mut Violations, out: &mut Out, user: UserId) {
        v.take(check_actor_kind(out.actor, AllowedActor::Either));
        if let Actor::User(_) = out.actor {
            self.acting_user(v, out.actor);
        }
        let Some(u) = v.take(check_known(self.users.get(&user), user)) else {
            return;
        };
        let admin_grants: Vec<_> = self
            .grants_of(Grantee::User(user))
            .filter(|g| self.right(g.right).is_some_and(|r| r.administers_users))
            .collect();
        v.take(check_known(
            (!admin_grants.is_empty()).then_some(()),
            format_args!("a co-admin appointment of {user}"),
        ));
        for g in &admin_grants {
            v.take(check_may_revoke(self, out.actor, g, out.at));
        }
        let roots: BTreeSet<_> = admin_grants.iter().map(|g| g.id).collect();
        let ceiling = self.ceiling_of(u.organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::Revoked,
            u.organisation,
            &ceiling,
        );
    }

    pub(super) fn revoke(&self, v: &mut Violations, out: &mut Out, grant: GrantId) {
        v.take(check_actor_kind(out.actor, AllowedActor::Either));
        if let Actor::User(_) = out.actor {
            self.acting_user(v, out.actor);
        }
        let Some(g) = v.take(check_known(self.grants.get(&grant), grant)) else {
            return;
        };
        v.take(check_may_revoke(self, out.actor, g, out.at));
        let roots = BTreeSet::from([grant]);
        let ceiling = self.ceiling_of(g.organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::Revoked,
            g.organisation,
            &ceiling,
        );
    }

    pub(crate) fn ceiling_of(&self, organisation: Cvr) -> BTreeSet<RightId> {
        self.organisations
            .get(&organisation)
            .map(|o| o.ceiling.clone())
            .unwrap_or_default()
    }

    /// Emits the revocation of `roots` with `cause`, then of every grant left without
    /// support (rule `AUTHZ-SUPPORT-01`), in grant-id order. `ceiling` is `organisation`'s
    /// ceiling after the command.
    pub(crate) fn emit_revocations(
        &self,
        out: &mut Out,
        roots: &BTreeSet<GrantId>,
        cause: RevocationCause,
        organisation: Cvr,
        ceiling: &BTreeSet<RightId>,
    ) {
        for root in roots {
            out.push(Change::GrantRevoked {
                grant: *root,
                cause,
            });
        }
        for grant in self.cascade(roots, organisation, ceiling) {
            out.push(Change::GrantRevoked {
                grant,
                cause: RevocationCause::LostSupport,
            });
        }
    }

    /// The grants (not in `roots`) that lose all support once `roots` are gone, sorted.
    pub(crate) fn cascade(
        &self,
        roots: &BTreeSet<GrantId>,
        organisation: Cvr,
        ceiling: &BTreeSet<RightId>,
    ) -> Vec<GrantId> {
        let mut dead = roots.clone();
        let mut work: Vec<GrantId> = roots.iter().copied().collect();
        let mut lost = Vec::new();
        while let Some(id) = work.pop() {
            for dependant in self.dependants_of(id) {
                if dead.contains(&dependant) {
                    continue;
                }
                let Some(grant) = self.grants.get(&dependant) else {
                    continue;
                };
                let supported = if grant.organisation == organisation {
                    check_support(self, grant, &dead, ceiling)
                } else {
                    check_support(self, grant, &dead, &self.ceiling_of(grant.organisation))
                };
                if !supported {
                    dead.insert(dependant);
                    lost.push(dependant);
                    work.push(dependant);
                }
            }
        }
        lost.sort_unstable();
        lost
    }
}
