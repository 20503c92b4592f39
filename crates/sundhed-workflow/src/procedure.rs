//! What every procedure shares: case ids, state and actor rules, requested rights, and running
//! directory commands whose events the procedure emits.

use core::fmt;
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{Actor, Directory, DirectoryCommand, FormKind, RightId};
use sundhed_identity::RuleId;

use sundhed_identity::{Refusal, Violation};

/// `WF-STATE-01`
pub const STATE: RuleId = RuleId::new("WF-STATE-01");
/// `WF-ACTOR-01`
pub const AUTHORITY: RuleId = RuleId::new("WF-ACTOR-01");
/// `WF-RIGHTS-01`
pub const REQUESTED_RIGHTS: RuleId = RuleId::new("WF-RIGHTS-01");

/// The number of a case (an SEB application or an SEI notification), assigned in order when
/// the case is opened; the event carries it, so replay gives the same numbers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(u32);

impl CaseId {
    /// The case with this number (build one yourself only to refer to an existing case).
    #[must_use]
    pub const fn new(n: u32) -> Self {
        Self(n)
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    pub(crate) fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl Default for CaseId {
    /// The first case: number 1.
    fn default() -> Self {
        Self(1)
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "case {}", self.0)
    }
}

impl fmt::Debug for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseId({})", self.0)
    }
}

/// The rights asked for on one form (SEI) or service (SEB), by code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsRequest {
    /// The form's or service's code, as the authority defined it (e.g. `SEI-TVANG-PSYK`).
    pub form: String,
    /// The codes of the rights (roles) asked for.
    pub rights: Vec<String>,
}

/// `WF-STATE-01`: a command is accepted only for an existing case in a state that allows it
/// (approve only what was submitted, activate only what was approved, …).
pub(crate) fn check_transition(
    case: CaseId,
    state: Option<&str>,
    allowed: bool,
    command: &str,
) -> Result<(), Violation> {
    match state {
        None => Err(Violation::new(STATE, format!("{case} does not exist"))),
        Some(_) if allowed => Ok(()),
        Some(state) => Err(Violation::new(
            STATE,
            format!("{case} is {state}, where `{command}` is not possible"),
        )),
    }
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
                    format!("no {} `{}` is defined", kind_name(kind), request.form),
                )
            })?;
        for code in &request.rights {
            let right = form.right_by_code(code).ok_or_else(|| {
                Violation::new(
                    REQUESTED_RIGHTS,
                    format!("`{}` has no right `{code}`", request.form),
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

/// Directory commands run one after another on a scratch copy, collecting their events; the
/// directory itself changes only when the procedure's events are applied.
pub(crate) struct Scratch<'a> {
    base: &'a Directory,
    copy: Option<Directory>,
    events: Vec<sundhed_authorisation::DirectoryEvent>,
    at: DateTime<Utc>,
}

impl<'a> Scratch<'a> {
    pub(crate) fn new(base: &'a Directory, at: DateTime<Utc>) -> Self {
        Self {
            base,
            copy: None,
            events: Vec::new(),
            at,
        }
    }

    /// The directory as it would be after the commands run so far.
    pub(crate) fn directory(&mut self) -> &Directory {
        self.settle();
        self.copy.as_ref().unwrap_or(self.base)
    }

    /// Runs one command; its events are kept and returned.
    pub(crate) fn run(
        &mut self,
        actor: Actor,
        command: &DirectoryCommand,
    ) -> Result<&[sundhed_authorisation::DirectoryEvent], Refusal> {
        let start = self.events.len();
        let new = match &mut self.copy {
            None if self.events.is_empty() => self.base.handle(actor, command, self.at)?,
            None => {
                let mut copy = self.base.clone();
                copy.apply_all(&self.events);
                let new = copy.execute(actor, command, self.at)?;
                self.copy = Some(copy);
                new
            }
            Some(copy) => copy.execute(actor, command, self.at)?,
        };
        self.events.extend(new);
        Ok(self.events.get(start..).unwrap_or(&[]))
    }

    fn settle(&mut self) {
        if self.copy.is_none() && !self.events.is_empty() {
            let mut copy = self.base.clone();
            copy.apply_all(&self.events);
            self.copy = Some(copy);
        }
    }

    pub(crate) fn into_events(self) -> Vec<sundhed_authorisation::DirectoryEvent> {
        self.events
    }
}
