//! Logs written by earlier versions still replay: a log with every procedure event, kept in
//! `testdata/log-v1.jsonl`, is byte for byte what the same commands write today, and replays
//! to the same state.
//!
//! Every signed form in it verifies again over the bytes the log kept, giving the signer the
//! log recorded.
//!
//! To rewrite the fixture after a deliberate format change (with a new `EVENT_VERSION`),
//! run the tests with `SUNDHED_BLESS=1`.

use sundhed_authorisation::GrantSpec;
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    ActivationCode, Command, Event, EventLog, MemoryEventLog, Registry, RightsRequest, SebCommand,
    SebForm, State, UserCommand,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/log-v1.jsonl");

/// Every kind of procedure event: both onboardings, a rejected and a granted service form,
/// an activation code issued and used, settings fetched.
fn scenario() -> Registry<MemoryEventLog<Event>> {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let (sei_case, sei_admin) = sei_onboard(&mut registry, &cast).unwrap();
    let add_service = || SebForm::AddService {
        cvr: nets().unwrap(),
        services: vec![RightsRequest {
            form: "SOR".into(),
            rights: vec!["REDIGER".into()],
        }],
    };
    let submit = |minutes, registry: &mut Registry<MemoryEventLog<Event>>| {
        let form = Box::new(cast.officer.sign(add_service()).unwrap());
        registry
            .authority(&Command::Seb(SebCommand::Submit { form }), minutes)
            .unwrap();
        registry.state().seb().cases().last().unwrap().0
    };
    let rejected = submit(20, &mut registry);
    registry
        .authority(
            &Command::Seb(SebCommand::Reject {
                case: rejected,
                reasons: vec!["no contract for SOR".into()],
            }),
            21,
        )
        .unwrap();
    let granted = submit(22, &mut registry);
    registry
        .authority(&Command::Seb(SebCommand::Approve { case: granted }), 23)
        .unwrap();
    let p1 = registry.state().sei().case(sei_case).unwrap().departments()[0];
    let report = registry
        .directory()
        .form_by_code(TVANG)
        .unwrap()
        .right_by_code("INDBERET")
        .unwrap();
    let code = || ActivationCode::new("K7Q2-MZ9P-4TXW").unwrap();
    registry
        .by(
            sei_admin,
            &Command::Users(UserCommand::IssueActivationCode {
                person: person("0101801234").unwrap(),
                code: code(),
                expires: at(600),
                groups: vec![p1.group],
                parent: None,
                grants: vec![GrantSpec::new(report, p1.department)],
            }),
            30,
        )
        .unwrap();
    registry
        .authority(
            &Command::Users(UserCommand::Enrol {
                code: code(),
                holder: CertificateHolderId::Oces2("RID:33000001".parse().unwrap()),
            }),
            31,
        )
        .unwrap();
    registry
        .by(sei_admin, &Command::Users(UserCommand::FetchSettings), 32)
        .unwrap();
    registry
}

#[test]
fn a_log_written_before_is_written_the_same_today_and_replays_the_same() {
    let live = scenario();
    let written = live.log().lines().join("\n") + "\n";
    if std::env::var_os("SUNDHED_BLESS").is_some() {
        std::fs::write(FIXTURE, &written).unwrap();
    }
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let mut old = MemoryEventLog::<Event>::new();
    old.lines_mut()
        .extend(fixture.lines().map(ToOwned::to_owned));
    assert_eq!(old.verify().unwrap(), live.head());
    assert_eq!(&State::replay(&old).unwrap(), live.state());
    assert!(written == fixture, "the log format changed");
}

/// Signed bytes are kept (issue 12): every signed form the golden log holds — SEB submissions,
/// SEI notifications and enrolments — verifies again at its recorded `verified_at`, over the
/// bytes as logged, and names the signer (holder, certificate, digest of the bytes) the log
/// recorded.
#[test]
fn every_signed_form_in_the_golden_log_verifies_again_as_recorded() {
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let mut old = MemoryEventLog::<Event>::new();
    old.lines_mut()
        .extend(fixture.lines().map(ToOwned::to_owned));
    let state = State::replay(&old).unwrap();
    let forms = form_verifier().unwrap();
    let mut verified = 0;
    for (id, case) in state.seb().cases() {
        let recorded = case.signer();
        let again = forms.verify(case.form(), recorded.verified_at).unwrap();
        assert_eq!(&again, recorded, "{id}");
        verified += 1;
    }
    for (id, case) in state.sei().cases() {
        let recorded = case.notifier();
        let again = forms
            .verify(case.notification(), recorded.verified_at)
            .unwrap();
        assert_eq!(&again, recorded, "{id}: notification");
        verified += 1;
        let (enrolment, recorded) = case.enrolment().unwrap();
        let again = forms.verify(enrolment, recorded.verified_at).unwrap();
        assert_eq!(&again, recorded, "{id}: enrolment");
        verified += 1;
    }
    // The onboarding and two add-service forms (SEB), a notification and an enrolment (SEI).
    assert_eq!(verified, 5);
}
