//! The module graph of a crate, read from its sources (the architecture test uses it for
//! every crate).
//!
//! The graph is read from the source: every `crate::a::b` path (also inside `use crate::{a,
//! b::c}` groups) and every `super::`/`self::` path in `src/**/*.rs`, comments and string
//! literals left out. [`module_graph`] and [`find_cycle`] take only a `src/` directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module, by its path below the crate root (`["event_log", "codec"]`); the root is `[]`.
pub type Module = Vec<String>;

/// Which module names which: module → the modules it names.
pub type Graph = BTreeMap<Module, BTreeSet<Module>>;

/// The module graph of the crate whose sources are in `src`, with modules cut to their first
/// `depth` segments (1: top-level modules only; 2: also their children).
///
/// A module's own items and its ancestors' are not edges: a child may use what its parent
/// declares (the `foo.rs` + `foo/` layout), and the crate root only declares and re-exports.
/// A path names the longest module it starts with (`crate::seb::SebForm` names `seb`); a
/// path to an item the crate root re-exports (`crate::RuleId`) names the module the item is
/// re-exported from, so a circle cannot hide behind `lib.rs`.
pub fn module_graph(src: &Path, depth: usize) -> Graph {
    let files = rust_files(src);
    let mut known: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
    let reexports = root_reexports(src, &known);
    known.extend(reexports.keys().map(|item| vec![item.clone()]));
    let mut graph = Graph::new();
    for (module, path) in &files {
        let from = cut(module, depth);
        if from.is_empty() {
            continue;
        }
        let source = std::fs::read_to_string(path).unwrap();
        let entry = graph.entry(from.clone()).or_default();
        for target in named_modules(&source, module, &known) {
            let target = match target.as_slice() {
                [item] => reexports.get(item).cloned().unwrap_or(target),
                _ => target,
            };
            let to = cut(&target, depth);
            if !to.is_empty() && !from.starts_with(&to) {
                entry.insert(to);
            }
        }
    }
    graph
}

/// A circle in `graph`, as the modules along it (the first repeated at the end), if any.
pub fn find_cycle(graph: &Graph) -> Option<Vec<Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        graph: &Graph,
        node: &Module,
        marks: &mut BTreeMap<Module, Mark>,
        path: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|m| m == node).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.clone(), Mark::Open);
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(graph, node, &mut marks, &mut Vec::new()))
}

/// Shows a graph one module a line, `a -> b, c`.
pub fn show(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(from, to)| {
            let to: Vec<String> = to.iter().map(|m| m.join("::")).collect();
            format!("{} -> {}\n", from.join("::"), to.join(", "))
        })
        .collect()
}

fn cut(module: &Module, depth: usize) -> Module {
    module.iter().take(depth).cloned().collect()
}

/// Every `.rs` file below `src` with its module path.
fn rust_files(src: &Path) -> Vec<(Module, PathBuf)> {
    sundhed_testkit::source::rust_files(src)
        .unwrap()
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module == ["lib"] || module == ["main"] || module.last().is_some_and(|m| m == "mod")
            {
                module.pop();
            }
            (module, path)
        })
        .collect()
}

/// The modules `source` (the file of module `here`) names by path.
fn named_modules(source: &str, here: &Module, known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let code = strip_comments_and_strings(source);
    let mut out = BTreeSet::new();
    for (start, anchor) in anchors(&code) {
        let base: Module = match anchor {
            "crate" => Vec::new(),
            "super" => here
                .iter()
                .take(here.len().saturating_sub(1))
                .cloned()
                .collect(),
            _ => here.clone(),
        };
        for path in expand(&code[start..]) {
            let mut full = base.clone();
            let mut rest = path.as_slice();
            // `super::super::x`
            while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
                full.pop();
                rest = tail;
            }
            full.extend(rest.iter().cloned());
            while !full.is_empty() && !known.contains(&full) {
                full.pop();
            }
            out.insert(full);
        }
    }
    out
}

/// The items `lib.rs` re-exports from the crate's own modules (`pub use cpr::{Cpr, Sex}`:
/// `Cpr` → `cpr`), by the name the root gives them.
fn root_reexports(src: &Path, known: &BTreeSet<Module>) -> BTreeMap<String, Module> {
    let Ok(lib) = std::fs::read_to_string(src.join("lib.rs")) else {
        return BTreeMap::new();
    };
    let code = strip_comments_and_strings(&lib);
    let mut out = BTreeMap::new();
    for (i, _) in code.match_indices("pub use ") {
        let statement = &code[i + "pub use ".len()..];
        let statement = statement.split(';').next().unwrap_or_default();
        let statement = statement.trim_start().trim_start_matches("crate::");
        for path in expand(statement) {
            let Some(item) = path.last() else { continue };
            let mut module: Module = path[..path.len() - 1].to_vec();
            while !module.is_empty() && !known.contains(&module) {
                module.pop();
            }
            if !module.is_empty() {
                out.insert(item.clone(), module);
            }
        }
    }
    out
}

/// Where each `crate::`, `super::` or `self::` path starts (just after the `::`), with its
/// anchor; `$crate::` in macros counts as `crate::`.
fn anchors(code: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for anchor in ["crate", "super", "self"] {
        let needle = format!("{anchor}::");
        for (i, _) in code.match_indices(&needle) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            out.push((i + needle.len(), anchor));
        }
    }
    out
}

/// The paths a `use`-tree starting at `text` names: `a::b::C` gives `[a, b, C]`;
/// `{a, b::{c, d}}` gives `[a]`, `[b, c]`, `[b, d]`.
fn expand(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 0usize;
        let mut end = inner.len();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        return split_top(&inner[..end])
            .into_iter()
            .flat_map(expand)
            .collect();
    }
    let mut path = Vec::new();
    let mut rest = text;
    loop {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        path.push(rest[..len].to_owned());
        rest = &rest[len..];
        let Some(next) = rest.trim_start().strip_prefix("::") else {
            break;
        };
        rest = next.trim_start();
        if rest.starts_with('{') {
            return expand(rest)
                .into_iter()
                .map(|tail| path.iter().cloned().chain(tail).collect())
                .collect();
        }
    }
    vec![path]
}

/// Splits `a, b::{c, d}, e` at the commas outside braces.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// The source with comments, string and character literals replaced by spaces (so a path in a
/// doc link or a message is not an import).
fn strip_comments_and_strings(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&out) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j;
                out.push(' ');
            } else {
                out.push(c);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' {
            // A character literal ('x', '\n', '\''), or a lifetime ('a) kept as is.
            let close = if next == Some('\\') {
                chars
                    .iter()
                    .skip(i + 2)
                    .position(|c| *c == '\'')
                    .map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(end) => {
                    i = end + 1;
                    out.push(' ');
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(out: &str) -> bool {
    out.chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

fn m(path: &str) -> Module {
    path.split("::").map(ToOwned::to_owned).collect()
}

#[test]
fn the_reader_finds_paths_groups_and_relative_paths_but_not_comments_or_strings() {
    let known: BTreeSet<Module> = ["a", "b", "b::c", "d", "e", "f", "g", "h"]
        .into_iter()
        .map(m)
        .chain([Vec::new()])
        .collect();
    let source = r#"
        use crate::{a::Thing, b::{c::Other, More}};
        fn f() -> crate::d::Type { todo!() }
        use super::e;
        // crate::f::Commented
        /// See [`x`](crate::f::Doc).
        const S: &str = "crate::g::Quoted";
        fn l<'a>(x: &'a str) -> char { let _ = x; 'x' }
        use $crate::h::Macro;
    "#;
    let named = named_modules(source, &m("b::c"), &known);
    let expected: BTreeSet<Module> = ["a", "b", "b::c", "d", "b::e", "h"]
        .into_iter()
        .map(m)
        .map(|p| {
            let mut p = p;
            while !known.contains(&p) {
                p.pop();
            }
            p
        })
        .collect();
    assert_eq!(named, expected);
}

#[test]
fn a_circle_is_found_and_named() {
    let mut graph = Graph::new();
    graph.entry(m("a")).or_default().insert(m("b"));
    graph.entry(m("b")).or_default().insert(m("c"));
    graph.entry(m("c")).or_default().insert(m("a"));
    graph.entry(m("d")).or_default().insert(m("a"));
    assert_eq!(
        find_cycle(&graph),
        Some(vec![m("a"), m("b"), m("c"), m("a")])
    );
    graph.get_mut(&m("c")).unwrap().clear();
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn a_path_through_a_root_reexport_names_the_module_behind_it() {
    let dir = std::env::temp_dir().join(format!("sundhed-modules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "mod a;\nmod b;\npub use a::{Alpha, Other};\npub use b::Beta;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a.rs"),
        "use crate::Beta;\npub struct Alpha;\npub struct Other;\n",
    )
    .unwrap();
    std::fs::write(dir.join("b.rs"), "use crate::{Alpha};\npub struct Beta;\n").unwrap();
    let graph = module_graph(&dir, 1);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(graph[&m("a")], BTreeSet::from([m("b")]));
    assert_eq!(find_cycle(&graph), Some(vec![m("a"), m("b"), m("a")]));
}
