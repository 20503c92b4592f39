//! Where the test data lives: the workspace's `testdata/fixtures/` (OCES1–3 and NIST PKITS
//! certificates) and `crates/sundhed-workflow/testdata/` (the OCES2 test people with their
//! keys, and a version-1 event log). Paths are found from this crate's manifest directory,
//! so they hold from any working directory.

use std::path::{Path, PathBuf};

use crate::error::TestkitError;

/// The workspace root.
#[must_use]
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file under `testdata/fixtures/`.
#[must_use]
pub fn fixture(name: &str) -> PathBuf {
    workspace().join("testdata/fixtures").join(name)
}

/// A file under `crates/sundhed-workflow/testdata/` (the OCES2 test people).
#[must_use]
pub fn people(name: &str) -> PathBuf {
    workspace()
        .join("crates/sundhed-workflow/testdata")
        .join(name)
}

/// Reads a file whole.
///
/// # Errors
/// [`TestkitError::Io`] naming the file.
pub fn read(path: &Path) -> Result<Vec<u8>, TestkitError> {
    std::fs::read(path).map_err(|source| TestkitError::Io {
        path: path.to_path_buf(),
        source,
    })
}
