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
