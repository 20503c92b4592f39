//! Replacement numbers, eCPR and their classification.

use chrono::NaiveDate;
use sundhed_identity::{Ecpr, EcprKind, PersonId, ReplacementCpr, Sex, rules};

#[test]
fn id_repl_01_day_plus_sixty() {
    let r: ReplacementCpr = "6701614321".parse().unwrap();
    assert_eq!(r.birth_date(), NaiveDate::from_ymd_opt(1961, 1, 7).unwrap());
    assert_eq!(r.sex(), Sex::Male);
    assert_eq!(r.to_string(), "670161-xxxx");
    for s in ["0701614321", "9201614321", "6002614321", "8902814321"] {
        assert_eq!(
            s.parse::<ReplacementCpr>().unwrap_err().rule(),
            rules::REPLACEMENT_FORM,
            "{s}"
        );
    }
    // 91 = the 31st; 89 February 80 is the 29th of February 1980.
    assert!("9101614321".parse::<ReplacementCpr>().is_ok());
    assert!("8902804321".parse::<ReplacementCpr>().is_ok());
}

#[test]
fn id_ecpr_01_official_examples_and_malformed_ones() {
    for (s, kind) in [
        ("0203291WQ3", EcprKind::National),
        ("1308781OS6", EcprKind::National),
        ("3101057JC9", EcprKind::National),
        ("0101600AB1", EcprKind::Decentral),
    ] {
        assert_eq!(s.parse::<Ecpr>().unwrap().kind(), kind, "{s}");
    }
    assert_eq!(
        "0203291WQ3".parse::<Ecpr>().unwrap().date(),
        NaiveDate::from_ymd_opt(1929, 3, 2)
    );
    for s in [
        "0203291wq3",
        "0203291W13",
        "3202291WQ3",
        "3104291WQ3",
        "0203291WQ",
        "0203291WQ3X",
    ] {
        assert_eq!(
            s.parse::<Ecpr>().unwrap_err().rule(),
            rules::ECPR_FORM,
            "{s}"
        );
    }
    // 29 February is accepted in any year, as HL7 DK's pattern does.
    assert!("2902011AB1".parse::<Ecpr>().is_ok());
}

#[test]
fn id_ecpr_02_century_codes() {
    for c in ['2', '3', '4', '8', '9'] {
        let s = format!("020329{c}WQ3");
        assert_eq!(
            s.parse::<Ecpr>().unwrap_err().rule(),
            rules::ECPR_CENTURY_CODE,
            "{s}"
        );
    }
    assert_eq!("0203295WQ3".parse::<Ecpr>().unwrap().date(), None);
}

#[test]
fn id_pid_01_classifies_without_overlap() {
    assert!(matches!(
        "070761-4285".parse::<PersonId>().unwrap(),
        PersonId::Cpr(_)
    ));
    assert!(matches!(
        "670161-4321".parse::<PersonId>().unwrap(),
        PersonId::Replacement(_)
    ));
    assert!(matches!(
        "0203291WQ3".parse::<PersonId>().unwrap(),
        PersonId::Ecpr(_)
    ));
    // A replacement number is never a CPR number, and vice versa.
    assert!("6701614321".parse::<sundhed_identity::Cpr>().is_err());
    assert!("0701614321".parse::<ReplacementCpr>().is_err());
    let bad = "3102801234".parse::<PersonId>().unwrap_err();
    assert_eq!(bad.rule(), rules::CPR_BIRTH_DATE);
    assert!(!"6701614321".parse::<PersonId>().unwrap().is_cpr());
}

#[test]
fn person_id_serde_round_trips_and_masks_in_debug() {
    for s in ["0707614285", "6701614321", "0203291WQ3"] {
        let id: PersonId = s.parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<PersonId>(&json).unwrap(), id);
        assert!(!format!("{id:?}").contains(&s[6..]), "{id:?}");
        assert!(!id.to_string().contains(&s[6..]), "{id}");
    }
}
