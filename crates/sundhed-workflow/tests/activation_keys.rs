//! Activation codes cannot be read back from the log: the log keeps HMAC-SHA-256 of a code
//! under the host's key (`WF-CODE-04` for the key's length), never the code or its plain
//! SHA-256, and a code must carry enough entropy (`WF-CODE-01`) against online guessing.

use sha2::Digest as _;
use sundhed_authorisation::{GrantSpec, UserId};
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    ActivationCode, ActivationKey, Command, Event, EventLog, KeyedCode, MemoryEventLog, Registry,
    State, UserChange, UserCommand, WorkflowError,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

const CODE: &str = "K7Q2-MZ9P-4TXW";

struct Sei {
    registry: Registry<MemoryEventLog<Event>>,
    cast: Cast,
    admin: UserId,
    grants: Vec<GrantSpec>,
    group: sundhed_authorisation::GroupId,
}

fn given_an_sei_department() -> Sei {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = sei_onboard(&mut registry, &cast).unwrap();
    let p1 = registry.state().sei().case(case).unwrap().departments()[0];
    let report = registry
        .directory()
        .form_by_code(TVANG)
        .unwrap()
        .right_by_code("INDBERET")
        .unwrap();
    Sei {
        registry,
        cast,
        admin,
        grants: vec![GrantSpec::new(report, p1.department)],
        group: p1.group,
    }
}

fn other_key() -> ActivationKey {
    ActivationKey::new(*b"another-host-key-of-32-bytes-ok!").unwrap()
}

impl Sei {
    fn issue(&mut self, code: KeyedCode, cpr: &str) -> Result<Vec<Event>, WorkflowError> {
        let command = UserCommand::IssueActivationCode {
            person: person(cpr).unwrap(),
            code,
            expires: at(600),
            groups: vec![self.group],
            parent: None,
            grants: self.grants.clone(),
        };
        self.registry.by(self.admin, &Command::Users(command), 30)
    }

    fn enrol(&mut self, code: KeyedCode) -> Result<Vec<Event>, WorkflowError> {
        let command = UserCommand::Enrol {
            code,
            holder: self.cast.reporter.holder.clone(),
        };
        self.registry.authority(&Command::Users(command), 31)
    }

    fn logged_code(&self) -> KeyedCode {
        let mut issued = self.registry.log().read_from(0).unwrap().into_iter().rev();
        issued
            .find_map(|record| match record.event() {
                Event::Users(e) => match &e.change {
                    UserChange::ActivationCodeIssued { code, .. } => Some(*code),
                    _ => None,
                },
                _ => None,
            })
            .unwrap()
    }
}

#[test]
fn the_log_of_an_issued_code_holds_neither_the_code_nor_its_sha256() {
    let mut sei = given_an_sei_department();
    let key = activation_key().unwrap();
    let code = ActivationCode::new(CODE).unwrap();
    sei.issue(code.keyed(&key), "2112851113").unwrap();
    let plain = sha2::Sha256::digest(CODE.as_bytes());
    let plain_hex: String = plain.iter().map(|b| format!("{b:02x}")).collect();
    let log = sei.registry.log().lines().join("\n");
    assert!(!log.contains(CODE), "the code is in the log");
    assert!(
        !log.contains(&plain_hex),
        "the code's SHA-256 is in the log"
    );
    assert!(!log.contains(&plain_hex.to_uppercase()));
    // What the log holds is the keyed code, and only the key leads there.
    assert_eq!(sei.logged_code(), code.keyed(&key));
    assert!(log.contains(&code.keyed(&key).to_string()));
    // Neither the key's bytes nor its Debug/Display give it away.
    assert!(!log.contains("sundhed-testkit-demo-key"));
    assert_eq!(format!("{key:?}"), "ActivationKey(hidden)");
    assert_eq!(key.to_string(), "activation key (hidden)");
}

#[test]
fn the_same_code_under_two_keys_gives_different_logged_values() {
    let code = ActivationCode::new(CODE).unwrap();
    let (ours, theirs) = (
        code.keyed(&activation_key().unwrap()),
        code.keyed(&other_key()),
    );
    assert_ne!(ours, theirs);
    let mut first = given_an_sei_department();
    first.issue(ours, "2112851113").unwrap();
    let mut second = given_an_sei_department();
    second.issue(theirs, "2112851113").unwrap();
    assert_eq!(first.logged_code(), ours);
    assert_eq!(second.logged_code(), theirs);
    assert_ne!(first.logged_code(), second.logged_code());
}

#[test]
fn enrolling_with_the_right_code_keyed_under_another_key_is_refused() {
    let mut sei = given_an_sei_department();
    let code = ActivationCode::new(CODE).unwrap();
    sei.issue(code.keyed(&activation_key().unwrap()), "2112851113")
        .unwrap();
    let head = sei.registry.head();
    assert_eq!(
        rule_ids(&sei.enrol(code.keyed(&other_key())).unwrap_err()),
        ["WF-CODE-02"]
    );
    assert_eq!(sei.registry.head(), head, "a refusal logs nothing");
    sei.enrol(code.keyed(&activation_key().unwrap())).unwrap();
}

#[test]
fn wf_code_01_a_low_entropy_activation_code_is_refused() {
    for code in [
        // 16 digits: 53 bits.
        "1234-5678-9012-3456",
        // 10 lower case letters: 47 bits.
        "abcdefghij",
        // 12 upper case letters: 56 bits.
        "ABCD-EFGH-IJKL",
        // One character repeated, whatever the length.
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        "Z-Z-Z-Z-Z-Z-Z-Z-Z-Z-Z-Z-Z-Z",
        // Separators only.
        "--------------",
        // Long enough only with the separators counted: 9 symbols of 36.
        "K-7-Q-2-M-Z-9-P-4",
    ] {
        let err = ActivationCode::new(code).unwrap_err();
        assert_eq!(err.rule().as_str(), "WF-CODE-01", "{code}: {err}");
        assert!(!err.to_string().contains(code), "{err}");
    }
    for code in [
        CODE,
        // 13 lower case letters: 61 bits.
        "qzvbnmkrtwxps",
        // 10 of all 94 printable: 65 bits.
        "aB3!xY7?kL",
        "WRONG-CODE-123",
    ] {
        ActivationCode::new(code).unwrap();
    }
}

#[test]
fn wf_code_04_a_short_activation_key_is_refused() {
    for len in [0, 1, 16, 31] {
        let err = ActivationKey::new(vec![0x5a; len]).unwrap_err();
        assert_eq!(err.rule().as_str(), "WF-CODE-04", "{len} bytes: {err}");
    }
    ActivationKey::new([0x5a; 32]).unwrap();
    ActivationKey::new([0x5a; 64]).unwrap();
    ActivationKey::new(ACTIVATION_KEY).unwrap();
}

#[test]
fn replaying_a_log_with_keyed_codes_rebuilds_the_same_state() {
    let mut sei = given_an_sei_department();
    let key = activation_key().unwrap();
    let used = ActivationCode::new(CODE).unwrap().keyed(&key);
    let pending = ActivationCode::new("WRONG-CODE-123").unwrap().keyed(&key);
    sei.issue(used, "2112851113").unwrap();
    sei.issue(pending, "0101801234").unwrap();
    sei.enrol(used).unwrap();
    let replayed = State::replay(sei.registry.log()).unwrap();
    assert_eq!(&replayed, sei.registry.state());
    assert!(replayed.users().pending(&pending).is_some());
    assert!(replayed.users().pending(&used).is_none());
    // The used code stays used after replay: enrolling again is refused.
    let holder: CertificateHolderId = "CVR:46837428-RID:33000009".parse().unwrap();
    let again = UserCommand::Enrol { code: used, holder };
    assert_eq!(
        rule_ids(
            &sei.registry
                .authority(&Command::Users(again), 40)
                .unwrap_err()
        ),
        ["WF-CODE-02"]
    );
}
