//! The workspace's sources as data: its Rust files and which sundhed crate a manifest depends
//! on. The architecture test (`tests/architecture.rs`) reads these to keep
//! `docs/architecture.md` true.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`, sorted; build output (`target` folders) left out.
///
/// # Errors
/// Any error reading a directory.
pub fn rust_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    todo.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The `sundhed-*` crates a manifest lists under `[dependencies]` (not dev-dependencies).
///
/// # Errors
/// Any error reading the manifest.
pub fn sundhed_dependencies(manifest: &Path) -> io::Result<BTreeSet<String>> {
    let text = fs::read_to_string(manifest)?;
    let mut section = String::new();
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_owned();
        } else if section == "[dependencies]" && line.starts_with("sundhed-") {
            out.insert(
                line.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-')
                    .collect(),
            );
        }
    }
    Ok(out)
}
