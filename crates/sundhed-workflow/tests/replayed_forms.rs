//! WF-FORM-06: a signed form opens at most one case (issue 12: identical signed bytes opened a
//! second SEB case while the first was pending, a granted add-service form could be approved
//! again, an SEI notification opened a second case). After a rejection the same form may come
//! again.

use sundhed_workflow::{Command, SebCommand, rules};

use sundhed_testkit::onboarding::*;

#[test]
fn wf_form_06_a_pending_application_cannot_be_submitted_again() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    registry.submit(form.clone(), 1).unwrap();
    let head = registry.head();
    let err = registry.submit(form, 2).unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
    assert!(err.to_string().contains("SEB case 1"), "{err}");
    assert_eq!(registry.head(), head, "nothing was logged");
    assert_eq!(registry.state().seb().cases().count(), 1);
}

#[test]
fn wf_form_06_a_granted_service_form_cannot_be_granted_again() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let add = cast.officer.sign(sor_service_form().unwrap()).unwrap();
    registry.submit(add.clone(), 10).unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    let approve = Command::Seb(SebCommand::Approve { case });
    registry.authority(&approve, 11).unwrap();
    let err = registry.submit(add, 12).unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
}

#[test]
fn wf_form_06_a_rejected_form_may_be_submitted_again() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    registry.submit(form.clone(), 1).unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    let reject = SebCommand::Reject {
        case,
        reasons: vec!["the scan was unreadable".into()],
    };
    registry.authority(&Command::Seb(reject), 2).unwrap();
    registry.submit(form, 3).unwrap();
    assert_eq!(registry.state().seb().cases().count(), 2);
}

#[test]
fn wf_form_06_a_notification_opens_one_sei_case() {
    let (cast, mut registry) = given().unwrap();
    let form = cast.chief.sign(sei_notification().unwrap()).unwrap();
    registry.notify(form.clone(), 1).unwrap();
    let err = registry.notify(form, 2).unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
    assert!(err.to_string().contains("SEI case 1"), "{err}");
    assert_eq!(registry.state().sei().cases().count(), 1);
}
