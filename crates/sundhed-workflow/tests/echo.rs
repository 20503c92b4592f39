//! ID-CPR-06 through the event log: a damaged or hostile log line is repeated in an error only
//! through `shown`, so a CPR number or a forged line break in it does not reach the host's
//! logs. Found by an attack through the public API (serde's message quoted the line raw).

use chrono::{TimeZone, Utc};
use sundhed_authorisation::{Actor, DirectoryCommand, FormKind, RightSpec};
use sundhed_workflow::{Command, EventLog, MemoryEventLog, State, rules};

/// A log of one record: the authority defines a service.
fn one_record_log() -> MemoryEventLog<sundhed_workflow::Event> {
    let mut log = MemoryEventLog::new();
    let at = Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap();
    let define = DirectoryCommand::DefineForm {
        code: "FMK".into(),
        name: "Fælles Medicinkort".into(),
        kind: FormKind::SebService,
        rights: vec![RightSpec {
            code: "ADMIN".into(),
            name: "ADMIN".into(),
            administers_users: true,
            personal_data: false,
        }],
    };
    let forms =
        sundhed_workflow::FormVerifier::new(Vec::new(), sundhed_signing::Policy::oces2_test());
    let events = State::new()
        .handle(&forms, Actor::Authority, &Command::Directory(define), at)
        .unwrap();
    log.append(&events).unwrap();
    log
}

#[test]
fn id_cpr_06_a_hostile_log_line_is_masked_and_escaped_in_the_error() {
    let mut log = one_record_log();
    let line = &mut log.lines_mut()[0];
    *line = line.replacen('{', "{\"070761-4285\\r\\n070761\\t4285\":2,", 1);
    let err = State::replay(&log).unwrap_err();
    assert_eq!(err.rule(), rules::RECORD_FORM, "{err}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("4285"), "{text}");
        assert!(!text.contains(['\n', '\r', '\t']), "{text}");
    }
}

/// ID-CPR-06 through a signed form: the codes a form asks for are anyone's text (a form is
/// submitted by any sender), so a refusal repeats them only through `shown`.
#[test]
fn id_cpr_06_codes_on_a_signed_form_are_masked_and_escaped_in_the_refusal() {
    use sundhed_testkit::onboarding::{Steps, given, seb_onboarding_form_asking};

    let (cast, mut registry) = given().unwrap();
    let hostile = "12070761-4285\r\n070761\t4285";
    for (service, role) in [(hostile, "LAEGE"), ("FMK", hostile)] {
        let form = seb_onboarding_form_asking(&cast, service, role).unwrap();
        let err = registry
            .submit(cast.officer.sign(form).unwrap(), 1)
            .unwrap_err();
        assert_eq!(err.rules(), [rules::REQUESTED_RIGHTS], "{err}");
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("4285"), "{text}");
            assert!(!text.contains(['\n', '\r', '\t']), "{text}");
        }
    }
}

/// Issue 12 item 8: a CPR number in a damaged record — as a bare line, in `seq`, as a JSON
/// number in place of a string, in place of a type name — is never shown in full.
#[test]
fn id_cpr_06_a_cpr_anywhere_in_a_damaged_record_is_masked() {
    let cpr = "1506824008";
    let mut log = one_record_log();
    let good = log.lines()[0].clone();
    let damaged = [
        cpr.to_owned(),
        good.replacen("\"seq\":1", &format!("\"seq\":{cpr}"), 1),
        good.replacen("\"code\":\"FMK\"", &format!("\"code\":{cpr}"), 1),
        good.replacen(
            "\"type\":\"FormDefined\"",
            &format!("\"type\":\"{cpr}\""),
            1,
        ),
        good.replacen(
            "\"stream\":\"Directory\"",
            &format!("\"stream\":\"{cpr}\""),
            1,
        ),
    ];
    for line in damaged {
        assert_ne!(line, good, "the damage took");
        log.lines_mut()[0] = line.clone();
        let err = State::replay(&log).unwrap_err();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(cpr), "{line}: {text}");
        }
    }
}

/// ID-CPR-06: the in-memory log's `Debug` shows how many records it holds and its head, never
/// the records, which keep the people named on forms in full (found by an attack: the chief
/// physician's and the local administrator's CPR numbers came out of `{log:?}`).
#[test]
fn id_cpr_06_the_memory_log_debug_shows_no_record() {
    use sundhed_testkit::onboarding::{Steps, given, sei_notification};

    let (cast, mut registry) = given().unwrap();
    let notification = sei_notification().unwrap();
    let named = notification.local_administrator.person.expose().to_owned();
    registry
        .notify(cast.chief.sign(notification).unwrap(), 1)
        .unwrap();
    // The log keeps the signed bytes as hex, and the person in them.
    let hex: String = named.bytes().map(|b| format!("{b:02x}")).collect();
    assert!(registry.log().lines().iter().any(|l| l.contains(&hex)));
    let text = format!("{:?} {:?}", registry.log(), registry);
    assert!(!text.contains(&named) && !text.contains(&hex), "{text}");
}
