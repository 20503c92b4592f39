//! Signed forms: the bytes a person signed, the form parsed from them, the signature over
//! them, and the signer's chain.

mod schema;

pub use schema::{FormSchema, form_bytes};

use schema::check_form_schema;

use core::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, RuleId};
use sundhed_signing::{Cert, Crl, HolderKind, Policy, SignatureAlgorithm, TrustAnchor, Verifier};

use crate::digest::Digest;
use sundhed_identity::{Violation, shown, shown_within};

/// `WF-FORM-01`
pub const FORM_SIGNED: RuleId = RuleId::new("WF-FORM-01");
/// `WF-FORM-02`
pub const FORM_CHAIN: RuleId = RuleId::new("WF-FORM-02");
/// `WF-FORM-03`
pub const FORM_SIGNATURE: RuleId = RuleId::new("WF-FORM-03");
/// `WF-FORM-04`
pub const FORM_SIGNER_PERSON: RuleId = RuleId::new("WF-FORM-04");
/// `WF-FORM-05`
pub const FORM_SIGNER_CVR: RuleId = RuleId::new("WF-FORM-05");
/// `WF-FORM-06`
pub const FORM_REPLAYED: RuleId = RuleId::new("WF-FORM-06");
/// `WF-FORM-07`
pub const FORM_SCHEMA: RuleId = RuleId::new("WF-FORM-07");

/// Bytes stored as lowercase hex in events.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Bytes(Vec<u8>);

impl Bytes {
    /// These bytes.
    #[must_use]
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The bytes.
    #[must_use]
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base16ct::lower::encode_string(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        if text.len() % 2 != 0 {
            return Err(serde::de::Error::custom(
                "expected an even number of hex digits",
            ));
        }
        base16ct::mixed::decode_vec(text.as_bytes())
            .map(Self)
            .map_err(|_| serde::de::Error::custom("expected hex digits"))
    }
}

/// The signature algorithms a form may be signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FormAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (what OCES2 signing clients produced).
    RsaPkcs1Sha256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32.
    RsaPssSha256,
}

impl FormAlgorithm {
    fn signing(self) -> SignatureAlgorithm {
        match self {
            Self::RsaPkcs1Sha256 => SignatureAlgorithm::RsaPkcs1Sha256,
            Self::RsaPssSha256 => SignatureAlgorithm::RsaPssSha256,
        }
    }
}

/// A form as it was signed: the exact bytes the signer signed (a JSON document naming the
/// form's [`FormSchema`] and version, see [`form_bytes`]), the form parsed from them, the
/// signature over them and the signer's certificate chain (DER, leaf first; intermediates may
/// follow, the trust anchor need not).
///
/// The form is only ever read out of the bytes (`WF-FORM-07`), and the signature is verified
/// over the bytes as kept, never over a re-encoding (`WF-FORM-03`). The workflow keeps the
/// whole signed form in its events — the bytes, not the decoded form — so an auditor can
/// verify it again, and a log record whose bytes do not parse as the form does not decode.
///
/// # Serialisation
/// `{"bytes":"<hex>","algorithm":"RsaPkcs1Sha256","signature":"<hex>","chain":["<hex>",…]}`:
/// what a signing client uploads and what the log keeps. No other member is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedForm<F> {
    bytes: Bytes,
    form: F,
    algorithm: FormAlgorithm,
    signature: Bytes,
    chain: Vec<Bytes>,
}

/// A [`SignedForm`] as written: the bytes, never the decoded form.
#[derive(Serialize)]
struct WrittenSignedForm<'a> {
    bytes: &'a Bytes,
    algorithm: FormAlgorithm,
    signature: &'a Bytes,
    chain: &'a [Bytes],
}

/// A [`SignedForm`] as read, before its bytes are parsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadSignedForm {
    bytes: Bytes,
    algorithm: FormAlgorithm,
    signature: Bytes,
    chain: Vec<Bytes>,
}

impl<F: FormSchema> SignedForm<F> {
    /// The signed `bytes` with their signature and the signer's chain (DER certificates, leaf
    /// first); the form is parsed from the bytes. Nothing is verified yet: that is
    /// [`FormVerifier::verify`].
    ///
    /// # Errors
    /// `WF-FORM-07` when the bytes are not a JSON document of `F`'s schema and version (see
    /// [`FormSchema`]).
    ///
    /// # Example
    /// ```
    /// use sundhed_workflow::{FormAlgorithm, SeiEnrolment, SignedForm};
    ///
    /// let bytes = br#"{ "version": 1, "schema": "sundhed.sei.enrolment",
    ///     "form": { "forms": ["SEI-TVANG-PSYK"], "person": "0707614285", "cvr": "29190623",
    ///         "notification": "0000000000000000000000000000000000000000000000000000000000000000" } }"#;
    /// let signed = SignedForm::<SeiEnrolment>::new(
    ///     bytes.to_vec(), FormAlgorithm::RsaPkcs1Sha256, vec![1, 2, 3], vec![])?;
    /// assert_eq!(signed.form().forms, ["SEI-TVANG-PSYK"]);
    /// assert_eq!(signed.bytes(), bytes);
    ///
    /// let other = br#"{"schema":"sundhed.seb.form","version":1,"form":{}}"#;
    /// let refusal = SignedForm::<SeiEnrolment>::new(
    ///     other.to_vec(), FormAlgorithm::RsaPkcs1Sha256, vec![1, 2, 3], vec![]).unwrap_err();
    /// assert_eq!(refusal.rules()[0].as_str(), "WF-FORM-07");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        bytes: Vec<u8>,
        algorithm: FormAlgorithm,
        signature: Vec<u8>,
        chain: Vec<Vec<u8>>,
    ) -> Result<Self, crate::Refusal> {
        Ok(Self::parse(
            Bytes(bytes),
            algorithm,
            Bytes(signature),
            chain.into_iter().map(Bytes).collect(),
        )?)
    }

    /// `form` as a client would write it ([`form_bytes`]), without any signature (it will be
    /// refused, `WF-FORM-01`).
    ///
    /// # Errors
    /// `WF-FORM-07` when the form cannot be written, or what is written does not parse back.
    pub fn unsigned(form: &F) -> Result<Self, crate::Refusal> {
        Self::new(
            form_bytes(form)?,
            FormAlgorithm::RsaPkcs1Sha256,
            Vec::new(),
            Vec::new(),
        )
    }

    /// The same signature and chain over other bytes (to show that editing signed bytes breaks
    /// the signature).
    ///
    /// # Errors
    /// `WF-FORM-07` when the bytes are not a form of `F`'s schema and version.
    pub fn with_bytes(self, bytes: Vec<u8>) -> Result<Self, crate::Refusal> {
        Ok(Self::parse(
            Bytes(bytes),
            self.algorithm,
            self.signature,
            self.chain,
        )?)
    }

    fn parse(
        bytes: Bytes,
        algorithm: FormAlgorithm,
        signature: Bytes,
        chain: Vec<Bytes>,
    ) -> Result<Self, Violation> {
        let form = check_form_schema(bytes.as_slice())?;
        Ok(Self {
            bytes,
            form,
            algorithm,
            signature,
            chain,
        })
    }
}

impl<F> SignedForm<F> {
    /// The form, as parsed from the signed bytes.
    #[must_use]
    pub fn form(&self) -> &F {
        &self.form
    }

    /// The bytes exactly as signed.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The signature algorithm.
    #[must_use]
    pub fn algorithm(&self) -> FormAlgorithm {
        self.algorithm
    }

    /// The signature.
    #[must_use]
    pub fn signature(&self) -> &[u8] {
        self.signature.as_slice()
    }

    /// The certificates, DER, leaf first.
    pub fn chain(&self) -> impl Iterator<Item = &[u8]> {
        self.chain.iter().map(Bytes::as_slice)
    }
}

impl<F> Serialize for SignedForm<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WrittenSignedForm {
            bytes: &self.bytes,
            algorithm: self.algorithm,
            signature: &self.signature,
            chain: &self.chain,
        }
        .serialize(serializer)
    }
}

impl<'de, F: FormSchema> Deserialize<'de> for SignedForm<F> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's own messages repeat what they read (an unknown member's name, an unknown
        // algorithm): they go through the masking helper, so a CPR number sent in the wrong
        // place is not echoed into a host's logs (`ID-CPR-06`).
        let read = ReadSignedForm::deserialize(deserializer).map_err(|e| {
            serde::de::Error::custom(shown_within(&e.to_string(), schema::SHOWN_PARSER_MESSAGE))
        })?;
        // The rule id first: a log error shows only the start of the message.
        Self::parse(read.bytes, read.algorithm, read.signature, read.chain)
            .map_err(|v| serde::de::Error::custom(format_args!("{}: {}", v.rule(), v.reason())))
    }
}

/// Who signed a form, as read from the verified signer certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The subject's common name.
    pub name: String,
    /// The CVR number the certificate names.
    pub cvr: Cvr,
    /// The holder id (OCES2 RID, OCES3 UUID).
    pub holder: CertificateHolderId,
    /// SHA-256 of the signer's certificate.
    pub certificate: Digest,
    /// SHA-256 of the signed bytes, as kept.
    pub form: Digest,
    /// When the chain was verified.
    pub verified_at: DateTime<Utc>,
}

/// Verifies signed forms with the host's trust anchors, policy, extra intermediates and CRLs.
///
/// # Example
/// ```
/// use sundhed_signing::{Policy, TrustAnchor};
/// use sundhed_workflow::{FormVerifier, SeiEnrolment, SignedForm};
///
/// let root = concat!(env!("CARGO_MANIFEST_DIR"),
///     "/testdata/TRUST2408_Systemtest_VII_Primary_CA.cer");
/// let anchors = TrustAnchor::parse_all(&std::fs::read(root)?)?;
/// let forms = FormVerifier::new(anchors, Policy::oces2_test());
/// let at = chrono::DateTime::parse_from_rfc3339("2018-06-01T09:00:00Z")?.to_utc();
/// let enrolment = SeiEnrolment {
///     notification: sundhed_workflow::Digest::of(b"the notification's signed bytes"),
///     cvr: "29190623".parse()?,
///     person: "0707614285".parse()?,
///     forms: vec!["SEI-TVANG-PSYK".into()],
/// };
/// let refusal = forms.verify(&SignedForm::unsigned(&enrolment)?, at).unwrap_err();
/// assert_eq!(refusal.rules()[0].as_str(), "WF-FORM-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct FormVerifier {
    verifier: Verifier,
    intermediates: Vec<Cert>,
    crls: Vec<Crl>,
}

impl fmt::Debug for FormVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FormVerifier")
            .field("anchors", &self.verifier.anchors().len())
            .field("intermediates", &self.intermediates.len())
            .field("crls", &self.crls.len())
            .finish()
    }
}

impl FormVerifier {
    /// A verifier trusting `anchors` under `policy`.
    #[must_use]
    pub fn new(anchors: Vec<TrustAnchor>, policy: Policy) -> Self {
        Self {
            verifier: Verifier::new(anchors, policy),
            intermediates: Vec::new(),
            crls: Vec::new(),
        }
    }

    /// Adds intermediates to try besides those a form carries.
    #[must_use]
    pub fn with_intermediates(mut self, intermediates: Vec<Cert>) -> Self {
        self.intermediates.extend(intermediates);
        self
    }

    /// Adds revocation lists (used when the policy asks for revocation checking).
    #[must_use]
    pub fn with_crls(mut self, crls: Vec<Crl>) -> Self {
        self.crls.extend(crls);
        self
    }

    /// Verifies a signed form at `at`: it is signed (`WF-FORM-01`), its chain verifies
    /// (`WF-FORM-02`), its signature covers the signed bytes as kept (`WF-FORM-03`; they are
    /// never written again), and the signer is a person (`WF-FORM-04`). Returns who signed,
    /// with the digest of the signed bytes. (The bytes parsed as the form when the
    /// [`SignedForm`] was made, `WF-FORM-07`.)
    ///
    /// # Errors
    /// A [`Refusal`](crate::Refusal) naming the `WF-FORM-*` rule and the `SIG-*` rule behind it.
    pub fn verify<F>(
        &self,
        signed: &SignedForm<F>,
        at: DateTime<Utc>,
    ) -> Result<Signer, crate::Refusal> {
        self.verify_with_chain(signed, at).map(|(signer, _)| signer)
    }

    /// Verifies `leaf` with `intermediates` (and the host's own) to the host's trust anchors
    /// under its policy and revocation lists at `at`: the one place a certificate path is
    /// verified for the host, for signed forms and for logins alike.
    pub(crate) fn verify_path(
        &self,
        leaf: &Cert,
        intermediates: &[Cert],
        at: DateTime<Utc>,
    ) -> Result<sundhed_signing::VerifiedChain, sundhed_signing::VerifyError> {
        let mut all = intermediates.to_vec();
        all.extend(self.intermediates.iter().cloned());
        self.verifier.verify(leaf, &all, &self.crls, at)
    }

    /// As [`verify`](Self::verify), also giving the chain that verified, from which a caller
    /// goes on to log the signer in (the login verifies the path once more, as every login
    /// does, `WF-LOGIN-05`; the signature cache makes that second pass cheap).
    pub(crate) fn verify_with_chain<F>(
        &self,
        signed: &SignedForm<F>,
        at: DateTime<Utc>,
    ) -> Result<(Signer, sundhed_signing::VerifiedChain), crate::Refusal> {
        check_form_signed(signed)?;
        let chain = check_signer_chain(self, signed, at)?;
        let holder = chain.holder().map_err(|e| {
            Violation::new(
                FORM_CHAIN,
                format!("the signer's certificate names no holder: {e}"),
            )
            .because(e.rule())
        })?;
        check_form_signature(&chain, signed)?;
        check_signer_is_person(holder.kind(), holder.name())?;
        let signer = Signer {
            name: holder.name().to_owned(),
            cvr: holder.cvr(),
            holder: holder.id().clone(),
            certificate: Digest::from_bytes(chain.leaf().sha256()),
            form: Digest::of(signed.bytes()),
            verified_at: at,
        };
        Ok((signer, chain))
    }
}

/// `WF-FORM-01`: a form is considered only with a signature and at least the signer's
/// certificate; an unsigned form is refused before anything else.
fn check_form_signed<F>(signed: &SignedForm<F>) -> Result<(), Violation> {
    if signed.signature.is_empty() {
        return Err(Violation::new(FORM_SIGNED, "the form carries no signature"));
    }
    if signed.chain.is_empty() {
        return Err(Violation::new(
            FORM_SIGNED,
            "the form carries no signer certificate",
        ));
    }
    Ok(())
}

/// `WF-FORM-02`: the signer's certificate verifies up to one of the host's trust anchors under
/// the host's policy at the time of the command (`sundhed_signing::Verifier::verify`).
fn check_signer_chain<F>(
    forms: &FormVerifier,
    signed: &SignedForm<F>,
    at: DateTime<Utc>,
) -> Result<sundhed_signing::VerifiedChain, Violation> {
    let mut certs = Vec::with_capacity(signed.chain.len());
    for (i, der) in signed.chain.iter().enumerate() {
        let cert = Cert::from_der(der.as_slice()).map_err(|e| {
            Violation::new(
                FORM_CHAIN,
                format!("certificate {i} of the form does not parse: {e}"),
            )
            .because(e.rule())
        })?;
        certs.push(cert);
    }
    let mut certs = certs.into_iter();
    let Some(leaf) = certs.next() else {
        return Err(Violation::new(
            FORM_SIGNED,
            "the form carries no signer certificate",
        ));
    };
    let intermediates: Vec<Cert> = certs.collect();
    forms.verify_path(&leaf, &intermediates, at).map_err(|e| {
        Violation::new(
            FORM_CHAIN,
            format!("the signer's certificate does not verify: {e}"),
        )
        .because(e.rule())
    })
}

/// `WF-FORM-03`: the signature verifies over the signed bytes exactly as kept (RFC 8017 §8;
/// `sundhed_signing::VerifiedChain::verify_signature`), never over a re-encoding of the form;
/// bytes edited after signing, or signed with another key, are refused.
fn check_form_signature<F>(
    chain: &sundhed_signing::VerifiedChain,
    signed: &SignedForm<F>,
) -> Result<(), Violation> {
    chain
        .verify_signature(
            signed.bytes(),
            signed.signature(),
            signed.algorithm.signing(),
        )
        .map(|_| ())
        .map_err(|e| {
            Violation::new(
                FORM_SIGNATURE,
                format!("the signature does not cover this form: {e}"),
            )
            .because(e.rule())
        })
}

/// `WF-FORM-04`: a form is signed by a person (an employee certificate, OCES2 MOCES or OCES3
/// employee), since the seeds require the security officer, another authorised person, the
/// chief physician or the local administrator to sign; organisation and system certificates
/// are refused.
fn check_signer_is_person(kind: HolderKind, name: &str) -> Result<(), Violation> {
    if kind == HolderKind::Employee {
        Ok(())
    } else {
        Err(Violation::new(
            FORM_SIGNER_PERSON,
            format!(
                "the form is signed by `{}`, which is not a person's certificate",
                shown(name)
            ),
        ))
    }
}

/// A signed form an earlier case holds, as [`check_not_replayed`] weighs it.
pub(crate) struct EarlierForm {
    /// The case, as people know it (`SEB case 3`).
    pub(crate) case: String,
    /// The digest of the form's signed bytes ([`Signer::form`]).
    pub(crate) form: Digest,
    /// Whether the authority rejected it (then the same form may come again).
    pub(crate) rejected: bool,
}

/// `WF-FORM-06`: a signed form is used once. A form whose signed bytes are those of a form a
/// case holds is a replay and is refused: of a pending application, of a granted service, of
/// a notification (one opens at most one case), of an enrolment (in any case, including one a
/// later enrolment of the same case replaced); after a rejection the same form may be
/// submitted again (seed SEB steps 1–2: the authority decides each signed authorisation form
/// once; seed SEI §4–6: one notification, one enrolment answering it, one cross-check).
pub(crate) fn check_not_replayed(
    signer: &Signer,
    earlier: impl IntoIterator<Item = EarlierForm>,
) -> Result<(), Violation> {
    match earlier
        .into_iter()
        .find(|e| !e.rejected && e.form == signer.form)
    {
        None => Ok(()),
        Some(e) => Err(Violation::new(
            FORM_REPLAYED,
            format!(
                "this signed form was submitted before, in {}, so it cannot be used again",
                e.case
            ),
        )),
    }
}

/// `WF-FORM-05`: the signer's certificate names the same CVR number as the organisation the
/// form is for (seed SEB: "medarbejdersignatur … indeholdende organisationens CVR nummer").
pub(crate) fn check_signer_organisation(signer: &Signer, cvr: Cvr) -> Result<(), Violation> {
    if signer.cvr == cvr {
        Ok(())
    } else {
        Err(Violation::new(
            FORM_SIGNER_CVR,
            format!(
                "the form is for CVR `{cvr}` but `{}` signed it for CVR `{}`",
                signer.name, signer.cvr
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn bytes_are_lowercase_hex_and_read_in_either_case() {
        let bytes = Bytes::new(vec![0x00, 0xab, 0xff]);
        let text = serde_json::to_string(&bytes).unwrap();
        assert_eq!(text, "\"00abff\"");
        assert_eq!(serde_json::from_str::<Bytes>(&text).unwrap(), bytes);
        assert_eq!(serde_json::from_str::<Bytes>("\"00ABFF\"").unwrap(), bytes);
        assert!(serde_json::from_str::<Bytes>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Bytes>("\"zz\"").is_err());
        assert!(serde_json::from_str::<Bytes>("\"\"").unwrap().is_empty());
    }
}
