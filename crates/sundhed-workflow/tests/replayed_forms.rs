//! WF-FORM-06: a signed form opens at most one case (issue 12: identical signed bytes opened a
//! second SEB case while the first was pending, a granted add-service form could be approved
//! again, an SEI notification opened a second case). After a rejection the same form may come
//! again.

use sundhed_authorisation::Actor;
use sundhed_workflow::{
    Command, RightsRequest, SebCommand, SebForm, SeiCommand, SignedForm, rules,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

fn submit(form: &SignedForm<SebForm>) -> Command {
    Command::Seb(SebCommand::Submit {
        form: Box::new(form.clone()),
    })
}

#[test]
fn wf_form_06_a_pending_application_cannot_be_submitted_again() {
    let (cast, mut registry) = given().unwrap();
    let form = cast
        .officer
        .sign(seb_onboarding_form(&cast).unwrap())
        .unwrap();
    registry
        .handle(Actor::Authority, &submit(&form), at(1))
        .unwrap();
    let head = registry.head();
    let err = registry
        .handle(Actor::Authority, &submit(&form), at(2))
        .unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
    assert!(err.to_string().contains("SEB case 1"), "{err}");
    assert_eq!(registry.head(), head, "nothing was logged");
    assert_eq!(registry.state().seb().cases().count(), 1);
}

#[test]
fn wf_form_06_a_granted_service_form_cannot_be_granted_again() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let add = cast
        .officer
        .sign(SebForm::AddService {
            cvr: nets().unwrap(),
            services: vec![RightsRequest {
                form: "SOR".into(),
                rights: vec!["REDIGER".into()],
            }],
        })
        .unwrap();
    registry
        .handle(Actor::Authority, &submit(&add), at(10))
        .unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    registry
        .handle(
            Actor::Authority,
            &Command::Seb(SebCommand::Approve { case }),
            at(11),
        )
        .unwrap();
    let err = registry
        .handle(Actor::Authority, &submit(&add), at(12))
        .unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
}

#[test]
fn wf_form_06_a_rejected_form_may_be_submitted_again() {
    let (cast, mut registry) = given().unwrap();
    let form = cast
        .officer
        .sign(seb_onboarding_form(&cast).unwrap())
        .unwrap();
    registry
        .handle(Actor::Authority, &submit(&form), at(1))
        .unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    let reject = SebCommand::Reject {
        case,
        reasons: vec!["the scan was unreadable".into()],
    };
    registry
        .handle(Actor::Authority, &Command::Seb(reject), at(2))
        .unwrap();
    registry
        .handle(Actor::Authority, &submit(&form), at(3))
        .unwrap();
    assert_eq!(registry.state().seb().cases().count(), 2);
}

#[test]
fn wf_form_06_a_notification_opens_one_sei_case() {
    let (cast, mut registry) = given().unwrap();
    let form = cast.chief.sign(sei_notification().unwrap()).unwrap();
    let notify = Command::Sei(SeiCommand::Notify {
        form: Box::new(form),
    });
    registry.handle(Actor::Authority, &notify, at(1)).unwrap();
    let err = registry
        .handle(Actor::Authority, &notify, at(2))
        .unwrap_err();
    assert_eq!(err.rules(), [rules::FORM_REPLAYED], "{err}");
    assert!(err.to_string().contains("SEI case 1"), "{err}");
    assert_eq!(registry.state().sei().cases().count(), 1);
}
