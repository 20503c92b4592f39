//! What happened: the events a handled command produces.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sundhed_identity::{CertificateHolderId, Cvr, PersonId, RuleId, ShakCode, SorId};

use crate::ids::{Actor, DepartmentId, FormId, GrantId, Grantee, GroupId, RightId, UserId};
use crate::model::{AdminScope, FormKind, RightSpec, Support, Validity};
use crate::rules::{CEILING, MEMBER_SUPPORT, SUPPORT, USER_ACTIVE};

/// The version of the event format this crate writes, and the only one it reads.
///
/// Version 2 (issue 12) identifies certificate holders together with their organisation's CVR
/// (`CVR:<cvr>-RID:<n>`); version 1 keyed OCES2 users by the bare `RID:<n>`, which is unique
/// only within a company, so a version 1 event is refused rather than read as if its bare
/// number named one person.
pub const EVENT_VERSION: u16 = 2;

/// Reads an event's `version` and refuses any but [`EVENT_VERSION`], so an event of another
/// format is never read as if it had this one's shape. For `#[serde(deserialize_with)]` on
/// the `version` field of every logged event (the directory's and the procedures').
///
/// # Errors
/// The deserializer's error, or a custom one naming the version found.
pub fn read_event_version<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<u16, D::Error> {
    let found = u16::deserialize(deserializer)?;
    if found == EVENT_VERSION {
        Ok(found)
    } else {
        Err(serde::de::Error::custom(format_args!(
            "the event is of format version {found}, and this version reads version \
             {EVENT_VERSION} only"
        )))
    }
}

/// One thing that happened, with who did it and when.
///
/// Events are facts: [`Directory::apply`](crate::Directory::apply) never refuses one. They
/// serialise as JSON objects with a `version` (currently [`EVENT_VERSION`]), the directory
/// version the event `applies_to`, and a `change` tagged by `type`, so a log written today can
/// be read by a later version.
///
/// `applies_to` ties the event to the state it was computed on (`AUTHZ-STATE-01`): the
/// directory's [`version`](crate::Directory::version) (how many events it had applied) when
/// the command was handled, plus the events of the command, or the batch, before this one.
/// The checked [`Directory::apply_all`](crate::Directory::apply_all) applies events only to
/// that version.
///
/// # Example
/// ```
/// use sundhed_authorisation::{Actor, Change, DirectoryEvent, UserId};
/// use chrono::{TimeZone, Utc};
///
/// let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).single().ok_or("time")?;
/// let event = DirectoryEvent::new(at, Actor::User(UserId::new(7)), Change::ConfidentialityAcknowledged {
///     user: UserId::new(7),
/// });
/// let json = serde_json::to_string(&event)?;
/// assert!(json.contains(r#""type":"ConfidentialityAcknowledged""#));
/// assert_eq!(serde_json::from_str::<DirectoryEvent>(&json)?, event);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEvent {
    /// The format version ([`EVENT_VERSION`]; no other is read).
    #[serde(deserialize_with = "read_event_version")]
    pub version: u16,
    /// The directory version this event applies to: the number of events the directory had
    /// applied when the event was computed to come next (`AUTHZ-STATE-01`).
    pub applies_to: u64,
    /// When the command was given.
    pub at: DateTime<Utc>,
    /// Who gave it.
    pub actor: Actor,
    /// What changed.
    pub change: Change,
}

impl DirectoryEvent {
    /// An event of the current format version, applying to directory version 0 (an empty
    /// directory); name another with [`applying_to`](Self::applying_to).
    #[must_use]
    pub fn new(at: DateTime<Utc>, actor: Actor, change: Change) -> Self {
        Self {
            version: EVENT_VERSION,
            applies_to: 0,
            at,
            actor,
            change,
        }
    }

    /// The event, applying to directory version `version` (see
    /// [`Directory::version`](crate::Directory::version)).
    #[must_use]
    pub fn applying_to(self, version: u64) -> Self {
        Self {
            applies_to: version,
            ..self
        }
    }
}

/// An optional rule id as JSON: its id string, read back as the crate's rule of that id.
mod rule_id {
    use serde::{Deserialize, Deserializer, Serializer};
    use sundhed_identity::RuleId;

    #[expect(
        clippy::ref_option,
        reason = "serde's `with` passes the field by reference"
    )]
    pub(super) fn serialize<S: Serializer>(
        rule: &Option<RuleId>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match rule {
            Some(r) => serializer.serialize_some(r.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<RuleId>, D::Error> {
        let Some(id) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        crate::rules::by_id(&id).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "`{}` is no rule of the directory",
                sundhed_identity::shown(&id)
            ))
        })
    }
}

impl RevocationCause {
    /// The rule that revokes a grant for this cause, if a rule does (rather than an actor's
    /// choice): see [`Change::GrantRevoked`].
    #[must_use]
    pub fn rule(self) -> Option<RuleId> {
        match self {
            Self::Revoked => None,
            Self::LostSupport => Some(SUPPORT),
            Self::LeftCeiling => Some(CEILING),
            Self::GranteeDeactivated => Some(USER_ACTIVE),
        }
    }
}

/// Why a user left a group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaveCause {
    /// An admin took the user out (`LeaveGroup`).
    #[default]
    Removed,
    /// The membership's grantor lost the standing that let them hand down a right the group
    /// carries (rule `AUTHZ-MEMBER-01`).
    LostSupport,
}

impl LeaveCause {
    /// The rule that ends a membership for this cause, if a rule does: see
    /// [`Change::UserLeftGroup`].
    #[must_use]
    pub fn rule(self) -> Option<RuleId> {
        match self {
            Self::Removed => None,
            Self::LostSupport => Some(MEMBER_SUPPORT),
        }
    }

    fn is_removed(&self) -> bool {
        *self == Self::Removed
    }
}

/// Why a grant stopped existing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevocationCause {
    /// Revoked directly by the actor (or as part of removing a co-admin).
    Revoked,
    /// Every support it had was revoked (cascade, rule `AUTHZ-SUPPORT-01`).
    LostSupport,
    /// Its right left the organisation's ceiling.
    LeftCeiling,
    /// Its grantee was deactivated.
    GranteeDeactivated,
}

/// The change an event records, named in the past tense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Change {
    /// The authority defined a form or service.
    FormDefined {
        /// Its id.
        form: FormId,
        /// Its code.
        code: String,
        /// Its name.
        name: String,
        /// SEI form or SEB service.
        kind: FormKind,
        /// Its rights, in order.
        rights: Vec<RightSpec>,
    },
    /// The authority registered an organisation.
    OrganisationRegistered {
        /// The CVR number.
        cvr: Cvr,
        /// The name.
        name: String,
    },
    /// The organisation's ceiling was set.
    CeilingSet {
        /// The organisation.
        organisation: Cvr,
        /// The complete new ceiling.
        rights: BTreeSet<RightId>,
    },
    /// A department was created.
    DepartmentCreated {
        /// Its id.
        department: DepartmentId,
        /// The owning organisation.
        organisation: Cvr,
        /// Its name.
        name: String,
        /// Its SHAK code.
        shak: Option<ShakCode>,
        /// Its SOR id.
        sor: Option<SorId>,
        /// The department above.
        parent: Option<DepartmentId>,
    },
    /// A group was created.
    GroupCreated {
        /// Its id.
        group: GroupId,
        /// Its department.
        department: DepartmentId,
        /// The organisation.
        organisation: Cvr,
        /// Its name.
        name: String,
        /// The parent group.
        parent: Option<GroupId>,
    },
    /// A user was created, already a member of `groups`; the event's actor is the grantor of
    /// each of those memberships (`AUTHZ-MEMBER-01`).
    UserCreated {
        /// Its id.
        user: UserId,
        /// The organisation.
        organisation: Cvr,
        /// The person.
        person: PersonId,
        /// The certificate holders.
        certificates: Vec<CertificateHolderId>,
        /// The groups joined.
        groups: Vec<GroupId>,
    },
    /// A user became a primary admin.
    PrimaryAdminAppointed {
        /// The organisation.
        organisation: Cvr,
        /// The user.
        user: UserId,
        /// What they administer.
        scope: AdminScope,
    },
    /// A user stopped being a primary admin.
    PrimaryAdminRemoved {
        /// The organisation.
        organisation: Cvr,
        /// The user.
        user: UserId,
    },
    /// A grant was made; the event's actor is the grantor.
    GrantIssued {
        /// Its id.
        grant: GrantId,
        /// The organisation.
        organisation: Cvr,
        /// Who holds it.
        grantee: Grantee,
        /// The right.
        right: RightId,
        /// The department, with its sub-departments.
        department: DepartmentId,
        /// When it counts.
        validity: Validity,
        /// What keeps it alive.
        support: Support,
    },
    /// A grant stopped existing.
    GrantRevoked {
        /// The grant.
        grant: GrantId,
        /// Why.
        cause: RevocationCause,
        /// The rule that revoked it, when a rule did rather than the actor's choice:
        /// `AUTHZ-SUPPORT-01` for [`RevocationCause::LostSupport`], `AUTHZ-CEIL-01` for
        /// [`RevocationCause::LeftCeiling`], `AUTHZ-USER-01` for
        /// [`RevocationCause::GranteeDeactivated`]; `None` for [`RevocationCause::Revoked`].
        /// Absent from the JSON when `None`, and read as `None` from logs written before it
        /// existed.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "rule_id")]
        rule: Option<RuleId>,
    },
    /// A user joined a group; the event's actor is the membership's grantor
    /// (`AUTHZ-MEMBER-01`).
    UserJoinedGroup {
        /// The user.
        user: UserId,
        /// The group.
        group: GroupId,
    },
    /// A user left a group.
    UserLeftGroup {
        /// The user.
        user: UserId,
        /// The group.
        group: GroupId,
        /// Why: an admin took them out, or the membership lost its support. Absent from the
        /// JSON for [`LeaveCause::Removed`], and read as it from logs written before it existed.
        #[serde(default, skip_serializing_if = "LeaveCause::is_removed")]
        cause: LeaveCause,
        /// The rule that ended the membership, when a rule did: `AUTHZ-MEMBER-01` for
        /// [`LeaveCause::LostSupport`]; `None` for [`LeaveCause::Removed`]. Absent from the
        /// JSON when `None`.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "rule_id")]
        rule: Option<RuleId>,
    },
    /// A user was deactivated.
    UserDeactivated {
        /// The user.
        user: UserId,
    },
    /// A user acknowledged the duty of confidentiality.
    ConfidentialityAcknowledged {
        /// The user.
        user: UserId,
    },
}
