//! SEI: a psychiatric department joins coercion reporting (seed
//! `SEI-tvang-brugeroprettelse.txt`): the chief physician's signed notification, the local
//! administrator's signed self-enrolment, the authority's cross-check, the administrator
//! created.
//!
//! ```text
//! Notify ──▶ Notified ──Enrol──▶ Enrolled ──CrossCheck──▶ AdministratorCreated
//!                                   ▲   │
//!                                   └───┘ Enrol again (replaces the enrolment)
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{
    Actor, AdminScope, Appointee, DepartmentId, Directory, DirectoryCommand, FormKind, GroupId,
    NewDepartment, NewUser, ScopeSet, UserId,
};
use sundhed_identity::{Cvr, PersonId, RuleId, ShakCode, ShakLevel};

use crate::event::{EVENT_VERSION, Event};
use crate::form::{FormVerifier, SignedForm, Signer, check_signer_organisation};
use crate::procedure::{
    CaseId, RightsRequest, Scratch, check_authority, check_requested_rights, check_transition,
};
use crate::seb::created_user;
use sundhed_identity::{Refusal, Violation};

/// `WF-SEI-01`
pub const SEI_DEPARTMENTS: RuleId = RuleId::new("WF-SEI-01");
/// `WF-SEI-02`
pub const SEI_CROSS_CHECK: RuleId = RuleId::new("WF-SEI-02");

/// A person named on a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    /// The name.
    pub name: String,
    /// The person (masked in `Debug`/`Display`).
    pub person: PersonId,
}

/// A department named on a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiDepartment {
    /// The department's SHAK code (6 or 7 characters).
    pub shak: ShakCode,
    /// Its name.
    pub name: String,
}

/// The chief physician's notification (seed SEI §4): who becomes local administrator, for
/// which departments, with which rights per form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiNotification {
    /// The hospital's name.
    pub hospital: String,
    /// The hospital's CVR number.
    pub cvr: Cvr,
    /// The responsible chief physician (den ansvarlige overlæge), who signs.
    pub chief_physician: NamedPerson,
    /// The local administrator.
    pub local_administrator: NamedPerson,
    /// The departments the administrator's users may report for.
    pub departments: Vec<SeiDepartment>,
    /// The rights per form.
    pub forms: Vec<RightsRequest>,
}

/// The local administrator's self-enrolment (seed SEI §5), signed with their own certificate,
/// which becomes the certificate they log in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiEnrolment {
    /// The hospital's CVR number.
    pub cvr: Cvr,
    /// The administrator's person id.
    pub person: PersonId,
    /// The forms (codes) the administrator asks to administer.
    pub forms: Vec<String>,
}

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
    fn name(&self) -> &'static str {
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
    notification: SignedForm<SeiNotification>,
    notifier: Signer,
    enrolment: Option<(SignedForm<SeiEnrolment>, Signer)>,
    departments: Vec<DepartmentGroup>,
    state: SeiState,
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
        case: CaseId,
        /// The enrolment.
        form: Box<SignedForm<SeiEnrolment>>,
    },
    /// The authority cross-checks notification and enrolment and creates the administrator.
    CrossCheck {
        /// The case.
        case: CaseId,
    },
}

/// Something that happened in an SEI case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeiEvent {
    /// The format version ([`EVENT_VERSION`]).
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// The case.
    pub case: CaseId,
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
    /// The authority found notification and enrolment consistent (directory events follow).
    CrossChecked,
    /// The administrator was created; the host tells them to fetch settings.
    AdministratorCreated {
        /// The administrator.
        administrator: UserId,
        /// The departments and their groups.
        departments: Vec<DepartmentGroup>,
    },
}

/// The SEI procedure: every case, by number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sei {
    cases: BTreeMap<CaseId, SeiCase>,
    next: CaseId,
}

impl Sei {
    /// A case.
    #[must_use]
    pub fn case(&self, case: CaseId) -> Option<&SeiCase> {
        self.cases.get(&case)
    }

    /// Every case, by number.
    pub fn cases(&self) -> impl Iterator<Item = (CaseId, &SeiCase)> {
        self.cases.iter().map(|(id, c)| (*id, c))
    }

    /// Validates `command` and gives the events it produces (SEI and directory events).
    ///
    /// # Errors
    /// A [`Refusal`] naming the rules broken: `WF-FORM-*`, `WF-SEI-*`, `WF-RIGHTS-01`,
    /// `WF-STATE-01`, `WF-ACTOR-01`, and `AUTHZ-*` from the directory.
    pub fn handle(
        &self,
        directory: &Directory,
        forms: &FormVerifier,
        actor: Actor,
        command: &SeiCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, Refusal> {
        let event = |case, change| {
            Event::Sei(SeiEvent {
                version: EVENT_VERSION,
                at,
                case,
                change,
            })
        };
        match command {
            SeiCommand::Notify { form } => {
                let signer = forms.verify(form, at)?;
                let notification = form.form();
                check_signer_organisation(&signer, notification.cvr)?;
                check_departments(&notification.departments)?;
                check_requested_rights(directory, FormKind::SeiForm, &notification.forms)?;
                let change = SeiChange::NotificationReceived {
                    form: form.clone(),
                    signer,
                };
                Ok(vec![event(self.next, change)])
            }
            SeiCommand::Enrol { case, form } => {
                let current = self.cases.get(case);
                let allowed = current
                    .is_some_and(|c| matches!(c.state, SeiState::Notified | SeiState::Enrolled));
                check_transition(*case, current.map(|c| c.state.name()), allowed, "enrol")?;
                let signer = forms.verify(form, at)?;
                check_signer_organisation(&signer, form.form().cvr)?;
                Ok(vec![event(
                    *case,
                    SeiChange::AdministratorEnrolled {
                        form: form.clone(),
                        signer,
                    },
                )])
            }
            SeiCommand::CrossCheck { case } => {
                check_authority(actor, "cross-check")?;
                let current = self.cases.get(case);
                let allowed = current.is_some_and(|c| c.state == SeiState::Enrolled);
                check_transition(
                    *case,
                    current.map(|c| c.state.name()),
                    allowed,
                    "cross-check",
                )?;
                let (Some(current), Some((enrolment, enrolled_by))) =
                    (current, current.and_then(|c| c.enrolment.as_ref()))
                else {
                    return Ok(Vec::new());
                };
                let notification = current.notification.form();
                check_enrolment_matches(notification, enrolment.form())?;
                let chosen: Vec<RightsRequest> = notification
                    .forms
                    .iter()
                    .filter(|f| enrolment.form().forms.contains(&f.form))
                    .cloned()
                    .collect();
                let rights = check_requested_rights(directory, FormKind::SeiForm, &chosen)?;
                let mut scratch = Scratch::new(directory, at);
                let created =
                    create_administrator(&mut scratch, notification, enrolled_by, &chosen, rights)?;
                let mut out = vec![event(*case, SeiChange::CrossChecked)];
                out.extend(scratch.into_events().into_iter().map(Event::Directory));
                if let Some((administrator, departments)) = created {
                    out.push(event(
                        *case,
                        SeiChange::AdministratorCreated {
                            administrator,
                            departments,
                        },
                    ));
                }
                Ok(out)
            }
        }
    }

    /// Applies an SEI event. Never fails: an event is a fact.
    pub fn apply(&mut self, event: &SeiEvent) {
        let case = event.case;
        match &event.change {
            SeiChange::NotificationReceived { form, signer } => {
                self.cases.insert(
                    case,
                    SeiCase {
                        notification: (**form).clone(),
                        notifier: signer.clone(),
                        enrolment: None,
                        departments: Vec::new(),
                        state: SeiState::Notified,
                    },
                );
                self.next = self.next.max(case.next());
            }
            SeiChange::AdministratorEnrolled { form, signer } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.enrolment = Some(((**form).clone(), signer.clone()));
                    c.state = SeiState::Enrolled;
                }
            }
            SeiChange::CrossChecked => {}
            SeiChange::AdministratorCreated {
                administrator,
                departments,
            } => {
                if let Some(c) = self.cases.get_mut(&case) {
                    c.departments.clone_from(departments);
                    c.state = SeiState::AdministratorCreated {
                        administrator: *administrator,
                    };
                }
            }
        }
    }
}

fn hospital_of(shak: ShakCode) -> ShakCode {
    let mut code = shak;
    while code.level() != ShakLevel::Hospital {
        match code.parent() {
            Some(p) => code = p,
            None => break,
        }
    }
    code
}

type Created = Option<(UserId, Vec<DepartmentGroup>)>;

/// Creates (on the scratch directory) the hospital if new, its departments and their groups,
/// the ceiling, and the administrator.
fn create_administrator(
    scratch: &mut Scratch<'_>,
    notification: &SeiNotification,
    enrolled_by: &Signer,
    chosen: &[RightsRequest],
    rights: std::collections::BTreeSet<sundhed_authorisation::RightId>,
) -> Result<Created, Refusal> {
    let cvr = notification.cvr;
    let hospital = notification
        .departments
        .first()
        .map(|d| hospital_of(d.shak));
    let admin_user = NewUser {
        person: notification.local_administrator.person,
        certificates: vec![enrolled_by.holder.clone()],
    };
    let mut admin = None;
    if scratch.directory().organisation(cvr).is_none() {
        let register = DirectoryCommand::RegisterOrganisation {
            cvr,
            name: notification.hospital.clone(),
            department: NewDepartment {
                name: notification.hospital.clone(),
                shak: hospital,
                sor: None,
            },
            primary_admin: admin_user.clone(),
        };
        admin = created_user(scratch.run(Actor::Authority, &register)?);
    }
    let directory = scratch.directory();
    let parent = hospital.and_then(|h| directory.department_by_shak(h));
    let parent_group = admin
        .and_then(|a| directory.user(a))
        .and_then(|u| u.groups().first().copied());
    let mut departments = Vec::new();
    for d in &notification.departments {
        let department = match scratch.directory().department_by_shak(d.shak) {
            Some(id) => id,
            None => {
                let create = DirectoryCommand::CreateDepartment {
                    organisation: cvr,
                    department: NewDepartment {
                        name: d.name.clone(),
                        shak: Some(d.shak),
                        sor: None,
                    },
                    parent,
                };
                scratch.run(Actor::Authority, &create)?;
                scratch
                    .directory()
                    .department_by_shak(d.shak)
                    .ok_or_else(|| {
                        Violation::new(
                            SEI_DEPARTMENTS,
                            format!("department `{}` was not created", d.shak),
                        )
                    })?
            }
        };
        let group = DirectoryCommand::CreateGroup {
            department,
            name: format!("{} {}", d.shak, d.name),
            parent: parent_group,
        };
        let events = scratch.run(Actor::Authority, &group)?;
        if let Some(group) = events.iter().find_map(|e| match e.change {
            sundhed_authorisation::Change::GroupCreated { group, .. } => Some(group),
            _ => None,
        }) {
            departments.push(DepartmentGroup {
                shak: d.shak,
                department,
                group,
            });
        }
    }
    let mut ceiling = rights;
    ceiling.extend(
        scratch
            .directory()
            .organisation(cvr)
            .map(|o| o.ceiling().clone())
            .unwrap_or_default(),
    );
    scratch.run(
        Actor::Authority,
        &DirectoryCommand::SetCeiling {
            organisation: cvr,
            rights: ceiling,
        },
    )?;
    if admin.is_none() {
        let forms: std::collections::BTreeSet<_> = chosen
            .iter()
            .filter_map(|r| scratch.directory().form_by_code(&r.form).map(|f| f.id()))
            .collect();
        let appoint = DirectoryCommand::AppointPrimaryAdmin {
            organisation: cvr,
            appointee: Appointee::New {
                user: admin_user,
                groups: departments.iter().map(|d| d.group).collect(),
            },
            scope: AdminScope {
                departments: ScopeSet::Only(departments.iter().map(|d| d.department).collect()),
                forms: ScopeSet::Only(forms),
            },
        };
        admin = created_user(scratch.run(Actor::Authority, &appoint)?);
    }
    Ok(admin.map(|a| (a, departments)))
}

/// `WF-SEI-01`: a notification names at least one department, each by a department- or
/// section-level SHAK code, all under one hospital, none twice (seed SEI §4: "afdelingskode på
/// den afdeling/de afdelinger").
fn check_departments(departments: &[SeiDepartment]) -> Result<(), Violation> {
    let Some(first) = departments.first() else {
        return Err(Violation::new(
            SEI_DEPARTMENTS,
            "the notification names no department",
        ));
    };
    let hospital = hospital_of(first.shak);
    for (i, d) in departments.iter().enumerate() {
        if d.shak.level() == ShakLevel::Hospital {
            return Err(Violation::new(
                SEI_DEPARTMENTS,
                format!("`{}` is a hospital code, not a department", d.shak),
            ));
        }
        if hospital_of(d.shak) != hospital {
            return Err(Violation::new(
                SEI_DEPARTMENTS,
                format!("`{}` is not under hospital `{hospital}`", d.shak),
            ));
        }
        if departments.iter().take(i).any(|e| e.shak == d.shak) {
            return Err(Violation::new(
                SEI_DEPARTMENTS,
                format!("`{}` is named twice", d.shak),
            ));
        }
    }
    Ok(())
}

/// `WF-SEI-02`: the authority's cross-check (seed SEI §6): the enrolment is for the same
/// hospital and the same person the chief physician named as local administrator, and asks only
/// for forms the notification grants.
fn check_enrolment_matches(
    notification: &SeiNotification,
    enrolment: &SeiEnrolment,
) -> Result<(), Violation> {
    if enrolment.cvr != notification.cvr {
        return Err(Violation::new(
            SEI_CROSS_CHECK,
            format!(
                "the enrolment is for CVR `{}`, the notification for `{}`",
                enrolment.cvr, notification.cvr
            ),
        ));
    }
    if enrolment.person != notification.local_administrator.person {
        return Err(Violation::new(
            SEI_CROSS_CHECK,
            format!(
                "the enrolment is for `{}`, the notification names `{}` as local administrator",
                enrolment.person, notification.local_administrator.person
            ),
        ));
    }
    if enrolment.forms.is_empty() {
        return Err(Violation::new(
            SEI_CROSS_CHECK,
            "the enrolment chooses no form",
        ));
    }
    if let Some(extra) = enrolment
        .forms
        .iter()
        .find(|f| !notification.forms.iter().any(|n| n.form == **f))
    {
        return Err(Violation::new(
            SEI_CROSS_CHECK,
            format!("the enrolment asks for form `{extra}`, which the notification does not grant"),
        ));
    }
    Ok(())
}
