//! Parses a few identifiers and says what each one is.
//!
//! `cargo run -p sundhed-identity --example explain`

use chrono::NaiveDate;
use sundhed_identity::{Cvr, PersonId, ShakCode, SorId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("bad date")?;
    println!("people (the serial is never shown):");
    for input in [
        "070761-4285",
        "2512489996",
        "6701614321",
        "0203291WQ3",
        "3102801234",
    ] {
        match input.parse::<PersonId>() {
            Ok(PersonId::Cpr(cpr)) => println!(
                "  {:<12} cpr, born {}, {:?}, modulus 11 {}",
                cpr.to_string(),
                cpr.birth_date(),
                cpr.sex(),
                if cpr.satisfies_mod11() {
                    "satisfied"
                } else {
                    "not satisfied (still valid)"
                }
            ),
            Ok(PersonId::Replacement(r)) => {
                println!(
                    "  {:<12} replacement number, born {}, never taken for a cpr",
                    r.to_string(),
                    r.birth_date()
                );
            }
            Ok(PersonId::Ecpr(e)) => println!(
                "  {:<12} ecpr ({:?}), never taken for a cpr",
                e.to_string(),
                e.kind()
            ),
            Err(e) => println!("  {:<12} refused: {e}", "(input)"),
        }
    }
    match sundhed_identity::Cpr::parse_on("0101575001", today) {
        Ok(cpr) => println!("  {cpr} accepted"),
        Err(e) => println!("  {:<12} refused on {today}: {e}", "010157-xxxx"),
    }
    println!("organisations and departments:");
    for input in ["DK 33257872", "13585627", "01234567"] {
        match input.parse::<Cvr>() {
            Ok(cvr) => println!("  {input:<15} cvr {cvr}"),
            Err(e) => println!("  {input:<15} refused: {e}"),
        }
    }
    let section: ShakCode = "1301011".parse()?;
    let department = section.parent().ok_or("a section has a department")?;
    println!(
        "  {:<15} shak {:?}, inside department {department}: {}",
        section.to_string(),
        section.level(),
        department.contains(&section)
    );
    let sor: SorId = "953741000016009".parse()?;
    println!(
        "  {:<15} sor id, check digit ok: {}",
        sor.to_string(),
        sor.structure().verhoeff_ok
    );
    Ok(())
}
