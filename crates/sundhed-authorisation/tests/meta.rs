//! Decision meta-properties (D8, D9), listings against `handle` (D11), serde of events.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sundhed_authorisation::{
    AccessRequest, Actor, Directory, DirectoryCommand, DirectoryEvent, GrantSpec, Grantee, RightId,
    rules,
};

use crate::fixtures::{hours, world};
use crate::state_machine::{Harness, cases, op};

/// Every decision of the world's users at the harness's time.
fn decisions(h: &Harness) -> BTreeMap<(u32, RightId, u32), bool> {
    let mut out = BTreeMap::new();
    for user in h.m.users.keys() {
        for right in h.w.rights() {
            for department in h.w.departments() {
                let d = h.w.dir.check(
                    &AccessRequest {
                        user: *user,
                        right,
                        department,
                    },
                    h.m.now,
                );
                out.insert((user.get(), right, department.get()), d.is_allowed());
            }
        }
    }
    out
}

#[test]
fn authz_decide_01_default_deny_everywhere_in_an_empty_directory() {
    let w = world();
    let empty = Directory::new();
    for user in [w.admin_a, w.admin_b] {
        for right in w.rights() {
            for department in w.departments() {
                let request = AccessRequest {
                    user,
                    right,
                    department,
                };
                // The world has no grants yet: nothing is allowed, and the reason is the default.
                let d = w.dir.check(&request, crate::fixtures::t0());
                assert!(!d.is_allowed() && d.reasons().is_empty());
                assert!(
                    d.rules()
                        .any(|r| r == rules::DECIDE || r == rules::CONFIDENTIALITY)
                );
                assert!(!empty.check(&request, crate::fixtures::t0()).is_allowed());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), failure_persistence: None, ..ProptestConfig::default() })]

    /// D8: adding a permit never turns an allow into a deny.
    #[test]
    fn authz_decide_01_adding_a_grant_never_turns_allow_into_deny(
        ops in proptest::collection::vec(op(), 0..30),
        grantee in any::<u8>(), right in any::<u8>(), dept in any::<u8>(),
    ) {
        let mut h = Harness::new();
        for o in &ops {
            h.step(o);
        }
        let before = decisions(&h);
        let users: Vec<_> = h.m.users.keys().copied().collect();
        let grantee = users[usize::from(grantee) % users.len()];
        let spec = GrantSpec::new(h.w.rights()[usize::from(right) % 5], h.w.departments()[usize::from(dept) % 5]);
        let admins: Vec<_> = h.w.dir.organisations().flat_map(|o| o.primary_admins().keys().copied().collect::<Vec<_>>()).collect();
        let now = h.m.now;
        let mut added = false;
        for admin in admins {
            if h.w.dir.execute(Actor::User(admin), &DirectoryCommand::Grant { grantee: Grantee::User(grantee), grant: spec }, now).is_ok() {
                added = true;
                break;
            }
        }
        let after = decisions(&h);
        for (k, allowed) in &before {
            prop_assert!(!allowed || after[k], "{k:?} turned to deny (grant added: {added})");
        }
    }

    /// D8: the decisions do not depend on the order in which grants were made.
    #[test]
    fn authz_decide_01_decisions_do_not_depend_on_grant_order(
        specs in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), proptest::option::of(1u8..5)), 1..12),
        seed in any::<u64>(),
    ) {
        let build = |order: &[usize]| {
            let mut w = world();
            let users = [w.admin_a, w.member(w.g_dept1, &[]).unwrap(), w.member(w.g_section, &[]).unwrap()];
            for u in users { w.acknowledge(u).unwrap(); }
            for i in order {
                let (g, r, d, until) = specs[*i];
                let grantee = if g.is_multiple_of(4) { Grantee::Group(w.groups()[usize::from(g) % 4]) } else { Grantee::User(users[usize::from(g) % 3]) };
                let mut spec = GrantSpec::new(w.rights()[usize::from(r) % 5], w.departments()[usize::from(d) % 4]);
                spec.valid_until = until.map(|h| crate::fixtures::t0() + hours(i64::from(h)));
                let _ = w.run(Actor::User(w.admin_a), DirectoryCommand::Grant { grantee, grant: spec }, crate::fixtures::t0());
            }
            let mut out = Vec::new();
            for at in [0, 2, 6] {
                for u in users {
                    for right in w.rights() {
                        for department in w.departments() {
                            let d = w.dir.check(&AccessRequest { user: u, right, department }, crate::fixtures::t0() + hours(at));
                            out.push((d.is_allowed(), d.reasons().len()));
                        }
                    }
                }
            }
            out
        };
        let forward: Vec<usize> = (0..specs.len()).collect();
        let mut shuffled = forward.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut doubled = forward.clone();
        doubled.extend(forward.iter().copied());
        let a = build(&forward);
        prop_assert_eq!(&a, &build(&shuffled));
        // Duplicates change the number of determining grants, never the effect.
        let effects = |v: &[(bool, usize)]| v.iter().map(|x| x.0).collect::<Vec<_>>();
        prop_assert_eq!(effects(&a), effects(&build(&doubled)));
    }

    /// D11: `grantable` agrees with `handle`: a listed right and department can be granted now
    /// until the listed end and not beyond; an unlisted one cannot be granted at all.
    #[test]
    fn authz_scope_01_grantable_agrees_with_handle(ops in proptest::collection::vec(op(), 0..40)) {
        let mut h = Harness::new();
        for o in &ops {
            h.step(o);
        }
        let dir = &h.w.dir;
        let now = h.m.now;
        for admin in h.m.users.keys().copied() {
            // A grantee the listing's rules alone decide for: not the admin (AUTHZ-SELF-01), and
            // not an admin, so that granting an admin right appoints them (AUTHZ-APPOINT-01).
            let Some(grantee) = dir
                .manageable_users(admin, now)
                .into_iter()
                .find(|u| *u != admin && !h.m.is_admin(*u))
            else {
                continue;
            };
            let listed = dir.grantable(admin, now);
            for right in h.w.rights() {
                for department in h.w.departments() {
                    let try_until = |until| {
                        let spec = GrantSpec { right, department, valid_from: None, valid_until: until };
                        dir.handle(Actor::User(admin), &DirectoryCommand::Grant { grantee: Grantee::User(grantee), grant: spec }, now)
                    };
                    match listed.iter().find(|g| g.right == right && g.department == department) {
                        Some(g) => {
                            prop_assert!(try_until(g.until).is_ok(), "listed {g:?} refused");
                            if let Some(u) = g.until {
                                let refusal = try_until(Some(u + hours(1))).unwrap_err();
                                prop_assert!(refusal.broke(rules::HOLD) || refusal.broke(rules::SCOPE));
                            }
                        }
                        None => {
                            for until in [None, Some(now + chrono::TimeDelta::minutes(1))] {
                                let refusal = try_until(until).unwrap_err();
                                prop_assert!(
                                    refusal.broke(rules::HOLD) || refusal.broke(rules::SCOPE)
                                        || refusal.broke(rules::CEILING) || refusal.broke(rules::ORG_SAME),
                                    "{refusal}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// Events round-trip through JSON, and replaying them rebuilds the same directory.
    #[test]
    fn authz_support_01_replaying_events_rebuilds_the_directory(ops in proptest::collection::vec(op(), 0..40)) {
        let mut h = Harness::new();
        for o in &ops {
            h.step(o);
        }
        let json = serde_json::to_string(&h.w.log).unwrap();
        let back: Vec<DirectoryEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &h.w.log);
        let mut replayed = Directory::new();
        replayed.apply_all(&back).unwrap();
        prop_assert_eq!(replayed, h.w.dir.clone());
    }
}
