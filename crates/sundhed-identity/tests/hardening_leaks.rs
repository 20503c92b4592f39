//! Hardening (issue 8): a CPR number given to the wrong parser (a CPR typed into a CVR, SOR,
//! SHAK or certificate-id field) must not come back unmasked in the refusal.

use std::str::FromStr;

use sundhed_identity::{
    CertificateHolderId, Cpr, Cvr, Oces2Number, Oces2Serial, Oces3Uuid, OrganizationIdentifier,
    ShakCode, SorId,
};

/// Serials that occur nowhere else in their number, so `contains` is meaningful.
const NUMBERS: [&str; 4] = ["0707614285", "2110625629", "1506824008", "2512489996"];

/// The ways a person types a CPR number.
fn written_forms(n: &str) -> Vec<String> {
    let (date, serial) = n.split_at(6);
    vec![
        n.to_owned(),
        format!("{date}-{serial}"),
        format!("{date} {serial}"),
        format!("DK{n}"),
        format!("RID:{n}"),
        format!("CVR:{date}-{serial}"),
        format!("NTRDK-{n}"),
        format!("UI:DK-E:G:{n}"),
    ]
}

fn refusal<T: FromStr>(s: &str) -> Option<String>
where
    T::Err: std::error::Error,
{
    s.parse::<T>().err().map(|e| format!("{e} {e:?}"))
}

#[test]
fn hardening_id_cpr_06_a_cpr_in_the_wrong_field_is_not_echoed() {
    for n in NUMBERS {
        let serial = &n[6..];
        assert!(n.parse::<Cpr>().is_ok());
        for written in written_forms(n) {
            let refusals = [
                refusal::<Cvr>(&written),
                Cvr::parse_test_organisation(&written)
                    .err()
                    .map(|e| format!("{e} {e:?}")),
                refusal::<SorId>(&written),
                refusal::<ShakCode>(&written),
                refusal::<Oces2Number>(&written),
                refusal::<Oces2Serial>(&written),
                refusal::<Oces3Uuid>(&written),
                refusal::<OrganizationIdentifier>(&written),
                refusal::<CertificateHolderId>(&written),
            ];
            for message in refusals.into_iter().flatten() {
                assert!(
                    !message.contains(serial),
                    "the serial of {}-xxxx shows in `{}`",
                    &n[..6],
                    message.replace(serial, "<serial>")
                );
            }
        }
    }
}

#[test]
fn hardening_refusals_of_huge_input_stay_small() {
    // An error that repeats its input should not repeat a megabyte of it.
    let huge = "1".repeat(1 << 20);
    let messages = [
        refusal::<Cpr>(&huge),
        refusal::<sundhed_identity::PersonId>(&huge),
        refusal::<sundhed_identity::Ecpr>(&huge),
        refusal::<sundhed_identity::ReplacementCpr>(&huge),
    ];
    for message in messages.into_iter().flatten() {
        assert!(message.len() < 1_000, "a {} byte refusal", message.len());
    }
}

#[test]
fn hardening_refusals_that_repeat_input_stay_small_and_on_one_line() {
    let huge = format!("\n{}", "1".repeat(1 << 20));
    let messages = [
        refusal::<Cvr>(&huge),
        refusal::<sundhed_identity::PNumber>(&huge),
        refusal::<SorId>(&huge),
        refusal::<ShakCode>(&huge),
        refusal::<Oces2Number>(&huge),
        refusal::<Oces2Serial>(&huge),
        refusal::<Oces3Uuid>(&huge),
        refusal::<OrganizationIdentifier>(&huge),
        refusal::<CertificateHolderId>(&huge),
    ];
    for message in messages.into_iter().flatten() {
        assert!(message.len() < 1_000, "a {} byte refusal", message.len());
        assert!(!message.contains('\n'), "a refusal spanning lines");
    }
}
