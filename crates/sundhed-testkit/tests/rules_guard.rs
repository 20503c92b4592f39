//! The workspace guard: `docs/rules.md` and the code name the same rules, both ways.
//!
//! Fails when a row's enforcing function does not exist, when none of a row's tests exists
//! or none names its id, when a row's id appears nowhere in library code, or when library code
//! names an id the table lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use sundhed_testkit::source::rust_files;

const AREAS: [&str; 4] = ["ID-", "SIG-", "AUTHZ-", "WF-"];

fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    fs::canonicalize(&root).unwrap_or(root)
}

struct Row {
    id: String,
    retired: bool,
    enforcer: String,
    tests: Vec<String>,
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

fn unquote(s: &str) -> String {
    s.trim()
        .trim_matches('`')
        .trim_end_matches("()")
        .trim()
        .to_owned()
}

fn rows(text: &str) -> Vec<Row> {
    text.lines()
        .filter(|l| l.trim_start().starts_with("| `"))
        .map(|l| {
            let c = cells(l);
            assert!(c.len() >= 5, "a rules.md row has five columns: {l}");
            Row {
                id: unquote(&c[0]),
                retired: c[1].to_lowercase().contains("retired"),
                enforcer: unquote(&c[3]),
                tests: c[4]
                    .split(',')
                    .map(unquote)
                    .filter(|t| !t.is_empty() && t != "-")
                    .collect(),
            }
        })
        .collect()
}

/// Every `AREA-TOPIC-NN` token in a text.
fn ids_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut out = BTreeSet::new();
    for (i, _) in text.char_indices() {
        let prev_ok = i == 0
            || !matches!(bytes[i - 1], b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-');
        let Some(area) = AREAS.iter().find(|a| text[i..].starts_with(**a)) else {
            continue;
        };
        if !prev_ok {
            continue;
        }
        let mut j = i + area.len();
        let topic_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_uppercase() || bytes[j].is_ascii_digit()) {
            j += 1;
        }
        if j == topic_start || j + 3 > bytes.len() || bytes[j] != b'-' {
            continue;
        }
        let (d1, d2) = (bytes[j + 1], bytes[j + 2]);
        let next_ok = j + 3 == bytes.len() || !bytes[j + 3].is_ascii_alphanumeric();
        if d1.is_ascii_digit() && d2.is_ascii_digit() && next_ok {
            out.insert(text[i..j + 3].to_owned());
        }
    }
    out
}

/// (library sources, every Rust file) of the workspace.
fn sources() -> (BTreeMap<PathBuf, String>, BTreeMap<PathBuf, String>) {
    let all: Vec<PathBuf> = ["crates", "benches", "fuzz"]
        .into_iter()
        .flat_map(|dir| rust_files(&root().join(dir)).unwrap_or_default())
        .collect();
    let read = |p: &PathBuf| (p.clone(), fs::read_to_string(p).unwrap());
    let everything: BTreeMap<_, _> = all.iter().map(read).collect();
    let library = everything
        .iter()
        .filter(|(p, _)| {
            let s = p.to_string_lossy();
            s.contains("/src/") && s.contains("/crates/")
        })
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    (library, everything)
}

fn defines_fn(text: &str, name: &str) -> bool {
    [format!("fn {name}("), format!("fn {name}<")]
        .iter()
        .any(|p| text.contains(p.as_str()))
}

#[test]
fn rules_guard_docs_and_code_agree_both_ways() {
    let doc = fs::read_to_string(root().join("docs/rules.md")).unwrap();
    let table = rows(&doc);
    assert!(!table.is_empty(), "docs/rules.md has no rule rows");
    let (library, everything) = sources();
    let mut problems = Vec::new();

    let mut seen = BTreeSet::new();
    for row in &table {
        if !seen.insert(row.id.clone()) {
            problems.push(format!("{} is listed twice", row.id));
        }
        if ids_in(&row.id).len() != 1 {
            problems.push(format!("`{}` is not of the form AREA-TOPIC-NN", row.id));
        }
        if row.retired {
            continue;
        }
        let fn_name = row.enforcer.rsplit("::").next().unwrap_or("").to_owned();
        let enforcing_files: Vec<_> = library
            .iter()
            .filter(|(_, t)| defines_fn(t, &fn_name))
            .collect();
        if enforcing_files.is_empty() {
            problems.push(format!(
                "{}: enforcing function `{fn_name}` not found in crates/*/src",
                row.id
            ));
        } else if !enforcing_files
            .iter()
            .any(|(_, t)| t.contains(row.id.as_str()))
        {
            problems.push(format!(
                "{}: the file defining `{fn_name}` does not name the id",
                row.id
            ));
        }
        if !library.values().any(|t| ids_in(t).contains(&row.id)) {
            problems.push(format!("{}: no library code names this id", row.id));
        }
        let snake = row.id.to_lowercase().replace('-', "_");
        if !row.tests.iter().any(|t| t.contains(&snake)) {
            problems.push(format!(
                "{}: no listed test name contains `{snake}`",
                row.id
            ));
        }
        for t in &row.tests {
            if !everything.values().any(|text| defines_fn(text, t)) {
                problems.push(format!("{}: test `{t}` does not exist", row.id));
            }
        }
    }

    for (path, text) in &library {
        if path.ends_with("rule_id.rs") {
            continue; // the type's own documentation shows example ids
        }
        for id in ids_in(text) {
            if !seen.contains(&id) {
                problems.push(format!(
                    "{} names {id}, which docs/rules.md lacks",
                    path.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/rules.md and the code disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn rules_guard_finds_ids_in_text() {
    let ids = ids_in("see `ID-CPR-01` and (SIG-CHAIN-12); not XID-CPR-01, ID-CPR-1 or ID-CPR-012");
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        ["ID-CPR-01", "SIG-CHAIN-12"]
    );
}
