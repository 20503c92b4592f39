//! What every procedure shares: the [`Procedure`] shape (a command is handled into an
//! [`Outcome`] or refused; an event is applied and cannot fail), the cases container, the
//! event version, and the actor and requested-rights rules.

mod cases;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{
    Actor, Change, DepartmentId, Directory, DirectoryEvent, FormKind, GroupId, RightId, UserId,
};
use sundhed_identity::{PersonId, Refusal, RuleId, ShakCode, Violation, shown};

use crate::form::FormVerifier;

pub use cases::{CaseNumber, Cases};
pub(crate) use cases::{case_id, not_possible};

/// `WF-STATE-01`
pub const STATE: RuleId = RuleId::new("WF-STATE-01");
/// `WF-ACTOR-01`
pub const AUTHORITY: RuleId = RuleId::new("WF-ACTOR-01");
/// `WF-RIGHTS-01`
pub const REQUESTED_RIGHTS: RuleId = RuleId::new("WF-RIGHTS-01");
/// `WF-STATE-03`
pub const STEP_CREATED: RuleId = RuleId::new("WF-STATE-03");

/// The version of the procedure events this crate writes and the only one it reads: the
/// directory's [`sundhed_authorisation::EVENT_VERSION`], so one log has one format version.
pub const EVENT_VERSION: u16 = sundhed_authorisation::EVENT_VERSION;

/// A procedure as a state machine, in the shape of cqrs-es's `Aggregate`: a command is
/// validated against the current state and either refused or turned into events, and the
/// state changes only by applying events, which cannot fail (an event is a fact).
///
/// [`Seb`](crate::Seb), [`Sei`](crate::Sei) and [`Users`](crate::Users) are procedures;
/// [`State`](crate::State) joins them with the directory and knows the union of their events.
///
/// # Example
/// ```
/// use sundhed_authorisation::{Actor, Directory};
/// use sundhed_signing::{Policy, TrustAnchor};
/// use sundhed_workflow::{Context, FormVerifier, Procedure, Seb, SebCaseId, SebCommand};
///
/// let root = concat!(env!("CARGO_MANIFEST_DIR"),
///     "/testdata/TRUST2408_Systemtest_VII_Primary_CA.cer");
/// let forms = FormVerifier::new(TrustAnchor::parse_all(&std::fs::read(root)?)?, Policy::oces2_test());
/// let directory = Directory::new();
/// let at = chrono::DateTime::parse_from_rfc3339("2018-06-01T09:00:00Z")?.to_utc();
/// let seb = Seb::default();
/// assert_eq!(seb.next_id(), SebCaseId::new(1));
///
/// // No case is open yet, so there is nothing to approve.
/// let approve = SebCommand::Approve { case: SebCaseId::new(1) };
/// let refusal = seb
///     .handle(Context::new(&directory, &forms), Actor::Authority, &approve, at)
///     .unwrap_err();
/// assert_eq!(refusal.rules()[0].as_str(), "WF-STATE-01");
/// assert!(refusal.to_string().contains("SEB case 1 does not exist"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Procedure {
    /// What the procedure is asked to do.
    type Command;
    /// What happened, in the past tense; what the log keeps.
    type Event;

    /// Validates `command` from `actor` at `at` and gives its outcome: the procedure's own
    /// events and the directory events it causes, in log order. Changes nothing.
    ///
    /// # Errors
    /// A [`Refusal`] naming every rule broken (`WF-*`, with the `SIG-*` and `AUTHZ-*` ids
    /// behind them); `WF-STATE-01` when the case does not exist or its state does not allow
    /// the command.
    fn handle(
        &self,
        context: Context<'_>,
        actor: Actor,
        command: &Self::Command,
        at: DateTime<Utc>,
    ) -> Result<Outcome<Self::Event>, Refusal>;

    /// Applies one of the procedure's events. Never fails.
    fn apply(&mut self, event: &Self::Event);
}

/// What a procedure reads besides its own state: the directory and the form verifier.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    directory: &'a Directory,
    forms: &'a FormVerifier,
}

impl<'a> Context<'a> {
    /// The directory as it is, and the verifier of signed forms.
    #[must_use]
    pub fn new(directory: &'a Directory, forms: &'a FormVerifier) -> Self {
        Self { directory, forms }
    }

    /// The directory.
    #[must_use]
    pub fn directory(&self) -> &'a Directory {
        self.directory
    }

    /// The verifier of signed forms.
    #[must_use]
    pub fn forms(&self) -> &'a FormVerifier {
        self.forms
    }
}

/// One event of an [`Outcome`]: the procedure's own, or a directory event it causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step<E> {
    /// An event of the procedure.
    Procedure(E),
    /// A change to the directory the procedure caused.
    Directory(DirectoryEvent),
}

/// What a procedure's command produces: its own events and the directory events it causes,
/// in the order they are logged and applied (an SEB approval, for example: the approval, the
/// directory changes, then the administrator's notification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome<E> {
    steps: Vec<Step<E>>,
}

impl<E> Default for Outcome<E> {
    fn default() -> Self {
        Self { steps: Vec::new() }
    }
}

impl<E> Outcome<E> {
    /// An outcome starting with the procedure's `event`.
    pub(crate) fn of(event: E) -> Self {
        Self {
            steps: vec![Step::Procedure(event)],
        }
    }

    /// An outcome of directory events only.
    pub(crate) fn of_directory(events: Vec<DirectoryEvent>) -> Self {
        Self::default().then_directory(events)
    }

    /// Adds the procedure's `event` after those so far.
    pub(crate) fn then(mut self, event: E) -> Self {
        self.steps.push(Step::Procedure(event));
        self
    }

    /// Adds directory events after those so far.
    pub(crate) fn then_directory(mut self, events: Vec<DirectoryEvent>) -> Self {
        self.steps.extend(events.into_iter().map(Step::Directory));
        self
    }

    /// The events, in log order.
    #[must_use]
    pub fn steps(&self) -> &[Step<E>] {
        &self.steps
    }

    /// Whether the command produced no event at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The events in log order, each made into one type (the registry's union of events).
    pub fn into_events<U>(
        self,
        mut own: impl FnMut(E) -> U,
        mut directory: impl FnMut(DirectoryEvent) -> U,
    ) -> Vec<U> {
        self.steps
            .into_iter()
            .map(|step| match step {
                Step::Procedure(e) => own(e),
                Step::Directory(e) => directory(e),
            })
            .collect()
    }
}

/// What a procedure step stands for in the directory, to be found among the directory events
/// the step caused (`WF-STATE-03`).
pub(crate) trait Creation {
    /// The id of what was created.
    type Id;
    /// The id, if `change` creates what is meant.
    fn created_by(&self, change: &Change) -> Option<Self::Id>;
    /// What is meant, for a message.
    fn describe(&self) -> String;
}

/// The user for this person (an administrator, an enrolled user).
pub(crate) struct UserFor(pub(crate) PersonId);

impl Creation for UserFor {
    type Id = UserId;
    fn created_by(&self, change: &Change) -> Option<UserId> {
        match change {
            Change::UserCreated { user, person, .. } if *person == self.0 => Some(*user),
            _ => None,
        }
    }
    fn describe(&self) -> String {
        format!("a user for {}", self.0)
    }
}

/// The department with this SHAK code.
pub(crate) struct DepartmentFor(pub(crate) ShakCode);

impl Creation for DepartmentFor {
    type Id = DepartmentId;
    fn created_by(&self, change: &Change) -> Option<DepartmentId> {
        match change {
            Change::DepartmentCreated {
                department, shak, ..
            } if *shak == Some(self.0) => Some(*department),
            _ => None,
        }
    }
    fn describe(&self) -> String {
        format!("department `{}`", self.0)
    }
}

/// The group keyed by this department.
pub(crate) struct GroupFor(pub(crate) DepartmentId);

impl Creation for GroupFor {
    type Id = GroupId;
    fn created_by(&self, change: &Change) -> Option<GroupId> {
        match change {
            Change::GroupCreated {
                group, department, ..
            } if *department == self.0 => Some(*group),
            _ => None,
        }
    }
    fn describe(&self) -> String {
        format!("a group of {}", self.0)
    }
}

/// `WF-STATE-03`: a procedure step that stands for something new in the directory (an SEB
/// approval's administrator, the SEI cross-check's departments, groups and administrator, an
/// enrolment's user) is done only if the directory events it causes create exactly that; it
/// is never logged half done. Gives the id of what was created.
pub(crate) fn check_created<C: Creation>(
    events: &[DirectoryEvent],
    what: &C,
) -> Result<C::Id, Violation> {
    events
        .iter()
        .find_map(|e| what.created_by(&e.change))
        .ok_or_else(|| {
            Violation::new(
                STEP_CREATED,
                format!(
                    "the directory created no {} in this step, so it was not done",
                    what.describe()
                ),
            )
        })
}

/// The rights asked for on one form (SEI) or service (SEB), by code.
///
/// Part of the signed SEB and SEI form schemas: renaming or adding a field is a new schema
/// version (see [`SebForm`](crate::SebForm)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightsRequest {
    /// The form's or service's code, as the authority defined it (e.g. `SEI-TVANG-PSYK`).
    pub form: String,
    /// The codes of the rights (roles) asked for.
    pub rights: Vec<String>,
}

/// `WF-ACTOR-01`: reviewing a case (approve, reject, cross-check, grant a service) is done by
/// the authority alone (seed SEB step 2: Sundhedsdatastyrelsen creates the organisation; seed
/// SEI step 6: Sundhedsstyrelsen checks and creates the administrator).
pub(crate) fn check_authority(actor: Actor, command: &str) -> Result<(), Violation> {
    if actor == Actor::Authority {
        Ok(())
    } else {
        Err(Violation::new(
            AUTHORITY,
            format!("only the authority may `{command}`, not {actor}"),
        ))
    }
}

/// `WF-RIGHTS-01`: a form asks for at least one right, and every form or service and right it
/// names is defined by the authority with the expected kind (SEB service or SEI form). Gives
/// the rights asked for plus each form's administration right, which the organisation's
/// administrators need to hand the others out.
pub(crate) fn check_requested_rights(
    directory: &Directory,
    kind: FormKind,
    requests: &[RightsRequest],
) -> Result<BTreeSet<RightId>, Violation> {
    let mut out = BTreeSet::new();
    for request in requests {
        let form = directory
            .form_by_code(&request.form)
            .filter(|f| f.kind() == kind)
            .ok_or_else(|| {
                Violation::new(
                    REQUESTED_RIGHTS,
                    format!(
                        "no {} `{}` is defined",
                        kind_name(kind),
                        shown(&request.form)
                    ),
                )
            })?;
        for code in &request.rights {
            let right = form.right_by_code(code).ok_or_else(|| {
                Violation::new(
                    REQUESTED_RIGHTS,
                    format!("`{}` has no right `{}`", shown(&request.form), shown(code)),
                )
            })?;
            out.insert(right);
        }
        if let Some(admin) = form.admin_right() {
            out.insert(admin);
        }
    }
    if requests.iter().all(|r| r.rights.is_empty()) {
        return Err(Violation::new(
            REQUESTED_RIGHTS,
            "the form asks for no rights",
        ));
    }
    Ok(out)
}

fn kind_name(kind: FormKind) -> &'static str {
    match kind {
        FormKind::SeiForm => "SEI form",
        FormKind::SebService => "SEB service",
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use sundhed_authorisation::{Actor, Change, DirectoryEvent, UserId};

    use super::{DepartmentFor, GroupFor, UserFor, check_created};

    #[test]
    fn wf_state_03_a_step_whose_user_the_directory_did_not_create_is_refused() {
        let karl = "0707614285".parse().unwrap();
        let sonja = "1506824008".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap();
        let created = |person| {
            DirectoryEvent::new(
                at,
                Actor::Authority,
                Change::UserCreated {
                    user: UserId::new(7),
                    organisation: "29190623".parse().unwrap(),
                    person,
                    certificates: vec![],
                    groups: vec![],
                },
            )
        };
        let violation = check_created(&[], &UserFor(karl)).unwrap_err();
        assert_eq!(violation.rule().as_str(), "WF-STATE-03");
        assert!(!violation.to_string().contains("4285"), "{violation}");
        // Someone else's user does not stand for Karl's.
        let violation = check_created(&[created(sonja)], &UserFor(karl)).unwrap_err();
        assert_eq!(violation.rule().as_str(), "WF-STATE-03");
        assert_eq!(
            check_created(&[created(sonja), created(karl)], &UserFor(karl)),
            Ok(UserId::new(7))
        );
        let shak = "420201".parse().unwrap();
        assert!(check_created(&[created(karl)], &DepartmentFor(shak)).is_err());
        let department = sundhed_authorisation::DepartmentId::new(3);
        assert!(check_created::<GroupFor>(&[], &GroupFor(department)).is_err());
    }
}
