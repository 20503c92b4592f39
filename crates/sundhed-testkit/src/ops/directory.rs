//! Directory operations: [`DirectoryOp`], the proptest strategy of the state-machine test,
//! and [`Driver`], which runs operations against the standard [`World`](crate::directory::World) and reports the
//! invariants they broke (the directory fuzz target).

mod driver;

pub use driver::Driver;

/// One operation on the directory; every number picks among what exists (or not).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum DirectoryOp {
    /// A grant by `actor` of a right on a department, to a user or a group.
    Grant {
        /// Who grants.
        actor: u8,
        /// To whom.
        grantee: u8,
        /// To a group rather than a user (the driver; the state machine picks by `grantee`).
        to_group: bool,
        /// Which right.
        right: u8,
        /// On which department.
        dept: u8,
        /// Hours until it ends, if it ends.
        until: Option<u8>,
    },
    /// The holder of a user grant hands it on to a user they manage.
    Delegate {
        /// Which held grant.
        pick: u8,
        /// To whom.
        grantee: u8,
    },
    /// A revocation by `actor`.
    Revoke {
        /// Who revokes.
        actor: u8,
        /// Which grant.
        pick: u8,
    },
    /// `actor` appoints `user` co-admin of a form on a department.
    AppointCoAdmin {
        /// Who appoints.
        actor: u8,
        /// Whom.
        user: u8,
        /// Which form.
        form: u8,
        /// On which department.
        dept: u8,
        /// Hours until it ends, if it ends.
        until: Option<u8>,
    },
    /// `actor` removes `user` as co-admin.
    RemoveCoAdmin {
        /// Who removes.
        actor: u8,
        /// Whom.
        user: u8,
    },
    /// `actor` creates a user in a group, with one grant or none.
    CreateUser {
        /// Who creates.
        actor: u8,
        /// The new person's number (the driver; the state machine numbers its own).
        person: u16,
        /// In which group.
        group: u8,
        /// A grant: right and department.
        grant: Option<(u8, u8)>,
    },
    /// `actor` creates up to seven users at once (the driver only).
    CreateUsers {
        /// Who creates.
        actor: u8,
        /// The first new person's number.
        first: u16,
        /// How many (modulo 8).
        count: u8,
        /// In which group.
        group: u8,
        /// The right they all get.
        right: u8,
        /// On which department.
        dept: u8,
    },
    /// `actor` creates a department, under another or at the top (the driver only).
    CreateDepartment {
        /// Who creates.
        actor: u8,
        /// In organisation B rather than A.
        org: bool,
        /// Digits of its SHAK code.
        shak: u16,
        /// Its parent.
        parent: Option<u8>,
    },
    /// `actor` creates a group on a department (the driver only).
    CreateGroup {
        /// Who creates.
        actor: u8,
        /// On which department.
        dept: u8,
        /// Under which group.
        parent: Option<u8>,
    },
    /// `actor` puts `user` in `group`.
    Join {
        /// Who.
        actor: u8,
        /// Whom.
        user: u8,
        /// Which group.
        group: u8,
    },
    /// `actor` takes `user` out of `group`.
    Leave {
        /// Who.
        actor: u8,
        /// Whom.
        user: u8,
        /// Which group.
        group: u8,
    },
    /// `actor` deactivates `user`.
    Deactivate {
        /// Who.
        actor: u8,
        /// Whom.
        user: u8,
    },
    /// `user` acknowledges the duty of confidentiality.
    Acknowledge {
        /// Who.
        user: u8,
    },
    /// The authority sets an organisation's ceiling to the rights in `mask`.
    SetCeiling {
        /// Organisation B rather than A.
        org: bool,
        /// One bit per right.
        mask: u8,
    },
    /// The authority appoints `user` primary admin, of the whole organisation (`dept: None`)
    /// or of one department.
    AppointPrimary {
        /// Organisation B rather than A.
        org: bool,
        /// Whom.
        user: u8,
        /// The department of the scope.
        dept: Option<u8>,
    },
    /// The authority removes `user` as primary admin.
    RemovePrimary {
        /// Organisation B rather than A.
        org: bool,
        /// Whom.
        user: u8,
    },
    /// The authority replaces primary admin `old` by a new person (the driver only).
    ReplacePrimary {
        /// Organisation B rather than A.
        org: bool,
        /// Whom.
        old: u8,
        /// The new person's number.
        person: u16,
        /// The new user's group.
        group: u8,
    },
    /// Time passes.
    Advance {
        /// Hours.
        hours: u8,
    },
}

/// The state-machine test's operations, weighted (the variants it models: no batch, no
/// department or group creation, no replacement).
#[cfg(feature = "proptest")]
pub fn strategy() -> impl proptest::strategy::Strategy<Value = DirectoryOp> {
    use DirectoryOp as Op;
    use proptest::prelude::{Strategy, any, prop_oneof};
    let b = any::<u8>;
    let until = || proptest::option::weighted(0.25, 1u8..12);
    prop_oneof![
        10 => (b(), b(), b(), b(), until()).prop_map(|(actor, grantee, right, dept, until)| Op::Grant { actor, grantee, to_group: false, right, dept, until }),
        8 => (b(), b()).prop_map(|(pick, grantee)| Op::Delegate { pick, grantee }),
        2 => (b(), b()).prop_map(|(actor, pick)| Op::Revoke { actor, pick }),
        4 => (b(), b(), b(), b(), until()).prop_map(|(actor, user, form, dept, until)| Op::AppointCoAdmin { actor, user, form, dept, until }),
        1 => (b(), b()).prop_map(|(actor, user)| Op::RemoveCoAdmin { actor, user }),
        4 => (b(), b(), proptest::option::of((b(), b()))).prop_map(|(actor, group, grant)| Op::CreateUser { actor, person: 0, group, grant }),
        2 => (b(), b(), b()).prop_map(|(actor, user, group)| Op::Join { actor, user, group }),
        1 => (b(), b(), b()).prop_map(|(actor, user, group)| Op::Leave { actor, user, group }),
        1 => (b(), b()).prop_map(|(actor, user)| Op::Deactivate { actor, user }),
        2 => b().prop_map(|user| Op::Acknowledge { user }),
        1 => (any::<bool>(), b(), b(), b()).prop_map(|(org, m1, m2, m3)| Op::SetCeiling { org, mask: m1 | m2 | m3 }),
        1 => (any::<bool>(), b(), proptest::option::of(b())).prop_map(|(org, user, dept)| Op::AppointPrimary { org, user, dept }),
        1 => (any::<bool>(), b()).prop_map(|(org, user)| Op::RemovePrimary { org, user }),
        2 => (1u8..6).prop_map(|hours| Op::Advance { hours }),
    ]
}
