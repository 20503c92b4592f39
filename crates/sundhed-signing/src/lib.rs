//! Offline verification of OCES certificate chains, and of payload signatures made with them.
//!
//! Give the verifier the caller's trust anchors ([`TrustAnchor`], a type of their own, so they
//! cannot be mixed up with the untrusted intermediates), the leaf, the untrusted intermediates,
//! any CRLs and the verification time, under a [`Policy`] (accepted certificate-policy OIDs,
//! algorithms, minimum RSA size, revocation requirement, budget). It returns a
//! [`VerifiedChain`] — a proof only this crate can make — from which the caller reads the
//! holder ([`Holder`]: OCES generation, kind, CVR, RID/UID/FID or UUID, name) and verifies
//! payload signatures into a [`VerifiedSignature`]. Every refusal names the failing
//! certificate and the rule it broke (`err.rule()`, e.g. `SIG-TIME-01`); the rules are listed
//! in `docs/rules.md`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use sundhed_signing::{Cert, HolderKind, Policy, TrustAnchor, Verifier, rules};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/fixtures/oces3/");
//! let read = |name: &str| std::fs::read(format!("{dir}{name}"));
//! let anchors = TrustAnchor::parse_all(&read("Den_Danske_Stat_OCES_rod_CA_Test_cti.pem")?)?;
//! let intermediates = Cert::parse_all(&read("Den_Danske_Stat_OCES_udstedende_CA_1_Test_cti.pem")?)?;
//! let leaf = Cert::parse_all(&read("b2b-test-system.pem")?)?.remove(0);
//!
//! let verifier = Verifier::new(anchors, Policy::oces3());
//! let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
//! let chain = verifier.verify(&leaf, &intermediates, &[], at)?;
//! let holder = chain.holder()?;
//! assert_eq!(holder.kind(), HolderKind::Organisation);
//! assert_eq!(holder.cvr().as_str(), "19552101");
//!
//! let expired = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
//! let err = verifier.verify(&leaf, &intermediates, &[], expired).unwrap_err();
//! assert_eq!(err.rule(), rules::VALIDITY);
//! assert_eq!(err.position(), Some(0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - Path building ([`verify`], [`Verifier::verify`]) goes leaf → intermediates → anchor by
//!   name chaining (RFC 5280 §7.1 comparison), depth first with backtracking, never repeating
//!   a certificate, within a [`Budget`] of signature checks, issuer candidates and depth.
//!   Candidates whose subjectKeyIdentifier matches the child's authorityKeyIdentifier are
//!   tried first, so impostors with the issuer's name cannot spend the budget before it.
//! - Every edge is checked: validity at the given time, basicConstraints and
//!   pathLenConstraint, keyUsage, unknown critical extensions, name and policy constraints
//!   (refused whatever their criticality, `SIG-EXT-02`), RSA key size, the signature
//!   algorithm (equal inside and outside the signed part, allow-listed; RSASSA-PSS parameters
//!   parsed and checked) and the signature over the exact `tbsCertificate` bytes.
//! - The leaf must assert an accepted certificate policy (matched by OID prefix), must not
//!   be a CA and, if it has keyUsage, must allow digitalSignature or nonRepudiation.
//! - Revocation uses only caller-supplied CRLs, checked once a candidate path reaches an
//!   anchor (so another path is tried if it fails). Nothing supplied is ignored: a CRL that
//!   bears on a certificate (its issuer's name, a certificateIssuer entry naming that issuer,
//!   or a cRLIssuer the certificate names) but is a delta, partitioned (issuingDistributionPoint)
//!   or indirect CRL, or has an unknown critical extension, fails the path whatever the
//!   revocation mode (these kinds are not processed; this verifier fails closed on them). A
//!   complete, direct CRL is used when it is current and signed, with cRLSign, by the
//!   certificate's issuer or by a self-issued certificate with the issuer's name that is part
//!   of the same path (key rollover); CRL-signing certificates outside the path are not looked
//!   for, so a CRL signed by one fails closed. With [`Revocation::Required`] a certificate
//!   without a usable CRL fails closed too.
//! - The [`Verifier`] caches verified (certificate, issuer) signature pairs by SHA-256; a
//!   hit skips only the RSA operation. [`VerifiedChain::signature_checks`] and
//!   [`VerifiedChain::cache_hits`] report the cost of each verification.
//! - Trust anchors are trusted as given (name and key; validity checked by default); their
//!   own constraints are not applied.
//! - Certificate policy processing is the leaf check only: there is no RFC 5280 policy tree,
//!   policy mapping or name constraints, so a path carrying policyConstraints, policyMappings,
//!   inhibitAnyPolicy or nameConstraints is refused whatever their criticality
//!   (`SIG-EXT-02`). NIST PKITS sections 4.1–4.8 and 4.14–4.16 run in the tests; the valid
//!   cases refused by these limits are listed in `docs/pkits.md`.
//!
//! All ASN.1 goes through `der`/`x509-cert`, all cryptography through `rsa`/`sha2`.
//!
//! # Security note: RUSTSEC-2023-0071
//!
//! The `rsa` crate advisory RUSTSEC-2023-0071 (Marvin timing attack) concerns private-key
//! operations (decryption and signing). This crate only verifies with public keys, which
//! are public anyway, so nothing secret can leak through timing; signing happens only in
//! this crate's tests, with published test keys.
//!
//! # Crate features
//!
//! None.

#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod algorithm;
mod budget;
mod cert;
mod checks;
mod crl;
mod error;
mod holder;
mod key;
mod name;
mod path;
mod payload;
mod pem;
mod policy;
mod revocation;
pub mod rules;
mod signed;
mod trust_anchor;
mod verifier;

pub use algorithm::SignatureAlgorithm;
pub use budget::Budget;
pub use cert::Cert;
pub use crl::Crl;
pub use error::{BudgetLimit, HolderError, PayloadError, VerifyError, VerifyErrorKind};
pub use holder::{Holder, HolderKind, OcesGeneration};
pub use payload::VerifiedSignature;
pub use policy::{
    OCES2_EMPLOYEE, OCES2_ORGANISATION, OCES2_SYSTEM, OCES2_TEST_EMPLOYEE, OCES2_TEST_IG,
    OCES2_TEST_ORGANISATION, OCES2_TEST_SYSTEM, OCES3_EMPLOYEE, OCES3_ORGANISATION, Policy,
    Revocation,
};
pub use trust_anchor::TrustAnchor;
pub use verifier::{VerifiedChain, Verifier, verify};
