//! Batches are tied to the state they were computed on (issue 13 item 7, `AUTHZ-STATE-01`).
//!
//! The attack: events computed with `handle` on a directory that has changed since still
//! applied, and made a live grant whose support was already revoked, which `audit_indexes`
//! did not notice. Now each event names the directory version it applies to, the checked
//! [`Directory::apply_all`] refuses events of another version, and `audit_indexes` reports a
//! live grant with dead support when raw `apply` is forced.

use sundhed_authorisation::{
    Actor, Change, DepartmentId, Directory, DirectoryCommand, DirectoryEvent, GrantId, GrantSpec,
    Grantee, IndexError, RightId, UserId, rules,
};

use crate::fixtures::{t0, world};
use sundhed_testkit::directory::World;

/// A co-admin of `dept1` holding `psych_read` there, and a user of `dept1` with nothing yet.
fn cast(w: &mut World) -> (UserId, GrantId, UserId) {
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let held = w
        .dir
        .grants_of(Grantee::User(co))
        .find(|g| g.right() == w.psych_read)
        .unwrap()
        .id();
    let user = w.member(w.g_dept1, &[]).unwrap();
    (co, held, user)
}

fn grant(to: UserId, right: RightId, department: DepartmentId) -> DirectoryCommand {
    DirectoryCommand::Grant {
        grantee: Grantee::User(to),
        grant: GrantSpec::new(right, department),
    }
}

fn issued(events: &[DirectoryEvent]) -> GrantId {
    events
        .iter()
        .find_map(|e| match e.change {
            Change::GrantIssued { grant, .. } => Some(grant),
            _ => None,
        })
        .unwrap()
}

/// The attack, forced through the raw `apply` (a fact, as replay uses it): the co-admin's
/// grant is computed while the co-admin holds the right, the right is revoked from them, and
/// the old events applied anyway. The user is allowed on a grant whose support is gone; the
/// audit now reports it.
#[test]
fn authz_state_01_a_stale_grant_forced_through_apply_is_found_by_the_audit() {
    let mut w = world();
    let (co, held, user) = cast(&mut w);
    let stale = w
        .dir
        .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1), t0())
        .unwrap();
    w.run(
        Actor::User(w.admin_a),
        DirectoryCommand::Revoke { grant: held },
        t0(),
    )
    .unwrap();
    assert!(w.dir.grant(held).is_none());
    assert!(w.dir.audit_indexes().is_empty());

    for event in &stale {
        w.dir.apply(event);
    }
    // What the attack achieved: a live grant resting on a revoked one.
    assert!(w.allowed(user, w.psych_read, w.dept1, t0()));
    let forged = issued(&stale);
    let errors = w.dir.audit_indexes();
    assert_eq!(errors, vec![IndexError::DeadSupport(forged)], "{errors:?}");
    assert!(errors.iter().all(|e| e.rule() == rules::SUPPORT));
    assert!(
        errors[0].to_string().contains("AUTHZ-SUPPORT-01"),
        "{}",
        errors[0]
    );
}

/// The same stale events through the checked `apply_all`: refused with `AUTHZ-STATE-01`, the
/// directory unchanged.
#[test]
fn authz_state_01_events_computed_on_another_version_are_refused() {
    let mut w = world();
    let (co, held, user) = cast(&mut w);
    let computed_on = w.dir.version();
    let stale = w
        .dir
        .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1), t0())
        .unwrap();
    assert!(stale.iter().all(|e| e.applies_to >= computed_on));
    assert_eq!(stale.first().map(|e| e.applies_to), Some(computed_on));
    w.run(
        Actor::User(w.admin_a),
        DirectoryCommand::Revoke { grant: held },
        t0(),
    )
    .unwrap();
    assert!(w.dir.version() > computed_on);

    let before = w.dir.clone();
    let refusal = w.dir.apply_all(&stale).unwrap_err();
    assert!(refusal.broke(rules::STATE), "{refusal}");
    assert!(refusal.to_string().contains("AUTHZ-STATE-01"), "{refusal}");
    assert_eq!(w.dir, before);
    assert!(!w.allowed(user, w.psych_read, w.dept1, t0()));
}

/// A batch computed before a change is refused as a whole; computed again, it applies.
#[test]
fn authz_state_01_a_batch_computed_before_a_change_is_refused() {
    let mut w = world();
    let (co, held, user) = cast(&mut w);
    let other = w.member(w.g_dept1, &[]).unwrap();
    let events = {
        let mut batch = w.dir.batch(t0());
        batch
            .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1))
            .unwrap();
        batch
            .handle(Actor::User(co), &grant(other, w.psych_read, w.dept1))
            .unwrap();
        batch.into_events()
    };
    let base = w.dir.version();
    let positions: Vec<u64> = events.iter().map(|e| e.applies_to).collect();
    let expected: Vec<u64> = (base..).take(events.len()).collect();
    assert_eq!(positions, expected, "a batch's events follow each other");

    w.run(
        Actor::User(w.admin_a),
        DirectoryCommand::Revoke { grant: held },
        t0(),
    )
    .unwrap();
    let before = w.dir.clone();
    let refusal = w.dir.apply_all(&events).unwrap_err();
    assert!(refusal.broke(rules::STATE), "{refusal}");
    assert_eq!(w.dir, before);

    // Computed on the current version, the batch is refused by the rules instead: the
    // co-admin no longer holds the right.
    let mut batch = w.dir.batch(t0());
    let refusal = batch
        .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1))
        .unwrap_err();
    assert!(refusal.broke(rules::HOLD), "{refusal}");
}

/// A primary admin's grant computed before the ceiling dropped its right, forced through
/// `apply`: its organisation's mandate no longer covers it, and the audit reports it.
#[test]
fn authz_state_01_a_stale_grant_outside_the_ceiling_is_found_by_the_audit() {
    let mut w = world();
    let user = w.member(w.g_dept1, &[]).unwrap();
    let stale = w
        .dir
        .handle(
            Actor::User(w.admin_a),
            &grant(user, w.psych_read, w.dept1),
            t0(),
        )
        .unwrap();
    let ceiling = w
        .dir
        .organisation(w.a)
        .unwrap()
        .ceiling()
        .iter()
        .copied()
        .filter(|r| *r != w.psych_read)
        .collect();
    w.run(
        Actor::Authority,
        DirectoryCommand::SetCeiling {
            organisation: w.a,
            rights: ceiling,
        },
        t0(),
    )
    .unwrap();
    assert!(w.dir.audit_indexes().is_empty());
    assert!(w.dir.apply_all(&stale).unwrap_err().broke(rules::STATE));
    for event in &stale {
        w.dir.apply(event);
    }
    assert_eq!(
        w.dir.audit_indexes(),
        vec![IndexError::DeadSupport(issued(&stale))]
    );
}

/// Fresh events apply: `apply_all` of what `handle` just computed, and `execute`; each
/// applied event moves the version on by one, whether checked or raw.
#[test]
fn fresh_events_apply_and_count_the_version() {
    let mut w = world();
    let (co, _, user) = cast(&mut w);
    assert_eq!(w.dir.version(), w.log.len() as u64);
    let events = w
        .dir
        .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1), t0())
        .unwrap();
    let before = w.dir.version();
    w.dir.apply_all(&events).unwrap();
    assert_eq!(w.dir.version(), before + events.len() as u64);
    assert!(w.allowed(user, w.psych_read, w.dept1, t0()));
    assert!(w.dir.audit_indexes().is_empty());

    // Replaying the log with the raw `apply`, in order, gives the same directory, and the
    // checked `apply_all` accepts the whole log from an empty directory too.
    let mut log = w.log.clone();
    log.extend(events);
    let mut replayed = Directory::new();
    for event in &log {
        assert_eq!(event.applies_to, replayed.version());
        replayed.apply(event);
    }
    assert_eq!(replayed, w.dir);
    let mut checked = Directory::new();
    checked.apply_all(&log).unwrap();
    assert_eq!(checked, w.dir);
}

/// The version travels with the event as `applies_to`.
#[test]
fn the_version_an_event_applies_to_is_in_its_json() {
    let mut w = world();
    let (co, _, user) = cast(&mut w);
    let events = w
        .dir
        .handle(Actor::User(co), &grant(user, w.psych_read, w.dept1), t0())
        .unwrap();
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(
        json.contains(&format!(r#""applies_to":{}"#, w.dir.version())),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<DirectoryEvent>(&json).unwrap(),
        events[0]
    );
}
