//! Who signs the SEI forms: the people the notification names, with two certificates, and the
//! host's CPR attestation that binds the enrolment's certificate to the administrator's person
//! (seed SEI §4–6).
//!
//! A certificate carries its holder's name (the subject's common name), not a CPR number (an
//! OCES2 employee certificate has none), so the forms are bound to their signers by name, and
//! the administrator's CPR number to the enrolment's certificate by what the host's CPR lookup
//! answered for that certificate, never by what a form claims.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, PersonId, Violation, shown};
use unicode_normalization::UnicodeNormalization;

use super::form::{NamedPerson, SeiNotification};
use super::{
    SEI_ATTESTATION, SEI_ATTESTED_PERSON, SEI_CHIEF_SIGNS, SEI_ENROLLED_BY_NAMED, SEI_TWO_SIGNERS,
};
use crate::form::Signer;

/// What the host's CPR lookup answered for the enrolment's certificate: that `certificate`
/// belongs to `person`, by `source`, at `checked_at`.
///
/// An OCES2 employee certificate (MOCES) carries no CPR number, so the authority cannot read
/// from the certificate that its holder is the person the forms name; the host asks its CPR
/// binding for the certificate (for OCES2, the issuer's RID-CPR lookup) and hands the answer in
/// with the cross-check. The cross-check refuses
/// without one (`WF-SEI-06`) and refuses one about another certificate or another person
/// (`WF-SEI-07`); the answer is kept in the [`CrossChecked`](crate::SeiChange::CrossChecked)
/// event.
///
/// The person is masked in `Debug` and `Display`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CprAttestation {
    /// The certificate looked up.
    pub certificate: CertificateHolderId,
    /// The person the lookup gave for it.
    pub person: PersonId,
    /// Where the answer came from (the service, with the host's reference to the query). It
    /// is logged and shown as given: it must not hold a CPR number (the person is `person`).
    pub source: String,
    /// When the host asked.
    pub checked_at: DateTime<Utc>,
}

/// A signer's name compared with the name of the person the form names, as both read; kept in
/// the [`CrossChecked`](crate::SeiChange::CrossChecked) event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameMatch {
    /// The signer's name: the common name of the certificate that signed.
    pub signer: String,
    /// The name the notification gives.
    pub named: String,
}

impl NameMatch {
    fn of(signer: &Signer, named: &NamedPerson) -> Self {
        Self {
            signer: signer.name.clone(),
            named: named.name.clone(),
        }
    }
}

/// What the cross-check compared, for its event.
pub(super) struct Compared {
    pub(super) chief_physician: NameMatch,
    pub(super) local_administrator: NameMatch,
}

/// `name` as names are compared: Unicode NFKC (so a composed `ø` and a decomposed one, or a
/// full-width letter and its plain form, are the same), lower case, white space runs as one
/// space, none at either end.
pub(super) fn normalised_name(name: &str) -> String {
    let lower = name.nfkc().collect::<String>().to_lowercase();
    let folded: String = lower.nfkc().collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the certificate's name is the name on the form; a blank name matches nothing.
fn same_name(certificate: &str, form: &str) -> bool {
    let named = normalised_name(form);
    !named.is_empty() && normalised_name(certificate) == named
}

/// `WF-SEI-03`: the notification is signed by the chief physician it names: the signing
/// certificate's name is the chief physician's name, compared after [`normalised_name`] (seed
/// SEI §4: "Den ansvarlige overlæge videregiver … oplysninger", with "den ansvarlige overlæges
/// navn og personnummer"; a notification sent by anyone else is not the chief physician's).
pub(super) fn check_notified_by_chief(
    notification: &SeiNotification,
    notifier: &Signer,
) -> Result<NameMatch, Violation> {
    let chief = &notification.chief_physician;
    if same_name(&notifier.name, &chief.name) {
        Ok(NameMatch::of(notifier, chief))
    } else {
        Err(Violation::new(
            SEI_CHIEF_SIGNS,
            format!(
                "the notification is signed by `{}`, not by the chief physician it names, `{}`",
                shown(&notifier.name),
                shown(&chief.name)
            ),
        ))
    }
}

/// `WF-SEI-04`: the enrolment is signed by the local administrator the notification names: the
/// signing certificate's name is the administrator's name, compared after [`normalised_name`]
/// (seed SEI §5: the local administrator enrols, choosing their own certificate; §6: the
/// authority checks that the information of §4 and §5 agrees).
pub(super) fn check_enrolled_by_named(
    notification: &SeiNotification,
    enrolled_by: &Signer,
) -> Result<NameMatch, Violation> {
    let admin = &notification.local_administrator;
    if same_name(&enrolled_by.name, &admin.name) {
        Ok(NameMatch::of(enrolled_by, admin))
    } else {
        Err(Violation::new(
            SEI_ENROLLED_BY_NAMED,
            format!(
                "the enrolment is signed by `{}`, not by the local administrator the notification \
                 names, `{}`",
                shown(&enrolled_by.name),
                shown(&admin.name)
            ),
        ))
    }
}

/// `WF-SEI-05`: the chief physician and the local administrator are two people: the
/// notification names different persons (CPR numbers) for them, checked when it comes, and
/// the notification's and the enrolment's signers differ in holder id and in certificate
/// digest, checked when the enrolment comes and at the cross-check (seed SEI §4–5: the chief
/// physician sends the information, the administrator enrols with their own certificate; §6:
/// the authority checks the one against the other, which one person, or one certificate,
/// cannot supply both halves of). `enrolled_by` is `None` at the notification.
pub(super) fn check_two_people(
    notification: &SeiNotification,
    notifier: &Signer,
    enrolled_by: Option<&Signer>,
) -> Result<(), Violation> {
    let chief = notification.chief_physician.person;
    if chief == notification.local_administrator.person {
        return Err(Violation::new(
            SEI_TWO_SIGNERS,
            format!(
                "the notification names the same person, `{chief}`, as chief physician and as \
                 local administrator"
            ),
        ));
    }
    match enrolled_by {
        Some(enrolled_by)
            if notifier.holder == enrolled_by.holder
                || notifier.certificate == enrolled_by.certificate =>
        {
            Err(Violation::new(
                SEI_TWO_SIGNERS,
                if notifier.holder == enrolled_by.holder {
                    format!(
                        "the notification and the enrolment are signed by the same holder, `{}`",
                        shown(&enrolled_by.holder.to_string())
                    )
                } else {
                    "the notification and the enrolment are signed with the same certificate"
                        .to_owned()
                },
            ))
        }
        _ => Ok(()),
    }
}

/// `WF-SEI-06`: the cross-check comes with the host's CPR attestation for the enrolment's
/// certificate: one is given, its source names something (at least one letter or digit after
/// Unicode NFKC, so neither white space nor invisible characters alone), and the lookup was
/// made while the case stood enrolled: no earlier than the enrolment it attests was received
/// (`enrolled_at`) and no later than the cross-check (seed SEI §5–6: the enrolment gives the
/// administrator's personnummer and, once it is in, the authority checks the personal
/// information; an OCES2 employee certificate carries no CPR number, so only a lookup binds
/// the certificate to a person, and a lookup from before the enrolment is not about it).
pub(super) fn check_attested(
    attestation: Option<&CprAttestation>,
    enrolled_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<&CprAttestation, Violation> {
    let Some(attestation) = attestation else {
        return Err(Violation::new(
            SEI_ATTESTATION,
            "the cross-check comes without a cpr attestation for the enrolment's certificate",
        ));
    };
    if !attestation.source.nfkc().any(char::is_alphanumeric) {
        return Err(Violation::new(
            SEI_ATTESTATION,
            format!(
                "the cpr attestation names no source: `{}` has no letter or digit",
                shown(&attestation.source)
            ),
        ));
    }
    if attestation.checked_at < enrolled_at {
        return Err(Violation::new(
            SEI_ATTESTATION,
            format!(
                "the cpr attestation was made at {}, before the enrolment it attests was received \
                 at {enrolled_at}",
                attestation.checked_at
            ),
        ));
    }
    if attestation.checked_at > at {
        return Err(Violation::new(
            SEI_ATTESTATION,
            format!(
                "the cpr attestation was made at {}, after the cross-check at {at}",
                attestation.checked_at
            ),
        ));
    }
    Ok(attestation)
}

/// `WF-SEI-07`: the CPR attestation binds the enrolment's certificate to the local
/// administrator the notification names: its certificate is the enrolment signer's holder id
/// and its person is the administrator's, so no administrator is created whose CPR number only
/// a form claimed (seed SEI §4–6: the administrator's personnummer in the notification and the
/// enrolment, checked by the authority).
pub(super) fn check_attestation_binds(
    attestation: &CprAttestation,
    enrolled_by: &Signer,
    notification: &SeiNotification,
) -> Result<(), Violation> {
    if attestation.certificate != enrolled_by.holder {
        return Err(Violation::new(
            SEI_ATTESTED_PERSON,
            format!(
                "the cpr attestation is for certificate `{}`, the enrolment is signed with `{}`",
                shown(&attestation.certificate.to_string()),
                shown(&enrolled_by.holder.to_string())
            ),
        ));
    }
    let admin = notification.local_administrator.person;
    if attestation.person != admin {
        return Err(Violation::new(
            SEI_ATTESTED_PERSON,
            format!(
                "the cpr attestation gives `{}` for the enrolment's certificate, the notification \
                 names `{admin}` as local administrator",
                attestation.person
            ),
        ));
    }
    Ok(())
}

/// The signer rules at the cross-check (`WF-SEI-03`, `WF-SEI-04`, `WF-SEI-05`), again: the
/// notification and the enrolment were checked when they came, but a case opened by an
/// earlier version was not.
pub(super) fn check_signers(
    notification: &SeiNotification,
    notifier: &Signer,
    enrolled_by: &Signer,
) -> Result<Compared, Violation> {
    let chief_physician = check_notified_by_chief(notification, notifier)?;
    let local_administrator = check_enrolled_by_named(notification, enrolled_by)?;
    check_two_people(notification, notifier, Some(enrolled_by))?;
    Ok(Compared {
        chief_physician,
        local_administrator,
    })
}

#[cfg(test)]
mod tests {
    use super::{normalised_name, same_name};

    #[test]
    fn names_are_compared_after_nfkc_case_folding_and_white_space() {
        assert_eq!(normalised_name("  Brian   Møller\t"), "brian møller");
        // `ø` has no decomposition; `é` and `ë` have.
        assert!(same_name("Renée Bødker", "Rene\u{301}e Bødker"));
        assert!(same_name(
            "Karl Hoffmann Svendsen",
            "KARL  HOFFMANN\u{a0}SVENDSEN"
        ));
        assert!(same_name("Zoë Hansen", "Zoe\u{308} Hansen"));
        assert!(same_name("Karl Hoffmann", "Ｋarl Ho\u{fb00}mann"));
        assert!(!same_name("Brian Møller", "Brian Moller"));
        assert!(!same_name("", ""));
        assert!(!same_name("Sonja Bach", "   "));
    }
}
