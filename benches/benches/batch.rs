//! A batch of directory commands (`Directory::batch`): the two commands of an SEB approval
//! (register the organisation, set its ceiling) handled against the directory plus the first
//! one's events, in directories of 1 000 and 100 000 users. The batch copies only what its
//! events touch, so both sizes should cost the same; `by-clone` measures what the procedure did
//! before (clone the directory for the second command), for comparison.
//!
//! Scales: `--test`: 1 000 users only. Default: 1 000 and 100 000 users (the authorisation
//! bench's generated directory, `authorisation/data.rs`, built through commands).
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench batch`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

#[allow(dead_code, reason = "shared with the authorisation benchmark")]
#[path = "authorisation/data.rs"]
mod data;
#[allow(dead_code, reason = "shared with the authorisation benchmark")]
#[path = "authorisation/sundhed.rs"]
mod sundhed;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use sundhed_authorisation::{
    Actor, Directory, DirectoryCommand, DirectoryEvent, NewDepartment, NewUser,
};

use crate::data::{Dataset, Scale};
use crate::sundhed::{SundhedSide, at, cvr, person};

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// The commands an SEB approval of a new organisation gives the directory.
fn approval(directory: &Directory) -> [DirectoryCommand; 2] {
    let organisation = cvr(999_999);
    let rights = directory
        .organisations()
        .next()
        .map(|o| o.ceiling().clone())
        .unwrap_or_default();
    [
        DirectoryCommand::RegisterOrganisation {
            cvr: organisation,
            name: "Ny klinik".into(),
            department: NewDepartment {
                name: "Ny klinik".into(),
                shak: None,
                sor: "123456789012".parse().ok(),
            },
            primary_admin: NewUser {
                person: person(9_999_999),
                certificates: vec![],
            },
        },
        DirectoryCommand::SetCeiling {
            organisation,
            rights,
        },
    ]
}

/// The approval as a batch: no copy of the directory.
fn by_batch(directory: &Directory, commands: &[DirectoryCommand]) -> Vec<DirectoryEvent> {
    let mut batch = directory.batch(at());
    for command in commands {
        batch.handle(Actor::Authority, command).unwrap();
    }
    batch.into_events()
}

/// The approval as the procedure ran it before: the second command on a clone.
fn by_clone(directory: &Directory, commands: &[DirectoryCommand]) -> Vec<DirectoryEvent> {
    let mut events = directory
        .handle(Actor::Authority, &commands[0], at())
        .unwrap();
    let mut copy = directory.clone();
    copy.apply_all(&events).unwrap();
    events.extend(copy.execute(Actor::Authority, &commands[1], at()).unwrap());
    events
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args();
    let mut scales = vec![Scale {
        orgs: 1,
        users_per_department: 100,
    }];
    if !test_mode() {
        scales.push(Scale {
            orgs: 100,
            users_per_department: 100,
        });
    }
    let mut group = criterion.benchmark_group("authz-batch");
    for scale in scales {
        let side = SundhedSide::build(&Dataset::generate(scale));
        let directory = side.dir;
        let commands = approval(&directory);
        assert_eq!(
            by_batch(&directory, &commands),
            by_clone(&directory, &commands)
        );
        let users = scale.users();
        group.bench_function(format!("seb-approval/{users}"), |b| {
            b.iter(|| by_batch(black_box(&directory), &commands));
        });
        group.bench_function(format!("seb-approval-by-clone/{users}"), |b| {
            b.iter_batched(
                || (),
                |()| by_clone(black_box(&directory), &commands),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
    criterion.final_summary();
}
