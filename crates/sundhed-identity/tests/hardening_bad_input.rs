//! Hardening (issue 8): malformed input to every parser of this crate gives a clear error
//! that names its rule id, never a panic and never a value.
//!
//! Table-driven: each row is a parser, an input and the rule the refusal must carry. The
//! inputs are the hostile shapes: empty, huge, non-ASCII (look-alike digits, letters with
//! accents, a byte-order mark, NUL), mixed or doubled separators, and truncations.

use std::str::FromStr;

use sundhed_identity::{
    CertificateHolderId, Cpr, Cvr, Ecpr, Oces2Number, Oces2Serial, Oces3Uuid,
    OrganizationIdentifier, PNumber, PersonId, ReplacementCpr, RuleId, ShakCode, SorId,
};

/// The parsers under test, by name.
#[derive(Debug, Clone, Copy)]
enum Parser {
    Cpr,
    CprStrict,
    Replacement,
    Ecpr,
    PersonId,
    Cvr,
    CvrTestOrganisation,
    PNumber,
    Shak,
    ShakRegional,
    ShakSks,
    Sor,
    Oces2Number,
    Oces2Serial,
    Oces3Uuid,
    OrganizationIdentifier,
    CertificateHolderId,
}

/// Refused: the rule id and the message; accepted: the value's `Debug`.
type Outcome = Result<String, (RuleId, String)>;

macro_rules! outcome {
    ($e:expr) => {
        match $e {
            Ok(v) => Ok(format!("{v:?}")),
            Err(e) => Err((e.rule(), e.to_string())),
        }
    };
}

fn parse<T: FromStr>(s: &str) -> Result<T, T::Err> {
    s.parse()
}

impl Parser {
    const ALL: [Self; 17] = [
        Self::Cpr,
        Self::CprStrict,
        Self::Replacement,
        Self::Ecpr,
        Self::PersonId,
        Self::Cvr,
        Self::CvrTestOrganisation,
        Self::PNumber,
        Self::Shak,
        Self::ShakRegional,
        Self::ShakSks,
        Self::Sor,
        Self::Oces2Number,
        Self::Oces2Serial,
        Self::Oces3Uuid,
        Self::OrganizationIdentifier,
        Self::CertificateHolderId,
    ];

    fn run(self, s: &str) -> Outcome {
        match self {
            Self::Cpr => outcome!(parse::<Cpr>(s)),
            Self::CprStrict => outcome!(Cpr::parse_strict(s)),
            Self::Replacement => outcome!(parse::<ReplacementCpr>(s)),
            Self::Ecpr => outcome!(parse::<Ecpr>(s)),
            Self::PersonId => outcome!(parse::<PersonId>(s)),
            Self::Cvr => outcome!(parse::<Cvr>(s)),
            Self::CvrTestOrganisation => outcome!(Cvr::parse_test_organisation(s)),
            Self::PNumber => outcome!(parse::<PNumber>(s)),
            Self::Shak => outcome!(parse::<ShakCode>(s)),
            Self::ShakRegional => outcome!(ShakCode::parse_dropping_regional(s)),
            Self::ShakSks => outcome!(ShakCode::from_sks(s)),
            Self::Sor => outcome!(parse::<SorId>(s)),
            Self::Oces2Number => outcome!(parse::<Oces2Number>(s)),
            Self::Oces2Serial => outcome!(parse::<Oces2Serial>(s)),
            Self::Oces3Uuid => outcome!(parse::<Oces3Uuid>(s)),
            Self::OrganizationIdentifier => outcome!(parse::<OrganizationIdentifier>(s)),
            Self::CertificateHolderId => outcome!(parse::<CertificateHolderId>(s)),
        }
    }

    /// The rule a shapeless input (empty, garbage) is refused under.
    fn format_rule(self) -> &'static str {
        match self {
            Self::Cpr | Self::CprStrict | Self::PersonId => "ID-CPR-01",
            Self::Replacement => "ID-REPL-01",
            Self::Ecpr => "ID-ECPR-01",
            Self::Cvr | Self::CvrTestOrganisation => "ID-CVR-01",
            Self::PNumber => "ID-PNR-01",
            Self::Shak | Self::ShakRegional | Self::ShakSks => "ID-SHAK-01",
            Self::Sor => "ID-SOR-01",
            Self::Oces2Number => "ID-OCES2-01",
            Self::CertificateHolderId => "ID-HOLDER-01",
            Self::Oces2Serial => "ID-OCES2-02",
            Self::Oces3Uuid => "ID-OCES3-01",
            Self::OrganizationIdentifier => "ID-OCES3-02",
        }
    }
}

fn assert_refused(parser: Parser, input: &str, rule: &str) {
    let shown: String = input.chars().take(40).collect();
    match parser.run(input) {
        Ok(v) => panic!("{parser:?} accepted `{shown}` as {v}"),
        Err((got, message)) => {
            assert_eq!(got.as_str(), rule, "{parser:?} on `{shown}`: {message}");
            assert!(
                message.contains(rule),
                "{parser:?} on `{shown}`: the message `{message}` does not name {rule}"
            );
            assert!(
                !message.ends_with('.'),
                "message ends with a period: {message}"
            );
        }
    }
}

/// Inputs no parser of this crate accepts, refused under each parser's format rule.
const SHAPELESS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "\0",
    "-",
    "--",
    "\u{feff}0707614285",   // byte-order mark
    "０７０７６１４２８５", // full-width digits
    "٠٧٠٧٦١٤٢٨٥",           // Arabic-Indic digits
    "07O7614285",           // letter O for zero
    "0707614285\0",         // trailing NUL
    "ææææææææææ",           // ten non-ASCII letters (20 bytes)
    "🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀", // ten four-byte characters
    "\u{202e}5824167070",   // right-to-left override
    "1\u{0301}234",         // combining accent
    "RID:",
    "CVR:",
];

#[test]
fn hardening_every_parser_refuses_shapeless_input_with_its_format_rule() {
    let mut wrong = Vec::new();
    for parser in Parser::ALL {
        for input in SHAPELESS {
            let rule = parser.format_rule();
            match parser.run(input) {
                Err((got, message)) if got.as_str() == rule && message.contains(rule) => {}
                other => wrong.push(format!("{parser:?} on {input:?}: {other:?}")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn hardening_every_parser_refuses_huge_input_without_panicking() {
    let huge_digits = "7".repeat(1 << 20);
    let huge_hyphens = "070761-".repeat(1 << 16);
    let huge_prefix = format!("RID:{}", "1".repeat(1 << 20));
    let huge_uuid = format!("UI:DK-E:G:{}", "a".repeat(1 << 20));
    for parser in Parser::ALL {
        for input in [&huge_digits, &huge_hyphens, &huge_prefix, &huge_uuid] {
            assert!(
                parser.run(input).is_err(),
                "{parser:?} accepted a huge input"
            );
        }
    }
}

#[test]
fn hardening_cpr_mixed_and_misplaced_separators_are_refused() {
    for input in [
        "070761 4285",
        "07-07-61-4285",
        "070761–4285", // en dash
        "070761—4285", // em dash
        "070761_4285",
        "070761.4285",
        "070761/4285",
        "0707-614285",
        "070761--4285",
        "-0707614285",
        "0707614285-",
        "070761-428",   // truncated
        "070761-42851", // one digit too many
        "07076",
    ] {
        for parser in [Parser::Cpr, Parser::CprStrict, Parser::PersonId] {
            assert_refused(parser, input, "ID-CPR-01");
        }
    }
    // The strict parse takes no separator or white space at all.
    for input in ["070761-4285", " 0707614285", "0707614285 ", "0707614285\n"] {
        assert_refused(Parser::CprStrict, input, "ID-CPR-01");
    }
}

#[test]
fn hardening_cpr_impossible_dates_name_the_date_rule() {
    for input in [
        "0000000000",
        "3202614285",
        "0013614285",
        "2902014285", // 1901 is no leap year
        "3104614285",
    ] {
        let rule = "ID-CPR-02";
        assert_refused(Parser::Cpr, input, rule);
        assert_refused(Parser::CprStrict, input, rule);
    }
}

#[test]
fn hardening_cvr_wrong_lengths_and_checksums() {
    for input in [
        "1374813",
        "137481366",
        "03748136",
        "DK",
        "DK 1374 81 3",
        "13748136x",
    ] {
        assert_refused(Parser::Cvr, input, "ID-CVR-01");
        assert_refused(Parser::CvrTestOrganisation, input, "ID-CVR-01");
    }
    // Eight digits failing modulus 11: refused by the checked parse only.
    assert_refused(Parser::Cvr, "13748137", "ID-CVR-02");
    assert!(Parser::CvrTestOrganisation.run("13748137").is_ok());
}

#[test]
fn hardening_holder_ids_truncated_and_mislabelled() {
    for (parser, input, rule) in [
        (Parser::Oces2Number, "RID:12a", "ID-OCES2-01"),
        (Parser::Oces2Number, "rid:1234", "ID-OCES2-01"),
        (Parser::Oces2Number, "XID:1234", "ID-OCES2-01"),
        (Parser::Oces2Number, "RID 1234", "ID-OCES2-01"),
        (Parser::Oces2Number, "RID:1234:5", "ID-OCES2-01"),
        (Parser::Oces2Serial, "CVR:30808460", "ID-OCES2-02"),
        (Parser::Oces2Serial, "CVR:30808460-", "ID-OCES2-02"),
        (Parser::Oces2Serial, "30808460-RID:42634739", "ID-OCES2-02"),
        (Parser::Oces3Uuid, "UI:DK-E:G:", "ID-OCES3-01"),
        (
            Parser::Oces3Uuid,
            "UI:DK-X:G:5e6d1b5a-7b1a-4b8e-9e7a-0e0a2c3f4d5e",
            "ID-OCES3-01",
        ),
        (
            Parser::Oces3Uuid,
            "UI:DK-E:G:5e6d1b5a-7b1a-4b8e-9e7a-0e0a2c3f4d5",
            "ID-OCES3-01",
        ),
        (
            Parser::Oces3Uuid,
            "UI:DK-E:G:5e6d1b5a7b1a4b8e9e7a0e0a2c3f4d5e00",
            "ID-OCES3-01",
        ),
        (
            Parser::Oces3Uuid,
            "UI:DK-E:G:5e6d1b5a-7b1a-4b8e-9e7a-0e0a2c3f4d5g",
            "ID-OCES3-01",
        ),
        (
            Parser::OrganizationIdentifier,
            "NTRSE-19552101",
            "ID-OCES3-02",
        ),
        (
            Parser::OrganizationIdentifier,
            "NTRDK19552101",
            "ID-OCES3-02",
        ),
        (Parser::OrganizationIdentifier, "NTRDK-1955210", "ID-CVR-01"),
    ] {
        assert_refused(parser, input, rule);
    }
}

#[test]
fn hardening_shak_regional_characters_and_bad_lengths() {
    for input in ["13010", "13", "13010112345", "1301-01", "1301 01", "130ø"] {
        assert_refused(Parser::Shak, input, "ID-SHAK-01");
    }
    assert_refused(Parser::Shak, "130101123", "ID-SHAK-02");
    assert_refused(Parser::ShakSks, "1301011", "ID-SHAK-01");
}
