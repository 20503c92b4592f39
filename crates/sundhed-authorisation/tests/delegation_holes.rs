//! Issue 13, items 1–3: the directory's delegation holes an adversary found through the public
//! API. Each test first builds the attack, then shows it fail closed: refused with its rule
//! ids, the directory unchanged (the world's refusal check compares it whole).
//!
//! - Deactivation obeys who-may-revoke (`AUTHZ-REVOKE-01`) and the appointment chain
//!   (`AUTHZ-APPOINT-01`).
//! - Admin power ends with the appointment: no self-grants (`AUTHZ-SELF-01`), no revoking
//!   after removal (`AUTHZ-REVOKE-01`).
//! - "Above" is the appointment chain, not support edges anyone can add (`AUTHZ-REVOKE-01`,
//!   `AUTHZ-APPOINT-01`).

use sundhed_authorisation::{
    Actor, AdminScope, Appointee, Change, DirectoryCommand, DirectoryEvent, GrantId, GrantSpec,
    Grantee, RevocationCause, ScopeSet, Support, UserId, Validity, rules,
};
use sundhed_identity::Refusal;

use crate::fixtures::{World, new_user, t0, world};

/// The ids of `user`'s own grants.
fn grants_of(w: &World, user: UserId) -> Vec<GrantId> {
    w.dir
        .grants_of(Grantee::User(user))
        .map(|g| g.id())
        .collect()
}

/// How many violations of `rule` the refusal lists.
fn count(refusal: &Refusal, rule: sundhed_identity::RuleId) -> usize {
    refusal
        .violations()
        .iter()
        .filter(|v| v.rule() == rule)
        .count()
}

fn deactivate(w: &mut World, by: UserId, user: UserId) -> Result<(), Refusal> {
    w.by(by, DirectoryCommand::DeactivateUser { user })
        .map(|_| ())
}

/// Item 1: a co-admin B appointed by A deactivates A (A sits in a group of B's department),
/// which revoked A's grants and, in cascade, B's own. Now refused: B may revoke none of A's
/// grants (each listed under `AUTHZ-REVOKE-01`), and A is above B (`AUTHZ-APPOINT-01`).
#[test]
fn authz_revoke_01_an_appointee_does_not_deactivate_their_appointer() {
    let mut w = world();
    let a = w.co_admin(w.dept1, w.g_section, &[w.psych_read]).unwrap();
    let b = w
        .user(
            a,
            w.g_section,
            vec![GrantSpec::new(w.psych_read, w.section)],
        )
        .unwrap();
    w.appoint(a, b, &[w.psych_admin.form()], &[w.section])
        .unwrap();
    assert!(w.dir.manageable_users(b, t0()).contains(&a));
    let held_by_a = grants_of(&w, a);
    let refusal = deactivate(&mut w, b, a).unwrap_err();
    assert_eq!(
        refusal.rules(),
        vec![rules::APPOINTMENT_CHAIN, rules::REVOKE],
        "{refusal}"
    );
    assert_eq!(count(&refusal, rules::REVOKE), held_by_a.len());
    let message = refusal.to_string();
    for g in &held_by_a {
        assert!(message.contains(&format!("{g} of ")), "{g} in {message}");
    }
    assert!(w.dir.user(a).unwrap().is_active());
    // A may deactivate B: A appointed B and granted everything B holds.
    deactivate(&mut w, a, b).unwrap();
}

/// Item 1: a co-admin of form A deactivated a user and so removed their service-B grants.
/// Now refused, listing exactly the grant the co-admin may not revoke; without it, allowed.
#[test]
fn authz_revoke_01_deactivation_needs_power_over_every_grant_it_revokes() {
    let mut w = world();
    let co = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    w.appoint(w.admin_a, co, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let somatic = w.give(w.admin_a, u, w.som_report, w.dept1).unwrap();
    let refusal = deactivate(&mut w, co, u).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    assert_eq!(count(&refusal, rules::REVOKE), 1);
    assert!(
        refusal.to_string().contains(&format!("{somatic} of ")),
        "{refusal}"
    );
    assert!(w.dir.grant(somatic).is_some());
    // Once the primary admin takes the somatic grant back, the co-admin may deactivate.
    w.by(w.admin_a, DirectoryCommand::Revoke { grant: somatic })
        .unwrap();
    deactivate(&mut w, co, u).unwrap();
}

/// Item 1: a primary admin scoped to form A deactivated an administrator of service B. Now
/// refused: their scope does not cover the form-B grants.
#[test]
fn authz_revoke_01_a_primary_admin_of_one_form_does_not_deactivate_an_admin_of_another() {
    let mut w = world();
    let scoped = w.member(w.g_dept2, &[]).unwrap();
    w.authority(DirectoryCommand::AppointPrimaryAdmin {
        organisation: w.a,
        appointee: Appointee::Existing { user: scoped },
        scope: AdminScope {
            departments: ScopeSet::All,
            forms: ScopeSet::Only([w.psych_admin.form()].into()),
        },
    })
    .unwrap();
    let som = w.member(w.g_dept1, &[(w.som_report, w.dept1)]).unwrap();
    w.appoint(w.admin_a, som, &[w.som_admin.form()], &[w.dept1])
        .unwrap();
    assert!(w.dir.manageable_users(scoped, t0()).contains(&som));
    let refusal = deactivate(&mut w, scoped, som).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    assert_eq!(count(&refusal, rules::REVOKE), grants_of(&w, som).len());
    // The primary admin of the whole organisation may.
    let admin_a = w.admin_a;
    deactivate(&mut w, admin_a, som).unwrap();
}

/// Item 1: an admin never deactivates an admin above them, even one who holds no grant the
/// deactivation would revoke; a primary admin only after the authority removed them.
#[test]
fn authz_appoint_01_an_admin_never_deactivates_an_admin_above_them() {
    let mut w = world();
    let a = w.co_admin(w.dept1, w.g_section, &[w.psych_read]).unwrap();
    let b = w
        .user(
            a,
            w.g_section,
            vec![GrantSpec::new(w.psych_read, w.section)],
        )
        .unwrap();
    w.appoint(a, b, &[w.psych_admin.form()], &[w.section])
        .unwrap();
    let refusal = deactivate(&mut w, b, a).unwrap_err();
    assert!(refusal.broke(rules::APPOINTMENT_CHAIN), "{refusal}");
    assert!(refusal.to_string().contains("above"), "{refusal}");
    // Nor a primary admin (AUTHZ-ADMIN-02), unchanged.
    let admin_a = w.admin_a;
    let refusal = deactivate(&mut w, b, admin_a).unwrap_err();
    assert!(refusal.broke(rules::ADMIN_NOT_DEACTIVATED) || refusal.broke(rules::MANAGES));
}

/// Item 2: a primary admin appointed themself co-admin (accepted) and granted themself
/// rights; after being replaced they still granted, managed and revoked through those grants.
/// Now an admin grants nothing to themself.
#[test]
fn authz_self_01_a_primary_admin_does_not_appoint_or_grant_to_themself() {
    let mut w = world();
    let refusal = w
        .appoint(w.admin_a, w.admin_a, &[w.psych_admin.form()], &[w.hospital])
        .unwrap_err();
    assert!(refusal.broke(rules::SELF_GRANT), "{refusal}");
    let refusal = w
        .give(w.admin_a, w.admin_a, w.psych_read, w.hospital)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::SELF_GRANT], "{refusal}");
    // Nor through a group they are a member of, nor by joining a group.
    let refusal = w
        .grant(
            w.admin_a,
            Grantee::Group(w.g_hospital),
            GrantSpec::new(w.psych_read, w.hospital),
            t0(),
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::SELF_GRANT], "{refusal}");
    let refusal = w.join(w.admin_a, w.admin_a, w.g_dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::SELF_GRANT], "{refusal}");
    assert!(grants_of(&w, w.admin_a).is_empty());
}

/// Item 2, the full attack: after `ReplacePrimaryAdmin` the old admin has no power left: they
/// grant, manage and revoke nothing (the grants they made as primary admin stay).
#[test]
fn authz_revoke_01_a_replaced_primary_admin_keeps_no_power() {
    let mut w = world();
    let old = w.admin_a;
    let u = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    let made = grants_of(&w, u)[0];
    w.authority(DirectoryCommand::ReplacePrimaryAdmin {
        organisation: w.a,
        old,
        new: Appointee::New {
            user: new_user(700),
            groups: vec![w.g_hospital],
        },
        scope: AdminScope::whole_organisation(),
    })
    .unwrap();
    assert!(
        w.dir.grant(made).is_some(),
        "the organisation keeps its grants"
    );
    let refusal = w
        .by(old, DirectoryCommand::Revoke { grant: made })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    let refusal = w.give(old, u, w.psych_report, w.dept1).unwrap_err();
    assert!(refusal.broke(rules::SCOPE), "{refusal}");
    assert!(w.dir.manageable_users(old, t0()).is_empty());
    let refusal = deactivate(&mut w, old, u).unwrap_err();
    assert!(refusal.broke(rules::MANAGES), "{refusal}");
}

/// Item 2: a removed primary admin could still revoke every grant they ever made, with full
/// cascade. Now refused; the remaining primary admin may.
#[test]
fn authz_revoke_01_a_removed_primary_admin_does_not_revoke_what_they_granted() {
    let mut w = world();
    let second = w.member(w.g_dept2, &[]).unwrap();
    w.authority(DirectoryCommand::AppointPrimaryAdmin {
        organisation: w.a,
        appointee: Appointee::Existing { user: second },
        scope: AdminScope::whole_organisation(),
    })
    .unwrap();
    let co = w
        .user(
            second,
            w.g_dept1,
            vec![GrantSpec::new(w.psych_read, w.dept1)],
        )
        .unwrap();
    w.appoint(second, co, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let appointment = grants_of(&w, co)
        .into_iter()
        .find(|g| w.dir.grant(*g).unwrap().right() == w.psych_admin)
        .unwrap();
    w.by(second, DirectoryCommand::Revoke { grant: appointment })
        .map(|_| ())
        .unwrap_or_else(|r| panic!("while primary admin: {r}"));
    w.appoint(second, co, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let appointment = grants_of(&w, co)
        .into_iter()
        .find(|g| w.dir.grant(*g).unwrap().right() == w.psych_admin)
        .unwrap();
    w.authority(DirectoryCommand::RemovePrimaryAdmin {
        organisation: w.a,
        user: second,
    })
    .unwrap();
    let refusal = w
        .by(second, DirectoryCommand::Revoke { grant: appointment })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    let refusal = w
        .by(second, DirectoryCommand::RemoveCoAdmin { user: co })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    w.by(w.admin_a, DirectoryCommand::Revoke { grant: appointment })
        .unwrap();
}

/// Item 2: removing a co-admin ends what rested on the appointment: they no longer grant,
/// manage, or revoke the grants they made that survive on another support.
#[test]
fn authz_revoke_01_a_removed_co_admin_keeps_no_power() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    w.by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: co })
        .unwrap();
    let refusal = w.give(co, u, w.psych_read, w.dept1).unwrap_err();
    assert!(refusal.broke(rules::SCOPE), "{refusal}");
    assert_eq!(w.dir.manageable_users(co, t0()), Vec::<UserId>::new());
    let refusal = deactivate(&mut w, co, u).unwrap_err();
    assert!(refusal.broke(rules::MANAGES), "{refusal}");
}

/// Item 3: a peer who gave an admin a redundant copy of a right became "above" every later
/// grant that admin made, and could revoke them. Support edges give no revoke power now.
#[test]
fn authz_revoke_01_revoke_power_cannot_be_bought_with_a_redundant_right() {
    let mut w = world();
    let co1 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let co2 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    // co2 gives co1 a redundant copy of the read right: it becomes a support of co1's grants.
    w.give(co2, co1, w.psych_read, w.dept1).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let g = w.give(co1, u, w.psych_read, w.dept1).unwrap();
    let refusal = w
        .by(co2, DirectoryCommand::Revoke { grant: g })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    assert!(w.dir.grant(g).is_some());
    // The grantor and the primary admin still may.
    w.by(co1, DirectoryCommand::Revoke { grant: g }).unwrap();
}

/// Item 3: nor by a redundant appointment: a peer may not appoint a co-admin someone else
/// appointed (that would make the peer "above" them), nor anyone above themself.
#[test]
fn authz_appoint_01_revoke_power_cannot_be_bought_with_a_redundant_appointment() {
    let mut w = world();
    let co1 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let co2 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let refusal = w
        .appoint(co2, co1, &[w.psych_admin.form()], &[w.dept1])
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::APPOINTMENT_CHAIN], "{refusal}");
    // The same through a plain grant of the admin right.
    let refusal = w.give(co2, co1, w.psych_admin, w.section).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::APPOINTMENT_CHAIN], "{refusal}");
    // An appointee never appoints their appointer (no cycles).
    let below = w
        .user(co1, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    w.appoint(co1, below, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let refusal = w
        .appoint(below, co1, &[w.psych_admin.form()], &[w.dept1])
        .unwrap_err();
    assert!(refusal.broke(rules::APPOINTMENT_CHAIN), "{refusal}");
    // Nobody appoints a primary admin co-admin: the authority sets their scope.
    let refusal = w
        .appoint(co1, w.admin_a, &[w.psych_admin.form()], &[w.dept1])
        .unwrap_err();
    assert!(refusal.broke(rules::APPOINTMENT_CHAIN), "{refusal}");
    // The appointer, and whoever is above them, may extend an appointment.
    w.appoint(co1, below, &[w.psych_admin.form()], &[w.section])
        .unwrap();
    w.appoint(w.admin_a, below, &[w.som_admin.form()], &[w.dept1])
        .unwrap();
}

/// Item 3, the chain itself: an admin above the grantor in the appointment chain (two levels
/// up) may revoke, in scope; the grantor's appointee may not revoke the grantor's grants.
#[test]
fn authz_revoke_01_above_means_the_appointment_chain() {
    let mut w = world();
    let top = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let mid = w
        .user(top, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    w.appoint(top, mid, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let low = w
        .user(mid, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    w.appoint(mid, low, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let by_low = w.give(low, u, w.psych_read, w.dept1).unwrap();
    let by_mid = w.give(mid, u, w.psych_read, w.section).unwrap();
    // low is below mid: may not revoke mid's grant.
    let refusal = w
        .by(low, DirectoryCommand::Revoke { grant: by_mid })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    // top is two levels above low: may.
    w.by(top, DirectoryCommand::Revoke { grant: by_low })
        .unwrap();
    w.by(top, DirectoryCommand::Revoke { grant: by_mid })
        .unwrap();
}

/// A refused deactivation changes nothing, and the batch agrees with one-by-one handling.
#[test]
fn authz_revoke_01_a_refused_deactivation_changes_nothing() {
    let mut w = world();
    let a = w.co_admin(w.dept1, w.g_section, &[w.psych_read]).unwrap();
    let b = w
        .user(
            a,
            w.g_section,
            vec![GrantSpec::new(w.psych_read, w.section)],
        )
        .unwrap();
    w.appoint(a, b, &[w.psych_admin.form()], &[w.section])
        .unwrap();
    let before = w.dir.clone();
    let command = DirectoryCommand::DeactivateUser { user: a };
    let mut batch = w.dir.batch(t0());
    let in_batch = batch.handle(Actor::User(b), &command).unwrap_err();
    let alone = w.by(b, command).unwrap_err();
    assert_eq!(in_batch.to_string(), alone.to_string());
    assert_eq!(w.dir, before);
}

/// Item 2, for logs written before `AUTHZ-SELF-01`: a primary admin's self-appointment and
/// self-grants are revoked when the authority replaces them, so nothing of their power
/// survives the appointment.
#[test]
fn authz_self_01_replacing_a_primary_admin_revokes_their_old_self_grants() {
    let mut w = world();
    let old = w.admin_a;
    let u = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    let next = w.dir.grants().map(|g| g.id().get()).max().unwrap() + 1;
    let self_grants = [GrantId::new(next), GrantId::new(next + 1)];
    for (grant, right) in self_grants.into_iter().zip([w.psych_admin, w.psych_read]) {
        w.dir.apply(&DirectoryEvent::new(
            t0(),
            Actor::User(old),
            Change::GrantIssued {
                grant,
                organisation: w.a,
                grantee: Grantee::User(old),
                right,
                department: w.hospital,
                validity: Validity {
                    from: t0(),
                    until: None,
                },
                support: Support::Organisation,
            },
        ));
    }
    let events = w
        .authority(DirectoryCommand::ReplacePrimaryAdmin {
            organisation: w.a,
            old,
            new: Appointee::New {
                user: new_user(701),
                groups: vec![w.g_hospital],
            },
            scope: AdminScope::whole_organisation(),
        })
        .unwrap();
    let revoked: Vec<_> = events
        .iter()
        .filter_map(|e| match e.change {
            Change::GrantRevoked { grant, cause, .. } => Some((grant, cause)),
            _ => None,
        })
        .collect();
    assert_eq!(
        revoked,
        self_grants.map(|g| (g, RevocationCause::Revoked)).to_vec()
    );
    assert!(grants_of(&w, old).is_empty());
    let refusal = w.give(old, u, w.psych_read, w.dept1).unwrap_err();
    assert!(refusal.broke(rules::SCOPE), "{refusal}");
    assert!(w.dir.manageable_users(old, t0()).is_empty());
    assert!(!w.allowed(old, w.psych_read, w.hospital, t0()));
}

/// Found by the second attack on issue 12: a co-admin of form A deactivated a user whose only
/// rights were a form-B grant to their group, so the user lost a right the co-admin could
/// never have revoked. Deactivation now needs the power to take the user out of each group.
#[test]
fn authz_revoke_01_deactivation_needs_power_over_the_rights_of_the_users_groups() {
    let mut w = world();
    let events = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateGroup {
                department: w.dept1,
                name: "somatisk".into(),
                parent: None,
            },
        )
        .unwrap();
    let somatic_group = events
        .iter()
        .find_map(|e| match &e.change {
            Change::GroupCreated { group, .. } => Some(*group),
            _ => None,
        })
        .unwrap();
    w.by(
        w.admin_a,
        DirectoryCommand::Grant {
            grantee: Grantee::Group(somatic_group),
            grant: GrantSpec::new(w.som_report, w.dept1),
        },
    )
    .unwrap();
    let u = w.user(w.admin_a, somatic_group, vec![]).unwrap();
    assert!(grants_of(&w, u).is_empty(), "only the group's right");
    let co = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    w.appoint(w.admin_a, co, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let refusal = deactivate(&mut w, co, u).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    assert!(w.dir.user(u).unwrap().is_active());
    // The primary admin, who could revoke the group's right, may.
    let primary = w.admin_a;
    deactivate(&mut w, primary, u).unwrap();
}
