//! The SEB procedure: onboarding, adding a service, replacing an administrator.

use sundhed_authorisation::Actor;
use sundhed_workflow::{
    Command, Event, EventLog, SebCaseId, SebChange, SebCommand, SebForm, SebState, SeiCaseId,
    SignedForm, form_bytes,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

fn submit(form: SignedForm<SebForm>) -> Command {
    Command::Seb(SebCommand::Submit {
        form: Box::new(form),
    })
}

#[test]
fn seb_onboarding_runs_from_signed_form_to_first_login() {
    let (cast, mut registry) = given().unwrap();
    let (case, admin) = seb_onboard(&mut registry, &cast).unwrap();
    let state = registry.state();
    let seb_case = state.seb().case(case).unwrap();
    assert_eq!(seb_case.signer().cvr, nets().unwrap());
    assert_eq!(seb_case.signer().name, "TU GENEREL MOCES gyldig");
    assert_eq!(
        *seb_case.state(),
        SebState::Active {
            administrator: admin
        }
    );
    let organisation = state.directory().organisation(nets().unwrap()).unwrap();
    assert!(organisation.primary_admins().contains_key(&admin));
    let fmk = state.directory().form_by_code(FMK).unwrap();
    for code in ["ADMIN", "LAEGE", "SYGEPLEJE"] {
        assert!(
            organisation
                .ceiling()
                .contains(&fmk.right_by_code(code).unwrap()),
            "{code}"
        );
    }
    let user = state.directory().user(admin).unwrap();
    assert_eq!(
        user.certificates(),
        std::slice::from_ref(&cast.seb_admin.holder)
    );
}

#[test]
fn seb_approval_notifies_the_administrator() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    registry.submit(form, 1).unwrap();
    let events = registry
        .authority(
            &Command::Seb(SebCommand::Approve {
                case: sundhed_workflow::SebCaseId::new(1),
            }),
            2,
        )
        .unwrap();
    let last = serde_json::to_string(events.last().unwrap()).unwrap();
    assert!(
        last.contains("AdministratorNotified") && last.contains("admin@nets.example"),
        "{last}"
    );
}

#[test]
fn wf_form_01_an_unsigned_form_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let before = registry.state().clone();
    let err = registry
        .submit(
            SignedForm::unsigned(&seb_onboarding_form(&cast).unwrap()).unwrap(),
            1,
        )
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-FORM-01"]);
    assert_eq!(registry.state(), &before, "a refusal changes nothing");
    assert_eq!(registry.head().len, 3, "and logs nothing");
}

#[test]
fn wf_form_02_a_signer_certificate_outside_its_validity_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    let late = chrono::DateTime::parse_from_rfc3339("2021-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let err = registry
        .handle(Actor::Authority, &submit(form), late)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["SIG-TIME-01", "WF-FORM-02"]);
}

#[test]
fn wf_form_03_a_form_edited_after_signing_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let signed = signed_onboarding_form(&cast, &cast.officer).unwrap();
    let SebForm::Onboarding {
        organisation,
        cvr,
        sor,
        mut administrator,
        services,
    } = signed.form().clone()
    else {
        unreachable!()
    };
    administrator.certificate = cast.officer.holder.clone();
    let edited = SebForm::Onboarding {
        organisation,
        cvr,
        sor,
        administrator,
        services,
    };
    let edited = signed.with_bytes(form_bytes(&edited).unwrap()).unwrap();
    let err = registry.submit(edited, 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["SIG-PAYLOAD-02", "WF-FORM-03"]);
}

#[test]
fn wf_form_03_a_form_signed_with_another_key_is_refused() {
    let (cast, mut registry) = given().unwrap();
    let forged = cast
        .seb_admin
        .sign_as(&cast.officer, seb_onboarding_form(&cast).unwrap())
        .unwrap();
    let err = registry.submit(forged, 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["SIG-PAYLOAD-02", "WF-FORM-03"]);
}

#[test]
fn wf_form_04_an_organisation_certificate_cannot_sign_a_form() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.voces).unwrap();
    let err = registry.submit(form, 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-FORM-04"]);
}

#[test]
fn wf_form_05_the_signer_certificate_must_name_the_forms_cvr() {
    let (cast, mut registry) = given().unwrap();
    // Brian Møller (Statens Serum Institut) signs a form for NETS DANID.
    let form = signed_onboarding_form(&cast, &cast.chief).unwrap();
    let err = registry.submit(form, 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-FORM-05"]);
    assert!(err.to_string().contains("46837428"), "{err}");
}

#[test]
fn wf_seb_01_an_organisation_joins_only_once() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let again = signed_onboarding_form(&cast, &cast.officer).unwrap();
    let err = registry.submit(again, 5).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-SEB-01"]);
}

#[test]
fn wf_seb_01_a_service_is_added_only_to_an_organisation_in_seb() {
    let (cast, mut registry) = given().unwrap();
    let form = cast.officer.sign(sor_service_form().unwrap()).unwrap();
    let err = registry.submit(form, 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-SEB-01"]);
}

#[test]
fn wf_seb_02_the_first_login_must_use_the_certificate_on_the_form() {
    let (cast, mut registry) = given().unwrap();
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    registry.submit(form, 1).unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 2)
        .unwrap();
    let wrong = SebCommand::FirstLogin {
        case,
        certificate: cast.officer.login_certificate(3).unwrap(),
    };
    let err = registry.authority(&Command::Seb(wrong), 3).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-SEB-02"]);
    assert!(matches!(
        registry.state().seb().case(case).unwrap().state(),
        SebState::AwaitingFirstLogin { .. }
    ));
}

#[test]
fn wf_seb_03_a_rejection_needs_a_reason() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    let empty = SebCommand::Reject {
        case,
        reasons: vec![" ".into()],
    };
    let err = registry.authority(&Command::Seb(empty), 2).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-SEB-03"]);
    let reject = SebCommand::Reject {
        case,
        reasons: vec!["the administrator has no MOCES".into()],
    };
    registry.authority(&Command::Seb(reject), 2).unwrap();
    assert!(
        matches!(registry.state().seb().case(case).unwrap().state(), SebState::Rejected { reasons } if reasons.len() == 1)
    );
    assert!(registry.directory().organisation(nets().unwrap()).is_none());
}

#[test]
fn wf_state_01_a_case_is_approved_once_and_only_if_it_exists() {
    let (cast, mut registry) = given().unwrap();
    let (case, _) = seb_onboard(&mut registry, &cast).unwrap();
    let err = registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 5)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-01"]);
    assert!(err.to_string().contains("case 1 is active"), "{err}");
    let missing = sundhed_workflow::SebCaseId::new(9);
    let err = registry
        .authority(&Command::Seb(SebCommand::Approve { case: missing }), 5)
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-01"]);
}

#[test]
fn wf_actor_01_only_the_authority_approves() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    let someone = Actor::User(sundhed_authorisation::UserId::new(0));
    let err = registry
        .handle_unverified(someone, &Command::Seb(SebCommand::Approve { case }), at(2))
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-ACTOR-01"]);
}

#[test]
fn wf_rights_01_a_form_may_ask_only_for_defined_services_and_roles() {
    let (cast, mut registry) = given().unwrap();
    for (service, role) in [("NOPE", "LAEGE"), (FMK, "PILOT"), (TVANG, "INDBERET")] {
        let form = seb_onboarding_form_asking(&cast, service, role).unwrap();
        let err = registry
            .submit(cast.officer.sign(form).unwrap(), 1)
            .unwrap_err();
        assert_eq!(rule_ids(&err), ["WF-RIGHTS-01"], "{service}/{role}");
    }
}

#[test]
fn seb_an_added_service_can_then_be_handed_out_by_the_administrator() {
    use sundhed_authorisation::{DirectoryCommand as D, GrantSpec, NewUser};
    let (cast, mut registry) = given().unwrap();
    let (_, admin) = seb_onboard(&mut registry, &cast).unwrap();
    let sor = registry
        .directory()
        .form_by_code("SOR")
        .unwrap()
        .right_by_code("REDIGER")
        .unwrap();
    let department = registry.directory().departments_of(nets().unwrap())[0];
    let group = registry.directory().user(admin).unwrap().groups()[0];
    let create = |grant| {
        Command::Directory(D::CreateUser {
            user: NewUser {
                person: person("2112851113").unwrap(),
                certificates: vec![],
            },
            groups: vec![group],
            grants: vec![grant],
        })
    };
    let err = registry
        .by(admin, &create(GrantSpec::new(sor, department)), 5)
        .unwrap_err();
    assert!(
        rule_ids(&err).iter().all(|r| r.starts_with("AUTHZ-")),
        "{err}"
    );
    let form = cast.officer.sign(sor_service_form().unwrap()).unwrap();
    registry.submit(form, 6).unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 7)
        .unwrap();
    assert_eq!(
        *registry.state().seb().case(case).unwrap().state(),
        SebState::Granted
    );
    registry
        .by(admin, &create(GrantSpec::new(sor, department)), 8)
        .unwrap();
}

#[test]
fn seb_a_missing_administrator_is_replaced() {
    let (cast, mut registry) = given().unwrap();
    let (_, old) = seb_onboard(&mut registry, &cast).unwrap();
    let mut administrator = seb_administrator(&cast).unwrap();
    administrator.name = "New Administrator".into();
    administrator.person = person("0302901234").unwrap();
    administrator.certificate = "CVR:30808460-RID:11112222".parse().unwrap();
    let form = cast
        .officer
        .sign(SebForm::ReplaceAdministrator {
            cvr: nets().unwrap(),
            administrator,
            replaces: Some(person("0101701239").unwrap()),
        })
        .unwrap();
    registry.submit(form, 20).unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 21)
        .unwrap();
    let SebState::AwaitingFirstLogin { administrator: new } =
        *registry.state().seb().case(case).unwrap().state()
    else {
        panic!("not approved")
    };
    let admins = registry
        .directory()
        .organisation(nets().unwrap())
        .unwrap()
        .primary_admins();
    assert!(admins.contains_key(&new));
    assert!(!admins.contains_key(&old));
}

#[test]
fn seb_events_are_versioned_and_keep_the_signed_form_for_audit() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let line = &registry.log().lines()[3];
    assert!(line.contains(r#""stream":"Seb""#), "{line}");
    assert!(line.contains(r#""version":2"#), "{line}");
    assert!(line.contains(r#""type":"FormSubmitted""#), "{line}");
    // The auditor can verify the stored form again.
    let Some(sundhed_workflow::Event::Seb(event)) = registry
        .log()
        .read_from(4)
        .unwrap()
        .first()
        .map(|r| r.event().clone())
    else {
        panic!()
    };
    let sundhed_workflow::SebChange::FormSubmitted { form, signer } = event.change else {
        panic!()
    };
    assert_eq!(
        form_verifier().unwrap().verify(&form, at(100)).unwrap(),
        sundhed_workflow::Signer {
            verified_at: at(100),
            ..signer
        }
    );
}

#[test]
fn wf_state_01_seb_and_sei_cases_are_numbered_apart() {
    assert_eq!(SebCaseId::new(1).to_string(), "SEB case 1");
    assert_eq!(SeiCaseId::new(1).to_string(), "SEI case 1");
    let (cast, mut registry) = given().unwrap();
    // Only SEI case 1 exists: SEB case 1 does not.
    let (sei_case, _) = sei_onboard(&mut registry, &cast).unwrap();
    assert_eq!(sei_case, SeiCaseId::new(1));
    let err = registry
        .authority(
            &Command::Seb(SebCommand::Approve {
                case: SebCaseId::new(1),
            }),
            20,
        )
        .unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-01"]);
    assert!(
        err.to_string().contains("SEB case 1 does not exist"),
        "{err}"
    );
    // The first SEB case is still number 1.
    let (seb_case, _) = seb_onboard_from(&mut registry, &cast, 30).unwrap();
    assert_eq!(seb_case, SebCaseId::new(1));
}

#[test]
fn wf_state_01_the_administrator_logs_in_only_after_the_approval() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let login = SebCommand::FirstLogin {
        case: SebCaseId::new(1),
        certificate: cast.seb_admin.login_certificate(2).unwrap(),
    };
    let err = registry.authority(&Command::Seb(login), 2).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-01"]);
    assert!(
        err.to_string()
            .contains("SEB case 1 is submitted, where `log in` is not possible"),
        "{err}"
    );
}

#[test]
fn an_approval_logs_the_approval_then_the_directory_changes_then_the_notification() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let events = registry
        .authority(
            &Command::Seb(SebCommand::Approve {
                case: SebCaseId::new(1),
            }),
            2,
        )
        .unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Event::Seb(e) => match e.change {
                SebChange::FormApproved => "approved",
                SebChange::AdministratorNotified { .. } => "notified",
                _ => "other",
            },
            Event::Directory(_) => "directory",
            _ => "other",
        })
        .collect();
    assert!(kinds.len() > 3, "{kinds:?}");
    assert_eq!(kinds.first(), Some(&"approved"));
    assert_eq!(kinds.last(), Some(&"notified"));
    assert!(
        kinds[1..kinds.len() - 1].iter().all(|k| *k == "directory"),
        "{kinds:?}"
    );
}

#[test]
fn wf_state_04_a_command_dated_before_the_latest_event_is_refused() {
    let (cast, mut registry) = given().unwrap();
    sei_onboard(&mut registry, &cast).unwrap();
    let head = registry.head();
    // A submission makes only procedure events: the log's time still binds it.
    let form = signed_onboarding_form(&cast, &cast.officer).unwrap();
    let err = registry.submit(form.clone(), 1).unwrap_err();
    assert_eq!(rule_ids(&err), ["WF-STATE-04"], "{err}");
    assert_eq!(registry.head(), head, "nothing logged");
    // The same instant as the latest event, and later, are fine.
    let latest = registry.events().unwrap().last().unwrap().at();
    let minutes = (latest - at(0)).num_minutes();
    registry.submit(form, minutes).unwrap();
}
