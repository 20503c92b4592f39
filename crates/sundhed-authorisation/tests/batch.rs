//! A batch of commands (`Directory::batch`) yields exactly the events, and the refusals, of
//! running the same commands one by one with `apply` in between; its lookups answer what the
//! directory holds after them; the directory itself never changes. And a batch copies only
//! what it touches: registering an organisation costs the same in a directory of 100 000
//! users as in one of 1 000.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use sundhed_authorisation::{
    AccessRequest, Actor, AdminScope, Appointee, Batch, Change, DepartmentId, Directory,
    DirectoryCommand, DirectoryEvent, FormKind, GrantId, GrantSpec, Grantee, GroupId,
    NewDepartment, NewUser, RightId, RightSpec, ScopeSet, UserId,
};
use sundhed_identity::Cvr;

use crate::fixtures::{World, hours, new_user, person, t0, world};
use crate::state_machine::cases;

/// One command, as seeds to pick its parts from the directory with.
#[derive(Clone, Debug)]
struct Seed {
    kind: u8,
    actor: u8,
    a: u8,
    b: u8,
    c: u8,
}

fn seed() -> impl Strategy<Value = Seed> {
    (0u8..24, any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(
        |(kind, actor, a, b, c)| Seed {
            kind,
            actor,
            a,
            b,
            c,
        },
    )
}

fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(i) % items.len()])
}

/// What a command can name: everything the directory holds now, and a few unknown ids.
struct Pools {
    orgs: Vec<Cvr>,
    users: Vec<UserId>,
    admins: Vec<UserId>,
    departments: Vec<DepartmentId>,
    groups: Vec<GroupId>,
    grants: Vec<GrantId>,
}

impl Pools {
    fn of(directory: &Directory, w: &World) -> Self {
        let orgs: Vec<Cvr> = directory.organisations().map(|o| o.cvr()).collect();
        let mut users: Vec<UserId> = orgs
            .iter()
            .flat_map(|o| directory.users_of(*o).iter().copied())
            .collect();
        users.push(UserId::new(9_999));
        let admins: Vec<UserId> = directory
            .organisations()
            .flat_map(|o| o.primary_admins().keys().copied())
            .chain(directory.grants().filter_map(|g| {
                match g.grantee() {
                    Grantee::User(u)
                        if directory
                            .right(g.right())
                            .is_some_and(|r| r.administers_users) =>
                    {
                        Some(u)
                    }
                    _ => None,
                }
            }))
            .collect();
        let mut departments: Vec<DepartmentId> = orgs
            .iter()
            .flat_map(|o| directory.departments_of(*o).iter().copied())
            .collect();
        departments.push(DepartmentId::new(9_999));
        let mut groups: Vec<GroupId> = w.groups().to_vec();
        for u in &users {
            if let Some(user) = directory.user(*u) {
                groups.extend(user.groups());
            }
        }
        groups.sort_unstable();
        groups.dedup();
        // Every grant id up to the highest live one and a little beyond: revoked ones too.
        let grants: Vec<GrantId> = (0..=highest_grant(directory) + 2)
            .map(GrantId::new)
            .collect();
        Pools {
            orgs,
            users,
            admins,
            departments,
            groups,
            grants,
        }
    }
}

fn highest_grant(directory: &Directory) -> u64 {
    directory.grants().map(|g| g.id().get()).max().unwrap_or(0)
}

/// The command `s` describes, against what `directory` holds now.
fn command(
    directory: &Directory,
    w: &World,
    s: &Seed,
    n: u32,
    at: DateTime<Utc>,
) -> (Actor, DirectoryCommand) {
    let p = Pools::of(directory, w);
    let rights = w.rights();
    let user = |i| pick(&p.users, i).unwrap_or(w.admin_a);
    let dept = |i| pick(&p.departments, i).unwrap_or(w.hospital);
    let group = |i| pick(&p.groups, i).unwrap_or(w.g_hospital);
    let org = |i| pick(&p.orgs, i).unwrap_or(w.a);
    let until = |i: u8| {
        i.is_multiple_of(3)
            .then(|| at + hours(i64::from(i % 7) + 1))
    };
    let right = |i| pick(&rights, i).unwrap_or(w.psych_report);
    let authority_command = matches!(s.kind, 11..=14 | 16 | 17);
    let actor = match s.actor % 8 {
        0 => Actor::Authority,
        _ if authority_command && s.actor % 8 != 7 => Actor::Authority,
        1 | 2 => Actor::User(user(s.actor / 8)),
        _ => pick(&p.admins, s.actor / 8).map_or(Actor::Authority, Actor::User),
    };
    let spec = |r, d, u| GrantSpec {
        right: right(r),
        department: dept(d),
        valid_from: None,
        valid_until: until(u),
    };
    let command = match s.kind {
        0 | 1 | 18.. => DirectoryCommand::Grant {
            grantee: if s.c.is_multiple_of(4) {
                Grantee::Group(group(s.c / 4))
            } else {
                Grantee::User(user(s.c))
            },
            grant: spec(s.a, s.b, s.c),
        },
        2..=4 => DirectoryCommand::Revoke {
            grant: pick(&p.grants, s.a).unwrap_or(GrantId::new(0)),
        },
        5 => DirectoryCommand::AppointCoAdmin {
            user: user(s.a),
            forms: vec![right(s.b).form()],
            departments: vec![dept(s.c)],
            valid_until: until(s.c),
        },
        13 if s.b.is_multiple_of(2) => DirectoryCommand::RemoveCoAdmin { user: user(s.a) },
        6 => DirectoryCommand::CreateUser {
            user: new_user(n),
            groups: vec![group(s.a)],
            grants: if s.c.is_multiple_of(2) {
                vec![spec(s.b, s.c, s.a)]
            } else {
                vec![]
            },
        },
        7 => DirectoryCommand::JoinGroup {
            user: user(s.a),
            group: group(s.b),
        },
        8 => DirectoryCommand::LeaveGroup {
            user: user(s.a),
            group: directory
                .user(user(s.a))
                .and_then(|u| pick(u.groups(), s.b))
                .unwrap_or_else(|| group(s.b)),
        },
        9 => DirectoryCommand::DeactivateUser { user: user(s.a) },
        10 => DirectoryCommand::AcknowledgeConfidentiality,
        11 => DirectoryCommand::SetCeiling {
            organisation: org(s.a),
            rights: rights
                .iter()
                .enumerate()
                .filter(|(i, _)| (s.b | s.c) >> i & 1 == 1)
                .map(|(_, r)| *r)
                .collect(),
        },
        12 => DirectoryCommand::AppointPrimaryAdmin {
            organisation: org(s.a),
            appointee: if s.c.is_multiple_of(2) {
                Appointee::Existing {
                    user: pick(directory.users_of(org(s.a)), s.b).unwrap_or_else(|| user(s.b)),
                }
            } else {
                Appointee::New {
                    user: new_user(n),
                    groups: vec![group(s.b)],
                }
            },
            scope: if s.c.is_multiple_of(3) {
                AdminScope::whole_organisation()
            } else {
                AdminScope {
                    departments: ScopeSet::Only([dept(s.c)].into()),
                    forms: ScopeSet::All,
                }
            },
        },
        13 => DirectoryCommand::RemovePrimaryAdmin {
            organisation: org(s.a),
            user: directory
                .organisation(org(s.a))
                .map(|o| o.primary_admins().keys().copied().collect::<Vec<_>>())
                .and_then(|admins| pick(&admins, s.b))
                .unwrap_or_else(|| user(s.b)),
        },
        14 => {
            let parent = dept(s.c);
            let organisation = directory
                .department(parent)
                .map_or(org(s.a), |d| d.organisation());
            DirectoryCommand::CreateDepartment {
                organisation,
                department: NewDepartment {
                    name: format!("afsnit {n}"),
                    shak: None,
                    sor: format!("{}", 100_000_000_000 + u64::from(s.b % 8))
                        .parse()
                        .ok(),
                },
                parent: (!s.a.is_multiple_of(5)).then_some(parent),
            }
        }
        15 => DirectoryCommand::CreateGroup {
            department: dept(s.a),
            name: format!("gruppe {n}"),
            parent: s.b.is_multiple_of(2).then(|| group(s.c)),
        },
        16 => DirectoryCommand::RegisterOrganisation {
            cvr: ["33257872", "29190623", "25798376"][usize::from(s.a % 3)]
                .parse()
                .unwrap_or(w.a),
            name: format!("organisation {n}"),
            department: NewDepartment {
                name: format!("hospital {n}"),
                shak: format!("{}", 6600 + u32::from(s.b % 4)).parse().ok(),
                sor: None,
            },
            primary_admin: NewUser {
                person: person(n),
                certificates: vec![],
            },
        },
        17 => DirectoryCommand::DefineForm {
            code: format!("FORM-{}", s.a % 4),
            name: "form".into(),
            kind: FormKind::SebService,
            rights: vec![RightSpec {
                code: "ADMIN".into(),
                name: "admin".into(),
                administers_users: true,
                personal_data: s.b.is_multiple_of(2),
            }],
        },
    };
    (actor, command)
}

/// The batch's lookups agree with the directory that applied the same events.
fn assert_lookups_agree(batch: &Batch<'_>, applied: &Directory) {
    for org in applied.organisations() {
        let cvr = org.cvr();
        assert_eq!(batch.organisation(cvr), Some(org));
        assert_eq!(batch.users_of(cvr), applied.users_of(cvr));
        assert_eq!(batch.departments_of(cvr), applied.departments_of(cvr));
        let ids = |g: Vec<GrantId>| g;
        assert_eq!(
            ids(batch.grants_in(cvr).map(|g| g.id()).collect()),
            ids(applied.grants_in(cvr).map(|g| g.id()).collect())
        );
        for user in applied.users_of(cvr) {
            let u = applied.user(*user);
            assert_eq!(batch.user(*user), u);
            let grantee = Grantee::User(*user);
            assert!(batch.grants_of(grantee).eq(applied.grants_of(grantee)));
            if let Some(u) = u {
                assert_eq!(
                    batch.user_by_person(cvr, u.person()),
                    applied.user_by_person(cvr, u.person())
                );
                for g in u.groups() {
                    assert_eq!(batch.group(*g), applied.group(*g));
                }
            }
        }
        for d in applied.departments_of(cvr) {
            let department = applied.department(*d);
            assert_eq!(batch.department(*d), department);
            if let Some(shak) = department.and_then(|d| d.shak()) {
                assert_eq!(
                    batch.department_by_shak(shak),
                    applied.department_by_shak(shak)
                );
            }
        }
    }
    // Decisions read the hot-path indexes (each user's own grants, the groups' grants).
    let departments: Vec<DepartmentId> = applied
        .organisations()
        .flat_map(|o| applied.departments_of(o.cvr()).iter().copied())
        .collect();
    let rights: Vec<RightId> = applied
        .forms()
        .flat_map(|f| f.rights().map(|(id, _)| id).collect::<Vec<_>>())
        .collect();
    for org in applied.organisations() {
        for user in applied.users_of(org.cvr()) {
            for right in &rights {
                for department in &departments {
                    let request = AccessRequest {
                        user: *user,
                        right: *right,
                        department: *department,
                    };
                    for at in [t0() + hours(2), t0() + hours(9)] {
                        assert_eq!(batch.check(&request, at), applied.check(&request, at));
                    }
                }
            }
        }
    }
    for id in (0..=highest_grant(applied) + 2).map(GrantId::new) {
        assert_eq!(batch.grant(id), applied.grant(id));
    }
    for form in applied.forms() {
        assert_eq!(batch.form_by_code(form.code()), Some(form));
    }
}

fn run_equivalence(prefix: &[Seed], seeds: &[Seed]) -> usize {
    let mut w = world();
    let at = t0();
    let mut n = 5_000;
    for s in prefix {
        n += 1;
        let (actor, c) = command(&w.dir, &w, s, n, at);
        let _ = w.dir.execute(actor, &c, at);
    }
    let base = w.dir.clone();
    let mut one_by_one = w.dir.clone();
    let mut batch = base.batch(at + hours(1));
    let mut accepted = 0;
    for s in seeds {
        n += 1;
        let (actor, c) = command(&one_by_one, &w, s, n, at + hours(1));
        let expected = one_by_one.execute(actor, &c, at + hours(1));
        let got = batch.handle(actor, &c).map(<[DirectoryEvent]>::to_vec);
        assert_eq!(got, expected, "{actor} {c:?}");
        accepted += usize::from(expected.is_ok());
    }
    assert_eq!(base, w.dir, "a batch changed its directory");
    let mut applied = base.clone();
    applied.apply_all(batch.events()).unwrap();
    assert_eq!(
        applied, one_by_one,
        "the batch's events rebuild another directory"
    );
    assert!(applied.audit_indexes().is_empty());
    assert_lookups_agree(&batch, &applied);
    accepted
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    /// The batch and the one-by-one run agree command by command (events and refusals), and
    /// applying the batch's events gives the same directory (`==`).
    #[test]
    fn batch_yields_the_events_of_one_by_one(
        prefix in proptest::collection::vec(seed(), 0..16),
        seeds in proptest::collection::vec(seed(), 1..24),
    ) {
        run_equivalence(&prefix, &seeds);
    }
}

/// The random runs are not all refusals: over a fixed set of sequences, batches accept commands
/// of every kind that changes the directory, revocations and cascades included.
#[test]
fn batch_equivalence_runs_accept_commands() {
    let mut rng = proptest::test_runner::TestRunner::deterministic();
    let strategy = proptest::collection::vec(seed(), 24);
    let mut accepted = 0;
    for _ in 0..40 {
        let prefix = strategy
            .new_tree(&mut rng)
            .map(|t| t.current())
            .unwrap_or_default();
        let seeds = strategy
            .new_tree(&mut rng)
            .map(|t| t.current())
            .unwrap_or_default();
        accepted += run_equivalence(&prefix, &seeds);
    }
    assert!(accepted >= 100, "only {accepted} commands accepted");
}

/// A refused command leaves the batch as it was, and later commands still see only the
/// accepted ones.
#[test]
fn a_refused_command_leaves_the_batch_as_it_was() {
    let w = world();
    let at = t0();
    let mut batch = w.dir.batch(at);
    let create = DirectoryCommand::CreateGroup {
        department: w.dept1,
        name: "ny".into(),
        parent: None,
    };
    let first = batch.handle(Actor::Authority, &create).unwrap().to_vec();
    let refused = DirectoryCommand::CreateGroup {
        department: DepartmentId::new(9_999),
        name: "ingen".into(),
        parent: None,
    };
    assert!(batch.handle(Actor::Authority, &refused).is_err());
    assert_eq!(batch.events(), first.as_slice());
    let second = batch.handle(Actor::Authority, &create).unwrap().to_vec();
    let ids: Vec<GroupId> = first
        .iter()
        .chain(&second)
        .filter_map(|e| match e.change {
            Change::GroupCreated { group, .. } => Some(group),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(
        ids[0], ids[1],
        "the second command sees the first one's group"
    );
}
