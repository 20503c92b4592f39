//! CPR numbers against the CPR office's rules (`shared/design/domain.md` §1).

use chrono::NaiveDate;
use sundhed_identity::{Cpr, CprError, Sex, rules};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn id_cpr_01_accepts_plain_hyphenated_and_padded_forms() {
    for s in [
        "0707614285",
        "070761-4285",
        "  070761-4285\n",
        "\t0707614285 ",
    ] {
        let cpr: Cpr = s.parse().unwrap();
        assert_eq!(cpr.expose(), "0707614285", "{s:?}");
    }
}

#[test]
fn id_cpr_01_refuses_wrong_length_letters_and_misplaced_separators() {
    for s in [
        "",
        "21106256",
        "2110a25629",
        "21106-25629",
        "211062 5629",
        "211062--5629",
        "07076142850",
        "٠٧٠٧٦١٤٢٨٥",
    ] {
        let err = s.parse::<Cpr>().unwrap_err();
        assert_eq!(err.rule(), rules::CPR_FORMAT, "{s:?}");
        assert!(err.to_string().contains("ID-CPR-01"));
    }
}

#[test]
fn id_cpr_01_strict_parse_takes_only_ten_digits() {
    assert!(Cpr::parse_strict("0707614285").is_ok());
    for s in ["070761-4285", " 0707614285", "0707614285 "] {
        assert_eq!(
            Cpr::parse_strict(s).unwrap_err().rule(),
            rules::CPR_FORMAT,
            "{s:?}"
        );
    }
}

#[test]
fn id_cpr_02_refuses_days_and_months_that_do_not_exist() {
    for s in [
        "511062-5629",
        "3102801234",
        "0013801234",
        "3204801234",
        "0100801234",
        "3111801234",
    ] {
        let err = s.parse::<Cpr>().unwrap_err();
        assert_eq!(err.rule(), rules::CPR_BIRTH_DATE, "{s}");
    }
}

#[test]
fn id_cpr_02_leap_days_follow_the_century() {
    // 2000 is a leap year (digit 4, YY 00), 1900 is not (digit 0), 1996 is.
    assert_eq!(
        "2902004001".parse::<Cpr>().unwrap().birth_date(),
        date(2000, 2, 29)
    );
    assert_eq!(
        "2902000000".parse::<Cpr>().unwrap_err().rule(),
        rules::CPR_BIRTH_DATE
    );
    assert_eq!(
        "2902964000".parse::<Cpr>().unwrap().birth_date(),
        date(1996, 2, 29)
    );
    // 1896 is a leap year (digit 5, YY 96 → 1800s); 1900 via digit 9, YY 00 is 2000.
    assert_eq!(
        "2902965000".parse::<Cpr>().unwrap().birth_date(),
        date(1896, 2, 29)
    );
    assert_eq!(
        "2902009000".parse::<Cpr>().unwrap().birth_date(),
        date(2000, 2, 29)
    );
    // 2056 (digit 5, YY 56) is a leap year; 2057 is not.
    assert_eq!(
        "2902565000".parse::<Cpr>().unwrap().birth_date(),
        date(2056, 2, 29)
    );
    assert_eq!(
        "2902575000".parse::<Cpr>().unwrap_err().rule(),
        rules::CPR_BIRTH_DATE
    );
}

#[test]
fn id_cpr_03_century_boundaries_from_the_table() {
    let cases = [
        ("0101585004", date(1858, 1, 1)),
        ("0101575004", date(2057, 1, 1)),
        ("0101374000", date(1937, 1, 1)),
        ("0101364000", date(2036, 1, 1)),
        ("0101375000", date(2037, 1, 1)),
        ("0101365000", date(2036, 1, 1)),
        ("3112993999", date(1999, 12, 31)),
        ("0101009999", date(2000, 1, 1)),
        ("2110625629", date(1862, 10, 21)),
        ("0101701239", date(1970, 1, 1)),
    ];
    for (s, d) in cases {
        assert_eq!(s.parse::<Cpr>().unwrap().birth_date(), d, "{s}");
    }
}

#[test]
fn id_cpr_04_refuses_a_birth_date_after_today() {
    let today = date(2026, 11, 23);
    assert!(Cpr::parse_on("2311264001", today).is_ok());
    let err = Cpr::parse_on("2411264001", today).unwrap_err();
    assert_eq!(err.rule(), rules::CPR_NOT_BORN_YET);
    assert!(matches!(err, CprError::NotBornYet { .. }));
    // The plain parse reads no clock and accepts the same number.
    assert!("2411264001".parse::<Cpr>().is_ok());
}

#[test]
fn id_cpr_05_mod11_is_information_and_never_a_refusal() {
    let satisfies = ["2110625629", "0101701239", "1506824008", "2902004001"];
    for s in satisfies {
        assert!(s.parse::<Cpr>().unwrap().satisfies_mod11(), "{s}");
    }
    // The first numbers without modulus 11 (1 October 2007) and MedCom test numbers fail it
    // and still parse.
    for s in ["0101651234", "2512489996", "0505209996", "0505159995"] {
        let cpr = s.parse::<Cpr>().unwrap();
        assert!(!cpr.satisfies_mod11(), "{s}");
    }
}

#[test]
fn sex_is_the_parity_of_the_last_digit() {
    assert_eq!("2512489996".parse::<Cpr>().unwrap().sex(), Sex::Female);
    assert_eq!("0505159995".parse::<Cpr>().unwrap().sex(), Sex::Male);
    assert_eq!("1506824008".parse::<Cpr>().unwrap().sex(), Sex::Female);
}

#[test]
fn id_cpr_06_display_and_debug_mask_the_serial() {
    let cpr: Cpr = "070761-4285".parse().unwrap();
    assert_eq!(cpr.to_string(), "070761-xxxx");
    assert_eq!(format!("{cpr:?}"), "Cpr(070761-xxxx)");
    assert!(!format!("{cpr:#?}").contains("4285"));
}

#[test]
fn serde_round_trips_the_full_value_and_validates() {
    let cpr: Cpr = "070761-4285".parse().unwrap();
    let json = serde_json::to_string(&cpr).unwrap();
    assert_eq!(json, "\"0707614285\"");
    assert_eq!(serde_json::from_str::<Cpr>(&json).unwrap(), cpr);
    assert!(serde_json::from_str::<Cpr>("\"3102801234\"").is_err());
    assert!(serde_json::from_str::<Cpr>("\"070761-4285\"").is_err());
}
