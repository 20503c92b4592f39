//! SEI signers bound to the people the forms name (issue 12, item 3): the chief physician the
//! notification names signs it (`WF-SEI-03`), the local administrator it names signs the
//! enrolment (`WF-SEI-04`), with another certificate (`WF-SEI-05`), and the cross-check needs
//! the host's CPR attestation (`WF-SEI-06`) binding the enrolment's certificate to the named
//! administrator (`WF-SEI-07`). The chief physician and the administrator are two people
//! (`WF-SEI-05`, at the notification too); an enrolment answers its case's notification
//! (`WF-SEI-08`) and its signed bytes are used once, a superseded enrolment's too
//! (`WF-FORM-06`); the lookup is made between the enrolment and the cross-check and names a
//! source (`WF-SEI-06`). Every refusal leaves the log and the state as they were.
//!
//! The cast: chief physician Brian Møller, local administrator Karl Hoffmann Svendsen,
//! reporter Sonja Bach, all of Statens Serum Institut; their certificates' names are these.

use sundhed_workflow::{
    Command, CprAttestation, Event, MemoryEventLog, NameMatch, NamedPerson, Registry, SeiCaseId,
    SeiChange, SeiCommand, SeiEnrolment, SeiNotification, SeiState, SignedForm, State,
    WorkflowError,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

type Reg = Registry<MemoryEventLog<Event>>;

/// Runs `step`, which must be refused, and checks that it changed nothing; gives its rule ids
/// and message.
fn refused(
    registry: &mut Reg,
    step: impl FnOnce(&mut Reg) -> Result<Vec<Event>, WorkflowError>,
) -> (Vec<&'static str>, String) {
    let before = registry.state().clone();
    let head = registry.head();
    let err = step(registry).expect_err("the step was accepted");
    assert!(*registry.state() == before, "the state changed: {err}");
    assert_eq!(registry.head(), head, "the log changed: {err}");
    (rule_ids(&err), err.to_string())
}

fn notified(registry: &mut Reg, form: SignedForm<SeiNotification>) -> SeiCaseId {
    registry.notify(form, 10).unwrap();
    registry.state().sei().cases().last().unwrap().0
}

/// A case the chief physician notified and the local administrator enrolled in, honestly.
fn enrolled(cast: &Cast, registry: &mut Reg) -> SeiCaseId {
    let case = notified(
        registry,
        cast.chief.sign(sei_notification().unwrap()).unwrap(),
    );
    let form = cast
        .local_admin
        .sign(sei_enrolment_for(registry, case).unwrap())
        .unwrap();
    registry.enrol(case, form, 11).unwrap();
    case
}

fn state_of(registry: &Reg, case: SeiCaseId) -> SeiState {
    registry.state().sei().case(case).unwrap().state().clone()
}

fn no_hospital(registry: &Reg) -> bool {
    registry.directory().organisation(ssi().unwrap()).is_none()
}

fn named(name: &str, cpr: &str) -> NamedPerson {
    NamedPerson {
        name: name.into(),
        person: person(cpr).unwrap(),
    }
}

#[test]
fn wf_sei_04_an_enrolment_signed_by_someone_else_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let case = notified(
        &mut registry,
        cast.chief.sign(sei_notification().unwrap()).unwrap(),
    );
    // Sonja Bach signs an enrolment carrying Karl's CPR number.
    let by_sonja = cast
        .reporter
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    let (rules, message) = refused(&mut registry, |r| r.enrol(case, by_sonja.clone(), 11));
    assert_eq!(rules, ["WF-SEI-04"]);
    assert!(message.contains("Sonja Bach"), "{message}");
    assert!(message.contains("Karl Hoffmann Svendsen"), "{message}");
    assert!(!message.contains("4008"), "no CPR serial: {message}");
    assert_eq!(state_of(&registry, case), SeiState::Notified);

    // Nor does it replace Karl's own enrolment once that is in: the same bytes are now
    // Karl's enrolment's, used once (`WF-FORM-06`), and other bytes she signs are not his.
    let by_karl = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, by_karl, 12).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.enrol(case, by_sonja, 13));
    assert_eq!(rules, ["WF-FORM-06"]);
    let mut other = sei_enrolment_for(&registry, case).unwrap();
    other.forms.push(TVANG.into());
    let by_sonja = cast.reporter.sign(other).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.enrol(case, by_sonja, 13));
    assert_eq!(rules, ["WF-SEI-04"]);
    let (_, enrolled_by) = registry
        .state()
        .sei()
        .case(case)
        .unwrap()
        .enrolment()
        .unwrap();
    assert_eq!(enrolled_by.holder, cast.local_admin.holder);
    // The cross-check creates Karl with Karl's certificate.
    registry
        .cross_check(case, Some(sei_attestation(&cast, 14).unwrap()), 14)
        .unwrap();
    let SeiState::AdministratorCreated { administrator } = state_of(&registry, case) else {
        panic!("no administrator");
    };
    let user = registry.directory().user(administrator).unwrap();
    assert_eq!(
        user.certificates(),
        std::slice::from_ref(&cast.local_admin.holder)
    );
}

#[test]
fn wf_sei_03_a_notification_signed_by_the_would_be_administrator_is_refused() {
    let (cast, mut registry) = given().unwrap();
    // Karl signs the notification that names Brian Møller as chief physician and himself as
    // local administrator, so that he could supply both halves of the cross-check.
    let form = cast.local_admin.sign(sei_notification().unwrap()).unwrap();
    let (rules, message) = refused(&mut registry, |r| r.notify(form, 10));
    assert_eq!(rules, ["WF-SEI-03"]);
    assert!(message.contains("Karl Hoffmann Svendsen"), "{message}");
    assert!(message.contains("Brian Møller"), "{message}");
    assert_eq!(registry.state().sei().cases().count(), 0);
    // Nor may anyone else of the hospital sign it.
    let form = cast.reporter.sign(sei_notification().unwrap()).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.notify(form, 10));
    assert_eq!(rules, ["WF-SEI-03"]);
    // A name spelt otherwise is another name.
    let mut notification = sei_notification().unwrap();
    notification.chief_physician.name = "Brian Moller".into();
    let form = cast.chief.sign(notification).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.notify(form, 10));
    assert_eq!(rules, ["WF-SEI-03"]);
    assert!(no_hospital(&registry));
}

#[test]
fn wf_sei_05_one_certificate_cannot_sign_both_halves() {
    let (cast, mut registry) = given().unwrap();
    // Karl names himself chief physician and local administrator, signs the notification
    // (the names agree) and then the enrolment with the same certificate.
    let mut notification = sei_notification().unwrap();
    notification.chief_physician = named("Karl Hoffmann Svendsen", SEI_CHIEF_CPR);
    let case = notified(&mut registry, cast.local_admin.sign(notification).unwrap());
    let form = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    let (rules, message) = refused(&mut registry, |r| r.enrol(case, form, 11));
    assert_eq!(rules, ["WF-SEI-05"]);
    assert!(
        message.contains(&cast.local_admin.holder.to_string()),
        "{message}"
    );
    assert_eq!(state_of(&registry, case), SeiState::Notified);
    assert!(no_hospital(&registry));
}

#[test]
fn wf_sei_06_a_cross_check_needs_a_cpr_attestation() {
    let (cast, mut registry) = given().unwrap();
    let case = enrolled(&cast, &mut registry);
    let (rules, _) = refused(&mut registry, |r| r.cross_check(case, None, 12));
    assert_eq!(rules, ["WF-SEI-06"]);
    let blank = CprAttestation {
        source: " \t".into(),
        ..sei_attestation(&cast, 12).unwrap()
    };
    let (rules, _) = refused(&mut registry, |r| r.cross_check(case, Some(blank), 12));
    assert_eq!(rules, ["WF-SEI-06"]);
    // An answer dated after the cross-check is not one the host had.
    let later = sei_attestation(&cast, 13).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.cross_check(case, Some(later), 12));
    assert_eq!(rules, ["WF-SEI-06"]);
    assert_eq!(state_of(&registry, case), SeiState::Enrolled);
    assert!(no_hospital(&registry));
}

#[test]
fn wf_sei_07_the_attestation_binds_the_enrolment_certificate_to_the_named_administrator() {
    let (cast, mut registry) = given().unwrap();
    let case = enrolled(&cast, &mut registry);
    // About another certificate (the chief physician's), though with Karl's CPR number.
    let other_certificate = attestation(&cast.chief, SEI_ADMIN_CPR, 12).unwrap();
    // About Karl's certificate, but the lookup gave another person.
    let other_person = attestation(&cast.local_admin, "2112851113", 12).unwrap();
    for wrong in [other_certificate, other_person] {
        let (rules, message) = refused(&mut registry, |r| r.cross_check(case, Some(wrong), 12));
        assert_eq!(rules, ["WF-SEI-07"]);
        for serial in ["4008", "1113"] {
            assert!(!message.contains(serial), "no CPR serial: {message}");
        }
    }
    assert_eq!(state_of(&registry, case), SeiState::Enrolled);
    assert!(no_hospital(&registry));
    // An attestation shows its person masked.
    let shown = format!("{:?}", sei_attestation(&cast, 12).unwrap());
    assert!(!shown.contains("4008"), "{shown}");
}

#[test]
fn wf_sei_07_no_administrator_whose_cpr_only_the_forms_claimed() {
    // Sonja is named as administrator under Karl's CPR number and enrols with it; the names
    // agree, but the host's lookup gives Sonja's own number for her certificate.
    let (cast, mut registry) = given().unwrap();
    let mut notification = sei_notification().unwrap();
    notification.local_administrator = named("Sonja Bach", SEI_ADMIN_CPR);
    let case = notified(&mut registry, cast.chief.sign(notification).unwrap());
    let form = cast
        .reporter
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, form, 11).unwrap();
    let lookup = attestation(&cast.reporter, "2112851113", 12).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.cross_check(case, Some(lookup), 12));
    assert_eq!(rules, ["WF-SEI-07"]);
    assert!(no_hospital(&registry));
}

#[test]
fn sei_signers_the_honest_path_records_names_and_attestation() {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = sei_onboard(&mut registry, &cast).unwrap();
    let user = registry.directory().user(admin).unwrap();
    assert_eq!(user.person(), person(SEI_ADMIN_CPR).unwrap());
    assert_eq!(
        user.certificates(),
        std::slice::from_ref(&cast.local_admin.holder)
    );
    let checked = registry
        .events()
        .unwrap()
        .into_iter()
        .find_map(|e| match e {
            Event::Sei(e) if e.case == case => match e.change {
                SeiChange::CrossChecked {
                    chief_physician,
                    local_administrator,
                    attestation,
                } => Some((chief_physician, local_administrator, attestation)),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    let same = |name: &str| NameMatch {
        signer: name.into(),
        named: name.into(),
    };
    assert_eq!(checked.0, same("Brian Møller"));
    assert_eq!(checked.1, same("Karl Hoffmann Svendsen"));
    assert_eq!(checked.2, sei_attestation(&cast, 12).unwrap());
}

#[test]
fn wf_sei_03_wf_sei_04_names_compare_across_case_width_and_white_space() {
    // `ø` has no Unicode decomposition, so NFD and NFC spell "Møller" alike; the NFKC cases
    // here are compatibility forms: a ligature, full-width letters, a no-break space.
    let (cast, mut registry) = given().unwrap();
    let mut notification = sei_notification().unwrap();
    notification.chief_physician.name = "  BRIAN \t møller ".into();
    notification.local_administrator.name = "ｋａｒｌ\u{a0}Ho\u{fb00}mann  svendsen".into();
    let written = notification.local_administrator.name.clone();
    let case = notified(&mut registry, cast.chief.sign(notification).unwrap());
    let enrolment = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, enrolment, 11).unwrap();
    let events = registry
        .cross_check(case, Some(sei_attestation(&cast, 12).unwrap()), 12)
        .unwrap();
    let Some(Event::Sei(first)) = events.first() else {
        panic!("no SEI event first");
    };
    let SeiChange::CrossChecked {
        local_administrator,
        ..
    } = &first.change
    else {
        panic!("not a cross-check: {first:?}");
    };
    assert_eq!(local_administrator.signer, "Karl Hoffmann Svendsen");
    assert_eq!(local_administrator.named, written);
    assert!(matches!(
        state_of(&registry, case),
        SeiState::AdministratorCreated { .. }
    ));
}

#[test]
fn sei_signers_the_cross_check_command_carries_the_attestation() {
    let (cast, mut registry) = given().unwrap();
    let case = enrolled(&cast, &mut registry);
    let command = Command::Sei(SeiCommand::CrossCheck {
        case,
        attestation: Some(sei_attestation(&cast, 12).unwrap()),
    });
    registry.authority(&command, 12).unwrap();
    let replayed = State::replay(registry.log()).unwrap();
    assert_eq!(&replayed, registry.state());
}

/// The same enrolment, in other bytes (indented): what a re-signing client might send.
fn re_signed(
    by: &sundhed_testkit::oces::Person,
    form: &SignedForm<SeiEnrolment>,
) -> SignedForm<SeiEnrolment> {
    let value: serde_json::Value = serde_json::from_slice(form.bytes()).unwrap();
    let bytes = serde_json::to_vec_pretty(&value).unwrap();
    assert_ne!(bytes, form.bytes());
    by.sign_bytes(bytes).unwrap()
}

#[test]
fn wf_sei_08_an_enrolment_carried_into_another_case_is_refused() {
    // Case 1: Brian notifies, Karl signs his enrolment answering it.
    let (cast, mut registry) = given().unwrap();
    let first = notified(
        &mut registry,
        cast.chief.sign(sei_notification().unwrap()).unwrap(),
    );
    let karls = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, first).unwrap())
        .unwrap();
    // Case 2: Sonja names herself chief physician and Karl administrator of another
    // department, and hands in Karl's enrolment of case 1 before Karl does.
    let mut by_sonja = sei_notification().unwrap();
    by_sonja.chief_physician = named("Sonja Bach", "2112851113");
    by_sonja.departments = vec![sei_department("420203", "Psykiatrisk afsnit P3").unwrap()];
    let second = notified(&mut registry, cast.reporter.sign(by_sonja).unwrap());
    let (rules, message) = refused(&mut registry, |r| r.enrol(second, karls.clone(), 11));
    assert_eq!(rules, ["WF-SEI-08"]);
    let case_1 = registry.state().sei().case(first).unwrap().notifier().form;
    let case_2 = registry.state().sei().case(second).unwrap().notifier().form;
    assert!(message.contains(&case_1.to_string()), "{message}");
    assert!(message.contains(&case_2.to_string()), "{message}");
    assert_eq!(state_of(&registry, second), SeiState::Notified);

    // Karl hands it in to case 1; carried into case 2 afterwards, it is a replay.
    registry.enrol(first, karls.clone(), 12).unwrap();
    let (rules, message) = refused(&mut registry, |r| r.enrol(second, karls.clone(), 13));
    assert_eq!(rules, ["WF-FORM-06"]);
    assert!(message.contains("SEI case 1"), "{message}");
    assert!(!message.contains("4008"), "no CPR serial: {message}");
    // So case 2 has nothing to cross-check, and Karl never becomes administrator of P3.
    let lookup = sei_attestation(&cast, 13).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.cross_check(second, Some(lookup), 13));
    assert_eq!(rules, ["WF-STATE-01"]);
    assert!(no_hospital(&registry));

    // Case 1 goes on; once it is done, the enrolment is still no good for case 2.
    registry
        .cross_check(first, Some(sei_attestation(&cast, 14).unwrap()), 14)
        .unwrap();
    let (rules, _) = refused(&mut registry, |r| r.enrol(second, karls, 15));
    assert_eq!(rules, ["WF-FORM-06"]);
    let p3 = "420203".parse().unwrap();
    assert!(registry.directory().department_by_shak(p3).is_none());
    assert_eq!(State::replay(registry.log()).unwrap(), *registry.state());
}

#[test]
fn wf_form_06_a_superseded_enrolment_cannot_come_back() {
    let (cast, mut registry) = given().unwrap();
    let case = notified(
        &mut registry,
        cast.chief.sign(sei_notification().unwrap()).unwrap(),
    );
    let first = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, first.clone(), 11).unwrap();
    // Karl re-signs (the same enrolment in other bytes), which replaces the first.
    let second = re_signed(&cast.local_admin, &first);
    registry.enrol(case, second.clone(), 12).unwrap();
    for replayed in [first.clone(), second.clone()] {
        let (rules, message) = refused(&mut registry, |r| r.enrol(case, replayed, 13));
        assert_eq!(rules, ["WF-FORM-06"]);
        assert!(message.contains("SEI case 1"), "{message}");
    }
    let kept = registry.state().sei().case(case).unwrap();
    assert_eq!(kept.enrolment().unwrap().0, second);
    let digests: Vec<_> = [&first, &second]
        .iter()
        .map(|f| sundhed_workflow::Digest::of(f.bytes()))
        .collect();
    assert_eq!(kept.enrolments_received(), digests.as_slice());
    // Replay remembers the superseded one too.
    let replayed = State::replay(registry.log()).unwrap();
    assert_eq!(&replayed, registry.state());
    let (rules, _) = refused(&mut registry, |r| r.enrol(case, first, 13));
    assert_eq!(rules, ["WF-FORM-06"]);
    registry
        .cross_check(case, Some(sei_attestation(&cast, 13).unwrap()), 13)
        .unwrap();
}

#[test]
fn wf_sei_06_the_attestation_source_has_a_letter_or_digit() {
    let (cast, mut registry) = given().unwrap();
    let case = enrolled(&cast, &mut registry);
    for source in ["\u{200b}", "\u{2060}\u{feff}", " \u{3000}\t", "-- . /", ""] {
        let nothing = CprAttestation {
            source: source.into(),
            ..sei_attestation(&cast, 12).unwrap()
        };
        let (rules, message) = refused(&mut registry, |r| r.cross_check(case, Some(nothing), 12));
        assert_eq!(rules, ["WF-SEI-06"], "{source:?}");
        assert!(message.contains("no letter or digit"), "{message}");
    }
    // Full-width digits are digits.
    let numbered = CprAttestation {
        source: "ＣＰＲ １".into(),
        ..sei_attestation(&cast, 12).unwrap()
    };
    registry.cross_check(case, Some(numbered), 12).unwrap();
}

#[test]
fn wf_sei_06_the_lookup_is_made_after_the_enrolment_it_attests() {
    let (cast, mut registry) = given().unwrap();
    // Enrolled at minute 11.
    let case = enrolled(&cast, &mut registry);
    // Years before the enrolment (before the certificate was issued), and a minute before.
    for minutes in [-9_000_000, 10] {
        let stale = sei_attestation(&cast, minutes).unwrap();
        let (rules, message) = refused(&mut registry, |r| r.cross_check(case, Some(stale), 12));
        assert_eq!(rules, ["WF-SEI-06"], "{minutes}");
        assert!(message.contains("before the enrolment"), "{message}");
    }
    // A lookup made for the enrolment a later one replaced is not about the later one.
    let (enrolment, _) = registry
        .state()
        .sei()
        .case(case)
        .unwrap()
        .enrolment()
        .unwrap()
        .clone();
    registry
        .enrol(case, re_signed(&cast.local_admin, &enrolment), 13)
        .unwrap();
    let earlier = sei_attestation(&cast, 12).unwrap();
    let (rules, _) = refused(&mut registry, |r| r.cross_check(case, Some(earlier), 14));
    assert_eq!(rules, ["WF-SEI-06"]);
    assert!(no_hospital(&registry));
    // At the instant of the enrolment it is in time.
    registry
        .cross_check(case, Some(sei_attestation(&cast, 13).unwrap()), 14)
        .unwrap();
}

#[test]
fn wf_sei_05_the_notification_names_two_people() {
    let (cast, mut registry) = given().unwrap();
    // Two names, one CPR number: Brian names himself, under another name, as administrator.
    let mut one_cpr = sei_notification().unwrap();
    one_cpr.local_administrator.person = person(SEI_CHIEF_CPR).unwrap();
    // One name, one CPR number.
    let mut one_person = sei_notification().unwrap();
    one_person.local_administrator = one_person.chief_physician.clone();
    for notification in [one_cpr, one_person] {
        let form = cast.chief.sign(notification).unwrap();
        let (rules, message) = refused(&mut registry, |r| r.notify(form, 10));
        assert_eq!(rules, ["WF-SEI-05"]);
        assert!(message.contains("same person"), "{message}");
        let serial = &SEI_CHIEF_CPR[6..];
        assert!(!message.contains(serial), "no CPR serial: {message}");
    }
    assert_eq!(registry.state().sei().cases().count(), 0);
    assert!(no_hospital(&registry));
}
