//! The walkthrough: a host service running an SEB organisation onboarding and an SEI
//! department onboarding end to end on the OCES2 test certificates, then verifying and
//! replaying its event log.
//!
//! What a host does is written out here: load its trust anchors, open the registry on a file
//! log, receive signed forms as bytes, hand every command to the registry with its clock's
//! time, and show decisions and refusals. A user acts only through a login: the host verifies
//! the certificate chain the person's client presents at that time, `Registry::login` turns it
//! into a `Login`, and the command goes to `Registry::handle_as` with it; `Actor::Authority`
//! is only for the authority's own staff. Every user who acts has a real OCES2 test
//! certificate; the batch and bulk users, created with holder ids the host was given, never
//! act. What the host never does comes from `sundhed-testkit`: the signing clients of the
//! people in the story (the OCES2 test people and their published keys), the verification of
//! their chains as the host does it, and the forms they fill in.
//!
//! The host's own small helpers (printing, receiving a form, trying a refused command) are
//! in `host.rs`.
//!
//! Run: `cargo run -p sundhed-workflow --example walkthrough`

mod host;

use std::time::Instant;

use host::{
    ACTIVATION_KEY, Outcome, Reg, created_users, first_created, form_verifier, heading, joined,
    log_in, missing, ok, receive, refused, refused_as, refused_login, refused_report, rid,
    right_name, upload,
};
use sundhed_authorisation::{
    AccessRequest, Actor, Change, DirectoryCommand as D, GrantSpec, Grantee, NewUser,
    RevocationCause,
};
use sundhed_testkit::oces::{Cast, Person, ROOT_FILE, at};
use sundhed_testkit::onboarding::{
    SEI_ADMIN_CPR, SEI_CHIEF_CPR, TVANG, define_forms, nets, person, seb_onboarding_form,
    sei_department, sei_enrolment, sei_notification, sor_service_form,
};
use sundhed_testkit::report::{PATIENT_CPR, coercion_report, coercion_report_payload};
use sundhed_testkit::testdata;
use sundhed_workflow::{
    ActivationCode, ActivationKey, Command, CprAttestation, Digest, Event, EventLog, FileEventLog,
    Registry, SebCaseId, SebChange, SebCommand, SebForm, SeiCaseId, SeiCommand, SeiState,
    SignedForm, State, Submission, UserChange, UserCommand, form_bytes,
};

fn main() -> Outcome {
    let path =
        std::env::temp_dir().join(format!("sundhed-walkthrough-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    // The signing clients of the people in the story (not the host's: it never holds a key).
    let cast = Cast::load()?;
    let forms = form_verifier(&testdata::people(ROOT_FILE))?;
    let mut registry: Reg = Registry::open(FileEventLog::open(&path)?, forms)?;

    println!("sundhed walkthrough: SEB and SEI onboarding on OCES2 test certificates");
    println!(
        "(all at 2018-06-01, inside the certificates' validity; CPR numbers are made up and masked)"
    );

    heading("0. The authority defines forms and services");
    for command in define_forms() {
        registry.handle(Actor::Authority, &Command::Directory(command), at(0))?;
    }
    for form in registry.directory().forms() {
        let rights = joined(form.rights().map(|(_, r)| r.code.clone()));
        ok(form.code(), format!("{} ({rights})", form.name()));
    }
    ok(
        "trust anchor",
        "TRUST2408 Systemtest VII Primary CA, OCES2 test policies",
    );
    ok("event log", path.display());

    heading("1. SEB: NETS DANID A/S joins with a signed authorisation form");
    let bytes = upload(cast.officer.sign(seb_onboarding_form(&cast)?))?;
    let submit = SebCommand::Submit {
        form: receive(&bytes)?,
    };
    registry.handle(Actor::Authority, &Command::Seb(submit), at(1))?;
    let seb_case = SebCaseId::new(1);
    let case = registry
        .state()
        .seb()
        .case(seb_case)
        .ok_or_else(|| missing("SEB case"))?;
    let signer = case.signer().clone();
    ok(
        "form verified",
        format!(
            "signed by {} (CVR {}, {})",
            signer.name, signer.cvr, signer.holder
        ),
    );
    let approve = SebCommand::Approve { case: seb_case };
    let events = registry.handle(Actor::Authority, &Command::Seb(approve), at(2))?;
    let seb_admin = first_created(&events)?;
    let directory = registry.directory();
    let organisation = directory
        .organisation(nets()?)
        .ok_or_else(|| missing("organisation"))?;
    let ceiling = joined(
        organisation
            .ceiling()
            .iter()
            .map(|r| right_name(directory, *r)),
    );
    ok(
        "approved",
        format!(
            "organisation {} ({}), ceiling {ceiling}",
            organisation.name(),
            organisation.cvr()
        ),
    );
    if let Some(Event::Seb(e)) = events.last()
        && let SebChange::AdministratorNotified { name, email, .. } = &e.change
    {
        ok(
            "administrator notified",
            format!("{seb_admin}: {name} <{email}>"),
        );
    }
    let login = |person: &Person| -> Result<Command, sundhed_testkit::TestkitError> {
        Ok(Command::Seb(SebCommand::FirstLogin {
            case: seb_case,
            certificate: person.login_certificate(3)?,
        }))
    };
    let wrong = login(&cast.officer)?;
    refused(&mut registry, "login, another certificate", &wrong, 3)?;
    // Karl Hoffmann Svendsen's MOCES is a Statens Serum Institut certificate (CVR 46837428):
    // it cannot log in for NETS DANID.
    let other_cvr = login(&cast.local_admin)?;
    refused(&mut registry, "login, another CVR", &other_cvr, 3)?;
    registry.handle(Actor::Authority, &login(&cast.seb_admin)?, at(3))?;
    ok(
        "first login",
        format!("with {} — the case is active", cast.seb_admin.holder),
    );

    heading("2. SEI: Statens Serum Institut's psychiatric departments join coercion reporting");
    let notification_bytes = upload(cast.chief.sign(sei_notification()?))?;
    let notify = SeiCommand::Notify {
        form: receive(&notification_bytes)?,
    };
    registry.handle(Actor::Authority, &Command::Sei(notify), at(10))?;
    let sei_case = SeiCaseId::new(1);
    let case = registry
        .state()
        .sei()
        .case(sei_case)
        .ok_or_else(|| missing("SEI case"))?;
    let (notifier, form) = (case.notifier(), case.notification().form());
    ok(
        "notification verified",
        format!(
            "signed by {} (CVR {}); local administrator {}",
            notifier.name, notifier.cvr, form.local_administrator.person
        ),
    );
    let notification = notifier.form;
    // Sonja Bach signs an enrolment carrying Karl's CPR number: the notification names Karl as
    // the local administrator, so only he may sign it (and the refused one replaces nothing).
    // She tries before Karl enrols: his own signed bytes, once received, would be a replay.
    let by_another = SeiCommand::Enrol {
        case: sei_case,
        form: receive(&upload(cast.reporter.sign(sei_enrolment(notification)?))?)?,
    };
    refused(
        &mut registry,
        "enrolment by another",
        &Command::Sei(by_another),
        11,
    )?;
    let bytes = upload(cast.local_admin.sign(sei_enrolment(notification)?))?;
    let enrol = SeiCommand::Enrol {
        case: sei_case,
        form: receive(&bytes)?,
    };
    registry.handle(Actor::Authority, &Command::Sei(enrol), at(11))?;
    let case = registry
        .state()
        .sei()
        .case(sei_case)
        .ok_or_else(|| missing("SEI case"))?;
    let (_, enrolled_by) = case.enrolment().ok_or_else(|| missing("enrolment"))?;
    let enrolled_by = enrolled_by.clone();
    ok(
        "self-enrolment verified",
        format!("signed by {} ({})", enrolled_by.name, enrolled_by.holder),
    );

    // An OCES2 employee certificate carries no CPR number: the host asks the CPR binding whose
    // certificate signed the enrolment and hands the answer in with the cross-check (here the
    // test service's answer, the made-up number of the scenario).
    let attestation = CprAttestation {
        certificate: enrolled_by.holder.clone(),
        person: person(SEI_ADMIN_CPR)?,
        source: "CPR lookup for the certificate (test service)".into(),
        checked_at: at(12),
    };
    ok(
        "CPR attestation",
        format!(
            "{} belongs to {}",
            attestation.certificate, attestation.person
        ),
    );
    let cross_check = SeiCommand::CrossCheck {
        case: sei_case,
        attestation: Some(attestation),
    };
    registry.handle(Actor::Authority, &Command::Sei(cross_check), at(12))?;
    let case = registry
        .state()
        .sei()
        .case(sei_case)
        .ok_or_else(|| missing("SEI case"))?;
    let SeiState::AdministratorCreated {
        administrator: sei_admin,
    } = *case.state()
    else {
        return Err(missing("SEI administrator"));
    };
    let departments = case.departments().to_vec();
    let list = joined(
        departments
            .iter()
            .map(|d| format!("{} ({})", d.shak, d.group)),
    );
    ok(
        "cross-check passed",
        format!("administrator {sei_admin}; departments and groups {list}"),
    );
    // From here on every user acts through a login: the certificate their client presents,
    // verified by the host at the time, logged in by the registry (`login`, then `handle_as`).
    let karl = log_in(&registry, &cast.local_admin, 13)?;
    if karl.user() != sei_admin {
        return Err("Karl's certificate logs in as another user".into());
    }
    let fetch = Command::Users(UserCommand::FetchSettings);
    let events = registry.handle_as(&karl, &fetch, at(13))?;
    if let Some(Event::Users(e)) = events.first()
        && let UserChange::SettingsFetched {
            groups, grantable, ..
        } = &e.change
    {
        let (groups, pairs) = (groups.len(), grantable.len());
        ok(
            "settings fetched",
            format!("{groups} group(s), may hand out {pairs} right/department pairs"),
        );
    }

    heading("3. Rights handed down");
    let [first, second] = departments.as_slice() else {
        return Err(missing("two SEI departments"));
    };
    let (p1, p1_group) = (first.department, first.group);
    let (p2, p2_group) = (second.department, second.group);
    let tvang = registry
        .directory()
        .form_by_code(TVANG)
        .ok_or_else(|| missing(TVANG))?;
    let right = |code| tvang.right_by_code(code).ok_or_else(|| missing(code));
    let (tvang_id, report, read) = (tvang.id(), right("INDBERET")?, right("LAES")?);
    // Every department group hangs under the hospital's group (the overordnet gruppe).
    let admin_groups = registry
        .directory()
        .user(sei_admin)
        .map(|u| u.groups().to_vec());
    let hospital_group = admin_groups.unwrap_or_default().first().copied();
    let hospital_group = hospital_group.ok_or_else(|| missing("hospital group"))?;
    // Karl creates the chief physician, Brian Møller, as a user with his own certificate, and
    // appoints him co-administrator of the first department.
    let chief_person = person(SEI_CHIEF_CPR)?;
    let create_chief = UserCommand::Create {
        user: NewUser {
            person: chief_person,
            certificates: vec![cast.chief.holder.clone()],
        },
        groups: vec![p1_group],
        parent: Some(hospital_group),
        grants: vec![],
    };
    let events = registry.handle_as(&karl, &Command::Users(create_chief), at(20))?;
    let co_admin = first_created(&events)?;
    let appoint = D::AppointCoAdmin {
        user: co_admin,
        forms: vec![tvang_id],
        departments: vec![p1],
        valid_until: None,
    };
    registry.handle_as(&karl, &Command::Directory(appoint), at(21))?;
    ok(
        "co-admin appointed",
        format!(
            "{co_admin} Brian Møller ({chief_person}, {}) administers {TVANG} on {}",
            cast.chief.holder, first.shak
        ),
    );
    let brian = log_in(&registry, &cast.chief, 22)?;
    // Sonja Bach has no user yet: Brian prepares one for her with the reporting right and an
    // activation code. The host generated the code and keys it with its own secret key: the
    // registry and the log only ever see the keyed code.
    let key = ActivationKey::new(ACTIVATION_KEY)?;
    let code = ActivationCode::new("K7Q2-MZ9P-4TXW")?;
    let reporter_person = person("2112851113")?;
    let issue = Command::Users(UserCommand::IssueActivationCode {
        person: reporter_person,
        code: code.keyed(&key),
        expires: at(24 * 60),
        groups: vec![p1_group],
        parent: Some(hospital_group),
        grants: vec![GrantSpec::new(report, p1)],
    });
    refused_as(&mut registry, "co-admin hands down", &brian, &issue, 22)?;
    let grant = D::Grant {
        grantee: Grantee::User(co_admin),
        grant: GrantSpec::new(report, p1),
    };
    registry.handle_as(&karl, &Command::Directory(grant), at(23))?;
    let report_name = right_name(registry.directory(), report);
    ok(
        "right given",
        format!("{report_name} on {} to {co_admin}", first.shak),
    );
    registry.handle_as(&brian, &issue, at(24))?;
    let digest = code.keyed(&key).to_string();
    let digest = digest.get(..12).unwrap_or(&digest);
    ok(
        "activation code issued",
        format!(
            "by {co_admin} for {reporter_person} with {report_name} on {} — the log keeps only HMAC-SHA-256 {digest}…",
            first.shak
        ),
    );
    // Sonja logs in to the host with her employee certificate, which is registered for no
    // user yet, and gives the code: the enrolment carries her certificate as the host verified
    // it (a `LoginCertificate`), and the user it creates comes from that certificate and the
    // code, not from an actor the host names (the host hands the enrolment in on its own).
    let enrol = UserCommand::Enrol {
        code: code.keyed(&key),
        certificate: cast.reporter.login_certificate(25)?,
    };
    let events = registry.handle(Actor::Authority, &Command::Users(enrol), at(25))?;
    let reporter = first_created(&events)?;
    ok(
        "reporter enrolled",
        format!(
            "{reporter} Sonja Bach ({reporter_person}, {}) with the code, in {p1_group} under {hospital_group}",
            cast.reporter.holder
        ),
    );
    // Readers created in a batch, with holder ids the host was told (they never act here).
    let mut users = Vec::new();
    for i in 0..3 {
        let person = person(&format!("1710754{i}21"))?;
        users.push(NewUser {
            person,
            certificates: vec![rid(32_000_000 + i)?],
        });
    }
    let batch = UserCommand::CreateBatch {
        users,
        groups: vec![p2_group],
        parent: None,
        grants: vec![GrantSpec::new(read, p2)],
    };
    let events = registry.handle_as(&karl, &Command::Users(batch), at(26))?;
    let readers = created_users(&events);
    let read_name = right_name(registry.directory(), read);
    ok(
        "batch",
        format!(
            "{} readers with {read_name} on {}, by {sei_admin}",
            readers.len(),
            second.shak
        ),
    );

    heading("4. A coercion report, signed by the reporter");
    // Sonja Bach's client signs the report with her employee certificate (seed SEI §3) and
    // uploads it; the host receives the bytes and decides them in one call.
    let payload = coercion_report_payload(1);
    let report_bytes = upload(
        cast.reporter
            .sign(coercion_report(first.shak, payload.clone())),
    )?;
    refused_report(&mut registry, "before acknowledging", &report_bytes, 30)?;
    let sonja = log_in(&registry, &cast.reporter, 31)?;
    let acknowledge = Command::Users(UserCommand::AcknowledgeConfidentiality);
    registry.handle_as(&sonja, &acknowledge, at(31))?;
    ok(
        "confidentiality",
        format!("{reporter} acknowledged the duty of confidentiality"),
    );
    let received: Box<SignedForm<Submission>> = receive(&report_bytes)?;
    let receipt = registry.receive(&received, at(32))?;
    let short = |digest: Digest| digest.to_string().chars().take(12).collect::<String>();
    ok(
        "report received",
        format!(
            "receipt: {} sent {report_name} on {}, signed with {}",
            receipt.user(),
            first.shak,
            cast.reporter.holder
        ),
    );
    let log = std::fs::read_to_string(&path)?;
    let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
    if log.contains(PATIENT_CPR) || log.contains(&hex) {
        return Err("the log holds the report".into());
    }
    ok(
        "receipt logged",
        format!(
            "signed bytes {}…, payload {}…: digests only, not the report or its CPR",
            short(receipt.submission()),
            short(receipt.payload())
        ),
    );
    let request = AccessRequest {
        user: reporter,
        right: report,
        department: p1,
    };
    let allowed = registry.check(&request, at(32));
    let directory = registry.directory();
    let because = joined(allowed.reasons().iter().map(|r| {
        let grantor = directory.grant(r.grant).map(|g| g.grantor().to_string());
        format!("{} from {}", r.grant, grantor.unwrap_or_default())
    }));
    let rules = joined(allowed.rules());
    ok("decided by", format!("allow by {because} ({rules})"));
    // The same signed report arrives again, byte for byte: it is not counted twice.
    refused_report(&mut registry, "report replayed", &report_bytes, 33)?;

    heading("5. Refused: nothing logged, nothing changed");
    let submit = |form| Command::Seb(SebCommand::Submit { form });
    let unsigned = SignedForm::unsigned(&seb_onboarding_form(&cast)?)?;
    let form = receive(&serde_json::to_vec(&unsigned)?)?;
    refused(&mut registry, "unsigned form", &submit(form), 40)?;
    let mut edited = seb_onboarding_form(&cast)?;
    if let SebForm::Onboarding { administrator, .. } = &mut edited {
        administrator.email = "attacker@example.invalid".into();
    }
    let signed = cast.officer.sign(seb_onboarding_form(&cast)?)?;
    let form = receive(&upload(Ok(signed.with_bytes(form_bytes(&edited)?)?))?)?;
    refused(
        &mut registry,
        "form edited after signing",
        &submit(form),
        40,
    )?;
    let forged = cast
        .seb_admin
        .sign_as(&cast.officer, seb_onboarding_form(&cast)?);
    let form = receive(&upload(forged)?)?;
    refused(&mut registry, "signed with another key", &submit(form), 40)?;
    // Brian Møller (Statens Serum Institut) signs NETS DANID's request for SOR.
    let form = receive(&upload(cast.chief.sign(sor_service_form()?))?)?;
    refused(&mut registry, "CVR mismatch", &submit(form), 40)?;
    let form = receive(&upload(cast.voces.sign(seb_onboarding_form(&cast)?))?)?;
    refused(&mut registry, "organisation certificate", &submit(form), 40)?;
    let grant = D::Grant {
        grantee: Grantee::User(reporter),
        grant: GrantSpec::new(read, p1),
    };
    let grant = Command::Directory(grant);
    refused_as(&mut registry, "co-admin grants LAES", &brian, &grant, 41)?;
    let reader = readers.first().copied().ok_or_else(|| missing("reader"))?;
    let reader_request = AccessRequest {
        user: reader,
        right: read,
        department: p2,
    };
    let before_ack = joined(registry.check(&reader_request, at(41)).rules());
    println!(
        "  ✗ {:<27} {before_ack:<30} deny: confidentiality not acknowledged yet",
        "reading before the duty"
    );
    // NETS DANID's security officer logs in to act at Statens Serum Institut: the certificate
    // verifies, but no user of the directory is registered for it.
    refused_login(&registry, "login, no user", &cast.officer, 41)?;
    let mut wrong = sei_notification()?;
    wrong.departments.clear();
    let notify = SeiCommand::Notify {
        form: receive(&upload(cast.chief.sign(wrong))?)?,
    };
    let notify = Command::Sei(notify);
    refused(&mut registry, "notification, no department", &notify, 42)?;
    // The local administrator signs a notification naming the chief physician: the two halves
    // of the cross-check would come from one person.
    let mut by_admin = sei_notification()?;
    by_admin.departments = vec![sei_department("420203", "Psykiatrisk afsnit P3")?];
    let notify = SeiCommand::Notify {
        form: receive(&upload(cast.local_admin.sign(by_admin))?)?,
    };
    refused(
        &mut registry,
        "notification by non-chief",
        &Command::Sei(notify),
        42,
    )?;
    // The chief physician's notification arrives a second time, byte for byte.
    let replayed = Command::Sei(SeiCommand::Notify {
        form: receive(&notification_bytes)?,
    });
    refused(&mut registry, "notification replayed", &replayed, 42)?;
    let reuse = Command::Users(UserCommand::Enrol {
        code: code.keyed(&key),
        certificate: cast.reporter.login_certificate(43)?,
    });
    refused(&mut registry, "activation code reused", &reuse, 43)?;

    heading("6. An admin removed, with cascading revocation");
    let remove = Command::Directory(D::RemoveCoAdmin { user: co_admin });
    let events = registry.handle_as(&karl, &remove, at(50))?;
    let (mut direct, mut cascaded) = (0, 0);
    for event in &events {
        if let Event::Directory(e) = event
            && let Change::GrantRevoked { cause, .. } = &e.change
        {
            match cause {
                RevocationCause::LostSupport => cascaded += 1,
                _ => direct += 1,
            }
        }
    }
    ok(
        "co-admin removed",
        format!("{co_admin}: {direct} grant(s) revoked, {cascaded} more cascaded"),
    );
    let next = upload(
        cast.reporter
            .sign(coercion_report(first.shak, coercion_report_payload(2))),
    )?;
    refused_report(&mut registry, "the reporter's next report", &next, 51)?;

    heading("7. The event log");
    let start = Instant::now();
    let mut created = 0;
    for batch in 0..20u32 {
        let mut users = Vec::new();
        for i in 0..100u32 {
            let n = batch * 100 + i;
            let (day, month, year) = (1 + n % 28, 1 + (n / 28) % 12, 50 + (n / 336) % 50);
            let person = person(&format!("{day:02}{month:02}{year:02}{:04}", 1000 + n))?;
            users.push(NewUser {
                person,
                certificates: vec![rid(40_000_000 + n)?],
            });
        }
        let command = UserCommand::CreateBatch {
            users,
            groups: vec![p2_group],
            parent: None,
            grants: vec![GrantSpec::new(read, p2)],
        };
        let events = registry.handle_as(&karl, &Command::Users(command), at(60))?;
        created += created_users(&events).len();
    }
    let seconds = start.elapsed().as_secs_f64();
    ok(
        "bulk",
        format!("{created} more users in 20 batches of 100 ({seconds:.2} s, one fsync per batch)"),
    );
    let head = registry.head();
    let live = registry.state().clone();
    drop(registry);
    let log = FileEventLog::<Event>::open(&path)?;
    let verified = log.verify_against(&head)?;
    let hash = verified.hash.to_string();
    let hash = hash.get(..16).unwrap_or(&hash);
    ok(
        "verified",
        format!("{} records, hash chain intact, head {hash}…", verified.len),
    );
    let start = Instant::now();
    let replayed = State::replay(&log)?;
    let seconds = start.elapsed().as_secs_f64();
    if replayed != live {
        return Err("replay did not rebuild the live state".into());
    }
    ok(
        "replayed",
        "directory and every procedure equal to the live state",
    );
    let rate = verified.len as f64 / seconds;
    ok(
        "replay throughput",
        format!(
            "{} events in {:.1} ms = {rate:.0} events/s (read, verify, decode, apply)",
            verified.len,
            seconds * 1e3,
        ),
    );
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    ok(
        "log size",
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
    );
    std::fs::remove_file(&path)?;
    println!("\nDone: the log file was removed.");
    Ok(())
}
