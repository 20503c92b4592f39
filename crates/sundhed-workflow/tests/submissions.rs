//! Signed submissions (seed SEI §3): a coercion report is decided in one call from the bytes
//! the host received — signature, the signer's login, received once, the directory's
//! decision — into a receipt whose event holds digests and ids, never the report. Each attack
//! first; every refusal logs nothing.

use sundhed_workflow::{
    Command, DepartmentGroup, Digest, Event, MemoryEventLog, Registry, SignedForm, State,
    Submission, SubmissionChange, UserCommand, WorkflowError, form_bytes,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;
use sundhed_testkit::report::*;

struct Reporting {
    cast: Cast,
    registry: Registry<MemoryEventLog<Event>>,
    reporter: sundhed_authorisation::UserId,
    p1: DepartmentGroup,
    p2: DepartmentGroup,
}

/// SEI onboarded, Sonja Bach created with `INDBERET` on P1 (minute 20) and, if `acknowledged`,
/// her duty of confidentiality acknowledged after logging in with her certificate (minute 21).
fn given_a_reporter(acknowledged: bool) -> Reporting {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = sei_onboard(&mut registry, &cast).unwrap();
    let (reporter, p1) = sei_reporter(&mut registry, &cast, case, admin, 20).unwrap();
    let p2 = registry.state().sei().case(case).unwrap().departments()[1];
    if acknowledged {
        let login = cast.reporter.log_in(&registry, 21).unwrap();
        assert_eq!(login.user(), reporter);
        registry
            .as_user(
                &login,
                &Command::Users(UserCommand::AcknowledgeConfidentiality),
                21,
            )
            .unwrap();
    }
    Reporting {
        cast,
        registry,
        reporter,
        p1,
        p2,
    }
}

impl Reporting {
    /// Sonja's client signs report `n` for `department`.
    fn signed(&self, department: DepartmentGroup, n: u32) -> SignedForm<Submission> {
        let report = coercion_report(department.shak, coercion_report_payload(n));
        self.cast.reporter.sign(report).unwrap()
    }

    /// Receives `signed` at `minutes`, which must be refused and log nothing.
    fn refused(&mut self, signed: &SignedForm<Submission>, minutes: i64) -> WorkflowError {
        let before = self.registry.head();
        let state = self.registry.state().clone();
        let err = self.registry.deliver(signed, minutes).unwrap_err();
        assert_eq!(self.registry.head(), before, "a refusal logged something");
        assert_eq!(self.registry.state(), &state);
        err
    }
}

fn rules(err: &WorkflowError) -> Vec<&'static str> {
    rule_ids(err)
}

fn has(err: &WorkflowError, rule: &str) -> bool {
    err.rules().iter().any(|r| r.as_str() == rule)
}

#[test]
fn wf_form_01_an_unsigned_submission_is_refused() {
    let mut r = given_a_reporter(true);
    let report = coercion_report(r.p1.shak, coercion_report_payload(1));
    let unsigned = SignedForm::unsigned(&report).unwrap();
    let err = r.refused(&unsigned, 30);
    assert_eq!(rules(&err), ["WF-FORM-01"], "{err}");
}

#[test]
fn wf_form_03_a_submission_signed_with_another_key_is_refused() {
    let mut r = given_a_reporter(true);
    // The local administrator's key under Sonja's chain: a forged signature.
    let report = coercion_report(r.p1.shak, coercion_report_payload(1));
    let forged = r
        .cast
        .local_admin
        .sign_as(&r.cast.reporter, report)
        .unwrap();
    let err = r.refused(&forged, 30);
    assert!(has(&err, "WF-FORM-03"), "{err}");
}

#[test]
fn wf_form_03_a_submission_edited_after_signing_is_refused() {
    let mut r = given_a_reporter(true);
    let signed = r.signed(r.p1, 1);
    // The same signature over another report (the payload changed in transit).
    let other = form_bytes(&coercion_report(r.p1.shak, coercion_report_payload(2))).unwrap();
    let edited = signed.clone().with_bytes(other).unwrap();
    let err = r.refused(&edited, 30);
    assert!(has(&err, "WF-FORM-03"), "{err}");
    // One flipped byte of the kept bytes, too.
    let mut flipped = signed.bytes().to_vec();
    // `…<hex>"}}`: the payload's last hex digit, changed to another hex digit.
    let digit = flipped.len() - 4;
    flipped[digit] = if flipped[digit] == b'0' { b'1' } else { b'0' };
    let flipped = signed.with_bytes(flipped).unwrap();
    assert!(has(&r.refused(&flipped, 30), "WF-FORM-03"));
}

#[test]
fn wf_form_04_an_organisation_certificate_cannot_send_a_submission() {
    let mut r = given_a_reporter(true);
    let report = coercion_report(r.p1.shak, coercion_report_payload(1));
    let signed = r.cast.voces.sign(report).unwrap();
    let err = r.refused(&signed, 30);
    assert!(has(&err, "WF-FORM-04"), "{err}");
}

#[test]
fn wf_login_03_a_submission_signed_by_a_certificate_of_no_user_is_refused() {
    // The chief physician's certificate verifies, but is registered for no user.
    let mut r = given_a_reporter(true);
    let report = coercion_report(r.p1.shak, coercion_report_payload(1));
    let signed = r.cast.chief.sign(report).unwrap();
    let err = r.refused(&signed, 30);
    assert_eq!(rules(&err), ["WF-LOGIN-03"], "{err}");
    assert!(!err.to_string().contains("0707614285"), "{err}");
}

#[test]
fn wf_submit_03_a_signer_without_the_right_on_the_department_is_refused() {
    // Sonja may report for P1 only; a report for P2 is denied by default.
    let mut r = given_a_reporter(true);
    let signed = r.signed(r.p2, 1);
    let err = r.refused(&signed, 30);
    assert_eq!(rules(&err), ["AUTHZ-DECIDE-01", "WF-SUBMIT-03"], "{err}");
    // Nor may she send under a right of the form she does not hold (LAES) on P1.
    let mut report = coercion_report(r.p1.shak, coercion_report_payload(2));
    report.right = "LAES".into();
    let signed = r.cast.reporter.sign(report).unwrap();
    let err = r.refused(&signed, 30);
    assert_eq!(rules(&err), ["AUTHZ-DECIDE-01", "WF-SUBMIT-03"], "{err}");
}

#[test]
fn wf_submit_03_a_signer_who_has_not_acknowledged_confidentiality_is_refused() {
    let mut r = given_a_reporter(false);
    let signed = r.signed(r.p1, 1);
    let err = r.refused(&signed, 30);
    assert_eq!(rules(&err), ["AUTHZ-CONF-01", "WF-SUBMIT-03"], "{err}");
    // Once she has acknowledged it, the same signed report is received.
    let login = r.cast.reporter.log_in(&r.registry, 31).unwrap();
    r.registry
        .as_user(
            &login,
            &Command::Users(UserCommand::AcknowledgeConfidentiality),
            31,
        )
        .unwrap();
    let receipt = r.registry.deliver(&signed, 32).unwrap();
    assert_eq!(receipt.user(), r.reporter);
}

#[test]
fn wf_submit_02_a_submission_naming_an_unknown_form_right_or_department_is_refused() {
    let mut r = given_a_reporter(true);
    let unknown = |edit: fn(&mut Submission)| {
        let mut report = coercion_report(r.p1.shak, coercion_report_payload(1));
        edit(&mut report);
        r.cast.reporter.sign(report).unwrap()
    };
    let no_form = unknown(|s| s.form = "SEI-TVANG-SOMATIK".into());
    let no_right = unknown(|s| s.right = "INDBERET2".into());
    let no_department = unknown(|s| s.department = "420299".parse().unwrap());
    for signed in [no_form, no_right, no_department] {
        let err = r.refused(&signed, 30);
        assert_eq!(rules(&err), ["WF-SUBMIT-02"], "{err}");
    }
}

#[test]
fn wf_submit_01_a_replayed_submission_is_refused() {
    let mut r = given_a_reporter(true);
    let signed = r.signed(r.p1, 1);
    let receipt = r.registry.deliver(&signed, 30).unwrap();
    // The same signed report again, later: it would be counted twice.
    let err = r.refused(&signed, 40);
    assert_eq!(rules(&err), ["WF-SUBMIT-01"], "{err}");
    // As it arrives over the wire, byte for byte.
    let wire: SignedForm<Submission> =
        serde_json::from_slice(&serde_json::to_vec(&signed).unwrap()).unwrap();
    assert_eq!(rules(&r.refused(&wire, 41)), ["WF-SUBMIT-01"]);
    assert_eq!(
        r.registry.state().submissions().receipts().count(),
        1,
        "{receipt:?}"
    );
    // Another report with the same content is another submission only if its bytes differ;
    // a second, different report is received.
    let second = r.registry.deliver(&r.signed(r.p1, 2), 42).unwrap();
    assert_ne!(second.submission(), receipt.submission());
}

#[test]
fn an_honest_report_gets_a_receipt_whose_event_holds_digests_never_the_report() {
    let mut r = given_a_reporter(true);
    let payload = coercion_report_payload(1);
    let signed = r.signed(r.p1, 1);
    let before = r.registry.head();
    let receipt = r.registry.deliver(&signed, 30).unwrap();

    // The receipt: the user her certificate logged in as, the department, the right, when,
    // and the digests of the signed bytes, the payload and her certificate.
    let report = r
        .registry
        .directory()
        .form_by_code(TVANG)
        .unwrap()
        .right_by_code("INDBERET")
        .unwrap();
    assert_eq!(receipt.user(), r.reporter);
    assert_eq!(receipt.department(), r.p1.department);
    assert_eq!(receipt.right(), report);
    assert_eq!(receipt.at(), at(30));
    assert_eq!(receipt.submission(), Digest::of(signed.bytes()));
    assert_eq!(receipt.payload(), Digest::of(&payload));
    let certificate = r.cast.reporter.login_certificate(30).unwrap().certificate();
    assert_eq!(receipt.certificate(), certificate);
    assert_eq!(
        r.registry
            .state()
            .submissions()
            .receipt(&receipt.submission()),
        Some(&receipt)
    );

    // One event, in the submissions stream, with exactly those facts.
    assert_eq!(r.registry.head().len, before.len + 1);
    let Event::Submissions(event) = r.registry.events().unwrap().pop().unwrap() else {
        panic!("the receipt is not the last event");
    };
    assert_eq!(event.at, at(30));
    let SubmissionChange::Received {
        submission,
        payload: payload_digest,
        user,
        ..
    } = event.change;
    assert_eq!(
        (submission, payload_digest, user),
        (receipt.submission(), receipt.payload(), r.reporter)
    );

    // Its log line holds no payload and no CPR number: neither the report's bytes (as text
    // or hex), nor the patient's or the reporter's CPR.
    let lines = r.registry.log().lines();
    let line = lines.last().unwrap();
    assert!(line.contains(r#""stream":"Submissions""#), "{line}");
    assert!(line.contains(r#""type":"Received""#), "{line}");
    let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
    let text = String::from_utf8(payload.clone()).unwrap();
    for secret in [
        PATIENT_CPR,
        REPORTER_CPR,
        "bæltefiksering",
        &hex[..32],
        &text,
    ] {
        assert!(
            !line.contains(secret),
            "the receipt logs `{secret}`: {line}"
        );
    }
    // The patient appears nowhere in the log; neither does the payload.
    let log = lines.join("\n");
    assert!(!log.contains(PATIENT_CPR));
    assert!(!log.contains(&hex[..32]));
    // Nor in what a host would print.
    let shown = format!("{receipt:?} {:?} {signed:?}", r.registry.state());
    assert!(!shown.contains(PATIENT_CPR) && !shown.contains(&hex[..32]));

    // Replaying the log rebuilds the same state, receipt included.
    let replayed = State::replay(r.registry.log()).unwrap();
    assert_eq!(&replayed, r.registry.state());
    assert_eq!(
        replayed.submissions().receipt(&receipt.submission()),
        Some(&receipt)
    );
    // And a replayed registry still refuses the same report.
    let mut reopened = Registry::open(r.registry.into_log(), form_verifier().unwrap()).unwrap();
    let err = reopened.deliver(&signed, 50).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-SUBMIT-01"]);
}
