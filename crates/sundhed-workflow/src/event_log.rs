//! The event log: an append-only, hash-chained sequence of events.
//!
//! Every record is one JSON line
//! `{"seq":N,"prev":"<hex>","hash":"<hex>","last":true,"event":{..}}`: `seq` counts from 1,
//! `prev` is the previous record's `hash` (64 zeros for the first), `last` marks the final
//! record of an append (the events of one command), and `hash` is the SHA-256 of
//! `"<seq>\n<prev>\n<last>\n<event bytes exactly as written>"`. Editing,
//! removing or reordering a record breaks a hash, a sequence number or the chain, and
//! [`EventLog::verify`] names the rule. Cutting records off the end at a line boundary leaves
//! a shorter valid log: only a [`Head`] saved elsewhere detects that
//! ([`EventLog::verify_against`]).

mod codec;
mod file;
mod memory;

use core::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sundhed_identity::RuleId;

pub use file::{FileEventLog, Repaired};
pub use memory::MemoryEventLog;

pub(crate) use codec::check_head;
pub use codec::{
    CHAIN, EXCLUSIVE, FAILED, HASH, HEAD, IN_TIME, RECORD_FORM, SAME_FILE, SEQUENCE, SYNCED, TAIL,
};

use crate::digest::Digest;

/// Where a log ends: how many records it holds and the hash of the last one.
///
/// A host that saves the head after each append (in another store, or signed) can later prove
/// that no record was cut off the end with [`EventLog::verify_against`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Head {
    /// The number of records (the last record's sequence number).
    pub len: u64,
    /// The last record's hash, or [`Digest::ZERO`] for an empty log.
    pub hash: Digest,
}

impl Head {
    /// The head of an empty log.
    pub const EMPTY: Self = Self {
        len: 0,
        hash: Digest::ZERO,
    };
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} records, head {}", self.len, self.hash)
    }
}

/// One verified record of a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<E> {
    seq: u64,
    prev: Digest,
    hash: Digest,
    event: E,
}

impl<E> Record<E> {
    pub(crate) fn new(seq: u64, prev: Digest, hash: Digest, event: E) -> Self {
        Self {
            seq,
            prev,
            hash,
            event,
        }
    }

    /// The sequence number, from 1.
    #[must_use]
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The previous record's hash.
    #[must_use]
    pub fn prev(&self) -> Digest {
        self.prev
    }

    /// This record's hash.
    #[must_use]
    pub fn hash(&self) -> Digest {
        self.hash
    }

    /// The event.
    #[must_use]
    pub fn event(&self) -> &E {
        &self.event
    }

    /// The event, taken out.
    #[must_use]
    pub fn into_event(self) -> E {
        self.event
    }
}

/// Why a log could not be read, verified or extended.
///
/// Every variant names its rule (`WF-LOG-*`), shown in the message and returned by
/// [`rule`](Self::rule).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// A line is not a well-formed record, or its event does not decode.
    #[error("line {line} is not a well-formed record: {reason} (WF-LOG-01)")]
    Malformed {
        /// The line number, from 1.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A record's sequence number is not the next one: a record was removed or reordered.
    #[error("line {line} holds record {found} where record {expected} belongs (WF-LOG-02)")]
    Sequence {
        /// The line number, from 1.
        line: u64,
        /// The sequence number expected.
        expected: u64,
        /// The sequence number found, as a message may repeat it (the record is damaged, so
        /// its number is anyone's text: ten digits or more are masked like a CPR number).
        found: String,
    },
    /// A record's hash does not match its content: it was edited.
    #[error("record {seq} does not match its hash: its content was changed (WF-LOG-03)")]
    Hash {
        /// The record.
        seq: u64,
    },
    /// A record does not name the previous record's hash: the chain is broken.
    #[error("record {seq} does not follow the record before it: the chain is broken (WF-LOG-04)")]
    Chain {
        /// The record.
        seq: u64,
    },
    /// The log ends in an incomplete append (a torn or unparsable last line, or records of an
    /// append whose final record is missing), as after a crash mid-append.
    #[error(
        "the log ends in an incomplete append from line {line} (byte {offset}): {reason}; \
         call `repair` to cut it off (WF-LOG-05)"
    )]
    TornTail {
        /// The number of the first line of the incomplete append, from 1.
        line: u64,
        /// The byte offset where it starts (what `repair` keeps).
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The log does not contain the head saved earlier: records were cut off or rewritten.
    #[error("the log does not reach the saved head `{saved}` (found {found}) (WF-LOG-06)")]
    Head {
        /// The head saved earlier.
        saved: Head,
        /// What the log holds.
        found: String,
    },
    /// Writing or syncing failed; the append was not acknowledged.
    #[error("could not {operation} the log: {source} (WF-LOG-07)")]
    Io {
        /// What was being done.
        operation: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Another [`FileEventLog`] (in this process or another) holds the file: one writer per
    /// file, so two cannot reuse each other's sequence numbers and fork the chain.
    #[error(
        "the log file is in use by another writer, which holds its lock; one log per file \
         (WF-LOG-09)"
    )]
    Locked,
    /// An earlier append of this log failed: the log refuses appends until the file is opened
    /// again, which reports anything the failed append left behind.
    #[error(
        "an earlier append failed and {}; this log takes no more appends until the file is \
         opened again (WF-LOG-10)",
        if *.cut_back { "was cut off the file again" } else { "could not be cut off the file" }
    )]
    Failed {
        /// Whether the failed append's bytes were cut off the file again.
        cut_back: bool,
    },
    /// The log's path no longer leads to the file the log opened: it was removed, renamed or
    /// replaced under the running log, so appends through the open handle would be lost.
    #[error(
        "the log file was removed or replaced under the running log ({reason}); appends are \
         refused until it is opened again (WF-LOG-11)"
    )]
    Replaced {
        /// What is at the path now.
        reason: &'static str,
    },
    /// A host's own store failed (for implementations of [`EventLog`] outside this crate).
    #[error("the event store failed: {0} (WF-LOG-07)")]
    Store(String),
    /// A record's event is dated before an earlier record's: this library never writes such a
    /// log (every command is dated no earlier than the latest event), so it was written or
    /// spliced by something else.
    #[error("record {seq} is dated {at}, before the earlier record dated {latest} (WF-LOG-08)")]
    OutOfTime {
        /// The record.
        seq: u64,
        /// Its event's time.
        at: chrono::DateTime<chrono::Utc>,
        /// The latest time of the records before it.
        latest: chrono::DateTime<chrono::Utc>,
    },
    /// A directory event names another directory version than the one replay reached at its
    /// record: the registry never writes such a log (it computes and appends each command's
    /// events against its current state at once), so the event was re-appended or spliced
    /// in by something else, and applying it would apply it to a state it was not computed on.
    #[error("record {seq} cannot be replayed: {reason}")]
    OffVersion {
        /// The record.
        seq: u64,
        /// The directory's refusal (`AUTHZ-STATE-01`), naming both versions.
        reason: sundhed_identity::Violation,
    },
}

impl LogError {
    /// The rule the error reports.
    #[must_use]
    pub fn rule(&self) -> RuleId {
        match self {
            Self::Malformed { .. } => RECORD_FORM,
            Self::Sequence { .. } => SEQUENCE,
            Self::Hash { .. } => HASH,
            Self::Chain { .. } => CHAIN,
            Self::TornTail { .. } => TAIL,
            Self::Head { .. } => HEAD,
            Self::Io { .. } | Self::Store(_) => SYNCED,
            Self::OutOfTime { .. } => IN_TIME,
            Self::Locked => EXCLUSIVE,
            Self::Failed { .. } => FAILED,
            Self::Replaced { .. } => SAME_FILE,
            Self::OffVersion { reason, .. } => reason.rule(),
        }
    }
}

/// An append-only store of events, with a hash chain over them.
///
/// [`FileEventLog`] (JSON lines in one file) and [`MemoryEventLog`] (for tests) implement it;
/// a host that outgrows one file implements it over its own store (see `docs/event-log.md`).
///
/// # Example
/// ```
/// use sundhed_workflow::{EventLog, MemoryEventLog};
///
/// let mut log = MemoryEventLog::<String>::new();
/// log.append(&["first".to_owned(), "second".to_owned()])?;
/// let head = log.verify()?;
/// assert_eq!(head.len, 2);
/// let records = log.read_from(2)?;
/// assert_eq!(records[0].event(), "second");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait EventLog<E: Serialize + DeserializeOwned> {
    /// Appends `events` as the next records, in order. Returns only once they are durable
    /// (the file implementation syncs the data to disk first).
    ///
    /// # Errors
    /// `WF-LOG-07` when writing or syncing fails (the head is then unchanged), `WF-LOG-10`
    /// when an earlier append of this log failed, `WF-LOG-11` when the log's file was removed
    /// or replaced under it, `WF-LOG-01` when an event cannot be serialised.
    fn append(&mut self, events: &[E]) -> Result<Head, LogError>;

    /// Every record with sequence number `from` or later, after verifying the whole chain.
    ///
    /// # Errors
    /// The errors of [`verify`](Self::verify).
    fn read_from(&self, from: u64) -> Result<Vec<Record<E>>, LogError>;

    /// Verifies every record (form, sequence, hash, chain) and returns the head.
    ///
    /// # Errors
    /// `WF-LOG-01` malformed record, `WF-LOG-02` removed or reordered record, `WF-LOG-03`
    /// edited record, `WF-LOG-04` broken chain, `WF-LOG-05` torn last line, `WF-LOG-07` I/O.
    fn verify(&self) -> Result<Head, LogError>;

    /// The head as of the last append (not verified again).
    fn head(&self) -> Head;

    /// Verifies the log and that it still contains `saved`, a head recorded earlier: the
    /// record at `saved.len` has `saved.hash`. The log may have grown since.
    ///
    /// # Errors
    /// The errors of [`verify`](Self::verify), and `WF-LOG-06` when the log is shorter than
    /// `saved` or its record there has another hash.
    fn verify_against(&self, saved: &Head) -> Result<Head, LogError> {
        let head = self.verify()?;
        let found = if saved.len == 0 {
            Some(Head::EMPTY)
        } else {
            self.read_from(saved.len)?
                .first()
                .filter(|r| r.seq() == saved.len)
                .map(|r| Head {
                    len: r.seq(),
                    hash: r.hash(),
                })
        };
        check_head(saved, found)?;
        Ok(head)
    }
}
