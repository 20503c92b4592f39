//! The delegated-administration directory under arbitrary command sequences.
//!
//! The standard world (`sundhed_testkit::directory`: two forms, two organisations with
//! ceilings and a department tree) is driven by a sequence of operations built from the input
//! with `arbitrary` (`sundhed_testkit::ops::directory`): any actor, any ids (existing or not),
//! any times. After every command:
//! - a refusal names at least one rule, shows every rule id, and leaves the directory equal to
//!   what it was (D-refusal);
//! - every event survives a JSON round trip;
//! - the invariants of `Driver::broken_invariants` hold: replaying the event log into an empty
//!   directory gives the same directory; D1 every grant's right is in its organisation's
//!   ceiling (for organisation support); D4 every delegated grant has a live admin grant and a
//!   live held grant behind it; D7 every organisation keeps a primary admin; D9/D11 `check`
//!   allows exactly what `permissions` lists, with reasons when it allows.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sundhed_authorisation::DirectoryEvent;
use sundhed_testkit::ops::directory::{DirectoryOp, Driver};

fuzz_target!(|ops: Vec<DirectoryOp>| {
    let driver = Driver::new();
    assert!(
        driver.is_ok(),
        "the directory world does not build: {:?}",
        driver.as_ref().err()
    );
    let Ok(mut world) = driver else { return };
    for op in ops.iter().take(48) {
        let Some((actor, command)) = world.command(op) else {
            continue;
        };
        let before = world.world.dir.clone();
        match world.world.dir.execute(actor, &command, world.at) {
            Ok(events) => {
                for event in &events {
                    let json = serde_json::to_string(event);
                    assert!(json.is_ok(), "an event does not serialise");
                    let back = json.map(|j| serde_json::from_str::<DirectoryEvent>(&j));
                    let back = back.ok().and_then(Result::ok);
                    assert_eq!(back.as_ref(), Some(event), "an event does not round-trip");
                }
                world.world.log.extend(events);
            }
            Err(refusal) => {
                assert!(
                    world.world.dir == before,
                    "a refused command changed the directory"
                );
                assert!(!refusal.violations().is_empty(), "a refusal without a rule");
                let message = refusal.to_string();
                for rule in refusal.rules() {
                    assert!(
                        message.contains(rule.as_str()),
                        "`{message}` does not name {rule}"
                    );
                }
            }
        }
        let broken = world.broken_invariants();
        assert!(broken.is_empty(), "invariants broken: {broken:?}");
    }
});
