//! What a host gets back and trips over (issue 13): created ids without pattern matching,
//! counters that refuse instead of repeating an id (`AUTHZ-IDS-01`), `groups_of`, the rule on
//! every cascaded revocation, empty co-admin appointments (`AUTHZ-APPOINT-02`), resigning, and
//! rule consts named after their ids.

use sundhed_authorisation::{
    Actor, Change, Created, DepartmentId, DirectoryCommand, DirectoryEvent, FormId, FormKind,
    GrantId, GrantSpec, Grantee, GroupId, NewDepartment, RevocationCause, RightSpec, Support,
    UserId, Validity, rules,
};

use crate::fixtures::{new_user, person, t0, world};

/// Applies a synthetic event by admin A at `t0`, as a log written elsewhere could hold it.
fn apply(w: &mut sundhed_testkit::directory::World, change: Change) {
    let actor = Actor::User(w.admin_a);
    w.dir.apply(&DirectoryEvent::new(t0(), actor, change));
}

fn user_created(w: &sundhed_testkit::directory::World, id: u32, n: u32) -> Change {
    Change::UserCreated {
        user: UserId::new(id),
        organisation: w.a,
        person: person(n),
        certificates: vec![],
        groups: vec![w.g_dept1],
    }
}

fn create_user(w: &sundhed_testkit::directory::World, n: u32) -> DirectoryCommand {
    DirectoryCommand::CreateUser {
        user: new_user(n),
        groups: vec![w.g_dept1],
        grants: vec![],
    }
}

// Attack first: before `AUTHZ-IDS-01` the counter saturated at `u32::MAX` and handed the
// last id out again, so a second person became the first's user id.
#[test]
fn authz_ids_01_a_user_id_past_the_last_is_refused_not_reused() {
    let mut w = world();
    let last = user_created(&w, u32::MAX, 9001);
    apply(&mut w, last);
    let refusal = w.by(w.admin_a, create_user(&w, 9002)).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    let message = refusal.to_string();
    assert!(
        message.contains("the directory has handed out its last user id"),
        "{message}"
    );
    // The user holding the last id is still the first person's.
    assert_eq!(
        w.dir.user_by_person(w.a, person(9001)),
        Some(UserId::new(u32::MAX))
    );
    assert_eq!(w.dir.user_by_person(w.a, person(9002)), None);
}

#[test]
fn authz_ids_01_the_last_id_is_handed_out_once() {
    let mut w = world();
    let near = user_created(&w, u32::MAX - 1, 9001);
    apply(&mut w, near);
    let events = w.by(w.admin_a, create_user(&w, 9002)).unwrap();
    assert_eq!(Created::of(&events).user(), Some(UserId::new(u32::MAX)));
    // Two more at once: neither may have an id, so the whole command is refused.
    let two = DirectoryCommand::CreateUsers {
        users: vec![new_user(9003), new_user(9004)],
        groups: vec![w.g_dept1],
        grants: vec![],
    };
    let refusal = w.by(w.admin_a, two).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    // One violation for the kind, however many ids were missing.
    assert_eq!(refusal.violations().len(), 1, "{refusal}");
}

#[test]
fn authz_ids_01_every_kind_of_id_refuses_past_the_last() {
    // Groups.
    let mut w = world();
    let group = Change::GroupCreated {
        group: GroupId::new(u32::MAX),
        department: w.dept1,
        organisation: w.a,
        name: "Sidste".into(),
        parent: None,
    };
    apply(&mut w, group);
    let create_group = DirectoryCommand::CreateGroup {
        department: w.dept1,
        name: "Ny".into(),
        parent: None,
    };
    let refusal = w.by(w.admin_a, create_group).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    assert!(refusal.to_string().contains("last group id"), "{refusal}");

    // Departments, also when registering an organisation (its first department).
    let mut w = world();
    let department = Change::DepartmentCreated {
        department: DepartmentId::new(u32::MAX),
        organisation: w.a,
        name: "Sidste".into(),
        shak: None,
        sor: Some("123456789012".parse().unwrap()),
        parent: None,
    };
    apply(&mut w, department);
    let create_department = DirectoryCommand::CreateDepartment {
        organisation: w.a,
        department: NewDepartment {
            name: "Ny".into(),
            shak: Some("1302".parse().unwrap()),
            sor: None,
        },
        parent: None,
    };
    let refusal = w.authority(create_department).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    let register = DirectoryCommand::RegisterOrganisation {
        cvr: sundhed_testkit::directory::numbered_cvr(7).unwrap(),
        name: "Ny region".into(),
        department: NewDepartment {
            name: "Ny".into(),
            shak: Some("7001".parse().unwrap()),
            sor: None,
        },
        primary_admin: new_user(9010),
    };
    let refusal = w.authority(register).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");

    // Forms.
    let mut w = world();
    let right = RightSpec {
        code: "ADMIN".into(),
        name: "Brugeradministration".into(),
        administers_users: true,
        personal_data: false,
    };
    let form = Change::FormDefined {
        form: FormId::new(u32::MAX),
        code: "SIDSTE".into(),
        name: "Sidste".into(),
        kind: FormKind::SeiForm,
        rights: vec![right.clone()],
    };
    apply(&mut w, form);
    let define = DirectoryCommand::DefineForm {
        code: "NY".into(),
        name: "Ny".into(),
        kind: FormKind::SeiForm,
        rights: vec![right],
    };
    let refusal = w.authority(define).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");

    // Grants, through `Grant`, `CreateUser` with grants, and a batch.
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let grant = Change::GrantIssued {
        grant: GrantId::new(u64::MAX),
        organisation: w.a,
        grantee: Grantee::User(u),
        right: w.psych_read,
        department: w.dept1,
        validity: Validity {
            from: t0(),
            until: None,
        },
        support: Support::Organisation,
    };
    apply(&mut w, grant);
    let give = DirectoryCommand::Grant {
        grantee: Grantee::User(u),
        grant: GrantSpec::new(w.psych_report, w.dept1),
    };
    let refusal = w.by(w.admin_a, give.clone()).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    let with_grant = DirectoryCommand::CreateUser {
        user: new_user(9011),
        groups: vec![w.g_dept1],
        grants: vec![GrantSpec::new(w.psych_read, w.dept1)],
    };
    let refusal = w.by(w.admin_a, with_grant).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    let mut batch = w.dir.batch(t0());
    let refusal = batch.handle(Actor::User(w.admin_a), &give).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::IDS_FRESH], "{refusal}");
    assert!(batch.events().is_empty());
}

#[test]
fn created_lists_the_ids_a_command_made_without_matching_events() {
    let mut w = world();
    let command = DirectoryCommand::CreateUsers {
        users: vec![new_user(9001), new_user(9002), new_user(9003)],
        groups: vec![w.g_dept1],
        grants: vec![
            GrantSpec::new(w.psych_read, w.dept1),
            GrantSpec::new(w.psych_report, w.dept1),
        ],
    };
    let events = w.by(w.admin_a, command).unwrap();
    let created = Created::of(&events);
    assert_eq!(created.users().len(), 3);
    assert_eq!(created.user(), None, "more than one user was created");
    assert_eq!(created.grants().len(), 6);
    assert!(created.forms().is_empty() && created.groups().is_empty());
    for (user, n) in created.users().iter().zip([9001, 9002, 9003]) {
        assert_eq!(w.dir.user_by_person(w.a, person(n)), Some(*user));
    }
    for grant in created.grants() {
        let held = w.dir.grant(*grant).unwrap();
        assert!(matches!(held.grantee(), Grantee::User(u) if created.users().contains(&u)));
    }
    // Commands that create nothing give nothing.
    let u = created.users().first().copied().unwrap();
    let events = w
        .by(u, DirectoryCommand::AcknowledgeConfidentiality)
        .unwrap();
    assert!(Created::of(&events).is_empty());
    // The batch's events read the same way.
    let mut batch = w.dir.batch(t0());
    let events = batch
        .handle(
            Actor::User(w.admin_a),
            &DirectoryCommand::CreateGroup {
                department: w.dept1,
                name: "Nattevagt".into(),
                parent: Some(w.g_dept1),
            },
        )
        .unwrap();
    let group = Created::of(events).group().unwrap();
    assert_eq!(batch.group(group).map(|g| g.id()), Some(group));
}

#[test]
fn groups_of_lists_a_departments_groups_in_creation_order() {
    let mut w = world();
    assert_eq!(w.dir.groups_of(w.dept1), [w.g_dept1]);
    assert_eq!(w.dir.groups_of(w.hospital), [w.g_hospital]);
    let events = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateGroup {
                department: w.dept1,
                name: "Nattevagt".into(),
                parent: None,
            },
        )
        .unwrap();
    let night = Created::of(&events).group().unwrap();
    assert_eq!(w.dir.groups_of(w.dept1), [w.g_dept1, night]);
    // The sub-department's groups are its own, not its parent's.
    assert_eq!(w.dir.groups_of(w.section), [w.g_section]);
    assert!(w.dir.groups_of(DepartmentId::new(999_999)).is_empty());
    // Replaying the log gives the same answer.
    let mut replayed = sundhed_authorisation::Directory::new();
    replayed.apply_all(&w.log).unwrap();
    assert_eq!(replayed.groups_of(w.dept1), [w.g_dept1, night]);
}

/// Every revocation in `events` other than an actor's own choice names the rule behind it.
fn assert_cascade_rules(events: &[DirectoryEvent]) -> Vec<RevocationCause> {
    let mut causes = Vec::new();
    for event in events {
        if let Change::GrantRevoked { cause, rule, .. } = &event.change {
            causes.push(*cause);
            assert_eq!(*rule, cause.rule(), "{event:?}");
            assert_eq!(
                rule.is_some(),
                *cause != RevocationCause::Revoked,
                "{event:?}"
            );
        }
    }
    causes
}

#[test]
fn authz_support_01_every_cascaded_revocation_carries_its_rule() {
    // Deactivation: the grantee's grants (`AUTHZ-USER-01`), then what rested on them
    // (`AUTHZ-SUPPORT-01`).
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let events = w
        .by(w.admin_a, DirectoryCommand::DeactivateUser { user: co })
        .unwrap();
    let causes = assert_cascade_rules(&events);
    assert!(causes.contains(&RevocationCause::GranteeDeactivated));
    assert!(causes.contains(&RevocationCause::LostSupport));
    assert!(w.dir.grants_of(Grantee::User(u)).next().is_none());

    // Lowering the ceiling (`AUTHZ-CEIL-01`).
    let mut w = world();
    w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    let ceiling = w.dir.organisation(w.a).unwrap().ceiling().clone();
    let lowered = ceiling.into_iter().filter(|r| *r != w.psych_read).collect();
    let events = w
        .authority(DirectoryCommand::SetCeiling {
            organisation: w.a,
            rights: lowered,
        })
        .unwrap();
    assert!(assert_cascade_rules(&events).contains(&RevocationCause::LeftCeiling));

    // And the whole log of both worlds, every command included.
    assert_cascade_rules(&w.log);
}

// Attack first: an appointment naming no form (or no department) was accepted with no
// events, so a host believed it had appointed someone.
#[test]
fn authz_appoint_02_an_appointment_naming_no_form_or_no_department_is_refused() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let forms = vec![w.psych_admin.form()];
    let departments = vec![w.dept1];
    for (forms, departments, missing) in [
        (vec![], departments.clone(), "names no form,"),
        (forms.clone(), vec![], "names no department,"),
        (vec![], vec![], "names no form and no department,"),
    ] {
        let appoint = DirectoryCommand::AppointCoAdmin {
            user: u,
            forms,
            departments,
            valid_until: None,
        };
        let refusal = w.by(w.admin_a, appoint).unwrap_err();
        assert_eq!(refusal.rules(), vec![rules::APPOINT_NAMED], "{refusal}");
        assert!(refusal.to_string().contains(missing), "{refusal}");
    }
    // Naming both appoints.
    let appoint = DirectoryCommand::AppointCoAdmin {
        user: u,
        forms,
        departments,
        valid_until: None,
    };
    let events = w.by(w.admin_a, appoint).unwrap();
    assert_eq!(Created::of(&events).grants().len(), 1);
}

#[test]
fn authz_revoke_01_a_co_admin_may_resign_with_the_cascade_of_removal() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let mut removed = w.clone();
    let removal = removed
        .by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: co })
        .unwrap();
    let events = w.by(co, DirectoryCommand::ResignCoAdmin).unwrap();
    // The same changes as the removal, given by the co-admin.
    let changes = |events: &[DirectoryEvent]| -> Vec<Change> {
        events.iter().map(|e| e.change.clone()).collect()
    };
    assert_eq!(changes(&events), changes(&removal));
    assert!(events.iter().all(|e| e.actor == Actor::User(co)));
    assert_eq!(w.dir, removed.dir);
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
    // The co-admin keeps their own read right and administers nothing any more.
    assert!(w.allowed(co, w.psych_read, w.dept1, t0()));
    let refusal = w
        .by(
            co,
            DirectoryCommand::Grant {
                grantee: Grantee::User(u),
                grant: GrantSpec::new(w.psych_read, w.dept1),
            },
        )
        .unwrap_err();
    assert!(refusal.broke(rules::SCOPE), "{refusal}");
    // Resigning twice, or without being a co-admin, is refused; the authority has nothing
    // to resign.
    let refusal = w.by(co, DirectoryCommand::ResignCoAdmin).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REF_KNOWN], "{refusal}");
    assert!(
        refusal.to_string().contains("co-admin appointment"),
        "{refusal}"
    );
    let refusal = w
        .by(w.admin_a, DirectoryCommand::ResignCoAdmin)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REF_KNOWN], "{refusal}");
    let refusal = w.authority(DirectoryCommand::ResignCoAdmin).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ACTOR_KIND], "{refusal}");
}

#[test]
fn rule_consts_are_named_after_their_ids() {
    let source = include_str!("../src/rules.rs");
    let mut seen = 0;
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, id)) = rest.split_once(": RuleId = RuleId::new(\"") else {
            continue;
        };
        let id = id.trim_end_matches("\");");
        let family = id.split('-').nth(1).unwrap();
        assert!(
            name.starts_with(family),
            "`{name}` does not begin with the family `{family}` of `{id}`"
        );
        assert_eq!(rules::by_id(id).map(|r| r.as_str()), Some(id));
        seen += 1;
    }
    assert_eq!(seen, rules::ALL.len());
}
