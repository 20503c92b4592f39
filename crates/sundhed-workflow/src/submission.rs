//! Signed submissions: a report a user's client signs and sends (seed SEI §3: the employee
//! certificate "styrer den digital signering af de data der sendes"), decided in one call and
//! answered with a [`Receipt`].
//!
//! ```text
//! SignedForm<Submission> ──verify (WF-FORM-01…04)──▶ signer ──log in (WF-LOGIN-01…04)──▶ user
//!   ──once (WF-SUBMIT-01)──▶ names (WF-SUBMIT-02)──▶ directory check (WF-SUBMIT-03, AUTHZ-*)
//!   ──▶ SubmissionChange::Received logged ──▶ Receipt
//! ```
//!
//! The payload is the report itself, opaque to the registry and full of patient data: the log
//! and the receipt keep only its SHA-256 and that of the signed bytes, never the content. The
//! host stores the signed bytes (or the payload) in its own store for the report, keyed by the
//! receipt's digest.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{AccessRequest, DepartmentId, Directory, RightId, UserId};
use sundhed_identity::{RuleId, ShakCode, Violation, shown};

use crate::digest::Digest;
use crate::form::{Bytes, FormSchema, Signer};
use crate::login::Login;
use crate::procedure::EVENT_VERSION;

/// `WF-SUBMIT-01`
pub const SUBMIT_ONCE: RuleId = RuleId::new("WF-SUBMIT-01");
/// `WF-SUBMIT-02`
pub const SUBMIT_NAMES: RuleId = RuleId::new("WF-SUBMIT-02");
/// `WF-SUBMIT-03`
pub const SUBMIT_ALLOWED: RuleId = RuleId::new("WF-SUBMIT-03");

/// A report as its sender's client signs it (schema `sundhed.submission`, version 1): which
/// form it reports on, the right it is sent under, the department it is sent for, and the
/// report itself.
///
/// The signed bytes look like
/// `{"schema":"sundhed.submission","version":1,"form":{"form":"SEI-TVANG-PSYK","right":"INDBERET","department":"6620011","payload":"7b22…"}}`.
///
/// `payload` is opaque to the registry: whatever the form's own format is (a coercion report
/// as XML or JSON), carried as lowercase hex so that any bytes are signed exactly as they are
/// and no JSON string escaping stands between the client's bytes and ours. It is never shown
/// ([`Bytes`]'s `Debug` gives only its length) and never logged.
///
/// # Example
/// ```
/// use sundhed_workflow::{Bytes, Submission, form_bytes};
///
/// let submission = Submission {
///     form: "SEI-TVANG-PSYK".into(),
///     right: "INDBERET".into(),
///     department: "6620011".parse()?,
///     payload: Bytes::new(b"<tvang/>".to_vec()),
/// };
/// let bytes = String::from_utf8(form_bytes(&submission)?)?;
/// assert!(bytes.ends_with(r#""payload":"3c7476616e672f3e"}}"#));
/// assert!(!format!("{submission:?}").contains("tvang/"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The form's code (`SEI-TVANG-PSYK`).
    pub form: String,
    /// The code of the right the report is sent under (`INDBERET`).
    pub right: String,
    /// The SHAK code of the department the report is sent for.
    pub department: ShakCode,
    /// The report, opaque, as hex.
    pub payload: Bytes,
}

impl FormSchema for Submission {
    const SCHEMA: &'static str = "sundhed.submission";
    const VERSION: u16 = 1;
}

/// A received submission, logged in the `Submissions` stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionEvent {
    /// The format version ([`EVENT_VERSION`](crate::EVENT_VERSION)).
    #[serde(deserialize_with = "sundhed_authorisation::read_event_version")]
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub change: SubmissionChange,
}

/// What happened to a submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SubmissionChange {
    /// A signed submission was received and accepted. Holds digests and ids only, never the
    /// payload: the report holds patient data.
    Received {
        /// SHA-256 of the signed bytes, as kept: the submission's identity (`WF-SUBMIT-01`).
        submission: Digest,
        /// SHA-256 of the payload.
        payload: Digest,
        /// The user the signer logged in as.
        user: UserId,
        /// The department the report is for.
        department: DepartmentId,
        /// The right it was sent under (it names its form).
        right: RightId,
        /// SHA-256 of the signer's certificate.
        certificate: Digest,
    },
}

/// The proof that a signed submission was received: who sent it (the user its signer's
/// certificate logged in as), for which department and under which right, when, and the
/// digests of the signed bytes and of the payload. Made only by
/// [`Registry::receive`](crate::Registry::receive) (or read back from the state it logged),
/// never from the host's word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    submission: Digest,
    payload: Digest,
    user: UserId,
    department: DepartmentId,
    right: RightId,
    certificate: Digest,
    at: DateTime<Utc>,
}

impl Receipt {
    /// SHA-256 of the signed bytes, as kept: what identifies the submission.
    #[must_use]
    pub fn submission(&self) -> Digest {
        self.submission
    }

    /// SHA-256 of the payload.
    #[must_use]
    pub fn payload(&self) -> Digest {
        self.payload
    }

    /// The user who sent it.
    #[must_use]
    pub fn user(&self) -> UserId {
        self.user
    }

    /// The department it is for.
    #[must_use]
    pub fn department(&self) -> DepartmentId {
        self.department
    }

    /// The right it was sent under.
    #[must_use]
    pub fn right(&self) -> RightId {
        self.right
    }

    /// SHA-256 of the signer's certificate.
    #[must_use]
    pub fn certificate(&self) -> Digest {
        self.certificate
    }

    /// When it was received.
    #[must_use]
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The receipt a logged event stands for.
    pub(crate) fn of(event: &SubmissionEvent) -> Self {
        let SubmissionChange::Received {
            submission,
            payload,
            user,
            department,
            right,
            certificate,
        } = event.change;
        Self {
            submission,
            payload,
            user,
            department,
            right,
            certificate,
            at: event.at,
        }
    }
}

/// The submissions received, by the digest of their signed bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submissions {
    received: BTreeMap<Digest, Receipt>,
}

impl Submissions {
    /// The receipt of the submission whose signed bytes have this SHA-256.
    #[must_use]
    pub fn receipt(&self, submission: &Digest) -> Option<&Receipt> {
        self.received.get(submission)
    }

    /// Every receipt, by the digest of the signed bytes.
    pub fn receipts(&self) -> impl Iterator<Item = &Receipt> {
        self.received.values()
    }

    /// Applies one event. Never fails: an event is a fact.
    pub fn apply(&mut self, event: &SubmissionEvent) {
        let receipt = Receipt::of(event);
        self.received.insert(receipt.submission, receipt);
    }

    /// Decides a verified submission: `signer` verified it at `at` and logged in as `login`.
    /// Gives the event to log.
    pub(crate) fn decide(
        &self,
        directory: &Directory,
        submission: &Submission,
        signer: &Signer,
        login: &Login,
        at: DateTime<Utc>,
    ) -> Result<SubmissionEvent, Violation> {
        check_received_once(self, signer)?;
        let (right, department) = check_submission_names(directory, submission)?;
        let request = AccessRequest {
            user: login.user(),
            right,
            department,
        };
        check_submission_allowed(directory, submission, &request, at)?;
        Ok(SubmissionEvent {
            version: EVENT_VERSION,
            at,
            change: SubmissionChange::Received {
                submission: signer.form,
                payload: Digest::of(submission.payload.as_slice()),
                user: login.user(),
                department,
                right,
                certificate: signer.certificate,
            },
        })
    }
}

/// `WF-SUBMIT-01`: a signed submission is received once: signed bytes that already have a
/// receipt are a replay (a report sent twice, or captured and sent again) and are refused, so
/// a report is never counted twice. A correction is a new submission, with new bytes (seed
/// SEI §3: the employee certificate signs the data sent to the authority).
fn check_received_once(submissions: &Submissions, signer: &Signer) -> Result<(), Violation> {
    match submissions.receipt(&signer.form) {
        None => Ok(()),
        Some(earlier) => Err(Violation::new(
            SUBMIT_ONCE,
            format!(
                "this signed submission was received before, at {}, so it is not counted again",
                earlier.at
            ),
        )),
    }
}

/// `WF-SUBMIT-02`: a submission names a form the authority defined, one of that form's
/// rights, and a department the directory knows by its SHAK code (seed SEI §4, §7: rights on
/// forms, departments by their code); anything else is refused, never read as something near
/// it.
fn check_submission_names(
    directory: &Directory,
    submission: &Submission,
) -> Result<(RightId, DepartmentId), Violation> {
    let form = directory.form_by_code(&submission.form).ok_or_else(|| {
        Violation::new(
            SUBMIT_NAMES,
            format!(
                "the submission names form `{}`, which is not defined",
                shown(&submission.form)
            ),
        )
    })?;
    let right = form.right_by_code(&submission.right).ok_or_else(|| {
        Violation::new(
            SUBMIT_NAMES,
            format!(
                "form `{}` has no right `{}`",
                form.code(),
                shown(&submission.right)
            ),
        )
    })?;
    let department = directory
        .department_by_shak(submission.department)
        .ok_or_else(|| {
            Violation::new(
                SUBMIT_NAMES,
                format!(
                    "the submission is for department `{}`, which the directory does not know",
                    submission.department
                ),
            )
        })?;
    Ok((right, department))
}

/// `WF-SUBMIT-03`: a submission is accepted only if the user its signer logged in as may use
/// the named right on the named department at the time it is received, by the directory's
/// decision (deny by default, `AUTHZ-DECIDE-01`; confidentiality acknowledged first,
/// `AUTHZ-CONF-01`; seed SEI §3, §7–8). The signer is the user whose right is checked, never
/// a user the host names; the decision's rules are named in the refusal.
fn check_submission_allowed(
    directory: &Directory,
    submission: &Submission,
    request: &AccessRequest,
    at: DateTime<Utc>,
) -> Result<(), Violation> {
    let decision = directory.check(request, at);
    if decision.is_allowed() {
        return Ok(());
    }
    let rules: Vec<String> = decision.rules().map(|r| r.to_string()).collect();
    let violation = Violation::new(
        SUBMIT_ALLOWED,
        format!(
            "{} may not send `{}`/`{}` for department `{}` at {at}: denied by {}",
            request.user,
            shown(&submission.form),
            shown(&submission.right),
            submission.department,
            rules.join(", ")
        ),
    );
    Err(decision.rules().fold(violation, Violation::because))
}
