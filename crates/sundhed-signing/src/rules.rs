//! The id of every rule this crate enforces, one `const` each.
//!
//! Each id is listed in `docs/rules.md` with its source, the `check_*` function that enforces
//! it and the tests that name it. Errors carry these ids ([`crate::VerifyError::rule`],
//! [`crate::HolderError::rule`], [`crate::PayloadError::rule`]), so a host compares with the
//! constants here instead of strings:
//!
//! ```
//! use sundhed_signing::{Cert, rules};
//!
//! let err = Cert::from_der(b"not a certificate").unwrap_err();
//! assert_eq!(err.rule(), rules::PARSE_CERT);
//! assert_eq!(rules::PARSE_CERT.as_str(), "SIG-PARSE-01");
//! ```
//!
//! This module is a leaf: it imports nothing from the rest of the crate, so any module may
//! name a rule without closing an import circle.

use sundhed_identity::RuleId;

/// `SIG-PARSE-01`: A certificate is exactly one DER-encoded X.509 `Certificate` with nothing after
/// it; its signed `tbsCertificate` bytes are cut from the input, never re-encoded.
pub const PARSE_CERT: RuleId = RuleId::new("SIG-PARSE-01");

/// `SIG-PARSE-02`: A CRL is exactly one DER-encoded `CertificateList`; its signed `tbsCertList`
/// bytes are cut from the input.
pub const PARSE_CRL: RuleId = RuleId::new("SIG-PARSE-02");

/// `SIG-PARSE-03`: An extension this verifier reads (basicConstraints, keyUsage,
/// certificatePolicies) decodes and appears at most once.
pub const PARSE_EXTENSION: RuleId = RuleId::new("SIG-PARSE-03");

/// `SIG-CHAIN-01`: Each certificate's issuer name equals the subject name of the next certificate,
/// and the path ends at a caller-supplied trust anchor (names compared after case folding and
/// white-space collapsing).
pub const CHAIN_ISSUER: RuleId = RuleId::new("SIG-CHAIN-01");

/// `SIG-CHAIN-02`: Each certificate's signature verifies with its issuer's public key over the
/// exact `tbsCertificate` bytes (a cached verified pair skips only the RSA operation).
pub const CHAIN_SIGNATURE: RuleId = RuleId::new("SIG-CHAIN-02");

/// `SIG-CHAIN-03`: A path never repeats a certificate, so a self-signed certificate that is not a
/// trust anchor ends no path and name loops end.
pub const CHAIN_LOOP: RuleId = RuleId::new("SIG-CHAIN-03");

/// `SIG-ALG-01`: The outer `signatureAlgorithm` equals `tbsCertificate.signature` (and
/// `tbsCertList.signature` for CRLs).
pub const ALG_MATCH: RuleId = RuleId::new("SIG-ALG-01");

/// `SIG-ALG-02`: Only RSA PKCS#1 v1.5 or RSASSA-PSS with SHA-256/384/512 that the caller's policy
/// allows is verified; SHA-1, MD5, DSA and others are refused, PKCS#1 v1.5 parameters must be NULL
/// or absent.
pub const ALG_ALLOWED: RuleId = RuleId::new("SIG-ALG-02");

/// `SIG-ALG-03`: RSASSA-PSS parameters are present and name SHA-256/384/512, MGF1 with the same
/// hash, a salt as long as the hash output and trailer field 1 (the OCES3 profile).
pub const ALG_PSS: RuleId = RuleId::new("SIG-ALG-03");

/// `SIG-KEY-01`: Every key in the path (leaf, intermediates, anchor) is an RSA key with a modulus
/// of at least the policy minimum (2048 bits by default).
pub const KEY_SIZE: RuleId = RuleId::new("SIG-KEY-01");

/// `SIG-TIME-01`: Every certificate of the path is valid at the caller's time, notBefore ≤ t ≤
/// notAfter inclusive (the anchor too unless the policy says otherwise).
pub const VALIDITY: RuleId = RuleId::new("SIG-TIME-01");

/// `SIG-BC-01`: A certificate that issues another in the path has basicConstraints cA TRUE.
pub const BC_CA: RuleId = RuleId::new("SIG-BC-01");

/// `SIG-BC-02`: The leaf is not a CA certificate (OCES leaf profile; can be lifted for RFC 5280
/// test suites).
pub const BC_LEAF: RuleId = RuleId::new("SIG-BC-02");

/// `SIG-BC-03`: A CA's pathLenConstraint bounds the non-self-issued intermediates below it.
pub const BC_PATH_LEN: RuleId = RuleId::new("SIG-BC-03");

/// `SIG-KU-01`: An issuing CA with keyUsage asserts keyCertSign.
pub const KU_CERT_SIGN: RuleId = RuleId::new("SIG-KU-01");

/// `SIG-KU-02`: A CRL is used only if its signer's keyUsage (when present) asserts cRLSign.
pub const KU_CRL_SIGN: RuleId = RuleId::new("SIG-KU-02");

/// `SIG-KU-03`: The leaf's keyUsage, when present, asserts digitalSignature or nonRepudiation and
/// not keyCertSign (OCES leaf profile).
pub const KU_LEAF: RuleId = RuleId::new("SIG-KU-03");

/// `SIG-EXT-01`: A certificate with a critical extension the verifier does not process (e.g.
/// extended key usage, or an unknown private extension) is refused; name and policy constraints
/// are refused whatever their criticality by `SIG-EXT-02`.
pub const EXT_CRITICAL: RuleId = RuleId::new("SIG-EXT-01");

/// `SIG-EXT-02`: A certificate of the path carrying policyConstraints, policyMappings,
/// inhibitAnyPolicy or nameConstraints is refused whatever their criticality (the policy tree and
/// name constraints are not processed).
pub const EXT_CONSTRAINTS: RuleId = RuleId::new("SIG-EXT-02");

/// `SIG-POLICY-01`: The leaf asserts a certificate policy at or below one of the caller's accepted
/// OIDs (OCES presets; OCES3 arcs excluded from the OCES2 preset), unless any policy is accepted.
pub const CERTIFICATE_POLICY: RuleId = RuleId::new("SIG-POLICY-01");

/// `SIG-CRL-01`: A certificate whose serial is listed on a usable CRL of its issuer is revoked.
pub const CRL_REVOKED: RuleId = RuleId::new("SIG-CRL-01");

/// `SIG-CRL-02`: A CRL is used only if its signature verifies, over the exact `tbsCertList`, with
/// the key of a path certificate carrying the CRL issuer's name (the issuer, or a self-issued
/// rollover certificate).
pub const CRL_SIGNATURE: RuleId = RuleId::new("SIG-CRL-02");

/// `SIG-CRL-03`: A CRL is used only if thisUpdate ≤ t < nextUpdate at the caller's time
/// (nextUpdate required).
pub const CRL_CURRENT: RuleId = RuleId::new("SIG-CRL-03");

/// `SIG-CRL-04`: With revocation required, a certificate with no CRL from its issuer fails closed.
pub const CRL_REQUIRED: RuleId = RuleId::new("SIG-CRL-04");

/// `SIG-CRL-05`: A CRL with an unrecognised critical CRL or entry extension is not used, and the
/// certificate it bears on fails closed.
pub const CRL_EXTENSIONS: RuleId = RuleId::new("SIG-CRL-05");

/// `SIG-CRL-06`: A supplied CRL that bears on a certificate (its issuer's name, a certificateIssuer
/// entry naming that issuer, or a cRLIssuer the certificate names) but is delta, partitioned
/// (issuingDistributionPoint) or indirect fails the path whatever the revocation mode; with
/// revocation required, so does a certificate whose distribution points all name a cRLIssuer.
pub const CRL_KIND: RuleId = RuleId::new("SIG-CRL-06");

/// `SIG-BUDGET-01`: One verification stays within its budget of signature checks (100), issuer
/// candidates (200) and path depth (8), so hostile input stays cheap.
pub const BUDGET: RuleId = RuleId::new("SIG-BUDGET-01");

/// `SIG-HOLDER-01`: The holder is read from an OCES3 (`organizationIdentifier=NTRDK-<cvr>`,
/// `serialNumber=UI:DK-E:G:<uuid>` or `UI:DK-O:G:<uuid>`, namespace `C` also seen) or OCES2
/// (`serialNumber=CVR:<cvr>-RID:<n>`, `-UID:` or `-FID:`) subject with a CN; anything else
/// (including POCES `PID:`) has no holder.
pub const HOLDER_GRAMMAR: RuleId = RuleId::new("SIG-HOLDER-01");

/// `SIG-HOLDER-02`: An OCES2 subject's organisation is `O=<name> // CVR:<cvr>` with the same CVR
/// as its serialNumber.
pub const HOLDER_CVR: RuleId = RuleId::new("SIG-HOLDER-02");

/// `SIG-HOLDER-03`: The holder kind in the subject (employee `RID:`/`UI:DK-E:`, organisation
/// `UID:`/`UI:DK-O:`, system `FID:`) agrees with the kind of each OCES policy the leaf asserts
/// (`…2`, `…3`, `…4` arcs; OCES3 organisation policy also covers systems).
pub const HOLDER_POLICY: RuleId = RuleId::new("SIG-HOLDER-03");

/// `SIG-PAYLOAD-01`: A payload signature is accepted only from a leaf whose keyUsage is present
/// and asserts digitalSignature or nonRepudiation.
pub const PAYLOAD_KEY_USAGE: RuleId = RuleId::new("SIG-PAYLOAD-01");

/// `SIG-PAYLOAD-02`: A payload signature verifies over the exact payload bytes with the leaf's RSA
/// key.
pub const PAYLOAD_SIGNATURE: RuleId = RuleId::new("SIG-PAYLOAD-02");

/// `SIG-PAYLOAD-03`: A payload signature uses an algorithm the caller's policy allows.
pub const PAYLOAD_ALGORITHM: RuleId = RuleId::new("SIG-PAYLOAD-03");
