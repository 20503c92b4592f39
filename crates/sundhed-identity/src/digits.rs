//! Small byte-level helpers shared by the number parsers.

/// The value of an ASCII digit, or `None`.
pub(crate) const fn digit(b: u8) -> Option<u8> {
    if b.is_ascii_digit() {
        Some(b - b'0')
    } else {
        None
    }
}

/// Two ASCII digits as a number.
pub(crate) const fn two(a: u8, b: u8) -> Option<u8> {
    match (digit(a), digit(b)) {
        (Some(x), Some(y)) => Some(x * 10 + y),
        _ => None,
    }
}

/// Whether every byte is an ASCII digit.
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// `Σ wᵢ·dᵢ mod 11` over ASCII digits; `None` when a byte is not a digit.
pub(crate) fn weighted_mod11(bytes: &[u8], weights: &[u32]) -> Option<u32> {
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(weights) {
        sum += u32::from(digit(*b)?) * w;
    }
    Some(sum % 11)
}

/// The bytes as text; the callers only pass ASCII they have checked.
pub(crate) fn ascii(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).unwrap_or_default()
}
