//! Users created by a local administrator (seed SEI §7, and the SEI administrator guide in
//! `domain.md` §5.2): with a certificate, in batches, or with a one-time activation code they
//! enrol with; settings fetched by each user; the duty of confidentiality acknowledged.
//!
//! ```text
//! IssueActivationCode ──▶ pending ──Enrol (code, certificate)──▶ used (user created)
//! ```
//!
//! Activation codes never reach this module: the host keys each code with its
//! [`ActivationKey`] ([`ActivationCode::keyed`]) and commands carry the [`KeyedCode`], the
//! HMAC-SHA-256 the log keeps. Without the key the log's values cannot be reversed or checked
//! against guesses.

mod code;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_authorisation::{
    Actor, DepartmentId, Directory, DirectoryCommand, GrantSpec, GroupId, NewUser, RightId, UserId,
};
use sundhed_identity::{PersonId, RuleId};

use crate::login::{LoginCertificate, check_presented};
use crate::procedure::{Context, EVENT_VERSION, Outcome, Procedure, UserFor, check_created};
use sundhed_identity::{Refusal, Violation};

pub use code::{
    ActivationCode, ActivationKey, KeyedCode, MIN_CODE_BITS, MIN_CODE_LEN, MIN_KEY_LEN,
};

/// `WF-USER-01`
pub const USER_GROUPS: RuleId = RuleId::new("WF-USER-01");
/// `WF-USER-02`
pub const OWN_SETTINGS: RuleId = RuleId::new("WF-USER-02");
/// `WF-USER-03`
pub const PARENT_GROUP: RuleId = RuleId::new("WF-USER-03");
/// `WF-CODE-01`
pub const CODE_FORM: RuleId = RuleId::new("WF-CODE-01");
/// `WF-CODE-02`
pub const CODE_KNOWN: RuleId = RuleId::new("WF-CODE-02");
/// `WF-CODE-03`
pub const CODE_LIVE: RuleId = RuleId::new("WF-CODE-03");
/// `WF-CODE-04`
pub const CODE_KEY: RuleId = RuleId::new("WF-CODE-04");

/// A command about users, given by an administrator or by the user themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserCommand {
    /// Create a user with a certificate: person, groups (at least one, keyed by departments),
    /// and rights, which the directory checks are within the administrator's own.
    Create {
        /// The person and certificate.
        user: NewUser,
        /// The groups.
        groups: Vec<GroupId>,
        /// The parent group (overordnet gruppe) the groups hang under, if named.
        parent: Option<GroupId>,
        /// The rights.
        grants: Vec<GrantSpec>,
    },
    /// Create several users with the same groups and rights in one batch.
    CreateBatch {
        /// The people and certificates.
        users: Vec<NewUser>,
        /// The groups.
        groups: Vec<GroupId>,
        /// The parent group (overordnet gruppe) the groups hang under, if named.
        parent: Option<GroupId>,
        /// The rights.
        grants: Vec<GrantSpec>,
    },
    /// Prepare a user without a certificate: the user enrols later with `code`.
    IssueActivationCode {
        /// The person.
        person: PersonId,
        /// The code the host generated, keyed with the host's key ([`ActivationCode::keyed`]).
        code: KeyedCode,
        /// When the code stops working.
        expires: DateTime<Utc>,
        /// The groups.
        groups: Vec<GroupId>,
        /// The parent group (overordnet gruppe) the groups hang under, if named.
        parent: Option<GroupId>,
        /// The rights.
        grants: Vec<GrantSpec>,
    },
    /// A user enrols with an activation code and the certificate they logged in with.
    Enrol {
        /// The code the user gave, keyed with the same key as when it was issued.
        code: KeyedCode,
        /// The certificate the user logged in with, verified by the host at the time of the
        /// enrolment: a [`LoginCertificate`] is made only from a verified chain, so the user is
        /// created with a certificate a chain proved, never a holder id the host asserts.
        certificate: LoginCertificate,
    },
    /// The acting user fetches their settings ("hent indstillinger").
    FetchSettings,
    /// The acting user acknowledges the duty of confidentiality (seed SEI §8).
    AcknowledgeConfidentiality,
}

/// One right on one department, as shown in a user's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Setting {
    /// The right.
    pub right: RightId,
    /// The department.
    pub department: DepartmentId,
}

/// Something that happened to users, in the past tense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEvent {
    /// The format version ([`EVENT_VERSION`](crate::EVENT_VERSION)).
    #[serde(deserialize_with = "sundhed_authorisation::read_event_version")]
    pub version: u16,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened.
    pub change: UserChange,
}

/// What happened to users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum UserChange {
    /// An administrator prepared a user who will enrol with an activation code.
    ActivationCodeIssued {
        /// HMAC-SHA-256 of the code under the host's [`ActivationKey`]. The code itself is never
        /// stored, and the key is not in the log, so whoever holds the log can neither reverse
        /// this nor test guesses against it.
        code: KeyedCode,
        /// When it stops working.
        expires: DateTime<Utc>,
        /// The administrator.
        issued_by: UserId,
        /// The person.
        person: PersonId,
        /// The groups.
        groups: Vec<GroupId>,
        /// The rights.
        grants: Vec<GrantSpec>,
    },
    /// The code was used; the user exists (the directory events precede this one).
    ActivationCodeUsed {
        /// HMAC-SHA-256 of the code under the host's key, as when it was issued.
        code: KeyedCode,
        /// The user created.
        user: UserId,
    },
    /// A user fetched their settings.
    SettingsFetched {
        /// The user.
        user: UserId,
        /// Their groups.
        groups: Vec<GroupId>,
        /// What they may do.
        rights: Vec<Setting>,
        /// What they may hand out, if they administer.
        grantable: Vec<Setting>,
    },
}

/// A code waiting to be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingActivation {
    expires: DateTime<Utc>,
    issued_by: UserId,
    person: PersonId,
    groups: Vec<GroupId>,
    grants: Vec<GrantSpec>,
}

impl PendingActivation {
    /// When the code stops working.
    #[must_use]
    pub fn expires(&self) -> DateTime<Utc> {
        self.expires
    }
    /// The administrator who issued it.
    #[must_use]
    pub fn issued_by(&self) -> UserId {
        self.issued_by
    }
}

/// The enrolment state: codes pending and used, and each user's last fetched settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Users {
    pending: BTreeMap<KeyedCode, PendingActivation>,
    used: BTreeSet<KeyedCode>,
    settings: BTreeMap<UserId, (DateTime<Utc>, Vec<Setting>)>,
}

impl Users {
    /// The code pending under this keyed code.
    #[must_use]
    pub fn pending(&self, code: &KeyedCode) -> Option<&PendingActivation> {
        self.pending.get(code)
    }

    /// When the user last fetched settings, and what they got.
    #[must_use]
    pub fn settings(&self, user: UserId) -> Option<&(DateTime<Utc>, Vec<Setting>)> {
        self.settings.get(&user)
    }

    /// Creates users with a certificate (one, or a batch), in `groups` under `parent`, with
    /// `grants`, which the directory checks are within `actor`'s own.
    fn create(
        directory: &Directory,
        actor: Actor,
        users: &[NewUser],
        groups: &[GroupId],
        parent: Option<GroupId>,
        grants: &[GrantSpec],
        at: DateTime<Utc>,
    ) -> Result<Outcome<UserEvent>, Refusal> {
        check_groups_keyed(directory, groups)?;
        check_parent_group(directory, groups, parent)?;
        let command = DirectoryCommand::CreateUsers {
            users: users.to_vec(),
            groups: groups.to_vec(),
            grants: grants.to_vec(),
        };
        Ok(Outcome::of_directory(
            directory.handle(actor, &command, at)?,
        ))
    }
}

impl Procedure for Users {
    type Command = UserCommand;
    type Event = UserEvent;

    /// Validates `command` from `actor` and gives its outcome: user events and the directory
    /// events (users created, confidentiality acknowledged).
    ///
    /// # Errors
    /// A [`Refusal`] naming the rules broken: `WF-USER-*`, `WF-CODE-*`, and `AUTHZ-*` from the
    /// directory (for example a right the administrator does not hold).
    fn handle(
        &self,
        context: Context<'_>,
        actor: Actor,
        command: &UserCommand,
        at: DateTime<Utc>,
    ) -> Result<Outcome<UserEvent>, Refusal> {
        let directory = context.directory();
        let event = |change| UserEvent {
            version: EVENT_VERSION,
            at,
            change,
        };
        match command {
            UserCommand::Create {
                user,
                groups,
                parent,
                grants,
            } => Self::create(
                directory,
                actor,
                core::slice::from_ref(user),
                groups,
                *parent,
                grants,
                at,
            ),
            UserCommand::CreateBatch {
                users,
                groups,
                parent,
                grants,
            } => Self::create(directory, actor, users, groups, *parent, grants, at),
            UserCommand::IssueActivationCode {
                person,
                code,
                expires,
                groups,
                parent,
                grants,
            } => {
                check_groups_keyed(directory, groups)?;
                check_parent_group(directory, groups, *parent)?;
                check_code_live(*expires, at)?;
                check_code_known(self, code, CodeUse::Issue)?;
                // The user the code will create must be creatable now (rights within the
                // administrator's, groups valid); the directory is not changed yet.
                let dry_run = DirectoryCommand::CreateUser {
                    user: NewUser {
                        person: *person,
                        certificates: Vec::new(),
                    },
                    groups: groups.clone(),
                    grants: grants.clone(),
                };
                directory.handle(actor, &dry_run, at)?;
                let Actor::User(admin) = actor else {
                    let rule = sundhed_authorisation::rules::ACTOR_KIND;
                    return Err(Violation::new(
                        rule,
                        "activation codes are issued by an administrator",
                    )
                    .into());
                };
                Ok(Outcome::of(event(UserChange::ActivationCodeIssued {
                    code: *code,
                    expires: *expires,
                    issued_by: admin,
                    person: *person,
                    groups: groups.clone(),
                    grants: grants.clone(),
                })))
            }
            UserCommand::Enrol { code, certificate } => {
                let pending =
                    check_code_known(self, code, CodeUse::Enrol)?.ok_or_else(not_issued)?;
                check_code_live(pending.expires, at)?;
                // The issuer always exists (users are never removed); were it missing, the
                // certificate is still checked, against no organisation at all.
                let organisation = directory
                    .user(pending.issued_by)
                    .map(sundhed_authorisation::User::organisation);
                check_presented(context.forms(), certificate, organisation, at)?;
                let create = DirectoryCommand::CreateUser {
                    user: NewUser {
                        person: pending.person,
                        certificates: vec![certificate.holder().clone()],
                    },
                    groups: pending.groups.clone(),
                    grants: pending.grants.clone(),
                };
                let events = directory.handle(Actor::User(pending.issued_by), &create, at)?;
                let user = check_created(&events, &UserFor(pending.person))?;
                Ok(Outcome::of_directory(events)
                    .then(event(UserChange::ActivationCodeUsed { code: *code, user })))
            }
            UserCommand::FetchSettings => {
                let user = check_own_settings(directory, actor)?;
                let groups = directory
                    .user(user)
                    .map(|u| u.groups().to_vec())
                    .unwrap_or_default();
                let setting = |right, department| Setting { right, department };
                let rights = directory.permissions(user, at).into_iter();
                let rights = rights.map(|p| setting(p.right, p.department)).collect();
                let grantable = directory.grantable(user, at).into_iter();
                let grantable = grantable.map(|g| setting(g.right, g.department)).collect();
                Ok(Outcome::of(event(UserChange::SettingsFetched {
                    user,
                    groups,
                    rights,
                    grantable,
                })))
            }
            UserCommand::AcknowledgeConfidentiality => Ok(Outcome::of_directory(
                directory.handle(actor, &DirectoryCommand::AcknowledgeConfidentiality, at)?,
            )),
        }
    }

    /// Applies a user event. Never fails: an event is a fact.
    fn apply(&mut self, event: &UserEvent) {
        match &event.change {
            UserChange::ActivationCodeIssued {
                code,
                expires,
                issued_by,
                person,
                groups,
                grants,
            } => {
                self.pending.insert(
                    *code,
                    PendingActivation {
                        expires: *expires,
                        issued_by: *issued_by,
                        person: *person,
                        groups: groups.clone(),
                        grants: grants.clone(),
                    },
                );
            }
            UserChange::ActivationCodeUsed { code, .. } => {
                self.pending.remove(code);
                self.used.insert(*code);
            }
            UserChange::SettingsFetched { user, rights, .. } => {
                self.settings.insert(*user, (event.at, rights.clone()));
            }
        }
    }
}

/// `WF-USER-01`: a user is created in at least one group, and every group is keyed by a
/// department with a SHAK code (seed SEI §7: "mindst én specifik gruppe defineret ved
/// afdelingens SKS kode").
fn check_groups_keyed(directory: &Directory, groups: &[GroupId]) -> Result<(), Violation> {
    if groups.is_empty() {
        return Err(Violation::new(
            USER_GROUPS,
            "a user needs at least one group",
        ));
    }
    for group in groups {
        let keyed = directory
            .group(*group)
            .and_then(|g| directory.department(g.department()))
            .is_some_and(|d| d.shak().is_some());
        if !keyed {
            return Err(Violation::new(
                USER_GROUPS,
                format!("{group} is not keyed by a department with a SHAK code"),
            ));
        }
    }
    Ok(())
}

/// `WF-USER-03`: when the administrator names a parent group (overordnet gruppe), every group
/// the user joins hangs directly under it (SEI administrator guide, `domain.md` §5.2: attach
/// groups, then the parent group).
fn check_parent_group(
    directory: &Directory,
    groups: &[GroupId],
    parent: Option<GroupId>,
) -> Result<(), Violation> {
    let Some(parent) = parent else { return Ok(()) };
    match groups
        .iter()
        .find(|g| directory.group(**g).and_then(|g| g.parent()) != Some(parent))
    {
        None => Ok(()),
        Some(group) => Err(Violation::new(
            PARENT_GROUP,
            format!("{group} does not hang under the parent {parent}"),
        )),
    }
}

/// `WF-USER-02`: settings are fetched by the active user themselves, never on their behalf.
fn check_own_settings(directory: &Directory, actor: Actor) -> Result<UserId, Violation> {
    match actor {
        Actor::User(user) if directory.user(user).is_some_and(|u| u.is_active()) => Ok(user),
        other => Err(Violation::new(
            OWN_SETTINGS,
            format!("settings are fetched by an active user themselves, not {other}"),
        )),
    }
}

/// `WF-CODE-02`: an activation code is issued once and accepted once: to issue it, it must be
/// new; to enrol with it, it must have been issued and not used. Gives the pending activation
/// when enrolling.
fn check_code_known<'a>(
    users: &'a Users,
    code: &KeyedCode,
    to: CodeUse,
) -> Result<Option<&'a PendingActivation>, Violation> {
    if users.used.contains(code) {
        return Err(Violation::new(
            CODE_KNOWN,
            "this activation code has already been used",
        ));
    }
    match (to, users.pending.get(code)) {
        (CodeUse::Issue, Some(_)) => Err(Violation::new(
            CODE_KNOWN,
            "this activation code was issued before",
        )),
        (CodeUse::Issue, None) => Ok(None),
        (CodeUse::Enrol, Some(pending)) => Ok(Some(pending)),
        (CodeUse::Enrol, None) => Err(not_issued()),
    }
}

fn not_issued() -> Violation {
    Violation::new(CODE_KNOWN, "no such activation code was issued")
}

/// What an activation code is checked for (`WF-CODE-02`).
#[derive(Clone, Copy)]
enum CodeUse {
    /// Issuing it: it must be new.
    Issue,
    /// Enrolling with it: it must be pending.
    Enrol,
}

/// `WF-CODE-03`: an activation code works only before its expiry, and is issued with an expiry
/// in the future.
fn check_code_live(expires: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), Violation> {
    if at < expires {
        Ok(())
    } else {
        Err(Violation::new(
            CODE_LIVE,
            format!(
                "the activation code expired at `{}`",
                expires.format("%Y-%m-%d %H:%M")
            ),
        ))
    }
}
