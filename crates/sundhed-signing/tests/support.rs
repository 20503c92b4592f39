//! Test fixtures built with x509-cert's builder and the checked-in keys in `tests/keys/`.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use der::asn1::{GeneralizedTime, Uint};
use der::{Decode, Encode};
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use sha2::Sha256;
use spki::{EncodePublicKey, SubjectPublicKeyInfoOwned};
use sundhed_identity::RuleId;
use sundhed_signing::{Cert, Crl, Policy, TrustAnchor, VerifyError, verify};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder, CrlBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::crl::RevokedCert;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::{BasicConstraints, CertificatePolicies, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoRef;
use x509_cert::time::{Time, Validity};

pub const ROOT: &str = "CN=Test Root,O=sundhed test,C=DK";
pub const CA: &str = "CN=Test Issuing CA,O=sundhed test,C=DK";
pub const LEAF: &str =
    "CN=Test Person+serialNumber=CVR:30808460-RID:12345678,O=Test Org // CVR:30808460,C=DK";
pub const MOCES_POLICY: &str = "1.2.208.169.1.1.1.2.4";

pub fn key(name: &str) -> PrivateKey {
    let path = format!("{}/tests/keys/{name}.key.pem", env!("CARGO_MANIFEST_DIR"));
    let pem = std::fs::read_to_string(path).unwrap();
    PrivateKey::from_pkcs8_pem(&pem).unwrap()
}

pub fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../testdata/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

pub fn certs(path: &str) -> Vec<Cert> {
    Cert::parse_all(&fixture(path)).unwrap()
}

/// Every certificate of a fixture file, trusted as a trust anchor.
pub fn anchors(path: &str) -> Vec<TrustAnchor> {
    TrustAnchor::parse_all(&fixture(path)).unwrap()
}

pub fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

/// The default verification time for built fixtures.
pub fn now() -> DateTime<Utc> {
    utc(2026, 6, 1)
}

pub fn policy() -> Policy {
    Policy::oces2()
}

fn time(t: DateTime<Utc>) -> Time {
    let secs = u64::try_from(t.timestamp()).unwrap();
    Time::GeneralTime(GeneralizedTime::from_unix_duration(Duration::from_secs(secs)).unwrap())
}

struct Profile {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// A certificate to build; start from [`Spec::ca`] or [`Spec::leaf`] and adjust.
#[derive(Clone)]
pub struct Spec {
    pub subject: String,
    pub issuer: String,
    pub key: &'static str,
    pub signer: &'static str,
    pub serial: u32,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// `None`: no basicConstraints; `Some((ca, path_len))`.
    pub basic_constraints: Option<(bool, Option<u8>)>,
    pub key_usage: Option<KeyUsage>,
    pub policies: Vec<&'static str>,
    pub extra: Vec<Extension>,
}

impl Spec {
    /// This spec with `change` applied: `Spec::ca().with(|s| s.key = "other")`.
    pub fn with(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self
    }

    pub fn root() -> Self {
        Self {
            subject: ROOT.into(),
            issuer: ROOT.into(),
            key: "root",
            signer: "root",
            serial: 1,
            not_before: utc(2020, 1, 1),
            not_after: utc(2040, 1, 1),
            basic_constraints: Some((true, None)),
            key_usage: Some(KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)),
            policies: vec![],
            extra: vec![],
        }
    }

    pub fn ca() -> Self {
        Self {
            subject: CA.into(),
            issuer: ROOT.into(),
            key: "ca",
            signer: "root",
            serial: 2,
            not_before: utc(2021, 1, 1),
            not_after: utc(2035, 1, 1),
            ..Self::root()
        }
    }

    pub fn leaf() -> Self {
        Self {
            subject: LEAF.into(),
            issuer: CA.into(),
            key: "leaf",
            signer: "ca",
            serial: 3,
            not_before: utc(2025, 1, 1),
            not_after: utc(2028, 1, 1),
            basic_constraints: Some((false, None)),
            key_usage: Some(KeyUsage(
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            )),
            policies: vec![MOCES_POLICY],
            extra: vec![],
        }
    }

    pub fn build(&self) -> Cert {
        Cert::from_der(&self.build_der()).unwrap()
    }

    pub fn build_x509(&self) -> x509_cert::Certificate {
        x509_cert::Certificate::from_der(&self.build_der()).unwrap()
    }

    pub fn build_der(&self) -> Vec<u8> {
        let subject = Name::from_str(&self.subject).unwrap();
        let issuer = Name::from_str(&self.issuer).unwrap();
        let mut extensions = Vec::new();
        if let Some((ca, path_len_constraint)) = self.basic_constraints {
            let bc = BasicConstraints {
                ca,
                path_len_constraint,
            };
            extensions.push((true, &bc).to_extension(&subject, &[]).unwrap());
        }
        if let Some(ku) = &self.key_usage {
            extensions.push(ku.to_extension(&subject, &[]).unwrap());
        }
        if !self.policies.is_empty() {
            let policies = CertificatePolicies(
                self.policies
                    .iter()
                    .map(|oid| PolicyInformation {
                        policy_identifier: oid.parse().unwrap(),
                        policy_qualifiers: None,
                    })
                    .collect(),
            );
            extensions.push((false, &policies).to_extension(&subject, &[]).unwrap());
        }
        extensions.extend(self.extra.iter().cloned());
        let profile = Profile {
            subject,
            issuer,
            extensions,
        };
        let spki = spki_of(self.key);
        let validity = Validity::new(time(self.not_before), time(self.not_after));
        let builder =
            CertificateBuilder::new(profile, SerialNumber::from(self.serial), validity, spki)
                .unwrap();
        let signer = SigningKey::<Sha256>::new(key(self.signer));
        let cert = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .unwrap();
        cert.to_der().unwrap()
    }
}

pub fn spki_of(name: &str) -> SubjectPublicKeyInfoOwned {
    let der = key(name).to_public_key().to_public_key_der().unwrap();
    SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).unwrap()
}

/// A CRL issued by `issuer` (whose name it carries), signed with `signer`'s key.
pub struct CrlSpec {
    pub issuer: Spec,
    pub signer: &'static str,
    pub this_update: DateTime<Utc>,
    pub next_update: Option<DateTime<Utc>>,
    pub revoked: Vec<u32>,
    pub extra: Vec<Extension>,
}

impl CrlSpec {
    pub fn by_ca() -> Self {
        Self {
            issuer: Spec::ca(),
            signer: "ca",
            this_update: utc(2026, 5, 1),
            next_update: Some(utc(2026, 7, 1)),
            revoked: vec![],
            extra: vec![],
        }
    }

    /// A CRL by the root (which covers the issuing CA), revoking nothing.
    pub fn by_root() -> Self {
        Self {
            issuer: Spec::root(),
            signer: "root",
            ..Self::by_ca()
        }
    }

    pub fn build(&self) -> Crl {
        let issuer = self.issuer.build_x509();
        let mut builder = CrlBuilder::new_with_this_update(
            &issuer,
            CrlNumber(Uint::new(&[1]).unwrap()),
            time(self.this_update),
        )
        .unwrap()
        .with_next_update(self.next_update.map(time))
        .with_certificates(self.revoked.iter().map(|serial| RevokedCert {
            serial_number: SerialNumber::from(*serial),
            revocation_date: time(utc(2026, 4, 1)),
            crl_entry_extensions: None,
        }));
        let _ = &mut builder;
        let signer = SigningKey::<Sha256>::new(key(self.signer));
        let mut crl = builder
            .build::<_, rsa::pkcs1v15::Signature>(&signer)
            .unwrap();
        if !self.extra.is_empty() {
            // Extensions added after signing invalidate the signature; re-sign by rebuilding
            // the TBS is not offered by the builder, so tests with extra extensions expect the
            // extension check to run before the signature check.
            crl.tbs_cert_list
                .crl_extensions
                .get_or_insert_with(Vec::new)
                .extend(self.extra.iter().cloned());
        }
        Crl::from_der(&crl.to_der().unwrap()).unwrap()
    }
}

/// The standard three-level chain: (anchors, intermediates, leaf).
pub fn chain() -> (Vec<TrustAnchor>, Vec<Cert>, Cert) {
    (
        vec![TrustAnchor::from_cert(Spec::root().build())],
        vec![Spec::ca().build()],
        Spec::leaf().build(),
    )
}

/// An extension with the given OID, criticality and (opaque) DER value.
pub fn raw_extension(oid: &str, critical: bool) -> Extension {
    Extension {
        extn_id: oid.parse().unwrap(),
        critical,
        extn_value: der::asn1::OctetString::new(der::asn1::Null.to_der().unwrap()).unwrap(),
    }
}

/// Verifies `leaf` over `intermediates` against `anchors` at [`now`] under [`policy`].
pub fn run(
    anchors: &[TrustAnchor],
    intermediates: &[Cert],
    leaf: &Cert,
    crls: &[Crl],
) -> Result<(), VerifyError> {
    verify(anchors, &policy(), leaf, intermediates, crls, now()).map(|_| ())
}

/// Asserts that `result` is a refusal by `rule`, named in its message; gives the error.
pub fn assert_rule(result: Result<(), VerifyError>, rule: RuleId) -> VerifyError {
    let err = result.expect_err("expected a refusal");
    assert_eq!(err.rule(), rule, "{err}");
    assert!(err.to_string().contains(rule.as_str()), "{err}");
    err
}

/// The standard chain with its issuing CA built from `ca` (a variant of [`Spec::ca`]):
/// asserts that it is refused by `rule`.
pub fn refused_with_ca(ca: Spec, rule: RuleId) -> VerifyError {
    let (anchors, _, leaf) = chain();
    assert_rule(run(&anchors, &[ca.build()], &leaf, &[]), rule)
}

/// The standard anchors with the issuing CA built from `ca` and the leaf from `leaf`: asserts
/// that they are refused by `rule`.
pub fn refused_with_ca_and_leaf(ca: Spec, leaf: Spec, rule: RuleId) -> VerifyError {
    let (anchors, _, _) = chain();
    assert_rule(run(&anchors, &[ca.build()], &leaf.build(), &[]), rule)
}

/// The standard chain with its leaf built from `leaf` (a variant of [`Spec::leaf`]): asserts
/// that it is refused by `rule`.
pub fn refused_with_leaf(leaf: Spec, rule: RuleId) -> VerifyError {
    let (anchors, intermediates, _) = chain();
    assert_rule(run(&anchors, &intermediates, &leaf.build(), &[]), rule)
}

/// The standard chain's leaf replaced by the certificate in `der`: asserts that it is refused
/// by `rule`.
pub fn refused_with_leaf_der(der: &[u8], rule: RuleId) -> VerifyError {
    let (anchors, intermediates, _) = chain();
    let leaf = Cert::from_der(der).unwrap();
    assert_rule(run(&anchors, &intermediates, &leaf, &[]), rule)
}

/// The standard chain verified under `policy` instead of [`policy`]: the result.
pub fn verify_under(policy: &Policy) -> Result<sundhed_signing::VerifiedChain, VerifyError> {
    let (anchors, intermediates, leaf) = chain();
    verify(&anchors, policy, &leaf, &intermediates, &[], now())
}

/// The subject of the sub-CA of the path-length cases.
pub const SUB_CA: &str = "CN=Test Sub CA,O=sundhed test,C=DK";

/// The issuing CA with basicConstraints pathLen `path_len`, a sub-CA under it (key `other`)
/// and a leaf under the sub-CA.
pub fn sub_ca_chain(path_len: u8) -> (Cert, Cert, Cert) {
    let ca = Spec {
        basic_constraints: Some((true, Some(path_len))),
        ..Spec::ca()
    };
    let sub = Spec {
        subject: SUB_CA.into(),
        issuer: CA.into(),
        key: "other",
        signer: "ca",
        ..Spec::ca()
    };
    let leaf = Spec {
        issuer: SUB_CA.into(),
        signer: "other",
        ..Spec::leaf()
    };
    (ca.build(), sub.build(), leaf.build())
}
