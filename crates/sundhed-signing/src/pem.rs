//! Finding the PEM blocks of one label in a text (RFC 7468); base64 decoding is der's.

/// Whether `input` starts (after whitespace or other text lines) with a PEM block.
pub(crate) fn looks_like_pem(input: &[u8]) -> bool {
    input
        .windows(b"-----BEGIN ".len())
        .any(|window| window == b"-----BEGIN ")
}

/// The DER contents of every `label` block in `text`, in order; other blocks and text around
/// the blocks (such as PKCS#12 "Bag Attributes" lines) are skipped.
pub(crate) fn blocks(text: &[u8], label: &str) -> Result<Vec<Vec<u8>>, String> {
    let text = core::str::from_utf8(text).map_err(|_| "is not UTF-8".to_owned())?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after_start = rest.get(start..).unwrap_or_default();
        let Some(end_at) = after_start.find(&end) else {
            return Err(format!("has a `{label}` block without its END line"));
        };
        let block_len = end_at + end.len();
        let block = after_start.get(..block_len).unwrap_or_default();
        let (_, der) = der::pem::decode_vec(block.as_bytes())
            .map_err(|e| format!("has a `{label}` block that does not decode: {e}"))?;
        out.push(der);
        rest = after_start.get(block_len..).unwrap_or_default();
    }
    if out.is_empty() {
        return Err(format!("has no `{label}` block"));
    }
    Ok(out)
}
