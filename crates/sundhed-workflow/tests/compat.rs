//! Logs written by earlier versions: the golden log of format version 2,
//! `testdata/log-v2.jsonl`, has every procedure event and a submission's receipt, is byte for
//! byte what the same commands write today, and replays to the same state; every later
//! version must still open, verify and replay it. The version 1 log, `testdata/log-v1.jsonl` (bare OCES2 numbers as
//! holder ids), is refused at its first record, never misread.
//!
//! Every signed form in it verifies again over the bytes the log kept, giving the signer the
//! log recorded.
//!
//! The golden log was written by this test: to rewrite it after a deliberate format change
//! (with a new `EVENT_VERSION`, keeping the old file and a test that it is refused or
//! migrated), run `SUNDHED_BLESS=1 cargo test -p sundhed-workflow --test workflow compat`.

use sundhed_authorisation::GrantSpec;
use sundhed_workflow::{
    Command, Event, EventLog, MemoryEventLog, Registry, RightsRequest, SebCommand, SebForm, State,
    UserCommand,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;
use sundhed_testkit::report::*;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/log-v2.jsonl");
const VERSION_1: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/log-v1.jsonl");

/// Every kind of procedure event: both onboardings, a rejected and a granted service form,
/// an activation code issued and used, settings fetched, a signed report received.
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
                certificate: cast.chief.login_certificate(31).unwrap(),
            }),
            31,
        )
        .unwrap();
    registry
        .by(sei_admin, &Command::Users(UserCommand::FetchSettings), 32)
        .unwrap();
    // A coercion report, signed by the reporter and received with a receipt.
    let (_, department) = sei_reporter(&mut registry, &cast, sei_case, sei_admin, 33).unwrap();
    let login = cast.reporter.log_in(&registry, 34).unwrap();
    registry
        .as_user(
            &login,
            &Command::Users(UserCommand::AcknowledgeConfidentiality),
            34,
        )
        .unwrap();
    let report = coercion_report(department.shak, coercion_report_payload(1));
    registry
        .deliver(&cast.reporter.sign(report).unwrap(), 35)
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

#[test]
fn a_log_of_format_version_1_is_refused_at_its_first_record_never_misread() {
    let old_log = std::fs::read_to_string(VERSION_1).unwrap();
    let mut old = MemoryEventLog::<Event>::new();
    old.lines_mut()
        .extend(old_log.lines().map(ToOwned::to_owned));
    let err = State::replay(&old).unwrap_err();
    assert_eq!(err.rule().as_str(), "WF-LOG-01", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("line 1") || text.contains("record 1"),
        "{text}"
    );
    assert!(text.contains("format version 1"), "{text}");
    // Its holder ids are the bare numbers version 2 never reads as a holder.
    assert!(old_log.contains(r#""Oces2":"RID:33000001""#));
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
