//! Signed bytes are kept (issue 12, item 5): a signed form carries the bytes the person
//! signed, the form is parsed from them (WF-FORM-07) and the signature is verified over them
//! as kept (WF-FORM-03), never over a re-encoding. A client in another language signs the JSON
//! it writes, in its own member order and whitespace; the log keeps those bytes, and a record
//! whose bytes were edited never decodes silently into another form.

use sundhed_workflow::{
    Event, EventLog, FormAlgorithm, MemoryEventLog, SeiEnrolment, SeiNotification, SignedForm,
    State, form_bytes, rules,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

/// The chief physician's notification as a client in another language might write it: members
/// in another order, indented, `ø` escaped.
const NOTIFICATION: &str = r#"{
    "version": 1,
    "form": {
        "forms": [ { "rights": [ "INDBERET", "LAES" ], "form": "SEI-TVANG-PSYK" } ],
        "departments": [
            { "name": "Psykiatrisk afsnit P1", "shak": "420201" },
            { "name": "Psykiatrisk afsnit P2", "shak": "420202" }
        ],
        "local_administrator": { "person": "1506824008", "name": "Karl Hoffmann Svendsen" },
        "chief_physician": { "person": "0707614285", "name": "Brian M\u00f8ller" },
        "cvr": "46837428",
        "hospital": "Statens Serum Institut"
    },
    "schema": "sundhed.sei.notification"
}
"#;

/// The local administrator's enrolment, compact, members in reverse order, answering
/// [`NOTIFICATION`] (the SHA-256 of its bytes).
const ENROLMENT: &str = r#"{"form":{"forms":["SEI-TVANG-PSYK"],"person":"1506824008","cvr":"46837428","notification":"54dac3ffe384d41d4e1274e1c419abd9300d842c015467e178134193786d7631"},"version":1,"schema":"sundhed.sei.enrolment"}"#;

/// The rule ids of a refusal made before anything is verified (`SignedForm::new`).
fn refused_by<T: std::fmt::Debug>(
    result: Result<T, sundhed_workflow::Refusal>,
) -> Vec<&'static str> {
    result
        .unwrap_err()
        .rules()
        .iter()
        .map(|r| r.as_str())
        .collect()
}

fn unsigned<F: sundhed_workflow::FormSchema>(
    bytes: &[u8],
) -> Result<SignedForm<F>, sundhed_workflow::Refusal> {
    SignedForm::new(
        bytes.to_vec(),
        FormAlgorithm::RsaPkcs1Sha256,
        vec![1],
        vec![],
    )
}

#[test]
fn signed_bytes_written_by_another_client_verify_and_are_accepted() {
    let (cast, mut registry) = given().unwrap();
    let notification = cast
        .chief
        .sign_bytes::<SeiNotification>(NOTIFICATION.as_bytes().to_vec())
        .unwrap();
    assert_eq!(notification.form(), &sei_notification().unwrap());
    assert_eq!(notification.bytes(), NOTIFICATION.as_bytes());
    assert_ne!(
        notification.bytes(),
        form_bytes(&sei_notification().unwrap()).unwrap(),
        "not what our encoder writes"
    );
    let signer = form_verifier()
        .unwrap()
        .verify(&notification, at(10))
        .unwrap();
    assert_eq!(
        signer.form,
        sundhed_workflow::Digest::of(NOTIFICATION.as_bytes())
    );
    assert_eq!(signer.holder, cast.chief.holder);

    registry.notify(notification, 10).unwrap();
    let case = registry.state().sei().cases().last().unwrap().0;
    let enrolment = cast
        .local_admin
        .sign_bytes::<SeiEnrolment>(ENROLMENT.as_bytes().to_vec())
        .unwrap();
    assert_eq!(
        enrolment.form(),
        &sei_enrolment_for(&registry, case).unwrap()
    );
    registry.enrol(case, enrolment, 11).unwrap();

    // The log keeps the bytes as signed; replay reads the same forms out of them.
    let replayed = State::replay(registry.log()).unwrap();
    assert_eq!(&replayed, registry.state());
    let case = replayed.sei().case(case).unwrap();
    assert_eq!(case.notification().bytes(), NOTIFICATION.as_bytes());
    assert_eq!(case.enrolment().unwrap().0.bytes(), ENROLMENT.as_bytes());
}

#[test]
fn wf_form_03_one_flipped_byte_of_the_kept_bytes_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let signed = cast
        .chief
        .sign_bytes::<SeiNotification>(NOTIFICATION.as_bytes().to_vec())
        .unwrap();
    let head = registry.head();
    // A letter of the hospital's name: the form reads differently.
    let mut renamed = NOTIFICATION.as_bytes().to_vec();
    let at_name = NOTIFICATION.find("Statens").unwrap();
    renamed[at_name] ^= 0x20;
    // One space of the indentation turned into a tab: the form reads the same, but these
    // are not the bytes that were signed.
    let mut respaced = NOTIFICATION.as_bytes().to_vec();
    respaced[NOTIFICATION.find("    ").unwrap()] = b'\t';
    for (what, bytes) in [("renamed", renamed), ("respaced", respaced)] {
        let edited = signed.clone().with_bytes(bytes).unwrap();
        if what == "respaced" {
            assert_eq!(edited.form(), signed.form());
        } else {
            assert_eq!(edited.form().hospital, "statens Serum Institut");
        }
        let err = registry.notify(edited, 10).unwrap_err();
        assert_eq!(
            rule_ids(&err),
            ["SIG-PAYLOAD-02", "WF-FORM-03"],
            "{what}: {err}"
        );
    }
    assert_eq!(registry.head(), head, "nothing was logged");
    assert_eq!(registry.state().sei().cases().count(), 0);
}

#[test]
fn signed_bytes_every_one_bit_flip_of_an_enrolment_is_refused() {
    let cast = Cast::load().unwrap();
    let forms = form_verifier().unwrap();
    let signed = cast
        .local_admin
        .sign_bytes::<SeiEnrolment>(ENROLMENT.as_bytes().to_vec())
        .unwrap();
    assert!(forms.verify(&signed, at(11)).is_ok());
    for i in 0..ENROLMENT.len() {
        let mut bytes = ENROLMENT.as_bytes().to_vec();
        bytes[i] ^= 0x01;
        let refusal = match signed.clone().with_bytes(bytes) {
            Err(refusal) => refusal,
            Ok(edited) => forms.verify(&edited, at(11)).unwrap_err(),
        };
        let ids = refusal.rules();
        assert!(
            ids == [rules::FORM_SCHEMA] || ids.contains(&rules::FORM_SIGNATURE),
            "byte {i}: {refusal}"
        );
    }
}

#[test]
fn wf_form_07_bytes_of_another_schema_are_refused() {
    let cast = Cast::load().unwrap();
    let enrolment =
        form_bytes(&sei_enrolment(sundhed_workflow::Digest::of(NOTIFICATION.as_bytes())).unwrap())
            .unwrap();
    // An enrolment signed and sent as a notification.
    let err = cast
        .chief
        .sign_bytes::<SeiNotification>(enrolment.clone())
        .unwrap_err();
    let ids: Vec<_> = err.violations().iter().map(|v| v.rule()).collect();
    assert_eq!(ids, [rules::FORM_SCHEMA], "{err}");
    assert!(err.to_string().contains("`sundhed.sei.enrolment`"), "{err}");
    // A notification's form under the enrolment's schema name.
    let renamed = String::from_utf8(form_bytes(&sei_notification().unwrap()).unwrap())
        .unwrap()
        .replace("sundhed.sei.notification", "sundhed.sei.enrolment");
    assert_eq!(
        refused_by(unsigned::<SeiEnrolment>(renamed.as_bytes())),
        ["WF-FORM-07"]
    );
    // A schema of nobody's.
    let other = ENROLMENT.replace("sundhed.sei.enrolment", "sundhed.sei.Enrolment");
    assert_eq!(
        refused_by(unsigned::<SeiEnrolment>(other.as_bytes())),
        ["WF-FORM-07"]
    );
    // Uploaded under the wrong command: the signed form does not decode at all.
    let upload = serde_json::to_string(
        &cast
            .chief
            .sign(sei_enrolment(sundhed_workflow::Digest::of(NOTIFICATION.as_bytes())).unwrap())
            .unwrap(),
    )
    .unwrap();
    let err = serde_json::from_str::<SignedForm<SeiNotification>>(&upload).unwrap_err();
    assert!(err.to_string().starts_with("WF-FORM-07: "), "{err}");
}

#[test]
fn wf_form_07_an_unknown_version_is_refused() {
    for version in ["2", "0", "65537", "1.0", "\"1\"", "null"] {
        let bytes = ENROLMENT.replace("\"version\":1", &format!("\"version\":{version}"));
        let err = unsigned::<SeiEnrolment>(bytes.as_bytes()).unwrap_err();
        assert_eq!(
            err.rules().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ["WF-FORM-07"],
            "{version}: {err}"
        );
    }
    let err = unsigned::<SeiEnrolment>(
        ENROLMENT
            .replace("\"version\":1", "\"version\":2")
            .as_bytes(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("version 2 of `sundhed.sei.enrolment`"),
        "{err}"
    );
}

#[test]
fn wf_form_07_malformed_json_is_refused() {
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("not json", "cvr=46837428".into()),
        ("cut", ENROLMENT[..ENROLMENT.len() / 2].into()),
        ("trailing bytes", format!("{ENROLMENT} {{}}")),
        ("two documents", format!("{ENROLMENT}{ENROLMENT}")),
        ("a list", format!("[{ENROLMENT}]")),
        (
            "no form",
            r#"{"schema":"sundhed.sei.enrolment","version":1}"#.into(),
        ),
        (
            "an unknown member",
            ENROLMENT.replace("\"version\":1", "\"version\":1,\"note\":\"x\""),
        ),
        (
            "a member twice",
            ENROLMENT.replace("\"version\":1", "\"version\":1,\"version\":1"),
        ),
        (
            "a form member twice",
            ENROLMENT.replace(
                "\"cvr\":\"46837428\"",
                "\"cvr\":\"46837428\",\"cvr\":\"30808460\"",
            ),
        ),
        (
            "an unknown form member",
            ENROLMENT.replace("\"cvr\":", "\"comment\":\"x\",\"cvr\":"),
        ),
        (
            "a missing form member",
            ENROLMENT.replace("\"person\":\"1506824008\",", ""),
        ),
        (
            "a person that is no cpr",
            ENROLMENT.replace("1506824008", "150682400"),
        ),
        (
            "no notification it answers",
            ENROLMENT.replace(",\"notification\":\"54dac3ffe384d41d4e1274e1c419abd9300d842c015467e178134193786d7631\"", ""),
        ),
        (
            "a notification that is no digest",
            ENROLMENT.replace("54dac3ffe384d41d4e1274e1c419abd9300d842c015467e178134193786d7631", "54dac3ff"),
        ),
        ("a nul after the document", {
            let mut s = ENROLMENT.to_owned();
            s.push('\u{0}');
            s
        }),
    ];
    for (what, bytes) in cases {
        let err = unsigned::<SeiEnrolment>(bytes.as_bytes()).unwrap_err();
        let text = format!("{err} {err:?}");
        assert_eq!(
            err.rules().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ["WF-FORM-07"],
            "{what}: {text}"
        );
        assert!(!text.contains("1506824008"), "{what}: {text}");
    }
    let mut bad_utf8 = ENROLMENT.as_bytes().to_vec();
    let at_name = ENROLMENT.find("SEI-").unwrap();
    bad_utf8[at_name] = 0xff;
    assert_eq!(
        refused_by(unsigned::<SeiEnrolment>(&bad_utf8)),
        ["WF-FORM-07"]
    );
}

/// The notification event of a log with one SEI case, as JSON, with the signed bytes decoded.
fn notification_event() -> (MemoryEventLog<Event>, usize, serde_json::Value, Vec<u8>) {
    let (cast, mut registry) = given().unwrap();
    registry
        .notify(cast.chief.sign(sei_notification().unwrap()).unwrap(), 10)
        .unwrap();
    let log = registry.log().clone();
    let at = log.lines().len() - 1;
    let line: serde_json::Value = serde_json::from_str(&log.lines()[at]).unwrap();
    let event = line["event"].clone();
    let hex = event["event"]["change"]["form"]["bytes"].as_str().unwrap();
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    (log, at, event, bytes)
}

fn with_bytes(mut event: serde_json::Value, bytes: &[u8]) -> serde_json::Value {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    event["event"]["change"]["form"]["bytes"] = hex.into();
    event
}

/// `log` with its record `at` replaced by `event`, re-hashed so the chain is fine.
fn rehashed(
    log: &MemoryEventLog<Event>,
    at: usize,
    event: serde_json::Value,
) -> MemoryEventLog<Event> {
    let mut forged = MemoryEventLog::<serde_json::Value>::new();
    for line in &log.lines()[..at] {
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        forged.append(&[line["event"].clone()]).unwrap();
    }
    forged.append(&[event]).unwrap();
    let mut out = MemoryEventLog::<Event>::new();
    *out.lines_mut() = forged.lines().to_vec();
    out
}

#[test]
fn signed_bytes_an_event_written_with_the_bytes_reads_back_an_equal_form() {
    let (log, at, event, bytes) = notification_event();
    assert_eq!(bytes, form_bytes(&sei_notification().unwrap()).unwrap());
    assert!(
        event["event"]["change"]["form"].get("form").is_none(),
        "the form is not written twice"
    );
    let events = log.read_from(1).unwrap();
    let decoded: Event = serde_json::from_value(event).unwrap();
    assert_eq!(&decoded, events[at].event());
    let Event::Sei(sei) = decoded else {
        unreachable!()
    };
    let text = serde_json::to_string(&sei).unwrap();
    assert_eq!(
        serde_json::from_str::<sundhed_workflow::SeiEvent>(&text).unwrap(),
        sei
    );
    let state = State::replay(&log).unwrap();
    let (_, case) = state.sei().cases().last().unwrap();
    assert_eq!(case.notification().form(), &sei_notification().unwrap());
    assert_eq!(case.notification().bytes(), bytes);
}

#[test]
fn wf_form_07_an_event_whose_bytes_do_not_parse_does_not_decode() {
    let (log, at, event, bytes) = notification_event();
    let text = String::from_utf8(bytes).unwrap();
    let edits = [
        text.replace("sundhed.sei.notification", "sundhed.sei.enrolment"),
        text.replace("\"version\":1", "\"version\":2"),
        text.replace("\"hospital\"", "\"hospitál\""),
        text[..text.len() - 1].to_owned(),
    ];
    for edit in edits {
        let edited = with_bytes(event.clone(), edit.as_bytes());
        let err = serde_json::from_value::<Event>(edited.clone()).unwrap_err();
        assert!(err.to_string().starts_with("WF-FORM-07: "), "{err}");
        let forged = rehashed(&log, at, edited);
        let err = State::replay(&forged).unwrap_err();
        assert!(err.to_string().contains("WF-FORM-07"), "{err}");
    }
    // The old record shape, a decoded form beside the bytes, is not read either.
    let mut both = event.clone();
    both["event"]["change"]["form"]["form"] =
        serde_json::to_value(sei_notification().unwrap()).unwrap();
    assert!(serde_json::from_value::<Event>(both.clone()).is_err());
    assert!(State::replay(&rehashed(&log, at, both)).is_err());
}

#[test]
fn wf_form_03_an_event_whose_bytes_were_edited_reads_the_edit_and_no_longer_verifies() {
    let (log, at, event, bytes) = notification_event();
    let edit = String::from_utf8(bytes)
        .unwrap()
        .replace("Karl Hoffmann Svendsen", "Mallory");
    let forged = rehashed(&log, at, with_bytes(event, edit.as_bytes()));
    forged.verify().unwrap();
    let state = State::replay(&forged).unwrap();
    let (_, case) = state.sei().cases().last().unwrap();
    // The form is what the bytes say, never the form that was signed...
    assert_eq!(
        case.notification().form().local_administrator.name,
        "Mallory"
    );
    // ... and those bytes were not signed.
    let err = form_verifier()
        .unwrap()
        .verify(case.notification(), case.notifier().verified_at)
        .unwrap_err();
    assert!(err.rules().contains(&rules::FORM_SIGNATURE), "{err}");
}
