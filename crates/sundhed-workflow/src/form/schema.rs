//! The signed bytes of a form: one JSON document (RFC 8259) that names its schema and version
//! and holds the form, `{"schema":"sundhed.seb.form","version":1,"form":{…}}`.
//!
//! A signing client writes the document the way its own JSON library does (member order and
//! whitespace are free) and signs those bytes; the host keeps them exactly as signed, verifies
//! the signature over them and reads the form out of them. Nothing here writes a received
//! form again, so no client has to reproduce our encoder and a later change to the Rust types
//! never makes a form signed before unverifiable: it only needs a parser for its version.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sundhed_identity::{Violation, shown, shown_within};

use super::FORM_SCHEMA;

/// How much of a JSON parser's message a refusal shows (it may quote the bytes).
pub(crate) const SHOWN_PARSER_MESSAGE: usize = 160;

/// A form schema: the name and version its signed bytes carry, and its JSON shape (the
/// `serde` derive of the type).
///
/// A type's shape is one version: renaming or adding a field (even an `Option`) is a new
/// version, parsed beside the old one, so bytes signed under the old version still parse as
/// they were signed. This host reads exactly [`VERSION`](Self::VERSION) of each schema.
///
/// # Example
/// ```
/// use serde::{Deserialize, Serialize};
/// use sundhed_workflow::{FormSchema, form_bytes};
///
/// #[derive(Serialize, Deserialize)]
/// struct Note {
///     text: String,
/// }
///
/// impl FormSchema for Note {
///     const SCHEMA: &'static str = "example.note";
///     const VERSION: u16 = 1;
/// }
///
/// let bytes = form_bytes(&Note { text: "hej".into() })?;
/// assert_eq!(bytes, br#"{"schema":"example.note","version":1,"form":{"text":"hej"}}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait FormSchema: Serialize + DeserializeOwned {
    /// The schema's name, as the signed bytes carry it (`"sundhed.seb.form"`).
    const SCHEMA: &'static str;
    /// The schema's version, as the signed bytes carry it.
    const VERSION: u16;
}

/// The document as [`form_bytes`] writes it.
#[derive(Serialize)]
struct Written<'a, F> {
    schema: &'static str,
    version: u16,
    form: &'a F,
}

/// The document as it is read: schema and version first, the form kept as its raw text until
/// they are known.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<'a> {
    schema: String,
    version: u64,
    #[serde(borrow)]
    form: &'a RawValue,
}

/// The bytes a client signs for `form`: the document naming `F`'s schema and version, compact,
/// members in the order `schema`, `version`, `form`. Any other JSON writing of the same
/// document is signed and read just as well; this one is what the testkit signs.
///
/// # Errors
/// `WF-FORM-07` when the form cannot be written as JSON (a map with non-string keys, a value
/// whose `Serialize` fails).
///
/// # Example
/// ```
/// use sundhed_workflow::{SeiEnrolment, form_bytes};
///
/// let enrolment = SeiEnrolment {
///     notification: sundhed_workflow::Digest::of(b"the notification's signed bytes"),
///     cvr: "29190623".parse()?,
///     person: "0707614285".parse()?,
///     forms: vec!["SEI-TVANG-PSYK".into()],
/// };
/// let bytes = String::from_utf8(form_bytes(&enrolment)?)?;
/// assert!(bytes.starts_with(r#"{"schema":"sundhed.sei.enrolment","version":1,"form":{"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn form_bytes<F: FormSchema>(form: &F) -> Result<Vec<u8>, crate::Refusal> {
    let written = Written {
        schema: F::SCHEMA,
        version: F::VERSION,
        form,
    };
    serde_json::to_vec(&written).map_err(|e| {
        Violation::new(
            FORM_SCHEMA,
            format!(
                "the form cannot be written as signed bytes: {}",
                shown_within(&e.to_string(), SHOWN_PARSER_MESSAGE)
            ),
        )
        .into()
    })
}

/// `WF-FORM-07`: the signed bytes are one JSON document (RFC 8259) with exactly the members
/// `schema`, `version` and `form`, naming `F`'s schema and the version this host reads, whose
/// `form` parses as `F` (no member twice, no trailing bytes). Anything else — malformed JSON,
/// another schema, an unknown version, a form of another shape — is refused, never read as
/// something near it.
pub(crate) fn check_form_schema<F: FormSchema>(bytes: &[u8]) -> Result<F, Violation> {
    let parser = |e: serde_json::Error| shown_within(&e.to_string(), SHOWN_PARSER_MESSAGE);
    let document: Document<'_> = serde_json::from_slice(bytes).map_err(|e| {
        Violation::new(
            FORM_SCHEMA,
            format!(
                "the signed bytes are not a json form document with `schema`, `version` and `form`: {}",
                parser(e)
            ),
        )
    })?;
    if document.schema != F::SCHEMA {
        return Err(Violation::new(
            FORM_SCHEMA,
            format!(
                "the signed bytes hold a `{}` form where a `{}` form was expected",
                shown(&document.schema),
                F::SCHEMA
            ),
        ));
    }
    if document.version != u64::from(F::VERSION) {
        return Err(Violation::new(
            FORM_SCHEMA,
            format!(
                "the signed bytes hold version {} of `{}`, which this host does not read (it reads version {})",
                document.version,
                F::SCHEMA,
                F::VERSION
            ),
        ));
    }
    serde_json::from_str(document.form.get()).map_err(|e| {
        Violation::new(
            FORM_SCHEMA,
            format!(
                "the signed bytes do not hold a `{}` version {} form: {}",
                F::SCHEMA,
                F::VERSION,
                parser(e)
            ),
        )
    })
}
