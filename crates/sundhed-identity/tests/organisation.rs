//! CVR, P-numbers, SHAK codes, SOR ids and certificate-holder ids.

use sundhed_identity::{
    CertificateHolderId, Cvr, Oces2Number, Oces2NumberKind, Oces2Serial, Oces3Holder, Oces3Kind,
    Oces3Uuid, OrganizationIdentifier, PNumber, ShakCode, ShakLevel, SorId, rules,
};

#[test]
fn id_cvr_01_eight_digits_first_not_zero() {
    for s in ["1234567", "01234567", "123456789", "1234567a", ""] {
        assert_eq!(
            s.parse::<Cvr>().unwrap_err().rule(),
            rules::CVR_FORMAT,
            "{s:?}"
        );
    }
    let err = "01234567".parse::<Cvr>().unwrap_err();
    assert!(err.to_string().contains("`01234567`"), "{err}");
}

#[test]
fn id_cvr_02_modulus_11_real_numbers_and_failures() {
    // Sundhedsdatastyrelsen, the five regions, Nets DanID, SSI, Skatteforvaltningen.
    for s in [
        "33257872", "29190623", "29190925", "29190941", "29190658", "29190909", "30808460",
        "46837428", "19552101", "13585628", "13748136",
    ] {
        let cvr: Cvr = s.parse().unwrap();
        assert!(cvr.satisfies_mod11());
        assert_eq!(cvr.to_string(), s);
    }
    for s in ["13585627", "12345678", "91026150"] {
        assert_eq!(
            s.parse::<Cvr>().unwrap_err().rule(),
            rules::CVR_CHECKSUM,
            "{s}"
        );
    }
}

#[test]
fn id_cvr_02_separators_and_dk_prefix_are_stripped() {
    for s in [
        "DK 13585628",
        "DK13585628",
        "dk13585628",
        "13 58 56 28",
        "13-58-56-28",
        "13.585.628",
        " 13585628 ",
    ] {
        assert_eq!(s.parse::<Cvr>().unwrap().as_str(), "13585628", "{s:?}");
    }
}

#[test]
fn id_cvr_03_test_organisations_only_through_the_named_constructor() {
    let test_org = Cvr::parse_test_organisation("91026150").unwrap();
    assert!(!test_org.satisfies_mod11());
    assert_eq!(
        Cvr::parse_test_organisation("0102615").unwrap_err().rule(),
        rules::CVR_FORMAT
    );
    // Serde keeps the distinction and validates on the way in.
    let json = serde_json::to_string(&test_org).unwrap();
    assert_eq!(json, "\"test:91026150\"");
    assert_eq!(serde_json::from_str::<Cvr>(&json).unwrap(), test_org);
    assert!(serde_json::from_str::<Cvr>("\"91026150\"").is_err());
    let real: Cvr = "33257872".parse().unwrap();
    assert_eq!(serde_json::to_string(&real).unwrap(), "\"33257872\"");
}

#[test]
fn id_pnr_01_ten_digits_checksum_not_checked() {
    assert_eq!(
        "1003388394".parse::<PNumber>().unwrap().as_str(),
        "1003388394"
    );
    assert!("1003388395".parse::<PNumber>().is_ok());
    for s in ["100338839", "10033883941", "100338839x"] {
        assert_eq!(
            s.parse::<PNumber>().unwrap_err().rule(),
            rules::PNUMBER_FORMAT
        );
    }
}

#[test]
fn id_shak_01_levels_and_prefix_hierarchy() {
    let hospital: ShakCode = "1301".parse().unwrap();
    let department: ShakCode = "130101".parse().unwrap();
    let section: ShakCode = "1301011".parse().unwrap();
    assert_eq!(hospital.level(), ShakLevel::Hospital);
    assert_eq!(department.level(), ShakLevel::Department);
    assert_eq!(section.level(), ShakLevel::Section);
    assert_eq!(section.parent(), Some(department));
    assert_eq!(department.parent(), Some(hospital));
    assert_eq!(hospital.parent(), None);
    assert!(
        hospital.contains(&section) && department.contains(&section) && section.contains(&section)
    );
    let other: ShakCode = "1302011".parse().unwrap();
    assert!(!department.contains(&other));
    assert!(!section.contains(&department));
    for s in ["13010", "130", "13010a", "1301-01", ""] {
        assert_eq!(
            s.parse::<ShakCode>().unwrap_err().rule(),
            rules::SHAK_FORMAT,
            "{s:?}"
        );
    }
    assert_eq!("6620ZZ1".parse::<ShakCode>().unwrap().as_str(), "6620ZZ1");
}

#[test]
fn id_shak_02_regional_characters_only_stripped_on_request() {
    assert_eq!(
        "130101123".parse::<ShakCode>().unwrap_err().rule(),
        rules::SHAK_REGIONAL
    );
    assert_eq!(
        ShakCode::parse_dropping_regional("130101123")
            .unwrap()
            .as_str(),
        "1301011"
    );
    assert_eq!(
        ShakCode::parse_dropping_regional("13010112")
            .unwrap()
            .as_str(),
        "1301011"
    );
    assert_eq!(ShakCode::from_sks("A130101").unwrap().as_str(), "130101");
    assert!(ShakCode::from_sks("130101").is_err());
}

#[test]
fn id_sor_01_at_least_eleven_digits() {
    for s in [
        "953741000016009",
        "1395371000016000",
        "672261000016008",
        "672271000016003",
    ] {
        let sor: SorId = s.parse().unwrap();
        assert_eq!(sor.to_string(), s);
    }
    for s in ["1234567890", "95374100001600x", "1234567890123456789"] {
        assert_eq!(
            s.parse::<SorId>().unwrap_err().rule(),
            rules::SOR_FORMAT,
            "{s}"
        );
    }
}

#[test]
fn id_sor_02_structure_is_reported_never_refused() {
    for s in [
        "953741000016009",
        "1395371000016000",
        "672261000016008",
        "672271000016003",
    ] {
        let st = s.parse::<SorId>().unwrap().structure();
        assert!(
            st.namespace_ok && st.partition_ok && st.verhoeff_ok,
            "{s}: {st:?}"
        );
    }
    let made_up: SorId = "123456789012345".parse().unwrap();
    assert!(!made_up.structure().verhoeff_ok);
    let truncated: SorId = "95374100001600".parse().unwrap();
    assert!(!truncated.structure().verhoeff_ok);
}

#[test]
fn id_oces2_01_holder_numbers() {
    let n: Oces2Number = "RID:42634739".parse().unwrap();
    assert_eq!((n.kind(), n.digits()), (Oces2NumberKind::Rid, "42634739"));
    assert_eq!(n.to_string(), "RID:42634739");
    for s in ["RID:", "RID42634739", "XID:1", "RID:12a", "rid:1"] {
        assert_eq!(
            s.parse::<Oces2Number>().unwrap_err().rule(),
            rules::OCES2_NUMBER,
            "{s}"
        );
    }
}

#[test]
fn id_oces2_02_subject_serial_numbers() {
    let s: Oces2Serial = "CVR:46837428-RID:56771668".parse().unwrap();
    assert_eq!(s.cvr().as_str(), "46837428");
    assert_eq!(s.number().kind(), Oces2NumberKind::Rid);
    assert_eq!(s.to_string(), "CVR:46837428-RID:56771668");
    let f: Oces2Serial = "CVR:30808460-FID:94731315".parse().unwrap();
    assert_eq!(f.number().kind(), Oces2NumberKind::Fid);
    for bad in [
        "CVR:30808460RID:1",
        "30808460-RID:1",
        "CVR:30808460-PID:1",
        "CVR:30808460-",
    ] {
        assert_eq!(
            bad.parse::<Oces2Serial>().unwrap_err().rule(),
            rules::OCES2_SERIAL,
            "{bad}"
        );
    }
    assert_eq!(
        "CVR:0808460-RID:1"
            .parse::<Oces2Serial>()
            .unwrap_err()
            .rule(),
        rules::CVR_FORMAT
    );
}

#[test]
fn id_oces3_01_uuids_compare_without_case() {
    let a: Oces3Uuid = "UI:DK-O:G:bf204036-6f12-4d62-bcc7-5930618355c6"
        .parse()
        .unwrap();
    let b: Oces3Uuid = "UI:DK-O:G:BF204036-6F12-4D62-BCC7-5930618355C6"
        .parse()
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.kind(), Oces3Kind::Organisation);
    assert_eq!(
        b.to_string(),
        "UI:DK-O:G:bf204036-6f12-4d62-bcc7-5930618355c6"
    );
    // `C` occurs on a real MitID Erhverv test employee certificate; it is a different id.
    let c: Oces3Uuid = "UI:DK-E:C:87303e4b-22db-47d6-8425-f8840fd79671"
        .parse()
        .unwrap();
    assert_eq!(c.namespace(), sundhed_identity::Oces3Namespace::C);
    assert_eq!(
        c.to_string(),
        "UI:DK-E:C:87303e4b-22db-47d6-8425-f8840fd79671"
    );
    let g: Oces3Uuid = "UI:DK-E:G:87303e4b-22db-47d6-8425-f8840fd79671"
        .parse()
        .unwrap();
    assert_ne!(c, g);
    for s in [
        "UI:DK-X:G:bf204036-6f12-4d62-bcc7-5930618355c6",
        "UI:DK-E:X:bf204036-6f12-4d62-bcc7-5930618355c6",
        "UI:DK-E:G-bf204036-6f12-4d62-bcc7-5930618355c6",
        "UI:DK-O:G:bf204036-6f12-4d62-bcc7-5930618355c",
        "UI:DK-O:G:bf2040366f124d62bcc75930618355c6",
        "UI:DK-O:G:bf204036-6f12-4d62-bcc7-5930618355cg",
    ] {
        assert_eq!(
            s.parse::<Oces3Uuid>().unwrap_err().rule(),
            rules::OCES3_UUID,
            "{s}"
        );
    }
}

#[test]
fn id_oces3_02_organisation_identifier() {
    let id: OrganizationIdentifier = "NTRDK-19552101".parse().unwrap();
    assert!(id.cvr_satisfies_mod11());
    let test: OrganizationIdentifier = "NTRDK-91026150".parse().unwrap();
    assert!(!test.cvr_satisfies_mod11());
    assert_eq!(
        "NTRSE-19552101"
            .parse::<OrganizationIdentifier>()
            .unwrap_err()
            .rule(),
        rules::OCES3_ORG_ID
    );
}

#[test]
fn certificate_holder_ids_parse_either_generation_and_round_trip() {
    for s in [
        "CVR:30808460-RID:42634739",
        "CVR:19552101-UI:DK-E:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61",
    ] {
        let id: CertificateHolderId = s.parse().unwrap();
        assert_eq!(id.to_string(), s);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{s}\""));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(
            serde_json::from_str::<CertificateHolderId>(&json).unwrap(),
            id
        );
    }
}

#[test]
fn id_holder_01_a_holder_carries_its_organisation() {
    // One RID in two companies names two people (the subject's serialNumber is
    // `CVR:<cvr>-RID:<n>`); one OCES3 UUID under two organisations likewise.
    let a: CertificateHolderId = "CVR:30808460-RID:1234".parse().unwrap();
    let b: CertificateHolderId = "CVR:46837428-RID:1234".parse().unwrap();
    assert_ne!(a, b);
    assert_eq!(a.cvr().as_str(), "30808460");
    assert_eq!(b.cvr().as_str(), "46837428");
    let uuid = "UI:DK-E:G:dc7f4a98-d4f9-4d77-84f9-ae83c4e0bf61";
    let c: CertificateHolderId = format!("CVR:19552101-{uuid}").parse().unwrap();
    let d: CertificateHolderId = format!("CVR:30808460-{uuid}").parse().unwrap();
    assert_ne!(c, d);
    assert_eq!(
        c,
        CertificateHolderId::Oces3(Oces3Holder::new(
            "19552101".parse().unwrap(),
            uuid.parse().unwrap()
        ))
    );
    // Bare numbers and UUIDs, and JSON of the old shape, identify no one.
    for bare in [
        "RID:1234",
        uuid,
        "30808460-RID:1234",
        "CVR:30808460RID:1234",
    ] {
        let err = bare.parse::<CertificateHolderId>().unwrap_err();
        assert_eq!(err.rule(), rules::HOLDER_WITH_CVR, "{bare}: {err}");
        assert!(err.to_string().contains("ID-HOLDER-01"), "{err}");
    }
    for old in [r#"{"Oces2":"RID:1234"}"#, r#""RID:1234""#] {
        assert!(
            serde_json::from_str::<CertificateHolderId>(old).is_err(),
            "{old}"
        );
    }
    // A personal OCES2 number names no organisation and is no holder here.
    assert_eq!(
        "CVR:30808460-PID:1234"
            .parse::<CertificateHolderId>()
            .unwrap_err()
            .rule(),
        rules::OCES2_SERIAL
    );
    assert!(Oces2Serial::new("30808460".parse().unwrap(), "PID:1".parse().unwrap()).is_err());
}
