//! The workspace's sources as data: which top-level module of a crate names which other, and
//! which sundhed crate a crate's code names. The architecture test (`tests/architecture.rs`)
//! reads these to keep `docs/architecture.md` true.
//!
//! A text scan, not a compiler: a path `crate::a::…` (also inside `use crate::{a, b::c}`) in
//! a line of code is an edge from the module whose file it is in to `a`, when `a` is a
//! top-level module of the crate. Comment lines are skipped, so intra-doc links do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A crate's top-level modules and, for each, the other top-level modules its files name.
pub type ModuleGraph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file below `dir`, sorted.
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
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The top-level module a file of `src` belongs to (`src/seb/form.rs` → `seb`); `None` for
/// the crate root (`lib.rs`, which only declares and re-exports).
#[must_use]
pub fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// The lines of `text` that are code: comment lines (`//`, `///`, `//!`) left out.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with("//"))
}

/// The first segments of every `crate::` path in `code`, including each item of a
/// `crate::{…}` group (which may span lines).
#[must_use]
pub fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest.get(..at).and_then(|b| b.chars().last());
        let after = rest.get(at + "crate::".len()..).unwrap_or_default();
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `sundhed_crate::` and the like
        }
        if let Some(group) = after.strip_prefix('{') {
            out.extend(group_heads(group));
        } else {
            out.push(ident(after));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The first segment of each item of a `{a, b::c, d::{e, f}}` group (the text after `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut at_item_start = true;
    let mut chars = group.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_item_start = true,
            c if at_item_start && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                heads.push(ident(group.get(i..).unwrap_or_default()));
                at_item_start = false;
                while chars
                    .next_if(|(_, c)| c.is_alphanumeric() || *c == '_')
                    .is_some()
                {}
            }
            _ => {}
        }
    }
    heads
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The module graph of the crate whose `src` directory is `src`.
///
/// # Errors
/// Any error reading the sources.
pub fn module_graph(src: &Path) -> io::Result<ModuleGraph> {
    let files = rust_files(src)?;
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(src, f)).collect();
    let mut graph: ModuleGraph = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in &files {
        let Some(from) = top_module(src, file) else {
            continue;
        };
        let text = fs::read_to_string(file)?;
        let code: Vec<&str> = code_lines(&text).collect();
        let targets: BTreeSet<String> = crate_paths(&code.join("\n"))
            .into_iter()
            .filter(|to| *to != from && modules.contains(to))
            .collect();
        graph.entry(from).or_default().extend(targets);
    }
    Ok(graph)
}

/// A cycle of the graph, as the modules along it (first repeated at the end), if it has one.
#[must_use]
pub fn find_cycle(graph: &ModuleGraph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &ModuleGraph,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| n == node)?;
                let mut cycle: Vec<String> = stack.get(start..)?.to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
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
            out.insert(ident_dashed(line));
        }
    }
    Ok(out)
}

fn ident_dashed(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_groups_give_their_first_segments() {
        assert_eq!(crate_paths("use crate::seb::{A, B};"), ["seb"]);
        assert_eq!(
            crate_paths("use crate::{event::Event, hex, form::{a, b}};"),
            ["event", "hex", "form"]
        );
        assert_eq!(crate_paths("let x = crate::a::f(crate::b::C);"), ["a", "b"]);
        assert!(crate_paths("sundhed_crate::x").is_empty());
        assert_eq!(
            crate_paths("use crate::{\n    a::X,\n    b::{\n        c, d},\n    e,\n};"),
            ["a", "b", "e"]
        );
    }

    #[test]
    fn a_cycle_is_found_and_a_tree_has_none() {
        let graph = |edges: &[(&str, &str)]| {
            let mut g = ModuleGraph::new();
            for (a, b) in edges {
                g.entry((*a).to_owned())
                    .or_default()
                    .insert((*b).to_owned());
                g.entry((*b).to_owned()).or_default();
            }
            g
        };
        assert_eq!(
            find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])),
            None
        );
        let cycle = find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")]));
        assert_eq!(
            cycle,
            Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
    }
}
