//! Distinguished-name comparison for name chaining (RFC 5280 §7.1).

use der::{Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RelativeDistinguishedName};

/// Whether two names are the same name in the sense of RFC 5280 §7.1: the same RDNs in the
/// same order, each with the same set of attributes; string values compare after trimming,
/// collapsing inner white space and case folding (a simplified RFC 4518 preparation), other
/// values compare by their DER encoding.
///
/// <https://www.rfc-editor.org/rfc/rfc5280#section-7.1>
pub(crate) fn names_match(a: &Name, b: &Name) -> bool {
    if a == b {
        return true;
    }
    a.len() == b.len()
        && a.iter_rdn()
            .zip(b.iter_rdn())
            .all(|(x, y)| rdns_match(x, y))
}

fn rdns_match(a: &RelativeDistinguishedName, b: &RelativeDistinguishedName) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| b.iter().any(|y| attributes_match(x, y)))
        && b.iter().all(|y| a.iter().any(|x| attributes_match(x, y)))
}

fn attributes_match(a: &AttributeTypeAndValue, b: &AttributeTypeAndValue) -> bool {
    if a.oid != b.oid {
        return false;
    }
    if a.value == b.value {
        return true;
    }
    match (prepared(a), prepared(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.value == b.value,
    }
}

/// The prepared form of a directory-string value, or `None` for other value types.
pub(crate) fn prepared(atv: &AttributeTypeAndValue) -> Option<String> {
    let text = directory_string(atv)?;
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(folded.to_lowercase())
}

/// The text of a PrintableString, UTF8String or IA5String value (the DirectoryString choices
/// that OCES and PKITS use); other encodings are compared as bytes.
pub(crate) fn directory_string(atv: &AttributeTypeAndValue) -> Option<&str> {
    match atv.value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String => {
            core::str::from_utf8(atv.value.value()).ok()
        }
        _ => None,
    }
}

/// A name as an RFC 4514 string (last RDN first), with short names for the attributes OCES
/// and PKITS use (`organizationIdentifier` included, which x509-cert prints as an OID) and
/// `#<hex>` for values that are not strings.
///
/// <https://www.rfc-editor.org/rfc/rfc4514#section-2>
pub(crate) fn rfc4514(name: &Name) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| format!("{}={}", attribute_name(atv), attribute_value(atv)))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn attribute_name(atv: &AttributeTypeAndValue) -> String {
    let short = match atv.oid.to_string().as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.42" => "GN",
        "2.5.4.97" => "organizationIdentifier",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "emailAddress",
        other => return other.to_owned(),
    };
    short.to_owned()
}

fn attribute_value(atv: &AttributeTypeAndValue) -> String {
    let Some(text) = directory_string(atv) else {
        return format!("#{}", base16ct::upper::encode_string(atv.value.value()));
    };
    let mut out = String::with_capacity(text.len());
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn name(s: &str) -> Name {
        Name::from_str(s).unwrap()
    }

    #[test]
    fn case_and_inner_white_space_do_not_matter() {
        assert!(names_match(
            &name("CN=Test  CA,O=Org,C=DK"),
            &name("CN=test ca,O=ORG,C=DK")
        ));
        assert!(!names_match(
            &name("CN=Test CA,O=Org,C=DK"),
            &name("CN=Test CB,O=Org,C=DK")
        ));
        // Order of RDNs matters.
        assert!(!names_match(&name("CN=A,O=B"), &name("O=B,CN=A")));
        // Members of a multi-valued RDN are a set.
        assert!(names_match(
            &name("CN=A+serialNumber=1,C=DK"),
            &name("serialNumber=1+CN=A,C=DK")
        ));
    }

    #[test]
    fn rfc4514_escapes_special_characters() {
        let n = name("CN=A\\, B,O=x");
        assert_eq!(rfc4514(&n), "CN=A\\, B,O=x");
    }
}
