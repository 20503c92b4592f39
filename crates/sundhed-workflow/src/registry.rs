//! The registry: the directory and every procedure, changed only by logged events. The one
//! place that knows the union of the procedures' commands and events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{
    AccessRequest, Actor, Decision, Directory, DirectoryCommand, DirectoryEvent,
};
use sundhed_identity::{Refusal, RuleId, Violation};
use sundhed_signing::VerifiedChain;

use crate::event_log::{EventLog, Head, LogError};
use crate::form::{FormVerifier, SignedForm};
use crate::login::{Login, LoginCertificate, check_login_required, check_still_logged_in, log_in};
use crate::procedure::{Context, Procedure};
use crate::seb::{Seb, SebCommand, SebEvent};
use crate::sei::{Sei, SeiCommand, SeiEvent};
use crate::submission::{Receipt, Submission, SubmissionEvent, Submissions};
use crate::users::{UserCommand, UserEvent, Users};

/// `WF-STATE-02`
pub const CHANGES: RuleId = RuleId::new("WF-STATE-02");
/// `WF-STATE-04`
pub const FORWARD: RuleId = RuleId::new("WF-STATE-04");

/// One logged event. Replaying them in order through [`State::apply`] rebuilds the directory
/// and every procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stream", content = "event")]
pub enum Event {
    /// A change to the directory.
    Directory(DirectoryEvent),
    /// A step of an SEB case.
    Seb(SebEvent),
    /// A step of an SEI case.
    Sei(SeiEvent),
    /// A step of user enrolment (activation codes, settings).
    Users(UserEvent),
    /// A signed submission received (digests only, never the content).
    Submissions(SubmissionEvent),
}

impl Event {
    /// When it happened.
    #[must_use]
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Directory(e) => e.at,
            Self::Seb(e) => e.at,
            Self::Sei(e) => e.at,
            Self::Users(e) => e.at,
            Self::Submissions(e) => e.at,
        }
    }

    /// The directory event, if it is one.
    #[must_use]
    pub fn directory(&self) -> Option<&DirectoryEvent> {
        match self {
            Self::Directory(e) => Some(e),
            _ => None,
        }
    }
}

/// A command to the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// A directory command (define forms, grant, revoke, appoint and remove co-admins, …).
    Directory(DirectoryCommand),
    /// A step of an SEB case.
    Seb(SebCommand),
    /// A step of an SEI case.
    Sei(SeiCommand),
    /// Creating users, activation codes, settings, confidentiality.
    Users(UserCommand),
}

/// Everything the events build: the directory and the state of every procedure.
///
/// Two states built from the same events are equal, whether live or replayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    directory: Directory,
    seb: Seb,
    sei: Sei,
    users: Users,
    submissions: Submissions,
    latest: Option<DateTime<Utc>>,
}

impl State {
    /// The empty state.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory.
    #[must_use]
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// The SEB cases.
    #[must_use]
    pub fn seb(&self) -> &Seb {
        &self.seb
    }

    /// The SEI cases.
    #[must_use]
    pub fn sei(&self) -> &Sei {
        &self.sei
    }

    /// Activation codes and fetched settings.
    #[must_use]
    pub fn users(&self) -> &Users {
        &self.users
    }

    /// The signed submissions received.
    #[must_use]
    pub fn submissions(&self) -> &Submissions {
        &self.submissions
    }

    /// Logs the certificate of `chain` in at `at`, trusting what `forms` trusts: see
    /// [`Registry::login`], which passes the registry's own verifier.
    pub(crate) fn login(
        &self,
        forms: &FormVerifier,
        chain: &VerifiedChain,
        at: DateTime<Utc>,
    ) -> Result<Login, Refusal> {
        log_in(
            &self.directory,
            forms,
            &LoginCertificate::from_chain(chain)?,
            at,
        )
    }

    /// Validates `command` from `actor` at `at` and gives its events in log order, changing
    /// nothing.
    ///
    /// # Errors
    /// The [`Refusal`] of the procedure or the directory; `WF-STATE-04` when the command is
    /// dated before the latest event; `WF-STATE-02` when the command
    /// would change nothing (no event); `AUTHZ-STATE-01` when its directory events do not run
    /// on from the directory's version (a procedure that handled two directory commands on
    /// the same state instead of a batch: never applied to a state they were not computed on).
    pub fn handle(
        &self,
        forms: &FormVerifier,
        actor: Actor,
        command: &Command,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, Refusal> {
        check_forward(self.latest, at)?;
        let context = Context::new(&self.directory, forms);
        let events = match command {
            Command::Directory(c) => self
                .directory
                .handle(actor, c, at)?
                .into_iter()
                .map(Event::Directory)
                .collect(),
            Command::Seb(c) => self
                .seb
                .handle(context, actor, c, at)?
                .into_events(Event::Seb, Event::Directory),
            Command::Sei(c) => self
                .sei
                .handle(context, actor, c, at)?
                .into_events(Event::Sei, Event::Directory),
            Command::Users(c) => self
                .users
                .handle(context, actor, c, at)?
                .into_events(Event::Users, Event::Directory),
        };
        check_changes(&events)?;
        self.directory
            .check_fresh(events.iter().filter_map(Event::directory))?;
        Ok(events)
    }

    /// Decides a signed submission received at `at` and gives the event that records it (in
    /// the [`Event::Submissions`] stream),
    /// changing nothing: see [`Registry::receive`].
    ///
    /// # Errors
    /// As [`Registry::receive`].
    pub fn receive(
        &self,
        forms: &FormVerifier,
        signed: &SignedForm<Submission>,
        at: DateTime<Utc>,
    ) -> Result<SubmissionEvent, Refusal> {
        check_forward(self.latest, at)?;
        let (signer, chain) = forms.verify_with_chain(signed, at)?;
        let login = log_in(
            &self.directory,
            forms,
            &LoginCertificate::from_chain(&chain)?,
            at,
        )?;
        Ok(self
            .submissions
            .decide(&self.directory, signed.form(), &signer, &login, at)?)
    }

    /// Applies one event. Never fails: an event is a fact.
    pub fn apply(&mut self, event: &Event) {
        let at = event.at();
        self.latest = Some(self.latest.map_or(at, |latest| latest.max(at)));
        match event {
            Event::Directory(e) => self.directory.apply(e),
            Event::Seb(e) => self.seb.apply(e),
            Event::Sei(e) => self.sei.apply(e),
            Event::Users(e) => self.users.apply(e),
            Event::Submissions(e) => self.submissions.apply(e),
        }
    }

    /// Rebuilds the state from a log: verifies every record, then applies the events in order.
    /// Each directory event must apply to the directory version replay has reached (its
    /// `applies_to`, `AUTHZ-STATE-01`), as in every log the registry writes.
    ///
    /// # Errors
    /// The [`LogError`] of the log's verification (`WF-LOG-*`), `WF-LOG-08` when its times run
    /// backwards, and [`LogError::OffVersion`] (`AUTHZ-STATE-01`) when a directory event names
    /// another directory version.
    pub fn replay<L: EventLog<Event>>(log: &L) -> Result<Self, LogError> {
        let mut state = Self::new();
        for record in log.read_from(1)? {
            check_in_time_order(state.latest, record.seq(), record.event().at())?;
            if let Event::Directory(event) = record.event() {
                state
                    .directory
                    .check_fresh(core::slice::from_ref(event))
                    .map_err(|reason| LogError::OffVersion {
                        seq: record.seq(),
                        reason,
                    })?;
            }
            state.apply(record.event());
        }
        Ok(state)
    }
}

/// `WF-STATE-04`: the log moves forward in time: a command or submission dated before the
/// latest logged event (of any procedure or the directory) is refused, so the log's order is
/// the order of time and no step is dated before what the log already records (the
/// directory's own `AUTHZ-TIME-03`, for every stream). Commands at the same instant are
/// allowed. Source: `shared/design/delegation-invariants.md` D10.
fn check_forward(latest: Option<DateTime<Utc>>, at: DateTime<Utc>) -> Result<(), Violation> {
    match latest {
        Some(latest) if at < latest => Err(Violation::new(
            FORWARD,
            format!("the command is dated {at}, before the log's latest event at {latest}"),
        )),
        _ => Ok(()),
    }
}

/// `WF-LOG-08`: a log replays only if its events are in time order: each record is dated no
/// earlier than the records before it, as [`check_forward`] makes every log this library
/// writes. A log whose hash chain is intact but whose times run backwards — appended through
/// [`EventLog::append`] by something other than the registry, or spliced — is refused rather
/// than rebuilt into a state no sequence of commands could reach. Source:
/// `shared/design/delegation-invariants.md` D10; `docs/event-log.md`.
fn check_in_time_order(
    latest: Option<DateTime<Utc>>,
    seq: u64,
    at: DateTime<Utc>,
) -> Result<(), LogError> {
    match latest {
        Some(latest) if at < latest => Err(LogError::OutOfTime { seq, at, latest }),
        _ => Ok(()),
    }
}

/// `WF-STATE-02`: an accepted command changes something: a command whose handling gives no
/// event (a second acknowledgement, an empty batch) is refused, so that success always means
/// a logged change and a host never reports as done what did nothing.
fn check_changes(events: &[Event]) -> Result<(), Violation> {
    if events.is_empty() {
        Err(Violation::new(
            CHANGES,
            "the command changes nothing, so nothing was done",
        ))
    } else {
        Ok(())
    }
}

/// Why [`Registry::handle`] did not complete.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The command broke rules; nothing was logged or changed.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The events could not be logged; nothing was changed.
    #[error(transparent)]
    Log(#[from] LogError),
}

impl WorkflowError {
    /// The refusal, if the command was refused.
    #[must_use]
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Self::Refused(r) => Some(r),
            Self::Log(_) => None,
        }
    }

    /// The ids of the rules behind the error.
    #[must_use]
    pub fn rules(&self) -> Vec<sundhed_identity::RuleId> {
        match self {
            Self::Refused(r) => r.rules(),
            Self::Log(e) => vec![e.rule()],
        }
    }
}

/// The service a host runs: the [`State`], the form verifier, and the log every change goes
/// through. [`handle`](Self::handle) validates a command, appends its events (durably), and
/// only then applies them.
pub struct Registry<L> {
    state: State,
    forms: FormVerifier,
    log: L,
}

impl<L: EventLog<Event>> Registry<L> {
    /// A registry over `log`, rebuilt by replaying what the log already holds.
    ///
    /// # Errors
    /// The [`LogError`] of replaying the log.
    pub fn open(log: L, forms: FormVerifier) -> Result<Self, LogError> {
        let state = State::replay(&log)?;
        Ok(Self { state, forms, log })
    }

    /// Validates `command` from `actor` at `at`, appends its events to the log, then applies
    /// them. Returns the events.
    ///
    /// `actor` is [`Actor::Authority`] (the authority's own staff, authenticated by the host);
    /// a user acts only through [`login`](Self::login) and [`handle_as`](Self::handle_as),
    /// which take the user from a verified certificate, so an `Actor::User` here is refused
    /// (`WF-LOGIN-06`).
    ///
    /// # Errors
    /// [`WorkflowError::Refused`] when a rule is broken: `WF-LOGIN-06` for a user actor,
    /// `WF-STATE-04` for a command dated before the latest event, `WF-STATE-02` when the
    /// command would change nothing, and the procedure's and the directory's rules
    /// (`WF-*`, `AUTHZ-*`); [`WorkflowError::Log`] when the events could not be appended. In
    /// every case nothing changed.
    pub fn handle(
        &mut self,
        actor: Actor,
        command: &Command,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, WorkflowError> {
        check_login_required(actor).map_err(Refusal::from)?;
        self.handle_unverified(actor, command, at)
    }

    /// As [`handle`](Self::handle), taking `actor` — a user too — on the caller's word, with
    /// no login. Not for a host serving people: for tests and property tests that drive users
    /// without certificates, and for tools that rebuild a registry from data already trusted.
    ///
    /// # Errors
    /// As [`handle`](Self::handle), without `WF-LOGIN-06`.
    pub fn handle_unverified(
        &mut self,
        actor: Actor,
        command: &Command,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, WorkflowError> {
        let events = self.state.handle(&self.forms, actor, command, at)?;
        self.log.append(&events)?;
        for event in &events {
            self.state.apply(event);
        }
        Ok(events)
    }

    /// Logs a user in: from a certificate chain the host verified at `at` (with
    /// [`sundhed_signing::Verifier`]) to the user of the directory that certificate is
    /// registered for. The returned [`Login`] is the proof [`handle_as`](Self::handle_as)
    /// acts on; nothing is logged.
    ///
    /// Checks: the certificate is a person's (`WF-LOGIN-01`); the chain was verified at `at`
    /// (`WF-LOGIN-02`) and verifies again with this registry's own trust anchors, policy and
    /// revocation lists (`WF-LOGIN-05`: a chain another verifier accepted proves nothing); it is
    /// registered for an active user (`WF-LOGIN-03`), found by holder id together with the
    /// certificate's CVR; the certificate's CVR is the user's organisation's (`WF-LOGIN-04`).
    ///
    /// # Errors
    /// A [`Refusal`] naming the `WF-LOGIN-*` rule broken (and the `SIG-HOLDER-*` rule behind a
    /// certificate that names no holder).
    pub fn login(&self, chain: &VerifiedChain, at: DateTime<Utc>) -> Result<Login, Refusal> {
        self.state.login(&self.forms, chain, at)
    }

    /// Validates `command` from the user `login` proved at `at`, appends its events, then
    /// applies them — the documented way a host acts as a user. The login must still stand:
    /// `at` is not before it, its certificate still verifies at `at` with this registry's trust
    /// anchors, policy and revocation lists (so a login ends when its certificate expires or
    /// is revoked), and still logs in as the same active user (`WF-LOGIN-02`, `WF-LOGIN-05`,
    /// `WF-LOGIN-03`).
    ///
    /// # Errors
    /// As [`handle`](Self::handle), and [`WorkflowError::Refused`] with `WF-LOGIN-02`/`03`/`05`
    /// when the login no longer stands.
    pub fn handle_as(
        &mut self,
        login: &Login,
        command: &Command,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>, WorkflowError> {
        check_still_logged_in(&self.state.directory, &self.forms, login, at)?;
        self.handle_unverified(login.actor(), command, at)
    }

    /// Receives a signed submission (a report, seed SEI §3) as the host got it, at `at`, and
    /// decides it in one call: the signature covers the kept bytes and the chain verifies at
    /// `at` (`WF-FORM-01` to `WF-FORM-04`); the signer's certificate logs in as a user
    /// (`WF-LOGIN-01` to `WF-LOGIN-05`, the same rules as [`login`](Self::login));
    /// the same signed bytes were not received before (`WF-SUBMIT-01`); the form, right and
    /// department it names exist (`WF-SUBMIT-02`); and that user may use the right on the
    /// department at `at`, by the directory's decision (`WF-SUBMIT-03`, with the decision's
    /// `AUTHZ-*` rules). Logs a `Received` event holding digests and ids, never the payload,
    /// and returns its [`Receipt`].
    ///
    /// # Errors
    /// [`WorkflowError::Refused`] naming the rule broken (`WF-STATE-04` for a submission dated
    /// before the latest event, `WF-FORM-*`, `WF-LOGIN-*`, `WF-SUBMIT-*`, and the `SIG-*` or
    /// `AUTHZ-*` rules behind it);
    /// [`WorkflowError::Log`] when the event could not be appended. In both cases nothing
    /// is logged or changed.
    pub fn receive(
        &mut self,
        signed: &SignedForm<Submission>,
        at: DateTime<Utc>,
    ) -> Result<Receipt, WorkflowError> {
        let received = self.state.receive(&self.forms, signed, at)?;
        let receipt = Receipt::of(&received);
        let event = Event::Submissions(received);
        self.log.append(core::slice::from_ref(&event))?;
        self.state.apply(&event);
        Ok(receipt)
    }

    /// Rebuilds the state `log` describes, as [`State::replay`] does; equal to the state of
    /// the registry that wrote it.
    ///
    /// # Errors
    /// The [`LogError`] of the log's verification (`WF-LOG-*`).
    pub fn replay(log: &L) -> Result<State, LogError> {
        State::replay(log)
    }

    /// The state.
    #[must_use]
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The directory.
    #[must_use]
    pub fn directory(&self) -> &Directory {
        &self.state.directory
    }

    /// May `request.user` use the right on the department at `at`? (The directory's answer.)
    #[must_use]
    pub fn check(&self, request: &AccessRequest, at: DateTime<Utc>) -> Decision {
        self.state.directory.check(request, at)
    }

    /// The log.
    #[must_use]
    pub fn log(&self) -> &L {
        &self.log
    }

    /// The log's head after the last append (save it elsewhere to detect truncation).
    #[must_use]
    pub fn head(&self) -> Head {
        self.log.head()
    }

    /// The form verifier.
    #[must_use]
    pub fn forms(&self) -> &FormVerifier {
        &self.forms
    }

    /// Gives back the log.
    #[must_use]
    pub fn into_log(self) -> L {
        self.log
    }
}

impl<L> core::fmt::Debug for Registry<L> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Registry")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
