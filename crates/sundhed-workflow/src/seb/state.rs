//! Where an SEB case stands, what it is asked and what happened, and the transition table.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{RightId, UserId};
use sundhed_identity::{CertificateHolderId, Violation};

use super::form::SebForm;
use crate::form::{SignedForm, Signer};
use crate::login::LoginCertificate;
use crate::procedure::{Cases, case_id, not_possible};

case_id!(
    /// The number of an SEB case (an application on a signed form), assigned in order when
    /// the case is opened; the event carries it, so replay gives the same numbers. Shown as
    /// `SEB case 1`.
    SebCaseId,
    "SEB"
);

/// Where an SEB case stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SebState {
    /// Signed, verified and waiting for the authority.
    Submitted,
    /// Approved; the directory changes follow in the same command.
    Approved,
    /// The authority said no.
    Rejected {
        /// Why.
        reasons: Vec<String>,
    },
    /// Approved; the administrator exists and has been notified but has not logged in.
    AwaitingFirstLogin {
        /// The administrator.
        administrator: UserId,
    },
    /// The administrator logged in with the certificate the form named.
    Active {
        /// The administrator.
        administrator: UserId,
    },
    /// Approved: the services were added to the organisation's ceiling.
    Granted,
}

impl SebState {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected { .. } => "rejected",
            Self::AwaitingFirstLogin { .. } => "awaiting the administrator's first login",
            Self::Active { .. } => "active",
            Self::Granted => "granted",
        }
    }
}

/// One SEB case: the signed form, who signed it, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SebCase {
    pub(super) form: SignedForm<SebForm>,
    pub(super) signer: Signer,
    pub(super) submitted_at: DateTime<Utc>,
    pub(super) state: SebState,
}

impl SebCase {
    /// The signed form.
    #[must_use]
    pub fn form(&self) -> &SignedForm<SebForm> {
        &self.form
    }
    /// Who signed it.
    #[must_use]
    pub fn signer(&self) -> &Signer {
        &self.signer
    }
    /// When it was submitted.
    #[must_use]
    pub fn submitted_at(&self) -> DateTime<Utc> {
        self.submitted_at
    }
    /// Where it stands.
    #[must_use]
    pub fn state(&self) -> &SebState {
        &self.state
    }
}

/// A command to the SEB procedure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SebCommand {
    /// Submit a signed form (any sender: the signature is what counts).
    Submit {
        /// The form.
        form: Box<SignedForm<SebForm>>,
    },
    /// The authority approves a submitted form.
    Approve {
        /// The case.
        case: SebCaseId,
    },
    /// The authority rejects a submitted form, with reasons.
    Reject {
        /// The case.
        case: SebCaseId,
        /// At least one reason.
        reasons: Vec<String>,
    },
    /// The administrator logged in for the first time with this certificate (seed SEB step 4),
    /// which the host verified: a [`LoginCertificate`] is made only from a verified chain.
    FirstLogin {
        /// The case.
        case: SebCaseId,
        /// The login certificate.
        certificate: LoginCertificate,
    },
}

/// Something that happened in an SEB case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SebEvent {
    /// The format version ([`EVENT_VERSION`](crate::EVENT_VERSION)).
    #[serde(deserialize_with = "sundhed_authorisation::read_event_version")]
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// The case.
    pub case: SebCaseId,
    /// What happened.
    pub change: SebChange,
}

/// What happened in an SEB case, in the past tense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SebChange {
    /// A signed form was received and verified; the case was opened.
    FormSubmitted {
        /// The signed form, kept for audit.
        form: Box<SignedForm<SebForm>>,
        /// Who signed it.
        signer: Signer,
    },
    /// The authority approved the form (the directory events follow).
    FormApproved,
    /// The authority rejected the form.
    FormRejected {
        /// Why.
        reasons: Vec<String>,
    },
    /// The administrator is to be told that they are responsible (the host sends the mail).
    AdministratorNotified {
        /// The administrator.
        administrator: UserId,
        /// The name on the form.
        name: String,
        /// Where to write.
        email: String,
        /// Where to call.
        phone: String,
    },
    /// Services were added to the organisation's ceiling.
    ServiceGranted {
        /// The organisation's new rights.
        rights: BTreeSet<RightId>,
    },
    /// The administrator logged in with the named certificate.
    AdministratorActivated {
        /// The administrator.
        administrator: UserId,
        /// The certificate the administrator logged in with.
        certificate: CertificateHolderId,
    },
}

/// A command the state of its case allows, with what the command needs from the case.
pub(super) enum Transition<'a> {
    /// `Submit` opens a new case.
    Open {
        /// The signed form.
        form: &'a SignedForm<SebForm>,
    },
    /// `Approve` a submitted case.
    Approve {
        /// The case.
        id: SebCaseId,
        /// Its form.
        form: &'a SebForm,
    },
    /// `Reject` a submitted case.
    Reject {
        /// The case.
        id: SebCaseId,
        /// The reasons given.
        reasons: &'a [String],
    },
    /// The first login of the administrator the approval created.
    FirstLogin {
        /// The case.
        id: SebCaseId,
        /// Its form.
        form: &'a SebForm,
        /// The administrator awaiting the login.
        administrator: UserId,
        /// The login certificate.
        certificate: &'a LoginCertificate,
    },
}

/// `WF-STATE-01`: an SEB command is accepted only for an existing case in a state that allows
/// it. The table: `Submit` opens a new case; `Approve` and `Reject` take a `Submitted` case;
/// `FirstLogin` takes a case `AwaitingFirstLogin`. Anything else is refused. Gives what the
/// command needs from the case.
pub(super) fn check_state<'a>(
    cases: &'a Cases<SebCaseId, SebCase>,
    command: &'a SebCommand,
) -> Result<Transition<'a>, Violation> {
    let (id, what) = match command {
        SebCommand::Submit { form } => return Ok(Transition::Open { form }),
        SebCommand::Approve { case } => (*case, "approve"),
        SebCommand::Reject { case, .. } => (*case, "reject"),
        SebCommand::FirstLogin { case, .. } => (*case, "log in"),
    };
    let case = cases.existing(id)?;
    let form = case.form.form();
    match (command, &case.state) {
        (SebCommand::Approve { .. }, SebState::Submitted) => Ok(Transition::Approve { id, form }),
        (SebCommand::Reject { reasons, .. }, SebState::Submitted) => {
            Ok(Transition::Reject { id, reasons })
        }
        (
            SebCommand::FirstLogin { certificate, .. },
            SebState::AwaitingFirstLogin { administrator },
        ) => Ok(Transition::FirstLogin {
            id,
            form,
            administrator: *administrator,
            certificate,
        }),
        (_, state) => Err(not_possible(id, state.name(), what)),
    }
}
