//! Coercion reports as the reporter's client sends them (seed SEI §3: the employee certificate
//! signs the data sent): the reporter Sonja Bach created in the first SEI department with the
//! reporting right, a made-up report naming a patient, and the signed [`Submission`] around it.

use sundhed_authorisation::{Actor, GrantSpec, NewUser, UserId};
use sundhed_identity::ShakCode;
use sundhed_workflow::{
    Bytes, Command, DepartmentGroup, Event, EventLog, Registry, SeiCaseId, Submission, UserCommand,
};

use crate::error::TestkitError;
use crate::oces::{Cast, at};
use crate::onboarding::{TVANG, person};

/// The reporter's (Sonja Bach's) CPR number, made up.
pub const REPORTER_CPR: &str = "2112851113";

/// The patient's CPR number the test reports name, made up: it must never reach the log.
pub const PATIENT_CPR: &str = "0309724455";

/// The right a coercion report is sent under.
pub const REPORT_RIGHT: &str = "INDBERET";

/// A made-up coercion report, the `n`th: opaque to the registry, naming a patient by CPR.
#[must_use]
pub fn coercion_report_payload(n: u32) -> Vec<u8> {
    format!(
        r#"{{"indberetning":{n},"patient":"{PATIENT_CPR}","tvang":"bæltefiksering","start":"2018-06-01T09:30"}}"#
    )
    .into_bytes()
}

/// A coercion report (`SEI-TVANG-PSYK`, `INDBERET`) for the department `shak`.
#[must_use]
pub fn coercion_report(shak: ShakCode, payload: Vec<u8>) -> Submission {
    Submission {
        form: TVANG.into(),
        right: REPORT_RIGHT.into(),
        department: shak,
        payload: Bytes::new(payload),
    }
}

/// The SEI administrator of `case` creates the reporter Sonja Bach (`cast.reporter`'s holder
/// id, [`REPORTER_CPR`]) at `minutes`, in the group of the case's first department with the
/// reporting right on it. She has not acknowledged the duty of confidentiality yet. Gives her
/// user and the department.
///
/// # Errors
/// The case or its first department is missing, or the registry refuses the creation.
pub fn sei_reporter(
    registry: &mut Registry<impl EventLog<Event>>,
    cast: &Cast,
    case: SeiCaseId,
    admin: UserId,
    minutes: i64,
) -> Result<(UserId, DepartmentGroup), TestkitError> {
    let missing = |what: &str| TestkitError::Unexpected(format!("no {what} in SEI case {case}"));
    let department = registry
        .state()
        .sei()
        .case(case)
        .and_then(|c| c.departments().first().copied())
        .ok_or_else(|| missing("department"))?;
    let report = registry
        .directory()
        .form_by_code(TVANG)
        .and_then(|f| f.right_by_code(REPORT_RIGHT))
        .ok_or_else(|| missing("reporting right"))?;
    let create = UserCommand::Create {
        user: NewUser {
            person: person(REPORTER_CPR)?,
            certificates: vec![cast.reporter.holder.clone()],
        },
        groups: vec![department.group],
        parent: None,
        grants: vec![GrantSpec::new(report, department.department)],
    };
    let events =
        registry.handle_unverified(Actor::User(admin), &Command::Users(create), at(minutes))?;
    let user = events
        .iter()
        .find_map(|e| match e {
            Event::Directory(d) => match &d.change {
                sundhed_authorisation::Change::UserCreated { user, .. } => Some(*user),
                _ => None,
            },
            _ => None,
        })
        .ok_or_else(|| missing("reporter created"))?;
    Ok((user, department))
}
