//! Reading the workflow event log: `FileEventLog::open`, `repair`, `verify`, `read_from` and
//! `State::replay` on arbitrary bytes, on a valid log with arbitrary bytes spliced in, and on
//! arbitrary events appended to a fresh log.
//!
//! Invariants: nothing panics; every error names its rule id (`WF-LOG-*`); after a
//! successful `repair` the log opens without a torn tail and a second `repair` drops nothing;
//! a log that verifies reads back as many records as its head says and replays; arbitrary
//! events appended to a log verify and replay to the state they build when applied directly.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use sundhed_authorisation::{Actor, DirectoryCommand, FormKind, NewDepartment, NewUser, RightSpec};
use sundhed_fuzz::assert_names_rule;
use sundhed_signing::Policy;
use sundhed_workflow::{
    Command, Event, EventLog, FileEventLog, FormVerifier, LogError, MemoryEventLog, Registry, State,
};

/// The lines of a valid log: a form, an organisation with its first admin, a ceiling.
fn valid_lines() -> &'static Vec<String> {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| build_valid_log().unwrap_or_default())
}

fn build_valid_log() -> Option<Vec<String>> {
    let forms = FormVerifier::new(Vec::new(), Policy::oces2_test());
    let mut registry = Registry::open(MemoryEventLog::new(), forms).ok()?;
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single()?;
    let right = |code: &str, admin| RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: !admin,
    };
    let cvr = "29190623".parse().ok()?;
    let commands = [
        DirectoryCommand::DefineForm {
            code: "SEI-TVANG-PSYK".into(),
            name: "Tvang i psykiatrien".into(),
            kind: FormKind::SeiForm,
            rights: vec![right("ADMIN", true), right("INDBERET", false)],
        },
        DirectoryCommand::RegisterOrganisation {
            cvr,
            name: "Region Hovedstaden".into(),
            department: NewDepartment {
                name: "Psykiatrisk Center".into(),
                shak: "1301".parse().ok(),
                sor: None,
            },
            primary_admin: NewUser {
                person: "0707614285".parse().ok()?,
                certificates: vec![],
            },
        },
    ];
    for command in commands {
        registry
            .handle(Actor::Authority, &Command::Directory(command), at)
            .ok()?;
    }
    let rights = registry
        .state()
        .directory()
        .forms()
        .flat_map(|f| f.rights().map(|(id, _)| id))
        .collect();
    registry
        .handle(
            Actor::Authority,
            &Command::Directory(DirectoryCommand::SetCeiling {
                organisation: cvr,
                rights,
            }),
            at,
        )
        .ok()?;
    let lines = registry_lines(&registry);
    assert!(lines.len() >= 5, "the valid log has {} lines", lines.len());
    Some(lines)
}

fn registry_lines(registry: &Registry<MemoryEventLog<Event>>) -> Vec<String> {
    registry.log().lines().to_vec()
}

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = PathBuf::from("/dev/shm");
        let dir = if dir.is_dir() {
            dir
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("sundhed-fuzz-log-{}.jsonl", std::process::id()))
    })
}

fn check_error(e: &LogError) {
    assert_names_rule(e, e.rule());
}

/// Opens, repairs, verifies, reads and replays the log file holding `bytes`.
fn read_file(bytes: &[u8]) {
    let path = path();
    if std::fs::write(path, bytes).is_err() {
        return;
    }
    match FileEventLog::<Event>::open(path) {
        Ok(log) => read_log(&log),
        Err(e) => {
            check_error(&e);
            if e.rule().as_str() == "WF-LOG-05" {
                match FileEventLog::<Event>::repair(path) {
                    Ok(repaired) => {
                        let again = FileEventLog::<Event>::open(path);
                        if let Err(e) = &again {
                            check_error(e);
                            assert_ne!(e.rule().as_str(), "WF-LOG-05", "torn after repair: {e}");
                        }
                        let second = FileEventLog::<Event>::repair(path);
                        assert!(
                            second.as_ref().is_ok_and(|r| r.dropped_bytes == 0),
                            "repair is not idempotent: {repaired:?} then {second:?}"
                        );
                    }
                    Err(e) => check_error(&e),
                }
            }
        }
    }
}

fn read_log<L: EventLog<Event>>(log: &L) {
    match log.verify() {
        Ok(head) => {
            let records = log.read_from(1);
            match &records {
                Ok(records) => {
                    assert_eq!(
                        u64::try_from(records.len()).ok(),
                        Some(head.len),
                        "head and records disagree"
                    );
                    for (i, record) in records.iter().enumerate() {
                        assert_eq!(u64::try_from(i + 1).ok(), Some(record.seq()));
                    }
                }
                Err(e) => check_error(e),
            }
            match State::replay(log) {
                Ok(_) => {}
                Err(e) => check_error(&e),
            }
        }
        Err(e) => {
            check_error(&e);
            assert!(
                State::replay(log).is_err(),
                "a log that does not verify replayed"
            );
        }
    }
}

/// With `SUNDHED_FUZZ_WRITE_SEEDS=<dir>`, writes seeds for every mode there (once): the valid
/// log as a file (whole and torn), a splice, and its events one JSON object per line.
fn write_seeds() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let Some(dir) = std::env::var_os("SUNDHED_FUZZ_WRITE_SEEDS") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let lines = valid_lines();
        let text = format!("{}\n", lines.join("\n"));
        let events: Vec<String> = lines
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("event").map(ToString::to_string))
            .collect();
        let torn = text.get(..text.len() / 2).unwrap_or_default();
        let seeds: [(&str, Vec<u8>); 4] = [
            ("valid-file", [b"\x00".as_slice(), text.as_bytes()].concat()),
            (
                "valid-file-torn",
                [b"\x00".as_slice(), torn.as_bytes()].concat(),
            ),
            ("splice", b"\x01\x00\x00\n".to_vec()),
            (
                "events",
                [b"\x02".as_slice(), events.join("\n").as_bytes()].concat(),
            ),
        ];
        for (name, bytes) in seeds {
            let _ = std::fs::write(dir.join(format!("seed-{name}")), bytes);
        }
    });
}

fuzz_target!(|data: &[u8]| {
    write_seeds();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => read_file(rest),
        1 => {
            // A valid log with the rest spliced in at a position the first two bytes choose.
            let mut text = valid_lines().join("\n").into_bytes();
            text.push(b'\n');
            let (at, insert) = match rest {
                [a, b, insert @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), insert),
                _ => (0, rest),
            };
            let at = at % (text.len() + 1);
            let cut = insert.first().map_or(0, |c| usize::from(*c % 8));
            let end = (at + cut).min(text.len());
            let mut spliced = text.get(..at).unwrap_or_default().to_vec();
            spliced.extend_from_slice(insert);
            spliced.extend_from_slice(text.get(end..).unwrap_or_default());
            read_file(&spliced);
        }
        _ => {
            // Arbitrary events, one JSON object per line, appended to a fresh log.
            let events: Vec<Event> = rest
                .split(|b| *b == b'\n')
                .filter_map(|line| serde_json::from_slice(line).ok())
                .collect();
            let mut log = MemoryEventLog::<Event>::new();
            match log.append(&events) {
                Ok(head) => {
                    assert_eq!(u64::try_from(events.len()).ok(), Some(head.len));
                    let verified = log.verify();
                    assert!(
                        verified.is_ok(),
                        "a fresh log does not verify: {verified:?}"
                    );
                    let mut direct = State::new();
                    for event in &events {
                        direct.apply(event);
                    }
                    let replayed = State::replay(&log);
                    assert!(
                        replayed.as_ref().is_ok_and(|s| *s == direct),
                        "replay differs from applying"
                    );
                }
                Err(e) => check_error(&e),
            }
        }
    }
});
