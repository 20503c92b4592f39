//! The id of every rule this crate enforces, one `const` each, documented with the rule's
//! sentence from `docs/rules.md` (where each row also gives its source, its one enforcing
//! function and its tests).
//!
//! Each const is named after its id: the name begins with the id's middle part (its family,
//! `AUTHZ-HOLD-01` is [`HOLD`], `AUTHZ-TIME-02` is [`TIME_INTERVAL`]), followed by what the rule
//! asks where the family has several rules or the part alone says little. Each const's
//! documentation begins with its id, and [`ALL`] lists them in the order of `docs/rules.md`.
//! This module is a leaf: it imports nothing of the crate, so every other module may name a
//! rule without a cycle.

use sundhed_identity::RuleId;

/// `AUTHZ-REF-01`: A command names only forms, rights, organisations, departments, groups, users,
/// memberships and grants that exist; `check` denies requests naming unknown ones.
pub const REF_KNOWN: RuleId = RuleId::new("AUTHZ-REF-01");

/// `AUTHZ-UNIQ-01`: A CVR is registered once; a form code, SHAK code, SOR id and certificate
/// holder id name one thing; a person has one active user per organisation; a membership or
/// primary appointment is not made twice.
pub const UNIQUE: RuleId = RuleId::new("AUTHZ-UNIQ-01");

/// `AUTHZ-IDS-01`: The directory hands out each id once: a command that would need a form,
/// department, group, user or grant id past the last one is refused, never given an id already
/// in use.
pub const IDS_FRESH: RuleId = RuleId::new("AUTHZ-IDS-01");

/// `AUTHZ-ORG-01`: A command acts within one organisation: the users, groups, departments and
/// grants it names belong to the acting admin's organisation, and a department's or group's parent
/// to the same organisation.
pub const ORG_SAME: RuleId = RuleId::new("AUTHZ-ORG-01");

/// `AUTHZ-ACTOR-01`: Authority commands (forms, organisations, ceilings, primary admins) come from
/// the authority; administration and acknowledgement come from a user; the authority never grants
/// rights to users.
pub const ACTOR_KIND: RuleId = RuleId::new("AUTHZ-ACTOR-01");

/// `AUTHZ-USER-01`: A deactivated user gives no commands, receives no grants, joins no groups and
/// is allowed nothing.
pub const USER_ACTIVE: RuleId = RuleId::new("AUTHZ-USER-01");

/// `AUTHZ-CERT-01`: A user's certificates are issued for the user's organisation: each holder
/// id's CVR is the organisation's CVR.
pub const CERT_ORGANISATION: RuleId = RuleId::new("AUTHZ-CERT-01");

/// `AUTHZ-FORM-01`: A form or service has at least one right, distinct right codes and exactly one
/// right to administer users.
pub const FORM_DEFINITION: RuleId = RuleId::new("AUTHZ-FORM-01");

/// `AUTHZ-DEPT-01`: A department has a SHAK code or a SOR id; its parent belongs to the same
/// organisation; with SHAK codes on both, the parent's code strictly contains the child's;
/// departments nest at most 64 levels deep.
pub const DEPT_NESTING: RuleId = RuleId::new("AUTHZ-DEPT-01");

/// `AUTHZ-DEPT-02`: Departments are created by the authority, or by a primary admin of the
/// organisation whose scope covers the parent (all departments, for a top-level one).
pub const DEPT_CREATE: RuleId = RuleId::new("AUTHZ-DEPT-02");

/// `AUTHZ-GROUP-01`: Every user is a member of at least one group keyed by a department: creating
/// a user without a group or leaving the last group is refused.
pub const GROUP_REQUIRED: RuleId = RuleId::new("AUTHZ-GROUP-01");

/// `AUTHZ-GROUP-02`: Admin rights are held by users only: no admin right (`administers_users`)
/// is granted to a group, and one a group holds (from an older log) allows no member anything.
pub const GROUP_NO_ADMIN_RIGHT: RuleId = RuleId::new("AUTHZ-GROUP-02");

/// `AUTHZ-ADMIN-01`: An organisation always has at least one primary admin: removing the last one
/// is refused (replace it instead).
pub const ADMIN_KEEPS_PRIMARY: RuleId = RuleId::new("AUTHZ-ADMIN-01");

/// `AUTHZ-ADMIN-02`: A primary admin cannot be deactivated by an admin; the authority removes or
/// replaces the appointment first.
pub const ADMIN_NOT_DEACTIVATED: RuleId = RuleId::new("AUTHZ-ADMIN-02");

/// `AUTHZ-MANAGE-01`: An admin creates groups and users, grants to users and groups, adds users to
/// groups and deactivates users only in departments they administer (primary scope or a live
/// admin-right grant); they manage a user one of whose groups is keyed by such a department.
pub const MANAGES: RuleId = RuleId::new("AUTHZ-MANAGE-01");

/// `AUTHZ-CEIL-01`: Every right granted in an organisation, to a user or a group, lies in the
/// ceiling the authority set for it; lowering the ceiling revokes the grants of rights left out,
/// with their dependants.
pub const CEILING: RuleId = RuleId::new("AUTHZ-CEIL-01");

/// `AUTHZ-HOLD-01`: A co-admin hands down only a right they hold by a direct live grant covering
/// the department for the whole new interval (a primary admin holds the ceiling); this applies to
/// every right, and to every right a group carries when a user is added to it.
pub const HOLD: RuleId = RuleId::new("AUTHZ-HOLD-01");

/// `AUTHZ-SCOPE-01`: A grant lies within its grantor's admin scope: a primary admin's departments
/// and forms, or the departments on which a co-admin holds the form's admin right for the whole
/// new interval; so a co-admin's scope lies within the appointer's along every chain.
pub const SCOPE: RuleId = RuleId::new("AUTHZ-SCOPE-01");

/// `AUTHZ-SUPPORT-01`: A grant lives only while one of its recorded supports lives (a primary
/// admin's grant: the organisation's mandate, which holds while its right stays in the ceiling,
/// `AUTHZ-CEIL-01`; a co-admin's grant: one admin-right grant and one held grant of its grantor);
/// revoking cascades to grants left without support, and grants with another live support
/// survive.
pub const SUPPORT: RuleId = RuleId::new("AUTHZ-SUPPORT-01");

/// `AUTHZ-MEMBER-01`: A membership is a grant of the rights its group carries: it records its
/// grantor (the acting admin, or the authority), and when a co-admin grantor loses the standing
/// that let them hand a right of the group down (removal, resignation, revocation, deactivation,
/// the ceiling), the memberships they added that bring that right end, unless it is the user's
/// last group (`AUTHZ-GROUP-01`); a primary admin's memberships rest on the organisation, as
/// their grants do.
pub const MEMBER_SUPPORT: RuleId = RuleId::new("AUTHZ-MEMBER-01");

/// `AUTHZ-REVOKE-01`: A grant is revoked by a primary admin whose scope covers it, by its
/// grantor or an admin above the grantor in the appointment chain of its form while they
/// administer its form on its department, or by the authority; support edges (who gave whom a
/// copy of a right) confer no power to revoke, and removed admins revoke nothing. Deactivating a
/// user revokes their grants: it is refused unless the actor may revoke every one. Taking a user
/// out of a group revokes the membership: it is refused unless the actor may revoke, for each
/// right the group carries, a grant of it made by the membership's grantor.
pub const REVOKE: RuleId = RuleId::new("AUTHZ-REVOKE-01");

/// `AUTHZ-APPOINT-01`: The appointment chain (who appointed whom) runs down from the primary
/// admins: nobody appoints a primary admin co-admin; a user who already is a co-admin is
/// appointed further only by a primary admin or an admin above them; and an admin never
/// deactivates an admin above them.
pub const APPOINTMENT_CHAIN: RuleId = RuleId::new("AUTHZ-APPOINT-01");

/// `AUTHZ-APPOINT-02`: A co-admin appointment names at least one form and at least one
/// department; one naming none is refused rather than accepted as a silent no-op.
pub const APPOINT_NAMED: RuleId = RuleId::new("AUTHZ-APPOINT-02");

/// `AUTHZ-SELF-01`: An admin grants nothing to themself: no grant or co-admin appointment to
/// them, no grant to a group they are a member of, and they add themself to no group.
pub const SELF_GRANT: RuleId = RuleId::new("AUTHZ-SELF-01");

/// `AUTHZ-TIME-01`: A grant counts at time `t` only if `t` lies in `[valid_from, valid_until)`;
/// `t` is the query's argument, never the clock.
pub const TIME_LIVE: RuleId = RuleId::new("AUTHZ-TIME-01");

/// `AUTHZ-TIME-02`: A new grant's interval `[valid_from, valid_until)` starts no earlier than the
/// command and is not empty (that it also lies within its supports' intervals is part of
/// `AUTHZ-HOLD-01` and `AUTHZ-SCOPE-01`).
pub const TIME_INTERVAL: RuleId = RuleId::new("AUTHZ-TIME-02");

/// `AUTHZ-CONF-01`: A right marked as showing personal data is denied until the user has
/// acknowledged the duty of confidentiality, at or before the query's time.
pub const CONFIDENTIALITY: RuleId = RuleId::new("AUTHZ-CONF-01");

/// `AUTHZ-DECIDE-01`: A request is allowed only if some grant determines it (live, of the right,
/// covering the department, held directly or through a group) and no other rule denies it;
/// otherwise it is denied, and the reasons are non-empty exactly when it is allowed.
pub const DECIDE: RuleId = RuleId::new("AUTHZ-DECIDE-01");

/// `AUTHZ-TIME-03`: Time moves forward: a command dated before the directory's latest event is
/// refused.
pub const TIME_FORWARD: RuleId = RuleId::new("AUTHZ-TIME-03");

/// `AUTHZ-STATE-01`: Events apply only to the directory version they were computed on: a batch
/// of events handled on a directory that has changed since is refused as a whole, never applied
/// to a state its checks did not see.
pub const STATE: RuleId = RuleId::new("AUTHZ-STATE-01");

/// Every rule of this crate, in the order of `docs/rules.md`.
pub const ALL: [RuleId; 30] = [
    REF_KNOWN,
    UNIQUE,
    IDS_FRESH,
    ORG_SAME,
    ACTOR_KIND,
    USER_ACTIVE,
    CERT_ORGANISATION,
    FORM_DEFINITION,
    DEPT_NESTING,
    DEPT_CREATE,
    GROUP_REQUIRED,
    GROUP_NO_ADMIN_RIGHT,
    ADMIN_KEEPS_PRIMARY,
    ADMIN_NOT_DEACTIVATED,
    MANAGES,
    CEILING,
    HOLD,
    SCOPE,
    SUPPORT,
    MEMBER_SUPPORT,
    REVOKE,
    APPOINTMENT_CHAIN,
    APPOINT_NAMED,
    SELF_GRANT,
    TIME_LIVE,
    TIME_INTERVAL,
    TIME_FORWARD,
    STATE,
    CONFIDENTIALITY,
    DECIDE,
];

/// The rule of this crate with the id `id`, as `docs/rules.md` writes it.
#[must_use]
pub fn by_id(id: &str) -> Option<RuleId> {
    ALL.into_iter().find(|r| r.as_str() == id)
}
