//! A log in memory, in the same record format as the file, for tests and short-lived hosts.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{encode_append, scan};
use super::{EventLog, Head, LogError, Record};

/// An [`EventLog`] holding its records as encoded lines in memory.
///
/// The lines are exactly what [`FileEventLog`](crate::FileEventLog) writes, so the same
/// checks apply; [`lines_mut`](Self::lines_mut) lets tests tamper with them. `Debug` shows the
/// number of records and the head, never the records, which hold CPR numbers in full.
#[derive(Clone)]
pub struct MemoryEventLog<E> {
    lines: Vec<String>,
    head: Head,
    event: PhantomData<fn() -> E>,
}

impl<E> core::fmt::Debug for MemoryEventLog<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryEventLog")
            .field("records", &self.lines.len())
            .field("head", &self.head)
            .finish()
    }
}

impl<E> Default for MemoryEventLog<E> {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            head: Head::EMPTY,
            event: PhantomData,
        }
    }
}

impl<E> MemoryEventLog<E> {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The encoded records, one JSON line each (without newlines).
    #[must_use]
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The encoded records, to tamper with in tests.
    pub fn lines_mut(&mut self) -> &mut Vec<String> {
        &mut self.lines
    }
}

impl<E: Serialize + DeserializeOwned> EventLog<E> for MemoryEventLog<E> {
    fn append(&mut self, events: &[E]) -> Result<Head, LogError> {
        let (lines, head) = encode_append(self.head, events)?;
        self.lines.extend(lines);
        self.head = head;
        Ok(head)
    }

    fn read_from(&self, from: u64) -> Result<Vec<Record<E>>, LogError> {
        Ok(scan(self.lines.iter().map(String::as_str), from)?.1)
    }

    fn verify(&self) -> Result<Head, LogError> {
        Ok(scan::<serde::de::IgnoredAny>(self.lines.iter().map(String::as_str), u64::MAX)?.0)
    }

    fn head(&self) -> Head {
        self.head
    }
}
