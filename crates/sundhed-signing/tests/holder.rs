//! Who a certificate says its holder is: a subject that names its holder twice names no one
//! (issue 12: the first of two serialNumbers or organizationIdentifiers used to win).

use sundhed_signing::{rules, verify};

use crate::support::{Spec, chain, now, policy};

fn holder_of(subject: &str) -> Result<String, sundhed_signing::HolderError> {
    let (anchors, intermediates, _) = chain();
    let leaf = Spec {
        subject: subject.into(),
        ..Spec::leaf()
    }
    .build();
    let chain = verify(&anchors, &policy(), &leaf, &intermediates, &[], now()).unwrap();
    chain.holder().map(|h| h.id().to_string())
}

#[test]
fn sig_holder_01_a_subject_naming_its_holder_twice_is_refused() {
    // One of each: the holder is read.
    let one =
        "CN=Test Person+serialNumber=CVR:30808460-RID:12345678,O=Test Org // CVR:30808460,C=DK";
    assert_eq!(holder_of(one).unwrap(), "CVR:30808460-RID:12345678");
    for twice in [
        // Two OCES2 serialNumbers: which employee is it?
        "CN=Test Person+serialNumber=CVR:30808460-RID:12345678+serialNumber=CVR:30808460-RID:87654321,O=Test Org // CVR:30808460,C=DK",
        // The second in another RDN.
        "CN=Test Person+serialNumber=CVR:30808460-RID:12345678,serialNumber=CVR:30808460-RID:87654321,O=Test Org // CVR:30808460,C=DK",
        // Two OCES3 organizationIdentifiers: which organisation?
        "CN=Test Org,serialNumber=UI:DK-O:G:3c6a3e31-5b3a-4a8e-9b0c-0f2ec0ac1a11,2.5.4.97=NTRDK-30808460,2.5.4.97=NTRDK-19552101,O=Test Org,C=DK",
        // Two common names.
        "CN=Test Person,CN=Other Person+serialNumber=CVR:30808460-RID:12345678,O=Test Org // CVR:30808460,C=DK",
    ] {
        let err = holder_of(twice).unwrap_err();
        assert_eq!(err.rule(), rules::HOLDER_GRAMMAR, "{err}");
        assert!(err.to_string().contains("more than once"), "{err}");
    }
}
