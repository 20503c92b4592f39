//! ID-CPR-06 through the directory: a certificate holder id is repeated in a refusal only
//! through `shown`, so an OCES2 number typed as a CPR does not come back whole (found by a
//! review: AUTHZ-UNIQ-01 printed `RID:0707614285`).

use sundhed_authorisation::{Actor, DirectoryCommand, NewUser, rules};

use crate::fixtures::{person, t0, world};

#[test]
fn id_cpr_06_a_holder_id_is_masked_in_the_refusal() {
    let mut w = world();
    let holder: sundhed_identity::CertificateHolderId =
        format!("CVR:{}-RID:0707614285", w.a).parse().unwrap();
    let create = |n| DirectoryCommand::CreateUser {
        user: NewUser {
            person: person(n),
            certificates: vec![holder.clone()],
        },
        groups: vec![w.g_hospital],
        grants: vec![],
    };
    let (first, second) = (create(9001), create(9002));
    w.run(Actor::User(w.admin_a), first, t0()).unwrap();
    let refusal = w.run(Actor::User(w.admin_a), second, t0()).unwrap_err();
    assert!(refusal.broke(rules::UNIQUE), "{refusal}");
    for text in [refusal.to_string(), format!("{refusal:?}")] {
        assert!(!text.contains("0707614285"), "{text}");
        assert!(text.contains("070761xxxx"), "{text}");
    }
}
