//! Identifiers the directory assigns, and who acts.

use core::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty), $label:literal) => {
        $(#[$doc])*
        ///
        /// The directory assigns these in order when it handles the command that creates the
        /// thing; the event carries the id, so replaying events gives the same ids.
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name($inner);

        impl $name {
            /// The id with this number. Ids come from events; build one yourself only to
            /// refer to something an event created, or in tests.
            #[must_use]
            pub const fn new(n: $inner) -> Self {
                Self(n)
            }

            /// The number.
            #[must_use]
            pub const fn get(self) -> $inner {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($label, " {}"), self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }
    };
}

id_type!(
    /// A form (SEI) or service (SEB), defined by the authority.
    FormId(u32),
    "form"
);
id_type!(
    /// A department (SHAK code and/or SOR id) owned by one organisation.
    DepartmentId(u32),
    "department"
);
id_type!(
    /// A group, keyed by a department.
    GroupId(u32),
    "group"
);
id_type!(
    /// A user: one person in one organisation.
    UserId(u32),
    "user"
);
id_type!(
    /// One grant of one right on one department.
    GrantId(u64),
    "grant"
);

/// One right (role) of one form: the form and the right's position in the form's list.
///
/// A right always belongs to its form, so a `RightId` names both the form and the right.
///
/// # Example
/// ```
/// use sundhed_authorisation::{FormId, RightId};
///
/// let report = RightId::new(FormId::new(0), 1);
/// assert_eq!(report.form(), FormId::new(0));
/// assert_eq!(report.to_string(), "form 0 right 1");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RightId {
    form: FormId,
    index: u16,
}

impl RightId {
    /// The right at `index` in `form`'s list of rights.
    #[must_use]
    pub const fn new(form: FormId, index: u16) -> Self {
        Self { form, index }
    }

    /// The form the right belongs to.
    #[must_use]
    pub const fn form(self) -> FormId {
        self.form
    }

    /// The right's position in its form's list.
    #[must_use]
    pub const fn index(self) -> u16 {
        self.index
    }
}

impl fmt::Display for RightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} right {}", self.form, self.index)
    }
}

impl fmt::Debug for RightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RightId({}/{})", self.form.0, self.index)
    }
}

/// Who gives a command: the authority (Sundhedsdatastyrelsen) or a user of the directory.
///
/// The host authenticates the caller (for example with `sundhed-signing`) and maps the
/// certificate holder to a user with [`Directory::user_by_certificate`](crate::Directory::user_by_certificate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "user")]
pub enum Actor {
    /// The authority: registers organisations, sets ceilings, appoints primary admins.
    Authority,
    /// A user acting for themselves or as an admin.
    User(UserId),
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Authority => f.write_str("the authority"),
            Self::User(u) => write!(f, "{u}"),
        }
    }
}

/// Who receives a grant: one user, or a group (whose members then hold it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id")]
pub enum Grantee {
    /// A user.
    User(UserId),
    /// A group: every member holds the right while a member.
    Group(GroupId),
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(u) => write!(f, "{u}"),
            Self::Group(g) => write!(f, "{g}"),
        }
    }
}
