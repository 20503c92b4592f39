//! The rules, one `check_*` function each, with their ids.
//!
//! Structure rules (references, uniqueness, organisations, actors, departments, groups,
//! admins) are in `checks/structure.rs`; delegation rules (D1–D5 of
//! `shared/design/delegation-invariants.md`) in `checks/delegation.rs`; the decision rules
//! (time, confidentiality, default deny) next to `check` in `decision.rs`. The ids themselves
//! are in the leaf module `rules.rs`.

mod delegation;
mod named;
mod outcomes;
mod state;
mod structure;

pub(crate) use delegation::{
    ChainAct, GrantorStanding, Handing, ManageTarget, RevokeTarget, check_appointment_chain,
    check_ceiling, check_grantor_holds, check_group_holds_no_admin_right, check_interval,
    check_manages, check_may_revoke, check_membership_support, check_not_self_grant, check_scope,
    check_support, support_of,
};
pub(crate) use named::{
    AdminRightOf, CoAdminAppointment, Membership, NamedInCommand, PrimaryAppointment, Unique,
};
pub(crate) use outcomes::{IdKind, check_appointment_named, check_ids_left};
pub(crate) use state::check_computed_on;
pub(crate) use structure::{
    AllowedActor, check_active, check_actor_kind, check_certificate_organisation,
    check_department_nesting, check_form_definition, check_forward_in_time,
    check_keeps_primary_admin, check_known, check_may_create_department, check_not_primary_admin,
    check_same_organisation, check_unique, check_user_has_group,
};
