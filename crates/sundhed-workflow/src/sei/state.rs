//! Where an SEI case stands, what it is asked and what happened, and the transition table.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{DepartmentId, GroupId, UserId};
use sundhed_identity::{ShakCode, Violation};

use super::form::{SeiEnrolment, SeiNotification};
use super::signers::{CprAttestation, NameMatch};
use crate::digest::Digest;
use crate::form::{SignedForm, Signer};
use crate::procedure::{Cases, case_id, not_possible};

case_id!(
    /// The number of an SEI case (a chief physician's notification), assigned in order when
    /// the case is opened; the event carries it, so replay gives the same numbers. Shown as
    /// `SEI case 1`.
    SeiCaseId,
    "SEI"
);

/// A department and the group keyed by it, as created for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentGroup {
    /// The SHAK code.
    pub shak: ShakCode,
    /// The department.
    pub department: DepartmentId,
    /// The group keyed by it.
    pub group: GroupId,
}

/// Where an SEI case stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeiState {
    /// The notification is in; the administrator has not enrolled.
    Notified,
    /// Both are in, waiting for the authority's cross-check.
    Enrolled,
    /// The cross-check passed and the administrator exists; they fetch settings next.
    AdministratorCreated {
        /// The administrator.
        administrator: UserId,
    },
}

impl SeiState {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Self::Notified => "notified",
            Self::Enrolled => "enrolled",
            Self::AdministratorCreated { .. } => "done",
        }
    }
}

/// One SEI case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeiCase {
    pub(super) notification: SignedForm<SeiNotification>,
    pub(super) notifier: Signer,
    pub(super) enrolment: Option<(SignedForm<SeiEnrolment>, Signer)>,
    /// The digests of the signed bytes of every enrolment the case received, the superseded
    /// ones too, in order (`WF-FORM-06`).
    pub(super) enrolments: Vec<Digest>,
    pub(super) departments: Vec<DepartmentGroup>,
    pub(super) state: SeiState,
}

impl SeiCase {
    /// The signed notification.
    #[must_use]
    pub fn notification(&self) -> &SignedForm<SeiNotification> {
        &self.notification
    }
    /// Who signed the notification.
    #[must_use]
    pub fn notifier(&self) -> &Signer {
        &self.notifier
    }
    /// The signed enrolment and its signer, once in.
    #[must_use]
    pub fn enrolment(&self) -> Option<&(SignedForm<SeiEnrolment>, Signer)> {
        self.enrolment.as_ref()
    }
    /// The digests of the signed bytes of every enrolment received in this case, in order,
    /// including those a later enrolment replaced; none may be used again (`WF-FORM-06`).
    #[must_use]
    pub fn enrolments_received(&self) -> &[Digest] {
        &self.enrolments
    }
    /// The departments and their groups, once created.
    #[must_use]
    pub fn departments(&self) -> &[DepartmentGroup] {
        &self.departments
    }
    /// Where it stands.
    #[must_use]
    pub fn state(&self) -> &SeiState {
        &self.state
    }
}

/// A command to the SEI procedure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeiCommand {
    /// The chief physician's signed notification opens a case.
    Notify {
        /// The notification.
        form: Box<SignedForm<SeiNotification>>,
    },
    /// The local administrator's signed self-enrolment.
    Enrol {
        /// The case.
        case: SeiCaseId,
        /// The enrolment.
        form: Box<SignedForm<SeiEnrolment>>,
    },
    /// The authority cross-checks notification and enrolment and creates the administrator.
    CrossCheck {
        /// The case.
        case: SeiCaseId,
        /// What the host's CPR lookup answered for the enrolment's certificate; required
        /// (`WF-SEI-06`), and about that certificate and the named administrator
        /// (`WF-SEI-07`).
        attestation: Option<CprAttestation>,
    },
}

/// Something that happened in an SEI case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiEvent {
    /// The format version ([`EVENT_VERSION`](crate::EVENT_VERSION)).
    #[serde(deserialize_with = "sundhed_authorisation::read_event_version")]
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// The case.
    pub case: SeiCaseId,
    /// What happened.
    pub change: SeiChange,
}

/// What happened in an SEI case, in the past tense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SeiChange {
    /// The chief physician's notification was received and verified.
    NotificationReceived {
        /// The signed notification, kept for audit.
        form: Box<SignedForm<SeiNotification>>,
        /// Who signed it.
        signer: Signer,
    },
    /// The local administrator's enrolment was received and verified.
    AdministratorEnrolled {
        /// The signed enrolment, kept for audit.
        form: Box<SignedForm<SeiEnrolment>>,
        /// Who signed it (their certificate becomes the administrator's login).
        signer: Signer,
    },
    /// The authority found notification and enrolment consistent, each signed by the person
    /// the notification names, and the enrolment's certificate attested to be the
    /// administrator's (directory events follow).
    CrossChecked {
        /// The notification's signer and the chief physician it names (`WF-SEI-03`).
        chief_physician: NameMatch,
        /// The enrolment's signer and the local administrator the notification names
        /// (`WF-SEI-04`).
        local_administrator: NameMatch,
        /// The host's CPR attestation for the enrolment's certificate (`WF-SEI-06`,
        /// `WF-SEI-07`).
        attestation: CprAttestation,
    },
    /// The administrator was created; the host tells them to fetch settings.
    AdministratorCreated {
        /// The administrator.
        administrator: UserId,
        /// The departments and their groups.
        departments: Vec<DepartmentGroup>,
    },
}

/// A command the state of its case allows, with what the command needs from the case.
pub(super) enum Transition<'a> {
    /// `Notify` opens a new case.
    Open {
        /// The signed notification.
        form: &'a SignedForm<SeiNotification>,
    },
    /// `Enrol` (again) in a notified or enrolled case.
    Enrol {
        /// The case.
        id: SeiCaseId,
        /// The signed enrolment.
        form: &'a SignedForm<SeiEnrolment>,
        /// The case's notification.
        notification: &'a SeiNotification,
        /// Who signed the notification.
        notifier: &'a Signer,
    },
    /// `CrossCheck` an enrolled case.
    CrossCheck {
        /// The case.
        id: SeiCaseId,
        /// The notification.
        notification: &'a SeiNotification,
        /// Who signed the notification.
        notifier: &'a Signer,
        /// The enrolment.
        enrolment: &'a SeiEnrolment,
        /// Who signed the enrolment (their certificate becomes the administrator's login).
        enrolled_by: &'a Signer,
        /// The host's CPR attestation, if given.
        attestation: Option<&'a CprAttestation>,
    },
}

/// `WF-STATE-01`: an SEI command is accepted only for an existing case in a state that allows
/// it. The table: `Notify` opens a new case; `Enrol` takes a `Notified` or `Enrolled` case (a
/// second enrolment replaces the first); `CrossCheck` takes an `Enrolled` case with its
/// enrolment. Anything else is refused. Gives what the command needs from the case.
pub(super) fn check_state<'a>(
    cases: &'a Cases<SeiCaseId, SeiCase>,
    command: &'a SeiCommand,
) -> Result<Transition<'a>, Violation> {
    let (id, what) = match command {
        SeiCommand::Notify { form } => return Ok(Transition::Open { form }),
        SeiCommand::Enrol { case, .. } => (*case, "enrol"),
        SeiCommand::CrossCheck { case, .. } => (*case, "cross-check"),
    };
    let case = cases.existing(id)?;
    match (command, &case.state, &case.enrolment) {
        (SeiCommand::Enrol { form, .. }, SeiState::Notified | SeiState::Enrolled, _) => {
            Ok(Transition::Enrol {
                id,
                form,
                notification: case.notification.form(),
                notifier: &case.notifier,
            })
        }
        (
            SeiCommand::CrossCheck { attestation, .. },
            SeiState::Enrolled,
            Some((enrolment, enrolled_by)),
        ) => Ok(Transition::CrossCheck {
            id,
            notification: case.notification.form(),
            notifier: &case.notifier,
            enrolment: enrolment.form(),
            enrolled_by,
            attestation: attestation.as_ref(),
        }),
        (_, state, _) => Err(not_possible(id, state.name(), what)),
    }
}
