//! `ID-CPR-06`: no `Debug`, `Display` or error output of an identity type shows a CPR serial.

use chrono::NaiveDate;
use sundhed_identity::{Cpr, Ecpr, PersonId, ReplacementCpr};

/// Numbers whose serials do not occur in their own date digits, so a plain `contains` is
/// meaningful.
const NUMBERS: [&str; 6] = [
    "0707614285",
    "2110625629",
    "1506824008",
    "2512489996",
    "0505159995",
    "0101651234",
];

fn assert_no_serial(output: &str, serial: &str) {
    assert!(
        !output.contains(serial),
        "serial `{serial}` leaked in `{output}`"
    );
}

#[test]
fn id_cpr_06_no_identity_output_shows_a_serial() {
    for n in NUMBERS {
        let serial = &n[6..];
        let cpr: Cpr = n.parse().unwrap();
        let pid: PersonId = n.parse().unwrap();
        for out in [
            cpr.to_string(),
            format!("{cpr:?}"),
            format!("{cpr:#?}"),
            pid.to_string(),
            format!("{pid:?}"),
            format!("{:?}", Some(cpr)),
            format!("{:?}", vec![pid]),
        ] {
            assert_no_serial(&out, serial);
        }
        // An error about the same number (not born yet) names dates, not the serial.
        let early = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
        let err = Cpr::parse_on(n, early).unwrap_err();
        assert_no_serial(&err.to_string(), serial);
        assert_no_serial(&format!("{err:?}"), serial);
    }
}

#[test]
fn id_cpr_06_errors_about_malformed_input_do_not_repeat_it() {
    for bad in [
        "070761-42851",
        "0707614285x",
        "3102614285",
        "0707a14285",
        "070761--4285",
    ] {
        let err = bad.parse::<Cpr>().unwrap_err();
        let pid_err = bad.parse::<PersonId>().unwrap_err();
        for out in [
            err.to_string(),
            format!("{err:?}"),
            pid_err.to_string(),
            format!("{pid_err:?}"),
        ] {
            assert_no_serial(&out, "4285");
        }
    }
}

#[test]
fn id_cpr_06_replacement_and_ecpr_are_masked_too() {
    let r: ReplacementCpr = "6707614285".parse().unwrap();
    let e: Ecpr = "0707611WQ3".parse().unwrap();
    for out in [
        r.to_string(),
        format!("{r:?}"),
        e.to_string(),
        format!("{e:?}"),
    ] {
        assert_no_serial(&out, "4285");
        assert_no_serial(&out, "1WQ3");
    }
}
