//! Shorthands on [`World`]: a command by a user or the authority at [`t0`], and the commands
//! tests give most (grants to a user, appointments, group changes, a member with grants).

use sundhed_authorisation::{
    Actor, DepartmentId, DirectoryCommand, DirectoryEvent, FormId, GrantId, GrantSpec, Grantee,
    GroupId, Refusal, RightId, UserId,
};

use super::{World, t0};
use crate::error::TestkitError;

impl World {
    /// [`World::run`] by `user` at [`t0`].
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn by(
        &mut self,
        user: UserId,
        command: DirectoryCommand,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        self.run(Actor::User(user), command, t0())
    }

    /// [`World::run`] by the authority at [`t0`].
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn authority(&mut self, command: DirectoryCommand) -> Result<Vec<DirectoryEvent>, Refusal> {
        self.run(Actor::Authority, command, t0())
    }

    /// [`World::grant`] by `by` to user `to` of `right` on `department`, at [`t0`].
    ///
    /// # Errors
    /// [`TestkitError::Refused`] with the directory's refusal.
    pub fn give(
        &mut self,
        by: UserId,
        to: UserId,
        right: RightId,
        department: DepartmentId,
    ) -> Result<GrantId, TestkitError> {
        self.grant(
            by,
            Grantee::User(to),
            GrantSpec::new(right, department),
            t0(),
        )
    }

    /// [`World::run`] by `by` at [`t0`]: appoints `user` co-admin of `forms` on `departments`,
    /// without an end.
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn appoint(
        &mut self,
        by: UserId,
        user: UserId,
        forms: &[FormId],
        departments: &[DepartmentId],
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        let command = DirectoryCommand::AppointCoAdmin {
            user,
            forms: forms.to_vec(),
            departments: departments.to_vec(),
            valid_until: None,
        };
        self.by(by, command)
    }

    /// [`World::run`] by `by` at [`t0`]: puts `user` in `group`.
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn join(
        &mut self,
        by: UserId,
        user: UserId,
        group: GroupId,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        self.by(by, DirectoryCommand::JoinGroup { user, group })
    }

    /// [`World::run`] by `by` at [`t0`]: takes `user` out of `group`.
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn leave(
        &mut self,
        by: UserId,
        user: UserId,
        group: GroupId,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        self.by(by, DirectoryCommand::LeaveGroup { user, group })
    }

    /// [`World::grant`] by `by` to user `to`, at [`t0`].
    ///
    /// # Errors
    /// [`TestkitError::Refused`] with the directory's refusal.
    pub fn grant_user(
        &mut self,
        by: UserId,
        to: UserId,
        spec: GrantSpec,
    ) -> Result<GrantId, TestkitError> {
        self.grant(by, Grantee::User(to), spec, t0())
    }

    /// [`World::user`] by A's primary admin, in `group`, with a grant of each (right,
    /// department).
    ///
    /// # Errors
    /// [`TestkitError::Refused`] with the directory's refusal.
    pub fn member(
        &mut self,
        group: GroupId,
        grants: &[(RightId, DepartmentId)],
    ) -> Result<UserId, TestkitError> {
        let grants = grants.iter().map(|(r, d)| GrantSpec::new(*r, *d)).collect();
        self.user(self.admin_a, group, grants)
    }
}
