//! Logs written by earlier versions still replay: a log with every procedure event, kept in
//! `testdata/log-v1.jsonl`, is byte for byte what the same commands write today, and replays
//! to the same state.
//!
//! To rewrite the fixture after a deliberate format change (with a new `EVENT_VERSION`),
//! run the tests with `SUNDHED_BLESS=1`.

use sundhed_authorisation::GrantSpec;
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    Command, Event, EventLog, MemoryEventLog, Registry, RightsRequest, SebCommand, SebForm, State,
    UserCommand,
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
    let code = || keyed_code("K7Q2-MZ9P-4TXW").unwrap();
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
