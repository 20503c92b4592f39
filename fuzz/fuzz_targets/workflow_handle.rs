//! The workflow registry under arbitrary command sequences (`sundhed_testkit::ops::workflow`):
//! SEB and SEI steps with forms built from the input and signed (validly, with the published
//! OCES2 test keys, or with the wrong key), user commands with arbitrary activation codes, and
//! directory commands, from any actor at any time.
//!
//! Invariants: after every command, a refusal names its rules in its message and changes
//! neither the state nor the log, and an accepted command has at least one event, all in the
//! log; after the sequence, the log verifies and replaying it gives the live state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_testkit::ops::workflow::{Driver, WorkflowOp};
use sundhed_workflow::{EventLog, State};

fuzz_target!(|ops: Vec<WorkflowOp>| {
    let driver = Driver::new();
    assert!(
        driver.is_ok(),
        "the workflow world does not build: {:?}",
        driver.as_ref().err()
    );
    let Ok(mut world) = driver else { return };
    for op in ops.iter().take(24) {
        let Some((actor, command)) = world.command(op) else {
            continue;
        };
        let before: State = world.registry.state().clone();
        let head = world.registry.head();
        match world.registry.handle_unverified(actor, &command, world.at) {
            Ok(events) => {
                // WF-STATE-02: an accepted command always changed something.
                assert!(!events.is_empty(), "a command accepted without an event");
                let len = u64::try_from(events.len()).unwrap_or(u64::MAX);
                let logged = world.registry.head().len;
                assert_eq!(logged, head.len + len, "events not in the log");
            }
            Err(err) => {
                let state = world.registry.state();
                assert!(
                    *state == before,
                    "a refused command changed the state: {err}"
                );
                assert_eq!(
                    world.registry.head(),
                    head,
                    "a refused command changed the log"
                );
                let message = err.to_string();
                for rule in err.rules() {
                    assert!(
                        message.contains(rule.as_str()),
                        "`{message}` does not name {rule}"
                    );
                }
                assert!(
                    !err.rules().is_empty(),
                    "a refusal without a rule: {message}"
                );
            }
        }
    }
    // Once per sequence (replaying after every command made the target ten times slower).
    let verified = world.registry.log().verify();
    assert!(verified.is_ok(), "the log does not verify: {verified:?}");
    let replayed = State::replay(world.registry.log());
    assert!(
        replayed.as_ref().is_ok_and(|s| s == world.registry.state()),
        "replay differs from the live state"
    );
});
