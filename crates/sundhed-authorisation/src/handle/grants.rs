//! Granting, co-admins, revoking, and the revocation cascade.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_identity::Cvr;

use crate::checks::{
    AdminRightOf, AllowedActor, ChainAct, CoAdminAppointment, GrantorStanding, ManageTarget,
    RevokeTarget, check_actor_kind, check_appointment_chain, check_appointment_named,
    check_ceiling, check_group_holds_no_admin_right, check_known, check_manages, check_may_revoke,
    check_membership_support, check_not_self_grant, check_same_organisation, check_support,
};
use crate::command::GrantSpec;
use crate::event::{Change, LeaveCause, RevocationCause};
use crate::handle::Handler;
use crate::handle::Out;
use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, RightId, UserId};
use crate::read::Read;
use crate::rules::CEILING;
use sundhed_identity::{Violation, Violations};

impl<R: Read> Handler<'_, R> {
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
        v.take(check_group_holds_no_admin_right(
            self.read, grantee, spec.right,
        ));
        if let Grantee::User(user) = grantee
            && self.right(spec.right).is_some_and(|r| r.administers_users)
        {
            v.take(check_appointment_chain(
                self.read,
                admin,
                ChainAct::Appoint(user),
                out.at,
            ));
        }
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
        v.take(check_not_self_grant(self.read, admin, grantee, None));
        match grantee {
            Grantee::User(user) => {
                self.managed_user(v, out, admin, org, user);
            }
            Grantee::Group(group) => {
                if let Some(g) = v.take(check_known(self.read, group))
                    && v.take(check_same_organisation(self.read, org, group))
                        .is_some()
                {
                    v.take(check_manages(
                        self.read,
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
        v.take(check_appointment_named(
            self.read,
            user,
            forms.len(),
            departments.len(),
        ));
        v.take(check_appointment_chain(
            self.read,
            admin,
            ChainAct::Appoint(user),
            out.at,
        ));
        for form in forms {
            let Some(right) = v.take(check_known(self.read, AdminRightOf(*form))) else {
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
        let Some(u) = v.take(check_known(self.read, user)) else {
            return;
        };
        let admin_grants = v
            .take(check_known(self.read, CoAdminAppointment(user)))
            .unwrap_or_default();
        for g in &admin_grants {
            v.take(check_may_revoke(
                self.read,
                out.actor,
                RevokeTarget::Grant(g),
                out.at,
            ));
        }
        let roots: BTreeSet<_> = admin_grants.iter().map(|g| g.id).collect();
        let ceiling = self.ceiling_of(u.organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::Revoked,
            u.organisation,
            &ceiling,
            None,
        );
    }

    /// `ResignCoAdmin`: the acting user gives up every admin-right grant they hold, with the
    /// cascade of [`remove_co_admin`](Self::remove_co_admin). Giving up one's own grants needs
    /// no power to revoke them; a user who is no co-admin is refused (`AUTHZ-REF-01`).
    pub(super) fn resign_co_admin(&self, v: &mut Violations, out: &mut Out) {
        let Some((user, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        let admin_grants = v
            .take(check_known(self.read, CoAdminAppointment(user)))
            .unwrap_or_default();
        let roots: BTreeSet<_> = admin_grants.iter().map(|g| g.id).collect();
        let ceiling = self.ceiling_of(org);
        self.emit_revocations(out, &roots, RevocationCause::Revoked, org, &ceiling, None);
    }

    pub(super) fn revoke(&self, v: &mut Violations, out: &mut Out, grant: GrantId) {
        v.take(check_actor_kind(out.actor, AllowedActor::Either));
        if let Actor::User(_) = out.actor {
            self.acting_user(v, out.actor);
        }
        let Some(g) = v.take(check_known(self.read, grant)) else {
            return;
        };
        v.take(check_may_revoke(
            self.read,
            out.actor,
            RevokeTarget::Grant(g),
            out.at,
        ));
        let roots = BTreeSet::from([grant]);
        let ceiling = self.ceiling_of(g.organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::Revoked,
            g.organisation,
            &ceiling,
            None,
        );
    }

    /// Emits the revocation of `roots` with `cause`, then of every grant the revocation takes
    /// with it, in grant-id order, each naming the rule that revoked it: `AUTHZ-SUPPORT-01`
    /// for a grant left without support, `AUTHZ-CEIL-01` for one whose right is not in its
    /// organisation's ceiling. `ceiling` is `organisation`'s ceiling after the command; `gone`
    /// the user the command deactivates, if it does. Then ends the memberships that rested on
    /// the standing the revocations took away (`AUTHZ-MEMBER-01`).
    pub(crate) fn emit_revocations(
        &self,
        out: &mut Out,
        roots: &BTreeSet<GrantId>,
        cause: RevocationCause,
        organisation: Cvr,
        ceiling: &BTreeSet<RightId>,
        gone: Option<UserId>,
    ) {
        let mut dead = roots.clone();
        for root in roots {
            out.push(Change::GrantRevoked {
                grant: *root,
                cause,
                rule: cause.rule(),
            });
        }
        for (grant, violation) in self.cascade(roots, organisation, ceiling) {
            dead.insert(grant);
            let rule = violation.rule();
            let cause = if rule == CEILING {
                RevocationCause::LeftCeiling
            } else {
                RevocationCause::LostSupport
            };
            out.push(Change::GrantRevoked {
                grant,
                cause,
                rule: Some(rule),
            });
        }
        self.emit_membership_ends(out, organisation, &dead, gone);
    }

    /// Ends, in `organisation`, every membership whose grantor the command leaves unable to hand
    /// down a right of the group they could hand down before (`AUTHZ-MEMBER-01`): the grantors
    /// looked at are the holders of the `dead` grants and the `gone` (deactivated) user. A
    /// user's last group stays (`AUTHZ-GROUP-01`).
    fn emit_membership_ends(
        &self,
        out: &mut Out,
        organisation: Cvr,
        dead: &BTreeSet<GrantId>,
        gone: Option<UserId>,
    ) {
        let mut grantors: BTreeSet<UserId> = dead
            .iter()
            .filter_map(|id| self.grant(*id))
            .filter_map(|g| match g.grantee {
                Grantee::User(u) => Some(u),
                Grantee::Group(_) => None,
            })
            .collect();
        grantors.extend(gone);
        if grantors.is_empty() {
            return;
        }
        let mut ended = Vec::new();
        for id in self.users_in(organisation) {
            let Some(u) = self.user(*id).filter(|u| u.active && gone != Some(u.id)) else {
                continue;
            };
            let mut left = u.groups.len();
            for (group, grantor) in &u.added_by {
                let Actor::User(k) = grantor else { continue };
                if !grantors.contains(k) {
                    continue;
                }
                let after = GrantorStanding {
                    dead,
                    gone: gone == Some(*k),
                };
                let lost = self
                    .grants_of(Grantee::Group(*group))
                    .filter(|g| {
                        !dead.contains(&g.id) && g.validity.until.is_none_or(|e| out.at < e)
                    })
                    .any(|carried| {
                        check_membership_support(self.read, u.id, *grantor, carried, out.at, after)
                            .is_err()
                    });
                if lost && left > 1 {
                    left -= 1;
                    ended.push((u.id, *group));
                }
            }
        }
        for (user, group) in ended {
            let cause = LeaveCause::LostSupport;
            out.push(Change::UserLeftGroup {
                user,
                group,
                cause,
                rule: cause.rule(),
            });
        }
    }

    /// The grants (not in `roots`) that the revocation of `roots` takes with it, sorted, each
    /// with the violation that revokes it (`AUTHZ-CEIL-01`, `AUTHZ-SUPPORT-01`).
    pub(crate) fn cascade(
        &self,
        roots: &BTreeSet<GrantId>,
        organisation: Cvr,
        ceiling: &BTreeSet<RightId>,
    ) -> Vec<(GrantId, Violation)> {
        let mut dead = roots.clone();
        let mut work: Vec<GrantId> = roots.iter().copied().collect();
        let mut lost = Vec::new();
        while let Some(id) = work.pop() {
            for dependant in self.dependants_of(id) {
                if dead.contains(&dependant) {
                    continue;
                }
                let Some(grant) = self.grant(dependant) else {
                    continue;
                };
                let other;
                let its_ceiling = if grant.organisation == organisation {
                    ceiling
                } else {
                    other = self.ceiling_of(grant.organisation);
                    &other
                };
                let kept = check_ceiling(self.read, grant.organisation, its_ceiling, grant.right)
                    .and_then(|()| check_support(self.read, grant, &dead));
                if let Err(violation) = kept {
                    dead.insert(dependant);
                    lost.push((dependant, violation));
                    work.push(dependant);
                }
            }
        }
        lost.sort_unstable_by_key(|(id, _)| *id);
        lost
    }
}
