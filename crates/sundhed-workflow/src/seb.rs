//! SEB: an organisation joins with a signed authorisation form; later it adds services and
//! replaces a missing administrator the same way (seed `SEB-elektronisk-brugerstyring.txt`).
//!
//! ```text
//! Submit ──▶ Submitted ──Approve──▶ AwaitingFirstLogin ──FirstLogin──▶ Active
//!                │                   (onboarding, replacement)
//!                ├──Approve──▶ Granted (added service)
//!                └──Reject───▶ Rejected
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{
    Actor, AdminScope, Appointee, Change, Directory, DirectoryCommand, FormKind, NewDepartment,
    NewUser, RightId, UserId,
};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, RuleId, SorId};

use crate::event::{EVENT_VERSION, Event};
use crate::form::{FormVerifier, SignedForm, Signer, check_signer_organisation};
use crate::procedure::{
    CaseId, RightsRequest, Scratch, check_authority, check_requested_rights, check_transition,
};
use sundhed_identity::{Refusal, Violation};

/// `WF-SEB-01`
pub const SEB_ORGANISATION: RuleId = RuleId::new("WF-SEB-01");
/// `WF-SEB-02`
pub const SEB_FIRST_LOGIN: RuleId = RuleId::new("WF-SEB-02");
/// `WF-SEB-03`
pub const SEB_REASONS: RuleId = RuleId::new("WF-SEB-03");

/// The administrator a form names (overbrugeradministrator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    /// The name.
    pub name: String,
    /// The person (masked in `Debug`/`Display`).
    pub person: PersonId,
    /// E-mail address, as written on the form (the host sends the mail).
    pub email: String,
    /// Phone number, as written on the form.
    pub phone: String,
    /// The certificate holder id (RID or UUID) the administrator will log in with.
    pub certificate: CertificateHolderId,
}

/// What an SEB form asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SebForm {
    /// Autorisationsblanket: join SEB with a first administrator and services.
    Onboarding {
        /// The organisation's name.
        organisation: String,
        /// Its CVR number.
        cvr: Cvr,
        /// The organisation's SOR id: its first department in the directory.
        sor: SorId,
        /// The first administrator.
        administrator: Administrator,
        /// The services and roles the organisation will hand out.
        services: Vec<RightsRequest>,
    },
    /// Add services to an organisation already in SEB.
    AddService {
        /// The organisation.
        cvr: Cvr,
        /// The services and roles.
        services: Vec<RightsRequest>,
    },
    /// Attach a new administrator, replacing one who is missing (left, ill, …).
    ReplaceAdministrator {
        /// The organisation.
        cvr: Cvr,
        /// The new administrator.
        administrator: Administrator,
        /// The administrator who is missing, if the organisation still lists one.
        replaces: Option<PersonId>,
    },
}

impl SebForm {
    /// The organisation the form is for.
    #[must_use]
    pub fn cvr(&self) -> Cvr {
        match self {
            Self::Onboarding { cvr, .. }
            | Self::AddService { cvr, .. }
            | Self::ReplaceAdministrator { cvr, .. } => *cvr,
        }
    }

    fn administrator(&self) -> Option<&Administrator> {
        match self {
            Self::Onboarding { administrator, .. }
            | Self::ReplaceAdministrator { administrator, .. } => Some(administrator),
            Self::AddService { .. } => None,
        }
    }
}

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
    fn name(&self) -> &'static str {
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
    form: SignedForm<SebForm>,
    signer: Signer,
    submitted_at: DateTime<Utc>,
    state: SebState,
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
        case: CaseId,
    },
    /// The authority rejects a submitted form, with reasons.
    Reject {
        /// The case.
        case: CaseId,
        /// At least one reason.
        reasons: Vec<String>,
    },
    /// The administrator logged in for the first time with this certificate holder id (the
    /// host verified the login certificate).
    FirstLogin {
        /// The case.
        case: CaseId,
        /// The holder id of the login certificate.
        holder: CertificateHolderId,
    },
}

/// Something that happened in an SEB case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SebEvent {
    /// The format version ([`EVENT_VERSION`]).
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// The case.
    pub case: CaseId,
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
    },
}

/// The SEB procedure: every case, by number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seb {
    cases: BTreeMap<CaseId, SebCase>,
    next: CaseId,
}

impl Seb {
    /// A case.
    #[must_use]
    pub fn case(&self, case: CaseId) -> Option<&SebCase> {
        self.cases.get(&case)
    }

    /// Every case, by number.
    pub fn cases(&self) -> impl Iterator<Item = (CaseId, &SebCase)> {
        self.cases.iter().map(|(id, c)| (*id, c))
    }

    /// Validates `command` and gives the events it produces (SEB and directory events).
    ///
    /// # Errors
    /// A [`Refusal`] naming the rules broken: `WF-FORM-*` (the signature), `WF-SEB-*`,
    /// `WF-RIGHTS-01`, `WF-STATE-01`, `WF-ACTOR-01`, and `AUTHZ-*` from the directory.
    pub fn handle(
        &self,
        directory: &Directory,
        forms: &FormVerifier,
        actor: Actor,
        command: &SebCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, Refusal> {
        let event = |case, change| {
            Event::Seb(SebEvent {
                version: EVENT_VERSION,
                at,
                case,
                change,
            })
        };
        match command {
            SebCommand::Submit { form } => {
                let signer = forms.verify(form, at)?;
                check_signer_organisation(&signer, form.form().cvr())?;
                check_organisation(directory, form.form())?;
                if let SebForm::Onboarding { services, .. } | SebForm::AddService { services, .. } =
                    form.form()
                {
                    check_requested_rights(directory, FormKind::SebService, services)?;
                }
                let change = SebChange::FormSubmitted {
                    form: form.clone(),
                    signer,
                };
                Ok(vec![event(self.next, change)])
            }
            SebCommand::Approve { case } => {
                check_authority(actor, "approve")?;
                let current = self.check_state(*case, "approve", |s| *s == SebState::Submitted)?;
                let form = current.form.form();
                let mut scratch = Scratch::new(directory, at);
                let mut out = vec![event(*case, SebChange::FormApproved)];
                let mut last = Vec::new();
                match form {
                    SebForm::Onboarding {
                        organisation,
                        cvr,
                        sor,
                        administrator,
                        services,
                    } => {
                        let rights =
                            check_requested_rights(directory, FormKind::SebService, services)?;
                        check_organisation(directory, form)?;
                        let register = DirectoryCommand::RegisterOrganisation {
                            cvr: *cvr,
                            name: organisation.clone(),
                            department: NewDepartment {
                                name: organisation.clone(),
                                shak: None,
                                sor: Some(*sor),
                            },
                            primary_admin: new_user(administrator),
                        };
                        let admin = created_user(scratch.run(Actor::Authority, &register)?);
                        scratch.run(
                            Actor::Authority,
                            &DirectoryCommand::SetCeiling {
                                organisation: *cvr,
                                rights,
                            },
                        )?;
                        last.extend(
                            admin
                                .map(|a| notified(a, administrator))
                                .map(|c| event(*case, c)),
                        );
                    }
                    SebForm::AddService { cvr, services } => {
                        let mut rights =
                            check_requested_rights(directory, FormKind::SebService, services)?;
                        check_organisation(directory, form)?;
                        rights.extend(
                            directory
                                .organisation(*cvr)
                                .map(|o| o.ceiling().clone())
                                .unwrap_or_default(),
                        );
                        scratch.run(
                            Actor::Authority,
                            &DirectoryCommand::SetCeiling {
                                organisation: *cvr,
                                rights: rights.clone(),
                            },
                        )?;
                        last.push(event(*case, SebChange::ServiceGranted { rights }));
                    }
                    SebForm::ReplaceAdministrator {
                        cvr,
                        administrator,
                        replaces,
                    } => {
                        check_organisation(directory, form)?;
                        let admin = replace_administrator(
                            &mut scratch,
                            *cvr,
                            administrator,
                            replaces.as_ref(),
                        )?;
                        last.extend(
                            admin
                                .map(|a| notified(a, administrator))
                                .map(|c| event(*case, c)),
                        );
                    }
                }
                out.extend(scratch.into_events().into_iter().map(Event::Directory));
                out.extend(last);
                Ok(out)
            }
            SebCommand::Reject { case, reasons } => {
                check_authority(actor, "reject")?;
                self.check_state(*case, "reject", |s| *s == SebState::Submitted)?;
                check_rejection_reasons(reasons)?;
                Ok(vec![event(
                    *case,
                    SebChange::FormRejected {
                        reasons: reasons.clone(),
                    },
                )])
            }
            SebCommand::FirstLogin { case, holder } => {
                let current = self.check_state(*case, "log in", |s| {
                    matches!(s, SebState::AwaitingFirstLogin { .. })
                })?;
                let SebState::AwaitingFirstLogin { administrator } = current.state else {
                    return Ok(Vec::new());
                };
                check_first_login_certificate(current.form.form(), holder)?;
                Ok(vec![event(
                    *case,
                    SebChange::AdministratorActivated { administrator },
                )])
            }
        }
    }

    fn check_state(
        &self,
        case: CaseId,
        command: &str,
        allowed: impl Fn(&SebState) -> bool,
    ) -> Result<&SebCase, Violation> {
        let current = self.cases.get(&case);
        check_transition(
            case,
            current.map(|c| c.state.name()),
            current.is_some_and(|c| allowed(&c.state)),
            command,
        )?;
        current.ok_or_else(|| {
            Violation::new(crate::procedure::STATE, format!("{case} does not exist"))
        })
    }

    /// Applies an SEB event. Never fails: an event is a fact.
    pub fn apply(&mut self, event: &SebEvent) {
        let case = event.case;
        match &event.change {
            SebChange::FormSubmitted { form, signer } => {
                self.cases.insert(
                    case,
                    SebCase {
                        form: (**form).clone(),
                        signer: signer.clone(),
                        submitted_at: event.at,
                        state: SebState::Submitted,
                    },
                );
                self.next = self.next.max(case.next());
            }
            SebChange::FormApproved => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.state = SebState::Approved;
                }
            }
            SebChange::AdministratorNotified { administrator, .. } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.state = SebState::AwaitingFirstLogin {
                        administrator: *administrator,
                    };
                }
            }
            SebChange::FormRejected { reasons } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.state = SebState::Rejected {
                        reasons: reasons.clone(),
                    };
                }
            }
            SebChange::ServiceGranted { .. } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.state = SebState::Granted;
                }
            }
            SebChange::AdministratorActivated { administrator } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.state = SebState::Active {
                        administrator: *administrator,
                    };
                }
            }
        }
    }
}

fn new_user(administrator: &Administrator) -> NewUser {
    NewUser {
        person: administrator.person,
        certificates: vec![administrator.certificate.clone()],
    }
}

fn notified(administrator: UserId, details: &Administrator) -> SebChange {
    SebChange::AdministratorNotified {
        administrator,
        name: details.name.clone(),
        email: details.email.clone(),
        phone: details.phone.clone(),
    }
}

/// The user a batch of directory events created first.
pub(crate) fn created_user(events: &[sundhed_authorisation::DirectoryEvent]) -> Option<UserId> {
    events.iter().find_map(|e| match &e.change {
        Change::UserCreated { user, .. } => Some(*user),
        _ => None,
    })
}

fn replace_administrator(
    scratch: &mut Scratch<'_>,
    cvr: Cvr,
    administrator: &Administrator,
    replaces: Option<&PersonId>,
) -> Result<Option<UserId>, Refusal> {
    let directory = scratch.directory();
    let old = replaces
        .and_then(|p| directory.user_by_person(cvr, *p))
        .filter(|u| {
            directory
                .organisation(cvr)
                .is_some_and(|o| o.primary_admins().contains_key(u))
        });
    let group = old
        .into_iter()
        .chain(directory.users_of(cvr).iter().copied())
        .find_map(|u| directory.user(u).and_then(|u| u.groups().first().copied()));
    let appointee = Appointee::New {
        user: new_user(administrator),
        groups: group.into_iter().collect(),
    };
    let scope = AdminScope::whole_organisation();
    let command = match old {
        Some(old) => DirectoryCommand::ReplacePrimaryAdmin {
            organisation: cvr,
            old,
            new: appointee,
            scope,
        },
        None => DirectoryCommand::AppointPrimaryAdmin {
            organisation: cvr,
            appointee,
            scope,
        },
    };
    Ok(created_user(scratch.run(Actor::Authority, &command)?))
}

/// `WF-SEB-01`: an onboarding form is for an organisation not yet in the directory; a form
/// adding a service or replacing an administrator is for one that is (seed SEB: the
/// organisation is created once, then served through its administrators).
fn check_organisation(directory: &Directory, form: &SebForm) -> Result<(), Violation> {
    let cvr = form.cvr();
    let known = directory.organisation(cvr).is_some();
    match (form, known) {
        (SebForm::Onboarding { .. }, true) => Err(Violation::new(
            SEB_ORGANISATION,
            format!("the organisation with CVR `{cvr}` is already in SEB"),
        )),
        (SebForm::AddService { .. } | SebForm::ReplaceAdministrator { .. }, false) => {
            Err(Violation::new(
                SEB_ORGANISATION,
                format!("no organisation with CVR `{cvr}` is in SEB"),
            ))
        }
        _ => Ok(()),
    }
}

/// `WF-SEB-02`: the administrator's first login, which activates the case, uses the
/// certificate identity the signed form named (seed SEB step 4: log in with a MOCES naming the
/// organisation).
fn check_first_login_certificate(
    form: &SebForm,
    holder: &CertificateHolderId,
) -> Result<(), Violation> {
    match form.administrator() {
        Some(a) if a.certificate == *holder => Ok(()),
        Some(a) => Err(Violation::new(
            SEB_FIRST_LOGIN,
            format!(
                "the form names certificate `{}`, not `{holder}`",
                a.certificate
            ),
        )),
        None => Err(Violation::new(
            SEB_FIRST_LOGIN,
            "the form names no administrator",
        )),
    }
}

/// `WF-SEB-03`: a rejection states at least one non-empty reason, which the case keeps.
fn check_rejection_reasons(reasons: &[String]) -> Result<(), Violation> {
    if reasons.iter().any(|r| !r.trim().is_empty()) {
        Ok(())
    } else {
        Err(Violation::new(SEB_REASONS, "a rejection needs a reason"))
    }
}
