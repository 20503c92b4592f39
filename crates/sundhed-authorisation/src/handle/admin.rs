//! Commands of admins (groups, users, memberships, deactivation) and of users themselves.

use std::collections::BTreeSet;

use crate::checks::{
    AllowedActor, ChainAct, ManageTarget, Membership, NamedInCommand, RevokeTarget, Unique,
    check_active, check_actor_kind, check_appointment_chain, check_known, check_manages,
    check_may_revoke, check_not_primary_admin, check_not_self_grant, check_same_organisation,
    check_unique, check_user_has_group,
};
use crate::command::{GrantSpec, NewUser};
use crate::event::{Change, LeaveCause, RevocationCause};
use crate::handle::Handler;
use crate::handle::Out;
use crate::ids::{Actor, DepartmentId, Grantee, GroupId, UserId};
use crate::read::Read;
use sundhed_identity::Violations;

impl<R: Read> Handler<'_, R> {
    pub(super) fn create_group(
        &self,
        v: &mut Violations,
        out: &mut Out,
        department: DepartmentId,
        name: &str,
        parent: Option<GroupId>,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Either));
        let admin = match out.actor {
            Actor::User(_) => self.acting_user(v, out.actor),
            Actor::Authority => None,
        };
        let Some(d) = v.take(check_known(self.read, department)) else {
            return;
        };
        if let Some((admin, org)) = admin
            && v.take(check_same_organisation(self.read, org, department))
                .is_some()
        {
            v.take(check_manages(
                self.read,
                admin,
                ManageTarget::Department(department),
                out.at,
            ));
        }
        if let Some(p) = parent
            && v.take(check_known(self.read, p)).is_some()
        {
            v.take(check_same_organisation(self.read, d.organisation, p));
        }
        let group = out.group_id();
        out.push(Change::GroupCreated {
            group,
            department,
            organisation: d.organisation,
            name: name.to_owned(),
            parent,
        });
    }

    pub(super) fn create_users(
        &self,
        v: &mut Violations,
        out: &mut Out,
        users: &[NewUser],
        groups: &[GroupId],
        grants: &[GrantSpec],
    ) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        self.check_new_users(v, org, users);
        self.check_groups_to_join(v, Some(admin), org, groups, out.at);
        let mut checked = Vec::with_capacity(grants.len());
        for spec in grants {
            if let Some(c) = self.check_grant_spec(v, Some(admin), org, spec, out.at) {
                checked.push(c);
            }
        }
        Self::emit_new_users(out, org, users, groups, &checked);
    }

    /// The target user of an admin command: known, in the admin's organisation, active,
    /// managed by the admin.
    pub(super) fn managed_user(
        &self,
        v: &mut Violations,
        out: &Out,
        admin: UserId,
        org: sundhed_identity::Cvr,
        user: UserId,
    ) -> Option<&crate::model::User> {
        let u = v.take(check_known(self.read, user))?;
        v.take(check_same_organisation(self.read, org, user))?;
        v.take(check_active(u))?;
        v.take(check_manages(
            self.read,
            admin,
            ManageTarget::User(user),
            out.at,
        ))?;
        Some(u)
    }

    pub(super) fn join_group(
        &self,
        v: &mut Violations,
        out: &mut Out,
        user: UserId,
        group: GroupId,
    ) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        if self.managed_user(v, out, admin, org, user).is_some() {
            v.take(check_unique(
                self.read,
                &mut NamedInCommand::new(),
                Unique::Membership(user, group),
            ));
        }
        v.take(check_not_self_grant(
            self.read,
            admin,
            Grantee::User(user),
            Some(group),
        ));
        self.check_join(v, Some(admin), org, group, out.at);
        out.push(Change::UserJoinedGroup { user, group });
    }

    pub(super) fn leave_group(
        &self,
        v: &mut Violations,
        out: &mut Out,
        user: UserId,
        group: GroupId,
    ) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        let Some(u) = self.managed_user(v, out, admin, org, user) else {
            return;
        };
        let Some(g) = v.take(check_known(self.read, group)) else {
            return;
        };
        if v.take(check_known(self.read, Membership { user, group }))
            .is_some()
        {
            v.take(check_manages(
                self.read,
                admin,
                ManageTarget::Department(g.department),
                out.at,
            ));
            v.take(check_user_has_group(
                self.read,
                Some(user),
                &u.groups,
                Some(group),
            ));
            self.check_may_remove_member(v, out, user, u, group);
        }
        let cause = LeaveCause::Removed;
        out.push(Change::UserLeftGroup {
            user,
            group,
            cause,
            rule: cause.rule(),
        });
    }

    /// All or nothing: taking `user` out of `group` revokes the membership, a grant of each
    /// live right the group carries made by whoever added them (`AUTHZ-MEMBER-01`), so the
    /// actor must be allowed to revoke each (`AUTHZ-REVOKE-01`).
    fn check_may_remove_member(
        &self,
        v: &mut Violations,
        out: &Out,
        user: UserId,
        u: &crate::model::User,
        group: GroupId,
    ) {
        let grantor = u.added_by(group).unwrap_or(Actor::Authority);
        for carried in self.grants_of(Grantee::Group(group)) {
            if carried.validity.until.is_some_and(|e| e <= out.at) {
                continue;
            }
            let target = RevokeTarget::Membership {
                user,
                grantor,
                carried,
            };
            v.take(check_may_revoke(self.read, out.actor, target, out.at));
        }
    }

    pub(super) fn deactivate(&self, v: &mut Violations, out: &mut Out, user: UserId) {
        let Some((admin, org)) = self.acting_user(v, out.actor) else {
            return;
        };
        let Some(u) = self.managed_user(v, out, admin, org, user) else {
            return;
        };
        v.take(check_not_primary_admin(self.read, user));
        v.take(check_appointment_chain(
            self.read,
            admin,
            ChainAct::Deactivate(user),
            out.at,
        ));
        // All or nothing: the actor must be allowed to revoke every grant the deactivation
        // revokes directly (`AUTHZ-REVOKE-01`); each one they may not is listed.
        let mut roots = BTreeSet::new();
        for grant in self.grants_of(Grantee::User(user)) {
            // An ended grant gives nothing any more, so no power over it is asked for (as for
            // the rights a group carries, below).
            if grant.validity.until.is_none_or(|e| e > out.at) {
                v.take(check_may_revoke(
                    self.read,
                    out.actor,
                    RevokeTarget::Grant(grant),
                    out.at,
                ));
            }
            roots.insert(grant.id);
        }
        // The rights the user holds through groups end with the deactivation too: the actor
        // must be allowed to take the user out of each group (found by the second attack on
        // issue 12: a form-A co-admin deactivated a user whose form-B right was a group's).
        for group in u.groups.iter().copied() {
            self.check_may_remove_member(v, out, user, u, group);
        }
        out.push(Change::UserDeactivated { user });
        let ceiling = self.ceiling_of(u.organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::GranteeDeactivated,
            u.organisation,
            &ceiling,
            Some(user),
        );
    }

    pub(super) fn acknowledge(&self, v: &mut Violations, out: &mut Out) {
        v.take(check_actor_kind(out.actor, AllowedActor::User));
        let Actor::User(user) = out.actor else {
            return;
        };
        let Some(u) = v.take(check_known(self.read, user)) else {
            return;
        };
        v.take(check_active(u));
        if u.acknowledged_confidentiality.is_none() {
            out.push(Change::ConfidentialityAcknowledged { user });
        }
    }
}
