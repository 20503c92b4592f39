//! The OCES2 test people and what their signing clients do: each person's certificate chain
//! and published test key (`crates/sundhed-workflow/testdata/`, provenance in its README),
//! signing a form's bytes (as [`form_bytes`] writes them, or any bytes a test writes by hand),
//! and the host's trust anchor under the OCES2 test policy.
//!
//! A host never holds these keys: signing is what the security officer's or the chief
//! physician's own client does before the form reaches the host as bytes.

use chrono::{DateTime, TimeDelta, Utc};
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use sundhed_identity::CertificateHolderId;
use sundhed_signing::{Cert, Policy, TrustAnchor};
use sundhed_workflow::{FormAlgorithm, FormSchema, FormVerifier, SignedForm, form_bytes};

use crate::error::TestkitError;
use crate::testdata::{people, read};

/// The file of the OCES2 test root (TRUST2408 Systemtest VII Primary CA).
pub const ROOT_FILE: &str = "TRUST2408_Systemtest_VII_Primary_CA.cer";

/// 2018-06-01 09:00 UTC, inside every OCES2 test certificate's validity.
const BASE: i64 = 1_527_843_600;

/// 2018-06-01 09:00 UTC plus `minutes`: inside every test certificate's validity.
#[must_use]
pub fn at(minutes: i64) -> DateTime<Utc> {
    let start = DateTime::from_timestamp(BASE, 0).unwrap_or_default();
    start
        .checked_add_signed(TimeDelta::minutes(minutes))
        .unwrap_or(start)
}

/// The OCES2 test root as trust anchors.
///
/// # Errors
/// The root cannot be read or parsed.
pub fn trust_anchors() -> Result<Vec<TrustAnchor>, TestkitError> {
    TrustAnchor::parse_all(&read(&people(ROOT_FILE))?).map_err(|e| TestkitError::data(ROOT_FILE, e))
}

/// The host's form verifier: the Systemtest VII root under the OCES2 test policy.
///
/// # Errors
/// The root cannot be read or parsed.
pub fn form_verifier() -> Result<FormVerifier, TestkitError> {
    Ok(FormVerifier::new(trust_anchors()?, Policy::oces2_test()))
}

/// A test person who can sign: certificate chain (DER, leaf first), holder id and key.
#[derive(Clone)]
pub struct Person {
    /// The chain, DER, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The holder id of the leaf (`RID:`, `UID:` or `FID:` of the OCES2 subject).
    pub holder: CertificateHolderId,
    /// The leaf's common name: the holder's name, as a verified signature names the signer
    /// (`Signer::name`).
    pub name: String,
    key: PrivateKey,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("holder", &self.holder)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Person {
    /// Loads `<name>.chain.pem` and `<name>.key.pem` from the test people.
    ///
    /// # Errors
    /// A file is missing, or the chain, its holder id or the key does not parse.
    pub fn load(name: &str) -> Result<Self, TestkitError> {
        let chain_file = format!("{name}.chain.pem");
        let certs = Cert::parse_all(&read(&people(&chain_file))?)
            .map_err(|e| TestkitError::data(&chain_file, e))?;
        let leaf = certs
            .first()
            .ok_or_else(|| TestkitError::data(&chain_file, "no certificate"))?;
        let holder = holder_of(leaf.subject())
            .ok_or_else(|| TestkitError::data(&chain_file, "no RID/UID/FID in the subject"))?;
        let holder_name = common_name(leaf.subject())
            .ok_or_else(|| TestkitError::data(&chain_file, "no CN in the subject"))?;
        let key_file = format!("{name}.key.pem");
        let pem = String::from_utf8(read(&people(&key_file))?)
            .map_err(|e| TestkitError::data(&key_file, e))?;
        let key = PrivateKey::from_pkcs8_pem(&pem).map_err(|e| TestkitError::data(&key_file, e))?;
        Ok(Self {
            chain: certs.iter().map(|c| c.der().to_vec()).collect(),
            holder,
            name: holder_name,
            key,
        })
    }

    /// A PKCS#1 v1.5 SHA-256 signature of `bytes` with this person's key.
    #[must_use]
    pub fn signature(&self, bytes: &[u8]) -> Vec<u8> {
        SigningKey::<sha2::Sha256>::new(self.key.clone())
            .sign(bytes)
            .to_vec()
    }

    /// Signs `form` (the bytes [`form_bytes`] writes for it) with this person's key and
    /// attaches the chain.
    ///
    /// # Errors
    /// The form cannot be written, or does not parse back (`WF-FORM-07`).
    pub fn sign<F: FormSchema>(&self, form: F) -> Result<SignedForm<F>, TestkitError> {
        self.sign_bytes(form_bytes(&form)?)
    }

    /// Signs `bytes` as they are, the way a signing client in any language signs the JSON it
    /// wrote, and attaches the chain.
    ///
    /// # Errors
    /// The bytes are not a form of `F`'s schema and version (`WF-FORM-07`).
    pub fn sign_bytes<F: FormSchema>(&self, bytes: Vec<u8>) -> Result<SignedForm<F>, TestkitError> {
        self.sign_with_chain(bytes, &self.chain)
    }

    /// Signs `form` with this person's key but attaches `other`'s chain (a wrong signature).
    ///
    /// # Errors
    /// The form cannot be written, or does not parse back (`WF-FORM-07`).
    pub fn sign_as<F: FormSchema>(
        &self,
        other: &Person,
        form: F,
    ) -> Result<SignedForm<F>, TestkitError> {
        self.sign_with_chain(form_bytes(&form)?, &other.chain)
    }

    fn sign_with_chain<F: FormSchema>(
        &self,
        bytes: Vec<u8>,
        chain: &[Vec<u8>],
    ) -> Result<SignedForm<F>, TestkitError> {
        let signature = self.signature(&bytes);
        Ok(SignedForm::new(
            bytes,
            FormAlgorithm::RsaPkcs1Sha256,
            signature,
            chain.to_vec(),
        )?)
    }
}

/// The holder id in an OCES2 subject: its `serialNumber` is `CVR:<cvr>-RID:<n>` (or `UID:`,
/// `FID:`), the organisation and the number together.
fn holder_of(subject: &str) -> Option<CertificateHolderId> {
    subject
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-'))
        .find(|part| part.starts_with("CVR:"))
        .and_then(|part| part.parse().ok())
}

/// The common name in an RFC 4514 subject (`CN=Brian Møller+serialNumber=…,O=…`); the test
/// people's names need no escapes.
fn common_name(subject: &str) -> Option<String> {
    subject
        .split([',', '+'])
        .find_map(|part| part.trim().strip_prefix("CN="))
        .map(ToOwned::to_owned)
}

/// The file names of the test people, in the order of [`Cast`]'s fields.
pub const PEOPLE: [&str; 6] = [
    "MOCES_gyldig",
    "MOCES_cpr_gyldig",
    "VOCES_gyldig",
    "Brian_Moeller_Laege",
    "Karl_Hoffmann_Svendsen_Laege",
    "Sonja_Bach_Laege",
];

/// The people of the scenarios, with their certificates.
#[derive(Clone, Debug)]
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
    ///
    /// # Errors
    /// A person cannot be loaded.
    pub fn load() -> Result<Self, TestkitError> {
        let [officer, seb_admin, voces, chief, local_admin, reporter] = PEOPLE;
        Ok(Self {
            officer: Person::load(officer)?,
            seb_admin: Person::load(seb_admin)?,
            voces: Person::load(voces)?,
            chief: Person::load(chief)?,
            local_admin: Person::load(local_admin)?,
            reporter: Person::load(reporter)?,
        })
    }

    /// Every person, in the order of [`PEOPLE`].
    #[must_use]
    pub fn all(&self) -> [&Person; 6] {
        [
            &self.officer,
            &self.seb_admin,
            &self.voces,
            &self.chief,
            &self.local_admin,
            &self.reporter,
        ]
    }
}
