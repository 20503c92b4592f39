//! Handling SEB commands: submitting, approving (the directory changes an approval makes),
//! rejecting, the first login; and the SEB rules.

use chrono::{DateTime, Utc};
use sundhed_authorisation::{
    Actor, AdminScope, Appointee, Batch, Directory, DirectoryCommand, FormKind, NewDepartment,
    NewUser, UserId,
};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, Refusal, Violation, shown};

use super::form::{Administrator, SebForm};
use super::state::{SebCaseId, SebChange, SebCommand, SebEvent, SebState, Transition, check_state};
use super::{SEB_FIRST_LOGIN, SEB_ORGANISATION, SEB_REASONS, Seb};
use crate::form::{EarlierForm, check_not_replayed, check_signer_organisation};
use crate::login::{check_login_organisation, log_in};
use crate::procedure::{
    Context, EVENT_VERSION, Outcome, UserFor, check_authority, check_created,
    check_requested_rights,
};

/// Validates `command` (see [`Procedure::handle`](crate::Procedure::handle)).
pub(super) fn handle(
    seb: &Seb,
    context: Context<'_>,
    actor: Actor,
    command: &SebCommand,
    at: DateTime<Utc>,
) -> Result<Outcome<SebEvent>, Refusal> {
    let event = |case, change| SebEvent {
        version: EVENT_VERSION,
        at,
        case,
        change,
    };
    if let Some(review) = reviewed(command) {
        check_authority(actor, review)?;
    }
    match check_state(seb, command)? {
        Transition::Open { form } => {
            let directory = context.directory();
            let signer = context.forms().verify(form, at)?;
            check_signer_organisation(&signer, form.form().cvr())?;
            check_organisation(directory, form.form())?;
            if let SebForm::Onboarding { services, .. } | SebForm::AddService { services, .. } =
                form.form()
            {
                check_requested_rights(directory, FormKind::SebService, services)?;
            }
            check_not_replayed(
                &signer,
                seb.cases().map(|(id, case)| EarlierForm {
                    case: id.to_string(),
                    form: case.signer().form,
                    rejected: matches!(case.state(), SebState::Rejected { .. }),
                }),
            )?;
            let change = SebChange::FormSubmitted {
                form: Box::new(form.clone()),
                signer,
            };
            Ok(Outcome::of(event(seb.next_id(), change)))
        }
        Transition::Approve { id, form } => approve(context.directory(), id, form, at),
        Transition::Reject { id, reasons } => {
            check_rejection_reasons(reasons)?;
            let reasons = reasons.to_vec();
            Ok(Outcome::of(event(id, SebChange::FormRejected { reasons })))
        }
        Transition::FirstLogin {
            id,
            form,
            administrator,
            certificate,
        } => {
            check_login_organisation(certificate, form.cvr())?;
            check_first_login_certificate(form, certificate.holder(), None, administrator)?;
            let login = log_in(context.directory(), context.forms(), certificate, at)?;
            let user = Some(login.user());
            check_first_login_certificate(form, certificate.holder(), user, administrator)?;
            let change = SebChange::AdministratorActivated {
                administrator,
                certificate: certificate.holder().clone(),
            };
            Ok(Outcome::of(event(id, change)))
        }
    }
}

/// The commands only the authority gives (`WF-ACTOR-01`), by name.
fn reviewed(command: &SebCommand) -> Option<&'static str> {
    match command {
        SebCommand::Approve { .. } => Some("approve"),
        SebCommand::Reject { .. } => Some("reject"),
        SebCommand::Submit { .. } | SebCommand::FirstLogin { .. } => None,
    }
}

/// The approval of a submitted form: `FormApproved`, then the directory events it causes,
/// then what they gave (the administrator notified, or the services granted).
fn approve(
    directory: &Directory,
    id: SebCaseId,
    form: &SebForm,
    at: DateTime<Utc>,
) -> Result<Outcome<SebEvent>, Refusal> {
    let event = |change| SebEvent {
        version: EVENT_VERSION,
        at,
        case: id,
        change,
    };
    let mut batch = directory.batch(at);
    let last = match form {
        SebForm::Onboarding {
            organisation,
            cvr,
            sor,
            administrator,
            services,
        } => {
            let rights = check_requested_rights(directory, FormKind::SebService, services)?;
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
            let admin = check_created(
                batch.handle(Actor::Authority, &register)?,
                &UserFor(administrator.person),
            )?;
            let ceiling = DirectoryCommand::SetCeiling {
                organisation: *cvr,
                rights,
            };
            batch.handle(Actor::Authority, &ceiling)?;
            notified(admin, administrator)
        }
        SebForm::AddService { cvr, services } => {
            let mut rights = check_requested_rights(directory, FormKind::SebService, services)?;
            check_organisation(directory, form)?;
            rights.extend(
                directory
                    .organisation(*cvr)
                    .map(|o| o.ceiling().clone())
                    .unwrap_or_default(),
            );
            let ceiling = DirectoryCommand::SetCeiling {
                organisation: *cvr,
                rights: rights.clone(),
            };
            batch.handle(Actor::Authority, &ceiling)?;
            SebChange::ServiceGranted { rights }
        }
        SebForm::ReplaceAdministrator {
            cvr,
            administrator,
            replaces,
        } => {
            check_organisation(directory, form)?;
            let admin = replace_administrator(&mut batch, *cvr, administrator, replaces.as_ref())?;
            notified(admin, administrator)
        }
    };
    Ok(Outcome::of(event(SebChange::FormApproved))
        .then_directory(batch.into_events())
        .then(event(last)))
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

fn replace_administrator(
    batch: &mut Batch<'_>,
    cvr: Cvr,
    administrator: &Administrator,
    replaces: Option<&PersonId>,
) -> Result<UserId, Refusal> {
    let old = replaces
        .and_then(|p| batch.user_by_person(cvr, *p))
        .filter(|u| {
            batch
                .organisation(cvr)
                .is_some_and(|o| o.primary_admins().contains_key(u))
        });
    let group = old
        .into_iter()
        .chain(batch.users_of(cvr).iter().copied())
        .find_map(|u| batch.user(u).and_then(|u| u.groups().first().copied()));
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
    Ok(check_created(
        batch.handle(Actor::Authority, &command)?,
        &UserFor(administrator.person),
    )?)
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
/// organisation), and that certificate logs in (`logged_in_as`, once known) as the
/// administrator the approval created for this case, not as another user.
fn check_first_login_certificate(
    form: &SebForm,
    holder: &CertificateHolderId,
    logged_in_as: Option<UserId>,
    administrator: UserId,
) -> Result<(), Violation> {
    match form.administrator() {
        Some(a) if a.certificate != *holder => Err(Violation::new(
            SEB_FIRST_LOGIN,
            format!(
                "the form names certificate `{}`, not `{}`",
                shown(&a.certificate.to_string()),
                shown(&holder.to_string())
            ),
        )),
        Some(_) => match logged_in_as {
            Some(user) if user != administrator => Err(Violation::new(
                SEB_FIRST_LOGIN,
                format!(
                    "the certificate logs in as {user}, not as the case's administrator {administrator}"
                ),
            )),
            _ => Ok(()),
        },
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
