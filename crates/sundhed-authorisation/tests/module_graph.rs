//! The crate's modules import each other without a circle.
//!
//! The graph is read from the sources: every `crate::<module>` path (also inside
//! `use crate::{a, b::c}`) in `src/<module>.rs` or `src/<module>/**.rs` is an edge from that
//! top-level module to `<module>`; a name the crate root re-exports (`crate::Directory`) counts
//! as an edge to the module it comes from. Comment lines are skipped, so an intra-doc link is
//! no import.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The text without comment lines (`//`, `///`, `//!`).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segments of every path after `crate::` in `text`: `crate::a::b` gives `a`,
/// `crate::{a, b::c, d::{e, f}}` gives `a`, `b`, `d`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| is_ident(c) && c != '$') {
            continue; // `foo_crate::`, not a path of this crate
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Split the brace group at its top-level commas; take each item's first segment.
            let mut depth = 0usize;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        item.push(c);
                    }
                    '}' if depth == 0 => break,
                    '}' => {
                        depth -= 1;
                        item.push(c);
                    }
                    ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                    _ => item.push(c),
                }
            }
            items.push(item);
            for item in items {
                let first: String = item.trim().chars().take_while(|c| is_ident(*c)).collect();
                if !first.is_empty() {
                    out.insert(first);
                }
            }
        } else {
            let first: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if !first.is_empty() {
                out.insert(first);
            }
        }
    }
    out
}

/// The names `lib.rs` re-exports from each module: `pub use m::{A, B};` and `pub use m::A;`.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for statement in code(lib).split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = path.split_once("::") else {
            continue;
        };
        let names = names.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    out
}

/// The module graph of the crate whose sources are `files` (path under `src/`, text).
fn graph(files: &[(String, String)]) -> Graph {
    let module_of = |path: &str| -> Option<String> {
        let first = path.split('/').next()?;
        let name = first.strip_suffix(".rs").unwrap_or(first);
        (name != "lib").then(|| name.to_owned())
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let lib = files
        .iter()
        .find(|(p, _)| p == "lib.rs")
        .map(|(_, t)| reexports(t))
        .unwrap_or_default();
    let mut graph: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for (path, text) in files {
        let Some(from) = module_of(path) else {
            continue;
        };
        for first in crate_paths(&code(text)) {
            let to = if modules.contains(&first) {
                Some(first)
            } else {
                lib.get(&first).cloned()
            };
            if let Some(to) = to.filter(|to| *to != from) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// One circle of `graph`, if it has any (depth-first search for a back edge).
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut found = path[i..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .iter()
        .map(|p| {
            let relative = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read_to_string(p).unwrap())
        })
        .collect()
}

#[test]
fn the_modules_of_the_crate_import_each_other_without_a_circle() {
    let graph = graph(&sources());
    assert!(graph.contains_key("decision") && graph.contains_key("rules"));
    assert!(graph["rules"].is_empty(), "rules.rs is a leaf: {graph:?}");
    assert!(graph["decision"].contains("directory"), "{graph:?}");
    if let Some(found) = circle(&graph) {
        panic!("import circle {}; graph {graph:#?}", found.join(" → "));
    }
}

#[test]
fn the_module_graph_sees_every_form_of_crate_path() {
    let file = |p: &str, t: &str| (p.to_owned(), t.to_owned());
    let files = [
        file(
            "lib.rs",
            "mod a; mod b; mod c; mod d;\npub use d::{Thing, other::Other};",
        ),
        file(
            "a.rs",
            "use crate::{b::B, c};\n/// [`x`](crate::d::x)\nfn f() {}",
        ),
        file("b.rs", "fn g() -> crate::Thing { todo!() }"),
        file("c/inner.rs", "use crate::{\n    b::{B, C},\n};"),
        file("d.rs", "use foo_crate::a; use crate::a::A;"),
    ];
    let graph = graph(&files);
    let edges = |m: &str| graph[m].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("a"), ["b", "c"], "the doc link is no edge");
    assert_eq!(edges("b"), ["d"], "a root re-export leads to its module");
    assert_eq!(
        edges("c"),
        ["b"],
        "a submodule counts for its top-level module"
    );
    assert_eq!(edges("d"), ["a"]);
    let found = circle(&graph).expect("a → b → d → a");
    assert_eq!(found.first(), found.last());
    assert!(found.len() > 2, "{found:?}");
}
