//! The default log: JSON lines in one append-only file, synced before an append returns.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Read as _;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{check_record_form, check_tail, encode_append, scan};
use super::{EventLog, Head, LogError, Record};

/// An [`EventLog`] in one file of JSON lines, opened for appending.
///
/// [`open`](Self::open) creates the file if it is missing, locks it for the log's lifetime
/// (`WF-LOG-09`) and refuses a file whose last line is torn (`WF-LOG-05`): the host decides,
/// and calls [`repair`](Self::repair) to cut the torn line off. [`append`](EventLog::append)
/// writes all its records in one write and calls `File::sync_data` before returning
/// (`WF-LOG-07`); a failed append is cut off again and stops the log until it is opened again
/// (`WF-LOG-10`), and so does a file removed or replaced under it (`WF-LOG-11`).
///
/// # Example
/// ```
/// use sundhed_workflow::{EventLog, FileEventLog};
///
/// let path = std::env::temp_dir().join(format!("sundhed-doc-{}.jsonl", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut log = FileEventLog::<String>::open(&path)?;
/// log.append(&["organisation registered".to_owned()])?;
/// drop(log);
///
/// // Reopened, the log continues the chain.
/// let mut log = FileEventLog::<String>::open(&path)?;
/// log.append(&["admin appointed".to_owned()])?;
/// assert_eq!(log.verify()?.len, 2);
///
/// // One writer per file: a second log on it is refused while the first is open.
/// let err = FileEventLog::<String>::open(&path).unwrap_err();
/// assert_eq!(err.rule().as_str(), "WF-LOG-09");
/// drop(log);
///
/// // A crash mid-append leaves a torn line: reported on open, never dropped silently.
/// std::fs::OpenOptions::new().append(true).open(&path)?.write_all(b"{\"seq\":3,")?;
/// let err = FileEventLog::<String>::open(&path).unwrap_err();
/// assert_eq!(err.rule().as_str(), "WF-LOG-05");
/// let repaired = FileEventLog::<String>::repair(&path)?;
/// assert_eq!(repaired.kept, 2);
/// assert!(FileEventLog::<String>::open(&path).is_ok());
/// # std::fs::remove_file(&path)?;
/// # use std::io::Write as _;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FileEventLog<E> {
    path: PathBuf,
    file: File,
    /// Which file `path` led to when the log opened it (`WF-LOG-11`).
    identity: FileId,
    tail: Tail,
    event: PhantomData<fn() -> E>,
}

/// A file's identity: device and inode on unix. Elsewhere only whether the path still
/// leads to a file is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileId(Option<(u64, u64)>);

impl FileId {
    #[cfg(unix)]
    fn of(metadata: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt as _;
        Self(Some((metadata.dev(), metadata.ino())))
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Self {
        Self(None)
    }
}

/// Where the file ends as far as the log has acknowledged it, and whether an append failed.
#[derive(Clone, Copy, Debug)]
struct Tail {
    /// The head of the last acknowledged append.
    head: Head,
    /// The file's length after it, in bytes: where a failed append is cut back to.
    bytes: u64,
    /// `Some(cut back)` once an append failed (`WF-LOG-10`).
    failed: Option<bool>,
}

/// What an append needs from its file. [`File`] is the one implementation the log uses; a
/// unit test wraps it to fail a write or a sync half-way (`WF-LOG-10`).
trait Sink {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    fn sync_data(&mut self) -> std::io::Result<()>;
    fn set_len(&mut self, len: u64) -> std::io::Result<()>;
}

impl Sink for File {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        std::io::Write::write_all(self, bytes)
    }
    fn sync_data(&mut self) -> std::io::Result<()> {
        File::sync_data(self)
    }
    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        File::set_len(self, len)
    }
}

/// What [`FileEventLog::repair`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repaired {
    /// Records kept.
    pub kept: u64,
    /// Bytes cut off the end (0 when the tail was whole).
    pub dropped_bytes: u64,
}

fn io(operation: &'static str) -> impl FnOnce(std::io::Error) -> LogError {
    move |source| LogError::Io { operation, source }
}

fn read_text(file: &mut File) -> Result<String, LogError> {
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(io("read"))?;
    String::from_utf8(bytes).map_err(|e| LogError::Malformed {
        line: 0,
        reason: format!(
            "the file is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

impl<E: Serialize + DeserializeOwned> FileEventLog<E> {
    /// Opens (or creates) the log at `path` for appending, positioned after its last record.
    ///
    /// Only the tail is checked here; call [`verify`](EventLog::verify) for the whole chain.
    /// The log holds an exclusive lock on the file until it is dropped (`WF-LOG-09`).
    ///
    /// # Errors
    /// `WF-LOG-09` when another log (here or in another process) holds the file,
    /// `WF-LOG-05` when the last line is torn (no newline, or it does not parse) and every
    /// record before it verifies, `WF-LOG-01`…`04` when one of those does not (tampering),
    /// `WF-LOG-07` when the file cannot be opened or read, `WF-LOG-01` when it is not UTF-8.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LogError> {
        let path = path.as_ref().to_path_buf();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(io("open"))?;
        check_exclusive(&file)?;
        let identity = FileId::of(&file.metadata().map_err(io("open"))?);
        let text = read_text(&mut file)?;
        let head = match check_tail(&text)? {
            None => Head::EMPTY,
            Some((line, _, last)) => {
                let raw = check_record_form(line, last)?;
                Head {
                    len: raw.seq(),
                    hash: raw.hash(),
                }
            }
        };
        Ok(Self {
            path,
            file,
            identity,
            tail: Tail {
                head,
                bytes: u64::try_from(text.len()).unwrap_or(u64::MAX),
                failed: None,
            },
            event: PhantomData,
        })
    }

    /// Cuts a torn last line off the log at `path` (the explicit answer to `WF-LOG-05`), and
    /// syncs. A log whose tail is whole is left as it is. It takes the file's lock like
    /// [`open`](Self::open), so it never cuts a file under a running log, and it cuts only a
    /// torn tail after records that all verify: tampering is reported, never "repaired".
    ///
    /// # Errors
    /// `WF-LOG-09` when a log holds the file; `WF-LOG-01`…`04` when a record before the torn
    /// tail does not verify (nothing is cut);
    /// `WF-LOG-07` when the file cannot be read, truncated or synced; `WF-LOG-01` when it is
    /// not UTF-8.
    pub fn repair(path: impl AsRef<Path>) -> Result<Repaired, LogError> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io("open"))?;
        check_exclusive(&file)?;
        let text = read_text(&mut file)?;
        let (keep, dropped) = match check_tail(&text) {
            Ok(_) => (text.len(), 0),
            Err(LogError::TornTail { offset, .. }) => {
                let keep = usize::try_from(offset).unwrap_or(text.len());
                (keep, text.len().saturating_sub(keep))
            }
            Err(e) => return Err(e),
        };
        let kept_text = text.get(..keep).unwrap_or("");
        if dropped > 0 {
            file.set_len(u64::try_from(keep).unwrap_or(u64::MAX))
                .map_err(io("truncate"))?;
            file.sync_data().map_err(io("sync"))?;
        }
        Ok(Repaired {
            kept: u64::try_from(kept_text.lines().count()).unwrap_or(u64::MAX),
            dropped_bytes: u64::try_from(dropped).unwrap_or(u64::MAX),
        })
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn text(&self) -> Result<String, LogError> {
        let mut file = File::open(&self.path).map_err(io("read"))?;
        let text = read_text(&mut file)?;
        check_tail(&text)?;
        Ok(text)
    }
}

impl<E: Serialize + DeserializeOwned> EventLog<E> for FileEventLog<E> {
    /// `WF-LOG-07`: the records are written in one `write_all` and `File::sync_data` returns
    /// before the append does; on failure the head stays where it was, the bytes written are
    /// cut off again and the log refuses further appends until it is opened again
    /// (`WF-LOG-10`). The path must still lead to the file the log opened, before the write
    /// and again before the append is acknowledged (`WF-LOG-11`).
    fn append(&mut self, events: &[E]) -> Result<Head, LogError> {
        check_appendable(&self.tail)?;
        if events.is_empty() {
            return Ok(self.tail.head);
        }
        let (lines, head) = encode_append(self.tail.head, events)?;
        let mut buffer = String::new();
        for line in lines {
            buffer.push_str(&line);
            buffer.push('\n');
        }
        let (path, identity) = (&self.path, self.identity);
        check_same_file(path, identity)?;
        append_bytes(
            &mut self.file,
            &mut self.tail,
            buffer.as_bytes(),
            head,
            || check_same_file(path, identity),
        )
    }

    fn read_from(&self, from: u64) -> Result<Vec<Record<E>>, LogError> {
        let text = self.text()?;
        Ok(scan(text.lines(), from)?.1)
    }

    fn verify(&self) -> Result<Head, LogError> {
        let text = self.text()?;
        Ok(scan::<serde::de::IgnoredAny>(text.lines(), u64::MAX)?.0)
    }

    fn head(&self) -> Head {
        self.tail.head
    }
}

/// Writes and syncs one append's bytes (`WF-LOG-07`), checks `confirm` and moves the tail on;
/// when any of that fails, cuts the file back to the tail and marks the log failed
/// (`WF-LOG-10`).
fn append_bytes(
    sink: &mut impl Sink,
    tail: &mut Tail,
    bytes: &[u8],
    head: Head,
    confirm: impl FnOnce() -> Result<(), LogError>,
) -> Result<Head, LogError> {
    match check_synced(sink, bytes).and_then(|()| confirm()) {
        Ok(()) => {
            let written = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
            *tail = Tail {
                head,
                bytes: tail.bytes.saturating_add(written),
                failed: None,
            };
            Ok(head)
        }
        Err(e) => {
            let cut = sink.set_len(tail.bytes).and_then(|()| sink.sync_data());
            tail.failed = Some(cut.is_ok());
            Err(e)
        }
    }
}

/// `WF-LOG-07`: an append is acknowledged only after its bytes are written and synced to
/// the disk with `File::sync_data`; any failure is an error and nothing counts as appended.
fn check_synced(sink: &mut impl Sink, bytes: &[u8]) -> Result<(), LogError> {
    sink.write_all(bytes).map_err(io("write"))?;
    sink.sync_data().map_err(io("sync"))
}

/// `WF-LOG-10`: after a failed append (a write or a sync that failed half-way: disk full, a
/// file-size limit) the log cuts the file back to the end of the last acknowledged append and
/// refuses every further append until the file is opened again, so no later command is
/// acknowledged glued onto a half-written line, and a file whose cut failed is left for
/// `open` to report (`WF-LOG-05`) and `repair` (issue 14; `docs/event-log.md`, "The file
/// format").
fn check_appendable(tail: &Tail) -> Result<(), LogError> {
    match tail.failed {
        None => Ok(()),
        Some(cut_back) => Err(LogError::Failed { cut_back }),
    }
}

/// `WF-LOG-09`: one writer per file. The log takes an exclusive lock on the file
/// (`File::try_lock`) when it opens and holds it until it is dropped, so a second registry on
/// the same file is refused instead of appending with stale sequence numbers and forking the
/// chain (issue 14; `docs/event-log.md`, "The file format"). A file system that cannot lock is
/// refused too (`WF-LOG-07`): exclusivity that cannot be had is not assumed.
fn check_exclusive(file: &File) -> Result<(), LogError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(LogError::Locked),
        Err(TryLockError::Error(source)) => Err(LogError::Io {
            operation: "lock",
            source,
        }),
    }
}

/// `WF-LOG-11`: the log's path still leads to the file the log opened (same device and inode
/// on unix; elsewhere, a file is still there). A log file removed, renamed or replaced under a
/// running log would otherwise take acknowledged appends through the open handle that are gone
/// at the next start; they are refused instead, before the write and again before the append
/// is acknowledged (issue 14; `docs/event-log.md`, "The file format").
fn check_same_file(path: &Path, opened: FileId) -> Result<(), LogError> {
    let found = match std::fs::metadata(path) {
        Ok(metadata) => FileId::of(&metadata),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(LogError::Replaced {
                reason: "no file is there any more",
            });
        }
        Err(source) => {
            return Err(LogError::Io {
                operation: "look up",
                source,
            });
        }
    };
    if found == opened {
        Ok(())
    } else {
        Err(LogError::Replaced {
            reason: "another file is there now",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real file, failing the way a full disk does: it writes `budget` bytes of an append
    /// and then fails the write, or writes everything and fails the (first) sync.
    struct Failing<'a> {
        file: &'a mut File,
        budget: usize,
        fail_sync: bool,
    }

    impl Sink for Failing<'_> {
        fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            let (now, rest) = bytes.split_at(bytes.len().min(self.budget));
            Sink::write_all(self.file, now)?;
            if rest.is_empty() {
                Ok(())
            } else {
                Err(std::io::Error::other("no space left on device"))
            }
        }
        fn sync_data(&mut self) -> std::io::Result<()> {
            if self.fail_sync {
                self.fail_sync = false; // the sync after the cut succeeds
                Err(std::io::Error::other("sync failed"))
            } else {
                Sink::sync_data(self.file)
            }
        }
        fn set_len(&mut self, len: u64) -> std::io::Result<()> {
            Sink::set_len(self.file, len)
        }
    }

    fn temp(name: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!(
            "sundhed-workflow-unit-{}-{name}.jsonl",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        path
    }

    /// Fails one append through `Failing`, then checks the file and the log.
    fn fail_one_append(name: &str, budget: usize, fail_sync: bool) {
        let path = temp(name);
        let mut log = FileEventLog::<String>::open(&path).unwrap();
        log.append(&["one".to_owned()]).unwrap();
        let before = std::fs::read(&path).unwrap();
        let (lines, head) = encode_append(log.tail.head, &["two".to_owned()]).unwrap();
        let bytes = format!("{}\n", lines.concat());
        let mut failing = Failing {
            file: &mut log.file,
            budget,
            fail_sync,
        };
        let err = append_bytes(&mut failing, &mut log.tail, bytes.as_bytes(), head, || {
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.rule().as_str(), "WF-LOG-07");
        // The half-written line is gone again, and the head did not move.
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert_eq!(log.head().len, 1);
        // The next command is refused, not acknowledged glued onto anything.
        let err = log.append(&["three".to_owned()]).unwrap_err();
        assert_eq!(err.rule().as_str(), "WF-LOG-10");
        assert!(err.to_string().contains("cut off the file again"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        drop(log);
        // Opened again, the log is whole and goes on.
        let mut log = FileEventLog::<String>::open(&path).unwrap();
        assert_eq!(log.append(&["three".to_owned()]).unwrap().len, 2);
        assert_eq!(log.verify().unwrap().len, 2);
        drop(log);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn wf_log_10_a_write_failing_half_way_is_cut_back_and_stops_the_log() {
        fail_one_append("half-write", 30, false);
    }

    #[test]
    fn wf_log_10_a_failing_sync_is_cut_back_and_stops_the_log() {
        fail_one_append("failed-sync", usize::MAX, true);
    }
}
