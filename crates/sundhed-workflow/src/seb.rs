//! SEB: an organisation joins with a signed authorisation form; later it adds services and
//! replaces a missing administrator the same way (seed `SEB-elektronisk-brugerstyring.txt`).
//!
//! ```text
//! Submit ──▶ Submitted ──Approve──▶ AwaitingFirstLogin ──FirstLogin──▶ Active
//!                │                   (onboarding, replacement)
//!                ├──Approve──▶ Granted (added service)
//!                └──Reject───▶ Rejected
//! ```
//!
//! `form` holds the signed schema (the bytes people sign, versioned); `state` the states,
//! commands, events and the transition table (`check_state`, `WF-STATE-01`); `handle` what
//! each allowed command does.

mod form;
mod handle;
mod state;

use chrono::{DateTime, Utc};
use sundhed_authorisation::Actor;
use sundhed_identity::{Refusal, RuleId};

use crate::procedure::{Cases, Context, Outcome, Procedure};

pub use form::{Administrator, SebForm};
pub use state::{SebCase, SebCaseId, SebChange, SebCommand, SebEvent, SebState};

/// `WF-SEB-01`
pub const SEB_ORGANISATION: RuleId = RuleId::new("WF-SEB-01");
/// `WF-SEB-02`
pub const SEB_FIRST_LOGIN: RuleId = RuleId::new("WF-SEB-02");
/// `WF-SEB-03`
pub const SEB_REASONS: RuleId = RuleId::new("WF-SEB-03");

/// The SEB procedure: every case, by number ([`Cases::case`], [`Cases::cases`]).
pub type Seb = Cases<SebCaseId, SebCase>;

impl Procedure for Seb {
    type Command = SebCommand;
    type Event = SebEvent;

    /// Validates `command` and gives its outcome: SEB events and the directory events an
    /// approval causes.
    ///
    /// # Errors
    /// A [`Refusal`] naming the rules broken: `WF-FORM-*` (the signature), `WF-SEB-*`,
    /// `WF-RIGHTS-01`, `WF-STATE-01`, `WF-ACTOR-01`, and `AUTHZ-*` from the directory.
    fn handle(
        &self,
        context: Context<'_>,
        actor: Actor,
        command: &SebCommand,
        at: DateTime<Utc>,
    ) -> Result<Outcome<SebEvent>, Refusal> {
        handle::handle(self, context, actor, command, at)
    }

    /// Applies an SEB event. Never fails: an event is a fact.
    fn apply(&mut self, event: &SebEvent) {
        let case = event.case;
        match &event.change {
            SebChange::FormSubmitted { form, signer } => {
                self.open(
                    case,
                    SebCase {
                        form: (**form).clone(),
                        signer: signer.clone(),
                        submitted_at: event.at,
                        state: SebState::Submitted,
                    },
                );
            }
            SebChange::FormApproved => {
                self.update(case, |c| {
                    c.state = SebState::Approved;
                });
            }
            SebChange::AdministratorNotified { administrator, .. } => {
                self.update(case, |c| {
                    c.state = SebState::AwaitingFirstLogin {
                        administrator: *administrator,
                    };
                });
            }
            SebChange::FormRejected { reasons } => {
                self.update(case, |c| {
                    c.state = SebState::Rejected {
                        reasons: reasons.clone(),
                    };
                });
            }
            SebChange::ServiceGranted { .. } => {
                self.update(case, |c| {
                    c.state = SebState::Granted;
                });
            }
            SebChange::AdministratorActivated { administrator, .. } => {
                self.update(case, |c| {
                    c.state = SebState::Active {
                        administrator: *administrator,
                    };
                });
            }
        }
    }
}
