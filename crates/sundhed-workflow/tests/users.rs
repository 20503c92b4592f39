//! Users: created with a certificate, in batches, with activation codes; settings;
//! confidentiality; hand-down of rights and cascading revocation.

use sundhed_authorisation::{
    AccessRequest, DepartmentId, DirectoryCommand as D, GrantSpec, GroupId, NewUser, RightId,
    UserId,
};
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    ActivationCode, Command, Event, MemoryEventLog, Registry, UserChange, UserCommand,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

struct Sei {
    registry: Registry<MemoryEventLog<Event>>,
    cast: Cast,
    admin: UserId,
    p1: (DepartmentId, GroupId),
    report: RightId,
    read: RightId,
}

fn given_an_sei_department() -> Sei {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = sei_onboard(&mut registry, &cast).unwrap();
    let d = registry.state().sei().case(case).unwrap().departments()[0];
    let form = registry.directory().form_by_code(TVANG).unwrap();
    let (report, read) = (
        form.right_by_code("INDBERET").unwrap(),
        form.right_by_code("LAES").unwrap(),
    );
    Sei {
        registry,
        cast,
        admin,
        p1: (d.department, d.group),
        report,
        read,
    }
}

fn rid(n: u32) -> CertificateHolderId {
    format!("CVR:46837428-RID:{n}").parse().unwrap()
}

impl Sei {
    fn create(
        &mut self,
        minutes: i64,
        by: UserId,
        person_id: &str,
        certificate: CertificateHolderId,
        grants: Vec<GrantSpec>,
    ) -> Result<UserId, sundhed_workflow::WorkflowError> {
        let command = UserCommand::Create {
            user: NewUser {
                person: person(person_id).unwrap(),
                certificates: vec![certificate],
            },
            groups: vec![self.p1.1],
            parent: None,
            grants,
        };
        let events = self.registry.by(by, &Command::Users(command), minutes)?;
        Ok(events
            .iter()
            .find_map(|e| match e {
                Event::Directory(d) => match &d.change {
                    sundhed_authorisation::Change::UserCreated { user, .. } => Some(*user),
                    _ => None,
                },
                _ => None,
            })
            .unwrap())
    }

    fn may_report(&self, user: UserId, minutes: i64) -> sundhed_authorisation::Decision {
        self.registry.check(
            &AccessRequest {
                user,
                right: self.report,
                department: self.p1.0,
            },
            at(minutes),
        )
    }
}

#[test]
fn the_administrator_fetches_settings_with_rights_and_groups() {
    let mut sei = given_an_sei_department();
    let events = sei
        .registry
        .by(sei.admin, &Command::Users(UserCommand::FetchSettings), 20)
        .unwrap();
    let Event::Users(e) = &events[0] else {
        panic!("{events:?}")
    };
    let UserChange::SettingsFetched {
        user,
        groups,
        grantable,
        ..
    } = &e.change
    else {
        panic!()
    };
    assert_eq!(*user, sei.admin);
    assert_eq!(groups.len(), 1, "the hospital group");
    assert!(
        grantable
            .iter()
            .any(|g| g.right == sei.report && g.department == sei.p1.0)
    );
    assert!(sei.registry.state().users().settings(sei.admin).is_some());
}

#[test]
fn wf_user_02_settings_are_fetched_by_the_user_themselves() {
    let mut sei = given_an_sei_department();
    let err = sei
        .registry
        .authority(&Command::Users(UserCommand::FetchSettings), 20)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-USER-02"]);
}

#[test]
fn a_reporter_may_report_only_after_acknowledging_confidentiality() {
    let mut sei = given_an_sei_department();
    let holder = sei.cast.reporter.holder.clone();
    let reporter = sei
        .create(
            30,
            sei.admin,
            "2112851113",
            holder,
            vec![GrantSpec::new(sei.report, sei.p1.0)],
        )
        .unwrap();
    let denied = sei.may_report(reporter, 31);
    assert!(!denied.is_allowed());
    assert!(denied.rules().any(|r| r.as_str() == "AUTHZ-CONF-01"));
    sei.registry
        .by(
            reporter,
            &Command::Users(UserCommand::AcknowledgeConfidentiality),
            32,
        )
        .unwrap();
    let allowed = sei.may_report(reporter, 33);
    assert!(allowed.is_allowed());
    assert_eq!(allowed.reasons().len(), 1);
}

#[test]
fn wf_user_01_every_group_is_keyed_by_a_department_code() {
    let mut sei = given_an_sei_department();
    let no_group = UserCommand::Create {
        user: NewUser {
            person: person("2112851113").unwrap(),
            certificates: vec![rid(1)],
        },
        groups: vec![],
        parent: None,
        grants: vec![],
    };
    let err = sei
        .registry
        .by(sei.admin, &Command::Users(no_group), 30)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-USER-01"]);
    // The SEB organisation's department has a SOR id only: its group is no SEI group.
    let (_, seb_admin) = seb_onboard_from(&mut sei.registry, &sei.cast, 30).unwrap();
    let seb_group = sei.registry.directory().user(seb_admin).unwrap().groups()[0];
    let command = UserCommand::Create {
        user: NewUser {
            person: person("2112851113").unwrap(),
            certificates: vec![rid(1)],
        },
        groups: vec![seb_group],
        parent: None,
        grants: vec![],
    };
    let err = sei
        .registry
        .by(seb_admin, &Command::Users(command), 40)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-USER-01"]);
}

#[test]
fn several_users_with_the_same_rights_are_created_in_one_batch() {
    let mut sei = given_an_sei_department();
    let users = (0..3)
        .map(|i| NewUser {
            person: person(&format!("01018{i}1234")).unwrap(),
            certificates: vec![rid(700 + i)],
        })
        .collect();
    let batch = UserCommand::CreateBatch {
        users,
        groups: vec![sei.p1.1],
        parent: None,
        grants: vec![GrantSpec::new(sei.read, sei.p1.0)],
    };
    sei.registry
        .by(sei.admin, &Command::Users(batch), 30)
        .unwrap();
    assert_eq!(sei.registry.directory().users_of(ssi().unwrap()).len(), 4);
}

#[test]
fn a_co_admin_hands_down_only_what_they_hold_and_removing_them_cascades() {
    let mut sei = given_an_sei_department();
    let tvang = sei.registry.directory().form_by_code(TVANG).unwrap().id();
    let co = sei
        .create(30, sei.admin, "0302901234", rid(4242), vec![])
        .unwrap();
    let appoint = D::AppointCoAdmin {
        user: co,
        forms: vec![tvang],
        departments: vec![sei.p1.0],
        valid_until: None,
    };
    sei.registry
        .by(sei.admin, &Command::Directory(appoint), 31)
        .unwrap();
    // The co-admin does not hold the reporting right: handing it down is refused.
    let err = sei
        .create(
            32,
            co,
            "2112851113",
            rid(1),
            vec![GrantSpec::new(sei.report, sei.p1.0)],
        )
        .unwrap_err();
    assert!(
        rule_ids(&err).iter().any(|r| r.starts_with("AUTHZ-")),
        "{err}"
    );
    // Given the right, the co-admin hands it down.
    let grant = D::Grant {
        grantee: sundhed_authorisation::Grantee::User(co),
        grant: GrantSpec::new(sei.report, sei.p1.0),
    };
    sei.registry
        .by(sei.admin, &Command::Directory(grant), 32)
        .unwrap();
    let reporter = sei
        .create(
            33,
            co,
            "2112851113",
            rid(1),
            vec![GrantSpec::new(sei.report, sei.p1.0)],
        )
        .unwrap();
    sei.registry
        .by(
            reporter,
            &Command::Users(UserCommand::AcknowledgeConfidentiality),
            33,
        )
        .unwrap();
    assert!(sei.may_report(reporter, 34).is_allowed());
    // Removing the co-admin revokes what rested on their mandate.
    sei.registry
        .by(
            sei.admin,
            &Command::Directory(D::RemoveCoAdmin { user: co }),
            35,
        )
        .unwrap();
    assert!(!sei.may_report(reporter, 36).is_allowed());
}

fn issue(
    sei: &mut Sei,
    code: &str,
    expires_in: i64,
) -> Result<Vec<Event>, sundhed_workflow::WorkflowError> {
    let command = UserCommand::IssueActivationCode {
        person: person("2112851113").unwrap(),
        code: keyed_code(code).unwrap(),
        expires: at(30 + expires_in),
        groups: vec![sei.p1.1],
        parent: None,
        grants: vec![GrantSpec::new(sei.report, sei.p1.0)],
    };
    sei.registry.by(sei.admin, &Command::Users(command), 30)
}

fn enrol(
    sei: &mut Sei,
    code: &str,
    minutes: i64,
) -> Result<Vec<Event>, sundhed_workflow::WorkflowError> {
    let command = UserCommand::Enrol {
        code: keyed_code(code).unwrap(),
        certificate: sei.cast.reporter.login_certificate(minutes).unwrap(),
    };
    sei.registry.authority(&Command::Users(command), minutes)
}

#[test]
fn a_user_without_a_certificate_enrols_with_an_activation_code() {
    let mut sei = given_an_sei_department();
    issue(&mut sei, "K7Q2-MZ9P-4TXW", 60).unwrap();
    assert!(
        !sei.registry
            .log()
            .lines()
            .iter()
            .any(|l| l.contains("K7Q2-MZ9P-4TXW")),
        "only the keyed hash is logged"
    );
    let events = enrol(&mut sei, "K7Q2-MZ9P-4TXW", 40).unwrap();
    let Some(Event::Users(used)) = events.last() else {
        panic!()
    };
    let UserChange::ActivationCodeUsed { user, .. } = used.change else {
        panic!()
    };
    assert_eq!(
        sei.registry
            .directory()
            .user_by_certificate(&sei.cast.reporter.holder),
        Some(user)
    );
}

#[test]
fn wf_code_01_a_short_activation_code_is_refused() {
    assert_eq!(
        ActivationCode::new("12345").unwrap_err().rule().as_str(),
        "WF-CODE-01"
    );
    assert_eq!(
        ActivationCode::new("has spaces in it")
            .unwrap_err()
            .rule()
            .as_str(),
        "WF-CODE-01"
    );
    assert!(!format!("{:?}", ActivationCode::new("K7Q2-MZ9P-4TXW").unwrap()).contains("K7Q2"));
}

#[test]
fn wf_code_02_an_activation_code_works_once() {
    let mut sei = given_an_sei_department();
    issue(&mut sei, "K7Q2-MZ9P-4TXW", 60).unwrap();
    assert_eq!(
        rule_ids(&issue(&mut sei, "K7Q2-MZ9P-4TXW", 60).unwrap_err()),
        ["WF-CODE-02"]
    );
    assert_eq!(
        rule_ids(&enrol(&mut sei, "WRONG-CODE-123", 40).unwrap_err()),
        ["WF-CODE-02"]
    );
    enrol(&mut sei, "K7Q2-MZ9P-4TXW", 40).unwrap();
    assert_eq!(
        rule_ids(&enrol(&mut sei, "K7Q2-MZ9P-4TXW", 41).unwrap_err()),
        ["WF-CODE-02"]
    );
}

#[test]
fn wf_code_03_an_expired_activation_code_is_refused() {
    let mut sei = given_an_sei_department();
    assert_eq!(
        rule_ids(&issue(&mut sei, "K7Q2-MZ9P-4TXW", 0).unwrap_err()),
        ["WF-CODE-03"]
    );
    issue(&mut sei, "K7Q2-MZ9P-4TXW", 60).unwrap();
    assert_eq!(
        rule_ids(&enrol(&mut sei, "K7Q2-MZ9P-4TXW", 90).unwrap_err()),
        ["WF-CODE-03"]
    );
}

#[test]
fn an_activation_code_cannot_carry_rights_the_administrator_could_not_grant() {
    let mut sei = given_an_sei_department();
    let co = sei
        .create(30, sei.admin, "0302901234", rid(4242), vec![])
        .unwrap();
    let command = UserCommand::IssueActivationCode {
        person: person("2112851113").unwrap(),
        code: keyed_code("K7Q2-MZ9P-4TXW").unwrap(),
        expires: at(90),
        groups: vec![sei.p1.1],
        parent: None,
        grants: vec![GrantSpec::new(sei.report, sei.p1.0)],
    };
    let err = sei
        .registry
        .by(co, &Command::Users(command), 30)
        .unwrap_err();
    assert!(
        rule_ids(&err).iter().all(|r| r.starts_with("AUTHZ-")),
        "{err}"
    );
}

#[test]
fn wf_user_03_the_groups_hang_under_the_named_parent_group() {
    let mut sei = given_an_sei_department();
    let hospital_group = sei.registry.directory().user(sei.admin).unwrap().groups()[0];
    let p2_group = sei
        .registry
        .state()
        .sei()
        .case(sundhed_workflow::SeiCaseId::new(1))
        .unwrap()
        .departments()[1]
        .group;
    let command = |parent| UserCommand::Create {
        user: NewUser {
            person: person("2112851113").unwrap(),
            certificates: vec![rid(5)],
        },
        groups: vec![sei.p1.1],
        parent: Some(parent),
        grants: vec![],
    };
    let err = sei
        .registry
        .by(sei.admin, &Command::Users(command(p2_group)), 30)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-USER-03"]);
    sei.registry
        .by(sei.admin, &Command::Users(command(hospital_group)), 30)
        .unwrap();
}

#[test]
fn wf_state_02_a_command_that_changes_nothing_is_refused() {
    let mut sei = given_an_sei_department();
    let acknowledge = Command::Users(UserCommand::AcknowledgeConfidentiality);
    sei.registry.by(sei.admin, &acknowledge, 30).unwrap();
    let before = sei.registry.head();
    // Acknowledged already: the directory has nothing to record.
    let err = sei.registry.by(sei.admin, &acknowledge, 31).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-02"]);
    assert!(err.to_string().contains("changes nothing"), "{err}");
    // A batch of no users creates nothing.
    let empty = UserCommand::CreateBatch {
        users: Vec::new(),
        groups: vec![sei.p1.1],
        parent: None,
        grants: Vec::new(),
    };
    let err = sei
        .registry
        .by(sei.admin, &Command::Users(empty), 32)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-02"]);
    assert_eq!(sei.registry.head(), before, "nothing was logged");
}
