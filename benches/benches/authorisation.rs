//! Authorisation checks: sundhed-authorisation against Cedar (`cedar-policy` 4.x) on the same
//! generated directory (`authorisation/data.rs`) and the same random requests, half allowed
//! and half denied; plus sundhed's admin commands.
//!
//! Two parts, in this order:
//! 1. **Report** (`authz-report` lines on stdout): each side is built in a child process of
//!    this executable at the report scale, and its build time, resident memory and per-check
//!    median / p99 / p99.9 are printed (see `authorisation/report.rs` for the method).
//! 2. **Criterion** benchmarks: `authz-check/<side>/<users>` (one check per iteration,
//!    cycling through the requests) and `authz-admin/...` (a grant with every delegation
//!    check; removing a co-admin whose grants support 1 000 others).
//!
//! Scales: `--test` (criterion's test mode, used by CI): 1 000 users everywhere. Default:
//! report at 100 orgs × 10 departments × 100 users (100 000 users). With
//! `SUNDHED_BENCH_FULL=1`: report and sundhed's large check at 1 000 × 10 × 100 = 1 000 000
//! users (needs about 8 GiB free for Cedar's child process). `SUNDHED_BENCH_REPORT=0` skips
//! the report.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench authorisation`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

#[path = "authorisation/cedar.rs"]
mod cedar;
#[path = "authorisation/data.rs"]
mod data;
#[path = "authorisation/report.rs"]
mod report;
#[path = "authorisation/sundhed.rs"]
mod sundhed;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use sundhed_authorisation::{Actor, Change};

use crate::cedar::{CedarSide, Variant};
use crate::data::{Dataset, Scale};
use crate::sundhed::SundhedSide;

/// Set in a child process: `side:orgs:users_per_department:requests`.
pub const CHILD_ENV: &str = "SUNDHED_BENCH_AUTHZ_CHILD";

const SMALL: Scale = Scale {
    orgs: 1,
    users_per_department: 100,
};
const MEDIUM: Scale = Scale {
    orgs: 100,
    users_per_department: 100,
};
const FULL: Scale = Scale {
    orgs: 1_000,
    users_per_department: 100,
};

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// Criterion's filter (the first positional argument), if any.
fn filter() -> Option<String> {
    const WITH_VALUE: &[&str] = &[
        "--warm-up-time",
        "--measurement-time",
        "--sample-size",
        "--save-baseline",
        "--baseline",
        "--load-baseline",
        "--color",
        "--output-format",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--nresamples",
        "--profile-time",
        "--plotting-backend",
        "--format",
        "--logfile",
    ];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if WITH_VALUE.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

/// Whether the filter selects anything in `group` (so its setup is worth building).
fn wants(group: &str) -> bool {
    filter().is_none_or(|f| group.contains(&f) || f.starts_with(group))
}

fn full_mode() -> bool {
    std::env::var("SUNDHED_BENCH_FULL").is_ok_and(|v| v == "1")
}

/// The scale of the report and of sundhed's large check benchmark.
fn large_scale() -> Scale {
    if test_mode() {
        SMALL
    } else if full_mode() {
        FULL
    } else {
        MEDIUM
    }
}

/// `authz-check/<side>/<users>`: one check per iteration, cycling through 10 000 requests.
/// Returns the largest sundhed directory built, for the admin benchmarks.
fn bench_checks(c: &mut Criterion) -> Option<SundhedSide> {
    if !wants("authz-check") {
        return None;
    }
    let mut group = c.benchmark_group("authz-check");
    let mut scales = vec![SMALL];
    if !test_mode() {
        scales.push(large_scale());
    }
    let mut largest = None;
    for scale in scales {
        let data = Dataset::generate(scale);
        let requests = data.requests(10_000, 0xbe9c);
        let users = scale.users();
        let side = SundhedSide::build(&data);
        let prepared: Vec<_> = requests.iter().map(|r| side.prepare(r)).collect();
        for (p, r) in prepared.iter().zip(&requests) {
            assert_eq!(side.check(p), r.allowed, "sundhed decided {r:?} wrongly");
        }
        let mut i = 0;
        group.bench_function(format!("sundhed/{users}"), |b| {
            b.iter(|| {
                i = if i + 1 == prepared.len() { 0 } else { i + 1 };
                side.check(black_box(&prepared[i]))
            });
        });
        largest = Some(side);
        // Cedar in this process only up to the medium scale (the full scale is in the report).
        if scale.users() > MEDIUM.users() {
            continue;
        }
        let mut variants = vec![Variant::Attrs, Variant::TemplatesSliced];
        if scale.users() == SMALL.users() {
            variants.push(Variant::TemplatesFull);
        }
        for variant in variants {
            let side = CedarSide::build(&data, variant);
            let prepared: Vec<_> = requests.iter().map(|r| side.prepare(r)).collect();
            for (p, r) in prepared.iter().zip(&requests).take(200) {
                assert_eq!(
                    side.check(p),
                    r.allowed,
                    "{} decided {r:?} wrongly",
                    variant.name()
                );
            }
            let mut i = 0;
            group.bench_function(format!("{}/{users}", variant.name()), |b| {
                b.iter(|| {
                    i = if i + 1 == prepared.len() { 0 } else { i + 1 };
                    side.check(black_box(&prepared[i]))
                });
            });
        }
    }
    group.finish();
    largest
}

/// `authz-admin/...`: a grant by a co-admin (every delegation check), and removing a
/// co-admin whose grants support 1 000 others (cascading revocation).
fn bench_admin(c: &mut Criterion, large: Option<SundhedSide>) {
    if !wants("authz-admin") {
        return;
    }
    let mut group = c.benchmark_group("authz-admin");
    let at = sundhed::at();
    let mut side = large.unwrap_or_else(|| SundhedSide::build(&Dataset::generate(SMALL)));
    let users = side.users.len();
    // A co-admin of organisation 0 grants a right to another user: every delegation check
    // runs (admin in scope, the grantor holds a qualifying admin grant and the right itself,
    // the ceiling, the interval inside the supports'). `handle` only: it changes nothing, so
    // it repeats.
    let co_admin = side.appoint_co_admin(0, 0);
    let target = side.dir.users_of(side.orgs[0].cvr)[5];
    let command = side.grant_command(target, 1, 0, 3);
    let actor = Actor::User(co_admin);
    let events = side.dir.handle(actor, &command, at);
    assert!(events.is_ok(), "grant refused: {events:?}");
    group.bench_function(format!("grant-by-co-admin-handle/{users}"), |b| {
        b.iter(|| side.dir.handle(actor, black_box(&command), at).is_ok());
    });
    drop(side);
    // The same grant handled and applied, on a fresh clone of a 1 000-user directory each
    // time (the clone and its drop are outside the timing).
    let mut small = SundhedSide::build(&Dataset::generate(SMALL));
    let co_admin = small.appoint_co_admin(0, 0);
    let target = small.dir.users_of(small.orgs[0].cvr)[5];
    let command = small.grant_command(target, 1, 0, 3);
    let actor = Actor::User(co_admin);
    group.bench_function(
        format!("grant-by-co-admin-execute/{}", small.users.len()),
        |b| {
            b.iter_batched(
                || small.dir.clone(),
                |mut dir| (dir.execute(actor, &command, at).is_ok(), dir),
                BatchSize::PerIteration,
            );
        },
    );
    // Removing a co-admin whose admin grants support 1 000 grants: the cascade revokes all.
    let (dir, actor, remove) = sundhed::cascade_fixture(1_000);
    let events = dir.handle(actor, &remove, at).unwrap();
    let revoked = events
        .iter()
        .filter(|e| matches!(e.change, Change::GrantRevoked { .. }))
        .count();
    println!("authz-admin: removing the co-admin revokes {revoked} grants");
    assert!(revoked > 1_000);
    group.bench_function("cascade-remove-co-admin-1000-dependants/handle", |b| {
        b.iter(|| dir.handle(actor, black_box(&remove), at).is_ok());
    });
    group.bench_function("cascade-remove-co-admin-1000-dependants/execute", |b| {
        b.iter_batched(
            || dir.clone(),
            |mut d| (d.execute(actor, &remove, at).is_ok(), d),
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn report() {
    if std::env::var("SUNDHED_BENCH_REPORT").is_ok_and(|v| v == "0") {
        return;
    }
    if !wants("authz-report") || std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: &[usize] = if test_mode() {
        &[1, 8]
    } else {
        &[1, 8, 64, 512]
    };
    for mib in sizes {
        report::memory_latency(*mib);
    }
    let scale = large_scale();
    let requests = if test_mode() { 1_000 } else { 100_000 };
    report::run(
        &["sundhed", "cedar-attrs", "cedar-templates-sliced"],
        scale,
        requests,
    );
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let parts: Vec<&str> = spec.split(':').collect();
        let scale = Scale {
            orgs: parts[1].parse().unwrap(),
            users_per_department: parts[2].parse().unwrap(),
        };
        report::child(parts[0], scale, parts[3].parse().unwrap());
        return;
    }
    report();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args();
    let large = bench_checks(&mut criterion);
    bench_admin(&mut criterion, large);
    criterion.final_summary();
}
