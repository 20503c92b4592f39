//! Building a large directory from batch commands, as a bench would, and timing `check`.
//!
//! The default size is small; `SUNDHED_SCALE_ORGS=1000` builds the full 1 000 organisations ×
//! 10 departments × 100 users with 2 grants each (run it with `--release`).

use std::time::Instant;

use sundhed_authorisation::{
    AccessRequest, Actor, Change, DepartmentId, Directory, DirectoryCommand, FormKind, GrantSpec,
    GroupId, NewDepartment, NewUser, RightSpec, UserId,
};
use sundhed_identity::Cvr;

use crate::fixtures::{person, t0};

fn cvr(i: u32) -> Cvr {
    sundhed_testkit::directory::numbered_cvr(i).unwrap()
}

pub struct Built {
    pub dir: Directory,
    pub users: Vec<(UserId, DepartmentId)>,
    pub right: sundhed_authorisation::RightId,
}

/// `orgs` organisations × 10 departments × 100 users, each user with 2 grants.
pub fn build(orgs: u32) -> Built {
    let at = t0();
    let mut dir = Directory::new();
    let spec = |code: &str, admin| RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: false,
    };
    dir.execute(
        Actor::Authority,
        &DirectoryCommand::DefineForm {
            code: "SEB-SERVICE".into(),
            name: "a service".into(),
            kind: FormKind::SebService,
            rights: vec![
                spec("ADMIN", true),
                spec("READ", false),
                spec("WRITE", false),
            ],
        },
        at,
    )
    .unwrap();
    let form = dir.form_by_code("SEB-SERVICE").unwrap();
    let (admin, read, write) = (
        form.admin_right().unwrap(),
        form.right_by_code("READ").unwrap(),
        form.right_by_code("WRITE").unwrap(),
    );
    let mut users = Vec::new();
    let mut n = 0u32;
    for o in 0..orgs {
        let cvr = cvr(o);
        let events = dir
            .execute(
                Actor::Authority,
                &DirectoryCommand::RegisterOrganisation {
                    cvr,
                    name: format!("org {o}"),
                    department: NewDepartment {
                        name: "root".into(),
                        shak: None,
                        sor: Some(
                            format!("{}", 100_000_000_000_000_u64 + u64::from(o) * 100)
                                .parse()
                                .unwrap(),
                        ),
                    },
                    primary_admin: NewUser {
                        person: person(0),
                        certificates: vec![],
                    },
                },
                at,
            )
            .unwrap();
        let (
            Change::DepartmentCreated {
                department: root, ..
            },
            Change::GroupCreated {
                group: root_group, ..
            },
            Change::UserCreated { user: primary, .. },
        ) = (&events[1].change, &events[2].change, &events[3].change)
        else {
            panic!()
        };
        dir.execute(
            Actor::Authority,
            &DirectoryCommand::SetCeiling {
                organisation: cvr,
                rights: [admin, read, write].into(),
            },
            at,
        )
        .unwrap();
        let primary = Actor::User(*primary);
        for d in 0..10u64 {
            let (department, group): (DepartmentId, GroupId) = if d == 0 {
                (*root, *root_group)
            } else {
                let sor = format!("{}", 100_000_000_000_000_u64 + u64::from(o) * 100 + d)
                    .parse()
                    .unwrap();
                let ev = dir
                    .execute(
                        primary,
                        &DirectoryCommand::CreateDepartment {
                            organisation: cvr,
                            department: NewDepartment {
                                name: format!("{d}"),
                                shak: None,
                                sor: Some(sor),
                            },
                            parent: Some(*root),
                        },
                        at,
                    )
                    .unwrap();
                let Change::DepartmentCreated { department, .. } = ev[0].change else {
                    panic!()
                };
                let ev = dir
                    .execute(
                        primary,
                        &DirectoryCommand::CreateGroup {
                            department,
                            name: format!("{d}"),
                            parent: None,
                        },
                        at,
                    )
                    .unwrap();
                let Change::GroupCreated { group, .. } = ev[0].change else {
                    panic!()
                };
                (department, group)
            };
            let batch: Vec<NewUser> = (0..if d == 0 { 99 } else { 100 })
                .map(|_| {
                    n += 1;
                    NewUser {
                        person: person(n % 9_999 + 1),
                        certificates: vec![],
                    }
                })
                .collect();
            let ev = dir
                .execute(
                    primary,
                    &DirectoryCommand::CreateUsers {
                        users: batch,
                        groups: vec![group],
                        grants: vec![
                            GrantSpec::new(read, department),
                            GrantSpec::new(write, department),
                        ],
                    },
                    at,
                )
                .unwrap();
            for e in &ev {
                if let Change::UserCreated { user, .. } = e.change {
                    users.push((user, department));
                }
            }
        }
    }
    Built {
        dir,
        users,
        right: read,
    }
}

#[test]
fn large_directory_builds_from_batches() {
    let orgs = std::env::var("SUNDHED_SCALE_ORGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let started = Instant::now();
    let built = build(orgs);
    let build_time = started.elapsed();
    assert_eq!(built.dir.grants().count(), built.users.len() * 2);
    let at = t0();
    let started = Instant::now();
    let mut allowed = 0usize;
    let target = if orgs >= 100 { 1_000_000 } else { 100_000 };
    let rounds = target / built.users.len().max(1) + 1;
    for _ in 0..rounds {
        for (user, department) in &built.users {
            let d = built.dir.check(
                &AccessRequest {
                    user: *user,
                    right: built.right,
                    department: *department,
                },
                at,
            );
            allowed += usize::from(d.is_allowed());
        }
    }
    let checks = rounds * built.users.len();
    assert_eq!(allowed, checks);
    let per_check = started.elapsed() / u32::try_from(checks).unwrap();
    // Individually timed checks over a spread of users, for a rough p50/p99 (each sample
    // includes the timer's own overhead).
    // In a shuffled order, so neither the table nor the caches see users in sequence.
    let mut order: Vec<usize> = (0..built.users.len()).collect();
    let mut s = 0x9e37_79b9_7f4a_7c15_u64;
    for i in (1..order.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        order.swap(i, usize::try_from(s % (i as u64 + 1)).unwrap());
    }
    let mut samples: Vec<std::time::Duration> = order
        .iter()
        .take(100_000)
        .map(|i| built.users[*i])
        .map(|(user, department)| {
            let t = Instant::now();
            let d = built.dir.check(
                &AccessRequest {
                    user,
                    right: built.right,
                    department,
                },
                at,
            );
            let e = t.elapsed();
            assert!(d.is_allowed());
            e
        })
        .collect();
    samples.sort();
    let p = |q: usize| samples[(samples.len() * q / 100).min(samples.len() - 1)];
    println!(
        "{orgs} orgs, {} users: built in {build_time:?}; {checks} checks in user order, {per_check:?} per check; in random order p50 {:?}, p99 {:?} over {} timed checks",
        built.users.len(),
        p(50),
        p(99),
        samples.len()
    );
}
