//! The authorisation world: two forms (psychiatric and somatic coercion), two organisations
//! with ceilings, a department tree in the first with a group for each department, and the
//! event log of everything done so far. Shared by authorisation's tests (fixtures, the
//! state-machine test), the directory fuzz target and the benches.

use chrono::{DateTime, TimeDelta, Utc};
use sundhed_authorisation::{
    AccessRequest, Actor, Change, Decision, DepartmentId, Directory, DirectoryCommand,
    DirectoryEvent, FormKind, GrantId, GrantSpec, Grantee, GroupId, NewDepartment, NewUser,
    Refusal, RightId, RightSpec, UserId,
};
use sundhed_identity::{Cvr, PersonId};

use crate::error::{TestkitError, parse};

mod steps;

/// 2026-11-23 08:00 UTC, the world's time.
#[must_use]
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_420_800, 0).unwrap_or_default()
}

/// `n` hours.
#[must_use]
pub fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

/// A distinct, well-formed CPR-based person for each `n < 400 000`.
///
/// # Errors
/// Never for `n < 400 000`.
pub fn person(n: u32) -> Result<PersonId, TestkitError> {
    parse(&format!("0101{:02}{:04}", 60 + n / 10_000 % 40, n % 10_000))
}

/// A new user for [`person`]`(n)`, without certificates.
///
/// # Errors
/// As [`person`].
pub fn new_user(n: u32) -> Result<NewUser, TestkitError> {
    Ok(NewUser {
        person: person(n)?,
        certificates: vec![],
    })
}

/// A distinct, valid CVR for each `i < 1 000 000` (large generated directories): seven
/// digits from 1 000 000 + `i` and their modulus-11 check digit; where that digit would be
/// 10, the next million up.
///
/// # Errors
/// No valid CVR in range (`i` too large).
pub fn numbered_cvr(i: u32) -> Result<Cvr, TestkitError> {
    let mut base = 1_000_000u32.saturating_add(i);
    while base < 10_000_000 {
        let digits = base.to_string();
        let digits = digits.chars().filter_map(|c| c.to_digit(10));
        let sum: u32 = digits.zip([2, 7, 6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            return parse(&format!("{base}{check}"));
        }
        base = base.saturating_add(1_000_000);
    }
    Err(TestkitError::data(
        format!("CVR number {i}"),
        "out of range",
    ))
}

fn spec(code: &str, admin: bool, personal: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: personal,
    }
}

/// Called after every refused command with the directory before and after it.
pub type RefusalCheck = fn(before: &Directory, after: &Directory);

/// The world, its names and its log.
#[derive(Clone, Debug)]
pub struct World {
    /// The directory.
    pub dir: Directory,
    /// Organisation A (Region Hovedstaden).
    pub a: Cvr,
    /// Organisation B (Region Midtjylland).
    pub b: Cvr,
    /// Form 0 (psychiatric coercion): the admin right.
    pub psych_admin: RightId,
    /// Form 0: report (personal data).
    pub psych_report: RightId,
    /// Form 0: read (no personal data).
    pub psych_read: RightId,
    /// Form 1 (somatic coercion): the admin right.
    pub som_admin: RightId,
    /// Form 1: report.
    pub som_report: RightId,
    /// Organisation A: hospital 1301 > departments 130101, 130102; 130101 > section 1301011.
    pub hospital: DepartmentId,
    /// 130101.
    pub dept1: DepartmentId,
    /// 130102.
    pub dept2: DepartmentId,
    /// 1301011, under 130101.
    pub section: DepartmentId,
    /// Organisation B: hospital 6620.
    pub b_hospital: DepartmentId,
    /// A's hospital group (the primary admin's).
    pub g_hospital: GroupId,
    /// The group of `dept1`, under the hospital group.
    pub g_dept1: GroupId,
    /// The group of `dept2`.
    pub g_dept2: GroupId,
    /// The group of `section`.
    pub g_section: GroupId,
    /// B's group (its primary admin's).
    pub g_b: GroupId,
    /// A's primary admin.
    pub admin_a: UserId,
    /// B's primary admin.
    pub admin_b: UserId,
    /// The number of the last person [`World::user`] created.
    pub next_person: u32,
    /// Every event so far, setup included.
    pub log: Vec<DirectoryEvent>,
    /// Called after every refused command of [`World::run`]; tests assert there that a
    /// refusal changed nothing. Does nothing by default.
    pub refusal_check: RefusalCheck,
}

fn ignore(_: &Directory, _: &Directory) {}

fn first<T>(
    events: &[DirectoryEvent],
    what: &str,
    pick: impl Fn(&Change) -> Option<T>,
) -> Result<T, TestkitError> {
    events
        .first()
        .and_then(|e| pick(&e.change))
        .ok_or_else(|| TestkitError::Unexpected(format!("no {what}: {events:?}")))
}

fn group_created(change: &Change) -> Option<GroupId> {
    match change {
        Change::GroupCreated { group, .. } => Some(*group),
        _ => None,
    }
}

impl World {
    /// Builds the world at [`t0`].
    ///
    /// # Errors
    /// A setup command is refused (a bug in the libraries or here).
    pub fn new() -> Result<Self, TestkitError> {
        let mut w = Self::forms()?;
        let (a, b) = (w.a, w.b);
        let org =
            |cvr, name: &str, department: &str, shak: &str, admin| -> Result<_, TestkitError> {
                Ok(DirectoryCommand::RegisterOrganisation {
                    cvr,
                    name: name.into(),
                    department: NewDepartment {
                        name: department.into(),
                        shak: Some(parse(shak)?),
                        sor: None,
                    },
                    primary_admin: new_user(admin)?,
                })
            };
        let psych = [w.psych_admin, w.psych_report, w.psych_read];
        for command in [
            org(a, "Region Hovedstaden", "Psykiatrisk Center", "1301", 1)?,
            org(b, "Region Midtjylland", "Aarhus", "6620", 2)?,
            DirectoryCommand::SetCeiling {
                organisation: a,
                rights: psych
                    .into_iter()
                    .chain([w.som_admin, w.som_report])
                    .collect(),
            },
            DirectoryCommand::SetCeiling {
                organisation: b,
                rights: psych.into_iter().collect(),
            },
        ] {
            w.run(Actor::Authority, command, t0())?;
        }
        w.hospital = w.department("1301")?;
        w.b_hospital = w.department("6620")?;
        w.dept1 = w.create_department("130101", w.hospital)?;
        w.dept2 = w.create_department("130102", w.hospital)?;
        w.section = w.create_department("1301011", w.dept1)?;
        w.admin_a = w.primary(a)?;
        w.admin_b = w.primary(b)?;
        w.g_hospital = w.first_group(w.admin_a)?;
        w.g_b = w.first_group(w.admin_b)?;
        w.g_dept1 = w.create_group(w.dept1)?;
        w.g_dept2 = w.create_group(w.dept2)?;
        w.g_section = w.create_group(w.section)?;
        Ok(w)
    }

    /// The world with `check` called after every refused command.
    #[must_use]
    pub fn with_refusal_check(mut self, check: RefusalCheck) -> Self {
        self.refusal_check = check;
        self
    }

    /// The two forms defined; everything else still unset (id 0).
    fn forms() -> Result<Self, TestkitError> {
        let mut dir = Directory::new();
        let mut log = Vec::new();
        for (code, name, rights) in [
            (
                "SEI-TVANG-PSYK",
                "Tvang i psykiatrien",
                vec![
                    spec("ADMIN", true, false),
                    spec("INDBERET", false, true),
                    spec("LAES", false, false),
                ],
            ),
            (
                "SEI-SOMATISK",
                "Somatisk tvang",
                vec![spec("ADMIN", true, false), spec("INDBERET", false, true)],
            ),
        ] {
            let command = DirectoryCommand::DefineForm {
                code: code.into(),
                name: name.into(),
                kind: FormKind::SeiForm,
                rights,
            };
            log.extend(dir.execute(Actor::Authority, &command, t0())?);
        }
        let right = |form: &str, code: &str| {
            dir.form_by_code(form)
                .and_then(|f| f.right_by_code(code))
                .ok_or_else(|| TestkitError::Unexpected(format!("no right {form}/{code}")))
        };
        let (dept, group, user) = (DepartmentId::new(0), GroupId::new(0), UserId::new(0));
        Ok(Self {
            psych_admin: right("SEI-TVANG-PSYK", "ADMIN")?,
            psych_report: right("SEI-TVANG-PSYK", "INDBERET")?,
            psych_read: right("SEI-TVANG-PSYK", "LAES")?,
            som_admin: right("SEI-SOMATISK", "ADMIN")?,
            som_report: right("SEI-SOMATISK", "INDBERET")?,
            dir,
            a: parse("29190623")?,
            b: parse("29190925")?,
            hospital: dept,
            dept1: dept,
            dept2: dept,
            section: dept,
            b_hospital: dept,
            g_hospital: group,
            g_dept1: group,
            g_dept2: group,
            g_section: group,
            g_b: group,
            admin_a: user,
            admin_b: user,
            next_person: 100,
            log,
            refusal_check: ignore,
        })
    }

    fn department(&self, shak: &str) -> Result<DepartmentId, TestkitError> {
        self.dir
            .department_by_shak(parse(shak)?)
            .ok_or_else(|| TestkitError::Unexpected(format!("no department {shak}")))
    }

    fn create_department(
        &mut self,
        shak: &str,
        parent: DepartmentId,
    ) -> Result<DepartmentId, TestkitError> {
        let command = DirectoryCommand::CreateDepartment {
            organisation: self.a,
            department: NewDepartment {
                name: shak.into(),
                shak: Some(parse(shak)?),
                sor: None,
            },
            parent: Some(parent),
        };
        self.run(Actor::Authority, command, t0())?;
        self.department(shak)
    }

    fn primary(&self, organisation: Cvr) -> Result<UserId, TestkitError> {
        self.dir
            .users_of(organisation)
            .first()
            .copied()
            .ok_or_else(|| TestkitError::Unexpected(format!("no user in {organisation}")))
    }

    fn first_group(&self, user: UserId) -> Result<GroupId, TestkitError> {
        self.dir
            .user(user)
            .and_then(|u| u.groups().first().copied())
            .ok_or_else(|| TestkitError::Unexpected(format!("{user} has no group")))
    }

    fn create_group(&mut self, department: DepartmentId) -> Result<GroupId, TestkitError> {
        let command = DirectoryCommand::CreateGroup {
            department,
            name: format!("{department}"),
            parent: Some(self.g_hospital),
        };
        let events = self.run(Actor::User(self.admin_a), command, t0())?;
        first(&events, "group", group_created)
    }

    /// The five rights: psychiatric admin, report, read; somatic admin, report.
    #[must_use]
    pub fn rights(&self) -> [RightId; 5] {
        [
            self.psych_admin,
            self.psych_report,
            self.psych_read,
            self.som_admin,
            self.som_report,
        ]
    }

    /// The five departments: A's hospital, dept1, dept2, section; B's hospital.
    #[must_use]
    pub fn departments(&self) -> [DepartmentId; 5] {
        [
            self.hospital,
            self.dept1,
            self.dept2,
            self.section,
            self.b_hospital,
        ]
    }

    /// The five groups, in the order of [`World::departments`].
    #[must_use]
    pub fn groups(&self) -> [GroupId; 5] {
        [
            self.g_hospital,
            self.g_dept1,
            self.g_dept2,
            self.g_section,
            self.g_b,
        ]
    }

    /// Runs a command: its events are logged, or its refusal is returned after
    /// [`World::refusal_check`] has seen the directory before and after.
    ///
    /// # Errors
    /// The directory's refusal.
    pub fn run(
        &mut self,
        actor: Actor,
        command: DirectoryCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        let before = self.dir.clone();
        let result = self.dir.execute(actor, &command, at);
        match &result {
            Err(_) => (self.refusal_check)(&before, &self.dir),
            Ok(events) => self.log.extend(events.iter().cloned()),
        }
        result
    }

    /// Creates a new person's user in `group` with `grants`, by `admin`.
    ///
    /// # Errors
    /// [`TestkitError::Refused`] with the directory's refusal.
    pub fn user(
        &mut self,
        admin: UserId,
        group: GroupId,
        grants: Vec<GrantSpec>,
    ) -> Result<UserId, TestkitError> {
        self.next_person += 1;
        let command = DirectoryCommand::CreateUser {
            user: new_user(self.next_person)?,
            groups: vec![group],
            grants,
        };
        let events = self.run(Actor::User(admin), command, t0())?;
        first(&events, "user", |c| match c {
            Change::UserCreated { user, .. } => Some(*user),
            _ => None,
        })
    }

    /// Grants by `admin`, returning the grant id.
    ///
    /// # Errors
    /// [`TestkitError::Refused`] with the directory's refusal.
    pub fn grant(
        &mut self,
        admin: UserId,
        grantee: Grantee,
        spec: GrantSpec,
        at: DateTime<Utc>,
    ) -> Result<GrantId, TestkitError> {
        let command = DirectoryCommand::Grant {
            grantee,
            grant: spec,
        };
        let events = self.run(Actor::User(admin), command, at)?;
        first(&events, "grant", |c| match c {
            Change::GrantIssued { grant, .. } => Some(*grant),
            _ => None,
        })
    }

    /// A co-admin of form 0 and form 1 on `department`, created and appointed by admin A,
    /// holding `rights` there too.
    ///
    /// # Errors
    /// A step is refused.
    pub fn co_admin(
        &mut self,
        department: DepartmentId,
        group: GroupId,
        rights: &[RightId],
    ) -> Result<UserId, TestkitError> {
        let grants = rights
            .iter()
            .map(|r| GrantSpec::new(*r, department))
            .collect();
        let user = self.user(self.admin_a, group, grants)?;
        let appoint = DirectoryCommand::AppointCoAdmin {
            user,
            forms: vec![self.psych_admin.form(), self.som_admin.form()],
            departments: vec![department],
            valid_until: None,
        };
        self.run(Actor::User(self.admin_a), appoint, t0())?;
        Ok(user)
    }

    /// Whether `user` may use `right` on `department` at `at`.
    #[must_use]
    pub fn allowed(
        &self,
        user: UserId,
        right: RightId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> bool {
        self.decide(user, right, department, at).is_allowed()
    }

    /// The decision on `user` using `right` on `department` at `at`.
    #[must_use]
    pub fn decide(
        &self,
        user: UserId,
        right: RightId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> Decision {
        let request = AccessRequest {
            user,
            right,
            department,
        };
        self.dir.check(&request, at)
    }

    /// `user` acknowledges the duty of confidentiality.
    ///
    /// # Errors
    /// The acknowledgement is refused.
    pub fn acknowledge(&mut self, user: UserId) -> Result<(), TestkitError> {
        let command = DirectoryCommand::AcknowledgeConfidentiality;
        self.run(Actor::User(user), command, t0())?;
        Ok(())
    }
}
