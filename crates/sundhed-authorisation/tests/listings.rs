//! Listings: access review, permissions, lookups.

use sundhed_authorisation::{
    Actor, ChainLink, DirectoryCommand, GrantSpec, Grantee, NewUser, Permission,
};

use crate::fixtures::{hours, t0, world};

#[test]
fn access_review_lists_live_grants_with_their_chain_and_age() {
    let mut w = world();
    let co = w.co_admin(w.dept1, w.g_dept1, &[w.psych_read]).unwrap();
    let u = w
        .user(co, w.g_dept1, vec![GrantSpec::new(w.psych_read, w.section)])
        .unwrap();
    let given = w.dir.grants_of(Grantee::User(u)).next().unwrap().id();
    let held = w
        .dir
        .grants_of(Grantee::User(co))
        .find(|g| g.right() == w.psych_read)
        .unwrap()
        .id();
    let review = w.dir.access_review(w.a, t0() + hours(5));
    let entry = review.iter().find(|e| e.grant == given).unwrap();
    assert_eq!(entry.grantor, Actor::User(co));
    assert_eq!(entry.age, hours(5));
    assert_eq!(
        entry.chain,
        vec![
            ChainLink {
                grant: given,
                grantor: Actor::User(co)
            },
            ChainLink {
                grant: held,
                grantor: Actor::User(w.admin_a)
            }
        ]
    );
    // Every live grant of the organisation is listed, sorted; none of the other organisation.
    let ids: Vec<_> = review.iter().map(|e| e.grant).collect();
    let mut all: Vec<_> = w.dir.grants_in(w.a).map(|g| g.id()).collect();
    all.sort();
    assert_eq!(ids, all);
    assert!(w.dir.access_review(w.b, t0()).is_empty());
}

#[test]
fn permissions_expand_to_sub_departments() {
    let mut w = world();
    let u = w.member(w.g_dept1, &[(w.psych_read, w.dept1)]).unwrap();
    assert_eq!(
        w.dir.permissions(u, t0()),
        vec![
            Permission {
                right: w.psych_read,
                department: w.dept1
            },
            Permission {
                right: w.psych_read,
                department: w.section
            }
        ]
    );
    assert!(w.dir.may(
        u,
        Permission {
            right: w.psych_read,
            department: w.section
        },
        t0()
    ));
    assert!(!w.dir.may(
        u,
        Permission {
            right: w.psych_read,
            department: w.hospital
        },
        t0()
    ));
}

#[test]
fn users_are_found_by_certificate_and_person() {
    let mut w = world();
    let holder: sundhed_identity::CertificateHolderId =
        format!("CVR:{}-RID:42634739", w.a).parse().unwrap();
    let person = crate::fixtures::person(900);
    let events = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateUser {
                user: NewUser {
                    person,
                    certificates: vec![holder.clone()],
                },
                groups: vec![w.g_dept2],
                grants: vec![],
            },
        )
        .unwrap();
    let sundhed_authorisation::Change::UserCreated { user, .. } = events[0].change else {
        panic!()
    };
    assert_eq!(w.dir.user_by_certificate(&holder), Some(user));
    assert_eq!(w.dir.user_by_person(w.a, person), Some(user));
    // The person's number never shows in full in a refusal.
    let again = w
        .by(
            w.admin_a,
            DirectoryCommand::CreateUser {
                user: NewUser {
                    person,
                    certificates: vec![],
                },
                groups: vec![w.g_dept2],
                grants: vec![],
            },
        )
        .unwrap_err();
    assert!(!again.to_string().contains(person.expose()), "{again}");
}
