//! SEI signers bound to the people the forms name (issue 12, item 3): the chief physician the
//! notification names signs it (`WF-SEI-03`), the local administrator it names signs the
//! enrolment (`WF-SEI-04`), with another certificate (`WF-SEI-05`), and the cross-check needs
//! the host's CPR attestation (`WF-SEI-06`) binding the enrolment's certificate to the named
//! administrator (`WF-SEI-07`). Every refusal leaves the log and the state as they were.
//!
//! The cast: chief physician Brian Møller, local administrator Karl Hoffmann Svendsen,
//! reporter Sonja Bach, all of Statens Serum Institut; their certificates' names are these.

use sundhed_workflow::{
    Command, CprAttestation, Event, MemoryEventLog, NameMatch, NamedPerson, Registry, SeiCaseId,
    SeiChange, SeiCommand, SeiNotification, SeiState, SignedForm, State, WorkflowError,
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
