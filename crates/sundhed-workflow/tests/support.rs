//! Shared test setup: certificates, signing forms with the test keys, a registry with the
//! forms defined, and given/when/then helpers. Also used by the walkthrough example.

use chrono::{DateTime, TimeZone, Utc};
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use serde::Serialize;
use sundhed_authorisation::{Actor, DirectoryCommand, FormKind, RightSpec};
use sundhed_identity::CertificateHolderId;
use sundhed_signing::{Cert, Policy, TrustAnchor};
use sundhed_workflow::{
    Command, Event, FormAlgorithm, FormVerifier, MemoryEventLog, Registry, SignedForm,
    WorkflowError, canonical_bytes,
};

/// The crate's test data folder.
pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/");

/// The SEB service the walkthrough uses.
pub const FMK: &str = "FMK";
/// The SEI form for coercion in psychiatry.
pub const TVANG: &str = "SEI-TVANG-PSYK";

/// A test person who can sign: certificate chain (DER, leaf first) and key.
pub struct Person {
    /// The chain, DER, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The holder id of the leaf.
    pub holder: CertificateHolderId,
    key: PrivateKey,
}

impl Person {
    /// Loads `<name>.chain.pem` and `<name>.key.pem` from the test data.
    pub fn load(name: &str) -> Self {
        let pem = std::fs::read(format!("{TESTDATA}{name}.chain.pem")).unwrap();
        let certs = Cert::parse_all(&pem).unwrap();
        let subject = certs[0].subject().to_owned();
        let holder = holder_of(&subject);
        let key_pem = std::fs::read_to_string(format!("{TESTDATA}{name}.key.pem")).unwrap();
        let key = PrivateKey::from_pkcs8_pem(&key_pem).unwrap();
        Self {
            chain: certs.iter().map(|c| c.der().to_vec()).collect(),
            holder,
            key,
        }
    }

    /// Signs `form` (its canonical bytes) with this person's key and attaches the chain.
    pub fn sign<F: Serialize>(&self, form: F) -> SignedForm<F> {
        self.sign_with_chain(form, &self.chain)
    }

    /// Signs `form` with this person's key but attaches `other`'s chain (a wrong signature).
    pub fn sign_as<F: Serialize>(&self, other: &Person, form: F) -> SignedForm<F> {
        self.sign_with_chain(form, &other.chain)
    }

    fn sign_with_chain<F: Serialize>(&self, form: F, chain: &[Vec<u8>]) -> SignedForm<F> {
        let bytes = canonical_bytes(&form).unwrap();
        let signature = SigningKey::<sha2::Sha256>::new(self.key.clone())
            .sign(&bytes)
            .to_vec();
        SignedForm::new(
            form,
            FormAlgorithm::RsaPkcs1Sha256,
            signature,
            chain.to_vec(),
        )
    }
}

fn holder_of(subject: &str) -> CertificateHolderId {
    // OCES2 subjects carry `serialNumber=CVR:<cvr>-RID:<n>` (or UID/FID).
    let start = subject.find("CVR:").unwrap();
    let serial: String = subject[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect();
    let number = serial.split_once('-').unwrap().1;
    CertificateHolderId::Oces2(number.parse().unwrap())
}

/// 2018-06-01 09:00 UTC plus `minutes`: inside every test certificate's validity.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2018, 6, 1, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(minutes)
}

/// The host's form verifier: the Systemtest VII root under the OCES2 test policy.
pub fn forms() -> FormVerifier {
    let root = std::fs::read(format!("{TESTDATA}TRUST2408_Systemtest_VII_Primary_CA.cer")).unwrap();
    FormVerifier::new(TrustAnchor::parse_all(&root).unwrap(), Policy::oces2_test())
}

fn right(code: &str, name: &str, admin: bool, personal_data: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: name.into(),
        administers_users: admin,
        personal_data,
    }
}

/// The forms the authority defines before anyone onboards.
pub fn define_forms() -> Vec<DirectoryCommand> {
    vec![
        DirectoryCommand::DefineForm {
            code: FMK.into(),
            name: "Fælles Medicinkort".into(),
            kind: FormKind::SebService,
            rights: vec![
                right("ADMIN", "Brugeradministration", true, false),
                right("LAEGE", "Læge", false, true),
                right("SYGEPLEJE", "Sygeplejerske", false, true),
            ],
        },
        DirectoryCommand::DefineForm {
            code: "SOR".into(),
            name: "SOR-redigering".into(),
            kind: FormKind::SebService,
            rights: vec![
                right("ADMIN", "Brugeradministration", true, false),
                right("REDIGER", "Redigér", false, false),
            ],
        },
        DirectoryCommand::DefineForm {
            code: TVANG.into(),
            name: "Tvang i psykiatrien".into(),
            kind: FormKind::SeiForm,
            rights: vec![
                right("ADMIN", "Brugeradministration", true, false),
                right("INDBERET", "Indberet tvang", false, true),
                right("LAES", "Læs indberetninger", false, true),
            ],
        },
    ]
}

/// A registry over a memory log with the forms defined.
pub fn registry() -> Registry<MemoryEventLog<Event>> {
    let mut registry = Registry::open(MemoryEventLog::new(), forms()).unwrap();
    for command in define_forms() {
        registry
            .handle(Actor::Authority, &Command::Directory(command), at(0))
            .unwrap();
    }
    registry
}

/// The rule ids of a failed `handle`, as strings.
pub fn rule_ids(err: &WorkflowError) -> Vec<&'static str> {
    err.rules().iter().map(|r| r.as_str()).collect()
}

/// The people of the scenarios, with their certificates.
pub struct Cast {
    /// SEB: the security officer of NETS DANID (signs the authorisation form).
    pub officer: Person,
    /// SEB: the administrator's login certificate.
    pub seb_admin: Person,
    /// SEB: an organisation (VOCES) certificate, no person.
    pub voces: Person,
    /// SEI: the chief physician (signs the notification).
    pub chief: Person,
    /// SEI: the local administrator (signs the enrolment).
    pub local_admin: Person,
    /// SEI: a user who reports coercion.
    pub reporter: Person,
}

impl Cast {
    /// Loads every certificate and key.
    pub fn load() -> Self {
        Self {
            officer: Person::load("MOCES_gyldig"),
            seb_admin: Person::load("MOCES_cpr_gyldig"),
            voces: Person::load("VOCES_gyldig"),
            chief: Person::load("Brian_Moeller_Laege"),
            local_admin: Person::load("Karl_Hoffmann_Svendsen_Laege"),
            reporter: Person::load("Sonja_Bach_Laege"),
        }
    }
}

/// NETS DANID A/S, the SEB organisation.
pub fn nets() -> sundhed_identity::Cvr {
    "30808460".parse().unwrap()
}

/// Statens Serum Institut, the SEI hospital.
pub fn ssi() -> sundhed_identity::Cvr {
    "46837428".parse().unwrap()
}

/// A made-up person id (valid CPR shape).
pub fn person(cpr: &str) -> sundhed_identity::PersonId {
    cpr.parse().unwrap()
}

/// The SEB administrator on the form.
pub fn seb_administrator(cast: &Cast) -> sundhed_workflow::Administrator {
    sundhed_workflow::Administrator {
        name: "Test Administrator".into(),
        person: person("0101701239"),
        email: "admin@nets.example".into(),
        phone: "+45 1234 5678".into(),
        certificate: cast.seb_admin.holder.clone(),
    }
}

/// The SEB authorisation form for NETS DANID, asking for FMK roles.
pub fn seb_onboarding_form(cast: &Cast) -> sundhed_workflow::SebForm {
    sundhed_workflow::SebForm::Onboarding {
        organisation: "NETS DANID A/S".into(),
        cvr: nets(),
        sor: "953741000016009".parse().unwrap(),
        administrator: seb_administrator(cast),
        services: vec![sundhed_workflow::RightsRequest {
            form: FMK.into(),
            rights: vec!["LAEGE".into(), "SYGEPLEJE".into()],
        }],
    }
}

/// The SEI notification for Statens Serum Institut.
pub fn sei_notification() -> sundhed_workflow::SeiNotification {
    use sundhed_workflow::{NamedPerson, SeiDepartment};
    sundhed_workflow::SeiNotification {
        hospital: "Statens Serum Institut".into(),
        cvr: ssi(),
        chief_physician: NamedPerson {
            name: "Brian Møller".into(),
            person: person("0707614285"),
        },
        local_administrator: NamedPerson {
            name: "Karl Hoffmann Svendsen".into(),
            person: person("1506824008"),
        },
        departments: vec![
            SeiDepartment {
                shak: "420201".parse().unwrap(),
                name: "Psykiatrisk afsnit P1".into(),
            },
            SeiDepartment {
                shak: "420202".parse().unwrap(),
                name: "Psykiatrisk afsnit P2".into(),
            },
        ],
        forms: vec![sundhed_workflow::RightsRequest {
            form: TVANG.into(),
            rights: vec!["INDBERET".into(), "LAES".into()],
        }],
    }
}

/// The local administrator's self-enrolment.
pub fn sei_enrolment() -> sundhed_workflow::SeiEnrolment {
    sundhed_workflow::SeiEnrolment {
        cvr: ssi(),
        person: person("1506824008"),
        forms: vec![TVANG.into()],
    }
}

/// Runs the SEB onboarding to the administrator's first login; gives the case and admin.
pub fn seb_onboard(
    registry: &mut Registry<impl sundhed_workflow::EventLog<Event>>,
    cast: &Cast,
) -> (sundhed_workflow::SebCaseId, sundhed_authorisation::UserId) {
    use sundhed_workflow::{SebCommand, SebState};
    let form = cast.officer.sign(seb_onboarding_form(cast));
    registry
        .handle(
            Actor::Authority,
            &Command::Seb(SebCommand::Submit {
                form: Box::new(form),
            }),
            at(1),
        )
        .unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    registry
        .handle(
            Actor::Authority,
            &Command::Seb(SebCommand::Approve { case }),
            at(2),
        )
        .unwrap();
    let login = SebCommand::FirstLogin {
        case,
        holder: cast.seb_admin.holder.clone(),
    };
    registry
        .handle(Actor::Authority, &Command::Seb(login), at(3))
        .unwrap();
    let SebState::Active { administrator } = registry.state().seb().case(case).unwrap().state()
    else {
        panic!("not active");
    };
    (case, *administrator)
}

/// Runs the SEI onboarding to the administrator's created; gives the case and admin.
pub fn sei_onboard(
    registry: &mut Registry<impl sundhed_workflow::EventLog<Event>>,
    cast: &Cast,
) -> (sundhed_workflow::SeiCaseId, sundhed_authorisation::UserId) {
    use sundhed_workflow::{SeiCommand, SeiState};
    let form = cast.chief.sign(sei_notification());
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::Notify {
                form: Box::new(form),
            }),
            at(10),
        )
        .unwrap();
    let case = registry.state().sei().cases().last().unwrap().0;
    let form = cast.local_admin.sign(sei_enrolment());
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::Enrol {
                case,
                form: Box::new(form),
            }),
            at(11),
        )
        .unwrap();
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::CrossCheck { case }),
            at(12),
        )
        .unwrap();
    let SeiState::AdministratorCreated { administrator } =
        registry.state().sei().case(case).unwrap().state()
    else {
        panic!("no administrator");
    };
    (case, *administrator)
}
