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
//!
//! `form` holds the signed schemas (the bytes people sign, versioned); `state` the states,
//! commands, events and the transition table (`check_state`, `WF-STATE-01`); `handle` what
//! each allowed command does; `signers` binds the forms to the people they name
//! (`WF-SEI-03` to `WF-SEI-07`: the chief physician signs the notification, another person,
//! the named administrator, the enrolment with another certificate, and the host's CPR
//! attestation binds that certificate to the administrator's person). An enrolment names the
//! notification it answers (`WF-SEI-08`), and its signed bytes are used once (`WF-FORM-06`).

mod form;
mod handle;
mod signers;
mod state;

use chrono::{DateTime, Utc};
use sundhed_authorisation::Actor;
use sundhed_identity::{Refusal, RuleId};

use crate::procedure::{Cases, Context, Outcome, Procedure};

pub use form::{NamedPerson, SeiDepartment, SeiEnrolment, SeiNotification};
pub use signers::{CprAttestation, NameMatch};
pub use state::{DepartmentGroup, SeiCase, SeiCaseId, SeiChange, SeiCommand, SeiEvent, SeiState};

/// `WF-SEI-01`
pub const SEI_DEPARTMENTS: RuleId = RuleId::new("WF-SEI-01");
/// `WF-SEI-02`
pub const SEI_CROSS_CHECK: RuleId = RuleId::new("WF-SEI-02");
/// `WF-SEI-03`
pub const SEI_CHIEF_SIGNS: RuleId = RuleId::new("WF-SEI-03");
/// `WF-SEI-04`
pub const SEI_ENROLLED_BY_NAMED: RuleId = RuleId::new("WF-SEI-04");
/// `WF-SEI-05`
pub const SEI_TWO_SIGNERS: RuleId = RuleId::new("WF-SEI-05");
/// `WF-SEI-06`
pub const SEI_ATTESTATION: RuleId = RuleId::new("WF-SEI-06");
/// `WF-SEI-07`
pub const SEI_ATTESTED_PERSON: RuleId = RuleId::new("WF-SEI-07");
/// `WF-SEI-08`
pub const SEI_ANSWERS_NOTIFICATION: RuleId = RuleId::new("WF-SEI-08");

/// The SEI procedure: every case, by number ([`Cases::case`], [`Cases::cases`]).
pub type Sei = Cases<SeiCaseId, SeiCase>;

impl Procedure for Sei {
    type Command = SeiCommand;
    type Event = SeiEvent;

    /// Validates `command` and gives its outcome: SEI events and the directory events a
    /// cross-check causes.
    ///
    /// # Errors
    /// A [`Refusal`] naming the rules broken: `WF-FORM-*`, `WF-SEI-*`, `WF-RIGHTS-01`,
    /// `WF-STATE-01`, `WF-ACTOR-01`, and `AUTHZ-*` from the directory.
    fn handle(
        &self,
        context: Context<'_>,
        actor: Actor,
        command: &SeiCommand,
        at: DateTime<Utc>,
    ) -> Result<Outcome<SeiEvent>, Refusal> {
        handle::handle(self, context, actor, command, at)
    }

    /// Applies an SEI event. Never fails: an event is a fact.
    fn apply(&mut self, event: &SeiEvent) {
        let case = event.case;
        match &event.change {
            SeiChange::NotificationReceived { form, signer } => {
                self.open(
                    case,
                    SeiCase {
                        notification: (**form).clone(),
                        notifier: signer.clone(),
                        enrolment: None,
                        enrolments: Vec::new(),
                        departments: Vec::new(),
                        state: SeiState::Notified,
                    },
                );
            }
            SeiChange::AdministratorEnrolled { form, signer } => {
                self.update(case, |c| {
                    c.enrolments.push(signer.form);
                    c.enrolment = Some(((**form).clone(), signer.clone()));
                    c.state = SeiState::Enrolled;
                });
            }
            SeiChange::CrossChecked { .. } => {}
            SeiChange::AdministratorCreated {
                administrator,
                departments,
            } => {
                self.update(case, |c| {
                    c.departments.clone_from(departments);
                    c.state = SeiState::AdministratorCreated {
                        administrator: *administrator,
                    };
                });
            }
        }
    }
}
