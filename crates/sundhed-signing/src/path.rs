//! Building a path leaf → intermediates → trust anchor, checking every edge on the way.

use std::collections::HashSet;
use std::sync::RwLock;

use chrono::{DateTime, Utc};

use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};

use crate::algorithm::{SignatureAlgorithm, check_algorithm_allowed, check_algorithm_match};
use crate::budget::{Meter, check_budget};
use crate::cert::Cert;
use crate::checks::{
    At, check_constraints_processed, check_critical_extensions, check_is_ca, check_key_cert_sign,
    check_path_len, check_validity, is_self_issued,
};
use crate::crl::Crl;
use crate::error::{BudgetLimit, VerifyError, VerifyErrorKind, quoted};
use crate::key::check_rsa_key;
use crate::name::names_match;
use crate::policy::Policy;
use crate::revocation::{RevocationInput, check_revocation};
use crate::trust_anchor::TrustAnchor;

/// Most edges kept in a [`SignatureCache`] before it starts over (bounds its memory).
const CACHE_CAPACITY: usize = 10_000;

/// Certificate signatures already verified: (certificate SHA-256, issuer SHA-256).
///
/// A hit skips only the RSA operation; every other check still runs, so the cache never
/// changes a verdict. A poisoned lock is treated as an empty cache.
#[derive(Default)]
pub(crate) struct SignatureCache {
    verified: RwLock<HashSet<([u8; 32], [u8; 32])>>,
}

impl SignatureCache {
    fn contains(&self, key: &([u8; 32], [u8; 32])) -> bool {
        self.verified.read().is_ok_and(|set| set.contains(key))
    }

    fn insert(&self, key: ([u8; 32], [u8; 32])) {
        if let Ok(mut set) = self.verified.write() {
            if set.len() >= CACHE_CAPACITY {
                set.clear();
            }
            set.insert(key);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.verified.read().map_or(0, |set| set.len())
    }

    pub(crate) fn clear(&self) {
        if let Ok(mut set) = self.verified.write() {
            set.clear();
        }
    }
}

/// Inputs of one verification.
pub(crate) struct PathBuilder<'a> {
    pub(crate) anchors: &'a [TrustAnchor],
    pub(crate) intermediates: &'a [Cert],
    pub(crate) crls: &'a [Crl],
    pub(crate) policy: &'a Policy,
    pub(crate) time: DateTime<Utc>,
    pub(crate) cache: Option<&'a SignatureCache>,
    pub(crate) meter: Meter,
}

impl PathBuilder<'_> {
    /// Extends `path` (leaf first) until it ends at a trust anchor, trying issuer candidates
    /// depth-first and backtracking on failure; when no path exists, reports the most specific
    /// failure met across the candidates (`VerifyErrorKind`'s ranking), so an impostor tried
    /// first cannot hide the real reason.
    pub(crate) fn extend(&mut self, path: &mut Vec<Cert>) -> Result<(), VerifyError> {
        let Some(child) = path.last().cloned() else {
            return Err(VerifyError::new(
                VerifyErrorKind::UnknownIssuer,
                "empty path",
            ));
        };
        check_budget(
            BudgetLimit::PathLength,
            path.len() + 1,
            self.policy.budget().max_depth(),
        )?;
        let issuer_name = child.x509().tbs_certificate().issuer().clone();
        let anchors = self.anchors.iter().map(|anchor| (anchor.cert(), true));
        let intermediates = self.intermediates.iter().map(|cert| (cert, false));
        // A self-issued certificate is a candidate for its own issuer, which check_no_loop
        // refuses: a self-signed certificate that is not an anchor ends no path.
        let itself = is_self_issued(&child).then_some((&child, false));
        let mut candidates: Vec<(&Cert, bool)> = anchors
            .chain(intermediates)
            .chain(itself)
            .filter(|(candidate, _)| {
                names_match(candidate.x509().tbs_certificate().subject(), &issuer_name)
            })
            .collect();
        let wanted = authority_key_id(&child);
        candidates.sort_by_cached_key(|(candidate, _)| key_id_rank(wanted.as_deref(), candidate));
        let mut best: Option<VerifyError> = None;
        for (candidate, is_anchor) in candidates {
            self.meter.charge_candidate()?;
            let attempt = check_no_loop(path, candidate)
                .and_then(|()| self.check_edge(path, candidate, is_anchor));
            match attempt {
                Err(e) if e.is_budget() => return Err(e),
                Err(e) => {
                    best = Some(most_specific(best, e));
                    continue;
                }
                Ok(()) => {}
            }
            path.push(candidate.clone());
            let rest = if is_anchor {
                self.check_path_revocation(path)
            } else {
                self.extend(path)
            };
            match rest {
                Ok(()) => return Ok(()),
                Err(e) if e.is_budget() => return Err(e),
                Err(e) => {
                    path.pop();
                    best = Some(most_specific(best, e));
                }
            }
        }
        Err(best.unwrap_or_else(|| check_issuer_found(path.len() - 1, &child)))
    }

    /// All checks of one edge: `candidate` as the issuer of the last certificate of `path`.
    fn check_edge(
        &mut self,
        path: &[Cert],
        candidate: &Cert,
        is_anchor: bool,
    ) -> Result<(), VerifyError> {
        let (Some(child), Some(below)) = (path.last(), path.get(1..)) else {
            return Err(VerifyError::new(
                VerifyErrorKind::UnknownIssuer,
                "empty path",
            ));
        };
        let child_at = At {
            position: path.len() - 1,
            cert: child,
        };
        let issuer_at = At {
            position: path.len(),
            cert: candidate,
        };
        if !is_anchor || self.policy.check_anchor_validity() {
            check_validity(issuer_at, self.time)?;
        }
        if !is_anchor {
            let path_len = check_is_ca(issuer_at)?;
            let intermediates_below = below.iter().filter(|c| !is_self_issued(c)).count();
            check_path_len(issuer_at, path_len, intermediates_below)?;
            check_key_cert_sign(issuer_at)?;
            check_constraints_processed(issuer_at)?;
            check_critical_extensions(issuer_at)?;
        }
        let spki = candidate.x509().tbs_certificate().subject_public_key_info();
        check_rsa_key(spki, self.policy.min_rsa_bits())
            .map_err(|message| issuer_at.fail(VerifyErrorKind::UnacceptableKey, message))?;
        let outer = child.x509().signature_algorithm();
        check_algorithm_match(outer, child.x509().tbs_certificate().signature())
            .map_err(|message| child_at.fail(VerifyErrorKind::AlgorithmMismatch, message))?;
        let algorithm = check_algorithm_allowed(outer, self.policy.algorithms())
            .map_err(|(kind, message)| child_at.fail(kind, message))?;
        self.check_signature(child_at, issuer_at, algorithm)
    }

    /// Revocation of every certificate of a complete path but the anchor (RFC 5280 §6.1.3
    /// (a)(3)); done once the path is known so that a CRL signed before a key rollover can be
    /// checked with the self-issued certificate that carries the older key.
    ///
    /// Every certificate of the path is checked, and the most specific refusal reported (a
    /// revoked intermediate outranks a leaf whose CRL is missing), so what a supplied CRL
    /// proves is never hidden behind what another one lacks.
    fn check_path_revocation(&mut self, path: &[Cert]) -> Result<(), VerifyError> {
        let mut refusal: Option<VerifyError> = None;
        for (position, cert) in path.iter().enumerate() {
            let Some(above) = path.get(position + 1..).filter(|rest| !rest.is_empty()) else {
                break;
            };
            let issuer_name = cert.x509().tbs_certificate().issuer();
            let has_crl = self
                .crls
                .iter()
                .any(|crl| names_match(&crl.x509().tbs_cert_list.issuer, issuer_name));
            let mut signers = Vec::new();
            for (offset, signer) in above.iter().enumerate() {
                // Keys are built only when a CRL needs them (the costly part of a key).
                if !has_crl || !names_match(signer.x509().tbs_certificate().subject(), issuer_name)
                {
                    continue;
                }
                if let Ok(key) = signer.rsa_public_key() {
                    let at = At {
                        position: position + 1 + offset,
                        cert: signer,
                    };
                    signers.push((at, key));
                }
            }
            let input = RevocationInput {
                subject: At { position, cert },
                signers: &signers,
                crls: self.crls,
                policy: self.policy,
                time: self.time,
            };
            match check_revocation(&input, &mut self.meter) {
                Ok(()) => {}
                Err(e) if e.is_budget() => return Err(e),
                Err(e) => {
                    refusal = Some(match refusal {
                        None => e,
                        Some(earlier) => earlier.most_specific(e),
                    });
                }
            }
        }
        refusal.map_or(Ok(()), Err)
    }

    /// `SIG-CHAIN-02`: the certificate's signature verifies with its issuer's public key over
    /// the exact `tbsCertificate` bytes as encoded (RFC 5280 §6.1.3 (a)(1)). A verified
    /// (certificate, issuer) pair may be remembered by SHA-256 so that a later verification
    /// skips the RSA operation; no other check is skipped.
    ///
    /// <https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3>
    fn check_signature(
        &mut self,
        child: At<'_>,
        issuer_at: At<'_>,
        algorithm: SignatureAlgorithm,
    ) -> Result<(), VerifyError> {
        let issuer = issuer_at.cert;
        let cache_key = (child.cert.sha256(), issuer.sha256());
        if self.cache.is_some_and(|cache| cache.contains(&cache_key)) {
            self.meter.cache_hits += 1;
            return Ok(());
        }
        let key = issuer
            .rsa_public_key()
            .map_err(|message| issuer_at.fail(VerifyErrorKind::UnacceptableKey, message))?;
        self.meter.charge_signature()?;
        let verified = child
            .cert
            .x509()
            .signature()
            .as_bytes()
            .is_some_and(|signature| algorithm.verify(key, child.cert.tbs_der(), signature));
        if !verified {
            return Err(child.fail(
                VerifyErrorKind::BadSignature,
                format!(
                    "has a signature that does not verify with the key of `{}`",
                    quoted(issuer.subject())
                ),
            ));
        }
        if let Some(cache) = self.cache {
            cache.insert(cache_key);
        }
        Ok(())
    }
}

/// `SIG-CHAIN-01`: every certificate's issuer name equals the subject name of the next
/// certificate in the path, ending at a caller-supplied trust anchor (RFC 5280 §6.1.3 (a)(4),
/// name comparison per §7.1). This builds the refusal for a certificate with no candidate.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3>
fn check_issuer_found(position: usize, child: &Cert) -> VerifyError {
    VerifyError::at(
        VerifyErrorKind::UnknownIssuer,
        position,
        child.subject(),
        format!(
            "has no issuer `{}` among the intermediates and trust anchors",
            quoted(&child.issuer())
        ),
    )
}

/// `SIG-CHAIN-03`: a path never repeats a certificate, so a self-signed certificate that is
/// not itself a trust anchor never ends a path, and name loops between intermediates end
/// (RFC 4158 §2.4.2 on loops; RFC 5280 §6.1: a path ends at a trust anchor).
///
/// <https://www.rfc-editor.org/rfc/rfc4158#section-2.4.2>
fn check_no_loop(path: &[Cert], candidate: &Cert) -> Result<(), VerifyError> {
    match path.iter().position(|cert| cert.same_as(candidate)) {
        Some(position) => Err(VerifyError::at(
            VerifyErrorKind::RepeatedCertificate,
            position,
            candidate.subject(),
            "would appear twice in the path (self-signed and not a trust anchor, or a loop)",
        )),
        None => Ok(()),
    }
}

/// The keyIdentifier of a certificate's authorityKeyIdentifier, if it has one that decodes.
fn authority_key_id(cert: &Cert) -> Option<Vec<u8>> {
    cert.x509()
        .tbs_certificate()
        .get_extension::<AuthorityKeyIdentifier>()
        .ok()
        .flatten()
        .and_then(|(_, aki)| aki.key_identifier)
        .map(|id| id.as_bytes().to_vec())
}

/// The order in which an issuer candidate with the right name is tried (RFC 4158 §3.5.12,
/// §3.5.15): first one whose subjectKeyIdentifier equals the child's authorityKeyIdentifier,
/// then one where either is absent, last one whose identifiers differ. A stable sort keeps the
/// given order within a rank, so impostors with the issuer's name but another key cannot
/// spend the budget before the real issuer is tried.
fn key_id_rank(wanted: Option<&[u8]>, candidate: &Cert) -> u8 {
    let subject_key_id = candidate
        .x509()
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .ok()
        .flatten()
        .map(|(_, ski)| ski.0);
    match (wanted, subject_key_id) {
        (Some(wanted), Some(found)) if found.as_bytes() == wanted => 0,
        (Some(_), Some(_)) => 2,
        _ => 1,
    }
}

/// The more specific of the refusal kept so far and a new one.
fn most_specific(kept: Option<VerifyError>, new: VerifyError) -> VerifyError {
    match kept {
        Some(kept) => kept.most_specific(new),
        None => new,
    }
}
