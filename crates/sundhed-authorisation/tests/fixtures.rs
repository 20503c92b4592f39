//! A small world shared by the tests: two forms, two organisations, a department tree.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use sundhed_authorisation::{
    AccessRequest, Actor, DepartmentId, Directory, DirectoryCommand, DirectoryEvent, FormKind,
    GrantSpec, Grantee, GroupId, NewDepartment, NewUser, Refusal, RightId, RightSpec, UserId,
};
use sundhed_identity::{Cvr, PersonId};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .unwrap()
}

pub fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

/// A distinct, well-formed CPR-based person for each `n < 10 000`.
pub fn person(n: u32) -> PersonId {
    format!("0101{:02}{:04}", 60 + n / 10_000 % 40, n % 10_000)
        .parse()
        .unwrap()
}

pub fn new_user(n: u32) -> NewUser {
    NewUser {
        person: person(n),
        certificates: vec![],
    }
}

fn spec(code: &str, admin: bool, personal: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: personal,
    }
}

pub struct World {
    pub dir: Directory,
    pub a: Cvr,
    pub b: Cvr,
    /// Form 0 (psychiatric coercion): admin, report (personal data), read (no personal data).
    pub psych_admin: RightId,
    pub psych_report: RightId,
    pub psych_read: RightId,
    /// Form 1 (somatic coercion): admin, report.
    pub som_admin: RightId,
    pub som_report: RightId,
    /// Organisation A: hospital 1301 > departments 130101, 130102; 130101 > section 1301011.
    pub hospital: DepartmentId,
    pub dept1: DepartmentId,
    pub dept2: DepartmentId,
    pub section: DepartmentId,
    /// Organisation B: hospital 6620.
    pub b_hospital: DepartmentId,
    /// Groups of A: hospital, dept1, dept2, section. Group of B: b_hospital.
    pub g_hospital: GroupId,
    pub g_dept1: GroupId,
    pub g_dept2: GroupId,
    pub g_section: GroupId,
    pub g_b: GroupId,
    /// Primary admins.
    pub admin_a: UserId,
    pub admin_b: UserId,
    pub next_person: u32,
    /// Every event so far, setup included.
    pub log: Vec<DirectoryEvent>,
}

fn exec(
    dir: &mut Directory,
    log: &std::cell::RefCell<Vec<DirectoryEvent>>,
    actor: Actor,
    command: &DirectoryCommand,
    at: DateTime<Utc>,
) -> Result<Vec<DirectoryEvent>, Refusal> {
    let events = dir.execute(actor, command, at)?;
    log.borrow_mut().extend(events.iter().cloned());
    Ok(events)
}

impl World {
    pub fn new() -> Self {
        let mut dir = Directory::new();
        let log = std::cell::RefCell::new(Vec::<DirectoryEvent>::new());
        let at = t0();
        let auth = Actor::Authority;
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::DefineForm {
                code: "SEI-TVANG-PSYK".into(),
                name: "Tvang i psykiatrien".into(),
                kind: FormKind::SeiForm,
                rights: vec![
                    spec("ADMIN", true, false),
                    spec("INDBERET", false, true),
                    spec("LAES", false, false),
                ],
            },
            at,
        )
        .unwrap();
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::DefineForm {
                code: "SEI-SOMATISK".into(),
                name: "Somatisk tvang".into(),
                kind: FormKind::SeiForm,
                rights: vec![spec("ADMIN", true, false), spec("INDBERET", false, true)],
            },
            at,
        )
        .unwrap();
        let psych = dir.form_by_code("SEI-TVANG-PSYK").unwrap();
        let (psych_admin, psych_report, psych_read) = (
            psych.admin_right().unwrap(),
            psych.right_by_code("INDBERET").unwrap(),
            psych.right_by_code("LAES").unwrap(),
        );
        let som = dir.form_by_code("SEI-SOMATISK").unwrap();
        let (som_admin, som_report) = (
            som.admin_right().unwrap(),
            som.right_by_code("INDBERET").unwrap(),
        );
        let a: Cvr = "29190623".parse().unwrap();
        let b: Cvr = "29190925".parse().unwrap();
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::RegisterOrganisation {
                cvr: a,
                name: "Region Hovedstaden".into(),
                department: NewDepartment {
                    name: "Psykiatrisk Center".into(),
                    shak: Some("1301".parse().unwrap()),
                    sor: None,
                },
                primary_admin: new_user(1),
            },
            at,
        )
        .unwrap();
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::RegisterOrganisation {
                cvr: b,
                name: "Region Midtjylland".into(),
                department: NewDepartment {
                    name: "Aarhus".into(),
                    shak: Some("6620".parse().unwrap()),
                    sor: None,
                },
                primary_admin: new_user(2),
            },
            at,
        )
        .unwrap();
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::SetCeiling {
                organisation: a,
                rights: [psych_admin, psych_report, psych_read, som_admin, som_report].into(),
            },
            at,
        )
        .unwrap();
        exec(
            &mut dir,
            &log,
            auth,
            &DirectoryCommand::SetCeiling {
                organisation: b,
                rights: [psych_admin, psych_report, psych_read].into(),
            },
            at,
        )
        .unwrap();
        let hospital = dir.department_by_shak("1301".parse().unwrap()).unwrap();
        let b_hospital = dir.department_by_shak("6620".parse().unwrap()).unwrap();
        let mk = |dir: &mut Directory, shak: &str, parent| {
            exec(
                dir,
                &log,
                auth,
                &DirectoryCommand::CreateDepartment {
                    organisation: a,
                    department: NewDepartment {
                        name: shak.into(),
                        shak: Some(shak.parse().unwrap()),
                        sor: None,
                    },
                    parent: Some(parent),
                },
                at,
            )
            .unwrap();
            dir.department_by_shak(shak.parse().unwrap()).unwrap()
        };
        let dept1 = mk(&mut dir, "130101", hospital);
        let dept2 = mk(&mut dir, "130102", hospital);
        let section = mk(&mut dir, "1301011", dept1);
        let admin_a = dir.users_of(a)[0];
        let admin_b = dir.users_of(b)[0];
        let g_hospital = dir.user(admin_a).unwrap().groups()[0];
        let g_b = dir.user(admin_b).unwrap().groups()[0];
        let group = |dir: &mut Directory, d: DepartmentId| {
            let events = exec(
                dir,
                &log,
                Actor::User(admin_a),
                &DirectoryCommand::CreateGroup {
                    department: d,
                    name: format!("{d}"),
                    parent: Some(g_hospital),
                },
                at,
            )
            .unwrap();
            match &events[0].change {
                sundhed_authorisation::Change::GroupCreated { group, .. } => *group,
                other => panic!("{other:?}"),
            }
        };
        let g_dept1 = group(&mut dir, dept1);
        let g_dept2 = group(&mut dir, dept2);
        let g_section = group(&mut dir, section);
        World {
            dir,
            a,
            b,
            psych_admin,
            psych_report,
            psych_read,
            som_admin,
            som_report,
            hospital,
            dept1,
            dept2,
            section,
            b_hospital,
            g_hospital,
            g_dept1,
            g_dept2,
            g_section,
            g_b,
            admin_a,
            admin_b,
            next_person: 100,
            log: log.into_inner(),
        }
    }

    pub fn rights(&self) -> [RightId; 5] {
        [
            self.psych_admin,
            self.psych_report,
            self.psych_read,
            self.som_admin,
            self.som_report,
        ]
    }

    pub fn departments(&self) -> [DepartmentId; 5] {
        [
            self.hospital,
            self.dept1,
            self.dept2,
            self.section,
            self.b_hospital,
        ]
    }

    pub fn groups(&self) -> [GroupId; 5] {
        [
            self.g_hospital,
            self.g_dept1,
            self.g_dept2,
            self.g_section,
            self.g_b,
        ]
    }

    /// Runs a command and returns its events or refusal; a refusal must leave the directory
    /// exactly as it was.
    pub fn run(
        &mut self,
        actor: Actor,
        command: DirectoryCommand,
        at: DateTime<Utc>,
    ) -> Result<Vec<DirectoryEvent>, Refusal> {
        let before = self.dir.clone();
        let result = self.dir.execute(actor, &command, at);
        match &result {
            Err(_) => assert_eq!(self.dir, before, "a refused command changed the directory"),
            Ok(events) => self.log.extend(events.iter().cloned()),
        }
        result
    }

    /// Creates a user in `group` with `grants`, by `admin`.
    pub fn user(
        &mut self,
        admin: UserId,
        group: GroupId,
        grants: Vec<GrantSpec>,
    ) -> Result<UserId, Refusal> {
        self.next_person += 1;
        let events = self.run(
            Actor::User(admin),
            DirectoryCommand::CreateUser {
                user: new_user(self.next_person),
                groups: vec![group],
                grants,
            },
            t0(),
        )?;
        Ok(match &events[0].change {
            sundhed_authorisation::Change::UserCreated { user, .. } => *user,
            other => panic!("{other:?}"),
        })
    }

    /// Grants by `admin` to a user, returning the grant id.
    pub fn grant(
        &mut self,
        admin: UserId,
        grantee: Grantee,
        spec: GrantSpec,
        at: DateTime<Utc>,
    ) -> Result<sundhed_authorisation::GrantId, Refusal> {
        let events = self.run(
            Actor::User(admin),
            DirectoryCommand::Grant {
                grantee,
                grant: spec,
            },
            at,
        )?;
        Ok(match &events[0].change {
            sundhed_authorisation::Change::GrantIssued { grant, .. } => *grant,
            other => panic!("{other:?}"),
        })
    }

    /// A co-admin of form 0 and form 1 on `department`, created and appointed by admin A,
    /// holding `rights` there too.
    pub fn co_admin(
        &mut self,
        department: DepartmentId,
        group: GroupId,
        rights: &[RightId],
    ) -> UserId {
        let grants = rights
            .iter()
            .map(|r| GrantSpec::new(*r, department))
            .collect();
        let user = self.user(self.admin_a, group, grants).unwrap();
        self.run(
            Actor::User(self.admin_a),
            DirectoryCommand::AppointCoAdmin {
                user,
                forms: vec![self.psych_admin.form(), self.som_admin.form()],
                departments: vec![department],
                valid_until: None,
            },
            t0(),
        )
        .unwrap();
        user
    }

    pub fn allowed(
        &self,
        user: UserId,
        right: RightId,
        department: DepartmentId,
        at: DateTime<Utc>,
    ) -> bool {
        self.dir
            .check(
                &AccessRequest {
                    user,
                    right,
                    department,
                },
                at,
            )
            .is_allowed()
    }

    pub fn acknowledge(&mut self, user: UserId) {
        self.run(
            Actor::User(user),
            DirectoryCommand::AcknowledgeConfidentiality,
            t0(),
        )
        .unwrap();
    }
}
