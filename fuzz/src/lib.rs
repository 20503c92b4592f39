//! Shared checks for the sundhed fuzz targets (`fuzz_targets/*.rs`).
//!
//! Every target asserts invariants with `assert!`: a failed invariant is a crash that
//! libFuzzer saves under `fuzz/artifacts/<target>/`.

use std::error::Error;
use std::fmt::Write as _;

use sundhed_identity::RuleId;

/// Asserts that an error names its rule id in its message, as every sundhed error must.
///
/// # Panics
/// When the message lacks the id: the fuzzer records that as a crash.
pub fn assert_names_rule(err: &dyn Error, rule: RuleId) {
    let message = err.to_string();
    assert!(
        message.contains(rule.as_str()),
        "the error message `{message}` does not name its rule {rule}"
    );
}

/// The error, its sources, and its `Debug` form, as one text (for leak checks).
pub fn error_chain_text(err: &dyn Error) -> String {
    let mut out = format!("{err} / {err:?}");
    let mut source = err.source();
    while let Some(e) = source {
        let _ = write!(out, " / {e} / {e:?}");
        source = e.source();
    }
    out
}

/// Whether a ten-character personal number's serial (its last four characters) shows in `text`
/// anywhere except as part of the six date digits it starts with.
///
/// Built so that a serial equal to part of the date does not count: the text is searched
/// with the masked form removed first.
pub fn shows_serial(text: &str, number: &str) -> bool {
    let (Some(date), Some(serial)) = (number.get(..6), number.get(6..)) else {
        return false;
    };
    let masked = format!("{date}-xxxx");
    let without_masked = text.replace(&masked, "#");
    without_masked.contains(serial) && !date.contains(serial)
}

/// Bytes as text when they are UTF-8.
#[must_use]
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Splits concatenated DER elements (each `tag, length, contents`) into their encodings.
///
/// Stops at the first malformed header; whatever is left then becomes the last piece, so
/// every byte of the input reaches a parser.
#[must_use]
pub fn split_der(mut data: &[u8]) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    while !data.is_empty() {
        let Some(len) = der_element_len(data) else {
            pieces.push(data);
            break;
        };
        let (piece, rest) = data.split_at(len.min(data.len()));
        pieces.push(piece);
        data = rest;
    }
    pieces
}

/// The whole length (header included) of the DER element at the start of `data`.
fn der_element_len(data: &[u8]) -> Option<usize> {
    let first = usize::from(*data.get(1)?);
    if first < 0x80 {
        return Some(2 + first);
    }
    let count = first - 0x80;
    if count == 0 || count > 4 {
        return None;
    }
    let bytes = data.get(2..2 + count)?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    Some(2 + count + len)
}
