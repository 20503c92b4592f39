//! Logging in as a proof (issue 12): from a verified certificate chain to a user of the
//! directory, never from an id the host asserts; the SEB first login takes the verified
//! certificate and refuses a MOCES of another CVR (seed SEB step 4).

use sundhed_authorisation::{DirectoryCommand, NewUser};
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{Command, SebCommand, SebState, UserCommand};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

fn rules(err: &sundhed_testkit::TestkitError) -> Vec<&'static str> {
    err.rules().iter().map(|r| r.as_str()).collect()
}

#[test]
fn a_verified_certificate_logs_in_as_the_user_it_is_registered_for() {
    let (cast, mut registry) = given().unwrap();
    let (_, admin) = seb_onboard(&mut registry, &cast).unwrap();
    let login = cast.seb_admin.log_in(&registry, 10).unwrap();
    assert_eq!(login.user(), admin);
    assert_eq!(login.organisation(), nets().unwrap());
    assert_eq!(login.certificate().holder(), &cast.seb_admin.holder);
    assert_eq!(login.at(), at(10));
    // The documented path: the command acts as the proved user.
    let events = registry
        .as_user(&login, &Command::Users(UserCommand::FetchSettings), 11)
        .unwrap();
    assert!(!events.is_empty());
}

#[test]
fn wf_login_01_an_organisation_certificate_logs_in_as_no_one() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let err = cast.voces.log_in(&registry, 10).unwrap_err();
    assert_eq!(rules(&err), ["WF-LOGIN-01"], "{err}");
}

#[test]
fn wf_login_02_a_chain_verified_at_another_time_does_not_log_in() {
    let (cast, mut registry) = given().unwrap();
    seb_onboard(&mut registry, &cast).unwrap();
    let chain = cast.seb_admin.verified_at(at(5)).unwrap();
    let err = registry.login(&chain, at(600)).unwrap_err();
    assert_eq!(
        err.rules().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        ["WF-LOGIN-02"],
        "{err}"
    );
    // A login does not act before it was made.
    let login = cast.seb_admin.log_in(&registry, 10).unwrap();
    let err = registry
        .as_user(&login, &Command::Users(UserCommand::FetchSettings), 9)
        .unwrap_err();
    assert_eq!(err.rules()[0].as_str(), "WF-LOGIN-02", "{err}");
}

/// The attack of issue 12: an OCES2 RID is unique only within its company. Statens Serum
/// Institut registers a user under RID 42634739; NETS DANID's employee with the same RID
/// (a real test certificate) must not log in as that user.
#[test]
fn wf_login_03_the_same_rid_of_another_company_logs_in_as_no_one() {
    let (cast, mut registry) = given().unwrap();
    let (case, sei_admin) = sei_onboard(&mut registry, &cast).unwrap();
    let group = registry.state().sei().case(case).unwrap().departments()[0].group;
    let same_rid: CertificateHolderId = format!(
        "CVR:{}-RID:{}",
        ssi().unwrap(),
        match &cast.seb_admin.holder {
            CertificateHolderId::Oces2(serial) => serial.number().digits().to_owned(),
            CertificateHolderId::Oces3(_) => unreachable!("an OCES2 test person"),
        }
    )
    .parse()
    .unwrap();
    registry
        .by(
            sei_admin,
            &Command::Directory(DirectoryCommand::CreateUser {
                user: NewUser {
                    person: person("0202801234").unwrap(),
                    certificates: vec![same_rid.clone()],
                },
                groups: vec![group],
                grants: vec![],
            }),
            20,
        )
        .unwrap();
    assert!(
        registry
            .directory()
            .user_by_certificate(&same_rid)
            .is_some()
    );
    let err = cast.seb_admin.log_in(&registry, 21).unwrap_err();
    assert_eq!(rules(&err), ["WF-LOGIN-03"], "{err}");
    assert!(err.to_string().contains("registered for no user"), "{err}");
}

#[test]
fn wf_login_03_a_deactivated_user_logs_in_as_no_one_and_a_login_stops_standing() {
    let (cast, mut registry) = given().unwrap();
    let (case, sei_admin) = sei_onboard(&mut registry, &cast).unwrap();
    let group = registry.state().sei().case(case).unwrap().departments()[0].group;
    let events = registry
        .by(
            sei_admin,
            &Command::Directory(DirectoryCommand::CreateUser {
                user: NewUser {
                    person: person("0202801234").unwrap(),
                    certificates: vec![cast.reporter.holder.clone()],
                },
                groups: vec![group],
                grants: vec![],
            }),
            20,
        )
        .unwrap();
    assert!(!events.is_empty());
    let sonja = cast.reporter.log_in(&registry, 21).unwrap();
    let karl = cast.local_admin.log_in(&registry, 21).unwrap();
    assert_eq!(karl.user(), sei_admin);
    registry
        .as_user(
            &karl,
            &Command::Directory(DirectoryCommand::DeactivateUser { user: sonja.user() }),
            22,
        )
        .unwrap();
    let err = cast.reporter.log_in(&registry, 23).unwrap_err();
    assert_eq!(rules(&err), ["WF-LOGIN-03"], "{err}");
    // The login made before the deactivation no longer stands.
    let err = registry
        .as_user(&sonja, &Command::Users(UserCommand::FetchSettings), 23)
        .unwrap_err();
    assert_eq!(err.rules()[0].as_str(), "WF-LOGIN-03", "{err}");
    // A certificate registered for no one (the SEB officer's, before any SEB case).
    let err = cast.officer.log_in(&registry, 23).unwrap_err();
    assert_eq!(rules(&err), ["WF-LOGIN-03"], "{err}");
}

#[test]
fn wf_login_04_a_first_login_with_a_moces_of_another_cvr_is_refused() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 2)
        .unwrap();
    // Karl's MOCES is Statens Serum Institut's (CVR 46837428); the case is NETS DANID's.
    let other_cvr = SebCommand::FirstLogin {
        case,
        certificate: cast.local_admin.login_certificate(3).unwrap(),
    };
    let err = registry.authority(&Command::Seb(other_cvr), 3).unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, ["WF-LOGIN-04"], "{err}");
    assert!(err.to_string().contains("46837428"), "{err}");
    assert!(matches!(
        registry.state().seb().case(case).unwrap().state(),
        SebState::AwaitingFirstLogin { .. }
    ));
    // The administrator's own MOCES, verified at the time of the login, activates the case.
    let own = SebCommand::FirstLogin {
        case,
        certificate: cast.seb_admin.login_certificate(4).unwrap(),
    };
    registry.authority(&Command::Seb(own), 4).unwrap();
    assert!(matches!(
        registry.state().seb().case(case).unwrap().state(),
        SebState::Active { .. }
    ));
}

#[test]
fn wf_login_02_a_first_login_certificate_verified_at_another_time_is_refused() {
    let (cast, mut registry) = given().unwrap();
    registry
        .submit(signed_onboarding_form(&cast, &cast.officer).unwrap(), 1)
        .unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 2)
        .unwrap();
    let stale = SebCommand::FirstLogin {
        case,
        certificate: cast.seb_admin.login_certificate(3).unwrap(),
    };
    let err = registry.authority(&Command::Seb(stale), 500).unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, ["WF-LOGIN-02"], "{err}");
}

/// A security officer's form naming, as the administrator's certificate, another company's
/// employee with the same RID: the approval is refused (`AUTHZ-CERT-01`), so no administrator
/// of NETS DANID can ever log in with Statens Serum Institut's certificate.
#[test]
fn authz_cert_01_a_form_naming_another_companys_certificate_is_not_approved() {
    let (cast, mut registry) = given().unwrap();
    let mut form = seb_onboarding_form(&cast).unwrap();
    if let sundhed_workflow::SebForm::Onboarding { administrator, .. } = &mut form {
        administrator.certificate = cast.local_admin.holder.clone();
    }
    registry
        .submit(cast.officer.sign(form).unwrap(), 1)
        .unwrap();
    let case = sundhed_workflow::SebCaseId::new(1);
    let head = registry.head();
    let err = registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 2)
        .unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert!(ids.contains(&"AUTHZ-CERT-01"), "{err}");
    assert_eq!(registry.head(), head, "nothing logged");
    assert!(
        registry
            .directory()
            .user_by_certificate(&cast.local_admin.holder)
            .is_none()
    );
}

/// A chain that verified under another root: the forged Karl (a look-alike certificate from
/// `testdata/forged/`, same subject, same holder id) verifies with a verifier that trusts the
/// forger's root, but the registry trusts only its own anchors.
fn forged_karl(at: chrono::DateTime<chrono::Utc>) -> sundhed_signing::VerifiedChain {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/forged/");
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap();
    let anchors = sundhed_signing::TrustAnchor::parse_all(&read("Evil_Root_CA.pem")).unwrap();
    let leaf = sundhed_signing::Cert::parse_all(&read("Karl_Hoffmann_Svendsen_forged.pem"))
        .unwrap()
        .remove(0);
    sundhed_signing::verify(
        &anchors,
        &sundhed_signing::Policy::oces2_test(),
        &leaf,
        &[],
        &[],
        at,
    )
    .unwrap()
}

#[test]
fn wf_login_05_a_chain_another_verifier_accepted_logs_in_as_no_one() {
    let (cast, mut registry) = given().unwrap();
    let (_, karl) = sei_onboard(&mut registry, &cast).unwrap();
    let forged = forged_karl(at(20));
    assert_eq!(
        forged.holder().unwrap().id(),
        &cast.local_admin.holder,
        "the forgery names Karl's holder"
    );
    let err = registry.login(&forged, at(20)).unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert!(ids.contains(&"WF-LOGIN-05"), "{err}");
    assert!(ids.contains(&"SIG-CHAIN-01"), "{err}");
    // Karl's own certificate logs in.
    assert_eq!(cast.local_admin.log_in(&registry, 20).unwrap().user(), karl);
}

#[test]
fn wf_login_05_a_forged_certificate_does_not_activate_an_seb_case() {
    let (cast, mut registry) = given().unwrap();
    // Statens Serum Institut joins SEB; Brian signs, naming Karl's certificate as administrator.
    let mut form = seb_onboarding_form(&cast).unwrap();
    if let sundhed_workflow::SebForm::Onboarding {
        administrator,
        cvr,
        organisation,
        ..
    } = &mut form
    {
        *cvr = ssi().unwrap();
        *organisation = "Statens Serum Institut".into();
        administrator.certificate = cast.local_admin.holder.clone();
    }
    registry.submit(cast.chief.sign(form).unwrap(), 1).unwrap();
    let case = registry.state().seb().cases().last().unwrap().0;
    registry
        .authority(&Command::Seb(SebCommand::Approve { case }), 2)
        .unwrap();
    let head = registry.head();
    let forged = sundhed_workflow::LoginCertificate::from_chain(&forged_karl(at(3))).unwrap();
    let err = registry
        .authority(
            &Command::Seb(SebCommand::FirstLogin {
                case,
                certificate: forged,
            }),
            3,
        )
        .unwrap_err();
    assert!(
        err.rules().iter().any(|r| r.as_str() == "WF-LOGIN-05"),
        "{err}"
    );
    assert_eq!(registry.head(), head, "nothing logged");
    // Karl's own certificate activates it.
    registry
        .authority(
            &Command::Seb(SebCommand::FirstLogin {
                case,
                certificate: cast.local_admin.login_certificate(4).unwrap(),
            }),
            4,
        )
        .unwrap();
    assert!(matches!(
        registry.state().seb().case(case).unwrap().state(),
        SebState::Active { .. }
    ));
}

#[test]
fn wf_login_05_a_login_ends_when_its_certificate_expires() {
    let (cast, mut registry) = given().unwrap();
    sei_onboard(&mut registry, &cast).unwrap();
    let karl = cast.local_admin.log_in(&registry, 20).unwrap();
    // Karl's certificate expires 2018-09-03; the login does not outlive it.
    let years_later = 3 * 365 * 24 * 60;
    let err = registry
        .as_user(
            &karl,
            &Command::Users(UserCommand::FetchSettings),
            years_later,
        )
        .unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert!(ids.contains(&"WF-LOGIN-05"), "{err}");
    assert!(ids.contains(&"SIG-TIME-01"), "{err}");
    // Within its validity it still acts.
    registry
        .as_user(&karl, &Command::Users(UserCommand::FetchSettings), 21)
        .unwrap();
}

/// The host's word is not a login: `Registry::handle` with a user actor is refused, and the
/// same command through the user's login is accepted.
#[test]
fn wf_login_06_a_user_acts_only_through_a_login() {
    let (cast, mut registry) = given().unwrap();
    let (_, karl) = sei_onboard(&mut registry, &cast).unwrap();
    let head = registry.head();
    let fetch = Command::Users(UserCommand::FetchSettings);
    let err = registry
        .handle(sundhed_authorisation::Actor::User(karl), &fetch, at(20))
        .unwrap_err();
    let ids: Vec<_> = err.rules().iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, ["WF-LOGIN-06"], "{err}");
    assert_eq!(registry.head(), head, "nothing logged");
    let login = cast.local_admin.log_in(&registry, 20).unwrap();
    registry.as_user(&login, &fetch, 20).unwrap();
}
