//! Handling SEI commands: the notification, the self-enrolment, the authority's cross-check
//! (the directory changes it makes); and the SEI rules about the forms' contents (the rules
//! about their signers are in `signers`).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sundhed_authorisation::{
    Actor, AdminScope, Appointee, Batch, DirectoryCommand, FormKind, NewDepartment, NewUser,
    RightId, ScopeSet, UserId,
};
use sundhed_identity::{Cvr, Refusal, ShakCode, ShakLevel, Violation, shown};

use super::form::{SeiDepartment, SeiEnrolment, SeiNotification};
use super::signers::{
    check_attestation_binds, check_attested, check_enrolled_by_named, check_notified_by_chief,
    check_signers, check_two_people,
};
use super::state::{DepartmentGroup, SeiChange, SeiCommand, SeiEvent, Transition, check_state};
use super::{SEI_ANSWERS_NOTIFICATION, SEI_CROSS_CHECK, SEI_DEPARTMENTS, Sei};
use crate::form::{EarlierForm, Signer, check_not_replayed, check_signer_organisation};
use crate::procedure::{
    Context, DepartmentFor, EVENT_VERSION, GroupFor, Outcome, RightsRequest, UserFor,
    check_authority, check_created, check_requested_rights,
};

/// Validates `command` (see [`Procedure::handle`](crate::Procedure::handle)).
pub(super) fn handle(
    sei: &Sei,
    context: Context<'_>,
    actor: Actor,
    command: &SeiCommand,
    at: DateTime<Utc>,
) -> Result<Outcome<SeiEvent>, Refusal> {
    let event = |case, change| SeiEvent {
        version: EVENT_VERSION,
        at,
        case,
        change,
    };
    if let SeiCommand::CrossCheck { .. } = command {
        check_authority(actor, "cross-check")?;
    }
    match check_state(sei, command)? {
        Transition::Open { form } => {
            let signer = context.forms().verify(form, at)?;
            check_not_replayed(
                &signer,
                sei.cases().map(|(id, case)| EarlierForm {
                    case: id.to_string(),
                    form: case.notifier().form,
                    rejected: false,
                }),
            )?;
            let notification = form.form();
            check_signer_organisation(&signer, notification.cvr)?;
            check_notified_by_chief(notification, &signer)?;
            check_two_people(notification, &signer, None)?;
            check_departments(&notification.departments)?;
            check_requested_rights(context.directory(), FormKind::SeiForm, &notification.forms)?;
            let change = SeiChange::NotificationReceived {
                form: Box::new(form.clone()),
                signer,
            };
            Ok(Outcome::of(event(sei.next_id(), change)))
        }
        Transition::Enrol {
            id,
            form,
            notification,
            notifier,
        } => {
            let signer = context.forms().verify(form, at)?;
            check_not_replayed(
                &signer,
                sei.cases().flat_map(|(id, case)| {
                    case.enrolments_received()
                        .iter()
                        .map(move |form| EarlierForm {
                            case: id.to_string(),
                            form: *form,
                            rejected: false,
                        })
                }),
            )?;
            check_signer_organisation(&signer, form.form().cvr)?;
            check_answers_notification(form.form(), notifier)?;
            check_enrolled_by_named(notification, &signer)?;
            check_two_people(notification, notifier, Some(&signer))?;
            let change = SeiChange::AdministratorEnrolled {
                form: Box::new(form.clone()),
                signer,
            };
            Ok(Outcome::of(event(id, change)))
        }
        Transition::CrossCheck {
            id,
            notification,
            notifier,
            enrolment,
            enrolled_by,
            attestation,
        } => {
            let directory = context.directory();
            check_enrolment_matches(notification, enrolment)?;
            check_answers_notification(enrolment, notifier)?;
            let compared = check_signers(notification, notifier, enrolled_by)?;
            // The enrolment's chain was verified when it was received, at its event's time.
            let attestation = check_attested(attestation, enrolled_by.verified_at, at)?;
            check_attestation_binds(attestation, enrolled_by, notification)?;
            let chosen: Vec<RightsRequest> = notification
                .forms
                .iter()
                .filter(|f| enrolment.forms.contains(&f.form))
                .cloned()
                .collect();
            let rights = check_requested_rights(directory, FormKind::SeiForm, &chosen)?;
            let mut batch = directory.batch(at);
            let (administrator, departments) =
                create_administrator(&mut batch, notification, enrolled_by, &chosen, rights)?;
            let created = SeiChange::AdministratorCreated {
                administrator,
                departments,
            };
            let checked = SeiChange::CrossChecked {
                chief_physician: compared.chief_physician,
                local_administrator: compared.local_administrator,
                attestation: attestation.clone(),
            };
            Ok(Outcome::of(event(id, checked))
                .then_directory(batch.into_events())
                .then(event(id, created)))
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

type Created = (UserId, Vec<DepartmentGroup>);

/// Creates (in the batch) the hospital if new, its departments and their groups,
/// the ceiling, and the administrator: the person the notification names (whom the host's CPR
/// attestation gave for the enrolment's certificate, `WF-SEI-07`), logging in with the
/// certificate that signed the enrolment and no other.
fn create_administrator(
    batch: &mut Batch<'_>,
    notification: &SeiNotification,
    enrolled_by: &Signer,
    chosen: &[RightsRequest],
    rights: BTreeSet<RightId>,
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
    if batch.organisation(cvr).is_none() {
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
        admin = Some(check_created(
            batch.handle(Actor::Authority, &register)?,
            &UserFor(notification.local_administrator.person),
        )?);
    }
    let parent = hospital.and_then(|h| batch.department_by_shak(h));
    let parent_group = admin
        .and_then(|a| batch.user(a))
        .and_then(|u| u.groups().first().copied());
    let mut departments = Vec::new();
    for d in &notification.departments {
        let department = match batch.department_by_shak(d.shak) {
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
                check_created(
                    batch.handle(Actor::Authority, &create)?,
                    &DepartmentFor(d.shak),
                )?
            }
        };
        let group = DirectoryCommand::CreateGroup {
            department,
            name: format!("{} {}", d.shak, d.name),
            parent: parent_group,
        };
        let group = check_created(
            batch.handle(Actor::Authority, &group)?,
            &GroupFor(department),
        )?;
        departments.push(DepartmentGroup {
            shak: d.shak,
            department,
            group,
        });
    }
    let mut ceiling = rights;
    ceiling.extend(
        batch
            .organisation(cvr)
            .map(|o| o.ceiling().clone())
            .unwrap_or_default(),
    );
    batch.handle(
        Actor::Authority,
        &DirectoryCommand::SetCeiling {
            organisation: cvr,
            rights: ceiling,
        },
    )?;
    let admin = match admin {
        Some(admin) => admin,
        None => appoint_administrator(batch, cvr, admin_user, chosen, &departments)?,
    };
    Ok((admin, departments))
}

/// Appoints the enrolled administrator in a hospital already in the directory, scoped to the
/// notification's departments and the chosen forms.
fn appoint_administrator(
    batch: &mut Batch<'_>,
    cvr: Cvr,
    admin_user: NewUser,
    chosen: &[RightsRequest],
    departments: &[DepartmentGroup],
) -> Result<UserId, Refusal> {
    let person = admin_user.person;
    let forms: BTreeSet<_> = chosen
        .iter()
        .filter_map(|r| batch.form_by_code(&r.form).map(|f| f.id()))
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
    Ok(check_created(
        batch.handle(Actor::Authority, &appoint)?,
        &UserFor(person),
    )?)
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

/// `WF-SEI-08`: the enrolment answers this case's notification: the notification digest it
/// carries is the digest of the signed bytes of the notification that opened the case (seed SEI
/// §5: the local administrator enrols in answer to the information the chief physician sent
/// under §4; §6: the authority checks that the two agree). An enrolment signed for one
/// notification cannot be carried into another case, where another notification could name
/// other departments. Checked when the enrolment comes and again at the cross-check.
fn check_answers_notification(
    enrolment: &SeiEnrolment,
    notifier: &Signer,
) -> Result<(), Violation> {
    if enrolment.notification == notifier.form {
        Ok(())
    } else {
        Err(Violation::new(
            SEI_ANSWERS_NOTIFICATION,
            format!(
                "the enrolment answers notification `{}`, this case's notification is `{}`",
                enrolment.notification, notifier.form
            ),
        ))
    }
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
            format!(
                "the enrolment asks for form `{}`, which the notification does not grant",
                shown(extra)
            ),
        ));
    }
    Ok(())
}
