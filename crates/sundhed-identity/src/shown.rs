//! How an error repeats what it was given.

/// How many characters of an input an error repeats.
const MAX_CHARS: usize = 64;

/// `input` as an error message may repeat it (in backticks): at most 64 characters, control
/// characters escaped so a message stays on one line, and every run of ten or more digits —
/// a CPR number typed into the wrong field, also as `DDMMYY-SSSS` or `DDMMYY SSSS` — masked
/// after its sixth digit, as `ID-CPR-06` requires of every output.
///
/// This is the one helper every sundhed crate uses to repeat user input in a message.
///
/// # Example
/// ```
/// use sundhed_identity::shown;
///
/// assert_eq!(shown("Afd. 0707614285"), "Afd. 070761xxxx");
/// assert_eq!(shown("two\nlines"), "two\\nlines");
/// ```
#[must_use]
pub fn shown(input: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let mut run_digits = 0usize;
    let mut taken = 0usize;
    // A little past the limit, so a run cut by the limit is still seen whole.
    for c in input.chars().take(MAX_CHARS + 12) {
        taken += 1;
        if c.is_ascii_digit() {
            run.push(c);
            run_digits += 1;
        } else if (c == '-' || c == ' ') && run_digits == 6 && run.len() == 6 {
            run.push(c);
        } else {
            flush(&mut run, run_digits, &mut out);
            run_digits = 0;
            out.extend(c.escape_debug());
        }
    }
    flush(&mut run, run_digits, &mut out);
    let truncated = taken > MAX_CHARS || input.chars().nth(MAX_CHARS + 12).is_some();
    if truncated {
        let mut cut: String = out.chars().take(MAX_CHARS).collect();
        cut.push('…');
        cut
    } else {
        out
    }
}

fn flush(run: &mut String, digits: usize, out: &mut String) {
    let mut seen = 0usize;
    for c in run.chars() {
        if c.is_ascii_digit() {
            seen += 1;
            out.push(if digits >= 10 && seen > 6 { 'x' } else { c });
        } else {
            out.push(c);
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn id_cpr_06_digit_runs_of_ten_are_masked_after_the_sixth() {
        assert_eq!(shown("0707614285"), "070761xxxx");
        assert_eq!(shown("DK 070761-4285"), "DK 070761-xxxx");
        assert_eq!(shown("RID:070761 4285"), "RID:070761 xxxx");
        assert_eq!(shown("13585627"), "13585627");
        assert_eq!(shown("123-4567890"), "123-4567890");
    }

    #[test]
    fn long_and_multi_line_input_is_cut_and_escaped() {
        let s = shown(&format!("a\nb{}", "c".repeat(1000)));
        assert!(s.starts_with("a\\nb"));
        assert!(s.chars().count() <= 65 && s.ends_with('…'));
        assert_eq!(shown("short"), "short");
    }
}
