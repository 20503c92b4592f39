//! Rules about what a command gives back: fresh ids (`AUTHZ-IDS-01`) and appointments that
//! appoint to something (`AUTHZ-APPOINT-02`).

use core::fmt;

use sundhed_identity::Violation;

use crate::describe::Describe;
use crate::ids::UserId;
use crate::read::Read;
use crate::rules::{APPOINT_NAMED, IDS_FRESH};

/// The kinds of thing the directory numbers itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdKind {
    /// Forms and services.
    Form,
    /// Departments.
    Department,
    /// Groups.
    Group,
    /// Users.
    User,
    /// Grants.
    Grant,
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Form => "form",
            Self::Department => "department",
            Self::Group => "group",
            Self::User => "user",
            Self::Grant => "grant",
        })
    }
}

/// Rule `AUTHZ-IDS-01`: the directory hands out each id once. `next` is the counter of
/// `kind` (one integer wider than the id); once it stands past the last id, a command
/// needing one more is refused, never given an id already in use (source: `docs/authorisation.md`,
/// "The model": ids are the directory's).
pub(crate) fn check_ids_left<N: TryFrom<W>, W: Copy>(
    next: W,
    kind: IdKind,
) -> Result<N, Violation> {
    N::try_from(next).map_err(|_| {
        Violation::new(
            IDS_FRESH,
            format!("the directory has handed out its last {kind} id, so no {kind} can be added"),
        )
    })
}

/// Rule `AUTHZ-APPOINT-02`: a co-admin appointment names at least one form and at least one
/// department; one that names none would change nothing, so it is refused rather than
/// accepted as a silent no-op (source: `docs/authorisation.md`, "Admins"; seed SEB: the primary
/// administrator appoints co-administrators for named services).
pub(crate) fn check_appointment_named(
    directory: &impl Read,
    user: UserId,
    forms: usize,
    departments: usize,
) -> Result<(), Violation> {
    let missing = match (forms, departments) {
        (0, 0) => "no form and no department",
        (0, _) => "no form",
        (_, 0) => "no department",
        _ => return Ok(()),
    };
    Err(Violation::new(
        APPOINT_NAMED,
        format!(
            "the co-admin appointment of {} names {missing}, so it would appoint to nothing",
            directory.describe_user(user)
        ),
    ))
}
