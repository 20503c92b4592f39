//! One or more tests per rule id; each test name contains the id.

use std::collections::BTreeSet;

use sundhed_authorisation::{
    AccessRequest, AdminScope, Appointee, Change, DepartmentId, DirectoryCommand, Effect, FormKind,
    GrantSpec, Grantee, NewDepartment, NewUser, RevocationCause, RightSpec, ScopeSet, UserId,
    rules,
};
use sundhed_identity::Cvr;

use crate::fixtures::{hours, new_user, t0, world};

#[test]
fn authz_ref_01_unknown_user_is_refused() {
    let mut w = world();
    let spec = GrantSpec::new(w.psych_read, w.dept1);
    let refusal = w.grant_user(w.admin_a, UserId::new(999), spec).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REF_KNOWN]);
    assert!(
        refusal
            .to_string()
            .contains("user 999 does not exist (AUTHZ-REF-01)"),
        "{refusal}"
    );
}

#[test]
fn authz_uniq_01_duplicates_are_refused() {
    let mut w = world();
    let again = DirectoryCommand::RegisterOrganisation {
        cvr: w.a,
        name: "again".into(),
        department: NewDepartment {
            name: "x".into(),
            shak: Some("1301".parse().unwrap()),
            sor: None,
        },
        primary_admin: new_user(1),
    };
    let refusal = w.authority(again).unwrap_err();
    // The CVR and the SHAK code are both taken; both are named.
    assert_eq!(refusal.rules(), vec![rules::UNIQUE]);
    assert_eq!(refusal.violations().len(), 3, "{refusal}");

    let holder: sundhed_identity::CertificateHolderId =
        format!("CVR:{}-UI:DK-E:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61", w.a)
            .parse()
            .unwrap();
    let user = NewUser {
        person: crate::fixtures::person(500),
        certificates: vec![holder.clone()],
    };
    let twin = NewUser {
        person: crate::fixtures::person(501),
        certificates: vec![holder],
    };
    let refusal = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateUsers {
                users: vec![user, twin],
                groups: vec![w.g_dept1],
                grants: vec![],
            },
        )
        .unwrap_err();
    assert!(refusal.broke(rules::UNIQUE));
}

#[test]
fn authz_cert_01_a_certificate_of_another_company_is_refused() {
    let mut w = world();
    let g_dept1 = w.g_dept1;
    let create = |n, certificate: &str| DirectoryCommand::CreateUser {
        user: NewUser {
            person: crate::fixtures::person(n),
            certificates: vec![certificate.parse().unwrap()],
        },
        groups: vec![g_dept1],
        grants: vec![],
    };
    // Company B's employee RID 1234 is not company A's user, however the number matches.
    let refusal = w
        .by(w.admin_a, create(600, &format!("CVR:{}-RID:1234", w.b)))
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::CERT_ORGANISATION], "{refusal}");
    assert!(refusal.to_string().contains("AUTHZ-CERT-01"), "{refusal}");
    assert!(
        w.dir
            .user_by_certificate(&format!("CVR:{}-RID:1234", w.b).parse().unwrap())
            .is_none()
    );
    // The same RID in each company: two people, two users, each found under its own CVR.
    let own = format!("CVR:{}-RID:1234", w.a);
    w.by(w.admin_a, create(601, &own)).unwrap();
    let other = format!("CVR:{}-RID:1234", w.b);
    w.by(w.admin_b, create_in_b(&w, 602, &other)).unwrap();
    let in_a = w.dir.user_by_certificate(&own.parse().unwrap()).unwrap();
    let in_b = w.dir.user_by_certificate(&other.parse().unwrap()).unwrap();
    assert_ne!(in_a, in_b);
    assert_eq!(w.dir.user(in_a).unwrap().organisation(), w.a);
    assert_eq!(w.dir.user(in_b).unwrap().organisation(), w.b);
}

fn create_in_b(
    w: &sundhed_testkit::directory::World,
    n: u32,
    certificate: &str,
) -> DirectoryCommand {
    DirectoryCommand::CreateUser {
        user: NewUser {
            person: crate::fixtures::person(n),
            certificates: vec![certificate.parse().unwrap()],
        },
        groups: vec![w.g_b],
        grants: vec![],
    }
}

#[test]
fn authz_org_01_cross_organisation_grant_is_refused() {
    let mut w = world();
    let spec = GrantSpec::new(w.psych_read, w.dept1);
    let refusal = w.grant_user(w.admin_a, w.admin_b, spec).unwrap_err();
    assert!(refusal.broke(rules::ORG_SAME), "{refusal}");
    let spec = GrantSpec::new(w.psych_read, w.b_hospital);
    let refusal = w.grant_user(w.admin_a, w.admin_a, spec).unwrap_err();
    assert!(refusal.broke(rules::ORG_SAME), "{refusal}");
}

#[test]
fn authz_actor_01_commands_come_from_the_right_actor() {
    let mut w = world();
    let ceiling = DirectoryCommand::SetCeiling {
        organisation: w.a,
        rights: BTreeSet::new(),
    };
    let refusal = w.by(w.admin_a, ceiling).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ACTOR_KIND]);
    let grant = DirectoryCommand::Grant {
        grantee: Grantee::User(w.admin_a),
        grant: GrantSpec::new(w.psych_read, w.dept1),
    };
    let refusal = w.authority(grant).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ACTOR_KIND]);
    let refusal = w
        .authority(DirectoryCommand::AcknowledgeConfidentiality)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ACTOR_KIND]);
}

#[test]
fn authz_user_01_deactivated_user_neither_acts_nor_is_allowed() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    assert!(w.allowed(u, w.psych_read, w.dept1, t0()));
    let events = w
        .by(w.admin_a, DirectoryCommand::DeactivateUser { user: u })
        .unwrap();
    // The user's grants go with them, each revocation naming this rule.
    assert!(events.iter().any(|e| matches!(
        e.change,
        Change::GrantRevoked {
            cause: RevocationCause::GranteeDeactivated,
            rule: Some(rule),
            ..
        } if rule == rules::USER_ACTIVE
    )));
    let d = w.decide(u, w.psych_read, w.dept1, t0());
    assert!(!d.is_allowed());
    assert!(d.rules().any(|r| r == rules::USER_ACTIVE));
    let refusal = w
        .by(u, DirectoryCommand::AcknowledgeConfidentiality)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::USER_ACTIVE]);
    let refusal = w.give(w.admin_a, u, w.psych_read, w.dept1).unwrap_err();
    assert!(refusal.broke(rules::USER_ACTIVE));
}

#[test]
fn authz_form_01_form_needs_exactly_one_admin_right() {
    let mut w = world();
    let right = RightSpec {
        code: "X".into(),
        name: "x".into(),
        administers_users: false,
        personal_data: false,
    };
    let refusal = w
        .authority(DirectoryCommand::DefineForm {
            code: "F".into(),
            name: "f".into(),
            kind: FormKind::SebService,
            rights: vec![right],
        })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::FORM_DEFINITION]);
}

#[test]
fn authz_dept_01_shak_codes_nest_under_their_parent() {
    let mut w = world();
    let wrong = department_x(w.a, Some("130201"), w.hospital);
    let refusal = w.authority(wrong).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::DEPT_NESTING]);
    let nothing = department_x(w.a, None, w.hospital);
    assert!(w.authority(nothing).unwrap_err().broke(rules::DEPT_NESTING));
    let foreign = department_x(w.a, Some("662001"), w.b_hospital);
    assert!(w.authority(foreign).unwrap_err().broke(rules::DEPT_NESTING));
}

#[test]
fn authz_dept_02_only_authority_or_covering_primary_admin_creates_departments() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[]).unwrap();
    let a = w.a;
    let create = move |parent| department_x(a, Some("1301012"), parent);
    let refusal = w.by(co, create(w.dept1)).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::DEPT_CREATE]);
    w.by(w.admin_a, create(w.dept1)).unwrap();
}

#[test]
fn authz_group_01_every_user_keeps_a_group() {
    let mut w = world();
    let refusal = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateUser {
                user: new_user(300),
                groups: vec![],
                grants: vec![],
            },
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::GROUP_REQUIRED]);
    let u = w.member(w.g_dept1, &[]).unwrap();
    let refusal = w.leave(w.admin_a, u, w.g_dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::GROUP_REQUIRED]);
    w.join(w.admin_a, u, w.g_dept2).unwrap();
    w.leave(w.admin_a, u, w.g_dept1).unwrap();
}

#[test]
fn authz_admin_01_last_primary_admin_cannot_be_removed() {
    let mut w = world();
    let remove = DirectoryCommand::RemovePrimaryAdmin {
        organisation: w.a,
        user: w.admin_a,
    };
    let refusal = w.authority(remove.clone()).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ADMIN_KEEPS_PRIMARY]);
    // Replacing is fine, and the old admin's grants stay (they rest on the organisation).
    let u = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    let events = w
        .authority(DirectoryCommand::ReplacePrimaryAdmin {
            organisation: w.a,
            old: w.admin_a,
            new: Appointee::New {
                user: new_user(400),
                groups: vec![w.g_hospital],
            },
            scope: AdminScope::whole_organisation(),
        })
        .unwrap();
    assert_eq!(events.len(), 3);
    assert!(w.allowed(u, w.psych_read, w.dept1, t0()));
    assert!(w.dir.organisation(w.a).unwrap().primary_admins().len() == 1);
}

#[test]
fn authz_admin_02_primary_admin_is_not_deactivated_by_an_admin() {
    let mut w = world();
    let second = w.member(w.g_dept1, &[]).unwrap();
    w.authority(DirectoryCommand::AppointPrimaryAdmin {
        organisation: w.a,
        appointee: Appointee::Existing { user: second },
        scope: AdminScope::whole_organisation(),
    })
    .unwrap();
    let refusal = w
        .by(w.admin_a, DirectoryCommand::DeactivateUser { user: second })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::ADMIN_NOT_DEACTIVATED]);
}

#[test]
fn authz_manage_01_co_admin_manages_only_users_in_scope() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let outside = w.member(w.g_dept2, &[]).unwrap();
    let inside = w.member(w.g_section, &[]).unwrap();
    let refusal = w
        .by(co, DirectoryCommand::DeactivateUser { user: outside })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::MANAGES]);
    let refusal = w.join(co, inside, w.g_dept2).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::MANAGES]);
    assert_eq!(w.dir.manageable_users(co, t0()), {
        let mut v = vec![co, inside];
        v.sort();
        v
    });
    w.by(co, DirectoryCommand::DeactivateUser { user: inside })
        .unwrap();
}

#[test]
fn authz_ceil_01_rights_stay_within_the_ceiling() {
    let mut w = world();
    // Organisation B may not hand out somatic coercion.
    let in_b = w.user(w.admin_b, w.g_b, vec![]).unwrap();
    let refusal = w
        .give(w.admin_b, in_b, w.som_report, w.b_hospital)
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::CEILING]);
    // Lowering A's ceiling revokes grants of the right, with their dependants.
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let events = w
        .authority(DirectoryCommand::SetCeiling {
            organisation: w.a,
            rights: [w.psych_admin, w.psych_report, w.som_admin, w.som_report].into(),
        })
        .unwrap();
    let causes: Vec<_> = events
        .iter()
        .filter_map(|e| match e.change {
            Change::GrantRevoked { cause, .. } => Some(cause),
            _ => None,
        })
        .collect();
    assert_eq!(
        causes,
        vec![RevocationCause::LeftCeiling, RevocationCause::LeftCeiling]
    );
    // Each revocation names the rule that made it.
    assert!(events.iter().all(|e| match e.change {
        Change::GrantRevoked { rule, .. } => rule == Some(rules::CEILING),
        _ => true,
    }));
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
}

/// Refusals name things as people know them: the form and right codes, the department's name
/// and SHAK code, the user by id with the person masked (never a CPR serial, never an internal
/// right or department number).
#[test]
fn authz_hold_01_the_refusal_names_rights_and_departments_as_people_know_them() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let refusal = w.give(co, u, w.psych_report, w.dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD]);
    let message = refusal.to_string();
    let department = w.dir.department(w.dept1).unwrap();
    let person = w.dir.user(co).unwrap().person();
    for expected in [
        format!("{co} ({person})"),
        "right `SEI-TVANG-PSYK`/`INDBERET`".to_owned(),
        format!(
            "department `{}` (SHAK `{}`)",
            department.name(),
            department.shak().unwrap()
        ),
        "(AUTHZ-HOLD-01)".to_owned(),
    ] {
        assert!(message.contains(&expected), "{expected} in {message}");
    }
    assert!(!message.contains(person.expose()), "{message}");
    assert!(!message.contains(" right 1 "), "{message}");
}

#[test]
fn authz_hold_01_co_admin_hands_down_only_what_they_hold() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    w.give(co, u, w.psych_read, w.dept1).unwrap();
    let refusal = w.give(co, u, w.psych_report, w.dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD]);
    // Nor longer than they hold it.
    let short = w
        .grant_user(
            w.admin_a,
            co,
            GrantSpec::new(w.psych_report, w.dept1).until(t0() + hours(2)),
        )
        .unwrap();
    let refusal = w.give(co, u, w.psych_report, w.dept1).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD]);
    w.grant_user(
        co,
        u,
        GrantSpec::new(w.psych_report, w.dept1).until(t0() + hours(2)),
    )
    .unwrap();
    let _ = short;
}

#[test]
fn authz_hold_01_group_join_carrying_rights_counts_as_a_grant() {
    let mut w = world();
    // The dept2 group carries the report right; a co-admin without it cannot add users to it.
    w.grant(
        w.admin_a,
        Grantee::Group(w.g_dept2),
        GrantSpec::new(w.psych_report, w.dept2),
        t0(),
    )
    .unwrap();
    let co = w
        .co_admin(w.hospital, w.g_hospital, &[w.psych_read])
        .unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let refusal = w.join(co, u, w.g_dept2).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD]);
    let refusal = w
        .by(
            co,
            DirectoryCommand::CreateUser {
                user: new_user(600),
                groups: vec![w.g_dept2],
                grants: vec![],
            },
        )
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD]);
    // The primary admin may.
    w.join(w.admin_a, u, w.g_dept2).unwrap();
    w.acknowledge(u).unwrap();
    assert!(w.allowed(u, w.psych_report, w.dept2, t0()));
}

#[test]
fn authz_scope_01_grants_stay_inside_the_grantor_scope() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    // The co-admin holds read on dept1 only: granting on the hospital breaks scope and holding.
    let refusal = w.give(co, u, w.psych_read, w.hospital).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::HOLD, rules::SCOPE]);
    // Sub-departments are in scope.
    w.give(co, u, w.psych_read, w.section).unwrap();
    // Appointing a co-admin beyond one's own scope is refused too.
    let refusal = w
        .appoint(co, u, &[w.psych_admin.form()], &[w.dept2])
        .unwrap_err();
    assert!(refusal.broke(rules::SCOPE));
    // A primary admin limited to dept2 cannot grant on dept1.
    let limited = w.member(w.g_dept2, &[]).unwrap();
    w.authority(DirectoryCommand::AppointPrimaryAdmin {
        organisation: w.a,
        appointee: Appointee::Existing { user: limited },
        scope: AdminScope {
            departments: ScopeSet::Only([w.dept2].into()),
            forms: ScopeSet::All,
        },
    })
    .unwrap();
    let refusal = w.give(limited, limited, w.psych_read, w.dept1).unwrap_err();
    assert!(refusal.broke(rules::SCOPE));
}

#[test]
fn authz_support_01_cascade_keeps_grants_with_another_live_support() {
    let mut w = world();
    // The co-admin holds read on dept1 twice (two grantors); a user gets read from the co-admin.
    let co = w.co_admin(w.dept1, w.g_dept1, &[]).unwrap();
    let first = w.give(w.admin_a, co, w.psych_read, w.dept1).unwrap();
    let second = w.give(w.admin_a, co, w.psych_read, w.hospital).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let given = w.dir.grants_of(Grantee::User(u)).next().unwrap().id();
    // Revoking one support: the user's grant survives.
    let events = w
        .by(w.admin_a, DirectoryCommand::Revoke { grant: first })
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(w.allowed(u, w.psych_read, w.dept1, t0()));
    // Revoking the other: it goes, in cascade.
    let events = w
        .by(w.admin_a, DirectoryCommand::Revoke { grant: second })
        .unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        matches!(events[1].change, Change::GrantRevoked { grant, cause: RevocationCause::LostSupport, .. } if grant == given)
    );
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
}

/// The cascade names its rule: every grant revoked for lost support carries
/// `AUTHZ-SUPPORT-01` in its event (the revoked root, the actor's choice, carries none), and
/// the JSON keeps it; a log line written before the field existed still reads.
#[test]
fn authz_support_01_a_cascade_names_the_rule_in_its_events() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    let given = w.dir.grants_of(Grantee::User(u)).next().unwrap().id();
    let events = w
        .by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: co })
        .unwrap();
    let revoked: Vec<_> = events
        .iter()
        .filter_map(|e| match e.change {
            Change::GrantRevoked { grant, cause, rule } => Some((grant, cause, rule)),
            _ => None,
        })
        .collect();
    assert!(revoked.len() >= 2, "{revoked:?}");
    assert!(
        revoked.iter().all(|(_, cause, rule)| *rule == cause.rule()),
        "{revoked:?}"
    );
    assert!(revoked.contains(&(given, RevocationCause::LostSupport, Some(rules::SUPPORT))));
    assert_eq!(
        revoked.first().map(|r| (r.1, r.2)),
        Some((RevocationCause::Revoked, None))
    );
    // The id round-trips through the log's JSON; an old line without it still reads.
    let cascaded = events
        .iter()
        .find(|e| matches!(e.change, Change::GrantRevoked { grant, .. } if grant == given))
        .unwrap();
    let json = serde_json::to_string(cascaded).unwrap();
    assert!(json.contains(r#""rule":"AUTHZ-SUPPORT-01""#), "{json}");
    assert_eq!(
        &serde_json::from_str::<sundhed_authorisation::DirectoryEvent>(&json).unwrap(),
        cascaded
    );
    let old = json.replace(r#","rule":"AUTHZ-SUPPORT-01""#, "");
    let read = serde_json::from_str::<sundhed_authorisation::DirectoryEvent>(&old).unwrap();
    assert!(matches!(
        read.change,
        Change::GrantRevoked { rule: None, .. }
    ));
    let unknown = json.replace("AUTHZ-SUPPORT-01", "AUTHZ-NOPE-01");
    assert!(serde_json::from_str::<sundhed_authorisation::DirectoryEvent>(&unknown).is_err());
}

#[test]
fn authz_support_01_removing_a_co_admin_cascades() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.dept1)])
        .unwrap();
    assert!(w.allowed(u, w.psych_read, w.dept1, t0()));
    w.by(w.admin_a, DirectoryCommand::RemoveCoAdmin { user: co })
        .unwrap();
    assert!(!w.allowed(u, w.psych_read, w.dept1, t0()));
    // The co-admin keeps their own read right (granted by the primary admin).
    assert!(w.allowed(co, w.psych_read, w.dept1, t0()));
}

#[test]
fn authz_revoke_01_only_grantor_or_admin_above_in_scope_may_revoke() {
    let mut w = world();
    let co1 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let co2 = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let g = w.give(co1, u, w.psych_read, w.dept1).unwrap();
    // A peer co-admin, not in the chain, may not.
    let refusal = w
        .by(co2, DirectoryCommand::Revoke { grant: g })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE]);
    // A plain user may not.
    let refusal = w.by(u, DirectoryCommand::Revoke { grant: g }).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE]);
    // The grantor may.
    w.by(co1, DirectoryCommand::Revoke { grant: g }).unwrap();
    // An admin above the grantor, in scope, may: co1 appoints co3, co3 grants, co1 revokes.
    let co3 = w.member(w.g_dept1, &[]).unwrap();
    w.give(co1, co3, w.psych_read, w.dept1).unwrap();
    w.appoint(co1, co3, &[w.psych_admin.form()], &[w.dept1])
        .unwrap();
    let g3 = w.give(co3, u, w.psych_read, w.dept1).unwrap();
    let refusal = w
        .by(co2, DirectoryCommand::Revoke { grant: g3 })
        .unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::REVOKE]);
    w.by(co1, DirectoryCommand::Revoke { grant: g3 }).unwrap();
    // The primary admin may revoke anything in scope.
    let g4 = w.give(co1, u, w.psych_read, w.dept1).unwrap();
    w.by(w.admin_a, DirectoryCommand::Revoke { grant: g4 })
        .unwrap();
}

#[test]
fn authz_time_01_expiry_is_evaluated_at_the_query_time() {
    let mut w = world();
    let start = t0() + hours(1);
    let end = t0() + hours(3);
    let spec = GrantSpec {
        right: w.psych_read,
        department: w.dept1,
        valid_from: Some(start),
        valid_until: Some(end),
    };
    let u = w.user(w.admin_a, w.g_dept1, vec![spec]).unwrap();
    let one_ns = chrono::TimeDelta::nanoseconds(1);
    assert!(!w.allowed(u, w.psych_read, w.dept1, start - one_ns));
    assert!(w.allowed(u, w.psych_read, w.dept1, start));
    assert!(w.allowed(u, w.psych_read, w.dept1, end - one_ns));
    let expired = w.decide(u, w.psych_read, w.dept1, end);
    assert_eq!(expired.effect(), Effect::Deny);
    assert!(expired.rules().any(|r| r == rules::TIME_LIVE));
}

#[test]
fn authz_time_02_back_dated_or_empty_intervals_are_refused() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let back = GrantSpec {
        valid_from: Some(t0() - hours(1)),
        ..GrantSpec::new(w.psych_read, w.dept1)
    };
    let refusal = w.grant_user(w.admin_a, u, back).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_INTERVAL]);
    let empty = GrantSpec::new(w.psych_read, w.dept1).until(t0());
    let refusal = w.grant_user(w.admin_a, u, empty).unwrap_err();
    assert_eq!(refusal.rules(), vec![rules::TIME_INTERVAL]);
}

#[test]
fn authz_conf_01_personal_data_needs_acknowledged_confidentiality() {
    let mut w = world();
    let u = w
        .member(
            w.g_dept1,
            &[(w.psych_report, w.dept1), (w.psych_read, w.dept1)],
        )
        .unwrap();
    let d = w.decide(u, w.psych_report, w.dept1, t0());
    assert!(!d.is_allowed());
    assert_eq!(d.rules().collect::<Vec<_>>(), vec![rules::CONFIDENTIALITY]);
    // A right without personal data is not affected.
    assert!(w.allowed(u, w.psych_read, w.dept1, t0()));
    w.acknowledge(u).unwrap();
    assert!(w.allowed(u, w.psych_report, w.dept1, t0()));
    // Acknowledged later than the query: still denied at the earlier time.
    assert!(!w.allowed(u, w.psych_report, w.dept1, t0() - hours(1)));
}

/// A decision keeps every rule that decided it: here three at once (the user is deactivated,
/// has not acknowledged confidentiality, and the group's grant has expired), in the order
/// `Decision::rules` documents.
#[test]
fn authz_decide_01_a_decision_keeps_every_rule_that_decided_it() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    let mut spec = GrantSpec::new(w.psych_report, w.dept1);
    spec.valid_until = Some(t0() + hours(1));
    w.grant(w.admin_a, Grantee::Group(w.g_dept1), spec, t0())
        .unwrap();
    w.by(w.admin_a, DirectoryCommand::DeactivateUser { user: u })
        .unwrap();
    let request = AccessRequest {
        user: u,
        right: w.psych_report,
        department: w.dept1,
    };
    let d = w.dir.check(&request, t0() + hours(2));
    assert!(!d.is_allowed() && d.reasons().is_empty());
    assert_eq!(
        d.rules().collect::<Vec<_>>(),
        vec![rules::USER_ACTIVE, rules::CONFIDENTIALITY, rules::TIME_LIVE]
    );
    assert_eq!(
        d.to_string(),
        "deny (AUTHZ-USER-01, AUTHZ-CONF-01, AUTHZ-TIME-01)"
    );
}

#[test]
fn authz_decide_01_default_deny_and_determining_grants() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[(w.psych_read, w.hospital)]).unwrap();
    let none = w.decide(u, w.psych_admin, w.dept1, t0());
    assert_eq!(none.effect(), Effect::Deny);
    assert!(none.reasons().is_empty());
    assert_eq!(none.rules().collect::<Vec<_>>(), vec![rules::DECIDE]);
    // Covered through the hospital grant and through the group.
    w.grant(
        w.admin_a,
        Grantee::Group(w.g_dept1),
        GrantSpec::new(w.psych_read, w.dept1),
        t0(),
    )
    .unwrap();
    let yes = w.decide(u, w.psych_read, w.section, t0());
    assert!(yes.is_allowed());
    assert_eq!(yes.reasons().len(), 2);
    assert_eq!(yes.reasons()[1].via, Some(w.g_dept1));
    assert!(yes.rules().any(|r| r == rules::DECIDE));
    assert!(
        yes.to_string().starts_with("allow (AUTHZ-DECIDE-01"),
        "{yes}"
    );
}

#[test]
fn authz_refusal_names_every_broken_rule() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[]).unwrap();
    // A plain user granting a right outside B's ceiling, back-dated, to a user of another
    // organisation: actor scope, holding, organisation and interval all fail at once.
    let spec = GrantSpec {
        valid_from: Some(t0() - hours(1)),
        ..GrantSpec::new(w.som_report, w.b_hospital)
    };
    let refusal = w.grant_user(u, w.admin_b, spec).unwrap_err();
    let got = refusal.rules();
    for rule in [
        rules::ORG_SAME,
        rules::TIME_INTERVAL,
        rules::SCOPE,
        rules::HOLD,
    ] {
        assert!(got.contains(&rule), "{rule} missing from {refusal}");
    }
}

/// The command creating a department named "x" in `organisation` under `parent`, with the
/// SHAK code `shak` if any.
fn department_x(organisation: Cvr, shak: Option<&str>, parent: DepartmentId) -> DirectoryCommand {
    DirectoryCommand::CreateDepartment {
        organisation,
        department: NewDepartment {
            name: "x".into(),
            shak: shak.map(|s| s.parse().unwrap()),
            sor: None,
        },
        parent: Some(parent),
    }
}
