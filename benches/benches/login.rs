//! Logging in (issue 12): `Registry::login` from a chain the host verified, which verifies the
//! path again with the registry's own anchors, policy and revocation lists (`WF-LOGIN-05`) and
//! finds the user by holder id with CVR; beside it, what the host's own verification of the
//! same chain costs (`Verifier::verify`, cached and uncached), so the price of trusting only
//! the registry's anchors reads as a ratio.
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench login`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use sundhed_signing::{Cert, Policy, Verifier};
use sundhed_testkit::oces::{at, trust_anchors};
use sundhed_testkit::onboarding::{given, sei_onboard};

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let (cast, mut registry) = given().unwrap();
    sei_onboard(&mut registry, &cast).unwrap();
    let when = at(20);
    let chain = cast.local_admin.verified_at(when).unwrap();
    let certs: Vec<Cert> = cast
        .local_admin
        .chain
        .iter()
        .map(|der| Cert::from_der(der).unwrap())
        .collect();
    let (leaf, intermediates) = certs.split_first().unwrap();
    let verifier = Verifier::new(trust_anchors().unwrap(), Policy::oces2_test());

    let mut group = c.benchmark_group("login");
    group.bench_function("registry-login", |b| {
        b.iter(|| black_box(registry.login(black_box(&chain), when).unwrap()));
    });
    group.bench_function("verify-chain-cached", |b| {
        b.iter(|| black_box(verifier.verify(leaf, intermediates, &[], when).unwrap()));
    });
    group.bench_function("verify-chain-uncached", |b| {
        b.iter(|| {
            black_box(
                verifier
                    .verify_uncached(leaf, intermediates, &[], when)
                    .unwrap(),
            )
        });
    });
    group.finish();
    c.final_summary();
}
