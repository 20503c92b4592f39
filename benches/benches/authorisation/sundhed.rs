//! The generated directory in sundhed-authorisation, built through commands (every command
//! passes the same checks as in production: the authority defines forms, registers each
//! organisation with its primary admin and sets its ceiling; the primary admin creates the
//! departments, groups and users with their grants).
//!
//! Besides the users of the dataset, each organisation has its primary admin (one more user
//! per organisation). Forms: `FORMS`, each with an admin right (index 0) and
//! `RIGHTS_PER_FORM` ordinary rights without personal data (so the confidentiality rule does
//! not enter the check).

use chrono::{DateTime, TimeZone, Utc};
use sundhed_authorisation::{
    AccessRequest, Actor, Change, DepartmentId, Directory, DirectoryCommand, DirectoryEvent,
    FormId, FormKind, GrantSpec, Grantee, GroupId, NewDepartment, NewUser, RightId, RightSpec,
    UserId,
};
use sundhed_identity::{Cvr, PersonId, ShakCode};

use super::data::{DEPARTMENTS, Dataset, FORMS, RIGHTS, RIGHTS_PER_FORM, RequestIdx};

/// The time every command is given and every check asks about.
pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .unwrap()
}

/// A CVR number for organisation `n` (the testkit's generator, shared with the scale test).
pub fn cvr(n: u32) -> Cvr {
    sundhed_testkit::directory::numbered_cvr(n).unwrap()
}

/// A distinct CPR number for person `n` (days 1-28, so every date exists).
pub fn person(n: u32) -> PersonId {
    let day = 1 + n % 28;
    let month = 1 + (n / 28) % 12;
    let yy = (n / 336) % 100;
    let serial = (n / 33_600) % 10_000;
    format!("{day:02}{month:02}{yy:02}{serial:04}")
        .parse()
        .unwrap()
}

/// Organisation `o`'s SHAK codes: hospital `H000`.. for department 0, `H00001`.. below it.
pub fn shak(o: u32, d: u32) -> ShakCode {
    let hospital = format!("H{o:03}");
    if d == 0 {
        hospital.parse().unwrap()
    } else {
        format!("{hospital}{d:02}").parse().unwrap()
    }
}

fn right_spec(code: &str, admin: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: code.into(),
        administers_users: admin,
        personal_data: false,
    }
}

thread_local! {
    /// When `Some`, every event the builders below produce is also kept here (the replay
    /// benchmark's log).
    static SINK: std::cell::RefCell<Option<Vec<DirectoryEvent>>> = const { std::cell::RefCell::new(None) };
}

/// Starts keeping the events of every command run on this thread.
#[allow(dead_code, reason = "used by the replay benchmark only")]
pub fn record_events() {
    SINK.with(|s| *s.borrow_mut() = Some(Vec::new()));
}

/// The events kept since [`record_events`]; stops keeping them.
#[allow(dead_code, reason = "used by the replay benchmark only")]
pub fn take_events() -> Vec<DirectoryEvent> {
    SINK.with(|s| s.borrow_mut().take().unwrap_or_default())
}

fn run(dir: &mut Directory, actor: Actor, command: &DirectoryCommand) {
    execute(dir, actor, command);
}

fn execute(dir: &mut Directory, actor: Actor, command: &DirectoryCommand) -> Vec<DirectoryEvent> {
    match dir.execute(actor, command, at()) {
        Ok(events) => {
            SINK.with(|s| {
                if let Some(sink) = s.borrow_mut().as_mut() {
                    sink.extend(events.iter().cloned());
                }
            });
            events
        }
        Err(refusal) => panic!("refused: {refusal}"),
    }
}

/// The forms, their ids, and each ordinary right index's `RightId`.
pub fn define_forms(dir: &mut Directory) -> (Vec<FormId>, Vec<RightId>) {
    let mut forms = Vec::new();
    let mut rights = Vec::new();
    for f in 0..FORMS {
        let mut specs = vec![right_spec("ADMIN", true)];
        specs.extend((0..RIGHTS_PER_FORM).map(|r| right_spec(&format!("R{r}"), false)));
        let code = format!("FORM-{f}");
        let command = DirectoryCommand::DefineForm {
            code: code.clone(),
            name: code.clone(),
            kind: FormKind::SeiForm,
            rights: specs,
        };
        run(dir, Actor::Authority, &command);
        let form = dir.form_by_code(&code).unwrap();
        forms.push(form.id());
        for r in 0..RIGHTS_PER_FORM {
            rights.push(form.right_by_code(&format!("R{r}")).unwrap());
        }
    }
    (forms, rights)
}

/// One organisation: registered, ceiling set, sub-departments and groups made.
pub struct Org {
    pub cvr: Cvr,
    pub admin: UserId,
    pub departments: Vec<DepartmentId>,
    pub groups: Vec<GroupId>,
}

pub fn add_org(dir: &mut Directory, o: u32, forms: &[FormId]) -> Org {
    let cvr = cvr(o);
    let register = DirectoryCommand::RegisterOrganisation {
        cvr,
        name: format!("org {o}"),
        department: NewDepartment {
            name: format!("o{o}d0"),
            shak: Some(shak(o, 0)),
            sor: None,
        },
        primary_admin: NewUser {
            person: person(u32::MAX / 2 + o),
            certificates: vec![],
        },
    };
    run(dir, Actor::Authority, &register);
    let ceiling = forms
        .iter()
        .flat_map(|f| {
            dir.form(*f)
                .unwrap()
                .rights()
                .map(|(id, _)| id)
                .collect::<Vec<_>>()
        })
        .collect();
    run(
        dir,
        Actor::Authority,
        &DirectoryCommand::SetCeiling {
            organisation: cvr,
            rights: ceiling,
        },
    );
    let admin = dir.users_of(cvr)[0];
    let top = dir.departments_of(cvr)[0];
    for d in 1..DEPARTMENTS {
        let create = DirectoryCommand::CreateDepartment {
            organisation: cvr,
            department: NewDepartment {
                name: format!("o{o}d{d}"),
                shak: Some(shak(o, d)),
                sor: None,
            },
            parent: Some(top),
        };
        run(dir, Actor::User(admin), &create);
    }
    let departments = dir.departments_of(cvr).to_vec();
    let mut groups = vec![dir.user(admin).unwrap().groups()[0]];
    for (d, department) in departments.iter().enumerate().skip(1) {
        let create = DirectoryCommand::CreateGroup {
            department: *department,
            name: format!("o{o}d{d}g"),
            parent: None,
        };
        let events = execute(dir, Actor::User(admin), &create);
        let group = events
            .iter()
            .find_map(|e| match &e.change {
                Change::GroupCreated { group, .. } => Some(*group),
                _ => None,
            })
            .unwrap();
        groups.push(group);
    }
    Org {
        cvr,
        admin,
        departments,
        groups,
    }
}

/// The primary admin grants `user` every ordinary right on the whole organisation: a
/// co-admin hands down only rights they hold directly (`AUTHZ-HOLD-01`).
fn hand_rights_to(dir: &mut Directory, org: &Org, user: UserId, rights: &[RightId]) {
    for right in rights {
        let grant = DirectoryCommand::Grant {
            grantee: Grantee::User(user),
            grant: GrantSpec::new(*right, org.departments[0]),
        };
        run(dir, Actor::User(org.admin), &grant);
    }
}

/// The sundhed directory with the ids behind the dataset's indices.
pub struct SundhedSide {
    pub dir: Directory,
    pub users: Vec<UserId>,
    pub orgs: Vec<Org>,
    pub forms: Vec<FormId>,
    pub rights: Vec<RightId>,
}

impl SundhedSide {
    pub fn build(data: &Dataset) -> Self {
        let mut dir = Directory::new();
        let (forms, rights) = define_forms(&mut dir);
        let mut orgs = Vec::with_capacity(data.scale.orgs as usize);
        let mut users = Vec::with_capacity(data.users.len());
        let per_org = data.scale.users_per_org() as usize;
        for o in 0..data.scale.orgs {
            let org = add_org(&mut dir, o, &forms);
            let first = o as usize * per_org;
            for (i, u) in data.users.iter().enumerate().skip(first).take(per_org) {
                let grants = u
                    .grants
                    .iter()
                    .map(|g| {
                        GrantSpec::new(
                            rights[g.right as usize],
                            org.departments[g.department as usize],
                        )
                    })
                    .collect();
                let command = DirectoryCommand::CreateUser {
                    user: NewUser {
                        person: person(u32::try_from(i).unwrap()),
                        certificates: vec![],
                    },
                    groups: vec![org.groups[u.department as usize]],
                    grants,
                };
                run(&mut dir, Actor::User(org.admin), &command);
            }
            users.extend(dir.users_of(org.cvr).iter().skip(1).copied());
            orgs.push(org);
        }
        assert_eq!(users.len(), data.users.len());
        Self {
            dir,
            users,
            orgs,
            forms,
            rights,
        }
    }

    pub fn prepare(&self, r: &RequestIdx) -> AccessRequest {
        AccessRequest {
            user: self.users[r.user as usize],
            right: self.rights[r.right as usize],
            department: self.orgs[r.org as usize].departments[r.department as usize],
        }
    }

    pub fn check(&self, request: &AccessRequest) -> bool {
        self.dir.check(request, at()).is_allowed()
    }

    /// A co-admin for every form on the whole of organisation `o`, appointed by its primary
    /// admin (the user at local index `local`), who also holds every ordinary right there.
    pub fn appoint_co_admin(&mut self, o: usize, local: usize) -> UserId {
        let org = &self.orgs[o];
        let user = self.dir.users_of(org.cvr)[1 + local];
        let command = DirectoryCommand::AppointCoAdmin {
            user,
            forms: self.forms.clone(),
            departments: vec![org.departments[0]],
            valid_until: None,
        };
        run(&mut self.dir, Actor::User(org.admin), &command);
        hand_rights_to(&mut self.dir, org, user, &self.rights);
        user
    }

    /// The command a co-admin gives to grant `right` on `department` to `grantee`.
    pub fn grant_command(
        &self,
        grantee: UserId,
        right: usize,
        o: usize,
        d: usize,
    ) -> DirectoryCommand {
        DirectoryCommand::Grant {
            grantee: Grantee::User(grantee),
            grant: GrantSpec::new(
                self.rights[right % RIGHTS as usize],
                self.orgs[o].departments[d],
            ),
        }
    }
}

/// A small directory for the cascading-revoke benchmark: one organisation of
/// `DEPARTMENTS` × 100 users without grants, a co-admin, and one grant by the co-admin to
/// each of `dependants` users. Returns the directory and the command that removes the
/// co-admin (revoking their admin grants and, by cascade, every dependant).
pub fn cascade_fixture(dependants: usize) -> (Directory, Actor, DirectoryCommand) {
    let mut dir = Directory::new();
    let (forms, rights) = define_forms(&mut dir);
    let org = add_org(&mut dir, 0, &forms);
    let per_department = dependants.div_ceil(DEPARTMENTS as usize) + 1;
    for d in 0..DEPARTMENTS as usize {
        let users: Vec<NewUser> = (0..per_department)
            .map(|i| NewUser {
                person: person(u32::try_from(d * per_department + i).unwrap()),
                certificates: vec![],
            })
            .collect();
        let command = DirectoryCommand::CreateUsers {
            users,
            groups: vec![org.groups[d]],
            grants: vec![],
        };
        run(&mut dir, Actor::User(org.admin), &command);
    }
    let all = dir.users_of(org.cvr).to_vec();
    let co_admin = all[1];
    let appoint = DirectoryCommand::AppointCoAdmin {
        user: co_admin,
        forms,
        departments: vec![org.departments[0]],
        valid_until: None,
    };
    run(&mut dir, Actor::User(org.admin), &appoint);
    hand_rights_to(&mut dir, &org, co_admin, &rights);
    for (i, user) in all.iter().skip(2).take(dependants).enumerate() {
        let grant = DirectoryCommand::Grant {
            grantee: Grantee::User(*user),
            grant: GrantSpec::new(
                rights[i % rights.len()],
                org.departments[i % org.departments.len()],
            ),
        };
        run(&mut dir, Actor::User(co_admin), &grant);
    }
    (
        dir,
        Actor::User(org.admin),
        DirectoryCommand::RemoveCoAdmin { user: co_admin },
    )
}
