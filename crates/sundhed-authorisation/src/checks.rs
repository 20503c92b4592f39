//! The rules, one `check_*` function each, with their ids.
//!
//! Structure rules (references, uniqueness, organisations, actors, departments, groups,
//! admins) are in `rules/structure.rs`; delegation rules (D1–D5 of
//! `shared/design/delegation-invariants.md`) in `rules/delegation.rs`; the decision rules
//! (time, confidentiality, default deny) next to `check` in `decision.rs`.

mod delegation;
mod structure;

pub(crate) use delegation::{
    ManageTarget, check_ceiling, check_grantor_holds, check_interval, check_manages,
    check_may_revoke, check_scope, check_support,
};
pub(crate) use structure::{
    AllowedActor, check_active, check_actor_kind, check_department_nesting, check_form_definition,
    check_keeps_primary_admin, check_known, check_may_create_department, check_not_primary_admin,
    check_same_organisation, check_unique, check_user_has_group,
};

/// The ids of every rule this crate enforces, for callers that match on them.
pub mod ids {
    pub use super::delegation::{
        CEILING, GRANTOR_HOLDS, INTERVAL, MANAGES, MAY_REVOKE, SCOPE, SUPPORT,
    };
    pub use super::structure::{
        ACTIVE, ACTOR_KIND, DEPARTMENT_NESTING, FORM_DEFINITION, KEEPS_PRIMARY_ADMIN, KNOWN,
        MAY_CREATE_DEPARTMENT, NOT_PRIMARY_ADMIN, SAME_ORGANISATION, UNIQUE, USER_HAS_GROUP,
    };
    pub use crate::decision::{CONFIDENTIALITY, LIVE_AT, PERMITTED};
}
