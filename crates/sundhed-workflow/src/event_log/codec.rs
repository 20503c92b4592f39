//! The record format and the rules every reader checks.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sundhed_identity::{RuleId, shown};

use super::{Digest, Head, LogError, Record};

/// `WF-LOG-01`
pub const RECORD_FORM: RuleId = RuleId::new("WF-LOG-01");
/// `WF-LOG-02`
pub const SEQUENCE: RuleId = RuleId::new("WF-LOG-02");
/// `WF-LOG-03`
pub const HASH: RuleId = RuleId::new("WF-LOG-03");
/// `WF-LOG-04`
pub const CHAIN: RuleId = RuleId::new("WF-LOG-04");
/// `WF-LOG-05`
pub const TAIL: RuleId = RuleId::new("WF-LOG-05");
/// `WF-LOG-06`
pub const HEAD: RuleId = RuleId::new("WF-LOG-06");
/// `WF-LOG-07`
pub const SYNCED: RuleId = RuleId::new("WF-LOG-07");
/// `WF-LOG-08`
pub const IN_TIME: RuleId = RuleId::new("WF-LOG-08");
/// `WF-LOG-09`
pub const EXCLUSIVE: RuleId = RuleId::new("WF-LOG-09");
/// `WF-LOG-10`
pub const FAILED: RuleId = RuleId::new("WF-LOG-10");
/// `WF-LOG-11`
pub const SAME_FILE: RuleId = RuleId::new("WF-LOG-11");

/// One line as written, with the event's bytes kept exactly as they are.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLine<'a> {
    seq: u64,
    prev: Digest,
    hash: Digest,
    last: bool,
    #[serde(borrow)]
    event: &'a RawValue,
}

impl RawLine<'_> {
    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }
    pub(crate) fn hash(&self) -> Digest {
        self.hash
    }
}

/// The hash of a record: SHA-256 of `"<seq>\n<prev hex>\n<last>\n<event bytes>"`.
fn record_hash(seq: u64, prev: Digest, last: bool, event: &str) -> Digest {
    Digest::of(format!("{seq}\n{prev}\n{last}\n{event}").as_bytes())
}

/// Encodes `event` as record `seq` after `prev` (`last`: the final record of its append): the
/// line (without its newline) and its hash.
pub(crate) fn encode_line<E: Serialize>(
    seq: u64,
    prev: Digest,
    last: bool,
    event: &E,
) -> Result<(String, Digest), LogError> {
    let body = serde_json::to_string(event).map_err(|e| LogError::Malformed {
        line: seq,
        reason: format!("the event cannot be written: {}", shown(&e.to_string())),
    })?;
    let hash = record_hash(seq, prev, last, &body);
    Ok((
        format!(r#"{{"seq":{seq},"prev":"{prev}","hash":"{hash}","last":{last},"event":{body}}}"#),
        hash,
    ))
}

/// Encodes one append: every event, the final one marked `last`. Returns the lines and the
/// new head.
pub(crate) fn encode_append<E: Serialize>(
    head: Head,
    events: &[E],
) -> Result<(Vec<String>, Head), LogError> {
    let mut head = head;
    let mut lines = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        let seq = head.len.saturating_add(1);
        let (line, hash) = encode_line(seq, head.hash, i + 1 == events.len(), event)?;
        lines.push(line);
        head = Head { len: seq, hash };
    }
    Ok((lines, head))
}

/// `WF-LOG-01`: every line is one JSON object with exactly `seq`, `prev`, `hash` (64 hex
/// digits each), `last` and `event`, and the event decodes into the log's event type.
pub(crate) fn check_record_form(line: u64, text: &str) -> Result<RawLine<'_>, LogError> {
    serde_json::from_str(text).map_err(|e| LogError::Malformed {
        line,
        reason: shown(&e.to_string()),
    })
}

fn decode_event<E: DeserializeOwned>(line: u64, raw: &RawLine<'_>) -> Result<E, LogError> {
    serde_json::from_str(raw.event.get()).map_err(|e| LogError::Malformed {
        line,
        reason: format!("the event does not decode: {}", shown(&e.to_string())),
    })
}

/// `WF-LOG-02`: sequence numbers run 1, 2, 3, … in file order, so a removed or reordered
/// record is found.
pub(crate) fn check_sequence(line: u64, expected: u64, found: u64) -> Result<(), LogError> {
    if expected == found {
        Ok(())
    } else {
        Err(LogError::Sequence {
            line,
            expected,
            found: shown(&found.to_string()),
        })
    }
}

/// `WF-LOG-03`: a record's `hash` is the SHA-256 of its sequence number, `prev` and event
/// bytes, so an edited record is found.
pub(crate) fn check_record_hash(raw: &RawLine<'_>) -> Result<(), LogError> {
    if record_hash(raw.seq, raw.prev, raw.last, raw.event.get()) == raw.hash {
        Ok(())
    } else {
        Err(LogError::Hash { seq: raw.seq })
    }
}

/// `WF-LOG-04`: a record's `prev` is the previous record's `hash` (zeros for the first), so
/// records cannot be removed, reordered or spliced in with recomputed hashes unnoticed.
pub(crate) fn check_chain(raw: &RawLine<'_>, previous: Digest) -> Result<(), LogError> {
    if raw.prev == previous {
        Ok(())
    } else {
        Err(LogError::Chain { seq: raw.seq })
    }
}

/// `WF-LOG-05`: the stored bytes end with a newline and the last record closes its append
/// (`"last":true`); otherwise the log ends in an incomplete append (a crash mid-write), and
/// opening reports where it starts and never drops it silently. A crash leaves whole records
/// before the torn append, and whole lines of it that continue the chain: so every record
/// up to the torn last line is verified first (form, sequence, hash, chain), and when one does
/// not verify the log was tampered with, which is reported by its rule (`WF-LOG-01`…`04`) and
/// never offered to `repair` (issue 14). Gives the last line (number, offset, text) of a
/// whole log.
pub(crate) fn check_tail(text: &str) -> Result<Option<(u64, u64, &str)>, LogError> {
    let mut lines = Vec::new();
    let mut offset = 0usize;
    for piece in text.split_inclusive('\n') {
        let complete = piece.ends_with('\n');
        lines.push((offset, piece.strip_suffix('\n').unwrap_or(piece), complete));
        offset = offset.saturating_add(piece.len());
    }
    let count = lines.len();
    let number = |i: usize| u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
    let closes = |i: usize, text: &str| check_record_form(number(i), text).ok().map(|r| r.last);
    let Some(&(last_offset, last_text, complete)) = lines.last() else {
        return Ok(None);
    };
    let (reason, whole) = if !complete {
        ("its last line does not end with a newline", last_offset)
    } else {
        match closes(count - 1, last_text) {
            Some(true) => {
                let offset = u64::try_from(last_offset).unwrap_or(u64::MAX);
                return Ok(Some((number(count - 1), offset, last_text)));
            }
            Some(false) => ("its last append was not completed", text.len()),
            None => ("its last line does not parse", last_offset),
        }
    };
    // Tampering is not a crash: every whole record before the torn line must verify.
    match scan::<serde::de::IgnoredAny>(text.get(..whole).unwrap_or("").lines(), u64::MAX) {
        Ok(_) | Err(LogError::TornTail { .. }) => {}
        Err(tampered) => return Err(tampered),
    }
    // Cut back to the end of the last record that closes an append.
    let keep = lines
        .iter()
        .enumerate()
        .take(count - 1)
        .rev()
        .find(|(i, (_, text, _))| closes(*i, text) == Some(true))
        .map_or(0, |(i, _)| i + 1);
    let offset = lines.get(keep).map_or(0, |l| l.0);
    Err(LogError::TornTail {
        line: number(keep),
        offset: u64::try_from(offset).unwrap_or(u64::MAX),
        reason: reason.into(),
    })
}

/// `WF-LOG-06`: a head saved earlier is still in the log (the record at its length has its
/// hash), so records cut off the end at a line boundary are found.
pub(crate) fn check_head(saved: &Head, found: Option<Head>) -> Result<(), LogError> {
    match found {
        Some(h) if h == *saved => Ok(()),
        Some(h) => Err(LogError::Head {
            saved: *saved,
            found: format!("record {} with hash {}", h.len, h.hash),
        }),
        None => Err(LogError::Head {
            saved: *saved,
            found: "fewer records".into(),
        }),
    }
}

/// Verifies every line (form, sequence, hash, chain) and decodes the events of records `from`
/// on. Returns the head and the decoded records.
pub(crate) fn scan<'a, E: DeserializeOwned>(
    lines: impl IntoIterator<Item = &'a str>,
    from: u64,
) -> Result<(Head, Vec<Record<E>>), LogError> {
    let mut head = Head::EMPTY;
    let mut out = Vec::new();
    let (mut closed, mut last_line) = (true, 0);
    for (i, text) in lines.into_iter().enumerate() {
        let line = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
        let raw = check_record_form(line, text)?;
        check_sequence(line, head.len.saturating_add(1), raw.seq)?;
        check_record_hash(&raw)?;
        check_chain(&raw, head.hash)?;
        if raw.seq >= from {
            let event = decode_event(line, &raw)?;
            out.push(Record::new(raw.seq, raw.prev, raw.hash, event));
        }
        head = Head {
            len: raw.seq,
            hash: raw.hash,
        };
        closed = raw.last;
        last_line = line;
    }
    if !closed {
        return Err(LogError::TornTail {
            line: last_line,
            offset: 0,
            reason: "its last append was not completed".into(),
        });
    }
    Ok((head, out))
}
