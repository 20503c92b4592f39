//! Issue 13, item 6: memberships are grants in every respect. An adversary found that a group
//! join bringing rights counted as a grant when made, but recorded no grantor and never
//! cascaded; that `LeaveGroup` needed no power over what the group carries; and that an admin
//! right granted to a group let `check` allow members the admin model lets administer nothing.
//! Each test builds the attack through the public API, then shows it fail closed: refused with
//! its rule ids and the directory unchanged (the world's refusal check compares it whole), or
//! the membership ended in cascade with its rule on the event.

use sundhed_authorisation::{
    Actor, Change, DirectoryCommand, DirectoryEvent, GrantId, Grantee, GroupId, LeaveCause,
    Support, UserId, Validity, rules,
};

use crate::fixtures::{World, t0, world};

/// A grants psych-read on `dept1` to the group of `dept1`; a co-admin K (psych and somatic, on
/// `dept1`, holding psych-read there, in the section's group); a user U in the section's group,
/// whom K adds to the group of `dept1`. Gives (K, U).
fn co_admin_adds_member(w: &mut World) -> (UserId, UserId) {
    let (read, dept1, g_dept1) = (w.psych_read, w.dept1, w.g_dept1);
    w.grant(
        w.admin_a,
        Grantee::Group(g_dept1),
        sundhed_authorisation::GrantSpec::new(read, dept1),
        t0(),
    )
    .unwrap();
    let k = w.co_admin(dept1, w.g_section, &[read]).unwrap();
    let u = w.member(w.g_section, &[]).unwrap();
    w.join(k, u, g_dept1).unwrap();
    assert!(w.allowed(u, read, dept1, t0()));
    (k, u)
}

/// The memberships the events end, with cause and rule.
fn left(events: &[DirectoryEvent]) -> Vec<(UserId, GroupId, LeaveCause, Option<&str>)> {
    events
        .iter()
        .filter_map(|e| match &e.change {
            Change::UserLeftGroup {
                user,
                group,
                cause,
                rule,
            } => Some((*user, *group, *cause, rule.map(|r| r.as_str()))),
            _ => None,
        })
        .collect()
}

fn ended(u: UserId, g: GroupId) -> Vec<(UserId, GroupId, LeaveCause, Option<&'static str>)> {
    vec![(u, g, LeaveCause::LostSupport, Some("AUTHZ-MEMBER-01"))]
}

#[test]
fn authz_member_01_a_membership_records_its_grantor() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let user = w.dir.user(u).unwrap();
    assert_eq!(user.added_by(w.g_dept1), Some(Actor::User(k)));
    assert_eq!(user.added_by(w.g_section), Some(Actor::User(w.admin_a)));
    assert_eq!(user.added_by(w.g_hospital), None);
    // The authority's command created the first primary admin in the first group.
    let admin = w.dir.user(w.admin_a).unwrap();
    assert_eq!(admin.added_by(w.g_hospital), Some(Actor::Authority));
}

/// Attack: a member kept the group's rights after the co-admin who added them was removed.
#[test]
fn authz_member_01_removing_the_co_admin_ends_the_memberships_they_added() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let events = w
        .by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: k })
        .unwrap();
    assert_eq!(left(&events), ended(u, w.g_dept1));
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
    assert_eq!(w.dir.user(u).unwrap().groups(), &[w.g_section]);
}

#[test]
fn authz_member_01_a_resigning_co_admin_takes_their_memberships_along() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let events = w.by(k, DirectoryCommand::ResignCoAdmin).unwrap();
    assert_eq!(left(&events), ended(u, w.g_dept1));
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
}

#[test]
fn authz_member_01_deactivating_the_grantor_ends_their_memberships() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let events = w
        .by(w.admin_a, DirectoryCommand::DeactivateUser { user: k })
        .unwrap();
    assert_eq!(left(&events), ended(u, w.g_dept1));
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
}

/// Revoking the held right the membership rested on ends it too (partial loss of standing).
#[test]
fn authz_member_01_revoking_the_grantors_held_right_ends_the_membership() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let held: Vec<GrantId> = w
        .dir
        .grants_of(Grantee::User(k))
        .filter(|g| g.right() == w.psych_read)
        .map(|g| g.id())
        .collect();
    let events = w
        .by(w.admin_a, DirectoryCommand::Revoke { grant: held[0] })
        .unwrap();
    assert_eq!(left(&events), ended(u, w.g_dept1));
}

/// A membership that brings nothing the grantor lost stays; so do a primary admin's, which
/// rest on the organisation like their grants; and a user's last group (`AUTHZ-GROUP-01`).
#[test]
fn authz_member_01_memberships_not_resting_on_the_lost_standing_stay() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    // K creates a user whose only group carries psych-read: the last group stays.
    let only = w.user(k, w.g_dept1, vec![]).unwrap();
    let events = w
        .by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: k })
        .unwrap();
    assert_eq!(left(&events), ended(u, w.g_dept1));
    assert_eq!(w.dir.user(only).unwrap().groups(), &[w.g_dept1]);
    // A's own memberships survive anything but A.
    assert_eq!(w.dir.user(u).unwrap().groups(), &[w.g_section]);
}

/// Attack: a form-A co-admin took a user out of a group carrying service-B rights they could
/// not revoke. Now refused under `AUTHZ-REVOKE-01`, all or nothing; the primary admin may.
#[test]
fn authz_revoke_01_leaving_a_group_needs_power_over_what_it_carries() {
    let mut w = world();
    let (som, dept1, g_dept1) = (w.som_report, w.dept1, w.g_dept1);
    w.grant(
        w.admin_a,
        Grantee::Group(g_dept1),
        sundhed_authorisation::GrantSpec::new(som, dept1),
        t0(),
    )
    .unwrap();
    let u = w.member(w.g_section, &[]).unwrap();
    w.join(w.admin_a, u, g_dept1).unwrap();
    let k = w.member(w.g_section, &[(w.psych_read, dept1)]).unwrap();
    w.appoint(w.admin_a, k, &[w.psych_admin.form()], &[dept1])
        .unwrap();
    let refusal = w.leave(k, u, g_dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE], "{refusal}");
    assert!(refusal.to_string().contains("membership"), "{refusal}");
    assert!(w.dir.user(u).unwrap().groups().contains(&g_dept1));
    w.leave(w.admin_a, u, g_dept1).unwrap();
    assert!(!w.dir.user(u).unwrap().groups().contains(&g_dept1));
}

/// The co-admin who added a member may take them out again: they are the grantor.
#[test]
fn authz_revoke_01_the_grantor_of_a_membership_may_end_it() {
    let mut w = world();
    let (k, u) = co_admin_adds_member(&mut w);
    let events = w.leave(k, u, w.g_dept1).unwrap();
    assert_eq!(
        left(&events),
        vec![(u, w.g_dept1, LeaveCause::Removed, None)]
    );
}

/// Attack: an admin right granted to a group made `check` allow its members what the admin
/// model (appointments, on users) denies them. Granting it is refused; one a group holds from
/// an older log allows nothing.
#[test]
fn authz_group_02_no_admin_right_through_a_group() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let refusal = w
        .by(
            w.admin_a,
            DirectoryCommand::Grant {
                grantee: Grantee::Group(w.g_dept1),
                grant: sundhed_authorisation::GrantSpec::new(w.psych_admin, w.dept1),
            },
        )
        .unwrap_err();
    assert_eq!(
        refusal.rules(),
        vec![rules::GROUP_NO_ADMIN_RIGHT],
        "{refusal}"
    );
    // An older log's group admin grant.
    let legacy = DirectoryEvent::new(
        t0(),
        Actor::User(w.admin_a),
        Change::GrantIssued {
            grant: GrantId::new(10_000),
            organisation: w.a,
            grantee: Grantee::Group(w.g_dept1),
            right: w.psych_admin,
            department: w.dept1,
            validity: Validity {
                from: t0(),
                until: None,
            },
            support: Support::Organisation,
        },
    );
    w.dir.apply(&legacy);
    assert!(!w.allowed(u, w.psych_admin, w.dept1, t0()));
    assert!(
        !w.dir
            .permissions(u, t0())
            .iter()
            .any(|p| p.right == w.psych_admin)
    );
    assert!(w.dir.manageable_users(u, t0()).is_empty());
}
