//! Workflow operations ([`WorkflowOp`]) and [`Driver`], which turns them into registry
//! commands: SEB and SEI steps with forms built from the input and signed by the OCES2 test
//! people (validly, with the wrong chain, a flipped bit or a wrong algorithm label), user
//! commands with arbitrary activation codes, and directory commands, from any actor at any
//! time.

mod driver;

pub use driver::{Driver, WorkflowOp};

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use arbitrary::Arbitrary;
use sundhed_identity::{CertificateHolderId, Cvr, PersonId};
use sundhed_workflow::{
    Administrator, FormAlgorithm, FormSchema, RightsRequest, SebForm, SignedForm, form_bytes,
};

use super::pick;
use crate::oces::{Cast, Person};

const CVRS: [&str; 3] = ["30808460", "46837428", "29190623"];
const PERSONS: [&str; 4] = ["0707614285", "1506824008", "0101701239", "0203291WQ3"];
const FORMS: [&str; 4] = ["FMK", "SEI-TVANG-PSYK", "SOR", "NOPE"];
const RIGHTS: [&str; 6] = ["ADMIN", "LAEGE", "SYGEPLEJE", "INDBERET", "LAES", "REDIGER"];
const SHAKS: [&str; 4] = ["420201", "420202", "4202011", "130101"];

/// The test people, loaded once per process.
fn cast() -> Option<&'static Cast> {
    static CAST: OnceLock<Option<Cast>> = OnceLock::new();
    CAST.get_or_init(|| Cast::load().ok()).as_ref()
}

fn signer(i: u8) -> Option<(usize, &'static Person)> {
    let people = cast()?.all();
    let at = usize::from(i) % people.len();
    Some((at, *people.get(at)?))
}

fn cvr(i: u8) -> Option<Cvr> {
    pick(&CVRS, i)?.parse().ok()
}

fn person(i: u8) -> Option<PersonId> {
    pick(&PERSONS, i)?.parse().ok()
}

fn holder(i: u8) -> Option<CertificateHolderId> {
    Some(signer(i)?.1.holder.clone())
}

fn numbered_person(n: u16) -> Option<PersonId> {
    crate::directory::person(u32::from(n)).ok()
}

/// A request for a form's rights.
#[derive(Arbitrary, Debug)]
pub struct Request {
    /// Which form.
    pub form: u8,
    /// Which rights (at most four).
    pub rights: Vec<u8>,
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

fn requests(requests: &[Request]) -> Vec<RightsRequest> {
    requests.iter().take(3).filter_map(Request::build).collect()
}

/// The administrator an SEB form names.
#[derive(Arbitrary, Debug)]
pub struct Admin {
    /// Any name (cut to 40 characters).
    pub name: String,
    /// Which person.
    pub person: u8,
    /// Which certificate.
    pub holder: u8,
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

/// An SEB form.
#[derive(Arbitrary, Debug)]
pub enum Seb {
    /// An organisation joins.
    Onboarding {
        /// Its name (cut to 40 characters).
        organisation: String,
        /// Its CVR.
        cvr: u8,
        /// Its administrator.
        admin: Admin,
        /// The services it asks for.
        services: Vec<Request>,
    },
    /// An organisation asks for more services.
    AddService {
        /// Its CVR.
        cvr: u8,
        /// The services.
        services: Vec<Request>,
    },
    /// An organisation replaces its administrator.
    Replace {
        /// Its CVR.
        cvr: u8,
        /// The new administrator.
        admin: Admin,
        /// The person replaced.
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
                services: requests(services),
            },
            Self::AddService { cvr: c, services } => SebForm::AddService {
                cvr: cvr(*c)?,
                services: requests(services),
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
pub struct Signing {
    /// Who signs.
    pub signer: u8,
    /// Whose chain is attached (the signer's when `None`).
    pub chain_of: Option<u8>,
    /// A bit of the signature flipped at this byte.
    pub flip: Option<u16>,
    /// Labelled RSA-PSS although it is PKCS#1 v1.5.
    pub pss_label: bool,
}

/// Signatures by (signer, signed bytes).
type SignatureCache = HashMap<(usize, Vec<u8>), Vec<u8>>;

/// Signatures already made, by signer and signed bytes: libFuzzer mutates one part of an
/// input at a time, so the same forms come back often and an RSA private-key operation under
/// AddressSanitizer dominates the run time.
fn signature_of(index: usize, person: &Person, bytes: Vec<u8>) -> Vec<u8> {
    static CACHE: OnceLock<Mutex<SignatureCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (index, bytes);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let signature = person.signature(&key.1);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 20_000 {
            c.clear();
        }
        c.insert(key, signature.clone());
    }
    signature
}

fn sign<F: FormSchema>(form: &F, how: &Signing) -> Option<SignedForm<F>> {
    let (index, person) = signer(how.signer)?;
    let bytes = form_bytes(form).ok()?;
    let mut signature = signature_of(index, person, bytes.clone());
    if let Some(at) = how.flip {
        let n = signature.len().max(1);
        if let Some(b) = signature.get_mut(usize::from(at) % n) {
            *b ^= 1;
        }
    }
    let chain = match how.chain_of {
        Some(other) => signer(other)?.1.chain.clone(),
        None => person.chain.clone(),
    };
    let algorithm = if how.pss_label {
        FormAlgorithm::RsaPssSha256
    } else {
        FormAlgorithm::RsaPkcs1Sha256
    };
    SignedForm::new(bytes, algorithm, signature, chain).ok()
}
