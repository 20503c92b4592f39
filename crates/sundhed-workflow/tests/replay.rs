//! Replaying the log rebuilds exactly the state built live.

use std::sync::OnceLock;

use proptest::prelude::*;
use sundhed_authorisation::{Actor, DirectoryCommand as D, GrantSpec, Grantee, NewUser};
use sundhed_identity::CertificateHolderId;
use sundhed_workflow::{
    Command, Event, EventLog, FileEventLog, MemoryEventLog, Registry, State, UserCommand,
};

use sundhed_testkit::oces::*;
use sundhed_testkit::onboarding::*;

/// Both onboardings done, once for all cases.
fn base() -> MemoryEventLog<Event> {
    static BASE: OnceLock<MemoryEventLog<Event>> = OnceLock::new();
    BASE.get_or_init(|| {
        let (cast, mut registry) = given().unwrap();
        seb_onboard(&mut registry, &cast).unwrap();
        sei_onboard(&mut registry, &cast).unwrap();
        registry.into_log()
    })
    .clone()
}

#[derive(Clone, Debug)]
enum Op {
    CreateUser {
        by: usize,
        rights: u8,
        department: usize,
        group: usize,
    },
    Grant {
        by: usize,
        to: usize,
        right: usize,
        department: usize,
    },
    Revoke {
        by: usize,
        grant: usize,
    },
    AppointCoAdmin {
        by: usize,
        user: usize,
        department: usize,
    },
    RemoveCoAdmin {
        by: usize,
        user: usize,
    },
    Acknowledge {
        user: usize,
    },
    FetchSettings {
        user: usize,
    },
    IssueCode {
        by: usize,
        code: u8,
    },
    Enrol {
        code: u8,
        holder: u32,
    },
    Deactivate {
        by: usize,
        user: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..8;
    prop_oneof![
        (i(), any::<u8>(), i(), i()).prop_map(|(by, rights, department, group)| Op::CreateUser {
            by,
            rights,
            department,
            group
        }),
        (i(), i(), i(), i()).prop_map(|(by, to, right, department)| Op::Grant {
            by,
            to,
            right,
            department
        }),
        (i(), 0usize..64).prop_map(|(by, grant)| Op::Revoke { by, grant }),
        (i(), i(), i()).prop_map(|(by, user, department)| Op::AppointCoAdmin {
            by,
            user,
            department
        }),
        (i(), i()).prop_map(|(by, user)| Op::RemoveCoAdmin { by, user }),
        i().prop_map(|user| Op::Acknowledge { user }),
        i().prop_map(|user| Op::FetchSettings { user }),
        (i(), 0u8..4).prop_map(|(by, code)| Op::IssueCode { by, code }),
        (0u8..4, 0u32..1000).prop_map(|(code, holder)| Op::Enrol { code, holder }),
        (i(), i()).prop_map(|(by, user)| Op::Deactivate { by, user }),
    ]
}

fn pick<T: Copy>(items: &[T], i: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[i % items.len()])
}

/// Turns an op into an actor and command against the current directory (if it can name one).
fn command(
    registry: &Registry<MemoryEventLog<Event>>,
    op: &Op,
    n: usize,
) -> Option<(Actor, Command)> {
    let directory = registry.directory();
    let org = ssi().unwrap();
    let users = directory.users_of(org);
    let departments = directory.departments_of(org);
    let form = directory.form_by_code(TVANG)?;
    let rights: Vec<_> = form.rights().map(|(id, _)| id).collect();
    let groups: Vec<_> = users
        .iter()
        .filter_map(|u| directory.user(*u))
        .flat_map(|u| u.groups().to_vec())
        .collect();
    let user_cmd = |c| Command::Users(c);
    Some(match *op {
        Op::CreateUser {
            by,
            rights: mask,
            department,
            group,
        } => {
            let department = pick(departments, department)?;
            let grants = rights
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, r)| GrantSpec::new(*r, department))
                .collect();
            let person = person(&format!(
                "{:02}0{}8{:02}234",
                1 + n % 28,
                1 + n % 9,
                n % 100
            ))
            .unwrap();
            let user = NewUser {
                person,
                certificates: vec![
                    format!("CVR:46837428-RID:{}", 90_000 + n)
                        .parse::<CertificateHolderId>()
                        .ok()?,
                ],
            };
            (
                Actor::User(pick(users, by)?),
                user_cmd(UserCommand::Create {
                    user,
                    groups: vec![pick(&groups, group)?],
                    parent: None,
                    grants,
                }),
            )
        }
        Op::Grant {
            by,
            to,
            right,
            department,
        } => (
            Actor::User(pick(users, by)?),
            Command::Directory(D::Grant {
                grantee: Grantee::User(pick(users, to)?),
                grant: GrantSpec::new(pick(&rights, right)?, pick(departments, department)?),
            }),
        ),
        Op::Revoke { by, grant } => {
            let mut grants: Vec<_> = directory.grants_in(org).map(|g| g.id()).collect();
            grants.sort_unstable();
            (
                Actor::User(pick(users, by)?),
                Command::Directory(D::Revoke {
                    grant: pick(&grants, grant)?,
                }),
            )
        }
        Op::AppointCoAdmin {
            by,
            user,
            department,
        } => (
            Actor::User(pick(users, by)?),
            Command::Directory(D::AppointCoAdmin {
                user: pick(users, user)?,
                forms: vec![form.id()],
                departments: vec![pick(departments, department)?],
                valid_until: None,
            }),
        ),
        Op::RemoveCoAdmin { by, user } => (
            Actor::User(pick(users, by)?),
            Command::Directory(D::RemoveCoAdmin {
                user: pick(users, user)?,
            }),
        ),
        Op::Acknowledge { user } => (
            Actor::User(pick(users, user)?),
            user_cmd(UserCommand::AcknowledgeConfidentiality),
        ),
        Op::FetchSettings { user } => (
            Actor::User(pick(users, user)?),
            user_cmd(UserCommand::FetchSettings),
        ),
        Op::IssueCode { by, code } => {
            let department = pick(departments, 1)?;
            (
                Actor::User(pick(users, by)?),
                user_cmd(UserCommand::IssueActivationCode {
                    person: person(&format!("1{code}0275{:04}", n % 4000)).unwrap(),
                    code: keyed_code(&format!("CODE-{code}-ABCDEFG")).ok()?,
                    expires: at(10_000),
                    groups: vec![pick(&groups, 1)?],
                    parent: None,
                    grants: vec![GrantSpec::new(pick(&rights, 1)?, department)],
                }),
            )
        }
        Op::Enrol { code, holder } => (
            Actor::Authority,
            user_cmd(UserCommand::Enrol {
                code: keyed_code(&format!("CODE-{code}-ABCDEFG")).ok()?,
                certificate: {
                    static CAST: std::sync::OnceLock<Option<Cast>> = std::sync::OnceLock::new();
                    let cast = CAST.get_or_init(|| Cast::load().ok()).as_ref()?;
                    let people = cast.all();
                    let person = people.get(usize::try_from(holder).ok()? % people.len())?;
                    let minutes = 100 + i64::try_from(n).ok()?;
                    person.login_certificate(minutes).ok()?
                },
            }),
        ),
        Op::Deactivate { by, user } => (
            Actor::User(pick(users, by)?),
            Command::Directory(D::DeactivateUser {
                user: pick(users, user)?,
            }),
        ),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn replaying_the_log_rebuilds_the_same_directory_and_procedures(ops in proptest::collection::vec(op(), 1..40)) {
        let mut registry = Registry::open(base(), form_verifier().unwrap()).unwrap();
        let mut accepted = 0;
        for (n, op) in ops.iter().enumerate() {
            let Some((actor, command)) = command(&registry, op, n) else { continue };
            let minutes = 100 + i64::try_from(n).unwrap();
            if registry.handle_unverified(actor, &command, at(minutes)).is_ok() {
                accepted += 1;
            }
        }
        let replayed = Registry::replay(registry.log()).unwrap();
        prop_assert_eq!(&replayed, registry.state());
        prop_assert!(registry.log().verify().is_ok());
        let _ = accepted;
    }
}

#[test]
fn replay_from_a_file_rebuilds_the_same_state_and_reopening_continues() {
    let path = std::env::temp_dir().join(format!(
        "sundhed-workflow-replay-{}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let cast = Cast::load().unwrap();
    let state = {
        let mut registry =
            Registry::open(FileEventLog::open(&path).unwrap(), form_verifier().unwrap()).unwrap();
        for command in define_forms() {
            registry.authority(&Command::Directory(command), 0).unwrap();
        }
        seb_onboard(&mut registry, &cast).unwrap();
        registry.state().clone()
    };
    // Reopened, the registry replays the file and continues.
    let mut registry =
        Registry::open(FileEventLog::open(&path).unwrap(), form_verifier().unwrap()).unwrap();
    assert_eq!(registry.state(), &state);
    sei_onboard(&mut registry, &cast).unwrap();
    let live = registry.state().clone();
    drop(registry); // one log per file (WF-LOG-09)
    let replayed = State::replay(&FileEventLog::<Event>::open(&path).unwrap()).unwrap();
    assert_eq!(replayed, live);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_03_a_tampered_workflow_log_is_not_replayed() {
    let mut log = base();
    let line = log.lines()[5].replace("NETS DANID A/S", "NETS DANID A/X");
    log.lines_mut()[5] = line;
    let err = State::replay(&log).unwrap_err();
    assert_eq!(err.rule().as_str(), "WF-LOG-03");
    assert!(Registry::open(log, form_verifier().unwrap()).is_err());
}

/// The attack: events re-appended through the public `EventLog::append` make a valid hash
/// chain, with the last event dated before the others; replay must not rebuild it.
#[test]
fn wf_log_08_a_log_whose_times_run_backwards_is_not_replayed() {
    let (cast, mut registry) = given().unwrap();
    sei_onboard(&mut registry, &cast).unwrap();
    let events = registry.events().unwrap();
    let mut spliced = MemoryEventLog::<Event>::new();
    spliced.append(&events).unwrap();
    let first = events.first().unwrap().clone();
    spliced.append(&[first]).unwrap();
    assert!(spliced.verify().is_ok(), "the hash chain itself is intact");
    let err = State::replay(&spliced).unwrap_err();
    assert_eq!(err.rule().as_str(), "WF-LOG-08", "{err}");
    assert!(
        err.to_string()
            .contains(&format!("record {}", events.len() + 1)),
        "{err}"
    );
    // Opening a registry over it is refused too.
    assert!(Registry::open(spliced, form_verifier().unwrap()).is_err());
}

/// Issue 13 item 7: a directory event re-appended through the public `EventLog::append`,
/// dated in time order but computed on an earlier directory version, is not replayed
/// (`AUTHZ-STATE-01`), though its hash chain and times are in order.
#[test]
fn authz_state_01_a_directory_event_off_its_version_is_not_replayed() {
    let (cast, mut registry) = given().unwrap();
    sei_onboard(&mut registry, &cast).unwrap();
    let events = registry.events().unwrap();
    let latest = events.iter().map(Event::at).max().unwrap();
    let mut again = events
        .iter()
        .rev()
        .find_map(Event::directory)
        .unwrap()
        .clone();
    again.at = latest;
    let mut spliced = MemoryEventLog::<Event>::new();
    spliced.append(&events).unwrap();
    assert!(
        State::replay(&spliced).is_ok(),
        "the log as written replays"
    );
    spliced.append(&[Event::Directory(again)]).unwrap();
    assert!(spliced.verify().is_ok(), "the hash chain itself is intact");
    let err = State::replay(&spliced).unwrap_err();
    assert_eq!(err.rule().as_str(), "AUTHZ-STATE-01", "{err}");
    assert!(
        err.to_string()
            .contains(&format!("record {}", events.len() + 1)),
        "{err}"
    );
    assert!(Registry::open(spliced, form_verifier().unwrap()).is_err());
}
