//! The host's helpers: print a line of the story, receive a signed form as bytes, log a
//! person in from their verified certificate, try a command, a login or a submission that must
//! be refused, read the names of rights and decisions.

use std::error::Error;
use std::fmt::Display;
use std::path::Path;

use sundhed_authorisation::{Actor, Change, Directory, RightId, UserId};
use sundhed_identity::CertificateHolderId;
use sundhed_signing::{Policy, TrustAnchor};
use sundhed_testkit::oces::{Person, at};
use sundhed_workflow::{
    Command, Event, FileEventLog, FormSchema, FormVerifier, Head, Login, Registry, SignedForm,
    Submission, WorkflowError,
};

/// The host's activation key, under which the log keeps activation codes. A real host
/// generates 32 random bytes once and keeps them in its secret store, never in the log or in
/// the source; this demo uses a fixed key so that every run writes the same log.
pub const ACTIVATION_KEY: &[u8; 32] = b"walkthrough-demo-activation-key!";

pub type Reg = Registry<FileEventLog<Event>>;
pub type Outcome = Result<(), Box<dyn Error>>;

pub fn line(mark: &str, label: &str, text: impl Display) {
    println!("  {mark} {label:<27} {text}");
}

pub fn ok(label: &str, text: impl Display) {
    line("✓", label, text);
}

pub fn heading(text: &str) {
    println!("\n{text}");
}

pub fn missing(what: &str) -> Box<dyn Error> {
    format!("the registry has no {what}").into()
}

/// A right as people know it: `FORM/RIGHT`.
pub fn right_name(directory: &Directory, right: RightId) -> String {
    let Some(form) = directory.form(right.form()) else {
        return right.to_string();
    };
    let code = form.rights().find(|(id, _)| *id == right).map(|(_, s)| s);
    format!("{}/{}", form.code(), code.map_or("?", |s| s.code.as_str()))
}

pub fn joined<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    items.join(", ")
}

pub fn created_users(events: &[Event]) -> Vec<UserId> {
    let created = |e: &Event| match e {
        Event::Directory(d) => match d.change {
            Change::UserCreated { user, .. } => Some(user),
            _ => None,
        },
        _ => None,
    };
    events.iter().filter_map(created).collect()
}

pub fn first_created(events: &[Event]) -> Result<UserId, Box<dyn Error>> {
    created_users(events)
        .first()
        .copied()
        .ok_or_else(|| missing("new user"))
}

/// The host receives a signed form as bytes (a signing client's upload) and decodes it.
pub fn receive<F: FormSchema>(bytes: &[u8]) -> Result<Box<SignedForm<F>>, Box<dyn Error>> {
    Ok(Box::new(serde_json::from_slice(bytes)?))
}

/// What a signing client uploads: the signed form as JSON.
pub fn upload<F>(
    form: Result<SignedForm<F>, sundhed_testkit::TestkitError>,
) -> Result<Vec<u8>, Box<dyn Error>> {
    Ok(serde_json::to_vec(&form?)?)
}

/// The documented path from a certificate to a user: the host verifies the person's chain
/// (the certificate their client presented) with its trust anchors at `minutes`, then the
/// registry logs that certificate in at the same time. Prints who logged in as whom.
pub fn log_in(registry: &Reg, person: &Person, minutes: i64) -> Result<Login, Box<dyn Error>> {
    let when = at(minutes);
    let login = registry.login(&person.verified_at(when)?, when)?;
    ok(
        "logged in",
        format!(
            "{} as {} ({}, chain verified at {})",
            login.certificate().name(),
            login.user(),
            login.certificate().holder(),
            login.at().format("%H:%M")
        ),
    );
    Ok(login)
}

/// Tries a login that must be refused: the person's chain verifies at `minutes`, but the
/// registry does not log it in. Prints its rule ids and first reason.
pub fn refused_login(registry: &Reg, label: &str, person: &Person, minutes: i64) -> Outcome {
    let before = registry.head();
    let when = at(minutes);
    let result = registry
        .login(&person.verified_at(when)?, when)
        .map_err(WorkflowError::from);
    shown_refused(registry, label, before, result)
}

/// Tries a command by the authority's staff that must be refused and prints its rule ids and
/// first reason.
pub fn refused(registry: &mut Reg, label: &str, command: &Command, minutes: i64) -> Outcome {
    let before = registry.head();
    let result = registry.handle(Actor::Authority, command, at(minutes));
    shown_refused(registry, label, before, result)
}

/// Tries a command by the user `login` proved that must be refused and prints its rule ids and
/// first reason.
pub fn refused_as(
    registry: &mut Reg,
    label: &str,
    login: &Login,
    command: &Command,
    minutes: i64,
) -> Outcome {
    let before = registry.head();
    let result = registry.handle_as(login, command, at(minutes));
    shown_refused(registry, label, before, result)
}

/// The host receives a signed submission as bytes, which must be refused, and prints its
/// rule ids and first reason.
pub fn refused_report(registry: &mut Reg, label: &str, bytes: &[u8], minutes: i64) -> Outcome {
    let before = registry.head();
    let form = receive::<Submission>(bytes)?;
    let result = registry.receive(&form, at(minutes));
    shown_refused(registry, label, before, result)
}

fn shown_refused<T>(
    registry: &Reg,
    label: &str,
    before: Head,
    result: Result<T, WorkflowError>,
) -> Outcome {
    let err = match result {
        Ok(_) => return Err(format!("`{label}` was accepted").into()),
        Err(e) => e,
    };
    if registry.head() != before {
        return Err(format!("`{label}` was refused but logged").into());
    }
    let refusal = err.refusal().ok_or_else(|| err.to_string())?;
    let ids: Vec<String> = refusal
        .violations()
        .iter()
        .flat_map(|v| std::iter::once(v.rule()).chain(v.causes().iter().copied()))
        .map(|r| r.to_string())
        .collect();
    // The first reason, without the lower-level detail after a colon.
    let reason = refusal
        .violations()
        .first()
        .map_or("", |v| v.reason().split(": ").next().unwrap_or(""));
    println!("  ✗ {label:<27} {:<30} {reason}", ids.join(" "));
    Ok(())
}

/// The host's configuration: the OCES2 test root under the OCES2 test policy.
pub fn form_verifier(root: &Path) -> Result<FormVerifier, Box<dyn Error>> {
    let anchors = TrustAnchor::parse_all(&std::fs::read(root)?)?;
    Ok(FormVerifier::new(anchors, Policy::oces2_test()))
}

/// The OCES2 employee certificate `RID:<n>` of Statens Serum Institut (CVR 46837428): an
/// OCES2 holder is always the organisation's CVR with the number.
pub fn rid(n: u32) -> Result<CertificateHolderId, Box<dyn Error>> {
    Ok(format!("CVR:46837428-RID:{n}").parse()?)
}
