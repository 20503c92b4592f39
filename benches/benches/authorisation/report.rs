//! The full-scale comparison: each side is built and asked in a child process of its own, so
//! its resident memory is measured alone and returned to the system afterwards.
//!
//! Per side the child prints one `authz-report` line: build time, resident memory before and
//! after the build (`/proc/self/statm`) and the peak (`VmHWM`), and the per-check latency
//! distribution of `REQUESTS` random requests (half allowed, half denied), each timed alone
//! with `std::time::Instant` (the timer's own cost, measured on an empty closure, is printed
//! as `timer_ns` and included in the figures). Every decision is compared with the expected
//! one; `mismatches` must be 0.

use std::time::Instant;

use super::cedar::{CedarSide, Variant};
use super::data::{Dataset, RequestIdx, Scale};
use super::sundhed::SundhedSide;

const PAGE: u64 = 4096;

/// Resident memory now, in bytes.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * PAGE)
}

/// Peak resident memory so far (`VmHWM`), in bytes.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
            })
        })
        .map_or(0, |kib| kib * 1024)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Latency percentiles (nanoseconds) of per-check timings.
pub struct Percentiles {
    pub median: u64,
    pub p99: u64,
    pub p999: u64,
    pub max: u64,
}

pub fn percentiles(mut ns: Vec<u64>) -> Percentiles {
    ns.sort_unstable();
    let at = |q: f64| {
        let i = ((ns.len() as f64 - 1.0) * q).round() as usize;
        ns.get(i).copied().unwrap_or(0)
    };
    Percentiles {
        median: at(0.5),
        p99: at(0.99),
        p999: at(0.999),
        max: ns.last().copied().unwrap_or(0),
    }
}

/// The cost of timing nothing, the median over many tries.
fn timer_overhead() -> u64 {
    let samples: Vec<u64> = (0..100_000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(());
            u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX)
        })
        .collect();
    percentiles(samples).median
}

/// Times each request alone; returns (per-check ns, mismatching decisions).
fn time_checks<P>(
    requests: &[RequestIdx],
    prepare: impl Fn(&RequestIdx) -> P,
    check: impl Fn(&P) -> bool,
) -> (Vec<u64>, usize) {
    let prepared: Vec<P> = requests.iter().map(&prepare).collect();
    // Warm-up: one pass, untimed.
    for p in &prepared {
        std::hint::black_box(check(p));
    }
    let mut ns = Vec::with_capacity(requests.len());
    let mut mismatches = 0;
    for (p, r) in prepared.iter().zip(requests) {
        let t = Instant::now();
        let allowed = check(std::hint::black_box(p));
        ns.push(u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX));
        if allowed != r.allowed {
            mismatches += 1;
        }
    }
    (ns, mismatches)
}

/// Child-process entry: `side` is `sundhed` or a Cedar variant name.
pub fn child(side: &str, scale: Scale, requests: usize) {
    let data = Dataset::generate(scale);
    let reqs = data.requests(requests, 0x5eed);
    let timer = timer_overhead();
    let before = rss_bytes();
    let start = Instant::now();
    let (ns, mismatches) = match side {
        "sundhed" => {
            let dir = SundhedSide::build(&data);
            let build = start.elapsed();
            let after = rss_bytes();
            let r = time_checks(&reqs, |r| dir.prepare(r), |p| dir.check(p));
            print_build(side, scale, build.as_secs_f64(), before, after);
            r
        }
        _ => {
            let variant = match side {
                "cedar-attrs" => Variant::Attrs,
                "cedar-templates-sliced" => Variant::TemplatesSliced,
                _ => Variant::TemplatesFull,
            };
            let cedar = CedarSide::build(&data, variant);
            let build = start.elapsed();
            let after = rss_bytes();
            let r = time_checks(&reqs, |r| cedar.prepare(r), |p| cedar.check(p));
            print_build(side, scale, build.as_secs_f64(), before, after);
            r
        }
    };
    let n = ns.len();
    let p = percentiles(ns);
    println!(
        "authz-report side={side} scale={} requests={n} median_ns={} p99_ns={} p999_ns={} max_ns={} timer_ns={timer} mismatches={mismatches}",
        scale.label(),
        p.median,
        p.p99,
        p.p999,
        p.max,
    );
}

fn print_build(side: &str, scale: Scale, secs: f64, before: u64, after: u64) {
    println!(
        "authz-report side={side} scale={} users={} build_s={secs:.2} rss_before_mib={:.0} rss_after_mib={:.0} rss_delta_mib={:.0} peak_mib={:.0}",
        scale.label(),
        scale.users(),
        mib(before),
        mib(after),
        mib(after.saturating_sub(before)),
        mib(peak_rss_bytes()),
    );
}

/// Runs each side in a child process of this same executable, one after the other, and
/// passes its output through.
pub fn run(sides: &[&str], scale: Scale, requests: usize) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    for side in sides {
        let spec = format!(
            "{side}:{}:{}:{requests}",
            scale.orgs, scale.users_per_department
        );
        match std::process::Command::new(&exe)
            .env(super::CHILD_ENV, &spec)
            .output()
        {
            Ok(out) => {
                print!("{}", String::from_utf8_lossy(&out.stdout));
                if !out.status.success() {
                    println!(
                        "authz-report side={side} FAILED status={} stderr={}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                            .lines()
                            .last()
                            .unwrap_or("")
                    );
                }
            }
            Err(e) => println!("authz-report side={side} FAILED to start: {e}"),
        }
    }
}

/// The machine's cost of one dependent random load from a working set of `mib` MiB (a
/// pointer chase over a random cycle): what one cache miss in `check` costs at that size.
pub fn memory_latency(mib: usize) {
    let n = mib * 1024 * 1024 / 8;
    let mut next: Vec<usize> = (0..n).collect();
    let mut rng = super::data::Rng::new(0x1a7e);
    for i in (1..n).rev() {
        let j = usize::try_from(rng.next_u64() % (i as u64)).unwrap_or(0);
        next.swap(i, j);
    }
    let steps = 1_000_000;
    let mut p = 0;
    let start = Instant::now();
    for _ in 0..steps {
        p = next.get(p).copied().unwrap_or(0);
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(steps);
    println!(
        "authz-report memory-latency working_set_mib={mib} ns_per_dependent_load={ns:.1} (end {p})"
    );
}
