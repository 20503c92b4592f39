//! Replay: rebuilding the state (directory and procedures) from an event log of about
//! 1 000 000 events, with sundhed-workflow's `State::replay`, which verifies every record's
//! SHA-256 chain, deserialises it and applies it.
//!
//! The log is the directory events of building `REPLAY_ORGS` organisations × 10 departments
//! × 100 users with two grants each through commands (`authorisation/sundhed.rs`), wrapped
//! as workflow events. It is appended in batches of 10 000 to an in-memory log and to a file
//! log in a temporary directory (one fsync per batch), then replayed from each, three times;
//! the replayed directory must equal the one built live. Prints `replay-report` lines.
//!
//! Scales: `--test`: 1 organisation (about 3 000 events). Default: 334 organisations
//! (about 1 000 000 events). There are no criterion measurements here: one replay takes
//! seconds, so it is timed directly (min and median of 3).
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench replay`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

#[allow(dead_code, reason = "shared with the authorisation benchmark")]
#[path = "authorisation/data.rs"]
mod data;
#[allow(dead_code, reason = "shared with the authorisation benchmark")]
#[path = "authorisation/sundhed.rs"]
mod sundhed;

use std::time::Instant;

use sundhed_workflow::{EventLog, FileEventLog, MemoryEventLog, State};

use crate::data::{Dataset, Scale};

const REPLAY_ORGS: u32 = 334;
const BATCH: usize = 10_000;

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

fn fill<L: EventLog<sundhed_workflow::Event>>(log: &mut L, events: &[sundhed_workflow::Event]) {
    for chunk in events.chunks(BATCH) {
        log.append(chunk).unwrap();
    }
}

fn time_replay<L: EventLog<sundhed_workflow::Event>>(
    name: &str,
    log: &L,
    expected: &sundhed_authorisation::Directory,
    events: usize,
) {
    let mut secs = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let state = State::replay(log).unwrap();
        secs.push(start.elapsed().as_secs_f64());
        assert!(
            state.directory() == expected,
            "the replayed directory differs"
        );
    }
    secs.sort_by(f64::total_cmp);
    let (min, median) = (secs[0], secs[1]);
    println!(
        "replay-report log={name} events={events} min_s={min:.2} median_s={median:.2} events_per_s_best={:.0} events_per_s_median={:.0}",
        events as f64 / min,
        events as f64 / median,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let orgs = if test_mode() { 1 } else { REPLAY_ORGS };
    let scale = Scale {
        orgs,
        users_per_department: 100,
    };
    let data = Dataset::generate(scale);
    sundhed::record_events();
    let start = Instant::now();
    let side = sundhed::SundhedSide::build(&data);
    let build = start.elapsed().as_secs_f64();
    let events: Vec<sundhed_workflow::Event> = sundhed::take_events()
        .into_iter()
        .map(sundhed_workflow::Event::Directory)
        .collect();
    let n = events.len();
    println!(
        "replay-report built {} users through commands in {build:.2} s: {n} events",
        scale.users()
    );

    let mut memory = MemoryEventLog::new();
    let start = Instant::now();
    fill(&mut memory, &events);
    let append = start.elapsed().as_secs_f64();
    let bytes: usize = memory.lines().iter().map(|l| l.len() + 1).sum();
    println!(
        "replay-report log=memory append_s={append:.2} ({:.0} events/s) bytes={bytes} ({:.0} bytes/event)",
        n as f64 / append,
        bytes as f64 / n as f64
    );
    time_replay("memory", &memory, &side.dir, n);
    drop(memory);

    let dir = std::env::temp_dir().join(format!("sundhed-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.jsonl");
    let mut file = FileEventLog::open(&path).unwrap();
    let start = Instant::now();
    fill(&mut file, &events);
    let append = start.elapsed().as_secs_f64();
    println!(
        "replay-report log=file append_s={append:.2} ({:.0} events/s, batches of {BATCH}, one fsync each)",
        n as f64 / append
    );
    time_replay("file", &file, &side.dir, n);
    drop(file);
    std::fs::remove_dir_all(&dir).unwrap();
}
