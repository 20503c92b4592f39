//! The walkthrough: an SEB organisation onboarding and an SEI department onboarding, end to
//! end, on the OCES2 test certificates in `testdata/`, then the event log verified and
//! replayed.
//!
//! Run: `cargo run -p sundhed-workflow --example walkthrough`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a walkthrough over fixed test data: any failure is a bug and should stop it loudly"
)]

#[allow(
    dead_code,
    reason = "the walkthrough uses only part of the test support"
)]
#[path = "../tests/support.rs"]
mod support;

use std::fmt::Display;
use std::time::Instant;

use sundhed_authorisation::{
    AccessRequest, Actor, Change, Decision, Directory, DirectoryCommand as D, GrantSpec, Grantee,
    NewUser, RevocationCause, RightId, UserId,
};
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    ActivationCode, Command, Event, EventLog, FileEventLog, Registry, SebCaseId, SebCommand,
    SebForm, SeiCaseId, SeiCommand, SignedForm, State, UserChange, UserCommand, WorkflowError,
};

use support::*;

type Reg = Registry<FileEventLog<Event>>;

fn line(mark: &str, label: &str, text: impl Display) {
    println!("  {mark} {label:<27} {text}");
}

fn ok(label: &str, text: impl Display) {
    line("✓", label, text);
}

fn heading(text: &str) {
    println!("\n{text}");
}

fn right_name(directory: &Directory, right: RightId) -> String {
    let form = directory.form(right.form()).unwrap();
    let spec = form.rights().find(|(id, _)| *id == right).unwrap().1;
    format!("{}/{}", form.code(), spec.code)
}

fn rules(decision: &Decision) -> String {
    decision
        .rules()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn created_users(events: &[Event]) -> Vec<UserId> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Directory(d) => match d.change {
                Change::UserCreated { user, .. } => Some(user),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Tries a command that must be refused and prints its rule ids and first reason.
fn refused(registry: &mut Reg, label: &str, actor: Actor, command: &Command, minutes: i64) {
    let before = registry.head();
    let err: WorkflowError = match registry.handle(actor, command, at(minutes)) {
        Ok(_) => panic!("`{label}` was accepted"),
        Err(e) => e,
    };
    assert_eq!(registry.head(), before, "a refusal logs nothing");
    let Some(refusal) = err.refusal() else {
        panic!("{err}")
    };
    let ids = refusal
        .violations()
        .iter()
        .flat_map(|v| std::iter::once(v.rule()).chain(v.causes().iter().copied()))
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    // The first reason, without the lower-level detail after a colon.
    let reason = refusal
        .violations()
        .first()
        .map_or("", |v| v.reason().split(": ").next().unwrap_or(""));
    println!("  ✗ {label:<27} {ids:<30} {reason}");
}

fn main() {
    let path =
        std::env::temp_dir().join(format!("sundhed-walkthrough-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let cast = Cast::load();
    let mut registry: Reg = Registry::open(FileEventLog::open(&path).unwrap(), forms()).unwrap();

    println!("sundhed walkthrough: SEB and SEI onboarding on OCES2 test certificates");
    println!(
        "(all at 2018-06-01, inside the certificates' validity; CPR numbers are made up and masked)"
    );

    heading("0. The authority defines forms and services");
    for command in define_forms() {
        registry
            .handle(Actor::Authority, &Command::Directory(command), at(0))
            .unwrap();
    }
    for form in registry.directory().forms() {
        let rights = form
            .rights()
            .map(|(_, r)| r.code.clone())
            .collect::<Vec<_>>()
            .join(", ");
        ok(form.code(), format!("{} ({rights})", form.name()));
    }
    ok(
        "trust anchor",
        "TRUST2408 Systemtest VII Primary CA, OCES2 test policies",
    );
    ok("event log", path.display());

    // ---------------------------------------------------------------- SEB
    heading("1. SEB: NETS DANID A/S joins with a signed authorisation form");
    let form = cast.officer.sign(seb_onboarding_form(&cast));
    let submit = Command::Seb(SebCommand::Submit {
        form: Box::new(form),
    });
    registry.handle(Actor::Authority, &submit, at(1)).unwrap();
    let seb_case = SebCaseId::new(1);
    let signer = registry
        .state()
        .seb()
        .case(seb_case)
        .unwrap()
        .signer()
        .clone();
    ok(
        "form verified",
        format!(
            "signed by {} (CVR {}, {})",
            signer.name, signer.cvr, signer.holder
        ),
    );
    let events = registry
        .handle(
            Actor::Authority,
            &Command::Seb(SebCommand::Approve { case: seb_case }),
            at(2),
        )
        .unwrap();
    let seb_admin = created_users(&events)[0];
    let organisation = registry.directory().organisation(nets()).unwrap();
    let ceiling = organisation
        .ceiling()
        .iter()
        .map(|r| right_name(registry.directory(), *r))
        .collect::<Vec<_>>()
        .join(", ");
    ok(
        "approved",
        format!(
            "organisation {} ({}), ceiling {ceiling}",
            organisation.name(),
            organisation.cvr()
        ),
    );
    if let Some(Event::Seb(e)) = events.last()
        && let sundhed_workflow::SebChange::AdministratorNotified { name, email, .. } = &e.change
    {
        ok(
            "administrator notified",
            format!("{seb_admin}: {name} <{email}>"),
        );
    }
    let wrong_login = SebCommand::FirstLogin {
        case: seb_case,
        holder: cast.officer.holder.clone(),
    };
    refused(
        &mut registry,
        "login, another certificate",
        Actor::Authority,
        &Command::Seb(wrong_login),
        3,
    );
    let login = SebCommand::FirstLogin {
        case: seb_case,
        holder: cast.seb_admin.holder.clone(),
    };
    registry
        .handle(Actor::Authority, &Command::Seb(login), at(3))
        .unwrap();
    ok(
        "first login",
        format!("with {} — the case is active", cast.seb_admin.holder),
    );

    // ---------------------------------------------------------------- SEI
    heading("2. SEI: Statens Serum Institut's psychiatric departments join coercion reporting");
    let form = cast.chief.sign(sei_notification());
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::Notify {
                form: Box::new(form),
            }),
            at(10),
        )
        .unwrap();
    let sei_case = SeiCaseId::new(1);
    let notification = registry.state().sei().case(sei_case).unwrap();
    ok(
        "notification verified",
        format!(
            "signed by {} (CVR {}); local administrator {}",
            notification.notifier().name,
            notification.notifier().cvr,
            notification
                .notification()
                .form()
                .local_administrator
                .person
        ),
    );
    let form = cast.local_admin.sign(sei_enrolment());
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::Enrol {
                case: sei_case,
                form: Box::new(form),
            }),
            at(11),
        )
        .unwrap();
    let enrolled_by = registry
        .state()
        .sei()
        .case(sei_case)
        .unwrap()
        .enrolment()
        .unwrap()
        .1
        .clone();
    ok(
        "self-enrolment verified",
        format!("signed by {} ({})", enrolled_by.name, enrolled_by.holder),
    );
    registry
        .handle(
            Actor::Authority,
            &Command::Sei(SeiCommand::CrossCheck { case: sei_case }),
            at(12),
        )
        .unwrap();
    let case = registry.state().sei().case(sei_case).unwrap();
    let sundhed_workflow::SeiState::AdministratorCreated {
        administrator: sei_admin,
    } = *case.state()
    else {
        panic!("no administrator")
    };
    let departments = case.departments().to_vec();
    let list = departments
        .iter()
        .map(|d| format!("{} ({})", d.shak, d.group))
        .collect::<Vec<_>>()
        .join(", ");
    ok(
        "cross-check passed",
        format!("administrator {sei_admin}; departments and groups {list}"),
    );
    let events = registry
        .handle(
            Actor::User(sei_admin),
            &Command::Users(UserCommand::FetchSettings),
            at(13),
        )
        .unwrap();
    if let Some(Event::Users(e)) = events.first()
        && let UserChange::SettingsFetched {
            groups, grantable, ..
        } = &e.change
    {
        ok(
            "settings fetched",
            format!(
                "{} group(s), may hand out {} right/department pairs",
                groups.len(),
                grantable.len()
            ),
        );
    }

    // ---------------------------------------------------------------- hand-down
    heading("3. Rights handed down");
    let (p1, p1_group) = (departments[0].department, departments[0].group);
    let (p2, p2_group) = (departments[1].department, departments[1].group);
    let tvang = registry.directory().form_by_code(TVANG).unwrap();
    let (tvang_id, report, read) = (
        tvang.id(),
        tvang.right_by_code("INDBERET").unwrap(),
        tvang.right_by_code("LAES").unwrap(),
    );
    // Every department group hangs under the hospital's group (the overordnet gruppe).
    let hospital_group = registry.directory().user(sei_admin).unwrap().groups()[0];
    let create = |person_id: &str, holder: CertificateHolderId, group, grants| {
        Command::Users(UserCommand::Create {
            user: NewUser {
                person: person(person_id),
                certificates: vec![holder],
            },
            groups: vec![group],
            parent: Some(hospital_group),
            grants,
        })
    };
    let rid = |n: u32| CertificateHolderId::Oces2(format!("RID:{n}").parse().unwrap());
    let events = registry
        .handle(
            Actor::User(sei_admin),
            &create("0302901234", rid(31_000_001), p1_group, vec![]),
            at(20),
        )
        .unwrap();
    let co_admin = created_users(&events)[0];
    let appoint = D::AppointCoAdmin {
        user: co_admin,
        forms: vec![tvang_id],
        departments: vec![p1],
        valid_until: None,
    };
    registry
        .handle(Actor::User(sei_admin), &Command::Directory(appoint), at(21))
        .unwrap();
    ok(
        "co-admin appointed",
        format!(
            "{co_admin} ({}) administers {TVANG} on {}",
            person("0302901234"),
            departments[0].shak
        ),
    );
    refused(
        &mut registry,
        "co-admin hands down",
        Actor::User(co_admin),
        &create(
            "2112851113",
            cast.reporter.holder.clone(),
            p1_group,
            vec![GrantSpec::new(report, p1)],
        ),
        22,
    );
    let grant = D::Grant {
        grantee: Grantee::User(co_admin),
        grant: GrantSpec::new(report, p1),
    };
    registry
        .handle(Actor::User(sei_admin), &Command::Directory(grant), at(23))
        .unwrap();
    ok(
        "right given",
        format!(
            "{} on {} to {co_admin}",
            right_name(registry.directory(), report),
            departments[0].shak
        ),
    );
    let events = registry
        .handle(
            Actor::User(co_admin),
            &create(
                "2112851113",
                cast.reporter.holder.clone(),
                p1_group,
                vec![GrantSpec::new(report, p1)],
            ),
            at(24),
        )
        .unwrap();
    let reporter = created_users(&events)[0];
    ok(
        "reporter created",
        format!(
            "{reporter} Sonja Bach ({}, {}) by the co-admin, in {p1_group} under {hospital_group}",
            person("2112851113"),
            cast.reporter.holder
        ),
    );
    let batch = UserCommand::CreateBatch {
        users: (0..3)
            .map(|i| NewUser {
                person: person(&format!("1710754{i}21")),
                certificates: vec![rid(32_000_000 + i)],
            })
            .collect(),
        groups: vec![p2_group],
        parent: None,
        grants: vec![GrantSpec::new(read, p2)],
    };
    let events = registry
        .handle(Actor::User(sei_admin), &Command::Users(batch), at(25))
        .unwrap();
    ok(
        "batch",
        format!(
            "{} readers with {} on {}",
            created_users(&events).len(),
            right_name(registry.directory(), read),
            departments[1].shak
        ),
    );
    let code = ActivationCode::new("K7Q2-MZ9P-4TXW").unwrap();
    let issue = UserCommand::IssueActivationCode {
        person: person("0101801238"),
        code: code.clone(),
        expires: at(24 * 60),
        groups: vec![p2_group],
        parent: None,
        grants: vec![GrantSpec::new(read, p2)],
    };
    registry
        .handle(Actor::User(sei_admin), &Command::Users(issue), at(26))
        .unwrap();
    ok(
        "activation code issued",
        format!(
            "{} — the log keeps only SHA-256 {}…",
            person("0101801238"),
            &code.digest().to_string()[..12]
        ),
    );
    let events = registry
        .handle(
            Actor::Authority,
            &Command::Users(UserCommand::Enrol {
                code: code.clone(),
                holder: rid(33_000_001),
            }),
            at(27),
        )
        .unwrap();
    ok(
        "enrolled with the code",
        format!(
            "{} logs in with {}",
            created_users(&events)[0],
            rid(33_000_001)
        ),
    );

    // ---------------------------------------------------------------- check
    heading("4. A coercion report");
    let request = AccessRequest {
        user: reporter,
        right: report,
        department: p1,
    };
    let denied = registry.check(&request, at(30));
    line(
        "✗",
        "before acknowledging",
        format!(
            "{} ({})",
            if denied.is_allowed() { "allow" } else { "deny" },
            rules(&denied)
        ),
    );
    registry
        .handle(
            Actor::User(reporter),
            &Command::Users(UserCommand::AcknowledgeConfidentiality),
            at(31),
        )
        .unwrap();
    ok(
        "confidentiality",
        format!("{reporter} acknowledged the duty of confidentiality"),
    );
    let allowed = registry.check(&request, at(32));
    assert!(allowed.is_allowed());
    let because = allowed
        .reasons()
        .iter()
        .map(|r| {
            let grant = registry.directory().grant(r.grant).unwrap();
            format!("{} from {}", r.grant, grant.grantor())
        })
        .collect::<Vec<_>>()
        .join(", ");
    ok(
        "report allowed",
        format!(
            "{} on {}: allow by {because} ({})",
            right_name(registry.directory(), report),
            departments[0].shak,
            rules(&allowed)
        ),
    );

    // ---------------------------------------------------------------- refusals
    heading("5. Refused: nothing logged, nothing changed");
    let unsigned = SignedForm::unsigned(seb_onboarding_form(&cast));
    let nets_b = |form| {
        Command::Seb(SebCommand::Submit {
            form: Box::new(form),
        })
    };
    refused(
        &mut registry,
        "unsigned form",
        Actor::Authority,
        &nets_b(unsigned),
        40,
    );
    let mut edited_form = seb_onboarding_form(&cast);
    if let SebForm::Onboarding { administrator, .. } = &mut edited_form {
        administrator.email = "attacker@example.invalid".into();
    }
    let edited = cast
        .officer
        .sign(seb_onboarding_form(&cast))
        .with_form(edited_form);
    refused(
        &mut registry,
        "form edited after signing",
        Actor::Authority,
        &nets_b(edited),
        40,
    );
    let forged = cast
        .seb_admin
        .sign_as(&cast.officer, seb_onboarding_form(&cast));
    refused(
        &mut registry,
        "signed with another key",
        Actor::Authority,
        &nets_b(forged),
        40,
    );
    let mismatch = cast.chief.sign(SebForm::AddService {
        cvr: nets(),
        services: vec![sundhed_workflow::RightsRequest {
            form: "SOR".into(),
            rights: vec!["REDIGER".into()],
        }],
    });
    refused(
        &mut registry,
        "CVR mismatch",
        Actor::Authority,
        &nets_b(mismatch),
        40,
    );
    let voces = cast.voces.sign(seb_onboarding_form(&cast));
    refused(
        &mut registry,
        "organisation certificate",
        Actor::Authority,
        &nets_b(voces),
        40,
    );
    refused(
        &mut registry,
        "co-admin grants LAES",
        Actor::User(co_admin),
        &Command::Directory(D::Grant {
            grantee: Grantee::User(reporter),
            grant: GrantSpec::new(read, p1),
        }),
        41,
    );
    let readers = registry.directory().users_of(ssi()).to_vec();
    let reader = readers[readers.len() - 2];
    let reader_request = AccessRequest {
        user: reader,
        right: read,
        department: p2,
    };
    let before_ack = registry.check(&reader_request, at(41));
    println!(
        "  ✗ {:<27} {:<30} deny: confidentiality not acknowledged yet",
        "reading before the duty",
        rules(&before_ack)
    );
    let mut wrong = sei_notification();
    wrong.departments.clear();
    refused(
        &mut registry,
        "notification, no department",
        Actor::Authority,
        &Command::Sei(SeiCommand::Notify {
            form: Box::new(cast.chief.sign(wrong)),
        }),
        42,
    );
    refused(
        &mut registry,
        "activation code reused",
        Actor::Authority,
        &Command::Users(UserCommand::Enrol {
            code,
            holder: rid(2),
        }),
        43,
    );

    // ---------------------------------------------------------------- removal
    heading("6. An admin removed, with cascading revocation");
    let events = registry
        .handle(
            Actor::User(sei_admin),
            &Command::Directory(D::RemoveCoAdmin { user: co_admin }),
            at(50),
        )
        .unwrap();
    let (direct, cascaded) = events.iter().fold((0, 0), |(d, c), e| match e {
        Event::Directory(e) => match e.change {
            Change::GrantRevoked {
                cause: RevocationCause::LostSupport,
                ..
            } => (d, c + 1),
            Change::GrantRevoked { .. } => (d + 1, c),
            _ => (d, c),
        },
        _ => (d, c),
    });
    ok(
        "co-admin removed",
        format!("{co_admin}: {direct} grant(s) revoked, {cascaded} more cascaded"),
    );
    let after = registry.check(&request, at(51));
    line(
        "✗",
        "the reporter now",
        format!(
            "{} ({})",
            if after.is_allowed() { "allow" } else { "deny" },
            rules(&after)
        ),
    );

    // ---------------------------------------------------------------- bulk + log
    heading("7. The event log");
    let start = Instant::now();
    let mut created = 0;
    for batch in 0..20u32 {
        let users = (0..100u32)
            .map(|i| {
                let n = batch * 100 + i;
                let cpr = format!(
                    "{:02}{:02}{:02}{:04}",
                    1 + n % 28,
                    1 + (n / 28) % 12,
                    50 + (n / 336) % 50,
                    1000 + n
                );
                NewUser {
                    person: person(&cpr),
                    certificates: vec![rid(40_000_000 + n)],
                }
            })
            .collect();
        let command = UserCommand::CreateBatch {
            users,
            groups: vec![p2_group],
            parent: None,
            grants: vec![GrantSpec::new(read, p2)],
        };
        created += created_users(
            &registry
                .handle(Actor::User(sei_admin), &Command::Users(command), at(60))
                .unwrap(),
        )
        .len();
    }
    ok(
        "bulk",
        format!(
            "{created} more users in 20 batches of 100 ({:.2} s, one fsync per batch)",
            start.elapsed().as_secs_f64()
        ),
    );
    let head = registry.head();
    let live = registry.state().clone();
    drop(registry);
    let log = FileEventLog::<Event>::open(&path).unwrap();
    let verified = log.verify_against(&head).unwrap();
    ok(
        "verified",
        format!(
            "{} records, hash chain intact, head {}…",
            verified.len,
            &verified.hash.to_string()[..16]
        ),
    );
    let start = Instant::now();
    let replayed = State::replay(&log).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(replayed, live, "replay rebuilds the same state");
    ok(
        "replayed",
        "directory and every procedure equal to the live state",
    );
    let rate = verified.len as f64 / seconds;
    ok(
        "replay throughput",
        format!(
            "{} events in {:.1} ms = {:.0} events/s (read, verify, decode, apply)",
            verified.len,
            seconds * 1e3,
            rate
        ),
    );
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    ok(
        "log size",
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
    );
    std::fs::remove_file(&path).unwrap();
    println!("\nDone: the log file was removed.");
}
