//! Logging in: from a certificate chain that verified to a user of the directory, as a proof.
//!
//! The one documented path from a certificate to an action is
//! [`Registry::login`](crate::Registry::login) (a [`VerifiedChain`] and the time) giving a
//! [`Login`], then [`Registry::handle_as`](crate::Registry::handle_as) with that login. A
//! [`Login`] cannot be built any other way, and [`Registry::handle`](crate::Registry::handle)
//! refuses a user actor (`WF-LOGIN-06`), so the user a command acts as is one a verified
//! certificate proved. (`Registry::handle_unverified` takes any actor on the caller's word, for
//! tests and tools, never for a host serving people.)

use chrono::{DateTime, Utc};
use sundhed_authorisation::{Actor, Directory, UserId};
use sundhed_identity::{CertificateHolderId, Cvr, Refusal, RuleId, Violation, shown};
use sundhed_signing::{Cert, Holder, HolderKind, VerifiedChain};

use crate::digest::Digest;
use crate::form::{Bytes, FormVerifier};

/// `WF-LOGIN-01`
pub const LOGIN_PERSON: RuleId = RuleId::new("WF-LOGIN-01");
/// `WF-LOGIN-02`
pub const LOGIN_TIME: RuleId = RuleId::new("WF-LOGIN-02");
/// `WF-LOGIN-03`
pub const LOGIN_USER: RuleId = RuleId::new("WF-LOGIN-03");
/// `WF-LOGIN-04`
pub const LOGIN_ORGANISATION: RuleId = RuleId::new("WF-LOGIN-04");
/// `WF-LOGIN-05`
pub const LOGIN_TRUSTED: RuleId = RuleId::new("WF-LOGIN-05");
/// `WF-LOGIN-06`
pub const LOGIN_REQUIRED: RuleId = RuleId::new("WF-LOGIN-06");

/// A person's certificate that verified: who it names, for which organisation, when it
/// verified, and the path it verified along. Made only from a [`VerifiedChain`]; wherever the
/// registry acts on one it verifies the path again with its own trust anchors, policy and
/// revocation lists (`WF-LOGIN-05`), so a chain some other verifier accepted (another root, a
/// laxer policy) proves nothing here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginCertificate {
    holder: Holder,
    certificate: Digest,
    verified_at: DateTime<Utc>,
    /// The path below the trust anchor, DER, leaf first.
    path: Vec<Bytes>,
}

impl LoginCertificate {
    /// The certificate of `chain`, if it names a person (an employee certificate: OCES2
    /// MOCES, OCES3 employee).
    ///
    /// # Errors
    /// `WF-LOGIN-01` when the certificate names no holder or one that is not a person (an
    /// organisation or system certificate), with the `SIG-HOLDER-*` rule behind it.
    pub fn from_chain(chain: &VerifiedChain) -> Result<Self, Refusal> {
        let holder = check_login_person(chain.holder())?;
        let below_anchor = chain.len().saturating_sub(1);
        let path = chain
            .certificates()
            .iter()
            .take(below_anchor.max(1))
            .map(|c| Bytes::new(c.der().to_vec()))
            .collect();
        Ok(Self {
            holder,
            certificate: Digest::from_bytes(chain.leaf().sha256()),
            verified_at: chain.verified_at(),
            path,
        })
    }

    /// The holder id, with the organisation's CVR.
    #[must_use]
    pub fn holder(&self) -> &CertificateHolderId {
        self.holder.id()
    }

    /// The CVR number the certificate names.
    #[must_use]
    pub fn cvr(&self) -> Cvr {
        self.holder.cvr()
    }

    /// The holder's name (the subject's common name).
    #[must_use]
    pub fn name(&self) -> &str {
        self.holder.name()
    }

    /// SHA-256 of the certificate.
    #[must_use]
    pub fn certificate(&self) -> Digest {
        self.certificate
    }

    /// When the chain verified.
    #[must_use]
    pub fn verified_at(&self) -> DateTime<Utc> {
        self.verified_at
    }
}

/// The proof that a verified person's certificate logged in as a user of the directory: made
/// only by [`Registry::login`](crate::Registry::login), with the registry's own trust anchors,
/// and the only way [`Registry::handle_as`](crate::Registry::handle_as) acts as a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    user: UserId,
    organisation: Cvr,
    certificate: LoginCertificate,
    at: DateTime<Utc>,
}

impl Login {
    /// The user the certificate logged in as.
    #[must_use]
    pub fn user(&self) -> UserId {
        self.user
    }

    /// The user's organisation (the certificate's CVR).
    #[must_use]
    pub fn organisation(&self) -> Cvr {
        self.organisation
    }

    /// The certificate that logged in.
    #[must_use]
    pub fn certificate(&self) -> &LoginCertificate {
        &self.certificate
    }

    /// When the login happened.
    #[must_use]
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The actor commands given with this login act as.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor::User(self.user)
    }
}

/// Logs `certificate` in at `at` as the user of `directory` it is registered for: the chain
/// verified at `at` (`WF-LOGIN-02`) and verifies with the host's own trust anchors, policy and
/// revocation lists (`WF-LOGIN-05`), the certificate is registered for an active user
/// (`WF-LOGIN-03`) of the organisation the certificate names (`WF-LOGIN-04`).
pub(crate) fn log_in(
    directory: &Directory,
    forms: &FormVerifier,
    certificate: &LoginCertificate,
    at: DateTime<Utc>,
) -> Result<Login, Refusal> {
    check_login_time(certificate, at, at)?;
    check_login_trusted(forms, certificate, at)?;
    let user = check_login_user(directory, certificate, None)?;
    check_login_organisation(certificate, user.1)?;
    Ok(Login {
        user: user.0,
        organisation: user.1,
        certificate: certificate.clone(),
        at,
    })
}

/// Checks a certificate presented at `at` to act for `organisation` before any user is
/// registered for it (an enrolment with an activation code): it verified at `at`
/// (`WF-LOGIN-02`), verifies with the host's anchors, policy and CRLs (`WF-LOGIN-05`) and
/// names `organisation` (`WF-LOGIN-04`; no organisation at all is refused).
pub(crate) fn check_presented(
    forms: &FormVerifier,
    certificate: &LoginCertificate,
    organisation: Option<Cvr>,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    check_login_time(certificate, at, at)?;
    check_login_trusted(forms, certificate, at)?;
    check_login_organisation(certificate, organisation)?;
    Ok(())
}

/// Checks that `login` still stands at `at`: not before it was made, its certificate still
/// verifies at `at` with the host's trust anchors, policy and revocation lists (so a login
/// ends when its certificate expires or is revoked), and it is still registered for the same
/// active user (`WF-LOGIN-02`, `WF-LOGIN-05`, `WF-LOGIN-03`).
pub(crate) fn check_still_logged_in(
    directory: &Directory,
    forms: &FormVerifier,
    login: &Login,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    check_login_time(&login.certificate, login.at, at)?;
    check_login_trusted(forms, &login.certificate, at)?;
    check_login_user(directory, &login.certificate, Some(login.user))?;
    Ok(())
}

/// `WF-LOGIN-05`: a login certificate is trusted by this host: its path verifies at `at` to one
/// of the host's own trust anchors under the host's policy and revocation lists (the
/// [`FormVerifier`] the registry holds), and names the same holder as when it was presented.
/// A [`VerifiedChain`] another verifier made — under another root, a laxer policy, without the
/// revocation lists, or at another time — logs in as no one (seed SEB step 4: log in with an
/// OCES certificate; RFC 5280 §6.1: a path is valid for a relying party's own trust anchors).
fn check_login_trusted(
    forms: &FormVerifier,
    certificate: &LoginCertificate,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let untrusted = |reason: String| Violation::new(LOGIN_TRUSTED, reason);
    let mut certs = Vec::with_capacity(certificate.path.len());
    for der in &certificate.path {
        certs.push(Cert::from_der(der.as_slice()).map_err(|e| {
            untrusted(format!("a certificate of the login does not parse: {e}")).because(e.rule())
        })?);
    }
    let (leaf, intermediates) = certs
        .split_first()
        .ok_or_else(|| untrusted("the login carries no certificate".to_owned()))?;
    let chain = forms.verify_path(leaf, intermediates, at).map_err(|e| {
        untrusted(format!(
            "the login certificate does not verify with this host's trust anchors and policy at {at}: {e}"
        ))
        .because(e.rule())
    })?;
    match chain.holder() {
        Ok(holder) if holder.id() == certificate.holder() => Ok(()),
        _ => Err(untrusted(
            "the login certificate names another holder than when it was presented".to_owned(),
        )),
    }
}

/// `WF-LOGIN-06`: a user acts only through a login: [`Registry::handle`](crate::Registry::handle)
/// takes the authority's word for the authority and refuses an `Actor::User`, which a host
/// could otherwise assert for anyone; users act through
/// [`Registry::handle_as`](crate::Registry::handle_as) with a [`Login`] (seed SEB step 4 and
/// SEI §3: people act with their own certificate).
pub(crate) fn check_login_required(actor: Actor) -> Result<(), Violation> {
    match actor {
        Actor::Authority => Ok(()),
        Actor::User(user) => Err(Violation::new(
            LOGIN_REQUIRED,
            format!(
                "{user} acts only through a login (`Registry::handle_as`), never on the host's word"
            ),
        )),
    }
}

/// `WF-LOGIN-01`: a login is a person's: the certificate names its holder (`SIG-HOLDER-*`)
/// and is an employee certificate (OCES2 MOCES `RID:`, OCES3 `UI:DK-E:`), since every user of
/// the directory is a person (seed SEB step 4: "MOCES"; seed SEI §3: "medarbejdercertifikat");
/// organisation and system certificates log in as no one.
fn check_login_person(
    holder: Result<Holder, sundhed_signing::HolderError>,
) -> Result<Holder, Violation> {
    let holder = holder.map_err(|e| {
        Violation::new(
            LOGIN_PERSON,
            format!("the certificate names no holder: {e}"),
        )
        .because(e.rule())
    })?;
    if holder.kind() == HolderKind::Employee {
        Ok(holder)
    } else {
        Err(Violation::new(
            LOGIN_PERSON,
            format!(
                "`{}` is not a person's certificate, so it logs in as no user",
                shown(holder.name())
            ),
        ))
    }
}

/// `WF-LOGIN-02`: a login happens when its chain verified, and acts only from then on: the
/// chain was verified at the time of the login (`logged_in`), so an expired or since-revoked
/// certificate cannot log in on an old verification (time is an input: the host verifies and
/// logs in at the same instant), and a command given with the login (`at`) is not before it.
fn check_login_time(
    certificate: &LoginCertificate,
    logged_in: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    if certificate.verified_at != logged_in {
        Err(Violation::new(
            LOGIN_TIME,
            format!(
                "the certificate was verified at {}, not at the login at {logged_in}; verify it at the time of the login",
                certificate.verified_at
            ),
        ))
    } else if at < logged_in {
        Err(Violation::new(
            LOGIN_TIME,
            format!("the command at {at} comes before the login at {logged_in}"),
        ))
    } else {
        Ok(())
    }
}

/// `WF-LOGIN-03`: a certificate logs in as the active user it is registered for, found by its
/// holder id with the organisation's CVR (an OCES2 RID of another company is another holder);
/// a certificate registered for no user, or for a deactivated one, logs in as no one; and a
/// login made earlier (`logged_in_as`) stands only while the certificate still logs in as the
/// same user (seed SEB step 4; `shared/design/domain.md` §4.1).
fn check_login_user(
    directory: &Directory,
    certificate: &LoginCertificate,
    logged_in_as: Option<UserId>,
) -> Result<(UserId, Cvr), Violation> {
    let holder = certificate.holder();
    let not_registered = || {
        Violation::new(
            LOGIN_USER,
            format!(
                "certificate `{}` is registered for no user",
                shown(&holder.to_string())
            ),
        )
    };
    let id = directory
        .user_by_certificate(holder)
        .ok_or_else(not_registered)?;
    let user = directory.user(id).ok_or_else(not_registered)?;
    if logged_in_as.is_some_and(|earlier| earlier != id) {
        Err(Violation::new(
            LOGIN_USER,
            format!(
                "certificate `{}` now logs in as {id}, not as the user of the login",
                shown(&holder.to_string())
            ),
        ))
    } else if user.is_active() {
        Ok((id, user.organisation()))
    } else {
        Err(Violation::new(
            LOGIN_USER,
            format!(
                "certificate `{}` is registered for {id}, who is deactivated",
                shown(&holder.to_string())
            ),
        ))
    }
}

/// `WF-LOGIN-04`: a login certificate names the organisation its user acts for: its CVR
/// (OCES2 serialNumber, OCES3 organizationIdentifier) is the user's organisation's — or, at an
/// SEB administrator's first login, the organisation's of the case (seed SEB step 4: "log ind
/// … med MOCES indeholdende organisationens CVR nummer").
pub(crate) fn check_login_organisation(
    certificate: &LoginCertificate,
    organisation: impl Into<Option<Cvr>>,
) -> Result<(), Violation> {
    match organisation.into() {
        Some(organisation) if certificate.cvr() == organisation => Ok(()),
        Some(organisation) => Err(Violation::new(
            LOGIN_ORGANISATION,
            format!(
                "`{}` holds a certificate of CVR `{}`, not of organisation `{organisation}`",
                shown(certificate.name()),
                certificate.cvr()
            ),
        )),
        None => Err(Violation::new(
            LOGIN_ORGANISATION,
            format!(
                "`{}` presents a certificate of CVR `{}` for no known organisation",
                shown(certificate.name()),
                certificate.cvr()
            ),
        )),
    }
}
