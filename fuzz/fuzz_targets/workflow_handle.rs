//! The workflow registry under arbitrary command sequences: SEB and SEI steps with forms
//! built from the input and signed (validly, with the published OCES2 test keys, or with the
//! wrong key), user commands with arbitrary activation codes, and directory commands, from
//! any actor at any time.
//!
//! Invariants: after every command, a refusal names its rules in its message and changes
//! neither the state nor the log, and an accepted command has at least one event, all in the
//! log; after the sequence, the log verifies and replaying it gives the live state.
#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use arbitrary::Arbitrary;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use serde::Serialize;
use sundhed_authorisation::{
    Actor, DepartmentId, DirectoryCommand, FormKind, GrantSpec, Grantee, GroupId, NewUser, RightId,
    RightSpec, UserId,
};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId};
use sundhed_signing::{Cert, Policy, TrustAnchor};
use sundhed_workflow::{
    ActivationCode, Administrator, Command, Event, EventLog, FormAlgorithm, FormVerifier,
    MemoryEventLog, NamedPerson, Registry, RightsRequest, SebCaseId, SebCommand, SebForm,
    SeiCaseId, SeiCommand, SeiDepartment, SeiEnrolment, SeiNotification, SignedForm, State,
    UserCommand, canonical_bytes,
};

const TESTDATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/sundhed-workflow/testdata/"
);
const PEOPLE: [&str; 6] = [
    "MOCES_gyldig",
    "MOCES_cpr_gyldig",
    "VOCES_gyldig",
    "Brian_Moeller_Laege",
    "Karl_Hoffmann_Svendsen_Laege",
    "Sonja_Bach_Laege",
];
const CVRS: [&str; 3] = ["30808460", "46837428", "29190623"];
const PERSONS: [&str; 4] = ["0707614285", "1506824008", "0101701239", "0203291WQ3"];
const FORMS: [&str; 4] = ["FMK", "SEI-TVANG-PSYK", "SOR", "NOPE"];
const RIGHTS: [&str; 6] = ["ADMIN", "LAEGE", "SYGEPLEJE", "INDBERET", "LAES", "REDIGER"];
const SHAKS: [&str; 4] = ["420201", "420202", "4202011", "130101"];

struct Signer {
    chain: Vec<Vec<u8>>,
    holder: Option<CertificateHolderId>,
    key: PrivateKey,
}

struct Setup {
    signers: Vec<Signer>,
    anchors: Vec<TrustAnchor>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let signers: Vec<Signer> = PEOPLE
            .iter()
            .filter_map(|name| {
                let pem = std::fs::read(format!("{TESTDATA}{name}.chain.pem")).ok()?;
                let certs = Cert::parse_all(&pem).ok()?;
                let subject = certs.first()?.subject().to_owned();
                let holder = subject
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
                    .find(|part| {
                        part.starts_with("RID:")
                            || part.starts_with("UID:")
                            || part.starts_with("FID:")
                    })
                    .and_then(|part| part.parse().ok())
                    .map(CertificateHolderId::Oces2);
                let key_pem = std::fs::read_to_string(format!("{TESTDATA}{name}.key.pem")).ok()?;
                let key = PrivateKey::from_pkcs8_pem(&key_pem).ok()?;
                Some(Signer {
                    chain: certs.iter().map(|c| c.der().to_vec()).collect(),
                    holder,
                    key,
                })
            })
            .collect();
        assert_eq!(
            signers.len(),
            PEOPLE.len(),
            "test people missing under {TESTDATA}"
        );
        let root = std::fs::read(format!("{TESTDATA}TRUST2408_Systemtest_VII_Primary_CA.cer"))
            .unwrap_or_default();
        let anchors = TrustAnchor::parse_all(&root).unwrap_or_default();
        assert!(!anchors.is_empty(), "no trust anchor");
        Setup { signers, anchors }
    })
}

fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    items.get(usize::from(i) % items.len().max(1)).copied()
}

fn cvr(i: u8) -> Option<Cvr> {
    pick(&CVRS, i)?.parse().ok()
}

fn person(i: u8) -> Option<PersonId> {
    pick(&PERSONS, i)?.parse().ok()
}

fn holder(i: u8) -> Option<CertificateHolderId> {
    let setup = setup();
    setup
        .signers
        .get(usize::from(i) % setup.signers.len())?
        .holder
        .clone()
}

#[derive(Arbitrary, Debug)]
struct Request {
    form: u8,
    rights: Vec<u8>,
}

impl Request {
    fn build(&self) -> Option<RightsRequest> {
        Some(RightsRequest {
            form: pick(&FORMS, self.form)?.into(),
            rights: self
                .rights
                .iter()
                .take(4)
                .filter_map(|r| pick(&RIGHTS, *r))
                .map(Into::into)
                .collect(),
        })
    }
}

#[derive(Arbitrary, Debug)]
struct Admin {
    name: String,
    person: u8,
    holder: u8,
}

impl Admin {
    fn build(&self) -> Option<Administrator> {
        Some(Administrator {
            name: self.name.chars().take(40).collect(),
            person: person(self.person)?,
            email: "admin@example.invalid".into(),
            phone: "+45 0000 0000".into(),
            certificate: holder(self.holder)?,
        })
    }
}

#[derive(Arbitrary, Debug)]
enum Seb {
    Onboarding {
        organisation: String,
        cvr: u8,
        admin: Admin,
        services: Vec<Request>,
    },
    AddService {
        cvr: u8,
        services: Vec<Request>,
    },
    Replace {
        cvr: u8,
        admin: Admin,
        replaces: Option<u8>,
    },
}

impl Seb {
    fn build(&self) -> Option<SebForm> {
        Some(match self {
            Self::Onboarding {
                organisation,
                cvr: c,
                admin,
                services,
            } => SebForm::Onboarding {
                organisation: organisation.chars().take(40).collect(),
                cvr: cvr(*c)?,
                sor: "953741000016009".parse().ok()?,
                administrator: admin.build()?,
                services: services.iter().take(3).filter_map(Request::build).collect(),
            },
            Self::AddService { cvr: c, services } => SebForm::AddService {
                cvr: cvr(*c)?,
                services: services.iter().take(3).filter_map(Request::build).collect(),
            },
            Self::Replace {
                cvr: c,
                admin,
                replaces,
            } => SebForm::ReplaceAdministrator {
                cvr: cvr(*c)?,
                administrator: admin.build()?,
                replaces: replaces.and_then(person),
            },
        })
    }
}

/// How a form is signed: by which test person, and whether it is then spoiled.
#[derive(Arbitrary, Debug)]
struct Signing {
    signer: u8,
    chain_of: Option<u8>,
    flip: Option<u16>,
    pss_label: bool,
}

/// Signatures by (signer, signed bytes).
type SignatureCache = HashMap<(usize, Vec<u8>), Vec<u8>>;

/// Signatures already made, by signer and signed bytes: libFuzzer mutates one part of an
/// input at a time, so the same forms come back often and an RSA private-key operation under
/// AddressSanitizer dominates the run time.
fn signature_of(signer: usize, key: &PrivateKey, bytes: Vec<u8>) -> Vec<u8> {
    static CACHE: OnceLock<Mutex<SignatureCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache
        .lock()
        .ok()
        .and_then(|c| c.get(&(signer, bytes.clone())).cloned())
    {
        return hit;
    }
    let signature = SigningKey::<sha2::Sha256>::new(key.clone())
        .sign(&bytes)
        .to_vec();
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 20_000 {
            c.clear();
        }
        c.insert((signer, bytes), signature.clone());
    }
    signature
}

fn sign<F: Serialize>(form: F, how: &Signing) -> Option<SignedForm<F>> {
    let setup = setup();
    let signer = setup
        .signers
        .get(usize::from(how.signer) % setup.signers.len())?;
    let bytes = canonical_bytes(&form).ok()?;
    let mut signature = signature_of(
        usize::from(how.signer) % setup.signers.len(),
        &signer.key,
        bytes,
    );
    if let Some(at) = how.flip {
        let n = signature.len().max(1);
        if let Some(b) = signature.get_mut(usize::from(at) % n) {
            *b ^= 1;
        }
    }
    let chain = match how.chain_of {
        Some(other) => setup
            .signers
            .get(usize::from(other) % setup.signers.len())?
            .chain
            .clone(),
        None => signer.chain.clone(),
    };
    let algorithm = if how.pss_label {
        FormAlgorithm::RsaPssSha256
    } else {
        FormAlgorithm::RsaPkcs1Sha256
    };
    Some(SignedForm::new(form, algorithm, signature, chain))
}

#[derive(Arbitrary, Debug)]
enum Op {
    SebSubmit {
        form: Seb,
        signing: Signing,
    },
    SebApprove {
        case: u8,
    },
    SebReject {
        case: u8,
        reasons: Vec<String>,
    },
    SebFirstLogin {
        case: u8,
        holder: u8,
    },
    SeiNotify {
        hospital: String,
        cvr: u8,
        chief: u8,
        admin: u8,
        shaks: Vec<u8>,
        forms: Vec<Request>,
        signing: Signing,
    },
    SeiEnrol {
        case: u8,
        cvr: u8,
        person: u8,
        forms: Vec<u8>,
        signing: Signing,
    },
    SeiCrossCheck {
        case: u8,
    },
    UserCreate {
        actor: u8,
        person: u16,
        group: u8,
        parent: Option<u8>,
        grant: Option<(u8, u8)>,
    },
    IssueCode {
        actor: u8,
        person: u16,
        code: String,
        expires: u8,
        group: u8,
    },
    Enrol {
        actor: u8,
        code: String,
        holder: u8,
    },
    FetchSettings {
        actor: u8,
    },
    Acknowledge {
        actor: u8,
    },
    Grant {
        actor: u8,
        grantee: u8,
        right: u8,
        dept: u8,
    },
    Revoke {
        actor: u8,
        grant: u8,
    },
    Advance {
        minutes: u16,
    },
}

struct World {
    registry: Registry<MemoryEventLog<Event>>,
    at: DateTime<Utc>,
}

impl World {
    fn new() -> Option<Self> {
        let forms = FormVerifier::new(setup().anchors.clone(), Policy::oces2_test());
        let mut registry = Registry::open(MemoryEventLog::new(), forms).ok()?;
        let at = Utc.with_ymd_and_hms(2018, 6, 1, 9, 0, 0).single()?;
        let right = |code: &str, admin, personal_data| RightSpec {
            code: code.into(),
            name: code.into(),
            administers_users: admin,
            personal_data,
        };
        for (code, kind, rights) in [
            (
                "FMK",
                FormKind::SebService,
                vec![
                    right("ADMIN", true, false),
                    right("LAEGE", false, true),
                    right("SYGEPLEJE", false, true),
                ],
            ),
            (
                "SOR",
                FormKind::SebService,
                vec![right("ADMIN", true, false), right("REDIGER", false, false)],
            ),
            (
                "SEI-TVANG-PSYK",
                FormKind::SeiForm,
                vec![
                    right("ADMIN", true, false),
                    right("INDBERET", false, true),
                    right("LAES", false, true),
                ],
            ),
        ] {
            let command = DirectoryCommand::DefineForm {
                code: code.into(),
                name: code.into(),
                kind,
                rights,
            };
            registry
                .handle(Actor::Authority, &Command::Directory(command), at)
                .ok()?;
        }
        Some(Self { registry, at })
    }

    fn user(&self, i: u8) -> UserId {
        UserId::new(u32::from(i % 12))
    }

    fn actor(&self, i: u8) -> Actor {
        if i.is_multiple_of(6) {
            Actor::Authority
        } else {
            Actor::User(self.user(i))
        }
    }

    fn command(&mut self, op: &Op) -> Option<(Actor, Command)> {
        let case = |c: u8| SebCaseId::new(u32::from(c % 6));
        let sei_case = |c: u8| SeiCaseId::new(u32::from(c % 6));
        Some(match op {
            Op::SebSubmit { form, signing } => (
                Actor::Authority,
                Command::Seb(SebCommand::Submit {
                    form: Box::new(sign(form.build()?, signing)?),
                }),
            ),
            Op::SebApprove { case: c } => (
                Actor::Authority,
                Command::Seb(SebCommand::Approve { case: case(*c) }),
            ),
            Op::SebReject { case: c, reasons } => (
                Actor::Authority,
                Command::Seb(SebCommand::Reject {
                    case: case(*c),
                    reasons: reasons.iter().take(3).cloned().collect(),
                }),
            ),
            Op::SebFirstLogin { case: c, holder: h } => (
                Actor::Authority,
                Command::Seb(SebCommand::FirstLogin {
                    case: case(*c),
                    holder: holder(*h)?,
                }),
            ),
            Op::SeiNotify {
                hospital,
                cvr: c,
                chief,
                admin,
                shaks,
                forms,
                signing,
            } => {
                let notification = SeiNotification {
                    hospital: hospital.chars().take(40).collect(),
                    cvr: cvr(*c)?,
                    chief_physician: NamedPerson {
                        name: "chief".into(),
                        person: person(*chief)?,
                    },
                    local_administrator: NamedPerson {
                        name: "admin".into(),
                        person: person(*admin)?,
                    },
                    departments: shaks
                        .iter()
                        .take(4)
                        .filter_map(|s| {
                            Some(SeiDepartment {
                                shak: pick(&SHAKS, *s)?.parse().ok()?,
                                name: "afsnit".into(),
                            })
                        })
                        .collect(),
                    forms: forms.iter().take(3).filter_map(Request::build).collect(),
                };
                (
                    Actor::Authority,
                    Command::Sei(SeiCommand::Notify {
                        form: Box::new(sign(notification, signing)?),
                    }),
                )
            }
            Op::SeiEnrol {
                case: c,
                cvr: cv,
                person: p,
                forms,
                signing,
            } => {
                let enrolment = SeiEnrolment {
                    cvr: cvr(*cv)?,
                    person: person(*p)?,
                    forms: forms
                        .iter()
                        .take(3)
                        .filter_map(|f| pick(&FORMS, *f))
                        .map(Into::into)
                        .collect(),
                };
                (
                    Actor::Authority,
                    Command::Sei(SeiCommand::Enrol {
                        case: sei_case(*c),
                        form: Box::new(sign(enrolment, signing)?),
                    }),
                )
            }
            Op::SeiCrossCheck { case: c } => (
                Actor::Authority,
                Command::Sei(SeiCommand::CrossCheck { case: sei_case(*c) }),
            ),
            Op::UserCreate {
                actor,
                person: p,
                group,
                parent,
                grant,
            } => (
                self.actor(*actor),
                Command::Users(UserCommand::Create {
                    user: NewUser {
                        person: numbered_person(*p)?,
                        certificates: vec![],
                    },
                    groups: vec![GroupId::new(u32::from(*group % 8))],
                    parent: parent.map(|g| GroupId::new(u32::from(g % 8))),
                    grants: grant
                        .map(|(r, d)| GrantSpec::new(right(r), DepartmentId::new(u32::from(d % 8))))
                        .into_iter()
                        .collect(),
                }),
            ),
            Op::IssueCode {
                actor,
                person: p,
                code,
                expires,
                group,
            } => (
                self.actor(*actor),
                Command::Users(UserCommand::IssueActivationCode {
                    person: numbered_person(*p)?,
                    code: ActivationCode::new(code.clone()).ok()?,
                    expires: self.at + TimeDelta::minutes(i64::from(*expires)),
                    groups: vec![GroupId::new(u32::from(*group % 8))],
                    parent: None,
                    grants: vec![],
                }),
            ),
            Op::Enrol {
                actor,
                code,
                holder: h,
            } => (
                self.actor(*actor),
                Command::Users(UserCommand::Enrol {
                    code: ActivationCode::new(code.clone()).ok()?,
                    holder: holder(*h)?,
                }),
            ),
            Op::FetchSettings { actor } => (
                self.actor(*actor),
                Command::Users(UserCommand::FetchSettings),
            ),
            Op::Acknowledge { actor } => (
                self.actor(*actor),
                Command::Users(UserCommand::AcknowledgeConfidentiality),
            ),
            Op::Grant {
                actor,
                grantee,
                right: r,
                dept,
            } => (
                self.actor(*actor),
                Command::Directory(DirectoryCommand::Grant {
                    grantee: Grantee::User(self.user(*grantee)),
                    grant: GrantSpec::new(right(*r), DepartmentId::new(u32::from(dept % 8))),
                }),
            ),
            Op::Revoke { actor, grant } => (
                self.actor(*actor),
                Command::Directory(DirectoryCommand::Revoke {
                    grant: sundhed_authorisation::GrantId::new(u64::from(*grant % 16)),
                }),
            ),
            Op::Advance { minutes } => {
                self.at += TimeDelta::minutes(i64::from(*minutes));
                return None;
            }
        })
    }
}

fn right(i: u8) -> RightId {
    RightId::new(
        sundhed_authorisation::FormId::new(u32::from(i % 4)),
        u16::from(i / 4 % 4),
    )
}

fn numbered_person(n: u16) -> Option<PersonId> {
    format!("0101{:02}{:04}", 60 + n / 10_000 % 40, n % 10_000)
        .parse()
        .ok()
}

fuzz_target!(|ops: Vec<Op>| {
    let Some(mut world) = World::new() else {
        return;
    };
    for op in ops.iter().take(24) {
        let Some((actor, command)) = world.command(op) else {
            continue;
        };
        let before: State = world.registry.state().clone();
        let head = world.registry.head();
        match world.registry.handle(actor, &command, world.at) {
            Ok(events) => {
                // WF-STATE-02: an accepted command always changed something.
                assert!(!events.is_empty(), "a command accepted without an event");
                let len = u64::try_from(events.len()).unwrap_or(u64::MAX);
                assert_eq!(
                    world.registry.head().len,
                    head.len + len,
                    "events not in the log"
                );
            }
            Err(err) => {
                assert!(
                    *world.registry.state() == before,
                    "a refused command changed the state: {err}"
                );
                assert_eq!(
                    world.registry.head(),
                    head,
                    "a refused command changed the log"
                );
                let message = err.to_string();
                for rule in err.rules() {
                    assert!(
                        message.contains(rule.as_str()),
                        "`{message}` does not name {rule}"
                    );
                }
                assert!(
                    !err.rules().is_empty(),
                    "a refusal without a rule: {message}"
                );
            }
        }
    }
    // Once per sequence (replaying after every command made the target ten times slower).
    let verified = world.registry.log().verify();
    assert!(verified.is_ok(), "the log does not verify: {verified:?}");
    let replayed = State::replay(world.registry.log());
    assert!(
        replayed.as_ref().is_ok_and(|s| s == world.registry.state()),
        "replay differs from the live state"
    );
});
