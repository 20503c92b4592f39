//! Issue 13: time moves forward (`AUTHZ-TIME-03`), and departments nest no deeper than
//! containment walks (`AUTHZ-DEPT-01`).

use sundhed_authorisation::{
    Actor, Change, DepartmentId, DirectoryCommand, GrantSpec, Grantee, NewDepartment, rules,
};

use crate::fixtures::{hours, t0, world};

/// The attack: after events dated a day after the start, a grant dated a month before the
/// start was accepted, and `check` then allowed it before its grantee or organisation existed.
#[test]
fn authz_time_03_a_command_dated_before_the_latest_event_is_refused() {
    let mut w = world();
    let tomorrow = t0() + hours(24);
    w.run(
        Actor::User(w.admin_a),
        DirectoryCommand::AcknowledgeConfidentiality,
        tomorrow,
    )
    .unwrap();
    let before = w.dir.clone();
    let back_dated = DirectoryCommand::Grant {
        grantee: Grantee::Group(w.g_dept1),
        grant: GrantSpec::new(w.psych_read, w.dept1),
    };
    let month_ago = t0() - hours(24 * 30);
    let refusal = w
        .run(Actor::User(w.admin_a), back_dated.clone(), month_ago)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_FORWARD], "{refusal}");
    assert!(refusal.to_string().contains("AUTHZ-TIME-03"), "{refusal}");
    assert_eq!(w.dir, before, "nothing changed");
    // Even one second back is refused; the same instant and later are not.
    let refusal = w
        .run(
            Actor::User(w.admin_a),
            back_dated.clone(),
            tomorrow - chrono::TimeDelta::seconds(1),
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_FORWARD]);
    w.run(Actor::User(w.admin_a), back_dated, tomorrow).unwrap();
    // The authority is bound by time as much as anyone, and so is a batch.
    let refusal = w
        .run(
            Actor::Authority,
            DirectoryCommand::SetCeiling {
                organisation: w.b,
                rights: Default::default(),
            },
            t0(),
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_FORWARD]);
    let mut batch = w.dir.batch(t0());
    let refusal = batch
        .handle(
            Actor::Authority,
            &DirectoryCommand::SetCeiling {
                organisation: w.b,
                rights: Default::default(),
            },
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_FORWARD]);
}

fn sor_department(
    w: &mut sundhed_testkit::directory::World,
    n: u64,
    parent: DepartmentId,
) -> Result<DepartmentId, sundhed_authorisation::Refusal> {
    let events = w.run(
        Actor::Authority,
        DirectoryCommand::CreateDepartment {
            organisation: w.a,
            department: NewDepartment {
                name: format!("level {n}"),
                shak: None,
                sor: Some(format!("{}", 300_000_000_000_000_u64 + n).parse().unwrap()),
            },
            parent: Some(parent),
        },
        t0(),
    )?;
    Ok(events
        .iter()
        .find_map(|e| match &e.change {
            Change::DepartmentCreated { department, .. } => Some(*department),
            _ => None,
        })
        .unwrap())
}

/// The attack: 80 nested levels were accepted while containment stopped walking at 64, so a
/// grant on the top silently stopped covering levels 65–80.
#[test]
fn authz_dept_01_departments_nest_at_most_64_levels() {
    let mut w = world();
    // The hospital is level 1.
    let mut deepest = w.hospital;
    for level in 2..=64 {
        deepest = sor_department(&mut w, level, deepest).unwrap();
    }
    let before = w.dir.clone();
    let refusal = sor_department(&mut w, 65, deepest).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::DEPT_NESTING], "{refusal}");
    assert!(
        refusal.to_string().contains("at most 64 levels"),
        "{refusal}"
    );
    assert_eq!(w.dir, before);
    // A grant on the top still covers the deepest department there is.
    let reader = w
        .user(
            w.admin_a,
            w.g_hospital,
            vec![GrantSpec::new(w.psych_read, w.hospital)],
        )
        .unwrap();
    w.acknowledge(reader).unwrap();
    assert!(w.allowed(reader, w.psych_read, deepest, t0()));
}
