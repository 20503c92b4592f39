//! Hardening (issue 8): malformed forms, commands, activation codes and logs are refused with
//! a clear error naming its rule, and nothing is lost: a refused command leaves the state and
//! the log as they were, and events applied out of order never panic.

use sundhed_authorisation::Actor;
use sundhed_workflow::{
    ActivationCode, Command, Event, EventLog, FormAlgorithm, MemoryEventLog, SebCaseId, SebCommand,
    SeiCaseId, SeiCommand, SignedForm, State, UserCommand,
};

use sundhed_testkit::oces::at;
use sundhed_testkit::onboarding::{
    Steps, given, sei_attestation, sei_enrolment, sei_notification, signed_onboarding_form,
};

fn rules_of(err: &sundhed_workflow::WorkflowError) -> Vec<&'static str> {
    err.rules().iter().map(|r| r.as_str()).collect()
}

#[test]
fn hardening_malformed_forms_and_commands_are_refused_and_change_nothing() {
    let (cast, mut registry) = given().unwrap();
    let signed = signed_onboarding_form(&cast, &cast.officer).unwrap();
    let good_signature = signed.signature().to_vec();
    let chain: Vec<Vec<u8>> = signed.chain().map(<[u8]>::to_vec).collect();
    let with = |signature: Vec<u8>, chain: Vec<Vec<u8>>, algorithm| {
        Command::Seb(SebCommand::Submit {
            form: Box::new(
                SignedForm::new(signed.bytes().to_vec(), algorithm, signature, chain).unwrap(),
            ),
        })
    };
    let truncated_chain: Vec<Vec<u8>> = chain.iter().map(|c| c[..c.len() / 2].to_vec()).collect();
    let mut flipped = good_signature.clone();
    flipped[10] ^= 0x80;
    let huge_notification = sundhed_workflow::SeiNotification {
        hospital: "Ø".repeat(1 << 18),
        ..sei_notification().unwrap()
    };
    let rows: Vec<(&str, Command, &[&str])> = vec![
        (
            "no signature",
            with(vec![], chain.clone(), FormAlgorithm::RsaPkcs1Sha256),
            &["WF-FORM-01"],
        ),
        (
            "no certificate",
            with(
                good_signature.clone(),
                vec![],
                FormAlgorithm::RsaPkcs1Sha256,
            ),
            &["WF-FORM-01"],
        ),
        (
            "a truncated certificate chain",
            with(
                good_signature.clone(),
                truncated_chain,
                FormAlgorithm::RsaPkcs1Sha256,
            ),
            &["WF-FORM-02"],
        ),
        (
            "a certificate that is not DER",
            with(
                good_signature.clone(),
                vec![b"-----BEGIN CERTIFICATE-----".to_vec()],
                FormAlgorithm::RsaPkcs1Sha256,
            ),
            &["WF-FORM-02"],
        ),
        (
            "a flipped signature bit",
            with(flipped, chain.clone(), FormAlgorithm::RsaPkcs1Sha256),
            &["WF-FORM-03"],
        ),
        (
            "a PKCS#1 signature labelled PSS",
            with(
                good_signature.clone(),
                chain.clone(),
                FormAlgorithm::RsaPssSha256,
            ),
            &["WF-FORM-03"],
        ),
        (
            "a huge signature",
            with(
                vec![0xff; 1 << 20],
                chain.clone(),
                FormAlgorithm::RsaPkcs1Sha256,
            ),
            &["WF-FORM-03"],
        ),
        (
            "a notification signed by an organisation certificate",
            Command::Sei(SeiCommand::Notify {
                form: Box::new(cast.voces.sign(sei_notification().unwrap()).unwrap()),
            }),
            &["WF-FORM-04"],
        ),
        (
            "a huge non-ASCII hospital name, signed by another hospital's doctor",
            Command::Sei(SeiCommand::Notify {
                form: Box::new(cast.officer.sign(huge_notification).unwrap()),
            }),
            &["WF-FORM-05"],
        ),
        (
            "an enrolment for a case that does not exist",
            Command::Sei(SeiCommand::Enrol {
                case: SeiCaseId::new(u32::MAX),
                form: Box::new(
                    cast.local_admin
                        .sign(sei_enrolment(sundhed_workflow::Digest::ZERO).unwrap())
                        .unwrap(),
                ),
            }),
            &["WF-STATE-01"],
        ),
        (
            "approving a case that does not exist",
            Command::Seb(SebCommand::Approve {
                case: SebCaseId::new(7),
            }),
            &["WF-STATE-01"],
        ),
        (
            "a cross-check before any enrolment",
            Command::Sei(SeiCommand::CrossCheck {
                case: SeiCaseId::new(0),
                attestation: Some(sei_attestation(&cast, 0).unwrap()),
            }),
            &["WF-STATE-01"],
        ),
    ];
    let mut wrong = Vec::new();
    for (what, command, expected) in &rows {
        let before = registry.state().clone();
        let head = registry.head();
        match registry.authority(command, 5) {
            Ok(events) => wrong.push(format!("{what}: accepted ({} events)", events.len())),
            Err(err) => {
                let rules = rules_of(&err);
                let message = err.to_string();
                if !expected.iter().any(|r| rules.contains(r)) {
                    wrong.push(format!("{what}: expected {expected:?}, got {message}"));
                }
                for rule in &rules {
                    assert!(message.contains(rule), "{what}: `{message}` lacks {rule}");
                }
            }
        }
        assert!(*registry.state() == before, "{what}: the state changed");
        assert_eq!(registry.head(), head, "{what}: the log changed");
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn hardening_malformed_activation_codes_are_refused() {
    for (code, rule) in [
        ("", "WF-CODE-01"),
        ("short", "WF-CODE-01"),
        ("123456789", "WF-CODE-01"),
        ("æøå-æøå-æøå-æøå", "WF-CODE-01"),
        ("tab\there-and-long", "WF-CODE-01"),
        ("line\nbreak-and-long", "WF-CODE-01"),
    ] {
        let err = ActivationCode::new(code).unwrap_err();
        assert_eq!(err.rule().as_str(), rule, "{code:?}: {err}");
        assert!(err.to_string().contains(rule), "{code:?}: {err}");
    }
}

#[test]
fn hardening_logs_out_of_order_or_cut_are_refused_with_their_rule() {
    let (cast, mut registry) = given().unwrap();
    sundhed_testkit::onboarding::seb_onboard(&mut registry, &cast).unwrap();
    let log = registry.log().clone();
    let lines = log.lines().to_vec();
    assert!(lines.len() >= 6);
    let mut swapped = lines.clone();
    swapped.swap(2, 3);
    let mut dropped = lines.clone();
    dropped.remove(2);
    let mut doubled = lines.clone();
    doubled.insert(3, lines[2].clone());
    let mut first_changed = lines.clone();
    first_changed[0] = first_changed[0].replacen("FMK", "FMX", 1);
    let cases: Vec<(&str, Vec<String>, &[&str])> = vec![
        ("two records swapped", swapped, &["WF-LOG-02"]),
        ("a record removed", dropped, &["WF-LOG-02"]),
        ("a record repeated", doubled, &["WF-LOG-02"]),
        ("an edited record", first_changed, &["WF-LOG-03"]),
        (
            "an empty line",
            vec![String::new()],
            &["WF-LOG-01", "WF-LOG-05"],
        ),
        (
            "not JSON",
            vec!["ø".repeat(1000)],
            &["WF-LOG-01", "WF-LOG-05"],
        ),
        (
            "a huge line",
            vec![format!("{{\"seq\":1,\"x\":\"{}\"}}", "a".repeat(1 << 20))],
            &["WF-LOG-01", "WF-LOG-05"],
        ),
    ];
    for (what, lines, expected) in cases {
        let mut tampered: MemoryEventLog<Event> = MemoryEventLog::new();
        *tampered.lines_mut() = lines;
        let err = tampered.verify().unwrap_err();
        assert!(
            expected.contains(&err.rule().as_str()),
            "{what}: expected {expected:?}, got {err}"
        );
        assert!(
            err.to_string().contains(err.rule().as_str()),
            "{what}: {err}"
        );
        let err = State::replay(&tampered).unwrap_err();
        assert!(expected.contains(&err.rule().as_str()), "{what}: {err}");
    }
}

#[test]
fn hardening_events_out_of_order_apply_without_panicking_or_inventing_rights() {
    let (cast, mut registry) = given().unwrap();
    let (_, admin) = sundhed_testkit::onboarding::seb_onboard(&mut registry, &cast).unwrap();
    let events: Vec<Event> = registry.events().unwrap();
    // Backwards, and each event twice: apply never fails.
    let mut backwards = State::new();
    for event in events.iter().rev() {
        backwards.apply(event);
        backwards.apply(event);
    }
    // Only the later half: the administrator exists in neither, so nothing is allowed.
    let mut tail_only = State::new();
    for event in &events[events.len() / 2..] {
        tail_only.apply(event);
    }
    for state in [&backwards, &tail_only] {
        let outcome = state.handle(
            registry.forms(),
            Actor::User(admin),
            &Command::Users(UserCommand::FetchSettings),
            at(9),
        );
        if let Err(refusal) = outcome {
            let message = refusal.to_string();
            assert!(!refusal.violations().is_empty(), "{message}");
            for v in refusal.violations() {
                assert!(message.contains(v.rule().as_str()), "{message}");
            }
        }
    }
    // The live state is unchanged by all this.
    assert_eq!(&State::replay(registry.log()).unwrap(), registry.state());
}
