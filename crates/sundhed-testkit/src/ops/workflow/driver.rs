//! [`WorkflowOp`] and the [`Driver`] that turns it into registry commands.

use arbitrary::Arbitrary;
use chrono::{DateTime, TimeDelta, Utc};
use sundhed_authorisation::{
    Actor, DepartmentId, DirectoryCommand, FormId, GrantId, GrantSpec, Grantee, GroupId, NewUser,
    RightId, UserId,
};
use sundhed_workflow::{
    Command, CprAttestation, Digest, Event, MemoryEventLog, NamedPerson, Registry, SebCaseId,
    SebCommand, SeiCaseId, SeiCommand, SeiDepartment, SeiEnrolment, SeiNotification, UserCommand,
};

use super::{
    FORMS, Request, SHAKS, Seb, Signing, cast, cvr, numbered_person, person, requests, sign,
};
use crate::error::TestkitError;
use crate::oces::at;
use crate::onboarding::{keyed_code, registry};
use crate::ops::pick;

/// One step of a workflow sequence.
#[derive(Arbitrary, Debug)]
pub enum WorkflowOp {
    /// An SEB form submitted.
    SebSubmit {
        /// The form.
        form: Seb,
        /// How it is signed.
        signing: Signing,
    },
    /// An SEB case approved.
    SebApprove {
        /// Which case.
        case: u8,
    },
    /// An SEB case rejected.
    SebReject {
        /// Which case.
        case: u8,
        /// Why (at most three reasons).
        reasons: Vec<String>,
    },
    /// An SEB administrator's first login.
    SebFirstLogin {
        /// Which case.
        case: u8,
        /// With which certificate.
        holder: u8,
    },
    /// An SEI notification.
    SeiNotify {
        /// The hospital's name (cut to 40 characters).
        hospital: String,
        /// Its CVR.
        cvr: u8,
        /// The chief physician: a person id, and the name of the test person with this
        /// number.
        chief: u8,
        /// The local administrator: as `chief`.
        admin: u8,
        /// The departments (at most four).
        shaks: Vec<u8>,
        /// The forms asked for.
        forms: Vec<Request>,
        /// How it is signed.
        signing: Signing,
    },
    /// An SEI self-enrolment.
    SeiEnrol {
        /// Which case.
        case: u8,
        /// Which case's notification it answers: `None` for `case`'s own, `Some(n)` for case
        /// `n`'s (an enrolment carried into another case), a digest of nothing when there is
        /// no such case.
        notification: Option<u8>,
        /// The CVR.
        cvr: u8,
        /// The person enrolling.
        person: u8,
        /// The forms (at most three).
        forms: Vec<u8>,
        /// How it is signed.
        signing: Signing,
    },
    /// An SEI cross-check.
    SeiCrossCheck {
        /// Which case.
        case: u8,
        /// The host's CPR attestation: which certificate, which person (none when `None`).
        attestation: Option<(u8, u8)>,
    },
    /// A user created.
    UserCreate {
        /// Who creates.
        actor: u8,
        /// The person's number.
        person: u16,
        /// In which group.
        group: u8,
        /// Under which parent group.
        parent: Option<u8>,
        /// A grant: right and department.
        grant: Option<(u8, u8)>,
    },
    /// An activation code issued.
    IssueCode {
        /// Who issues.
        actor: u8,
        /// For which person.
        person: u16,
        /// The code.
        code: String,
        /// Minutes until it expires.
        expires: u8,
        /// In which group.
        group: u8,
    },
    /// An enrolment with an activation code.
    Enrol {
        /// Who enrols.
        actor: u8,
        /// The code.
        code: String,
        /// With which certificate.
        holder: u8,
    },
    /// Settings fetched.
    FetchSettings {
        /// Who.
        actor: u8,
    },
    /// The duty of confidentiality acknowledged.
    Acknowledge {
        /// Who.
        actor: u8,
    },
    /// A directory grant.
    Grant {
        /// Who grants.
        actor: u8,
        /// To whom.
        grantee: u8,
        /// Which right.
        right: u8,
        /// On which department.
        dept: u8,
    },
    /// A directory revocation.
    Revoke {
        /// Who revokes.
        actor: u8,
        /// Which grant.
        grant: u8,
    },
    /// Time passes.
    Advance {
        /// Minutes.
        minutes: u16,
    },
}

/// A registry with the forms defined (the onboarding world's) and its clock.
pub struct Driver {
    /// The registry, over a memory log.
    pub registry: Registry<MemoryEventLog<Event>>,
    /// The time of the next command.
    pub at: DateTime<Utc>,
}

fn right(i: u8) -> RightId {
    RightId::new(FormId::new(u32::from(i % 4)), u16::from(i / 4 % 4))
}

fn group(i: u8) -> GroupId {
    GroupId::new(u32::from(i % 8))
}

fn department(i: u8) -> DepartmentId {
    DepartmentId::new(u32::from(i % 8))
}

impl Driver {
    /// The registry with the forms defined, at 2018-06-01 09:00 UTC.
    ///
    /// # Errors
    /// The test people or the trust anchor cannot be loaded, or a definition is refused.
    pub fn new() -> Result<Self, TestkitError> {
        cast().ok_or_else(|| TestkitError::Unexpected("the test people do not load".into()))?;
        Ok(Self {
            registry: registry()?,
            at: at(0),
        })
    }

    fn user(i: u8) -> UserId {
        UserId::new(u32::from(i % 12))
    }

    fn actor(i: u8) -> Actor {
        if i.is_multiple_of(6) {
            Actor::Authority
        } else {
            Actor::User(Self::user(i))
        }
    }

    fn sei_notification(op: &WorkflowOp) -> Option<SeiNotification> {
        let WorkflowOp::SeiNotify {
            hospital,
            cvr: c,
            chief,
            admin,
            shaks,
            forms,
            ..
        } = op
        else {
            return None;
        };
        let department = |s: &u8| {
            Some(SeiDepartment {
                shak: pick(&SHAKS, *s)?.parse().ok()?,
                name: "afsnit".into(),
            })
        };
        Some(SeiNotification {
            hospital: hospital.chars().take(40).collect(),
            cvr: cvr(*c)?,
            chief_physician: NamedPerson {
                name: super::signer(*chief)?.1.name.clone(),
                person: person(*chief)?,
            },
            local_administrator: NamedPerson {
                name: super::signer(*admin)?.1.name.clone(),
                person: person(*admin)?,
            },
            departments: shaks.iter().take(4).filter_map(department).collect(),
            forms: requests(forms),
        })
    }

    /// The command of `op` and who gives it; `None` when the operation only moves the clock
    /// or builds nothing valid.
    pub fn command(&mut self, op: &WorkflowOp) -> Option<(Actor, Command)> {
        use WorkflowOp as Op;
        let case = |c: u8| SebCaseId::new(u32::from(c % 6));
        let sei_case = |c: u8| SeiCaseId::new(u32::from(c % 6));
        let authority = |command| Some((Actor::Authority, command));
        let user = |actor: u8, command| Some((Self::actor(actor), Command::Users(command)));
        match op {
            Op::SebSubmit { form, signing } => authority(Command::Seb(SebCommand::Submit {
                form: Box::new(sign(&form.build()?, signing)?),
            })),
            Op::SebApprove { case: c } => {
                authority(Command::Seb(SebCommand::Approve { case: case(*c) }))
            }
            Op::SebReject { case: c, reasons } => authority(Command::Seb(SebCommand::Reject {
                case: case(*c),
                reasons: reasons.iter().take(3).cloned().collect(),
            })),
            Op::SebFirstLogin { case: c, holder: h } => {
                authority(Command::Seb(SebCommand::FirstLogin {
                    case: case(*c),
                    certificate: super::signer(*h)?.1.login_certificate_at(self.at).ok()?,
                }))
            }
            Op::SeiNotify { signing, .. } => {
                let form = sign(&Self::sei_notification(op)?, signing)?;
                authority(Command::Sei(SeiCommand::Notify {
                    form: Box::new(form),
                }))
            }
            Op::SeiEnrol {
                case: c,
                notification,
                cvr: cv,
                person: p,
                forms,
                signing,
            } => {
                let forms = forms.iter().take(3).filter_map(|f| pick(&FORMS, *f));
                let answers = sei_case(notification.unwrap_or(*c));
                let notification = self
                    .registry
                    .state()
                    .sei()
                    .case(answers)
                    .map_or_else(|| Digest::of(b""), |case| case.notifier().form);
                let enrolment = SeiEnrolment {
                    notification,
                    cvr: cvr(*cv)?,
                    person: person(*p)?,
                    forms: forms.map(Into::into).collect(),
                };
                authority(Command::Sei(SeiCommand::Enrol {
                    case: sei_case(*c),
                    form: Box::new(sign(&enrolment, signing)?),
                }))
            }
            Op::SeiCrossCheck {
                case: c,
                attestation,
            } => {
                let attestation = match attestation {
                    Some((h, p)) => Some(CprAttestation {
                        certificate: super::holder(*h)?,
                        person: person(*p)?,
                        source: "fuzz CPR lookup".into(),
                        checked_at: self.at,
                    }),
                    None => None,
                };
                authority(Command::Sei(SeiCommand::CrossCheck {
                    case: sei_case(*c),
                    attestation,
                }))
            }
            Op::UserCreate {
                actor,
                person: p,
                group: g,
                parent,
                grant,
            } => user(
                *actor,
                UserCommand::Create {
                    user: NewUser {
                        person: numbered_person(*p)?,
                        certificates: vec![],
                    },
                    groups: vec![group(*g)],
                    parent: parent.map(group),
                    grants: grant
                        .map(|(r, d)| GrantSpec::new(right(r), department(d)))
                        .into_iter()
                        .collect(),
                },
            ),
            Op::IssueCode {
                actor,
                person: p,
                code,
                expires,
                group: g,
            } => user(
                *actor,
                UserCommand::IssueActivationCode {
                    person: numbered_person(*p)?,
                    code: keyed_code(code).ok()?,
                    expires: self.at + TimeDelta::minutes(i64::from(*expires)),
                    groups: vec![group(*g)],
                    parent: None,
                    grants: vec![],
                },
            ),
            Op::Enrol {
                actor,
                code,
                holder: h,
            } => user(
                *actor,
                UserCommand::Enrol {
                    code: keyed_code(code).ok()?,
                    certificate: super::signer(*h)?.1.login_certificate_at(self.at).ok()?,
                },
            ),
            Op::FetchSettings { actor } => user(*actor, UserCommand::FetchSettings),
            Op::Acknowledge { actor } => user(*actor, UserCommand::AcknowledgeConfidentiality),
            Op::Grant {
                actor,
                grantee,
                right: r,
                dept,
            } => Some((
                Self::actor(*actor),
                Command::Directory(DirectoryCommand::Grant {
                    grantee: Grantee::User(Self::user(*grantee)),
                    grant: GrantSpec::new(right(*r), department(*dept)),
                }),
            )),
            Op::Revoke { actor, grant } => Some((
                Self::actor(*actor),
                Command::Directory(DirectoryCommand::Revoke {
                    grant: GrantId::new(u64::from(*grant % 16)),
                }),
            )),
            Op::Advance { minutes } => {
                self.at += TimeDelta::minutes(i64::from(*minutes));
                None
            }
        }
    }
}
