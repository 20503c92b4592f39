//! Hardening (issue 8): hostile directory shapes stay cheap, measured as work, not wall time.
//!
//! The directory has no work meter of its own; the work measured here is what it must
//! produce: the events of a command (one per revoked grant) and the size of the listings.
//! Each test asserts that this stays proportional to what changed (a cascade over 100 000
//! dependants is 100 001 events, never more), and that a very long delegation chain costs
//! per command and per decision what a short one costs.

use sundhed_authorisation::{
    AccessRequest, Actor, Change, DirectoryCommand, DirectoryEvent, GrantId, GrantSpec, Grantee,
    RevocationCause, Support, UserId, Validity,
};

use crate::fixtures::{World, new_user, person, t0, world};

fn grants_of(world: &World, user: UserId) -> Vec<GrantId> {
    world
        .dir
        .grants_of(Grantee::User(user))
        .map(|g| g.id())
        .collect()
}

fn revoked(events: &[DirectoryEvent]) -> Vec<(GrantId, RevocationCause)> {
    events
        .iter()
        .filter_map(|e| match e.change {
            Change::GrantRevoked { grant, cause, .. } => Some((grant, cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn budget_cascading_revoke_over_100_000_dependants_is_one_event_each() {
    const DEPENDANTS: u32 = 100_000;
    let mut w = world();
    let report = w.psych_report;
    let co_admin = w.co_admin(w.hospital, w.g_hospital, &[report]).unwrap();
    let held: Vec<GrantId> = grants_of(&w, co_admin);
    let admin_grant = held
        .iter()
        .copied()
        .find(|g| w.dir.grant(*g).unwrap().right() == w.psych_admin)
        .unwrap();
    let report_grant = held
        .iter()
        .copied()
        .find(|g| w.dir.grant(*g).unwrap().right() == report)
        .unwrap();

    // 100 000 users, each with a report grant made by the co-admin: generated as the events
    // `handle` would produce, and applied (building them through commands is the slow part
    // of this test, not what it measures).
    let at = t0();
    let first_user = w.dir.users_of(w.a).iter().map(|u| u.get()).max().unwrap() + 1;
    let first_grant = w.dir.grants().map(|g| g.id().get()).max().unwrap() + 1;
    let mut events = Vec::with_capacity(2 * DEPENDANTS as usize);
    for i in 0..DEPENDANTS {
        let user = UserId::new(first_user + i);
        events.push(DirectoryEvent::new(
            at,
            Actor::User(w.admin_a),
            Change::UserCreated {
                user,
                organisation: w.a,
                person: person(1_000 + i),
                certificates: vec![],
                groups: vec![w.g_hospital],
            },
        ));
        events.push(DirectoryEvent::new(
            at,
            Actor::User(co_admin),
            Change::GrantIssued {
                grant: GrantId::new(first_grant + u64::from(i)),
                organisation: w.a,
                grantee: Grantee::User(user),
                right: report,
                department: w.hospital,
                validity: Validity {
                    from: at,
                    until: None,
                },
                support: Support::Delegated {
                    admin: vec![admin_grant],
                    held: vec![report_grant],
                },
            },
        ));
    }
    for event in &events {
        w.dir.apply(event);
    }
    let before = w.dir.grants().count();
    let last = UserId::new(first_user + DEPENDANTS - 1);
    let request = AccessRequest {
        user: last,
        right: report,
        department: w.hospital,
    };
    w.run(
        Actor::User(last),
        DirectoryCommand::AcknowledgeConfidentiality,
        at,
    )
    .unwrap();
    assert!(w.dir.check(&request, at).is_allowed());

    // Revoking the co-admin's admin grant takes every dependant with it: exactly one event
    // per grant that stops existing.
    let events = w
        .run(
            Actor::User(w.admin_a),
            DirectoryCommand::Revoke { grant: admin_grant },
            at,
        )
        .unwrap();
    let gone = revoked(&events);
    assert_eq!(events.len(), DEPENDANTS as usize + 1, "one event per grant");
    assert_eq!(gone.len(), DEPENDANTS as usize + 1);
    assert_eq!(gone[0], (admin_grant, RevocationCause::Revoked));
    assert!(
        gone[1..]
            .iter()
            .all(|(_, cause)| *cause == RevocationCause::LostSupport)
    );
    assert_eq!(w.dir.grants().count(), before - DEPENDANTS as usize - 1);
    assert!(!w.dir.check(&request, at).is_allowed());
    // The co-admin keeps the report grant the primary admin made.
    assert!(w.dir.grant(report_grant).is_some());
}

/// A chain of `depth` co-admins under the primary admin of A: level 1 is made by the primary
/// admin, level i+1 by level i, each holding the report right and the admin right of form 0
/// on the hospital. Returns the users, top first.
fn delegation_chain(w: &mut World, depth: usize) -> Vec<UserId> {
    let at = t0();
    let report = w.psych_report;
    let form = w.psych_admin.form();
    let mut users = Vec::with_capacity(depth);
    let mut admin = w.admin_a;
    for _ in 0..depth {
        w.next_person += 1;
        let events = w
            .run(
                Actor::User(admin),
                DirectoryCommand::CreateUser {
                    user: new_user(w.next_person),
                    groups: vec![w.g_hospital],
                    grants: vec![GrantSpec::new(report, w.hospital)],
                },
                at,
            )
            .unwrap();
        let Change::UserCreated { user, .. } = events[0].change else {
            panic!("{events:?}")
        };
        w.run(
            Actor::User(admin),
            DirectoryCommand::AppointCoAdmin {
                user,
                forms: vec![form],
                departments: vec![w.hospital],
                valid_until: None,
            },
            at,
        )
        .unwrap();
        users.push(user);
        admin = user;
    }
    users
}

#[test]
fn budget_long_delegation_chain_costs_per_step_what_a_short_one_costs() {
    let at = t0();
    let mut events_per_level = Vec::new();
    for depth in [10, 300] {
        let mut w = world();
        let log_before = w.log.len();
        let chain = delegation_chain(&mut w, depth);
        // Building: the same number of events for every level, however deep.
        events_per_level.push((w.log.len() - log_before) as f64 / depth as f64);
        let bottom = *chain.last().unwrap();
        w.run(
            Actor::User(bottom),
            DirectoryCommand::AcknowledgeConfidentiality,
            at,
        )
        .unwrap();
        let decision = w.decide(bottom, w.psych_report, w.hospital, at);
        assert!(decision.is_allowed());
        // One determining grant, however long the chain behind it.
        assert_eq!(decision.reasons().len(), 1, "{decision:?}");

        // The access review lists each grant once; a grant's grantor chain is as long as its
        // depth (so the whole review grows with depth², see the report).
        let review = w.dir.access_review(w.a, at);
        assert_eq!(review.len(), w.dir.grants_in(w.a).count());
        let longest = review.iter().map(|e| e.chain.len()).max().unwrap();
        assert!(longest <= depth + 1, "chain of {longest} for depth {depth}");

        // Revoking the top admin grant: one event per grant of the chain below, no more.
        let top = chain[0];
        let top_admin = w
            .dir
            .grants_of(Grantee::User(top))
            .find(|g| g.right() == w.psych_admin)
            .unwrap()
            .id();
        let below: usize = chain[1..]
            .iter()
            .map(|u| w.dir.grants_of(Grantee::User(*u)).count())
            .sum();
        let events = w
            .run(
                Actor::User(w.admin_a),
                DirectoryCommand::Revoke { grant: top_admin },
                at,
            )
            .unwrap();
        assert_eq!(revoked(&events).len(), 1 + below, "depth {depth}");
        assert_eq!(events.len(), 1 + below);
    }
    assert_eq!(
        events_per_level[0], events_per_level[1],
        "{events_per_level:?}"
    );
}
