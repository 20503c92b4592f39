//! How an error repeats what it was given.

/// How many characters of an input an error repeats.
const MAX_CHARS: usize = 64;

/// How far past its limit the input is read, so a digit cluster cut by the limit is still
/// seen whole (and masked as a whole).
const LOOK_AHEAD: usize = 32;

/// `input` as an error message may repeat it (in backticks): at most 64 characters, control
/// characters escaped so a message stays on one line, and every digit cluster holding ten or
/// more digits masked after its sixth digit, as `ID-CPR-06` requires of every output.
///
/// A digit cluster is a run of digits (any numeric character, so also Arabic-Indic or
/// full-width digits) in groups separated by anything but letters — hyphens, spaces, dashes,
/// slashes, dots, tabs, line breaks, however many. So a CPR number typed into the wrong field
/// is masked however it was written (`0707614285`, `070761-4285`, `070761 – 4285`,
/// `0707.61.4285`), also inside a longer run of digits: every digit of a cluster past its
/// sixth is masked, so the serial of any CPR number in it is. Input that mixes many numbers
/// without letters between them is masked more than needed; that is the safe side.
///
/// This is the one helper every sundhed crate uses to repeat user input in a message.
///
/// # Example
/// ```
/// use sundhed_identity::shown;
///
/// assert_eq!(shown("Afd. 0707614285"), "Afd. 070761xxxx");
/// assert_eq!(shown("SHAK 130101 070761-4285"), "SHAK 130101 xxxxxx-xxxx");
/// assert_eq!(shown("two\nlines"), "two\\nlines");
/// ```
#[must_use]
pub fn shown(input: &str) -> String {
    shown_within(input, MAX_CHARS)
}

/// [`shown`] with another limit than 64 characters, for input that is long by nature but
/// still not to be trusted, such as a certificate's subject.
///
/// # Example
/// ```
/// use sundhed_identity::shown_within;
///
/// let subject = "CN=Karl Hansen 070761-4285,O=Region Hovedstaden // CVR:29190623,C=DK";
/// assert_eq!(
///     shown_within(subject, 256),
///     "CN=Karl Hansen 070761-xxxx,O=Region Hovedstaden // CVR:29190623,C=DK"
/// );
/// ```
#[must_use]
pub fn shown_within(input: &str, max_chars: usize) -> String {
    let chars: Vec<char> = input
        .chars()
        .take(max_chars.saturating_add(LOOK_AHEAD))
        .collect();
    let masked = masked_positions(&chars);
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if masked.get(i).copied().unwrap_or(false) {
            out.push('x');
        } else {
            out.extend(c.escape_debug());
        }
    }
    let truncated = chars.len() > max_chars || input.chars().nth(chars.len()).is_some();
    if truncated {
        let mut cut: String = out.chars().take(max_chars).collect();
        cut.push('…');
        cut
    } else {
        out
    }
}

fn is_digit(c: char) -> bool {
    c.is_numeric()
}

fn is_separator(c: char) -> bool {
    !c.is_alphanumeric()
}

/// For each char, whether it is a digit past the sixth of a cluster of ten or more digits.
fn masked_positions(chars: &[char]) -> Vec<bool> {
    let mut masked = vec![false; chars.len()];
    let at = |i: usize| chars.get(i).copied();
    let mut i = 0;
    while i < chars.len() {
        if !at(i).is_some_and(is_digit) {
            i += 1;
            continue;
        }
        let mut digits = Vec::new();
        let mut j = i;
        loop {
            while at(j).is_some_and(is_digit) {
                digits.push(j);
                j += 1;
            }
            let mut k = j;
            while at(k).is_some_and(is_separator) {
                k += 1;
            }
            if k > j && at(k).is_some_and(is_digit) {
                j = k;
            } else {
                break;
            }
        }
        if digits.len() >= 10 {
            for d in digits.iter().skip(6) {
                if let Some(m) = masked.get_mut(*d) {
                    *m = true;
                }
            }
        }
        i = j;
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::{shown, shown_within};

    #[test]
    fn id_cpr_06_digit_runs_of_ten_are_masked_after_the_sixth() {
        assert_eq!(shown("0707614285"), "070761xxxx");
        assert_eq!(shown("DK 070761-4285"), "DK 070761-xxxx");
        assert_eq!(shown("RID:070761 4285"), "RID:070761 xxxx");
        assert_eq!(shown("13585627"), "13585627");
        assert_eq!(shown("SHAK 130101 or 4201"), "SHAK 130101 or 4201");
        assert_eq!(shown_within("abc", usize::MAX), "abc");
    }

    /// Found by an attack through the public API: the serial of a CPR number shown when the
    /// number followed other digits, or was written with other separators.
    #[test]
    fn id_cpr_06_every_way_of_writing_a_cpr_is_masked() {
        for (input, want) in [
            ("SHAK 130101 070761-4285", "SHAK 130101 xxxxxx-xxxx"),
            ("123456 070761-4285", "123456 xxxxxx-xxxx"),
            ("12070761-4285", "120707xx-xxxx"),
            ("070761  4285", "070761  xxxx"),
            ("070761 - 4285", "070761 - xxxx"),
            ("070761--4285", "070761--xxxx"),
            ("070761 -- 4285", "070761 -- xxxx"),
            ("070761    4285", "070761    xxxx"),
            ("070761\r\n\r\n4285", "070761\\r\\n\\r\\nxxxx"),
            ("070761\u{2013}4285", "070761\u{2013}xxxx"),
            ("070761\u{2011}4285", "070761\u{2011}xxxx"),
            ("070761/4285", "070761/xxxx"),
            ("0707.61.4285", "0707.61.xxxx"),
            ("070761_4285", "070761_xxxx"),
            ("0707-61-4285", "0707-61-xxxx"),
            ("070761\t4285", "070761\\txxxx"),
            ("070761\u{a0}4285", "070761\\u{a0}xxxx"),
            ("123-4567890", "123-456xxxx"),
            (
                "\u{660}\u{667}\u{660}\u{667}\u{666}\u{661}4285",
                "\u{660}\u{667}\u{660}\u{667}\u{666}\u{661}xxxx",
            ),
        ] {
            assert_eq!(shown(input), want, "{input:?}");
        }
    }

    #[test]
    fn long_and_multi_line_input_is_cut_and_escaped() {
        let s = shown(&format!("a\nb{}", "c".repeat(1000)));
        assert!(s.starts_with("a\\nb"));
        assert!(s.chars().count() <= 65 && s.ends_with('…'));
        assert_eq!(shown("short"), "short");
    }
}
