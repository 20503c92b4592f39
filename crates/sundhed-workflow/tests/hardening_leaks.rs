//! Hardening (issue 8): no `Debug`, `Display` or error chain of the workspace's public types
//! shows a CPR serial. This crate depends on all the others, so the whole workspace is driven
//! here: both onboardings end to end (identity values inside authorisation commands and events,
//! signed forms, procedure states, the directory), then refusals and log errors about the same
//! people. Storage forms (serde JSON, the log's lines, canonical form bytes) keep the full
//! number by design and are not checked.

use std::error::Error;
use std::fmt::Debug;

use sundhed_authorisation::{Actor, DirectoryCommand, Grantee};
use sundhed_identity::{Cpr, PersonId};
use sundhed_workflow::{
    Command, Event, EventLog, MemoryEventLog, SebCommand, SeiCommand, State, UserCommand,
};

use sundhed_testkit::oces::at;
use sundhed_testkit::onboarding::{
    Steps, given, seb_onboard, seb_onboarding_form, sei_enrolment, sei_enrolment_for,
    sei_notification, sei_onboard,
};

/// The CPR numbers the scenarios use (`sundhed_testkit::onboarding`), with serials that occur nowhere in
/// their own date digits.
const NUMBERS: [&str; 3] = ["0707614285", "1506824008", "0101701239"];

/// Every way text could carry a serial: right after its birth date (with or without a
/// separator), or as a token of its own.
fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for number in NUMBERS {
        let (date, serial) = number.split_at(6);
        for shown in [
            number.to_owned(),
            format!("{date}-{serial}"),
            format!("{date} {serial}"),
        ] {
            if text.contains(&shown) {
                found.push(format!("{date}-xxxx (as `{date}…`)"));
            }
        }
        if text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|token| token == serial)
        {
            found.push(format!("the serial of {date}-xxxx as a token"));
        }
    }
    found
}

struct Outputs(Vec<(String, String)>);

impl Outputs {
    fn debug(&mut self, what: &str, value: &impl Debug) {
        self.0
            .push((format!("{what} (Debug)"), format!("{value:?}")));
        self.0
            .push((format!("{what} (Debug, pretty)"), format!("{value:#?}")));
    }

    fn error(&mut self, what: &str, err: &(dyn Error + 'static)) {
        let mut text = format!("{err} / {err:?}");
        let mut source = err.source();
        while let Some(e) = source {
            text.push_str(&format!(" / {e} / {e:?}"));
            source = e.source();
        }
        self.0.push((format!("{what} (error chain)"), text));
    }

    fn assert_clean(&self) {
        let mut bad = Vec::new();
        for (what, text) in &self.0 {
            for leak in leaks(text) {
                bad.push(format!("{what}: {leak}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        assert!(self.0.len() > 20, "only {} outputs checked", self.0.len());
    }
}

#[test]
fn hardening_leaks_the_detector_finds_what_it_must() {
    assert!(!leaks("cpr 070761-4285").is_empty());
    assert!(!leaks("0707614285").is_empty());
    assert!(!leaks("serial 4285 alone").is_empty());
    assert!(leaks("cpr 070761-xxxx, hash a4285f").is_empty());
}

#[test]
fn hardening_no_public_output_of_both_onboardings_shows_a_cpr_serial() {
    let (cast, mut registry) = given().unwrap();
    let mut out = Outputs(Vec::new());

    // The identity values themselves, as they travel.
    for n in NUMBERS {
        let cpr: Cpr = n.parse().unwrap();
        let person: PersonId = n.parse().unwrap();
        out.debug("cpr", &cpr);
        out.debug("person", &person);
        out.0
            .push(("cpr (Display)".into(), format!("{cpr} {person}")));
    }
    out.debug("seb form", &seb_onboarding_form(&cast).unwrap());
    out.debug("sei notification", &sei_notification().unwrap());
    out.debug(
        "sei enrolment",
        &sei_enrolment(sundhed_workflow::Digest::ZERO).unwrap(),
    );
    out.debug(
        "signed notification",
        &cast.chief.sign(sei_notification().unwrap()).unwrap(),
    );

    // Both onboardings, then everything the registry holds.
    let (_, seb_admin) = seb_onboard(&mut registry, &cast).unwrap();
    let (sei_case, sei_admin) = sei_onboard(&mut registry, &cast).unwrap();
    let events: Vec<Event> = registry.events().unwrap();
    assert!(events.len() > 10);
    for (i, event) in events.iter().enumerate() {
        out.debug(&format!("event {i}"), event);
    }
    out.debug("state", registry.state());
    out.debug("directory", registry.directory());
    for user in [seb_admin, sei_admin] {
        out.debug("user", &registry.directory().user(user));
        out.debug(
            "grants",
            &registry
                .directory()
                .grants_of(Grantee::User(user))
                .collect::<Vec<_>>(),
        );
    }
    out.debug("sei case", &registry.state().sei().case(sei_case));

    // Commands about the same people, most of them refused: a second notification, an
    // enrolment and a form signed with another key, users for persons who exist.
    let refused: Vec<(&str, Actor, Command)> = vec![
        (
            "notification again",
            Actor::Authority,
            Command::Sei(SeiCommand::Notify {
                form: Box::new(cast.chief.sign(sei_notification().unwrap()).unwrap()),
            }),
        ),
        (
            "enrolment signed by someone else",
            Actor::Authority,
            Command::Sei(SeiCommand::Enrol {
                case: sei_case,
                form: Box::new(
                    cast.reporter
                        .sign_as(
                            &cast.local_admin,
                            sei_enrolment_for(&registry, sei_case).unwrap(),
                        )
                        .unwrap(),
                ),
            }),
        ),
        (
            "the local administrator created again",
            Actor::User(sei_admin),
            Command::Users(UserCommand::Create {
                user: sundhed_authorisation::NewUser {
                    person: "1506824008".parse().unwrap(),
                    certificates: vec![],
                },
                groups: vec![],
                parent: None,
                grants: vec![],
            }),
        ),
        (
            "a directory user for the chief physician, by the authority",
            Actor::Authority,
            Command::Directory(DirectoryCommand::CreateUser {
                user: sundhed_authorisation::NewUser {
                    person: "0707614285".parse().unwrap(),
                    certificates: vec![],
                },
                groups: vec![],
                grants: vec![],
            }),
        ),
        (
            "a seb form signed with another key",
            Actor::Authority,
            Command::Seb(SebCommand::Submit {
                form: Box::new(
                    cast.reporter
                        .sign_as(&cast.officer, seb_onboarding_form(&cast).unwrap())
                        .unwrap(),
                ),
            }),
        ),
    ];
    let mut refusals = 0;
    for (what, actor, command) in &refused {
        out.debug(&format!("command: {what}"), command);
        match registry.handle_unverified(*actor, command, at(30)) {
            Ok(events) => out.debug(&format!("accepted: {what}"), &events),
            Err(err) => {
                refusals += 1;
                out.error(what, &err);
                out.debug(what, &err);
                if let Some(refusal) = err.refusal() {
                    for violation in refusal.violations() {
                        out.error(what, violation);
                    }
                }
            }
        }
    }
    assert!(refusals >= 3, "only {refusals} refusals");

    // Log errors about records that hold these people: an edited record, a malformed one.
    let mut log: MemoryEventLog<Event> = MemoryEventLog::new();
    log.append(&events).unwrap();
    let lines = log.lines().to_vec();
    let with_person = lines.iter().position(|l| l.contains("1506824008")).unwrap();
    for (what, edit) in [
        (
            "an edited record",
            lines[with_person].replacen("\"at\":\"2018", "\"at\":\"2019", 1),
        ),
        (
            "a person written as a number",
            lines[with_person].replace("\"1506824008\"", "1506824008"),
        ),
        (
            "a person that is no cpr",
            lines[with_person].replace("\"1506824008\"", "\"150682400\""),
        ),
        (
            "a cut record",
            lines[with_person][..lines[with_person].len() / 2].to_owned(),
        ),
    ] {
        let mut tampered = log.clone();
        tampered.lines_mut()[with_person] = edit;
        let err = tampered.verify().unwrap_err();
        out.error(what, &err);
        let err = State::replay(&tampered).unwrap_err();
        out.error(what, &err);
    }

    out.assert_clean();
}

/// Found by the issue-12 attack: a host parsing an uploaded signed form got serde's own message,
/// which repeats an unknown algorithm or member name — a CPR number sent in the wrong place.
#[test]
fn id_cpr_06_a_signed_form_upload_error_masks_what_it_repeats() {
    use sundhed_workflow::{SeiEnrolment, SignedForm};
    let (cast, _) = given().unwrap();
    let signed = cast
        .local_admin
        .sign(sei_enrolment(sundhed_workflow::Digest::of(b"a notification")).unwrap())
        .unwrap();
    let json = serde_json::to_string(&signed).unwrap();
    let bad_algorithm = json.replace("\"RsaPkcs1Sha256\"", "\"0707614285\"");
    let bad_member = json.replacen("\"algorithm\"", "\"0707614285\"", 1);
    for upload in [bad_algorithm, bad_member] {
        assert_ne!(upload, json);
        let err = serde_json::from_str::<SignedForm<SeiEnrolment>>(&upload).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(leaks(&text).is_empty(), "{text}");
        assert!(text.contains("070761xxxx"), "{text}");
    }
}
