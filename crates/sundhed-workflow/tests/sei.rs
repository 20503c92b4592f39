//! The SEI procedure: notification, self-enrolment, cross-check.

use sundhed_authorisation::Actor;
use sundhed_workflow::{Command, NamedPerson, SeiCaseId, SeiCommand, SeiDepartment, SeiState};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

fn notify(
    registry: &mut sundhed_workflow::Registry<
        impl sundhed_workflow::EventLog<sundhed_workflow::Event>,
    >,
    cast: &Cast,
) -> SeiCaseId {
    let form = cast.chief.sign(sei_notification().unwrap()).unwrap();
    registry.notify(form, 10).unwrap();
    registry.state().sei().cases().last().unwrap().0
}

#[test]
fn sei_onboarding_creates_the_hospital_departments_groups_and_administrator() {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = sei_onboard(&mut registry, &cast).unwrap();
    let directory = registry.directory();
    let sei_case = registry.state().sei().case(case).unwrap();
    assert_eq!(sei_case.notifier().name, "Brian Møller");
    assert_eq!(sei_case.departments().len(), 2);
    let organisation = directory.organisation(ssi().unwrap()).unwrap();
    assert!(organisation.primary_admins().contains_key(&admin));
    let user = directory.user(admin).unwrap();
    assert_eq!(
        user.certificates(),
        std::slice::from_ref(&cast.local_admin.holder)
    );
    for d in sei_case.departments() {
        let department = directory.department(d.department).unwrap();
        assert_eq!(department.shak(), Some(d.shak));
        let hospital = directory.department(department.parent().unwrap()).unwrap();
        assert_eq!(hospital.shak().unwrap().as_str(), "4202");
        assert_eq!(directory.group(d.group).unwrap().department(), d.department);
    }
    let tvang = directory.form_by_code(TVANG).unwrap();
    for code in ["ADMIN", "INDBERET", "LAES"] {
        assert!(
            organisation
                .ceiling()
                .contains(&tvang.right_by_code(code).unwrap()),
            "{code}"
        );
    }
}

#[test]
fn wf_sei_01_a_notification_names_departments_under_one_hospital() {
    let (cast, mut registry) = given().unwrap();
    let cases: [Vec<SeiDepartment>; 4] = [
        vec![],
        vec![sei_department("4202", "the hospital").unwrap()],
        vec![
            sei_department("420201", "P1").unwrap(),
            sei_department("430201", "elsewhere").unwrap(),
        ],
        vec![
            sei_department("420201", "P1").unwrap(),
            sei_department("420201", "P1 again").unwrap(),
        ],
    ];
    for departments in cases {
        let mut notification = sei_notification().unwrap();
        notification.departments = departments;
        let form = cast.chief.sign(notification).unwrap();
        let err = registry.notify(form, 10).unwrap_err();
        assert_eq!(rule_ids(&err), ["WF-SEI-01"]);
    }
}

#[test]
fn wf_sei_02_the_enrolment_must_match_the_notification() {
    let (cast, mut registry) = given().unwrap();
    let case = notify(&mut registry, &cast);
    let mut wrong_person = sei_enrolment_for(&registry, case).unwrap();
    wrong_person.person = person("2112851113").unwrap();
    let mut wrong_form = sei_enrolment_for(&registry, case).unwrap();
    wrong_form.forms = vec!["SEI-DOEDSATTEST".into()];
    for enrolment in [wrong_person, wrong_form] {
        let form = cast.local_admin.sign(enrolment).unwrap();
        registry.enrol(case, form, 11).unwrap();
        let attestation = sei_attestation(&cast, 12).unwrap();
        let err = registry
            .cross_check(case, Some(attestation), 12)
            .unwrap_err();
        assert_eq!(rule_ids(&err), ["WF-SEI-02"]);
        assert!(
            !err.to_string().contains("2112851113"),
            "no CPR serial in messages: {err}"
        );
    }
    assert_eq!(
        *registry.state().sei().case(case).unwrap().state(),
        SeiState::Enrolled
    );
    assert!(registry.directory().organisation(ssi().unwrap()).is_none());
    // A corrected enrolment replaces the wrong one.
    let form = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, form, 13).unwrap();
    let attestation = sei_attestation(&cast, 14).unwrap();
    registry.cross_check(case, Some(attestation), 14).unwrap();
}

#[test]
fn wf_state_01_no_cross_check_before_the_enrolment() {
    let (cast, mut registry) = given().unwrap();
    let case = notify(&mut registry, &cast);
    let attestation = sei_attestation(&cast, 11).unwrap();
    let err = registry
        .cross_check(case, Some(attestation), 11)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-01"]);
}

#[test]
fn wf_form_05_the_enrolment_is_signed_under_the_hospitals_cvr() {
    let (cast, mut registry) = given().unwrap();
    let case = notify(&mut registry, &cast);
    let form = cast
        .officer
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    let err = registry.enrol(case, form, 11).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-FORM-05"]);
}

#[test]
fn wf_actor_01_only_the_authority_cross_checks() {
    let (cast, mut registry) = given().unwrap();
    let case = notify(&mut registry, &cast);
    let form = cast
        .local_admin
        .sign(sei_enrolment_for(&registry, case).unwrap())
        .unwrap();
    registry.enrol(case, form, 11).unwrap();
    let someone = Actor::User(sundhed_authorisation::UserId::new(0));
    let err = registry
        .handle_unverified(
            someone,
            &Command::Sei(SeiCommand::CrossCheck {
                case,
                attestation: Some(sei_attestation(&cast, 12).unwrap()),
            }),
            at(12),
        )
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-ACTOR-01"]);
}

#[test]
fn sei_a_second_notification_for_the_same_hospital_appoints_a_scoped_administrator() {
    use sundhed_authorisation::ScopeSet;
    let (cast, mut registry) = given().unwrap();
    let (_, first_admin) = sei_onboard(&mut registry, &cast).unwrap();
    let mut notification = sei_notification().unwrap();
    notification.local_administrator = NamedPerson {
        name: cast.reporter.name.clone(),
        person: person("2112851113").unwrap(),
    };
    notification.departments = vec![sei_department("420203", "Psykiatrisk afsnit P3").unwrap()];
    let form = cast.chief.sign(notification).unwrap();
    registry.notify(form, 40).unwrap();
    let case = SeiCaseId::new(2);
    let mut enrolment = sei_enrolment_for(&registry, case).unwrap();
    enrolment.person = person("2112851113").unwrap();
    let form = cast.reporter.sign(enrolment).unwrap();
    registry.enrol(case, form, 41).unwrap();
    let attestation = attestation(&cast.reporter, "2112851113", 42).unwrap();
    registry.cross_check(case, Some(attestation), 42).unwrap();
    let SeiState::AdministratorCreated { administrator } =
        *registry.state().sei().case(case).unwrap().state()
    else {
        panic!("no administrator")
    };
    let admins = registry
        .directory()
        .organisation(ssi().unwrap())
        .unwrap()
        .primary_admins();
    assert!(admins.contains_key(&first_admin));
    let scope = &admins[&administrator];
    let p3 = registry
        .directory()
        .department_by_shak("420203".parse().unwrap())
        .unwrap();
    assert_eq!(scope.departments, ScopeSet::Only([p3].into()));
}
