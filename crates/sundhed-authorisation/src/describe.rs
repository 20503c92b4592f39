//! How messages name things: as people know them (form and right codes, department names with
//! their SHAK code or SOR id, group names), never by a CPR number. User-typed text goes through
//! [`shown`], which cuts, escapes and masks CPR-shaped digits; a person appears only as
//! `PersonId`'s masked `Display`. Something the directory does not know is named by its id.

use sundhed_identity::shown;

use crate::ids::{DepartmentId, FormId, GrantId, GroupId, RightId, UserId};
use crate::model::{Department, User};
use crate::read::Read;

/// Naming things for messages; every [`Read`] can.
pub(crate) trait Describe: Read {
    /// A form for messages: ``form `SEI-TVANG-PSYK` ``.
    fn describe_form(&self, form: FormId) -> String {
        match self.form(form) {
            Some(f) => format!("form `{}`", shown(&f.code)),
            None => form.to_string(),
        }
    }

    /// A right for messages, by its form's code and its own: ``right `SEI-TVANG-PSYK`/`INDBERET` ``.
    fn describe_right(&self, right: RightId) -> String {
        let form = self.form(right.form());
        match form.and_then(|f| Some((f, f.right(right)?))) {
            Some((f, spec)) => format!("right `{}`/`{}`", shown(&f.code), shown(&spec.code)),
            None => right.to_string(),
        }
    }

    /// A department for messages: ``department `Psykiatrisk Center` (SHAK `1301`)``.
    fn describe_department(&self, department: DepartmentId) -> String {
        match self.department(department) {
            Some(d) => describe_department(d),
            None => department.to_string(),
        }
    }

    /// A group for messages: ``group 3 `Akutmodtagelsen` `` (group names need not be unique).
    fn describe_group(&self, group: GroupId) -> String {
        match self.group(group) {
            Some(g) => format!("{group} `{}`", shown(&g.name)),
            None => group.to_string(),
        }
    }

    /// A user for messages: `user 2 (cpr 010170-xxxx)`, the person masked.
    fn describe_user(&self, user: UserId) -> String {
        match self.user(user) {
            Some(u) => describe_user(u),
            None => user.to_string(),
        }
    }

    /// A grant for messages: ``grant 7 of right `SEI-TVANG-PSYK`/`INDBERET` ``.
    fn describe_grant(&self, grant: GrantId) -> String {
        match self.grant(grant) {
            Some(g) => format!("{grant} of {}", self.describe_right(g.right)),
            None => grant.to_string(),
        }
    }
}

impl<R: Read + ?Sized> Describe for R {}

/// A department record for messages: its name and its SHAK code, or else its SOR id.
pub(crate) fn describe_department(d: &Department) -> String {
    let name = shown(&d.name);
    match (d.shak, d.sor) {
        (Some(shak), _) => format!("department `{name}` (SHAK `{shak}`)"),
        (None, Some(sor)) => format!("department `{name}` (SOR `{sor}`)"),
        (None, None) => format!("department `{name}`"),
    }
}

/// A user record for messages: its id and its person, masked.
pub(crate) fn describe_user(u: &User) -> String {
    format!("{} ({})", u.id, u.person)
}
